"""bpforecast: time-series forecasting with back-propagation neural networks."""

__version__ = "0.1.0"
