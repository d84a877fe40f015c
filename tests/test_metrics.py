"""Forecast metrics against scikit-learn, hand computation and written-out formulas."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

from bpforecast.estimators import report
from bpforecast.evaluation.metrics import mae, mape, mase, relative_error, rmse, smape


@pytest.fixture
def pair():
    rng = np.random.default_rng(42)
    y = rng.uniform(1.0, 50.0, size=40) * rng.choice([-1.0, 1.0], size=40)
    f = y + rng.normal(0.0, 3.0, size=40)
    return y, f


# --- against scikit-learn ----------------------------------------------------


def test_mae_rmse_mape_match_sklearn(pair):
    y, f = pair
    assert mae(y, f) == pytest.approx(mean_absolute_error(y, f), rel=1e-12)
    assert rmse(y, f) == pytest.approx(root_mean_squared_error(y, f), rel=1e-12)
    assert mape(y, f) == pytest.approx(
        100 * mean_absolute_percentage_error(y, f), rel=1e-12
    )


def test_pandas_and_list_inputs_are_compared_by_position(pair):
    y, f = pair
    ys = pd.Series(y, index=pd.date_range("2000-01-01", periods=y.size, freq="MS"))
    fs = pd.Series(f, index=np.arange(100, 100 + f.size))  # different index
    for func in (mae, rmse, mape, smape):
        assert func(ys, fs) == func(y, f) == func(list(y), list(f))
    assert mase(ys, fs, ys) == mase(y, f, y)


# --- hand-computed cases -------------------------------------------------------


def test_hand_computed_values():
    y = [2.0, 4.0, 8.0]
    f = [3.0, 2.0, 8.0]
    # errors 1, -2, 0
    assert mae(y, f) == pytest.approx(1.0)
    assert rmse(y, f) == pytest.approx(math.sqrt(5 / 3))
    assert mape(y, f) == pytest.approx(100 * (0.5 + 0.5 + 0.0) / 3)
    # 200*1/5, 200*2/6, 0
    assert smape(y, f) == pytest.approx((40.0 + 200 / 3 + 0.0) / 3)
    # train 1, 3, 6, 10: naive in-sample MAE = (2 + 3 + 4) / 3 = 3
    assert mase(y, f, [1.0, 3.0, 6.0, 10.0]) == pytest.approx(1.0 / 3.0)
    # seasonal m=2: |6-1|, |10-3| -> scale 6
    assert mase(y, f, [1.0, 3.0, 6.0, 10.0], season_length=2) == pytest.approx(1 / 6)


def test_perfect_forecast_scores_zero():
    y = np.array([1.0, -2.0, 0.0, 5.0])
    assert mae(y, y) == rmse(y, y) == smape(y, y) == 0.0
    assert mase(y, y, [1.0, 2.0, 4.0]) == 0.0


# --- sMAPE (M4) and MASE against written-out references ----------------------


def smape_m4(y, f):
    """The M4 competition's sMAPE, term by term; 0/0 counts as 0."""
    total = 0.0
    for a, b in zip(y, f, strict=True):
        denom = abs(a) + abs(b)
        total += 0.0 if denom == 0 else 200.0 * abs(a - b) / denom
    return total / len(y)


def mase_loop(y, f, train, m):
    scale = sum(abs(train[t] - train[t - m]) for t in range(m, len(train)))
    scale /= len(train) - m
    return sum(abs(a - b) for a, b in zip(y, f, strict=True)) / len(y) / scale


def test_smape_matches_m4_formula(pair):
    y, f = pair
    assert smape(y, f) == pytest.approx(smape_m4(y, f), rel=1e-12)
    y0 = [0.0, 0.0, 1.0, -1.0]
    f0 = [0.0, 2.0, -1.0, -1.0]  # terms 0, 200, 200, 0
    assert smape(y0, f0) == pytest.approx(smape_m4(y0, f0)) == pytest.approx(100.0)


@pytest.mark.parametrize("m", [1, 4, 12])
def test_mase_matches_loop(m):
    rng = np.random.default_rng(m)
    train = np.cumsum(rng.normal(size=60)) + 10 * np.sin(np.arange(60) * 2 * np.pi / 12)
    y = rng.normal(size=15)
    f = rng.normal(size=15)
    expected = mase_loop(y, f, train, m)
    assert mase(y, f, train, season_length=m) == pytest.approx(expected, rel=1e-12)
    assert mase(y, f, train, season_length=np.int64(m)) == pytest.approx(expected)


# --- MAPE and zero actuals: the report's rule ----------------------------------


def test_mape_leaves_zero_actuals_out_like_the_report():
    y = np.array([2.0, 0.0, -4.0, 10.0])
    f = np.array([2.2, 0.1, -3.0, 10.0])
    with pytest.warns(RuntimeWarning, match="1 of 4 actual values are zero"):
        value = mape(y, f)
    assert value == pytest.approx(100 * (0.1 + 0.25 + 0.0) / 3)
    assert value == pytest.approx(report.error_metrics(y, f)["mape"], rel=1e-15)
    with pytest.warns(RuntimeWarning, match="2 of 4"):
        assert mape(y, f, zero_tol=2.0) == pytest.approx(100 * 0.125)


def test_mape_all_zero_actuals_raise():
    with pytest.raises(ValueError, match="MAPE is undefined"):
        mape([0.0, 0.0], [1.0, 2.0])


def test_relative_error_is_the_reports():
    assert relative_error is report.relative_error


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize("func", [mae, rmse, mape, smape])
def test_bad_input_raises(func):
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        func([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(ValueError, match="y_true contains NaN or infinite"):
        func([np.inf, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="different lengths: 3 != 2"):
        func([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="y_true is empty"):
        func([], [])
    with pytest.raises(ValueError, match="y_pred must be one-dimensional"):
        func([1.0, 2.0], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="y_true must be numeric"):
        func(["a", "b"], [1.0, 2.0])


def test_mase_bad_input_raises():
    y, f = [1.0, 2.0], [1.5, 2.5]
    with pytest.raises(ValueError, match="y_train contains NaN"):
        mase(y, f, [1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="y_train is empty"):
        mase(y, f, [])
    with pytest.raises(ValueError, match="at least season_length \\+ 1 = 5"):
        mase(y, f, [1.0, 2.0, 3.0, 4.0], season_length=4)
    with pytest.raises(ValueError, match="in-sample seasonal naive MAE .* is 0"):
        mase(y, f, [3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="is 0"):
        mase(y, f, [1.0, 2.0, 1.0, 2.0], season_length=2)
    for bad in (0, -1, 1.5, True, None):
        with pytest.raises(ValueError, match="season_length must be a positive"):
            mase(y, f, [1.0, 2.0, 3.0], season_length=bad)
    with pytest.raises(ValueError, match="different lengths"):
        mase(y, [1.0], [1.0, 2.0, 3.0])


# --- properties ------------------------------------------------------------------

# Values rounded to 3 decimals: non-zero magnitudes are >= 1e-3, so percentage
# errors stay far from overflow (|error| / |y| <= 2e6 / 1e-3).
values = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False
).map(lambda v: round(v, 3))


@st.composite
def series_pair(draw, min_size=1):
    n = draw(st.integers(min_value=min_size, max_value=30))
    y = draw(st.lists(values, min_size=n, max_size=n))
    f = draw(st.lists(values, min_size=n, max_size=n))
    return np.array(y), np.array(f)


@settings(max_examples=150, deadline=None)
@given(pair=series_pair(), train=st.lists(values, min_size=2, max_size=30))
def test_metrics_are_finite_and_non_negative(pair, train):
    y, f = pair
    outputs = [mae(y, f), rmse(y, f), smape(y, f)]
    if np.any(np.abs(y) > 1e-12 * np.max(np.abs(y))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outputs.append(mape(y, f))
    train = np.array(train)
    if np.any(np.diff(train) != 0):
        outputs.append(mase(y, f, train))
    for value in outputs:
        assert isinstance(value, float)
        assert math.isfinite(value)
        assert value >= 0.0
    assert outputs[2] <= 200.0
    assert rmse(y, f) >= mae(y, f) * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(
    pair=series_pair(),
    train=st.lists(values, min_size=4, max_size=30),
    m=st.integers(min_value=1, max_value=3),
    factor=st.floats(min_value=1e-3, max_value=1e3),
)
def test_mase_is_scale_invariant(pair, train, m, factor):
    y, f = pair
    train = np.array(train)
    assume(np.mean(np.abs(train[m:] - train[:-m])) > 1e-6)
    base = mase(y, f, train, season_length=m)
    scaled = mase(factor * y, factor * f, factor * train, season_length=m)
    assert scaled == pytest.approx(base, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(pair=series_pair())
def test_smape_bounded_and_symmetric(pair):
    y, f = pair
    value = smape(y, f)
    assert 0.0 <= value <= 200.0
    assert value == pytest.approx(smape(f, y), rel=1e-12, abs=1e-12)
