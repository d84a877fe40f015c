"""NARX: forecast a series driven by an exogenous input (MATLAB's narxnet).

A synthetic plant: the output responds to a known input signal with a lag
and a nonlinearity, plus noise. The forecaster uses past outputs and the
input at lags 0-2; forecasting needs the input's future values (a known
schedule), which are passed to ``predict``. A network that ignores the
input (NAR) is shown for comparison.

Run::

    python examples/narx_forecast.py --plot narx.png
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from bpforecast import BPForecaster
from bpforecast.evaluation.metrics import rmse


def simulate(n: int, seed: int = 0) -> tuple[pd.Series, pd.DataFrame]:
    """y(t) = 0.6 y(t-1) + 2 tanh(u(t-1)) + 0.5 u(t) + noise, u a square-ish wave."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    u = np.sign(np.sin(2 * np.pi * t / 40)) + 0.3 * rng.normal(size=n)
    y = np.zeros(n)
    for k in range(1, n):
        y[k] = 0.6 * y[k - 1] + 2 * np.tanh(u[k - 1]) + 0.5 * u[k]
        y[k] += 0.1 * rng.normal()
    index = pd.date_range("2024-01-01", periods=n, freq="h")
    return pd.Series(y, index=index, name="y"), pd.DataFrame({"u": u}, index=index)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--horizon", type=int, default=48)
    parser.add_argument("--n-models", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", help="write a picture of the forecasts here")
    args = parser.parse_args(argv)

    y, exog = simulate(args.n + args.horizon, args.seed)
    h = args.horizon
    y_train, y_test = y.iloc[:-h], y.iloc[-h:]
    u_train, u_future = exog.iloc[:-h], exog.iloc[-h:]
    common = dict(
        lags=2,
        season_length=1,
        transform=None,
        n_models=args.n_models,
        random_state=args.seed,
    )
    narx = BPForecaster(exog_lags=[0, 1, 2], **common).fit(y_train, exog=u_train)
    nar = BPForecaster(**common).fit(y_train)
    pred_narx = narx.predict(h, exog=u_future)
    pred_nar = nar.predict(h)
    print(f"NARX forecast of {h} hours with the known future input u:")
    print(
        pd.DataFrame({"actual": y_test, "narx": pred_narx, "nar": pred_nar})
        .head(12)
        .round(3)
        .to_string()
    )
    print(
        f"\nRMSE over {h} steps: NARX {rmse(y_test, pred_narx):.3f}, "
        f"NAR (no input) {rmse(y_test, pred_nar):.3f}"
    )
    try:
        narx.predict(h)
    except ValueError as err:
        print(f"\nWithout the future input, predict refuses: {err}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4))
        tail = y.iloc[-4 * h :]
        ax.plot(tail.index, tail, color="0.2", label="Observed")
        ax.plot(pred_narx.index, pred_narx, color="tab:blue", label="NARX forecast")
        ax.plot(
            pred_nar.index, pred_nar, color="tab:red", ls="--", label="NAR forecast"
        )
        ax.set_title("Closed-loop forecasts with and without the exogenous input")
        ax.set_xlabel("Time")
        ax.set_ylabel("y")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"Plot written to {args.plot}")


if __name__ == "__main__":
    main()
