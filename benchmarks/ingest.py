"""CSV ingest throughput: greenbri's Beijing-format ingest against a pandas baseline, in the same run.

Run: ``.venv/bin/python benchmarks/ingest.py [--copies K] [--data DIR]``

The input is the 12 real Beijing multi-site files (../shared/data/air/beijing-multisite, 420,768 rows)
concatenated ``K`` times into one uncompressed CSV; copy ``k`` renames every station to
``<station>_k`` so all keys stay distinct (the ingest sees ``K x 420,768`` rows of 18 columns and
stores 7 readings per row). Timed:

* **greenbri**: :func:`greenbri.usecases.monitoring.ingest.ingest_files` into an empty store: read,
  time zone conversion, units, QA flags, duplicate/conflict checks, partitioned Parquet, ledger.
* **baseline**: ``pandas.read_csv`` + ``melt`` to the same long layout + ``to_parquet`` (zstd):
  no time zone handling, no checks, no idempotency.

Peak memory: the process's maximum resident set (``ru_maxrss``) after each step and Arrow's pool
peak. Not a test: nothing asserts on the numbers. :func:`measure_ingest` is importable
(benchmarks/monitoring.py can include the figure).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from greenbri.adapters.monitoring.store import ReadingsStore
from greenbri.usecases.monitoring.ingest import ingest_files

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "air" / "beijing-multisite"
VALUE_COLUMNS = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3", "TEMP"]


def build_input(directory: Path, copies: int, source: Path = SHARED) -> tuple[Path, int]:
    """One CSV of ``copies`` x the 12 real files (stations renamed per copy); returns path and rows."""
    path = directory / "beijing-large.csv"
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        header_written = False
        for copy in range(copies):
            for file in sorted(source.glob("PRSA_Data_*.csv.gz")):
                with gzip.open(file, "rt", encoding="utf-8") as handle:
                    header = handle.readline()
                    if not header_written:
                        out.write(header)
                        header_written = True
                    for line in handle:
                        out.write(line.rstrip("\n")[:-1] + f'_{copy}"\n' if copy else line)
                        rows += 1
    return path, rows


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_ingest(path: Path, rows: int) -> dict[str, Any]:
    """Rows per second of greenbri's ingest of ``path`` into a fresh store (and peak memory)."""
    with tempfile.TemporaryDirectory() as store_dir:
        started = time.perf_counter()
        report = ingest_files(ReadingsStore(Path(store_dir)), [path], format_name="beijing")
        seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "readings": report.totals["readings_stored"],
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "peak_rss_mb": _peak_mb(),
        "arrow_peak_mb": pa.default_memory_pool().max_memory() / 2**20,
    }


def measure_baseline(path: Path, rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out_dir:
        started = time.perf_counter()
        frame = pd.read_csv(path, na_values=["NA"])
        long = frame.melt(id_vars=["station", "year", "month", "day", "hour"], value_vars=VALUE_COLUMNS)
        long.to_parquet(Path(out_dir) / "baseline.parquet", compression="zstd", index=False)
        seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds, "peak_rss_mb": _peak_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the 420,768 real rows (default 3)")
    parser.add_argument("--data", type=Path, default=SHARED, help="folder of the Beijing files")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="greenbri-ingest-bench-"))
    try:
        path, rows = build_input(work, arguments.copies, arguments.data)
        print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
        print(f"input: {rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB CSV")
        ours = measure_ingest(path, rows)
        base = measure_baseline(path, rows)
        print(
            f"greenbri ingest : {ours['seconds']:.2f} s, {ours['rows_per_second']:,.0f} rows/s, "
            f"{ours['readings'] / ours['seconds']:,.0f} readings/s, peak RSS {ours['peak_rss_mb']:.0f} MiB, "
            f"Arrow pool peak {ours['arrow_peak_mb']:.0f} MiB"
        )
        print(
            f"pandas baseline : {base['seconds']:.2f} s, {base['rows_per_second']:,.0f} rows/s, "
            f"peak RSS (process) {base['peak_rss_mb']:.0f} MiB"
        )
        print(f"ratio greenbri / baseline (rows/s): {ours['rows_per_second'] / base['rows_per_second']:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
