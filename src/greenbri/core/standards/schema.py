"""Read and write the standard file format, refusing anything the format does not allow.

:func:`standard_from_dict` turns the parsed JSON of one standard file into a
:class:`~greenbri.core.standards.model.Standard`, checking it against the format written
down in code here (and described in ``docs/methodology/standards.md``):

* no unknown keys, at any level; every required key present with the right type;
* every code (kind, pollutant, averaging period, statistic, unit, comparator, level,
  certainty, jurisdiction) from :mod:`greenbri.core.standards.vocabulary`;
* citations: the standard names its issuing body and document number, every limit its
  table or clause; an ``uncertain`` limit carries a note saying why;
* dates in ISO form, ``effective_to`` never before ``effective_from``; phases inside the
  standard's dates and not overlapping; a limit's phase exists; no limit listed twice.

The first problem found raises :class:`~greenbri.core.errors.StandardError` naming the
file (``source``) and the field path (``limits[3].averaging``).
:func:`standard_to_dict` writes the same format back (defaults left out).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NoReturn, TypeVar

from greenbri.core.catalog import Bilingual
from greenbri.core.errors import StandardError
from greenbri.core.json_reader import JsonObjectReader
from greenbri.core.standards import vocabulary
from greenbri.core.standards.model import Limit, Phase, Standard, Statistic

__all__ = ["FORMAT_VERSION", "standard_from_dict", "standard_to_dict"]

#: The value of ``format_version`` this code reads and writes.
FORMAT_VERSION = 1

_STANDARD_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
_PHASE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_SCOPE = re.compile(r"^[a-z0-9_]*$")

_STANDARD_REQUIRED = (
    "format_version",
    "id",
    "jurisdiction",
    "kind",
    "title",
    "issuing_body",
    "document_number",
    "effective_from",
    "limits",
)
_STANDARD_OPTIONAL = ("url", "effective_to", "phases", "notes")
_PHASE_REQUIRED = ("id", "name", "effective_from")
_PHASE_OPTIONAL = ("effective_to",)
_LIMIT_REQUIRED = (
    "pollutant",
    "averaging",
    "statistic",
    "value",
    "unit",
    "comparator",
    "level",
    "source",
    "certainty",
)
_LIMIT_OPTIONAL = (
    "phase",
    "effective_from",
    "effective_to",
    "exceedances_allowed",
    "years_averaged",
    "applies_to",
    "reference_conditions",
    "note",
)

T = TypeVar("T")


class _Reader(JsonObjectReader):
    """Reads one JSON object of a standard file, knowing its field path for error messages."""

    def typed(self, key: str, kind: type[T], what: str) -> T:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            self.fail(f"must be {what}, not {value!r}.", key)
        return value

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        if key not in self.data:
            return default
        value = self.typed(key, str, "a string").strip()
        if required and not value:
            self.fail("must not be empty.", key)
        return value

    def code(self, key: str, allowed: Mapping[str, str], what: str) -> str:
        value = self.typed(key, str, "a string")
        if value not in allowed:
            self.fail(f"unknown {what} {value!r}.", key, hint=f"use one of: {', '.join(allowed)}.")
        return value

    def day(self, key: str) -> date:
        value = self.optional_day(key)
        if value is None:
            self.fail("a date is required.", key)
        return value

    def optional_day(self, key: str) -> date | None:
        if self.data.get(key) is None:
            return None
        value = self.typed(key, str, "an ISO date string (YYYY-MM-DD)")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO date.", key, hint="write dates as YYYY-MM-DD.")

    def number(self, key: str) -> float:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"must be a number, not {value!r}.", key)
        if not math.isfinite(value):
            self.fail("must be a finite number.", key)
        return float(value)

    def whole(self, key: str, *, minimum: int) -> int | None:
        if self.data.get(key) is None:
            return None
        value = self.typed(key, int, "a whole number")
        if value < minimum:
            self.fail(f"must be at least {minimum}, not {value}.", key)
        return value


def _bilingual(reader: _Reader, key: str) -> Bilingual:
    if isinstance(reader.data[key], str):
        return Bilingual(en=reader.text(key))
    names = reader.child(key)
    names.check_keys(("en",), ("zh",))
    return Bilingual(en=names.text("en"), zh=names.text("zh", required=False))


def _statistic(reader: _Reader) -> Statistic:
    if isinstance(reader.data["statistic"], str):
        kind = reader.code("statistic", vocabulary.STATISTICS, "statistic")
        if kind in vocabulary.STATISTICS_WITH_PARAMETER:
            reader.fail(
                f"the statistic {kind!r} needs a parameter.",
                "statistic",
                hint=f'write {{"kind": "{kind}", "parameter": ...}}.',
            )
        return Statistic(kind)
    item = reader.child("statistic")
    item.check_keys(("kind",), ("parameter",))
    kind = item.code("kind", vocabulary.STATISTICS, "statistic")
    if kind not in vocabulary.STATISTICS_WITH_PARAMETER:
        if "parameter" in item.data:
            item.fail(f"the statistic {kind!r} takes no parameter.", "parameter")
        return Statistic(kind)
    if "parameter" not in item.data:
        item.fail(f"the statistic {kind!r} needs a parameter.", "parameter")
    parameter = item.number("parameter")
    if kind == "percentile" and not 0 < parameter <= 100:
        item.fail(f"a percentile must be in (0, 100], not {parameter:g}.", "parameter")
    if kind == "nth_highest" and (parameter < 1 or parameter != int(parameter)):
        item.fail(f"a rank must be a whole number >= 1, not {parameter:g}.", "parameter")
    return Statistic(kind, parameter)


def _phase(reader: _Reader) -> Phase:
    reader.check_keys(_PHASE_REQUIRED, _PHASE_OPTIONAL)
    phase_id = reader.text("id")
    if not _PHASE_ID.match(phase_id):
        reader.fail(
            f"phase id {phase_id!r} is not valid.", "id", hint="use lower-case letters, digits, '-', '_'."
        )
    return Phase(
        phase_id,
        _bilingual(reader, "name"),
        reader.day("effective_from"),
        reader.optional_day("effective_to"),
    )


def _limit(reader: _Reader) -> Limit:
    reader.check_keys(_LIMIT_REQUIRED, _LIMIT_OPTIONAL)
    certainty = reader.code("certainty", vocabulary.CERTAINTIES, "certainty")
    note = reader.text("note", required=False)
    if certainty == "uncertain" and not note:
        reader.fail(
            "an uncertain limit needs a note.",
            "note",
            hint="say what source the value comes from and why it is uncertain.",
        )
    applies_to = reader.text("applies_to", required=False)
    if not _SCOPE.match(applies_to):
        reader.fail(
            f"{applies_to!r} is not valid.", "applies_to", hint="use lower-case letters, digits and '_'."
        )
    phase = reader.text("phase") if reader.data.get("phase") is not None else None
    return Limit(
        pollutant=reader.code("pollutant", vocabulary.POLLUTANTS, "pollutant"),
        averaging=reader.code("averaging", vocabulary.AVERAGING_PERIODS, "averaging period"),
        statistic=_statistic(reader),
        value=reader.number("value"),
        unit=reader.code("unit", vocabulary.UNITS, "unit"),
        comparator=reader.code("comparator", vocabulary.COMPARATORS, "comparator"),
        level=reader.code("level", vocabulary.LEVELS, "level"),
        source=reader.text("source"),
        certainty=certainty,
        phase=phase,
        effective_from=reader.optional_day("effective_from"),
        effective_to=reader.optional_day("effective_to"),
        exceedances_allowed=reader.whole("exceedances_allowed", minimum=0),
        years_averaged=reader.whole("years_averaged", minimum=1) or 1,
        applies_to=applies_to,
        reference_conditions=reader.text("reference_conditions", required=False),
        note=note,
    )


def _items(reader: _Reader, key: str, build: Callable[[_Reader], T]) -> tuple[T, ...]:
    values = reader.typed(key, list, "a list")
    return tuple(build(reader.item(key, index, value)) for index, value in enumerate(values))


def _check_order(start: date | None, end: date | None, fail: Callable[[str], NoReturn]) -> None:
    if start is not None and end is not None and end < start:
        fail(f"effective_to {end} is before effective_from {start}.")


def _fail_at(source: str | None, field: str) -> Callable[[str], NoReturn]:
    def fail(message: str) -> NoReturn:
        raise StandardError(message, source=source, field=field)

    return fail


def _check_phases(standard: Standard, source: str | None) -> None:
    seen: set[str] = set()
    for index, phase in enumerate(standard.phases):
        fail = _fail_at(source, f"phases[{index}]")
        if phase.id in seen:
            fail(f"the phase id {phase.id!r} is used twice.")
        seen.add(phase.id)
        _check_order(phase.effective_from, phase.effective_to, fail)
        outside_end = standard.effective_to is not None and (
            phase.effective_to is None or phase.effective_to > standard.effective_to
        )
        if phase.effective_from < standard.effective_from or outside_end:
            fail(f"phase {phase.id!r} extends outside the standard's effective dates.")
    ordered = sorted(enumerate(standard.phases), key=lambda item: item[1].effective_from)
    for (_, earlier), (index, later) in itertools.pairwise(ordered):
        if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
            _fail_at(source, f"phases[{index}]")(
                f"phase {later.id!r} overlaps phase {earlier.id!r}: a date may belong to one phase only."
            )


def _limit_key(limit: Limit) -> tuple[object, ...]:
    return (
        limit.pollutant,
        limit.averaging,
        limit.statistic,
        limit.level,
        limit.comparator,
        limit.phase,
        limit.applies_to,
        limit.effective_from,
        limit.effective_to,
    )


def _check_limits(standard: Standard, source: str | None) -> None:
    phase_ids = {phase.id for phase in standard.phases}
    seen: dict[tuple[object, ...], int] = {}
    for index, limit in enumerate(standard.limits):
        fail = _fail_at(source, f"limits[{index}]")
        if limit.phase is not None and limit.phase not in phase_ids:
            known = ", ".join(sorted(phase_ids)) or "none"
            _fail_at(source, f"limits[{index}].phase")(f"unknown phase {limit.phase!r} (phases: {known}).")
        _check_order(limit.effective_from, limit.effective_to, fail)
        if (limit.effective_from is not None and limit.effective_from < standard.effective_from) or (
            limit.effective_to is not None
            and standard.effective_to is not None
            and limit.effective_to > standard.effective_to
        ):
            fail("the limit's effective dates extend outside the standard's.")
        key = _limit_key(limit)
        if key in seen:
            fail(f"the same limit is already listed as limits[{seen[key]}].")
        seen[key] = index


def standard_from_dict(data: Any, *, source: str | None = None) -> Standard:
    """Build a :class:`Standard` from the parsed JSON of a standard file, validating it.

    Parameters
    ----------
    data
        The parsed JSON object.
    source
        The file name, used in error messages.

    Raises
    ------
    StandardError
        If anything breaks the format; the error names ``source`` and the field path.
    """
    reader = _Reader(data, "", source)
    reader.check_keys(_STANDARD_REQUIRED, _STANDARD_OPTIONAL)
    version = reader.typed("format_version", int, "a whole number")
    if version != FORMAT_VERSION:
        reader.fail(
            f"format_version {version} is not supported.", "format_version", hint=f"use {FORMAT_VERSION}."
        )
    standard_id = reader.text("id")
    if not _STANDARD_ID.match(standard_id):
        reader.fail(
            f"standard id {standard_id!r} is not valid.",
            "id",
            hint="use 2-80 lower-case letters, digits and '-', e.g. 'cn-gb3095-2012'.",
        )
    jurisdiction = reader.text("jurisdiction")
    if not vocabulary.is_jurisdiction(jurisdiction):
        reader.fail(
            f"unknown jurisdiction {jurisdiction!r}.",
            "jurisdiction",
            hint=f"use an ISO 3166-1 alpha-3 code or one of: {', '.join(vocabulary.REGIONAL_JURISDICTIONS)}.",
        )
    standard = Standard(
        id=standard_id,
        jurisdiction=jurisdiction,
        kind=reader.code("kind", vocabulary.KINDS, "kind"),
        title=_bilingual(reader, "title"),
        issuing_body=reader.text("issuing_body"),
        document_number=reader.text("document_number"),
        effective_from=reader.day("effective_from"),
        url=reader.text("url", required=False),
        effective_to=reader.optional_day("effective_to"),
        phases=_items(reader, "phases", _phase) if "phases" in reader.data else (),
        limits=_items(reader, "limits", _limit),
        notes=reader.text("notes", required=False),
    )
    if not standard.limits:
        reader.fail("a standard needs at least one limit.", "limits")
    _check_order(standard.effective_from, standard.effective_to, _fail_at(source, "effective_to"))
    _check_phases(standard, source)
    _check_limits(standard, source)
    return standard


def _date_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _statistic_to_json(statistic: Statistic) -> str | dict[str, Any]:
    if statistic.parameter is None:
        return statistic.kind
    parameter = statistic.parameter
    return {"kind": statistic.kind, "parameter": int(parameter) if parameter == int(parameter) else parameter}


def _limit_to_dict(limit: Limit) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pollutant": limit.pollutant,
        "averaging": limit.averaging,
        "statistic": _statistic_to_json(limit.statistic),
        "value": limit.value,
        "unit": limit.unit,
        "comparator": limit.comparator,
        "level": limit.level,
        "source": limit.source,
        "certainty": limit.certainty,
    }
    optional: dict[str, Any] = {
        "phase": limit.phase,
        "effective_from": _date_text(limit.effective_from),
        "effective_to": _date_text(limit.effective_to),
        "exceedances_allowed": limit.exceedances_allowed,
        "years_averaged": limit.years_averaged if limit.years_averaged != 1 else None,
        "applies_to": limit.applies_to,
        "reference_conditions": limit.reference_conditions,
        "note": limit.note,
    }
    data.update({key: value for key, value in optional.items() if value not in (None, "")})
    return data


def standard_to_dict(standard: Standard) -> dict[str, Any]:
    """The JSON-ready form of ``standard``; ``standard_from_dict(standard_to_dict(s)) == s``."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "id": standard.id,
        "jurisdiction": standard.jurisdiction,
        "kind": standard.kind,
        "title": standard.title.to_dict(),
        "issuing_body": standard.issuing_body,
        "document_number": standard.document_number,
        "url": standard.url,
        "effective_from": standard.effective_from.isoformat(),
        "effective_to": _date_text(standard.effective_to),
    }
    if standard.phases:
        data["phases"] = [
            {
                "id": phase.id,
                "name": phase.name.to_dict(),
                "effective_from": phase.effective_from.isoformat(),
                "effective_to": _date_text(phase.effective_to),
            }
            for phase in standard.phases
        ]
    if standard.notes:
        data["notes"] = standard.notes
    data["limits"] = [_limit_to_dict(limit) for limit in standard.limits]
    return data
