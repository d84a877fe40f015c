"""Series transforms a forecaster applies before windowing and inverts after.

Forecasting practice (the M3/M4 studies of neural forecasters) found three
steps matter for small networks: a variance-stabilising log for positive
series, removing a clear seasonal pattern, and taking the level out of each
input window. This module holds the first two as small invertible objects;
the window normalisation lives in the forecaster, since it acts per window.
It also holds the M4 competition's seasonal adjustment (:func:`is_seasonal`,
:func:`multiplicative_indices`, :func:`m4_seasonal_indices`), which the
baselines :class:`~bpforecast.forecasting.baselines.Naive2` and
``Theta(deseasonalize='m4')`` use.

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.transforms import SeasonalAdjustment
>>> y = np.tile([1.0, 3.0, 2.0], 8) + np.arange(24) * 0.1
>>> adj = SeasonalAdjustment(season_length=3).fit(y)
>>> bool(adj.seasonal_)
True
>>> np.round(adj.indices_, 2)
array([-1.,  1.,  0.])
"""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.seasonal import seasonal_decompose
from statsmodels.tsa.stattools import acf


def is_seasonal(y, season_length: int, z: float = 1.645) -> bool:
    """Autocorrelation test for seasonality used by the M4 competition's benchmarks.

    The series is seasonal when the autocorrelation at lag ``season_length``
    exceeds ``z * sqrt((1 + 2 * sum(acf[1:m]**2)) / n)`` (90 % one-sided).

    Parameters
    ----------
    y : array-like of shape (n,)
    season_length : int
    z : float, default=1.645

    Returns
    -------
    bool
        False when ``season_length < 2`` or the series has fewer than three
        seasons.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.transforms import is_seasonal
    >>> t = np.arange(60)
    >>> is_seasonal(np.sin(2 * np.pi * t / 12), 12), is_seasonal(t * 1.0, 12)
    (True, False)
    """
    y = np.asarray(y, dtype=float)
    m = int(season_length)
    if m < 2 or y.size < 3 * m or np.ptp(y) == 0:
        return False
    r = acf(y, nlags=m, fft=False)
    limit = z * np.sqrt((1.0 + 2.0 * np.sum(r[1:m] ** 2)) / y.size)
    return bool(abs(r[m]) > limit)


def multiplicative_indices(y, season_length: int) -> np.ndarray:
    """Seasonal indices of a classical multiplicative decomposition (R's ``decompose``).

    The trend is the centred moving average of order ``m`` (a 2 x m moving
    average for even ``m``); the index of phase ``p`` (position modulo ``m``
    counted from ``y[0]``) is the mean of ``y / trend`` over that phase, and
    the indices are scaled to average 1. This is the seasonal adjustment of
    the M4 competition's benchmarks and gives the indices of statsmodels'
    ``seasonal_decompose(y, model='multiplicative', period=m)``.

    Parameters
    ----------
    y : array-like of shape (n,)
        At least two seasons (``n >= 2m``).
    season_length : int
        ``m``, at least 2.

    Returns
    -------
    ndarray of shape (season_length,)
        May hold non-finite or non-positive values where the trend is 0
        (possible only for series with zeros or negative values).

    Raises
    ------
    ValueError
        ``season_length < 2`` or fewer than ``2 * season_length`` values.

    Examples
    --------
    >>> from bpforecast.forecasting.transforms import multiplicative_indices
    >>> multiplicative_indices([2.0, 4.0] * 4, 2).round(4).tolist()
    [0.6667, 1.3333]
    """
    y = np.asarray(y, dtype=float)
    m, n = int(season_length), y.size
    if m < 2 or n < 2 * m:
        raise ValueError(
            f"multiplicative_indices needs season_length >= 2 and at least two "
            f"seasons of values, got season_length={m} and {n} values"
        )
    if m % 2 == 0:
        weights = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        weights = np.ones(m) / m
    half = m // 2
    trend = np.convolve(y, weights, mode="valid")  # trend of y[half : n - half]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = y[half : n - half] / trend
        phase = np.arange(half, n - half) % m
        figure = np.array([ratio[phase == p].mean() for p in range(m)])
        return figure / figure.mean()


def m4_seasonal_indices(y, season_length: int) -> np.ndarray | None:
    """The M4 benchmarks' seasonal indices, or None when they adjust nothing.

    The series is seasonal when :func:`is_seasonal` (the 90 % autocorrelation
    test at lag ``m``, which needs ``n >= 3m``) says so; its indices are then
    those of :func:`multiplicative_indices`. This is the adjustment behind
    the M4 competition's Naive2 and Theta benchmarks
    (:class:`~bpforecast.forecasting.baselines.Naive2`,
    ``Theta(deseasonalize='m4')``): divide the series by the indices of its
    phases, forecast, and multiply the indices of the future phases back.

    Parameters
    ----------
    y : array-like of shape (n,)
    season_length : int

    Returns
    -------
    ndarray of shape (season_length,) or None
        None when ``season_length < 2``, when the test finds no seasonality,
        or when an index is not finite and positive (a zero trend, possible
        only for series with zeros or negative values).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.transforms import m4_seasonal_indices
    >>> m4_seasonal_indices([2.0, 4.0] * 10, 2).round(4).tolist()
    [0.6667, 1.3333]
    >>> m4_seasonal_indices(np.arange(1.0, 40.0), 12) is None
    True
    """
    y = np.asarray(y, dtype=float)
    m = int(season_length)
    if m < 2 or not is_seasonal(y, m):
        return None
    indices = multiplicative_indices(y, m)
    if not np.all(np.isfinite(indices) & (indices > 0)):
        return None
    return indices


class LogTransform:
    """Natural log for strictly positive series, exp on the way back.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.transforms import LogTransform
    >>> t = LogTransform().fit(np.array([1.0, 10.0]))
    >>> t.inverse(t.transform(np.array([5.0])))
    array([5.])
    """

    def fit(self, y) -> LogTransform:
        """Check that ``y`` is strictly positive."""
        if np.min(y) <= 0:
            raise ValueError("transform='log' needs a strictly positive series y.")
        return self

    def transform(self, y):
        """``log(y)``."""
        return np.log(y)

    def inverse(self, z):
        """``exp(z)``."""
        return np.exp(z)


class SeasonalAdjustment:
    """Classical additive decomposition: remove one seasonal index per phase.

    Fitted on the (possibly logged) series, so a multiplicative pattern in the
    original units is additive here. When the series is too short or fails
    :func:`is_seasonal` (with ``test=True``), the adjustment is the identity
    and ``seasonal_`` is False.

    Parameters
    ----------
    season_length : int
    test : bool, default=True
        Apply :func:`is_seasonal` first.

    Attributes
    ----------
    seasonal_ : bool
    indices_ : ndarray of shape (season_length,)
        Seasonal index of each phase; phase ``p`` is position ``p`` modulo
        ``season_length`` counted from the first training value.
    n_ : int
        Length of the training series.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.transforms import SeasonalAdjustment
    >>> y = np.tile([0.0, 2.0], 10)
    >>> adj = SeasonalAdjustment(2).fit(y)
    >>> adj.transform(y)[:4], adj.future(3)
    (array([1., 1., 1., 1.]), array([-1.,  1., -1.]))
    """

    def __init__(self, season_length: int, test: bool = True) -> None:
        self.season_length = int(season_length)
        self.test = test

    def fit(self, y) -> SeasonalAdjustment:
        """Estimate the seasonal indices of ``y``."""
        y = np.asarray(y, dtype=float)
        m = self.season_length
        self.n_ = y.size
        self.indices_ = np.zeros(max(m, 1))
        self.seasonal_ = False
        if m < 2 or y.size < 2 * m or (self.test and not is_seasonal(y, m)):
            return self
        seasonal = seasonal_decompose(y, model="additive", period=m).seasonal
        self.indices_ = np.asarray(seasonal[:m], dtype=float)
        self.seasonal_ = True
        return self

    def _pattern(self, start: int, length: int) -> np.ndarray:
        m = len(self.indices_)
        return self.indices_[(start + np.arange(length)) % m]

    def transform(self, y, start: int = 0):
        """Seasonally adjusted values of ``y`` beginning at position ``start``."""
        y = np.asarray(y, dtype=float)
        return y - self._pattern(start, y.size)

    def inverse(self, z, start: int):
        """Add the seasonal pattern back to values beginning at ``start``."""
        z = np.asarray(z, dtype=float)
        return z + self._pattern(start, z.size)

    def future(self, steps: int) -> np.ndarray:
        """Seasonal indices of the ``steps`` positions after the training series."""
        return self._pattern(self.n_, steps)
