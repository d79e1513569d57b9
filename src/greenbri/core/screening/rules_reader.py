"""A small reader for the JSON rule files that names the file and field path in every error.

Used by :mod:`greenbri.core.screening.rules_schema`; every problem raises
:class:`~greenbri.core.errors.StandardError` with ``source`` (the file name) and ``field`` (the
path, e.g. ``rules[3].bands.near.class``), and a hint listing what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from greenbri.core.catalog import Bilingual
from greenbri.core.json_reader import JsonObjectReader
from greenbri.core.screening.citation import Citation, Source
from greenbri.core.screening.rules import CitedValue, placeholders
from greenbri.core.screening.vocabulary import Certainty, allowed, parse_code

__all__ = ["Node"]

E = TypeVar("E", bound=Enum)


class Node(JsonObjectReader):
    """One JSON object of a rule file, with its path for error messages."""

    def keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        self.check_keys(required, optional)

    def children(self, key: str) -> list[Node]:
        raw = self.data.get(key, [])
        if not isinstance(raw, list):
            self.fail(f"must be a list, not {type(raw).__name__}.", key)
        return [self.item(key, index, item) for index, item in enumerate(raw)]

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            self.fail(f"must be a string, not {value!r}.", key)
        if required and not value.strip():
            self.fail("must not be empty.", key)
        return value.strip()

    def boolean(self, key: str, default: bool | None = None) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"must be true or false, not {value!r}.", key)
        return value

    def number(self, key: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(f"must be a number, not {value!r}.", key)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.fail(f"must lie between {minimum} and {maximum}, not {value!r}.", key)
        return float(value)

    def code(self, key: str, enum_type: type[E]) -> E:
        value = parse_code(enum_type, self.data.get(key))
        if value is None:
            self.fail(f"unknown code {self.data.get(key)!r}.", key, hint=f"use one of: {allowed(enum_type)}.")
        return value

    def codes(self, key: str, enum_type: type[E]) -> frozenset[E]:
        raw = self.data.get(key)
        if not isinstance(raw, list) or not raw:
            self.fail(
                "must be a non-empty list of codes.", key, hint=f"use codes from: {allowed(enum_type)}."
            )
        result = set()
        for index, item in enumerate(raw):
            value = parse_code(enum_type, item)
            if value is None:
                self.fail(
                    f"unknown code {item!r}.", f"{key}[{index}]", hint=f"use one of: {allowed(enum_type)}."
                )
            result.add(value)
        return frozenset(result)

    def bilingual(self, key: str, allowed_placeholders: frozenset[str] = frozenset()) -> Bilingual:
        node = self.child(key)
        node.keys(("en", "zh"))
        text = Bilingual(node.text("en"), node.text("zh"))
        try:
            unknown = placeholders(text) - allowed_placeholders
        except ValueError as error:
            self.fail(f"has a malformed placeholder ({error}).", key)
        if unknown:
            listed = ", ".join("{" + name + "}" for name in sorted(allowed_placeholders)) or "none"
            self.fail(f"uses unknown placeholders {sorted(unknown)}.", key, hint=f"allowed here: {listed}.")
        return text

    def citation(self, key: str, sources: Mapping[str, Source]) -> Citation:
        return _citation(self.child(key), sources)

    def citations(self, key: str, sources: Mapping[str, Source]) -> tuple[Citation, ...]:
        nodes = self.children(key)
        if not nodes:
            self.fail("needs at least one citation: no citation, no rule.", key)
        return tuple(_citation(node, sources) for node in nodes)

    def cited_value(
        self, key: str, sources: Mapping[str, Source], *, minimum: float, maximum: float
    ) -> CitedValue:
        node = self.child(key)
        node.keys(("value", "citation"), ("range_percent",))
        range_percent = (
            node.number("range_percent", minimum=0, maximum=100) if "range_percent" in node.data else None
        )
        return CitedValue(
            value=node.number("value", minimum=minimum, maximum=maximum),
            citations=(node.citation("citation", sources),),
            range_percent=range_percent,
        )


def _citation(node: Node, sources: Mapping[str, Source]) -> Citation:
    node.keys(("source", "section", "certainty"), ("note",))
    source_id = node.text("source")
    if source_id not in sources:
        node.fail(
            f"unknown source {source_id!r}.", "source", hint="add it to sources.json or use a listed id."
        )
    certainty = node.code("certainty", Certainty)
    note = node.text("note", required=False)
    if certainty is Certainty.UNCERTAIN and not note:
        node.fail("an uncertain citation needs a note saying what was used and why it is uncertain.", "note")
    return Citation(sources[source_id], node.text("section"), certainty, note)
