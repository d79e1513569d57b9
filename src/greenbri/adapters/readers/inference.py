"""Column types for text tables, decided conservatively so that no value is changed.

pandas' own inference turns ``NA`` into a missing value everywhere (losing
Namibia's ISO code) and ``004`` into the number 4 (losing ISO numeric codes and
postcodes). Tables are therefore read as text and each text column is
converted here only when every value survives:

* numbers: every non-blank value parses as a number, apart from missing-value
  markers (``NA``, ``N/A``, ``NaN``, ``null``...) which then become NaN; but not
  when a value has a leading zero (``004``) or is an integer too long for a
  float (more than 15 digits), since those are codes, not quantities;
* booleans: every value is ``true``/``false`` (any case) and none is missing;
* everything else stays text, markers included. Dates are handled later
  (:func:`.frame.normalise_datetimes`).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["MISSING_MARKERS", "infer_types"]

#: Spellings of "no value" that count as missing in otherwise numeric columns.
MISSING_MARKERS = frozenset(
    {"NA", "N/A", "n/a", "#N/A", "#NA", "NaN", "nan", "NAN", "-NaN", "-nan", "null", "NULL", "None", "<NA>"}
)
_MARKERS = pa.array(sorted(MISSING_MARKERS), type=pa.string())
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_CODE_LIKE = r"^[+-]?0\d+$|^[+-]?\d{16,}$"


def _as_arrow(values: pd.Series) -> pa.Array:
    if values.dtype == object:
        items = [None if value is None or value != value else str(value) for value in values.tolist()]
        return pa.array(items, type=pa.string())
    return pa.array(values, from_pandas=True)


def _all(array: pa.Array, pattern: str) -> bool:
    return bool(pc.all(pc.match_substring_regex(array, pattern)).as_py())


def _any(array: pa.Array, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(array, pattern)).as_py())


def _convert(values: pd.Series) -> pd.Series | None:
    text = pc.utf8_trim_whitespace(_as_arrow(values))
    markers = pc.fill_null(pc.is_in(text, value_set=_MARKERS), False)
    cleaned = pc.if_else(markers, pa.scalar(None, text.type), text)
    cleaned = pc.if_else(pc.equal(cleaned, ""), pa.scalar(None, text.type), cleaned)
    if cleaned.null_count == len(cleaned):
        return None
    if _all(cleaned, _NUMBER) and not _any(cleaned, _CODE_LIKE):
        target = pa.int64() if _all(cleaned, _INTEGER) else pa.float64()
        try:
            numbers = pc.cast(cleaned, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # an integer beyond int64
            numbers = pc.cast(cleaned, pa.float64())
        return pd.Series(numbers.to_numpy(zero_copy_only=False), index=values.index, name=values.name)
    lowered = pc.utf8_lower(text)
    if (
        text.null_count == 0
        and not pc.any(markers).as_py()
        and bool(pc.all(pc.is_in(lowered, pa.array(["true", "false"]))).as_py())
    ):
        return pd.Series(
            pc.equal(lowered, "true").to_numpy(zero_copy_only=False), index=values.index, name=values.name
        )
    return None


def infer_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Convert text (and mixed object) columns to numbers or booleans where no value changes."""
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            converted = _convert(values)
            if converted is not None:
                frame[column] = converted
    return frame
