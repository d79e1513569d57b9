"""Value mappings from a file (``greenbri screen --map-values-file``): a user's own values to
greenbri's codes, e.g. AidData's "power plant - coal" to sector ``coal_power``.

Two forms:

* JSON: ``{"sector": {"power plant - coal": "coal_power"}, "status": {"Completion": "operating"}}``
* CSV with the header ``field,value,code``, one mapping a row.

Errors name the file, the row (CSV, 1 = first data row) or key (JSON) and the fix.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from greenbri.core.errors import InputError

__all__ = ["read_value_maps"]

_CSV_HEADER = ["field", "value", "code"]


def read_value_maps(path: Path) -> dict[str, dict[str, str]]:
    """The mappings ``{field: {value: code}}`` in ``path`` (.json or .csv)."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise InputError(
            "a value mapping file must be .json or .csv.",
            source=path.name,
            hint='write {"sector": {"power plant - coal": "coal_power"}} or a CSV with field,value,code.',
        )
    text = path.read_text(encoding="utf-8-sig")
    return _from_json(text, path.name) if suffix == ".json" else _from_csv(text, path.name)


def _from_json(text: str, name: str) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not valid JSON ({error.msg}).",
            source=name,
            location=f"line {error.lineno}",
            hint='write {"sector": {"power plant - coal": "coal_power"}}.',
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            "the top level must be an object of fields.",
            source=name,
            hint='write {"sector": {"power plant - coal": "coal_power"}}.',
        )
    maps: dict[str, dict[str, str]] = {}
    for field_name, values in data.items():
        if not isinstance(values, dict) or not all(isinstance(code, str) for code in values.values()):
            raise InputError(
                "must map each value to a code (text).",
                source=name,
                location=f"field {field_name!r}",
                hint=f'write "{field_name}": {{"your value": "greenbri_code"}}.',
            )
        maps[str(field_name)] = {str(value).strip(): code.strip() for value, code in values.items()}
    return maps


def _from_csv(text: str, name: str) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(text.splitlines()))
    if not rows or [cell.strip().lower() for cell in rows[0]] != _CSV_HEADER:
        raise InputError(
            "the first row must be the header field,value,code.",
            source=name,
            hint="e.g. field,value,code then sector,power plant - coal,coal_power.",
        )
    maps: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3 or not row[0].strip() or not row[2].strip():
            raise InputError(
                f"expected field,value,code with a field and a code, got {row!r}.",
                source=name,
                location=f"row {number}",
                hint="quote a value that holds a comma.",
            )
        maps.setdefault(row[0].strip(), {})[row[1].strip()] = row[2].strip()
    return maps
