"""Alert rules as data: what fires an alert, how long it must last, how it clears, and its source.

A rule file is one JSON object (``format_version`` 1) with a list of ``rules``; each rule has an
id, a bilingual name and message, a severity, a ``condition`` (one of :data:`CONDITION_KINDS`),
the periods it must persist and clear, a cooldown, and a ``source`` that cites where its number
comes from or says that it is a configurable greenbri default. The format is described in
``docs/methodology/monitoring-alerts.md``; the bundled rules are ``alert_rules.json`` beside this
module. Every error raises :class:`~greenbri.core.errors.AlertRuleError` naming the file and the
field path (``rules[2].condition.level``).

An ``exceedance`` or ``forecast_exceedance`` condition names a limit of a standard by
``(standard, pollutant, averaging, level)``; :func:`bind_limits` looks it up in a
:class:`~greenbri.core.standards.StandardLibrary`. A limit is only ever compared with a series of
its own averaging period: a rule asking for a 1-hour PM2.5 limit of GB 3095-2012 (which has none)
is refused when it is bound.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from greenbri.core.aqi import STANDARDS as AQI_STANDARDS
from greenbri.core.catalog import Bilingual
from greenbri.core.errors import AlertRuleError, StandardError
from greenbri.core.json_reader import JsonObjectReader
from greenbri.core.standards import StandardLibrary

__all__ = [
    "CONDITION_KINDS",
    "MESSAGE_FIELDS",
    "OPERATORS",
    "SEVERITIES",
    "AlertRule",
    "BoundLimit",
    "Condition",
    "RuleSource",
    "bind_limits",
    "rules_from_document",
]

#: Condition kinds and the keys each takes (required, optional).
CONDITION_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "threshold": (("kind", "parameter", "averaging", "operator", "value", "unit"), ()),
    "aqi_category": (("kind", "standard", "measurements", "at_or_above"), ("fallback_engine",)),
    "exceedance": (("kind", "standard", "pollutant", "averaging", "level"), ()),
    "rate_of_rise": (("kind", "parameter", "averaging", "rise", "unit", "window_periods"), ()),
    "station_down": (("kind", "parameter", "averaging", "silent_periods"), ()),
    "forecast_exceedance": (
        ("kind", "standard", "pollutant", "averaging", "level", "horizon_hours"),
        ("history_days",),
    ),
}
OPERATORS = (">", ">=", "<", "<=")
#: Severities, least severe first.
SEVERITIES = ("info", "warning", "critical")
_AVERAGING_HOURS = {"1h": 1, "8h": 1, "24h": 24}
#: Placeholders a message may use, with sample values used to check templates.
MESSAGE_FIELDS: dict[str, Any] = {"station": "S", "value": 1.0, "unit": "ug/m3", "limit": 1.0, "time": "T"}
_RULE_KEYS = ("id", "name", "message", "severity", "condition", "cooldown_hours", "source")
_RULE_OPTIONAL = ("persistence_periods", "resolve_after_periods", "enabled")


@dataclass(frozen=True)
class RuleSource:
    """Where a rule's number comes from; ``greenbri_default`` marks an operator's configurable choice."""

    document: str
    location: str = ""
    note: str = ""
    greenbri_default: bool = False

    def describe(self) -> str:
        if self.greenbri_default:
            return f"greenbri default, configurable ({self.note})" if self.note else "greenbri default"
        return ", ".join(part for part in (self.document, self.location) if part)


@dataclass(frozen=True)
class BoundLimit:
    """The standard limit an ``exceedance`` or ``forecast_exceedance`` compares with."""

    value: float
    unit: str
    comparator: str
    source: str


@dataclass(frozen=True)
class Condition:
    """What makes a series step "firing". Fields not used by ``kind`` keep their defaults."""

    kind: str
    parameter: str = ""
    averaging: str = ""
    operator: str = ">"
    value: float = 0.0
    unit: str = ""
    standard: str = ""
    level: str = ""
    measurements: tuple[str, ...] = ()
    at_or_above: int = 0
    fallback_engine: str | None = None
    window_periods: int = 0
    silent_periods: int = 0
    horizon_hours: int = 0
    history_days: int = 28
    limit: BoundLimit | None = None

    @property
    def series_averaging(self) -> str:
        return "1h" if self.kind == "forecast_exceedance" else self.averaging


@dataclass(frozen=True)
class AlertRule:
    """One alert rule. Periods are steps of the series the rule reads (hours, or days for 24h)."""

    id: str
    name: Bilingual
    message: Bilingual
    severity: str
    condition: Condition
    persistence_periods: int
    resolve_after_periods: int
    cooldown_hours: float
    source: RuleSource
    enabled: bool = True

    @property
    def parameter(self) -> str:
        """The parameter of the dedupe key (``aqi`` for an AQI rule)."""
        return "aqi" if self.condition.kind == "aqi_category" else self.condition.parameter

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description, for ``greenbri monitor alerts rules``."""
        condition = {
            key: value
            for key, value in dataclasses.asdict(self.condition).items()
            if value not in ("", (), 0, None) or key == "kind"
        }
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "severity": self.severity,
            "condition": condition,
            "persistence_periods": self.persistence_periods,
            "resolve_after_periods": self.resolve_after_periods,
            "cooldown_hours": self.cooldown_hours,
            "source": self.source.describe(),
            "enabled": self.enabled,
        }


class _Reader(JsonObjectReader):
    """A JSON object of a rule file; every problem is an :class:`AlertRuleError`."""

    def fail(self, message: str, key: str | None = None, hint: str | None = None) -> NoReturn:
        field = self.field(key) if key else (self.path or None)
        where = ", ".join(part for part in (self.source, field) if part)
        raise AlertRuleError(f"{where}: {message}" if where else message, hint=hint)

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"must be a non-empty string, not {value!r}.", key)
        return value.strip()

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.data.get(key)
        if value not in allowed:
            self.fail(f"must be one of {', '.join(allowed)}, not {value!r}.", key)
        return str(value)

    def number(self, key: str, minimum: float, default: float | None = None) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            self.fail(f"must be a number of at least {minimum:g}, not {value!r}.", key)
        return float(value)

    def whole(self, key: str, minimum: int, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"must be a whole number of at least {minimum}, not {value!r}.", key)
        return value

    def bilingual(self, key: str) -> Bilingual:
        node = self.child(key)
        node.check_keys(("en", "zh"))
        return Bilingual(node.text("en"), node.text("zh"))


def _source(node: _Reader) -> RuleSource:
    node.check_keys(("document",), ("location", "note", "greenbri_default"))
    default = node.data.get("greenbri_default", False)
    if not isinstance(default, bool):
        node.fail("must be true or false.", "greenbri_default")
    source = RuleSource(node.text("document"), str(node.data.get("location", "")), "", default)
    if not default and not source.location:
        node.fail(
            "a cited source needs its table or clause.",
            "location",
            hint='give "location", or set "greenbri_default": true for an operator\'s choice.',
        )
    return dataclasses.replace(source, note=str(node.data.get("note", "")))


def _condition(node: _Reader) -> Condition:
    kind = node.choice("kind", tuple(CONDITION_KINDS))
    required, optional = CONDITION_KINDS[kind]
    node.check_keys(required, optional)
    values: dict[str, Any] = {"kind": kind}
    if "averaging" in required:
        values["averaging"] = node.choice("averaging", tuple(_AVERAGING_HOURS))
    for key in ("parameter", "standard", "level", "unit"):
        if key in required:
            values[key] = node.text(key)
    if "pollutant" in required:
        values["parameter"] = node.text("pollutant")
    if kind == "threshold":
        values["operator"] = node.choice("operator", OPERATORS)
        values["value"] = node.number("value", float("-inf"))
    if kind == "rate_of_rise":
        values["value"] = node.number("rise", 0.0)
        values["window_periods"] = node.whole("window_periods", 1)
    if kind == "station_down":
        values["silent_periods"] = node.whole("silent_periods", 1)
    if kind == "aqi_category":
        values.update(_aqi_fields(node))
    if kind == "forecast_exceedance":
        values["horizon_hours"] = node.whole("horizon_hours", 1)
        values["history_days"] = node.whole("history_days", 3, default=28)
        if values["averaging"] != "24h" or values["horizon_hours"] != 24:
            node.fail(
                "a forecast exceedance compares the mean of the forecast hours with a limit of the same "
                "averaging: only averaging 24h with horizon_hours 24 is supported.",
                "horizon_hours",
            )
    return Condition(**values)


def _aqi_fields(node: _Reader) -> dict[str, Any]:
    raw = node.data.get("measurements")
    if not isinstance(raw, list) or not raw or not all(isinstance(item, str) for item in raw):
        node.fail('must be a non-empty list of measurement keys such as "pm25_24h".', "measurements")
    averagings = {item.rpartition("_")[2] for item in raw}
    if len(averagings) != 1 or next(iter(averagings)) not in _AVERAGING_HOURS:
        node.fail(
            "all measurement keys must share one averaging period (1h, 8h or 24h).",
            "measurements",
            hint='e.g. ["pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h"].',
        )
    fallback = node.data.get("fallback_engine")
    if fallback is not None and not isinstance(fallback, str):
        node.fail("must be an engine id such as hj633-2012.", "fallback_engine")
    standard = node.text("standard")
    if standard not in AQI_STANDARDS:
        node.fail(f"must be one of {', '.join(AQI_STANDARDS)} (the AQI's standard).", "standard")
    return {
        "standard": standard,
        "measurements": tuple(raw),
        "averaging": next(iter(averagings)),
        "at_or_above": node.whole("at_or_above", 0),
        "fallback_engine": fallback,
    }


def _rule(node: _Reader) -> AlertRule:
    node.check_keys(_RULE_KEYS, _RULE_OPTIONAL)
    enabled = node.data.get("enabled", True)
    if not isinstance(enabled, bool):
        node.fail("must be true or false.", "enabled")
    message = node.bilingual("message")
    for text in (message.en, message.zh):
        try:
            text.format(**MESSAGE_FIELDS)
        except (KeyError, IndexError, ValueError) as error:
            node.fail(
                f"the message template is invalid ({error!r}).",
                "message",
                hint=f"use only the placeholders {', '.join('{' + key + '}' for key in MESSAGE_FIELDS)}.",
            )
    return AlertRule(
        id=node.text("id"),
        name=node.bilingual("name"),
        message=message,
        severity=node.choice("severity", SEVERITIES),
        condition=_condition(node.child("condition")),
        persistence_periods=node.whole("persistence_periods", 1, default=1),
        resolve_after_periods=node.whole("resolve_after_periods", 1, default=1),
        cooldown_hours=node.number("cooldown_hours", 0.0),
        source=_source(node.child("source")),
        enabled=enabled,
    )


def rules_from_document(data: Any, source: str | None = None) -> tuple[AlertRule, ...]:
    """The rules of one parsed rule file (``source``: its name, for error messages).

    Raises
    ------
    AlertRuleError
        On an unknown key, a missing or mistyped field, or a repeated rule id (naming the field).
    """
    root = _Reader(data, "", source)
    root.check_keys(("format_version", "rules"), ("description",))
    if root.data["format_version"] != 1:
        root.fail(f"unsupported format_version {root.data['format_version']!r}.", "format_version")
    raw = root.data["rules"]
    if not isinstance(raw, list):
        root.fail("must be a list of rules.", "rules")
    rules: list[AlertRule] = []
    for index, item in enumerate(raw):
        node = root.item("rules", index, item)
        rule = _rule(node)
        if any(existing.id == rule.id for existing in rules):
            node.fail(f"the rule id {rule.id!r} is used twice.", "id")
        rules.append(rule)
    return tuple(rules)


def bind_limits(
    rules: Sequence[AlertRule], library: StandardLibrary, source: str | None = None
) -> tuple[AlertRule, ...]:
    """Rules with the limit of every (forecast) exceedance looked up in ``library``.

    Raises :class:`AlertRuleError` when the standard is unknown or has no limit of that
    pollutant, averaging and level (so a 1-hour series is never held against a 24-hour limit).
    """
    bound = []
    for index, rule in enumerate(rules):
        condition = rule.condition
        if condition.kind in ("exceedance", "forecast_exceedance"):
            limit = _find_limit(library, condition, f"{source or 'rules'}, rules[{index}].condition")
            condition = dataclasses.replace(condition, limit=limit)
        bound.append(dataclasses.replace(rule, condition=condition))
    return tuple(bound)


def _find_limit(library: StandardLibrary, condition: Condition, where: str) -> BoundLimit:
    try:
        standard = library.get(condition.standard)
    except StandardError as error:
        raise AlertRuleError(f"{where}: {error.message}", hint=error.hint) from None
    matches = [
        limit
        for limit in standard.limits
        if (limit.pollutant, limit.averaging, limit.level, limit.statistic.kind)
        == (condition.parameter, condition.averaging, condition.level, "mean")
        and not limit.applies_to
    ]
    if len(matches) != 1:
        offered = sorted(
            {
                f"{item.averaging} {item.level}"
                for item in standard.limits
                if item.pollutant == condition.parameter
            }
        )
        raise AlertRuleError(
            f"{where}: {standard.id} has {len(matches)} {condition.parameter} {condition.averaging} mean "
            f"limits at level {condition.level!r}, not one.",
            hint=f"its {condition.parameter} limits are: {', '.join(offered) or 'none'}; "
            "a limit is only compared with a series of its own averaging period.",
        )
    limit = matches[0]
    citation = f"{standard.document_number} {limit.source} ({limit.level})"
    return BoundLimit(limit.value, limit.unit, limit.comparator, citation)
