"""Forecast accuracy of BPForecaster (defaults) against baselines, on bundled series.

For each bundled series, a rolling-origin backtest over the last three
horizons (non-overlapping folds; horizon 12 for monthly, 10 for yearly data)
scores BPForecaster with default settings against seasonal naive, ETS and
Theta (statsmodels), all in the same run. Prints sMAPE (M4 definition) and
MASE per series and their means, the fit+predict time per series, the time
of one fit+predict on a 1,000-point hourly series (synthetic: daily and
weekly pattern plus noise, since no bundled series is hourly), and a final
JSON line.

Run::

    python benchmarks/accuracy.py            # full
    python benchmarks/accuracy.py --quick    # one fold per series, 1 network
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import warnings

import numpy as np
import pandas as pd

from bpforecast import BPForecaster, backtest
from bpforecast.baselines import ETS, SeasonalNaive, Theta
from bpforecast.datasets import list_datasets, load_dataset


def horizon_for(y: pd.Series) -> int:
    """12 for sub-yearly (monthly) data, 10 for yearly data."""
    freq = (y.index.freqstr or "").upper()
    return 10 if freq.startswith(("Y", "A")) else 12


def hourly_series(n: int = 1000, seed: int = 0) -> pd.Series:
    """Synthetic hourly load-like series: daily and weekly cycles plus noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    y = (
        100
        + 20 * np.sin(2 * np.pi * t / 24)
        + 8 * np.sin(2 * np.pi * t / 168)
        + rng.normal(0, 3, n)
    )
    return pd.Series(y, index=pd.date_range("2024-01-01", periods=n, freq="h"))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one fold, 1 network")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # statsmodels' convergence chatter

    n_folds = 1 if args.quick else 3
    bp_kwargs = {"random_state": args.seed}
    if args.quick:
        bp_kwargs["n_models"] = 1
    models = {
        "BPForecaster": lambda: BPForecaster(**bp_kwargs),
        "SeasonalNaive": SeasonalNaive,
        "ETS": ETS,
        "Theta": Theta,
    }
    rows, seconds = [], {}
    for name in list_datasets():
        y = load_dataset(name)
        h = horizon_for(y)
        initial = len(y) - n_folds * h
        for model_name, make in models.items():
            start = time.perf_counter()
            result = backtest(make(), y, initial=initial, horizon=h, step=h)
            elapsed = time.perf_counter() - start
            rows.append(
                {
                    "series": name,
                    "model": model_name,
                    "smape": result.metrics["smape"],
                    "mase": result.metrics["mase"],
                }
            )
            if model_name == "BPForecaster":
                seconds[name] = elapsed / n_folds
    table = pd.DataFrame(rows)
    smape = table.pivot(index="series", columns="model", values="smape")
    mase = table.pivot(index="series", columns="model", values="mase")
    order = list(models)
    smape, mase = smape[order], mase[order]
    smape.loc["mean"] = smape.mean()
    mase.loc["mean"] = mase.mean()

    y_hourly = hourly_series()
    start = time.perf_counter()
    BPForecaster(**bp_kwargs).fit(y_hourly).predict(24)
    hourly_seconds = time.perf_counter() - start

    print(f"Backtest: last {n_folds} horizon(s) of each series, non-overlapping")
    print(f"Python {platform.python_version()}, {platform.machine()}\n")
    print("sMAPE (%)")
    print(smape.round(2).to_string())
    print("\nMASE")
    print(mase.round(3).to_string())
    print("\nBPForecaster fit+predict seconds per fold:")
    for name, value in seconds.items():
        print(f"  {name:<20} {value:6.2f}")
    print(f"  {'hourly (n=1000)':<20} {hourly_seconds:6.2f}   (synthetic, 24 steps)")
    beats_snaive = bool(
        (smape["BPForecaster"] < smape["SeasonalNaive"]).drop("mean").all()
    )
    vs_theta = smape.loc["mean", "BPForecaster"] / smape.loc["mean", "Theta"]
    print(f"\nBeats seasonal naive (sMAPE) on every series: {beats_snaive}")
    print(f"Mean sMAPE BPForecaster / Theta: {vs_theta:.3f}")
    record = {
        "benchmark": "accuracy",
        "folds": n_folds,
        "smape": smape.round(4).to_dict(),
        "mase": mase.round(4).to_dict(),
        "seconds_per_fit": {k: round(v, 3) for k, v in seconds.items()},
        "hourly_1000_seconds": round(hourly_seconds, 3),
        "beats_seasonal_naive_everywhere": beats_snaive,
        "mean_smape_ratio_vs_theta": round(float(vs_theta), 4),
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
