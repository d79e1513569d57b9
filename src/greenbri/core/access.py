"""Who may read what: the one authorisation rule of greenbri.

Every listing, search, DCAT document, OGC collection, feature, tile, download, screening input,
screening job and report input is filtered by :func:`may_read` (datasets through
:func:`may_read_dataset`, jobs through :func:`may_read_job`); nothing else decides.

Roles, from most to least trusted (docs/api.md, "Access"):

============  ==========================================================================
``admin``     everything, every organisation; key management
``analyst``   what a viewer may, plus submitting screening jobs and handling alerts
``viewer``    public data, plus the restricted data and jobs of its own organisation
``public``    public data only, whatever its organisation (the anonymous caller's role)
============  ==========================================================================

A restricted resource belongs to an organisation; a job submitted by a key without one belongs
to that key. The command line acts for the store's owner (:data:`LOCAL_USER`, every right).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from greenbri.core.catalog import AccessLevel, DatasetRecord

__all__ = [
    "ANONYMOUS",
    "LOCAL_USER",
    "Principal",
    "Role",
    "may_read",
    "may_read_dataset",
    "may_read_job",
]


class Role(StrEnum):
    """What a key may do; see the module docstring."""

    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"
    PUBLIC = "public"

    @property
    def rank(self) -> int:
        return {"public": 0, "viewer": 1, "analyst": 2, "admin": 3}[self.value]


@dataclass(frozen=True)
class Principal:
    """Who is asking: a key (id, role, organisation) or the anonymous public."""

    key_id: str
    role: Role
    organisation: str = ""
    rate_per_minute: int | None = None

    @property
    def anonymous(self) -> bool:
        return not self.key_id

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank


ANONYMOUS = Principal(key_id="", role=Role.PUBLIC)
#: The command line's user: the owner of the data directory, who may read everything in it.
LOCAL_USER = Principal(key_id="local", role=Role.ADMIN)


def may_read(principal: Principal, access: AccessLevel | str, organisation: str, owner_key: str = "") -> bool:
    """Whether ``principal`` may read a resource with this access level, organisation and owner key.

    Public resources: everyone. Restricted ones: admins; otherwise a key of role ``viewer`` or
    higher whose organisation owns it (or which submitted it, for a job without an organisation).
    A ``public`` key never reads restricted resources, not even its own organisation's.
    """
    if AccessLevel(access) is AccessLevel.PUBLIC or principal.role is Role.ADMIN:
        return True
    if principal.anonymous or not principal.at_least(Role.VIEWER):
        return False
    same_organisation = bool(organisation) and principal.organisation == organisation
    return same_organisation or (bool(owner_key) and principal.key_id == owner_key)


def may_read_dataset(principal: Principal, record: DatasetRecord) -> bool:
    """:func:`may_read` for a catalog record."""
    return may_read(principal, record.access, record.organisation)


def may_read_job(principal: Principal, organisation: str, created_by: str) -> bool:
    """:func:`may_read` for a screening job: restricted to its organisation (or its key) and admins."""
    return may_read(principal, AccessLevel.RESTRICTED, organisation, created_by)
