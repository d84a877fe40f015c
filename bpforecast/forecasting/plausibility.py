"""Is an ensemble member's forecast plausible? One rule for every forecaster.

A closed loop (or any network) can run away: a member whose forecasts grow
without bound would pull the mean, and with few members the median, far from
anything the series has shown. The forecasters drop such members before
combining, warn with :class:`ImplausibleMemberWarning` and record what they
dropped (``dropped_members_``).

The rule, in the units of the series: a forecast is plausible when every
value is finite and lies in

    [min - R * span, max + R * span],   R = PLAUSIBLE_RANGES = 10,

where ``min`` and ``max`` are those of the history the forecast continues and
``span = max - min`` (the history's range). A constant history has range 0;
its span is then ``max(|level|, 1)``, so a constant series at 500 allows
[-4500, 5500] and one at 0 allows [-10, 10].

Examples
--------
>>> import numpy as np
>>> from bpforecast.forecasting.plausibility import plausible_bounds, is_plausible
>>> plausible_bounds(np.array([1.0, 3.0]))
(-19.0, 23.0)
>>> is_plausible(np.array([2.0, 24.0]), np.array([1.0, 3.0]))
False
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "PLAUSIBLE_RANGES",
    "ImplausibleMemberWarning",
    "implausible_members",
    "is_plausible",
    "plausible_bounds",
]

#: A member forecast further than this many history ranges outside the
#: history's [min, max] (in the original units) is implausible.
PLAUSIBLE_RANGES = 10.0


class ImplausibleMemberWarning(UserWarning):
    """Some ensemble members' forecasts left the plausible range and were dropped.

    Examples
    --------
    >>> from bpforecast.forecasting.plausibility import ImplausibleMemberWarning
    >>> issubclass(ImplausibleMemberWarning, UserWarning)
    True
    """


def plausible_bounds(
    history: np.ndarray, ranges: float = PLAUSIBLE_RANGES
) -> tuple[float, float]:
    """``(min - ranges * span, max + ranges * span)`` of ``history``.

    ``span`` is the history's range, or ``max(|max|, 1)`` when the history is
    constant (range 0).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.plausibility import plausible_bounds
    >>> plausible_bounds(np.array([5.0, 5.0]))
    (-45.0, 55.0)
    """
    history = np.asarray(history, dtype=float)
    lo, hi = float(np.min(history)), float(np.max(history))
    span = hi - lo or max(abs(hi), 1.0)
    return lo - ranges * span, hi + ranges * span


def is_plausible(values: np.ndarray, history: np.ndarray) -> bool:
    """True when ``values`` are all finite and within :func:`plausible_bounds`.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.plausibility import is_plausible
    >>> is_plausible(np.array([np.nan]), np.array([0.0, 1.0]))
    False
    """
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        return False
    lo, hi = plausible_bounds(history)
    return bool(np.all(values >= lo) and np.all(values <= hi))


def implausible_members(paths: np.ndarray, history: np.ndarray) -> list[int]:
    """Rows of ``paths`` (one member's forecast each) that are not plausible.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.plausibility import implausible_members
    >>> paths = np.array([[1.0, 2.0], [1.0, 1e6], [np.inf, 0.0]])
    >>> implausible_members(paths, np.array([0.0, 3.0]))
    [1, 2]
    """
    paths = np.asarray(paths, dtype=float)
    return [k for k in range(paths.shape[0]) if not is_plausible(paths[k], history)]
