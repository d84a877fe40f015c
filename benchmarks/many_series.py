"""Series per second of forecast_many: sequential, n_jobs=2, Dask LocalCluster.

Synthetic monthly series (level, trend, yearly season, noise; parameters
drawn per series from a fixed seed), one ``BPForecaster(n_models=1)`` per
series (otherwise default settings: 12 lags, window normalisation, seasonal
adjustment when the test finds a season, one 10-neuron traingdx network
with early stopping), ``random_state=0``, horizon 12. Three runs over the
same series:

* ``sequential``: ``n_jobs=1`` (in this process);
* ``loky n_jobs=2``: joblib's default process backend;
* ``dask LocalCluster``: ``LocalCluster(n_workers=2, threads_per_worker=1,
  processes=True, host='127.0.0.1')`` with ``backend='dask'``.

Each mode first runs once on four series, untimed, so that the worker
processes (and the cluster) are started and have imported bpforecast; that
start-up time is reported separately. Then the full run is timed (wall
clock), ``--repeats`` times per mode with the modes interleaved (so that a
drifting load from other processes hits them alike); the table shows the
median. Every run is checked to give exactly the first sequential
forecasts. The last line of the output is one JSON object with every
figure (all repeats), the BLAS information and the load average.

Run from the repository root (needs ``dask[distributed]`` for the third
mode; ``--no-dask`` skips it)::

    python benchmarks/many_series.py                 # 1,000 series
    python benchmarks/many_series.py --n-series 200
    python benchmarks/many_series.py --repeats 3     # median of 3 per mode
    python benchmarks/many_series.py --quick         # 40 series, smoke run

The ``if __name__ == "__main__":`` guard below is required: the process
workers of loky and of a LocalCluster re-import this script.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bpforecast import BPForecaster  # noqa: E402
from bpforecast.forecasting.multiseries import forecast_many  # noqa: E402


def synthetic_panel(n_series: int, length: int, seed: int = 0) -> pd.DataFrame:
    """Monthly series in long format (unique_id, ds, y)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    dates = pd.date_range("2000-01-01", periods=length, freq="MS")
    level = rng.uniform(10, 100, n_series)[:, None]
    trend = rng.uniform(-0.002, 0.005, n_series)[:, None] * level
    amplitude = rng.uniform(0.0, 0.2, n_series)[:, None] * level
    phase = rng.uniform(0, 2 * np.pi, n_series)[:, None]
    noise = rng.normal(0, 0.03, (n_series, length)) * level
    y = level + trend * t + amplitude * np.sin(2 * np.pi * t / 12 + phase) + noise
    return pd.DataFrame(
        {
            "unique_id": np.repeat([f"s{i:04d}" for i in range(n_series)], length),
            "ds": np.tile(dates, n_series),
            "y": y.ravel(),
        }
    )


def blas_info() -> list[dict]:
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "architecture", "num_threads")
    return [{k: lib.get(k) for k in keys} for lib in threadpool_info()]


def versions() -> dict:
    import joblib
    import sklearn

    out = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "joblib": joblib.__version__,
    }
    try:
        import dask
        import distributed

        out["dask"] = dask.__version__
        out["distributed"] = distributed.__version__
    except ImportError:
        pass
    return out


def timed(data: pd.DataFrame, horizon: int, **kwargs) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    out = forecast_many(
        data, horizon, BPForecaster(n_models=1), random_state=0, **kwargs
    )
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=1000)
    parser.add_argument("--length", type=int, default=100)
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="40 series")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument(
        "--repeats", type=int, default=1, help="timed runs per mode (median)"
    )
    args = parser.parse_args(argv)
    n_series = 40 if args.quick else args.n_series
    data = synthetic_panel(n_series, args.length)
    warm = data[data["unique_id"].isin(data["unique_id"].unique()[:4])]
    load_before = os.getloadavg()
    print(
        f"forecast_many: {n_series} monthly series of length {args.length}, "
        f"horizon {args.horizon}, BPForecaster(n_models=1), random_state=0"
    )
    print(f"CPUs: {os.cpu_count()}, load average before: {load_before[0]:.2f}")
    for lib in blas_info():
        print(
            f"  {lib['internal_api']} {lib['version'] or ''} "
            f"{lib['architecture'] or ''} threads={lib['num_threads']} "
            "(limited to 1 inside every fit)"
        )

    modes = {"sequential": {"n_jobs": 1}}
    modes[f"loky n_jobs={args.workers}"] = {"n_jobs": args.workers}
    dask_name = f"dask LocalCluster({args.workers} workers)"
    if not args.no_dask:
        modes[dask_name] = {"backend": "dask"}
    times: dict[str, list[float]] = {name: [] for name in modes}
    same = dict.fromkeys(modes, True)
    startup = dict.fromkeys(modes, 0.0)
    with contextlib.ExitStack() as stack:
        for name, kwargs in modes.items():
            start = time.perf_counter()
            if name == dask_name:
                from distributed import Client, LocalCluster

                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=args.workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                    )
                )
                stack.enter_context(Client(cluster))
            timed(warm, args.horizon, **kwargs)  # start and warm the workers
            startup[name] = time.perf_counter() - start
        reference = None
        for repeat in range(args.repeats):  # modes interleaved: drifting load
            for name, kwargs in modes.items():
                seconds, out = timed(data, args.horizon, **kwargs)
                times[name].append(seconds)
                if reference is None:
                    reference = out
                same[name] = same[name] and bool(out.equals(reference))
                print(f"  repeat {repeat + 1}, {name}: {seconds:.1f} s")

    rows = {}
    for name in modes:
        rows[name] = {
            "seconds": float(np.median(times[name])),
            "seconds_min": float(np.min(times[name])),
            "seconds_all": times[name],
            "startup_seconds": startup[name],
            "same": same[name],
        }
    base = rows["sequential"]["seconds"]
    print()
    print("| mode | wall s | series/s | speed-up | start-up s | same forecasts |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, row in rows.items():
        row["series_per_second"] = n_series / row["seconds"]
        row["speedup"] = base / row["seconds"]
        print(
            f"| {name} | {row['seconds']:.1f} | {row['series_per_second']:.1f} | "
            f"{row['speedup']:.2f}x | {row['startup_seconds']:.1f} | "
            f"{'yes' if row['same'] else 'NO'} |"
        )
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.2f}")
    if max(load_before[0], load_after[0]) > 0.5 * (os.cpu_count() or 1):
        print("note: other processes were busy; absolute figures are pessimistic.")
    result = {
        "benchmark": "many_series",
        "n_series": n_series,
        "length": args.length,
        "horizon": args.horizon,
        "workers": args.workers,
        "forecaster": "BPForecaster(n_models=1)",
        "random_state": 0,
        "repeats": args.repeats,
        "modes": rows,
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "blas": blas_info(),
        "versions": versions(),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
