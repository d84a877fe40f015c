"""Judging forecasts: metrics and rolling-origin backtests.

Examples
--------
>>> from bpforecast.evaluation import smape
>>> smape([1.0, 2.0], [1.0, 2.0])
0.0
"""

from .backtesting import BacktestResult, backtest
from .metrics import mae, mape, mase, rmse, smape

__all__ = ["BacktestResult", "backtest", "mae", "mape", "mase", "rmse", "smape"]
