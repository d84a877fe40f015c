"""CSV loading (bpforecast.io.csv): the date column is found by its values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bpforecast.cli
from bpforecast.cli import main
from bpforecast.datasets import load_airline_passengers
from bpforecast.io.csv import find_date_column, load_series


def _csv(tmp_path, frame: pd.DataFrame) -> str:
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _airline(date_name: str = "timestamp") -> pd.DataFrame:
    y = load_airline_passengers()
    return pd.DataFrame(
        {date_name: y.index.strftime("%Y-%m-%d"), "passengers": y.to_numpy()}
    )


def test_cli_reexports_load_series():
    assert bpforecast.cli.load_series is load_series
    assert "load_series" in bpforecast.cli.__all__


@pytest.mark.parametrize("name", ["timestamp", "when", "ds"])
def test_date_column_found_without_being_named(tmp_path, name):
    notes = []
    data = load_series(_csv(tmp_path, _airline(name)), warn=notes.append)
    assert data.date_column == name
    assert data.column == "passengers"
    assert data.y.index.freqstr == "MS"
    assert str(data.y.index[0].date()) == "1949-01-01"
    assert any(repr(name) in n and "dates" in n for n in notes)


def test_forecast_command_continues_a_timestamp_column(tmp_path, capsys):
    out_csv = tmp_path / "fc.csv"
    rc = main(
        [
            "forecast",
            _csv(tmp_path, _airline("timestamp")),
            "--horizon",
            "3",
            "--n-models",
            "1",
            "--seed",
            "0",
            "-o",
            str(out_csv),
        ]
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    table = pd.read_csv(out_csv, parse_dates=["timestamp"])
    assert table["timestamp"].dt.strftime("%Y-%m").tolist() == [
        "1961-01",
        "1961-02",
        "1961-03",
    ]


def test_text_and_numeric_columns_are_not_dates():
    frame = pd.DataFrame(
        {"note": ["a", "b", "c"], "year": [2001, 2002, 2003], "y": [1.0, 2, 3]}
    )
    assert find_date_column(frame) is None


def test_partly_dated_column_is_not_dates():
    frame = pd.DataFrame({"d": ["2020-01-01", "oops", "2020-01-03"], "y": [1.0, 2, 3]})
    assert find_date_column(frame) is None


def test_several_date_columns_must_be_chosen(tmp_path):
    frame = _airline("start")
    frame["end"] = frame["start"]
    with pytest.raises(ValueError, match="several columns hold dates"):
        load_series(_csv(tmp_path, frame))
    data = load_series(_csv(tmp_path, frame), date_column="end", warn=print)
    assert data.date_column == "end"


def test_excluded_columns_are_not_candidates():
    frame = pd.DataFrame({"a": ["2020-01-01", "2020-01-02"], "y": [1.0, 2.0]})
    assert find_date_column(frame, exclude=["a"]) is None
    assert find_date_column(frame, exclude=[None]) == "a"


def test_without_dates_rows_are_numbered(tmp_path):
    frame = pd.DataFrame({"value": np.arange(30.0)})
    data = load_series(_csv(tmp_path, frame))
    assert data.date_column is None
    assert isinstance(data.y.index, pd.RangeIndex)
