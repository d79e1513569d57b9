"""The plans as data: documents, their groups and their items (goals, tasks, key projects, targets).

The file format (``data/plans.json``, ``format: greenbri-plans/1``) is checked by the pydantic
models below, which reject unknown keys. Every item carries its clause (section/clause of the
document) and its names in Chinese and English with where each name comes from
(:data:`NAME_SOURCES`). ``owners``, ``partners``, ``period`` and ``milestones`` are ``null``/empty
where the text does not state them: greenbri never fills them in.

Loading also checks what a schema cannot: ids unique across documents, every item's group
declared, each group holding exactly the number of items its ``expected_count`` (the count the
document itself gives, e.g. 规划涉及 25 个重点项目……) says, milestones in date order, and every
``target`` item naming a target of the targets data (the numbers live there, not here).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from greenbri.core.errors import StandardError

__all__ = [
    "FORMAT",
    "ITEM_KINDS",
    "NAME_SOURCES",
    "Group",
    "Item",
    "Milestone",
    "Plans",
    "PolicyDocument",
    "plans_from_document",
]

FORMAT = "greenbri-plans/1"
ITEM_KINDS = ("goal", "task", "key_project", "target")
#: Where a name comes from: the document's own text, the English excerpt of the 2017 plan, the
#: English translation the Beautiful China text was republished in, the targets data, greenbri's
#: own (unofficial) translation, or a Chinese wording not checked against the original.
NAME_SOURCES = (
    "document",
    "document_excerpt",
    "published_translation",
    "greenbri_targets",
    "unofficial_translation",
    "unverified",
)

_STRICT = ConfigDict(extra="forbid", frozen=True)
_ID = r"^[a-z0-9][a-z0-9_.\-]*$"


class Name(BaseModel):
    """A name in Chinese and English, with the source of each."""

    model_config = _STRICT
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    en_source: Literal[NAME_SOURCES] = "document"  # type: ignore[valid-type]
    zh_source: Literal[NAME_SOURCES] = "document"  # type: ignore[valid-type]

    def to_dict(self) -> dict[str, str]:
        return self.model_dump()


class Milestone(BaseModel):
    """A dated step of an item (only where a text, or a deployment's own plan file, states one)."""

    model_config = _STRICT
    id: str = Field(pattern=_ID)
    name: Name
    due: dt.date
    clause: str = Field(min_length=1)


class Item(BaseModel):
    """A goal, task, key project or (linked) numeric target of one document."""

    model_config = _STRICT
    id: str = Field(pattern=_ID)
    kind: Literal["goal", "task", "key_project", "target"]
    group: str
    number: str
    name: Name
    clause: str = Field(min_length=1)
    quote_zh: str = ""
    summary_en: str = ""
    due: dt.date | None = None
    target_id: str | None = None
    owners: tuple[str, ...] | None = None
    partners: tuple[str, ...] | None = None
    partners_note: str = ""
    period: str | None = None
    milestones: tuple[Milestone, ...] = ()
    related: tuple[str, ...] = ()


class Group(BaseModel):
    model_config = _STRICT
    id: str = Field(pattern=_ID)
    name: Name
    clause: str
    expected_count: int = Field(ge=0)


class PolicyDocument(BaseModel):
    model_config = _STRICT
    id: str = Field(pattern=_ID)
    title: Name
    issuer: str = Field(min_length=1)
    date: str = Field(min_length=4)
    source_file: str
    url: str = ""
    horizon: dt.date
    groups: tuple[Group, ...]
    items: tuple[Item, ...]


class Plans(BaseModel):
    """Every document of the plan file."""

    model_config = _STRICT
    format: Literal["greenbri-plans/1"]
    note: str = ""
    documents: tuple[PolicyDocument, ...]

    def items(self) -> Iterator[tuple[PolicyDocument, Item]]:
        for document in self.documents:
            for item in document.items:
                yield document, item

    def item(self, item_id: str) -> tuple[PolicyDocument, Item]:
        for document, item in self.items():
            if item.id == item_id:
                return document, item
        raise KeyError(item_id)

    def item_ids(self) -> list[str]:
        return [item.id for _, item in self.items()]


def _location(error: Mapping[str, Any], document: Mapping[str, Any]) -> str:
    """``documents[0].items[3].name`` with the item id when the path reaches an item."""
    path = error["loc"]
    text = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in path).replace(".[", "[")
    try:
        item = document["documents"][path[1]]["items"][path[3]]
        return f"{text} (item {item.get('id')!r})"
    except (IndexError, KeyError, TypeError):
        return text


def _check(condition: bool, source: str, field: str, message: str, hint: str) -> None:
    if not condition:
        raise StandardError(message, source=source, field=field, hint=hint)


def _check_document(document: PolicyDocument, source: str, target_ids: Collection[str]) -> None:
    groups = {group.id: group for group in document.groups}
    counts = Counter(item.group for item in document.items)
    for index, item in enumerate(document.items):
        where = f"{document.id}.items[{index}] ({item.id})"
        _check(
            item.group in groups,
            source,
            where,
            f"unknown group {item.group!r}.",
            f"use one of {sorted(groups)}.",
        )
        if item.kind == "target":
            _check(
                item.target_id in target_ids,
                source,
                where,
                f"the target {item.target_id!r} is not in the targets data.",
                "name a target listed by `greenbri targets list`.",
            )
        dues = [milestone.due for milestone in item.milestones]
        _check(
            dues == sorted(dues), source, where, "milestones are not in date order.", "sort them by due date."
        )
    for group in document.groups:
        _check(
            counts[group.id] == group.expected_count,
            source,
            f"{document.id}.groups.{group.id}",
            f"the group holds {counts[group.id]} items but the document counts {group.expected_count}.",
            "enter every item the document lists in this group, no more.",
        )


def plans_from_document(document: Any, source: str, target_ids: Collection[str]) -> Plans:
    """:class:`Plans` from a parsed plan file; :class:`StandardError` naming ``source`` and the field."""
    try:
        plans = Plans.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        raise StandardError(
            f"{first['msg']}.",
            source=source,
            field=_location(first, document if isinstance(document, Mapping) else {}),
            hint="see docs/methodology/plans.md for the plan file format.",
        ) from None
    ids = Counter(plans.item_ids())
    duplicated = sorted(key for key, count in ids.items() if count > 1)
    _check(not duplicated, source, "items", f"item ids used twice: {duplicated}.", "make every id unique.")
    known = set(ids)
    for document_model in plans.documents:
        _check_document(document_model, source, target_ids)
        for item in document_model.items:
            unknown = [key for key in item.related if key not in known]
            _check(
                not unknown,
                source,
                item.id,
                f"related items {unknown} do not exist.",
                "name existing item ids.",
            )
    return plans
