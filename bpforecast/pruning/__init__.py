"""Pruning a trained network: principal-component weight pruning and unit removal.

Two ways to make a fitted :class:`~bpforecast.BPRegressor` smaller after
training, both without a Hessian and both cheap next to retraining:

``method='weights'`` (:func:`prune_weights`)
    Principal-component pruning of the weights (Levin, Leen & Moody, "Fast
    Pruning Using Principal Components", NIPS 6, 1994). Layer by layer from
    the first, the inputs reaching the layer over the training data give an
    uncentred correlation matrix ``C = A^T A / N`` with eigenvalues
    ``lambda_j`` and eigenvectors ``c_j``. Direction ``j`` has the saliency
    ``s_j = lambda_j * ||W^T c_j||^2`` (how much the layer's summed squared
    net input over the training data changes when the direction is projected
    out of ``W``). Directions are removed in increasing order of saliency (or
    of eigenvalue, ``order='eigenvalue'``), ``W <- (I - C_r C_r^T) W``; the
    number removed is the largest whose whole-network validation error stays
    within the tolerance. Biases are not projected. The weight matrices keep
    their shape; their rank falls, so the *effective* parameter count of a
    layer that keeps ``k`` of its ``n_in`` input directions is
    ``k * n_out + n_out`` (the pruned matrix can be stored as two factors),
    reported next to the unchanged *stored* count ``n_in * n_out + n_out``.

``method='units'`` (:func:`prune_units`)
    Removal of redundant hidden units. Layer by layer from the first, each
    hidden unit's activation over the training data is regressed by least
    squares on a constant and the other kept units of its layer. A unit whose
    residual is small (nearly constant, or nearly a linear combination of the
    others) is removed and folded into the next layer: its outgoing weights
    times the regression coefficients are added to the kept units' outgoing
    weights, and times the intercept to the next layer's bias. The change of
    the next layer's net input on the training data is exactly the folded
    residual times the outgoing weights, so an exactly redundant unit goes
    with no change of the outputs. Units go one at a time, the one whose
    folding changes the next layer's net input least first, as long as its
    residual RMS is below ``rel_threshold`` times the layer's RMS activation
    spread; the number removed is chosen by validation error as above. The
    network really shrinks: ``coefs_``/``intercepts_`` get smaller and
    ``hidden_layer_sizes`` is updated.

Both work in the model's scaled units (inputs and targets mapped with the
fitted ``x_center_``/``x_gain_`` and ``y_center_``/``y_gain_``), return a
pruned copy (the model given is not modified) and a :class:`PruningReport`.
The copy keeps the original's parameters and training record (``history_``,
``best_epoch_``, ...) unless it was retrained; only ``coefs_``,
``intercepts_`` and, for unit removal, ``hidden_layer_sizes`` change.

**Tolerance.** ``tol`` is relative: the pruned network's validation mse must
not exceed ``(1 + tol)`` times the unpruned network's (``tol=0``: no worse
than unpruned; a relative slack of 1e-9 absorbs rounding, so that exactly
redundant directions and units can go at ``tol=0``). Every layer is checked
against the *unpruned* network's error, and each layer may always keep
everything, so the final network always meets the bound on the validation
data. The validation data choose ``k``: their error is an optimistic estimate
of the pruned network's error on new data; keep a test block apart.

**Training data.** The estimator does not store its training inputs, so pass
them (``X_train``) for the correlation matrices and the regressions; with
``X_train=None`` the validation inputs are used instead. ``y_train`` is only
needed for the training errors in the report (NaN without it) and for
retraining.

**Retraining.** With ``retrain_epochs > 0`` the pruned copy is trained
further with ``warm_start=True`` for at most that many epochs on
``X_train``/``y_train`` (the model's own solver, division and early
stopping; its ``history_`` and training attributes are then those of the
retraining). Retraining is unconstrained, so for ``method='weights'`` the
removed directions are projected out again afterwards (the same directions;
exact for the first layer, whose inputs do not change, and an approximation
for later layers, whose inputs move with the retrained weights before them).
The retrained network is kept only if its validation error is no larger than
the pruned network's; the report says whether it was.

Examples
--------
>>> import numpy as np
>>> from bpforecast import BPRegressor
>>> from bpforecast.pruning import prune
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(300, 3))
>>> X[:, 2] = X[:, 0]                       # an exact copy of input 0
>>> y = np.tanh(X[:, 0]) + 0.5 * X[:, 1]
>>> model = BPRegressor((6,), solver="trainlm", epochs=50, random_state=0)
>>> model = model.fit(X[:200], y[:200])
>>> pruned, report = prune(model, X[200:], y[200:], X_train=X[:200])
>>> report.layers[0].n_after < 3           # the copy's direction is gone
True
>>> bool(report.errors.loc["after", "val_mse"]
...      <= report.errors.loc["before", "val_mse"] * (1 + 1e-9))
True
"""

from __future__ import annotations

from .forecaster import prune_forecaster
from .methods import METHODS as METHODS
from .methods import prune
from .report import LayerPruning, PruningReport
from .units import prune_units
from .weights import ORDERS as ORDERS
from .weights import prune_weights

__all__ = [
    "LayerPruning",
    "PruningReport",
    "prune",
    "prune_forecaster",
    "prune_units",
    "prune_weights",
]
