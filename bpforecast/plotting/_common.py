"""Helpers shared by the plots: MATLAB's colours, number format, array shapes."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

COLORS = {
    "Training": (0.0, 0.0, 1.0),
    "Train": (0.0, 0.0, 1.0),
    "Validation": (0.0, 0.8, 0.0),
    "Test": (1.0, 0.0, 0.0),
    "All": (0.0, 0.0, 0.0),
}
"""MATLAB's colours for the data sets."""


def _fmt(value: float) -> str:
    return f"{value:.5g}"


def _series(a: ArrayLike, name: str) -> np.ndarray:
    """One time series: 1-D, or a single row / column of a 2-D array."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be one series (1-D or a single row), got shape {arr.shape}."
        )
    return arr


def _columns(a: np.ndarray) -> np.ndarray:
    """Samples along the last axis (MATLAB orientation), as a 2-D array."""
    return a.reshape(1, -1) if a.ndim == 1 else a


def _groups(args: tuple, per_group: int, what: str) -> list[tuple]:
    """MATLAB's ``f(a1, b1, 'name1', a2, b2, 'name2', ...)``, names optional."""
    groups, i = [], 0
    while i < len(args):
        if i + per_group > len(args):
            raise TypeError(f"{what}: incomplete group of arguments.")
        data = args[i : i + per_group]
        if any(isinstance(d, str) for d in data):
            raise TypeError(f"{what}: expected data, got a string where data goes.")
        i += per_group
        name = ""
        if i < len(args) and isinstance(args[i], str):
            name, i = args[i], i + 1
        groups.append((*data, name))
    if not groups:
        raise TypeError(f"{what} needs data.")
    return groups
