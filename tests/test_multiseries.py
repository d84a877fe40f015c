"""Tests for bpforecast.forecasting.multiseries: many series, local or global models."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from threadpoolctl import threadpool_limits

from bpforecast import BPForecaster
from bpforecast.forecasting.baselines import Naive
from bpforecast.forecasting.multiseries import (
    MultiSeriesForecaster,
    SeriesError,
    SkippedSeriesWarning,
    forecast_many,
    series_seed,
)

N = 48
DATES = pd.date_range("2001-01-01", periods=N, freq="MS")


def make_panel(n_series: int = 3, n: int = N, seed: int = 0) -> pd.DataFrame:
    """Monthly series with level, trend, season and noise, in long format."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2001-01-01", periods=n, freq="MS")
    t = np.arange(n)
    frames = []
    for i in range(n_series):
        y = (
            10 * (i + 1)
            + 0.05 * (i + 1) * t
            + 2 * np.sin(2 * np.pi * t / 12 + i)
            + rng.normal(0, 0.3, n)
        )
        frames.append(pd.DataFrame({"unique_id": f"s{i}", "ds": dates, "y": y}))
    return pd.concat(frames, ignore_index=True)


def fast() -> BPForecaster:
    return BPForecaster(n_models=1)


def one(data: pd.DataFrame, uid) -> pd.Series:
    part = data[data["unique_id"] == uid]
    return pd.Series(
        part["y"].to_numpy(), index=pd.DatetimeIndex(part["ds"], freq="MS")
    )


# ---------------------------------------------------------------- determinism


def test_output_format_and_order():
    data = make_panel()
    out = forecast_many(data, 4, fast(), random_state=0)
    assert out.columns.tolist() == ["unique_id", "ds", "forecast"]
    assert out["unique_id"].tolist() == ["s0"] * 4 + ["s1"] * 4 + ["s2"] * 4
    expected = pd.date_range(DATES[-1], periods=5, freq="MS")[1:]
    assert (pd.DatetimeIndex(out["ds"][:4]) == expected).all()
    assert np.isfinite(out["forecast"]).all()
    assert out.attrs["failures"] == {}


def test_equals_sequential_fits_with_series_seed():
    data = make_panel()
    out = forecast_many(data, 3, fast(), random_state=7)
    for uid in ["s0", "s1", "s2"]:
        alone = BPForecaster(n_models=1, random_state=series_seed(7, uid))
        # (forecast_many fits under one BLAS thread: trainbr's sums then
        # match to the last bit)
        with threadpool_limits(1):
            expected = alone.fit(one(data, uid)).predict(3).to_numpy()
        got = out.loc[out["unique_id"] == uid, "forecast"].to_numpy()
        np.testing.assert_array_equal(got, expected)


@pytest.mark.slow
def test_bit_identical_across_n_jobs_and_runs():
    data = make_panel(4)
    first, models1 = forecast_many(data, 3, fast(), random_state=0, return_models=True)
    again = forecast_many(data, 3, fast(), random_state=0)
    parallel, models2 = forecast_many(
        data, 3, fast(), random_state=0, n_jobs=2, return_models=True
    )
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    pd.testing.assert_frame_equal(first, parallel, check_exact=True)
    assert list(models1) == list(models2) == ["s0", "s1", "s2", "s3"]
    for uid in models1:
        a, b = models1[uid].models_[0], models2[uid].models_[0]
        for wa, wb in zip(
            a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True
        ):
            np.testing.assert_array_equal(wa, wb)


def test_seeds_do_not_depend_on_row_order_or_other_series():
    data = make_panel(3)
    full = forecast_many(data, 2, fast(), random_state=3)
    shuffled = data.sample(frac=1.0, random_state=1)
    subset = shuffled[shuffled["unique_id"] != "s0"]
    part = forecast_many(subset, 2, fast(), random_state=3)
    for uid in ["s1", "s2"]:
        np.testing.assert_array_equal(
            part.loc[part["unique_id"] == uid, "forecast"].to_numpy(),
            full.loc[full["unique_id"] == uid, "forecast"].to_numpy(),
        )


def test_random_state_none_keeps_forecaster_seed_and_generators_work():
    data = make_panel(2)
    a = forecast_many(data, 2, BPForecaster(n_models=1, random_state=5))
    b = forecast_many(data, 2, BPForecaster(n_models=1, random_state=5))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    c = forecast_many(data, 2, fast(), random_state=np.random.RandomState(0))
    d = forecast_many(data, 2, fast(), random_state=np.random.RandomState(0))
    pd.testing.assert_frame_equal(c, d, check_exact=True)


def test_series_seed():
    assert series_seed(0, "a") == series_seed(0, "a")
    assert series_seed(0, 1) == series_seed(0, np.int64(1)) == series_seed(0, "1")
    assert len({series_seed(0, i) for i in range(100)}) == 100
    assert all(0 <= series_seed(s, "x") < 2**31 for s in range(20))
    with pytest.raises(ValueError, match="non-negative int"):
        series_seed(-1, "a")
    with pytest.raises(ValueError, match="non-negative int"):
        series_seed(1.5, "a")


# ---------------------------------------------------------------- Dask


def test_dask_backend_without_client_is_explained():
    pytest.importorskip("distributed")
    import distributed

    try:
        distributed.get_client()
    except ValueError:
        pass
    else:  # pragma: no cover - a client left over by another test
        pytest.skip("a dask client is active")
    with pytest.raises(ValueError, match="no(ne)?.*Client"):
        forecast_many(make_panel(1), 2, fast(), backend="dask")


@pytest.mark.slow
def test_dask_local_cluster_equals_local_run():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    data = make_panel(4)
    local = forecast_many(data, 3, fast(), random_state=0)
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = forecast_many(data, 3, fast(), random_state=0, backend="dask")
        model = MultiSeriesForecaster(fast(), backend="dask", random_state=0)
        two_step = model.fit(data).predict(3)
        workers = client.run(lambda: __import__("os").getpid())
    assert len(workers) == 2
    pd.testing.assert_frame_equal(local, remote, check_exact=True)
    pd.testing.assert_frame_equal(local, two_step, check_exact=True)


# ---------------------------------------------------------------- validation


def test_missing_columns_and_bad_frames():
    data = make_panel(1)
    with pytest.raises(ValueError, match=r"missing the columns \['y'\]"):
        forecast_many(data.drop(columns="y"), 2, fast())
    with pytest.raises(TypeError, match="long format"):
        forecast_many(data["y"], 2, fast())
    bad_ids = data.astype({"unique_id": object})
    bad_ids.loc[3, "unique_id"] = None
    with pytest.raises(ValueError, match="id column 'unique_id' has missing"):
        forecast_many(bad_ids, 2, fast())
    with pytest.raises(TypeError, match="datetimes or integers"):
        forecast_many(data.assign(ds=data["ds"].astype(str)), 2, fast())
    with pytest.raises(TypeError, match="boolean"):
        forecast_many(data.assign(y=data["y"] > 10), 2, fast())
    with pytest.raises(ValueError, match=r"exog_cols \[.price.\] are not columns"):
        forecast_many(data, 2, fast(), exog_cols=["price"])
    with pytest.raises(ValueError, match="horizon"):
        forecast_many(data, 0, fast())
    with pytest.raises(ValueError, match="errors"):
        forecast_many(data, 2, fast(), errors="ignore")
    with pytest.raises(ValueError, match="intervals"):
        forecast_many(data, 2, fast(), intervals=90)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("nan", "series 's1': the target 'y' has NaN or infinite values"),
        ("duplicate", "series 's1': repeated 'ds' values"),
        ("text", "series 's1': the target 'y' has non-numeric values"),
        ("gap", "series 's1': the 'ds' values are not regularly spaced"),
        ("short", "series 's1': ValueError: y is too short"),
    ],
)
def test_series_problems_name_the_series(breakage, message):
    data = make_panel(3)
    rows = data.index[data["unique_id"] == "s1"]
    if breakage == "nan":
        data.loc[rows[5], "y"] = np.nan
    elif breakage == "duplicate":
        data.loc[rows[5], "ds"] = data.loc[rows[4], "ds"]
    elif breakage == "text":
        data = data.astype({"y": object})
        data.loc[rows[5], "y"] = "n/a"
    elif breakage == "gap":
        data = data.drop(rows[10])
    elif breakage == "short":
        data = data.drop(rows[12:])
    with pytest.raises(SeriesError, match=message) as info:
        forecast_many(data, 2, fast(), random_state=0)
    assert info.value.unique_id == "s1"
    with pytest.warns(SkippedSeriesWarning, match="1 series skipped"):
        out = forecast_many(data, 2, fast(), random_state=0, errors="skip")
    assert out["unique_id"].unique().tolist() == ["s0", "s2"]
    assert list(out.attrs["failures"]) == ["s1"]
    full = forecast_many(make_panel(3), 2, fast(), random_state=0)
    pd.testing.assert_frame_equal(
        out.reset_index(drop=True),
        full[full["unique_id"] != "s1"].reset_index(drop=True),
        check_exact=True,
    )


def test_all_series_skipped_gives_empty_frame():
    data = make_panel(2)
    data["y"] = np.nan
    with pytest.warns(SkippedSeriesWarning, match="2 series skipped"):
        out = forecast_many(data, 2, fast(), errors="skip")
    assert out.empty and out.columns.tolist() == ["unique_id", "ds", "forecast"]
    assert set(out.attrs["failures"]) == {"s0", "s1"}


def test_integer_time_and_given_freq_and_other_column_names():
    data = make_panel(2).rename(columns={"unique_id": "id", "ds": "t", "y": "v"})
    data["t"] = np.tile(np.arange(5, 5 + 2 * N, 2), 2)
    out = forecast_many(
        data, 3, Naive(), id_col="id", time_col="t", target_col="v", exog_cols=[]
    )
    assert out.columns.tolist() == ["id", "t", "forecast"]
    last = 5 + 2 * (N - 1)
    assert out["t"].tolist()[:3] == [last + 2, last + 4, last + 6]
    monthly = make_panel(2)
    out = forecast_many(monthly, 2, Naive(), freq="MS")
    assert len(out) == 4
    with pytest.raises(SeriesError, match="do not follow freq"):
        forecast_many(monthly, 2, Naive(), freq="D")


def test_forecaster_without_exog_and_extra_columns():
    data = make_panel(2).assign(extra=1.0)
    with pytest.raises(ValueError, match="takes no exog"):
        forecast_many(data, 2, Naive())
    out = forecast_many(data, 2, Naive(), exog_cols=[])
    assert len(out) == 4


# ---------------------------------------------------------------- exog, intervals


def exog_panel() -> tuple[pd.DataFrame, pd.DataFrame]:
    data = make_panel(2, n=N + 3)
    rng = np.random.default_rng(1)
    data["price"] = rng.normal(size=len(data))
    data["y"] = data["y"] + 2 * data["price"]
    history = data.groupby("unique_id").head(N).reset_index(drop=True)
    future = data.groupby("unique_id").tail(3)[["unique_id", "ds", "price"]]
    return history, future


def test_exogenous_columns_with_future_values():
    history, future = exog_panel()
    out = forecast_many(history, 3, fast(), future_exog=future, random_state=0)
    for uid in ["s0", "s1"]:
        part = history[history["unique_id"] == uid]
        index = pd.DatetimeIndex(part["ds"], freq="MS")
        alone = BPForecaster(n_models=1, random_state=series_seed(0, uid))
        fut = future.loc[future["unique_id"] == uid, ["price"]]
        # Many-series fits run with one BLAS thread (see the module docstring);
        # so does the fit alone, for bit-identical sums.
        with threadpool_limits(1):
            alone.fit(pd.Series(part["y"].to_numpy(), index=index), part[["price"]])
            expected = alone.predict(3, exog=fut.reset_index(drop=True)).to_numpy()
        np.testing.assert_array_equal(
            out.loc[out["unique_id"] == uid, "forecast"].to_numpy(), expected
        )


def test_future_exog_required_and_checked():
    history, future = exog_panel()
    with pytest.raises(ValueError, match="future_exog is required"):
        forecast_many(history, 3, fast())
    with pytest.raises(ValueError, match="missing the columns"):
        forecast_many(history, 3, fast(), future_exog=future.drop(columns="price"))
    short = future.drop(future.index[-1])
    with pytest.raises(SeriesError, match="series 's1': future_exog lacks values"):
        forecast_many(history, 3, fast(), future_exog=short)
    with pytest.raises(ValueError, match="no exogenous columns"):
        forecast_many(history.drop(columns="price"), 3, fast(), future_exog=future)


def test_intervals():
    data = make_panel(2)
    f = BPForecaster(n_models=1, interval_windows=5)
    out = forecast_many(data, 3, f, random_state=0, intervals=0.8)
    assert out.columns.tolist() == ["unique_id", "ds", "forecast", "lower", "upper"]
    assert (out["lower"] <= out["forecast"]).all()
    assert (out["forecast"] <= out["upper"]).all()
    point = forecast_many(data, 3, f, random_state=0)
    np.testing.assert_array_equal(out["forecast"], point["forecast"])
    with pytest.raises(TypeError, match="predict_interval"):
        forecast_many(data, 3, Naive(), intervals=0.8)


# ---------------------------------------------------------------- progress


def test_progress_bar(capsys):
    pytest.importorskip("tqdm")
    forecast_many(make_panel(2), 2, Naive(), progress=True)
    assert "2/2" in capsys.readouterr().err


def test_progress_without_tqdm_is_silent(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    out = forecast_many(make_panel(2), 2, Naive(), progress=True)
    assert len(out) == 4
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- the estimator


def test_estimator_local_equals_function_and_clones():
    data = make_panel(3)
    model = MultiSeriesForecaster(fast(), random_state=0)
    assert clone(model).get_params()["random_state"] == 0
    with pytest.raises(NotFittedError):
        model.predict(2)
    model.fit(data)
    assert model.ids_.tolist() == ["s0", "s1", "s2"]
    assert model.failures_ == {}
    pd.testing.assert_frame_equal(
        model.predict(3),
        forecast_many(data, 3, fast(), random_state=0),
        check_exact=True,
    )


def test_estimator_skips_at_fit():
    data = make_panel(3)
    data.loc[data["unique_id"] == "s2", "y"] = np.nan
    model = MultiSeriesForecaster(Naive(), errors="skip")
    with pytest.warns(SkippedSeriesWarning):
        model.fit(data)
    assert list(model.failures_) == ["s2"]
    assert model.predict(2)["unique_id"].unique().tolist() == ["s0", "s1"]


def sine_panel(n: int = 96) -> tuple[pd.DataFrame, np.ndarray]:
    """Series that are shifted and scaled copies of one sine (period 12)."""
    t = np.arange(n + 4)
    base = np.sin(2 * np.pi * t / 12)
    levels, scales = [0.0, 50.0, -3.0], [1.0, 10.0, 0.5]
    frames, truth = [], []
    for i, (a, b) in enumerate(zip(levels, scales, strict=True)):
        y = a + b * base
        frames.append(pd.DataFrame({"unique_id": i, "ds": t[:n], "y": y[:n]}))
        truth.append(y[n:])
    return pd.concat(frames, ignore_index=True), np.concatenate(truth)


# global_model=True is deprecated (GlobalForecaster replaces it) but works.
GLOBAL_MODEL_DEPRECATED = "ignore:MultiSeriesForecaster.global_model:DeprecationWarning"


@pytest.mark.filterwarnings(GLOBAL_MODEL_DEPRECATED)
def test_global_model_is_exact_on_a_linear_recurrence():
    # a sine obeys z_t = 2 cos(w) z_{t-1} - z_{t-2}; standardising each series
    # makes them all the same series, so a linear global model is exact
    data, truth = sine_panel()
    model = MultiSeriesForecaster(
        global_model=True, regressor=LinearRegression(), lags=2
    ).fit(data)
    out = model.predict(4)
    np.testing.assert_allclose(out["forecast"], truth, atol=1e-8)
    assert out["ds"].tolist()[:4] == [96, 97, 98, 99]
    np.testing.assert_allclose(
        model.scales_["scale"], [0.5**0.5 * s for s in [1, 10, 0.5]]
    )
    assert model.lags_.tolist() == [1, 2]


@pytest.mark.filterwarnings(GLOBAL_MODEL_DEPRECATED)
def test_global_model_default_regressor_is_deterministic():
    data = make_panel(3)
    a = MultiSeriesForecaster(global_model=True, random_state=0).fit(data).predict(3)
    b = MultiSeriesForecaster(global_model=True, random_state=0, n_jobs=2)
    pd.testing.assert_frame_equal(a, b.fit(data).predict(3), check_exact=True)
    assert np.isfinite(a["forecast"]).all()
    assert b.lags_.tolist() == list(range(1, 13))  # one season of monthly lags
    with pytest.raises(ValueError, match="intervals"):
        b.predict(3, intervals=0.9)


@pytest.mark.filterwarnings(GLOBAL_MODEL_DEPRECATED)
def test_global_model_with_exog_and_short_series():
    history, future = exog_panel()
    extra = pd.DataFrame(
        {"unique_id": "tiny", "ds": DATES[:5], "y": np.arange(5.0), "price": 0.0}
    )
    history = pd.concat([history, extra], ignore_index=True)
    model = MultiSeriesForecaster(global_model=True, regressor=LinearRegression())
    with pytest.raises(SeriesError, match="series 'tiny'.*too few"):
        model.fit(history)
    model.set_params(errors="skip")
    with pytest.warns(SkippedSeriesWarning):
        model.fit(history)
    assert model.ids_.tolist() == ["s0", "s1"]
    with pytest.raises(ValueError, match="future_exog is required"):
        model.predict(3)
    out = model.predict(3, future_exog=future)
    assert len(out) == 6 and np.isfinite(out["forecast"]).all()
    # the exog effect (+2 per unit of price) is learnt across series
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shifted = model.predict(3, future_exog=future.assign(price=future.price + 1))
    diff = (shifted["forecast"] - out["forecast"]).to_numpy()
    assert np.all(diff > 0)


def test_global_model_true_is_deprecated_for_global_forecaster():
    data, _ = sine_panel()
    model = MultiSeriesForecaster(global_model=True, regressor=LinearRegression())
    with pytest.warns(DeprecationWarning, match="GlobalForecaster"):
        model.fit(data)
