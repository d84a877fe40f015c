"""GlobalForecaster and its pure window / normalisation functions.

References are independent of the implementation: windows against a plain
loop, exact forecasts of noise-free geometric and seasonal series with a
linear regressor, future dates against ``pd.date_range``, padding of new
series against the same series padded by hand, interval coverage on a
simulated panel.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import LinearRegression, Ridge

from bpforecast import GlobalForecaster
from bpforecast.forecasting.global_model import (
    ImplausibleMemberWarning,
    build_windows,
    denormalize,
    inverse_series_transform,
    normalize_windows,
    pad_left,
    resolve_lookback,
    series_transform,
    window_view,
)
from bpforecast.forecasting.multiseries import SeriesError


def long_frame(series: dict, freq: str = "MS", start: str = "2000-01-01"):
    frames = [
        pd.DataFrame(
            {
                "unique_id": uid,
                "ds": pd.date_range(start, periods=len(y), freq=freq),
                "y": np.asarray(y, float),
            }
        )
        for uid, y in series.items()
    ]
    return pd.concat(frames, ignore_index=True)


def seasonal_geometric(n, growth, pattern, start=1.0):
    """start * growth**t * pattern[t % m]: linear trend + season in the log."""
    t = np.arange(n)
    return start * growth**t * np.asarray(pattern)[t % len(pattern)]


# ------------------------------------------------------------ pure functions
def loop_windows(series, lookback, horizon, level_lengths):
    """The reference: plain Python loops, one window at a time."""
    X, Y = [], []
    for z, m in zip(series, level_lengths, strict=True):
        z = list(z)
        while len(z) < lookback + horizon + 1:
            z.insert(0, z[0])
        for start in range(len(z) - lookback - horizon + 1):
            inputs = z[start : start + lookback]
            targets = z[start + lookback : start + lookback + horizon]
            k = max(1, min(m, lookback))
            level = sum(inputs[-k:]) / k
            X.append([v - level for v in inputs])
            Y.append([v - level for v in targets])
    return np.array(X), np.array(Y)


@pytest.mark.parametrize("lookback,horizon", [(1, 1), (3, 2), (7, 4), (12, 3)])
def test_build_windows_equals_plain_loop(lookback, horizon):
    rng = np.random.default_rng(0)
    series = [rng.normal(size=n).cumsum() for n in (5, 9, 25, 40)]  # >= horizon + 1
    levels = [1, 4, 12, 2]
    X, Y, owner, first = build_windows(series, lookback, horizon, levels)
    X_ref, Y_ref = loop_windows(series, lookback, horizon, levels)
    np.testing.assert_allclose(X, X_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(Y, Y_ref, rtol=0, atol=1e-12)
    # the first target of every window is the value its target block starts with
    for row in range(len(X)):
        z = series[owner[row]]
        assert 0 <= first[row] < len(z)
        k = max(1, min(levels[owner[row]], lookback))
        padded = pad_left(z, lookback + horizon + 1)
        # undo the level with the raw inputs of the window
        pos = first[row] + (len(padded) - len(z))
        lvl = padded[pos - k : pos].mean()
        assert Y[row, 0] + lvl == pytest.approx(z[first[row]])


def test_build_windows_max_per_series_keeps_the_last():
    z = np.arange(20.0)
    X_all, Y_all, _, _ = build_windows([z], 4, 2)
    X, Y, _, first = build_windows([z], 4, 2, max_windows_per_series=3)
    np.testing.assert_array_equal(X, X_all[-3:])
    np.testing.assert_array_equal(Y, Y_all[-3:])
    assert first.tolist() == [16, 17, 18]


def test_window_view_is_a_view():
    z = np.arange(10.0)
    view = window_view(z, 3, 2)
    assert view.shape == (6, 5)
    assert np.shares_memory(view, z)
    assert window_view(z, 8, 3).shape == (0, 11)


@pytest.mark.parametrize("m", [1, 3, 12])
def test_normalisation_round_trips(m):
    rng = np.random.default_rng(1)
    windows = rng.normal(size=(50, 16)) + 5
    X, Y, level = normalize_windows(windows, 12, m)
    np.testing.assert_allclose(denormalize(X, level), windows[:, :12], atol=1e-12)
    np.testing.assert_allclose(denormalize(Y, level), windows[:, 12:], atol=1e-12)
    np.testing.assert_allclose(level, windows[:, 12 - m : 12].mean(axis=1))


@pytest.mark.parametrize(
    "y,logged",
    [([1.0, 5.0, 0.3], True), ([0.0, 2.0, 4.0], False), ([-3.0, 1.0, 2.0], False)],
)
def test_series_transform_round_trips(y, logged):
    original = np.array(y)
    y_in = original.copy()
    z, lg, scale = series_transform(y_in)
    assert lg is logged
    np.testing.assert_allclose(inverse_series_transform(z, lg, scale), original)
    np.testing.assert_array_equal(y_in, original)  # input untouched
    if not logged:
        assert scale == pytest.approx(np.mean(np.abs(original)))


def test_series_transform_log_forced_rejects_non_positive():
    with pytest.raises(ValueError, match="strictly positive"):
        series_transform([1.0, 0.0], "log")
    z, logged, _ = series_transform([1.0, 2.0], None)
    assert not logged and z.tolist() == pytest.approx([2 / 3, 4 / 3])


def test_resolve_lookback():
    assert resolve_lookback(2, 8) == 16
    assert resolve_lookback(1.5, 6) == 9
    assert resolve_lookback(1.5, 5) == 8  # ceil
    assert resolve_lookback(1, 1, 12) == 12  # at least a season
    assert resolve_lookback(0.1, 1) == 2


def test_window_memory_is_x_plus_y():
    """Peak of build_windows: X and Y in float64, no concatenated copy."""
    lookback, horizon, n_series, length = 168, 24, 20, 700
    series = [np.sin(np.arange(length) / 7.0) + i for i in range(n_series)]
    n_windows = n_series * (length - lookback - horizon + 1)
    tracemalloc.start()
    tracemalloc.reset_peak()
    X, Y, _, _ = build_windows(series, lookback, horizon, 24)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    expected = n_windows * (lookback + horizon) * 8
    assert X.shape == (n_windows, lookback)
    assert expected <= peak < 1.15 * expected


# -------------------------------------------------------------- exactness
def test_linear_regressor_is_exact_on_geometric_and_seasonal_series():
    rng = np.random.default_rng(2)
    pattern_pool = [rng.uniform(0.6, 1.4, 4) for _ in range(8)]
    train = {
        f"s{i}": seasonal_geometric(
            int(rng.integers(30, 50)),
            rng.uniform(0.97, 1.05),
            pattern_pool[i],
            rng.uniform(1, 1000),
        )
        for i in range(8)
    }
    data = long_frame(train, freq="QS")
    f = GlobalForecaster(
        horizon=6, lookback=(1.5, 2.5), n_models=1, regressor=LinearRegression()
    ).fit(data)
    out = f.predict()
    for uid, y in train.items():
        n = len(y)
        pattern = pattern_pool[int(uid[1:])]
        growth = y[1] / y[0] * pattern[0] / pattern[1]
        expected = seasonal_geometric(n + 6, growth, pattern, y[0] / pattern[0])[n:]
        got = out.loc[out.unique_id == uid, "forecast"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-7)
    # an unseen series of the same family, from its own history
    new_y = seasonal_geometric(30, 1.02, [1.3, 0.8, 1.1, 0.9], 40.0)
    new = long_frame({"new": new_y[:24]}, freq="QS")
    got = f.predict(new_data=new).forecast.to_numpy()
    np.testing.assert_allclose(got, new_y[24:], rtol=1e-7)
    assert f.dropped_members_ == {}


def test_linear_regressor_is_exact_without_log():
    # linear trends through zero: transform 'auto' divides by mean |y|
    train = {f"t{i}": np.arange(-10.0, 30.0) * (i + 1) + 3 * i for i in range(5)}
    f = GlobalForecaster(horizon=3, lookback=2, regressor=LinearRegression()).fit(
        long_frame(train, freq="D")
    )
    out = f.predict(h=2)
    for i, uid in enumerate(train):
        expected = np.arange(30.0, 32.0) * (i + 1) + 3 * i
        got = out.loc[out.unique_id == uid, "forecast"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-8)


def test_constant_series_forecasts_its_constant():
    rng = np.random.default_rng(3)
    data = long_frame(
        {"walk": 50 + rng.normal(size=40).cumsum(), "flat": np.full(40, 7.5)},
    )
    out = GlobalForecaster(horizon=4, regressor=Ridge()).fit(data).predict()
    assert out.loc[out.unique_id == "flat", "forecast"].tolist() == [7.5] * 4
    zero = long_frame({"walk": 50 + rng.normal(size=40).cumsum(), "z": np.zeros(30)})
    out = GlobalForecaster(horizon=2, regressor=Ridge()).fit(zero).predict()
    assert out.loc[out.unique_id == "z", "forecast"].tolist() == [0.0, 0.0]


# ------------------------------------------------------------- dates, ids
def test_future_dates_per_series_for_mixed_frequencies_and_lengths():
    rng = np.random.default_rng(4)
    parts, freqs = [], {}
    for uid, freq, n, start in [
        ("m", "MS", 40, "2001-05-01"),
        ("q", "QS", 23, "1999-01-01"),
        ("y", "YS", 12, "1990-01-01"),
        ("d", "D", 55, "2020-02-20"),
        ("w", "W-SUN", 30, "2021-01-03"),
    ]:
        ds = pd.date_range(start, periods=n, freq=freq)
        parts.append(
            pd.DataFrame({"unique_id": uid, "ds": ds, "y": 10 + rng.random(n)})
        )
        freqs[uid] = freq
    data = pd.concat(parts, ignore_index=True)
    out = GlobalForecaster(horizon=3, regressor=Ridge()).fit(data).predict()
    assert out.unique_id.unique().tolist() == ["m", "q", "y", "d", "w"]
    for part in parts:
        uid = part.unique_id.iloc[0]
        expected = pd.date_range(part.ds.iloc[-1], periods=4, freq=freqs[uid])[1:]
        assert list(out.loc[out.unique_id == uid, "ds"]) == list(expected)


def test_integer_time_and_integer_ids():
    data = pd.DataFrame(
        {
            "unique_id": np.repeat([7, 3], 20),
            "ds": np.r_[np.arange(20), np.arange(100, 140, 2)],
            "y": np.r_[np.linspace(1, 2, 20), np.linspace(5, 3, 20)],
        }
    )
    out = GlobalForecaster(horizon=2, regressor=Ridge()).fit(data).predict()
    assert out.unique_id.tolist() == [7, 7, 3, 3]
    assert out.ds.tolist() == [20, 21, 140, 142]


def test_new_short_series_is_padded_with_its_first_value():
    rng = np.random.default_rng(5)
    train = long_frame(
        {f"s{i}": 100 * np.exp(rng.normal(0, 0.05, 60).cumsum()) for i in range(6)}
    )
    f = GlobalForecaster(horizon=4, n_models=1, regressor=Ridge()).fit(train)
    L = max(f.lookbacks_)
    short = np.array([3.0, 4.0, 3.5])
    new = long_frame({"new": short}, start="2030-01-01")
    padded = np.r_[np.full(L - 3, 3.0), short]
    by_hand = pd.DataFrame(
        {
            "unique_id": "new",
            "ds": pd.date_range(end="2030-03-01", periods=L, freq="MS"),
            "y": padded,
        }
    )
    a = f.predict(new_data=new)
    b = f.predict(new_data=by_hand)
    np.testing.assert_allclose(a.forecast, b.forecast, rtol=1e-12)
    assert a.ds.iloc[0] == pd.Timestamp("2030-04-01")
    # the training forecasts are untouched by predictions of new series
    np.testing.assert_allclose(
        f.predict().forecast, f.predict(new_data=train).forecast, rtol=1e-12
    )


# ----------------------------------------------------------------- bad input
def good_panel():
    rng = np.random.default_rng(6)
    return long_frame({f"s{i}": 10 + rng.random(24) for i in range(3)})


def test_too_short_series_is_named():
    data = pd.concat([good_panel(), long_frame({"tiny": [1.0, 2.0, 3.0]})])
    with pytest.raises(SeriesError, match="'tiny'.*too short.*horizon \\+ 1 = 4"):
        GlobalForecaster(horizon=3, regressor=Ridge()).fit(data)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_named(bad):
    data = good_panel()
    data.loc[5, "y"] = bad
    with pytest.raises(SeriesError, match="'s0'.*NaN or infinite"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(data)


def test_repeated_and_irregular_dates_are_named():
    data = good_panel()
    repeated = pd.concat([data, data.iloc[[30]]], ignore_index=True)
    with pytest.raises(SeriesError, match="'s1'.*repeated"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(repeated)
    irregular = data.drop(index=[52]).reset_index(drop=True)
    with pytest.raises(SeriesError, match="'s2'.*not regularly spaced"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(irregular)


def test_wrong_id_types():
    data = good_panel()
    floats = data.assign(
        unique_id=data.unique_id.map({"s0": 0.5, "s1": 1.5, "s2": 2.5})
    )
    with pytest.raises(TypeError, match="unique_id"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(floats)
    mixed = data.assign(
        unique_id=data.unique_id.map({"s0": "a", "s1": 1, "s2": "c"}).astype(object)
    )
    with pytest.raises(TypeError, match="mixes strings and integers"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(mixed)
    tuples = data.assign(unique_id=[("x", 1)] * len(data))
    with pytest.raises(TypeError, match="series \\('x', 1\\)"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(tuples)


def test_non_positive_with_forced_log_is_named_and_auto_goes_without():
    data = good_panel()
    data.loc[data.unique_id == "s2", "y"] -= 10.5  # some values <= 0
    with pytest.raises(SeriesError, match="'s2'.*transform='log'"):
        GlobalForecaster(horizon=2, transform="log", regressor=Ridge()).fit(data)
    f = GlobalForecaster(horizon=2, regressor=Ridge()).fit(data)
    assert np.isfinite(f.predict().forecast).all()


def test_extra_columns_and_missing_columns():
    # an extra column is a dynamic exogenous regressor now; one that is
    # constant within every series carries nothing and is refused
    data = good_panel().assign(price=1.0)
    with pytest.raises(ValueError, match="'price' is constant within every series"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(data)
    with pytest.raises(ValueError, match="missing the columns"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(
            good_panel().drop(columns="y")
        )
    with pytest.raises(TypeError, match="DataFrame"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(np.zeros((3, 3)))


def test_nothing_the_user_passed_is_modified():
    data = good_panel().sample(frac=1.0, random_state=0)  # unsorted rows
    new = long_frame({"n": [1.0, 2.0, 3.0, 4.0]})
    data_copy, new_copy = data.copy(deep=True), new.copy(deep=True)
    regressor = Ridge(alpha=2.0)
    f = GlobalForecaster(horizon=2, regressor=regressor).fit(data)
    f.predict(new_data=new)
    f.create_train_X_y(data)
    pd.testing.assert_frame_equal(data, data_copy)
    pd.testing.assert_frame_equal(new, new_copy)
    assert not hasattr(regressor, "coef_")


def test_h_beyond_horizon_and_prefix():
    f = GlobalForecaster(horizon=3, regressor=Ridge()).fit(good_panel())
    with pytest.raises(ValueError, match="exceeds the horizon"):
        f.predict(4)
    full, two = f.predict(), f.predict(2)
    assert len(two) == 6
    np.testing.assert_array_equal(
        two.forecast, full.groupby("unique_id").head(2).forecast
    )


def test_predict_before_fit_and_bad_params():
    from sklearn.exceptions import NotFittedError
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(NotFittedError):
        GlobalForecaster().predict()
    for params in ({"n_models": 0}, {"horizon": 0}, {"transform": "sqrt"}):
        with pytest.raises(InvalidParameterError):
            GlobalForecaster(**params).fit(good_panel())
    with pytest.raises(ValueError, match="lookback"):
        GlobalForecaster(lookback=(2.0, -1.0)).fit(good_panel())


# ----------------------------------------------------------- implausibility
class Wild(RegressorMixin, BaseEstimator):
    """Predicts zeros, or a huge level for odd seeds (a diverged member)."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, Y):
        self.n_out_ = np.asarray(Y).shape[1]
        return self

    def predict(self, X):
        value = 50.0 if self.random_state % 2 else 0.0
        return np.full((len(X), self.n_out_), value)


def test_implausible_members_are_dropped_with_a_warning():
    data = good_panel()
    f = GlobalForecaster(
        horizon=2, lookback=2, n_models=4, regressor=Wild(), random_state=0
    )
    with pytest.warns(ImplausibleMemberWarning, match="plausible range"):
        f.fit(data)
    odd = [k for k, m in enumerate(f.models_) if m.random_state % 2]
    assert odd  # restart_seeds(0, 4) gives consecutive seeds
    assert f.dropped_members_ == {uid: odd for uid in ["s0", "s1", "s2"]}
    # the remaining members predict "no change from the level": the mean log
    # of the last season (12 months; the lookback is raised to a season)
    assert f.lookbacks_[0] == 12
    out = f.predict()
    for uid, part in data.groupby("unique_id"):
        level = np.exp(np.log(part.y.iloc[-12:]).mean())
        got = out.loc[out.unique_id == uid, "forecast"].to_numpy()
        np.testing.assert_allclose(got, level)


def test_all_members_implausible_falls_back_to_last_value():
    data = good_panel()
    f = GlobalForecaster(
        horizon=2, lookback=2, n_models=1, regressor=Wild(), random_state=1
    )
    with pytest.warns(ImplausibleMemberWarning):
        f.fit(data)
    out = f.predict()
    np.testing.assert_allclose(
        out.forecast.to_numpy(), np.repeat(data.groupby("unique_id").y.last(), 2)
    )


# ----------------------------------------------------------------- intervals
def test_interval_coverage_on_a_simulated_panel_is_near_nominal():
    rng = np.random.default_rng(7)
    n_series, n, h = 300, 40, 3
    histories, futures = {}, {}
    for i in range(n_series):
        log_y = np.log(rng.uniform(10, 1000)) + rng.normal(0, 0.05, n + h).cumsum()
        histories[i] = np.exp(log_y[:n])
        futures[i] = np.exp(log_y[n:])
    data = long_frame(histories)
    f = GlobalForecaster(horizon=h, lookback=2, n_models=1, regressor=Ridge()).fit(data)
    out = f.predict_interval(coverage=0.8)
    actual = np.concatenate([futures[i] for i in range(n_series)])
    inside = (out.lower.to_numpy() <= actual) & (actual <= out.upper.to_numpy())
    assert f.calibration_errors_.shape == (n_series, h)
    assert 0.74 <= inside.mean() <= 0.86
    assert (out.lower < out.forecast).all() and (out.forecast < out.upper).all()
    wider = f.predict_interval(coverage=0.95)
    assert (wider.upper.to_numpy() > out.upper.to_numpy()).all()
    np.testing.assert_allclose(out.forecast, f.predict().forecast)
    with pytest.raises(ValueError, match="coverage"):
        f.predict_interval(coverage=1.5)


# ----------------------------------------------------------- sklearn API
def test_get_set_params_and_clone():
    f = GlobalForecaster(horizon=5, lookback=(2.0, 3.0), regressor=Ridge(alpha=3.0))
    params = f.get_params()
    assert params["horizon"] == 5 and params["regressor__alpha"] == 3.0
    g = clone(f)
    assert g.get_params()["lookback"] == (2.0, 3.0) and g.regressor is not f.regressor
    g.set_params(n_models=4, regressor__alpha=1.0)
    assert g.n_models == 4 and g.regressor.alpha == 1.0 and f.regressor.alpha == 3.0
    fitted = clone(f).fit(good_panel())
    assert not hasattr(clone(fitted), "models_")


def test_create_train_X_y_shows_the_training_windows():
    data = long_frame({"a": 2.0 ** np.arange(10), "b": np.arange(1.0, 7.0)})
    f = GlobalForecaster(horizon=2, lookback=1.5, season_length=1)
    X, Y = f.create_train_X_y(data)
    L = X.shape[1]
    assert L == 3 and list(Y.columns) == ["step_1", "step_2"]
    # series a: 10 - 3 - 2 + 1 = 6 windows; b is padded to L + h + 1 = 6 values
    assert (X.index.get_level_values(0) == "a").sum() == 6
    assert (X.index.get_level_values(0) == "b").sum() == 2
    first = X.loc["a"].iloc[0]
    np.testing.assert_allclose(first, np.log(2) * np.array([-2, -1, 0]))
    assert X.loc["a"].index[0] == pd.Timestamp("2000-04-01")  # ds of first target


def test_default_regressor_and_parallel_members_agree():
    rng = np.random.default_rng(8)
    t = np.arange(48)
    data = long_frame(
        {
            f"s{i}": (10 + i) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
            + rng.normal(0, 0.1, 48)
            for i in range(4)
        }
    )
    kwargs = {"horizon": 6, "lookback": (1.5, 2), "n_models": 1, "random_state": 0}
    f = GlobalForecaster(**kwargs).fit(data)
    assert len(f.models_) == 2 and f.lookbacks_ == [12, 12]
    out = f.predict()
    assert np.isfinite(out.forecast).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = GlobalForecaster(**kwargs, n_jobs=2).fit(data)
    np.testing.assert_allclose(g.predict().forecast, out.forecast, rtol=1e-10)


@pytest.mark.slow
def test_defaults_beat_seasonal_naive_on_a_simulated_seasonal_panel():
    """Defaults (the BP ensemble) on 60 noisy multiplicative seasonal series."""
    rng = np.random.default_rng(9)
    h, n = 12, 96
    t = np.arange(n + h)
    histories, futures = {}, {}
    for i in range(60):
        pattern = 1 + rng.uniform(0.1, 0.4) * np.sin(2 * np.pi * (t + i) / 12)
        trend = np.exp(rng.uniform(-0.005, 0.01) * t)
        y = (
            rng.uniform(50, 5000)
            * trend
            * pattern
            * np.exp(rng.normal(0, 0.03, t.size))
        )
        histories[f"s{i}"], futures[f"s{i}"] = y[:n], y[n:]
    f = GlobalForecaster(horizon=h, random_state=0).fit(long_frame(histories))
    out = f.predict()
    err_model, err_naive = [], []
    for uid, y in histories.items():
        got = out.loc[out.unique_id == uid, "forecast"].to_numpy()
        err_model.append(np.mean(np.abs(got - futures[uid]) / futures[uid]))
        err_naive.append(np.mean(np.abs(y[-12:] - futures[uid]) / futures[uid]))
    assert np.mean(err_model) < 0.65 * np.mean(err_naive)  # measured: 0.50


# ---------------------------------------------------------------- solvers
@pytest.mark.parametrize("solver", ["traingd", "traingdm", "traingda", "traingdx"])
def test_default_regressor_gradient_descent_keeps_mini_batches(solver):
    from bpforecast.forecasting.global_model import default_global_regressor

    r = default_global_regressor(random_state=3, solver=solver)
    assert (r.solver, r.batch_size, r.epochs, r.random_state) == (solver, 256, 100, 3)
    assert r.hidden_layer_sizes == (32, 32) and r.max_fail == 10


@pytest.mark.parametrize("solver", ["trainscg", "trainrp"])
def test_default_regressor_full_batch_solvers(solver):
    from bpforecast.forecasting.global_model import default_global_regressor

    r = default_global_regressor(solver=solver)
    assert (r.solver, r.batch_size, r.epochs) == (solver, None, 1000)
    # it trains: full batch is accepted by the regressor
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    r.set_params(epochs=5, hidden_layer_sizes=(4,)).fit(X, X[:, :2])
    assert r.n_iter_ <= 5


@pytest.mark.parametrize("solver", ["trainlm", "trainbr"])
def test_default_regressor_refuses_jacobian_solvers_naming_the_size(solver):
    from bpforecast.forecasting.global_model import default_global_regressor

    with pytest.raises(ValueError, match=f"{solver}.*Jacobian.*GB"):
        default_global_regressor(solver=solver)
    with pytest.raises(ValueError, match="solver must be one of"):
        default_global_regressor(solver="adam")


# ------------------------------------------------------------------ Dask
class WorkerRidge(Ridge):
    """Ridge that records whether it was fitted in a Dask worker."""

    def fit(self, X, y, sample_weight=None):
        from distributed import get_worker

        try:
            get_worker()
            self.in_dask_worker_ = True
        except ValueError:
            self.in_dask_worker_ = False
        return super().fit(X, y, sample_weight)


def dask_panel():
    rng = np.random.default_rng(11)
    t = np.arange(48)
    return pd.concat(
        pd.DataFrame(
            {
                "unique_id": f"s{i}",
                "ds": pd.date_range("2000-01-01", periods=48, freq="MS"),
                "y": (10 + i) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
                + rng.normal(0, 0.1, 48),
                "x": rng.normal(size=48),
                "group": "g1" if i < 2 else "g2",
            }
        )
        for i in range(4)
    )


def test_dask_backend_equals_one_job_exactly():
    distributed = pytest.importorskip("distributed")
    data = dask_panel()
    hist, future = data[data.ds < "2003-07-01"], data[data.ds >= "2003-07-01"]
    X_df = future[["unique_id", "ds", "x"]]
    kwargs = {"horizon": 6, "lookback": (1.5, 2), "n_models": 2, "random_state": 0}
    one = GlobalForecaster(**kwargs).fit(hist, static_features=["group"])
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ):
        # the default network (mini-batch traingdx), bit for bit
        dask = GlobalForecaster(**kwargs, backend="dask")
        dask.fit(hist, static_features=["group"])
        # the members really go to the cluster
        spy = GlobalForecaster(horizon=6, regressor=WorkerRidge(), backend="dask")
        spy.fit(hist.drop(columns=["x", "group"]))
    assert len(dask.models_) == 4 and dask.n_windows_ == one.n_windows_
    np.testing.assert_array_equal(
        dask.predict(X_df=X_df).forecast, one.predict(X_df=X_df).forecast
    )
    assert all(m.in_dask_worker_ for m in spy.models_)
    local = GlobalForecaster(horizon=6, regressor=WorkerRidge())
    assert not local.fit(hist.drop(columns=["x", "group"])).models_[0].in_dask_worker_


def test_dask_backend_without_client_and_bad_backend():
    distributed = pytest.importorskip("distributed")
    try:
        distributed.get_client()
    except ValueError:
        pass
    else:  # pragma: no cover - a client left over by another test
        pytest.skip("a dask client is active")
    with pytest.raises(ValueError, match="no(ne)?.*Client"):
        GlobalForecaster(horizon=2, regressor=Ridge(), backend="dask").fit(good_panel())
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="backend"):
        GlobalForecaster(horizon=2, regressor=Ridge(), backend=3).fit(good_panel())


def test_refit_recalibrates_the_intervals():
    f = GlobalForecaster(horizon=2, regressor=Ridge())
    f.fit(good_panel()).predict_interval()
    assert f.calibration_errors_.shape == (3, 2)
    bigger = long_frame({f"t{i}": 10 + np.arange(24.0) * (i + 1) for i in range(5)})
    out = f.fit(bigger).predict_interval()
    assert f.calibration_errors_.shape == (5, 2)  # not the first fit's errors
    assert out.unique_id.nunique() == 5
