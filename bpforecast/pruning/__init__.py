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

import copy
import math
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..estimators.preprocessing import apply_scaling, reverse_scaling
from ..nn.network import mse

METHODS = ("weights", "units")
ORDERS = ("saliency", "eigenvalue")
_RTOL = 1e-9  # relative slack on the validation bound, for rounding
_ATOL = 1e-24  # absolute slack (scaled mse), for a network with zero error
_ERROR_COLUMNS = ("train_mse", "val_mse", "train_mse_y", "val_mse_y")


# --------------------------------------------------------------------- report
@dataclass
class LayerPruning:
    """What pruning did to one layer.

    Attributes
    ----------
    layer : int
        Weight-layer index (``coefs_[layer]``) for ``method='weights'``;
        hidden-layer index (the units output by ``coefs_[layer]``) for
        ``method='units'``.
    kind : {'directions', 'units'}
        What was counted and removed.
    n_before, n_after : int
        Input directions (weights) or hidden units (units) before and after.
    eigenvalues : ndarray
        Descending eigenvalues: of the uncentred correlation matrix of the
        layer's inputs (weights), or of the covariance matrix of the layer's
        activations (units), over the training data, before pruning.
    saliency : ndarray
        Weights: the saliency of each direction, in the order of
        ``eigenvalues``. Units: the RMS change of the next layer's net input
        caused by folding each removed unit, in removal order.
    k : ndarray of int
        Candidate numbers of directions or units kept, ``n_before`` first.
    val_mse : ndarray
        Validation mse (scaled) of the whole network at each ``k``.
    limit : float
        The validation mse the layer had to stay within.
    directions : ndarray of shape (n_in, n_removed)
        Weights: the removed input directions (orthonormal columns, in the
        layer's input space; for the first layer the scaled input space).
        Units: empty.
    units_removed : tuple of int
        Units: indices (in the layer before pruning) of the removed units,
        in removal order. Weights: empty.
    fold_residuals : ndarray
        Units: RMS least-squares residual (activation units, training data)
        of each removed unit when it was folded. Weights: empty.
    train_mse_before, train_mse_after, val_mse_before, val_mse_after : float
        Whole-network mse (scaled) before and after this layer's step (NaN
        for training errors without ``y_train``).
    output_change : float
        RMS change of the network's scaled outputs on the training inputs
        caused by this layer's step.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.pruning import LayerPruning
    >>> info = LayerPruning(0, "directions", 3, 2, np.array([2.0, 1.0, 0.0]),
    ...                     np.array([1.0, 0.5, 0.0]), np.array([3, 2, 1]),
    ...                     np.array([0.1, 0.1, 0.4]), 0.1)
    >>> info.n_removed
    1
    """

    layer: int
    kind: str
    n_before: int
    n_after: int
    eigenvalues: np.ndarray
    saliency: np.ndarray
    k: np.ndarray
    val_mse: np.ndarray
    limit: float
    directions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    units_removed: tuple[int, ...] = ()
    fold_residuals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    train_mse_before: float = math.nan
    train_mse_after: float = math.nan
    val_mse_before: float = math.nan
    val_mse_after: float = math.nan
    output_change: float = 0.0

    @property
    def n_removed(self) -> int:
        """Directions or units removed."""
        return self.n_before - self.n_after


@dataclass
class PruningReport:
    """Results of :func:`prune_weights` or :func:`prune_units`.

    Attributes
    ----------
    method : {'weights', 'units'}
    settings : dict
        ``tol``, ``order`` or ``rel_threshold``, ``retrain_epochs``,
        ``n_train``, ``n_val`` and ``train_data`` (``'X_train'`` or
        ``'X_val'``: where the correlation matrices came from).
    layers : list of LayerPruning
        One entry per pruned layer (every weight layer for ``'weights'``,
        every hidden layer for ``'units'``).
    shapes_before, shapes_after : list of tuple of int
        ``coefs_`` shapes before and after.
    effective_before, effective_after : list of int
        Effective parameters per weight layer (weights and biases):
        ``k * n_out + n_out`` for a layer keeping ``k`` input directions;
        the stored count when nothing was projected.
    errors : pandas.DataFrame
        Rows ``before`` (unpruned), ``pruned`` (before any retraining) and
        ``after`` (the returned network); columns ``train_mse``,
        ``val_mse`` (scaled units, like ``history_``) and ``train_mse_y``,
        ``val_mse_y`` (units of ``y``).
    limit : float
        The validation mse (scaled) the pruned network had to stay within.
    retrained : bool
        Whether the returned network is the retrained one.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.pruning import prune_units
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(200, 2)); y = X[:, 0] - X[:, 1]
    >>> model = BPRegressor((4,), solver="trainlm", epochs=20, random_state=0)
    >>> pruned, report = prune_units(model.fit(X, y), X[150:], y[150:], X_train=X)
    >>> list(report.errors.index)
    ['before', 'pruned', 'after']
    >>> report.params["stored_after"] <= report.params["stored_before"]
    True
    """

    method: str
    settings: dict
    layers: list[LayerPruning]
    shapes_before: list[tuple[int, int]]
    shapes_after: list[tuple[int, int]]
    effective_before: list[int]
    effective_after: list[int]
    errors: pd.DataFrame
    limit: float
    retrained: bool = False

    @property
    def params(self) -> dict:
        """Total parameter counts before and after, and the relative reduction.

        Keys ``stored_before``, ``stored_after``, ``effective_before``,
        ``effective_after``, ``effective_reduction`` (fraction of the
        effective parameters removed).

        Examples
        --------
        >>> from bpforecast.pruning import PruningReport
        >>> import pandas as pd
        >>> rep = PruningReport("weights", {}, [], [(3, 2)], [(3, 2)], [8], [6],
        ...                     pd.DataFrame(), 0.0)
        >>> rep.params["effective_reduction"]
        0.25
        """
        stored_before = sum(a * b + b for a, b in self.shapes_before)
        stored_after = sum(a * b + b for a, b in self.shapes_after)
        eff_before = int(sum(self.effective_before))
        eff_after = int(sum(self.effective_after))
        return {
            "stored_before": stored_before,
            "stored_after": stored_after,
            "effective_before": eff_before,
            "effective_after": eff_after,
            "effective_reduction": 1.0 - eff_after / eff_before if eff_before else 0.0,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per weight layer: shapes, counts, parameters and errors.

        Columns: ``shape_before``, ``shape_after``, ``n_before``, ``n_after``
        and ``removed`` (input directions for ``'weights'``; output units for
        ``'units'``, NaN for the output layer), ``params_stored_before``,
        ``params_stored_after``, ``params_effective_before``,
        ``params_effective_after``, and ``train_mse_before``,
        ``train_mse_after``, ``val_mse_before``, ``val_mse_after`` (scaled
        mse of the whole network before and after that layer's step; NaN
        where the layer had no step).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> from bpforecast.pruning import prune_weights
        >>> X = np.random.default_rng(0).normal(size=(120, 3)); y = X.sum(axis=1)
        >>> m = BPRegressor((4,), solver="trainlm", epochs=10, random_state=0)
        >>> _, rep = prune_weights(m.fit(X, y), X[80:], y[80:], X_train=X[:80])
        >>> rep.to_frame().index.tolist()
        [0, 1]
        """
        by_layer = {info.layer: info for info in self.layers}
        rows = []
        for i, (before, after) in enumerate(
            zip(self.shapes_before, self.shapes_after, strict=True)
        ):
            info = by_layer.get(i)
            row = {
                "shape_before": f"{before[0]}x{before[1]}",
                "shape_after": f"{after[0]}x{after[1]}",
                "n_before": info.n_before if info else np.nan,
                "n_after": info.n_after if info else np.nan,
                "removed": info.n_removed if info else np.nan,
                "params_stored_before": before[0] * before[1] + before[1],
                "params_stored_after": after[0] * after[1] + after[1],
                "params_effective_before": self.effective_before[i],
                "params_effective_after": self.effective_after[i],
            }
            for name in (
                "train_mse_before",
                "train_mse_after",
                "val_mse_before",
                "val_mse_after",
            ):
                row[name] = getattr(info, name) if info else np.nan
            rows.append(row)
        frame = pd.DataFrame(rows)
        frame.index.name = "layer"
        return frame

    def summary_table(self) -> pd.Series:
        """The headline numbers as a Series (parameters and errors).

        Examples
        --------
        >>> from bpforecast.pruning import PruningReport
        >>> import pandas as pd
        >>> errors = pd.DataFrame(1.0, index=["before", "pruned", "after"],
        ...                       columns=["train_mse", "val_mse",
        ...                                "train_mse_y", "val_mse_y"])
        >>> rep = PruningReport("units", {}, [], [(3, 2)], [(3, 1)], [8], [4],
        ...                     errors, 1.0)
        >>> int(rep.summary_table()["stored_after"])
        4
        """
        values = dict(self.params)
        for when in ("before", "after"):
            for column in _ERROR_COLUMNS:
                values[f"{column}_{when}"] = float(self.errors.loc[when, column])
        values["retrained"] = self.retrained
        return pd.Series(values, name="value", dtype=object)

    def summary(self) -> str:
        """A readable text summary.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> from bpforecast.pruning import prune_weights
        >>> X = np.random.default_rng(0).normal(size=(120, 3)); y = X.sum(axis=1)
        >>> m = BPRegressor((4,), solver="trainlm", epochs=10, random_state=0)
        >>> _, rep = prune_weights(m.fit(X, y), X[80:], y[80:], X_train=X[:80])
        >>> print(rep.summary().splitlines()[0])
        Pruning report: principal-component pruning of weights
        """
        width = 72
        title = {
            "weights": "principal-component pruning of weights",
            "units": "removal of redundant hidden units",
        }[self.method]
        s = self.settings
        lines = [f"Pruning report: {title}", "=" * width]
        if self.method == "weights":
            rule = f"order={s.get('order')}"
        else:
            rule = f"rel_threshold={s.get('rel_threshold')}"
        lines.append(
            f"tol={s.get('tol')} (val mse <= {self.limit:.6g}, scaled), {rule}"
        )
        lines.append(
            f"Training data: {s.get('train_data')} ({s.get('n_train')} samples), "
            f"validation: {s.get('n_val')} samples"
        )
        p = self.params
        arch_before = _arch_string(self.shapes_before)
        arch_after = _arch_string(self.shapes_after)
        lines.append(f"Architecture: {arch_before} -> {arch_after}")
        lines.append(
            f"Parameters stored: {p['stored_before']} -> {p['stored_after']}; "
            f"effective: {p['effective_before']} -> {p['effective_after']} "
            f"({100 * p['effective_reduction']:.1f} % fewer)"
        )
        lines.append("-" * width)
        what = "directions" if self.method == "weights" else "units"
        lines.append(
            f"{'layer':>5} {what:>12} {'removed':>8} {'eff. params':>14} "
            f"{'val mse before':>15} {'after':>12}"
        )
        frame = self.to_frame()
        for i, row in frame.iterrows():
            if np.isnan(row["n_before"]):
                counts, removed = "-", "-"
            else:
                counts = f"{int(row['n_before'])}->{int(row['n_after'])}"
                removed = str(int(row["removed"]))
            params = (
                f"{int(row['params_effective_before'])}->"
                f"{int(row['params_effective_after'])}"
            )
            lines.append(
                f"{i:>5} {counts:>12} {removed:>8} {params:>14} "
                f"{_fmt(row['val_mse_before']):>15} {_fmt(row['val_mse_after']):>12}"
            )
        lines.append("-" * width)
        lines.append(
            f"{'errors (mse)':<16}{'train':>14}{'validation':>14}"
            f"{'train (y)':>14}{'val (y)':>14}"
        )
        for when in self.errors.index:
            e = self.errors.loc[when]
            lines.append(
                f"{when:<16}{_fmt(e['train_mse']):>14}{_fmt(e['val_mse']):>14}"
                f"{_fmt(e['train_mse_y']):>14}{_fmt(e['val_mse_y']):>14}"
            )
        epochs = s.get("retrain_epochs", 0)
        if epochs:
            verdict = "kept" if self.retrained else "rejected (validation error rose)"
            lines.append(f"Retraining: up to {epochs} epochs, {verdict}.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def plot(self, axes=None):
        """Eigenvalue spectrum per layer and validation error against k.

        Needs matplotlib (``pip install bpforecast[plot]``).

        Parameters
        ----------
        axes : sequence of two matplotlib Axes, optional
            Where to draw; a new figure when None.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import numpy as np
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from bpforecast import BPRegressor
        >>> from bpforecast.pruning import prune_weights
        >>> X = np.random.default_rng(0).normal(size=(120, 3)); y = X.sum(axis=1)
        >>> m = BPRegressor((4,), solver="trainlm", epochs=10, random_state=0)
        >>> _, rep = prune_weights(m.fit(X, y), X[80:], y[80:], X_train=X[:80])
        >>> [a.get_title() for a in rep.plot().axes]
        ['Eigenvalue spectrum per layer', 'Validation error against k']
        """
        from ..plotting import _pyplot

        plt = _pyplot()
        if axes is None:
            fig, (ax_eig, ax_val) = plt.subplots(1, 2, figsize=(11, 4.2))
        else:
            ax_eig, ax_val = axes
            fig = ax_eig.figure
        what = "input direction" if self.method == "weights" else "component"
        for info in self.layers:
            label = f"layer {info.layer}"
            eig = np.asarray(info.eigenvalues, dtype=float)
            floor = max(float(eig.max(initial=0.0)), 1.0) * 1e-16
            ax_eig.semilogy(
                np.arange(1, eig.size + 1), np.maximum(eig, floor), "o-", label=label
            )
            (line,) = ax_val.plot(info.k, info.val_mse, "o-", label=label)
            ax_val.plot(
                [info.n_after],
                [info.val_mse_after],
                "s",
                markersize=10,
                markerfacecolor="none",
                color=line.get_color(),
            )
        if np.isfinite(self.limit):
            ax_val.axhline(self.limit, color="0.4", linestyle=":", label="limit")
        ax_eig.set_xlabel(f"{what} (by decreasing eigenvalue)")
        ax_eig.set_ylabel("eigenvalue")
        ax_eig.set_title("Eigenvalue spectrum per layer")
        kept = "directions kept" if self.method == "weights" else "units kept"
        ax_val.set_xlabel(f"k ({kept}; square: chosen)")
        ax_val.set_ylabel("validation mse (scaled)")
        ax_val.set_title("Validation error against k")
        for ax in (ax_eig, ax_val):
            if self.layers:
                ax.legend(fontsize="small")
        if axes is None:
            fig.tight_layout()
        return fig


def _fmt(value) -> str:
    value = float(value)
    return "nan" if not np.isfinite(value) else f"{value:.5g}"


def _arch_string(shapes) -> str:
    return "-".join(str(n) for n in (shapes[0][0], *(s[1] for s in shapes)))


# -------------------------------------------------------------------- helpers
@dataclass
class _Block:
    """One data block in scaled units (Y may be None) and in raw units."""

    Xs: np.ndarray
    Ys: np.ndarray | None
    Y: np.ndarray | None


class _Net:
    """Weights, biases and transfer functions of a model, as plain arrays."""

    def __init__(self, model) -> None:
        self.acts = model._architecture().activations
        self.coefs = [np.array(W, dtype=np.float64) for W in model.coefs_]
        self.intercepts = [np.array(b, dtype=np.float64) for b in model.intercepts_]

    def copy(self) -> _Net:
        new = copy.copy(self)
        new.coefs = [W.copy() for W in self.coefs]
        new.intercepts = [b.copy() for b in self.intercepts]
        return new

    def run(self, A, start: int = 0, coefs=None, intercepts=None) -> list:
        """Outputs of layers ``start..`` from the inputs ``A`` of layer ``start``."""
        coefs = self.coefs if coefs is None else coefs
        intercepts = self.intercepts if intercepts is None else intercepts
        outputs = [A]
        for i in range(start, len(coefs)):
            A = self.acts[i].forward(A @ coefs[i] + intercepts[i])
            outputs.append(A)
        return outputs

    def output(self, Xs):
        return self.run(Xs)[-1]

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return [tuple(int(n) for n in W.shape) for W in self.coefs]


def _check_model(model) -> None:
    if not hasattr(model, "_architecture") or not hasattr(model, "warm_start"):
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
    if hidden != tuple(model._architecture().layer_sizes[1:-1]):
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


# ------------------------------------------------------------ weight pruning
def prune_weights(
    model,
    X_val,
    y_val,
    *,
    X_train=None,
    y_train=None,
    tol: float = 0.0,
    order: str = "saliency",
    retrain_epochs: int = 0,
):
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
        A_train = net.acts[i].forward(A_train @ net.coefs[i] + net.intercepts[i])
        A_val = net.acts[i].forward(A_val @ net.coefs[i] + net.intercepts[i])

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


# ------------------------------------------------------------- unit removal
def _least_squares(H: np.ndarray, j: int, others: list[int]):
    """Intercept, coefficients and residual of ``H[:, j]`` on ``[1, H[:, others]]``."""
    design = np.column_stack([np.ones(H.shape[0]), H[:, others]])
    beta, *_ = np.linalg.lstsq(design, H[:, j], rcond=None)
    residual = H[:, j] - design @ beta
    return beta[0], beta[1:], residual


def prune_units(
    model,
    X_val,
    y_val,
    *,
    X_train=None,
    y_train=None,
    tol: float = 0.0,
    rel_threshold: float | None = 0.1,
    retrain_epochs: int = 0,
):
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
        H_train = net.acts[layer].forward(A_train @ W + b)
        H_val = net.acts[layer].forward(A_val @ W + b)
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
            net_input = H_val[:, kept] @ W_next[kept] + b_next
            A = net.acts[layer + 1].forward(net_input)
            val_mse.append(mse(net.run(A, layer + 2)[-1], val.Ys))
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


# ----------------------------------------------------------------- dispatch
def prune(model, X_val, y_val, method: str = "weights", **kwargs):
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


def prune_forecaster(
    forecaster,
    method: str = "weights",
    val_fraction: float = 0.2,
    **kwargs,
):
    """Prune every network of a fitted BPForecaster.

    The forecaster's training windows (``X_train_``, ``y_train_``) are split
    in time: the last ``val_fraction`` of them (at least one) is the
    validation block, the windows before it are the training data for the
    correlation matrices and for any retraining. Each model is pruned with
    :func:`prune` on its own target column (the first for 'recursive', step
    ``h`` for the 'direct' models of step ``h``, all for 'mimo').

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
    >>> len(reports), pruned.predict(3).shape
    (2, (3,))
    """
    check_is_fitted(forecaster, "models_")
    if not isinstance(val_fraction, numbers.Real) or not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}.")
    for name in ("X_train", "y_train", "X_val", "y_val"):
        if name in kwargs:
            raise TypeError(
                f"prune_forecaster takes its data from the forecaster; got {name}."
            )
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


__all__ = [
    "LayerPruning",
    "PruningReport",
    "prune",
    "prune_forecaster",
    "prune_units",
    "prune_weights",
]
