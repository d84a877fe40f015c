"""bpforecast: time-series forecasting with back-propagation neural networks.

Examples
--------
>>> from bpforecast import BPRegressor
>>> BPRegressor().hidden_layer_sizes
(10, 10)
"""

from ._version import __version__
from .estimators.regressor import BPRegressor
from .evaluation.backtesting import BacktestResult, backtest
from .forecasting.combination import CombinationForecaster
from .forecasting.forecaster import BPForecaster
from .forecasting.global_model import GlobalForecaster
from .forecasting.multiseries import MultiSeriesForecaster, forecast_many
from .io.persistence import load, save

__all__ = [
    "BPForecaster",
    "BPRegressor",
    "BacktestResult",
    "CombinationForecaster",
    "GlobalForecaster",
    "MultiSeriesForecaster",
    "backtest",
    "forecast_many",
    "load",
    "save",
    "__version__",
]
