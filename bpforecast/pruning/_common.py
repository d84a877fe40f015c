"""What both pruning methods share: data blocks, the network, errors, retraining."""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..estimators.preprocessing import apply_scaling, reverse_scaling
from ..nn.network import Architecture, forward, mse, pack
from .report import _ERROR_COLUMNS, LayerPruning, PruningReport

_RTOL = 1e-9  # relative slack on the validation bound, for rounding
_ATOL = 1e-24  # absolute slack (scaled mse), for a network with zero error


@dataclass
class _Block:
    """One data block in scaled units (Y may be None) and in raw units."""

    Xs: np.ndarray
    Ys: np.ndarray | None
    Y: np.ndarray | None


class _Net:
    """Weights, biases and transfer functions of a model, as plain arrays."""

    def __init__(self, model) -> None:
        self.acts = model.architecture_.activations
        self.coefs = [np.array(W, dtype=np.float64) for W in model.coefs_]
        self.intercepts = [np.array(b, dtype=np.float64) for b in model.intercepts_]

    def copy(self) -> _Net:
        new = copy.copy(self)
        new.coefs = [W.copy() for W in self.coefs]
        new.intercepts = [b.copy() for b in self.intercepts]
        return new

    def run(
        self,
        A: np.ndarray,
        start: int = 0,
        coefs: list[np.ndarray] | None = None,
        intercepts: list[np.ndarray] | None = None,
        stop: int | None = None,
    ) -> list[np.ndarray]:
        """Outputs of layers ``start..stop-1`` from the inputs ``A`` of ``start``.

        ``[A, a_start, ..., a_last]``: the core's forward pass
        (:func:`bpforecast.nn.network.forward`) over the sub-network of
        those layers; ``coefs`` / ``intercepts`` replace the network's own
        (whole lists, indexed like ``coefs_``).
        """
        coefs = self.coefs if coefs is None else coefs
        intercepts = self.intercepts if intercepts is None else intercepts
        stop = len(coefs) if stop is None else stop
        layers = range(start, stop)
        sizes = (coefs[start].shape[0], *(coefs[i].shape[1] for i in layers))
        arch = Architecture(
            tuple(int(n) for n in sizes), tuple(self.acts[i] for i in layers)
        )
        theta = pack([coefs[i] for i in layers], [intercepts[i] for i in layers])
        return forward(theta, arch, A)

    def layer(self, A: np.ndarray, i: int) -> np.ndarray:
        """Output of layer ``i`` alone, from its inputs ``A``."""
        return self.run(A, i, stop=i + 1)[-1]

    def output(self, Xs):
        return self.run(Xs)[-1]

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return [tuple(int(n) for n in W.shape) for W in self.coefs]


def _check_model(model) -> None:
    # Duck-typed: importing BPRegressor here would close a cycle with its
    # prune() method.
    if not isinstance(getattr(type(model), "architecture_", None), property) or (
        not hasattr(model, "warm_start")
    ):
        raise TypeError(
            f"pruning needs a fitted BPRegressor; got {type(model).__name__}."
        )
    check_is_fitted(model, ["coefs_", "intercepts_", "x_center_", "y_center_"])


def _block(model, X, y, name: str) -> _Block:
    X = validate_data(model, X, dtype=np.float64, reset=False)
    Xs = apply_scaling(X, model.x_center_, model.x_gain_)
    if y is None:
        return _Block(Xs, None, None)
    Y = check_array(y, ensure_2d=False, dtype=np.float64, input_name=f"y_{name}")
    Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y
    if Y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X_{name} and y_{name} have {X.shape[0]} and {Y.shape[0]} samples."
        )
    if Y.shape[1] != model.n_outputs_:
        raise ValueError(
            f"y_{name} has {Y.shape[1]} output(s); the model has {model.n_outputs_}."
        )
    return _Block(Xs, apply_scaling(Y, model.y_center_, model.y_gain_), Y)


def _errors(model, net: _Net, block: _Block) -> tuple[float, float]:
    """(scaled mse, mse in units of y) of ``net`` on ``block``; NaN without y."""
    if block.Ys is None:
        return math.nan, math.nan
    out = net.output(block.Xs)
    Yhat = reverse_scaling(out, model.y_center_, model.y_gain_)
    constant = np.asarray(getattr(model, "constant_targets_", []), dtype=bool)
    if constant.size and np.any(constant):
        Yhat[:, constant] = model.y_center_[constant]
    return mse(out, block.Ys), mse(Yhat, block.Y)


def _error_row(model, net: _Net, train: _Block, val: _Block) -> dict:
    train_mse, train_mse_y = _errors(model, net, train)
    val_mse, val_mse_y = _errors(model, net, val)
    return {
        "train_mse": train_mse,
        "val_mse": val_mse,
        "train_mse_y": train_mse_y,
        "val_mse_y": val_mse_y,
    }


def _check_tol(tol) -> float:
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real):
        raise TypeError(f"tol must be a non-negative number, got {tol!r}.")
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}.")
    return float(tol)


def _check_epochs(retrain_epochs, y_train, X_train) -> int:
    if isinstance(retrain_epochs, bool) or not isinstance(
        retrain_epochs, numbers.Integral
    ):
        raise TypeError(f"retrain_epochs must be an int, got {retrain_epochs!r}.")
    if retrain_epochs < 0:
        raise ValueError(f"retrain_epochs must be >= 0, got {retrain_epochs}.")
    if retrain_epochs > 0 and (X_train is None or y_train is None):
        raise ValueError("retrain_epochs > 0 needs X_train and y_train.")
    return int(retrain_epochs)


def _setup(model, X_val, y_val, X_train, y_train, tol):
    _check_model(model)
    tol = _check_tol(tol)
    if y_val is None:
        raise ValueError("y_val is required: k is chosen by validation error.")
    val = _block(model, X_val, y_val, "val")
    if X_train is None:
        if y_train is not None:
            raise ValueError("y_train was given without X_train.")
        train = _Block(val.Xs, None, None)
        source = "X_val"
    else:
        train = _block(model, X_train, y_train, "train")
        source = "X_train"
    net = _Net(model)
    before = _error_row(model, net, train, val)
    base = before["val_mse"]
    limit = base * (1.0 + tol) + _RTOL * base + _ATOL
    settings = {"tol": tol, "n_train": int(train.Xs.shape[0])}
    settings.update(n_val=int(val.Xs.shape[0]), train_data=source)
    return net, train, val, before, limit, settings


def _rms(values) -> float:
    return float(np.sqrt(np.mean(np.square(values)))) if np.size(values) else 0.0


def _build(model, net: _Net):
    """Deep copy of ``model`` carrying the weights of ``net``."""
    new = copy.deepcopy(model)
    hidden = tuple(W.shape[1] for W in net.coefs[:-1])
    if hidden != tuple(model.architecture_.layer_sizes[1:-1]):
        new.hidden_layer_sizes = hidden
    new.coefs_ = [W.copy() for W in net.coefs]
    new.intercepts_ = [b.copy() for b in net.intercepts]
    return new


def _retrain(model, X_train, y_train, epochs: int):
    """Warm-started training of a copy of ``model`` for up to ``epochs`` epochs."""
    new = copy.deepcopy(model)
    warm, max_epochs = new.warm_start, new.epochs
    new.set_params(warm_start=True, epochs=epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        new.fit(X_train, y_train)
    new.set_params(warm_start=warm, epochs=max_epochs)
    return new


def _finish(
    model,
    method: str,
    settings: dict,
    infos: list[LayerPruning],
    net0: _Net,
    net: _Net,
    effective_after: list[int],
    train: _Block,
    val: _Block,
    before: dict,
    limit: float,
    retrain_epochs: int,
    X_train,
    y_train,
    reproject=None,
):
    pruned_model = _build(model, net)
    pruned = _error_row(model, net, train, val)
    after, retrained = pruned, False
    if retrain_epochs > 0:
        candidate = _retrain(pruned_model, X_train, y_train, retrain_epochs)
        if reproject is not None:
            reproject(candidate)
        cand_net = _Net(candidate)
        cand = _error_row(candidate, cand_net, train, val)
        if cand["val_mse"] <= pruned["val_mse"] * (1 + _RTOL) + _ATOL:
            pruned_model, after, retrained = candidate, cand, True
    errors = pd.DataFrame(
        [before, pruned, after],
        index=["before", "pruned", "after"],
        columns=list(_ERROR_COLUMNS),
    )
    settings["retrain_epochs"] = retrain_epochs
    report = PruningReport(
        method=method,
        settings=settings,
        layers=infos,
        shapes_before=net0.shapes,
        shapes_after=net.shapes,
        effective_before=[a * b + b for a, b in net0.shapes],
        effective_after=effective_after,
        errors=errors,
        limit=float(limit),
        retrained=retrained,
    )
    return pruned_model, report
