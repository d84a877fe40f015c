"""GlobalForecaster with dynamic exogenous and static columns.

The references are simulated panels whose future depends on what the extra
columns carry (a driver known in the future, a regime per series), the
window layout written out by hand from the frame, and the error messages
for bad ``X_df`` / static columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, Ridge

from bpforecast import GlobalForecaster
from bpforecast.forecasting.multiseries import SeriesError


def driver_panel(n_series=30, n=80, h=4, seed=0, beta=3.0):
    """y_t = level + beta * x_t + noise, x random: (history, future)."""
    rng = np.random.default_rng(seed)
    hist, fut = [], []
    for i in range(n_series):
        x = rng.normal(size=n + h)
        y = rng.uniform(40, 60) + beta * x + rng.normal(0, 0.3, n + h)
        frame = pd.DataFrame(
            {"unique_id": f"s{i}", "ds": np.arange(n + h), "y": y, "x": x}
        )
        hist.append(frame.iloc[:n])
        fut.append(frame.iloc[n:])
    return pd.concat(hist, ignore_index=True), pd.concat(fut, ignore_index=True)


def mae(out, future):
    return float(np.mean(np.abs(out.forecast.to_numpy() - future.y.to_numpy())))


# ------------------------------------------------------------ it helps
def test_a_driver_known_in_the_future_cuts_the_error():
    hist, fut = driver_panel()
    kw = {"horizon": 4, "regressor": Ridge()}
    with_x = GlobalForecaster(**kw).fit(hist).predict(X_df=fut.drop(columns="y"))
    without = GlobalForecaster(**kw).fit(hist.drop(columns="x")).predict()
    # without x the best forecast is the level: error about 3 E|x| = 2.4;
    # with x only the noise is left (sd 0.3). Measured 0.41 against 2.47.
    assert mae(with_x, fut) < 0.3 * mae(without, fut)
    assert mae(with_x, fut) < 0.6


def test_a_driver_with_the_default_network():
    hist, fut = driver_panel(n_series=20, n=60, seed=1)
    kw = {"horizon": 4, "lookback": 2, "random_state": 0}
    with_x = GlobalForecaster(**kw).fit(hist).predict(X_df=fut.drop(columns="y"))
    without = GlobalForecaster(**kw).fit(hist.drop(columns="x")).predict()
    assert mae(with_x, fut) < 0.35 * mae(without, fut)  # measured 0.20


def drift_panel(n_series=40, n=60, h=2, seed=1, d=0.1, sigma=0.05):
    """log y drifts up or down by d a step, by regime; noise hides the drift."""
    rng = np.random.default_rng(seed)
    hist, fut = [], []
    for i in range(n_series):
        regime = "up" if i % 2 == 0 else "down"
        t = np.arange(n + h)
        sign = 1 if regime == "up" else -1
        log_y = (
            np.log(rng.uniform(50, 500)) + sign * d * t + rng.normal(0, sigma, t.size)
        )
        frame = pd.DataFrame(
            {"unique_id": f"s{i}", "ds": t, "y": np.exp(log_y), "regime": regime}
        )
        hist.append(frame.iloc[:n])
        fut.append(frame.iloc[n:])
    return pd.concat(hist, ignore_index=True), pd.concat(fut, ignore_index=True)


def log_error(out, future):
    return float(np.mean(np.abs(np.log(out.forecast.to_numpy() / future.y.to_numpy()))))


def test_a_static_regime_helps():
    # a lookback of two noisy values shows the drift poorly; the regime
    # column gives it exactly (as an intercept per step: linear suffices)
    hist, fut = drift_panel()
    kw = {"horizon": 2, "lookback": 1, "season_length": 2, "regressor": Ridge()}
    with_s = GlobalForecaster(**kw).fit(hist, static_features=["regime"]).predict()
    without = GlobalForecaster(**kw).fit(hist.drop(columns="regime")).predict()
    assert log_error(with_s, fut) < 0.6 * log_error(without, fut)  # measured 0.42
    # the regime as a number (+1 / -1, standardised) spans the same inputs as
    # its one-hot columns: without a penalty the forecasts agree
    numeric = hist.assign(regime=np.where(hist.regime == "up", 1.0, -1.0))
    kw["regressor"] = LinearRegression()
    a = GlobalForecaster(**kw).fit(numeric, static_features=["regime"]).predict()
    b = GlobalForecaster(**kw).fit(hist, static_features=["regime"]).predict()
    np.testing.assert_allclose(a.forecast, b.forecast, rtol=1e-8)


@pytest.mark.slow
def test_a_static_regime_that_flips_a_drivers_sign_needs_the_network():
    """y = level +- 3 x by regime: an interaction no linear model represents."""
    rng = np.random.default_rng(2)
    hist, fut = [], []
    for i in range(30):
        regime = "plus" if i % 2 == 0 else "minus"
        x = rng.normal(size=83)
        beta = 3.0 if regime == "plus" else -3.0
        y = rng.uniform(40, 60) + beta * x + rng.normal(0, 0.3, 83)
        frame = pd.DataFrame(
            {
                "unique_id": f"s{i}",
                "ds": np.arange(83),
                "y": y,
                "x": x,
                "regime": regime,
            }
        )
        hist.append(frame.iloc[:80])
        fut.append(frame.iloc[80:])
    hist, fut = pd.concat(hist), pd.concat(fut)
    X_df = fut[["unique_id", "ds", "x"]]
    kw = {"horizon": 3, "lookback": 1, "random_state": 0}
    with_s = GlobalForecaster(**kw).fit(hist, static_features=["regime"])
    without = GlobalForecaster(**kw).fit(hist.drop(columns="regime"))
    ratio = mae(with_s.predict(X_df=X_df), fut) / mae(without.predict(X_df=X_df), fut)
    assert ratio < 0.6  # measured 0.27 (0.38 with random_state=1)


# ------------------------------------------------- what the network sees
def small_panel():
    rng = np.random.default_rng(3)
    parts = []
    for uid, n, size, kind in [
        ("a", 12, 10.0, "x"),
        ("b", 9, 30.0, "y"),
        ("c", 10, 20.0, "x"),
    ]:
        parts.append(
            pd.DataFrame(
                {
                    "unique_id": uid,
                    "ds": pd.date_range("2001-01-01", periods=n, freq="D"),
                    "y": 5 + rng.random(n),
                    "price": rng.normal(10, 2, n),
                    "promo": rng.random(n) < 0.5,
                    "size": size,
                    "kind": kind,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_create_train_X_y_lays_out_the_columns_as_documented():
    data = small_panel()
    f = GlobalForecaster(horizon=2, lookback=1.5, season_length=1, transform=None)
    X, Y = f.create_train_X_y(data, static_features=["size", "kind"])
    L, h = 3, 2
    lags = [f"lag_{k}" for k in (3, 2, 1)]
    expected = lags[:]
    for c in ("price", "promo"):
        expected += [f"{c}_lag_{k}" for k in (3, 2, 1)]
        expected += [f"{c}_step_{j}" for j in (1, 2)]
    assert list(X.columns) == expected + ["size", "kind_x", "kind_y"]
    # the y part and the targets are those of the model without extra columns
    X0, Y0 = f.create_train_X_y(data[["unique_id", "ds", "y"]])
    pd.testing.assert_frame_equal(X[lags], X0)
    pd.testing.assert_frame_equal(Y, Y0)
    # exogenous values: standardised per series by its history, at the
    # lags' and the target steps' dates; written out here with pandas
    for uid, part in data.groupby("unique_id"):
        part = part.set_index("ds")
        for c in ("price", "promo"):
            v = part[c].astype(float)
            z = (v - v.mean()) / v.std(ddof=0)
            for ds, row in X.loc[uid].iterrows():  # ds of the first target
                pos = part.index.get_loc(ds)
                for k in range(1, L + 1):
                    assert row[f"{c}_lag_{k}"] == pytest.approx(z.iloc[pos - k])
                for j in range(1, h + 1):
                    assert row[f"{c}_step_{j}"] == pytest.approx(z.iloc[pos + j - 1])
    # statics: size standardised over the three series, kind one-hot
    sizes = np.array([10.0, 30.0, 20.0])
    z_size = (sizes - sizes.mean()) / sizes.std()
    for uid, zs, onehot in [
        ("a", z_size[0], [1, 0]),
        ("b", z_size[1], [0, 1]),
        ("c", z_size[2], [1, 0]),
    ]:
        block = X.loc[uid]
        assert np.allclose(block["size"], zs)
        assert (block[["kind_x", "kind_y"]].to_numpy() == onehot).all()


def test_the_fitted_network_has_one_input_per_column():
    data = small_panel()
    f = GlobalForecaster(horizon=2, lookback=(1.5, 2), regressor=LinearRegression())
    f.fit(data, static_features=["size", "kind"])
    assert f.exog_features_ == ["price", "promo"]
    assert f.static_features_ == ["size", "kind"]
    assert f.static_inputs_ == ["size", "kind_x", "kind_y"]
    for model, L in zip(f.models_, f.lookbacks_, strict=True):
        assert model.coef_.shape == (2, L + 2 * (L + 2) + 3)


# ------------------------------------------------------------ X_df
def fitted_driver_model(**kw):
    hist, fut = driver_panel(n_series=4, n=30, h=3, seed=5)
    f = GlobalForecaster(horizon=3, regressor=Ridge(), **kw).fit(hist)
    return f, hist, fut.drop(columns="y")


def test_x_df_rows_beyond_the_needed_ones_are_ignored_and_order_does_not_matter():
    f, hist, X_df = fitted_driver_model()
    base = f.predict(X_df=X_df)
    extra = pd.concat(
        [
            X_df.sample(frac=1.0, random_state=0),
            X_df.assign(unique_id="other"),
            X_df.assign(ds=X_df.ds + 10),
        ]
    )
    pd.testing.assert_frame_equal(f.predict(X_df=extra), base)
    # h below the horizon: the prefix of the full forecast
    two = f.predict(2, X_df=X_df)
    np.testing.assert_array_equal(
        two.forecast, base.groupby("unique_id").head(2).forecast
    )


def test_x_df_problems_are_named():
    f, hist, X_df = fitted_driver_model()
    with pytest.raises(ValueError, match="dynamic exogenous columns \\['x'\\].*X_df"):
        f.predict()
    with pytest.raises(ValueError, match="no rows for series 's2'"):
        f.predict(X_df=X_df[X_df.unique_id != "s2"])
    short = X_df.drop(index=X_df.index[(X_df.unique_id == "s1") & (X_df.ds == 31)])
    with pytest.raises(ValueError, match="2 of the 3 future dates of series 's1'.*31"):
        f.predict(X_df=short)
    # h=1 still needs the whole horizon (the network takes all three)
    first_only = X_df[X_df.ds == 30]
    with pytest.raises(ValueError, match="1 of the 3 future dates of series 's0'"):
        f.predict(1, X_df=first_only)
    nan = X_df.copy()
    nan.loc[nan.index[7], "x"] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite.*'x'.*series 's2'.*ds=31"):
        f.predict(X_df=nan)
    with pytest.raises(ValueError, match="missing the columns \\['x'\\]"):
        f.predict(X_df=X_df.drop(columns="x"))
    with pytest.raises(TypeError, match="'x' of X_df is not numeric"):
        f.predict(X_df=X_df.assign(x="high"))
    with pytest.raises(ValueError, match="repeats the date 30 of series 's0'"):
        f.predict(X_df=pd.concat([X_df, X_df.iloc[[0]]]))
    with pytest.raises(TypeError, match="X_df must be a pandas DataFrame"):
        f.predict(X_df=X_df.to_numpy())
    plain = GlobalForecaster(horizon=3, regressor=Ridge()).fit(hist.drop(columns="x"))
    with pytest.raises(ValueError, match="without any; leave X_df out"):
        plain.predict(X_df=X_df)


# ------------------------------------------------------------ bad columns
def test_static_column_problems_are_named():
    data = small_panel()
    f = GlobalForecaster(horizon=2, regressor=Ridge())
    changing = data.copy()
    changing.loc[changing.index[-1], "size"] = 99.0  # last row: series c
    with pytest.raises(ValueError, match="'size'.*not constant within series 'c'"):
        f.fit(changing, static_features=["size", "kind"])
    missing = data.copy()
    missing.loc[missing.index[0], "kind"] = None
    with pytest.raises(ValueError, match="'kind'.*missing values in series 'a'"):
        f.fit(missing, static_features=["size", "kind"])
    with pytest.raises(ValueError, match="\\['colour'\\] are not columns"):
        f.fit(data, static_features=["size", "kind", "colour"])
    with pytest.raises(TypeError, match="write \\['kind'\\]"):
        f.fit(data, static_features="kind")
    with pytest.raises(ValueError, match="\\['y'\\] are unique_id, ds or y"):
        f.fit(data, static_features=["y"])
    # a text column left out of static_features is a (non-numeric) dynamic one
    with pytest.raises(
        TypeError, match="'kind' of data is not numeric.*static_features"
    ):
        f.fit(data, static_features=["size"])


def test_dynamic_column_with_nan_names_the_series():
    data = small_panel().drop(columns="kind")
    data.loc[15, "price"] = np.nan  # series b
    with pytest.raises(SeriesError, match="'b'.*'price'.*NaN"):
        GlobalForecaster(horizon=2, regressor=Ridge()).fit(
            data, static_features=["size"]
        )


def test_boolean_dynamic_column_counts_as_zero_one():
    data = small_panel()
    as_float = data.assign(promo=data.promo.astype(float))
    f = GlobalForecaster(horizon=2, regressor=Ridge())
    X1, _ = f.create_train_X_y(data, static_features=["size", "kind"])
    X2, _ = f.create_train_X_y(as_float, static_features=["size", "kind"])
    pd.testing.assert_frame_equal(X1, X2)


# -------------------------------------------------- new series, intervals
def test_new_data_with_exogenous_and_static_columns():
    hist, fut = driver_panel(n_series=6, n=40, h=3, seed=6)
    hist = hist.assign(group=np.where(hist.unique_id < "s3", "g1", "g2"))
    X_df = fut.drop(columns="y")
    f = GlobalForecaster(horizon=3, regressor=Ridge()).fit(
        hist, static_features=["group"]
    )
    # the training series as new data: the same inputs, the same forecasts
    pd.testing.assert_frame_equal(
        f.predict(new_data=hist, X_df=X_df), f.predict(X_df=X_df)
    )
    new = hist[hist.unique_id == "s4"].assign(unique_id="new")
    new_future = X_df[X_df.unique_id == "s4"].assign(unique_id="new")
    out = f.predict(new_data=new, X_df=new_future)
    np.testing.assert_allclose(out.forecast, f.predict(X_df=X_df).forecast[12:15])
    with pytest.raises(ValueError, match="missing the columns \\['x'\\]"):
        f.predict(new_data=new.drop(columns="x"), X_df=new_future)
    with pytest.raises(ValueError, match="series 'new' has the value 'g9'.*'group'"):
        f.predict(new_data=new.assign(group="g9"), X_df=new_future)
    with pytest.raises(
        ValueError, match="columns \\['extra'\\] that the model was not"
    ):
        f.predict(new_data=new.assign(extra=1.0), X_df=new_future)


def test_intervals_with_a_driver_are_narrower_than_without():
    hist, fut = driver_panel(n_series=40, n=40, h=3, seed=7)
    X_df = fut.drop(columns="y")
    kw = {"horizon": 3, "lookback": 2, "regressor": Ridge()}
    f = GlobalForecaster(**kw).fit(hist)
    out = f.predict_interval(coverage=0.8, X_df=X_df)
    np.testing.assert_allclose(out.forecast, f.predict(X_df=X_df).forecast)
    assert (out.lower < out.forecast).all() and (out.forecast < out.upper).all()
    inside = ((out.lower <= fut.y.to_numpy()) & (fut.y.to_numpy() <= out.upper)).mean()
    assert inside >= 0.7  # measured 0.825
    plain = (
        GlobalForecaster(**kw)
        .fit(hist.drop(columns="x"))
        .predict_interval(coverage=0.8)
    )
    width = (out.upper - out.lower).mean()
    assert width < 0.4 * (plain.upper - plain.lower).mean()  # measured 0.22
    with pytest.raises(ValueError, match="X_df"):
        f.predict_interval(coverage=0.8)


def test_nothing_the_user_passed_is_modified():
    data = small_panel().sample(frac=1.0, random_state=0)
    hist = data[data.ds < "2001-01-08"]
    future = data[data.ds >= "2001-01-08"][["unique_id", "ds", "price", "promo"]]
    future = pd.concat(
        [future, future.assign(ds=future.ds + pd.Timedelta(days=7))]
    ).sample(frac=1.0, random_state=1)
    copies = hist.copy(deep=True), future.copy(deep=True)
    f = GlobalForecaster(horizon=2, regressor=Ridge())
    f.fit(hist, static_features=["size", "kind"])
    f.predict(X_df=future)
    f.predict(new_data=hist, X_df=future)
    f.predict_interval(X_df=future)
    f.create_train_X_y(hist, static_features=["size", "kind"])
    pd.testing.assert_frame_equal(hist, copies[0])
    pd.testing.assert_frame_equal(future, copies[1])
