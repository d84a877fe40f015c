"""Conformal prediction intervals: the interval math as pure functions.

Split conformal over rolling origins: the forecast errors of ``K``
calibration origins at each step ``h`` give the half-width of the interval
at that step, the ``ceil((K + 1) * coverage) / K`` empirical quantile of
their absolute values: the ``k``-th smallest, ``k = ceil((K + 1) *
coverage)`` (the largest when ``k > K``). The coverage is then at least
``coverage`` for exchangeable errors, with no distributional assumption.
:meth:`bpforecast.BPForecaster.predict_interval` collects the errors and
calls :func:`conformal_half_width`.

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.intervals import conformal_half_width
>>> errors = np.array([[1.0, -2.0], [-3.0, 4.0], [2.0, 1.0], [0.5, -6.0]])
>>> conformal_half_width(errors, coverage=0.5).tolist()   # 3rd smallest of 4
[2.0, 4.0]
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["conformal_half_width", "conformal_level"]


def conformal_level(n_calibration: int, coverage: float) -> float:
    """The empirical quantile level ``min(1, ceil((K + 1) * coverage) / K)``.

    Parameters
    ----------
    n_calibration : int
        ``K``, the number of calibration errors per step (>= 1).
    coverage : float in (0, 1)

    Returns
    -------
    float

    Examples
    --------
    >>> from bpforecast.forecasting.intervals import conformal_level
    >>> conformal_level(20, 0.9), conformal_level(5, 0.9)
    (0.95, 1.0)
    """
    if not isinstance(n_calibration, numbers.Integral) or n_calibration < 1:
        raise ValueError(
            f"n_calibration must be a positive integer, got {n_calibration!r}."
        )
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must be in (0, 1), got {coverage}.")
    K = int(n_calibration)
    return min(K, _rank(K, coverage)) / K


def _rank(n_calibration: int, coverage: float) -> int:
    """``ceil((K + 1) * coverage)``, without the rounding of the product
    (``0.7 * 10`` is ``7.000000000000001`` in floating point)."""
    return int(np.ceil(round((n_calibration + 1) * coverage, 9)))


def conformal_half_width(errors: ArrayLike, coverage: float) -> np.ndarray:
    """Half-widths of conformal intervals from calibration errors.

    Parameters
    ----------
    errors : array-like of shape (K, steps)
        Actual minus forecast at each of ``K`` calibration origins and each
        step.
    coverage : float in (0, 1)

    Returns
    -------
    ndarray of shape (steps,)
        The :func:`conformal_level` empirical quantile of the absolute errors
        at each step: their ``k``-th smallest, ``k = min(K, ceil((K + 1) *
        coverage))``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.intervals import conformal_half_width
    >>> conformal_half_width(np.arange(1.0, 11.0).reshape(10, 1), 0.8).tolist()
    [9.0]
    """
    errors = np.asarray(errors, dtype=float)
    if errors.ndim != 2:
        raise ValueError(f"errors must be 2-D (K, steps), got shape {errors.shape}.")
    K = errors.shape[0]
    k = round(conformal_level(K, coverage) * K)
    return np.sort(np.abs(errors), axis=0)[k - 1]
