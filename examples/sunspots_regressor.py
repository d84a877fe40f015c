"""Fit a BP network on lagged yearly sunspots and print its relative-error report.

The classic set-up of the BP-forecasting literature: predict this year's
sunspot number from the previous ``--lags`` years with a tansig-tansig-purelin
network trained by traingdx, with a time-ordered train/validation/test split
inside ``fit`` (70/15/15 %) and early stopping on the validation block.

Run::

    python examples/sunspots_regressor.py --plot sunspots_report.png

Examples
--------
$ python examples/sunspots_regressor.py --epochs 50
"""

from __future__ import annotations

import argparse

import numpy as np

from bpforecast import BPRegressor
from bpforecast.datasets import load_sunspots


def lagged(values: np.ndarray, lags: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``[y(t-lags), ..., y(t-1)]`` and targets ``y(t)``."""
    windows = np.lib.stride_tricks.sliding_window_view(values, lags + 1)
    return windows[:, :-1].copy(), windows[:, -1].copy()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lags", type=int, default=9)
    parser.add_argument("--epochs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", help="write the training-performance plot here")
    args = parser.parse_args(argv)

    series = load_sunspots()
    X, y = lagged(series.to_numpy(), args.lags)
    model = BPRegressor(
        hidden_layer_sizes=(10, 10),
        lr=0.01,
        epochs=args.epochs,
        max_fail=20,
        random_state=args.seed,
    )
    model.fit(X, y)

    test = model.test_indices_
    report = model.report(X[test], y[test])
    years = series.index[args.lags :][test]
    print(
        f"Yearly sunspots {series.index[0].year}-{series.index[-1].year}, "
        f"{args.lags} lags; test block {years[0].year}-{years[-1].year}\n"
    )
    print(report.summary())
    print("\nLast ten test years:")
    table = report.to_frame().tail(10).copy()
    table.index = years[-10:].year
    table.index.name = "year"
    print(table.round(3).to_string())
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        report.plot().savefig(args.plot, dpi=110)
        print(f"\nPlot written to {args.plot}")


if __name__ == "__main__":
    main()
