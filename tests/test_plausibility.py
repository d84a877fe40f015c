"""The plausibility rule and BPForecaster's guard against runaway members."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin

from bpforecast import BPForecaster, BPRegressor
from bpforecast.datasets import load_nile
from bpforecast.forecasting import global_model
from bpforecast.forecasting.closed_loop import closed_loop
from bpforecast.forecasting.forecaster import _row_predictor
from bpforecast.forecasting.plausibility import (
    ImplausibleMemberWarning,
    implausible_members,
    is_plausible,
    plausible_bounds,
)


# ---------------------------------------------------------------- the rule
@pytest.mark.parametrize(
    "history, bounds",
    [
        ([2.0, 5.0, 3.0], (2 - 30, 5 + 30)),  # range 3
        ([-1.0, 1.0], (-21.0, 21.0)),  # range 2
        ([4.0, 4.0, 4.0], (-36.0, 44.0)),  # constant: span |4|
        ([-3.0, -3.0], (-33.0, 27.0)),  # constant: span |-3|
        ([0.0, 0.0], (-10.0, 10.0)),  # constant at 0: span 1
        ([0.25, 0.25], (-9.75, 10.25)),  # |level| < 1: span 1
    ],
)
def test_bounds_by_hand(history, bounds):
    assert plausible_bounds(np.array(history)) == bounds


def test_is_plausible_at_and_beyond_the_bounds():
    history = np.array([2.0, 5.0, 3.0])  # bounds [-28, 35]
    assert is_plausible(np.array([-28.0, 35.0, 4.0]), history)
    assert not is_plausible(np.array([35.001]), history)
    assert not is_plausible(np.array([-28.001]), history)
    assert not is_plausible(np.array([3.0, np.nan]), history)
    assert not is_plausible(np.array([np.inf]), history)
    assert not is_plausible(np.array([-np.inf]), history)


def test_implausible_members_lists_rows():
    history = np.array([0.0, 1.0])  # bounds [-10, 11]
    paths = np.array([[0.5, 11.0], [0.5, 11.5], [np.nan, 0.0], [-10.0, -9.0]])
    assert implausible_members(paths, history) == [1, 2]


def test_global_forecaster_shares_the_rule_and_the_warning():
    assert global_model.ImplausibleMemberWarning is ImplausibleMemberWarning
    assert global_model.is_plausible is is_plausible


# ------------------------------------------------------ BPForecaster guard
class Wild(RegressorMixin, BaseEstimator):
    """Predicts the training targets' mean; odd seeds predict ``huge`` instead."""

    def __init__(self, random_state=0, huge=1e9):
        self.random_state = random_state
        self.huge = huge

    def fit(self, X, y):
        y = np.asarray(y, dtype=float)
        self.mean_ = y.mean(axis=0)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        n = len(X)
        if self.random_state % 2:
            return np.full((n,) + np.shape(self.mean_), self.huge)
        return np.tile(self.mean_, (n, 1)).reshape((n,) + np.shape(self.mean_))


def plain(**kwargs):
    """A forecaster without transforms, so member forecasts are easy to see."""
    params = dict(
        regressor=Wild(),
        lags=3,
        transform=None,
        seasonal_adjustment=False,
        normalize=None,
        random_state=0,
    )
    params.update(kwargs)
    return BPForecaster(**params)


def series(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.Series(10 + rng.normal(size=n))


@pytest.mark.parametrize("strategy", ["recursive", "direct", "mimo"])
def test_diverging_members_are_dropped_with_a_warning(strategy):
    y = series()
    f = plain(n_models=4, strategy=strategy, horizon=3).fit(y)
    assert f.dropped_members_ == []
    with pytest.warns(ImplausibleMemberWarning, match="2 of 4") as record:
        out = f.predict(3)
    assert len([w for w in record if w.category is ImplausibleMemberWarning]) == 1
    assert f.dropped_members_ == [1, 3]  # seeds 0..3: the odd ones run away
    # the kept members forecast the mean of the training targets
    X, Y = f.create_train_X_y(y)
    expected = Y.to_numpy().mean(axis=0)
    if strategy == "recursive":
        expected = np.repeat(expected, 3)
    np.testing.assert_allclose(out.to_numpy(), expected)


def test_forecast_from_warns_and_records():
    y = series(50)
    f = plain(n_models=3).fit(y[:40])
    with pytest.warns(ImplausibleMemberWarning, match="1 of 3"):
        out = f.forecast_from(y, 2)
    assert f.dropped_members_ == [1]
    assert np.all(np.isfinite(out))


def test_every_member_dropped_falls_back_to_seasonal_naive():
    y = series(41)
    f = plain(n_models=1, random_state=1, season_length=4).fit(y)
    with pytest.warns(ImplausibleMemberWarning, match="seasonal naive"):
        out = f.predict(6)
    assert f.dropped_members_ == [0]
    last = y.to_numpy()[-4:]
    np.testing.assert_array_equal(out.to_numpy(), np.concatenate([last, last[:2]]))


def test_every_member_dropped_without_a_season_falls_back_to_naive():
    y = series(41)
    f = plain(n_models=2, random_state=1, season_length=1).fit(y)
    # seeds 1 and 2: member 0 runs away; make member 1 return NaN
    f.models_[1].set_params(random_state=3, huge=np.nan)
    with pytest.warns(ImplausibleMemberWarning, match="2 of 2"):
        out = f.predict(3)
    assert f.dropped_members_ == [0, 1]
    np.testing.assert_array_equal(out.to_numpy(), np.full(3, y.iloc[-1]))


def test_intervals_use_the_kept_members():
    y = series(60)
    f = plain(n_models=4, interval_windows=10).fit(y)
    with pytest.warns(ImplausibleMemberWarning) as record:
        out = f.predict_interval(2, coverage=0.8)
    messages = [
        str(w.message) for w in record if w.category is ImplausibleMemberWarning
    ]
    assert len(messages) == 1  # one warning per call, naming the calibration too
    assert "calibration" in messages[0]
    assert f.dropped_members_ == [1, 3]
    assert set(f.calibration_dropped_members_) == {2}
    assert all(v == [1, 3] for v in f.calibration_dropped_members_[2].values())
    assert len(f.calibration_dropped_members_[2]) == 10
    values = out.to_numpy()
    assert np.all(np.isfinite(values))
    # the calibration errors are those of the kept members' forecast (a mean)
    cut = len(y) - 10 - 2 + 1
    calib = plain(n_models=4).fit(y.iloc[:cut])
    level = calib.create_train_X_y(y.iloc[:cut])[1].to_numpy().mean()
    errors = np.array([y.to_numpy()[o : o + 2] - level for o in range(cut, cut + 10)])
    np.testing.assert_allclose(f._interval_cache[2], errors)


def test_a_normal_fit_drops_nothing_and_is_unchanged():
    """Bit-identical to combining the members by hand (the unguarded code)."""
    y = load_nile()
    reg = BPRegressor(hidden_layer_sizes=(5,), epochs=50, random_state=0)
    f = BPForecaster(regressor=reg, n_models=3, random_state=0, transform="auto")
    f.fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ImplausibleMemberWarning)
        out = f.predict(8)
        out_from = f.forecast_from(y, 8)
    assert f.dropped_members_ == []
    z = f._to_z(y.to_numpy())
    paths = np.vstack(
        [
            closed_loop(_row_predictor(m), z, 8, f.lags_, normalize=True)
            for m in f.models_
        ]
    )
    # The windows have the mean drift taken out; forecasts carry the shrunk one.
    shrink = f.drift_.correction(8)
    by_hand = f._from_z(np.median(paths, axis=0) - shrink, len(y))
    np.testing.assert_array_equal(out.to_numpy(), by_hand)
    np.testing.assert_array_equal(out_from, by_hand)
