"""Compatibility alias of :mod:`bpforecast.forecasting.multiseries`.

The module moved in 0.2.0 when the package was laid out in subpackages; this
name stays importable. New code imports from :mod:`bpforecast.forecasting.multiseries`.

Examples
--------
>>> import bpforecast.multiseries as old
>>> import bpforecast.forecasting.multiseries as new
>>> old.MultiSeriesForecaster is new.MultiSeriesForecaster
True
"""

from .forecasting.multiseries import (  # noqa: F401
    MultiSeriesForecaster,
    SeriesError,
    SkippedSeriesWarning,
    forecast_many,
    series_seed,
)

__all__ = [
    "MultiSeriesForecaster",
    "SeriesError",
    "SkippedSeriesWarning",
    "forecast_many",
    "series_seed",
]
