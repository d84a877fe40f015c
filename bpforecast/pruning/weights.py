"""Principal-component pruning of the weights (Levin, Leen & Moody, 1994)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..nn.network import mse
from ._common import _check_epochs, _error_row, _finish, _rms, _setup
from .report import LayerPruning, PruningReport

if TYPE_CHECKING:
    from ..estimators.regressor import BPRegressor

ORDERS = ("saliency", "eigenvalue")


def prune_weights(
    model: BPRegressor,
    X_val: ArrayLike,
    y_val: ArrayLike,
    *,
    X_train: ArrayLike | None = None,
    y_train: ArrayLike | None = None,
    tol: float = 0.0,
    order: str = "saliency",
    retrain_epochs: int = 0,
) -> tuple[BPRegressor, PruningReport]:
    """Principal-component pruning of a fitted network's weights.

    Layer by layer from the first, input directions of low saliency (or low
    eigenvalue) are projected out of the weight matrix, as many as the
    validation error allows (see :mod:`bpforecast.pruning`).

    Parameters
    ----------
    model : BPRegressor
        A fitted network; it is not modified.
    X_val, y_val : array-like
        Validation data (units of the model's ``X`` and ``y``): they choose
        how many directions each layer loses.
    X_train, y_train : array-like, optional
        The model's training data. ``X_train`` gives the correlation
        matrices (``X_val`` is used when None); ``y_train`` gives the
        training errors in the report and is needed for retraining.
    tol : float, default=0.0
        Relative tolerance: the pruned validation mse may be at most
        ``(1 + tol)`` times the unpruned one.
    order : {'saliency', 'eigenvalue'}, default='saliency'
        Removal order of the directions: increasing saliency
        ``lambda_j * ||W^T c_j||^2`` (Levin, Leen & Moody) or increasing
        eigenvalue (plain PCA).
    retrain_epochs : int, default=0
        Train the pruned network further for up to this many epochs
        (warm start), then project the removed directions out again; kept
        only when the validation error does not rise.

    Returns
    -------
    pruned : BPRegressor
        A pruned copy: same shapes, lower-rank weight matrices.
    report : PruningReport

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.pruning import prune_weights
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4)); y = np.sin(X[:, 0] + X[:, 1])
    >>> X[:, 3] = X[:, 2]                       # a duplicated (noise) input
    >>> model = BPRegressor((5,), solver="trainlm", epochs=40, random_state=0)
    >>> model = model.fit(X[:200], y[:200])
    >>> pruned, report = prune_weights(model, X[200:], y[200:],
    ...                                X_train=X[:200], y_train=y[:200], tol=0.05)
    >>> report.params["effective_after"] < report.params["effective_before"]
    True
    >>> [W.shape for W in pruned.coefs_] == [W.shape for W in model.coefs_]
    True
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}.")
    retrain_epochs = _check_epochs(retrain_epochs, y_train, X_train)
    net0, train, val, before, limit, settings = _setup(
        model, X_val, y_val, X_train, y_train, tol
    )
    settings["order"] = order
    net = net0.copy()
    A_train, A_val = train.Xs, val.Xs
    removed_dirs: list[np.ndarray] = []
    infos = []
    effective_after = []
    for i in range(len(net.coefs)):
        W = net.coefs[i]
        n_in, n_out = W.shape
        C = A_train.T @ A_train / A_train.shape[0]
        lam, V = np.linalg.eigh(C)  # ascending
        lam = np.clip(lam, 0.0, None)
        saliency = lam * np.sum((V.T @ W) ** 2, axis=1)
        key = saliency if order == "saliency" else lam
        removal = np.argsort(key, kind="stable")
        out_before_train = net.run(A_train, i)[-1]
        errors_before = _error_row(model, net, train, val)

        val_mse = np.empty(n_in)
        best_r = 0
        for r in range(n_in):  # keep at least one direction
            Vr = V[:, removal[:r]]
            W_r = W - Vr @ (Vr.T @ W)
            coefs = [*net.coefs[:i], W_r, *net.coefs[i + 1 :]]
            val_mse[r] = mse(net.run(A_val, i, coefs)[-1], val.Ys)
            if val_mse[r] <= limit:
                best_r = r
        Vr = V[:, removal[:best_r]]
        net.coefs[i] = W - Vr @ (Vr.T @ W)
        removed_dirs.append(Vr.copy())
        effective_after.append((n_in - best_r) * n_out + n_out)
        errors_after = _error_row(model, net, train, val)
        change = _rms(net.run(A_train, i)[-1] - out_before_train)

        desc = np.argsort(lam)[::-1]
        infos.append(
            LayerPruning(
                layer=i,
                kind="directions",
                n_before=n_in,
                n_after=n_in - best_r,
                eigenvalues=lam[desc],
                saliency=saliency[desc],
                k=np.arange(n_in, 0, -1),
                val_mse=val_mse,
                limit=float(limit),
                directions=Vr.copy(),
                train_mse_before=errors_before["train_mse"],
                train_mse_after=errors_after["train_mse"],
                val_mse_before=errors_before["val_mse"],
                val_mse_after=errors_after["val_mse"],
                output_change=change,
            )
        )
        A_train = net.layer(A_train, i)
        A_val = net.layer(A_val, i)

    def reproject(candidate) -> None:
        for j, Vr in enumerate(removed_dirs):
            if Vr.shape[1]:
                W = np.asarray(candidate.coefs_[j], dtype=np.float64)
                candidate.coefs_[j] = W - Vr @ (Vr.T @ W)

    return _finish(
        model,
        "weights",
        settings,
        infos,
        net0,
        net,
        effective_after,
        train,
        val,
        before,
        limit,
        retrain_epochs,
        X_train,
        y_train,
        reproject,
    )
