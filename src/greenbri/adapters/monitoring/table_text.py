"""What the fast CSV reader of :mod:`.table_files` does not see in a table's text, and why it failed.

The rows of every CSV greenbri imports are checked by one routine
(:mod:`greenbri.adapters.readers.integrity`). Monitoring files can be hundreds of MiB, so the
Arrow reader finds short and long rows itself (in parallel) and this module adds the rest in one
streaming pass over the bytes: an **unterminated quote** or **bad quoting** (an odd number of ``"`` in the file; then,
and only then, the text is scanned row by row to name the line) and a **value cut at the end of the
file** (rule 4 of the integrity module, on the last 64 KiB). With ``--skip-bad-rows`` the file is
decoded whole and each bad row replaced by an empty row, so every other row keeps its line number;
the empty row is then rejected like any row without a time.

It also names the real cause when the reader fails: an empty file, text that is not in the
expected encoding (with the encoding the text looks like, and the option that passes it), or a
field longer than the reader's block.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
from pathlib import Path

import numpy as np
import pyarrow as pa

from greenbri.adapters.readers.encoding import decode_text
from greenbri.adapters.readers.integrity import BadRow, end_of_file_problem, scan_rows
from greenbri.core.errors import EmptyInputError, EncodingError, MalformedInputError

__all__ = ["bad_rows_at_the_end", "encoding_error", "field_too_long", "refuse_empty", "whole_rows_text"]

_TAIL_BYTES = 1 << 16
_QUOTING = ("unterminated quote", "bad quoting")
_CHUNK = 1 << 20
_QUOTE = ord('"')
_COMPRESSED = (".gz", ".bz2", ".lz4", ".zst", ".zstd")


def _stream(path: Path) -> pa.NativeFile:
    return pa.input_stream(str(path), compression="detect")


def refuse_empty(path: Path, source: str) -> None:
    """An :class:`EmptyInputError` if the file holds nothing but white space."""
    try:
        with _stream(path) as stream:
            start = stream.read(_TAIL_BYTES)
    except (OSError, pa.ArrowInvalid, EOFError):
        return  # a damaged file: the reader names that
    if start.strip():
        return
    raise EmptyInputError(
        "The file is empty." if not start else "The file holds only blank lines.",
        source=source,
        hint="check the download or the export: a table starts with a header line. Nothing was stored.",
    )


def encoding_error(path: Path, encoding: str, source: str, detail: str) -> EncodingError:
    """The file is not ``encoding`` text: say so, and name the encoding its text looks like."""
    try:
        with _stream(path) as stream:
            sample = stream.read(_TAIL_BYTES * 16)
        sample = sample[: sample.rfind(b"\n") + 1] or sample
        _, likely = decode_text(sample, source)
        guess = f" It looks like {likely} text: pass --encoding {likely}."
    except (OSError, pa.ArrowInvalid, EOFError, EncodingError):
        likely, guess = "", ""
    return EncodingError(
        f"The file is not {encoding} text ({detail}).{guess}",
        source=source,
        hint=f"pass the file's encoding with --encoding {likely or 'NAME'} (e.g. gbk, gb18030, latin-1), "
        "or save it as UTF-8. Nothing was stored.",
    )


def field_too_long(source: str, block_bytes: int) -> MalformedInputError:
    """A row longer than the reader's block: name that, not 'truncated or corrupt'."""
    return MalformedInputError(
        f"A field is too long: one row is longer than the reader's block of {block_bytes // (1 << 20)} MiB.",
        source=source,
        hint="a monitoring table's cells are short values: look for a line break missing between rows "
        "or a very long text cell, and fix or remove that row. Nothing was stored.",
    )


def _read_all(path: Path) -> tuple[int, bytes]:
    """The number of ``"`` in the file, and its last 64 KiB (a plain file is mapped, not read)."""
    if path.suffix.lower() not in _COMPRESSED:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return 0, b""
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return _count(mapped), mapped[-_TAIL_BYTES:]
    quotes, tail = 0, b""
    with _stream(path) as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            quotes += chunk.count(b'"')
            tail = chunk[-_TAIL_BYTES:] if len(chunk) >= _TAIL_BYTES else (tail + chunk)[-_TAIL_BYTES:]
    return quotes, tail


def _count(mapped: mmap.mmap) -> int:
    """``"`` in a mapped file, counted 16 MiB at a time without copying the file."""
    size, block, total = len(mapped), 1 << 24, 0
    for start in range(0, size, block):
        part = np.frombuffer(mapped, dtype=np.uint8, count=min(block, size - start), offset=start)
        total += int(np.count_nonzero(part == _QUOTE))
        del part  # the map cannot close while a view of it is alive
    return total


def bad_rows_at_the_end(path: Path, *, encoding: str, delimiter: str, row_count: int) -> list[BadRow]:
    """An unterminated quote (found anywhere) and a value cut at the end of the file (rule 4)."""
    quotes, tail = _read_all(path)
    if quotes % 2:
        found = [row for row in scan_rows(_decoded(path, encoding), delimiter) if row.reason in _QUOTING]
        if found:
            return found
    if not tail or tail.endswith((b"\n", b"\r")):
        return []
    text = tail.decode(encoding, errors="replace")
    lines = text.splitlines()[1:]  # the header, or a line cut by the start of the tail
    rows = list(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter))
    problem = end_of_file_problem(rows, row_count + 1)
    return [problem] if problem else []


def _decoded(path: Path, encoding: str) -> str:
    with _stream(path) as stream:
        data: bytes = stream.read()
    return data.decode(encoding, errors="replace")


def whole_rows_text(path: Path, *, encoding: str, delimiter: str) -> tuple[bytes, list[BadRow]]:
    """The file as UTF-8 with each bad row replaced by an empty row, and the bad rows (slow path)."""
    text = _decoded(path, encoding)
    bad = scan_rows(text, delimiter)
    if not bad:
        return text.encode("utf-8"), []
    width = len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    empty = delimiter * max(width - 1, 0) + "\n"
    lines = text.splitlines(keepends=True)
    starts = {row.first_line: row for row in bad}
    kept: list[str] = []
    number = 0
    while number < len(lines):
        row = starts.get(number + 1)
        if row is None:
            kept.append(lines[number])
            number += 1
            continue
        kept.append(empty)
        number = row.last_line
    return "".join(kept).encode("utf-8"), bad
