"""bpforecast: time-series forecasting with back-propagation neural networks.

Examples
--------
>>> from bpforecast import BPRegressor
>>> BPRegressor().hidden_layer_sizes
(10, 10)
"""

from .backtesting import BacktestResult, backtest
from .forecaster import BPForecaster
from .multiseries import MultiSeriesForecaster, forecast_many
from .persistence import load, save
from .regressor import BPRegressor

__version__ = "0.1.0"

__all__ = [
    "BPForecaster",
    "BPRegressor",
    "BacktestResult",
    "MultiSeriesForecaster",
    "backtest",
    "forecast_many",
    "load",
    "save",
    "__version__",
]
