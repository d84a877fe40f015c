"""Compatibility alias of :mod:`bpforecast.evaluation.metrics`.

The module moved in 0.2.0 when the package was laid out in subpackages; this
name stays importable. New code imports from :mod:`bpforecast.evaluation.metrics`.

Examples
--------
>>> import bpforecast.metrics as old
>>> import bpforecast.evaluation.metrics as new
>>> old.mae is new.mae
True
"""

from .evaluation.metrics import (  # noqa: F401
    mae,
    mape,
    mase,
    relative_error,
    rmse,
    smape,
)

__all__ = ["mae", "mape", "mase", "relative_error", "rmse", "smape"]
