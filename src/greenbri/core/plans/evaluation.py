"""The evaluation of the plans at a chosen date, from the recorded statuses and the target tracker.

For every item, at the evaluation date ``as_of``:

* **status**: the latest record whose ``as_of`` is on or before the date (ties: the one recorded
  last). With none, the status is ``unknown`` and ``evidence`` says ``NO DATA`` with the command
  that records one. Missing evidence is never progress.
* **phase**: ``deadline`` when the item is due on or before the date (到2025年 is read as due on
  31 December 2025), else ``mid-term``.
* **overdue**: due on or before the date and not ``completed``. The same for each milestone.
* numeric targets (``kind: target``) also carry the tracker's evaluation
  (:mod:`greenbri.core.indicators.progress`) on the values up to the evaluation year; the tracker's
  words (achieved, on track, at risk, off track, insufficient data) are kept as they are.

The summary counts statuses, overdue items and items without evidence per document and group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from greenbri.core.plans.model import Item, Plans, PolicyDocument
from greenbri.core.plans.records import STATUSES, StatusRecord

__all__ = ["evaluate_plans", "latest_record", "record_command"]


def record_command(item_id: str) -> str:
    """The command that records evidence for ``item_id``."""
    return f"greenbri plans record {item_id} --status STATUS --evidence KIND=REFERENCE"


def latest_record(
    records: Sequence[StatusRecord], item_id: str, as_of: dt.date, milestone: str | None = None
) -> StatusRecord | None:
    """The record in force for the item (or milestone) at ``as_of``."""
    chosen = [r for r in records if r.item_id == item_id and r.milestone == milestone and r.as_of <= as_of]
    return max(chosen, key=lambda r: (r.as_of, r.recorded_at), default=None)


def _state(record: StatusRecord | None, item_id: str, due: dt.date | None, as_of: dt.date) -> dict[str, Any]:
    status = record.status if record else "unknown"
    return {
        "status": status,
        "status_date": record.as_of.isoformat() if record else None,
        "evidence": [e.to_dict() for e in record.evidence] if record else [],
        "no_evidence": record is None,
        "fill_command": record_command(item_id) if record is None else None,
        "recorded_by": record.recorded_by if record else None,
        "note": record.note if record else "NO DATA: no status has been recorded for this item.",
        "due": due.isoformat() if due else None,
        "phase": "deadline" if due is not None and due <= as_of else "mid-term",
        "overdue": bool(due is not None and due <= as_of and status != "completed"),
    }


def _item(
    document: PolicyDocument,
    item: Item,
    records: Sequence[StatusRecord],
    as_of: dt.date,
    targets: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": item.id,
        "document": document.id,
        "group": item.group,
        "kind": item.kind,
        "number": item.number,
        "name": item.name.to_dict(),
        "clause": item.clause,
        **_state(latest_record(records, item.id, as_of), item.id, item.due, as_of),
        "history_count": sum(1 for r in records if r.item_id == item.id),
        "milestones": [
            {
                "id": milestone.id,
                "name": milestone.name.to_dict(),
                "clause": milestone.clause,
                **_state(latest_record(records, item.id, as_of, milestone.id), item.id, milestone.due, as_of),
            }
            for milestone in item.milestones
        ],
    }
    if item.target_id is not None:
        result["target_id"] = item.target_id
        result["target_evaluation"] = dict(targets.get(item.target_id) or {"status": "insufficient_data"})
    return result


def _summary(rows: Sequence[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[key] for key in keys), []).append(row)
    summary = []
    for key, members in groups.items():
        counts = Counter(row["status"] for row in members)
        summary.append(
            {
                **dict(zip(keys, key, strict=True)),
                "items": len(members),
                "statuses": {status: counts.get(status, 0) for status in STATUSES},
                "overdue": sum(
                    1 for row in members if row["overdue"] or any(m["overdue"] for m in row["milestones"])
                ),
                "no_evidence": sum(1 for row in members if row["no_evidence"]),
            }
        )
    return summary


def evaluate_plans(
    plans: Plans,
    records: Sequence[StatusRecord],
    as_of: dt.date,
    targets: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """The evaluation at ``as_of`` (see the module docstring); ``targets`` are the tracker's results by id."""
    rows = [_item(document, item, records, as_of, targets) for document, item in plans.items()]
    return {
        "as_of": as_of.isoformat(),
        "documents": [
            {
                "id": d.id,
                "title": d.title.to_dict(),
                "date": d.date,
                "horizon": d.horizon.isoformat(),
                "evaluation": "deadline" if d.horizon <= as_of else "mid-term",
                "groups": [{"id": g.id, "name": g.name.to_dict(), "clause": g.clause} for g in d.groups],
            }
            for d in plans.documents
        ],
        "items": rows,
        "summary": {
            "by_document": _summary(rows, ("document",)),
            "by_group": _summary(rows, ("document", "group")),
        },
        "overdue": [row["id"] for row in rows if row["overdue"]]
        + [f"{row['id']}/{m['id']}" for row in rows for m in row["milestones"] if m["overdue"]],
    }
