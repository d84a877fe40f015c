"""Aligned training pairs for sequence prediction, and time-ordered validation.

This module plays the part of MATLAB's ``preparets`` for ``narnet`` /
``narxnet`` style networks, in the scikit-learn world of 2-D tables:

* :func:`make_windows` turns a series (or several) into a table of lagged
  inputs ``X`` and a table of targets ``Y``. The row for time ``t`` holds
  ``y(t - lag)`` for each feedback lag, ``x(t - l)`` for each exogenous
  variable and input lag, and the targets ``y(t), ..., y(t + horizon - 1)``.
  Only rows whose inputs and targets all lie inside the series are kept, so
  the first ``max_lag`` values only ever appear as inputs (they are the
  "initial delay states" ``Xi`` of ``preparets``) and nothing is padded or
  shifted out of line.
* :func:`last_window` gives the input row for the first step after the end
  of the series: the starting point of a recursive (MATLAB: closed-loop)
  forecast.
* :class:`RollingOriginSplit` is a rolling-origin (time-series) splitter for
  scikit-learn's ``cv=`` argument (it lives in
  :mod:`bpforecast.evaluation.splitters`; re-exported here). For a single
  train/validation/test block division use
  :func:`bpforecast.estimators.division.divideblock`.

MATLAB correspondence (lags are MATLAB's delays):

=======================================  =========================================
MATLAB                                   bpforecast
=======================================  =========================================
``narnet(1:d)`` + ``preparets``          ``make_windows(y, lags=d)``
``narxnet(1:dx, 1:d)`` + ``preparets``   ``make_windows(y, d, exog=x,``
                                         ``exog_lags=range(1, dx + 1))``
``narxnet(0:dx, 1:d)``                   ``exog_lags=range(0, dx + 1)``
``closeloop`` from the last states       :func:`last_window`, then feed back
=======================================  =========================================

``horizon > 1`` gives several target columns (the direct multi-output
strategy), which MATLAB's shallow networks do not offer.

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.windowing import make_windows
>>> X, Y = make_windows(np.arange(5.0), lags=2)
>>> X.to_numpy().tolist(), Y.to_numpy().ravel().tolist()
([[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]], [2.0, 3.0, 4.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..evaluation.splitters import RollingOriginSplit
from .series import check_horizon, check_time_index, is_int, next_label

__all__ = [
    "RollingOriginSplit",
    "describe_lags",
    "last_window",
    "make_windows",
    "normalize_lags",
]

_LONG_COLUMNS = ("unique_id", "ds", "y")


# ----------------------------------------------------------------------------
# lags and scalar checks
# ----------------------------------------------------------------------------


def _check_lags(lags: Any, name: str, allow_zero: bool) -> np.ndarray:
    lowest = 0 if allow_zero else 1
    if isinstance(lags, (bool, np.bool_)):
        raise ValueError(f"{name} must be an int or a sequence of ints, got {lags!r}.")
    if is_int(lags):
        if lags < 1:
            raise ValueError(
                f"{name} as an int L means the lags 1..L; it must be >= 1, got {lags}."
            )
        return np.arange(1, int(lags) + 1, dtype=np.int64)
    if isinstance(lags, (str, bytes, Mapping)) or lags is None:
        raise ValueError(f"{name} must be an int or a sequence of ints, got {lags!r}.")
    try:
        arr = np.asarray(list(lags) if not isinstance(lags, np.ndarray) else lags)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an int or a sequence of ints, got {lags!r}."
        ) from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of ints, got {lags!r}."
        )
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must contain only integers, got {lags!r}.")
    if arr.min() < lowest:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must contain only {kind} integers, got {lags!r}.")
    return np.unique(arr).astype(np.int64)


def describe_lags(lags) -> str:
    """Lags in words: ``'1..12'`` for a run of three or more, else listed.

    Examples
    --------
    >>> from bpforecast.forecasting.windowing import describe_lags
    >>> describe_lags([1, 2, 3, 4]), describe_lags([1, 12])
    ('1..4', '1, 12')
    """
    values = [int(v) for v in lags]
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}..{values[-1]}"
    return ", ".join(str(v) for v in values)


def normalize_lags(lags: int | ArrayLike) -> np.ndarray:
    """Turn a lag specification into a sorted array of distinct positive lags.

    Parameters
    ----------
    lags : int or sequence of int
        An int ``L`` means the lags ``1, 2, ..., L`` (MATLAB's ``1:L``); a
        sequence lists the lags themselves, in any order, repeats allowed.

    Returns
    -------
    numpy.ndarray of int64
        The lags, sorted and without repeats.

    Raises
    ------
    ValueError
        If ``lags`` is 0 or negative, contains a zero, negative or
        non-integer value (floats such as ``2.0`` included), is empty, or is
        not an int or a sequence of ints.

    Examples
    --------
    >>> from bpforecast.forecasting.windowing import normalize_lags
    >>> normalize_lags(3).tolist()
    [1, 2, 3]
    >>> normalize_lags([12, 1, 2, 1]).tolist()
    [1, 2, 12]
    >>> normalize_lags(0)
    Traceback (most recent call last):
    ...
    ValueError: lags as an int L means the lags 1..L; it must be >= 1, got 0.
    """
    return _check_lags(lags, "lags", allow_zero=False)


def _check_exog_lags(exog_lags: Any, exog: Any) -> np.ndarray | None:
    if exog is None:
        if exog_lags is not None:
            raise ValueError("exog_lags was given but exog is None.")
        return None
    if exog_lags is None:
        return np.zeros(1, dtype=np.int64)
    return _check_lags(exog_lags, "exog_lags", allow_zero=True)


# ----------------------------------------------------------------------------
# input parsing
# ----------------------------------------------------------------------------


def _finite(values: Any, name: str) -> np.ndarray:
    """Float64 copy of ``values``; ValueError naming ``name`` if not finite."""
    try:
        if isinstance(values, (pd.Series, pd.DataFrame)):
            arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must contain only numbers: {exc}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            f"{name} contains NaN or infinite values; fill or drop them first "
            "(windows are never built across missing values)."
        )
    return arr


@dataclass
class _Series:
    key: Any
    index: pd.Index
    values: np.ndarray
    exog: np.ndarray | None


@dataclass
class _Panel:
    series: list[_Series]
    multi: bool
    level_names: tuple[Any, Any] | None  # (series level, time level) if multi
    exog_names: list[str]


def _is_long(y: Any) -> bool:
    return isinstance(y, pd.DataFrame) and set(_LONG_COLUMNS) <= set(y.columns)


def _exog_table(exog: Any, n: int, index: pd.Index | None) -> tuple:
    """Exog as a finite (n, k) float array plus column names, checked aligned.

    ``index`` is the pandas index exog must equal when both are pandas objects
    (None when y came without one); otherwise only the length is checked.
    """
    if isinstance(exog, pd.Series):
        names = ["x" if exog.name is None else str(exog.name)]
    elif isinstance(exog, pd.DataFrame):
        names = [str(c) for c in exog.columns]
    else:
        arr = np.asarray(exog)
        if arr.ndim == 1:
            names = ["x"]
        elif arr.ndim == 2:
            names = [f"x{j}" for j in range(arr.shape[1])]
        else:
            raise ValueError(f"exog must be 1-D or 2-D, got {arr.ndim} dimensions.")
    if not names:
        raise ValueError("exog has no columns.")
    if len(set(names)) != len(names):
        raise ValueError(f"exog column names must be distinct, got {names}.")
    if isinstance(exog, (pd.Series, pd.DataFrame)) and index is not None:
        if not exog.index.equals(index):
            raise ValueError(
                "exog must have the same index as y (same labels, same order); "
                "align it first, e.g. exog.reindex(y.index), or pass arrays."
            )
    values = _finite(exog, "exog")
    values = values.reshape(len(values), -1)
    if values.shape[0] != n:
        raise ValueError(
            f"exog must have one row per time step of y ({n}), got "
            f"{values.shape[0]} rows."
        )
    return values, names


def _panel(y: Any, exog: Any) -> _Panel:
    """Parse y (+ exog) into per-series records."""
    if _is_long(y):
        return _long_panel(y, exog)
    if isinstance(y, pd.DataFrame):
        check_time_index(y.index, "y")
        values = _finite(y, "y")
        if values.shape[1] == 0:
            raise ValueError("y has no columns (no series).")
        if y.columns.has_duplicates:
            raise ValueError("y has repeated column (series) names.")
        ex, names = (None, [])
        if exog is not None:
            ex, names = _exog_table(exog, len(y), y.index)
        series = [
            _Series(key, y.index, values[:, j], ex) for j, key in enumerate(y.columns)
        ]
        time_name = "time" if y.index.name is None else y.index.name
        return _Panel(series, True, ("series", time_name), names)
    if isinstance(y, pd.Series):
        check_time_index(y.index, "y")
        values = _finite(y, "y")
        index = y.index
        pandas_index = y.index
    else:
        values = _finite(y, "y")
        if values.ndim not in (1, 2):
            raise ValueError(
                f"y must be 1-D (one series) or 2-D (one column per series), "
                f"got {values.ndim} dimensions."
            )
        index = pd.RangeIndex(len(values))
        pandas_index = None
    ex, names = (None, [])
    if exog is not None:
        ex, names = _exog_table(exog, len(values), pandas_index)
    if values.ndim == 2:
        if values.shape[1] == 0:
            raise ValueError("y has no columns (no series).")
        series = [_Series(j, index, values[:, j], ex) for j in range(values.shape[1])]
        return _Panel(series, True, ("series", "time"), names)
    return _Panel([_Series(None, index, values, ex)], False, None, names)


def _long_panel(df: pd.DataFrame, exog: Any) -> _Panel:
    extra = [c for c in df.columns if c not in _LONG_COLUMNS]
    if extra:
        raise ValueError(
            f"long-format y must have exactly the columns {list(_LONG_COLUMNS)}; "
            f"got extra columns {extra}. Pass exogenous variables with exog=."
        )
    if df["unique_id"].isna().any():
        raise ValueError("y has missing unique_id values.")
    values = _finite(df["y"], "y")
    ex, names = (None, [])
    if exog is not None:
        ex, names = _exog_table(exog, len(df), df.index)
    ds = df["ds"].to_numpy()
    groups = df.groupby("unique_id", sort=False).indices
    series = []
    for key, pos in groups.items():
        pos = pos[np.argsort(ds[pos], kind="stable")]
        index = pd.Index(ds[pos], name="ds")
        check_time_index(index, f"y (series {key!r})")
        series.append(_Series(key, index, values[pos], None if ex is None else ex[pos]))
    return _Panel(series, True, ("unique_id", "ds"), names)


def _columns(lags, exog_names, exog_lags) -> list[str]:
    cols = [f"y_lag{lag}" for lag in lags]
    for name in exog_names:
        cols += [f"{name}_lag{lag}" for lag in exog_lags]
    if len(set(cols)) != len(cols):
        raise ValueError(
            f"exog column names {exog_names} clash with the names of y's lag "
            "columns (y_lag<k>); rename the exog columns."
        )
    return cols


def _label(key: Any) -> str:
    return "y" if key is None else f"y (series {key!r})"


def _stack(panel: _Panel, blocks: list, indexes: list, columns) -> pd.DataFrame:
    if not panel.multi:
        return pd.DataFrame(blocks[0], index=indexes[0], columns=columns)
    counts = [len(ix) for ix in indexes]
    keys = pd.Index([s.key for s in panel.series]).repeat(counts)
    times = indexes[0].append(indexes[1:]) if len(indexes) > 1 else indexes[0]
    index = pd.MultiIndex.from_arrays([keys, times], names=list(panel.level_names))
    return pd.DataFrame(np.concatenate(blocks), index=index, columns=columns)


# ----------------------------------------------------------------------------
# public functions
# ----------------------------------------------------------------------------


def make_windows(
    y: pd.Series | pd.DataFrame | ArrayLike,
    lags: int | ArrayLike,
    horizon: int = 1,
    exog: pd.Series | pd.DataFrame | ArrayLike | None = None,
    exog_lags: int | ArrayLike | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build aligned (inputs, targets) tables from a series, like ``preparets``.

    The row labelled ``t`` (the time of its first target) holds

    * ``y_lag{k}`` = ``y(t - k)`` for each ``k`` in ``lags`` (increasing);
    * ``{name}_lag{l}`` = ``x(t - l)`` for each exogenous column ``x`` (in
      its column order) and each ``l`` in ``exog_lags`` (increasing). ``l``
      may be 0: the value at the target time ``t`` itself, for variables
      known in advance (calendar, planned prices);
    * targets ``y_step{h}`` = ``y(t + h - 1)`` for ``h = 1, ..., horizon``.

    Lags count observations (positions), so the series must be regularly
    spaced. Only rows whose inputs and targets all lie inside the series are
    kept: there are ``n - max_lag - horizon + 1`` of them, where ``max_lag``
    is the largest of ``lags`` and ``exog_lags``. Nothing is padded, filled
    or shifted out of line. The inputs are never modified.

    Parameters
    ----------
    y : pandas.Series, 1-D array, pandas.DataFrame or 2-D array
        The target series.

        * Series: its index labels the rows (RangeIndex, DatetimeIndex,
          PeriodIndex, a regular numeric index, ...). It must be unique and
          increasing, and a datetime/period/numeric index must be regularly
          spaced (a gap would silently misalign lags).
        * 1-D array or list: rows are labelled by position (RangeIndex).
        * DataFrame or 2-D array (wide format): one column per series sharing
          one index. Windows are built per series and stacked, with a
          ``(series, time)`` MultiIndex on the rows. Series of different
          lengths go in long format instead (NaN padding is refused).
        * DataFrame with exactly the columns ``unique_id, ds, y`` (long
          format): one series per ``unique_id`` (in order of first
          appearance), each sorted by ``ds``; rows get a ``(unique_id, ds)``
          MultiIndex.
    lags : int or sequence of int
        Feedback delays, see :func:`normalize_lags` (``L`` means ``1..L``).
    horizon : int, default=1
        Number of consecutive targets per row.
    exog : pandas.Series, pandas.DataFrame or array-like, optional
        Exogenous inputs, one row per time step of ``y``. With pandas ``y``
        and pandas ``exog`` the indexes must be equal; otherwise the lengths
        must. For wide multi-series ``y`` the same exog is used for every
        series; for long-format ``y``, exog is aligned with the rows of the
        long frame (and split by series with it). Column names: a Series'
        name (``"x"`` if unnamed), a DataFrame's columns, ``"x"`` for a 1-D
        array, ``"x0", "x1", ...`` for a 2-D array.
    exog_lags : int or sequence of int, optional
        Input delays of the exogenous variables; 0 is allowed in a sequence.
        An int ``L`` means ``1..L`` as for ``lags``. Default ``[0]`` (the
        value at the target time). Only valid together with ``exog``.

    Returns
    -------
    X : pandas.DataFrame
        Inputs, columns ``y_lag{k}`` then ``{name}_lag{l}``, float64.
    Y : pandas.DataFrame
        Targets, columns ``y_step1, ..., y_step{horizon}``, float64, same
        index as ``X``.

    Raises
    ------
    ValueError
        Bad ``lags``, ``exog_lags`` or ``horizon``; NaN, infinite or
        non-numeric values in ``y`` or ``exog`` (naming which); ``exog`` not
        aligned with ``y``; an unsorted, repeated or irregular index; or a
        series too short for the lags and horizon
        (``n < max_lag + horizon``).

    See Also
    --------
    last_window : the input row for forecasting past the end of the series.
    RollingOriginSplit : time-ordered cross-validation of the rows.

    Notes
    -----
    MATLAB's ``preparets(net, X, {}, T)`` for ``narnet(1:d)`` returns the same
    pairs as ``make_windows(y, d)`` for ``horizon=1``: its initial delay
    states ``Xi`` are the first ``d`` values, which here appear only as
    inputs of the first rows.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from bpforecast.forecasting.windowing import make_windows
    >>> y = pd.Series(np.arange(6.0), index=pd.RangeIndex(6))
    >>> X, Y = make_windows(y, lags=2, horizon=2)
    >>> X
       y_lag1  y_lag2
    2     1.0     0.0
    3     2.0     1.0
    4     3.0     2.0
    >>> Y
       y_step1  y_step2
    2      2.0      3.0
    3      3.0      4.0
    4      4.0      5.0

    A variable known in advance, at the target time and one step before:

    >>> price = pd.Series([10.0, 11, 12, 13, 14, 15], name="price")
    >>> X, Y = make_windows(y, lags=1, exog=price, exog_lags=[0, 1])
    >>> X.head(2)
       y_lag1  price_lag0  price_lag1
    1     0.0        11.0        10.0
    2     1.0        12.0        11.0
    """
    lags = normalize_lags(lags)
    horizon = check_horizon(horizon)
    exog_lags = _check_exog_lags(exog_lags, exog)
    panel = _panel(y, exog)
    max_lag = int(lags[-1])
    if exog_lags is not None:
        max_lag = max(max_lag, int(exog_lags[-1]))
    x_columns = _columns(lags, panel.exog_names, exog_lags)
    y_columns = [f"y_step{h}" for h in range(1, horizon + 1)]

    x_blocks, y_blocks, indexes = [], [], []
    for s in panel.series:
        n = len(s.values)
        n_rows = n - max_lag - horizon + 1
        if n_rows < 1:
            raise ValueError(
                f"{_label(s.key)} (length n={n}) is too short for the lags and "
                f"horizon: with max_lag={max_lag} and horizon={horizon} it needs "
                f"at least max_lag + horizon = {max_lag + horizon} values."
            )
        start = max_lag  # position of the first row's time t
        cols = [s.values[start - k : start - k + n_rows] for k in lags]
        if s.exog is not None:
            for j in range(s.exog.shape[1]):
                cols += [s.exog[start - k : start - k + n_rows, j] for k in exog_lags]
        x_blocks.append(np.column_stack(cols))
        y_blocks.append(
            np.column_stack(
                [s.values[start + h : start + h + n_rows] for h in range(horizon)]
            )
        )
        indexes.append(s.index[start : start + n_rows])
    X = _stack(panel, x_blocks, indexes, x_columns)
    Y = _stack(panel, y_blocks, indexes, y_columns)
    return X, Y


def _future_rows(future_exog: Any, panel: _Panel) -> dict:
    """future_exog as {series key: (k,) float array}."""
    names = panel.exog_names
    keys = [s.key for s in panel.series]
    k = len(names)

    def row(values: Any) -> np.ndarray:
        arr = _finite(values, "future_exog").reshape(-1)
        if arr.size != k:
            raise ValueError(
                f"future_exog must give one value per exog column {names}, "
                f"got {arr.size} values."
            )
        return arr

    if isinstance(future_exog, Mapping):
        missing = [c for c in names if c not in future_exog]
        unknown = [c for c in future_exog if c not in names]
        if missing or unknown:
            raise ValueError(
                f"future_exog keys must be the exog columns {names}; "
                f"missing {missing}, unknown {unknown}."
            )
        shared = row([future_exog[c] for c in names])
        return dict.fromkeys(keys, shared)
    if isinstance(future_exog, pd.Series):
        if len(future_exog) == k and set(map(str, future_exog.index)) == set(names):
            by_name = future_exog.copy()
            by_name.index = [str(i) for i in by_name.index]
            return dict.fromkeys(keys, row(by_name[names]))
        if k == 1 and len(future_exog) == 1:
            return dict.fromkeys(keys, row(future_exog))
        raise ValueError(
            "future_exog as a Series must be indexed by the exog columns "
            f"{names} (or hold a single value when there is one exog column)."
        )
    if isinstance(future_exog, pd.DataFrame):
        frame = future_exog
        if "unique_id" in frame.columns:
            frame = frame.set_index("unique_id")
        frame = frame.rename(columns=str)
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise ValueError(
                f"future_exog is missing the exog columns {missing} (needs {names})."
            )
        if (
            panel.multi
            and frame.index.is_unique
            and all(k_ in frame.index for k_ in keys)
        ):
            return {key: row(frame.loc[key, names]) for key in keys}
        if len(frame) == 1:
            return dict.fromkeys(keys, row(frame[names]))
        raise ValueError(
            "future_exog as a DataFrame must have one row (shared), or, for "
            "several series, one row per series indexed by the series key."
        )
    arr = np.asarray(future_exog)
    if arr.ndim == 2 and panel.multi and arr.shape[0] == len(keys) and len(keys) > 1:
        return {key: row(arr[i]) for i, key in enumerate(keys)}
    return dict.fromkeys(keys, row(arr))


def last_window(
    y: pd.Series | pd.DataFrame | ArrayLike,
    lags: int | ArrayLike,
    exog: pd.Series | pd.DataFrame | ArrayLike | None = None,
    exog_lags: int | ArrayLike | None = None,
    future_exog: Any = None,
) -> pd.DataFrame:
    """The input row for forecasting the first step after the end of ``y``.

    With ``T`` the time right after the last observation, the row holds
    ``y(T - k)`` for each ``k`` in ``lags`` and ``x(T - l)`` for each exog
    column and ``l`` in ``exog_lags``: exactly the ``X`` row that
    :func:`make_windows` (same arguments) would produce for ``T`` if ``y``
    had one more value. Feed it to a model trained with ``horizon=1`` to
    get ``y(T)``; for a recursive (MATLAB: closed-loop) forecast, append the
    prediction to ``y`` (and the next exog values to ``exog``) and call again.

    What it needs:

    * ``y`` with at least ``max(lags)`` values (per series), finite, in any
      form :func:`make_windows` accepts. The targets of the last rows are not
      needed, so a series too short for ``make_windows`` may still do.
    * ``exog`` aligned with ``y`` exactly as in :func:`make_windows` (one row
      per time step of ``y``, nothing beyond its end), with at least
      ``max(exog_lags)`` rows; only needed (and only allowed) with
      ``exog_lags``.
    * ``future_exog``: the exog values at time ``T``, required exactly when
      ``exog_lags`` contains 0 (and refused otherwise). One value per exog
      column, given as a dict ``{name: value}``, a Series indexed by the
      column names, a one-row DataFrame, a 1-D array in column order, or a
      scalar / one-value Series when there is one exog column. For several
      series it is shared by all of them, unless given per series: a
      DataFrame indexed by the series keys (or with a ``unique_id`` column),
      or a 2-D array with one row per series in the order of the series.

    Parameters
    ----------
    y, lags, exog, exog_lags
        As in :func:`make_windows`.
    future_exog : dict, pandas.Series, pandas.DataFrame or array-like, optional
        The exogenous values at the forecast time, see above.

    Returns
    -------
    pandas.DataFrame
        One row (one per series for several series) with the same columns as
        ``make_windows``' ``X``. It is labelled with the time that follows the
        last label of ``y`` when that can be worked out (RangeIndex, a
        datetime index with a frequency, periods, a regular numeric index),
        else with None; several series get a MultiIndex as in
        :func:`make_windows`.

    Raises
    ------
    ValueError
        As :func:`make_windows`, and when ``y`` (or ``exog``) is shorter than
        the largest lag, or ``future_exog`` is missing, not needed or of the
        wrong shape.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.windowing import last_window
    >>> last_window(np.arange(5.0), lags=[1, 3])
       y_lag1  y_lag3
    5     4.0     2.0

    With a variable known in advance, its value at the forecast time is
    needed:

    >>> x = np.array([0.0, 10.0, 20.0, 30.0, 40.0])
    >>> last_window(np.arange(5.0), 1, exog=x, exog_lags=[0, 1], future_exog=50.0)
       y_lag1  x_lag0  x_lag1
    5     4.0    50.0    40.0
    """
    lags = normalize_lags(lags)
    exog_lags = _check_exog_lags(exog_lags, exog)
    panel = _panel(y, exog)
    x_columns = _columns(lags, panel.exog_names, exog_lags)
    needs_future = exog_lags is not None and exog_lags[0] == 0
    if needs_future and future_exog is None:
        raise ValueError(
            "exog_lags contains 0, so future_exog (the exog values at the "
            "forecast time, one per exog column) is required."
        )
    if not needs_future and future_exog is not None:
        raise ValueError(
            "future_exog is only used when exog_lags contains 0 (the exog value "
            "at the forecast time); remove it or add 0 to exog_lags."
        )
    future = _future_rows(future_exog, panel) if needs_future else None
    max_lag = int(lags[-1])
    if exog_lags is not None:
        max_lag = max(max_lag, int(exog_lags[-1]))

    blocks, indexes = [], []
    for s in panel.series:
        n = len(s.values)
        if n < max_lag:
            raise ValueError(
                f"{_label(s.key)} (length n={n}) is too short for the lags: the "
                f"next input row needs at least max_lag={max_lag} values."
            )
        row = [s.values[n - k] for k in lags]
        if s.exog is not None:
            for j in range(s.exog.shape[1]):
                row += [
                    future[s.key][j] if k == 0 else s.exog[n - k, j] for k in exog_lags
                ]
        blocks.append(np.asarray(row, dtype=np.float64).reshape(1, -1))
        label = next_label(s.index)
        indexes.append(pd.Index([label], name=s.index.name))
    return _stack(panel, blocks, indexes, x_columns)
