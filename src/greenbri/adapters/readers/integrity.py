"""Is every row of a delimited text file whole? One check, shared by every CSV importer.

Dataset tables (:mod:`.tabular`, so also ``screen`` project files), indicator files
(:mod:`greenbri.adapters.indicators.formats`) and monitoring tables, CNEMC and Beijing files
(:mod:`greenbri.adapters.monitoring.table_files`) all refuse a file in which a row is **bad**:

1. **short row**: a data row has fewer fields than the header (a row cut short; pandas would
   store the missing fields as null);
2. **long row**: a data row has more fields than the header (a delimiter that should be quoted);
3. **unterminated quote**: the file ends inside a quoted field, so everything from the quote on
   would be read as one value; **bad quoting**: a quoted field is followed by other text before
   the delimiter (``"N,2.1,"Dongsi"``), so the quotes do not pair up (the scan stops there);
4. **cut at end of file**: the file does not end with a line break and the last field of its last
   row looks cut:

   a. it is an unfinished number: digits followed by ``.``, or an exponent without digits
      (``300.``, ``1.5e``, ``1.5e-``); or
   b. it is empty, while that column has a value in every one of the (up to
      :data:`TAIL_ROWS`, at least :data:`MIN_EVIDENCE_ROWS`) rows before it; or
   c. it is a number with fewer digits after the decimal point than the same column has, all
      alike, in those rows (``12.3`` where the rows before all read like ``45.67``), or a lone
      sign (``-``) where those rows all hold such numbers. (A lone ``-`` elsewhere is accepted:
      it often marks a missing value.)

Blank lines are ignored. A file that ends without a line break is otherwise accepted: many
downloads do (OWID grapher files among them). What the rules **cannot** see: a number cut between
its digits in a column without a fixed number of decimals (``27.2147`` from ``27.214746`` when
other rows read ``35.72188``), and a text value cut short. For indicator sources the shrink
guard (:mod:`greenbri.usecases.indicators.ingest`) still refuses a copy that drops most rows.

A user who knows a file is damaged can have the bad rows left out (``--skip-bad-rows``); each
one is then reported by line. Rule 4 also has a direct fix: if the last row is complete, end the
file with a line break.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from greenbri.core.errors import MalformedInputError

__all__ = [
    "MIN_EVIDENCE_ROWS",
    "SKIP_HINT",
    "TAIL_ROWS",
    "BadRow",
    "end_of_file_problem",
    "refusal",
    "scan_rows",
    "without_rows",
]

#: How many rows before the last one rule 4 looks at, and how many it needs as evidence.
TAIL_ROWS = 100
MIN_EVIDENCE_ROWS = 3
SKIP_HINT = "pass --skip-bad-rows to import the other rows and have these reported by line"

_UNFINISHED = re.compile(r"^[+-]?(\d+\.|(\d+(\.\d*)?|\.\d+)[eE][+-]?)$")
_DECIMAL = re.compile(r"^[+-]?\d*\.(\d+)$|^[+-]?\d+$")


@dataclass(frozen=True)
class BadRow:
    """A row that is not whole: ``first_line``-``last_line`` are file lines (1 = the header)."""

    first_line: int
    last_line: int
    reason: str
    detail: str

    def __str__(self) -> str:
        return f"line {self.first_line}: {self.reason}: {self.detail}"


def _decimals(value: str) -> int | None:
    found = _DECIMAL.match(value.strip())
    if found is None:
        return None
    return len(found.group(1) or "")


def end_of_file_problem(rows: Sequence[Sequence[str]], last_line: int) -> BadRow | None:
    """Rule 4 for a file that ends without a line break: ``rows`` are its last data rows (the last
    one last, at most :data:`TAIL_ROWS` + 1 are looked at), ``last_line`` the line of the last."""
    if not rows or not rows[-1]:
        return None
    last = rows[-1]
    value = last[-1].strip()
    where = f"the file ends without a line break, and its last value {value!r}"
    if _UNFINISHED.match(value):
        return BadRow(last_line, last_line, "cut at end of file", f"{where} is an unfinished number")
    before = [row[len(last) - 1].strip() for row in rows[-TAIL_ROWS - 1 : -1] if len(row) == len(last)]
    if len(before) < MIN_EVIDENCE_ROWS:
        return None
    if not value and all(before):
        return BadRow(
            last_line,
            last_line,
            "cut at end of file",
            f"{where} is empty, while the {len(before)} rows before it all have a value there",
        )
    places = {_decimals(other) for other in before}
    if len(places) != 1 or None in places:
        return None
    (expected,) = places
    mine = _decimals(value)
    if not expected or (mine is None and value not in ("-", "+")):
        return None
    if mine is not None and mine >= expected:
        return None
    what = "is a lone sign" if mine is None else f"has {mine} decimals"
    return BadRow(
        last_line,
        last_line,
        "cut at end of file",
        f"{where} {what}, while the {len(before)} rows before it all have numbers with {expected} decimals",
    )


def _allow_long_fields(length: int) -> None:
    """The csv module refuses fields over 128 KiB; here a long field is no error (the limit is
    per process, and only ever raised)."""
    if csv.field_size_limit() < length + 1:
        csv.field_size_limit(min(sys.maxsize, length + 1))


def scan_rows(text: str, delimiter: str = ",") -> list[BadRow]:
    """Every bad row of the decoded ``text`` (rules 1-4 of the module docstring), in file order."""
    _allow_long_fields(len(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    bad: list[BadRow] = []
    width: int | None = None
    tail: deque[list[str]] = deque(maxlen=TAIL_ROWS + 1)
    previous_line = 0
    last_is_whole = False
    try:
        for record in reader:
            first_line, previous_line = previous_line + 1, reader.line_num
            if not record or record == [""]:
                continue
            if width is None:
                width = len(record)
                continue
            last_is_whole = len(record) == width
            if len(record) != width:
                reason = "short row" if len(record) < width else "long row"
                bad.append(
                    BadRow(
                        first_line,
                        reader.line_num,
                        reason,
                        f"{len(record)} fields where the header has {width}",
                    )
                )
                continue
            tail.append(record)
    except csv.Error as error:
        first_line = previous_line + 1
        if "unexpected end of data" in str(error):
            return [
                *bad,
                BadRow(
                    first_line,
                    reader.line_num,
                    "unterminated quote",
                    "a quoted field opened in this row is never closed, so the file ends inside it",
                ),
            ]
        return [
            *bad,
            BadRow(
                first_line,
                reader.line_num,
                "bad quoting",
                f"the quotes of this row do not pair up (read up to line {reader.line_num}: {error})",
            ),
        ]
    if last_is_whole and not text.endswith(("\n", "\r")):
        cut = end_of_file_problem(list(tail), previous_line)
        if cut is not None:
            bad.append(cut)
    return bad


def without_rows(text: str, bad: Sequence[BadRow]) -> str:
    """``text`` with the lines of the ``bad`` rows left out."""
    drop = {line for row in bad for line in range(row.first_line, row.last_line + 1)}
    lines = text.splitlines(keepends=True)
    return "".join(line for number, line in enumerate(lines, start=1) if number not in drop)


def refusal(bad: Sequence[BadRow], source: str, *, skippable: bool = True) -> MalformedInputError:
    """The error that refuses a file with bad rows: the first named, a few more listed, the count given.

    ``skippable``: the command has ``--skip-bad-rows`` (the fix names it)."""
    first = bad[0]
    others = ""
    if len(bad) > 1:
        listed = "; ".join(str(row) for row in bad[1:4]) + ("; ..." if len(bad) > 4 else "")
        others = f" ({len(bad)} bad rows in all; also {listed})"
    skip = SKIP_HINT if skippable else "fix or remove the row"
    fix = skip
    if first.reason == "cut at end of file":
        fix = f"if the last row is complete, end the file with a line break; else {skip}"
    elif first.reason in ("unterminated quote", "bad quoting"):
        fix = f'close the quote (a quote inside a quoted field is written twice: ""), or {skip}'
    return MalformedInputError(
        f"The file is not whole: {first.reason}: {first.detail}{others}. Nothing from it was stored.",
        source=source,
        location=f"line {first.first_line}",
        hint=f"the file may be truncated or damaged: copy or download it again; {fix}.",
    )
