"""Property-based fuzzing of the public functions (issue 7, hardening).

Random small inputs go through windowing, scaling, metrics, the regressor,
the forecaster, the baselines and backtesting. The properties: nothing
crashes except with the documented errors (checked by type and message), and
finite input never gives NaN output (metrics, forecasts, predictions).

Networks are tiny (2 hidden neurons, at most 20 epochs, one model) so the
whole module runs in well under a minute. Known failing inputs are pinned
with ``@example`` so that a failure does not depend on the random search.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bpforecast import BPForecaster, BPRegressor, backtest
from bpforecast.estimators.preprocessing import MapMinMax, MapStd
from bpforecast.evaluation.metrics import mae, mape, mase, rmse, smape
from bpforecast.forecasting.baselines import (
    ETS,
    Naive,
    SeasonalNaive,
    Theta,
    future_index,
)
from bpforecast.forecasting.forecaster import MIN_WINDOWS, auto_lags
from bpforecast.forecasting.windowing import (
    RollingOriginSplit,
    last_window,
    make_windows,
    normalize_lags,
)

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Any finite double, including the extremes (1e308, subnormals, -0.0).
any_finite = st.floats(allow_nan=False, allow_infinity=False)
# Magnitudes where fitting a model is meant to work: |x| is 0 or in
# [1e-6, 1e3]. (A spread below ~1e-162 makes mapstd's variance underflow, a
# documented "cannot be scaled" error; see test_regressor_extreme_values_fuzz.)
moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).map(
    lambda v: 0.0 if abs(v) < 1e-6 else v
)


@pytest.fixture(autouse=True)
def _no_warnings_noise():
    """Silence convergence and statsmodels notes (not what is tested here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


# =================================================================== windowing
lag_spec = st.one_of(
    st.integers(1, 6), st.lists(st.integers(1, 8), min_size=1, max_size=4)
)


@FAST
@given(
    values=st.lists(any_finite, min_size=0, max_size=25),
    lags=lag_spec,
    horizon=st.integers(1, 4),
)
def test_make_windows_fuzz(values, lags, horizon):
    y = np.array(values, dtype=float)
    lag_arr = normalize_lags(lags)
    max_lag = int(lag_arr[-1])
    n_rows = len(y) - max_lag - horizon + 1
    if n_rows < 1:
        with pytest.raises(ValueError, match="too short for the lags and horizon"):
            make_windows(y, lags, horizon=horizon)
        return
    X, Y = make_windows(y, lags, horizon=horizon)
    assert X.shape == (n_rows, lag_arr.size)
    assert Y.shape == (n_rows, horizon)
    assert X.index.tolist() == list(range(max_lag, max_lag + n_rows))
    for row, t in enumerate(X.index):
        for k in lag_arr:
            assert X.iloc[row][f"y_lag{k}"] == y[t - k]
        for h in range(horizon):
            assert Y.iloc[row, h] == y[t + h]
    assert np.all(np.isfinite(X.to_numpy())) and np.all(np.isfinite(Y.to_numpy()))


@FAST
@given(values=st.lists(moderate, min_size=0, max_size=15), lags=lag_spec)
def test_last_window_matches_make_windows(values, lags):
    y = np.array(values, dtype=float)
    max_lag = int(normalize_lags(lags)[-1])
    if len(y) < max_lag:
        with pytest.raises(ValueError, match="too short for the lags"):
            last_window(y, lags)
        return
    row = last_window(y, lags)
    X, _ = make_windows(np.append(y, 0.0), lags)
    np.testing.assert_array_equal(row.to_numpy(), X.iloc[[-1]].to_numpy())
    assert row.index.tolist() == [len(y)]


@FAST
@given(
    lags=st.one_of(
        st.integers(-3, 10),
        st.lists(st.integers(-2, 10), max_size=5),
        st.lists(st.one_of(st.floats(-2, 10), st.just(float("nan"))), max_size=3),
        st.none(),
        st.text(max_size=3),
        st.booleans(),
    )
)
def test_normalize_lags_fuzz(lags):
    try:
        out = normalize_lags(lags)
    except ValueError as exc:
        assert re.search(r"lags (must|as an int)", str(exc)), exc
        return
    assert out.dtype == np.int64 and out.ndim == 1 and out.size >= 1
    assert np.all(out >= 1) and np.all(np.diff(out) > 0)


@FAST
@given(
    n=st.integers(0, 30),
    n_splits=st.one_of(st.none(), st.integers(1, 6)),
    initial=st.one_of(st.none(), st.integers(1, 20)),
    horizon=st.integers(1, 5),
    step=st.one_of(st.none(), st.integers(1, 4)),
    max_train_size=st.one_of(st.none(), st.integers(1, 10)),
    gap=st.integers(0, 3),
)
def test_rolling_origin_split_fuzz(
    n, n_splits, initial, horizon, step, max_train_size, gap
):
    cv = RollingOriginSplit(n_splits, initial, horizon, step, max_train_size, gap)
    try:
        folds = list(cv.split(np.zeros((n, 1))))
    except ValueError as exc:
        assert "cannot make" in str(exc)
        return
    assert len(folds) >= 1
    if n_splits is not None:
        assert len(folds) == n_splits == cv.get_n_splits()
    for train, test in folds:
        assert train.size >= 1 and test.size == horizon
        assert 0 <= train.min() and test.max() < n
        assert train.max() + gap < test.min()
        if max_train_size is not None:
            assert train.size <= max_train_size


# ================================================================= scaling
@FAST
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(1, 3)),
        elements=any_finite,
    ),
    scaler_cls=st.sampled_from([MapStd, MapMinMax]),
)
@example(X=np.array([[1e300], [-1e300]]), scaler_cls=MapStd)
@example(X=np.array([[5e-324], [0.0]]), scaler_cls=MapStd)
@example(X=np.full((3, 1), 0.1), scaler_cls=MapStd)  # mean is 0.1 + 1 ulp
def test_scalers_fuzz(X, scaler_cls):
    scaler = scaler_cls()
    try:
        Z = scaler.fit_transform(X)
    except ValueError as exc:
        assert "cannot be scaled" in str(exc)
        return
    assert np.all(np.isfinite(Z)), (X, Z)
    np.testing.assert_array_equal(Z[:, scaler.constant_], 0.0)
    back = scaler.inverse_transform(Z)
    assert np.all(np.isfinite(back))
    scale = np.max(np.abs(X), axis=0)
    assert np.all(np.abs(back - X) <= 1e-9 * scale + 1e-300), (X, back)


# ================================================================= metrics
@st.composite
def _pairs(draw, elements=any_finite):
    n = draw(st.integers(1, 8))
    true = draw(st.lists(elements, min_size=n, max_size=n))
    pred = draw(st.lists(elements, min_size=n, max_size=n))
    return np.array(true), np.array(pred)


@FAST
@given(pair=_pairs())
@example(pair=(np.array([1e308]), np.array([-1e308])))  # smape: inf / inf
def test_mae_rmse_smape_never_nan_on_finite_input(pair):
    true, pred = pair
    for func in (mae, rmse):
        value = func(true, pred)
        assert not np.isnan(value) and value >= 0, (func.__name__, true, pred)
    value = smape(true, pred)
    assert 0.0 <= value <= 200.0, (true, pred, value)


@FAST
@given(pair=_pairs())
@example(pair=(np.array([1e308]), np.array([-1e308])))  # y - f overflows
@example(pair=(np.array([1e-300, 1.0]), np.array([1e300, 1.0])))  # ratio overflows
def test_mape_refuses_only_zero_actuals(pair):
    true, pred = pair
    zero_tol = 1e-12 * np.max(np.abs(true))
    all_zero = bool(np.all(np.abs(true) <= zero_tol))
    try:
        value = mape(true, pred)
    except ValueError as exc:
        assert "MAPE is undefined" in str(exc)
        assert all_zero, f"mape refused {true} (not all zero) vs {pred}"
        return
    assert not all_zero
    assert not np.isnan(value) and value >= 0
    # Leaving out a non-zero actual value would silently bias the mean.
    defined = np.abs(true) > zero_tol
    with np.errstate(all="ignore"):
        # Halved like the implementation, so y - f itself cannot overflow.
        rel = np.abs((pred / 2 - true / 2) / (true / 2))[defined]
    if np.all(np.isfinite(rel)):
        assert value == pytest.approx(100 * np.mean(rel), rel=1e-9)
    else:
        assert value == np.inf


@FAST
@given(
    pair=_pairs(),
    train=st.lists(any_finite, min_size=1, max_size=10),
    m=st.integers(1, 4),
)
@example(
    pair=(np.array([1e308]), np.array([-1e308])),
    train=[1e308, -1e308],
    m=1,
)  # inf / inf
def test_mase_never_nan_on_finite_input(pair, train, m):
    true, pred = pair
    try:
        value = mase(true, pred, train, season_length=m)
    except ValueError as exc:
        assert re.search(r"MASE is undefined|needs at least", str(exc)), exc
        return
    assert not np.isnan(value) and value >= 0, (true, pred, train, m)


# =============================================================== regressor
@st.composite
def _regression_data(draw, elements=moderate):
    n = draw(st.integers(1, 25))
    p = draw(st.integers(1, 3))
    X = draw(arrays(np.float64, (n, p), elements=elements))
    y = draw(arrays(np.float64, (n,), elements=elements))
    return X, y


def _has_tiny_spread(X, y) -> bool:
    spread = np.ptp(np.column_stack([X, y]), axis=0)
    return bool(np.any((spread > 0) & (spread < 1e-150)))


@FAST
@given(
    data=_regression_data(),
    solver=st.sampled_from(["traingdx", "traingd", "traingdm", "traingda", "trainlm"]),
    scaling=st.sampled_from(["mapstd", "mapminmax", None]),
    division=st.sampled_from(["block", "random", "interleaved", None]),
    hidden=st.sampled_from([(2,), (), (2, 2)]),
    batch_size=st.one_of(st.none(), st.integers(1, 5)),
    seed=st.integers(0, 2**16),
)
def test_regressor_fit_predict_fuzz(
    data, solver, scaling, division, hidden, batch_size, seed
):
    X, y = data
    if solver == "trainlm":
        batch_size = None
    model = BPRegressor(
        hidden_layer_sizes=hidden,
        solver=solver,
        scaling=scaling,
        division=division,
        batch_size=batch_size,
        epochs=15,
        random_state=seed,
    )
    try:
        model.fit(X, y)
    except ValueError as exc:
        # Documented limit of mapstd: a non-constant column whose spread is so
        # small that its variance underflows (std < ~1e-162) cannot be scaled.
        assert "cannot be scaled" in str(exc)
        assert scaling == "mapstd" and _has_tiny_spread(X, y), (X, y)
        return
    pred = model.predict(X)
    assert pred.shape == y.shape
    assert np.all(np.isfinite(pred)), (X, y, pred)
    assert np.all(np.isfinite(model.history_["perf"].to_numpy()))


@FAST
@given(data=_regression_data(elements=any_finite))
def test_regressor_extreme_values_fuzz(data):
    X, y = data
    model = BPRegressor(hidden_layer_sizes=(2,), epochs=5, random_state=0)
    try:
        model.fit(X, y)
    except ValueError as exc:
        assert re.search(r"cannot be scaled|too large in magnitude", str(exc)), exc
        return
    assert np.all(np.isfinite(model.predict(X))), (X, y)


# ============================================================== forecaster
@st.composite
def _series(draw):
    n = draw(st.one_of(st.integers(5, 20), st.integers(21, 60)))
    kind = draw(st.sampled_from(["random", "constant", "trend", "positive"]))
    if kind == "constant":
        values = np.full(n, draw(moderate))
    else:
        values = np.array(draw(st.lists(moderate, min_size=n, max_size=n)))
        if kind == "trend":
            values = values * 0.01 + np.arange(n)
        elif kind == "positive":
            values = np.abs(values) + 1.0
    monthly = draw(st.booleans())
    index = (
        pd.date_range("2000-01-01", periods=n, freq="MS")
        if monthly
        else pd.RangeIndex(n)
    )
    return pd.Series(values, index=index)


@FAST
@given(
    y=_series(),
    strategy=st.sampled_from(["recursive", "direct", "mimo"]),
    horizon=st.integers(1, 3),
    lags=st.one_of(st.just("auto"), st.integers(1, 4)),
    normalize=st.sampled_from(["window", None]),
    transform=st.sampled_from(["auto", None]),
    solver=st.sampled_from(["traingdx", "trainlm"]),
)
@example(
    y=pd.Series(np.sin(np.arange(30.0))),
    strategy="recursive",
    horizon=1,
    lags=1,
    normalize="window",
    transform="auto",
    solver="traingdx",
)  # one lag minus the level leaves no input
def test_forecaster_fit_predict_fuzz(
    y, strategy, horizon, lags, normalize, transform, solver
):
    regressor = BPRegressor(
        hidden_layer_sizes=(2,), epochs=20, solver=solver, random_state=0
    )
    f = BPForecaster(
        regressor=regressor,
        lags=lags,
        horizon=horizon,
        strategy=strategy,
        normalize=normalize,
        transform=transform,
        n_models=1,
        random_state=0,
    )
    fit_h = 1 if strategy == "recursive" else horizon
    n = len(y)
    m = 12 if isinstance(y.index, pd.DatetimeIndex) else 1
    max_lag = int(auto_lags(n, m, fit_h)[-1]) if lags == "auto" else lags
    if lags == "auto" and normalize == "window":
        max_lag = max(max_lag, 2)  # the level needs a second lag beside it
    n_windows = n - max_lag - fit_h + 1
    if lags == 1 and normalize == "window":
        # The most recent lag is the level; one lag leaves no input.
        with pytest.raises(ValueError, match="lags=1 gives one lag"):
            f.fit(y)
        return
    if n_windows < MIN_WINDOWS:
        with pytest.raises(ValueError, match="too short"):
            f.fit(y)
        return
    f.fit(y)
    event("fitted")
    steps = horizon if strategy != "recursive" else horizon + 2
    forecast = f.predict(steps)
    assert len(forecast) == steps
    assert forecast.index.equals(future_index(y.index, steps))
    assert np.all(np.isfinite(forecast.to_numpy())), (y.tolist(), forecast)
    if np.ptp(y.to_numpy()) == 0:
        np.testing.assert_allclose(forecast.to_numpy(), y.iloc[0], rtol=1e-9)
    fitted = f.predict_in_sample()
    assert len(fitted) == len(f.X_train_)
    assert np.all(np.isfinite(fitted.to_numpy()))


# =============================================================== baselines
@SLOW
@given(
    values=st.lists(moderate, min_size=1, max_size=30),
    model=st.sampled_from(["naive", "snaive", "ets", "theta"]),
    m=st.integers(1, 4),
    steps=st.integers(1, 6),
)
def test_baselines_fuzz(values, model, m, steps):
    y = np.array(values)
    forecaster = {
        "naive": lambda: Naive(),
        "snaive": lambda: SeasonalNaive(season_length=m),
        "ets": lambda: ETS(season_length=m),
        "theta": lambda: Theta(season_length=m),
    }[model]()
    if model == "snaive" and len(y) < m:
        with pytest.raises(ValueError, match="fewer than one season"):
            forecaster.fit(y)
        return
    forecast = forecaster.fit(y).predict(steps)
    assert len(forecast) == steps
    assert forecast.index.tolist() == list(range(len(y), len(y) + steps))
    assert np.all(np.isfinite(forecast.to_numpy())), (model, m, y, forecast)


@FAST
@given(
    values=st.lists(moderate, min_size=3, max_size=30),
    initial=st.integers(1, 20),
    horizon=st.integers(1, 5),
    step=st.one_of(st.none(), st.integers(1, 4)),
)
@example(values=[1.0, 2.0, 4.0], initial=1, horizon=1, step=None)
def test_backtest_naive_fuzz(values, initial, horizon, step):
    y = np.array(values)
    if initial == 1:
        with pytest.raises(ValueError, match="initial must be at least 2"):
            backtest(Naive(), y, initial=initial, horizon=horizon, step=step)
        return
    if initial + horizon > len(y):
        with pytest.raises(ValueError, match="exceeds the series length"):
            backtest(Naive(), y, initial=initial, horizon=horizon, step=step)
        return
    try:
        result = backtest(Naive(), y, initial=initial, horizon=horizon, step=step)
    except ValueError as exc:
        # A fold whose training part repeats itself has no MASE scale; a
        # one-value first training series has none either, and the error
        # must then say that initial is the problem.
        message = str(exc)
        assert "MASE is undefined" in message or (
            initial == 1 and "initial" in message
        ), message
        return
    metrics = result.fold_metrics
    assert not metrics[["mae", "rmse", "smape"]].isna().any().any()
    if initial > 1:
        assert not metrics["mase"].isna().any()
    assert result.folds["step"].max() == horizon
    np.testing.assert_array_equal(
        result.folds["forecast"].to_numpy(),
        y[result.folds["time"].to_numpy() - result.folds["step"].to_numpy()],
    )
