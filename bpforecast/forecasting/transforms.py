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


#: ``k`` of :class:`DriftAdjustment`: a drift ``t`` standard errors from zero
#: is carried into forecasts with weight ``t**2 / (t**2 + k)``.
DRIFT_SHRINKAGE = 4.0


class DriftAdjustment:
    """Take a series' mean drift out; carry a shrunk drift into forecasts.

    The drift is the mean one-step change ``d = mean(diff(z))`` of the
    fitted series. :meth:`transform` subtracts the line ``d * t`` (``t`` the
    position from the first training value), so a forecaster trained on the
    result models the changes around the average one. Forecasts are taken
    back with a smaller drift: ``d * t**2 / (t**2 + k)``, where ``t = d / se``
    is the drift's t statistic (``se`` the standard error of the mean
    change) and ``k`` is ``shrinkage``. A drift many standard errors from
    zero is kept almost whole; one lost in the noise of the changes is
    mostly dropped (with ``k = 4``, a drift two standard errors from zero
    keeps half its weight). This is the empirical-Bayes posterior mean of
    the drift under a normal prior of variance ``d**2 / k``: the drift
    estimated from a short or noisy history is shrunk toward "no drift"
    before it is extrapolated.

    Parameters
    ----------
    shrinkage : float >= 0, default=DRIFT_SHRINKAGE
        ``k``; 0 carries the full mean drift into forecasts.

    Attributes
    ----------
    drift_ : float
        The mean one-step change of the fitted series (0 with fewer than two
        changes).
    t_ : float
        Its t statistic (``inf`` when the changes are all equal and not
        zero; 0 when the drift is 0).
    forecast_drift_ : float
        ``drift_ * t_**2 / (t_**2 + shrinkage)``: the drift of forecasts.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.transforms import DriftAdjustment
    >>> z = np.array([0.0, 1.0, 3.0, 4.0, 6.0])        # changes 1, 2, 1, 2
    >>> adj = DriftAdjustment(shrinkage=4.0).fit(z)
    >>> adj.drift_, round(adj.t_ ** 2, 6), round(adj.forecast_drift_, 6)  # 1.5 * 27/31
    (1.5, 27.0, 1.306452)
    >>> adj.transform(z)
    array([ 0. , -0.5,  0. , -0.5,  0. ])
    >>> adj.correction(2).round(6)  # subtracted from detrended forecasts
    array([0.193548, 0.387097])
    """

    def __init__(self, shrinkage: float = DRIFT_SHRINKAGE) -> None:
        self.shrinkage = float(shrinkage)

    def fit(self, z) -> DriftAdjustment:
        """Estimate the drift of ``z`` and its forecast drift."""
        if not (np.isfinite(self.shrinkage) and self.shrinkage >= 0):
            raise ValueError(
                f"shrinkage must be a finite number >= 0; got {self.shrinkage!r}."
            )
        d = np.diff(np.asarray(z, dtype=float))
        self.drift_, self.t_, self.forecast_drift_ = 0.0, 0.0, 0.0
        if d.size < 2:
            return self
        drift = float(np.mean(d))
        if drift == 0.0 or not np.isfinite(drift):
            return self
        se = float(np.std(d, ddof=1)) / np.sqrt(d.size)
        t = abs(drift) / se if se > 0 else np.inf
        weight = 1.0 if np.isinf(t) else t * t / (t * t + self.shrinkage)
        self.drift_, self.t_ = drift, float(t)
        self.forecast_drift_ = float(drift * weight)
        return self

    def _line(self, start: int, length: int) -> np.ndarray:
        return self.drift_ * (start + np.arange(length))

    def transform(self, z, start: int = 0):
        """``z`` minus the drift line, for values beginning at position ``start``."""
        z = np.asarray(z, dtype=float)
        return z - self._line(start, z.shape[-1])

    def inverse(self, z, start: int):
        """The drift line added back to values beginning at ``start``."""
        z = np.asarray(z, dtype=float)
        return z + self._line(start, z.shape[-1])

    def correction(self, steps: int) -> np.ndarray:
        """What to subtract from detrended forecasts 1..``steps`` ahead.

        :meth:`inverse` restores the full drift; subtracting ``(drift_ -
        forecast_drift_) * j`` at step ``j`` leaves the forecast drift,
        whatever the forecast origin.
        """
        return (self.drift_ - self.forecast_drift_) * np.arange(1, steps + 1)
