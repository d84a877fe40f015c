"""Removal of redundant hidden units, folded into the next layer."""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..nn.network import mse
from ._common import _check_epochs, _error_row, _finish, _rms, _setup
from .report import LayerPruning, PruningReport

if TYPE_CHECKING:
    from ..estimators.regressor import BPRegressor


def _least_squares(H: np.ndarray, j: int, others: list[int]):
    """Intercept, coefficients and residual of ``H[:, j]`` on ``[1, H[:, others]]``."""
    design = np.column_stack([np.ones(H.shape[0]), H[:, others]])
    beta, *_ = np.linalg.lstsq(design, H[:, j], rcond=None)
    residual = H[:, j] - design @ beta
    return beta[0], beta[1:], residual


def prune_units(
    model: BPRegressor,
    X_val: ArrayLike,
    y_val: ArrayLike,
    *,
    X_train: ArrayLike | None = None,
    y_train: ArrayLike | None = None,
    tol: float = 0.0,
    rel_threshold: float | None = 0.1,
    retrain_epochs: int = 0,
) -> tuple[BPRegressor, PruningReport]:
    """Remove redundant hidden units and fold them into the next layer.

    Layer by layer from the first, the unit whose activation is best
    explained (least squares on a constant and the other kept units) is
    folded into the next layer, repeatedly, as long as its residual is small
    and the validation error allows (see :mod:`bpforecast.pruning`). The
    network shrinks: ``hidden_layer_sizes`` and the shapes of ``coefs_`` and
    ``intercepts_`` are updated (each hidden layer keeps at least one unit).

    Parameters
    ----------
    model : BPRegressor
        A fitted network; it is not modified.
    X_val, y_val : array-like
        Validation data: they choose how many units go.
    X_train, y_train : array-like, optional
        The model's training data: ``X_train`` gives the activations for the
        regressions (``X_val`` when None); ``y_train`` gives the training
        errors in the report and is needed for retraining.
    tol : float, default=0.0
        Relative tolerance on the validation mse, as in :func:`prune_weights`.
    rel_threshold : float or None, default=0.1
        A unit is a candidate only while the RMS residual of its regression
        on the kept units is at most ``rel_threshold`` times the layer's RMS
        activation spread (the root mean of its units' variances on the
        training data). None: no such limit, validation error alone decides.
    retrain_epochs : int, default=0
        Train the smaller network further for up to this many epochs (warm
        start); kept only when the validation error does not rise.

    Returns
    -------
    pruned : BPRegressor
        A smaller copy.
    report : PruningReport

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.pruning import prune_units
    >>> X = np.random.default_rng(0).normal(size=(100, 2)); y = X[:, 0]
    >>> model = BPRegressor((3,), solver="trainlm", epochs=5, random_state=0)
    >>> model = model.fit(X, y)
    >>> W1, W2 = model.coefs_
    >>> model.coefs_ = [np.hstack([W1, W1[:, :1]]), np.vstack([W2, W2[:1]])]
    >>> model.intercepts_[0] = np.append(model.intercepts_[0], model.intercepts_[0][0])
    >>> model.hidden_layer_sizes = (4,)          # unit 3 duplicates unit 0
    >>> pruned, report = prune_units(model, X, y)
    >>> pruned.hidden_layer_sizes, report.layers[0].n_removed
    ((3,), 1)
    >>> bool(np.allclose(pruned.predict(X), model.predict(X), atol=1e-10))
    True
    """
    if rel_threshold is not None:
        if isinstance(rel_threshold, bool) or not isinstance(
            rel_threshold, numbers.Real
        ):
            raise TypeError(
                f"rel_threshold must be a number or None, got {rel_threshold!r}."
            )
        if not rel_threshold >= 0:
            raise ValueError(f"rel_threshold must be >= 0, got {rel_threshold!r}.")
    retrain_epochs = _check_epochs(retrain_epochs, y_train, X_train)
    net0, train, val, before, limit, settings = _setup(
        model, X_val, y_val, X_train, y_train, tol
    )
    settings["rel_threshold"] = rel_threshold
    threshold = math.inf if rel_threshold is None else float(rel_threshold)
    net = net0.copy()
    infos = []
    A_train, A_val = train.Xs, val.Xs
    for layer in range(len(net.coefs) - 1):
        W, b = net.coefs[layer], net.intercepts[layer]
        H_train = net.layer(A_train, layer)
        H_val = net.layer(A_val, layer)
        n_units = H_train.shape[1]
        centred = H_train - H_train.mean(axis=0)
        spectrum = np.linalg.eigvalsh(centred.T @ centred / H_train.shape[0])[::-1]
        spectrum = np.clip(spectrum, 0.0, None)
        scale = math.sqrt(float(np.mean(centred**2))) or 1.0
        out_before_train = net.run(A_train, layer)[-1]
        errors_before = _error_row(model, net, train, val)

        W_next = net.coefs[layer + 1].copy()
        b_next = net.intercepts[layer + 1].copy()
        kept = list(range(n_units))
        states = [(list(kept), W_next.copy(), b_next.copy())]
        removed, saliencies, residuals = [], [], []
        val_mse = [mse(net.run(A_val, layer)[-1], val.Ys)]
        while len(kept) > 1:
            best = None
            for j in kept:
                others = [u for u in kept if u != j]
                intercept, coef, res = _least_squares(H_train, j, others)
                rms = _rms(res)
                if rms > threshold * scale:
                    continue
                sal = rms * float(np.linalg.norm(W_next[j]))
                if best is None or sal < best[0]:
                    best = (sal, j, others, intercept, coef, rms)
            if best is None:
                break
            sal, j, others, intercept, coef, rms = best
            W_next[others] += np.outer(coef, W_next[j])
            b_next = b_next + intercept * W_next[j]
            kept = others
            removed.append(j)
            saliencies.append(sal)
            residuals.append(rms)
            states.append((list(kept), W_next.copy(), b_next.copy()))
            coefs = [*net.coefs[: layer + 1], W_next[kept], *net.coefs[layer + 2 :]]
            biases = [
                *net.intercepts[: layer + 1],
                b_next,
                *net.intercepts[layer + 2 :],
            ]
            out = net.run(H_val[:, kept], layer + 1, coefs, biases)[-1]
            val_mse.append(mse(out, val.Ys))
        val_mse = np.asarray(val_mse)
        n_drop = max((r for r in range(val_mse.size) if val_mse[r] <= limit), default=0)
        kept, W_next, b_next = states[n_drop]
        net.coefs[layer] = W[:, kept]
        net.intercepts[layer] = b[kept]
        net.coefs[layer + 1] = W_next[kept]
        net.intercepts[layer + 1] = b_next
        errors_after = _error_row(model, net, train, val)
        change = _rms(net.run(A_train, layer)[-1] - out_before_train)
        infos.append(
            LayerPruning(
                layer=layer,
                kind="units",
                n_before=n_units,
                n_after=len(kept),
                eigenvalues=spectrum,
                saliency=np.asarray(saliencies[:n_drop]),
                k=np.arange(n_units, n_units - val_mse.size, -1),
                val_mse=val_mse,
                limit=float(limit),
                units_removed=tuple(int(u) for u in removed[:n_drop]),
                fold_residuals=np.asarray(residuals[:n_drop]),
                train_mse_before=errors_before["train_mse"],
                train_mse_after=errors_after["train_mse"],
                val_mse_before=errors_before["val_mse"],
                val_mse_after=errors_after["val_mse"],
                output_change=change,
            )
        )
        A_train = H_train[:, kept]
        A_val = H_val[:, kept]
    return _finish(
        model,
        "units",
        settings,
        infos,
        net0,
        net,
        [a * b + b for a, b in net.shapes],
        train,
        val,
        before,
        limit,
        retrain_epochs,
        X_train,
        y_train,
    )
