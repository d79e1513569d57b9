"""Start-up times of the ``greenbri`` command and the throughput of ``greenbri screen --json``.

Run: ``.venv/bin/python benchmarks/cli.py [--projects N] [--repeats R] [--no-screen]``

1. Start-up, best of ``--repeats`` fresh processes: ``greenbri --help`` and ``greenbri datasets list``
   on an empty data directory (issue 21 targets: under 0.5 s and 1.5 s on a quiet 2-core machine).
   With ``--old-src DIR`` the same commands are timed on an older source tree (e.g. the commit
   before issue 21: ``git archive 67e22dd src | tar -x -C /tmp/old`` then ``--old-src /tmp/old/src``),
   which imported every command module at start: the issue's "today" figures, in the same run.
2. ``screen --json`` of ``--projects`` generated points (fixed seed; planned solar, coal and road
   projects in four countries, spread over Africa and Asia) on a store initialised with the bundled
   layers (``greenbri init``): end to end through the CLI (read, search, classify, JSON on stdout),
   and in-process the classification + JSON with every project classified one by one
   (``share_results=False``, the old path) and with results shared between projects without a
   hit that have the same decision profile and coverage (the new path). The two JSON texts are
   compared.

Not a test: nothing asserts on the numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GREENBRI = str(Path(sys.executable).with_name("greenbri"))


def best_of(repeats: int, arguments: list[str], environment: dict[str, str]) -> float:
    times = []
    for _ in range(repeats):
        mark = time.perf_counter()
        subprocess.run(arguments, env=environment, check=True, capture_output=True)
        times.append(time.perf_counter() - mark)
    return min(times)


def write_portfolio(path: Path, count: int) -> None:
    generator = np.random.default_rng(21)
    sectors = [("solar_power", "MW"), ("coal_power", "MW"), ("road", "")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "name", "sector", "status", "country", "capacity", "capacity_unit", "lon", "lat"]
        )
        for number in range(count):
            sector, unit = sectors[number % 3]
            lon, lat = generator.uniform(-10, 120), generator.uniform(-20, 50)
            capacity = ("50", "600")[number % 2] if unit else ""
            country = ("KAZ", "ETH", "PAK", "IDN")[number % 4]
            writer.writerow(
                [f"P{number}", f"project {number}", sector, "planned", country, capacity, unit, lon, lat]
            )


_RUN = "from greenbri.services.cli.main import main; main()"


def startup(repeats: int, environment: dict[str, str], old_src: str | None) -> None:
    help_s = best_of(repeats, [GREENBRI, "--help"], environment)
    list_s = best_of(repeats, [GREENBRI, "datasets", "list"], environment)
    if old_src:
        old = {**environment, "PYTHONPATH": old_src}
        old_help = best_of(repeats, [sys.executable, "-c", _RUN, "--help"], old)
        old_list = best_of(repeats, [sys.executable, "-c", _RUN, "datasets", "list"], old)
        print(f"old source {old_src}: --help {old_help:6.2f} s, datasets list {old_list:6.2f} s")
    probe = "import sys; from greenbri.services.cli.main import app; print(len(sys.modules))"
    modules = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    print(f"greenbri --help           {help_s:6.2f} s   (target < 0.5 s; issue 21 'today': 5-7 s)")
    print(f"greenbri datasets list    {list_s:6.2f} s   (target < 1.5 s; issue 21 'today': 5-7 s)")
    print(f"modules loaded by the CLI app at start: {modules.stdout.strip()}")


def screen(count: int, environment: dict[str, str], folder: Path) -> None:
    from greenbri.bootstrap import build_store
    from greenbri.config import load_settings
    from greenbri.core.screening.rules_files import load_rules
    from greenbri.usecases.project_inputs import read_projects
    from greenbri.usecases.screening import load_receptor_layers, screen_portfolio

    subprocess.run([GREENBRI, "init", "--json"], env=environment, check=True, capture_output=True)
    portfolio = folder / "portfolio.csv"
    write_portfolio(portfolio, count)
    mark = time.perf_counter()
    subprocess.run(
        [GREENBRI, "screen", str(portfolio), "--json", "--date", "2025-06-30"],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cli_s = time.perf_counter() - mark
    print(
        f"greenbri screen --json, {count:,} projects, end to end: {cli_s:6.2f} s = {count / cli_s:,.0f} projects/s"
    )

    os.environ.update(environment)
    store = build_store(load_settings())
    rules = load_rules()
    layers = load_receptor_layers(store)
    projects = read_projects(portfolio)
    texts = {}
    for label, share in (("one by one (old path)", False), ("shared results (new path)", True)):
        mark = time.perf_counter()
        result = screen_portfolio(store, projects, rules, layers=layers, share_results=share)
        texts[share] = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True, default=str)
        elapsed = time.perf_counter() - mark
        print(f"  screen_portfolio + JSON, {label:26s} {elapsed:6.2f} s = {count / elapsed:,.0f} projects/s")
    print(f"  JSON identical: {texts[False] == texts[True]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-screen", action="store_true")
    parser.add_argument("--old-src", help="an older src/ folder to time start-up from (PYTHONPATH)")
    options = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        environment = {**os.environ, "GREENBRI_DATA_DIR": str(folder / "data"), "GREENBRI_STORE": "embedded"}
        startup(options.repeats, environment, options.old_src)
        if not options.no_screen:
            screen(options.projects, environment, folder)


if __name__ == "__main__":
    main()
