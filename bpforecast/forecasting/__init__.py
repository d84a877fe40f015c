"""Forecasting with BP networks: the forecaster, windowing, transforms,
baselines and many series.

Examples
--------
>>> from bpforecast.forecasting import BPForecaster
>>> BPForecaster().strategy
'recursive'
"""

from .forecaster import BPForecaster
from .global_model import GlobalForecaster

__all__ = ["BPForecaster", "GlobalForecaster"]
