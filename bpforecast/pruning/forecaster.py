"""Pruning every network of a fitted BPForecaster."""

from __future__ import annotations

import copy
import math
import numbers
from typing import TYPE_CHECKING, Any

from sklearn.utils.validation import check_is_fitted

from .methods import prune

if TYPE_CHECKING:
    from ..forecasting.forecaster import BPForecaster


def prune_forecaster(
    forecaster: BPForecaster,
    method: str = "weights",
    val_fraction: float = 0.2,
    **kwargs: Any,
) -> tuple[BPForecaster, list]:
    """Prune every network of a fitted BPForecaster.

    The forecaster's training windows (``X_train_``, ``y_train_``) are split
    in time: the last ``val_fraction`` of them (at least one) is the
    validation block, the windows before it are the training data for the
    correlation matrices and for any retraining. Each model is pruned with
    :func:`prune` on its own target column (the first for 'recursive', step
    ``h`` for the 'direct' models of step ``h``, all for 'mimo'). With two
    pipelines (``transform='both'``), each pipeline's models are pruned on
    that pipeline's windows.

    Note that :meth:`~bpforecast.BPForecaster.predict_interval` calibrates
    on refits of the unpruned configuration; its cache is cleared.

    Parameters
    ----------
    forecaster : BPForecaster
        Fitted, with BPRegressor models; it is not modified.
    method : {'weights', 'units'}, default='weights'
    val_fraction : float in (0, 1), default=0.2
    **kwargs
        Passed to :func:`prune_weights` or :func:`prune_units` (``tol``,
        ``order``, ``rel_threshold``, ``retrain_epochs``).

    Returns
    -------
    pruned : BPForecaster
        A copy with pruned ``models_``.
    reports : list of PruningReport
        One per model, in the layout of ``models_`` (a list per step for
        'direct').

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPForecaster, BPRegressor
    >>> from bpforecast.pruning import prune_forecaster
    >>> y = np.sin(np.arange(150) / 4) + 2
    >>> net = BPRegressor((5,), solver="trainlm", epochs=30,
    ...                   division_ratios=(0.8, 0.2, 0.0))
    >>> f = BPForecaster(net, lags=6, n_models=2, random_state=0).fit(y)
    >>> pruned, reports = prune_forecaster(f, tol=0.01)
    >>> len(reports), pruned.predict(3).shape   # 2 pipelines x 2 networks
    (4, (3,))
    """
    check_is_fitted(forecaster, "models_")
    if not isinstance(val_fraction, numbers.Real) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}.")
    for name in ("X_train", "y_train", "X_val", "y_val"):
        if name in kwargs:
            raise TypeError(
                f"prune_forecaster takes its data from the forecaster; got {name}."
            )
    if getattr(forecaster, "pipelines_", None):
        parts = [
            prune_forecaster(p, method=method, val_fraction=val_fraction, **kwargs)
            for p in forecaster.pipelines_
        ]
        pruned = copy.deepcopy(forecaster)
        pruned.pipelines_ = [p for p, _ in parts]
        pruned.models_ = forecaster._join([p.models_ for p in pruned.pipelines_])
        pruned._interval_cache = {}
        return pruned, forecaster._join([r for _, r in parts])
    X = forecaster.X_train_.to_numpy()
    Y = forecaster.y_train_.to_numpy()
    n = X.shape[0]
    n_val = max(1, int(math.ceil(val_fraction * n)))
    if n - n_val < 1:
        raise ValueError(f"val_fraction={val_fraction} leaves no training window.")
    cut = n - n_val

    def one(model, target):
        return prune(
            model,
            X[cut:],
            target[cut:],
            method=method,
            X_train=X[:cut],
            y_train=target[:cut],
            **kwargs,
        )

    pruned = copy.deepcopy(forecaster)
    if forecaster.strategy == "direct":
        results = [
            [one(m, Y[:, h]) for m in models]
            for h, models in enumerate(forecaster.models_)
        ]
        pruned.models_ = [[m for m, _ in step] for step in results]
        reports = [[r for _, r in step] for step in results]
    else:
        target = Y if forecaster.strategy == "mimo" else Y[:, 0]
        results = [one(m, target) for m in forecaster.models_]
        pruned.models_ = [m for m, _ in results]
        reports = [r for _, r in results]
    pruned._interval_cache = {}
    return pruned, reports
