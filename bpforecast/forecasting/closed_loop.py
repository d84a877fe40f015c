"""The closed loop: recursive multi-step forecasting (MATLAB's ``closeloop``).

A one-step model forecasts ``y(t)`` from lagged values ``y(t - k)``. To go
further than one step, its forecast is written into the series and the next
input row is read from there: the model is fed its own predictions. This
module does that once, as a pure function of arrays, for one series or for
many at once (one row per series, as the global model of
:class:`~bpforecast.forecasting.multiseries.MultiSeriesForecaster` needs).

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.closed_loop import closed_loop
>>> # a "model" that adds the last two values (Fibonacci)
>>> add = lambda X: X.sum(axis=1)
>>> closed_loop(add, np.array([1.0, 1.0]), steps=4, lags=[1, 2]).tolist()
[2.0, 3.0, 5.0, 8.0]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["closed_loop", "input_row"]


def input_row(
    buffer: np.ndarray,
    t: int,
    lags: np.ndarray,
    exog: np.ndarray | None = None,
    exog_lags: np.ndarray | None = None,
    normalize: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The model inputs for the target at position ``t``, for every series.

    Parameters
    ----------
    buffer : ndarray of shape (n_series, T)
        The series, known (observed or forecast) up to position ``t - 1``.
    t : int
        Position of the target.
    lags : ndarray of int, increasing
        The target's lags; the row holds ``buffer[:, t - k]`` for each.
    exog : ndarray of shape (n_series, T, n_exog), optional
        Exogenous values; the row then also holds ``exog[:, t - l, j]`` for
        each column ``j`` and, within it, each ``l`` in ``exog_lags``.
    exog_lags : ndarray of int, optional
        Needed with ``exog``.
    normalize : bool, default=False
        Window normalisation: the value at the smallest lag is the level; it
        is dropped from the row and subtracted from the other lag values.

    Returns
    -------
    X : ndarray of shape (n_series, n_inputs)
    level : ndarray of shape (n_series,)
        What to add to the model's output (zeros without ``normalize``).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.closed_loop import input_row
    >>> X, level = input_row(np.array([[1.0, 2.0, 4.0]]), 3, np.array([1, 2]),
    ...                      normalize=True)
    >>> X.tolist(), level.tolist()
    ([[-2.0]], [4.0])
    """
    values = buffer[:, t - lags]
    if normalize:
        level = values[:, 0]
        values = values[:, 1:] - level[:, None]
    else:
        level = np.zeros(buffer.shape[0])
    if exog is None:
        return values, level
    # (n_series, n_exog_lags, n_exog) -> column by column, lags within a column
    lagged = exog[:, t - exog_lags, :].transpose(0, 2, 1).reshape(buffer.shape[0], -1)
    return np.concatenate([values, lagged], axis=1), level


def closed_loop(
    predict: Callable[[np.ndarray], ArrayLike],
    history: ArrayLike,
    steps: int,
    lags: ArrayLike,
    exog: ArrayLike | None = None,
    exog_lags: ArrayLike | None = None,
    normalize: bool = False,
) -> np.ndarray:
    """Forecast ``steps`` values by feeding a one-step model its own output.

    At each step ``t = n, n + 1, ...`` the input row is built from the
    buffer (the history followed by the forecasts so far) by
    :func:`input_row`, the model's one-step prediction (plus the level when
    ``normalize``) is written at ``t``, and the loop moves on. Every series
    (row) advances together, with one call of ``predict`` per step.

    Parameters
    ----------
    predict : callable
        ``predict(X)`` with ``X`` of shape ``(n_series, n_inputs)`` returns
        the one-step forecasts, ``n_series`` values (any shape that ravels to
        that).
    history : array-like of shape (n,) or (n_series, n)
        The known values, oldest first; at least ``max(lags)`` of them (and
        ``max(exog_lags)``).
    steps : int
        Number of values to forecast, >= 1.
    lags : array-like of int
        Positive, increasing lags of the target.
    exog : array-like of shape (n + steps, n_exog) or (n_series, n + steps, n_exog)
        Exogenous values over the history and the forecast period, optional.
    exog_lags : array-like of int, optional
        Non-negative, increasing lags of the exogenous columns (0: the value
        at the target's own time); required with ``exog``.
    normalize : bool, default=False
        See :func:`input_row`.

    Returns
    -------
    ndarray of shape (steps,) or (n_series, steps)
        Same leading shape as ``history``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.closed_loop import closed_loop
    >>> hist = np.array([[0.0, 1.0], [10.0, 20.0]])   # two series
    >>> twice_minus = lambda X: 2 * X[:, 0] - X[:, 1]  # linear extrapolation
    >>> closed_loop(twice_minus, hist, 3, lags=[1, 2]).tolist()
    [[2.0, 3.0, 4.0], [30.0, 40.0, 50.0]]
    """
    hist = np.asarray(history, dtype=np.float64)
    one = hist.ndim == 1
    hist = hist.reshape(1, -1) if one else hist
    lags = np.asarray(lags, dtype=np.int64)
    n_series, n = hist.shape
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}.")
    needed = int(lags[-1])
    ex = lag_ex = None
    if exog is not None:
        if exog_lags is None:
            raise ValueError("exog_lags is required with exog.")
        lag_ex = np.asarray(exog_lags, dtype=np.int64)
        ex = np.asarray(exog, dtype=np.float64)
        ex = ex.reshape(1, *ex.shape) if ex.ndim == 2 else ex
        if ex.shape[:2] != (n_series, n + steps):
            raise ValueError(
                f"exog must cover the history and the forecast period: "
                f"{n + steps} rows per series, got shape {ex.shape}."
            )
        needed = max(needed, int(lag_ex[-1]))
    if n < needed:
        raise ValueError(f"history has {n} values; the lags need at least {needed}.")
    buffer = np.empty((n_series, n + steps))
    buffer[:, :n] = hist
    for t in range(n, n + steps):
        X, level = input_row(buffer, t, lags, ex, lag_ex, normalize)
        buffer[:, t] = np.ravel(predict(X)) + level
    out = buffer[:, n:]
    return out[0] if one else out
