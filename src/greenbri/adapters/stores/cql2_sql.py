"""CQL2 filters (OGC API - Features Part 3) as SQL with bound parameters, for DuckDB and PostGIS.

:func:`parse_filter` reads CQL2 text or CQL2 JSON with the maintained ``cql2`` parser (which also
validates it against the standard's JSON schema) and returns the standard's JSON form.
:func:`to_sql` walks that JSON and writes a WHERE condition whose every value is a bound parameter
(``?`` for DuckDB, ``%s`` for psycopg); property names are checked against the queryables and quoted.
``cql2``'s own ``to_sql`` is not used: it writes the values into the SQL text.

Supported (OGC 21-065 CQL2 conformance classes): Basic CQL2 (``and or not = <> < <= > >= isNull``),
Advanced Comparison (``like between in``), Basic and Spatial Functions (``s_intersects s_disjoint
s_equals s_touches s_within s_overlaps s_crosses s_contains`` on the geometry and a GeoJSON geometry
or ``bbox`` literal in CRS84) and Temporal Functions on instants (``t_after t_before t_equals
t_intersects t_disjoint t_during`` and the other interval relations of an instant property against
an interval). Arithmetic and custom functions are refused with a message naming them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from greenbri.core.errors import InputError

__all__ = ["Dialect", "parse_filter", "to_sql"]

_COMPARISONS = {"=": "=", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_SPATIAL = {
    "s_intersects": "ST_Intersects",
    "s_disjoint": "ST_Disjoint",
    "s_equals": "ST_Equals",
    "s_touches": "ST_Touches",
    "s_within": "ST_Within",
    "s_overlaps": "ST_Overlaps",
    "s_crosses": "ST_Crosses",
    "s_contains": "ST_Contains",
}
_HINT = (
    "write e.g. filter=population > 1000000 AND S_INTERSECTS(geometry, BBOX(100,20,110,30)); "
    "see /collections/{collectionId}/queryables for the names."
)


@dataclass(frozen=True)
class Dialect:
    """How one database spells a parameter, a GeoJSON literal and an envelope."""

    name: str
    placeholder: str
    geojson: str
    envelope: str
    timestamp: str = "CAST({} AS TIMESTAMPTZ)"


DUCKDB = Dialect("duckdb", "?", "ST_GeomFromGeoJSON(?)", "ST_MakeEnvelope(?, ?, ?, ?)")
POSTGIS = Dialect(
    "postgis", "%s", "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)", "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
)
DIALECTS = {dialect.name: dialect for dialect in (DUCKDB, POSTGIS)}


def parse_filter(text: str, language: str | None = None) -> dict[str, Any]:
    """CQL2 text or JSON (``language`` ``cql2-text``/``cql2-json``, or guessed) as validated CQL2 JSON."""
    import cql2

    chosen = language or ("cql2-json" if text.lstrip().startswith("{") else "cql2-text")
    if chosen not in ("cql2-text", "cql2-json"):
        raise InputError(
            f"filter-lang={chosen!r} is not supported.", hint="use filter-lang=cql2-text or cql2-json."
        )
    try:
        expression = cql2.parse_json(text) if chosen == "cql2-json" else cql2.parse_text(text)
        result: dict[str, Any] = expression.to_json()
        depth = nesting_depth(result)
        if depth > MAX_FILTER_DEPTH:
            raise InputError(
                f"filter nests {depth} levels deep; greenbri accepts at most {MAX_FILTER_DEPTH}.",
                hint="write the condition with fewer nested NOT/AND/OR (flat AND/OR lists and IN lists are fine).",
            )
        expression.validate()
    except (ValueError, cql2.ParseError, cql2.ValidationError) as error:
        detail = " ".join(str(error).split()) or type(error).__name__
        raise InputError(f"filter is not valid {chosen}: {detail[:300]}", hint=_HINT) from None
    return result


#: Deepest nesting of a CQL2 expression (as counted by :func:`nesting_depth`) greenbri validates. A
#: product limit, not from the standard: cql2's validation time grows with nesting and holds the
#: interpreter while it runs (cql2 0.6.0, warm, one core: 1 NOT 0.03 s, 10 nested NOTs (depth 13)
#: 0.14 s, 25 0.50 s, 120 2.9 s, 500 over 90 s), so one deeply nested filter would stall every other
#: request. Real filters nest a few levels (``a > 1 AND b < 2`` is depth 4).
MAX_FILTER_DEPTH = 12


def nesting_depth(node: Any) -> int:
    """How deep ``node`` (CQL2 JSON) nests, counted without recursion (a hostile filter may nest
    thousands of levels)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth) for child in item)
    return deepest


@dataclass
class _Writer:
    columns: Mapping[str, str]
    geometry: str
    dialect: Dialect
    values: list[Any] = field(default_factory=list)

    def value(self, value: Any) -> str:
        self.values.append(value)
        return self.dialect.placeholder

    def write(self, node: Any) -> str:
        if not isinstance(node, dict) or "op" not in node:
            raise InputError(f"filter: {json.dumps(node)[:120]} is not a condition.", hint=_HINT)
        operation = str(node["op"])
        arguments = node.get("args", [])
        handler = _HANDLERS.get(operation)
        if handler is not None:
            return handler(self, arguments)
        if operation in _COMPARISONS:
            left, right = (self.scalar(argument) for argument in arguments)
            return f"({left} {_COMPARISONS[operation]} {right})"
        if operation in _SPATIAL:
            left, right = (self.spatial(argument) for argument in arguments)
            return f"{_SPATIAL[operation]}({left}, {right})"
        if operation.startswith("t_"):
            return self.temporal(operation, arguments)
        raise InputError(
            f"filter: the operator {operation!r} is not supported here.",
            hint="use comparisons, LIKE, BETWEEN, IN, IS NULL, AND/OR/NOT, S_* spatial and T_* temporal operators.",
        )

    def property(self, name: str) -> str:
        if name == self.geometry or name not in self.columns:
            known = ", ".join(sorted(self.columns))
            raise InputError(
                f"filter: {name!r} is not a queryable property of this collection.",
                hint=f"use one of: {known} (and {self.geometry} in S_* operators).",
            )
        quoted = '"' + name.replace('"', '""') + '"'
        if self.columns[name].startswith(("timestamp", "date")):
            return self.dialect.timestamp.format(quoted)
        return quoted

    def scalar(self, node: Any) -> str:
        if isinstance(node, dict):
            if "property" in node:
                return self.property(str(node["property"]))
            if "timestamp" in node or "date" in node:
                return self.dialect.timestamp.format(self.value(_instant(node)))
            raise InputError(f"filter: {json.dumps(node)[:120]} cannot be compared here.", hint=_HINT)
        if isinstance(node, bool | int | float | str):
            return self.value(node)
        raise InputError(f"filter: {json.dumps(node)[:120]} is not a value.", hint=_HINT)

    def spatial(self, node: Any) -> str:
        if isinstance(node, dict) and node.get("property") == self.geometry:
            return "geometry"
        if isinstance(node, dict) and "bbox" in node:
            box = [float(number) for number in node["bbox"]]
            if len(box) == 6:
                box = [box[0], box[1], box[3], box[4]]
            if len(box) != 4:
                raise InputError("filter: a BBOX has 4 (or 6) numbers.", hint=_HINT)
            self.values.extend(box)
            return self.dialect.envelope
        if isinstance(node, dict) and "type" in node:
            self.values.append(json.dumps(node))
            return self.dialect.geojson
        raise InputError(
            f"filter: {json.dumps(node)[:120]} is not the geometry property ({self.geometry}) or a geometry.",
            hint="give the geometry property and a WKT geometry or BBOX(minx,miny,maxx,maxy) in CRS84.",
        )

    def temporal(self, operation: str, arguments: list[Any]) -> str:
        subject, other = arguments
        if not (isinstance(subject, dict) and "property" in subject):
            subject, other = other, subject
            operation = _REVERSED.get(operation, operation)
        rule = _TEMPORAL.get(operation)
        if rule is None:
            raise InputError(f"filter: the temporal operator {operation!r} is not supported.", hint=_HINT)
        left = self.scalar(subject)
        ends = dict(zip(("low", "high"), _bounds(other), strict=True))
        kept = []
        relation = rule(ends["low"], ends["high"])
        holds = bool(relation)
        for comparison, end in relation:
            if ends[end] is not None:
                kept.append((comparison, end))
            elif not _OPEN_END_HOLDS.get((comparison, end), False):
                holds, kept = False, []
                break
        conditions = [
            f"{left} {comparison} {self.dialect.timestamp.format(self.value(ends[end]))}"
            for comparison, end in kept
        ]
        joined = "(" + " AND ".join(conditions) + ")" if conditions else ("TRUE" if holds else "FALSE")
        return f"(NOT {joined})" if operation == "t_disjoint" else joined


def _instant(node: dict[str, Any]) -> str:
    text = str(node.get("timestamp") or node.get("date"))
    return text if "timestamp" in node else text + "T00:00:00Z"


def _bounds(node: Any) -> tuple[str | None, str | None]:
    """An instant is an interval of one instant; ``..`` is an open end."""
    if isinstance(node, dict) and "interval" in node:
        ends: list[str | None] = []
        for end in node["interval"]:
            if end == "..":
                ends.append(None)
            elif isinstance(end, dict):
                ends.append(_instant(end))
            else:
                ends.append(str(end) if "T" in str(end) else str(end) + "T00:00:00Z")
        return ends[0], ends[1]
    if isinstance(node, dict) and ("timestamp" in node or "date" in node):
        instant = _instant(node)
        return instant, instant
    raise InputError(f"filter: {json.dumps(node)[:120]} is not a time instant or interval.", hint=_HINT)


# An instant property against an interval [low, high] (Allen's relations as CQL2 defines them, OGC
# 21-065r2 section 6.7): the comparisons that make each relation hold. For an instant the relations
# that need a duration on the left (t_begins, t_overlaps, ...) never hold: no comparisons, FALSE.
_Ends = list[tuple[str, str]]
_TEMPORAL: dict[str, Callable[[str | None, str | None], _Ends]] = {
    "t_after": lambda low, high: [(">", "high")],
    "t_before": lambda low, high: [("<", "low")],
    "t_equals": lambda low, high: [("=", "low"), ("=", "high")],
    "t_intersects": lambda low, high: [(">=", "low"), ("<=", "high")],
    "t_disjoint": lambda low, high: [(">=", "low"), ("<=", "high")],
    "t_during": lambda low, high: [(">", "low"), ("<", "high")],
    "t_meets": lambda low, high: [("=", "low")] if low != high else [],
    "t_metby": lambda low, high: [("=", "high")] if low != high else [],
    "t_contains": lambda low, high: [("=", "low")] if low == high else [],
    "t_begins": lambda low, high: [],
    "t_ends": lambda low, high: [],
    "t_overlaps": lambda low, high: [],
    "t_overlappedby": lambda low, high: [],
    "t_startedby": lambda low, high: [],
    "t_finishedby": lambda low, high: [],
}  # fmt: skip
#: Whether a comparison with an open end (``..``) of an interval holds: anything is before an open
#: end and after an open start; nothing equals one, or is after an open end.
_OPEN_END_HOLDS = {("<", "high"): True, ("<=", "high"): True, (">", "low"): True, (">=", "low"): True}
_REVERSED = {"t_after": "t_before", "t_before": "t_after", "t_during": "t_contains", "t_contains": "t_during"}


def _logical(word: str) -> Callable[[_Writer, list[Any]], str]:
    def write(writer: _Writer, arguments: list[Any]) -> str:
        return "(" + f" {word} ".join(writer.write(argument) for argument in arguments) + ")"

    return write


def _not(writer: _Writer, arguments: list[Any]) -> str:
    return f"(NOT {writer.write(arguments[0])})"


def _is_null(writer: _Writer, arguments: list[Any]) -> str:
    return f"({writer.scalar(arguments[0])} IS NULL)"


def _like(writer: _Writer, arguments: list[Any]) -> str:
    left, pattern = (writer.scalar(argument) for argument in arguments)
    return f"(CAST({left} AS VARCHAR) LIKE {pattern})"


def _between(writer: _Writer, arguments: list[Any]) -> str:
    subject, low, high = (writer.scalar(argument) for argument in arguments)
    return f"({subject} BETWEEN {low} AND {high})"


def _in(writer: _Writer, arguments: list[Any]) -> str:
    subject, options = arguments
    if not isinstance(options, list) or not options:
        raise InputError("filter: IN needs a non-empty list of values.", hint=_HINT)
    return f"({writer.scalar(subject)} IN (" + ", ".join(writer.scalar(item) for item in options) + "))"


_HANDLERS: dict[str, Callable[[_Writer, list[Any]], str]] = {
    "and": _logical("AND"),
    "or": _logical("OR"),
    "not": _not,
    "isNull": _is_null,
    "like": _like,
    "between": _between,
    "in": _in,
}


def to_sql(
    expression: Mapping[str, Any],
    columns: Mapping[str, str],
    *,
    geometry: str = "geometry",
    dialect: str = "duckdb",
) -> tuple[str, list[Any]]:
    """A WHERE condition for ``expression`` (CQL2 JSON) and its parameters, in order.

    ``columns`` maps each queryable property to its storage type (timestamps and dates are compared
    as ``TIMESTAMPTZ``); the geometry column is ``geometry``, CRS84.
    """
    writer = _Writer(columns, geometry, DIALECTS[dialect])
    return writer.write(dict(expression)), writer.values
