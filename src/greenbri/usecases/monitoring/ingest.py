"""Ingesting files of readings: parse, check, store as one batch per file, report.

Formats: ``beijing`` (UCI Beijing multi-site files), ``cnemc`` (national network hourly
publication), ``water-india`` (India water quality station-year table) and ``table`` (any CSV /
TSV / XLSX with a :class:`~greenbri.adapters.monitoring.tabular.TableMapping`).

Each file is one batch. A file whose bytes (sha256) and options were ingested before is skipped
without being parsed (a file whose name the ledger does not know is hashed while it is parsed, and
the parse is dropped if its bytes turn out to be known). A file that cannot be read (truncated, a named column absent, naive times
without a time zone) raises before anything of it is stored; row problems are reported per row.
A row that is not whole (short, long, an unterminated quote, a value cut at the end of the file)
refuses the file, unless ``skip_bad_rows``: then it is rejected and reported by its line.
``encoding`` overrides a format's text encoding (a GBK export of a UTF-8 format, say).
"""

from __future__ import annotations

import dataclasses
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
    "ozone_provenance_text",
]

#: ``--format`` values.
FORMATS: tuple[str, ...] = ("beijing", "cnemc", "table", "water-india")
#: Bumped when a reader changes what it stores for the same input, so old batches are not taken
#: for the same options.
PARSER_VERSION = 2

Progress = Callable[[str], None]


@dataclass
class FileReport:
    """One file's batch."""

    path: str
    batch_id: str
    created: bool
    counts: dict[str, int]
    messages: list[RowMessage] = field(default_factory=list)
    #: What the reader decided about the input (the batch's ledger ``provenance``), e.g. for a CNEMC
    #: file which column holds the hour's ozone and how many published AQIs that reproduces.
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "batch_id": self.batch_id,
            "created": self.created,
            "counts": self.counts,
            "provenance": self.provenance,
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


def options_digest(format_name: str, mapping: TableMapping | None, *, skip_bad_rows: bool = False) -> str:
    """A digest of everything besides the bytes that decides what is stored."""
    options: dict[str, Any] = {
        "format": format_name,
        "parser": PARSER_VERSION,
        "mapping": mapping.digest_fields() if mapping else None,
    }
    if skip_bad_rows:  # only when set: digests from before the option existed stay the same
        options["skip_bad_rows"] = True
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
    path: Path,
    format_name: str,
    mapping: TableMapping | None,
    progress: Progress | None,
    *,
    encoding: str | None,
    skip_bad_rows: bool,
) -> ParsedInput:
    if format_name == "cnemc":
        return read_cnemc(path, progress=progress, encoding=encoding or "utf-8", skip_bad_rows=skip_bad_rows)
    assert mapping is not None
    if encoding:
        mapping = dataclasses.replace(mapping, encoding=encoding)
    return read_table(path, mapping, progress=progress, skip_bad_rows=skip_bad_rows)


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
    encoding: str | None = None,
    skip_bad_rows: bool = False,
) -> IngestReport:
    """Ingest ``paths`` (one batch each); see the module docstring."""
    chosen = _mapping(format_name, mapping)
    digest = options_digest(format_name, chosen, skip_bad_rows=skip_bad_rows)

    def parse(path: Path) -> ParsedInput:
        return _parse(path, format_name, chosen, progress, encoding=encoding, skip_bad_rows=skip_bad_rows)

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
                parsed = parse(path)
                sha = hashing.result()
        if (sha, digest) in known:
            outcome = BatchOutcome.from_entry(known[(sha, digest)], created=False)
            outcome.messages = _rejected_before(path.name, known[(sha, digest)])
        else:
            parsed = parsed or parse(path)
            if progress:
                progress(f"storing {path.name} as batch {batch_identifier(parsed.source, sha, digest)}")
            outcome = store.write_batch(parsed, input_sha256=sha, options_digest=digest, strict=strict)
        reports.append(
            FileReport(
                str(path),
                outcome.batch_id,
                outcome.created,
                outcome.counts,
                outcome.messages,
                dict(outcome.entry.get("provenance") or {}),
            )
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
    return FileReport(
        parsed.input_name,
        outcome.batch_id,
        outcome.created,
        outcome.counts,
        outcome.messages,
        dict(outcome.entry.get("provenance") or {}),
    )


def ozone_provenance_text(ozone: dict[str, Any]) -> str:
    """One line for people from a CNEMC batch's ``provenance["hourly_ozone"]``."""
    column = ozone["hourly_ozone_column"]
    counts = ", ".join(f"{count:,} with {name!r}" for name, count in ozone["reproduced_rows"].items())
    swapped = " (the file's ozone labels are swapped)" if ozone["swapped"] else ""
    if ozone["status"] == "not_checked":
        return f"hourly ozone from {column!r}, NOT CHECKED against the published AQI: {ozone['reason']}"
    verdict = {
        "reproduced": "every published AQI reproduced",
        "not_reproduced": f"{ozone['rows_not_reproduced']:,} published AQI(s) NOT reproduced (rows flagged)",
    }[ozone["status"]]
    return (
        f"hourly ozone from {column!r}{swapped}: {verdict}; reproduced {counts} "
        f"of {ozone['published_rows']:,} published"
    )
