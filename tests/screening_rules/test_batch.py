"""classify_batch: shared decisions equal classify()'s for every project (generated portfolios)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenbri.core.catalog import ReceptorRole
from greenbri.core.errors import InputError
from greenbri.core.screening.batch import Decision, classify_batch, feature_rule_codes, hit_bands
from greenbri.core.screening.classify import classify
from greenbri.core.screening.geodesic import ReceptorLayer, search
from greenbri.core.screening.hits import Coverage
from greenbri.core.screening.project import Project
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.vocabulary import MitigationMeasure, Sector, Status

RULES = load_rules()
CATEGORIES = ("Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported", None)
SECTORS = (Sector.SOLAR_POWER, Sector.COAL_POWER, Sector.RAILWAY, Sector.HYDRO_POWER, Sector.CEMENT)


def square(lon: float, lat: float, half_deg: float) -> shapely.Polygon:
    return shapely.box(lon - half_deg, lat - half_deg, lon + half_deg, lat + half_deg)


def layers(seed: int) -> list[ReceptorLayer]:
    """Protected areas (IUCN categories), World Heritage sites (some in danger) and settlements."""
    rng = np.random.default_rng(seed)
    built = []
    for role, attributes in (
        (
            ReceptorRole.PROTECTED_AREA,
            lambda n: {"iucn_category": rng.choice(np.array(CATEGORIES, dtype=object), n)},
        ),
        (ReceptorRole.WORLD_HERITAGE, lambda n: {"danger": rng.random(n) < 0.3}),
        (ReceptorRole.SETTLEMENT, lambda n: {"population": rng.integers(100, 3_000_000, n)}),
    ):
        n = int(rng.integers(5, 40))
        polygons = [
            square(lon, lat, half)
            for lon, lat, half in zip(
                rng.uniform(20.0, 21.0, n), rng.uniform(0.0, 1.0, n), rng.uniform(0.001, 0.05, n), strict=True
            )
        ]
        built.append(
            ReceptorLayer(
                np.asarray(polygons, dtype=object),
                ids=np.arange(n),
                names=np.array([f"{role.value} {k}" for k in range(n)]),
                attributes=attributes(n),
                dataset_id=role.value,
                version=1,
                role=role,
            )
        )
    return built


#: Few profiles, so that many projects share one and the hits alone must tell their decisions apart.
project_strategy = st.tuples(
    st.floats(19.8, 21.2),
    st.floats(-0.2, 1.2),
    st.sampled_from(SECTORS[:2]),
    st.sampled_from((Status.PLANNED, Status.OPERATING)),
    st.sampled_from(("KAZ", "CHN")),
    st.lists(st.just(MitigationMeasure.BIODIVERSITY_ACTION_PLAN), max_size=1),
    st.sampled_from((True, True, True, False)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 1000), rows=st.lists(project_strategy, min_size=1, max_size=80), covered=st.booleans()
)
def test_every_decision_equals_classify(seed: int, rows, covered: bool) -> None:
    built = layers(seed)
    projects = [
        Project(
            id=f"P{k}",
            name=f"project {k}",
            sector=sector,
            status=status,
            country=country,
            geometry=shapely.Point(lon, lat) if located else None,
            mitigation_measures=tuple(measures),
        )
        for k, (lon, lat, sector, status, country, measures, located) in enumerate(rows)
    ]
    # A project without geometry is still searched here (at its point), so that the shared decision
    # is also checked for hits on a project the rules treat as having no geometry.
    geometries = np.asarray([shapely.Point(lon, lat) for lon, lat, *_ in rows], dtype=object)
    radius = max(band.max_distance_m or 0.0 for band in RULES.receptors.bands)
    searched = [(layer, search(layer, geometries, radius)) for layer in built]
    coverage = [
        Coverage(layer.role, (layer.reference,), covered or layer.role is not ReceptorRole.WORLD_HERITAGE)
        for layer in built
    ]
    batch = classify_batch(projects, searched, coverage, RULES)
    hits = [[] for _ in projects]
    for layer, table in searched:
        for index, found in enumerate(table.to_hits(layer)):
            hits[index].extend(found)
    for index, project in enumerate(projects):
        assert batch.decisions[index] == Decision.of(classify(project, hits[index], coverage, RULES))


def test_bands_and_rule_codes_follow_the_rules() -> None:
    built = layers(7)
    protected = built[0]
    codes, count = feature_rule_codes(protected, RULES)
    role_rules = [rule for rule in RULES.receptors.rules if rule.receptor_role is ReceptorRole.PROTECTED_AREA]
    assert count == 2 ** len(role_rules)
    strict = next(bit for bit, rule in enumerate(role_rules) if rule.id == "BIO-PROTECTED-AREA-STRICT")
    category = protected.attributes["iucn_category"]
    assert ((codes >> strict) & 1).astype(bool).tolist() == [
        value in ("Ia", "Ib", "II") for value in category
    ]
    table = search(protected, np.asarray([shapely.Point(20.5, 0.5)], dtype=object), 60_000.0)
    bands = hit_bands(table, RULES.receptors)
    for row, hit in enumerate(table.to_hits(protected)[0]):
        band = RULES.receptors.band_of(hit)
        assert bands[row] == (-1 if band is None else RULES.receptors.bands.index(band))


def test_tables_must_cover_the_same_projects() -> None:
    built = layers(3)
    table = search(built[0], np.asarray([shapely.Point(20.5, 0.5)] * 2, dtype=object), 1_000.0)
    project = Project(id="P", name="p", sector=Sector.SOLAR_POWER, status=Status.PLANNED, country="KAZ")
    with pytest.raises(InputError, match="2 projects, the portfolio has 1"):
        classify_batch([project], [(built[0], table)], [], RULES)
