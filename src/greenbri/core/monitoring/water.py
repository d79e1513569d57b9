"""Surface-water classes of GB 3838-2002 (地表水环境质量标准) for station values.

GB 3838-2002 Table 1 (basic items) gives, per item, the limit of each class I-V; a value
meets a class when it meets that class's limit, and a water body's class is the worst class
of its items (the notes of ``cn-gb3838-2002.json``: "a water body meets a class when every
item meets that class's value"). The limits are read from the standards library (never
written here); the direction comes from each limit's comparator: dissolved oxygen is a
minimum (``>=``), pH a range (6-9 in every class), the others maxima.

Codes (:data:`CLASS_LABELS`): 1-5 = classes I-V, 6 = worse than class V (劣V类),
0 = NO DATA (the value is missing: never class I), -1 = not assessed (the parameter is not
a GB 3838-2002 basic item, e.g. conductivity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from greenbri.core.errors import StandardError
from greenbri.core.standards.model import Limit, Standard

__all__ = [
    "CLASS_LABELS",
    "NOT_ASSESSED",
    "NO_DATA",
    "WORSE_THAN_V",
    "ClassLimits",
    "WaterClassification",
    "class_limits",
    "classify",
    "classify_values",
]

NO_DATA = 0
NOT_ASSESSED = -1
WORSE_THAN_V = 6
_LEVELS = ("class_I", "class_II", "class_III", "class_IV", "class_V")

#: Code -> (English, Chinese) label.
CLASS_LABELS: Mapping[int, tuple[str, str]] = {
    NOT_ASSESSED: ("not assessed", "不评价"),
    NO_DATA: ("NO DATA", "无数据"),
    1: ("class I", "I类"),
    2: ("class II", "II类"),
    3: ("class III", "III类"),
    4: ("class IV", "IV类"),
    5: ("class V", "V类"),
    WORSE_THAN_V: ("worse than class V", "劣V类"),
}

Int8Array = NDArray[np.int8]


@dataclass(frozen=True)
class ClassLimits:
    """The bounds of one item for classes I-V: ``(comparator, value)`` pairs per class."""

    parameter: str
    unit: str
    bounds: tuple[tuple[tuple[str, float], ...], ...]
    sources: tuple[str, ...]

    def meets(self, values: NDArray[np.float64], class_number: int) -> NDArray[np.bool_]:
        """Whether each value meets every bound of class ``class_number`` (1-5)."""
        result = np.ones(values.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            for comparator, limit in self.bounds[class_number - 1]:
                result &= values >= limit if comparator == ">=" else values <= limit
        return result


def class_limits(standard: Standard, parameter: str, *, applies_to: str = "") -> ClassLimits:
    """The class I-V bounds of ``parameter`` in ``standard`` (``applies_to``: "" rivers, ``lake_reservoir``)."""
    chosen = [
        limit for limit in standard.limits if limit.pollutant == parameter and limit.applies_to == applies_to
    ]
    by_level: dict[str, list[Limit]] = {level: [] for level in _LEVELS}
    for limit in chosen:
        if limit.level in by_level:
            by_level[limit.level].append(limit)
    missing = [level for level, limits in by_level.items() if not limits]
    if missing:
        raise StandardError(
            f"{standard.id} has no {', '.join(missing)} limit for {parameter!r}"
            + (f" ({applies_to})" if applies_to else "")
            + ".",
            hint="classify only basic items of the standard; report other parameters as not assessed.",
        )
    units = {limit.unit for limit in chosen}
    if len(units) != 1:
        raise StandardError(f"{standard.id} gives {parameter!r} in several units: {sorted(units)}.")
    return ClassLimits(
        parameter=parameter,
        unit=units.pop(),
        bounds=tuple(tuple((lim.comparator, lim.value) for lim in by_level[level]) for level in _LEVELS),
        sources=tuple(sorted({f"{standard.document_number} {limit.source}" for limit in chosen})),
    )


def classify(values: ArrayLike, limits: ClassLimits) -> Int8Array:
    """Class code of each value (1-5, 6 worse than V, 0 NO DATA for NaN)."""
    data = np.asarray(values, dtype=np.float64)
    codes = np.full(data.shape, WORSE_THAN_V, dtype=np.int8)
    for class_number in range(len(_LEVELS), 0, -1):
        codes[limits.meets(data, class_number)] = class_number
    codes[np.isnan(data)] = NO_DATA
    return codes


@dataclass(frozen=True)
class WaterClassification:
    """Per-parameter classes and the overall class of many station-years.

    ``overall`` is the worst class of the assessed parameters that have data; NO DATA when
    none has. ``complete`` is False where an assessed parameter had no data: the overall
    class is then a best case (the missing item could only make it worse).
    """

    parameters: tuple[str, ...]
    classes: Mapping[str, Int8Array]
    overall: Int8Array
    complete: NDArray[np.bool_]
    not_assessed: tuple[str, ...]


def classify_values(
    values: Mapping[str, ArrayLike], limits: Sequence[ClassLimits], *, not_assessed: Sequence[str] = ()
) -> WaterClassification:
    """Classify each parameter with its limits and combine them into the overall class."""
    by_parameter = {item.parameter: item for item in limits}
    unknown = sorted(set(values) - set(by_parameter) - set(not_assessed))
    if unknown:
        raise StandardError(
            f"No class limits were given for {', '.join(unknown)}.",
            hint="pass their ClassLimits or list them as not assessed.",
        )
    assessed = tuple(sorted(set(values) & set(by_parameter)))
    if not assessed:
        raise StandardError("None of the parameters is assessed.", hint="give at least one basic item.")
    classes = {name: classify(values[name], by_parameter[name]) for name in assessed}
    stacked = np.stack([classes[name] for name in assessed])
    overall = stacked.max(axis=0).astype(np.int8)  # NO DATA (0) is below every class
    complete = (stacked != NO_DATA).all(axis=0)
    for name in not_assessed:
        if name in values:
            classes[name] = np.full(np.shape(values[name]), NOT_ASSESSED, dtype=np.int8)
    return WaterClassification(
        assessed, classes, overall, complete, tuple(sorted(n for n in not_assessed if n in values))
    )
