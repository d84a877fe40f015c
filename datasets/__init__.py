"""Bundled real-world time series (CSV files) for :mod:`bpforecast.datasets`."""
