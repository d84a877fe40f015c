"""BPForecaster: alignment, strategies, transforms, exog, intervals, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from statsmodels.tsa.ar_model import AutoReg

from bpforecast import BPForecaster
from bpforecast.datasets import load_airline_passengers, load_nile
from bpforecast.forecasting.windowing import make_windows

PLAIN = dict(transform=None, seasonal_adjustment=False, normalize=None, n_models=1)


def ar_series(n=200, phi=(0.6, -0.3), seed=0, const=2.0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    for t in range(2, n):
        y[t] = const + phi[0] * y[t - 1] + phi[1] * y[t - 2] + rng.normal()
    return y


def test_linear_regressor_reproduces_statsmodels_autoreg():
    """A linear regressor on lags 1..L, no transforms = AR(L) by OLS."""
    y = ar_series()
    f = BPForecaster(regressor=LinearRegression(), lags=3, **PLAIN).fit(y)
    ours = f.predict(15).to_numpy()
    ref = AutoReg(y, lags=3, trend="c").fit()
    expected = ref.predict(start=len(y), end=len(y) + 14)
    np.testing.assert_allclose(ours, expected, rtol=1e-8)
    in_sample = f.predict_in_sample().to_numpy()
    np.testing.assert_allclose(in_sample, ref.fittedvalues, rtol=1e-8)


def test_recursive_forecast_feeds_back_its_own_predictions():
    y = pd.Series(ar_series(120), name="y")
    f = BPForecaster(regressor=LinearRegression(), lags=[1, 2, 5], **PLAIN).fit(y)
    X, Y = make_windows(y, [1, 2, 5])
    model = LinearRegression().fit(X.to_numpy(), Y.to_numpy().ravel())
    path = list(y.to_numpy())
    for _ in range(6):
        row = np.array([[path[-1], path[-2], path[-5]]])
        path.append(float(model.predict(row)[0]))
    np.testing.assert_allclose(f.predict(6).to_numpy(), path[-6:], rtol=1e-10)


@pytest.mark.parametrize("strategy", ["direct", "mimo"])
def test_direct_and_mimo_match_a_per_step_linear_reference(strategy):
    y = pd.Series(ar_series(150, seed=3))
    f = BPForecaster(
        regressor=LinearRegression(), lags=4, horizon=5, strategy=strategy, **PLAIN
    ).fit(y)
    X, Y = make_windows(y, 4, horizon=5)
    last = np.array([[y.iloc[-1], y.iloc[-2], y.iloc[-3], y.iloc[-4]]])
    expected = [
        LinearRegression().fit(X.to_numpy(), Y.iloc[:, h]).predict(last)[0]
        for h in range(5)
    ]
    np.testing.assert_allclose(f.predict(5).to_numpy(), expected, rtol=1e-8)
    np.testing.assert_allclose(f.predict(3).to_numpy(), expected[:3], rtol=1e-8)
    with pytest.raises(ValueError, match="exceeds horizon=5"):
        f.predict(6)


def test_future_index_continues_the_frequency():
    y = load_airline_passengers()
    f = BPForecaster(n_models=1, random_state=0)
    forecast = f.fit(y).predict(14)
    assert forecast.index[0] == pd.Timestamp("1961-01-01")
    assert forecast.index[-1] == pd.Timestamp("1962-02-01")
    assert forecast.index.freqstr == "MS"
    yearly = BPForecaster(n_models=1, random_state=0).fit(load_nile()).predict(2)
    assert yearly.index.year.tolist() == [1971, 1972]


def test_default_forecaster_captures_trend_and_season():
    """A noisy multiplicative seasonal series with trend: beats seasonal naive,
    whose yearly copy misses a whole year of trend."""
    t = np.arange(156)
    rng = np.random.default_rng(0)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / 12)
    y = pd.Series(
        (100 + 2 * t) * season * np.exp(0.02 * rng.normal(size=t.size)),
        index=pd.date_range("2000-01-01", periods=t.size, freq="MS"),
    )
    train, test = y[:-12], y[-12:]
    f = BPForecaster(random_state=0).fit(train)
    assert f.season_length_ == 12 and f.seasonal_.seasonal_
    error = np.mean(np.abs(f.predict(12).to_numpy() - test.to_numpy()))
    naive = np.mean(np.abs(train[-12:].to_numpy() - test.to_numpy()))
    assert error < 0.9 * naive
    assert f.predict(24)[-12:].mean() > f.predict(12).mean()  # the trend goes on


def test_log_and_seasonal_adjustment_invert_exactly():
    y = load_airline_passengers()
    f = BPForecaster(n_models=1, random_state=0).fit(y)
    z = f._to_z(y.to_numpy())
    np.testing.assert_allclose(f._from_z(z, 0), y.to_numpy(), rtol=1e-12)


def test_window_normalisation_makes_level_shifts_harmless():
    y = ar_series(150, seed=1)
    a = BPForecaster(n_models=2, transform=None, random_state=0).fit(y).predict(8)
    b = BPForecaster(n_models=2, transform=None, random_state=0).fit(y + 1e4)
    np.testing.assert_allclose(b.predict(8).to_numpy() - 1e4, a.to_numpy(), atol=1e-6)


def test_narx_needs_future_exog_and_uses_it():
    rng = np.random.default_rng(0)
    n = 200
    x = rng.normal(size=n + 10)
    y = 3 * x[:n] + 0.1 * rng.normal(size=n)
    exog = pd.DataFrame({"temp": x[:n]})
    f = BPForecaster(regressor=LinearRegression(), lags=2, exog_lags=[0], **PLAIN).fit(
        y, exog=exog
    )
    future = pd.DataFrame({"temp": x[n:]})
    np.testing.assert_allclose(f.predict(10, exog=future), 3 * x[n:], atol=0.1)
    with pytest.raises(ValueError, match=r"exog is required.*\['temp'\]"):
        f.predict(3)
    with pytest.raises(ValueError, match="needs 10"):
        f.predict(10, exog=future.iloc[:4])
    with pytest.raises(ValueError, match=r"missing columns \['temp'\]"):
        f.predict(2, exog=pd.DataFrame({"rain": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="exog has 5 rows"):
        BPForecaster(**PLAIN).fit(y, exog=exog.iloc[:5])


def test_calendar_features_are_generated_for_the_future():
    idx = pd.date_range("2024-01-01", periods=24 * 30, freq="h")
    hour = idx.hour.to_numpy()
    rng = np.random.default_rng(1)
    y = pd.Series(
        10 + 5 * (hour >= 8) * (hour < 18) + rng.normal(0, 0.2, idx.size), idx
    )
    f = BPForecaster(
        regressor=LinearRegression(),
        lags=[1, 24],
        calendar_features=["hour", "dayofweek"],
        transform=None,
        seasonal_adjustment=False,
        n_models=1,
    ).fit(y)
    assert {"hour_sin_lag0", "hour_cos_lag0"} <= set(f.X_train_.columns)
    assert f.predict(48).index[0] == pd.Timestamp("2024-01-31 00:00")


def test_predict_interval_contains_forecast_and_covers():
    covered = []
    for seed in range(30):
        y = ar_series(160, seed=seed)
        f = BPForecaster(regressor=LinearRegression(), lags=2, **PLAIN).fit(y[:-1])
        out = f.predict_interval(1, coverage=0.8)
        assert (out["lower"] <= out["forecast"]).all()
        assert (out["forecast"] <= out["upper"]).all()
        covered.append(out["lower"].iloc[0] <= y[-1] <= out["upper"].iloc[0])
    assert 0.6 <= np.mean(covered) <= 1.0


def test_predict_interval_widths_follow_the_errors():
    y = load_nile()
    f = BPForecaster(n_models=2, interval_windows=15, random_state=0).fit(y)
    out = f.predict_interval(5, coverage=0.8)
    errors = f._calibration_errors(5)
    half = out["upper"] - out["forecast"]
    # split conformal: the ceil((K + 1) * 0.8) = 13th smallest |error| per step
    assert errors.shape[0] == 15
    np.testing.assert_allclose(half, np.sort(np.abs(errors), axis=0)[13 - 1])
    with pytest.raises(ValueError, match="coverage"):
        f.predict_interval(2, coverage=1.5)


def test_create_train_X_y_shows_the_windows():
    y = load_airline_passengers()
    f = BPForecaster(lags=[1, 12])
    X, Y = f.create_train_X_y(y)
    assert list(X.columns) == ["y_lag12"]  # y_lag1 is the level, removed
    assert len(X) == len(y) - 12
    # Changes from the level, in units of the RMS one-step change of the
    # seasonally adjusted log series (recomputed here from its parts).
    adjusted = f.seasonal_.transform(np.log(y.to_numpy()), 0)
    unit = np.sqrt(np.mean(np.diff(adjusted) ** 2))
    assert f.scale_ == pytest.approx(unit, rel=1e-12)
    assert 0.02 < unit < 0.2  # a few percent a month
    np.testing.assert_allclose(
        X.iloc[0, 0] * unit, np.log(112) - np.log(y.iloc[11]), atol=0.2
    )
    # Targets: the change from the level (lag 1), minus the series' mean
    # change (drift='shrink' takes the mean drift out of the windows).
    changes = np.diff(adjusted)
    np.testing.assert_allclose(
        Y.iloc[:, 0] * unit, changes[11:] - changes.mean(), rtol=1e-10
    )


def test_forecast_from_longer_history_without_refit():
    y = load_nile()
    f = BPForecaster(regressor=LinearRegression(), lags=3, **PLAIN).fit(y[:80])
    fresh = BPForecaster(regressor=LinearRegression(), lags=3, **PLAIN).fit(y[:80])
    np.testing.assert_allclose(f.forecast_from(y[:80], 4), fresh.predict(4))
    assert f.forecast_from(y[:95], 4).shape == (4,)


def test_clone_and_params():
    f = BPForecaster(lags=4, n_models=3)
    g = clone(f)
    assert g.get_params()["lags"] == 4 and not hasattr(g, "models_")


def test_inputs_are_not_modified():
    y = load_nile()
    y0 = y.copy()
    BPForecaster(n_models=1, random_state=0).fit(y).predict(3)
    pd.testing.assert_series_equal(y, y0)


@pytest.mark.parametrize(
    "y, error, match",
    [
        (np.array([1.0, np.nan] * 30), ValueError, "NaN or infinite"),
        (np.array(["a"] * 40), TypeError, "numeric"),
        (np.ones((30, 2)), ValueError, "1-D"),
        (np.arange(5.0), ValueError, "too short"),
    ],
)
def test_bad_series(y, error, match):
    with pytest.raises(error, match=match):
        BPForecaster(n_models=1, lags=3).fit(y)


def test_bad_steps_and_unfitted():
    with pytest.raises(NotFittedError):
        BPForecaster().predict(3)
    f = BPForecaster(n_models=1, random_state=0).fit(load_nile())
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        f.predict(0)
    with pytest.raises(TypeError, match="steps must be a positive integer"):
        f.predict(2.5)


def test_irregular_dates_are_refused():
    idx = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-06"] * 1)
    with pytest.raises(ValueError, match="regular frequency"):
        BPForecaster().fit(pd.Series([1.0, 2.0, 3.0, 4.0], index=idx))
    dup = pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02"])
    with pytest.raises(ValueError, match="increasing and unique"):
        BPForecaster().fit(pd.Series([1.0, 2.0, 3.0], index=dup))


def test_invalid_parameters():
    y = load_nile()
    with pytest.raises(ValueError, match="'strategy' parameter"):
        BPForecaster(strategy="magic").fit(y)
    with pytest.raises(ValueError, match="lags"):
        BPForecaster(lags=[0, 1]).fit(y)
    with pytest.raises(ValueError, match="'n_models' parameter"):
        BPForecaster(n_models=0).fit(y)


def test_default_network_is_trainbr_on_changes_with_unscaled_targets():
    y = load_nile()
    f = BPForecaster(n_models=2, random_state=0).fit(y)
    net = f.models_[0]
    assert (net.solver, net.division, net.max_fail) == ("trainbr", None, 0)
    assert net.target_scaling is None
    # the targets reach the network in units of scale_, not standardised
    assert net.y_center_.tolist() == [0.0] and net.y_gain_.tolist() == [1.0]
    # levels (normalize=None) are no changes: their targets stay centred
    g = BPForecaster(n_models=1, normalize=None, random_state=0).fit(y)
    assert g.scale_ == 1.0
    np.testing.assert_allclose(
        g.models_[0].y_center_, [g.y_train_.to_numpy().mean()], rtol=1e-12
    )


def test_scale_does_not_change_a_linear_models_forecast():
    # OLS is equivariant to a common rescaling of inputs and targets, so the
    # change of units (scale_) must cancel exactly in the forecast.
    y = load_airline_passengers()
    f = BPForecaster(regressor=LinearRegression(), lags=13, n_models=1).fit(y)
    X, Y = f.X_train_.to_numpy(), f.y_train_.iloc[:, 0].to_numpy()
    ols = LinearRegression().fit(X * f.scale_, Y * f.scale_)
    f.models_ = [ols]
    f.scale_ = 1.0
    g = BPForecaster(regressor=LinearRegression(), lags=13, n_models=1).fit(y)
    np.testing.assert_allclose(g.predict(12), f.predict(12), rtol=1e-8)
