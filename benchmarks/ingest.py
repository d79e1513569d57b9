"""CSV ingest throughput: greenbri's Beijing-format ingest against two baselines, in the same run.

Run: ``.venv/bin/python benchmarks/ingest.py [--rows N] [--seed S]`` (or ``--copies K`` to use the
12 real Beijing multi-site files, 420,768 rows, ``K`` times with the stations renamed per copy).

The input is a Beijing-style CSV (the 18 columns of the UCI files, 7 parameters per row, ``NA`` for
about 2 % of the values, one station's hours after another's), generated with a fixed seed: ``N``
rows, 35,064 hours (4 years) per station (text unquoted, unlike the real files). Each measurement runs in its own process, so its peak
resident memory (``ru_maxrss``) is its own. Timed (wall and CPU seconds of the process):

* **greenbri**: :func:`greenbri.usecases.monitoring.ingest.ingest_files` into an empty store: sha256,
  read, time zone conversion, units, QA flags, duplicate check, partitioned Parquet, fsync, ledger.
* **greenbri no-op**: the same file again (same bytes and options: nothing is parsed or written).
* **greenbri overlap**: a second file, the second half of every station's hours plus as many new
  hours (late data), 5 values changed: half its readings are found stored, 5 are conflicts.
* **pandas**: ``pandas.read_csv`` + ``melt`` to the long layout + ``to_parquet`` (zstd).
* **duckdb**: ``COPY (SELECT ... FROM read_csv(...) UNPIVOT ...) TO 'x.parquet'`` (zstd).

The baselines do no time zone handling, no checks and no idempotency. Not a test: nothing asserts
on the numbers. :func:`measure_ingest` is importable (benchmarks/monitoring.py can use it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "air" / "beijing-multisite"
VALUE_COLUMNS = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3", "TEMP"]
HEADER = [
    "No",
    "year",
    "month",
    "day",
    "hour",
    *VALUE_COLUMNS,
    "PRES",
    "DEWP",
    "RAIN",
    "wd",
    "WSPM",
    "station",
]
HOURS_PER_STATION = 35_064  # 2013-03-01 00:00 to 2017-02-28 23:00, as in the real files
NAMES = ["Aotizhongxin", "Changping", "Dingling", "Dongsi", "Guanyuan", "Gucheng", "Huairou"]
NAMES += ["Nongzhanguan", "Shunyi", "Tiantan", "Wanliu", "Wanshouxigong"]
WINDS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]


def _station_rows(index: int, first_hour: int, hours: int, seed: int) -> dict[str, pa.Array]:
    """Columns of one station's rows ``first_hour .. first_hour + hours`` (the same values for the same
    station and hour whatever the window, so two files overlap exactly)."""
    total = first_hour + hours
    extent = 2 * HOURS_PER_STATION  # drawn whole, so an hour's values do not depend on the window
    rng = np.random.default_rng([seed, index])
    scale = np.array([80, 100, 15, 50, 1200, 60, 0], float)
    values = rng.gamma(2.0, 1.0, size=(extent, 7)) * scale / 2
    values[:, 6] = rng.normal(13.0, 11.0, extent)  # temperature, may be negative
    values = np.round(values[first_hour:total], 1)
    absent = rng.random((extent, 7))[first_hour:total] < 0.02
    local = np.datetime64("2013-03-01T00", "h") + np.arange(first_hour, total)
    days = local.astype("datetime64[D]")
    months = local.astype("datetime64[M]")
    years = local.astype("datetime64[Y]")
    name = NAMES[index % len(NAMES)] + (f"_{index // len(NAMES)}" if index >= len(NAMES) else "")

    def text(array: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
        strings = pc.cast(pa.array(array), pa.string())
        if missing is not None:
            strings = pc.if_else(pa.array(missing), "NA", strings)
        return strings

    columns = {
        "No": text(np.arange(first_hour + 1, total + 1)),
        "year": text(years.astype(int) + 1970),
        "month": text((months - years.astype("datetime64[M]")).astype(int) + 1),
        "day": text((days - months.astype("datetime64[D]")).astype(int) + 1),
        "hour": text((local - days.astype("datetime64[h]")).astype(int)),
    }
    for column, name_ in enumerate(VALUE_COLUMNS):
        columns[name_] = text(values[:, column], absent[:, column])
    columns.update(
        {
            "PRES": text(np.round(rng.normal(1012, 10, hours), 1)),
            "DEWP": text(np.round(rng.normal(2, 13, hours), 1)),
            "RAIN": text(np.zeros(hours)),
            "wd": pa.array([WINDS[i] for i in rng.integers(0, 16, 16)] * (hours // 16 + 1))[:hours],
            "WSPM": text(np.round(rng.gamma(2, 0.9, hours), 1)),
            "station": pa.array([name] * hours),
        }
    )
    return columns


def generate(path: Path, rows: int, seed: int, *, shift: float = 0.0, changed: int = 0) -> int:
    """A Beijing-style CSV of about ``rows`` rows; ``shift``: each station's window starts that fraction
    of its hours later; ``changed``: values altered in the first rows (conflicts with an unshifted file)."""
    stations = max(1, round(rows / HOURS_PER_STATION))
    first = int(HOURS_PER_STATION * shift)
    written = 0
    options = pa_csv.WriteOptions(quoting_style="none", include_header=True)
    with pa_csv.CSVWriter(
        path, pa.schema([(name, pa.string()) for name in HEADER]), write_options=options
    ) as out:
        for index in range(stations):
            hours = min(HOURS_PER_STATION, rows - written) if index == stations - 1 else HOURS_PER_STATION
            columns = _station_rows(index, first, hours, seed)
            if index == 0 and changed:
                altered = pa.array(["9999.9"] * changed)
                columns["PM2.5"] = pa.concat_arrays([altered, columns["PM2.5"].slice(changed)])
            out.write_table(pa.table(columns))
            written += hours
    return written


def copy_real(directory: Path, copies: int, source: Path = SHARED) -> tuple[Path, int]:
    """One CSV of ``copies`` x the 12 real files (stations renamed per copy); returns path and rows."""
    path = directory / "beijing-real.csv"
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


def _usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def _timed(run: Any) -> dict[str, Any]:
    before, started = _usage(), time.perf_counter()
    extra = run() or {}
    after = _usage()
    return {"seconds": time.perf_counter() - started, "cpu": after["cpu"] - before["cpu"], **extra}


def measure_ingest(path: Path, store_dir: Path, *, strict: bool = False) -> dict[str, Any]:
    """One :func:`ingest_files` call of ``path`` into the store at ``store_dir`` (timed)."""
    from greenbri.adapters.monitoring.store import ReadingsStore
    from greenbri.usecases.monitoring.ingest import ingest_files

    def run() -> dict[str, Any]:
        report = ingest_files(ReadingsStore(store_dir), [path], format_name="beijing", strict=strict)
        return {"counts": report.totals, "messages": len(report.files[0].messages)}

    return _timed(run)


def measure_pandas(path: Path, out_dir: Path) -> dict[str, Any]:
    import pandas as pd

    def run() -> None:
        frame = pd.read_csv(path, na_values=["NA"])
        long = frame.melt(id_vars=["station", "year", "month", "day", "hour"], value_vars=VALUE_COLUMNS)
        long.to_parquet(out_dir / "pandas.parquet", compression="zstd", index=False)

    return _timed(run)


def measure_duckdb(path: Path, out_dir: Path) -> dict[str, Any]:
    import duckdb

    def run() -> None:
        columns = ", ".join(f'"{name}"' for name in VALUE_COLUMNS)
        duckdb.connect().execute(
            f"""COPY (SELECT station, make_timestamp(year, month, day, hour, 0, 0) AS local_time,
                             parameter, value
                      FROM (SELECT station, year, month, day, hour, {columns}
                            FROM read_csv('{path.as_posix()}', nullstr = 'NA'))
                      UNPIVOT INCLUDE NULLS (value FOR parameter IN ({columns})))
                TO '{(out_dir / "duckdb.parquet").as_posix()}' (FORMAT parquet, COMPRESSION zstd)"""
        )

    return _timed(run)


def _child(kind: str, path: Path, directory: Path) -> None:
    """Run one measurement (in a child process) and print it as JSON."""
    measures = {"ingest": measure_ingest, "pandas": measure_pandas, "duckdb": measure_duckdb}
    result = measures[kind](path, directory)
    result["peak_rss_mb"] = _usage()["peak_rss_mb"]
    print(json.dumps(result))


def _run(kind: str, path: Path, directory: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(path), str(directory)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _line(label: str, result: dict[str, Any], rows: int) -> str:
    return (
        f"{label:<22}: {result['seconds']:7.2f} s wall, {result['cpu']:6.2f} s CPU, "
        f"{rows / result['seconds']:>11,.0f} rows/s, peak RSS {result['peak_rss_mb']:,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="rows of the generated CSV (default 5M)")
    parser.add_argument("--seed", type=int, default=20240501, help="seed of the generated values")
    parser.add_argument("--copies", type=int, help="use K copies of the real Beijing files instead")
    parser.add_argument("--data", type=Path, default=SHARED, help="folder of the real Beijing files")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        kind, path, directory = arguments.child
        _child(kind, Path(path), Path(directory))
        return
    work = Path(tempfile.mkdtemp(prefix="greenbri-ingest-bench-"))
    try:
        if arguments.copies:
            path, rows = copy_real(work, arguments.copies, arguments.data)
            second, second_rows = None, 0
        else:
            path, second = work / "beijing-1.csv", work / "beijing-2.csv"
            rows = generate(path, arguments.rows, arguments.seed)
            second_rows = generate(second, arguments.rows, arguments.seed, shift=0.5, changed=5)
        load = os.getloadavg()
        print(
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"input: {rows:,} rows ({rows * 7:,} readings), {path.stat().st_size / 2**20:,.0f} MiB CSV")
        store = work / "store"
        ours = _run("ingest", path, store)
        again = _run("ingest", path, store)
        results = {"greenbri ingest": (ours, rows), "greenbri no-op again": (again, rows)}
        if second is not None:
            results["greenbri overlap file"] = (_run("ingest", second, store), second_rows)
        results["pandas baseline"] = (_run("pandas", path, work), rows)
        results["duckdb baseline"] = (_run("duckdb", path, work), rows)
        for label, (result, count) in results.items():
            print(_line(label, result, count))
        print(f"greenbri readings/s: {ours['counts']['readings_stored'] / ours['seconds']:,.0f}")
        if second is not None:
            overlap = results["greenbri overlap file"][0]["counts"]
            print(
                "overlap file: stored {readings_stored:,}, skipped (already stored) {readings_skipped_existing:,}, "
                "rejected conflicts {readings_rejected_conflict:,}".format(**overlap)
            )
        for name in ("pandas", "duckdb"):
            base = results[f"{name} baseline"][0]
            print(
                f"ratio greenbri / {name} (rows/s): wall {base['seconds'] / ours['seconds']:.2f}, "
                f"CPU {base['cpu'] / ours['cpu']:.2f}"
            )
        load = os.getloadavg()
        print(f"load average at end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
