"""Independent references of MATLAB's trainers, for testing bpforecast.

:mod:`.mlp` is a plain tansig/purelin network over a flat weight vector;
:mod:`.trainbr`, :mod:`.trainscg` and :mod:`.trainrp` follow MATLAB's code
step by step (each module's docstring lists the steps and their sources).
Nothing here imports bpforecast.

:func:`order_floor` measures the rounding-noise floor of a reference: the
distance between two runs of the same reference that add in a different
order (the training samples reversed).  An implementation is held to
``max(1e-10, floor)`` relative, epoch by epoch.
"""

from __future__ import annotations

import numpy as np


def relative_difference(a, b) -> np.ndarray:
    """``|a - b| / max(|a|, |b|)`` elementwise (0 where both are 0 or equal).

    >>> relative_difference(np.array([2.0, 0.0]), np.array([2.5, 0.0]))
    array([0.2, 0. ])
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(a), np.abs(b))
    diff = np.abs(a - b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(same, 0.0, diff / scale)


def order_floor(train, theta0, X, Y, layer_sizes, keys=("perf",), **params):
    """Max relative difference, per record key, between two summation orders.

    Runs ``train(theta0, X, Y, layer_sizes, **params)`` and the same with the
    samples (rows of ``X`` and ``Y``) reversed, and compares the per-epoch
    records over the epochs both runs recorded.  Returns ``{key: max
    relative difference}`` plus ``"same_stop"`` (both stopped for the same
    reason at the same epoch).
    """
    a = train(theta0, X, Y, layer_sizes, **params)
    b = train(theta0, X[::-1].copy(), Y[::-1].copy(), layer_sizes, **params)
    n = min(len(a[keys[0]]), len(b[keys[0]]))
    out = {
        key: float(np.nanmax(relative_difference(a[key][:n], b[key][:n])))
        for key in keys
    }
    out["same_stop"] = (
        a["stop_reason"] == b["stop_reason"] and a["n_epochs"] == b["n_epochs"]
    )
    return out
