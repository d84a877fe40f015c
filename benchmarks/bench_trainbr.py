"""Generalisation of trainbr against trainlm and traingdx: MATLAB's classic case.

The problem (MathWorks' trainbr example): 41 noisy samples of ``sin(2 pi x)``
at ``x = -1:0.05:1`` (noise sd 0.1, drawn afresh for every seed), a 1-20-1
tansig/purelin network (61 weights and biases, more than the 41 samples).
Per seed all methods start from the same Nguyen-Widrow weights (drawn for
the standardised inputs) and see the same noisy targets; the data are
standardised with mapstd (inputs and targets) as ``BPRegressor`` does, and
the predictions mapped back.

Methods (MATLAB's defaults otherwise):

* ``trainbr``: Bayesian regularisation, epochs 1000, min_grad 1e-7, no
  validation (max_fail 0);
* ``trainlm``: Levenberg-Marquardt on all 41 samples, no early stopping
  (epochs 1000, min_grad 1e-7);
* ``trainlm_early_stop``: trainlm with MATLAB's default ``dividerand``
  (0.70 / 0.15 / 0.15, drawn per seed) and max_fail 6; fitted on the
  training block only, stopped on the validation block, best-validation
  weights returned;
* ``traingdx``: MATLAB's traingdx defaults (lr 0.01, mc 0.9, lr_inc 1.05,
  lr_dec 0.7, max_perf_inc 1.04), epochs 1000, min_grad 1e-5, all 41
  samples, no early stopping.

The figure is the RMS error of the fitted function against the noiseless
``sin(2 pi x)`` on 1001 points of ``[-1, 1]``, median and quartiles over the
seeds; for trainbr also the effective number of parameters gamma at the end
of training. Wall time is the total fit time per method (one process, one
BLAS thread is not enforced: run it on an idle machine for timings).

Training goes through :func:`bpforecast.nn.training.train` (the nn-level
API), because the regressor's ``solver='trainbr'`` is wired separately.

Usage (from the repository root)::

    python benchmarks/bench_trainbr.py            # 30 seeds (~1 minute)
    python benchmarks/bench_trainbr.py --quick    # 3 seeds

The last line of the output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bpforecast.estimators.division import dividerand
from bpforecast.estimators.preprocessing import (
    apply_scaling,
    mapstd_params,
    reverse_scaling,
)
from bpforecast.nn.bayesian import TRAINBR_CRITERIA, TrainBR
from bpforecast.nn.initialization import initialize
from bpforecast.nn.levenberg_marquardt import TrainLM
from bpforecast.nn.network import Architecture, forward, pack
from bpforecast.nn.solvers import TrainGDX
from bpforecast.nn.training import StopCriteria, train

N_SAMPLES, NOISE, HIDDEN = 41, 0.1, 20
GRID = np.linspace(-1.0, 1.0, 1001)[:, None]
TRUTH = np.sin(2.0 * np.pi * GRID)
METHODS = ("trainbr", "trainlm", "trainlm_early_stop", "traingdx")


def data(seed: int):
    """The 41 noisy samples of one seed."""
    x = np.linspace(-1.0, 1.0, N_SAMPLES)[:, None]
    rng = np.random.default_rng(seed)
    return x, np.sin(2.0 * np.pi * x) + NOISE * rng.normal(size=x.shape)


def fit(method: str, seed: int) -> dict:
    """Train one method on one seed's data; RMS error on the grid and details."""
    x, t = data(seed)
    xc, xg, _ = mapstd_params(x)
    tc, tg, _ = mapstd_params(t)
    xs, ts = apply_scaling(x, xc, xg), apply_scaling(t, tc, tg)
    arch = Architecture.build(1, (HIDDEN,), 1, "tansig", "purelin")
    ranges = np.column_stack([xs.min(axis=0), xs.max(axis=0)])
    theta = pack(*initialize(arch, ranges, "nguyen-widrow", seed))
    validation = None
    training = (xs, ts)
    if method == "trainbr":
        solver, criteria = TrainBR(), StopCriteria(**TRAINBR_CRITERIA)
    elif method == "trainlm":
        solver, criteria = TrainLM(), StopCriteria(epochs=1000, min_grad=1e-7)
    elif method == "trainlm_early_stop":
        tr, va, _ = dividerand(N_SAMPLES, 0.7, 0.15, 0.15, random_state=seed)
        training, validation = (xs[tr], ts[tr]), (xs[va], ts[va])
        solver = TrainLM()
        criteria = StopCriteria(epochs=1000, min_grad=1e-7, max_fail=6)
    elif method == "traingdx":
        solver, criteria = TrainGDX(), StopCriteria(epochs=1000, min_grad=1e-5)
    else:
        raise ValueError(method)
    start = time.perf_counter()
    result = train(theta, arch, training, solver, criteria, validation=validation)
    wall = time.perf_counter() - start
    out = forward(result.theta, arch, apply_scaling(GRID, xc, xg))[-1]
    pred = reverse_scaling(out, tc, tg)
    rms = float(np.sqrt(np.mean((pred - TRUTH) ** 2)))
    gamma = result.history["gamma"][-1] if "gamma" in result.history else None
    return {
        "rms": rms,
        "wall": wall,
        "epochs": result.n_epochs,
        "stop": result.stop_reason,
        "gamma": gamma,
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 seeds")
    parser.add_argument("--seeds", type=int, default=30)
    args = parser.parse_args(argv)
    n_seeds = 3 if args.quick else args.seeds
    fit("trainbr", 10_000)  # untimed warm-up
    runs = {m: [] for m in METHODS}
    for seed in range(n_seeds):  # methods interleaved seed by seed
        for m in METHODS:
            runs[m].append(fit(m, seed))

    print(
        f"sin(2 pi x), {N_SAMPLES} samples, noise sd {NOISE}, 1-{HIDDEN}-1 "
        f"(61 parameters), {n_seeds} seeds; RMS error against the noiseless "
        f"function on {GRID.shape[0]} points"
    )
    header = (
        f"{'method':<20}{'median':>9}{'q25':>9}{'q75':>9}{'epochs':>8}"
        f"{'wall s':>8}  stop reasons"
    )
    print(header)
    print("-" * len(header))
    summary = {}
    for m in METHODS:
        rms = np.array([r["rms"] for r in runs[m]])
        q25, med, q75 = np.percentile(rms, [25, 50, 75])
        wall = sum(r["wall"] for r in runs[m])
        epochs = float(np.median([r["epochs"] for r in runs[m]]))
        stops = {}
        for r in runs[m]:
            stops[r["stop"]] = stops.get(r["stop"], 0) + 1
        summary[m] = {
            "median": float(med),
            "q25": float(q25),
            "q75": float(q75),
            "median_epochs": epochs,
            "wall_s": round(wall, 3),
            "stop_reasons": stops,
        }
        stop_text = ", ".join(f"{k} {v}" for k, v in sorted(stops.items()))
        print(
            f"{m:<20}{med:>9.4f}{q25:>9.4f}{q75:>9.4f}{epochs:>8.0f}"
            f"{wall:>8.2f}  {stop_text}"
        )
    gammas = [r["gamma"] for r in runs["trainbr"]]
    gamma_med = float(np.median(gammas))
    print(
        f"trainbr: median gamma {gamma_med:.1f} of 61 parameters "
        f"(quartiles {np.percentile(gammas, 25):.1f}, "
        f"{np.percentile(gammas, 75):.1f})"
    )
    best = min(METHODS, key=lambda m: summary[m]["median"])
    print(f"lowest median error: {best}")
    record = {
        "benchmark": "trainbr_generalisation",
        "seeds": n_seeds,
        "methods": summary,
        "trainbr_median_gamma": gamma_med,
        "lowest_median": best,
    }
    print(json.dumps(record))
    return record


if __name__ == "__main__":
    main()
