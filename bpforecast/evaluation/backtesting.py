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
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone

from ..forecasting.series import check_positive_int, infer_season_length
from ..results import Results, Summary
from ..threads import one_thread
from . import metrics as metric_functions
from .splitters import RollingOriginSplit


@dataclass
class BacktestResult(Results):
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

    def summary(self) -> Summary:
        """The mean of each metric over the folds, and the folds' spread.

        Returns
        -------
        Summary
            Prints as text (it is a ``str``) and renders as a table in a
            notebook.

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
        spread = self.fold_metrics.agg(["mean", "std", "min", "max"]).T
        return Summary(
            f"Backtest: {n_folds} folds, horizon {horizon}",
            [
                ("Metrics, mean of the folds", list(self.metrics.items())),
                ("Per-fold spread", spread),
            ],
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-fold forecasts and actuals (a copy of :attr:`folds`).

        Examples
        --------
        >>> from bpforecast.evaluation.backtesting import backtest
        >>> from bpforecast.forecasting.baselines import Naive
        >>> from bpforecast.datasets import load_nile
        >>> r = backtest(Naive(), load_nile(), initial=80, horizon=5, step=5)
        >>> list(r.to_frame().columns)
        ['fold', 'origin', 'time', 'step', 'actual', 'forecast']
        """
        return self.folds.copy()


def _accepts_exog(method) -> bool:
    return "exog" in inspect.signature(method).parameters


#: The metrics :func:`backtest` reports by default, in column order.
DEFAULT_METRICS = ("mae", "rmse", "smape", "mase")
#: The names ``metrics=`` accepts: the scalar metrics of
#: :mod:`bpforecast.evaluation.metrics`.
METRIC_NAMES = ("mae", "mape", "mase", "rmse", "smape")


def _resolve_metrics(metrics) -> dict[str, Callable]:
    """``metrics`` as an ordered ``{name: function}``."""
    if metrics is None:
        metrics = DEFAULT_METRICS
    if isinstance(metrics, str):
        metrics = [metrics]
    if isinstance(metrics, Mapping):
        resolved = dict(metrics)
        bad = [name for name, fn in resolved.items() if not callable(fn)]
        if bad:
            raise TypeError(f"metrics {bad} are not callable.")
    else:
        resolved = {}
        for name in metrics:
            if not isinstance(name, str) or name not in METRIC_NAMES:
                raise ValueError(
                    f"unknown metric {name!r}; the names are {list(METRIC_NAMES)}, "
                    "or pass a dict {name: function(y_true, y_pred)}."
                )
            resolved[name] = getattr(metric_functions, name)
    if not resolved:
        raise ValueError("metrics is empty: name at least one metric.")
    return resolved


def _score(fn: Callable, actual, pred, train, season_length: int) -> float:
    """One metric of one fold; scaled metrics (``y_train``) get the history."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    kwargs = {}
    if "y_train" in params:
        kwargs["y_train"] = train
        if "season_length" in params:
            kwargs["season_length"] = season_length
    return float(fn(actual, pred, **kwargs))


def _run_fold(forecaster, series, exog, train_idx, test_idx, fit: bool, first: bool):
    """Forecast one fold: ``(fitted forecaster, forecasts)``, with one BLAS
    thread (:func:`~bpforecast.threads.one_thread`) wherever it runs."""
    with one_thread():
        return _fold(forecaster, series, exog, train_idx, test_idx, fit, first)


def _fold(forecaster, series, exog, train_idx, test_idx, fit: bool, first: bool):
    origin = int(train_idx[-1]) + 1
    horizon = len(test_idx)
    train = series.iloc[:origin]
    part = (lambda a, b: None) if exog is None else (lambda a, b: exog.iloc[a:b])
    fitted = forecaster
    if fit:
        fitted = clone(forecaster)
        if exog is not None and _accepts_exog(fitted.fit):
            fitted.fit(train, exog=part(0, origin))
        else:
            fitted.fit(train)
    if first:
        if exog is not None and _accepts_exog(fitted.predict):
            pred = fitted.predict(horizon, exog=part(origin, origin + horizon))
        else:
            pred = fitted.predict(horizon)
    else:
        pred = fitted.forecast_from(train, horizon, exog=part(0, origin + horizon))
    return fitted, np.asarray(pred, dtype=float).ravel()


def backtest(
    forecaster,
    y,
    initial: int,
    horizon: int,
    step: int | None = None,
    refit: bool = True,
    exog=None,
    season_length: int | None = None,
    metrics=None,
    n_jobs: int | None = 1,
) -> BacktestResult:
    """Rolling-origin evaluation of a forecaster on one series.

    The folds are those of
    :class:`~bpforecast.evaluation.splitters.RollingOriginSplit` with
    ``initial``, ``horizon`` and ``step``: origins ``initial, initial + step,
    ...`` as long as ``horizon`` values follow. At each origin the
    forecaster is fitted on the values before it (``refit=True``; a fresh
    clone each time) or, with ``refit=False``, fitted once at the first
    origin and then given the longer history through its ``forecast_from``
    method (BPForecaster has one), then asked for ``horizon`` values.

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
    metrics : dict or list of str, optional
        The accuracy measures per fold: names of functions in
        :mod:`bpforecast.evaluation.metrics` (``["mae", "mape"]``) or a dict
        ``{name: function(y_true, y_pred)}``. A function with a ``y_train``
        parameter (a scaled error such as ``mase``) also gets the fold's
        training values and ``season_length``. Default: MAE, RMSE, sMAPE
        and MASE.
    n_jobs : int or None, default=1
        Folds forecast in parallel by joblib (-1: all cores). Every fold
        runs with one BLAS thread, in this process as in the workers
        (:mod:`bpforecast.threads`), so the results are bit-identical for
        every ``n_jobs``. With ``refit=False`` the one fit
        is made first, and the folds share it.

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

    Other metrics, by name or as functions:

    >>> from bpforecast.forecasting.baselines import Naive
    >>> r = backtest(Naive(), load_nile(), initial=80, horizon=10,
    ...              metrics=["mae", "mape"])
    >>> r.fold_metrics.columns.tolist()
    ['mae', 'mape']
    """
    series = y if isinstance(y, pd.Series) else pd.Series(np.asarray(y, dtype=float))
    n = len(series)
    for name, value in (("initial", initial), ("horizon", horizon)):
        check_positive_int(value, name)
    if initial < 2:
        raise ValueError(
            f"initial must be at least 2 (the first training series needs an "
            f"in-sample naive error for MASE), got {initial}."
        )
    if season_length is not None:
        check_positive_int(season_length, "season_length")
    step = horizon if step is None else step
    check_positive_int(step, "step")
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
    scorers = _resolve_metrics(metrics)

    splitter = RollingOriginSplit(initial=initial, horizon=horizon, step=step)
    folds = list(splitter.split(np.zeros(n)))
    parallel = Parallel(n_jobs=n_jobs)
    if refit:
        outputs = parallel(
            delayed(_run_fold)(forecaster, series, exog, train, test, True, True)
            for train, test in folds
        )
    else:
        first = _run_fold(forecaster, series, exog, *folds[0], True, True)
        fitted = first[0]
        outputs = [first] + parallel(
            delayed(_run_fold)(fitted, series, exog, train, test, False, False)
            for train, test in folds[1:]
        )

    rows, fold_rows = [], []
    for fold, ((train_idx, test_idx), (fitted, pred)) in enumerate(
        zip(folds, outputs, strict=True)
    ):
        origin = int(train_idx[-1]) + 1
        train = series.iloc[:origin]
        actual = series.iloc[test_idx]
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
        history = train.to_numpy(dtype=float)
        scores = {"fold": fold}
        for name, fn in scorers.items():
            scores[name] = _score(fn, a, pred, history, m)
        fold_rows.append(scores)
    folds_frame = pd.DataFrame(rows)
    fold_metrics = pd.DataFrame(fold_rows).set_index("fold")
    return BacktestResult(folds_frame, fold_metrics, fold_metrics.mean())
