"""Skill of the 24-hour PM2.5 forecast on held-out Beijing data, against naive baselines.

Run from the repository root (about 3,000 model fits, 0.05-0.5 s each depending on the machine)::

    .venv/bin/python benchmarks/forecast_skill.py [--shared-data ../shared/data] [--stride-days 6]

The phases can run separately (``--phase training``, ``--phase test --test-window 14``).

Data: the 12 stations of the Beijing multi-site files (2013-03-01 .. 2017-02-28, hourly, Beijing
time). Design, fixed before looking at the test year:

* **training period** 2013-03-01 .. 2016-02-29: used only to choose the length of the fitting
  window (14 or 28 days), scored at local midnights every 15 days at every station;
* **test period** 2016-03-01 .. 2017-02-28: the chosen window, forecasts issued at local midnight
  every ``--stride-days`` days (default 6) at every station, each covering the next 24 hours.

The model is refitted at each origin (rolling origin); see
:mod:`greenbri.usecases.monitoring.forecast` for the model, baselines and metrics.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from greenbri.usecases.monitoring.forecast import evaluate_forecasts

TRAIN = ("2013-03-01", "2016-03-01")
TEST = ("2016-03-01", "2017-03-01")


def load(shared_data: Path) -> list[pd.DataFrame]:
    files = sorted((shared_data / "air" / "beijing-multisite").glob("PRSA_Data_*.csv.gz"))
    frames = []
    for path in files:
        frame = pd.read_csv(path, usecols=["year", "month", "day", "hour", "PM2.5", "station"])
        frame["local_time"] = pd.to_datetime(frame[["year", "month", "day", "hour"]])
        frames.append(frame.set_index("local_time").asfreq("h"))
    return frames


def origins(frame: pd.DataFrame, period: tuple[str, str], stride_days: int) -> list[int]:
    times = frame.index
    chosen = (times >= period[0]) & (times < period[1]) & (times.hour == 0)
    positions = np.flatnonzero(chosen)
    return positions[::stride_days].tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared-data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--stride-days", type=int, default=6, help="days between test origins")
    parser.add_argument(
        "--windows", type=int, nargs="+", default=[14, 28], help="fitting windows (days) tried"
    )
    parser.add_argument("--phase", choices=("both", "training", "test"), default="both")
    parser.add_argument("--test-window", type=int, help="with --phase test: the window chosen on training")
    arguments = parser.parse_args()
    frames = load(arguments.shared_data)
    series = [frame["PM2.5"].to_numpy(dtype=np.float64) for frame in frames]
    results: dict[str, object] = {"stations": [str(frame["station"].dropna().iloc[0]) for frame in frames]}
    training = {}
    for days in arguments.windows if arguments.phase != "test" else []:
        started = time.perf_counter()
        skill = evaluate_forecasts(series, [origins(frame, TRAIN, 15) for frame in frames], history_days=days)
        training[days] = skill
        print(
            f"training, window {days} d: skill vs seasonal naive {skill.skill_vs_seasonal_naive:.3f}, "
            f"vs persistence {skill.skill_vs_persistence:.3f} ({skill.origins} origins, "
            f"{time.perf_counter() - started:.0f} s)"
        )
    results["training"] = {str(days): skill.to_dict() for days, skill in training.items()}
    if arguments.phase == "training":
        print(json.dumps(results, indent=2, sort_keys=True))
        return
    if arguments.phase == "test":
        chosen = arguments.test_window or arguments.windows[0]
    else:
        chosen = max(training, key=lambda days: training[days].skill_vs_seasonal_naive or -np.inf)
    results["chosen_window_days"] = chosen
    started = time.perf_counter()
    test = evaluate_forecasts(
        series, [origins(frame, TEST, arguments.stride_days) for frame in frames], history_days=chosen
    )
    results["test"] = test.to_dict()
    print(f"test year, window {chosen} d ({time.perf_counter() - started:.0f} s):")
    print(json.dumps(results["test"], indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
