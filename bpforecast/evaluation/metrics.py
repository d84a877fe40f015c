"""Forecast accuracy metrics: MAE, RMSE, MAPE, sMAPE, MASE and relative error.

Every metric is a plain function of ``(y_true, y_pred)`` array-likes (NumPy
arrays, lists, pandas Series) of shape ``(n,)`` and returns a Python float.
Inputs are compared by position: the index of a pandas Series is ignored, as
in :mod:`sklearn.metrics`.

All metrics refuse, with a :class:`ValueError` naming the argument, inputs
that are empty, not one-dimensional, not numeric, contain NaN or infinite
values, or whose lengths differ.

Zero actual values
    Percentage errors are undefined where the actual value is zero. As in
    :mod:`bpforecast.estimators.report` (the regressor's relative-error report),
    :func:`mape` leaves out the samples with ``|y_true| <= zero_tol`` (by
    default ``1e-12 * max|y_true|``), warns how many were left out, and raises
    a :class:`ValueError` if no sample is left. :func:`smape` needs no such
    rule: its denominator ``|y| + |f|`` is zero only when ``y = f = 0``, and
    that term counts as 0 (the M4 convention).

Examples
--------
>>> from bpforecast.evaluation.metrics import mae, mape, rmse, smape
>>> y, f = [100.0, 200.0, 300.0], [110.0, 190.0, 300.0]
>>> round(mae(y, f), 4), round(rmse(y, f), 4), round(mape(y, f), 4)
(6.6667, 8.165, 5.0)
>>> round(smape(y, f), 4)
4.884
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from numpy.typing import ArrayLike

from ..estimators.report import relative_error

__all__ = ["mae", "mape", "mase", "relative_error", "rmse", "smape"]


def _as_1d(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a finite, non-empty 1-D float array, or a ValueError."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be one-dimensional, got an array of shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(
            f"{name} contains NaN or infinite values ({int(bad.sum())} of {arr.size})"
        )
    return arr


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    true = _as_1d(y_true, "y_true")
    pred = _as_1d(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred have different lengths: {true.size} != {pred.size}"
        )
    return true, pred


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean absolute error, ``mean(|y_true - y_pred|)``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Actual and forecast values, finite, same length.

    Returns
    -------
    float
        In the units of ``y``.

    Raises
    ------
    ValueError
        Empty, non-1-D, non-numeric or non-finite input, or different lengths.

    Examples
    --------
    >>> from bpforecast.evaluation.metrics import mae
    >>> mae([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])
    1.0
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Root mean squared error, ``sqrt(mean((y_true - y_pred)**2))``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Actual and forecast values, finite, same length.

    Returns
    -------
    float
        In the units of ``y``.

    Raises
    ------
    ValueError
        Empty, non-1-D, non-numeric or non-finite input, or different lengths.

    Examples
    --------
    >>> from bpforecast.evaluation.metrics import rmse
    >>> rmse([0.0, 0.0], [3.0, -3.0])
    3.0
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((true - pred) ** 2)))


def mape(y_true: ArrayLike, y_pred: ArrayLike, zero_tol: float | None = None) -> float:
    """Mean absolute percentage error, ``100 * mean(|y_true - y_pred| / |y_true|)``.

    Samples with ``|y_true| <= zero_tol`` have no percentage error; they are
    left out of the mean (with a :class:`RuntimeWarning` saying how many), the
    same rule as :func:`bpforecast.estimators.report.error_metrics`, whose ``"mape"``
    this function reproduces.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Actual and forecast values, finite, same length.
    zero_tol : float or None, default None
        Actual values with ``|y_true| <= zero_tol`` are left out; None means
        ``1e-12 * max|y_true|`` (so only exact zeros, in practice).

    Returns
    -------
    float
        In percent (``5.0`` means 5 %).

    Raises
    ------
    ValueError
        Bad input (see :func:`mae`), or every actual value is (near) zero so
        no percentage error is defined.

    Warns
    -----
    RuntimeWarning
        When some, but not all, samples are left out.

    Examples
    --------
    >>> from bpforecast.evaluation.metrics import mape
    >>> mape([100.0, 200.0], [90.0, 220.0])
    10.0
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     mape([0.0, 200.0], [5.0, 220.0])  # the zero actual is left out
    10.0
    """
    true, pred = _pair(y_true, y_pred)
    rel = relative_error(true, pred, zero_tol)
    defined = ~np.isnan(rel)
    n_defined = int(defined.sum())
    if n_defined == 0:
        raise ValueError(
            "MAPE is undefined: every actual value (y_true) is zero or within "
            "zero_tol of zero; use smape, mae or mase instead"
        )
    if n_defined < true.size:
        warnings.warn(
            f"mape: {true.size - n_defined} of {true.size} actual values are zero "
            "(|y_true| <= zero_tol) and were left out",
            RuntimeWarning,
            stacklevel=2,
        )
    return float(100.0 * np.mean(np.abs(rel[defined])))


def smape(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Symmetric MAPE, as defined for the M4 competition, in percent.

    ``mean(200 * |y - f| / (|y| + |f|))``, where a term with ``y = f = 0``
    counts as 0. Each term lies in ``[0, 200]``, so the result does too.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Actual and forecast values, finite, same length.

    Returns
    -------
    float
        In percent, between 0 and 200.

    Raises
    ------
    ValueError
        Empty, non-1-D, non-numeric or non-finite input, or different lengths.

    Examples
    --------
    >>> from bpforecast.evaluation.metrics import smape
    >>> smape([100.0, 0.0], [300.0, 0.0])  # (200*200/400 + 0) / 2
    50.0
    """
    true, pred = _pair(y_true, y_pred)
    # Halved so that neither the difference nor the sum can overflow.
    denom = np.abs(true) / 2 + np.abs(pred) / 2
    terms = np.zeros_like(denom)
    np.divide(np.abs(true / 2 - pred / 2), denom, out=terms, where=denom > 0)
    terms *= 200.0
    # |y - f| <= |y| + |f| exactly, but the division can round 200 up by an ulp.
    return float(np.mean(np.minimum(terms, 200.0)))


def mase(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    y_train: ArrayLike,
    season_length: int = 1,
) -> float:
    """Mean absolute scaled error (Hyndman & Koehler, 2006).

    The forecast's MAE divided by the in-sample MAE of the seasonal naive
    forecast on the training series, ``mean_t |y_train[t] - y_train[t - m]|``
    with ``m = season_length``. Below 1 the forecast beats (in-sample) the
    seasonal naive method. Scale-free: multiplying all three series by the same
    positive factor leaves it unchanged.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Actual and forecast values over the forecast horizon.
    y_train : array-like of shape (n_train,)
        The series the forecast was made from (in time order), used for the
        scale only. Needs ``n_train >= season_length + 1``.
    season_length : int, default 1
        ``m``; 1 scales by the naive (random-walk) forecast's MAE.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Bad input (see :func:`mae`; ``y_train`` is checked the same way),
        ``season_length`` not a positive integer, ``y_train`` shorter than
        ``season_length + 1``, or a zero scale (``y_train`` repeats itself
        exactly every ``season_length`` steps, e.g. a constant series).

    Examples
    --------
    >>> from bpforecast.evaluation.metrics import mase
    >>> # scale: mean(|2-1|, |4-2|, |7-4|) = 2; MAE of the forecast: 1
    >>> mase([8.0, 10.0], [9.0, 9.0], y_train=[1.0, 2.0, 4.0, 7.0])
    0.5
    """
    true, pred = _pair(y_true, y_pred)
    train = _as_1d(y_train, "y_train")
    if (
        isinstance(season_length, bool)
        or not isinstance(season_length, numbers.Integral)
        or season_length < 1
    ):
        raise ValueError(
            f"season_length must be a positive integer, got {season_length!r}"
        )
    m = int(season_length)
    if train.size < m + 1:
        raise ValueError(
            f"y_train has {train.size} values; MASE with season_length={m} needs "
            f"at least season_length + 1 = {m + 1}"
        )
    # Both errors halved (the ratio is unchanged) so differences cannot overflow,
    # and divided by the largest of them so that their sums cannot either.
    errors = np.abs(true / 2 - pred / 2)
    naive = np.abs(train[m:] / 2 - train[:-m] / 2)
    top = max(float(errors.max()), float(naive.max()))
    scale = float(np.mean(naive / top)) if top > 0 else 0.0
    if not scale > 0:
        raise ValueError(
            "MASE is undefined: the in-sample seasonal naive MAE of y_train "
            f"(season_length={m}) is 0, i.e. y_train[t] == y_train[t - {m}] for "
            "every t (e.g. a constant series)"
        )
    return float(np.mean(errors / top) / scale)
