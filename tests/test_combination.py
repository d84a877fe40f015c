"""CombinationForecaster: local and global members of a collection, combined.

The expectations are computed independently here: each member fitted by
hand (per series for the local ones), the median or mean taken with numpy
over those forecasts.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, Ridge

from bpforecast import (
    BPForecaster,
    BPRegressor,
    CombinationForecaster,
    GlobalForecaster,
    MultiSeriesForecaster,
)
from bpforecast.forecasting.baselines import ETS, Naive, Naive2, SeasonalNaive, Theta
from bpforecast.forecasting.combination import (
    MemberFailedWarning,
    default_members,
    is_global_forecaster,
)
from bpforecast.forecasting.multiseries import SeriesError, series_seed

H = 4


def make_panel(lengths=(36, 30, 40), freq="MS", seed=0) -> pd.DataFrame:
    """Seasonal monthly series of different levels and lengths, long format."""
    rng = np.random.default_rng(seed)
    frames = []
    for i, n in enumerate(lengths):
        t = np.arange(n)
        y = (10 * (i + 1)) * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) + rng.normal(
            0, 0.3, n
        ).cumsum()
        dates = pd.date_range("2010-01-01", periods=n, freq=freq)
        frames.append(pd.DataFrame({"unique_id": f"s{i}", "ds": dates, "y": y}))
    return pd.concat(frames, ignore_index=True)


def one(data: pd.DataFrame, uid, freq="MS") -> pd.Series:
    part = data[data["unique_id"] == uid]
    return pd.Series(
        part["y"].to_numpy(), index=pd.DatetimeIndex(part["ds"], freq=freq)
    )


def small_global(**kwargs) -> GlobalForecaster:
    regressor = BPRegressor(hidden_layer_sizes=(4,), epochs=15, max_fail=5)
    return GlobalForecaster(n_models=1, lookback=2.0, regressor=regressor, **kwargs)


def quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


@pytest.fixture(scope="module")
def panel():
    return make_panel()


@pytest.fixture(scope="module")
def fitted(panel):
    f = CombinationForecaster(
        horizon=H,
        forecasters=[small_global(), Theta(deseasonalize="m4"), ETS()],
        random_state=3,
    )
    quiet(lambda: f.fit(panel))
    return f


# ------------------------------------------------------------------ the values


def test_output_columns_dates_and_order(fitted, panel):
    out = fitted.predict()
    assert out.columns.tolist() == [
        "unique_id",
        "ds",
        "forecast",
        "GlobalForecaster",
        "Theta",
        "ETS",
    ]
    assert out["unique_id"].tolist() == list(np.repeat(["s0", "s1", "s2"], H))
    for uid, part in out.groupby("unique_id"):
        last = panel.loc[panel["unique_id"] == uid, "ds"].max()
        expected = pd.date_range(last, periods=H + 1, freq="MS")[1:]
        assert list(part["ds"]) == list(expected)
    assert fitted.kinds_ == {
        "GlobalForecaster": "global",
        "Theta": "local",
        "ETS": "local",
    }
    assert list(fitted.ids_) == ["s0", "s1", "s2"]
    assert all(not failed for failed in fitted.failures_.values())


def test_combined_column_is_the_per_step_median_of_the_members(fitted):
    out = fitted.predict()
    members = np.column_stack(
        [out[c].to_numpy() for c in ("GlobalForecaster", "Theta", "ETS")]
    )
    expected = [sorted(row)[1] for row in members.tolist()]  # middle of three
    np.testing.assert_array_equal(out["forecast"].to_numpy(), expected)
    # not trivially one member: each member is the median somewhere or differs
    assert not np.allclose(members[:, 0], members[:, 1])


def test_local_members_equal_per_series_fits_by_hand(fitted, panel):
    out = fitted.predict()
    for uid in ("s0", "s1", "s2"):
        y = one(panel, uid)
        rows = out["unique_id"] == uid
        theta = quiet(lambda y=y: Theta(deseasonalize="m4").fit(y).predict(H))
        ets = quiet(lambda y=y: ETS().fit(y).predict(H))
        np.testing.assert_allclose(out.loc[rows, "Theta"], theta.to_numpy(), rtol=1e-12)
        np.testing.assert_allclose(out.loc[rows, "ETS"], ets.to_numpy(), rtol=1e-12)


def test_global_member_equals_the_global_forecaster_by_hand(fitted, panel):
    # The combination gives the member its horizon and random_state.
    by_hand = quiet(lambda: small_global(horizon=H, random_state=3).fit(panel))
    expected = by_hand.predict()
    out = fitted.predict()
    np.testing.assert_array_equal(out["GlobalForecaster"], expected["forecast"])
    assert fitted.forecasters_["GlobalForecaster"].horizon == H


def test_mean_and_shorter_horizon(panel):
    f = CombinationForecaster(
        horizon=H, forecasters=[Naive(), Naive2(), ("theta", Theta())], combine="mean"
    )
    out = quiet(lambda: f.fit(panel).predict())
    cols = out[["Naive", "Naive2", "theta"]].to_numpy()
    np.testing.assert_allclose(out["forecast"], cols.sum(axis=1) / 3, rtol=1e-14)
    short = quiet(lambda: f.predict(2))
    assert len(short) == 2 * 3
    first_two = out.groupby("unique_id").head(2).reset_index(drop=True)
    pd.testing.assert_frame_equal(short, first_two)


def test_local_members_are_seeded_per_series(panel):
    bp = BPForecaster(
        n_models=1, lags=3, regressor=BPRegressor(hidden_layer_sizes=(3,), epochs=20)
    )
    f = CombinationForecaster(horizon=2, forecasters=[bp, Naive()], random_state=7)
    out = quiet(lambda: f.fit(panel).predict())
    for uid in ("s0", "s2"):
        by_hand = clone(bp).set_params(random_state=series_seed(7, uid))
        expected = quiet(lambda m=by_hand, uid=uid: m.fit(one(panel, uid)).predict(2))
        got = out.loc[out["unique_id"] == uid, "BPForecaster"].to_numpy()
        np.testing.assert_array_equal(got, expected.to_numpy())
    assert bp.get_params()["random_state"] is None  # the given member is untouched
    assert not hasattr(bp, "models_")


@pytest.mark.parametrize("strategy", ["direct", "mimo"])
def test_direct_and_mimo_local_members_get_the_horizon(panel, strategy):
    # Left at horizon=1, they could not forecast 3 steps and would fail.
    small = BPRegressor(hidden_layer_sizes=(3,), epochs=10)
    bp = BPForecaster(n_models=1, lags=2, strategy=strategy, regressor=small)
    recursive = BPForecaster(n_models=1, lags=2, regressor=small, horizon=1)
    f = CombinationForecaster(
        horizon=3,
        forecasters=[bp, ("recursive", recursive)],
        random_state=2,
    )
    out = quiet(lambda: f.fit(panel).predict())
    assert f.failures_ == {"BPForecaster": {}, "recursive": {}}
    assert bp.horizon == 1  # the given member is untouched
    fits = f.forecasters_["BPForecaster"].models_
    assert {m.horizon for m in fits.values()} == {3}
    # A recursive member forecasts any number of steps and keeps its horizon.
    assert {m.horizon for m in f.forecasters_["recursive"].models_.values()} == {1}
    by_hand = clone(bp).set_params(horizon=3, random_state=series_seed(2, "s1"))
    expected = quiet(lambda: by_hand.fit(one(panel, "s1")).predict(3))
    got = out.loc[out["unique_id"] == "s1", "BPForecaster"].to_numpy()
    np.testing.assert_array_equal(got, expected.to_numpy())


def test_integer_ids_and_integer_times():
    data = pd.DataFrame(
        {
            "unique_id": np.repeat([10, 20], 12),
            "ds": np.tile(np.arange(12), 2),
            "y": np.r_[np.arange(12.0), 5.0 + np.arange(12.0) * 2],
        }
    )
    f = CombinationForecaster(horizon=2, forecasters=[Naive(), SeasonalNaive(1)])
    out = f.fit(data).predict()
    assert out["unique_id"].tolist() == [10, 10, 20, 20]
    assert out["ds"].tolist() == [12, 13, 12, 13]
    assert out["forecast"].tolist() == [11.0, 11.0, 27.0, 27.0]


# ------------------------------------------------------------------- failures


def test_a_local_member_failing_on_a_series_leaves_the_others():
    data = make_panel(lengths=(30, 8, 30))  # s1 is shorter than a season
    f = CombinationForecaster(
        horizon=3, forecasters=[Naive(), SeasonalNaive(), Naive2()]
    )
    with pytest.warns(MemberFailedWarning, match="'SeasonalNaive' failed on 1 series"):
        f.fit(data)
    assert list(f.failures_["SeasonalNaive"]) == ["s1"]
    assert "fewer than one season" in f.failures_["SeasonalNaive"]["s1"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # already warned in fit: no second warning
        out = f.predict()
    rows = out["unique_id"] == "s1"
    assert out.loc[rows, "SeasonalNaive"].isna().all()
    last = data.loc[data["unique_id"] == "s1", "y"].iloc[-1]
    # median of Naive and Naive2 (not seasonal with 8 values): both the last value
    np.testing.assert_allclose(out.loc[rows, "forecast"], [last] * 3)
    assert out.attrs["failures"]["SeasonalNaive"] == f.failures_["SeasonalNaive"]
    assert "failed series" in f.summary() and "SeasonalNaive" in f.summary()


def test_a_global_member_is_refitted_without_a_series_it_refuses():
    data = make_panel(lengths=(30, 5, 30))  # s1: too short for h + 1 = 7 values
    f = CombinationForecaster(
        horizon=6, forecasters=[small_global(), Naive(), Naive2()], random_state=0
    )
    with pytest.warns(MemberFailedWarning, match="'GlobalForecaster' failed on 1"):
        f.fit(data)
    assert list(f.failures_["GlobalForecaster"]) == ["s1"]
    assert f.forecasters_["GlobalForecaster"].ids_ == ["s0", "s2"]
    out = quiet(f.predict)
    rows = out["unique_id"] == "s1"
    assert out.loc[rows, "GlobalForecaster"].isna().all()
    assert out.loc[~rows, "GlobalForecaster"].notna().all()
    np.testing.assert_allclose(
        out.loc[rows, "forecast"],
        (out.loc[rows, "Naive"] + out.loc[rows, "Naive2"]) / 2,
    )


class _NaNForOne:
    """A global member (fit(data)) that forecasts NaN for series 's0'."""

    def fit(self, data):
        self.last_ = data.groupby("unique_id")["y"].last()
        self.index_ = data.groupby("unique_id")["ds"].max()
        return self

    def predict(self, h):
        rows = []
        for uid, last in self.last_.items():
            dates = pd.date_range(self.index_[uid], periods=h + 1, freq="MS")[1:]
            value = np.nan if uid == "s0" else last + 1.0
            rows.append(
                pd.DataFrame({"unique_id": uid, "ds": dates, "forecast": value})
            )
        return pd.concat(rows, ignore_index=True)


class _Broken:
    def fit(self, df):
        raise RuntimeError("cannot fit")

    def predict(self, h):  # pragma: no cover - never reached
        raise AssertionError


def test_non_finite_and_failing_members_are_left_out(panel):
    f = CombinationForecaster(
        horizon=2,
        forecasters=[("nan", _NaNForOne()), Naive(), ("broken", _Broken())],
    )
    with pytest.warns(MemberFailedWarning, match="'broken' failed on 3 series"):
        f.fit(panel)
    assert f.forecasters_["broken"] is None
    assert f.kinds_["nan"] == "global" and f.kinds_["broken"] == "global"
    with pytest.warns(MemberFailedWarning, match="'nan' failed on 1 series"):
        out = f.predict()
    assert f.failures_["nan"] == {"s0": "non-finite forecast"}
    assert "cannot fit" in f.failures_["broken"]["s1"]
    s0 = out["unique_id"] == "s0"
    np.testing.assert_array_equal(out.loc[s0, "forecast"], out.loc[s0, "Naive"])
    np.testing.assert_allclose(
        out.loc[~s0, "forecast"], (out.loc[~s0, "nan"] + out.loc[~s0, "Naive"]) / 2
    )
    assert out["broken"].isna().all()


def test_a_series_no_member_can_forecast_raises_naming_it():
    data = make_panel(lengths=(30, 6))
    f = CombinationForecaster(horizon=2, forecasters=[SeasonalNaive(12)])
    with pytest.raises(SeriesError, match="series 's1': no member could forecast"):
        quiet(lambda: f.fit(data))


def test_bad_series_data_raises_naming_the_series():
    data = make_panel(lengths=(20, 20))
    data.loc[25, "y"] = np.nan
    with pytest.raises(SeriesError, match="series 's1'"):
        CombinationForecaster(forecasters=[Naive()]).fit(data)


# ------------------------------------------------------------------ bad input


def test_bad_parameters_name_the_argument(panel):
    for kwargs, error, match in [
        ({"combine": "max"}, ValueError, "combine"),
        ({"forecasters": []}, ValueError, "forecasters is empty"),
        ({"forecasters": Naive()}, TypeError, "forecasters"),
        ({"forecasters": "Naive"}, TypeError, "forecasters"),
        ({"forecasters": [Naive(), 3]}, TypeError, r"forecasters\[1\] must be a"),
        ({"forecasters": [Naive(), Naive()]}, ValueError, "forecasters: the member"),
        ({"forecasters": [("forecast", Naive())]}, ValueError, "'forecast' is not"),
        ({"forecasters": [("", Naive())]}, ValueError, "forecasters: the member name"),
        ({"horizon": 0}, ValueError, "horizon"),
        ({"horizon": 2.5}, ValueError, "horizon"),
        ({"n_jobs": 0}, ValueError, "n_jobs"),
    ]:
        with pytest.raises(error, match=match):
            CombinationForecaster(**kwargs).fit(panel)


def test_bad_data_and_h(panel):
    f = CombinationForecaster(horizon=2, forecasters=[Naive()])
    with pytest.raises(NotFittedError):
        f.predict()
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        f.fit(panel.to_numpy())
    with pytest.raises(ValueError, match=r"missing the columns \['y'\]"):
        f.fit(panel.rename(columns={"y": "value"}))
    with pytest.raises(ValueError, match=r"columns \['price'\] besides"):
        f.fit(panel.assign(price=1.0))
    with pytest.raises(ValueError, match="no rows"):
        f.fit(panel.iloc[:0])
    f.fit(panel)
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="h must be a positive integer"):
            f.predict(bad)
    with pytest.raises(ValueError, match="h=3 exceeds horizon=2"):
        f.predict(3)


def test_input_frame_and_members_are_not_modified():
    data = make_panel(lengths=(30, 24))
    data = data.sample(frac=1.0, random_state=0)  # unsorted rows
    before = data.copy(deep=True)
    members = [small_global(), Theta(), Naive()]
    params = [m.get_params() for m in members]
    f = CombinationForecaster(horizon=3, forecasters=members, random_state=1)
    quiet(lambda: f.fit(data).predict())
    pd.testing.assert_frame_equal(data, before)
    assert [m.get_params() for m in members] == params
    assert members[0].horizon == 1 and not hasattr(members[0], "models_")


# ---------------------------------------------------------- defaults, protocol


def test_default_members_follow_the_horizon_and_seed():
    members = default_members(7, random_state=5)
    assert [name for name, _ in members] == ["GlobalForecaster", "Theta", "ETS"]
    glob, theta, ets = (m for _, m in members)
    assert (glob.horizon, glob.random_state) == (7, 5)
    assert glob.get_params() == GlobalForecaster(horizon=7, random_state=5).get_params()
    assert theta.deseasonalize == "m4" and theta.season_length is None
    assert ets.get_params() == ETS().get_params()
    assert CombinationForecaster().forecasters is None


def test_is_global_forecaster():
    assert is_global_forecaster(GlobalForecaster())
    assert is_global_forecaster(_NaNForOne()) and is_global_forecaster(_Broken())
    for local in (BPForecaster(), Theta(), ETS(), Naive2()):
        assert not is_global_forecaster(local)


def test_sklearn_protocol_and_summary(fitted):
    twin = clone(fitted)
    assert twin.get_params()["horizon"] == H
    assert not hasattr(twin, "forecasters_")
    text = str(fitted.summary())
    assert text.startswith("CombinationForecaster: median of 3 members")
    assert "GlobalForecaster  global" in text and "series:" in text
    assert "<table" in fitted.summary().as_html()


# ------------------------------------------------------------------ intervals
IH = 3  # the horizon of the interval tests


def interval_panel() -> pd.DataFrame:
    """Positive series of different levels, one around zero, two short ones.

    ``six`` keeps 3 values without its last block: too few for the global
    member's windows (IH + 1), which leaves it out of the calibration fit;
    ``four`` keeps 1, too few to read monthly dates, and is left out of the
    calibration altogether.
    """
    rng = np.random.default_rng(1)
    frames = []
    for uid, n, level in [
        ("p0", 36, 10.0),
        ("p1", 30, 50.0),
        ("p2", 40, 200.0),
        ("p3", 33, 5.0),
        ("p4", 28, 80.0),
        ("z", 36, None),
        ("six", 6, 20.0),
        ("four", 4, 30.0),
    ]:
        t = np.arange(n)
        if level is None:
            y = 3 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.5, n)
        else:
            walk = np.exp(rng.normal(0, 0.03, n).cumsum())
            y = level * (1 + 0.1 * np.sin(2 * np.pi * t / 12)) * walk
        dates = pd.date_range("2010-01-01", periods=n, freq="MS")
        frames.append(pd.DataFrame({"unique_id": uid, "ds": dates, "y": y}))
    return pd.concat(frames, ignore_index=True)


def interval_members() -> list:
    return [Naive(), Theta(), GlobalForecaster(regressor=Ridge())]


@pytest.fixture(scope="module")
def interval_fitted():
    data = interval_panel()
    f = CombinationForecaster(horizon=IH, forecasters=interval_members())
    quiet(lambda: f.fit(data))
    return f, data


def test_intervals_equal_a_calibration_by_hand(interval_fitted):
    f, data = interval_fitted
    coverage = 0.8
    out = quiet(lambda: f.predict_interval(coverage=coverage))

    # Hold out the last IH values of every series long enough to be read
    # without them ('four' keeps 1 value: no monthly dates to infer).
    calibrated = ["p0", "p1", "p2", "p3", "p4", "z", "six"]
    train, held = [], {}
    for uid in calibrated:
        part = data[data["unique_id"] == uid]
        train.append(part.iloc[:-IH])
        held[uid] = part["y"].to_numpy()[-IH:]
    train = pd.concat(train, ignore_index=True)
    # The global member, refitted without 'six' (3 values < IH + 1).
    glob = GlobalForecaster(horizon=IH, regressor=Ridge())
    glob.fit(train[train["unique_id"] != "six"])
    glob_fc = glob.predict()
    errors = []
    for uid in calibrated:
        y = one(train, uid)
        forecasts = [
            quiet(lambda y=y: Naive().fit(y).predict(IH)).to_numpy(),
            quiet(lambda y=y: Theta().fit(y).predict(IH)).to_numpy(),
        ]
        if uid != "six":
            forecasts.append(glob_fc.loc[glob_fc["unique_id"] == uid, "forecast"])
        combined = np.median(np.vstack(forecasts), axis=0)
        actual = held[uid]
        whole = data.loc[data["unique_id"] == uid, "y"].to_numpy()
        if whole.min() > 0:
            assert (combined > 0).all()
            errors.append(np.log(actual) - np.log(combined))
        else:
            errors.append((actual - combined) / np.abs(y.to_numpy()).mean())
    errors = np.array(errors)
    assert f.calibration_ids_ == calibrated
    np.testing.assert_allclose(f.calibration_errors_, errors, rtol=1e-9, atol=1e-12)

    # the k-th smallest |error| per step, k = ceil((K + 1) coverage) (at most K)
    K = len(calibrated)
    k = min(K, int(np.ceil(round((K + 1) * coverage, 9))))
    q = np.sort(np.abs(errors), axis=0)[k - 1]

    point = f.predict()
    pd.testing.assert_frame_equal(
        out.drop(columns=["lower", "upper"]), point, check_exact=True
    )
    for uid in point["unique_id"].unique():
        rows = out["unique_id"] == uid
        fc = out.loc[rows, "forecast"].to_numpy()
        whole = data.loc[data["unique_id"] == uid, "y"].to_numpy()
        if whole.min() > 0:
            lower, upper = fc * np.exp(-q), fc * np.exp(q)
        else:
            scale = np.abs(whole).mean()
            lower, upper = fc - q * scale, fc + q * scale
        np.testing.assert_allclose(out.loc[rows, "lower"], lower, rtol=1e-12)
        np.testing.assert_allclose(out.loc[rows, "upper"], upper, rtol=1e-12)


def test_interval_columns_order_and_width(interval_fitted):
    f, _ = interval_fitted
    out = quiet(lambda: f.predict_interval(coverage=0.5))
    assert out.columns.tolist() == [
        "unique_id",
        "ds",
        "forecast",
        "lower",
        "upper",
        "Naive",
        "Theta",
        "GlobalForecaster",
    ]
    assert (out["lower"] < out["forecast"]).all()
    assert (out["forecast"] < out["upper"]).all()
    wide = quiet(lambda: f.predict_interval(coverage=0.95))
    narrow_width = (out["upper"] - out["lower"]).to_numpy()
    wide_width = (wide["upper"] - wide["lower"]).to_numpy()
    assert (wide_width > narrow_width).all()
    np.testing.assert_array_equal(wide["forecast"], out["forecast"])
    # A shorter h gives the first h steps of the same intervals.
    short = quiet(lambda: f.predict_interval(2, coverage=0.5))
    first_two = out.groupby("unique_id", sort=False).head(2).reset_index(drop=True)
    pd.testing.assert_frame_equal(short, first_two)


def test_calibration_is_cached_and_cleared_by_a_refit():
    data = interval_panel()
    f = CombinationForecaster(horizon=IH, forecasters=[Naive(), Theta()])
    quiet(lambda: f.fit(data))
    assert not hasattr(f, "calibration_errors_")
    quiet(f.predict_interval)
    errors = f.calibration_errors_
    assert errors.shape == (7, IH)
    quiet(lambda: f.predict_interval(coverage=0.6))
    assert f.calibration_errors_ is errors  # not recalibrated
    fewer = data[data["unique_id"].isin(["p0", "p1", "p2"])]
    quiet(lambda: f.fit(fewer))
    assert not hasattr(f, "calibration_errors_")
    assert not hasattr(f, "calibration_ids_")
    quiet(f.predict_interval)
    assert f.calibration_errors_.shape == (3, IH)
    assert f.calibration_ids_ == ["p0", "p1", "p2"]


def test_bad_coverage_names_the_argument(interval_fitted):
    f, _ = interval_fitted
    for bad in (0, 1, 1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match=r"coverage must be in \(0, 1\)"):
            f.predict_interval(coverage=bad)
    for bad in ("0.9", True, None):
        with pytest.raises(TypeError, match="coverage must be a number"):
            f.predict_interval(coverage=bad)
    with pytest.raises(ValueError, match="h=4 exceeds horizon=3"):
        f.predict_interval(4)
    with pytest.raises(NotFittedError):
        CombinationForecaster(forecasters=[Naive()]).predict_interval()


def test_too_short_to_calibrate_raises_a_clear_error():
    data = pd.DataFrame(
        {
            "unique_id": np.repeat(["a", "b"], [4, 10]),
            "ds": np.r_[np.arange(4), np.arange(10)],
            "y": np.r_[np.arange(1.0, 5.0), np.arange(1.0, 11.0)],
        }
    )
    f = CombinationForecaster(horizon=4, forecasters=[Naive(), Naive2()]).fit(data)
    with pytest.raises(ValueError, match="only 1 of the 2 series can be calibrated"):
        f.predict_interval()
    with pytest.raises(ValueError, match="lower horizon"):
        f.predict_interval()
    assert len(f.predict()) == 8  # the point forecasts are still there


def test_lower_and_upper_are_reserved_member_names(panel):
    for name in ("lower", "upper"):
        with pytest.raises(ValueError, match=f"the member name '{name}'"):
            CombinationForecaster(forecasters=[(name, Naive())]).fit(panel)


# ------------------------------------------------------------------- new_data
#
# predict(new_data=...) forecasts the series of another frame from their own
# history: global members through their predict(h, new_data=...), local
# members fitted afresh to each new series. The expectations below fit each
# baseline directly on each new series.


def new_panel() -> pd.DataFrame:
    """Two series not in ``panel`` (other ids, levels, lengths and dates)."""
    frames = []
    rng = np.random.default_rng(11)
    for uid, n, start, level in [
        ("n0", 26, "2016-03-01", 7.0),
        ("n1", 31, "2013-07-01", 120.0),
    ]:
        t = np.arange(n)
        y = level * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + rng.normal(0, 0.5, n)
        dates = pd.date_range(start, periods=n, freq="MS")
        frames.append(pd.DataFrame({"unique_id": uid, "ds": dates, "y": y}))
    return pd.concat(frames, ignore_index=True)


def linear_global(**kwargs) -> GlobalForecaster:
    return GlobalForecaster(regressor=LinearRegression(), **kwargs)


@pytest.fixture(scope="module")
def new_fitted(panel):
    f = CombinationForecaster(
        horizon=H,
        forecasters=[linear_global(), Theta(deseasonalize="m4"), Naive()],
        random_state=3,
    )
    quiet(lambda: f.fit(panel))
    return f


def test_new_data_members_equal_fits_on_the_new_series_by_hand(new_fitted, panel):
    new = new_panel()
    out = quiet(lambda: new_fitted.predict(new_data=new))
    assert out.columns.tolist() == [
        "unique_id",
        "ds",
        "forecast",
        "GlobalForecaster",
        "Theta",
        "Naive",
    ]
    assert out["unique_id"].tolist() == ["n0"] * H + ["n1"] * H
    # the global member: a GlobalForecaster fitted on the training panel by
    # hand (the combination gives it its horizon and seed), asked for new_data
    glob = quiet(lambda: linear_global(horizon=H, random_state=3).fit(panel))
    expected_glob = glob.predict(new_data=new)
    np.testing.assert_allclose(
        out["GlobalForecaster"], expected_glob["forecast"], rtol=1e-12
    )
    # ... and the fitted member's own forecast of new_data
    member = new_fitted.forecasters_["GlobalForecaster"]
    np.testing.assert_array_equal(
        out["GlobalForecaster"], member.predict(H, new_data=new)["forecast"]
    )
    for uid in ("n0", "n1"):
        y = one(new, uid)
        rows = (out["unique_id"] == uid).to_numpy()
        theta = quiet(lambda y=y: Theta(deseasonalize="m4").fit(y).predict(H))
        naive = np.repeat(y.iloc[-1], H)  # Naive: the last value
        np.testing.assert_allclose(out.loc[rows, "Theta"], theta, rtol=1e-12)
        np.testing.assert_array_equal(out.loc[rows, "Naive"], naive)
        glob_values = expected_glob.loc[expected_glob["unique_id"] == uid, "forecast"]
        members = np.vstack([glob_values.to_numpy(), theta.to_numpy(), naive])
        np.testing.assert_allclose(
            out.loc[rows, "forecast"], np.median(members, axis=0), rtol=1e-12
        )
        # the dates continue the new series' own dates
        expected_ds = pd.date_range(y.index[-1], periods=H + 1, freq="MS")[1:]
        assert list(out.loc[rows, "ds"]) == list(expected_ds)
    assert new_fitted.failures_ == {"GlobalForecaster": {}, "Theta": {}, "Naive": {}}
    assert out.attrs["failures"] == new_fitted.failures_


def test_new_data_mean_of_naive_and_seasonal_naive_by_hand():
    data = pd.DataFrame(
        {
            "unique_id": np.repeat([1, 2], 6),
            "ds": np.tile(np.arange(6), 2),
            "y": np.r_[np.arange(6.0), 10.0 - np.arange(6.0)],
        }
    )
    new = pd.DataFrame(
        {
            "unique_id": [7, 7, 7, 7, 7, 8, 8, 8],
            "ds": [20, 22, 24, 26, 28, 3, 4, 5],  # every other integer for 7
            "y": [1.0, 4.0, 2.0, 8.0, 5.0, 3.0, 9.0, 6.0],
        }
    )
    f = CombinationForecaster(
        horizon=3, forecasters=[Naive(), SeasonalNaive(2)], combine="mean"
    )
    out = f.fit(data).predict(new_data=new)
    # Naive: last value; SeasonalNaive(2): the last two values repeated.
    assert out["unique_id"].tolist() == [7, 7, 7, 8, 8, 8]
    assert out["ds"].tolist() == [30, 32, 34, 6, 7, 8]
    assert out["Naive"].tolist() == [5.0, 5.0, 5.0, 6.0, 6.0, 6.0]
    assert out["SeasonalNaive"].tolist() == [8.0, 5.0, 8.0, 9.0, 6.0, 9.0]
    assert out["forecast"].tolist() == [6.5, 5.0, 6.5, 7.5, 6.0, 7.5]
    assert f.predict(2, new_data=new)["forecast"].tolist() == [6.5, 5.0, 7.5, 6.0]


def test_new_data_with_a_training_id_uses_the_new_history(new_fitted, panel):
    s1 = panel[panel["unique_id"] == "s1"]
    shorter = s1.iloc[:-5].assign(y=lambda d: d["y"] * 2.0)  # other values too
    out = quiet(lambda: new_fitted.predict(new_data=shorter))
    y = one(shorter, "s1")
    assert list(out["ds"]) == list(
        pd.date_range(y.index[-1], periods=H + 1, freq="MS")[1:]
    )
    np.testing.assert_array_equal(out["Naive"], np.repeat(y.iloc[-1], H))
    theta = quiet(lambda: Theta(deseasonalize="m4").fit(y).predict(H))
    np.testing.assert_allclose(out["Theta"], theta, rtol=1e-12)
    trained = new_fitted.predict()
    assert not np.allclose(
        out["forecast"], trained.loc[trained["unique_id"] == "s1", "forecast"]
    )


def test_new_data_leaves_the_fitted_state_alone(panel):
    f = CombinationForecaster(
        horizon=H,
        forecasters=[linear_global(), Theta(), SeasonalNaive(12)],
        random_state=3,
    )
    quiet(lambda: f.fit(panel))
    before = f.predict()
    failures = {name: dict(failed) for name, failed in f.failures_.items()}
    members = dict(f.forecasters_)
    theta_fits = dict(f.forecasters_["Theta"].models_)
    new = new_panel()
    new.loc[new["unique_id"] == "n0", "y"] = np.arange(26.0)  # trend, not seasonal
    new = pd.concat(
        [
            new,
            pd.DataFrame(
                {
                    "unique_id": "short",
                    "ds": pd.date_range("2020-01-01", periods=5, freq="MS"),
                    "y": np.arange(1.0, 6.0),
                }
            ),
        ],
        ignore_index=True,
    ).sample(frac=1.0, random_state=0)  # unsorted rows
    copy = new.copy(deep=True)
    with pytest.warns(MemberFailedWarning, match="'SeasonalNaive' failed on 1"):
        out = f.predict(new_data=new)
    pd.testing.assert_frame_equal(new, copy)  # the input frame is not modified
    assert sorted(out["unique_id"].unique()) == ["n0", "n1", "short"]
    assert list(f.failures_["SeasonalNaive"]) == ["short"]
    assert f.forecasters_ == members
    assert f.forecasters_["Theta"].models_ == theta_fits
    assert list(f.ids_) == ["s0", "s1", "s2"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing new to warn about
        after = f.predict()
    pd.testing.assert_frame_equal(after, before, check_exact=True)
    assert f.failures_ == failures
    assert not hasattr(f, "calibration_errors_")


def test_new_data_local_members_are_seeded_per_series(panel):
    bp = BPForecaster(
        n_models=1, lags=3, regressor=BPRegressor(hidden_layer_sizes=(3,), epochs=20)
    )
    f = CombinationForecaster(horizon=2, forecasters=[bp, Naive()], random_state=7)
    quiet(lambda: f.fit(panel))
    new = new_panel()
    out = quiet(lambda: f.predict(new_data=new))
    for uid in ("n0", "n1"):
        by_hand = clone(bp).set_params(random_state=series_seed(7, uid))
        expected = quiet(lambda m=by_hand, uid=uid: m.fit(one(new, uid)).predict(2))
        got = out.loc[out["unique_id"] == uid, "BPForecaster"].to_numpy()
        np.testing.assert_array_equal(got, expected.to_numpy())
    # the training series given as new_data: the same seeds, the same fits
    again = quiet(lambda: f.predict(new_data=panel))
    pd.testing.assert_frame_equal(again, f.predict(), check_exact=True)


class _RefusesOne:
    """A global member that refuses the new series 'odd' with a SeriesError."""

    def fit(self, data):
        return self

    def predict(self, h, new_data=None):
        if "odd" in set(new_data["unique_id"]):
            raise SeriesError("odd", "too odd to forecast")
        rows = []
        for uid, part in new_data.groupby("unique_id", sort=False):
            last = part.sort_values("ds").iloc[-1]
            dates = pd.date_range(last["ds"], periods=h + 1, freq="MS")[1:]
            rows.append(
                pd.DataFrame({"unique_id": uid, "ds": dates, "forecast": 100.0})
            )
        return pd.concat(rows, ignore_index=True)


def test_new_data_failures_are_handled_as_in_predict(panel):
    f = CombinationForecaster(
        horizon=2,
        forecasters=[("refuses", _RefusesOne()), Naive(), ("broken", _Broken())],
    )
    with pytest.warns(MemberFailedWarning, match="'broken' failed on 3"):
        f.fit(panel)
    new = new_panel()
    odd = new[new["unique_id"] == "n0"].assign(unique_id="odd")
    with pytest.warns(MemberFailedWarning) as record:
        out = f.predict(new_data=pd.concat([new, odd], ignore_index=True))
    text = str(record[0].message)
    assert "'refuses' failed on 1 series" in text and "'broken' failed on 3" in text
    # the member refusing one new series still forecasts the others
    assert f.failures_["refuses"] == {"odd": "too odd to forecast"}
    odd_rows = out["unique_id"] == "odd"
    assert out.loc[odd_rows, "refuses"].isna().all()
    assert (out.loc[~odd_rows, "refuses"] == 100.0).all()
    # the member that failed in fit fails on every new series
    assert set(f.failures_["broken"]) == {"n0", "n1", "odd"}
    assert "failed in fit" in f.failures_["broken"]["n0"]
    assert out["broken"].isna().all()
    last_odd = odd["y"].iloc[-1]
    np.testing.assert_array_equal(out.loc[odd_rows, "forecast"], [last_odd] * 2)
    np.testing.assert_allclose(
        out.loc[~odd_rows, "forecast"], (out.loc[~odd_rows, "Naive"] + 100.0) / 2
    )
    assert out.attrs["failures"] == f.failures_


def test_new_data_a_series_no_member_can_forecast_raises_naming_it(panel):
    f = CombinationForecaster(
        horizon=2, forecasters=[SeasonalNaive(12), ("sn6", SeasonalNaive(6))]
    )
    quiet(lambda: f.fit(panel))
    tiny = pd.DataFrame(
        {
            "unique_id": "tiny",
            "ds": pd.date_range("2020-01-01", periods=4, freq="MS"),
            "y": [1.0, 2.0, 3.0, 4.0],
        }
    )
    new = pd.concat([new_panel(), tiny.assign(y=[1.0, np.inf, 3.0, 4.0])])
    with pytest.raises(SeriesError, match="series 'tiny': in new_data, "):
        f.predict(new_data=new)
    with pytest.raises(SeriesError, match="'tiny': no member could forecast it from"):
        quiet(lambda: f.predict(new_data=pd.concat([new_panel(), tiny])))


def test_global_members_without_new_data_raise_naming_them(panel):
    f = CombinationForecaster(
        horizon=2,
        forecasters=[("nan", _NaNForOne()), ("many", MultiSeriesForecaster(Naive()))],
    )
    quiet(lambda: f.fit(panel))
    for method in (f.predict, f.predict_interval):
        with pytest.raises(TypeError, match="'nan' \\(_NaNForOne\\), 'many'"):
            method(new_data=new_panel())
    assert len(quiet(f.predict)) == 2 * 3  # the training series still forecast


def test_bad_new_data_names_the_argument(new_fitted):
    new = new_panel()
    with_nan = new.copy()
    with_nan.loc[3, "y"] = np.nan
    repeated = pd.concat([new, new.iloc[[4]]], ignore_index=True)
    for bad, error, match in [
        (new.to_numpy(), TypeError, "new_data must be a pandas DataFrame"),
        ({"unique_id": [1]}, TypeError, "new_data must be a pandas DataFrame"),
        (new.drop(columns="y"), ValueError, r"new_data is missing the columns \['y'\]"),
        (new.assign(price=1.0), ValueError, r"new_data has columns \['price'\]"),
        (new.iloc[:0], ValueError, "new_data has no rows"),
        (new.assign(ds=new["ds"].astype(str)), TypeError, "new_data: the time col"),
        (new.assign(unique_id=None), ValueError, "new_data: the id column"),
        (with_nan, SeriesError, "series 'n0': in new_data, "),
        (repeated, SeriesError, "series 'n0': in new_data, "),
    ]:
        for method in (new_fitted.predict, new_fitted.predict_interval):
            with pytest.raises(error, match=match):
                method(new_data=bad)
    with pytest.raises(ValueError, match="h=5 exceeds horizon=4"):
        new_fitted.predict(5, new_data=new)


def test_new_data_intervals_use_the_training_calibration(interval_fitted):
    f, _ = interval_fitted
    coverage = 0.8
    quiet(lambda: f.predict_interval(coverage=coverage))  # calibrates
    errors = f.calibration_errors_
    t = np.arange(20)
    new = pd.DataFrame(
        {
            "unique_id": np.repeat(["pos", "zero"], 20),
            "ds": np.tile(pd.date_range("2019-05-01", periods=20, freq="MS"), 2),
            "y": np.r_[300 + 20 * np.sin(t), 4 * np.sin(t) - 0.5],
        }
    )
    out = quiet(lambda: f.predict_interval(coverage=coverage, new_data=new))
    assert f.calibration_errors_ is errors  # the training data's, not recomputed
    point = quiet(lambda: f.predict(new_data=new))
    pd.testing.assert_frame_equal(
        out.drop(columns=["lower", "upper"]), point, check_exact=True
    )
    # the k-th smallest |error| per step, k = ceil((K + 1) coverage) (at most K)
    K = len(errors)
    k = min(K, int(np.ceil(round((K + 1) * coverage, 9))))
    q = np.sort(np.abs(errors), axis=0)[k - 1]
    pos = (out["unique_id"] == "pos").to_numpy()
    fc = out.loc[pos, "forecast"].to_numpy()
    assert (fc > 0).all()  # a positive series: multiplicative intervals
    np.testing.assert_allclose(out.loc[pos, "lower"], fc * np.exp(-q), rtol=1e-12)
    np.testing.assert_allclose(out.loc[pos, "upper"], fc * np.exp(q), rtol=1e-12)
    # around zero: additive, scaled by the new series' own mean |y|
    scale = np.abs(new.loc[new["unique_id"] == "zero", "y"]).mean()
    fc = out.loc[~pos, "forecast"].to_numpy()
    np.testing.assert_allclose(out.loc[~pos, "lower"], fc - q * scale, rtol=1e-12)
    np.testing.assert_allclose(out.loc[~pos, "upper"], fc + q * scale, rtol=1e-12)
    assert (out["lower"] < out["forecast"]).all()
    assert (out["forecast"] < out["upper"]).all()
    short = quiet(lambda: f.predict_interval(2, coverage=coverage, new_data=new))
    first_two = out.groupby("unique_id", sort=False).head(2).reset_index(drop=True)
    pd.testing.assert_frame_equal(short, first_two)
