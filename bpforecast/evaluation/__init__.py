"""Judging forecasts: metrics, rolling-origin splitters and backtests.

Examples
--------
>>> from bpforecast.evaluation import smape
>>> smape([1.0, 2.0], [1.0, 2.0])
0.0
"""

from .backtesting import BacktestResult, backtest
from .metrics import mae, mape, mase, rmse, smape
from .splitters import RollingOriginSplit

__all__ = [
    "BacktestResult",
    "RollingOriginSplit",
    "backtest",
    "mae",
    "mape",
    "mase",
    "rmse",
    "smape",
]
