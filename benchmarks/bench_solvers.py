"""The training functions to a goal (traingdx, trainlm, trainscg, trainrp,
trainbr when present), and the cost of restarts.

Everything is measured in one process with the same BLAS settings:

1. **SIN** - MathWorks' function-approximation benchmark from their
   training-function comparison: a 1-5-1 network (tansig hidden layer,
   purelin output) fitted to one period of ``sin(2*pi*x)`` at
   ``x = -1:0.05:1`` (41 points), mse goal 0.002, no scaling (so the goal is
   in the units of the data), no data division, ``min_grad=0``. Thirty random
   starts per solver. Their goal is unreachable with noise of standard
   deviation 0.1 (noise variance 0.01 > 0.002), so the targets are run
   noiseless and, separately, with noise of standard deviation 0.01.
2. **Sunspots** - yearly sunspot numbers (``load_sunspots()``), 10 lags built
   with ``sliding_window_view``, default mapstd scaling, a 10-neuron hidden
   layer, no division, training-mse goals (scaled units) that both solvers
   reach: 0.15 (easy) and 0.05 (tighter; traingdx needs thousands of epochs).
3. **Large** - ``n = 100,000`` rows (``--quick``: 2,000), 24 inputs, a
   24-20-20-1 network, no division, ``min_grad=0``; the goal is the training
   mse traingdx reaches in 1,000 epochs (seed 0, timed too), then each solver
   runs to it (at most 1,000 epochs). trainlm is skipped: its Jacobian is
   ``n x 941`` and ``J'J`` costs about 90 GFLOP per epoch. Bounds: traingdx
   and trainrp cost one forward and one backward pass per epoch; trainscg
   two (the second gradient at ``x + sigma d``); on one BLAS thread each
   pass is bound by the GEMMs of the 100,000 x 24 x 20 and x 20 x 20 layers.
4. **Restarts** - ``BPRegressor(n_init=K)`` for K = 1, 4, 16, 64 in each
   ``restart_mode`` (``'sequential'``, ``'batched'``, and sequential with
   ``n_jobs=2``), next to K separate single fits, on two problems: the sunspot
   windows (10-10-1, 299 rows: a tiny problem) and the bench_train data
   (24-20-20-1, 1,000 rows). traingdx, ``division=None``, ``min_grad=0``, a
   fixed number of epochs, so every network runs every epoch; the figure is
   fit time per network and epoch. ``n_jobs=2`` uses both cores (one BLAS
   thread per worker) whatever ``--threads`` says. ``auto`` is what a user
   gets by default (stacked for K >= 8 on small problems, else one setup
   shared by fits in turn).
5. **Forecaster networks** - ``BPForecaster(n_models=K)`` on the airline
   series (K = 16 and 64 by default), whose networks train through the
   restart path, against the same K networks fitted one after another as
   separate regressors on the same windows (what the forecaster did before
   they shared their work). Early stopping on, so the figure is fit time per
   network; the target is below one separate fit.

For each solver the tables show how many runs reached the goal, the median
and mean epochs to the goal (runs that reached it) and the median and mean
wall time per run (all runs), with traingdx / trainlm ratios. Solvers are
interleaved seed by seed so that drifting load hits both alike, after one
untimed warm-up fit.

Usage (from the repository root)::

    python benchmarks/bench_solvers.py               # full run (about a minute)
    python benchmarks/bench_solvers.py --quick       # smoke run, a few seconds
    python benchmarks/bench_solvers.py --threads 0   # leave BLAS threads as is

By default BLAS is limited to one thread (``threadpool_limits(1)``): the
matrices here are tiny, and while probing on a loaded 2-core machine some
trainlm fits with two OpenBLAS threads took 1-2 s instead of about 0.03 s (not
reproducible on demand; ``--threads 0`` shows your case). The last line printed is
one JSON object (``json.dumps``) with every figure, the per-run raw data and
``threadpoolctl.threadpool_info()``. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import threadpoolctl
from numpy.lib.stride_tricks import sliding_window_view

# Use the source tree this file lives in, installed or not.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import bpforecast  # noqa: E402
from bpforecast import BPRegressor  # noqa: E402
from bpforecast.datasets import load_sunspots  # noqa: E402


def _has_trainbr() -> bool:
    try:
        import bpforecast.nn.bayesian  # noqa: F401
    except ImportError:
        return False
    return True


SOLVERS = (
    "trainlm",
    "traingdx",
    "trainscg",
    "trainrp",
    *(("trainbr",) if _has_trainbr() else ()),
)
_NEW_EPOCHS = {"trainscg": 1000, "trainrp": 1000, "trainbr": 1000}

FULL = {
    "sin_seeds": 30,
    "sin_epochs": {"trainlm": 1000, "traingdx": 5000, **_NEW_EPOCHS},
    "sin_noises": (0.0, 0.01),
    "sun_seeds": 10,
    "sun_epochs": {"trainlm": 1000, "traingdx": 10_000, **_NEW_EPOCHS},
    "sun_goals": (0.15, 0.05),
    "restart_ks": (1, 4, 16, 64),
    "restart_epochs": 100,
    "restart_repeats": 3,
    "forecaster_ks": (16, 64),
    "large_rows": 100_000,
    "large_seeds": 1,
}
QUICK = {
    "sin_seeds": 3,
    "sin_epochs": {"trainlm": 200, "traingdx": 1000, **_NEW_EPOCHS},
    "sin_noises": (0.0,),
    "sun_seeds": 2,
    "sun_epochs": {"trainlm": 200, "traingdx": 1000, **_NEW_EPOCHS},
    "sun_goals": (0.15,),
    "restart_ks": (1, 2),
    "restart_epochs": 30,
    "restart_repeats": 1,
    "forecaster_ks": (2,),
    "large_rows": 2_000,
    "large_seeds": 1,
}
SIN_GOAL = 0.002
SIN_NOISE_SEED = 12345
LAGS = 10


# --------------------------------------------------------------------- data
def sin_data(noise: float) -> tuple[np.ndarray, np.ndarray]:
    """MathWorks' SIN set: x = -1:0.05:1, t = sin(2*pi*x) (+ optional noise)."""
    x = np.round(np.arange(-1.0, 1.0 + 1e-9, 0.05), 10)
    t = np.sin(2 * np.pi * x)
    if noise:
        t = t + noise * np.random.default_rng(SIN_NOISE_SEED).standard_normal(x.size)
    return x[:, None], t


def sunspot_windows(lags: int = LAGS) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``lags`` consecutive yearly values and the next value."""
    y = load_sunspots().to_numpy(dtype=float)
    windows = sliding_window_view(y, lags + 1)
    return np.ascontiguousarray(windows[:, :lags]), windows[:, lags].copy()


# ------------------------------------------------------------------ helpers
def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def _mean(values: list[float]) -> float:
    return float(statistics.fmean(values)) if values else math.nan


def _ratio(a: float, b: float) -> float:
    return a / b if b and math.isfinite(a) and math.isfinite(b) else math.nan


def _loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return math.nan


def timed_fit(X: np.ndarray, y: np.ndarray, **params) -> tuple[BPRegressor, float]:
    model = BPRegressor(**params)
    start = time.perf_counter()
    model.fit(X, y)
    return model, time.perf_counter() - start


# ----------------------------------------------------------- goal comparison
def goal_comparison(
    X: np.ndarray,
    y: np.ndarray,
    *,
    goal: float,
    seeds: int,
    epochs: dict[str, int],
    solvers: tuple = SOLVERS,
    **params,
) -> dict:
    """Fit every solver from seeds 0..seeds-1 (interleaved) with the goal."""
    SOLVERS = solvers  # noqa: N806 - the solvers of this comparison
    common = dict(division=None, min_grad=0.0, goal=goal, **params)
    for solver in SOLVERS:  # untimed warm-up
        timed_fit(X, y, solver=solver, epochs=2, random_state=0, **common)
    runs = {solver: [] for solver in SOLVERS}
    for seed in range(seeds):
        for solver in SOLVERS:
            model, seconds = timed_fit(
                X, y, solver=solver, epochs=epochs[solver], random_state=seed, **common
            )
            perf = model.history_["perf"].to_numpy()
            runs[solver].append(
                {
                    "seed": seed,
                    "stop_reason": model.stop_reason_,
                    "n_epochs": int(model.n_epochs_),
                    "final_perf": float(perf[-1]),
                    "reached": bool(perf[-1] <= goal),
                    "seconds": seconds,
                }
            )
    summary = {}
    for solver in SOLVERS:
        rs = runs[solver]
        hit = [r for r in rs if r["reached"]]
        times = [r["seconds"] for r in rs]
        summary[solver] = {
            "epochs_limit": epochs[solver],
            "runs": len(rs),
            "reached": len(hit),
            "median_epochs_to_goal": _median([r["n_epochs"] for r in hit]),
            "mean_epochs_to_goal": _mean([r["n_epochs"] for r in hit]),
            "median_seconds": _median(times),
            "mean_seconds": _mean(times),
            "median_seconds_reached": _median([r["seconds"] for r in hit]),
            "ms_per_epoch": 1e3 * sum(times) / max(1, sum(r["n_epochs"] for r in rs)),
            "stop_reasons": {
                k: sum(r["stop_reason"] == k for r in rs)
                for k in sorted({r["stop_reason"] for r in rs})
            },
        }
    gdx = summary["traingdx"]
    lm = summary.get("trainlm", {})
    ratios = {
        key: _ratio(gdx[key], lm.get(key, math.nan))
        for key in (
            "median_epochs_to_goal",
            "mean_epochs_to_goal",
            "median_seconds",
            "mean_seconds",
            "ms_per_epoch",
        )
    }
    over_gdx = {
        solver: {
            key: _ratio(summary[solver][key], gdx[key])
            for key in ("median_epochs_to_goal", "median_seconds_reached")
        }
        for solver in SOLVERS
    }
    return {
        "goal": goal,
        "solvers": list(SOLVERS),
        "summary": summary,
        "ratios_gdx_over_lm": ratios,
        "over_traingdx": over_gdx,
        "runs": runs,
    }


def print_goal_table(title: str, result: dict) -> None:
    print(f"\n{title}")
    header = (
        f"{'solver':<9} {'limit':>6} {'reached':>8} {'med ep':>8} {'mean ep':>9} "
        f"{'med s':>8} {'mean s':>8} {'ms/epoch':>9}  stop reasons"
    )
    print(header)
    print("-" * len(header))
    for solver in result["solvers"]:
        s = result["summary"][solver]
        reasons = ", ".join(f"{k} {v}" for k, v in s["stop_reasons"].items())
        print(
            f"{solver:<9} {s['epochs_limit']:>6} {s['reached']:>4}/{s['runs']:<3} "
            f"{s['median_epochs_to_goal']:>8.1f} {s['mean_epochs_to_goal']:>9.1f} "
            f"{s['median_seconds']:>8.4f} {s['mean_seconds']:>8.4f} "
            f"{s['ms_per_epoch']:>9.3f}  {reasons}"
        )
    for solver in result["solvers"]:
        o = result["over_traingdx"][solver]
        print(
            f"  {solver}/traingdx: epochs to goal {o['median_epochs_to_goal']:.3f}, "
            f"wall time to goal {o['median_seconds_reached']:.3f} (medians)"
        )
    r = result["ratios_gdx_over_lm"]
    print(
        f"{'gdx/lm':<9} {'':>6} {'':>8} {r['median_epochs_to_goal']:>8.1f} "
        f"{r['mean_epochs_to_goal']:>9.1f} {r['median_seconds']:>8.2f} "
        f"{r['mean_seconds']:>8.2f} {r['ms_per_epoch']:>9.3f}"
    )


# ------------------------------------------------------------ large problem
def large_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` rows, 24 inputs, a smooth nonlinear target (bench_train's kind)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 24))
    w = rng.standard_normal((24, 3)) / np.sqrt(24)
    Z = X @ w
    y = np.sin(Z[:, 0]) + 0.5 * Z[:, 1] * Z[:, 2] + 0.1 * rng.standard_normal(n)
    return X, y


def large_comparison(n: int, seeds: int) -> dict:
    """24-20-20-1 on ``n`` rows: the goal is what traingdx reaches in 1,000
    epochs (seed 0); then every solver's epochs and wall time to it.

    trainlm is left out: its Jacobian is ``n x 941`` (750 MB at n = 100,000)
    and each epoch forms ``J'J`` (about 90 GFLOP), so one epoch costs more than
    traingdx's whole run.
    """
    X, y = large_data(n)
    params = dict(hidden_layer_sizes=(20, 20), division=None, min_grad=0.0)
    ref, ref_seconds = timed_fit(X, y, solver="traingdx", epochs=1000,
                                 random_state=0, **params)  # fmt: skip
    goal = float(ref.history_["perf"].iloc[-1])
    solvers = tuple(s for s in SOLVERS if s != "trainlm")
    res = goal_comparison(
        X, y, goal=goal, seeds=seeds, solvers=solvers,
        epochs={s: 1000 for s in solvers},
        hidden_layer_sizes=(20, 20),
    )  # fmt: skip
    res.update(rows=n, goal_from_traingdx_1000_epochs=goal,
               traingdx_1000_epochs_seconds=ref_seconds,
               trainlm="skipped: Jacobian n x 941 and J'J each epoch")  # fmt: skip
    return res


# ----------------------------------------------------------------- restarts
RESTART_MODES = {
    "separate": {},
    "sequential": {"restart_mode": "sequential"},
    "batched": {"restart_mode": "batched"},
    "n_jobs=2": {"restart_mode": "sequential", "n_jobs": 2},
    "auto": {"restart_mode": "auto"},
}


def restart_problems() -> dict:
    """The two restart problems: a tiny one and a medium one."""
    X_sun, y_sun = sunspot_windows()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1_000, 24))
    y = np.tanh(X @ rng.standard_normal(24) / 5) + 0.1 * rng.standard_normal(1_000)
    return {
        f"sunspots {X_sun.shape[0]} x {LAGS}, (10,)": (X_sun, y_sun, (10,)),
        "synthetic 1000 x 24, (20, 20)": (X, y, (20, 20)),
    }


def restart_cost(
    X: np.ndarray,
    y: np.ndarray,
    hidden: tuple,
    ks: tuple[int, ...],
    epochs: int,
    repeats: int,
    device: str | None = None,
) -> list[dict]:
    """Fit time per network and epoch of n_init=K in each restart mode, per K.

    ``separate`` is K single fits one after another (seeds 0..K-1), the
    reference each mode must beat. With ``device`` (e.g. ``'cuda'``) every
    fit trains there and the ``n_jobs=2`` mode (CPU workers) is left out.
    """
    modes = {
        name: mode
        for name, mode in RESTART_MODES.items()
        if device is None or "n_jobs" not in mode
    }
    params = dict(
        hidden_layer_sizes=hidden,
        solver="traingdx",
        epochs=epochs,
        division=None,
        min_grad=0.0,
        goal=0.0,
        device=device,
    )
    for mode in modes.values():  # untimed warm-ups (and worker start)
        timed_fit(X, y, random_state=0, n_init=2, **params, **mode)
    rows = []
    for k in ks:
        seconds = {name: [] for name in modes}
        for _ in range(repeats):
            for name, mode in modes.items():
                if name == "separate":
                    start = time.perf_counter()
                    for seed in range(k):
                        BPRegressor(random_state=seed, **params).fit(X, y)
                    seconds[name].append(time.perf_counter() - start)
                elif k > 1:
                    _, s = timed_fit(X, y, n_init=k, random_state=0, **params, **mode)
                    seconds[name].append(s)
        row = {"K": k, "seconds": seconds}
        for name, values in seconds.items():
            row[f"us_per_network_epoch_{name}"] = (
                1e6 * _median(values) / (k * epochs) if values else math.nan
            )
        rows.append(row)
    # The GPU target of issue 5: K stacked restarts in at most 2x one fit.
    one_fit = [r for r in rows if r["K"] == 1]
    for row in rows:
        batched = row["seconds"]["batched"]
        row["batched_fit_over_one_fit"] = (
            _median(batched) / _median(one_fit[0]["seconds"]["separate"])
            if one_fit and batched
            else math.nan
        )
    return rows


def print_restart_table(
    title: str, rows: list[dict], epochs: int, repeats: int
) -> None:
    print(
        f"\nRestarts, {title}: n_init=K, traingdx, {epochs} epochs each, "
        f"division=None; microseconds per network and epoch, median of {repeats}"
    )
    names = [
        name for name in RESTART_MODES if f"us_per_network_epoch_{name}" in rows[0]
    ]
    header = (
        f"{'K':>3} "
        + " ".join(f"{name:>11}" for name in names)
        + f" {'batched fit / one fit':>22}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        cells = " ".join(
            f"{r[f'us_per_network_epoch_{name}']:>11.0f}" for name in names
        )
        print(f"{r['K']:>3} {cells} {r['batched_fit_over_one_fit']:>22.2f}")


# ---------------------------------------------------------- forecaster networks
def forecaster_cost(ks: tuple[int, ...], repeats: int) -> list[dict]:
    """Fit time per network: ``BPForecaster(n_models=K)`` against K separate fits.

    Both train the same K networks (seeds 0..K-1, the forecaster's default
    regressor) on the same training windows; ``separate`` fits them one
    after another as independent regressors, as the forecaster did before
    its networks shared their work. Runs alternate, median of ``repeats``.
    """
    from sklearn.base import clone

    from bpforecast import BPForecaster
    from bpforecast.datasets import load_airline_passengers
    from bpforecast.forecasting.forecaster import default_regressor

    y = load_airline_passengers()
    probe = BPForecaster(n_models=1, random_state=0).fit(y)
    X, Y = probe.X_train_.to_numpy(), probe.y_train_.iloc[:, 0].to_numpy()
    rows = []
    for k in ks:
        seconds = {"separate": [], "forecaster": []}
        for _ in range(repeats):
            start = time.perf_counter()
            for seed in range(k):
                clone(default_regressor()).set_params(random_state=seed).fit(X, Y)
            seconds["separate"].append(time.perf_counter() - start)
            start = time.perf_counter()
            BPForecaster(n_models=k, random_state=0).fit(y)
            seconds["forecaster"].append(time.perf_counter() - start)
        row = {"K": k, "seconds": seconds, "windows": int(X.shape[0])}
        for name, values in seconds.items():
            row[f"ms_per_network_{name}"] = 1e3 * _median(values) / k
        row["forecaster_over_separate"] = _ratio(
            row["ms_per_network_forecaster"], row["ms_per_network_separate"]
        )
        rows.append(row)
    return rows


def print_forecaster_table(rows: list[dict], repeats: int) -> None:
    print(
        f"\nForecaster networks, airline ({rows[0]['windows']} windows): "
        "BPForecaster(n_models=K).fit against K separate fits of its regressor; "
        f"milliseconds per network, median of {repeats}"
    )
    header = f"{'K':>3} {'separate':>10} {'forecaster':>11} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['K']:>3} {r['ms_per_network_separate']:>10.2f} "
            f"{r['ms_per_network_forecaster']:>11.2f} "
            f"{r['forecaster_over_separate']:>7.2f}"
        )


# --------------------------------------------------------------------- main
def blas_summary(info: list[dict]) -> str:
    blas = [lib for lib in info if lib.get("user_api") == "blas"]
    if not blas:
        return "no BLAS found by threadpoolctl"
    lib = next((b for b in blas if "numpy" in (b.get("filepath") or "")), blas[0])
    return (
        f"{lib.get('internal_api')} {lib.get('version')} "
        f"({lib.get('architecture')}), {lib.get('num_threads')} thread(s)"
    )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads via threadpool_limits (default 1; 0 leaves them as is)",
    )
    parser.add_argument(
        "--device",
        default=None,
        help="train the restart fits with BPRegressor(device=...), e.g. 'cuda'; "
        "leaves out the n_jobs=2 mode (default: numpy on the CPU)",
    )
    parser.add_argument(
        "--restart-ks",
        default=None,
        help="comma-separated restart counts K, e.g. 1,16,256 (default: 1,4,16,64)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    cfg = dict(QUICK if args.quick else FULL)
    if args.restart_ks:
        cfg["restart_ks"] = tuple(int(k) for k in args.restart_ks.split(","))
    limits = (
        threadpoolctl.threadpool_limits(args.threads) if args.threads else nullcontext()
    )
    load_before = _loadavg()
    start = time.perf_counter()
    with limits:
        info = threadpoolctl.threadpool_info()
        print(
            f"bpforecast {bpforecast.__version__}, numpy {np.__version__}, "
            f"BLAS: {blas_summary(info)}; --threads {args.threads}"
            f"{' (as is)' if not args.threads else ''}"
            f"{'; QUICK settings' if args.quick else ''}"
        )

        sin_results = []
        for noise in cfg["sin_noises"]:
            X, t = sin_data(noise)
            res = goal_comparison(
                X,
                t,
                goal=SIN_GOAL,
                seeds=cfg["sin_seeds"],
                epochs=cfg["sin_epochs"],
                hidden_layer_sizes=(5,),
                activation="tansig",
                output_activation="purelin",
                scaling=None,
            )
            res["noise_std"] = noise
            sin_results.append(res)
            print_goal_table(
                "SIN: 1-5-1 tansig/purelin, x=-1:0.05:1 (41 points), "
                "t=sin(2*pi*x)"
                + (f" + {noise}*N(0,1) (seed {SIN_NOISE_SEED})" if noise else "")
                + f", scaling=None, goal mse {SIN_GOAL}, min_grad=0, "
                f"random_state 0..{cfg['sin_seeds'] - 1}",
                res,
            )

        X, y = sunspot_windows()
        sun_results = []
        for goal in cfg["sun_goals"]:
            res = goal_comparison(
                X,
                y,
                goal=goal,
                seeds=cfg["sun_seeds"],
                epochs=cfg["sun_epochs"],
                hidden_layer_sizes=(10,),
            )
            sun_results.append(res)
            print_goal_table(
                f"Sunspots: {X.shape[0]} windows of {LAGS} lags, {LAGS}-10-1, "
                f"mapstd, division=None, goal training mse {goal} (scaled units), "
                f"min_grad=0, random_state 0..{cfg['sun_seeds'] - 1}",
                res,
            )

        large = large_comparison(cfg["large_rows"], cfg["large_seeds"])
        print_goal_table(
            f"Large: {large['rows']} rows, 24-20-20-1, mapstd, division=None, "
            f"goal = traingdx's training mse after 1000 epochs "
            f"({large['goal']:.6g}); trainlm skipped (Jacobian {large['rows']} x "
            f"941 and J'J per epoch)",
            large,
        )

        restarts = {}
        for title, (Xr, yr, hidden) in restart_problems().items():
            rows = restart_cost(
                Xr,
                yr,
                hidden,
                cfg["restart_ks"],
                cfg["restart_epochs"],
                cfg["restart_repeats"],
                args.device,
            )
            restarts[title] = rows
            print_restart_table(
                title, rows, cfg["restart_epochs"], cfg["restart_repeats"]
            )
        forecaster = forecaster_cost(cfg["forecaster_ks"], cfg["restart_repeats"])
        print_forecaster_table(forecaster, cfg["restart_repeats"])
    total = time.perf_counter() - start
    load_after = _loadavg()
    print(
        "\nColumns: limit = epochs allowed; reached = runs whose final training "
        "mse <= goal; med/mean ep = epochs to the goal over the runs that reached "
        "it; med/mean s = wall time per run over all runs; ms/epoch = total time "
        "/ total epochs; gdx/lm = traingdx / trainlm."
    )
    print(
        f"Total benchmark time: {total:.1f} s; load average (1 min) "
        f"{load_before:.2f} before, {load_after:.2f} after"
    )
    record = {
        "benchmark": "bench_solvers",
        "quick": args.quick,
        "threads": args.threads,
        "device": args.device,
        "settings": {
            "sin_goal": SIN_GOAL,
            "sin_noise_seed": SIN_NOISE_SEED,
            "lags": LAGS,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()},
        },
        "sin": sin_results,
        "sunspots": sun_results,
        "large": large,
        "restarts": restarts,
        "forecaster": forecaster,
        "threadpool_info": info,
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "bpforecast": bpforecast.__version__,
        },
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform()},
        "total_seconds": total,
        "loadavg_1min": {"before": load_before, "after": load_after},
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
