"""The relative-error report: how far the network's outputs are from the targets.

:meth:`BPRegressor.report <bpforecast.BPRegressor.report>` returns a
:class:`RelativeErrorReport`: a per-sample table (expected, computed, error,
relative error), summary numbers, the network's final training state, and
the training/validation/test error curves.

Relative error is ``(computed - expected) / |expected|``. It is undefined
where the expected value is zero, and explodes near zero, so samples with
``|expected| <= zero_tol`` get ``NaN`` relative error: they stay in the
table and in the absolute metrics (RMSE, MAE, R²) but are left out of the
relative ones (mean/max relative error, MAPE), and the summary says how many
were left out. ``zero_tol`` defaults to ``1e-12 * max|expected|``.

Examples
--------
>>> import numpy as np
>>> from bpforecast.estimators.report import relative_error
>>> relative_error(np.array([2.0, 0.0, -4.0]), np.array([2.2, 0.1, -3.0]))
array([0.1 ,  nan, 0.25])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..results import Results, Summary


def relative_error(expected, computed, zero_tol: float | None = None) -> np.ndarray:
    """Signed relative error ``(computed - expected) / |expected|``, NaN near zero.

    Parameters
    ----------
    expected, computed : array-like of the same shape
    zero_tol : float or None
        ``|expected| <= zero_tol`` gives NaN; None means
        ``1e-12 * max|expected|``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.report import relative_error
    >>> relative_error(np.array([10.0]), np.array([9.0]))
    array([-0.1])
    """
    expected = np.asarray(expected, dtype=float)
    computed = np.asarray(computed, dtype=float)
    if zero_tol is None:
        zero_tol = 1e-12 * float(np.max(np.abs(expected))) if expected.size else 0.0
    magnitude = np.abs(expected)
    defined = magnitude > zero_tol
    out = np.full(expected.shape, np.nan)
    # Halved so that the difference of two huge values cannot overflow.
    np.divide(computed / 2 - expected / 2, magnitude / 2, out=out, where=defined)
    return out


def error_metrics(expected, computed, zero_tol: float | None = None) -> dict:
    """Summary numbers of the errors, as a dict.

    Keys: ``n_samples``, ``mean_abs_relative_error``, ``max_abs_relative_error``,
    ``mape`` (percent), ``rmse``, ``mae``, ``r2``, ``n_relative_undefined``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.estimators.report import error_metrics
    >>> m = error_metrics(np.array([1.0, 2.0]), np.array([1.1, 1.8]))
    >>> round(m["mape"], 6), round(m["mae"], 6)
    (10.0, 0.15)
    """
    expected = np.asarray(expected, dtype=float)
    computed = np.asarray(computed, dtype=float)
    rel = np.abs(relative_error(expected, computed, zero_tol))
    defined = rel[~np.isnan(rel)]
    err = computed - expected
    ss_res = float(np.sum(err**2))
    ss_tot = float(np.sum((expected - np.mean(expected, axis=0)) ** 2))
    return {
        "n_samples": int(expected.shape[0]),
        "mean_abs_relative_error": float(np.mean(defined)) if defined.size else np.nan,
        "max_abs_relative_error": float(np.max(defined)) if defined.size else np.nan,
        "mape": 100.0 * float(np.mean(defined)) if defined.size else np.nan,
        "rmse": float(np.sqrt(np.mean(err**2))),
        "mae": float(np.mean(np.abs(err))),
        "r2": 1.0 - ss_res / ss_tot if ss_tot > 0 else np.nan,
        "n_relative_undefined": int(rel.size - defined.size),
    }


@dataclass
class RelativeErrorReport(Results):
    """Relative errors of a fitted model on one data set, with its training state.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per sample (and output): ``expected``, ``computed``, ``error``,
        ``relative_error``.
    metrics : dict
        See :func:`error_metrics`.
    model_info : dict
        Architecture, solver, epochs run, stop reason, best epoch, final lr
        and errors of the fitted model.
    history : pandas.DataFrame or None
        The model's per-epoch training record.
    zero_tol : float or None

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> X = np.linspace(1, 3, 60).reshape(-1, 1)
    >>> rep = BPRegressor((3,), random_state=0).fit(X, X.ravel()).report(X, X.ravel())
    >>> list(rep.to_frame().columns)
    ['expected', 'computed', 'error', 'relative_error']
    """

    table: pd.DataFrame
    metrics: dict
    model_info: dict
    history: pd.DataFrame | None = None
    zero_tol: float | None = None

    @classmethod
    def from_model(
        cls, model, expected, computed, zero_tol=None
    ) -> RelativeErrorReport:
        """Build the report from a fitted model and its predictions.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> from bpforecast.estimators.report import RelativeErrorReport
        >>> X = np.linspace(1, 3, 40).reshape(-1, 1)
        >>> m = BPRegressor((2,), random_state=0).fit(X, X.ravel())
        >>> rep = RelativeErrorReport.from_model(m, X.ravel(), m.predict(X))
        >>> rep.metrics["n_samples"]
        40
        """
        expected = np.asarray(expected, dtype=float)
        computed = np.asarray(computed, dtype=float)
        rel = relative_error(expected, computed, zero_tol)
        if expected.ndim == 1:
            table = pd.DataFrame(
                {
                    "expected": expected,
                    "computed": computed,
                    "error": computed - expected,
                    "relative_error": rel,
                }
            )
            table.index.name = "sample"
        else:
            n, m = expected.shape
            index = pd.MultiIndex.from_product(
                [range(n), range(m)], names=["sample", "output"]
            )
            table = pd.DataFrame(
                {
                    "expected": expected.ravel(),
                    "computed": computed.ravel(),
                    "error": (computed - expected).ravel(),
                    "relative_error": rel.ravel(),
                },
                index=index,
            )
        history = getattr(model, "history_", None)
        info = {
            "model": type(model).__name__,
            "architecture": "-".join(
                str(s)
                for s in (model.n_features_in_, *model.architecture_.layer_sizes[1:])
            ),
            "activation": f"{model.activation} / {model.output_activation}",
            "solver": model.solver,
            "scaling": str(model.scaling),
            "division": str(model.division),
            "epochs_run": model.n_epochs_,
            "stop_reason": model.stop_reason_,
            "best_epoch": model.best_epoch_,
        }
        if history is not None and len(history):
            best = history.loc[model.best_epoch_]
            info.update(
                final_lr=float(history["lr"].iloc[-1]),
                best_perf=float(best["perf"]),
                best_vperf=float(best["vperf"]),
                best_tperf=float(best["tperf"]),
                gradient=float(best["gradient"]),
            )
        return cls(
            table, error_metrics(expected, computed, zero_tol), info, history, zero_tol
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-sample table (a copy).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.linspace(1, 3, 40).reshape(-1, 1)
        >>> model = BPRegressor((2,), random_state=0).fit(X, X.ravel())
        >>> rep = model.report(X, X.ravel())
        >>> len(rep.to_frame())
        40
        """
        return self.table.copy()

    def summary_table(self) -> pd.Series:
        """The summary numbers as a Series.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.linspace(1, 3, 40).reshape(-1, 1)
        >>> model = BPRegressor((2,), random_state=0).fit(X, X.ravel())
        >>> rep = model.report(X, X.ravel())
        >>> "mape" in rep.summary_table()
        True
        """
        return pd.Series(self.metrics, name="value")

    def summary(self) -> Summary:
        """The training state and the error figures, as statsmodels prints them.

        Returns
        -------
        Summary
            Prints as text (it is a ``str``) and renders as a table in a
            notebook (``as_html()``).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPRegressor
        >>> X = np.linspace(1, 3, 40).reshape(-1, 1)
        >>> model = BPRegressor((2,), random_state=0).fit(X, X.ravel())
        >>> rep = model.report(X, X.ravel())
        >>> print(rep.summary().splitlines()[0])
        Relative-error report: BPRegressor
        """
        info, m = self.model_info, self.metrics
        state = [
            ("Architecture", info["architecture"]),
            ("Transfer functions", info["activation"]),
            ("Solver", info["solver"]),
            ("Scaling / division", f"{info['scaling']} / {info['division']}"),
            ("Epochs run", info["epochs_run"]),
            ("Stop reason", info["stop_reason"]),
            ("Best epoch", info["best_epoch"]),
        ]
        labels = {
            "final_lr": "Final learning rate",
            "best_perf": "Train mse (scaled)",
            "best_vperf": "Validation mse (scaled)",
            "best_tperf": "Test mse (scaled)",
            "gradient": "Gradient norm",
        }
        state += [(label, info[key]) for key, label in labels.items() if key in info]
        errors = [
            ("Mean |relative error|", m["mean_abs_relative_error"]),
            ("Max |relative error|", m["max_abs_relative_error"]),
            ("MAPE (%)", m["mape"]),
            ("RMSE", m["rmse"]),
            ("MAE", m["mae"]),
            ("R^2", m["r2"]),
        ]
        tol = "1e-12 * max|expected|" if self.zero_tol is None else f"{self.zero_tol:g}"
        notes = [
            "Relative error = (computed - expected) / |expected|; "
            f"{m['n_relative_undefined']} value(s)",
            f"with |expected| <= {tol} have none and are left out of it.",
        ]
        return Summary(
            f"Relative-error report: {info['model']}",
            [
                ("Training state", state),
                (f"Errors on {m['n_samples']} samples (units of y)", errors),
            ],
            notes=notes,
            width=64,
        )

    def plot(self, ax=None):
        """Training, validation and test error per epoch, best epoch marked.

        MATLAB's ``plotperform``, plus the per-sample relative error when no
        axes are given. Needs matplotlib (``pip install bpforecast[plot]``).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw only the error curves into these axes.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import numpy as np
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from bpforecast import BPRegressor
        >>> X = np.linspace(1, 3, 40).reshape(-1, 1)
        >>> model = BPRegressor((2,), random_state=0).fit(X, X.ravel())
        >>> rep = model.report(X, X.ravel())
        >>> fig = rep.plot()
        >>> [a.get_title() for a in fig.axes]
        ['Training performance', 'Relative error per sample']
        """
        from ..plotting import _pyplot

        plt = _pyplot()
        if ax is None:
            fig, (ax, ax_rel) = plt.subplots(2, 1, figsize=(8, 7))
        else:
            fig, ax_rel = ax.figure, None
        h = self.history
        if h is not None and len(h):
            for column, label, color in (
                ("perf", "Train", "tab:blue"),
                ("vperf", "Validation", "tab:green"),
                ("tperf", "Test", "tab:red"),
            ):
                values = h[column].to_numpy(dtype=float)
                if np.any(np.isfinite(values)):
                    ax.semilogy(h.index, values, label=label, color=color)
            best = self.model_info["best_epoch"]
            ax.axvline(best, color="0.4", linestyle=":", label=f"Best (epoch {best})")
            ref = "vperf" if np.isfinite(h["vperf"].iloc[0]) else "perf"
            ax.plot(best, h[ref].loc[best], "o", markerfacecolor="none", color="0.2")
        ax.set_xlabel("Epoch")
        ax.set_ylabel("Mean squared error (scaled)")
        ax.set_title("Training performance")
        ax.legend()
        if ax_rel is not None:
            rel = self.table["relative_error"].to_numpy()
            ax_rel.plot(np.arange(rel.size), rel, ".", markersize=3)
            ax_rel.axhline(0.0, color="0.5", linewidth=0.8)
            ax_rel.set_xlabel("Sample")
            ax_rel.set_ylabel("(computed - expected) / |expected|")
            ax_rel.set_title("Relative error per sample")
            fig.tight_layout()
        return fig
