"""Throughput of the geodesic receptor search: 100,000 points and 5,000 lines vs 200,000 polygons.

Run: ``.venv/bin/python benchmarks/screening.py [--points N] [--lines N] [--polygons N]
[--distance-m D] [--workers W] [--repeats R] [--baseline-fraction F] [--no-baseline] [--no-full-audit] [--verify-sample N]``

Data (fixed seed, see :func:`make_receptors`, :func:`make_points`, :func:`make_lines`):

* receptors: star-shaped polygons (12-40 vertices) of radius 0.5-20 km (log-uniform) centred
  uniformly in five land boxes covering Europe, Africa, West, Central, South, South-East and
  East Asia;
* points uniformly in the same boxes; lines are random walks of 1-3 km steps, 5-200 km long.

Timed, end to end (best of ``--repeats``): :func:`search` for all projects and
:func:`greenbri.core.screening.batch.classify_batch`, which decides every project (three
dimensions, overall class, exclusion, EP4 applicability and category, next steps): points are
planned solar plants, lines planned railways, in Kazakhstan; receptors are protected areas with
an IUCN category cycling through Ia..VI and "Not Reported", so the strict-category rule matches
some; coverage says the protected-area role is covered and nothing else (other required roles
are absent, so many projects are honestly NO DATA). The :class:`Project` objects are built
outside the timed path. Then, untimed, a random sample of projects is classified one by one with
``classify`` and compared with the batch decisions, and one more run times the full audit trail
for every project (:meth:`HitTable.to_hits` and ``classify`` per project), for comparison.
Building the :class:`ReceptorLayer` happens once per dataset version and is reported separately.

The baseline is a straightforward GeoPandas implementation run in the same process on the same
data: projects grouped by UTM zone, each group and the receptors in reach of it (a ``.cx``
window) reprojected with ``to_crs``, projects buffered by the distance, ``sjoin`` with
``intersects``, then ``distance`` per joined pair. It is measured on a random subset of the
projects (``--baseline-fraction``) and scaled per project. Peak memory is the process's peak
resident set size (``resource.getrusage``) after each stage.

Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.catalog import ReceptorRole
from greenbri.core.screening.batch import BatchClassification, Decision, classify_batch
from greenbri.core.screening.classify import classify
from greenbri.core.screening.geodesic import HitTable, ReceptorLayer, search
from greenbri.core.screening.geodesic_reference import reference_distance_m
from greenbri.core.screening.hits import Coverage
from greenbri.core.screening.project import Project
from greenbri.core.screening.rules import ScreeningRules
from greenbri.core.screening.rules_files import load_rules
from greenbri.core.screening.vocabulary import Sector, Status

SEED = 20240506
#: (west, south, east, north, weight): land boxes along the Belt and Road.
LAND_BOXES = (
    (-10.0, 36.0, 40.0, 60.0, 3.0),  # Europe
    (-15.0, -30.0, 45.0, 30.0, 5.0),  # Africa
    (35.0, 12.0, 75.0, 50.0, 3.0),  # West and Central Asia
    (70.0, 8.0, 120.0, 50.0, 5.0),  # South and East Asia
    (95.0, -8.0, 125.0, 20.0, 1.5),  # South-East Asia
)
METRES_PER_DEGREE = 111_320.0

IUCN_CATEGORIES = ("Ia", "Ib", "II", "III", "IV", "V", "VI", "Not Reported")


def make_projects(projects: NDArray[np.object_]) -> list[Project]:
    """Points as planned solar plants, lines as planned railways, in Kazakhstan."""
    is_point = shapely.get_type_id(projects) == 0
    return [
        Project(
            id=f"P{index}",
            name=f"synthetic project {index}",
            sector=Sector.SOLAR_POWER if point else Sector.RAILWAY,
            status=Status.PLANNED,
            country="KAZ",
            geometry=geometry,
        )
        for index, (geometry, point) in enumerate(zip(projects, is_point.tolist(), strict=True))
    ]


def _uniform_land(rng: np.random.Generator, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    boxes = np.array(LAND_BOXES)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) * boxes[:, 4]
    which = rng.choice(len(boxes), size=n, p=area / area.sum())
    lon = rng.uniform(boxes[which, 0], boxes[which, 2])
    lat = rng.uniform(boxes[which, 1], boxes[which, 3])
    return lon, lat


def make_receptors(n: int, seed: int = SEED) -> NDArray[np.object_]:
    """``n`` star-shaped polygons, radius 0.5-20 km, 12-40 vertices."""
    rng = np.random.default_rng(seed)
    lon, lat = _uniform_land(rng, n)
    radius_m = np.exp(rng.uniform(np.log(500.0), np.log(20_000.0), n))
    vertices = rng.integers(12, 41, n)
    owner = np.repeat(np.arange(n), vertices)
    position = np.arange(owner.size) - np.repeat(np.cumsum(vertices) - vertices, vertices)
    angle = 2.0 * np.pi * position / vertices[owner]
    reach = radius_m[owner] * rng.uniform(0.6, 1.0, owner.size)
    x = lon[owner] + reach * np.sin(angle) / (METRES_PER_DEGREE * np.cos(np.radians(lat[owner])))
    y = lat[owner] + reach * np.cos(angle) / METRES_PER_DEGREE
    closing = np.cumsum(vertices) - vertices
    ring_x = np.insert(x, np.cumsum(vertices), x[closing])
    ring_y = np.insert(y, np.cumsum(vertices), y[closing])
    ring_owner = np.repeat(np.arange(n), vertices + 1)
    rings = shapely.linearrings(ring_x, ring_y, indices=ring_owner)
    return np.asarray(shapely.polygons(rings), dtype=object)


def make_points(n: int, seed: int = SEED + 1) -> NDArray[np.object_]:
    rng = np.random.default_rng(seed)
    lon, lat = _uniform_land(rng, n)
    return np.asarray(shapely.points(lon, lat), dtype=object)


def make_lines(n: int, seed: int = SEED + 2) -> NDArray[np.object_]:
    """``n`` random-walk lines 5-200 km long with 1-3 km steps."""
    rng = np.random.default_rng(seed)
    lon, lat = _uniform_land(rng, n)
    length_m = rng.uniform(5_000.0, 200_000.0, n)
    lines = []
    for k in range(n):
        steps = rng.uniform(1_000.0, 3_000.0, int(length_m[k] / 2_000.0) + 2)
        steps = steps[: max(2, int(np.searchsorted(np.cumsum(steps), length_m[k])) + 1)]
        heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0.0, 0.15, steps.size))
        dx = steps * np.sin(heading) / (METRES_PER_DEGREE * np.cos(np.radians(lat[k])))
        dy = steps * np.cos(heading) / METRES_PER_DEGREE
        lines.append(
            np.column_stack([lon[k] + np.r_[0.0, np.cumsum(dx)], lat[k] + np.r_[0.0, np.cumsum(dy)]])
        )
    coords = np.concatenate(lines)
    owner = np.repeat(np.arange(n), [len(line) for line in lines])
    return np.asarray(shapely.linestrings(coords, indices=owner), dtype=object)


def peak_rss_mib() -> float:
    """Peak resident set size of this process since start or since :func:`reset_peak_rss` (MiB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mib() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux ``clear_refs``); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def screen(
    layer: ReceptorLayer,
    projects: NDArray[np.object_],
    screened: Sequence[Project],
    coverage: tuple[Coverage, ...],
    rules: ScreeningRules,
    distance_m: float,
    workers: int,
) -> tuple[HitTable, BatchClassification, dict[str, float]]:
    """The timed end-to-end path; returns the hits, the decisions and the time of each stage (s)."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    table = search(layer, projects, distance_m, workers=workers)
    times["search"] = time.perf_counter() - start
    mark = time.perf_counter()
    decided = classify_batch(screened, [(layer, table)], coverage, rules)
    times["classify_batch"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    return table, decided, times


def full_audit_trail(
    table: HitTable,
    layer: ReceptorLayer,
    screened: Sequence[Project],
    coverage: tuple[Coverage, ...],
    rules: ScreeningRules,
) -> dict[str, float]:
    """Time of building every hit object and the full result (reasons) of every project."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    hits = table.to_hits(layer)
    times["to_hits"] = time.perf_counter() - start
    mark = time.perf_counter()
    for project, project_hits in zip(screened, hits, strict=True):
        classify(project, project_hits, coverage, rules)
    times["classify_each"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    return times


def verify_sample(decided: BatchClassification, size: int) -> None:
    """Classify ``size`` random projects one by one and compare with the batch decisions."""
    rng = np.random.default_rng(SEED + 5)
    sample = rng.choice(len(decided.projects), size=min(size, len(decided.projects)), replace=False)
    differing = sum(
        Decision.of(decided.result(int(index))) != decided.decisions[int(index)] for index in sample
    )
    classes = Counter(decision.overall.value for decision in decided.decisions)
    print(
        f"decisions: {dict(sorted(classes.items()))}; {decided.distinct_situations} distinct situations "
        f"classified; {len(sample):,} random projects re-classified one by one: {differing} differ"
    )


def geopandas_baseline(
    receptors: NDArray[np.object_], projects: NDArray[np.object_], distance_m: float
) -> tuple[float, int]:
    """Time (s) and number of (project, receptor) pairs of the per-UTM-zone GeoPandas approach."""
    import geopandas as gpd
    import pandas as pd

    start = time.perf_counter()
    receptor_frame = gpd.GeoDataFrame({"feature": np.arange(len(receptors))}, geometry=receptors, crs=4326)
    project_frame = gpd.GeoDataFrame({"project": np.arange(len(projects))}, geometry=projects, crs=4326)
    centroid = project_frame.geometry.representative_point()
    zone = np.floor((centroid.x.to_numpy() + 180.0) / 6.0).astype(int) % 60 + 1
    north = centroid.y.to_numpy() >= 0.0
    project_frame["epsg"] = np.where(north, 32600, 32700) + zone
    margin_deg = 3.0 * distance_m / METRES_PER_DEGREE
    joined = []
    for epsg, group in project_frame.groupby("epsg"):
        west, south, east, north_edge = group.total_bounds
        nearby = receptor_frame.cx[
            west - 2 * margin_deg : east + 2 * margin_deg, south - margin_deg : north_edge + margin_deg
        ]
        local_projects = group.to_crs(epsg)
        local_receptors = nearby.to_crs(epsg)
        buffered = local_projects.set_geometry(local_projects.buffer(distance_m))
        pairs = gpd.sjoin(buffered, local_receptors, predicate="intersects", how="inner")
        near = local_projects.geometry.loc[pairs.index].reset_index(drop=True)
        far = local_receptors.geometry.loc[pairs["index_right"]].reset_index(drop=True)
        pairs = pairs.assign(distance_m=near.distance(far).to_numpy())
        joined.append(pairs[["project", "feature", "distance_m"]])
    result = pd.concat(joined)
    result = result[result["distance_m"] <= distance_m]
    return time.perf_counter() - start, len(result)


def accuracy_sample(
    table: HitTable, receptors: NDArray[np.object_], projects: NDArray[np.object_], size: int, n_points: int
) -> None:
    """Largest difference from :func:`reference_distance_m` over random hits (half points, half lines)."""
    rng = np.random.default_rng(SEED + 4)
    apart = ~table.intersects
    point_rows = np.flatnonzero(apart & (table.project_index < n_points))
    line_rows = np.flatnonzero(apart & (table.project_index >= n_points))
    rows = np.concatenate(
        [
            rng.choice(point_rows, min(size // 2, point_rows.size), replace=False),
            rng.choice(line_rows, min(size - size // 2, line_rows.size), replace=False),
        ]
    )
    errors = np.array(
        [
            table.distance_m[row]
            - reference_distance_m(projects[table.project_index[row]], receptors[table.feature_index[row]])
            for row in rows
        ]
    )
    print(
        f"accuracy on {rows.size} random non-intersecting hits ({min(size // 2, point_rows.size)} point, rest line "
        f"projects) vs the brute-force reference: max |difference| {np.abs(errors).max():.2e} m, "
        f"largest excess {errors.max():.2e} m, largest shortfall {-errors.min():.2e} m"
    )


def report(label: str, times: dict[str, float], projects: int, hits: int, how: str) -> None:
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in times.items() if name != "total")
    print(
        f"greenbri {label} ({how}): {times['total']:.2f} s for {projects:,} projects = "
        f"{projects / times['total']:,.0f} projects/s ({stages}); {hits:,} hits"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--polygons", type=int, default=200_000)
    parser.add_argument("--distance-m", type=float, default=10_000.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-fraction", type=float, default=0.05)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--no-full-audit",
        action="store_true",
        help="skip the run that builds the full result (reasons) of every project",
    )
    parser.add_argument(
        "--verify-sample",
        type=int,
        default=2_000,
        help="projects re-classified one by one to check the batch",
    )
    parser.add_argument(
        "--accuracy-sample",
        type=int,
        default=0,
        help="compare this many random hits with the brute-force reference",
    )
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, shapely {shapely.__version__}")
    receptors = make_receptors(args.polygons)
    projects = np.concatenate([make_points(args.points), make_lines(args.lines)])
    print(
        f"data: {len(receptors):,} polygons ({shapely.get_num_coordinates(receptors).sum():,} vertices), "
        f"{args.points:,} points, {args.lines:,} lines; distance {args.distance_m:,.0f} m; "
        f"peak RSS {peak_rss_mib():,.0f} MiB"
    )
    start = time.perf_counter()
    layer = ReceptorLayer(
        receptors,
        ids=np.arange(len(receptors)),
        names=np.full(len(receptors), ""),
        attributes={
            "iucn_category": np.array(IUCN_CATEGORIES)[np.arange(len(receptors)) % len(IUCN_CATEGORIES)]
        },
        dataset_id="synthetic-polygons",
        version=1,
        role=ReceptorRole.PROTECTED_AREA,
    )
    print(f"layer built once in {time.perf_counter() - start:.2f} s; peak RSS {peak_rss_mib():,.0f} MiB")
    rules = load_rules()
    coverage = (Coverage(layer.role, (layer.reference,), True),)
    screened = make_projects(projects)
    best: dict[str, float] | None = None
    resident_before = current_rss_mib()
    measured_peak = reset_peak_rss()
    for _ in range(args.repeats):
        table, decided, times = screen(
            layer, projects, screened, coverage, rules, args.distance_m, args.workers
        )
        if best is None or times["total"] < best["total"]:
            best = times
    assert best is not None
    search_peak = peak_rss_mib()
    how = f"{args.workers} workers, best of {args.repeats}"
    report("end to end, search + classify_batch", best, len(projects), len(table), how)
    if measured_peak:
        print(
            f"memory: resident {resident_before:,.0f} MiB before screening (data + layer + projects); peak "
            f"while screening {search_peak:,.0f} MiB, i.e. {search_peak - resident_before:,.0f} MiB for the "
            f"search and the classification"
        )
    else:
        print(f"memory: process peak RSS {search_peak:,.0f} MiB (peak reset unsupported here)")
    if args.verify_sample:
        verify_sample(decided, args.verify_sample)
    if not args.no_full_audit:
        audit = full_audit_trail(table, layer, screened, coverage, rules)
        audit_total = best["search"] + audit["total"]
        print(
            f"full audit trail for every project (search {best['search']:.2f} s + hit objects "
            f"{audit['to_hits']:.2f} s + classify each {audit['classify_each']:.2f} s): {audit_total:.2f} s = "
            f"{len(projects) / audit_total:,.0f} projects/s"
        )
    if args.accuracy_sample:
        accuracy_sample(table, receptors, projects, args.accuracy_sample, args.points)
    if args.no_baseline:
        return
    rng = np.random.default_rng(SEED + 3)
    subset = np.sort(
        rng.choice(len(projects), size=max(1, int(len(projects) * args.baseline_fraction)), replace=False)
    )
    baseline_s, baseline_pairs = geopandas_baseline(receptors, projects[subset], args.distance_m)
    baseline_rate = len(subset) / baseline_s
    ours_subset = int(np.isin(table.project_index, subset).sum())
    rate = len(projects) / best["total"]
    print(
        f"GeoPandas per-UTM-zone baseline on {len(subset):,} projects ({args.baseline_fraction:.0%}): "
        f"{baseline_s:.2f} s = {baseline_rate:,.0f} projects/s; {baseline_pairs:,} pairs (greenbri: "
        f"{ours_subset:,} for the same projects); greenbri end to end (with classification; the baseline only searches) is "
        f"{rate / baseline_rate:.1f}x faster per project"
    )


if __name__ == "__main__":
    main()
