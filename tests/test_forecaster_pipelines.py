"""BPForecaster(transform='both'): a log pipeline and a level pipeline, averaged.

The reference for every check is two separately fitted single-pipeline
forecasters (``transform='log'`` and ``transform=None``, same settings and
seed) and the mean of their outputs, written out here.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from bpforecast import BPForecaster, BPRegressor
from bpforecast.datasets import load_airline_passengers, load_nile
from bpforecast.forecasting.plausibility import ImplausibleMemberWarning


def net() -> BPRegressor:
    return BPRegressor(
        hidden_layer_sizes=(4,),
        solver="trainbr",
        epochs=15,
        division=None,
        max_fail=0,
        target_scaling=None,
    )


def pair(y, exog=None, **kw):
    """The two single pipelines, fitted separately."""
    return [
        BPForecaster(regressor=net(), transform=t, **kw).fit(y, exog)
        for t in ("log", None)
    ]


KW = {"n_models": 2, "random_state": 3}


@pytest.fixture(scope="module")
def airline():
    return load_airline_passengers()


def test_default_transform_is_both():
    assert BPForecaster().transform == "both"


def test_forecast_is_the_mean_of_the_two_pipelines(airline):
    y = airline[:-12]
    f = BPForecaster(regressor=net(), **KW).fit(y)
    log, level = pair(y, **KW)
    assert [p.transform for p in f.pipelines_] == ["log", None]
    assert f.pipelines_[0].transform_ is not None and f.pipelines_[1].transform_ is None
    expected = (log.predict(12).to_numpy() + level.predict(12).to_numpy()) / 2
    np.testing.assert_array_equal(f.predict(12).to_numpy(), expected)
    assert f.predict(12).index.equals(log.predict(12).index)
    # Without refitting, from a longer history.
    from_longer = (log.forecast_from(airline, 5) + level.forecast_from(airline, 5)) / 2
    np.testing.assert_array_equal(f.forecast_from(airline, 5), from_longer)
    # Fitted values: the mean of the pipelines' fitted values.
    fitted = (log.predict_in_sample() + level.predict_in_sample()) / 2
    pd.testing.assert_series_equal(f.predict_in_sample(), fitted)
    # The log pipeline's transforms and windows are the forecaster's own.
    pd.testing.assert_frame_equal(f.X_train_, log.X_train_)
    assert f.scale_ == log.scale_
    X, Y = f.create_train_X_y(y)
    pd.testing.assert_frame_equal(X, log.X_train_)
    # models_: the log pipeline's networks, then the others.
    assert len(f.models_) == 4
    assert f.models_ == f.pipelines_[0].models_ + f.pipelines_[1].models_


@pytest.mark.parametrize("strategy", ["direct", "mimo"])
def test_direct_and_mimo(airline, strategy):
    y = airline[:-6]
    kw = dict(KW, strategy=strategy, horizon=3, lags=6)
    f = BPForecaster(regressor=net(), **kw).fit(y)
    log, level = pair(y, **kw)
    expected = (log.predict(3).to_numpy() + level.predict(3).to_numpy()) / 2
    np.testing.assert_array_equal(f.predict(3).to_numpy(), expected)
    if strategy == "direct":
        assert [len(step) for step in f.models_] == [4, 4, 4]


def test_exogenous_variables(airline):
    y = airline[:-12]
    exog = pd.DataFrame(
        {"t": np.arange(len(airline), dtype=float)}, index=airline.index
    )
    f = BPForecaster(regressor=net(), lags=4, **KW).fit(y, exog.iloc[:-12])
    log, level = pair(y, exog.iloc[:-12], lags=4, **KW)
    future = exog.iloc[-12:]
    expected = (
        log.predict(12, future).to_numpy() + level.predict(12, future).to_numpy()
    ) / 2
    np.testing.assert_array_equal(f.predict(12, future).to_numpy(), expected)
    with pytest.raises(ValueError, match="exog is required"):
        f.predict(12)


def test_series_with_non_positive_values_get_one_unlogged_pipeline():
    y = load_nile() - 900.0  # some values below zero
    assert y.min() < 0
    f = BPForecaster(regressor=net(), **KW).fit(y)
    g = BPForecaster(regressor=net(), transform=None, **KW).fit(y)
    assert f.pipelines_ == [] and f.transform_ is None and len(f.models_) == 2
    np.testing.assert_array_equal(f.predict(4).to_numpy(), g.predict(4).to_numpy())


@pytest.mark.parametrize("transform", ["auto", "log", None])
def test_single_transforms_keep_one_pipeline(airline, transform):
    f = BPForecaster(regressor=net(), transform=transform, **KW).fit(airline)
    assert f.pipelines_ == [] and len(f.models_) == 2


class Wild:
    """A 'network' whose forecast runs far out of any plausible range."""

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.full(len(X), 1e6)


def test_a_pipeline_with_every_member_dropped_leaves_the_mean(airline):
    y = airline[:-12]
    f = BPForecaster(regressor=net(), **KW).fit(y)
    log_only = f.pipelines_[0].predict(12).to_numpy()
    f.pipelines_[1].models_ = [Wild(), Wild()]
    with pytest.warns(ImplausibleMemberWarning, match=r"2 of 4 .*members \[2, 3\]"):
        out = f.predict(12)
    np.testing.assert_array_equal(out.to_numpy(), log_only)
    assert f.dropped_members_ == [2, 3]
    # With one wild member per pipeline, each pipeline keeps its other one.
    f.pipelines_[0].models_[1] = Wild()
    f.pipelines_[1].models_[0] = f.pipelines_[0].models_[0]  # any sane network
    with pytest.warns(ImplausibleMemberWarning, match=r"members \[1, 3\]"):
        f.predict(12)
    # Every member of both: seasonal naive.
    f.pipelines_[0].models_ = [Wild(), Wild()]
    f.pipelines_[1].models_ = [Wild(), Wild()]
    with pytest.warns(ImplausibleMemberWarning, match="Every member was dropped"):
        out = f.predict(12)
    np.testing.assert_array_equal(out.to_numpy(), y.to_numpy()[-12:])


def test_a_normal_fit_warns_nothing(airline):
    f = BPForecaster(regressor=net(), **KW).fit(airline)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ImplausibleMemberWarning)
        f.predict(24)
    assert f.dropped_members_ == []


def test_intervals_calibrate_the_averaged_forecast(airline):
    f = BPForecaster(regressor=net(), interval_windows=8, **KW).fit(airline)
    out = f.predict_interval(6, coverage=0.8)
    np.testing.assert_array_equal(out["forecast"].to_numpy(), f.predict(6).to_numpy())
    assert (out["lower"] < out["forecast"]).all() and (
        out["forecast"] < out["upper"]
    ).all()
    # The calibration errors are those of the two-pipeline forecaster refitted
    # on the series without its last interval_windows + steps - 1 values.
    cut = len(airline) - 8 - 6 + 1
    calib = BPForecaster(regressor=net(), interval_windows=8, **KW).fit(airline[:cut])
    y = airline.to_numpy()
    errors = np.array(
        [
            y[o : o + 6] - calib.forecast_from(airline[:o], 6)
            for o in range(cut, cut + 8)
        ]
    )
    np.testing.assert_array_equal(f._calibration_errors(6), errors)


def test_prune_prunes_each_pipeline_on_its_own_windows(airline):
    lm = BPRegressor((5,), solver="trainlm", epochs=20, division_ratios=(0.8, 0.2, 0.0))
    f = BPForecaster(regressor=lm, lags=6, n_models=1, random_state=0).fit(airline)
    pruned, reports = f.prune(tol=0.05)
    assert len(reports) == 2
    n = len(f.X_train_)
    assert all(r.settings["n_train"] + r.settings["n_val"] == n for r in reports)
    assert pruned.pipelines_[0] is not f.pipelines_[0]
    assert pruned.models_ == [
        pruned.pipelines_[0].models_[0],
        pruned.pipelines_[1].models_[0],
    ]
    expected = (pruned.pipelines_[0].predict(4) + pruned.pipelines_[1].predict(4)) / 2
    np.testing.assert_array_equal(pruned.predict(4).to_numpy(), expected.to_numpy())


def test_a_forecaster_saved_before_pipelines_existed_still_forecasts(airline, tmp_path):
    """Version 0.3 files hold no pipelines_: they forecast with their own models."""
    from bpforecast.io import load, save

    f = BPForecaster(regressor=net(), transform="auto", **KW).fit(airline)
    expected = f.predict(6)
    del f.pipelines_  # what a 0.3 forecaster looks like
    save(f, tmp_path / "old.bpf")
    old = load(tmp_path / "old.bpf")
    assert not hasattr(old, "pipelines_")
    pd.testing.assert_series_equal(old.predict(6), expected)
    assert old.predict_in_sample().notna().all()


def test_summary_reports_pipelines_and_in_sample_errors(airline):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        BPForecaster().summary()
    f = BPForecaster(regressor=net(), **KW).fit(airline)
    s = f.summary()
    assert s.title == "BPForecaster: 4 networks in 2 pipelines, recursive"
    header = dict(s.sections[0][1])
    assert header["observations"] == 144 and header["lags"] == "1..12"
    assert header["training windows"] == len(f.X_train_)
    table = s.sections[1][1]
    assert list(table.index) == ["log", "none"]
    assert table.loc["log", "unit (scale_)"] == f.pipelines_[0].scale_
    assert table.loc["none", "unit (scale_)"] == f.pipelines_[1].scale_
    # In-sample errors, written out: actual minus the one-step fitted values.
    y = airline.to_numpy()
    for name, pipeline in zip(["log", "none"], f.pipelines_, strict=True):
        fitted = pipeline.predict_in_sample()
        e = y[12:] - fitted.to_numpy()  # lags 1..12: fitted from the 13th value
        assert table.loc[name, "in-sample MAE"] == pytest.approx(np.abs(e).mean())
    e = (
        y[12:]
        - (
            f.pipelines_[0].predict_in_sample() + f.pipelines_[1].predict_in_sample()
        ).to_numpy()
        / 2
    )
    fit = dict(s.sections[2][1])
    assert fit["MAE"] == pytest.approx(np.abs(e).mean())
    assert fit["RMSE"] == pytest.approx(np.sqrt(np.mean(e**2)))
    assert "trainbr, up to 15 epochs" in str(s) and "mean of the two" in str(s)
    assert "<table" in s.as_html()


def test_summary_of_one_pipeline_and_another_regressor():
    from sklearn.linear_model import Ridge

    # Nile minus 900 has negative values: one (unlogged) pipeline.
    g = BPForecaster(regressor=Ridge(), n_models=1, lags=[1, 3]).fit(load_nile() - 900)
    s = g.summary()
    assert s.title == "BPForecaster: 1 network in 1 pipeline, recursive"
    assert dict(s.sections[0][1])["lags"] == "1, 3"
    assert list(s.sections[1][1].index) == ["none"]
    assert "Network: Ridge." in str(s)
