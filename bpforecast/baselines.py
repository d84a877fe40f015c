"""Compatibility alias of :mod:`bpforecast.forecasting.baselines`.

The module moved in 0.2.0 when the package was laid out in subpackages; this
name stays importable. New code imports from :mod:`bpforecast.forecasting.baselines`.

Examples
--------
>>> import bpforecast.baselines as old
>>> import bpforecast.forecasting.baselines as new
>>> old.ETS is new.ETS
True
"""

from .forecasting.baselines import (  # noqa: F401
    ETS,
    FallbackWarning,
    Naive,
    Naive2,
    SeasonalNaive,
    Theta,
    future_index,
    infer_season_length,
)

__all__ = [
    "ETS",
    "FallbackWarning",
    "Naive",
    "Naive2",
    "SeasonalNaive",
    "Theta",
    "future_index",
    "infer_season_length",
]
