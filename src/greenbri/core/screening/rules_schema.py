"""Build :class:`~greenbri.core.screening.rules.ScreeningRules` from the parsed JSON rule files.

:func:`rules_from_documents` takes one parsed JSON document per file name of
:data:`RULE_FILES` and checks it against the format written down here (and in
``docs/methodology/screening.md``): no unknown keys; every code from
:mod:`greenbri.core.screening.vocabulary` (or the catalog's receptor roles); every rule and
every number with at least one citation to a listed source; an ``uncertain`` citation with a
note; text placeholders from the allowed set; next steps that exist; distance bands ordered;
and receptor rules whose class never gets worse as the distance grows (with or without
mitigation), which is what makes "moving away never makes a dimension riskier" hold.

The first problem raises :class:`~greenbri.core.errors.StandardError` naming the file and the
field path. Pure: the files are read by :mod:`greenbri.core.screening.rules_files`; the numeric
files (``ghg.json``, ``equator.json``) are read by :mod:`greenbri.core.screening.rules_schema_numbers`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import StandardError
from greenbri.core.screening.citation import Source
from greenbri.core.screening.rules import (
    AttributeCondition,
    Band,
    BandEffect,
    ExclusionRule,
    GhgClimateRule,
    MitigationEffect,
    NextStep,
    ReceptorRule,
    ReceptorRules,
    ScreeningRules,
    SectorRule,
    StackRule,
)
from greenbri.core.screening.rules_reader import Node
from greenbri.core.screening.rules_schema_numbers import read_equator, read_ghg
from greenbri.core.screening.vocabulary import (
    Dimension,
    MitigationMeasure,
    RiskClass,
    Sector,
    Status,
)

__all__ = ["FORMAT_VERSION", "RULE_FILES", "rules_from_documents"]

#: The value of ``format_version`` every rule file must carry.
FORMAT_VERSION = 1

#: The rule files, one JSON document each. A deployment may override any of them.
RULE_FILES = (
    "sources.json",
    "sectors.json",
    "receptors.json",
    "exclusions.json",
    "mitigation.json",
    "evidence_rules.json",
    "ghg.json",
    "equator.json",
    "next_steps.json",
)

RECEPTOR_PLACEHOLDERS = frozenset({"receptor_name", "receptor_id", "dataset", "distance_km", "band"})
STACK_PLACEHOLDERS = frozenset({"pollutant", "averaging", "value", "unit", "limit", "limit_unit", "standard"})
GHG_PLACEHOLDERS = frozenset({"value", "threshold"})
#: Next steps the classification itself recommends; next_steps.json must define them.
BUILTIN_STEPS = ("obtain_missing_data", "full_esia", "confirm_ep4_category", "check_ep4_scope")


def _root(
    documents: Mapping[str, Any], name: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Node:
    if name not in documents:
        raise StandardError(
            f"The rule file {name} is missing.", source=name, hint=f"rule files: {', '.join(RULE_FILES)}."
        )
    node = Node(documents[name], "", name)
    node.keys(("format_version", *keys), ("note", *optional))
    if node.data["format_version"] != FORMAT_VERSION:
        node.fail(
            f"format_version must be {FORMAT_VERSION}, not {node.data['format_version']!r}.", "format_version"
        )
    return node


def _sources(documents: Mapping[str, Any]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for node in _root(documents, "sources.json", ("sources",)).children("sources"):
        node.keys(("id", "title", "publisher", "date"), ("url", "kind", "note"))
        source = Source(
            id=node.text("id"),
            title=node.text("title"),
            publisher=node.text("publisher"),
            date=node.text("date"),
            url=node.text("url", required=False),
            kind=node.text("kind", required=False) or "document",
            note=node.text("note", required=False),
        )
        if source.kind not in ("document", "operationalisation"):
            node.fail(f"unknown kind {source.kind!r}.", "kind", hint="use document or operationalisation.")
        if source.id in sources:
            node.fail(f"the source id {source.id!r} is listed twice.", "id")
        sources[source.id] = source
    return sources


def _step_ids(node: Node, key: str, steps: Iterable[str]) -> tuple[str, ...]:
    raw = node.data.get(key, [])
    known = set(steps)
    if not isinstance(raw, list) or any(item not in known for item in raw):
        node.fail(
            f"must list next-step ids from next_steps.json, not {raw!r}.",
            key,
            hint=f"known: {', '.join(sorted(known))}.",
        )
    return tuple(raw)


def _rule_id(node: Node, seen: set[str]) -> str:
    rule_id = node.text("id")
    if rule_id in seen:
        node.fail(f"the rule id {rule_id!r} is used twice.", "id")
    seen.add(rule_id)
    return rule_id


def _known_class(node: Node, key: str) -> RiskClass:
    value = node.code(key, RiskClass)
    if value is RiskClass.NO_DATA:
        node.fail("a rule cannot give no_data; leave the entry out instead.", key)
    return value


def _sectors(
    documents: Mapping[str, Any], sources: Mapping[str, Source], seen: set[str]
) -> tuple[SectorRule, ...]:
    rules: list[SectorRule] = []
    pairs: set[tuple[Sector, Dimension]] = set()
    for node in _root(documents, "sectors.json", ("entries",)).children("entries"):
        node.keys(("id", "sector", "dimension", "class", "mitigable", "text", "citations"))
        rule = SectorRule(
            id=_rule_id(node, seen),
            sector=node.code("sector", Sector),
            dimension=node.code("dimension", Dimension),
            risk_class=_known_class(node, "class"),
            mitigable=node.boolean("mitigable"),
            text=node.bilingual("text"),
            citations=node.citations("citations", sources),
        )
        if (rule.sector, rule.dimension) in pairs:
            node.fail(f"{rule.sector.value} / {rule.dimension.value} is pre-classified twice.", "sector")
        pairs.add((rule.sector, rule.dimension))
        rules.append(rule)
    return tuple(rules)


def _bands(root: Node) -> tuple[Band, ...]:
    bands: list[Band] = []
    for index, node in enumerate(root.children("bands")):
        node.keys(("id",), ("max_distance_m",))
        band_id = node.text("id")
        if index == 0:
            if band_id != "intersects" or "max_distance_m" in node.data:
                node.fail("the first band must be {'id': 'intersects'} without a distance.")
            bands.append(Band("intersects"))
            continue
        distance = node.number("max_distance_m", minimum=0.001, maximum=20_037_509)
        if any(band.id == band_id for band in bands) or (
            len(bands) > 1 and distance <= (bands[-1].max_distance_m or 0)
        ):
            node.fail("band ids must be unique and distances strictly increasing.", "max_distance_m")
        bands.append(Band(band_id, distance))
    if not bands:
        root.fail("needs at least the 'intersects' band.", "bands")
    return tuple(bands)


def _conditions(node: Node) -> tuple[AttributeCondition, ...]:
    match = node.child("match")
    conditions = []
    for key in sorted(match.data):
        condition = match.child(key)
        if len(condition.data) != 1 or next(iter(condition.data)) not in ("in", "equals", "min"):
            condition.fail("must be exactly one of {'in': [...]}, {'equals': value}, {'min': number}.")
        operator, value = next(iter(condition.data.items()))
        if operator == "in" and (not isinstance(value, list) or not value):
            condition.fail("'in' needs a non-empty list.", operator)
        if operator == "min":
            value = condition.number("min")
        conditions.append(AttributeCondition(key, operator, tuple(value) if operator == "in" else (value,)))
    return tuple(conditions)


def _severity(effect: BandEffect | None, mitigated: bool) -> int:
    if effect is None:
        return 0
    risk = effect.risk_class.step_down() if (mitigated and effect.mitigable) else effect.risk_class
    return risk.severity


def _effects(node: Node, bands: tuple[Band, ...]) -> dict[str, BandEffect]:
    effects_node = node.child("bands")
    effects: dict[str, BandEffect] = {}
    band_ids = [band.id for band in bands]
    for band_id in effects_node.data:
        if band_id not in band_ids:
            effects_node.fail(f"unknown band {band_id!r}.", band_id, hint=f"bands: {', '.join(band_ids)}.")
        effect = effects_node.child(band_id)
        effect.keys(("class", "mitigable"))
        effects[band_id] = BandEffect(_known_class(effect, "class"), effect.boolean("mitigable"))
    if not effects:
        node.fail("needs at least one band effect.", "bands")
    for mitigated in (False, True):
        severities = [_severity(effects.get(band_id), mitigated) for band_id in band_ids]
        if any(later > earlier for earlier, later in itertools.pairwise(severities)):
            node.fail(
                "the class must not get worse as the distance grows (with or without mitigation).",
                "bands",
                hint="give farther bands the same or a milder class, and keep a farther band mitigable if a nearer one is.",
            )
    return effects


def _receptor_rule(
    node: Node, bands: tuple[Band, ...], sources: Mapping[str, Source], steps: Iterable[str], seen: set[str]
) -> ReceptorRule:
    node.keys(
        ("id", "receptor_role", "dimension", "required", "match", "bands", "text", "citations"),
        ("next_steps", "sectors"),
    )
    return ReceptorRule(
        id=_rule_id(node, seen),
        receptor_role=node.code("receptor_role", ReceptorRole),
        dimension=node.code("dimension", Dimension),
        required=node.boolean("required"),
        conditions=_conditions(node),
        effects=_effects(node, bands),
        text=node.bilingual("text", RECEPTOR_PLACEHOLDERS),
        citations=node.citations("citations", sources),
        next_steps=_step_ids(node, "next_steps", steps),
        sectors=node.codes("sectors", Sector) if "sectors" in node.data else None,
    )


def _receptors(
    documents: Mapping[str, Any], sources: Mapping[str, Source], steps: Iterable[str], seen: set[str]
) -> ReceptorRules:
    root = _root(documents, "receptors.json", ("bands", "bands_citations", "rules"))
    bands = _bands(root)
    rules = tuple(_receptor_rule(node, bands, sources, steps, seen) for node in root.children("rules"))
    return ReceptorRules(bands, root.citations("bands_citations", sources), rules)


def _exclusions(
    documents: Mapping[str, Any], sources: Mapping[str, Source], steps: Iterable[str], seen: set[str]
) -> tuple[str, tuple[ExclusionRule, ...]]:
    root = _root(documents, "exclusions.json", ("home_country", "rules"))
    home = root.text("home_country")
    rules = []
    for node in root.children("rules"):
        node.keys(
            ("id", "effect", "sectors", "statuses", "overseas_only", "text", "citations"), ("next_steps",)
        )
        effect = node.text("effect")
        if effect not in ("excluded", "prudent"):
            node.fail(f"unknown effect {effect!r}.", "effect", hint="use excluded or prudent.")
        rules.append(
            ExclusionRule(
                id=_rule_id(node, seen),
                effect=effect,
                sectors=node.codes("sectors", Sector),
                statuses=node.codes("statuses", Status),
                overseas_only=node.boolean("overseas_only"),
                text=node.bilingual("text"),
                citations=node.citations("citations", sources),
                next_steps=_step_ids(node, "next_steps", steps),
            )
        )
    return home, tuple(rules)


def _mitigation(documents: Mapping[str, Any], sources: Mapping[str, Source]) -> tuple[MitigationEffect, ...]:
    effects = []
    for node in _root(documents, "mitigation.json", ("effects",)).children("effects"):
        node.keys(("measure", "dimension", "citations"), ("sectors",))
        effects.append(
            MitigationEffect(
                measure=node.code("measure", MitigationMeasure),
                dimension=node.code("dimension", Dimension),
                citations=node.citations("citations", sources),
                sectors=node.codes("sectors", Sector) if "sectors" in node.data else None,
            )
        )
    return tuple(effects)


def _evidence(
    documents: Mapping[str, Any], sources: Mapping[str, Source], steps: Iterable[str], seen: set[str]
) -> tuple[StackRule, tuple[GhgClimateRule, ...]]:
    root = _root(documents, "evidence_rules.json", ("stack", "ghg_climate"))
    node = root.child("stack")
    node.keys(("id", "class_on_exceedance", "mitigable", "text", "citations"), ("next_steps",))
    stack = StackRule(
        id=_rule_id(node, seen),
        class_on_exceedance=_known_class(node, "class_on_exceedance"),
        mitigable=node.boolean("mitigable"),
        text=node.bilingual("text", STACK_PLACEHOLDERS),
        citations=node.citations("citations", sources),
        next_steps=_step_ids(node, "next_steps", steps),
    )
    climate = []
    for item in root.children("ghg_climate"):
        item.keys(
            ("id", "threshold_t_co2e_per_year", "class", "mitigable", "text", "citations"), ("next_steps",)
        )
        climate.append(
            GhgClimateRule(
                id=_rule_id(item, seen),
                threshold_t=item.number("threshold_t_co2e_per_year", minimum=0),
                risk_class=_known_class(item, "class"),
                mitigable=item.boolean("mitigable"),
                text=item.bilingual("text", GHG_PLACEHOLDERS),
                citations=item.citations("citations", sources),
                next_steps=_step_ids(item, "next_steps", steps),
            )
        )
    return stack, tuple(climate)


def _next_steps(documents: Mapping[str, Any], sources: Mapping[str, Source]) -> dict[str, NextStep]:
    steps: dict[str, NextStep] = {}
    for node in _root(documents, "next_steps.json", ("steps",)).children("steps"):
        node.keys(("id", "text", "citations"))
        step = NextStep(node.text("id"), node.bilingual("text"), node.citations("citations", sources))
        if step.id in steps:
            node.fail(f"the step id {step.id!r} is listed twice.", "id")
        steps[step.id] = step
    return steps


def digest(documents: Mapping[str, Any]) -> str:
    """SHA-256 of the rule documents in canonical JSON (sorted keys), identifying the rule set."""
    canonical = json.dumps(
        {name: documents[name] for name in sorted(documents)}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def rules_from_documents(documents: Mapping[str, Any]) -> ScreeningRules:
    """Check and build the rules from ``{file name: parsed JSON}`` for every name in :data:`RULE_FILES`.

    Raises
    ------
    StandardError
        Naming the file and field of the first problem (see the module docstring).
    """
    unknown = sorted(set(documents) - set(RULE_FILES))
    if unknown:
        raise StandardError(f"Unknown rule files {unknown}.", hint=f"rule files: {', '.join(RULE_FILES)}.")
    sources = _sources(documents)
    if not any(source.kind == "operationalisation" for source in sources.values()):
        raise StandardError(
            "No source of kind 'operationalisation'.",
            source="sources.json",
            hint="keep greenbri-operationalisation.",
        )
    steps = _next_steps(documents, sources)
    missing_steps = [step for step in BUILTIN_STEPS if step not in steps]
    if missing_steps:
        raise StandardError(
            f"Next steps {missing_steps} are missing.",
            source="next_steps.json",
            field="steps",
            hint="keep the built-in steps.",
        )
    seen: set[str] = set()
    home, exclusions = _exclusions(documents, sources, steps, seen)
    stack, climate = _evidence(documents, sources, steps, seen)
    return ScreeningRules(
        sources=sources,
        sectors=_sectors(documents, sources, seen),
        receptors=_receptors(documents, sources, steps, seen),
        home_country=home,
        exclusions=exclusions,
        mitigation=_mitigation(documents, sources),
        stack=stack,
        ghg_climate=climate,
        ghg=read_ghg(documents, sources, _root),
        equator=read_equator(documents, sources, steps, _root, _step_ids),
        next_steps=steps,
        digest=digest(documents),
        files=tuple(sorted(documents)),
    )
