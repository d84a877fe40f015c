"""Small helpers for running the estimators on any array-API namespace.

numpy and pandas inputs take scikit-learn's validation path; arrays of other
namespaces (CuPy, torch, array-api-strict) are validated here with the
standard's functions, and stay on their device.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn._array_api import namespace_of
>>> namespace_of(np.zeros(3))[1]
True
"""

from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace, device, is_array_api_obj, is_numpy_array

FLOAT_DTYPES = ("float64", "float32")


def namespace_of(*arrays) -> tuple[object, bool]:
    """The namespace of ``arrays`` and whether it is the numpy/pandas path.

    Lists, pandas objects and numpy arrays give ``(numpy, True)``; arrays of
    another array-API library give ``(its namespace, False)``.

    Examples
    --------
    >>> from bpforecast.nn._array_api import namespace_of
    >>> namespace_of([1.0, 2.0])[1]
    True
    """
    foreign = [
        a
        for a in arrays
        if a is not None and is_array_api_obj(a) and not is_numpy_array(a)
    ]
    if not foreign:
        return np, True
    return array_namespace(*foreign), False


def to_numpy(a) -> np.ndarray:
    """Copy an array of any namespace to a host numpy array.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn._array_api import to_numpy
    >>> to_numpy(np.ones(2)).tolist()
    [1.0, 1.0]
    """
    if hasattr(a, "get") and not isinstance(a, np.ndarray):  # CuPy
        return a.get()
    try:
        return np.asarray(a)
    except (TypeError, ValueError, RuntimeError):
        return np.from_dlpack(a)


def check_array(a, xp, name: str, *, ndims=(2,), dtype: str = "float64"):
    """Validate an array of a non-numpy namespace like scikit-learn's check_array.

    Raises ValueError naming ``name`` for wrong dimensions, no samples or
    features, or NaN/inf; converts real values to ``dtype``.

    Examples
    --------
    >>> import array_api_strict as xps
    >>> from bpforecast.nn._array_api import check_array
    >>> check_array(xps.asarray([[1.0], [2.0]]), xps, "X").shape
    (2, 1)
    """
    if a.ndim not in ndims:
        raise ValueError(
            f"{name} must have {' or '.join(map(str, ndims))} dimension(s), "
            f"got an array of shape {tuple(a.shape)}."
        )
    if a.shape[0] == 0 or (a.ndim == 2 and a.shape[1] == 0):
        raise ValueError(f"{name} has shape {tuple(a.shape)}: no samples or features.")
    if xp.isdtype(a.dtype, "bool") or not xp.isdtype(
        a.dtype, ("integral", "real floating")
    ):
        raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}.")
    a = xp.astype(a, getattr(xp, dtype))
    if not bool(xp.all(xp.isfinite(a))):
        raise ValueError(f"Input {name} contains NaN or infinity.")
    return a


def take_rows(a, indices: np.ndarray, xp):
    """Rows ``indices`` (a numpy int array) of ``a``, on ``a``'s device.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn._array_api import take_rows
    >>> take_rows(np.arange(6.0).reshape(3, 2), np.array([2, 0]), np).tolist()
    [[4.0, 5.0], [0.0, 1.0]]
    """
    if xp is np:
        return a[indices]
    index = xp.asarray(indices.astype(np.int64), device=device(a))
    return xp.take(a, index, axis=0)
