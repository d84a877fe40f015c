"""The ``bpforecast`` command line: forecast and backtest a series in a CSV file.

Three sub-commands::

    bpforecast forecast data.csv --column y [--date-column ds] --horizon 24
        [--lags auto|N|1,2,12] [--season-length M]
        [--strategy recursive|direct|mimo] [--n-models K] [--coverage 0.9]
        [--exog-columns a,b --future-exog future.csv] [--seed S]
        [--plot forecast.png] [-o forecast.csv]
        [--id-column ID] [--global | --combine] [--jobs N] [--skip-bad-series]
    bpforecast backtest data.csv --column y [--date-column ds] --horizon 12
        [--initial N] [--step N] [--no-refit] [--baselines] [--lags ...]
        [--seed S] [--plot backtest.png] [-o folds.csv]
    bpforecast datasets

``data.csv`` may also be ``dataset:NAME``, a bundled dataset (see
``bpforecast datasets``), whose date column ``ds`` is then used
automatically. A long CSV of many series (an id, a date and a value
column; the id column found when the dates repeat, or named with
``--id-column``) is forecast series by series (a BPForecaster each, ``--jobs``
processes), with one GlobalForecaster (``--global``) or with the median of a
GlobalForecaster, Theta and ETS (``--combine``, a CombinationForecaster); the
long table ``unique_id, ds, forecast, lower, upper`` (with ``--combine``,
then a column per member) is printed and written with ``-o``, and
``--skip-bad-series`` leaves out the series that cannot be fitted.
Problems with the input (a missing file, a missing or
non-numeric column, missing values, irregular dates, a series too short for
the model, bad option values) end the command with a one-line message that
starts with ``bpforecast: error:`` on stderr and exit status 2.

Examples
--------
>>> from bpforecast.cli import main
>>> main(["datasets"])
airline_passengers    144 values  MS      1949-01-01 to 1960-12-01
co2                   526 values  MS      1958-03-01 to 2001-12-01
nile                  100 values  YS-JAN  1871-01-01 to 1970-01-01
sunspots              309 values  YS-JAN  1700-01-01 to 2008-01-01
Use one as the data argument, e.g. bpforecast forecast dataset:nile --horizon 10
0
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from ._version import __version__
from .datasets import list_datasets, load_dataset
from .evaluation.backtesting import BacktestResult, backtest
from .forecasting.baselines import ETS, SeasonalNaive, Theta, infer_season_length
from .forecasting.combination import (
    CombinationForecaster,
    MemberFailedWarning,
    default_members,
)
from .forecasting.forecaster import MIN_WINDOWS, BPForecaster, default_regressor
from .forecasting.global_model import (
    JACOBIAN_SOLVERS,
    GlobalForecaster,
    default_global_regressor,
)
from .forecasting.multiseries import SeriesError, SkippedSeriesWarning, forecast_many
from .forecasting.series import future_index
from .forecasting.windowing import describe_lags, normalize_lags
from .io.csv import (
    DATASET_PREFIX,
    LoadedPanel,
    LoadedSeries,
    load_data,
    load_series,
    read_future_exog,
)
from .io.csv import format_time as _format_time
from .io.csv import note as _note
from .nn.solvers import SOLVER_NAMES
from .plotting._backend import PLOT_HINT, _figure
from .plotting.forecast import plot_forecast

__all__ = ["main", "build_parser", "load_series", "parse_lags"]

PROG = "bpforecast"

METRIC_COLUMNS = ["smape", "mase", "mae", "rmse"]
TABLE_ROWS = 12
#: Rows of the long forecast table printed for many series.
MANY_TABLE_ROWS = 20
#: Series drawn by ``--plot`` for many series (the first ones, in file order).
PLOT_SERIES = 4


# --------------------------------------------------------------------- parsing
class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors read ``bpforecast: error: ...`` (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def parse_lags(text: str) -> str | int | list[int]:
    """Parse the ``--lags`` option: ``auto``, ``N`` (lags 1..N) or ``1,2,12``.

    Parameters
    ----------
    text : str

    Returns
    -------
    'auto', int or list of int
        In the form :class:`~bpforecast.BPForecaster` takes as ``lags``.

    Raises
    ------
    ValueError
        For anything else (zero, negative or non-integer lags, empty lists).

    Examples
    --------
    >>> from bpforecast.cli import parse_lags
    >>> parse_lags("auto"), parse_lags("12"), parse_lags("1, 2, 12")
    ('auto', 12, [1, 2, 12])
    >>> parse_lags("0")
    Traceback (most recent call last):
    ...
    ValueError: --lags must be 'auto', a positive integer N (lags 1..N) or a comma-separated list of positive integers such as 1,2,12; got '0'.
    """  # noqa: E501
    value = text.strip()
    if value.lower() == "auto":
        return "auto"
    message = (
        "--lags must be 'auto', a positive integer N (lags 1..N) or a "
        "comma-separated list of positive integers such as 1,2,12; "
        f"got {text!r}."
    )
    try:
        parts = [int(part) for part in value.split(",")]
    except ValueError:
        raise ValueError(message) from None
    lags: int | list[int] = parts[0] if "," not in value else parts
    try:
        normalize_lags(lags)
    except (TypeError, ValueError):
        raise ValueError(message) from None
    return lags


def _lags_type(text: str) -> str | int | list[int]:
    try:
        return parse_lags(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--lags ")) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"must be an integer from 0 to 2**32 - 1, got {text!r}"
        )
    return value


def _coverage(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a number between 0 and 1 (e.g. 0.9), got {text!r}"
        )
    return value


def _column_list(text: str) -> list[str]:
    columns = [part.strip() for part in text.split(",") if part.strip()]
    if not columns:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated column names, got {text!r}"
        )
    return columns


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``bpforecast`` command.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> from bpforecast.cli import build_parser
    >>> args = build_parser().parse_args(
    ...     ["forecast", "dataset:nile", "--horizon", "5", "--lags", "1,2"]
    ... )
    >>> args.command, args.horizon, args.lags, args.coverage
    ('forecast', 5, [1, 2], 0.9)
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "Time-series forecasting with MATLAB-style back-propagation networks."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    data = _Parser(add_help=False)
    group = data.add_argument_group("data")
    group.add_argument(
        "data",
        help="CSV file, or dataset:NAME for a bundled dataset (see 'datasets')",
    )
    group.add_argument(
        "--column",
        help="column to forecast (default: the only numeric column)",
    )
    group.add_argument(
        "--date-column",
        help="column of dates: parsed, used as the index, frequency inferred "
        "(default: none, rows are numbered; 'ds' for bundled datasets)",
    )
    group.add_argument(
        "--horizon", type=_positive_int, required=True, help="steps to forecast"
    )

    model = _Parser(add_help=False)
    group = model.add_argument_group("model")
    group.add_argument(
        "--lags",
        type=_lags_type,
        default="auto",
        help="'auto' (default), N for lags 1..N, or a list such as 1,2,12",
    )
    group.add_argument(
        "--season-length",
        type=_positive_int,
        help="periods per season (default: from the date frequency)",
    )
    group.add_argument(
        "--strategy",
        choices=["recursive", "direct", "mimo"],
        default="recursive",
        help="multi-step strategy (default: recursive)",
    )
    group.add_argument(
        "--n-models",
        type=_positive_int,
        default=None,
        help="networks trained from different random starts (default: "
        f"{BPForecaster().n_models} per pipeline, and a positive series has two, "
        "log and none; with --global, and for the GlobalForecaster "
        f"member of --combine, {GlobalForecaster().n_models} per lookback)",
    )
    group.add_argument(
        "--solver",
        choices=list(SOLVER_NAMES),
        default=None,
        help="training function of the networks (default: trainbr, which trains "
        "on all windows with Bayesian regularisation instead of early stopping; "
        "with --global, traingdx on mini-batches). With --global: traingd* keep "
        "mini-batches of 256 "
        "windows, trainscg and trainrp train full batch, trainlm and trainbr "
        "are refused (their Jacobian grows with windows x horizon x weights)",
    )
    group.add_argument(
        "--exog-columns",
        type=_column_list,
        help="comma-separated exogenous input columns of the data file",
    )
    group.add_argument(
        "--seed",
        type=_seed,
        default=0,
        help="random seed, for repeatable runs (default: 0)",
    )

    fc = commands.add_parser(
        "forecast",
        parents=[data, model],
        help="fit a forecaster and forecast the next --horizon values",
        description="Fit BPForecaster to a series and forecast it, with "
        "conformal prediction intervals.",
    )
    fc.add_argument(
        "--coverage",
        type=_coverage,
        default=0.9,
        help="prediction interval coverage (default: %(default)s)",
    )
    many = fc.add_argument_group(
        "many series (a long file: id, date and value columns)"
    )
    many.add_argument(
        "--id-column",
        help="column of series ids (default: found when the dates repeat and "
        "exactly one text column can hold the ids)",
    )
    mode = many.add_mutually_exclusive_group()
    mode.add_argument(
        "--global",
        dest="global_model",
        action="store_true",
        help="fit one GlobalForecaster on all series instead of a "
        "BPForecaster per series",
    )
    mode.add_argument(
        "--combine",
        action="store_true",
        help="forecast each series with the median of a GlobalForecaster "
        "(fitted on all series), the M4 Theta and ETS (a CombinationForecaster: "
        "the best method on our development benchmark); the output has "
        "conformal prediction intervals of the combination (--coverage) and a "
        "column per member",
    )
    many.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        help="parallel processes: series (local), ensemble members (--global), "
        "or both (--combine) (default: 1)",
    )
    many.add_argument(
        "--skip-bad-series",
        action="store_true",
        help="leave out the series that cannot be fitted, with a note "
        "(default: stop with an error naming the first)",
    )
    fc.add_argument(
        "--future-exog",
        help="CSV file with the future values of --exog-columns, one row per step",
    )
    fc.add_argument("--plot", metavar="PNG", help="write a plot of the forecast")
    fc.add_argument("-o", "--output", metavar="CSV", help="write the forecasts")

    bt = commands.add_parser(
        "backtest",
        parents=[data, model],
        help="rolling-origin evaluation, optionally against baselines",
        description="Forecast from successive origins and compare with the "
        "actual values (sMAPE, MASE, MAE, RMSE).",
    )
    bt.add_argument(
        "--initial",
        type=_positive_int,
        help="length of the first training series (default: length - 3 * horizon)",
    )
    bt.add_argument(
        "--step",
        type=_positive_int,
        help="distance between origins (default: the horizon)",
    )
    bt.add_argument(
        "--no-refit",
        dest="refit",
        action="store_false",
        help="fit once at the first origin instead of at every origin",
    )
    bt.add_argument(
        "--baselines",
        action="store_true",
        help="also backtest SeasonalNaive, Theta and ETS",
    )
    bt.add_argument("--plot", metavar="PNG", help="write a plot of the folds")
    bt.add_argument("-o", "--output", metavar="CSV", help="write the fold forecasts")

    commands.add_parser(
        "datasets",
        help="list the bundled datasets",
        description="List the bundled datasets (usable as dataset:NAME).",
    )
    return parser


# ---------------------------------------------------------------- helpers
def _describe_index(index: pd.Index) -> tuple[str, str]:
    """(range, frequency) of an index, for the summaries."""
    span = f"{_format_time(index[0])} to {_format_time(index[-1])}"
    if isinstance(index, pd.DatetimeIndex) and index.freqstr is not None:
        return span, index.freqstr
    return span, "none (rows numbered)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _index_label(data: LoadedSeries) -> str:
    return data.date_column or "index"


def _make_regressor(solver: str | None):
    """The forecaster's default network for ``solver`` (None: its own default).

    See :func:`~bpforecast.forecasting.forecaster.default_regressor`.
    """
    return None if solver is None else default_regressor(solver=solver)


def _n_models(args: argparse.Namespace) -> int:
    if args.n_models is not None:
        return args.n_models
    if getattr(args, "global_model", False) or getattr(args, "combine", False):
        return GlobalForecaster().n_models
    return BPForecaster().n_models


def _make_forecaster(args: argparse.Namespace) -> BPForecaster:
    return BPForecaster(
        regressor=_make_regressor(getattr(args, "solver", None)),
        lags=args.lags,
        horizon=args.horizon,
        strategy=args.strategy,
        season_length=args.season_length,
        n_models=_n_models(args),
        random_state=args.seed,
    )


def _check_plot_available(path: str | None) -> None:
    """Fail before any work when ``--plot`` is given without matplotlib."""
    if path is None:
        return
    try:
        _figure()
    except ImportError:
        raise ValueError(
            f"--plot needs matplotlib, which is not installed: {PLOT_HINT}"
        ) from None


def _save_figure(fig: Any, path: str) -> None:
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise ValueError(f"cannot write plot {path!r}: {exc.strerror or exc}") from None


def _write_csv(frame: pd.DataFrame, path: str, **kwargs: Any) -> None:
    try:
        frame.to_csv(path, **kwargs)
    except OSError as exc:
        raise ValueError(f"cannot write {path!r}: {exc.strerror or exc}") from None


def _history_length(n: int, season_length: int, horizon: int) -> int:
    """How much history the forecast plot shows: a few seasons, or everything."""
    if season_length > 1:
        wanted = max(4 * season_length, 3 * horizon)
    else:
        wanted = max(50, 3 * horizon)
    return min(n, wanted)


# --------------------------------------------------------------- forecast
def _plot_forecast(
    path: str,
    data: LoadedSeries,
    table: pd.DataFrame,
    season_length: int,
    coverage: float,
    title: str,
) -> None:
    fig, ax = _figure()
    plot_forecast(
        data.y,
        table,
        ax=ax,
        n_history=_history_length(len(data.y), season_length, len(table)),
        coverage=coverage,
        title=title,
        xlabel=data.date_column or "time step",
        ylabel=data.column,
    )
    _save_figure(fig, path)


def _run_forecast(args: argparse.Namespace) -> int:
    if args.future_exog is not None and not args.exog_columns:
        raise ValueError("--future-exog needs --exog-columns")
    if args.exog_columns and args.future_exog is None:
        raise ValueError(
            "--exog-columns needs --future-exog: a CSV with the future values "
            f"of {', '.join(args.exog_columns)} for the {args.horizon} forecast steps"
        )
    _check_plot_available(args.plot)
    loaded = load_data(
        args.data, args.column, args.date_column, args.exog_columns, args.id_column
    )
    if isinstance(loaded, LoadedPanel):
        return _run_forecast_many(args, loaded)
    if args.global_model:
        raise ValueError(
            "--global needs many series: a long file with an id column "
            "(see --id-column)"
        )
    if args.combine:
        raise ValueError(
            "--combine needs many series: a long file with an id column (see "
            "--id-column); its GlobalForecaster member learns from all of them"
        )
    if args.skip_bad_series:
        raise ValueError(
            "--skip-bad-series needs many series: a long file with an id "
            "column (see --id-column)"
        )
    data = loaded
    forecaster = _make_forecaster(args)

    start = time.perf_counter()
    try:
        forecaster.fit(data.y, exog=data.exog)
    except ValueError as exc:
        raise ValueError(f"cannot fit series {data.column!r}: {exc}") from None
    future = None
    if data.exog is not None:
        index = future_index(forecaster.y_.index, args.horizon)
        future = read_future_exog(
            args.future_exog, args.exog_columns, index, data.date_column
        )
    point = forecaster.predict(args.horizon, exog=future)
    interval_note = None
    try:
        table = forecaster.predict_interval(
            args.horizon, coverage=args.coverage, exog=future
        )
    except ValueError as exc:
        table = point.to_frame("forecast")
        interval_note = " ".join(str(exc).split())
    elapsed = time.perf_counter() - start
    table.index.name = _index_label(data)

    if interval_note is not None:
        _note(
            "the series is too short for prediction intervals; writing the "
            f"forecasts without them ({interval_note})"
        )
    y = forecaster.y_
    span, freq = _describe_index(y.index)
    lines = [
        f"Series:         {data.column} from {data.source}",
        f"Length:         {len(y)}",
        f"Dates:          {span}",
        f"Frequency:      {freq}",
        f"Season length:  {forecaster.season_length_}",
        f"Lags:           {describe_lags(forecaster.lags_)}",
        f"Strategy:       {forecaster.strategy}",
        *_describe_pipelines(forecaster),
    ]
    if data.exog is not None:
        lines.append(f"Exog columns:   {', '.join(data.exog.columns)}")
    lines.append(f"Time taken:     {elapsed:.2f} s")
    shown = table.head(TABLE_ROWS)
    what = (
        f"with {args.coverage:.0%} prediction intervals"
        if interval_note is None
        else "without prediction intervals"
    )
    lines += ["", f"Forecast, {args.horizon} steps {what}:"]
    printable = shown.copy()
    if isinstance(printable.index, pd.DatetimeIndex):
        printable.index = [_format_time(t) for t in printable.index]
        printable.index.name = table.index.name
    scale = float(np.nanmax(np.abs(printable.to_numpy(dtype=float)), initial=0.0))
    # Same number of decimals in every cell: about four significant digits.
    decimals = int(min(6, max(1, 3 - np.floor(np.log10(scale))))) if scale > 0 else 2
    lines.append(printable.to_string(float_format=lambda v: f"{v:.{decimals}f}"))
    if len(table) > len(shown):
        lines.append(f"... {len(table) - len(shown)} more rows")
    print("\n".join(lines))

    if args.output is not None:
        _write_csv(table, args.output, index_label=table.index.name)
        print(f"Wrote {len(table)} forecasts to {args.output}")
    if args.plot is not None:
        models = _plural(forecaster._n_members(), "network")
        if getattr(forecaster, "pipelines_", None):
            models += " in 2 pipelines"
        title = (
            f"{data.column}: {args.horizon}-step forecast "
            f"(BPForecaster, {forecaster.strategy}, {models})"
        )
        _plot_forecast(
            args.plot, data, table, forecaster.season_length_, args.coverage, title
        )
        print(f"Wrote plot to {args.plot}")
    return 0


# ----------------------------------------------------------- many series
def _check_many_options(args: argparse.Namespace) -> None:
    """Options that do not apply to many series, or to --global or --combine."""
    if args.future_exog is not None:
        raise ValueError("--future-exog is not supported yet for many series")
    if args.global_model:
        flag, model = "--global", "GlobalForecaster"
        unused = [
            (args.lags != "auto", "--lags", "it chooses its lookbacks itself"),
            (
                args.strategy != "recursive",
                "--strategy",
                "it forecasts all steps at once",
            ),
            (
                args.solver in JACOBIAN_SOLVERS,
                f"--solver {args.solver}",
                "every epoch would build a Jacobian of (windows x horizon) rows by "
                "(weights) columns, e.g. 10^5 windows x 12 steps x ~2,000 weights = "
                "2.5e9 values, 20 GB; use --solver trainscg (full batch) or "
                "traingdx (mini-batches)",
            ),
        ]
    elif args.combine:
        flag, model = "--combine", "CombinationForecaster"
        unused = [
            (
                args.lags != "auto",
                "--lags",
                "its GlobalForecaster member chooses its lookbacks itself, and "
                "Theta and ETS use the whole series",
            ),
            (
                args.strategy != "recursive",
                "--strategy",
                "its members forecast all steps themselves",
            ),
            (
                args.solver is not None,
                "--solver",
                "its members keep the training they were benchmarked with; "
                "--global takes --solver",
            ),
        ]
    else:
        return
    for given, option, why in unused:
        if given:
            raise ValueError(
                f"{option} does not apply to {flag} ({model}: {why}); "
                f"drop it, or forecast each series locally without {flag}"
            )


class _Notes:
    """Warnings turned into ``bpforecast: note:`` lines, each printed once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        message = " ".join(str(message).split())
        if message not in self.messages:
            self.messages.append(message)

    def add_warnings(self, record: list[warnings.WarningMessage]) -> None:
        for w in record:
            if not issubclass(w.category, SkippedSeriesWarning):
                self.add(str(w.message))


def _series_failure(uid: Any, message: str, failures: dict) -> SeriesError:
    """The library's SeriesError for the first failing series, with a hint."""
    more = len(failures) - 1
    tail = f"; {more} more series fail too" if more > 0 else ""
    return SeriesError(uid, _with_skip_hint(message + tail))


def _with_skip_hint(message: str) -> str:
    return f"{message.rstrip('. ')} (--skip-bad-series leaves such series out)"


def _forecast_local(
    args: argparse.Namespace, panel: LoadedPanel, notes: _Notes
) -> tuple[pd.DataFrame, dict, list]:
    """forecast_many with a BPForecaster per series.

    Returns (table, {id: message} of the failed series, ids forecast without
    intervals). A series too short for intervals is forecast without them.
    """
    forecaster = _make_forecaster(args)

    def run(data: pd.DataFrame, intervals: float | None) -> pd.DataFrame:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            out = forecast_many(
                data,
                args.horizon,
                forecaster,
                n_jobs=args.jobs,
                random_state=args.seed,
                intervals=intervals,
                errors="skip",
            )
        notes.add_warnings(record)
        return out

    table = run(panel.data, args.coverage)
    failures = dict(table.attrs.get("failures", {}))
    no_intervals: list = []
    if failures:
        retry = panel.data[panel.data["unique_id"].isin(list(failures))]
        points = run(retry, None)
        no_intervals = list(pd.unique(points["unique_id"]))
        if no_intervals:
            # Forecasts without intervals for the series too short for them.
            points = points.assign(lower=np.nan, upper=np.nan)
            table = pd.concat([table, points], ignore_index=True)
            order = {uid: k for k, uid in enumerate(pd.unique(panel.data["unique_id"]))}
            rank = table["unique_id"].map(order)
            table = table.iloc[np.argsort(rank.to_numpy(), kind="stable")]
            table = table.reset_index(drop=True)
        failures = {
            uid: message
            for uid, message in failures.items()
            if uid not in set(no_intervals)
        }
        failures = {
            uid: points.attrs["failures"].get(uid, message)
            for uid, message in failures.items()
        }
    return table, failures, no_intervals


_MORE_FAIL = re.compile(r" \(\d+ more series fail too\)$")


def _describe_pipelines(forecaster: BPForecaster) -> list[str]:
    """The Transform and Models lines of a fitted BPForecaster."""
    n = forecaster.n_models
    if getattr(forecaster, "pipelines_", None):
        return [
            "Transform:      log and none, two pipelines averaged",
            f"Models:         {2 * n} ({n} per pipeline)",
        ]
    transform = "log" if forecaster.transform_ is not None else "none"
    return [f"Transform:      {transform}", f"Models:         {n}"]


def _fit_skipping_bad_series(
    fit, data: pd.DataFrame, skip: bool
) -> tuple[object, pd.DataFrame, dict]:
    """``fit(data)``; with ``skip``, each series a SeriesError names is left out.

    Returns ``(fit's result or None when every series was left out, the data
    fitted, {id: message} of the series left out)``. Without ``skip``, or
    when the error names an id that is not in the data (leaving nothing out
    would retry the same fit for ever), the SeriesError is raised with the
    hint to skip.
    """
    failures: dict = {}
    while len(data) > 0:
        try:
            return fit(data), data, failures
        except SeriesError as exc:
            known = bool((data["unique_id"] == exc.unique_id).any())
            if not skip or not known:
                raise SeriesError(exc.unique_id, _with_skip_hint(exc.message)) from None
            failures[exc.unique_id] = _MORE_FAIL.sub("", exc.message)
            data = data[data["unique_id"] != exc.unique_id]
    return None, data, failures


def _forecast_global(
    args: argparse.Namespace, panel: LoadedPanel, notes: _Notes
) -> tuple[pd.DataFrame, dict, list, GlobalForecaster]:
    """One GlobalForecaster for all series; bad series dropped when skipping.

    ``--solver`` picks the training function of its default network
    (:func:`default_global_regressor`); traingdx keeps the default.
    """
    solver = getattr(args, "solver", None) or "traingdx"
    network = None if solver == "traingdx" else default_global_regressor(solver=solver)
    model = GlobalForecaster(
        horizon=args.horizon,
        regressor=network,
        season_length=args.season_length,
        n_models=_n_models(args),
        random_state=args.seed,
        n_jobs=args.jobs if args.jobs > 1 else None,
    )
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        _, data, failures = _fit_skipping_bad_series(
            model.fit, panel.data, args.skip_bad_series
        )
        if len(data) == 0:
            table = pd.DataFrame(columns=["unique_id", "ds", "forecast"])
            return table, failures, [], model
        no_intervals: list = []
        try:
            table = model.predict_interval(coverage=args.coverage)
        except ValueError as exc:
            table = model.predict()
            no_intervals = list(model.ids_)
            notes.add(
                "the series are too short for prediction intervals; writing the "
                f"forecasts without them ({exc})"
            )
    notes.add_warnings(record)
    return table, failures, no_intervals, model


def _make_combination(args: argparse.Namespace) -> CombinationForecaster:
    """CombinationForecaster with its default members.

    ``--n-models`` sets the GlobalForecaster member's networks per lookback,
    ``--season-length`` every member's season, ``--jobs`` the processes over
    series of the local members and over the global member's networks.
    """
    members = default_members(args.horizon, args.seed)
    for name, member in members:
        member.set_params(season_length=args.season_length)
        if name == "GlobalForecaster":
            member.set_params(
                n_models=_n_models(args),
                n_jobs=args.jobs if args.jobs > 1 else None,
            )
    return CombinationForecaster(
        horizon=args.horizon,
        forecasters=members,
        n_jobs=args.jobs,
        random_state=args.seed,
    )


def _forecast_combine(
    args: argparse.Namespace, panel: LoadedPanel, notes: _Notes
) -> tuple[pd.DataFrame, dict, list, CombinationForecaster]:
    """A CombinationForecaster for all series; bad series dropped when skipping.

    Returns (table, {id: message} of the skipped series, ids forecast without
    intervals, the fitted model). The intervals are
    ``predict_interval(coverage=args.coverage)``'s; when the series are too
    short to calibrate them, the forecasts are written without them, with a
    note (as with ``--global``). A member that fails on a series is a note
    (its column is empty there and the forecast combines the other members),
    not a skipped series; a series with bad data, or that no member can
    forecast, is a SeriesError, skipped with ``--skip-bad-series`` as with
    ``--global``.
    """
    model = _make_combination(args)
    table = pd.DataFrame(columns=["unique_id", "ds", "forecast"])
    no_intervals: list = []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fitted, _, failures = _fit_skipping_bad_series(
            lambda data: model.fit(data).predict(),
            panel.data,
            args.skip_bad_series,
        )
        if fitted is not None:
            table = fitted
        if len(table) > 0:
            try:
                table = model.predict_interval(coverage=args.coverage)
            except ValueError as exc:  # too short to calibrate
                no_intervals = list(model.ids_)
                notes.add(
                    "the series are too short for prediction intervals; writing "
                    f"the forecasts without them ({exc})"
                )
    # Member failures are reported from failures_ below, once per member.
    notes.add_warnings(
        [w for w in record if not issubclass(w.category, MemberFailedWarning)]
    )
    if len(table) > 0:
        for name, failed in model.failures_.items():
            if not failed:
                continue
            ids = list(failed)
            uid, message = ids[0], failed[ids[0]]
            if len(ids) == 1:
                notes.add(
                    f"member {name} gave no forecast for series {uid!r}, whose "
                    f"forecast is the {model.combine} of the other members: "
                    f"{message}"
                )
                continue
            shown = ", ".join(repr(v) for v in ids[:5])
            more = " ..." if len(ids) > 5 else ""
            notes.add(
                f"member {name} gave no forecast for {len(ids)} series ({shown}"
                f"{more}), whose forecasts are the {model.combine} of the other "
                f"members; e.g. series {uid!r}: {message}"
            )
    return table, failures, no_intervals, model


def _describe_combination(model: CombinationForecaster, jobs: int) -> str:
    """The Model line of --combine: the combination and its members."""
    parts = []
    for name, member in model.forecasters_.items():
        if name == "GlobalForecaster" and hasattr(member, "lookbacks_"):
            lookbacks = ", ".join(str(v) for v in member.lookbacks_)
            parts.append(
                f"{name} ({_plural(len(member.models_), 'network')}, "
                f"lookbacks {lookbacks})"
            )
        elif name == "Theta":
            parts.append("Theta (M4)")
        else:
            parts.append(name)
    members = (
        ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    )
    return (
        f"CombinationForecaster, {model.combine} of {members}, {_plural(jobs, 'job')}"
    )


def _plot_many(
    path: str,
    panel: LoadedPanel,
    table: pd.DataFrame,
    ids: list,
    coverage: float,
    title: str,
) -> None:
    fig, ax = _figure(figsize=(10, 3 * ((len(ids) + 1) // 2) + 1))
    ax.remove()
    columns = 1 if len(ids) == 1 else 2
    rows = (len(ids) + columns - 1) // columns
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False).ravel())
    for ax, uid in zip(axes[: len(ids)], ids, strict=True):
        history = panel.data[panel.data["unique_id"] == uid]
        history = history.sort_values("ds", kind="stable")
        y = pd.Series(history["y"].to_numpy(), index=pd.Index(history["ds"]))
        rows_of = table[table["unique_id"] == uid]
        forecast = rows_of.drop(columns="unique_id").set_index("ds")
        forecast = forecast.dropna(axis=1, how="all")
        season = 1
        if isinstance(y.index, pd.DatetimeIndex):
            try:
                season = infer_season_length(pd.DatetimeIndex(y.index))
            except (TypeError, ValueError):
                season = 1
        plot_forecast(
            y,
            forecast,
            ax=ax,
            n_history=_history_length(len(y), season, len(forecast)),
            coverage=coverage if "lower" in forecast else None,
            title=f"{uid}",
            xlabel=panel.date_column or "time step",
            ylabel=panel.column,
        )
        ax.tick_params(axis="x", labelrotation=30)
    for ax in axes[len(ids) :]:
        ax.remove()
    fig.suptitle(title)
    _save_figure(fig, path)


def _run_forecast_many(args: argparse.Namespace, panel: LoadedPanel) -> int:
    _check_many_options(args)
    notes = _Notes()
    start = time.perf_counter()
    no_intervals: list = []
    if args.combine:
        table, failures, no_intervals, combination = _forecast_combine(
            args, panel, notes
        )
        what = (
            _describe_combination(combination, args.jobs)
            if hasattr(combination, "forecasters_")
            else "CombinationForecaster"
        )
    elif args.global_model:
        table, failures, no_intervals, model = _forecast_global(args, panel, notes)
        solver = args.solver or "traingdx"
        rule = default_global_regressor(solver=solver)
        batches = "full batch" if rule.batch_size is None else "mini-batches"
        what = (
            f"GlobalForecaster, {len(model.lookbacks_)} networks "
            f"(lookbacks {', '.join(str(v) for v in model.lookbacks_)}), "
            f"{solver} {batches}"
            if hasattr(model, "lookbacks_")
            else "GlobalForecaster"
        )
    else:
        table, failures, no_intervals = _forecast_local(args, panel, notes)
        what = (
            f"BPForecaster per series, {args.strategy}, "
            f"{_plural(_n_models(args), 'model')} each, {_plural(args.jobs, 'job')}"
        )
    elapsed = time.perf_counter() - start
    for message in notes.messages:
        _note(message)
    if failures and not args.skip_bad_series:
        uid, message = next(iter(failures.items()))
        raise _series_failure(uid, message, failures)
    for uid, message in failures.items():
        _note(f"skipped series {uid!r}: {message}")
    if len(table) == 0:
        raise ValueError(
            f"no series could be forecast ({len(failures)} skipped); see the notes"
        )
    if no_intervals and not (args.global_model or args.combine):
        _note(
            f"{f'{len(no_intervals)} series'} too short for prediction "
            "intervals, forecast without them: "
            + ", ".join(repr(uid) for uid in no_intervals[:5])
            + (" ..." if len(no_intervals) > 5 else "")
        )

    data = panel.data
    lengths = data.groupby("unique_id", sort=False).size()
    n_forecast = int(table["unique_id"].nunique())
    times = pd.Index(data["ds"])
    span = f"{_format_time(times.min())} to {_format_time(times.max())}"
    lines = [
        f"Series:         {panel.n_series} series of {panel.column} from "
        f"{panel.source} (ids in {panel.id_column!r})",
        f"Length:         {int(lengths.min())} to {int(lengths.max())} values",
        f"Dates:          {span}"
        if panel.date_column
        else "Dates:          none (rows numbered per series)",
        f"Model:          {what}",
    ]
    if failures:
        lines.append(f"Skipped:        {f'{len(failures)} series'}")
    lines.append(f"Time taken:     {elapsed:.2f} s")
    with_intervals = "lower" in table.columns and len(no_intervals) < n_forecast
    how = (
        f"with {args.coverage:.0%} prediction intervals"
        if with_intervals
        else "without prediction intervals"
    )
    rows = f"{len(table)} rows"
    if args.combine:
        rows += f"; forecast is the {combination.combine} of the member columns"
    lines += [
        "",
        f"Forecast, {args.horizon} steps for {f'{n_forecast} series'} {how} ({rows}):",
    ]
    shown = table.head(MANY_TABLE_ROWS).copy()
    shown["ds"] = [_format_time(t) for t in shown["ds"]]
    numbers = shown.select_dtypes("number").to_numpy(dtype=float)
    scale = float(np.nanmax(np.abs(numbers), initial=0.0)) if numbers.size else 0.0
    decimals = int(min(6, max(1, 3 - np.floor(np.log10(scale))))) if scale > 0 else 2
    lines.append(
        shown.to_string(index=False, float_format=lambda v: f"{v:.{decimals}f}")
    )
    if len(table) > len(shown):
        more = f"... {len(table) - len(shown)} more rows"
        if args.output is None:
            more += " (write them all with -o FILE.csv)"
        lines.append(more)
    print("\n".join(lines))

    if args.output is not None:
        _write_csv(table, args.output, index=False)
        print(f"Wrote {len(table)} forecasts of {n_forecast} series to {args.output}")
    if args.plot is not None:
        ids = list(pd.unique(table["unique_id"]))
        plotted = ids[:PLOT_SERIES]
        model_name = (
            "CombinationForecaster"
            if args.combine
            else "GlobalForecaster"
            if args.global_model
            else "BPForecaster"
        )
        title = f"{panel.column}: {args.horizon}-step forecasts ({model_name})"
        _plot_many(args.plot, panel, table, plotted, args.coverage, title)
        which = ", ".join(repr(uid) for uid in plotted)
        if len(ids) > len(plotted):
            print(
                f"Wrote plot of the first {len(plotted)} of {len(ids)} series "
                f"({which}) to {args.plot}"
            )
        else:
            print(f"Wrote plot of {f'{len(plotted)} series'} to {args.plot}")
    return 0


# --------------------------------------------------------------- backtest
def _min_train(args: argparse.Namespace, season_length: int) -> int:
    """A training length every fold's BPForecaster can be fitted on."""
    fit_horizon = 1 if args.strategy == "recursive" else args.horizon
    if args.lags == "auto":
        max_lag = season_length if season_length > 1 else 8
    else:
        max_lag = int(normalize_lags(args.lags)[-1])
    return max(max_lag + fit_horizon + MIN_WINDOWS - 1, 2 * season_length)


def _metrics_table(results: dict[str, BacktestResult]) -> str:
    table = pd.DataFrame(
        {name: r.metrics[METRIC_COLUMNS] for name, r in results.items()}
    ).T
    table.index.name = "model"
    return table.to_string(float_format=lambda v: f"{v:.4f}")


def _plot_backtest(
    path: str, data: LoadedSeries, result: BacktestResult, initial: int, title: str
) -> None:
    fig, ax = _figure()
    y = data.y
    horizon = int(result.folds["step"].max())
    context = max(2 * horizon, 24)
    shown = y.iloc[max(0, initial - context) :]
    ax.plot(shown.index, shown.to_numpy(), color="black", label="actual")
    for k, (fold, rows) in enumerate(result.folds.groupby("fold")):
        ax.plot(
            pd.Index(rows["time"]),
            rows["forecast"].to_numpy(),
            color=f"C{k % 10}",
            marker=".",
            label=f"fold {fold}" if k < 10 else None,
        )
        ax.axvline(rows["origin"].iloc[0], color=f"C{k % 10}", alpha=0.3, ls=":")
    ax.set_title(title)
    ax.set_xlabel(data.date_column or "time step")
    ax.set_ylabel(data.column)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    _save_figure(fig, path)


def _run_backtest(args: argparse.Namespace) -> int:
    _check_plot_available(args.plot)
    data = load_series(args.data, args.column, args.date_column, args.exog_columns)
    y = data.y
    n = len(y)
    season_length = args.season_length or infer_season_length(y.index)
    if args.initial is None:
        initial = max(n - 3 * args.horizon, min(_min_train(args, season_length), n))
        if initial + args.horizon > n:
            raise ValueError(
                f"the series has {n} values, too short to backtest horizon "
                f"{args.horizon} (the first training series needs about {initial} "
                "values); use a shorter --horizon or give --initial"
            )
    else:
        initial = args.initial

    forecaster = _make_forecaster(args)
    start = time.perf_counter()
    results = {
        "BPForecaster": backtest(
            forecaster,
            y,
            initial=initial,
            horizon=args.horizon,
            step=args.step,
            refit=args.refit,
            exog=data.exog,
            season_length=season_length,
        )
    }
    elapsed = time.perf_counter() - start
    result = results["BPForecaster"]
    span, freq = _describe_index(y.index)
    lines = [
        f"Series:         {data.column} from {data.source}",
        f"Length:         {n}",
        f"Dates:          {span}",
        f"Frequency:      {freq}",
        f"Season length:  {season_length}",
        f"Initial:        {initial}",
        f"Step:           {args.step or args.horizon}",
        f"Refit:          {'every origin' if args.refit else 'first origin only'}",
        f"Strategy:       {args.strategy}",
        f"Models:         {_n_models(args)}",
        f"Time taken:     {elapsed:.2f} s",
        "",
        result.summary(),
    ]
    if args.baselines:
        caught: list[str] = []
        for name, model in (
            ("SeasonalNaive", SeasonalNaive(season_length=args.season_length)),
            ("Theta", Theta(season_length=args.season_length)),
            ("ETS", ETS(season_length=args.season_length)),
        ):
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                # Baselines have no forecast_from: they refit at every origin.
                results[name] = backtest(
                    model,
                    y,
                    initial=initial,
                    horizon=args.horizon,
                    step=args.step,
                    season_length=season_length,
                )
            for w in record:
                message = f"{name}: {' '.join(str(w.message).split())}"
                if message not in caught:
                    caught.append(message)
        for message in caught:
            _note(message)
        lines += ["", "Mean over folds (baselines refit at every origin):"]
        lines.append(_metrics_table(results))
    print("\n".join(lines))

    if args.output is not None:
        folds = pd.concat(
            [r.folds.assign(model=name) for name, r in results.items()],
            ignore_index=True,
        )
        folds = folds[["model", *result.folds.columns]]
        _write_csv(folds, args.output, index=False)
        print(f"Wrote {len(folds)} fold forecasts to {args.output}")
    if args.plot is not None:
        title = (
            f"{data.column}: backtest, {int(result.folds['fold'].nunique())} folds "
            f"of {args.horizon} steps (BPForecaster, {args.strategy})"
        )
        _plot_backtest(args.plot, data, result, initial, title)
        print(f"Wrote plot to {args.plot}")
    return 0


# --------------------------------------------------------------- datasets
def _run_datasets(args: argparse.Namespace) -> int:
    for name in list_datasets():
        y = load_dataset(name)
        span, freq = _describe_index(y.index)
        print(f"{name:<20} {len(y):>4} values  {freq:<7} {span}")
    print(
        "Use one as the data argument, e.g. "
        f"{PROG} forecast {DATASET_PREFIX}nile --horizon 10"
    )
    return 0


_COMMANDS = {
    "forecast": _run_forecast,
    "backtest": _run_backtest,
    "datasets": _run_datasets,
}


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bpforecast`` command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (without the program name); default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for bad arguments or input (after a
        one-line ``bpforecast: error: ...`` message on stderr).

    Examples
    --------
    >>> from bpforecast.cli import main
    >>> main(["datasets"])  # doctest: +ELLIPSIS
    airline_passengers    144 values  MS      1949-01-01 to 1960-12-01
    ...
    0
    >>> main(["forecast", "dataset:airline_passengers", "--horizon", "12",
    ...       "-o", "forecast.csv", "--plot", "forecast.png"])  # doctest: +SKIP
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _COMMANDS[args.command](args)
    except (
        ValueError,
        TypeError,
        KeyError,
        FileNotFoundError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    ) as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
