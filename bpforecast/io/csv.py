"""Reading the series to forecast from a CSV file (or a bundled dataset).

:func:`load_series` is what the command line reads its data with, and what
a script can use to get the same checked series: one numeric column, its
dates parsed, sorted and given their frequency. Without ``date_column`` a
column whose values all parse as dates (``ds``, ``date``, ``timestamp``,
whatever its name) is used as the dates.

Examples
--------
>>> from bpforecast.io.csv import load_series
>>> data = load_series("dataset:nile")
>>> data.column, data.date_column, len(data.y)
('y', 'ds', 100)
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..datasets import load_dataset
from ..forecasting.series import infer_freq

__all__ = [
    "DATASET_PREFIX",
    "LoadedPanel",
    "LoadedSeries",
    "find_date_column",
    "find_id_column",
    "format_time",
    "load_data",
    "load_series",
    "note",
    "read_csv",
    "read_future_exog",
]

DATASET_PREFIX = "dataset:"


@dataclass
class LoadedPanel:
    """Many series read from a long CSV by :func:`load_data`.

    Attributes
    ----------
    data : pandas.DataFrame
        The long frame of the many-series models: ``unique_id`` (the ids as
        read), ``ds`` (dates, or positions ``0, 1, ...`` within each series
        without a date column) and ``y`` (floats; missing values are kept,
        for the per-series checks to name the series), in file order.
    source : str
        The data argument as given.
    column : str
        The name of the forecast column.
    date_column : str or None
    id_column : str
    """

    data: pd.DataFrame
    source: str
    column: str
    date_column: str | None
    id_column: str

    @property
    def n_series(self) -> int:
        """The number of distinct ids."""
        return int(self.data["unique_id"].nunique())


@dataclass
class LoadedSeries:
    """A series read by :func:`load_series`.

    Attributes
    ----------
    y : pandas.Series
        Float values; a DatetimeIndex with ``freq`` set, or a RangeIndex.
    exog : pandas.DataFrame or None
        The exogenous columns, aligned with ``y``.
    source : str
        The data argument as given.
    column : str
        The name of the forecast column.
    date_column : str or None
    """

    y: pd.Series
    exog: pd.DataFrame | None
    source: str
    column: str
    date_column: str | None


def read_csv(path: str, what: str = "data file") -> pd.DataFrame:
    """A CSV file as a DataFrame with string column names; one-line errors.

    Parameters
    ----------
    path : str
    what : str, default="data file"
        What the file is, for the messages.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Not a file, empty, no data rows, or not readable as CSV.

    Examples
    --------
    >>> import os, tempfile
    >>> from bpforecast.io.csv import read_csv
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "y.csv")
    ...     _ = open(path, "w").write("ds,y\\n2020-01-01,1\\n")
    ...     read_csv(path).columns.tolist()
    ['ds', 'y']
    """
    file = Path(path)
    if not file.exists():
        raise FileNotFoundError(f"{what} {path!r} does not exist")
    if not file.is_file():
        raise ValueError(f"{what} {path!r} is not a file")
    try:
        frame = pd.read_csv(file)
    except pd.errors.EmptyDataError:
        raise ValueError(f"cannot read {what} {path!r}: it is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        reason = " ".join(str(exc).split())
        raise ValueError(f"cannot read {what} {path!r} as CSV: {reason}") from None
    if frame.shape[1] == 0 or len(frame) == 0:
        raise ValueError(f"{what} {path!r} has no data rows")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _columns_text(frame: pd.DataFrame) -> str:
    return ", ".join(repr(c) for c in frame.columns)


def _require_column(frame: pd.DataFrame, column: str, source: str) -> None:
    if column not in frame.columns:
        raise KeyError(
            f"column {column!r} not found in {source}; "
            f"columns are: {_columns_text(frame)}"
        )


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not (
        pd.api.types.is_bool_dtype(series.dtype)
    )


def _numeric_column(
    frame: pd.DataFrame, column: str, source: str, finite: bool = True
) -> pd.Series:
    """Column as floats; clear errors for text values and missing values.

    With ``finite=False`` missing and infinite values are kept (the checks of
    many series name the series that holds them).
    """
    _require_column(frame, column, source)
    values = frame[column]
    if not _is_numeric(values):
        coerced = pd.to_numeric(values, errors="coerce")
        bad = coerced.isna() & values.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise TypeError(
                f"column {column!r} of {source} is not numeric: row {row + 1} "
                f"holds {values.iloc[row]!r}"
            )
        if pd.api.types.is_bool_dtype(values.dtype):
            raise TypeError(f"column {column!r} of {source} is not numeric (boolean)")
        values = coerced
    values = values.astype(float)
    missing = ~np.isfinite(values.to_numpy())
    if finite and missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"column {column!r} of {source} has {int(missing.sum())} missing or "
            f"infinite value(s) (first in row {row + 1}); fill or drop them first"
        )
    return values


def _parse_dates(frame: pd.DataFrame, column: str, source: str) -> pd.DatetimeIndex:
    _require_column(frame, column, source)
    raw = frame[column]
    if raw.isna().any():
        row = int(np.flatnonzero(raw.isna().to_numpy())[0])
        raise ValueError(
            f"date column {column!r} of {source} has missing dates "
            f"(first in row {row + 1})"
        )
    try:
        if pd.api.types.is_integer_dtype(raw.dtype):
            # Integer dates are years (like the bundled yearly datasets).
            dates = pd.to_datetime(raw.astype(str), format="%Y")
        else:
            with warnings.catch_warnings():
                # "Could not infer format ...": falling back to dateutil is fine.
                warnings.simplefilter("ignore", UserWarning)
                dates = pd.to_datetime(raw)
    except (ValueError, TypeError, OverflowError) as exc:
        reason = " ".join(str(exc).split())
        raise ValueError(
            f"cannot parse the dates in column {column!r} of {source}: {reason}"
        ) from None
    return pd.DatetimeIndex(dates, name=column)


def _parses_as_dates(values: pd.Series) -> bool:
    """Whether every value of a text (or datetime) column is a date."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
        values.dtype
    ):
        return False
    if values.isna().any():
        return False
    with warnings.catch_warnings():
        # "Could not infer format ...": falling back to dateutil is fine.
        warnings.simplefilter("ignore", UserWarning)
        try:
            parsed = pd.to_datetime(values, errors="coerce")
        except (TypeError, ValueError, OverflowError):
            return False
    return bool(parsed.notna().all())


def _target_column(
    frame: pd.DataFrame, label: str, column: str | None, excluded: set
) -> str:
    """``column``, or the only numeric column not in ``excluded``."""
    if column is not None:
        return column
    candidates = [
        c
        for c in frame.columns
        if c not in excluded and _is_numeric(frame[c]) and frame[c].notna().any()
    ]
    if len(candidates) != 1:
        found = (
            "no numeric column"
            if not candidates
            else f"{len(candidates)} numeric columns"
        )
        raise ValueError(
            f"{label} has {found} to forecast; choose one with --column "
            f"(columns: {_columns_text(frame)})"
        )
    return candidates[0]


def find_date_column(frame: pd.DataFrame, exclude: Sequence[Any] = ()) -> str | None:
    """The one column of ``frame`` whose values all parse as dates, or None.

    Text (or datetime) columns only: a numeric column is a candidate series,
    not a date (give integer years with ``date_column``). Columns in
    ``exclude`` are skipped.

    Parameters
    ----------
    frame : pandas.DataFrame
    exclude : sequence of str, optional

    Returns
    -------
    str or None
        None when no column parses as dates.

    Raises
    ------
    ValueError
        When several do: which one is meant must then be said.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.io.csv import find_date_column
    >>> frame = pd.DataFrame({"timestamp": ["2024-01-01", "2024-01-02"],
    ...                       "note": ["a", "b"], "y": [1.0, 2.0]})
    >>> find_date_column(frame)
    'timestamp'
    >>> find_date_column(frame[["note", "y"]]) is None
    True
    """
    skip = {c for c in exclude if c is not None}
    found = [
        str(c) for c in frame.columns if c not in skip and _parses_as_dates(frame[c])
    ]
    if len(found) > 1:
        raise ValueError(
            f"several columns hold dates ({', '.join(repr(c) for c in found)}); "
            "choose one with --date-column"
        )
    return found[0] if found else None


def load_series(
    source: str,
    column: str | None = None,
    date_column: str | None = None,
    exog_columns: Sequence[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> LoadedSeries:
    """Read the series to forecast from a CSV file or a bundled dataset.

    Parameters
    ----------
    source : str
        A CSV path, or ``dataset:NAME`` for a bundled dataset (whose date
        column ``ds`` is used when ``date_column`` is None).
    column : str, optional
        The column to forecast; by default the only numeric column other
        than the date and exogenous columns.
    date_column : str, optional
        Dates: parsed (integers are read as years), sorted if they are not,
        used as the index with the frequency inferred. Without it, the one
        text column whose values all parse as dates is used
        (:func:`find_date_column`, with a note); if there is none the rows
        are numbered ``0 .. n-1``.
    exog_columns : list of str, optional
        Numeric columns returned as exogenous inputs.
    warn : callable, optional
        Called with notes (e.g. that the rows were sorted); default prints
        them to stderr.

    Returns
    -------
    LoadedSeries

    Raises
    ------
    FileNotFoundError, KeyError, TypeError, ValueError
        Missing file or column, non-numeric or missing values, duplicate or
        irregular dates, unknown dataset.

    Examples
    --------
    >>> from bpforecast.io.csv import load_series
    >>> data = load_series("dataset:airline_passengers")
    >>> data.column, len(data.y), data.y.index.freqstr
    ('y', 144, 'MS')
    """
    warn = warn or note
    frame, label, default_dates = _read_source(source)
    exog_columns = list(exog_columns or [])
    if date_column is None:
        date_column = default_dates
    if date_column is None:
        date_column = find_date_column(frame, exclude=[column, *exog_columns])
        if date_column is not None:
            warn(f"using column {date_column!r} of {label} as the dates")
    return _series_from_frame(
        frame, source, label, column, date_column, exog_columns, warn
    )


def _read_source(source: str) -> tuple[pd.DataFrame, str, str | None]:
    """(frame, label for messages, default date column) of a data argument."""
    if source.startswith(DATASET_PREFIX):
        name = source[len(DATASET_PREFIX) :]
        frame = load_dataset(name, as_frame=True)
        return frame, f"dataset {name!r}", "ds"
    return read_csv(source), repr(source), None


def _series_from_frame(
    frame: pd.DataFrame,
    source: str,
    label: str,
    column: str | None,
    date_column: str | None,
    exog_columns: list[str],
    warn: Callable[[str], None],
) -> LoadedSeries:
    """The checked series of ``frame`` (date column already resolved)."""
    column = _target_column(frame, label, column, {date_column, *exog_columns})
    if column == date_column:
        raise ValueError(f"--column and --date-column are both {column!r}")
    if column in exog_columns:
        raise ValueError(f"column {column!r} is both the target and an exog column")

    values = _numeric_column(frame, column, label)
    exog = None
    if exog_columns:
        exog = pd.DataFrame({c: _numeric_column(frame, c, label) for c in exog_columns})

    if date_column is None:
        index: pd.Index = pd.RangeIndex(len(frame))
    else:
        index = _parse_dates(frame, date_column, label)
        if not index.is_monotonic_increasing:
            order = np.argsort(index.to_numpy(), kind="stable")
            index = index[order]
            values = values.iloc[order]
            exog = None if exog is None else exog.iloc[order]
            warn(f"the rows of {label} were sorted by {date_column!r}")
        if index.has_duplicates:
            first = index[index.duplicated()][0]
            raise ValueError(
                f"date column {date_column!r} of {label} has duplicate dates "
                f"(e.g. {format_time(first)}); aggregate them first"
            )
        if len(index) >= 3:
            freq = infer_freq(index)
            if freq is None:
                raise ValueError(
                    f"the dates in column {date_column!r} of {label} have no "
                    "regular frequency (missing or irregular dates?); resample "
                    "the series to a regular frequency first"
                )
            index = pd.DatetimeIndex(index, freq=freq, name=date_column)
    if len(index) < 3:
        raise ValueError(f"{label} has only {len(index)} value(s); too short")
    y = pd.Series(values.to_numpy(dtype=float), index=index, name=column)
    if exog is not None:
        exog = exog.set_axis(index)
    return LoadedSeries(y, exog, source, column, date_column)


def find_id_column(frame: pd.DataFrame, exclude: Sequence[Any] = ()) -> str | None:
    """The one column of ``frame`` that can hold series ids, or None.

    A candidate is a text (or categorical) column, not boolean and not
    dates, with no missing values and some values repeated: ``unique_id``,
    ``id``, ``series``, whatever its name. Columns in ``exclude`` are skipped.

    Parameters
    ----------
    frame : pandas.DataFrame
    exclude : sequence of str, optional

    Returns
    -------
    str or None
        None when no column qualifies.

    Raises
    ------
    ValueError
        When several do: which one is meant must then be said.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.io.csv import find_id_column
    >>> frame = pd.DataFrame({"series": ["a", "a", "b", "b"],
    ...                       "ds": ["2024-01-01", "2024-01-02"] * 2,
    ...                       "y": [1.0, 2.0, 3.0, 4.0]})
    >>> find_id_column(frame, exclude=["ds"])
    'series'
    """
    skip = {c for c in exclude if c is not None}
    found = []
    for c in frame.columns:
        values = frame[c]
        if c in skip or _is_numeric(values) or pd.api.types.is_bool_dtype(values):
            continue
        if values.isna().any() or not values.duplicated().any():
            continue
        if _parses_as_dates(values):
            continue
        found.append(str(c))
    if len(found) > 1:
        raise ValueError(
            f"several columns could hold the series ids "
            f"({', '.join(repr(c) for c in found)}); choose one with --id-column"
        )
    return found[0] if found else None


def load_data(
    source: str,
    column: str | None = None,
    date_column: str | None = None,
    exog_columns: Sequence[str] | None = None,
    id_column: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> LoadedSeries | LoadedPanel:
    """One series (:func:`load_series`) or many, from a wide or a long CSV.

    A long CSV holds many series one under the other: an id column, a date
    column and a value column. With ``id_column`` the file is read as long.
    Without it, a file whose dates repeat is long when exactly one column
    can hold the ids (:func:`find_id_column`; a note says which); when
    several can, a ValueError asks for ``--id-column``. Any other file is
    read exactly as :func:`load_series` reads it.

    Parameters
    ----------
    source, column, date_column, exog_columns, warn
        As in :func:`load_series` (exogenous columns are for one series
        only).
    id_column : str, optional
        The column of series ids (strings or integers).

    Returns
    -------
    LoadedSeries or LoadedPanel

    Raises
    ------
    FileNotFoundError, KeyError, TypeError, ValueError
        As :func:`load_series`, and for an ambiguous or missing id column.
        Problems within one series (missing values, repeated or irregular
        dates) are left to the many-series models, which name the series.

    Examples
    --------
    >>> import os, tempfile
    >>> from bpforecast.io.csv import load_data
    >>> rows = "".join(f"{s},2024-0{m}-01,{m}\\n" for s in "ab" for m in (1, 2, 3))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "long.csv")
    ...     _ = open(path, "w").write("id,month,sales\\n" + rows)
    ...     panel = load_data(path, warn=lambda message: None)
    >>> panel.id_column, panel.date_column, panel.column, panel.n_series
    ('id', 'month', 'sales', 2)
    >>> panel.data.columns.tolist()
    ['unique_id', 'ds', 'y']
    """
    warn = warn or note
    frame, label, default_dates = _read_source(source)
    exog_columns = list(exog_columns or [])
    if id_column is not None:
        _require_column(frame, id_column, label)
    if date_column is None:
        date_column = default_dates
    if date_column is None:
        date_column = find_date_column(
            frame, exclude=[column, id_column, *exog_columns]
        )
        if date_column is not None:
            warn(f"using column {date_column!r} of {label} as the dates")
    if id_column is None and date_column is not None and date_column in frame:
        try:
            dates = _parse_dates(frame, date_column, label)
        except ValueError:
            dates = None  # load_series says what is wrong with them
        if dates is not None and dates.has_duplicates:
            id_column = find_id_column(
                frame, exclude=[column, date_column, *exog_columns]
            )
            if id_column is not None:
                count = frame[id_column].nunique()
                warn(
                    f"using column {id_column!r} of {label} as the series ids "
                    f"({count} series); choose another with --id-column"
                )
    if id_column is None:
        return _series_from_frame(
            frame, source, label, column, date_column, exog_columns, warn
        )
    return _panel_from_frame(
        frame, source, label, id_column, column, date_column, exog_columns
    )


def _panel_from_frame(
    frame: pd.DataFrame,
    source: str,
    label: str,
    id_column: str,
    column: str | None,
    date_column: str | None,
    exog_columns: list[str],
) -> LoadedPanel:
    """The long frame (unique_id, ds, y) of ``frame``; ids and dates checked."""
    if exog_columns:
        raise ValueError(
            "exogenous columns are not supported yet for a file of many series "
            f"(ids in column {id_column!r})"
        )
    if date_column == id_column:
        raise ValueError(f"--id-column and --date-column are both {id_column!r}")
    column = _target_column(frame, label, column, {date_column, id_column})
    if column == id_column:
        raise ValueError(f"--column and --id-column are both {column!r}")
    if column == date_column:
        raise ValueError(f"--column and --date-column are both {column!r}")
    ids = frame[id_column]
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise ValueError(
            f"id column {id_column!r} of {label} has missing ids "
            f"(first in row {row + 1})"
        )
    values = _numeric_column(frame, column, label, finite=False)
    if date_column is None:
        times: Any = frame.groupby(id_column, sort=False).cumcount().to_numpy()
    else:
        times = _parse_dates(frame, date_column, label)
    data = pd.DataFrame(
        {
            "unique_id": ids.to_numpy(),
            "ds": np.asarray(times),
            "y": values.to_numpy(dtype=float),
        }
    )
    return LoadedPanel(data, source, column, date_column, id_column)


def read_future_exog(
    path: str, columns: list[str], index: pd.Index, date_column: str | None
) -> pd.DataFrame:
    """The next ``len(index)`` rows of ``columns`` from ``path``.

    The future values of exogenous variables for a forecast: the first
    ``len(index)`` rows of the file, indexed by the forecast dates ``index``.
    If the file has ``date_column``, its dates must be those dates.

    Parameters
    ----------
    path : str
    columns : list of str
    index : pandas.Index
        The forecast's index.
    date_column : str or None

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from bpforecast.io.csv import read_future_exog
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "future.csv")
    ...     _ = open(path, "w").write("price\\n1.5\\n2.5\\n3.5\\n")
    ...     read_future_exog(path, ["price"], pd.RangeIndex(10, 12), None)
        price
    10    1.5
    11    2.5
    """
    frame = read_csv(path, what="future exog file")
    label = repr(path)
    steps = len(index)
    if len(frame) < steps:
        raise ValueError(
            f"future exog file {label} has {len(frame)} rows; the horizon needs "
            f"{steps} (values of {', '.join(columns)} for each step)"
        )
    frame = frame.iloc[:steps]
    exog = pd.DataFrame({c: _numeric_column(frame, c, label) for c in columns})
    if date_column is not None and date_column in frame.columns:
        dates = _parse_dates(frame, date_column, label)
        if not np.array_equal(dates.to_numpy(), index.to_numpy()):
            raise ValueError(
                f"the dates in future exog file {label} must be the forecast "
                f"dates {format_time(index[0])} to {format_time(index[-1])}; "
                f"they start at {format_time(dates[0])}"
            )
    return exog.set_axis(index)


def note(message: str) -> None:
    """Print ``bpforecast: note: <message>`` on stderr (the default ``warn``).

    Examples
    --------
    >>> import contextlib, io
    >>> from bpforecast.io.csv import note
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     note("the rows were sorted")
    >>> err.getvalue()
    'bpforecast: note: the rows were sorted\\n'
    """
    print(f"bpforecast: note: {message}", file=sys.stderr)


def format_time(value: Any) -> str:
    """A time label as short text: the date alone at midnight.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.io.csv import format_time
    >>> format_time(pd.Timestamp("2024-03-01")), format_time(5)
    ('2024-03-01', '5')
    >>> format_time(pd.Timestamp("2024-03-01 06:00"))
    '2024-03-01 06:00:00'
    """
    if isinstance(value, pd.Timestamp):
        if value == value.normalize():
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    return str(value)
