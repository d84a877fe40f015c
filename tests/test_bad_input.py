"""Bad-input matrix across the public API (issue 7, hardening).

Two parametrized tables:

* ``ERROR_CASES``: an input the API must refuse, with the exception type and
  a message fragment (regular expression) naming the argument or problem.
* ``RESULT_CASES``: an awkward input with a documented, correct result
  (a constant series forecasts the constant, huge finite values give finite
  or bounded results, ...), checked by a small function.

Every case is a function of one argument, a temporary directory (used by the
command-line cases), so the tables can hold cases that need files.
"""

from __future__ import annotations

import contextlib
import functools
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from bpforecast import BPForecaster, BPRegressor, backtest
from bpforecast.cli import main
from bpforecast.estimators.division import divideblock, divideind
from bpforecast.estimators.preprocessing import MapMinMax, MapStd
from bpforecast.evaluation.metrics import mae, mape, mase, rmse, smape
from bpforecast.forecasting.baselines import (
    ETS,
    Naive,
    SeasonalNaive,
    Theta,
    future_index,
)
from bpforecast.forecasting.windowing import (
    RollingOriginSplit,
    last_window,
    make_windows,
    normalize_lags,
)

N = 60
Y = np.sin(np.arange(N) / 3.0) + 3.0  # strictly positive, smooth
DATES = pd.date_range("2000-01-01", periods=N, freq="D")
RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(40, 3))
YX = X3[:, 0] - 0.5 * X3[:, 1]


# ----------------------------------------------------------------- helpers
def tiny_regressor(**kw) -> BPRegressor:
    return BPRegressor(hidden_layer_sizes=(3,), epochs=10, random_state=0, **kw)


def fast(**kw) -> BPForecaster:
    """A BPForecaster that fits in milliseconds."""
    return BPForecaster(regressor=tiny_regressor(), n_models=1, random_state=0, **kw)


@functools.cache
def fitted() -> BPForecaster:
    return fast().fit(Y)  # auto lags 1..8 for a series without a season


@functools.cache
def fitted_exog() -> BPForecaster:
    return fast().fit(Y, exog=pd.DataFrame({"x": Y}))


@functools.cache
def fitted_direct() -> BPForecaster:
    return fast(strategy="direct", horizon=3).fit(Y)


@functools.cache
def fitted_regressor() -> BPRegressor:
    return tiny_regressor().fit(X3, YX)


def with_value(values, position, value):
    out = np.array(values, dtype=float)
    out[position] = value
    return out


class CLIError(Exception):
    """The command line ended with exit status 2; the message is its last line."""


def cli(argv) -> int:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main([str(a) for a in argv])
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    if rc == 2:
        assert lines and lines[-1].startswith("bpforecast: error:"), lines
        raise CLIError(lines[-1])
    return rc


def csv(tmp, name="data.csv", **columns):
    path = tmp / name
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


CLI_FAST = ["--n-models", "1", "--seed", "0"]


def case(call, exc, match, id):
    return pytest.param(call, exc, match, id=id)


# ===================================================================== errors
ERROR_CASES = [
    # ---------------------------------------------- BPForecaster.fit: series
    case(
        lambda tmp: fast().fit(with_value(Y, -1, np.nan)),
        ValueError,
        r"y contains NaN or infinite",
        "forecaster-fit-nan-in-y",
    ),
    case(
        lambda tmp: fast().fit(with_value(Y, 0, -np.inf)),
        ValueError,
        r"y contains NaN or infinite",
        "forecaster-fit-inf-in-y",
    ),
    case(
        lambda tmp: fast().fit([*Y[:-1], None]),
        TypeError,
        r"y must be numeric",
        "forecaster-fit-None-in-list",
    ),
    case(
        lambda tmp: fast().fit(pd.Series([str(v) for v in Y])),
        TypeError,
        r"y must be numeric",
        "forecaster-fit-str-series",
    ),
    case(
        lambda tmp: fast().fit(np.array([])),
        ValueError,
        r"too short",
        "forecaster-fit-empty-array",
    ),
    case(
        lambda tmp: fast().fit(pd.DataFrame()),
        ValueError,
        r"y must be one series.*0 columns",
        "forecaster-fit-empty-frame",
    ),
    case(
        lambda tmp: fast().fit(pd.DataFrame({"a": Y, "b": Y})),
        ValueError,
        r"y must be one series.*2 columns",
        "forecaster-fit-two-column-frame",
    ),
    case(
        lambda tmp: fast().fit(Y[:12]),
        ValueError,
        r"y is too short: 12 values.*fewer than 10",
        "forecaster-fit-series-shorter-than-window",
    ),
    case(
        lambda tmp: fast(lags=100).fit(Y),
        ValueError,
        r"too short.*max_lag=100",
        "forecaster-fit-lags-longer-than-series",
    ),
    case(
        lambda tmp: fast().fit(pd.Series(Y, index=DATES[::-1])),
        ValueError,
        r"dates must be increasing and unique",
        "forecaster-fit-decreasing-dates",
    ),
    case(
        lambda tmp: fast().fit(pd.Series(Y, index=DATES[:30].append(DATES[:30]))),
        ValueError,
        r"dates must be increasing and unique",
        "forecaster-fit-duplicated-dates",
    ),
    case(
        lambda tmp: fast().fit(
            pd.Series(Y, index=DATES.delete(5).append(DATES[-1:] + pd.Timedelta("9D")))
        ),
        ValueError,
        r"no regular frequency",
        "forecaster-fit-irregular-dates",
    ),
    # BUG: a non-datetime index is silently replaced by 0..n-1, so a series in
    # reverse time order (or with repeated labels) is fitted as if it were in
    # order; make_windows refuses the same series.
    case(
        lambda tmp: fast().fit(pd.Series(Y, index=np.arange(N)[::-1])),
        ValueError,
        r"(?i)increasing|sorted",
        "forecaster-fit-decreasing-integer-index",
    ),
    case(
        lambda tmp: fast().fit(pd.Series(Y, index=np.repeat(np.arange(N // 2), 2))),
        ValueError,
        r"(?i)unique|repeated|duplicate",
        "forecaster-fit-duplicated-integer-index",
    ),
    # ------------------------------------------------ BPForecaster.fit: exog
    case(
        lambda tmp: fast().fit(Y, exog=with_value(Y, 3, np.nan)),
        ValueError,
        r"exog contains NaN or infinite",
        "forecaster-fit-nan-in-exog",
    ),
    case(
        lambda tmp: fast().fit(Y, exog=pd.DataFrame({"x": [*Y[:-1], None]})),
        ValueError,
        r"exog contains NaN or infinite",
        "forecaster-fit-None-in-exog",
    ),
    case(
        lambda tmp: fast().fit(Y, exog=pd.DataFrame({"x": ["a"] * N})),
        TypeError,
        r"exog must be numeric",
        "forecaster-fit-str-exog-column",
    ),
    case(
        lambda tmp: fast().fit(Y, exog=Y[:-5]),
        ValueError,
        r"exog has 55 rows but 60 are needed",
        "forecaster-fit-exog-length-mismatch",
    ),
    case(
        lambda tmp: fast().fit(Y, exog=pd.DataFrame(index=range(N))),
        ValueError,
        r"exog has no columns",
        "forecaster-fit-exog-without-columns",
    ),
    # ------------------------------------------ BPForecaster: bad parameters
    case(
        lambda tmp: fast(strategy="multi").fit(Y),
        InvalidParameterError,
        r"'strategy' parameter",
        "forecaster-unknown-strategy",
    ),
    case(
        lambda tmp: fast(horizon=0, strategy="direct").fit(Y),
        InvalidParameterError,
        r"'horizon' parameter",
        "forecaster-horizon-zero",
    ),
    case(
        lambda tmp: fast(lags=[0, 1]).fit(Y),
        ValueError,
        r"lags must contain only positive integers",
        "forecaster-zero-lag",
    ),
    case(
        lambda tmp: fast(transform="sqrt").fit(Y),
        InvalidParameterError,
        r"'transform' parameter",
        "forecaster-unknown-transform",
    ),
    case(
        lambda tmp: fast(calendar_features=["week"]).fit(pd.Series(Y, index=DATES)),
        ValueError,
        r"calendar_features: unknown feature 'week'",
        "forecaster-unknown-calendar-feature",
    ),
    case(
        lambda tmp: fast(calendar_features=["month"]).fit(Y),
        TypeError,
        r"calendar_features need a series with a DatetimeIndex",
        "forecaster-calendar-features-without-dates",
    ),
    case(
        lambda tmp: fast(transform="log").fit(Y - 3.0),
        ValueError,
        r"transform='log' needs a strictly positive",
        "forecaster-log-of-non-positive-series",
    ),
    case(
        # Window-normalised windows are changes in units of their RMS, which
        # is computed without overflow; levels (normalize=None) are scaled
        # by the network's mapstd, whose standard deviation overflows.
        lambda tmp: fast(transform=None, normalize=None).fit((Y - 3.0) * 1e300),
        ValueError,
        r"cannot be scaled",
        "forecaster-fit-huge-magnitude-1e300",
    ),
    # ------------------------------------------------ BPForecaster.predict
    case(
        lambda tmp: fast().predict(3),
        NotFittedError,
        r"not fitted yet",
        "forecaster-predict-before-fit",
    ),
    case(
        lambda tmp: fitted().predict(0),
        ValueError,
        r"steps must be a positive integer, got 0",
        "forecaster-predict-zero-steps",
    ),
    case(
        lambda tmp: fitted().predict(-2),
        ValueError,
        r"steps must be a positive integer, got -2",
        "forecaster-predict-negative-steps",
    ),
    case(
        lambda tmp: fitted().predict(2.5),
        TypeError,
        r"steps must be a positive integer, got 2.5",
        "forecaster-predict-float-steps",
    ),
    case(
        lambda tmp: fitted_direct().predict(4),
        ValueError,
        r"steps=4 exceeds horizon=3",
        "forecaster-direct-beyond-horizon",
    ),
    case(
        lambda tmp: fitted().predict(2, exog=[1.0, 2.0]),
        ValueError,
        r"exog was given to predict but not to fit",
        "forecaster-predict-exog-not-used-in-fit",
    ),
    case(
        lambda tmp: fitted_exog().predict(3),
        ValueError,
        r"exog is required",
        "forecaster-predict-exog-missing",
    ),
    case(
        lambda tmp: fitted_exog().predict(3, exog=[1.0]),
        ValueError,
        r"exog has 1 future rows; predict\(3\) needs 3",
        "forecaster-predict-exog-too-short",
    ),
    case(
        lambda tmp: fitted_exog().predict(
            3, exog=pd.DataFrame({"x": [1.0, np.nan, 2]})
        ),
        ValueError,
        r"exog contains NaN or infinite",
        "forecaster-predict-nan-in-exog",
    ),
    case(
        lambda tmp: fitted_exog().predict(3, exog=pd.DataFrame({"z": [1.0, 2, 3]})),
        ValueError,
        r"exog is missing columns \['x'\]",
        "forecaster-predict-exog-missing-column",
    ),
    # BUG: an array with the wrong number of columns gets pandas' "Shape of
    # passed values is (3, 2), indices imply (3, 1)", which names neither exog
    # nor the expected column count.
    case(
        lambda tmp: fitted_exog().predict(3, exog=np.ones((3, 2))),
        ValueError,
        r"exog",
        "forecaster-predict-exog-wrong-column-count",
    ),
    case(
        lambda tmp: fitted().predict_interval(2, coverage=1.0),
        ValueError,
        r"coverage must be in \(0, 1\)",
        "forecaster-interval-coverage-one",
    ),
    case(
        lambda tmp: fast().fit(Y[:25]).predict_interval(2),
        ValueError,
        r"predict_interval needs at least 38 values",
        "forecaster-interval-series-too-short",
    ),
    case(
        lambda tmp: fitted().forecast_from(with_value(Y, 10, np.nan), 2),
        ValueError,
        r"history contains NaN or infinite",
        "forecaster-forecast-from-nan-history",
    ),
    # BUG: a history shorter than the largest lag (8 here) is indexed with
    # negative positions: it wraps around into the uninitialised forecast
    # buffer (np.empty), so the result is garbage that changes between calls,
    # or an IndexError for a very short history.
    case(
        lambda tmp: fitted().forecast_from(Y[:3], 2),
        ValueError,
        r"(?i)history.*(short|at least)",
        "forecaster-forecast-from-history-shorter-than-lags",
    ),
    case(
        lambda tmp: fitted().forecast_from(np.array([]), 2),
        ValueError,
        r"(?i)history.*(short|at least|empty)",
        "forecaster-forecast-from-empty-history",
    ),
    # BUG: TypeError "'NoneType' object is not subscriptable".
    case(
        lambda tmp: fitted_exog().forecast_from(Y, 2),
        ValueError,
        r"exog",
        "forecaster-forecast-from-exog-missing",
    ),
    # --------------------------------------------------------- BPRegressor
    case(
        lambda tmp: tiny_regressor().fit(with_value(X3, (0, 1), np.nan), YX),
        ValueError,
        r"Input X contains NaN",
        "regressor-fit-nan-in-X",
    ),
    case(
        lambda tmp: tiny_regressor().fit(X3, with_value(YX, 0, np.inf)),
        ValueError,
        r"Input y contains infinity",
        "regressor-fit-inf-in-y",
    ),
    case(
        lambda tmp: tiny_regressor().fit(np.full((40, 3), "a"), YX),
        ValueError,
        r"could not convert string to float",
        "regressor-fit-str-X",
    ),
    # (At commit 936ff32 a string y failed inside the scaling with numpy's
    # "the resolved dtypes are not compatible with add.reduce".)
    case(
        lambda tmp: tiny_regressor().fit(X3, np.array(["a"] * 40)),
        (ValueError, TypeError),
        r"(?i)numeric|convert|float",
        "regressor-fit-str-y",
    ),
    case(
        lambda tmp: tiny_regressor().fit(np.empty((0, 3)), np.empty(0)),
        ValueError,
        r"Found array with 0 sample\(s\)",
        "regressor-fit-empty",
    ),
    case(
        lambda tmp: tiny_regressor().fit(X3, YX[:-1]),
        ValueError,
        r"inconsistent numbers of samples: \[40, 39\]",
        "regressor-fit-length-mismatch",
    ),
    case(
        lambda tmp: tiny_regressor().predict(X3),
        NotFittedError,
        r"not fitted yet",
        "regressor-predict-before-fit",
    ),
    case(
        lambda tmp: fitted_regressor().predict(X3[:, :2]),
        ValueError,
        r"X has 2 features, but BPRegressor is expecting 3",
        "regressor-predict-wrong-feature-count",
    ),
    case(
        lambda tmp: tiny_regressor(solver="adam").fit(X3, YX),
        InvalidParameterError,
        r"'solver' parameter",
        "regressor-unknown-solver",
    ),
    case(
        lambda tmp: BPRegressor(hidden_layer_sizes=(0,)).fit(X3, YX),
        ValueError,
        r"hidden_layer_sizes must contain positive integers",
        "regressor-zero-hidden-layer",
    ),
    case(
        lambda tmp: tiny_regressor(division_ratios=(0.5, 0.5)).fit(X3, YX),
        ValueError,
        r"division_ratios must be three",
        "regressor-two-division-ratios",
    ),
    case(
        lambda tmp: tiny_regressor(solver="trainlm", batch_size=4).fit(X3, YX),
        ValueError,
        r"trainlm.*full batch",
        "regressor-trainlm-mini-batch",
    ),
    case(
        lambda tmp: tiny_regressor().fit(X3 * 1e300, YX),
        ValueError,
        r"X cannot be scaled",
        "regressor-fit-huge-X-1e300",
    ),
    case(
        lambda tmp: tiny_regressor().fit(X3, YX * 1e300),
        ValueError,
        r"y cannot be scaled",
        "regressor-fit-huge-y-1e300",
    ),
    # ----------------------------------------------------------- windowing
    case(
        lambda tmp: make_windows(with_value(Y, 4, np.nan), 2),
        ValueError,
        r"y contains NaN or infinite",
        "make-windows-nan",
    ),
    case(
        lambda tmp: make_windows(["a", "b", "c"], 1),
        ValueError,
        r"y must contain only numbers",
        "make-windows-str",
    ),
    case(
        lambda tmp: make_windows(Y[:3], 3),
        ValueError,
        r"too short for the lags and horizon.*at least .* = 4 values",
        "make-windows-series-shorter-than-window",
    ),
    case(
        lambda tmp: make_windows(Y, 2, horizon=0),
        ValueError,
        r"horizon must be a positive integer, got 0",
        "make-windows-horizon-zero",
    ),
    case(
        lambda tmp: make_windows(Y, 2, horizon=-3),
        ValueError,
        r"horizon must be a positive integer, got -3",
        "make-windows-horizon-negative",
    ),
    case(
        lambda tmp: make_windows(pd.Series(Y, index=DATES[::-1]), 2),
        ValueError,
        r"index must be sorted in increasing time order",
        "make-windows-decreasing-dates",
    ),
    case(
        lambda tmp: make_windows(pd.Series(Y[:4], index=[0, 1, 1, 2]), 1),
        ValueError,
        r"index has repeated labels",
        "make-windows-duplicated-labels",
    ),
    case(
        lambda tmp: make_windows(
            pd.Series(
                Y, index=DATES.delete([5, 17]).append(DATES[-2:] + pd.Timedelta("30D"))
            ),
            1,
        ),
        ValueError,
        r"index is not regularly spaced",
        "make-windows-irregular-dates",
    ),
    case(
        lambda tmp: make_windows(Y, 2, exog=Y[:-1]),
        ValueError,
        r"exog must have one row per time step of y \(60\), got 59",
        "make-windows-exog-length-mismatch",
    ),
    case(
        lambda tmp: make_windows(Y, 2, exog_lags=[1]),
        ValueError,
        r"exog_lags was given but exog is None",
        "make-windows-exog-lags-without-exog",
    ),
    case(
        lambda tmp: make_windows(pd.DataFrame(index=range(5)), 1),
        ValueError,
        r"y has no columns",
        "make-windows-empty-frame",
    ),
    case(
        lambda tmp: last_window(Y[:2], 3),
        ValueError,
        r"too short for the lags.*max_lag=3",
        "last-window-series-shorter-than-lags",
    ),
    case(
        lambda tmp: last_window(Y, 2, exog=Y, exog_lags=[0, 1]),
        ValueError,
        r"future_exog .* is required",
        "last-window-future-exog-missing",
    ),
    case(
        lambda tmp: RollingOriginSplit(n_splits=0),
        ValueError,
        r"n_splits must be a positive int",
        "rolling-origin-zero-splits",
    ),
    case(
        lambda tmp: list(RollingOriginSplit(10, horizon=2).split(np.zeros(10))),
        ValueError,
        r"cannot make 10 folds",
        "rolling-origin-too-many-folds",
    ),
    case(
        lambda tmp: normalize_lags(2.0),
        ValueError,
        r"lags must be an int or a sequence of ints",
        "normalize-lags-float",
    ),
    # ------------------------------------------------------- preprocessing
    case(
        lambda tmp: MapStd().fit(np.array([[1.0], [np.nan]])),
        ValueError,
        r"Input X contains NaN",
        "mapstd-nan",
    ),
    case(
        lambda tmp: MapStd().fit(np.empty((0, 2))),
        ValueError,
        r"0 sample\(s\)",
        "mapstd-empty",
    ),
    case(
        lambda tmp: MapStd().fit(np.array([["a"], ["b"]])),
        ValueError,
        r"numeric",
        "mapstd-str",
    ),
    case(
        lambda tmp: MapStd().fit(np.array([[1e300], [-1e300]])),
        ValueError,
        r"X cannot be scaled",
        "mapstd-huge-1e300",
    ),
    case(
        lambda tmp: MapMinMax().fit(np.ones((3, 2))).transform(np.ones((3, 3))),
        ValueError,
        r"X has 3 features, but MapMinMax is expecting 2",
        "mapminmax-wrong-feature-count",
    ),
    case(
        lambda tmp: MapStd().transform(np.ones((3, 2))),
        NotFittedError,
        r"not fitted yet",
        "mapstd-transform-before-fit",
    ),
    # ------------------------------------------------------------- metrics
    case(
        lambda tmp: mae([1.0, np.nan], [1.0, 2.0]),
        ValueError,
        r"y_true contains NaN or infinite",
        "mae-nan",
    ),
    case(
        lambda tmp: rmse([1.0, 2.0], [1.0, None]),
        ValueError,
        r"y_pred contains NaN or infinite",
        "rmse-None",
    ),
    case(
        lambda tmp: smape([1.0, 2.0], [1.0]),
        ValueError,
        r"different lengths: 2 != 1",
        "smape-length-mismatch",
    ),
    case(
        lambda tmp: mae([], []),
        ValueError,
        r"y_true is empty",
        "mae-empty",
    ),
    case(
        lambda tmp: mape([0.0, 0.0], [1.0, 2.0]),
        ValueError,
        r"MAPE is undefined",
        "mape-all-zero-actuals",
    ),
    case(
        lambda tmp: mase([1.0, 2.0], [1.0, 2.0], [3.0, 3.0, 3.0]),
        ValueError,
        r"MASE is undefined",
        "mase-constant-training-series",
    ),
    case(
        lambda tmp: mase([1.0], [1.0], [1.0, 2.0], season_length=0),
        ValueError,
        r"season_length must be a positive integer",
        "mase-season-length-zero",
    ),
    # ----------------------------------------------------------- baselines
    case(
        lambda tmp: Naive().fit([1.0, np.nan]),
        ValueError,
        r"y contains NaN or infinite",
        "naive-nan",
    ),
    case(
        lambda tmp: Naive().fit([]),
        ValueError,
        r"y is empty",
        "naive-empty",
    ),
    case(
        lambda tmp: Naive().fit(
            pd.Series(
                Y[:5],
                index=pd.to_datetime(
                    [
                        "2000-01-01",
                        "2000-01-02",
                        "2000-01-04",
                        "2000-01-05",
                        "2000-01-09",
                    ]
                ),
            )
        ),
        ValueError,
        r"cannot determine the frequency",
        "naive-irregular-dates",
    ),
    # BUG: dates in decreasing order are accepted (pandas infers freq '-1D'),
    # and the "forecast" runs backwards in time from the earliest date.
    case(
        lambda tmp: Naive().fit(pd.Series(Y, index=DATES[::-1])),
        ValueError,
        r"(?i)increasing|sorted",
        "naive-decreasing-dates",
    ),
    case(
        lambda tmp: SeasonalNaive(season_length=5).fit([1.0, 2.0, 3.0]),
        ValueError,
        r"fewer than one season",
        "seasonal-naive-shorter-than-season",
    ),
    case(
        lambda tmp: ETS(trend="mul").fit(Y),
        ValueError,
        r"trend must be 'add' or None",
        "ets-unknown-trend",
    ),
    case(
        lambda tmp: Theta().fit(Y).predict(0),
        ValueError,
        r"steps must be a positive integer",
        "theta-predict-zero-steps",
    ),
    case(
        lambda tmp: future_index(pd.Index(["a", "b"]), 1),
        TypeError,
        r"cannot continue an index of dtype",
        "future-index-string-index",
    ),
    # ------------------------------------------------------------ backtest
    case(
        lambda tmp: backtest(Naive(), Y, initial=10, horizon=0),
        ValueError,
        r"horizon must be a positive integer, got 0",
        "backtest-horizon-zero",
    ),
    case(
        lambda tmp: backtest(Naive(), Y, initial=59, horizon=2),
        ValueError,
        r"exceeds the series length 60",
        "backtest-initial-too-large",
    ),
    case(
        lambda tmp: backtest(Naive(), Y, 10, 2, exog=pd.DataFrame({"x": Y[:-1]})),
        ValueError,
        r"exog has 59 rows; y has 60",
        "backtest-exog-length-mismatch",
    ),
    case(
        lambda tmp: backtest(Naive(), Y, initial=10, horizon=2, refit=False),
        ValueError,
        r"refit=False needs a forecaster with forecast_from",
        "backtest-no-refit-without-forecast-from",
    ),
    # BUG: MASE needs two training values; with initial=1 the error comes from
    # inside mase ("y_train has 1 values; MASE with season_length=1 needs at
    # least ...") and does not name initial.
    case(
        lambda tmp: backtest(Naive(), Y, initial=1, horizon=2),
        ValueError,
        r"initial",
        "backtest-initial-one",
    ),
    # A constant series has no MASE scale: the backtest refuses it clearly.
    case(
        lambda tmp: backtest(Naive(), np.full(20, 3.0), initial=10, horizon=2),
        ValueError,
        r"MASE is undefined",
        "backtest-constant-series",
    ),
    # BUG: season_length=0 is taken as "not given" and 1.5 as 1 (no check).
    case(
        lambda tmp: backtest(Naive(), Y, initial=10, horizon=2, season_length=0),
        ValueError,
        r"season_length must be a positive integer",
        "backtest-season-length-zero",
    ),
    # ------------------------------------------------------------ division
    case(
        lambda tmp: divideblock(-1),
        ValueError,
        r"n must be non-negative",
        "divideblock-negative-n",
    ),
    case(
        lambda tmp: divideind(5, [0, 1], [1]),
        ValueError,
        r"appears twice or in more than one set",
        "divideind-overlapping-sets",
    ),
    # BUG: TypeError "slice indices must be integers or None or have an
    # __index__ method", which does not name n.
    case(
        lambda tmp: divideblock(10.5),
        (TypeError, ValueError),
        r"\bn\b",
        "divideblock-float-n",
    ),
    # ---------------------------------------------------------------- CLI
    case(
        lambda tmp: cli(
            [
                "forecast",
                csv(tmp, ds=DATES.strftime("%Y-%m-%d"), y=with_value(Y, 7, np.nan)),
                "--date-column",
                "ds",
                "--horizon",
                3,
                *CLI_FAST,
            ]
        ),
        CLIError,
        r"column 'y' .* 1 missing or infinite value\(s\) \(first in row 8\)",
        "cli-nan-in-column",
    ),
    case(
        lambda tmp: cli(
            [
                "forecast",
                csv(tmp, ds=list(DATES[:30].strftime("%Y-%m-%d")) * 2, y=Y),
                "--date-column",
                "ds",
                "--horizon",
                3,
                *CLI_FAST,
            ]
        ),
        CLIError,
        r"date column 'ds' .* has duplicate dates",
        "cli-duplicated-dates",
    ),
    case(
        lambda tmp: cli(["forecast", csv(tmp, y=Y), "--horizon", 0, *CLI_FAST]),
        CLIError,
        r"--horizon: must be a positive integer, got '0'",
        "cli-horizon-zero",
    ),
    case(
        lambda tmp: cli(["forecast", csv(tmp, y=Y[:8]), "--horizon", 3, *CLI_FAST]),
        CLIError,
        r"cannot fit series 'y': y is too short",
        "cli-series-too-short",
    ),
    case(
        lambda tmp: cli(
            [
                "forecast",
                csv(tmp, y=["a", "b"] * 20),
                "--column",
                "y",
                "--horizon",
                3,
                *CLI_FAST,
            ]
        ),
        CLIError,
        r"column 'y' .* is not numeric: row 1 holds 'a'",
        "cli-str-column",
    ),
]


@pytest.mark.parametrize(("call", "exc", "match"), ERROR_CASES)
def test_bad_input_raises_clear_error(call, exc, match, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the tiny models
        with pytest.raises(exc, match=match):
            call(tmp_path)


def test_error_table_is_large_enough():
    assert len(ERROR_CASES) >= 30
    ids = [p.id for p in ERROR_CASES]
    assert len(set(ids)) == len(ids)


# ============================================================ documented results
def _constant_forecast(strategy, value):
    def check(tmp):
        y = np.full(N, value)
        kw = {} if strategy == "recursive" else {"horizon": 3}
        forecast = fast(strategy=strategy, **kw).fit(y).predict(3)
        np.testing.assert_allclose(forecast.to_numpy(), value, rtol=1e-12, atol=1e-12)

    return check


def _constant_interval(tmp):
    y = pd.Series(np.full(N, 5.0), index=DATES)
    f = BPForecaster(
        regressor=tiny_regressor(), n_models=1, interval_windows=5, random_state=0
    ).fit(y)
    out = f.predict_interval(3, coverage=0.8)
    for column in ("forecast", "lower", "upper"):
        np.testing.assert_allclose(out[column], 5.0, rtol=1e-12)
    assert out.index.equals(pd.date_range(DATES[-1], periods=4, freq="D")[1:])


def _constant_regressor_target(tmp):
    model = tiny_regressor().fit(X3, np.full(len(X3), 7.25))
    assert model.constant_targets_.tolist() == [True]
    np.testing.assert_array_equal(model.predict(X3), 7.25)


def _constant_regressor_feature(tmp):
    X = X3.copy()
    X[:, 1] = 4.0
    model = tiny_regressor().fit(X, YX)
    assert model.constant_features_.tolist() == [False, True, False]
    assert np.all(np.isfinite(model.predict(X)))


def _constant_scalers(tmp):
    X = np.full((4, 1), 3.0)
    for scaler in (MapStd(), MapMinMax()):
        Z = scaler.fit_transform(X)
        np.testing.assert_array_equal(Z, 0.0)
        np.testing.assert_array_equal(scaler.inverse_transform(Z), X)


def _constant_mapstd_inexact_mean(tmp):
    # BUG: "A constant column ... maps to 0 (center is its value, gain 1)",
    # but mapstd's center is the computed mean, and mean([0.1, 0.1, 0.1]) is
    # 0.10000000000000002: the column maps to -1.4e-17, not 0.
    X = np.full((3, 1), 0.1)
    scaler = MapStd().fit(X)
    assert scaler.center_.tolist() == [0.1]
    np.testing.assert_array_equal(scaler.transform(X), 0.0)


def _constant_regressor_target_inexact_mean(tmp):
    # BUG (same cause): "constant targets are predicted as their constant",
    # but a target of 0.7 three times is predicted as 0.6999999999999998.
    model = tiny_regressor().fit(X3[:3], np.full(3, 0.7))
    np.testing.assert_array_equal(model.predict(X3[:3]), 0.7)


def _single_lag_window_normalize(tmp):
    # BUG: with one lag, normalize='window' (the default) subtracts the lag
    # from itself and drops the column, leaving no input at all; fit then
    # fails inside the regressor with scikit-learn's "Found array with 0
    # feature(s) (shape=(59, 0)) while a minimum of 1 is required". Either
    # a clear error naming lags, or a working model, is acceptable.
    f = fast(lags=1)
    try:
        f.fit(Y)
    except ValueError as exc:
        assert "lags" in str(exc), str(exc)
        return
    assert np.all(np.isfinite(f.predict(3).to_numpy()))


def _constant_baselines(tmp):
    y = np.full(30, 4.0)
    for model in (Naive(), SeasonalNaive(season_length=3), ETS(), Theta()):
        np.testing.assert_array_equal(model.fit(y).predict(4).to_numpy(), 4.0)


def _huge_positive_series(tmp):
    # Both pipelines cope with 1e300 values: the log one by the log, the
    # other because its windows are changes in units of their RMS.
    f = fast().fit(Y * 1e300)
    assert len(f.pipelines_) == 2
    forecast = f.predict(3).to_numpy()
    assert np.all(np.isfinite(forecast))
    assert np.all((forecast > 1e299) & (forecast < 1e301))


def _huge_series_without_log(tmp):
    values = (Y - 3.0) * 1e300  # changes of about 3e299; squares overflow
    forecast = fast(transform=None).fit(values).predict(3).to_numpy()
    assert np.all(np.isfinite(forecast))
    assert np.all(np.abs(forecast) < 2 * np.abs(values).max())


def _huge_windows(tmp):
    X, Y_ = make_windows(Y * 1e300, 2)
    np.testing.assert_array_equal(X["y_lag1"].to_numpy(), Y[1:-1] * 1e300)
    np.testing.assert_array_equal(Y_["y_step1"].to_numpy(), Y[2:] * 1e300)


def _huge_regressor_input(tmp):
    # tansig saturates: inputs far outside the training range stay finite.
    assert np.all(np.isfinite(fitted_regressor().predict(X3[:5] * 1e300)))


def _smape_huge_opposite(tmp):
    # BUG: |y - f| and |y| + |f| both overflow to inf: inf / inf = NaN.
    assert smape([1e308], [-1e308]) == 200.0


def _mape_huge_opposite(tmp):
    # BUG: y - f overflows to -inf, the relative error is then treated as
    # "undefined" and mape raises "every actual value (y_true) is zero".
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert mape([1e308], [-1e308]) == 200.0


def _mase_huge(tmp):
    # BUG: the forecast MAE and the naive scale both overflow to inf, and
    # inf / inf gives NaN (the exact value is 2e308 / 2e308 = 1).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = mase([1e308], [-1e308], [1e308, -1e308])
    assert not np.isnan(value)


def _smape_zero_over_zero(tmp):
    assert smape([0.0, 1.0], [0.0, 1.0]) == 0.0  # M4 convention for 0/0


def _single_column_frame(tmp):
    a = fast().fit(pd.DataFrame({"y": Y}, index=DATES)).predict(3)
    b = fast().fit(pd.Series(Y, index=DATES)).predict(3)
    pd.testing.assert_series_equal(a, b)


def _numpy_integer_steps(tmp):
    assert len(fitted().predict(np.int64(2))) == 2


RESULT_CASES = [
    pytest.param(_constant_forecast("recursive", 5.0), id="constant-series-recursive"),
    pytest.param(_constant_forecast("direct", 5.0), id="constant-series-direct"),
    pytest.param(_constant_forecast("mimo", 5.0), id="constant-series-mimo"),
    pytest.param(_constant_forecast("recursive", 0.0), id="constant-zero-series"),
    pytest.param(_constant_forecast("recursive", -2.5), id="constant-negative"),
    pytest.param(_constant_interval, id="constant-series-zero-width-interval"),
    pytest.param(_constant_regressor_target, id="regressor-constant-target"),
    pytest.param(_constant_regressor_feature, id="regressor-constant-feature"),
    pytest.param(_constant_scalers, id="scalers-constant-column-maps-to-zero"),
    pytest.param(_constant_mapstd_inexact_mean, id="mapstd-constant-column-exact-0"),
    pytest.param(
        _constant_regressor_target_inexact_mean,
        id="regressor-constant-target-exact",
    ),
    pytest.param(_constant_baselines, id="baselines-constant-series"),
    pytest.param(_single_lag_window_normalize, id="forecaster-single-lag"),
    pytest.param(_huge_positive_series, id="forecaster-huge-positive-1e300"),
    pytest.param(_huge_series_without_log, id="forecaster-huge-no-log-1e300"),
    pytest.param(_huge_windows, id="make-windows-huge-1e300"),
    pytest.param(_huge_regressor_input, id="regressor-predict-huge-input"),
    pytest.param(_smape_huge_opposite, id="smape-huge-opposite-signs"),
    pytest.param(_mape_huge_opposite, id="mape-huge-opposite-signs"),
    pytest.param(_mase_huge, id="mase-huge-overflowing-scale"),
    pytest.param(_smape_zero_over_zero, id="smape-zero-over-zero"),
    pytest.param(_single_column_frame, id="forecaster-one-column-frame"),
    pytest.param(_numpy_integer_steps, id="forecaster-numpy-integer-steps"),
]


@pytest.mark.parametrize("check", RESULT_CASES)
def test_awkward_input_documented_result(check, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        check(tmp_path)
