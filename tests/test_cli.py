"""Tests of the ``bpforecast`` command line (bpforecast.cli)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bpforecast.cli import load_series, main, parse_lags
from bpforecast.datasets import load_airline_passengers, load_nile

REPO_ROOT = Path(__file__).resolve().parent.parent
FAST = ["--n-models", "1", "--seed", "0"]


def _airline_csv(tmp_path: Path, **columns) -> Path:
    """Airline passengers as a CSV with columns ``month`` and ``passengers``."""
    y = load_airline_passengers()
    frame = pd.DataFrame(
        {"month": y.index.strftime("%Y-%m-%d"), "passengers": y.to_numpy()}
    )
    for name, values in columns.items():
        frame[name] = values
    path = tmp_path / "airline.csv"
    frame.to_csv(path, index=False)
    return path


def _assert_error(rc: int, capsys, *fragments: str) -> str:
    out, err = capsys.readouterr()
    assert rc == 2
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.startswith("bpforecast:")]
    assert lines and lines[-1].startswith("bpforecast: error:"), err
    for fragment in fragments:
        assert fragment in lines[-1], lines[-1]
    return lines[-1]


# ------------------------------------------------------------------ datasets
def test_datasets_lists_bundled_datasets(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in ("airline_passengers", "co2", "nile", "sunspots"):
        assert name in out
    assert "1949-01-01 to 1960-12-01" in out


def test_no_command_is_a_usage_error(capsys):
    _assert_error(main([]), capsys)


def test_help_exits_zero(capsys):
    assert main(["forecast", "--help"]) == 0
    assert "--horizon" in capsys.readouterr().out


# ------------------------------------------------------------------ forecast
def test_forecast_dataset_writes_csv_continuing_the_dates(tmp_path, capsys):
    out_csv = tmp_path / "fc.csv"
    rc = main(
        ["forecast", "dataset:airline_passengers", "--horizon", "6", "-o", str(out_csv)]
        + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    for text in (
        "Length:         144",
        "1949-01-01 to 1960-12-01",
        "Frequency:      MS",
        "Season length:  12",
        "Lags:           1..12",
        "Strategy:       recursive",
        "Transform:      log and none, two pipelines averaged",
        "Models:         2 (1 per pipeline)",
        "Time taken:",
        "1961-06-01",
    ):
        assert text in out
    table = pd.read_csv(out_csv, parse_dates=["ds"])
    assert list(table.columns) == ["ds", "forecast", "lower", "upper"]
    expected = pd.date_range("1961-01-01", periods=6, freq="MS")
    assert (table["ds"] == expected).all()
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    assert table["forecast"].between(200, 1000).all()


def test_forecast_csv_with_date_column_round_trips(tmp_path, capsys):
    path = _airline_csv(tmp_path, note="x")  # a text column is ignored
    out_csv = tmp_path / "fc.csv"
    rc = main(
        [
            "forecast",
            str(path),
            "--date-column",
            "month",
            "--horizon",
            "3",
            "--lags",
            "1,2,12",
            "--coverage",
            "0.8",
            "-o",
            str(out_csv),
        ]
        + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "passengers" in out and "Lags:           1, 2, 12" in out
    assert "80% prediction intervals" in out
    table = pd.read_csv(out_csv, parse_dates=["month"], index_col="month")
    assert list(table.columns) == ["forecast", "lower", "upper"]
    # The written dates read back as the series' continuation.
    continued = pd.date_range(y_end := "1960-12-01", periods=4, freq="MS")[1:]
    assert table.index.tolist() == continued.tolist() and y_end in out
    # Same data through the loader: same values, frequency set.
    data = load_series(str(path), date_column="month")
    assert data.column == "passengers" and data.y.index.freqstr == "MS"
    np.testing.assert_array_equal(data.y.to_numpy(), load_airline_passengers())


def test_forecast_sorts_unsorted_dates(tmp_path, capsys):
    path = _airline_csv(tmp_path)
    frame = pd.read_csv(path).iloc[::-1]
    frame.to_csv(path, index=False)
    rc = main(
        ["forecast", str(path), "--date-column", "month", "--horizon", "2"] + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0
    assert "sorted" in err and "1961-02-01" in out


def test_forecast_without_dates_uses_positions(tmp_path, capsys):
    path = tmp_path / "plain.csv"
    pd.DataFrame({"value": load_nile().to_numpy()}).to_csv(path, index=False)
    out_csv = tmp_path / "fc.csv"
    rc = main(["forecast", str(path), "--horizon", "4", "-o", str(out_csv)] + FAST)
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "none (rows numbered)" in out
    table = pd.read_csv(out_csv)
    assert list(table.columns) == ["index", "forecast", "lower", "upper"]
    assert table["index"].tolist() == [100, 101, 102, 103]


def test_forecast_short_series_writes_without_intervals(tmp_path, capsys):
    path = tmp_path / "short.csv"
    y = 10 + np.sin(np.arange(30) / 2)
    pd.DataFrame({"y": y}).to_csv(path, index=False)
    out_csv = tmp_path / "fc.csv"
    rc = main(
        ["forecast", str(path), "--horizon", "3", "--lags", "3", "-o", str(out_csv)]
        + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "without prediction intervals" in out
    assert "bpforecast: note:" in err and "intervals" in err
    assert "Traceback" not in err
    table = pd.read_csv(out_csv)
    assert list(table.columns) == ["index", "forecast"]
    assert len(table) == 3


def test_forecast_direct_strategy(capsys):
    rc = main(
        ["forecast", "dataset:nile", "--horizon", "3", "--strategy", "direct"] + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Strategy:       direct" in out and "1973-01-01" in out


def test_forecast_with_exog(tmp_path, capsys):
    n, steps = 120, 4
    t = np.arange(n + steps)
    x = np.sin(t / 3)
    y = 5 + 2 * x + 0.01 * t
    path = tmp_path / "data.csv"
    pd.DataFrame({"y": y[:n], "x": x[:n]}).to_csv(path, index=False)
    future = tmp_path / "future.csv"
    pd.DataFrame({"x": x[n:]}).to_csv(future, index=False)
    out_csv = tmp_path / "fc.csv"
    args = ["forecast", str(path), "--column", "y", "--horizon", str(steps)]
    args += ["--exog-columns", "x", "-o", str(out_csv)] + FAST
    assert main(args) == 2  # --exog-columns without --future-exog
    _assert_error(2, capsys, "--future-exog")
    rc = main(args + ["--future-exog", str(future)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Exog columns:   x" in out
    table = pd.read_csv(out_csv)
    assert len(table) == steps
    np.testing.assert_allclose(table["forecast"], y[n:], atol=0.5)
    # Too few future rows.
    pd.DataFrame({"x": x[n : n + 2]}).to_csv(future, index=False)
    _assert_error(main(args + ["--future-exog", str(future)]), capsys, "rows")


def test_forecast_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "fc.png"
    rc = main(["forecast", "dataset:nile", "--horizon", "5", "--plot", str(png)] + FAST)
    assert rc == 0, capsys.readouterr().err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


def test_plot_without_matplotlib_says_how_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    png = tmp_path / "fc.png"
    rc = main(["forecast", "dataset:nile", "--horizon", "2", "--plot", str(png)])
    _assert_error(rc, capsys, "matplotlib", "pip install 'bpforecast[plot]'")
    assert not png.exists()


# ------------------------------------------------------------------ backtest
def test_backtest_prints_metrics_and_writes_folds(tmp_path, capsys):
    folds_csv = tmp_path / "folds.csv"
    rc = main(
        ["backtest", "dataset:nile", "--horizon", "5", "-o", str(folds_csv)] + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Backtest: 3 folds, horizon 5" in out
    assert "Initial:        85" in out
    for metric in ("mae", "rmse", "smape", "mase"):
        assert metric in out
    folds = pd.read_csv(folds_csv)
    assert list(folds.columns) == [
        "model",
        "fold",
        "origin",
        "time",
        "step",
        "actual",
        "forecast",
    ]
    assert len(folds) == 15 and set(folds["model"]) == {"BPForecaster"}


def test_backtest_with_baselines_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "bt.png"
    folds_csv = tmp_path / "folds.csv"
    rc = main(
        [
            "backtest",
            "dataset:airline_passengers",
            "--horizon",
            "6",
            "--initial",
            "126",
            "--no-refit",
            "--baselines",
            "--plot",
            str(png),
            "-o",
            str(folds_csv),
        ]
        + FAST
    )
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Refit:          first origin only" in out
    table = out[out.index("Mean over folds") :].splitlines()
    header = table[1].split()
    assert header == ["smape", "mase", "mae", "rmse"]
    rows = {line.split()[0]: line.split()[1:] for line in table[3:7]}
    assert set(rows) == {"BPForecaster", "SeasonalNaive", "Theta", "ETS"}
    for values in rows.values():
        assert len(values) == 4 and all(np.isfinite([float(v) for v in values]))
    folds = pd.read_csv(folds_csv)
    assert folds.groupby("model").size().to_dict() == {
        "BPForecaster": 18,
        "ETS": 18,
        "SeasonalNaive": 18,
        "Theta": 18,
    }
    assert png.stat().st_size > 10_000


def test_backtest_default_initial_stays_valid_for_short_series(tmp_path, capsys):
    path = tmp_path / "short.csv"
    pd.DataFrame({"y": 10 + np.sin(np.arange(40) / 2)}).to_csv(path, index=False)
    rc = main(["backtest", str(path), "--horizon", "6", "--lags", "4"] + FAST)
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "Initial:        22" in out


# ------------------------------------------------------------------ errors
def test_parse_lags():
    assert parse_lags("auto") == "auto"
    assert parse_lags("3") == 3
    assert parse_lags("12,1,2") == [12, 1, 2]
    for bad in ("0", "-1", "1.5", "a,b", "", "1,,2", "1,0"):
        with pytest.raises(ValueError, match="--lags"):
            parse_lags(bad)


@pytest.mark.parametrize("lags", ["0", "-2", "x", "1,0", "1.5"])
def test_bad_lags(lags, capsys):
    rc = main(["forecast", "dataset:nile", "--horizon", "2", "--lags", lags])
    _assert_error(rc, capsys, "--lags")


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--horizon", "0"], "--horizon"),
        (["--horizon", "2", "--coverage", "1.5"], "--coverage"),
        (["--horizon", "2", "--n-models", "0"], "--n-models"),
        (["--horizon", "2", "--strategy", "bogus"], "--strategy"),
        (["--horizon", "2", "--seed", "-3"], "--seed"),
    ],
)
def test_bad_options(extra, fragment, capsys):
    _assert_error(main(["forecast", "dataset:nile", *extra]), capsys, fragment)


def _write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "content, extra, fragment",
    [
        # unreadable CSV
        ("", [], "empty"),
        ('a,b\n1,"2\n', [], "cannot read"),
        (b"\xff\xfe\x00\x81\x00bad", [], "cannot read"),
        # column problems
        ("y\n1\n2\n3\n", ["--column", "z"], "'z' not found"),
        ("a,b\n1,2\n3,4\n", [], "choose one with --column"),
        ("a\nx\ny\n", [], "no numeric column"),
        ("y\n1\n2\nabc\n4\n", ["--column", "y"], "not numeric"),
        ("x,y\n" + "1,2\n" * 20 + "3,\n", ["--column", "y"], "missing"),
        ("y\n1\nnan\n3\n" + "4\n" * 40, [], "missing"),
        # date problems
        ("ds,y\n2020-01-01,1\n2020-01-02,2\n2020-01-05,3\n2020-01-09,4\n", [], ""),
        ("ds,y\n2020-01-01,1\n2020-01-01,2\n2020-01-02,3\n", [], "duplicate"),
        ("ds,y\nfoo,1\nbar,2\nbaz,3\n", [], "parse the dates"),
        ("y\n1\n2\n3\n", ["--date-column", "when"], "'when' not found"),
        # too short
        ("y\n" + "".join(f"{v}\n" for v in range(12)), [], "too short"),
        ("y\n1\n2\n", [], "too short"),
    ],
    ids=[
        "empty-file",
        "bad-quoting",
        "binary",
        "missing-column",
        "ambiguous-column",
        "no-numeric-column",
        "non-numeric",
        "empty-value",
        "nan",
        "irregular-dates",
        "duplicate-dates",
        "unparseable-dates",
        "missing-date-column",
        "too-short",
        "very-short",
    ],
)
def test_bad_input(tmp_path, capsys, content, extra, fragment):
    path = _write(tmp_path, content)
    if isinstance(content, str) and content.startswith("ds,"):
        extra = [*extra, "--date-column", "ds"]
    rc = main(["forecast", path, "--horizon", "2", *extra] + FAST)
    line = _assert_error(rc, capsys, fragment)
    if fragment == "":
        assert "regular frequency" in line


def test_missing_file(tmp_path, capsys):
    missing = str(tmp_path / "nope.csv")
    _assert_error(
        main(["forecast", missing, "--horizon", "2"]), capsys, "does not exist"
    )
    _assert_error(main(["backtest", missing, "--horizon", "2"]), capsys, "nope.csv")
    _assert_error(
        main(["forecast", str(tmp_path), "--horizon", "2"]), capsys, "not a file"
    )


def test_unknown_dataset(capsys):
    rc = main(["forecast", "dataset:nope", "--horizon", "2"])
    _assert_error(rc, capsys, "unknown dataset", "airline_passengers")


def test_backtest_too_short(tmp_path, capsys):
    path = _write(tmp_path, "y\n" + "".join(f"{v % 5}\n" for v in range(20)))
    _assert_error(main(["backtest", path, "--horizon", "8"] + FAST), capsys)
    rc = main(["backtest", "dataset:nile", "--horizon", "5", "--initial", "99"])
    _assert_error(rc, capsys, "exceeds the series length")


# ------------------------------------------------------------------ module
@pytest.mark.slow
def test_python_dash_m_forecast(tmp_path):
    pytest.importorskip("matplotlib")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), MPLBACKEND="Agg")
    command = [sys.executable, "-m", "bpforecast", "forecast"]
    command += ["dataset:airline_passengers", "--horizon", "12", "--n-models", "1"]
    command += ["-o", "out.csv", "--plot", "out.png"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Season length:  12" in done.stdout
    table = pd.read_csv(tmp_path / "out.csv", parse_dates=["ds"])
    assert len(table) == 12
    assert list(table.columns) == ["ds", "forecast", "lower", "upper"]
    assert str(table["ds"].iloc[0].date()) == "1961-01-01"
    assert str(table["ds"].iloc[-1].date()) == "1961-12-01"
    png = tmp_path / "out.png"
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000


def test_the_model_lines_name_the_pipelines():
    from bpforecast import BPForecaster
    from bpforecast.cli import _describe_pipelines

    y = load_nile()
    single = BPForecaster(n_models=1, transform="auto", random_state=0).fit(y)
    assert _describe_pipelines(single) == ["Transform:      log", "Models:         1"]
    level = BPForecaster(n_models=3, random_state=0).fit(y - 1000.0)
    assert _describe_pipelines(level) == ["Transform:      none", "Models:         3"]
