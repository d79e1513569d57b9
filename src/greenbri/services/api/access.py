"""API keys, roles and organisations: who is asking, and what they may see.

A key is ``gb_<key id>_<secret>``. Only a salted SHA-256 digest of the secret is stored (in
``<data dir>/access/keys.json``); the secret is 256 random bits, so a slow password hash would add
nothing against guessing and would slow every request. A revoked key stays listed with the time
it was revoked and is refused from then on. The file is re-read when it changes, so keys created
or revoked with ``greenbri keys`` take effect in a running server.

Roles and who may read what are :mod:`greenbri.core.access` (the one authorisation rule);
they are re-exported here for the API's modules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from greenbri.adapters.stores.files import write_json_atomic
from greenbri.adapters.stores.locking import write_lock
from greenbri.core.access import ANONYMOUS, Principal, Role, may_read_dataset
from greenbri.core.errors import InputError

__all__ = ["ANONYMOUS", "ApiKey", "AuthenticationError", "KeyStore", "Principal", "Role", "may_read_dataset"]

Clock = Callable[[], dt.datetime]


class AuthenticationError(Exception):
    """The request carried a key that is malformed, unknown or revoked."""


@dataclass(frozen=True)
class ApiKey:
    """One stored key: never the secret, only its salt and digest."""

    id: str
    name: str
    role: Role
    organisation: str
    rate_per_minute: int
    created_at: str
    salt: str
    digest: str
    revoked_at: str | None = None

    def public_view(self) -> dict[str, Any]:
        """The key without its salt and digest, for listings."""
        view = asdict(self)
        del view["salt"], view["digest"]
        view["role"] = self.role.value
        return view

    def principal(self) -> Principal:
        return Principal(self.id, self.role, self.organisation, self.rate_per_minute)


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode("utf-8")).hexdigest()


def _now(clock: Clock) -> str:
    return clock().astimezone(dt.UTC).isoformat(timespec="seconds")


class KeyStore:
    """The keys of one data directory (``access/keys.json``)."""

    def __init__(self, directory: Path, *, clock: Clock | None = None, default_rate_per_minute: int = 1200):
        self.path = directory / "keys.json"
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.default_rate_per_minute = default_rate_per_minute
        self._keys: dict[str, ApiKey] = {}
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, ApiKey]:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            return {}
        stamp = (status.st_mtime_ns, status.st_size)
        with self._lock:
            if stamp != self._stamp:
                rows = json.loads(self.path.read_text(encoding="utf-8")).get("keys", [])
                self._keys = {row["id"]: ApiKey(**{**row, "role": Role(row["role"])}) for row in rows}
                self._stamp = stamp
            return self._keys

    def _save(self, keys: dict[str, ApiKey]) -> None:
        rows = [{**asdict(key), "role": key.role.value} for _, key in sorted(keys.items())]
        write_json_atomic(self.path, {"format": 1, "keys": rows})

    def all_keys(self) -> list[ApiKey]:
        """Every key, revoked ones included, sorted by creation time then id."""
        return sorted(self._load().values(), key=lambda key: (key.created_at, key.id))

    def create(
        self, name: str, role: Role | str, organisation: str = "", rate_per_minute: int | None = None
    ) -> tuple[ApiKey, str]:
        """A new key and its token (shown once; only its digest is kept)."""
        try:
            chosen = Role(role)
        except ValueError:
            raise InputError(
                f"Unknown role {role!r}.", hint="use one of: admin, analyst, viewer, public."
            ) from None
        rate = self.default_rate_per_minute if rate_per_minute is None else rate_per_minute
        if rate < 1:
            raise InputError(f"A rate of {rate} requests per minute is not allowed.", hint="give 1 or more.")
        key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_hex(16)
        key = ApiKey(key_id, name, chosen, organisation, rate, _now(self.clock), salt, _digest(salt, secret))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with write_lock(self.path.with_name(".keys.lock"), timeout_s=10):
            keys = dict(self._load())
            keys[key_id] = key
            self._save(keys)
        return key, f"gb_{key_id}_{secret}"

    def revoke(self, key_id: str) -> ApiKey | None:
        """Revoke a key (idempotent); None if there is no such key."""
        if not self.path.is_file():
            return None
        with write_lock(self.path.with_name(".keys.lock"), timeout_s=10):
            keys = dict(self._load())
            if key_id not in keys:
                return None
            if keys[key_id].revoked_at is None:
                keys[key_id] = replace(keys[key_id], revoked_at=_now(self.clock))
                self._save(keys)
            return keys[key_id]

    def authenticate(self, token: str) -> Principal:
        """The principal of ``token``; :class:`AuthenticationError` if it is not a valid, live key."""
        prefix, _, rest = token.partition("_")
        key_id, _, secret = rest.partition("_")
        key = self._load().get(key_id) if prefix == "gb" and secret else None
        if key is None or not hmac.compare_digest(key.digest, _digest(key.salt, secret)):
            raise AuthenticationError("The API key is not valid.")
        if key.revoked_at is not None:
            raise AuthenticationError("The API key was revoked.")
        return key.principal()
