"""bpforecast: time-series forecasting with back-propagation neural networks.

Examples
--------
>>> from bpforecast import BPRegressor
>>> BPRegressor().hidden_layer_sizes
(10, 10)
"""

from .estimators.regressor import BPRegressor
from .evaluation.backtesting import BacktestResult, backtest
from .forecasting.forecaster import BPForecaster
from .forecasting.multiseries import MultiSeriesForecaster, forecast_many
from .io.persistence import load, save

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
