"""Forecast yearly sunspot numbers 20 years ahead, MATLAB narnet + closeloop style.

The sunspot cycle (about 11 years) is not a calendar season, so no seasonal
adjustment applies; the networks learn the cycle from 1..L lags of the
series. The last 20 years are held out, and a rolling backtest compares the
forecaster with the naive and Theta baselines.

Run::

    python examples/sunspots_forecast.py --plot sunspots_forecast.png
"""

from __future__ import annotations

import argparse

import pandas as pd

from bpforecast import BPForecaster, backtest
from bpforecast.datasets import load_sunspots
from bpforecast.forecasting.baselines import Naive, Theta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=20)
    parser.add_argument("--lags", type=int, default=12)
    parser.add_argument("--n-models", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", help="write a picture of the forecast here")
    args = parser.parse_args(argv)

    y = load_sunspots()
    h = args.horizon
    train, test = y.iloc[:-h], y.iloc[-h:]
    forecaster = BPForecaster(
        lags=args.lags, n_models=args.n_models, random_state=args.seed
    )
    forecast = forecaster.fit(train).predict(h)
    print(
        f"Sunspots {train.index[0].year}-{train.index[-1].year} -> forecast "
        f"{test.index[0].year}-{test.index[-1].year} (lags 1..{args.lags})\n"
    )
    print(
        pd.DataFrame({"actual": test, "forecast": forecast})
        .set_axis(test.index.year)
        .round(1)
        .to_string()
    )

    print("\nRolling backtest, three 10-year folds:")
    rows = {}
    for name, model in (
        ("BPForecaster", forecaster),
        ("Naive", Naive()),
        ("Theta", Theta()),
    ):
        result = backtest(model, y, initial=len(y) - 30, horizon=10)
        rows[name] = result.metrics
    print(pd.DataFrame(rows).T.round(3).to_string())

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4))
        recent = y.iloc[-120:]
        ax.plot(recent.index, recent, color="0.2", label="Observed")
        ax.plot(forecast.index, forecast, color="tab:blue", label="BP forecast")
        ax.set_title("Yearly sunspot numbers: held-out closed-loop forecast")
        ax.set_xlabel("Year")
        ax.set_ylabel("Sunspot number")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"Plot written to {args.plot}")


if __name__ == "__main__":
    main()
