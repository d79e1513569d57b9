"""Throughput of the AQI engines over 10 million readings of 6 pollutants.

Run: ``.venv/bin/python benchmarks/aqi.py [--readings N] [--repeats R]``

For each standard it draws seeded random concentrations (uniform from 0 to 1.1 x the top
of each table, or to the top for tables whose top is "not defined"), then times:

* ``compute_aqi``: truncation (US), band lookup, formula (1), rounding, the special rules,
  AQI, category, primary/exceeding masks, flags;
* a plain numpy baseline in the same run: ``np.searchsorted`` over each table's upper
  breakpoints, formula (1), and the maximum over pollutants, nothing else.

Each is run once to warm up, then ``--repeats`` times; the best time is reported. With
``--interleaved ROUNDS`` the old and new engine of each standard (HJ 633-2012 / 2026, US 2024 /
1999) then run alternately on the same concentrations, for a fair comparison on a busy
machine. Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import functools
import platform
import statistics
import time
from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from greenbri.core.aqi import BreakpointTable, compute_aqi, engine_by_id

_CN_DAILY = ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_8h")
_US_DAILY = ("pm25_24h", "pm10_24h", "so2_1h", "no2_1h", "co_8h", "o3_8h")
#: (standard, engine, a date it covers, keys): the engines of 2012 and 2024 as before, and the
#: new ones (HJ 633-2026 with its GB/T 8170 rounding and clause 5.3.1; the US 1999 table).
CASES = (
    ("cn", "hj633-2012", "2020-01-01", _CN_DAILY),
    ("cn", "hj633-2026", "2026-06-01", _CN_DAILY),
    ("us", "us-epa-2024", "2025-01-01", _US_DAILY),
    ("us", "us-epa-1999", "2005-01-01", ("pm25_24h", "pm10_24h", "so2_24h", "no2_1h", "co_8h", "o3_8h")),
)


def draw(
    tables: Mapping[str, BreakpointTable], keys: tuple[str, ...], n: int, seed: int
) -> dict[str, NDArray[np.float64]]:
    rng = np.random.default_rng(seed)
    out = {}
    for key in keys:
        table = tables[key]
        top = float(table.column("c_hi")[-1])
        out[key] = rng.uniform(0.0, top if table.top == "not_defined" else 1.1 * top, n)
    return out


def baseline(
    tables: Mapping[str, BreakpointTable], values: Mapping[str, NDArray[np.float64]]
) -> NDArray[np.float64]:
    aqi: NDArray[np.float64] | None = None
    for key, c in values.items():
        table = tables[key]
        c_hi = table.column("c_hi")
        band = np.minimum(np.searchsorted(c_hi, c), len(c_hi) - 1)
        index = table.column("slope")[band] * (c - table.column("c_lo")[band]) + table.column("i_lo")[band]
        aqi = index if aqi is None else np.maximum(aqi, index)
    assert aqi is not None
    return aqi


def best_of(function: Callable[[], object], repeats: int) -> float:
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(readings: int, rounds: int) -> None:
    """Old and new engine of each standard on the same concentrations, run alternately.

    On a shared machine the load changes between one case and the next; alternating the
    engines within each round and comparing minimum and median times is fairer than two
    separate best-of runs.
    """
    pairs = {"cn": ("hj633-2012", "hj633-2026"), "us": ("us-epa-2024", "us-epa-1999")}
    days = {engine_id: day for _, engine_id, day, _ in CASES}
    for standard, engines in pairs.items():
        # keys every engine of the pair knows (the US 1999 table has no SO2 1-hour)
        keys = (
            _CN_DAILY if standard == "cn" else ("pm25_24h", "pm10_24h", "so2_24h", "no2_1h", "co_8h", "o3_8h")
        )
        values = draw(engine_by_id(engines[0]).tables, keys, readings, seed=20240506)
        times: dict[str, list[float]] = {engine_id: [] for engine_id in engines}
        for _ in range(rounds):
            for engine_id in engines:
                start = time.perf_counter()
                compute_aqi(standard, days[engine_id], values)
                times[engine_id].append(time.perf_counter() - start)
        for engine_id, runs in times.items():
            print(
                f"{standard} ({engine_id}), interleaved: min {min(runs):.3f} s, "
                f"median {statistics.median(runs):.3f} s over {rounds} rounds"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--interleaved",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="also time old and new engines alternately",
    )
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {args.readings:,} readings x 6 pollutants"
    )
    for standard, engine_id, day, keys in CASES:
        tables = engine_by_id(engine_id).tables
        values = draw(tables, keys, args.readings, seed=20240506)
        ours = best_of(functools.partial(compute_aqi, standard, day, values), args.repeats)
        plain = best_of(functools.partial(baseline, tables, values), args.repeats)
        print(
            f"{standard} ({engine_id}): compute_aqi {args.readings / ours / 1e6:6.2f} M readings/s ({ours:.2f} s); "
            f"baseline {args.readings / plain / 1e6:6.2f} M readings/s ({plain:.2f} s); "
            f"compute_aqi takes {ours / plain:.2f}x the baseline's time"
        )
    if args.interleaved:
        interleaved(args.readings, args.interleaved)


if __name__ == "__main__":
    main()
