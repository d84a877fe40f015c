"""``prune``: one entry point for both methods."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from numpy.typing import ArrayLike

from .report import PruningReport
from .units import prune_units
from .weights import prune_weights

if TYPE_CHECKING:
    from ..estimators.regressor import BPRegressor

METHODS = ("weights", "units")


def prune(
    model: BPRegressor,
    X_val: ArrayLike,
    y_val: ArrayLike,
    method: str = "weights",
    **kwargs: Any,
) -> tuple[BPRegressor, PruningReport]:
    """Prune a fitted BPRegressor: ``method='weights'`` or ``method='units'``.

    Dispatches to :func:`prune_weights` or :func:`prune_units`; keyword
    arguments go to them unchanged.

    Parameters
    ----------
    model : BPRegressor
    X_val, y_val : array-like
        Validation data.
    method : {'weights', 'units'}, default='weights'
    **kwargs
        ``X_train``, ``y_train``, ``tol``, ``retrain_epochs``, and ``order``
        (weights) or ``rel_threshold`` (units).

    Returns
    -------
    pruned : BPRegressor
    report : PruningReport

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.pruning import prune
    >>> X = np.random.default_rng(0).normal(size=(150, 3)); y = X[:, 0] * X[:, 1]
    >>> model = BPRegressor((4,), solver="trainlm", epochs=20, random_state=0)
    >>> model = model.fit(X[:100], y[:100])
    >>> _, report = prune(model, X[100:], y[100:], method="units", X_train=X[:100])
    >>> report.method
    'units'
    """
    if method == "weights":
        return prune_weights(model, X_val, y_val, **kwargs)
    if method == "units":
        return prune_units(model, X_val, y_val, **kwargs)
    raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
