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
from bpforecast.datasets import list_datasets, load_dataset
from bpforecast.forecasting.baselines import ETS, SeasonalNaive, Theta


def horizon_for(y: pd.Series) -> int:
    """12 for sub-yearly (monthly) data, 10 for yearly data."""
    freq = (y.index.freqstr or "").upper()
    if freq.startswith("Q"):
        return 8
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


def statsmodels_series() -> dict[str, pd.Series]:
    """Series the defaults were not tuned on: statsmodels' bundled data.

    Eight quarterly US macro series (1959-2009) and the monthly El Nino sea
    surface temperatures (1950-2010).
    """
    import statsmodels.api as sm

    macro = sm.datasets.macrodata.load_pandas().data
    quarters = pd.date_range("1959-01-01", periods=len(macro), freq="QS")
    out = {}
    for column in ("realgdp", "realcons", "realinv", "cpi", "m1", "unemp"):
        out[column] = pd.Series(macro[column].to_numpy(), index=quarters)
    for column in ("tbilrate", "pop"):
        out[column] = pd.Series(macro[column].to_numpy(), index=quarters)
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:13].to_numpy().ravel()
    months = pd.date_range("1950-01-01", periods=elnino.size, freq="MS")
    out["elnino"] = pd.Series(elnino, index=months)
    return out


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
    extra = statsmodels_series()
    for name in [*list_datasets(), *extra]:
        y = extra[name] if name in extra else load_dataset(name)
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
    bundled = [name for name in smape.index if name not in extra]
    smape = smape.loc[[*bundled, *extra]]
    mase = mase.loc[[*bundled, *extra]]
    smape.loc["mean (bundled)"] = smape.loc[bundled].mean()
    mase.loc["mean (bundled)"] = mase.loc[bundled].mean()
    n_all = len(bundled) + len(extra)
    per_series = mase.iloc[:n_all]
    mase.loc[f"mean (all {n_all})"] = per_series.mean()
    mase.loc[f"median (all {n_all})"] = per_series.median()

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
        (smape["BPForecaster"] < smape["SeasonalNaive"]).loc[bundled].all()
    )
    vs_theta = (
        smape.loc["mean (bundled)", "BPForecaster"]
        / smape.loc["mean (bundled)", "Theta"]
    )
    wins = int((per_series["BPForecaster"] < per_series["Theta"]).sum())
    print(f"\nBeats seasonal naive (sMAPE) on every bundled series: {beats_snaive}")
    print(f"Mean sMAPE on bundled series, BPForecaster / Theta: {vs_theta:.3f}")
    print(f"Lower MASE than Theta on {wins} of {len(per_series)} series")
    record = {
        "benchmark": "accuracy",
        "folds": n_folds,
        "smape": smape.round(4).to_dict(),
        "mase": mase.round(4).to_dict(),
        "seconds_per_fit": {k: round(v, 3) for k, v in seconds.items()},
        "hourly_1000_seconds": round(hourly_seconds, 3),
        "beats_seasonal_naive_everywhere": beats_snaive,
        "mean_smape_ratio_vs_theta": round(float(vs_theta), 4),
        "mase_wins_vs_theta": wins,
        "n_series": len(per_series),
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
