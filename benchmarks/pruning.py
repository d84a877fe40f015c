"""Pruning benchmark: yearly sunspots with more lags than needed.

The classic sunspot set-up (Weigend, Huberman & Rumelhart 1990; the trial in
``shared/reference/pca-pruning.md``): predict the yearly sunspot number from
the previous ``--lags`` years (20 by default, more than the 9-12 the
literature uses) with a ``lags-10-10-1`` tanh network trained by
Levenberg-Marquardt (``solver='trainlm'``) with early stopping. Blocks by
target year: training up to 1920, validation 1921-1955 (early stopping and
the choice of k), test 1956-1979. Scaling is fitted on the training and
validation windows only.

For each of ``--seeds`` seeds the network is pruned with

* ``weights``: principal-component pruning by saliency (Levin, Leen & Moody),
  at ``tol=0`` (validation error no worse) and ``tol=0.02`` (within 2 %),
* ``weights-eig``: the same in eigenvalue order, ``tol=0.02``,
* ``units``: removal of redundant hidden units, ``tol=0.02``,

and the script prints, per seed, the effective parameters before/after and
the normalised validation and test errors before/after, then the medians
over seeds, and as its very last line one JSON object with every figure.
Errors are NMSE: mse (sunspot units) divided by the variance of the series
1700-1979 (Weigend's "average relative variance" convention).

The target of the issue: at least 30 % fewer effective parameters with the
validation error within 2 % of the unpruned network's (``weights``,
``tol=0.02``); whether it is met is printed.

Run::

    python benchmarks/pruning.py              # 10 seeds, 20 lags (a minute or so)
    python benchmarks/pruning.py --lags 12    # the reference's 12-10-10-1
    python benchmarks/pruning.py --quick      # 2 seeds, smoke run
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bpforecast import BPRegressor  # noqa: E402
from bpforecast.datasets import load_sunspots  # noqa: E402
from bpforecast.pruning import prune  # noqa: E402

CONFIGS = {
    "weights": {"method": "weights", "tol": 0.0},
    "weights-2%": {"method": "weights", "tol": 0.02},
    "weights-eig-2%": {"method": "weights", "tol": 0.02, "order": "eigenvalue"},
    "units-2%": {"method": "units", "tol": 0.02},
}
MAIN = "weights-2%"


def sunspot_blocks(lags: int):
    """Lag windows and the train / validation / test blocks by target year."""
    series = load_sunspots()
    series = series[series.index.year <= 1979]
    values = series.to_numpy()
    windows = np.lib.stride_tricks.sliding_window_view(values, lags + 1)
    X = windows[:, :-1][:, ::-1].copy()  # column k-1 holds lag k
    y = windows[:, -1].copy()
    years = series.index.year[lags:]
    train = years <= 1920
    val = (years >= 1921) & (years <= 1955)
    test = years >= 1956
    variance = float(np.var(values))
    return X, y, years, train, val, test, variance


def run_seed(seed, lags, hidden, X, y, train, val, test, variance) -> dict:
    n_train, n_val = int(train.sum()), int(val.sum())
    fit_rows = train | val
    model = BPRegressor(
        hidden_layer_sizes=hidden,
        solver="trainlm",
        epochs=300,
        max_fail=6,
        division="block",
        division_ratios=(n_train, n_val, 0),
        random_state=seed,
    )
    start = time.perf_counter()
    model.fit(X[fit_rows], y[fit_rows])
    fit_seconds = time.perf_counter() - start

    def nmse(m, rows) -> float:
        return float(np.mean((m.predict(X[rows]) - y[rows]) ** 2) / variance)

    out = {
        "seed": seed,
        "fit_seconds": fit_seconds,
        "epochs": int(model.n_epochs_),
        "val_before": nmse(model, val),
        "test_before": nmse(model, test),
    }
    for name, config in CONFIGS.items():
        start = time.perf_counter()
        pruned, report = prune(
            model,
            X[val],
            y[val],
            X_train=X[train],
            y_train=y[train],
            **config,
        )
        seconds = time.perf_counter() - start
        p = report.params
        out[name] = {
            "stored": p["stored_before"],
            "stored_after": p["stored_after"],
            "effective_before": p["effective_before"],
            "effective_after": p["effective_after"],
            "reduction": p["effective_reduction"],
            "kept": [f"{info.n_after}/{info.n_before}" for info in report.layers],
            "val_after": nmse(pruned, val),
            "test_after": nmse(pruned, test),
            "seconds": seconds,
        }
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lags", type=int, default=20)
    parser.add_argument("--hidden", type=int, nargs="+", default=[10, 10])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="2 seeds")
    args = parser.parse_args(argv)
    n_seeds = 2 if args.quick else args.seeds
    hidden = tuple(args.hidden)

    X, y, years, train, val, test, variance = sunspot_blocks(args.lags)
    arch = "-".join(str(n) for n in (args.lags, *hidden, 1))
    print(
        f"Yearly sunspots, {args.lags} lags, network {arch} (trainlm, early "
        f"stopping); targets {years[train][0]}-{years[train][-1]} train, "
        f"{years[val][0]}-{years[val][-1]} validation, "
        f"{years[test][0]}-{years[test][-1]} test. NMSE = mse / var(1700-1979)."
    )
    design = np.column_stack([np.ones(int(train.sum())), X[train]])
    coef = np.linalg.lstsq(design, y[train], rcond=None)[0]
    linear = {
        name: float(np.mean((coef[0] + X[rows] @ coef[1:] - y[rows]) ** 2) / variance)
        for name, rows in (("val", val), ("test", test))
    }
    print(
        f"Reference: linear AR({args.lags}) by least squares on the training block: "
        f"validation NMSE {linear['val']:.4f}, test NMSE {linear['test']:.4f}."
    )
    results = []
    for seed in range(n_seeds):
        results.append(
            run_seed(seed, args.lags, hidden, X, y, train, val, test, variance)
        )

    print(f"\nPer seed, method '{MAIN}' (saliency order, tol = 0.02):")
    header = (
        f"{'seed':>4} {'eff. params':>13} {'removed':>8} {'kept per layer':>20} "
        f"{'val before':>11} {'val after':>10} {'test before':>12} {'test after':>11}"
    )
    print(header)
    for r in results:
        m = r[MAIN]
        params = f"{m['effective_before']}->{m['effective_after']}"
        print(
            f"{r['seed']:>4} {params:>13} {100 * m['reduction']:>7.1f}% "
            f"{' '.join(m['kept']):>20} {r['val_before']:>11.4f} "
            f"{m['val_after']:>10.4f} {r['test_before']:>12.4f} "
            f"{m['test_after']:>11.4f}"
        )

    medians = {}
    print(f"\nMedians over {n_seeds} seeds:")
    print(
        f"{'method':<16} {'eff. params':>13} {'removed':>8} {'val before':>11} "
        f"{'val after':>10} {'val ratio':>10} {'test before':>12} "
        f"{'test after':>11} {'test better':>12}"
    )
    for name in CONFIGS:
        rows = [r[name] for r in results]
        ratio = [
            m["val_after"] / r["val_before"] for m, r in zip(rows, results, strict=True)
        ]
        better = sum(
            m["test_after"] < r["test_before"]
            for m, r in zip(rows, results, strict=True)
        )
        med = {
            "effective_before": float(np.median([m["effective_before"] for m in rows])),
            "effective_after": float(np.median([m["effective_after"] for m in rows])),
            "reduction": float(np.median([m["reduction"] for m in rows])),
            "min_reduction": float(np.min([m["reduction"] for m in rows])),
            "val_before": float(np.median([r["val_before"] for r in results])),
            "val_after": float(np.median([m["val_after"] for m in rows])),
            "max_val_ratio": float(np.max(ratio)),
            "test_before": float(np.median([r["test_before"] for r in results])),
            "test_after": float(np.median([m["test_after"] for m in rows])),
            "test_better": int(better),
        }
        medians[name] = med
        params = f"{med['effective_before']:.0f}->{med['effective_after']:.0f}"
        print(
            f"{name:<16} {params:>13} {100 * med['reduction']:>7.1f}% "
            f"{med['val_before']:>11.4f} {med['val_after']:>10.4f} "
            f"{med['max_val_ratio']:>10.4f} {med['test_before']:>12.4f} "
            f"{med['test_after']:>11.4f} {better:>8}/{n_seeds}"
        )
    print("(val ratio: the largest, over seeds, of validation NMSE after / before.)")

    main_med = medians[MAIN]
    met = main_med["reduction"] >= 0.30 and main_med["max_val_ratio"] <= 1.02 + 1e-9
    print(
        f"\nTarget (>= 30 % fewer effective parameters, validation error within "
        f"2 %; method '{MAIN}', medians): reduction "
        f"{100 * main_med['reduction']:.1f} % (smallest over seeds "
        f"{100 * main_med['min_reduction']:.1f} %), validation ratio at most "
        f"{main_med['max_val_ratio']:.4f} -> {'MET' if met else 'NOT MET'}."
    )
    summary = {
        "benchmark": "pruning",
        "series": "sunspots",
        "lags": args.lags,
        "architecture": arch,
        "seeds": n_seeds,
        "target_met": bool(met),
        "linear_ar_nmse": linear,
        "medians": medians,
        "per_seed": results,
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
