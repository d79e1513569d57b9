"""Country groups as data: Belt and Road partners, economic corridors, UN regions, income groups, user groups.

A group lists its members (ISO3) with, where known, the date they joined and whether the
membership is uncertain; the group carries its source. Groups built from reference data (UN M49
regions, World Bank income groups) are made by the adapters from the bundled country layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import CatalogError

__all__ = ["GROUP_KINDS", "CountryGroup", "GroupMember", "group_from_document"]

GROUP_KINDS = ("bri_partners", "corridor", "un_region", "un_subregion", "income_group", "user")


@dataclass(frozen=True)
class GroupMember:
    """One member: ISO3, the date it joined (None = unknown), and whether membership is uncertain."""

    iso3: str
    since: str | None = None
    uncertain: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"iso3": self.iso3, "since": self.since, "uncertain": self.uncertain, "note": self.note}


@dataclass(frozen=True)
class CountryGroup:
    """A named set of countries with its source."""

    id: str
    kind: str
    name: Bilingual
    source: str
    members: tuple[GroupMember, ...]
    source_url: str = ""
    as_of: str = ""
    uncertain: bool = False
    note: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(member.iso3 for member in self.members))

    def member(self, iso3: str) -> GroupMember | None:
        return next((member for member in self.members if member.iso3 == iso3), None)

    def to_dict(self, *, with_members: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name.to_dict(),
            "source": self.source,
            "source_url": self.source_url,
            "as_of": self.as_of,
            "uncertain": self.uncertain,
            "note": self.note,
            "member_count": len(self.members),
        }
        if with_members:
            result["members"] = [member.to_dict() for member in sorted(self.members, key=lambda m: m.iso3)]
        return result


def _member(item: Any, where: str) -> GroupMember:
    if isinstance(item, str):
        return GroupMember(iso3=item.upper())
    if not isinstance(item, Mapping) or not isinstance(item.get("iso3"), str):
        raise CatalogError(
            f"{where}: a member must be an ISO3 code or an object with 'iso3'.", hint="fix the member."
        )
    note = item.get("note") or item.get("basis") or ""
    return GroupMember(
        iso3=item["iso3"].upper(), since=item.get("since"), uncertain=bool(item.get("uncertain")), note=note
    )


def group_from_document(document: Mapping[str, Any], where: str) -> CountryGroup:
    """A :class:`CountryGroup` from a JSON object; :class:`CatalogError` naming ``where``."""
    for key in ("id", "name", "source", "members"):
        if key not in document:
            raise CatalogError(
                f"{where}: missing field {key!r}.", hint="a group needs id, name, source and members."
            )
    kind = str(document.get("kind", "user"))
    if kind not in GROUP_KINDS:
        raise CatalogError(f"{where}: unknown group kind {kind!r}.", hint=f"use one of {list(GROUP_KINDS)}.")
    name = document["name"]
    label = (
        Bilingual(en=str(name), zh=str(name))
        if isinstance(name, str)
        else Bilingual(str(name["en"]), str(name.get("zh", "")))
    )
    raw: Sequence[Any] = document["members"]
    members = tuple(_member(item, f"{where}.members[{index}]") for index, item in enumerate(raw))
    codes = [member.iso3 for member in members]
    if len(set(codes)) != len(codes):
        raise CatalogError(f"{where}: a member is listed twice.", hint="list each ISO3 code once.")
    return CountryGroup(
        id=str(document["id"]),
        kind=kind,
        name=label,
        source=str(document["source"]),
        members=members,
        source_url=str(document.get("source_url", "")),
        as_of=str(document.get("as_of", "")),
        uncertain=bool(document.get("uncertain", False)),
        note=str(document.get("note", "")),
    )
