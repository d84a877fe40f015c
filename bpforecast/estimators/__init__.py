"""The scikit-learn estimators and what they need: :class:`BPRegressor`,
MATLAB's input/output scaling (mapstd, mapminmax), data division and the
relative-error report.

Examples
--------
>>> from bpforecast.estimators import BPRegressor
>>> BPRegressor().solver
'traingdx'
"""

from .regressor import BPRegressor

__all__ = ["BPRegressor"]
