"""Array helpers in MATLAB's orientation: variables in rows, samples in columns."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def _rows(a: Any, name: str, allow_nan: bool = False) -> np.ndarray:
    """2-D float array (variables x samples); a 1-D array is one row."""
    try:
        arr = np.array(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[None, :]
    elif arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D, got {arr.ndim} dimensions.")
    if not allow_nan and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _empty(a: Any) -> bool:
    return a is None or np.size(np.asarray(a, dtype=object)) == 0


def _steps_or_rows(X: Any, n_rows: int, name: str) -> np.ndarray:
    """Closed-loop inputs: an int number of steps (no external input) or rows."""
    if isinstance(X, numbers.Integral) and not isinstance(X, bool):
        if n_rows:
            raise ValueError(
                f"{name}: this network has an external input; give its future "
                f"values as a ({n_rows}, steps) array, not a number of steps."
            )
        if X < 0:
            raise ValueError(f"{name}: the number of steps must be >= 0, got {X}.")
        return np.zeros((0, int(X)))
    arr = np.asarray(X, dtype=np.float64)
    if n_rows == 0 and arr.ndim == 2 and arr.shape[0] == 0:
        return arr
    arr = _rows(arr, name)
    if arr.shape[0] != n_rows:
        raise ValueError(f"{name} must have {n_rows} row(s), got {arr.shape[0]}.")
    return arr
