"""Forecasting with BP networks: the forecaster, windowing, transforms,
baselines, many series and combinations.

Examples
--------
>>> from bpforecast.forecasting import BPForecaster
>>> BPForecaster().strategy
'recursive'
"""

from .combination import CombinationForecaster
from .forecaster import BPForecaster
from .global_model import GlobalForecaster

__all__ = ["BPForecaster", "CombinationForecaster", "GlobalForecaster"]
