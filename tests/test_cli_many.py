"""Tests of ``bpforecast forecast`` on a long CSV of many series (issue 13)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bpforecast.cli import main
from bpforecast.io.csv import LoadedPanel, LoadedSeries, find_id_column, load_data

FAST = ["--n-models", "1", "--seed", "0"]

# id, number of values, first month: series of different lengths and starts.
SERIES = [("a", 60, "2000-01-01"), ("b", 54, "2001-07-01"), ("c", 48, "2003-03-01")]


def _long_frame(series=SERIES, id_name="unique_id", date_name="ds", value="y"):
    rng = np.random.default_rng(0)
    parts = []
    for k, (uid, n, start) in enumerate(series):
        t = np.arange(n)
        y = 10 * (k + 1) + np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.1, n)
        dates = pd.date_range(start, periods=n, freq="MS").strftime("%Y-%m-%d")
        parts.append(pd.DataFrame({id_name: uid, date_name: dates, value: y}))
    return pd.concat(parts, ignore_index=True)


def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "long.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def _error(rc: int, err: str, *fragments: str) -> str:
    assert rc == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("bpforecast:")]
    assert lines and lines[-1].startswith("bpforecast: error:"), err
    for fragment in fragments:
        assert fragment in lines[-1], lines[-1]
    return lines[-1]


def _expected_dates(series, horizon: int) -> dict[str, list[str]]:
    """The ``horizon`` months after each series' last one."""
    out = {}
    for uid, n, start in series:
        last = pd.date_range(start, periods=n, freq="MS")[-1]
        future = pd.date_range(last, periods=horizon + 1, freq="MS")[1:]
        out[uid] = list(future.strftime("%Y-%m-%d"))
    return out


def _check_table(table: pd.DataFrame, series, horizon: int) -> None:
    assert list(pd.unique(table["unique_id"])) == [s[0] for s in series]
    expected = _expected_dates(series, horizon)
    for uid, rows in table.groupby("unique_id", sort=False):
        assert rows["ds"].astype(str).tolist() == expected[uid]
    assert np.isfinite(table["forecast"]).all()


# ------------------------------------------------------------------ local
def test_local_forecasts_every_series_with_its_own_dates(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "4", "-o", str(out_csv), *FAST
    )
    assert rc == 0, err
    assert "using column 'unique_id'" in err and "(3 series)" in err
    assert "3 series of y" in out
    assert "BPForecaster per series" in out
    assert "Forecast, 4 steps for 3 series with 90% prediction intervals" in out
    assert f"Wrote 12 forecasts of 3 series to {out_csv}" in out
    table = pd.read_csv(out_csv)
    assert table.columns.tolist() == ["unique_id", "ds", "forecast", "lower", "upper"]
    _check_table(table, SERIES, 4)
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    # Each series is forecast near its own level (10, 20, 30).
    means = table.groupby("unique_id")["forecast"].mean()
    assert means.round(-1).tolist() == [10.0, 20.0, 30.0]


def test_jobs_2_gives_the_same_forecasts_as_jobs_1(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    tables = []
    for jobs in ("1", "2"):
        out_csv = tmp_path / f"fc{jobs}.csv"
        rc, out, err = _run(
            capsys,
            "forecast",
            str(path),
            "--horizon",
            "3",
            "--jobs",
            jobs,
            "-o",
            str(out_csv),
            *FAST,
        )
        assert rc == 0, err
        assert f"{jobs} job" in out
        tables.append(pd.read_csv(out_csv))
    pd.testing.assert_frame_equal(tables[0], tables[1])


def test_short_series_are_forecast_without_intervals(tmp_path, capsys):
    series = [("a", 60, "2000-01-01"), ("short", 30, "2000-01-01")]
    path = _write(tmp_path, _long_frame(series))
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "3", "-o", str(out_csv), *FAST
    )
    assert rc == 0, err
    assert "too short for prediction intervals" in err and "'short'" in err
    table = pd.read_csv(out_csv)
    _check_table(table, series, 3)
    short = table[table["unique_id"] == "short"]
    assert short[["lower", "upper"]].isna().all().all()
    assert table.loc[table["unique_id"] == "a", "lower"].notna().all()


# ------------------------------------------------------------------ global
def test_global_forecasts_every_series_with_intervals(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys,
        "forecast",
        str(path),
        "--horizon",
        "4",
        "--global",
        "--coverage",
        "0.8",
        "-o",
        str(out_csv),
        "--seed",
        "0",
    )
    assert rc == 0, err
    assert "GlobalForecaster" in out
    assert "with 80% prediction intervals" in out
    table = pd.read_csv(out_csv)
    assert table.columns.tolist() == ["unique_id", "ds", "forecast", "lower", "upper"]
    _check_table(table, SERIES, 4)
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    means = table.groupby("unique_id")["forecast"].mean()
    assert means.round(-1).tolist() == [10.0, 20.0, 30.0]


def test_global_is_repeatable_with_a_seed(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    tables = []
    for k in range(2):
        out_csv = tmp_path / f"fc{k}.csv"
        argv = ["forecast", str(path), "--horizon", "2", "--global", "-o", str(out_csv)]
        rc, _, err = _run(capsys, *argv)
        assert rc == 0, err
        tables.append(pd.read_csv(out_csv))
    pd.testing.assert_frame_equal(tables[0], tables[1])


@pytest.mark.parametrize(
    "option", [["--lags", "3"], ["--strategy", "direct"], ["--solver", "trainlm"]]
)
def test_global_refuses_local_only_options(tmp_path, capsys, option):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--global", *option
    )
    _error(rc, err, option[0], "does not apply to --global")


def test_global_needs_many_series(tmp_path, capsys):
    frame = _long_frame(SERIES[:1]).drop(columns="unique_id")
    path = _write(tmp_path, frame)
    rc, _, err = _run(capsys, "forecast", str(path), "--horizon", "2", "--global")
    _error(rc, err, "--global needs many series", "--id-column")


# ------------------------------------------------------------------ combine
MEMBERS = ["GlobalForecaster", "Theta", "ETS"]


def test_combine_forecast_is_the_median_of_the_member_columns(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    before = path.read_bytes()
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "3", "--combine", "-o",
        str(out_csv), *FAST,
    )  # fmt: skip
    assert rc == 0, err
    assert path.read_bytes() == before  # the input file is left alone
    assert (
        "Model:          CombinationForecaster, median of GlobalForecaster (3 "
        "networks, lookbacks 12, 12, 12), Theta (M4) and ETS, 1 job"
    ) in out
    assert "3 steps for 3 series with 90% prediction intervals" in out
    assert "forecast is the median of the member columns" in out
    assert "GlobalForecaster  Theta" in out  # the members are printed too
    table = pd.read_csv(out_csv)
    columns = ["unique_id", "ds", "forecast", "lower", "upper", *MEMBERS]
    assert table.columns.tolist() == columns
    _check_table(table, SERIES, 3)
    members = table[MEMBERS].to_numpy()
    assert np.isfinite(members).all()
    np.testing.assert_allclose(table["forecast"], np.median(members, axis=1))
    means = table.groupby("unique_id")["forecast"].mean()
    assert means.round(-1).tolist() == [10.0, 20.0, 30.0]


def test_combine_notes_a_member_that_fails_on_a_series(tmp_path, capsys):
    # 3 values: too short for the global member's windows (horizon + 1 = 4),
    # which is refitted without it; Theta and ETS still forecast it.
    series = [*SERIES, ("tiny", 3, "2000-01-01")]
    path = _write(tmp_path, _long_frame(series))
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "3", "--combine", "-o",
        str(out_csv), *FAST,
    )  # fmt: skip
    assert rc == 0, err
    assert (
        "note: member GlobalForecaster gave no forecast for series 'tiny', whose "
        "forecast is the median of the other members: 3 values are too short"
    ) in err
    assert "Skipped" not in out
    table = pd.read_csv(out_csv)
    _check_table(table, series, 3)
    tiny = table[table["unique_id"] == "tiny"]
    assert tiny["GlobalForecaster"].isna().all()
    np.testing.assert_allclose(tiny["forecast"], tiny[["Theta", "ETS"]].mean(axis=1))
    assert table.loc[table["unique_id"] != "tiny", MEMBERS].notna().all().all()


@pytest.mark.parametrize(
    "option",
    [
        ["--lags", "3"],
        ["--strategy", "direct"],
        ["--solver", "trainscg"],
    ],
)
def test_combine_refuses_options_that_do_not_apply(tmp_path, capsys, option):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--combine", *option
    )
    _error(rc, err, f"{option[0]} does not apply to --combine")


def test_combine_writes_intervals_at_the_coverage(tmp_path, capsys):
    # Six series: with K series the half-width is one of K errors per step,
    # and with 3 both coverages would take the largest.
    series = [(f"s{k}", 40, "2000-01-01") for k in range(6)]
    path = _write(tmp_path, _long_frame(series))
    tables = {}
    for coverage in ("0.5", "0.95"):
        out_csv = tmp_path / f"fc{coverage}.csv"
        rc, out, err = _run(
            capsys, "forecast", str(path), "--horizon", "3", "--combine",
            "--coverage", coverage, "-o", str(out_csv), *FAST,
        )  # fmt: skip
        assert rc == 0, err
        assert f"with {float(coverage):.0%} prediction intervals" in out
        assert "too short" not in err
        tables[coverage] = pd.read_csv(out_csv)
    narrow, wide = tables["0.5"], tables["0.95"]
    _check_table(narrow, series, 3)
    assert (narrow["lower"] < narrow["forecast"]).all()
    assert (narrow["forecast"] < narrow["upper"]).all()
    pd.testing.assert_series_equal(narrow["forecast"], wide["forecast"])
    assert (wide["upper"] - wide["lower"] > narrow["upper"] - narrow["lower"]).all()
    np.testing.assert_allclose(narrow["forecast"], np.median(narrow[MEMBERS], axis=1))


def test_combine_too_short_for_intervals_writes_forecasts_with_a_note(tmp_path, capsys):
    # Holding out the last 4 values leaves 'b' and 'c' nothing to fit on:
    # only 'a' could be calibrated, and intervals need 2 series.
    series = [("a", 30, "2000-01-01"), ("b", 4, "2001-01-01"), ("c", 4, "2002-01-01")]
    path = _write(tmp_path, _long_frame(series))
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "4", "--combine", "-o",
        str(out_csv), *FAST,
    )  # fmt: skip
    assert rc == 0, err
    assert "too short for prediction intervals; writing the forecasts" in err
    assert "only 1 of the 3 series can be calibrated" in err
    assert "4 steps for 3 series without prediction intervals" in out
    table = pd.read_csv(out_csv)
    assert table.columns.tolist() == ["unique_id", "ds", "forecast", *MEMBERS]
    _check_table(table, series, 4)


def test_combine_and_global_are_exclusive(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--combine", "--global"
    )
    _error(rc, err, "--combine", "not allowed with", "--global")


def test_combine_needs_many_series(tmp_path, capsys):
    frame = _long_frame(SERIES[:1]).drop(columns="unique_id")
    path = _write(tmp_path, frame)
    rc, _, err = _run(capsys, "forecast", str(path), "--horizon", "2", "--combine")
    _error(rc, err, "--combine needs many series", "--id-column")


# ------------------------------------------------------------ the id column
def test_explicit_id_column_with_integer_ids_and_other_names(tmp_path, capsys):
    frame = _long_frame(id_name="store", date_name="month", value="sales")
    frame["store"] = frame["store"].map({"a": 101, "b": 102, "c": 103})
    path = _write(tmp_path, frame)
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys,
        "forecast",
        str(path),
        "--id-column",
        "store",
        "--horizon",
        "2",
        "-o",
        str(out_csv),
        *FAST,
    )
    assert rc == 0, err
    assert "series ids" not in err  # given, not found
    assert "3 series of sales" in out and "ids in 'store'" in out
    table = pd.read_csv(out_csv)
    series = [
        (uid, n, start)
        for (_, n, start), uid in zip(SERIES, (101, 102, 103), strict=True)
    ]
    assert table["unique_id"].tolist() == [101, 101, 102, 102, 103, 103]
    expected = _expected_dates(series, 2)
    for uid, rows in table.groupby("unique_id"):
        assert rows["ds"].tolist() == expected[uid]


def test_id_column_without_dates_numbers_the_rows_per_series(tmp_path, capsys):
    frame = _long_frame().drop(columns="ds")
    path = _write(tmp_path, frame)
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys,
        "forecast",
        str(path),
        "--id-column",
        "unique_id",
        "--horizon",
        "2",
        "--season-length",
        "12",
        "-o",
        str(out_csv),
        *FAST,
    )
    assert rc == 0, err
    assert "rows numbered per series" in out
    table = pd.read_csv(out_csv)
    assert table.groupby("unique_id", sort=False)["ds"].apply(list).to_dict() == {
        "a": [60, 61],
        "b": [54, 55],
        "c": [48, 49],
    }


def test_two_possible_id_columns_are_an_error(tmp_path, capsys):
    frame = _long_frame()
    frame["region"] = np.where(frame["unique_id"] == "a", "north", "south")
    path = _write(tmp_path, frame)
    rc, _, err = _run(capsys, "forecast", str(path), "--horizon", "2", *FAST)
    _error(rc, err, "'unique_id'", "'region'", "--id-column")
    # Naming one resolves it.
    rc, out, err = _run(
        capsys,
        "forecast",
        str(path),
        "--horizon",
        "2",
        "--id-column",
        "unique_id",
        *FAST,
    )
    assert rc == 0, err
    assert "3 series of y" in out


def test_missing_id_column_is_named(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--id-column", "store"
    )
    _error(rc, err, "'store' not found", "'unique_id'")


def test_a_repeated_text_column_with_unique_dates_is_still_one_series(tmp_path, capsys):
    frame = _long_frame(SERIES[:1]).drop(columns="unique_id")
    frame["quarter_note"] = np.where(np.arange(len(frame)) % 2 == 0, "even", "odd")
    path = _write(tmp_path, frame)
    rc, out, err = _run(capsys, "forecast", str(path), "--horizon", "2", *FAST)
    assert rc == 0, err
    assert "Series:         y from" in out and "Length:         60" in out
    assert "series ids" not in err


def test_load_data_and_find_id_column():
    frame = _long_frame()
    assert find_id_column(frame, exclude=["ds"]) == "unique_id"
    assert find_id_column(frame.drop(columns="unique_id"), exclude=["ds"]) is None
    assert find_id_column(frame.drop_duplicates("unique_id"), exclude=["ds"]) is None


def test_load_data_reads_one_series_as_load_series(tmp_path):
    assert isinstance(load_data("dataset:nile"), LoadedSeries)
    panel = load_data(str(_write(tmp_path, _long_frame())), warn=lambda m: None)
    assert isinstance(panel, LoadedPanel)
    assert panel.n_series == 3 and panel.data.columns.tolist() == [
        "unique_id",
        "ds",
        "y",
    ]
    assert len(panel.data) == sum(n for _, n, _ in SERIES)


# -------------------------------------------------------------- bad series
def _with_nan_in_b(tmp_path: Path) -> Path:
    frame = _long_frame()
    frame.loc[frame.index[frame["unique_id"] == "b"][5], "y"] = np.nan
    return _write(tmp_path, frame)


@pytest.mark.parametrize("mode", [[], ["--global"], ["--combine"]])
def test_a_bad_series_is_named(tmp_path, capsys, mode):
    path = _with_nan_in_b(tmp_path)
    rc, _, err = _run(capsys, "forecast", str(path), "--horizon", "2", *mode, *FAST)
    _error(rc, err, "series 'b'", "--skip-bad-series")


@pytest.mark.parametrize("mode", [[], ["--global"], ["--combine"]])
def test_skip_bad_series_leaves_it_out_with_a_note(tmp_path, capsys, mode):
    path = _with_nan_in_b(tmp_path)
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys,
        "forecast",
        str(path),
        "--horizon",
        "2",
        "--skip-bad-series",
        "-o",
        str(out_csv),
        *mode,
        *FAST,
    )
    assert rc == 0, err
    assert "note: skipped series 'b'" in err
    assert "Skipped:        1 series" in out
    table = pd.read_csv(out_csv)
    _check_table(table, [SERIES[0], SERIES[2]], 2)


@pytest.mark.parametrize(
    ("mode", "target"),
    [
        (["--global"], "bpforecast.cli.GlobalForecaster.fit"),
        (["--combine"], "bpforecast.cli.CombinationForecaster.fit"),
    ],
)
def test_skipping_an_error_about_an_unknown_series_stops(
    tmp_path, capsys, monkeypatch, mode, target
):
    """A SeriesError naming an id not in the data is raised, not retried."""
    from bpforecast.forecasting.multiseries import SeriesError

    calls = []

    def fit(self, data, *args, **kwargs):
        calls.append(1)
        if len(calls) > 3:  # the bug: the same fit retried for ever
            raise RuntimeError("the fit was retried after an unknown id")
        raise SeriesError("ghost", "something about a series that is not there")

    monkeypatch.setattr(target, fit)
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--skip-bad-series", *mode
    )
    _error(rc, err, "series 'ghost'")
    assert len(calls) == 1


def test_a_series_too_short_is_named(tmp_path, capsys):
    series = [*SERIES, ("tiny", 4, "2000-01-01")]
    path = _write(tmp_path, _long_frame(series))
    rc, _, err = _run(capsys, "forecast", str(path), "--horizon", "2", *FAST)
    _error(rc, err, "series 'tiny'")


def test_every_series_bad_is_an_error_even_when_skipping(tmp_path, capsys):
    frame = _long_frame()
    frame["y"] = np.nan
    frame.loc[0, "y"] = 1.0
    path = _write(tmp_path, frame)
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--skip-bad-series", *FAST
    )
    _error(rc, err, "no series could be forecast")


def test_skip_bad_series_needs_many_series(capsys):
    rc, _, err = _run(
        capsys, "forecast", "dataset:nile", "--horizon", "2", "--skip-bad-series"
    )
    _error(rc, err, "--skip-bad-series needs many series")


# ------------------------------------------------------------ output, plot
def test_long_tables_are_cut_with_a_count(tmp_path, capsys):
    series = [(f"s{k}", 40, "2000-01-01") for k in range(6)]
    path = _write(tmp_path, _long_frame(series))
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "6", "--coverage", "0.5", *FAST
    )
    assert rc == 0, err
    assert "(36 rows)" in out
    assert "... 16 more rows (write them all with -o FILE.csv)" in out


@pytest.mark.parametrize("mode", [[], ["--combine"]])
def test_plot_draws_the_first_four_series(tmp_path, capsys, mode):
    pytest.importorskip("matplotlib")
    series = [(f"s{k}", 40, "2000-01-01") for k in range(5)]
    path = _write(tmp_path, _long_frame(series))
    png = tmp_path / "fc.png"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "3", "--plot", str(png),
        *mode, *FAST,
    )  # fmt: skip
    assert rc == 0, err
    assert "first 4 of 5 series ('s0', 's1', 's2', 's3')" in out
    assert png.stat().st_size > 1000


def test_future_exog_is_refused_for_many_series(tmp_path, capsys):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys,
        "forecast",
        str(path),
        "--horizon",
        "2",
        "--exog-columns",
        "x",
        "--future-exog",
        str(path),
    )
    assert rc == 2 and "bpforecast: error:" in err


@pytest.mark.parametrize(
    "solver,batch_size", [("trainscg", None), ("trainrp", None), ("traingdm", 256)]
)
def test_global_passes_the_solver_to_its_networks(
    tmp_path, capsys, monkeypatch, solver, batch_size
):
    from bpforecast.forecasting.global_model import GlobalForecaster

    fitted = []
    original = GlobalForecaster.fit

    def spy(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        fitted.append(self)
        return result

    monkeypatch.setattr(GlobalForecaster, "fit", spy)
    path = _write(tmp_path, _long_frame())
    out_csv = tmp_path / "fc.csv"
    rc, out, err = _run(
        capsys, "forecast", str(path), "--horizon", "3", "--global", "--solver",
        solver, "-o", str(out_csv), *FAST,
    )  # fmt: skip
    assert rc == 0, err
    kind = "full batch" if batch_size is None else "mini-batches"
    assert f"{solver} {kind}" in out
    members = fitted[0].models_
    assert len(members) == 3  # one per lookback
    for m in members:
        assert (m.solver, m.batch_size, m.hidden_layer_sizes) == (
            solver,
            batch_size,
            (32, 32),
        )
        assert m.n_iter_ >= 1
    _check_table(pd.read_csv(out_csv), SERIES, 3)


@pytest.mark.parametrize("solver", ["trainlm", "trainbr"])
def test_global_refuses_jacobian_solvers_naming_the_size(tmp_path, capsys, solver):
    path = _write(tmp_path, _long_frame())
    rc, _, err = _run(
        capsys, "forecast", str(path), "--horizon", "2", "--global", "--solver", solver
    )
    _error(rc, err, f"--solver {solver}", "does not apply to --global", "Jacobian",
           "20 GB", "trainscg")  # fmt: skip
