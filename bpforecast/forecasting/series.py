"""Series and index checks, written once: frequencies, future dates, step counts.

Every part of the package that takes a time series asks the same questions
about it, and this module answers them once:

* :func:`infer_freq`: the frequency of a datetime index (its own ``freq``,
  else :func:`pandas.infer_freq`), or None.
* :func:`datetime_freq`: the same, but a ValueError when there is none.
* :func:`infer_season_length`: periods per season from a frequency.
* :func:`future_index`: the labels that continue an index.
* :func:`next_label`: the one label after a regular index (None if unknown).
* :func:`check_time_index`: refuse an index whose positions do not measure
  time in equal steps (unsorted, repeated, gaps).
* :func:`check_series`: one numeric, finite series with a usable index and,
  for dates, its frequency set.
* :func:`check_positive_int`, :func:`check_steps`, :func:`check_horizon`:
  counts of future steps.

The forecaster, the windowing functions, the baselines, the many-series
forecaster and the command line all call these; each may word the error
for its own users, but the inference itself happens here.

Examples
--------
>>> import pandas as pd
>>> from bpforecast.forecasting.series import future_index, infer_freq
>>> idx = pd.DatetimeIndex(["2024-01-01", "2024-02-01", "2024-03-01"])
>>> infer_freq(idx).freqstr
'MS'
>>> future_index(idx, 2).strftime("%Y-%m").tolist()
['2024-04', '2024-05']
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pandas.tseries.frequencies import to_offset

__all__ = [
    "check_column_names",
    "check_horizon",
    "check_positive_int",
    "check_series",
    "check_steps",
    "check_time_index",
    "datetime_freq",
    "future_index",
    "infer_freq",
    "infer_season_length",
    "is_int",
    "next_label",
    "with_frequency",
]


# ---------------------------------------------------------------------------
# column names of a long frame
# ---------------------------------------------------------------------------


def check_column_names(
    names: Any, columns: Sequence, reserved: Sequence, argument: str
) -> list:
    """``names`` as a list of columns of a long frame, checked.

    A bare string is one name. Raises a ValueError naming ``argument`` for
    a name among ``reserved`` (the id, time and target columns), a repeated
    name or a name that is not in ``columns``.

    Examples
    --------
    >>> from bpforecast.forecasting.series import check_column_names
    >>> columns = ["unique_id", "ds", "y", "price"]
    >>> reserved = ("unique_id", "ds", "y")
    >>> check_column_names("price", columns, reserved, "exog_cols")
    ['price']
    >>> check_column_names(["y"], columns, reserved, "exog_cols")
    Traceback (most recent call last):
    ...
    ValueError: exog_cols ['y'] are unique_id, ds or y (the id, time and ...
    """
    names = [names] if isinstance(names, str) else list(names)
    clash = [c for c in names if c in reserved]
    if clash:
        *first, last = [str(c) for c in reserved]
        raise ValueError(
            f"{argument} {clash} are {', '.join(first)} or {last} (the id, time "
            "and target columns); list only the other columns."
        )
    if len(set(names)) != len(names):
        raise ValueError(f"{argument} has repeated names: {names}.")
    missing = [c for c in names if c not in columns]
    if missing:
        raise ValueError(
            f"{argument} {missing} are not columns of data (it has {list(columns)})."
        )
    return names


# ---------------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------------


def is_int(value: Any) -> bool:
    """Whether ``value`` is an integer (numpy integers too, booleans not).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.series import is_int
    >>> is_int(3), is_int(np.int64(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(
        value, (bool, np.bool_)
    )


def check_positive_int(
    value: Any, name: str, *, wrong_type: type[Exception] = ValueError
) -> int:
    """``value`` as an int >= 1, or an error naming ``name``.

    Parameters
    ----------
    value : object
        The value to check; booleans and floats (even ``2.0``) are refused.
    name : str
        The argument's name, for the message.
    wrong_type : exception class, default=ValueError
        Raised when ``value`` is not an integer at all (:class:`TypeError`
        where that is the documented behaviour, as in
        :meth:`bpforecast.BPForecaster.predict`). A zero or negative integer
        always raises :class:`ValueError`.

    Returns
    -------
    int

    Examples
    --------
    >>> from bpforecast.forecasting.series import check_positive_int
    >>> check_positive_int(3, "steps")
    3
    >>> check_positive_int(0, "steps")
    Traceback (most recent call last):
    ...
    ValueError: steps must be a positive integer, got 0.
    """
    message = f"{name} must be a positive integer, got {value!r}."
    if not is_int(value):
        raise wrong_type(message)
    if value < 1:
        raise ValueError(message)
    return int(value)


def check_steps(steps: Any, *, wrong_type: type[Exception] = ValueError) -> int:
    """The number of steps to forecast, checked (see :func:`check_positive_int`).

    Examples
    --------
    >>> from bpforecast.forecasting.series import check_steps
    >>> check_steps(12)
    12
    >>> check_steps(2.5, wrong_type=TypeError)
    Traceback (most recent call last):
    ...
    TypeError: steps must be a positive integer, got 2.5.
    """
    return check_positive_int(steps, "steps", wrong_type=wrong_type)


def check_horizon(horizon: Any) -> int:
    """The forecast horizon, checked: an int >= 1, else a ValueError.

    Examples
    --------
    >>> from bpforecast.forecasting.series import check_horizon
    >>> check_horizon(6)
    6
    >>> check_horizon(True)
    Traceback (most recent call last):
    ...
    ValueError: horizon must be a positive integer, got True.
    """
    return check_positive_int(horizon, "horizon")


# ---------------------------------------------------------------------------
# frequencies
# ---------------------------------------------------------------------------


def infer_freq(index: pd.DatetimeIndex) -> pd.DateOffset | None:
    """The frequency of a datetime index as an offset, or None.

    The index's own ``freq`` if set, else what :func:`pandas.infer_freq`
    finds (it needs at least 3 evenly spaced values), else None. pandas'
    notice that ``infer_freq`` will one day return an offset is silenced:
    either answer is turned into an offset here.

    Parameters
    ----------
    index : pandas.DatetimeIndex

    Returns
    -------
    pandas.DateOffset or None

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import infer_freq
    >>> infer_freq(pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-03"]))
    <Day>
    >>> infer_freq(pd.DatetimeIndex(["2020-01-01", "2020-01-02", "2020-01-05"]))
    """
    if index.freq is not None:
        return index.freq
    if len(index) < 3:
        return None
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*infer_freq.*")
            warnings.filterwarnings(
                "ignore", message="A future version of pandas will return"
            )
            freq = pd.infer_freq(index)
    except (TypeError, ValueError):
        return None
    return None if freq is None else to_offset(freq)


def datetime_freq(index: pd.DatetimeIndex) -> pd.DateOffset:
    """The frequency of a DatetimeIndex (:func:`infer_freq`), or a ValueError.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import datetime_freq
    >>> datetime_freq(pd.date_range("2020", periods=3, freq="QS")).freqstr
    'QS-JAN'
    """
    freq = infer_freq(index)
    if freq is None:
        raise ValueError(
            "cannot determine the frequency of the DatetimeIndex: its freq is None "
            f"and pandas.infer_freq cannot infer one from its {len(index)} "
            "value(s) (it needs at least 3, evenly spaced, without gaps); "
            "set the frequency, e.g. y = y.asfreq('MS')"
        )
    return freq


_o = pd.offsets
# (offset classes, season length of one such period); first match wins.
_SEASONS: tuple[tuple[tuple[type, ...], int], ...] = (
    ((_o.SemiMonthBegin, _o.SemiMonthEnd), 24),
    (
        (
            _o.MonthBegin,
            _o.MonthEnd,
            _o.BusinessMonthBegin,
            _o.BusinessMonthEnd,
            _o.CustomBusinessMonthBegin,
            _o.CustomBusinessMonthEnd,
            _o.WeekOfMonth,
            _o.LastWeekOfMonth,
        ),
        12,
    ),
    (
        (_o.QuarterBegin, _o.QuarterEnd, _o.BQuarterBegin, _o.BQuarterEnd),
        4,
    ),
    ((_o.FY5253Quarter,), 4),
    ((_o.Week,), 52),
    ((_o.BusinessDay, _o.CustomBusinessDay), 5),
    ((_o.Day,), 7),
    ((_o.Hour,), 24),
)


def infer_season_length(index: pd.Index | pd.Series | str | pd.DateOffset) -> int:
    """The number of periods in one season, from an index's frequency.

    ===========================================  ==============
    frequency                                    season length
    ===========================================  ==============
    monthly (``MS``, ``ME``, ``BMS``, ...)       12
    semi-monthly (``SMS``, ``SME``)              24
    quarterly (``QS``, ``QE``, ...)              4
    weekly (``W-SUN``, ...)                      52
    daily (``D``)                                7
    business daily (``B``, ``C``)                5
    hourly (``h``)                               24
    yearly, anything else                        1
    ===========================================  ==============

    A multiple ``k`` of a base frequency (``2h``, ``3MS``) gives the base
    season length divided by ``k`` when ``k`` divides it (``2h`` -> 12,
    ``3MS`` -> 4), else 1.

    Parameters
    ----------
    index : pandas.Index, pandas.Series, str or DateOffset
        A :class:`~pandas.DatetimeIndex` (``freq``, else
        :func:`pandas.infer_freq`) or :class:`~pandas.PeriodIndex`; a Series
        stands for its index; a string or offset is a frequency. Any other
        index (``RangeIndex``, integers), or a DatetimeIndex whose frequency
        cannot be determined, gives 1.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import infer_season_length
    >>> infer_season_length(pd.date_range("2000-01-01", periods=30, freq="MS"))
    12
    >>> infer_season_length("QS"), infer_season_length("W"), infer_season_length("h")
    (4, 52, 24)
    >>> infer_season_length("YS"), infer_season_length(pd.RangeIndex(10))
    (1, 1)
    """
    if isinstance(index, pd.Series):
        index = index.index
    if isinstance(index, (str, pd.DateOffset)):
        offset = to_offset(index)
    elif isinstance(index, pd.PeriodIndex):
        offset = index.freq
    elif isinstance(index, pd.DatetimeIndex):
        offset = infer_freq(index)
        if offset is None:
            return 1
    else:
        return 1
    for classes, season in _SEASONS:
        if isinstance(offset, classes):
            n = int(offset.n)
            return season // n if n >= 1 and season % n == 0 else 1
    return 1


# ---------------------------------------------------------------------------
# continuing an index
# ---------------------------------------------------------------------------


def future_index(index: pd.Index | ArrayLike, steps: int) -> pd.Index:
    """The ``steps`` index values that follow ``index``.

    Parameters
    ----------
    index : pandas.Index or array-like
        A :class:`~pandas.DatetimeIndex` with ``freq`` set or inferable by
        :func:`pandas.infer_freq`; a :class:`~pandas.PeriodIndex`; a
        :class:`~pandas.RangeIndex` or an evenly spaced integer index (one
        integer is continued with step 1).
    steps : int
        How many values, at least 1.

    Returns
    -------
    pandas.DatetimeIndex, pandas.PeriodIndex or pandas.RangeIndex
        ``steps`` values continuing ``index`` at its frequency (step), with
        its name (and time zone). A DatetimeIndex result has ``freq`` set.

    Raises
    ------
    ValueError
        ``steps`` not a positive integer; ``index`` empty; a DatetimeIndex
        whose frequency cannot be determined; an integer index not evenly
        spaced.
    TypeError
        Any other kind of index (strings, floats, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import future_index
    >>> idx = pd.date_range("1960-10-01", periods=3, freq="MS")
    >>> nxt = future_index(idx, 2)
    >>> [str(t.date()) for t in nxt], nxt.freqstr
    (['1961-01-01', '1961-02-01'], 'MS')
    >>> future_index(pd.RangeIndex(5), 3)
    RangeIndex(start=5, stop=8, step=1)
    """
    steps = check_steps(steps)
    if not isinstance(index, pd.Index):
        index = pd.Index(np.asarray(index))
    if len(index) == 0:
        raise ValueError("index is empty: there is nothing to continue")
    if isinstance(index, pd.DatetimeIndex):
        offset = datetime_freq(index)
        out = pd.date_range(
            start=index[-1], periods=steps + 1, freq=offset, unit=index.unit
        )[1:]
        return out.rename(index.name)
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(
            start=index[-1] + 1, periods=steps, freq=index.freq, name=index.name
        )
    if isinstance(index, pd.RangeIndex):
        step = index.step
    elif pd.api.types.is_integer_dtype(index.dtype):
        diffs = np.diff(index.to_numpy())
        if diffs.size == 0:
            step = 1
        elif np.all(diffs == diffs[0]) and diffs[0] != 0:
            step = int(diffs[0])
        else:
            raise ValueError(
                "cannot continue an integer index that is not evenly spaced"
            )
    else:
        raise TypeError(
            f"cannot continue an index of dtype {index.dtype} "
            f"({type(index).__name__}); use a DatetimeIndex with a frequency, "
            "a PeriodIndex, a RangeIndex or an evenly spaced integer index"
        )
    last = int(index[-1])
    return pd.RangeIndex(last + step, last + step * (steps + 1), step, name=index.name)


def next_label(index: pd.Index) -> Any:
    """The label one step after the end of a regular index (None if unknown).

    Lenient where :func:`future_index` is strict: a DatetimeIndex without a
    frequency continues by its last spacing (NaT for a single date), a
    regular float index by its last step, and any other index gives None.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import next_label
    >>> next_label(pd.RangeIndex(5)), next_label(pd.Index(["a", "b"]))
    (5, None)
    >>> next_label(pd.date_range("2020-01-01", periods=3, freq="D"))
    Timestamp('2020-01-04 00:00:00')
    """
    if isinstance(index, pd.RangeIndex):
        return index[-1] + index.step
    if isinstance(index, pd.PeriodIndex):
        return index[-1] + 1
    if isinstance(index, pd.DatetimeIndex):
        freq = infer_freq(index)
        if freq is not None:
            return index[-1] + freq
        if len(index) >= 2:
            return index[-1] + (index[-1] - index[-2])
        return pd.NaT
    if index.dtype.kind in "iuf":
        step = index[-1] - index[-2] if len(index) >= 2 else 1
        return index[-1] + step
    return None


# ---------------------------------------------------------------------------
# checking an index and a series
# ---------------------------------------------------------------------------


def check_time_index(index: pd.Index, name: str) -> None:
    """Refuse an index whose positions do not measure time in equal steps.

    Lags count observations, so a series must be unique, increasing and
    regularly spaced: a RangeIndex must step forward; a DatetimeIndex needs
    a frequency (:func:`infer_freq`); a PeriodIndex no missing periods; a
    numeric index equal steps. Other indexes (strings, ...) only need to be
    unique. A MultiIndex is refused.

    Parameters
    ----------
    index : pandas.Index
    name : str
        What the index belongs to, for the messages (``"y"``).

    Raises
    ------
    ValueError

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import check_time_index
    >>> check_time_index(pd.RangeIndex(4), "y")
    >>> check_time_index(pd.Index([1, 2, 4]), "y")
    Traceback (most recent call last):
    ...
    ValueError: y index is not regularly spaced: ...
    """
    if isinstance(index, pd.RangeIndex):
        if index.step < 0:
            raise ValueError(f"{name} index must be increasing.")
        return
    if isinstance(index, pd.MultiIndex):
        raise ValueError(
            f"{name} has a MultiIndex; pass several series as a wide DataFrame "
            "(one column per series) or in long format (unique_id, ds, y)."
        )
    if not index.is_unique:
        raise ValueError(f"{name} index has repeated labels.")
    ordered = isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) or (
        index.dtype.kind in "iuf"
    )
    if not ordered:
        return
    if not index.is_monotonic_increasing:
        raise ValueError(f"{name} index must be sorted in increasing time order.")
    hint = (
        "lags count observations, so gaps would misalign the windows; fill the "
        "gaps, or pass the values without their index (.to_numpy()) if counting "
        "observations is what you mean."
    )
    if isinstance(index, pd.DatetimeIndex):
        if len(index) >= 3 and infer_freq(index) is None:
            raise ValueError(f"{name} index is not regularly spaced: {hint}")
    elif isinstance(index, pd.PeriodIndex):
        if len(index) >= 2 and np.any(np.diff(index.asi8) != 1):
            raise ValueError(f"{name} index has missing periods: {hint}")
    elif len(index) >= 3:
        steps = np.diff(index.to_numpy(dtype=np.float64))
        if not np.allclose(steps, steps[0]):
            raise ValueError(f"{name} index is not regularly spaced: {hint}")


def check_series(y: Any, name: str = "y") -> pd.Series:
    """A checked float copy of one series, its dates' frequency set.

    The series checks of :class:`~bpforecast.BPForecaster`: one column;
    numeric (not boolean); finite; an index that is a DatetimeIndex
    (increasing, unique, with a frequency, set on the copy), a PeriodIndex
    or an evenly spaced increasing integer index. An array is numbered
    ``0 .. n-1``. The copy is named ``"y"``.

    Parameters
    ----------
    y : pandas.Series, one-column DataFrame or 1-D array-like
    name : str, default="y"
        For the messages.

    Returns
    -------
    pandas.Series

    Raises
    ------
    TypeError
        Non-numeric values, or an index of another kind.
    ValueError
        Several columns, not 1-D, NaN or infinite values, unsorted, repeated
        or irregular labels.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import check_series
    >>> idx = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
    >>> check_series(pd.Series([1, 2, 3], index=idx)).index.freqstr
    'MS'
    >>> check_series([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: y contains NaN or infinite values.
    """
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"{name} must be one series; got a DataFrame with {y.shape[1]} columns."
            )
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        series = y.copy()
    else:
        values = np.asarray(y)
        if values.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {values.shape}.")
        series = pd.Series(values)
    if not (
        pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_bool_dtype(series.dtype)
    ):
        raise TypeError(f"{name} must be numeric, got dtype {series.dtype}.")
    series = series.astype(float)
    if not np.all(np.isfinite(series.to_numpy())):
        raise ValueError(f"{name} contains NaN or infinite values.")
    index = series.index
    if isinstance(index, pd.DatetimeIndex):
        if not index.is_monotonic_increasing or index.has_duplicates:
            raise ValueError(f"{name}'s dates must be increasing and unique.")
        if index.freq is None:
            freq = infer_freq(index)
            if freq is None:
                raise ValueError(
                    f"{name}'s DatetimeIndex has no regular frequency; "
                    "resample it (e.g. y.asfreq('D')) first."
                )
            series.index = pd.DatetimeIndex(index, freq=freq)
    elif isinstance(index, pd.RangeIndex):
        if index.step < 0:
            raise ValueError(f"{name}'s index must be increasing.")
    elif isinstance(index, pd.PeriodIndex) or pd.api.types.is_integer_dtype(index):
        if not index.is_monotonic_increasing or index.has_duplicates:
            raise ValueError(f"{name}'s index must be increasing and unique.")
        if pd.api.types.is_integer_dtype(index) and len(index) > 1:
            steps = np.diff(np.asarray(index))
            if not np.all(steps == steps[0]):
                raise ValueError(
                    f"{name}'s integer index is not evenly spaced; "
                    "pass y.to_numpy() to number the values 0..n-1."
                )
    else:
        raise TypeError(
            f"{name}'s index must be a DatetimeIndex, PeriodIndex or integer index, "
            f"got {type(index).__name__}; parse the dates first (pd.to_datetime) or "
            "pass y.to_numpy()."
        )
    series.name = "y"
    return series


def with_frequency(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """``index`` with its frequency set (:func:`datetime_freq`), else ValueError.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.series import with_frequency
    >>> idx = pd.DatetimeIndex(["2020-01-01", "2020-01-08", "2020-01-15"])
    >>> with_frequency(idx).freqstr
    'W-WED'
    """
    if index.freq is not None:
        return index
    return pd.DatetimeIndex(index, freq=datetime_freq(index))
