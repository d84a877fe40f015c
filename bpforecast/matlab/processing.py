"""Processing functions: ``mapminmax``, ``mapstd``, ``removeconstantrows``.

The affine maps are those of :mod:`bpforecast.estimators.preprocessing`
(``mapminmax_params``, ``mapstd_params``, ``apply_scaling``,
``reverse_scaling``); this module adds MATLAB's call forms and settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..estimators.preprocessing import (
    apply_scaling,
    mapminmax_params,
    mapstd_params,
    reverse_scaling,
)
from .arrays import _rows


@dataclass
class ProcessSettings:
    """Settings from :func:`mapminmax`, :func:`mapstd` and :func:`removeconstantrows`.

    ``center`` and ``gain`` are the affine map ``y = (x - center) * gain`` of
    :mod:`bpforecast.estimators.preprocessing`; ``fields`` holds MATLAB's names
    (``xmin``, ``xmax``, ``gain``, ``xoffset``, ``keep``, ``remove`` ...),
    also readable as attributes (``ps.xmin``).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapminmax
    >>> _, ps = mapminmax(np.array([[0.0, 4.0]]))
    >>> ps.name, ps.xmin.tolist(), ps.xmax.tolist()
    ('mapminmax', [0.0], [4.0])
    """

    name: str
    xrows: int
    yrows: int
    center: np.ndarray | None = None
    gain: np.ndarray | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "fields":
            raise AttributeError(name)
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(
                f"{self.__dict__.get('name')} settings have no field {name!r}."
            ) from None


def _process_call(args: tuple, name: str):
    """Split ``f(X, ...)``, ``f('apply', X, PS)`` and ``f('reverse', Y, PS)``."""
    if args and isinstance(args[0], str):
        mode = args[0]
        if mode not in ("apply", "reverse"):
            raise ValueError(
                f"{name}: unknown mode {mode!r}; use {name}(X), "
                f"{name}('apply', X, PS) or {name}('reverse', Y, PS)."
            )
        if len(args) != 3 or not isinstance(args[2], ProcessSettings):
            raise TypeError(f"{name}({mode!r}, X, PS) needs data and settings.")
        if args[2].name != name:
            raise ValueError(f"settings are for {args[2].name}, not {name}.")
        return mode, _rows(args[1], "X"), args[2]
    if not args:
        raise TypeError(f"{name} needs data.")
    return "create", _rows(args[0], "X"), args[1:]


def _check_xrows(x: np.ndarray, ps: ProcessSettings, mode: str) -> None:
    rows = ps.xrows if mode == "apply" else ps.yrows
    if x.shape[0] != rows:
        raise ValueError(f"{ps.name}: expected {rows} rows, got {x.shape[0]}.")


def _affine(x: np.ndarray, ps: ProcessSettings, mode: str) -> np.ndarray:
    _check_xrows(x, ps, mode)
    if mode == "apply":
        return apply_scaling(x.T, ps.center, ps.gain).T
    return reverse_scaling(x.T, ps.center, ps.gain).T


def mapminmax(*args: Any):
    """MATLAB's ``mapminmax``: map each row's [min, max] to [ymin, ymax].

    Forms: ``Y, PS = mapminmax(X, ymin=-1, ymax=1)``,
    ``Y = mapminmax('apply', X, PS)``, ``X = mapminmax('reverse', Y, PS)``.
    Rows are variables. The map is :mod:`bpforecast.estimators.preprocessing`'s
    ``mapminmax_params`` (identical for ``[-1, 1]``); a constant row passes
    through unchanged, as in MATLAB (the estimators map it to 0 instead;
    both leave it carrying no information).

    Returns
    -------
    Y : ndarray
    PS : ProcessSettings
        With MATLAB's fields ``xmin, xmax, xrange, ymin, ymax, yrange,
        gain, xoffset, no_change``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapminmax
    >>> X = np.array([[0.0, 5.0, 10.0], [1.0, 1.0, 1.0]])
    >>> Y, PS = mapminmax(X)
    >>> Y.tolist()
    [[-1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    >>> mapminmax("reverse", Y, PS).tolist() == X.tolist()
    True
    >>> mapminmax("apply", [[2.5], [1.0]], PS).tolist()
    [[-0.5], [1.0]]
    """
    mode, x, rest = _process_call(args, "mapminmax")
    if mode != "create":
        return _affine(x, rest, mode)
    ymin, ymax = (list(rest) + [-1.0, 1.0][len(rest) :])[:2]
    ymin, ymax = float(ymin), float(ymax)
    if not ymax > ymin:
        raise ValueError(f"mapminmax: need ymax > ymin, got {ymin}, {ymax}.")
    center, gain, constant = mapminmax_params(x.T)
    half = (ymax - ymin) / 2.0
    gain = gain * half
    center = center - ((ymax + ymin) / 2.0) / gain
    center = np.where(constant, 0.0, center)
    gain = np.where(constant, 1.0, gain)
    xmin, xmax = x.min(axis=1), x.max(axis=1)
    fields = {
        "xrows": x.shape[0],
        "yrows": x.shape[0],
        "xmin": xmin,
        "xmax": xmax,
        "xrange": xmax - xmin,
        "ymin": ymin,
        "ymax": ymax,
        "yrange": ymax - ymin,
        "gain": gain,
        "xoffset": np.where(constant, ymin, xmin),
        "no_change": bool(np.all(gain == 1) and np.all(center == 0)),
    }
    ps = ProcessSettings("mapminmax", x.shape[0], x.shape[0], center, gain, fields)
    return _affine(x, ps, "apply"), ps


def mapstd(*args: Any):
    """MATLAB's ``mapstd``: each row to mean ``ymean`` (0), std ``ystd`` (1).

    Forms as :func:`mapminmax`: ``Y, PS = mapstd(X, ymean=0, ystd=1)``,
    ``mapstd('apply', X, PS)``, ``mapstd('reverse', Y, PS)``. The standard
    deviation is the N-1 one (as MATLAB and
    :func:`bpforecast.estimators.preprocessing.mapstd_params`); constant rows pass
    through unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import mapstd
    >>> Y, PS = mapstd(np.array([[1.0, 2.0, 3.0]]))
    >>> Y.tolist(), PS.xmean.tolist(), PS.xstd.tolist()
    ([[-1.0, 0.0, 1.0]], [2.0], [1.0])
    """
    mode, x, rest = _process_call(args, "mapstd")
    if mode != "create":
        return _affine(x, rest, mode)
    ymean, ystd = (list(rest) + [0.0, 1.0][len(rest) :])[:2]
    ymean, ystd = float(ymean), float(ystd)
    if not ystd > 0:
        raise ValueError(f"mapstd: ystd must be positive, got {ystd}.")
    center, gain, constant = mapstd_params(x.T)
    xmean = center.copy()
    xstd = np.where(constant, 0.0, 1.0 / gain)
    gain = gain * ystd
    center = center - ymean / gain
    center = np.where(constant, 0.0, center)
    gain = np.where(constant, 1.0, gain)
    fields = {
        "xrows": x.shape[0],
        "yrows": x.shape[0],
        "xmean": xmean,
        "xstd": xstd,
        "ymean": ymean,
        "ystd": ystd,
        "gain": gain,
        "xoffset": np.where(constant, ymean, xmean),
        "no_change": bool(np.all(gain == 1) and np.all(center == 0)),
    }
    ps = ProcessSettings("mapstd", x.shape[0], x.shape[0], center, gain, fields)
    return _affine(x, ps, "apply"), ps


def removeconstantrows(*args: Any):
    """MATLAB's ``removeconstantrows``: drop rows with ``max - min <= max_range``.

    Forms: ``Y, PS = removeconstantrows(X, max_range=0)``,
    ``removeconstantrows('apply', X, PS)`` and
    ``removeconstantrows('reverse', Y, PS)`` (puts the constant rows back,
    with their values).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.matlab import removeconstantrows
    >>> X = np.array([[1.0, 2.0], [7.0, 7.0], [3.0, 4.0]])
    >>> Y, PS = removeconstantrows(X)
    >>> Y.tolist(), PS.keep.tolist(), PS.remove.tolist(), PS.value.tolist()
    ([[1.0, 2.0], [3.0, 4.0]], [0, 2], [1], [7.0])
    >>> removeconstantrows("reverse", Y, PS).tolist() == X.tolist()
    True
    """
    mode, x, rest = _process_call(args, "removeconstantrows")
    if mode == "apply":
        _check_xrows(x, rest, mode)
        return x[rest.keep]
    if mode == "reverse":
        ps = rest
        _check_xrows(x, ps, mode)
        out = np.empty((ps.xrows, x.shape[1]))
        out[ps.keep] = x
        out[ps.remove] = ps.value[:, None]
        return out
    max_range = float(rest[0]) if rest else 0.0
    span = x.max(axis=1) - x.min(axis=1) if x.shape[1] else np.zeros(x.shape[0])
    remove = np.flatnonzero(span <= max_range)
    keep = np.flatnonzero(span > max_range)
    value = x[remove, 0] if x.shape[1] else np.zeros(remove.size)
    fields = {
        "max_range": max_range,
        "keep": keep,
        "remove": remove,
        "value": value,
        "xrows": x.shape[0],
        "yrows": keep.size,
        "no_change": remove.size == 0,
    }
    ps = ProcessSettings("removeconstantrows", x.shape[0], keep.size, fields=fields)
    return x[keep], ps
