"""Ingesting files of readings: parse, check, store as one batch per file, report.

Formats: ``beijing`` (UCI Beijing multi-site files), ``cnemc`` (national network hourly
publication), ``water-india`` (India water quality station-year table) and ``table`` (any CSV /
TSV / XLSX with a :class:`~greenbri.adapters.monitoring.tabular.TableMapping`).

Each file is one batch. A file whose bytes (sha256) and options were ingested before is skipped
without being parsed (a file whose name the ledger does not know is hashed while it is parsed, and
the parse is dropped if its bytes turn out to be known). A file that cannot be read (truncated, a named column absent, naive times
without a time zone) raises before anything of it is stored; row problems are reported per row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greenbri.adapters.monitoring.batch import ParsedInput, RowMessage
from greenbri.adapters.monitoring.cnemc import read_cnemc
from greenbri.adapters.monitoring.outcome import BatchOutcome, batch_identifier
from greenbri.adapters.monitoring.presets import PRESETS
from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.adapters.monitoring.tabular import TableMapping, read_table
from greenbri.core.errors import InputError

__all__ = [
    "FORMATS",
    "FileReport",
    "IngestReport",
    "file_sha256",
    "ingest_files",
    "ingest_parsed",
    "options_digest",
]

#: ``--format`` values.
FORMATS: tuple[str, ...] = ("beijing", "cnemc", "table", "water-india")
#: Bumped when a reader changes what it stores for the same input, so old batches are not taken
#: for the same options.
PARSER_VERSION = 1

Progress = Callable[[str], None]


@dataclass
class FileReport:
    """One file's batch."""

    path: str
    batch_id: str
    created: bool
    counts: dict[str, int]
    messages: list[RowMessage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "batch_id": self.batch_id,
            "created": self.created,
            "counts": self.counts,
            "messages": [message.to_dict() for message in self.messages],
        }


@dataclass
class IngestReport:
    """Every file's batch, and the totals."""

    files: list[FileReport]

    @property
    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for report in self.files:
            for key, value in report.counts.items():
                totals[key] = totals.get(key, 0) + value
        return dict(sorted(totals.items()))

    def to_dict(self) -> dict[str, Any]:
        return {"files": [report.to_dict() for report in self.files], "totals": self.totals}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def options_digest(format_name: str, mapping: TableMapping | None) -> str:
    """A digest of everything besides the bytes that decides what is stored."""
    options = {
        "format": format_name,
        "parser": PARSER_VERSION,
        "mapping": mapping.digest_fields() if mapping else None,
    }
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()


def _mapping(format_name: str, mapping: TableMapping | None) -> TableMapping | None:
    if format_name not in FORMATS:
        raise InputError(f"Unknown format {format_name!r}.", hint=f"use one of: {', '.join(FORMATS)}.")
    if format_name == "table":
        if mapping is None:
            raise InputError(
                "The table format needs a column mapping.",
                hint="give --time-column or --time-parts, --timezone and --unit.",
            )
        return mapping
    if format_name in PRESETS:
        return PRESETS[format_name]()
    return None


def _parse(
    path: Path, format_name: str, mapping: TableMapping | None, progress: Progress | None
) -> ParsedInput:
    if format_name == "cnemc":
        return read_cnemc(path, progress=progress)
    assert mapping is not None
    return read_table(path, mapping, progress=progress)


def _rejected_before(name: str, entry: dict[str, Any]) -> list[RowMessage]:
    """A note on a re-ingested file whose batch rejected conflicting readings: ingesting the same
    bytes again is a no-op, so retrying them (after removing the batch that holds the other
    values) needs this file's own batch removed first."""
    rejected = entry.get("rows", {}).get("readings_rejected_conflict", 0)
    if not rejected:
        return []
    message = (
        f"this file is batch {entry['id']}, stored before with {rejected} conflicting readings rejected; "
        f"the same file again adds nothing: to retry them, greenbri monitor batches remove {entry['id']}, "
        "then ingest it again"
    )
    return [RowMessage(name, None, message, "warning")]


def ingest_files(
    store: ReadingsStore,
    paths: Sequence[Path],
    *,
    format_name: str,
    mapping: TableMapping | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest ``paths`` (one batch each); see the module docstring."""
    chosen = _mapping(format_name, mapping)
    digest = options_digest(format_name, chosen)
    known = {(entry["input_sha256"], entry["options_digest"]): entry for entry in store.batches()}
    reports = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"No file {path}.", source=str(path), hint="check the path.")
        parsed = None
        if any(entry.get("input_name") == path.name for entry in known.values()):
            sha = file_sha256(path)  # probably a re-ingest: hash first, parse only if new
        else:  # probably new: hash in a thread while the file is parsed (hashlib releases the GIL)
            with ThreadPoolExecutor(max_workers=1) as pool:
                hashing = pool.submit(file_sha256, path)
                parsed = _parse(path, format_name, chosen, progress)
                sha = hashing.result()
        if (sha, digest) in known:
            outcome = BatchOutcome.from_entry(known[(sha, digest)], created=False)
            outcome.messages = _rejected_before(path.name, known[(sha, digest)])
        else:
            parsed = parsed or _parse(path, format_name, chosen, progress)
            if progress:
                progress(f"storing {path.name} as batch {batch_identifier(parsed.source, sha, digest)}")
            outcome = store.write_batch(parsed, input_sha256=sha, options_digest=digest, strict=strict)
        reports.append(
            FileReport(str(path), outcome.batch_id, outcome.created, outcome.counts, outcome.messages)
        )
        if progress:
            progress(f"done {path.name}")
    return IngestReport(reports)


def ingest_parsed(
    store: ReadingsStore,
    parsed: ParsedInput,
    *,
    input_sha256: str,
    options: dict[str, Any],
    strict: bool = False,
) -> FileReport:
    """Store an already parsed input (an API page, a fetched file) as one batch."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()
    outcome = store.write_batch(parsed, input_sha256=input_sha256, options_digest=digest, strict=strict)
    return FileReport(parsed.input_name, outcome.batch_id, outcome.created, outcome.counts, outcome.messages)
