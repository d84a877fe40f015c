"""Tests for the bundled datasets and their loaders (bpforecast.datasets)."""

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bpforecast.datasets as bpd
from bpforecast.datasets import (
    list_datasets,
    load_airline_passengers,
    load_co2,
    load_dataset,
    load_nile,
    load_sunspots,
)

# name -> (loader, length, first date, last date, freqstr)
EXPECTED = {
    "airline_passengers": (
        load_airline_passengers,
        144,
        "1949-01-01",
        "1960-12-01",
        "MS",
    ),
    "co2": (load_co2, 526, "1958-03-01", "2001-12-01", "MS"),
    "nile": (load_nile, 100, "1871-01-01", "1970-01-01", "YS-JAN"),
    "sunspots": (load_sunspots, 309, "1700-01-01", "2008-01-01", "YS-JAN"),
}


def test_list_datasets():
    assert list_datasets() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loader_shape_index_and_values(name):
    loader, length, first, last, freqstr = EXPECTED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning / DeprecationWarning
        y = loader()
    assert isinstance(y, pd.Series)
    assert y.name == "y"
    assert y.dtype == np.float64
    assert len(y) == length
    assert not y.isna().any()
    assert np.isfinite(y.to_numpy()).all()
    idx = y.index
    assert isinstance(idx, pd.DatetimeIndex)
    assert idx.name == "ds"
    assert idx.freq is not None
    assert idx.freqstr == freqstr
    assert idx[0] == pd.Timestamp(first)
    assert idx[-1] == pd.Timestamp(last)
    assert idx.is_monotonic_increasing and idx.is_unique
    # the index really is a regular grid of that frequency
    expected_idx = pd.date_range(first, periods=length, freq=freqstr)
    assert idx.equals(expected_idx)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_dataset_round_trips_names(name):
    loader = EXPECTED[name][0]
    pd.testing.assert_series_equal(load_dataset(name), loader())
    pd.testing.assert_frame_equal(
        load_dataset(name, as_frame=True), loader(as_frame=True)
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_as_frame(name):
    series = load_dataset(name)
    frame = load_dataset(name, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["ds", "y"]
    assert isinstance(frame.index, pd.RangeIndex)
    assert pd.api.types.is_datetime64_any_dtype(frame["ds"])
    assert frame["y"].dtype == np.float64
    np.testing.assert_array_equal(frame["ds"].to_numpy(), series.index.to_numpy())
    np.testing.assert_array_equal(frame["y"].to_numpy(), series.to_numpy())


@pytest.mark.parametrize("bad", ["airline", "AIRLINE_PASSENGERS", "", "co2_monthly"])
def test_unknown_name_lists_valid_names(bad):
    with pytest.raises(ValueError, match="unknown dataset") as excinfo:
        load_dataset(bad)
    for name in EXPECTED:
        assert repr(name) in str(excinfo.value)


def test_non_string_name_raises_value_error():
    with pytest.raises(ValueError, match="valid names"):
        load_dataset(None)  # type: ignore[arg-type]


def test_airline_passengers_known_values():
    # Box & Jenkins Series G / R datasets::AirPassengers.
    y = load_airline_passengers()
    assert y.sum() == 40363
    assert y.iloc[0] == 112
    assert y.iloc[-1] == 432
    assert y.max() == 622
    assert y.idxmax() == pd.Timestamp("1960-07-01")
    assert y.min() == 104
    assert y.idxmin() == pd.Timestamp("1949-11-01")
    assert (y == np.round(y)).all()  # integer counts (thousands)
    np.testing.assert_array_equal(
        y["1949"].to_numpy(),
        [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118],
    )
    # yearly totals grow every year
    assert (y.groupby(y.index.year).sum().diff().dropna() > 0).all()


def test_sunspots_equal_statsmodels_copy():
    sm_datasets = pytest.importorskip("statsmodels.datasets")
    ref = sm_datasets.sunspots.load_pandas().data
    y = load_sunspots()
    np.testing.assert_array_equal(y.index.year, ref["YEAR"].astype(int).to_numpy())
    np.testing.assert_array_equal(y.to_numpy(), ref["SUNACTIVITY"].to_numpy())
    assert y.iloc[0] == 5.0
    assert y.iloc[-1] == 2.9


def test_nile_equal_statsmodels_copy():
    sm_datasets = pytest.importorskip("statsmodels.datasets")
    ref = sm_datasets.nile.load_pandas().data
    y = load_nile()
    np.testing.assert_array_equal(y.index.year, ref["year"].astype(int).to_numpy())
    np.testing.assert_array_equal(y.to_numpy(), ref["volume"].to_numpy())
    # independent checks against R's datasets::Nile
    assert y.sum() == 91935
    assert y.iloc[0] == 1120
    assert y.iloc[-1] == 740
    assert y.min() == 456
    assert y.idxmin() == pd.Timestamp("1913-01-01")


def test_co2_is_monthly_mean_of_statsmodels_weekly_copy():
    sm_datasets = pytest.importorskip("statsmodels.datasets")
    weekly = sm_datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean()
    y = load_co2()
    assert y.index.equals(monthly.index)
    observed = monthly.notna().to_numpy()
    # months with weekly data: the mean, rounded to 3 decimals
    np.testing.assert_allclose(
        y.to_numpy()[observed], monthly.to_numpy()[observed], rtol=0, atol=5e-4
    )
    # the five months without weekly data were interpolated
    missing = monthly.index[~observed]
    assert [d.strftime("%Y-%m") for d in missing] == [
        "1958-06",
        "1958-10",
        "1964-02",
        "1964-03",
        "1964-04",
    ]
    expected = monthly.interpolate(method="time").round(3)
    np.testing.assert_allclose(y.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-9)
    for date in missing:
        pos = y.index.get_loc(date)
        lo = monthly[:date].dropna().iloc[-1]  # nearest observed month before
        hi = monthly[date:].dropna().iloc[0]  # nearest observed month after
        assert min(lo, hi) - 5e-4 <= y.iloc[pos] <= max(lo, hi) + 5e-4
    assert y.iloc[0] == 316.1  # only one weekly value (1958-03-29) in March 1958
    assert 310 < y.min() and y.max() < 375


def test_files_have_ds_y_header_and_are_listed():
    data_dir = bpd._data_dir()
    csvs = sorted(p.name for p in data_dir.iterdir() if p.name.endswith(".csv"))
    assert csvs == sorted(spec.filename for spec in bpd._DATASETS.values())
    for filename in csvs:
        with data_dir.joinpath(filename).open("r", encoding="utf-8") as handle:
            assert handle.readline().rstrip("\r\n") == "ds,y"
    readme = data_dir.joinpath("README.md").read_text(encoding="utf-8")
    for filename in csvs:
        assert filename in readme


def test_loads_through_importlib_resources(tmp_path, monkeypatch):
    """The importlib.resources route works when the data package is importable."""
    pkg_name = "_bpforecast_test_datasets_pkg"
    pkg = tmp_path / pkg_name
    pkg.mkdir()
    (pkg / "__init__.py").write_text('"""Test data package."""\n')
    source_dir = bpd._data_dir()
    for spec in bpd._DATASETS.values():
        with source_dir.joinpath(spec.filename).open("rb") as src:
            (pkg / spec.filename).write_bytes(src.read())
    # mark the copy so we can tell which folder was read
    air = (
        (pkg / "airline_passengers.csv")
        .read_text()
        .replace("1949-01-01,112", "1949-01-01,999")
    )
    (pkg / "airline_passengers.csv").write_text(air)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(bpd, "_RESOURCE_PACKAGE", pkg_name)
    try:
        y = load_airline_passengers()
    finally:
        sys.modules.pop(pkg_name, None)
    assert y.iloc[0] == 999
    assert y.iloc[1:].sum() == 40363 - 112


def test_falls_back_to_source_tree_when_package_missing(monkeypatch):
    source_dir = Path(bpd.__file__).resolve().parent.parent / "datasets"
    if not (source_dir / "airline_passengers.csv").is_file():
        pytest.skip("not running from a source checkout")
    monkeypatch.setattr(bpd, "_RESOURCE_PACKAGE", "_bpforecast_no_such_package")
    assert Path(str(bpd._data_dir())) == source_dir
    assert load_airline_passengers().sum() == 40363


def test_missing_everywhere_raises_file_not_found(tmp_path, monkeypatch):
    monkeypatch.setattr(bpd, "_RESOURCE_PACKAGE", "_bpforecast_no_such_package")
    monkeypatch.setattr(bpd, "__file__", str(tmp_path / "bpforecast" / "datasets.py"))
    with pytest.raises(FileNotFoundError, match="cannot find the bundled datasets"):
        bpd._data_dir()
