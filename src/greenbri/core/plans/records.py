"""Status records: what is known about an item at a date, who said so, and the evidence.

A record is never changed or removed; a newer record for the same item (or milestone) supersedes
an older one in the evaluation, and the history keeps both. Rules (:func:`check_record`):

* the item (and the milestone, if one is named) exists in the plans;
* the status is one of :data:`STATUSES`;
* every status except ``unknown`` cites at least one piece of evidence (``unknown`` needs a note
  saying why nothing can be said);
* ``as_of`` (the date the status describes) is not after the day it is recorded, and not before
  the ``as_of`` of the item's latest record (history in date order: correct an old record by
  recording again with the same or a later date and a note).

Whether the evidence exists (a dataset version in the catalog, an indicator value in the store,
a target of the targets data, a file) is checked by the use case that has the stores
(:mod:`greenbri.usecases.plans`), before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from greenbri.core.errors import InputError
from greenbri.core.plans.model import Plans

__all__ = ["EVIDENCE_KINDS", "STATUSES", "Evidence", "StatusRecord", "check_record", "record_from_dict"]

STATUSES = ("not_started", "in_progress", "completed", "stalled", "unknown")
#: ``document``: a file (its SHA-256 is kept); ``link``: an http(s) address (not fetched);
#: ``dataset_version``: ``dataset@vN`` in the catalog; ``indicator_value``: ``indicator:ISO3:year``
#: in the indicator store; ``target_evaluation``: a target id of the targets data (its evaluation
#: at the record's date is kept); ``greenbri_result``: ``catalog`` (the catalog's datasets) or
#: ``monitoring`` (the monitoring store's batches and stations).
EVIDENCE_KINDS = (
    "document",
    "link",
    "dataset_version",
    "indicator_value",
    "target_evaluation",
    "greenbri_result",
)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence; ``detail`` is what greenbri found when it verified it."""

    kind: str
    reference: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "reference": self.reference, "detail": self.detail}


@dataclass(frozen=True)
class StatusRecord:
    """The status of one item (or one of its milestones) at ``as_of``, as recorded."""

    item_id: str
    status: str
    as_of: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    milestone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "milestone": self.milestone,
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "recorded_by": self.recorded_by,
            "evidence": [evidence.to_dict() for evidence in self.evidence],
            "note": self.note,
        }


def record_from_dict(data: dict[str, Any]) -> StatusRecord:
    return StatusRecord(
        item_id=data["item_id"],
        milestone=data.get("milestone"),
        status=data["status"],
        as_of=dt.date.fromisoformat(data["as_of"]),
        recorded_at=dt.datetime.fromisoformat(data["recorded_at"]),
        recorded_by=data["recorded_by"],
        evidence=tuple(
            Evidence(e["kind"], e["reference"], dict(e.get("detail") or {})) for e in data["evidence"]
        ),
        note=data.get("note", ""),
    )


def _fail(message: str, field_name: str, hint: str) -> None:
    raise InputError(message, source="status record", location=field_name, hint=hint)


def check_record(plans: Plans, history: Sequence[StatusRecord], record: StatusRecord) -> None:
    """Raise :class:`InputError` (naming the field) if ``record`` breaks a rule of the module docstring."""
    try:
        _, item = plans.item(record.item_id)
    except KeyError:
        _fail(
            f"there is no item {record.item_id!r} in the plans.",
            "item",
            "list the items with `greenbri plans list`.",
        )
    if record.milestone is not None and record.milestone not in {m.id for m in item.milestones}:
        _fail(
            f"the item {record.item_id!r} has no milestone {record.milestone!r}.",
            "milestone",
            f"use one of {sorted(m.id for m in item.milestones) or 'none: the plans state no milestone for it'}.",
        )
    if record.status not in STATUSES:
        _fail(f"unknown status {record.status!r}.", "status", f"use one of {', '.join(STATUSES)}.")
    if record.status != "unknown" and not record.evidence:
        _fail(
            f"the status {record.status!r} needs evidence.",
            "evidence",
            "add --evidence KIND=REFERENCE (a document, a link, dataset@vN, indicator:ISO3:year, "
            "a target id or a greenbri result); a status without evidence is not recorded.",
        )
    if record.status == "unknown" and not (record.evidence or record.note.strip()):
        _fail("an unknown status needs a note saying why.", "note", "add --note.")
    for evidence in record.evidence:
        if evidence.kind not in EVIDENCE_KINDS:
            _fail(
                f"unknown evidence kind {evidence.kind!r}.",
                "evidence",
                f"use one of {', '.join(EVIDENCE_KINDS)}.",
            )
    if record.as_of > record.recorded_at.date():
        _fail(
            f"the status date {record.as_of} is after the day it is recorded ({record.recorded_at.date()}).",
            "as_of",
            "record a status when it has happened.",
        )
    previous = [r for r in history if r.item_id == record.item_id and r.milestone == record.milestone]
    if previous and record.as_of < max(r.as_of for r in previous):
        _fail(
            f"the status date {record.as_of} is before the item's latest record "
            f"({max(r.as_of for r in previous)}); dates must not go backwards.",
            "as_of",
            "use a date on or after the latest record's (see `greenbri plans show`).",
        )
