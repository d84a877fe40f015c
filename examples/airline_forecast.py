"""Forecast monthly airline passengers two years ahead, with 90 % intervals.

A seasonal series with trend: the forecaster logs it, removes the seasonal
pattern, trains an ensemble of BP networks on level-normalised lag windows
and feeds each network its own predictions (MATLAB's closed loop). The last
two years are held out and compared with seasonal-naive and Theta forecasts.

Run::

    python examples/airline_forecast.py --plot airline_forecast.png
"""

from __future__ import annotations

import argparse

import pandas as pd

from bpforecast import BPForecaster
from bpforecast.datasets import load_airline_passengers
from bpforecast.evaluation.metrics import mase, smape
from bpforecast.forecasting.baselines import SeasonalNaive, Theta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=24)
    parser.add_argument("--n-models", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", help="write a picture of the forecast here")
    args = parser.parse_args(argv)

    y = load_airline_passengers()
    train, test = y.iloc[: -args.horizon], y.iloc[-args.horizon :]
    forecaster = BPForecaster(n_models=args.n_models, random_state=args.seed)
    forecaster.fit(train)
    out = forecaster.predict_interval(args.horizon, coverage=0.9)

    print(
        f"Airline passengers: trained on {train.index[0]:%Y-%m}.."
        f"{train.index[-1]:%Y-%m}"
        f" ({len(train)} months); lags {forecaster.lags_.tolist()}, "
        f"seasonal adjustment: {forecaster.seasonal_.seasonal_}\n"
    )
    table = out.assign(actual=test)
    print(table.round(1).to_string())
    rows = {"BPForecaster": out["forecast"]}
    for name, model in (("SeasonalNaive", SeasonalNaive()), ("Theta", Theta())):
        rows[name] = model.fit(train).predict(args.horizon)
    scores = pd.DataFrame(
        {
            name: {
                "sMAPE": smape(test, pred),
                "MASE": mase(test, pred, train, season_length=12),
            }
            for name, pred in rows.items()
        }
    ).T
    print("\nHeld-out accuracy (last", args.horizon, "months):")
    print(scores.round(3).to_string())
    inside = ((test >= out["lower"]) & (test <= out["upper"])).mean()
    print(f"\nShare of actuals inside the 90 % interval: {inside:.0%}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4.5))
        ax.plot(y.index, y, color="0.2", label="Observed")
        ax.plot(out.index, out["forecast"], color="tab:blue", label="BP forecast")
        ax.fill_between(
            out.index,
            out["lower"],
            out["upper"],
            color="tab:blue",
            alpha=0.2,
            label="90 % interval",
        )
        ax.plot(out.index, rows["Theta"], color="tab:orange", ls="--", label="Theta")
        ax.set_title("Monthly airline passengers: held-out forecast")
        ax.set_xlabel("Month")
        ax.set_ylabel("Passengers (thousands)")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"Plot written to {args.plot}")


if __name__ == "__main__":
    main()
