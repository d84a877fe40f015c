"""Series transforms a forecaster applies before windowing and inverts after.

Forecasting practice (the M3/M4 studies of neural forecasters) found three
steps matter for small networks: a variance-stabilising log for positive
series, removing a clear seasonal pattern, and taking the level out of each
input window. This module holds the first two as small invertible objects;
the window normalisation lives in the forecaster, since it acts per window.

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
