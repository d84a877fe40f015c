"""Backtesting: forecast from successive origins and compare with what happened.

:func:`backtest` works with any forecaster that has ``fit(y[, exog])`` and
``predict(steps[, exog])`` returning values for the next ``steps`` periods:
:class:`~bpforecast.BPForecaster` and the baselines in
:mod:`bpforecast.forecasting.baselines` alike, so every accuracy claim can be made
against a baseline in the same run.

Examples
--------
>>> from bpforecast.evaluation.backtesting import backtest
>>> from bpforecast.forecasting.baselines import SeasonalNaive
>>> from bpforecast.datasets import load_airline_passengers
>>> y = load_airline_passengers()
>>> result = backtest(SeasonalNaive(), y, initial=120, horizon=12, step=12)
>>> result.folds[["fold", "step"]].max().tolist()
[1, 12]
>>> round(float(result.metrics["smape"]), 2)
11.17
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone

from .metrics import mae, mase, rmse, smape


@dataclass
class BacktestResult:
    """Per-fold forecasts and their accuracy.

    Attributes
    ----------
    folds : pandas.DataFrame
        One row per fold and horizon step: ``fold``, ``origin`` (the last
        time point seen by the forecaster), ``time`` (the forecast target
        time), ``step``, ``actual``, ``forecast``.
    fold_metrics : pandas.DataFrame
        MAE, RMSE, sMAPE and MASE per fold.
    metrics : pandas.Series
        The mean of ``fold_metrics`` over folds.

    Examples
    --------
    >>> from bpforecast.evaluation.backtesting import backtest
    >>> from bpforecast.forecasting.baselines import Naive
    >>> from bpforecast.datasets import load_nile
    >>> r = backtest(Naive(), load_nile(), initial=80, horizon=5, step=5)
    >>> len(r.fold_metrics)
    4
    """

    folds: pd.DataFrame
    fold_metrics: pd.DataFrame
    metrics: pd.Series

    def summary(self) -> str:
        """A short readable summary.

        Examples
        --------
        >>> from bpforecast.evaluation.backtesting import backtest
        >>> from bpforecast.forecasting.baselines import Naive
        >>> from bpforecast.datasets import load_nile
        >>> r = backtest(Naive(), load_nile(), initial=80, horizon=5, step=5)
        >>> r.summary().splitlines()[0]
        'Backtest: 4 folds, horizon 5'
        """
        n_folds = int(self.folds["fold"].nunique())
        horizon = int(self.folds["step"].max())
        lines = [f"Backtest: {n_folds} folds, horizon {horizon}"]
        lines += [f"  {name:<6} {value:12.4f}" for name, value in self.metrics.items()]
        return "\n".join(lines)


def _accepts_exog(method) -> bool:
    return "exog" in inspect.signature(method).parameters


def backtest(
    forecaster,
    y,
    initial: int,
    horizon: int,
    step: int | None = None,
    refit: bool = True,
    exog=None,
    season_length: int | None = None,
) -> BacktestResult:
    """Rolling-origin evaluation of a forecaster on one series.

    Origins are ``initial, initial + step, ...`` as long as ``horizon``
    values follow. At each origin the forecaster is fitted on the values
    before it (``refit=True``; a fresh clone each time) or, with
    ``refit=False``, fitted once at the first origin and then given the
    longer history through its ``forecast_from`` method (BPForecaster has
    one), then asked for ``horizon`` values.

    Parameters
    ----------
    forecaster : object with fit(y[, exog]) and predict(steps[, exog])
    y : pandas Series or 1-D array
    initial : int
        Length of the first training series.
    horizon : int
        Steps forecast from each origin.
    step : int, optional
        Distance between origins; defaults to ``horizon`` (non-overlapping).
    refit : bool, default=True
    exog : DataFrame, optional
        Exogenous variables aligned with ``y``; each fold gets the past part
        for fitting and the next ``horizon`` rows for predicting.
    season_length : int, optional
        For MASE's seasonal-naive scale; by default the forecaster's
        ``season_length_`` after fitting, else inferred from the index.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> from bpforecast import BPForecaster
    >>> from bpforecast.evaluation.backtesting import backtest
    >>> from bpforecast.datasets import load_nile
    >>> f = BPForecaster(n_models=1, random_state=0)
    >>> r = backtest(f, load_nile(), initial=80, horizon=10, refit=False)
    >>> sorted(r.metrics.index)
    ['mae', 'mase', 'rmse', 'smape']
    """
    from ..forecasting.baselines import infer_season_length

    series = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y, dtype=float))
    n = len(series)
    for name, value in (("initial", initial), ("horizon", horizon)):
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Integral)
            or value < 1
        ):
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if initial < 2:
        raise ValueError(
            f"initial must be at least 2 (the first training series needs an "
            f"in-sample naive error for MASE), got {initial}."
        )
    if season_length is not None and (
        isinstance(season_length, bool)
        or not isinstance(season_length, numbers.Integral)
        or season_length < 1
    ):
        raise ValueError(
            f"season_length must be a positive integer, got {season_length!r}."
        )
    step = horizon if step is None else step
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 1:
        raise ValueError(f"step must be a positive integer, got {step!r}.")
    if initial + horizon > n:
        raise ValueError(
            f"initial={initial} plus horizon={horizon} exceeds the series length {n}."
        )
    if exog is not None and len(exog) != n:
        raise ValueError(f"exog has {len(exog)} rows; y has {n}.")
    if not refit and not hasattr(forecaster, "forecast_from"):
        raise ValueError(
            f"refit=False needs a forecaster with forecast_from(); "
            f"{type(forecaster).__name__} has none."
        )

    def part(frame, start, stop):
        return None if frame is None else frame.iloc[start:stop]

    origins = range(initial, n - horizon + 1, step)
    rows, fold_rows = [], []
    fitted = None
    for fold, origin in enumerate(origins):
        train = series.iloc[:origin]
        if refit or fitted is None:
            fitted = clone(forecaster)
            if exog is not None and _accepts_exog(fitted.fit):
                fitted.fit(train, exog=part(exog, 0, origin))
            else:
                fitted.fit(train)
        if refit or origin == initial:
            if exog is not None and _accepts_exog(fitted.predict):
                pred = fitted.predict(
                    horizon, exog=part(exog, origin, origin + horizon)
                )
            else:
                pred = fitted.predict(horizon)
            pred = np.asarray(pred, dtype=float).ravel()
        else:
            pred = np.asarray(
                fitted.forecast_from(
                    train, horizon, exog=part(exog, 0, origin + horizon)
                ),
                dtype=float,
            )
        actual = series.iloc[origin : origin + horizon]
        m = season_length or getattr(fitted, "season_length_", None)
        m = int(m) if m else infer_season_length(series.index)
        if len(train) <= m:
            m = 1
        for h in range(horizon):
            rows.append(
                {
                    "fold": fold,
                    "origin": series.index[origin - 1],
                    "time": actual.index[h],
                    "step": h + 1,
                    "actual": float(actual.iloc[h]),
                    "forecast": float(pred[h]),
                }
            )
        a = actual.to_numpy(dtype=float)
        fold_rows.append(
            {
                "fold": fold,
                "mae": mae(a, pred),
                "rmse": rmse(a, pred),
                "smape": smape(a, pred),
                "mase": mase(a, pred, train.to_numpy(dtype=float), season_length=m),
            }
        )
    folds = pd.DataFrame(rows)
    fold_metrics = pd.DataFrame(fold_rows).set_index("fold")
    return BacktestResult(folds, fold_metrics, fold_metrics.mean())
