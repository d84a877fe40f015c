"""Training plots: ``plotperform`` and ``plottrainstate``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._backend import _pyplot
from ._common import COLORS, _fmt
from ._sources import _curves

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plotperform(tr: Any) -> Figure:
    """MATLAB's ``plotperform(tr)``: mse per epoch, the best epoch marked.

    Train (blue), validation (green) and test (red) errors on a log scale,
    a dotted cross and a circle at the best validation error (or the best
    training error when there is no validation set), and the goal when it
    is positive.

    Parameters
    ----------
    tr : TrainingRecord, fitted BPRegressor or trained Network

    Returns
    -------
    matplotlib.figure.Figure
        One axes, titled ``'Best Validation Performance is <vperf> at epoch
        <n>'``, x label ``'<num_epochs> Epochs'``, y label ``'Mean Squared
        Error  (mse)'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> from bpforecast.plotting import plotperform
    >>> x = np.linspace(-1, 1, 50)
    >>> net, tr = nn.train(nn.fitnet(3), x, x**3, random_state=0)
    >>> ax = plotperform(tr).axes[0]
    >>> ax.get_xlabel() == f"{tr.num_epochs} Epochs", ax.get_ylabel()
    (True, 'Mean Squared Error  (mse)')
    """
    plt = _pyplot()
    r = _curves(tr)
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    has_val = bool(np.any(np.isfinite(r.vperf)))
    ax.semilogy(r.epoch, r.perf, color=COLORS["Train"], label="Train")
    if has_val:
        ax.semilogy(r.epoch, r.vperf, color=COLORS["Validation"], label="Validation")
    if np.any(np.isfinite(r.tperf)):
        ax.semilogy(r.epoch, r.tperf, color=COLORS["Test"], label="Test")
    best_value = r.best_vperf if has_val else r.best_perf
    ax.axvline(r.best_epoch, color=COLORS["Validation"], linestyle=":")
    ax.axhline(best_value, color=COLORS["Validation"], linestyle=":")
    ax.semilogy(
        [r.best_epoch],
        [best_value],
        "o",
        markerfacecolor="none",
        markersize=10,
        color=COLORS["Validation"],
        label="Best",
    )
    if r.goal > 0:
        ax.axhline(r.goal, color="k", linestyle="--", label="Goal")
    which = "Validation" if has_val else "Training"
    ax.set_title(
        f"Best {which} Performance is {_fmt(best_value)} at epoch {r.best_epoch}"
    )
    ax.set_xlabel(f"{r.num_epochs} Epochs")
    ax.set_ylabel("Mean Squared Error  (mse)")
    ax.legend(loc="upper right")
    return fig


def plottrainstate(tr: Any) -> Figure:
    """MATLAB's ``plottrainstate(tr)``: gradient, mu or lr, validation checks.

    Parameters
    ----------
    tr : TrainingRecord, fitted BPRegressor or trained Network

    Returns
    -------
    matplotlib.figure.Figure
        Three axes titled ``'Gradient = <g>, at epoch <n>'``, ``'Mu = <mu>,
        at epoch <n>'`` (trainlm) or ``'Learning Rate = <lr>, at epoch
        <n>'``, and ``'Validation Checks = <k>, at epoch <n>'``, with y
        labels ``gradient``, ``mu`` / ``lr``, ``val fail``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.plotting import plottrainstate
    >>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
    >>> model = BPRegressor((3,), epochs=20, random_state=0).fit(X, X.ravel())
    >>> [ax.get_ylabel() for ax in plottrainstate(model).axes]
    ['gradient', 'lr', 'val fail']
    """
    plt = _pyplot()
    r = _curves(tr)
    n = r.num_epochs
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(7, 7), layout="constrained")
    ax_g, ax_rate, ax_val = axes
    ax_g.semilogy(r.epoch, r.gradient, color=COLORS["Train"], marker=".")
    ax_g.set_title(f"Gradient = {_fmt(r.gradient[-1])}, at epoch {n}")
    ax_g.set_ylabel("gradient")
    if r.mu is not None:
        ax_rate.semilogy(r.epoch, r.mu, color=COLORS["Train"], marker=".")
        ax_rate.set_title(f"Mu = {_fmt(r.mu[-1])}, at epoch {n}")
        ax_rate.set_ylabel("mu")
    else:
        ax_rate.plot(r.epoch, r.lr, color=COLORS["Train"], marker=".")
        ax_rate.set_title(f"Learning Rate = {_fmt(r.lr[-1])}, at epoch {n}")
        ax_rate.set_ylabel("lr")
    ax_val.plot(r.epoch, r.val_fail, color=COLORS["Train"], marker=".")
    ax_val.set_title(f"Validation Checks = {int(r.val_fail[-1])}, at epoch {n}")
    ax_val.set_ylabel("val fail")
    ax_val.set_xlabel(f"{n} Epochs")
    return fig
