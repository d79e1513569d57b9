"""Alert rule files: the bundled rules load and cite their numbers; bad files name the field."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from greenbri.core.errors import AlertRuleError
from greenbri.core.monitoring import alert_rules as alert_rules_module
from greenbri.core.monitoring.alert_rules import rules_from_document
from greenbri.usecases.monitoring.alerts import load_alert_rules

RULE: dict[str, Any] = {
    "id": "test-threshold",
    "name": {"en": "Test", "zh": "测试"},
    "message": {"en": "{station} {value} {unit}", "zh": "{station} {value} {unit}"},
    "severity": "info",
    "condition": {
        "kind": "threshold",
        "parameter": "pm25",
        "averaging": "1h",
        "operator": ">=",
        "value": 100,
        "unit": "ug/m3",
    },
    "cooldown_hours": 6,
    "source": {"document": "greenbri default", "greenbri_default": True},
}


def document(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"format_version": 1, "rules": list(rules)}


def with_change(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    rule = copy.deepcopy(RULE)
    target = rule
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return rule


def test_bundled_rules_load_bind_and_cite() -> None:
    rules = load_alert_rules()
    assert len(rules) >= 10
    kinds = {rule.condition.kind for rule in rules}
    assert kinds >= {"exceedance", "aqi_category", "rate_of_rise", "station_down", "forecast_exceedance"}
    by_id = {rule.id: rule for rule in rules}
    limit = by_id["pm25-24h-gb3095-grade2"].condition.limit
    assert limit is not None and (limit.value, limit.unit) == (75.0, "ug/m3")  # GB 3095-2012 Table 1
    assert by_id["no2-1h-gb3095-grade2"].condition.limit.value == 200.0  # type: ignore[union-attr]
    for rule in rules:
        assert rule.source.greenbri_default or rule.source.location, rule.id
        assert rule.name.en and rule.name.zh and rule.message.en and rule.message.zh


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (with_change(("condition", "colour"), "red"), "rules[0].condition.colour"),
        (with_change(("severity",), "panic"), "rules[0].severity"),
        (with_change(("condition", "operator"), "=>"), "rules[0].condition.operator"),
        (with_change(("condition", "kind"), "sunspots"), "rules[0].condition.kind"),
        (with_change(("cooldown_hours",), -1), "rules[0].cooldown_hours"),
        (with_change(("name",), {"en": "only English"}), "rules[0].name.zh"),
        (with_change(("message", "en"), "{station} {colour}"), "rules[0].message"),
        (with_change(("source",), {"document": "GB 3095-2012"}), "rules[0].source.location"),
    ],
)
def test_errors_name_the_field(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(AlertRuleError, match=re.escape(f"rules.json, {field}")):
        rules_from_document(document(rule), "rules.json")


def test_an_aqi_rule_names_a_known_standard() -> None:
    bundled = json.loads((Path(alert_rules_module.__file__).parent / "alert_rules.json").read_text("utf-8"))
    aqi_rule = next(rule for rule in bundled["rules"] if rule["condition"]["kind"] == "aqi_category")
    aqi_rule["condition"]["standard"] = "xx"
    with pytest.raises(AlertRuleError, match=re.escape("rules.json, rules[0].condition.standard")):
        rules_from_document(document(aqi_rule), "rules.json")


def test_repeated_id_is_refused() -> None:
    with pytest.raises(AlertRuleError, match=r"rules\[1\]\.id.*used twice"):
        rules_from_document(document(RULE, RULE), "rules.json")


def test_exceedance_never_compares_other_averaging(tmp_path: Path) -> None:
    """GB 3095-2012 has no 1-hour PM2.5 limit: a rule asking for one is refused when bound."""
    rule = copy.deepcopy(RULE)
    rule["condition"] = {
        "kind": "exceedance",
        "standard": "cn-gb3095-2012",
        "pollutant": "pm25",
        "averaging": "1h",
        "level": "grade_2",
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document(rule)), encoding="utf-8")
    with pytest.raises(AlertRuleError, match=r"rules\[0\]\.condition.*24h grade_2"):
        load_alert_rules(path)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"format_version": 1,\n "rules": [}', encoding="utf-8")
    with pytest.raises(AlertRuleError, match="line 2"):
        load_alert_rules(path)
