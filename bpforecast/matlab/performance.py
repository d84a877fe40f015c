"""Performance helpers: ``gsubtract`` and ``perform``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from .names import _check_fcn

if TYPE_CHECKING:
    from .network import Network


def gsubtract(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """MATLAB's ``gsubtract(t, y)``: ``t - y`` as float arrays (errors).

    Examples
    --------
    >>> from bpforecast.matlab import gsubtract
    >>> gsubtract([[1.0, 2.0]], [[0.5, 2.5]])
    array([[ 0.5, -0.5]])
    """
    return np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)


def perform(net: Network | None, t: ArrayLike, y: ArrayLike) -> float:
    """MATLAB's ``perform(net, t, y)``: mean squared error, NaN targets ignored.

    In the units of ``t`` (MATLAB's default normalisation 'none').

    Examples
    --------
    >>> from bpforecast.matlab import perform
    >>> perform(None, [[1.0, 2.0, float("nan")]], [[0.0, 2.0, 5.0]])
    0.5
    """
    e = gsubtract(t, y)
    if net is not None:
        _check_fcn(net.performFcn, ("mse",), "performFcn")
    return float(np.nanmean(e**2))
