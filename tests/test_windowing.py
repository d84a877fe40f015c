"""Tests for bpforecast.forecasting.windowing (preparets windows, rolling origins).

Alignment is checked against the original series by label arithmetic (the
value at ``t - k`` months / ``t - k`` positions looked up in the input), by a
hand-written example, and against an independent ``pandas.Series.shift``
construction. The splitter is checked against scikit-learn's TimeSeriesSplit
where the two coincide.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
)

from bpforecast.forecasting.windowing import (
    RollingOriginSplit,
    last_window,
    make_windows,
    normalize_lags,
)

SETTINGS = settings(max_examples=60, deadline=None)


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def _index(kind, n):
    if kind == "monthly":
        return pd.date_range("2001-01-01", periods=n, freq="MS")
    return pd.RangeIndex(n)


def _shift_label(kind, t, k):
    """The label ``k`` steps after ``t`` (before, for negative k)."""
    if kind == "monthly":
        return t + pd.DateOffset(months=k)
    return t + k


def _lag_list(lags):
    return list(range(1, lags + 1)) if isinstance(lags, int) else sorted(set(lags))


def _exog_lag_list(exog_lags):
    if exog_lags is None:
        return [0]
    return _lag_list(exog_lags)


lag_spec = st.one_of(
    st.integers(1, 5), st.lists(st.integers(1, 8), min_size=1, max_size=4)
)
exog_lag_spec = st.one_of(
    st.none(),
    st.integers(1, 4),
    st.lists(st.integers(0, 6), min_size=1, max_size=4),
)


# ----------------------------------------------------------------------------
# normalize_lags
# ----------------------------------------------------------------------------


def test_normalize_lags_int_and_sequences():
    assert normalize_lags(1).tolist() == [1]
    assert normalize_lags(4).tolist() == [1, 2, 3, 4]
    assert normalize_lags(np.int64(2)).tolist() == [1, 2]
    assert normalize_lags([12, 1, 2, 1]).tolist() == [1, 2, 12]
    assert normalize_lags((3,)).tolist() == [3]
    assert normalize_lags(np.array([5, 2], dtype=np.int32)).tolist() == [2, 5]
    assert normalize_lags(range(1, 4)).tolist() == [1, 2, 3]
    assert np.issubdtype(normalize_lags([2, 1]).dtype, np.integer)


@pytest.mark.parametrize(
    "bad",
    [0, -1, [], [1, 0], [2, -3], [1.5], [1.0, 2.0], 2.0, "3", True, None, [[1, 2]]],
)
def test_normalize_lags_rejects(bad):
    with pytest.raises(ValueError, match="lags"):
        normalize_lags(bad)


def test_normalize_lags_does_not_modify_input():
    lags = [3, 1, 3]
    normalize_lags(lags)
    assert lags == [3, 1, 3]


# ----------------------------------------------------------------------------
# make_windows: alignment properties
# ----------------------------------------------------------------------------


@SETTINGS
@given(
    n=st.integers(1, 40),
    lags=lag_spec,
    horizon=st.integers(1, 4),
    n_exog=st.integers(0, 2),
    exog_lags=exog_lag_spec,
    kind=st.sampled_from(["range", "monthly"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_alignment_property(n, lags, horizon, n_exog, exog_lags, kind, seed):
    rng = np.random.default_rng(seed)
    index = _index(kind, n)
    y = pd.Series(rng.standard_normal(n), index=index, name="sales")
    exog = None
    if n_exog:
        exog = pd.DataFrame(
            rng.standard_normal((n, n_exog)),
            index=index,
            columns=[f"e{j}" for j in range(n_exog)],
        )
    else:
        exog_lags = None
    y_before = y.copy()
    exog_before = None if exog is None else exog.copy()

    y_lags = _lag_list(lags)
    x_lags = _exog_lag_list(exog_lags) if exog is not None else []
    max_lag = max(y_lags + x_lags)
    expected_rows = n - max_lag - horizon + 1

    if expected_rows < 1:
        with pytest.raises(ValueError, match=r"too short.*lags and horizon"):
            make_windows(y, lags, horizon, exog=exog, exog_lags=exog_lags)
        return
    X, Y = make_windows(y, lags, horizon, exog=exog, exog_lags=exog_lags)

    # inputs untouched
    pd.testing.assert_series_equal(y, y_before)
    if exog is not None:
        pd.testing.assert_frame_equal(exog, exog_before)

    assert len(X) == len(Y) == expected_rows
    assert X.index.equals(Y.index)
    assert type(X.index) is type(index)
    assert X.index.equals(index[max_lag : max_lag + expected_rows])
    assert not X.isna().any().any() and not Y.isna().any().any()
    exog_cols = [] if exog is None else list(exog.columns)
    assert list(X.columns) == [f"y_lag{k}" for k in y_lags] + [
        f"{c}_lag{k}" for c in exog_cols for k in x_lags
    ]
    assert list(Y.columns) == [f"y_step{h}" for h in range(1, horizon + 1)]

    for t in X.index:
        for k in y_lags:
            assert X.at[t, f"y_lag{k}"] == y.loc[_shift_label(kind, t, -k)]
        for c in exog_cols:
            for k in x_lags:
                assert X.at[t, f"{c}_lag{k}"] == exog.at[_shift_label(kind, t, -k), c]
        for h in range(1, horizon + 1):
            assert Y.at[t, f"y_step{h}"] == y.loc[_shift_label(kind, t, h - 1)]


@SETTINGS
@given(
    n=st.integers(2, 30),
    lags=lag_spec,
    horizon=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_numpy_input_same_as_series_with_rangeindex(n, lags, horizon, seed):
    values = np.random.default_rng(seed).standard_normal(n)
    kept = values.copy()
    try:
        expected = make_windows(pd.Series(values), lags, horizon)
    except ValueError:
        with pytest.raises(ValueError, match="too short"):
            make_windows(values, lags, horizon)
        return
    got = make_windows(values, lags, horizon)
    np.testing.assert_array_equal(values, kept)
    for a, b in zip(got, expected, strict=True):
        assert isinstance(a.index, pd.RangeIndex)
        pd.testing.assert_frame_equal(a, b)
    # lists work too
    pd.testing.assert_frame_equal(make_windows(list(values), lags, horizon)[0], got[0])


# ----------------------------------------------------------------------------
# make_windows: simple cases against independent constructions
# ----------------------------------------------------------------------------


def test_manual_construction():
    y = np.array([10.0, 11, 12, 13, 14, 15, 16, 17])
    x = np.array([0.0, 1, 2, 3, 4, 5, 6, 7]) * 100
    X, Y = make_windows(y, [3, 1], horizon=2, exog=x, exog_lags=[0, 2])
    # max_lag = 3, horizon 2: rows t = 3, 4, 5, 6 (n - 3 - 2 + 1 = 4)
    expected_X = pd.DataFrame(
        {
            "y_lag1": [12.0, 13, 14, 15],
            "y_lag3": [10.0, 11, 12, 13],
            "x_lag0": [300.0, 400, 500, 600],
            "x_lag2": [100.0, 200, 300, 400],
        },
        index=pd.RangeIndex(3, 7),
    )
    expected_Y = pd.DataFrame(
        {"y_step1": [13.0, 14, 15, 16], "y_step2": [14.0, 15, 16, 17]},
        index=pd.RangeIndex(3, 7),
    )
    pd.testing.assert_frame_equal(X, expected_X)
    pd.testing.assert_frame_equal(Y, expected_Y)


def _shift_reference(y, lags, horizon, exog=None, exog_lags=(0,)):
    cols = {f"y_lag{k}": y.shift(k) for k in lags}
    if exog is not None:
        for c in exog.columns:
            for k in exog_lags:
                cols[f"{c}_lag{k}"] = exog[c].shift(k)
    X = pd.DataFrame(cols)
    Y = pd.DataFrame({f"y_step{h}": y.shift(-(h - 1)) for h in range(1, horizon + 1)})
    keep = X.notna().all(axis=1) & Y.notna().all(axis=1)
    return X[keep], Y[keep]


@pytest.mark.parametrize(
    ("lags", "horizon", "exog_lags"),
    [(1, 1, None), (3, 1, None), ([1, 12], 3, None), (2, 2, [0, 1, 4]), (1, 4, [5])],
)
def test_matches_shift_reference(lags, horizon, exog_lags):
    rng = np.random.default_rng(0)
    index = pd.date_range("1990-01-01", periods=60, freq="MS", name="month")
    y = pd.Series(rng.standard_normal(60).cumsum(), index=index, name="sales")
    exog = None
    if exog_lags is not None:
        exog = pd.DataFrame(
            {"price": rng.standard_normal(60), "promo": rng.random(60)}, index=index
        )
    X, Y = make_windows(y, lags, horizon, exog=exog, exog_lags=exog_lags)
    ref_X, ref_Y = _shift_reference(
        y,
        normalize_lags(lags),
        horizon,
        exog,
        [0] if exog_lags is None else sorted(exog_lags),
    )
    pd.testing.assert_frame_equal(X, ref_X, check_freq=False)
    pd.testing.assert_frame_equal(Y, ref_Y, check_freq=False)
    assert X.index.name == "month"
    assert X.index.freq == index.freq  # contiguous rows keep the frequency


def test_exog_naming_and_forms():
    y = np.arange(6.0)
    X, _ = make_windows(y, 1, exog=np.arange(6.0) * 2)
    assert list(X.columns) == ["y_lag1", "x_lag0"]
    X, _ = make_windows(y, 1, exog=np.ones((6, 2)), exog_lags=1)
    assert list(X.columns) == ["y_lag1", "x0_lag1", "x1_lag1"]
    X, _ = make_windows(pd.Series(y), 1, exog=pd.Series(y, name="temp"))
    assert list(X.columns) == ["y_lag1", "temp_lag0"]
    X, _ = make_windows(pd.Series(y), 1, exog=pd.Series(y))
    assert list(X.columns) == ["y_lag1", "x_lag0"]


def test_other_regular_indexes():
    periods = pd.period_range("2000Q1", periods=8, freq="Q")
    X, _ = make_windows(pd.Series(np.arange(8.0), index=periods), 2)
    assert X.index.equals(periods[2:])
    years = pd.Index(np.arange(1950, 1960), name="year")
    X, Y = make_windows(pd.Series(np.arange(10.0), index=years), 3)
    assert X.index.tolist() == list(range(1953, 1960))
    assert X.loc[1955, "y_lag3"] == 2.0 and Y.loc[1955, "y_step1"] == 5.0


# ----------------------------------------------------------------------------
# make_windows: several series
# ----------------------------------------------------------------------------


def _panel_data(seed=0, n=24):
    rng = np.random.default_rng(seed)
    index = pd.date_range("2010-01-01", periods=n, freq="MS", name="month")
    wide = pd.DataFrame(
        rng.standard_normal((n, 3)), index=index, columns=["north", "south", "west"]
    )
    exog = pd.DataFrame({"temp": rng.standard_normal(n)}, index=index)
    return wide, exog


@pytest.mark.parametrize("with_exog", [False, True])
def test_wide_matches_per_series(with_exog):
    wide, exog = _panel_data()
    kwargs = {"exog": exog, "exog_lags": [0, 2]} if with_exog else {}
    X, Y = make_windows(wide, [1, 3], horizon=2, **kwargs)
    assert X.index.names == ["series", "month"]
    assert list(X.index.get_level_values(0).unique()) == list(wide.columns)
    for name in wide.columns:
        Xs, Ys = make_windows(wide[name], [1, 3], horizon=2, **kwargs)
        pd.testing.assert_frame_equal(X.loc[name], Xs, check_freq=False)
        pd.testing.assert_frame_equal(Y.loc[name], Ys, check_freq=False)
    assert len(X) == 3 * (24 - 3 - 2 + 1)


def test_2d_array_matches_per_column():
    values = np.random.default_rng(1).standard_normal((15, 2))
    X, Y = make_windows(values, 2, horizon=3)
    assert X.index.names == ["series", "time"]
    for j in range(2):
        Xs, Ys = make_windows(values[:, j], 2, horizon=3)
        pd.testing.assert_frame_equal(
            X.loc[j].rename_axis(None), Xs, check_index_type=False
        )
        pd.testing.assert_frame_equal(
            Y.loc[j].rename_axis(None), Ys, check_index_type=False
        )


@pytest.mark.parametrize("with_exog", [False, True])
def test_long_matches_per_series(with_exog):
    wide, _ = _panel_data(seed=2)
    long = (
        wide.reset_index()
        .rename(columns={"month": "ds"})
        .melt(id_vars="ds", var_name="unique_id", value_name="y")
    )
    # series of different lengths, rows shuffled
    long = long[~((long["unique_id"] == "south") & (long["ds"] < "2010-06-01"))]
    long = long[["unique_id", "ds", "y"]].sample(frac=1.0, random_state=0)
    long_before = long.copy()
    rng = np.random.default_rng(3)
    exog = pd.DataFrame({"temp": rng.standard_normal(len(long))}, index=long.index)
    kwargs = {"exog": exog, "exog_lags": [0, 1]} if with_exog else {}

    X, Y = make_windows(long, 2, horizon=2, **kwargs)
    pd.testing.assert_frame_equal(long, long_before)
    assert X.index.names == ["unique_id", "ds"]
    assert set(X.index.get_level_values(0)) == {"north", "south", "west"}
    for uid, part in long.groupby("unique_id"):
        part = part.sort_values("ds")
        series = pd.Series(part["y"].to_numpy(), index=pd.Index(part["ds"], name="ds"))
        ex = None
        if with_exog:
            ex = exog.loc[part.index].set_axis(series.index)
        Xs, Ys = make_windows(series, 2, horizon=2, exog=ex, **kwargs_lags(kwargs))
        pd.testing.assert_frame_equal(X.loc[uid], Xs, check_freq=False)
        pd.testing.assert_frame_equal(Y.loc[uid], Ys, check_freq=False)
    assert len(X.loc["south"]) == 24 - 5 - 2 - 2 + 1


def kwargs_lags(kwargs):
    return {"exog_lags": kwargs["exog_lags"]} if "exog_lags" in kwargs else {}


def test_long_format_extra_columns_refused():
    long = pd.DataFrame({"unique_id": ["a"] * 5, "ds": range(5), "y": range(5)})
    long["price"] = 1.0
    with pytest.raises(ValueError, match="exog"):
        make_windows(long, 1)


# ----------------------------------------------------------------------------
# make_windows: errors
# ----------------------------------------------------------------------------


def test_too_short():
    with pytest.raises(ValueError, match=r"length n=5\).*too short.*lags and horizon"):
        make_windows(np.arange(5.0), 3, horizon=3)
    make_windows(np.arange(6.0), 3, horizon=3)  # exactly long enough: one row
    assert len(make_windows(np.arange(6.0), 3, horizon=3)[0]) == 1
    # exog lags count towards max_lag
    with pytest.raises(ValueError, match="too short"):
        make_windows(np.arange(5.0), 1, exog=np.arange(5.0), exog_lags=[5])
    # the series at fault is named
    long = pd.DataFrame(
        {"unique_id": ["a"] * 6 + ["b"] * 2, "ds": [*range(6), 0, 1], "y": 1.0}
    )
    with pytest.raises(ValueError, match=r"series 'b'.*length n=2"):
        make_windows(long, 2)


@pytest.mark.parametrize("bad", [0, -2, [], [0, 1], [1.5], "2", True])
def test_bad_lags(bad):
    with pytest.raises(ValueError, match="lags"):
        make_windows(np.arange(10.0), bad)


@pytest.mark.parametrize("bad", [-1, [-1, 0], [0.5], "0", []])
def test_bad_exog_lags(bad):
    with pytest.raises(ValueError, match="exog_lags"):
        make_windows(np.arange(10.0), 1, exog=np.arange(10.0), exog_lags=bad)


def test_exog_lags_without_exog():
    with pytest.raises(ValueError, match="exog_lags"):
        make_windows(np.arange(10.0), 1, exog_lags=[0])


@pytest.mark.parametrize("bad", [0, -1, 1.0, None, True])
def test_bad_horizon(bad):
    with pytest.raises(ValueError, match="horizon"):
        make_windows(np.arange(10.0), 1, horizon=bad)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_non_finite_values(bad_value):
    y = np.arange(10.0)
    y[4] = bad_value
    with pytest.raises(ValueError, match=r"^y contains NaN"):
        make_windows(y, 1)
    with pytest.raises(ValueError, match=r"^y contains NaN"):
        make_windows(pd.Series(y), 1)
    wide = pd.DataFrame({"a": np.arange(10.0), "b": y})
    with pytest.raises(ValueError, match=r"^y contains NaN"):
        make_windows(wide, 1)
    with pytest.raises(ValueError, match=r"^exog contains NaN"):
        make_windows(np.arange(10.0), 1, exog=y)


def test_nullable_and_non_numeric():
    with pytest.raises(ValueError, match="^y"):
        make_windows(pd.Series([1, None, 3, 4, 5], dtype="Int64"), 1)
    with pytest.raises(ValueError, match="^y"):
        make_windows(pd.Series(["a", "b", "c", "d"]), 1)
    with pytest.raises(ValueError, match="^exog"):
        make_windows(np.arange(4.0), 1, exog=["a", "b", "c", "d"])


def test_misaligned_exog():
    index = pd.date_range("2000-01-01", periods=10, freq="MS")
    y = pd.Series(np.arange(10.0), index=index)
    with pytest.raises(ValueError, match="exog"):
        make_windows(y, 1, exog=np.arange(9.0))
    with pytest.raises(ValueError, match="exog"):
        make_windows(np.arange(10.0), 1, exog=np.arange(11.0))
    with pytest.raises(ValueError, match="exog.*same index"):
        make_windows(y, 1, exog=pd.Series(np.arange(10.0)))  # RangeIndex
    shifted = pd.Series(np.arange(10.0), index=index + pd.DateOffset(months=1))
    with pytest.raises(ValueError, match="exog.*same index"):
        make_windows(y, 1, exog=shifted)
    with pytest.raises(ValueError, match="exog.*same index"):
        make_windows(y, 1, exog=pd.Series(np.arange(10.0), index=index[::-1]))
    # arrays are aligned by position
    make_windows(y, 1, exog=np.arange(10.0))


def test_bad_index():
    index = pd.date_range("2000-01-01", periods=10, freq="MS")
    with pytest.raises(ValueError, match="regularly spaced"):
        make_windows(pd.Series(np.arange(9.0), index=index.delete(4)), 1)
    with pytest.raises(ValueError, match="sorted"):
        make_windows(pd.Series(np.arange(10.0), index=index[::-1]), 1)
    with pytest.raises(ValueError, match="repeated"):
        make_windows(pd.Series(np.arange(3.0), index=[0, 0, 1]), 1)
    with pytest.raises(ValueError, match="regularly spaced"):
        make_windows(pd.Series(np.arange(4.0), index=[0, 1, 2, 5]), 1)


def test_exog_name_clash():
    y = pd.Series(np.arange(6.0))
    with pytest.raises(ValueError, match="exog"):
        make_windows(y, 1, exog=pd.Series(np.arange(6.0), name="y"), exog_lags=1)


# ----------------------------------------------------------------------------
# last_window
# ----------------------------------------------------------------------------


@SETTINGS
@given(
    n=st.integers(1, 30),
    lags=lag_spec,
    n_exog=st.integers(0, 2),
    exog_lags=exog_lag_spec,
    kind=st.sampled_from(["range", "monthly"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_last_window_is_next_row(n, lags, n_exog, exog_lags, kind, seed):
    rng = np.random.default_rng(seed)
    y = pd.Series(rng.standard_normal(n), index=_index(kind, n))
    y_longer = pd.Series(
        np.append(y.to_numpy(), rng.standard_normal()), index=_index(kind, n + 1)
    )
    exog = exog_longer = future = None
    if n_exog:
        names = [f"e{j}" for j in range(n_exog)]
        full = rng.standard_normal((n + 1, n_exog))
        exog = pd.DataFrame(full[:n], index=y.index, columns=names)
        exog_longer = pd.DataFrame(full, index=y_longer.index, columns=names)
        if 0 in _exog_lag_list(exog_lags):
            future = dict(zip(names, full[n], strict=True))
    else:
        exog_lags = None
    max_lag = max(_lag_list(lags) + (_exog_lag_list(exog_lags) if n_exog else []))

    if n < max_lag:
        with pytest.raises(ValueError, match="too short"):
            last_window(y, lags, exog, exog_lags, future)
        return
    row = last_window(y, lags, exog=exog, exog_lags=exog_lags, future_exog=future)
    X, _ = make_windows(y_longer, lags, exog=exog_longer, exog_lags=exog_lags)
    pd.testing.assert_frame_equal(row, X.iloc[[-1]], check_freq=False)
    # the same row from the numpy inputs (labelled by position)
    row_np = last_window(
        y.to_numpy(),
        lags,
        exog=None if exog is None else exog.to_numpy(),
        exog_lags=exog_lags,
        future_exog=None if future is None else list(future.values()),
    )
    np.testing.assert_array_equal(row_np.to_numpy(), row.to_numpy())
    assert row_np.index.tolist() == [n]


def test_last_window_several_series():
    wide, exog = _panel_data(seed=4, n=20)
    future = {"temp": 0.25}
    rows = last_window(wide.iloc[:-1], 3, exog.iloc[:-1], [0, 1], future_exog=future)
    exog_full = exog.copy()
    exog_full.iloc[-1, 0] = 0.25
    X, _ = make_windows(wide, 3, exog=exog_full, exog_lags=[0, 1])
    expected = X.xs(wide.index[-1], level="month", drop_level=False)
    pd.testing.assert_frame_equal(rows, expected, check_freq=False)

    # per-series future values in long format
    long = pd.DataFrame(
        {"unique_id": ["a"] * 4 + ["b"] * 3, "ds": [0, 1, 2, 3, 0, 1, 2], "y": 1.0}
    )
    long["y"] = np.arange(7.0)
    ex = pd.DataFrame({"z": np.arange(7.0) * 10}, index=long.index)
    fut = pd.DataFrame({"z": [-1.0, -2.0]}, index=["b", "a"])
    rows = last_window(long, 2, exog=ex, exog_lags=[0, 2], future_exog=fut)
    assert rows.index.tolist() == [("a", 4), ("b", 3)]
    assert rows.loc[("a", 4)].tolist() == [3.0, 2.0, -2.0, 20.0]
    assert rows.loc[("b", 3)].tolist() == [6.0, 5.0, -1.0, 50.0]


def test_last_window_needs_only_max_lag_values():
    # too short for make_windows (needs max_lag + 1) but enough for the next input
    row = last_window(np.array([1.0, 2.0, 3.0]), 3)
    assert row.to_numpy().tolist() == [[3.0, 2.0, 1.0]]
    with pytest.raises(ValueError, match="too short"):
        make_windows(np.array([1.0, 2.0, 3.0]), 3)


def test_last_window_future_exog_errors():
    y, x = np.arange(6.0), np.arange(6.0)
    with pytest.raises(ValueError, match="future_exog.*required"):
        last_window(y, 1, exog=x)  # default exog_lags=[0]
    with pytest.raises(ValueError, match="future_exog"):
        last_window(y, 1, exog=x, exog_lags=[1], future_exog=3.0)
    with pytest.raises(ValueError, match="future_exog"):
        last_window(y, 1, future_exog=3.0)
    with pytest.raises(ValueError, match="future_exog"):
        last_window(y, 1, exog=x, future_exog=[1.0, 2.0])
    with pytest.raises(ValueError, match="future_exog"):
        last_window(y, 1, exog=x, future_exog=np.nan)
    with pytest.raises(ValueError, match="future_exog"):
        last_window(y, 1, exog=pd.DataFrame({"a": x}), future_exog={"b": 1.0})
    with pytest.raises(ValueError, match="y contains NaN"):
        last_window(np.array([1.0, np.nan]), 1)


# ----------------------------------------------------------------------------
# RollingOriginSplit
# ----------------------------------------------------------------------------


def _check_folds(folds, n, horizon, gap, step, max_train_size):
    assert folds, "no folds"
    previous_origin = None
    for train, test in folds:
        assert train.dtype.kind == "i" and test.dtype.kind == "i"
        assert len(train) >= 1
        assert len(test) == horizon
        np.testing.assert_array_equal(test, np.arange(test[0], test[0] + horizon))
        np.testing.assert_array_equal(train, np.arange(train[0], train[-1] + 1))
        origin = train[-1] + 1
        assert test[0] == origin + gap  # training ends `gap` before the test
        assert train[-1] < test[0]
        assert test[-1] < n
        if max_train_size is None:
            assert train[0] == 0
        else:
            assert len(train) == min(max_train_size, origin)
        if previous_origin is not None:
            assert origin - previous_origin == step
        previous_origin = origin


@SETTINGS
@given(
    n=st.integers(2, 60),
    n_splits=st.one_of(st.none(), st.integers(1, 6)),
    initial=st.one_of(st.none(), st.integers(1, 30)),
    horizon=st.integers(1, 5),
    step=st.one_of(st.none(), st.integers(1, 5)),
    max_train_size=st.one_of(st.none(), st.integers(1, 20)),
    gap=st.integers(0, 3),
)
def test_rolling_origin_properties(
    n, n_splits, initial, horizon, step, max_train_size, gap
):
    cv = RollingOriginSplit(n_splits, initial, horizon, step, max_train_size, gap)
    X = np.zeros((n, 2))
    eff_step = horizon if step is None else step
    try:
        folds = list(cv.split(X))
    except ValueError as exc:
        assert "folds" in str(exc)
        # it really does not fit
        if initial is None:
            k = 5 if n_splits is None else n_splits
            assert n - gap - horizon - (k - 1) * eff_step < 1
        else:
            k = 1 if n_splits is None else n_splits
            assert initial + (k - 1) * eff_step + gap + horizon > n
        return
    _check_folds(folds, n, horizon, gap, eff_step, max_train_size)
    assert len(folds) == cv.get_n_splits(X)
    if initial is None:
        assert folds[-1][1][-1] == n - 1  # the last test fold ends the data
        assert len(folds) == (5 if n_splits is None else n_splits)
    else:
        assert folds[0][0][-1] + 1 == initial
        if n_splits is None:  # as many as fit: one more would not
            assert folds[-1][1][-1] + eff_step >= n
        else:
            assert len(folds) == n_splits


@pytest.mark.parametrize(
    ("n_splits", "horizon", "gap", "max_train_size"),
    [(5, 1, 0, None), (3, 4, 0, None), (4, 2, 3, None), (3, 3, 1, 10), (2, 7, 0, 5)],
)
def test_rolling_origin_matches_timeseriessplit(n_splits, horizon, gap, max_train_size):
    X = np.zeros((50, 1))
    ours = RollingOriginSplit(
        n_splits=n_splits, horizon=horizon, gap=gap, max_train_size=max_train_size
    )
    theirs = TimeSeriesSplit(
        n_splits=n_splits, test_size=horizon, gap=gap, max_train_size=max_train_size
    )
    for (a_train, a_test), (b_train, b_test) in zip(
        ours.split(X), theirs.split(X), strict=True
    ):
        np.testing.assert_array_equal(a_train, b_train)
        np.testing.assert_array_equal(a_test, b_test)


def test_rolling_origin_examples():
    X = np.zeros(12)
    folds = list(RollingOriginSplit(initial=5, horizon=3, step=2).split(X))
    assert [(tr.tolist()[-1], te.tolist()) for tr, te in folds] == [
        (4, [5, 6, 7]),
        (6, [7, 8, 9]),
        (8, [9, 10, 11]),
    ]
    folds = list(RollingOriginSplit(2, initial=3).split(X))  # trailing unused
    assert [te.tolist() for _, te in folds] == [[3], [4]]
    cv = RollingOriginSplit(initial=8)
    assert cv.get_n_splits(X) == 4
    with pytest.raises(ValueError, match="X"):
        cv.get_n_splits()
    assert RollingOriginSplit(3, initial=8).get_n_splits() == 3
    assert RollingOriginSplit().get_n_splits() == 5
    # works on DataFrames and lists (only the length matters)
    frame = pd.DataFrame({"a": np.arange(12.0)})
    assert len(list(RollingOriginSplit(3).split(frame))) == 3
    assert len(list(RollingOriginSplit(3).split(list(range(12))))) == 3


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_splits": 0}, "n_splits"),
        ({"n_splits": 2.5}, "n_splits"),
        ({"initial": 0}, "initial"),
        ({"horizon": 0}, "horizon"),
        ({"horizon": None}, "horizon"),
        ({"step": 0}, "step"),
        ({"max_train_size": 0}, "max_train_size"),
        ({"gap": -1}, "gap"),
        ({"gap": 1.0}, "gap"),
        ({"n_splits": True}, "n_splits"),
    ],
)
def test_rolling_origin_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        RollingOriginSplit(**kwargs)


def test_rolling_origin_too_few_samples():
    with pytest.raises(ValueError, match=r"cannot make 5 folds.*10 samples"):
        list(RollingOriginSplit(horizon=2).split(np.zeros(10)))
    with pytest.raises(ValueError, match="cannot make"):
        list(RollingOriginSplit(initial=9, horizon=2).split(np.zeros(10)))
    with pytest.raises(ValueError, match="at most 2 fit"):
        list(RollingOriginSplit(3, initial=7, horizon=1).split(np.zeros(9)))


def _windowed_data():
    t = np.arange(200)
    y = pd.Series(
        np.sin(2 * np.pi * t / 12) + 0.1 * np.random.default_rng(0).standard_normal(200)
    )
    return make_windows(y, 12)


def test_cross_val_score_with_ridge():
    X, Y = _windowed_data()
    cv = RollingOriginSplit(n_splits=4, horizon=12, max_train_size=100)
    scores = cross_val_score(
        Ridge(), X, Y["y_step1"], cv=cv, scoring="neg_mean_squared_error"
    )
    assert scores.shape == (4,)
    assert np.all(np.isfinite(scores))
    assert -scores.mean() < 0.1  # a seasonal AR model fits the sine well
    # same as fitting each fold by hand
    manual = []
    for train, test in cv.split(X):
        model = Ridge().fit(X.iloc[train], Y["y_step1"].iloc[train])
        pred = model.predict(X.iloc[test])
        manual.append(-np.mean((pred - Y["y_step1"].iloc[test].to_numpy()) ** 2))
    np.testing.assert_allclose(scores, manual)


def test_grid_search_cv():
    X, Y = _windowed_data()
    search = GridSearchCV(
        Ridge(),
        {"alpha": [0.01, 1.0, 100.0]},
        cv=RollingOriginSplit(initial=150, horizon=10, gap=0),
        scoring="neg_mean_squared_error",
    )
    search.fit(X, Y)  # several targets (here one column) are fine
    assert search.n_splits_ == 3  # 188 rows: (188 - 150 - 10) // 10 + 1 folds fit
    assert search.best_params_["alpha"] in (0.01, 1.0, 100.0)
    assert "RollingOriginSplit" in repr(search.cv)
