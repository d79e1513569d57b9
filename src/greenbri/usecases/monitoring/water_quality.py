"""Classify station-year water quality values into GB 3838-2002 classes (the India CPCB table).

Until the monitoring ingest reads water tables, this use case reads the file directly with
pandas: ``india_water_quality_2003-2014.csv`` (latin-1; one row per station and year; text
such as ``NAN`` means missing). Columns are matched by their leading words, so small spelling
differences of the header (``NITRATENAN N+ NITRITENANN``) do not matter. A row that is not whole
(:mod:`greenbri.adapters.readers.integrity`) refuses the table, naming the line: a cut row would
otherwise be classified from the values it kept.

Assessed items (GB 3838-2002 Table 1 basic items): dissolved oxygen (item 3), BOD5 (item 6),
pH (item 2) and fecal coliform (item 24; the file's MPN/100 ml x 10 = count per litre, the
standard's 个/L). Not assessed (not basic items): temperature (item 1 is a permitted change,
not a value), conductivity, nitrate + nitrite nitrogen, total coliform.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greenbri.adapters.readers.integrity import refusal, scan_rows
from greenbri.core.errors import InputError
from greenbri.core.monitoring.water import CLASS_LABELS, class_limits, classify_values
from greenbri.core.standards.model import Standard

__all__ = ["INDIA_COLUMNS", "classify_water_table", "read_india_table"]

#: parameter -> (leading text of the column header, factor to the standard's unit)
INDIA_COLUMNS: dict[str, tuple[str, float]] = {
    "temperature": ("TEMP", 1.0),
    "do": ("D.O.", 1.0),
    "ph": ("PH", 1.0),
    "conductivity": ("CONDUCTIVITY", 1.0),
    "bod5": ("B.O.D.", 1.0),
    "nitrate_nitrite_n": ("NITRATE", 1.0),
    "fecal_coliform": ("FECAL COLIFORM", 10.0),
    "total_coliform": ("TOTAL COLIFORM", 10.0),
}
ASSESSED = ("do", "ph", "bod5", "fecal_coliform")
NOT_ASSESSED = ("temperature", "conductivity", "nitrate_nitrite_n", "total_coliform")


def _column(frame: pd.DataFrame, prefix: str, path: Path) -> str:
    for column in frame.columns:
        if str(column).strip().upper().startswith(prefix):
            return str(column)
    raise InputError(
        f"No column starting with {prefix!r}.", source=str(path), hint="use the CPCB table layout."
    )


def read_india_table(path: Path) -> pd.DataFrame:
    """Station, location, state, year and one float column per parameter (NaN where missing)."""
    try:
        text = Path(path).read_bytes().decode("latin-1")
        bad = scan_rows(text)
        if bad:
            raise refusal(bad, str(path), skippable=False)
        raw = pd.read_csv(io.StringIO(text), dtype=str)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(f"Cannot read the water table: {error}", source=str(path)) from None
    table = pd.DataFrame(
        {
            "station": raw[_column(raw, "STATION CODE", path)].str.strip(),
            "location": raw[_column(raw, "LOCATIONS", path)].str.strip(),
            "state": raw[_column(raw, "STATE", path)].str.strip(),
            "year": pd.to_numeric(raw[_column(raw, "YEAR", path)], errors="coerce").astype("Int64"),
        }
    )
    for parameter, (prefix, factor) in INDIA_COLUMNS.items():
        values = pd.to_numeric(raw[_column(raw, prefix, path)].str.strip(), errors="coerce")
        table[parameter] = values.astype(float) * factor
    return table


def classify_water_table(table: pd.DataFrame, standard: Standard) -> list[dict[str, Any]]:
    """One record per station-year with each parameter's class and the overall class."""
    limits = [class_limits(standard, parameter) for parameter in ASSESSED]
    values = {name: table[name].to_numpy(dtype=float) for name in (*ASSESSED, *NOT_ASSESSED)}
    result = classify_values(values, limits, not_assessed=NOT_ASSESSED)
    years: list[Any] = table["year"].astype(object).where(table["year"].notna(), None).tolist()
    records = []
    for row in range(len(table)):
        overall = int(result.overall[row])
        records.append(
            {
                "station": table["station"].iat[row],
                "location": table["location"].iat[row],
                "state": table["state"].iat[row],
                "year": None if years[row] is None else int(years[row]),
                "overall": _label(overall),
                "overall_complete": bool(result.complete[row]),
                "classes": {name: _label(int(result.classes[name][row])) for name in sorted(result.classes)},
                "values": {name: _number(values[name][row]) for name in sorted(values)},
            }
        )
    return records


def _label(code: int) -> dict[str, Any]:
    english, chinese = CLASS_LABELS[code]
    return {"code": code, "en": english, "zh": chinese}


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
