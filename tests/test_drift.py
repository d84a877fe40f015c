"""The drift adjustment: the mean drift out of the windows, a shrunk one into forecasts.

References are written here from the definition (scipy's one-sample t test
for the t statistic, the windows and the closed loop by hand), sharing no
code with :class:`~bpforecast.forecasting.transforms.DriftAdjustment` or
the forecaster.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression

from bpforecast import BPForecaster
from bpforecast.forecasting.transforms import DRIFT_SHRINKAGE, DriftAdjustment
from bpforecast.io import load, save


def noisy_trend(n=60, slope=0.5, noise=1.0, seed=0):
    rng = np.random.default_rng(seed)
    return 50 + slope * np.arange(n) + rng.normal(0, noise, n).cumsum() * 0.3


@pytest.mark.parametrize("k", [0.0, 1.0, 4.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_drift_and_its_shrinkage_follow_the_definition(k, seed):
    z = noisy_trend(seed=seed, slope=0.2)
    adj = DriftAdjustment(shrinkage=k).fit(z)
    changes = np.diff(z)
    t = stats.ttest_1samp(changes, 0.0).statistic
    assert adj.drift_ == pytest.approx(changes.mean(), rel=1e-12)
    assert adj.t_ == pytest.approx(abs(t), rel=1e-10)
    weight = t**2 / (t**2 + k)
    assert adj.forecast_drift_ == pytest.approx(changes.mean() * weight, rel=1e-10)
    steps = np.arange(1, 7)
    np.testing.assert_allclose(
        adj.correction(6), (changes.mean() - changes.mean() * weight) * steps
    )


def test_transform_and_inverse_take_out_and_restore_the_line():
    z = noisy_trend()
    adj = DriftAdjustment().fit(z)
    line = np.diff(z).mean() * np.arange(z.size)
    np.testing.assert_allclose(adj.transform(z), z - line, rtol=1e-12)
    # The detrended series has no mean change left.
    assert np.diff(adj.transform(z)).mean() == pytest.approx(0.0, abs=1e-12)
    # From position 10 on, the line continues from there.
    np.testing.assert_allclose(adj.transform(z[10:], 10), z[10:] - line[10:])
    np.testing.assert_allclose(adj.inverse(adj.transform(z[5:], 5), 5), z[5:])


def test_strong_drift_is_kept_and_a_drift_lost_in_noise_is_dropped():
    rng = np.random.default_rng(3)
    steady = np.cumsum(1.0 + 0.05 * rng.normal(size=40))  # t about 120
    walk = np.cumsum(0.05 + rng.normal(size=40))  # t well below 1
    kept = DriftAdjustment().fit(steady)
    lost = DriftAdjustment().fit(walk)
    assert kept.forecast_drift_ / kept.drift_ > 0.999
    assert lost.t_ < 1
    assert lost.forecast_drift_ / lost.drift_ < lost.t_**2 / 4


def test_degenerate_series():
    line = DriftAdjustment().fit(np.arange(10.0) * 2)  # every change 2: t infinite
    assert (line.drift_, line.t_, line.forecast_drift_) == (2.0, np.inf, 2.0)
    np.testing.assert_array_equal(line.correction(3), np.zeros(3))
    for z in (np.full(8, 3.0), np.array([1.0, 2.0]), np.array([4.0])):
        adj = DriftAdjustment().fit(z)
        assert (adj.drift_, adj.forecast_drift_) == (0.0, 0.0)
        np.testing.assert_array_equal(adj.transform(z), z)
    with pytest.raises(ValueError, match="shrinkage must be a finite number >= 0"):
        DriftAdjustment(shrinkage=-1).fit(np.arange(5.0))


def by_hand_forecast(y, lags, steps, shrinkage):
    """No log, no season, window normalisation, drift shrunk by ``shrinkage``;
    a linear model on the windows and the closed loop, written out."""
    y = np.asarray(y, dtype=float)
    unit = np.sqrt(np.mean(np.diff(y) ** 2))
    z = y / unit
    d = np.diff(z)
    m = d.mean()
    t2 = (m / (d.std(ddof=1) / np.sqrt(d.size))) ** 2
    kept = m * t2 / (t2 + shrinkage)
    w = z - m * np.arange(z.size)  # detrended
    L = max(lags)
    rows, targets = [], []
    for t in range(L, w.size):
        level = w[t - 1]
        rows.append([w[t - k] - level for k in lags[1:]])
        targets.append(w[t] - level)
    model = LinearRegression().fit(np.array(rows), np.array(targets))
    path = list(w)
    for _ in range(steps):
        level = path[-1]
        row = [[path[-k] - level for k in lags[1:]]]
        path.append(level + float(model.predict(row)[0]))
    n = y.size
    future = np.array(path[n:])
    j = np.arange(1, steps + 1)
    # Back: the line restored with the mean drift, then the forecast drift.
    return (future + m * (n - 1 + j) - (m - kept) * j) * unit


@pytest.mark.parametrize("drift, k", [("shrink", DRIFT_SHRINKAGE), ("full", 0.0)])
def test_forecaster_matches_a_written_out_reference(drift, k):
    y = pd.Series(noisy_trend(80, slope=0.3, seed=2))
    f = BPForecaster(
        regressor=LinearRegression(),
        lags=4,
        transform=None,
        seasonal_adjustment=False,
        drift=drift,
        n_models=1,
    ).fit(y)
    expected = by_hand_forecast(y, [1, 2, 3, 4], 7, k)
    np.testing.assert_allclose(f.predict(7).to_numpy(), expected, rtol=1e-9)
    # forecast_from continues the same rule from a later origin.
    np.testing.assert_allclose(f.forecast_from(y, 3), expected[:3], rtol=1e-9)


def test_drift_none_and_normalize_none_leave_the_series_as_it_is():
    y = pd.Series(noisy_trend(70, seed=4))
    plain = BPForecaster(regressor=LinearRegression(), lags=3, drift=None).fit(y)
    assert plain.drift_ is None
    changes = np.diff(np.log(y.to_numpy())) / plain.scale_
    # Targets are the plain changes (no mean taken out).
    np.testing.assert_allclose(
        plain.y_train_.iloc[:, 0].to_numpy(), changes[2:], rtol=1e-10
    )
    levels = BPForecaster(regressor=LinearRegression(), lags=3, normalize=None)
    assert levels.fit(y).drift_ is None  # only window-normalised changes


def test_in_sample_fitted_values_carry_the_forecast_drift():
    y = pd.Series(noisy_trend(60, seed=5))
    f = BPForecaster(
        regressor=LinearRegression(),
        lags=3,
        transform=None,
        seasonal_adjustment=False,
        n_models=1,
    ).fit(y)
    # Each fitted value is the one-step forecast from the value before it.
    fitted = f.predict_in_sample()
    for t in (10, 30, 59):
        one_step = f.forecast_from(y.iloc[:t], 1)
        assert fitted.loc[t] == pytest.approx(one_step[0], rel=1e-10)


def test_both_pipelines_have_their_own_drift_and_it_is_saved(tmp_path):
    y = pd.Series(np.exp(noisy_trend(60, slope=0.02, noise=0.05, seed=6) / 10))
    f = BPForecaster(regressor=LinearRegression(), lags=3, n_models=1).fit(y)
    log, level = f.pipelines_
    log_changes = np.diff(log.seasonal_.transform(np.log(y.to_numpy()), 0))
    assert log.drift_.drift_ == pytest.approx(log_changes.mean() / log.scale_)
    assert level.drift_.drift_ == pytest.approx(
        np.diff(level.seasonal_.transform(y.to_numpy(), 0)).mean() / level.scale_
    )
    save(f, tmp_path / "f.bpf")
    loaded = load(tmp_path / "f.bpf")
    assert loaded.pipelines_[0].drift_.forecast_drift_ == log.drift_.forecast_drift_
    pd.testing.assert_series_equal(loaded.predict(5), f.predict(5))


def test_a_forecaster_saved_without_drift_forecasts_as_before():
    """Files from before version 0.5 hold no drift_: no adjustment."""
    y = pd.Series(noisy_trend(50, seed=7))
    f = BPForecaster(regressor=LinearRegression(), lags=3, drift=None, n_models=1)
    f.fit(y)
    before = f.predict(4)
    for p in [f, *f.pipelines_]:
        del p.drift_
    pd.testing.assert_series_equal(f.predict(4), before)


def test_bad_drift_value_names_the_parameter():
    with pytest.raises(ValueError, match="drift"):
        BPForecaster(drift="half").fit(noisy_trend(40))


def test_summary_shows_each_pipelines_drift():
    y = pd.Series(np.exp(noisy_trend(60, slope=0.02, noise=0.05, seed=8) / 10))
    f = BPForecaster(regressor=LinearRegression(), lags=3, n_models=1).fit(y)
    table = dict(f.summary().sections)["Pipelines"]
    log_changes = np.diff(np.log(y.to_numpy()))  # no season: yearly-like index
    level_changes = np.diff(y.to_numpy())
    assert table.loc["log", "drift"] == pytest.approx(log_changes.mean())
    assert table.loc["none", "drift"] == pytest.approx(level_changes.mean())
    t = stats.ttest_1samp(level_changes, 0.0).statistic
    assert table.loc["none", "forecast drift"] == pytest.approx(
        level_changes.mean() * t**2 / (t**2 + 4)
    )


def test_direct_strategy_carries_the_same_forecast_drift():
    """strategy='direct': one linear model per step on the detrended
    windows, written out; the shrunk drift replaces the mean one."""
    y = noisy_trend(90, slope=0.25, seed=9)
    f = BPForecaster(
        regressor=LinearRegression(),
        lags=3,
        horizon=4,
        strategy="direct",
        transform=None,
        seasonal_adjustment=False,
        n_models=1,
    ).fit(pd.Series(y))
    unit = np.sqrt(np.mean(np.diff(y) ** 2))
    z = y / unit
    d = np.diff(z)
    m = d.mean()
    t2 = (m / (d.std(ddof=1) / np.sqrt(d.size))) ** 2
    kept = m * t2 / (t2 + DRIFT_SHRINKAGE)
    w = z - m * np.arange(z.size)
    n, expected = y.size, []
    last = [w[n - 1 - k] - w[n - 1] for k in (1, 2)]
    windows = range(3, n - 4 + 1)  # rows with all four targets, as fitted
    rows = [[w[t - 2] - w[t - 1], w[t - 3] - w[t - 1]] for t in windows]
    for j in range(1, 5):
        targets = [w[t + j - 1] - w[t - 1] for t in windows]
        step = LinearRegression().fit(rows, targets).predict([last])[0]
        future = w[n - 1] + step
        expected.append((future + m * (n - 1 + j) - (m - kept) * j) * unit)
    np.testing.assert_allclose(f.predict(4).to_numpy(), expected, rtol=1e-9)
