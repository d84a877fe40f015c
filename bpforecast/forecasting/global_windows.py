"""The windows GlobalForecaster trains on: pure array functions, no frames.

The pipeline, per series and then pooled across all series:

1. **Scale.** :func:`series_transform`: the log when every value is positive
   (``transform='auto'`` or ``'log'``), otherwise division by the mean
   absolute value, so series of any level share one network.
2. **Windows.** :func:`build_windows`: every window of ``lookback`` inputs
   followed by ``horizon`` targets, taken as a strided view of the series
   (:func:`numpy.lib.stride_tricks.sliding_window_view`) and written straight
   into one preallocated pair of arrays. A series with fewer than
   ``lookback + horizon + 1`` values is left-padded with its first value up
   to that length (every target stays an observed value).
3. **Window normalisation.** :func:`normalize_windows`: the window's *level*,
   the mean of its last ``m`` inputs (``m`` the season length, 1 for
   non-seasonal data, at most the lookback), is subtracted from its inputs
   and targets; :func:`denormalize` adds it back.
4. **Exogenous and static inputs** (optional). Each dynamic exogenous
   column, standardised per series (:func:`exog_scaling`), enters a window
   as its ``lookback + horizon`` values over the window's inputs *and*
   targets (the network is MIMO, so the future values of the regressor over
   the forecast steps are inputs); static inputs (already encoded, one row
   per series) are repeated in every window of their series. The columns
   are in the order :func:`window_columns` names them.
5. **Multi-output.** The network predicts all ``horizon`` steps at once
   (MIMO). Members differ by seed and lookback and are combined by the
   median, in the transformed space, before the transform is inverted.

Memory
------
The training matrices are the only large allocation: ``X`` of shape
``(n_windows, lookback)`` and ``Y`` of shape ``(n_windows, horizon)`` in
float64, filled from strided views without a concatenated copy, plus two
int64 bookkeeping vectors (window owner, first target; 16 bytes a window).
For 10**6 windows x 168 lags and a horizon of 24 that is
``10**6 * (168 + 24) * 8`` bytes = 1.536 GB (1.344 GB X + 0.192 GB Y) +
0.016 GB = 1.55 GB, plus the per-series transformed copies (8 bytes a value).
Measured with :mod:`tracemalloc` (:func:`build_windows` after
:func:`series_transform`, 100 series x 1000 windows x 168 lags, h = 24):
156.3 MB peak for 10**5 windows, 1.56 GB scaled to 10**6. Each dynamic
exogenous column widens ``X`` by ``lookback + horizon`` columns and each
encoded static input by one. The regressor then makes its own copies (a
:class:`~bpforecast.BPRegressor` standardises ``X`` and ``Y`` with
``mapstd``), which are not counted here; bound the windows with
``max_windows_per_series`` if needed.

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.global_windows import build_windows
>>> X, Y, owner, first = build_windows([np.arange(6.0)], 2, 1)
>>> X.shape, Y.ravel().tolist()
((4, 2), [1.0, 1.0, 1.0, 1.0])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "build_windows",
    "denormalize",
    "exog_scaling",
    "inverse_series_transform",
    "normalize_windows",
    "pad_left",
    "resolve_lookback",
    "series_transform",
    "window_columns",
    "window_view",
]


def series_transform(
    y: ArrayLike, transform: str | None = "auto"
) -> tuple[np.ndarray, bool, float]:
    """The scale-free version of one series: ``(z, logged, scale)``.

    ``z = log(y)`` when ``transform`` is ``'auto'`` and every value is
    positive, or when it is ``'log'`` (then a non-positive value raises);
    otherwise ``z = y / scale`` with ``scale`` the mean absolute value (1 if
    that is 0) and ``logged`` False. ``y`` is not modified.

    Parameters
    ----------
    y : array-like of shape (n,)
    transform : {'auto', 'log'} or None

    Returns
    -------
    z : ndarray of shape (n,)
    logged : bool
    scale : float
        1.0 when logged.

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import series_transform
    >>> z, logged, scale = series_transform([1.0, 10.0, 100.0])
    >>> z.round(3).tolist(), logged, scale
    ([0.0, 2.303, 4.605], True, 1.0)
    >>> z, logged, scale = series_transform([-2.0, 0.0, 2.0])
    >>> z.tolist(), logged, scale
    ([-1.5, 0.0, 1.5], False, 1.3333333333333333)
    """
    y = np.asarray(y, dtype=np.float64)
    positive = bool(np.all(y > 0))
    if transform == "log" and not positive:
        raise ValueError("transform='log' needs strictly positive values.")
    if transform in ("auto", "log") and positive:
        return np.log(y), True, 1.0
    scale = float(np.mean(np.abs(y))) if y.size else 1.0
    if not scale > 0:
        scale = 1.0
    return y / scale, False, scale


def inverse_series_transform(z: ArrayLike, logged: bool, scale: float) -> np.ndarray:
    """Undo :func:`series_transform`: ``exp(z)`` or ``z * scale``.

    Parameters
    ----------
    z : array-like
    logged : bool
    scale : float

    Returns
    -------
    ndarray
        Values in the original units (``inf`` where ``exp`` overflows).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.global_windows import (
    ...     inverse_series_transform, series_transform)
    >>> y = np.array([3.0, 4.0, 8.0])
    >>> np.allclose(inverse_series_transform(*series_transform(y)), y)
    True
    """
    z = np.asarray(z, dtype=np.float64)
    if logged:
        with np.errstate(over="ignore"):
            return np.exp(z)
    return z * scale


def pad_left(z: ArrayLike, length: int) -> np.ndarray:
    """``z`` left-padded with its first value to at least ``length`` values.

    Returns ``z`` itself (no copy) when it is long enough.

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import pad_left
    >>> pad_left([3.0, 4.0], 4).tolist()
    [3.0, 3.0, 3.0, 4.0]
    """
    z = np.asarray(z, dtype=np.float64)
    if z.size >= length:
        return z
    if z.size == 0:
        raise ValueError("cannot pad an empty series.")
    return np.concatenate([np.full(length - z.size, z[0]), z])


def window_view(z: ArrayLike, lookback: int, horizon: int) -> np.ndarray:
    """Every window of ``lookback + horizon`` consecutive values, as a view.

    A read-only strided view (no copy) of shape
    ``(len(z) - lookback - horizon + 1, lookback + horizon)``: row ``i`` is
    ``z[i : i + lookback + horizon]``; the first ``lookback`` columns are
    inputs, the rest targets.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.global_windows import window_view
    >>> window_view(np.arange(5.0), 2, 1).tolist()
    [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
    """
    z = np.asarray(z, dtype=np.float64)
    width = lookback + horizon
    if z.size < width:
        return np.empty((0, width))
    return np.lib.stride_tricks.sliding_window_view(z, width)


def normalize_windows(
    windows: np.ndarray,
    lookback: int,
    level_length: int,
    out_x: np.ndarray | None = None,
    out_y: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs and targets minus each window's level: ``(X, Y, level)``.

    The level of a window is the mean of its last ``level_length`` inputs
    (``min(level_length, lookback)`` of them). Results go into ``out_x`` /
    ``out_y`` when given (for filling a preallocated block without a copy).

    Parameters
    ----------
    windows : ndarray of shape (n, lookback + horizon)
    lookback : int
    level_length : int
        The season length ``m`` (1 for non-seasonal data).
    out_x, out_y : ndarray of shape (n, lookback) and (n, horizon), optional

    Returns
    -------
    X : ndarray of shape (n, lookback)
    Y : ndarray of shape (n, horizon)
    level : ndarray of shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.global_windows import normalize_windows
    >>> X, Y, level = normalize_windows(np.array([[1.0, 3.0, 5.0, 6.0]]), 3, 2)
    >>> X.tolist(), Y.tolist(), level.tolist()
    ([[-3.0, -1.0, 1.0]], [[2.0]], [4.0])
    """
    windows = np.asarray(windows, dtype=np.float64)
    k = max(1, min(int(level_length), lookback))
    level = windows[:, lookback - k : lookback].mean(axis=1)
    X = np.subtract(windows[:, :lookback], level[:, None], out=out_x)
    Y = np.subtract(windows[:, lookback:], level[:, None], out=out_y)
    return X, Y, level


def denormalize(prediction: ArrayLike, level: ArrayLike) -> np.ndarray:
    """Add each window's level back to its (normalised) prediction.

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import denormalize
    >>> denormalize([[2.0, 3.0]], [4.0]).tolist()
    [[6.0, 7.0]]
    """
    prediction = np.asarray(prediction, dtype=np.float64)
    return prediction + np.asarray(level, dtype=np.float64)[:, None]


def build_windows(
    series: Sequence[np.ndarray],
    lookback: int,
    horizon: int,
    level_lengths: Sequence[int] | int = 1,
    max_windows_per_series: int | None = None,
    exog: Sequence[np.ndarray] | None = None,
    static: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The normalised training windows of many (transformed) series, pooled.

    Each series is left-padded with its first value to
    ``lookback + horizon + 1`` values when shorter (:func:`pad_left`), cut
    into windows (:func:`window_view`), optionally only the last
    ``max_windows_per_series``, and normalised by each window's level
    (:func:`normalize_windows`), straight into preallocated ``X`` and ``Y``.

    Parameters
    ----------
    series : sequence of 1-D arrays
        The transformed series (:func:`series_transform`).
    lookback, horizon : int
    level_lengths : int or sequence of int
        Season length per series (or one for all).
    max_windows_per_series : int, optional
    exog : sequence of 2-D arrays, optional
        Per series, its dynamic exogenous values of shape ``(len(z), k)``
        (the same ``k`` columns for every series), already scaled (see
        :func:`exog_scaling`). Column ``j`` adds the ``lookback + horizon``
        values that run alongside each window's inputs and targets, padded
        like the series. Not normalised by the window's level.
    static : array-like of shape (n_series, d), optional
        Encoded static inputs, one row per series, repeated in each of its
        windows.

    Returns
    -------
    X : ndarray of shape (n_windows, lookback + k * (lookback + horizon) + d)
        Columns as :func:`window_columns` names them: the ``lookback``
        normalised values, then each exogenous column's ``lookback +
        horizon`` values, then the ``d`` static inputs.
    Y : ndarray of shape (n_windows, horizon)
    owner : ndarray of shape (n_windows,)
        The position of each window's series in ``series``.
    first_target : ndarray of shape (n_windows,)
        The position in the *unpadded* series of each window's first target
        (negative only for a series with fewer than ``horizon + 1`` values,
        whose first targets are padding; GlobalForecaster rejects those).

    Raises
    ------
    ValueError
        When an ``exog`` array does not have one row per value of its series
        or the same number of columns as the others, or ``static`` does not
        have one row per series.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.global_windows import build_windows
    >>> X, Y, owner, first = build_windows([np.arange(5.0), np.arange(3.0)], 2, 1)
    >>> X.tolist(), Y.tolist(), owner.tolist(), first.tolist()
    ([[-1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0], [0.0, 0.0], [-1.0, 0.0]], \
[[1.0], [1.0], [1.0], [1.0], [1.0]], [0, 0, 0, 1, 1], [2, 3, 4, 1, 2])

    With one exogenous column (its values at the two inputs and the target)
    and one static input:

    >>> x = [np.array([[10.0], [11.0], [12.0], [13.0]])]
    >>> X, Y, _, _ = build_windows([np.arange(4.0)], 2, 1, exog=x, static=[[7.0]])
    >>> X.tolist()
    [[-1.0, 0.0, 10.0, 11.0, 12.0, 7.0], [-1.0, 0.0, 11.0, 12.0, 13.0, 7.0]]
    """
    if isinstance(level_lengths, numbers.Integral):
        level_lengths = [int(level_lengths)] * len(series)
    width = lookback + horizon
    k = _check_exog_shapes(series, exog)
    if static is None:
        static_block = np.empty((len(series), 0))
    else:
        static_block = np.asarray(static, dtype=np.float64)
        if static_block.ndim != 2 or len(static_block) != len(series):
            raise ValueError(
                f"static must have one row per series ({len(series)}), got shape "
                f"{static_block.shape}."
            )
    d = static_block.shape[1]
    counts = []
    for z in series:
        n = max(len(z), width + 1)
        c = n - width + 1
        if max_windows_per_series is not None:
            c = min(c, max_windows_per_series)
        counts.append(c)
    total = int(sum(counts))
    X = np.empty((total, lookback + k * width + d))
    Y = np.empty((total, horizon))
    owner = np.repeat(np.arange(len(series)), counts)
    first_target = np.empty(total, dtype=np.int64)
    row = 0
    for i, (z, c, m) in enumerate(zip(series, counts, level_lengths, strict=True)):
        padded = pad_left(z, width + 1)
        pad = padded.size - len(z)
        view = window_view(padded, lookback, horizon)[-c:]
        rows = slice(row, row + c)
        normalize_windows(view, lookback, m, X[rows, :lookback], Y[rows])
        for j in range(k):
            col = lookback + j * width
            x = pad_left(exog[i][:, j], width + 1)
            X[rows, col : col + width] = window_view(x, lookback, horizon)[-c:]
        if d:
            X[rows, X.shape[1] - d :] = static_block[i]
        start = padded.size - width - c + 1  # first window's start in padded
        first_target[rows] = np.arange(start, start + c) + lookback - pad
        row += c
    return X, Y, owner, first_target


def _check_exog_shapes(
    series: Sequence[np.ndarray], exog: Sequence[np.ndarray] | None
) -> int:
    """The number of exogenous columns (0 without); shapes checked."""
    if exog is None:
        return 0
    if len(exog) != len(series):
        raise ValueError(
            f"exog must hold one array per series ({len(series)}), got {len(exog)}."
        )
    k = None
    for i, (z, x) in enumerate(zip(series, exog, strict=True)):
        shape = np.shape(x)
        if len(shape) != 2 or shape[0] != len(z) or (k is not None and shape[1] != k):
            raise ValueError(
                f"exog[{i}] must have shape ({len(z)}, {k if k is not None else 'k'})"
                f" like its series, got {shape}."
            )
        k = shape[1]
    return int(k or 0)


def exog_scaling(x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and standard deviation of one series' exogenous history.

    GlobalForecaster standardises each dynamic exogenous column of each
    series by the mean and (population) standard deviation of its values in
    that series' history, ``(x - mean) / std``, and applies the same two
    numbers to the future values. A column that is constant in the history
    gets ``std = 1`` (it becomes zeros there).

    Parameters
    ----------
    x : array-like of shape (n, k)

    Returns
    -------
    mean, std : ndarray of shape (k,)

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import exog_scaling
    >>> mean, std = exog_scaling([[1.0, 5.0], [3.0, 5.0]])
    >>> mean.tolist(), std.tolist()
    ([2.0, 5.0], [1.0, 1.0])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D (values x columns), got shape {x.shape}.")
    if len(x) == 0:
        return np.zeros(x.shape[1]), np.ones(x.shape[1])
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[~(std > 0) | ~np.isfinite(std)] = 1.0
    return mean, std


def window_columns(
    lookback: int,
    horizon: int,
    exog: Sequence[str] = (),
    static: Sequence[str] = (),
) -> list[str]:
    """Names of the columns of :func:`build_windows`' ``X``, in order.

    ``lag_k`` is the (normalised) value ``k`` steps before the window's first
    target; for an exogenous column ``c``, ``c_lag_k`` is its value at the
    same time and ``c_step_j`` its value at target step ``j``; the static
    inputs keep their (encoded) names.

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import window_columns
    >>> window_columns(2, 2, ["price"], ["size"])
    ['lag_2', 'lag_1', 'price_lag_2', 'price_lag_1', 'price_step_1', \
'price_step_2', 'size']
    """
    lags = list(range(lookback, 0, -1))
    steps = list(range(1, horizon + 1))
    names = [f"lag_{k}" for k in lags]
    for c in exog:
        names += [f"{c}_lag_{k}" for k in lags] + [f"{c}_step_{j}" for j in steps]
    return names + [str(s) for s in static]


def resolve_lookback(multiple: float, horizon: int, season_length: int = 1) -> int:
    """The lookback for a multiple of the horizon: ``max(ceil(multiple * h), m, 2)``.

    Examples
    --------
    >>> from bpforecast.forecasting.global_windows import resolve_lookback
    >>> resolve_lookback(1.5, 8), resolve_lookback(2, 1, 12)
    (12, 12)
    """
    return max(math.ceil(round(multiple * horizon, 9)), int(season_length), 2)
