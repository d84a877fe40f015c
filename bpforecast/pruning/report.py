"""What pruning did: :class:`LayerPruning` per layer and the :class:`PruningReport`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..results import Results, Summary

_ERROR_COLUMNS = ("train_mse", "val_mse", "train_mse_y", "val_mse_y")


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
class PruningReport(Results):
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

    def summary(self) -> Summary:
        """Settings, the layers pruned and the errors before and after.

        Returns
        -------
        Summary
            Prints as text (it is a ``str``) and renders as tables in a
            notebook.

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
        title = {
            "weights": "principal-component pruning of weights",
            "units": "removal of redundant hidden units",
        }[self.method]
        s, p = self.settings, self.params
        if self.method == "weights":
            rule = ("Order", s.get("order"))
        else:
            rule = ("Relative threshold", s.get("rel_threshold"))
        settings = [
            ("Tolerance", s.get("tol")),
            ("Validation mse limit (scaled)", self.limit),
            rule,
            ("Training data", f"{s.get('train_data')} ({s.get('n_train')} samples)"),
            ("Validation samples", s.get("n_val")),
            (
                "Architecture",
                f"{_arch_string(self.shapes_before)} -> "
                f"{_arch_string(self.shapes_after)}",
            ),
            ("Parameters stored", f"{p['stored_before']} -> {p['stored_after']}"),
            (
                "Parameters effective",
                f"{p['effective_before']} -> {p['effective_after']} "
                f"({100 * p['effective_reduction']:.1f} % fewer)",
            ),
        ]
        what = "directions" if self.method == "weights" else "units"
        frame = self.to_frame()
        layers = pd.DataFrame(
            {
                what: [
                    "-"
                    if np.isnan(row["n_before"])
                    else f"{int(row['n_before'])}->{int(row['n_after'])}"
                    for _, row in frame.iterrows()
                ],
                "removed": [
                    "-" if np.isnan(v) else str(int(v)) for v in frame["removed"]
                ],
                "eff. params": [
                    f"{int(b)}->{int(a)}"
                    for b, a in zip(
                        frame["params_effective_before"],
                        frame["params_effective_after"],
                        strict=True,
                    )
                ],
                "val mse before": frame["val_mse_before"],
                "after": frame["val_mse_after"],
            },
            index=frame.index,
        )
        errors = self.errors.rename(
            columns={
                "train_mse": "train",
                "val_mse": "validation",
                "train_mse_y": "train (y)",
                "val_mse_y": "val (y)",
            }
        )
        notes = []
        epochs = s.get("retrain_epochs", 0)
        if epochs:
            verdict = "kept" if self.retrained else "rejected (validation error rose)"
            notes.append(f"Retraining: up to {epochs} epochs, {verdict}.")
        return Summary(
            f"Pruning report: {title}",
            [
                ("Settings", settings),
                ("Layers", layers),
                ("Errors (mse; scaled, and in units of y)", errors),
            ],
            notes=notes,
            width=72,
        )

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
        from ..plotting._backend import _pyplot

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


def _arch_string(shapes) -> str:
    return "-".join(str(n) for n in (shapes[0][0], *(s[1] for s in shapes)))
