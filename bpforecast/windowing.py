"""Compatibility alias of :mod:`bpforecast.forecasting.windowing`.

The module moved in 0.2.0 when the package was laid out in subpackages; this
name stays importable. New code imports from :mod:`bpforecast.forecasting.windowing`.

Examples
--------
>>> import bpforecast.windowing as old
>>> import bpforecast.forecasting.windowing as new
>>> old.RollingOriginSplit is new.RollingOriginSplit
True
"""

from .forecasting.windowing import (  # noqa: F401
    RollingOriginSplit,
    describe_lags,
    last_window,
    make_windows,
    normalize_lags,
)

__all__ = [
    "RollingOriginSplit",
    "describe_lags",
    "last_window",
    "make_windows",
    "normalize_lags",
]
