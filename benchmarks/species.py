"""Threatened species near projects: N projects against M occurrence points, exact geodesic distances.

Run: ``.venv/bin/python benchmarks/species.py [--projects 10000] [--points 10000000] [--distance-m 50000]
[--baseline-fraction 0.1] [--no-baseline]`` (the issue's size is the default; on a shared 2-core machine
use e.g. ``--points 1000000``: the 10 million points need several GB for the layer's attribute lists).

Data (fixed seed): projects and occurrence points uniform in the land boxes of
``benchmarks/screening.py`` (Europe, Africa, West/Central/South/East/South-East Asia). Each point
gets one of 20,000 synthetic taxa and a Red List category cycling through CR, EN, VU, NT, DD, LC,
NE with the taxon (SYNTHETIC: not a real distribution), a year, an uncertainty and a CC licence.

Timed: building the occurrence layer (once per dataset version; reported apart) and
:func:`greenbri.core.biodiversity.proximity.screen_species` for every project: every record within
the radius with its exact WGS84 geodesic distance, licence filter, per-species aggregation (nearest
record, count, years, uncertainty) and the rules. The baseline, in the same run and on the same
data, is the per-UTM-zone GeoPandas ``sjoin`` of ``benchmarks/screening.py`` (buffer in UTM,
``intersects``, planar distance per pair), measured on a random subset of the projects and scaled
per project; it finds the (project, point) pairs only, without aggregation.

Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import shapely
from screening import _uniform_land, geopandas_baseline, peak_rss_mib

from greenbri.core.biodiversity.proximity import occurrence_layer, screen_species
from greenbri.core.biodiversity.rules import load_species_rules

SEED = 20261207
CATEGORIES = ("CR", "EN", "VU", "NT", "DD", "LC", "NE")
LICENCES = ("CC0-1.0", "CC-BY-4.0", "CC-BY-NC-4.0")


def make_occurrences(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, dict[str, list[object]]]:
    rng = np.random.default_rng(seed)
    lon, lat = _uniform_land(rng, n)
    taxon = rng.integers(0, 20_000, n)
    attributes: dict[str, list[object]] = {
        "taxon_key": [f"t{value}" for value in taxon.tolist()],
        "scientific_name": [f"Species {value}" for value in taxon.tolist()],
        "species": [f"Species {value}" for value in taxon.tolist()],
        "red_list_category": [CATEGORIES[value % len(CATEGORIES)] for value in taxon.tolist()],
        "year": rng.integers(1950, 2026, n).tolist(),
        "coordinate_uncertainty_m": rng.uniform(5.0, 5_000.0, n).tolist(),
        "dataset_key": [f"d{value % 50}" for value in taxon.tolist()],
        "licence_class": [LICENCES[value] for value in rng.integers(0, 3, n).tolist()],
    }
    return lon, lat, attributes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--distance-m", type=float, default=50_000.0)
    parser.add_argument("--baseline-fraction", type=float, default=0.1)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    rules = load_species_rules()
    if args.distance_m != rules.search_buffer_m:
        raise SystemExit(f"--distance-m must equal the rules' search buffer ({rules.search_buffer_m:g} m)")
    print(f"python {platform.python_version()}, {platform.machine()}; seed {SEED}")
    rng = np.random.default_rng(SEED + 1)
    project_lon, project_lat = _uniform_land(rng, args.projects)
    projects = np.asarray(shapely.points(project_lon, project_lat), dtype=object)
    lon, lat, attributes = make_occurrences(args.points)

    start = time.perf_counter()
    layer = occurrence_layer(lon, lat, attributes, dataset_id="synthetic", version=1, coverage=("global",))
    build_s = time.perf_counter() - start
    print(f"occurrence layer: {args.points:,} points built in {build_s:.1f} s; peak RSS {peak_rss_mib():,.0f} MiB")

    start = time.perf_counter()
    results = screen_species([layer], projects, ["KAZ"] * args.projects, rules)
    search_s = time.perf_counter() - start
    species = sum(len(r.threatened) + len(r.listed_apart) + r.other_species for r in results)
    yellow = sum(r.risk_class.value == "yellow" for r in results)
    print(
        f"greenbri: {args.projects:,} projects in {search_s:.1f} s = {args.projects / search_s:,.0f} projects/s; "
        f"{species:,} (project, species) pairs within {args.distance_m / 1000:g} km; {yellow:,} projects yellow; "
        f"peak RSS {peak_rss_mib():,.0f} MiB"
    )
    if args.no_baseline:
        return
    subset_size = max(1, int(args.projects * args.baseline_fraction))
    subset = projects[np.random.default_rng(SEED + 2).choice(args.projects, subset_size, replace=False)]
    points = np.asarray(shapely.points(lon, lat), dtype=object)
    baseline_s, pairs = geopandas_baseline(points, subset, args.distance_m)
    per_project_baseline = baseline_s / subset_size
    per_project = search_s / args.projects
    print(
        f"GeoPandas per-UTM-zone sjoin baseline on {subset_size:,} projects: {baseline_s:.1f} s = "
        f"{1 / per_project_baseline:,.0f} projects/s ({pairs:,} point pairs, no aggregation); "
        f"greenbri / baseline speed ratio {per_project_baseline / per_project:.2f}"
    )


if __name__ == "__main__":
    main()
