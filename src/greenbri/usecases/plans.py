"""``greenbri plans``: list and show the plans' items, record statuses with evidence, evaluate.

The CLI and the API call these verbs with the stores built in :mod:`greenbri.bootstrap`.
Recording verifies every piece of evidence against the stores before anything is written
(:func:`verify_evidence`), then appends through the record store, which re-checks the history
under its lock (:func:`greenbri.core.plans.records.check_record`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greenbri.adapters.indicators.store import IndicatorStore
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.plans.records import PlanRecordStore
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.errors import DatasetNotFoundError, InputError, VersionNotFoundError
from greenbri.core.indicators.data_files import seed_targets
from greenbri.core.plans.evaluation import evaluate_plans, latest_record, record_command
from greenbri.core.plans.model import Plans
from greenbri.core.plans.records import EVIDENCE_KINDS, Evidence, StatusRecord, check_record
from greenbri.usecases.indicators.tracking import evaluate_targets

__all__ = [
    "PlanStores",
    "evaluate",
    "list_items",
    "parse_evidence",
    "record_status",
    "show_item",
    "verify_evidence",
]

_DATASET_VERSION = re.compile(r"^(?P<id>[^@\s]+)@v(?P<number>\d+)$")
_INDICATOR_VALUE = re.compile(r"^(?P<indicator>[^:\s]+):(?P<code>[A-Z0-9_]+):(?P<year>\d{4})$")
_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class PlanStores:
    """What the plan verbs read and write: the plans, their records, and the stores evidence points to."""

    plans: Plans
    records: PlanRecordStore
    datasets: DatasetStore | None = None
    indicators: IndicatorStore | None = None
    readings: ReadingsStore | None = None
    clock: Callable[[], dt.datetime] = _now


def _item_row(document_id: str, item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "document": document_id,
        "group": item.group,
        "kind": item.kind,
        "number": item.number,
        "name": item.name.to_dict(),
        "clause": item.clause,
        "due": item.due.isoformat() if item.due else None,
        "target_id": item.target_id,
    }


def list_items(plans: Plans, document: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """Items in file order, optionally of one document and one kind."""
    known = [d.id for d in plans.documents]
    if document is not None and document not in known:
        raise InputError(f"unknown document {document!r}.", hint=f"use one of {', '.join(known)}.")
    return [
        _item_row(d.id, item)
        for d, item in plans.items()
        if (document is None or d.id == document) and (kind is None or item.kind == kind)
    ]


def _require_item(plans: Plans, item_id: str) -> tuple[Any, Any]:
    try:
        return plans.item(item_id)
    except KeyError:
        raise InputError(
            f"there is no item {item_id!r} in the plans.", hint="list the items with `greenbri plans list`."
        ) from None


def show_item(stores: PlanStores, item_id: str) -> dict[str, Any]:
    """One item in full: citation, owners (or "not stated"), milestones, current status, history."""
    document, item = _require_item(stores.plans, item_id)
    history = [r for r in stores.records.records() if r.item_id == item_id]
    current = latest_record(history, item_id, stores.clock().date())
    data = item.model_dump(mode="json")
    for key in ("owners", "partners", "period"):
        if data[key] is None:
            data[key] = "not stated"
    return {
        **data,
        "document": {
            "id": document.id,
            "title": document.title.to_dict(),
            "date": document.date,
            "issuer": document.issuer,
            "source_file": document.source_file,
        },
        "status": current.status if current else "unknown",
        "no_evidence": current is None,
        "fill_command": record_command(item_id) if current is None else None,
        "history": [r.to_dict() for r in history],
    }


def parse_evidence(texts: Sequence[str]) -> list[tuple[str, str]]:
    """``KIND=REFERENCE`` texts as pairs; :class:`InputError` naming the bad one."""
    pairs = []
    for text in texts:
        kind, separator, reference = text.partition("=")
        if not separator or not reference.strip():
            raise InputError(
                f"evidence {text!r} is not KIND=REFERENCE.",
                location="evidence",
                hint=f"e.g. dataset_version=wdpa@v1; kinds: {', '.join(EVIDENCE_KINDS)}.",
            )
        pairs.append((kind.strip(), reference.strip()))
    return pairs


def _missing(kind: str, reference: str, message: str, hint: str) -> InputError:
    return InputError(f"evidence {kind}={reference}: {message}", location="evidence", hint=hint)


def _dataset_version(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    match = _DATASET_VERSION.match(reference)
    if not match:
        raise _missing(
            "dataset_version", reference, "not of the form dataset@vN.", "e.g. dataset_version=wdpa@v2."
        )
    if stores.datasets is None:
        raise _missing("dataset_version", reference, "no dataset store to check it.", "run with a store.")
    try:
        record = stores.datasets.get(match["id"])
        version = record.require_version(int(match["number"]))
    except (DatasetNotFoundError, VersionNotFoundError) as error:
        raise _missing(
            "dataset_version", reference, error.message, error.hint or "see `greenbri datasets list`."
        ) from None
    return {
        "title": record.title.to_dict(),
        "feature_count": version.feature_count,
        "input_sha256": version.provenance.input_sha256,
    }


def _indicator_value(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    match = _INDICATOR_VALUE.match(reference)
    if not match:
        raise _missing(
            "indicator_value",
            reference,
            "not of the form indicator:ISO3:year.",
            "e.g. indicator_value=pm25_exposure:CHN:2020.",
        )
    rows = stores.indicators.observations([match["indicator"]]) if stores.indicators else None
    if rows is not None:
        rows = rows[(rows["code"] == match["code"]) & (rows["year"].astype(int) == int(match["year"]))]
    if rows is None or rows.empty:
        raise _missing(
            "indicator_value",
            reference,
            "no such value in the indicator store.",
            "ingest it with `greenbri indicators ingest`, or check the id with `greenbri indicators list`.",
        )
    row = rows.iloc[-1]
    return {"value": float(row["value"]), "source_version": str(row["source_version"])}


def _target_evaluation(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    if reference not in seed_targets():
        raise _missing(
            "target_evaluation", reference, "no such target.", "list them with `greenbri targets list`."
        )
    if stores.indicators is None:
        return {"status": "insufficient_data", "reason": "no indicator store"}
    result = evaluate_targets(stores.indicators, [reference], until_year=as_of.year)[0]
    return {key: result[key] for key in ("status", "reason", "latest_year", "latest_value", "measured_by")}


def _document(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    path = Path(reference)
    if not path.is_file():
        raise _missing(
            "document", reference, "no such file.", "give the path of an existing file, or use link=URL."
        )
    return {
        "name": path.name,
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def _link(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    if not _LINK.match(reference):
        raise _missing("link", reference, "not an http(s) address.", "e.g. link=https://www.mee.gov.cn/....")
    return {"fetched": False, "note": "the address is recorded as given; greenbri does not fetch it"}


def _monitoring(stores: PlanStores) -> dict[str, Any]:
    batches = stores.readings.batches() if stores.readings is not None else []
    if not batches:
        raise _missing("greenbri_result", "monitoring", "the monitoring store holds no readings.",
                       "ingest readings with `greenbri monitor ingest` first.")  # fmt: skip
    stations = stores.readings.stations().num_rows if stores.readings is not None else 0
    return {"batches": len(batches), "stations": stations, "latest_batch": batches[-1].get("id")}


def _greenbri_result(stores: PlanStores, reference: str, as_of: dt.date) -> dict[str, Any]:
    if reference == "monitoring":
        return _monitoring(stores)
    if reference != "catalog":
        raise _missing(
            "greenbri_result", reference, "unknown result.", "use greenbri_result=catalog or monitoring."
        )
    records = stores.datasets.list_datasets() if stores.datasets is not None else []
    versions = [str(r.reference()) for r in records if r.reference() is not None]
    if not versions:
        raise _missing(
            "greenbri_result", reference, "the catalog holds no dataset.", "run `greenbri init` first."
        )
    return {"datasets": len(versions), "versions": versions}


_VERIFIERS = {
    "document": _document,
    "link": _link,
    "dataset_version": _dataset_version,
    "indicator_value": _indicator_value,
    "target_evaluation": _target_evaluation,
    "greenbri_result": _greenbri_result,
}


def verify_evidence(
    stores: PlanStores, evidence: Sequence[tuple[str, str]], as_of: dt.date
) -> list[Evidence]:
    """Each piece checked to exist, with what was found; the first that does not raises InputError."""
    checked = []
    for kind, reference in evidence:
        if kind not in _VERIFIERS:
            raise InputError(
                f"unknown evidence kind {kind!r}.",
                location="evidence",
                hint=f"use one of {', '.join(EVIDENCE_KINDS)}.",
            )
        checked.append(Evidence(kind, reference, _VERIFIERS[kind](stores, reference, as_of)))
    return checked


def record_status(
    stores: PlanStores,
    item_id: str,
    status: str,
    evidence: Sequence[tuple[str, str]],
    *,
    by: str,
    as_of: dt.date | None = None,
    note: str = "",
    milestone: str | None = None,
) -> dict[str, Any]:
    """Check, verify and append one status record; returns it. Nothing is written if any check fails."""
    now = stores.clock()
    given = tuple(Evidence(kind, reference) for kind, reference in evidence)
    record = StatusRecord(item_id, status, as_of or now.date(), now, by, given, note, milestone)
    check_record(stores.plans, stores.records.records(), record)
    verified = tuple(verify_evidence(stores, evidence, record.as_of))
    record = StatusRecord(item_id, status, record.as_of, now, by, verified, note, milestone)
    stores.records.append(record, lambda history: check_record(stores.plans, history, record))
    return record.to_dict()


def evaluate(stores: PlanStores, as_of: dt.date) -> dict[str, Any]:
    """The evaluation at ``as_of`` (see :mod:`greenbri.core.plans.evaluation`)."""
    target_ids = sorted({item.target_id for _, item in stores.plans.items() if item.target_id})
    targets: dict[str, Any] = {}
    if stores.indicators is not None and target_ids:
        results = evaluate_targets(stores.indicators, target_ids, until_year=as_of.year)
        targets = {row["target"]: row for row in results}
    return evaluate_plans(stores.plans, stores.records.records(), as_of, targets)
