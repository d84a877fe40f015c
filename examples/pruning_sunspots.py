"""Prune a sunspot network: principal-component pruning and unit removal.

A ``20-10-10-1`` tanh network (20 lags: more than the series needs) is
trained by Levenberg-Marquardt with early stopping on yearly sunspots, with
the classic blocks by target year: training up to 1920, validation
1921-1955, test 1956-1979. It is then pruned

1. by principal components of each layer's inputs (Levin, Leen & Moody),
   keeping the validation error within ``--tol`` (2 %) of the unpruned
   network's, and
2. by removing redundant hidden units,

and the reports and the test errors before and after are printed. Last, a
BPForecaster on the whole series is pruned with ``prune_forecaster`` (the
validation block is the end of its training windows) and forecasts the next
years.

Run::

    python examples/pruning_sunspots.py --plot pruning.png
"""

from __future__ import annotations

import argparse

import numpy as np

from bpforecast import BPForecaster, BPRegressor
from bpforecast.datasets import load_sunspots
from bpforecast.pruning import prune, prune_forecaster


def lagged(values: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``[y(t-1), ..., y(t-lags)]`` and targets ``y(t)``."""
    windows = np.lib.stride_tricks.sliding_window_view(values, lags + 1)
    return windows[:, :-1][:, ::-1].copy(), windows[:, -1].copy()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lags", type=int, default=20)
    parser.add_argument("--tol", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--retrain-epochs", type=int, default=0)
    parser.add_argument("--plot", help="write the weight-pruning plot here")
    args = parser.parse_args(argv)

    series = load_sunspots()
    series = series[series.index.year <= 1979]
    X, y = lagged(series.to_numpy(), args.lags)
    years = series.index.year[args.lags :]
    train, val, test = years <= 1920, (years > 1920) & (years <= 1955), years > 1955
    model = BPRegressor(
        hidden_layer_sizes=(10, 10),
        solver="trainlm",
        epochs=300,
        division="block",
        division_ratios=(train.sum(), val.sum(), 0),
        random_state=args.seed,
    ).fit(X[train | val], y[train | val])

    def test_mse(m) -> float:
        return float(np.mean((m.predict(X[test]) - y[test]) ** 2))

    print(
        f"Yearly sunspots, {args.lags} lags, network {args.lags}-10-10-1 (trainlm); "
        f"train {years[train][0]}-{years[train][-1]}, validation "
        f"{years[val][0]}-{years[val][-1]}, test {years[test][0]}-{years[test][-1]}.\n"
    )
    reports = {}
    for method in ("weights", "units"):
        pruned, report = prune(
            model,
            X[val],
            y[val],
            method=method,
            X_train=X[train],
            y_train=y[train],
            tol=args.tol,
            retrain_epochs=args.retrain_epochs,
        )
        reports[method] = (pruned, report)
        print(report.summary())
        print(
            f"Test mse (sunspot units): {test_mse(model):.1f} before, "
            f"{test_mse(pruned):.1f} after.\n"
        )

    pruned, report = reports["weights"]
    print("One-step test forecasts of the weight-pruned network:")
    print(pruned.report(X[test], y[test]).summary())

    net = BPRegressor(
        (10,), solver="trainlm", epochs=200, division_ratios=(0.8, 0.2, 0.0)
    )
    forecaster = BPForecaster(net, lags=args.lags, n_models=3, random_state=args.seed)
    forecaster.fit(series)
    smaller, f_reports = prune_forecaster(forecaster, tol=args.tol)
    print("\nBPForecaster (3 networks) pruned by principal components:")
    for k, r in enumerate(f_reports):
        p = r.params
        print(
            f"  network {k}: effective parameters {p['effective_before']} -> "
            f"{p['effective_after']}, validation mse "
            f"{r.errors.loc['before', 'val_mse_y']:.4g} -> "
            f"{r.errors.loc['after', 'val_mse_y']:.4g}"
        )
    both = forecaster.predict(5).to_frame("unpruned")
    both["pruned"] = smaller.predict(5)
    both.index = both.index.year
    print("Forecasts of the next five years:")
    print(both.round(1).to_string())

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        report.plot().savefig(args.plot, dpi=110)
        print(f"\nPlot written to {args.plot}")


if __name__ == "__main__":
    main()
