"""Regression plots: ``plotregression`` (outputs against targets), ``ploterrhist``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._backend import _pyplot
from ._common import COLORS, _columns, _fmt, _groups
from ._sources import _sets

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def regression_line(t: ArrayLike, y: ArrayLike) -> tuple[float, float, float]:
    """``(R, slope, offset)`` of outputs ``y`` against targets ``t`` (flattened).

    ``R`` is the Pearson correlation (NaN if either is constant); the line is
    the least-squares fit ``y ~= slope * t + offset``, as in MATLAB's
    ``plotregression``. NaN pairs are left out.

    Examples
    --------
    >>> from bpforecast.plotting import regression_line
    >>> R, a, b = regression_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> round(R, 12), round(a, 12), round(b, 12)
    (1.0, 2.0, 1.0)
    """
    t = np.asarray(t, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if t.shape != y.shape:
        raise ValueError(f"targets and outputs differ in size: {t.size} vs {y.size}.")
    ok = np.isfinite(t) & np.isfinite(y)
    t, y = t[ok], y[ok]
    if t.size < 2 or np.ptp(t) == 0:
        return float("nan"), 0.0, float(np.mean(y)) if y.size else float("nan")
    if np.ptp(y) == 0:
        R = float("nan")
    else:
        R = float(np.corrcoef(t, y)[0, 1])
    slope, offset = np.polyfit(t, y, 1)
    return R, float(slope), float(offset)


def plotregression(*args: Any, tr: Any = None) -> Figure:
    """MATLAB's ``plotregression(t, y, 'name', t2, y2, 'name2', ...)``.

    One panel per (targets, outputs) pair: the samples as circles, the
    least-squares line ``Output ~= a*Target + b`` and the ideal ``Y = T``
    line, titled with ``R``, the Pearson correlation of outputs and
    targets. With ``tr=`` and one pair, panels for the training, validation
    and test samples and all of them, as MATLAB's training window shows.

    Parameters
    ----------
    *args : arrays and names
        ``t, y`` or ``t, y, name``, repeated. Arrays of any shape (all
        elements are used, MATLAB's ``t(:)``).
    tr : TrainingRecord, fitted BPRegressor or trained Network, optional
        Its sample indices split the single ``t, y`` pair (samples are the
        columns of a 2-D array).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, titled ``'<name>: R=<R>'`` (``'R=<R>'`` without
        a name), x label ``'Target'``, y label ``'Output ~= <a>*Target +
        <b>'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import plotregression
    >>> t = np.arange(10.0); y = t + np.sin(t)
    >>> fig = plotregression(t, y, "Test")
    >>> fig.axes[0].get_title() == f"Test: R={np.corrcoef(t, y)[0, 1]:.5g}"
    True
    """
    plt = _pyplot()
    groups = _groups(args, 2, "plotregression")
    if tr is not None:
        if len(groups) != 1:
            raise TypeError("plotregression with tr= takes one targets/outputs pair.")
        t, y, _ = groups[0]
        tc = _columns(np.asarray(t, dtype=np.float64))
        yc = _columns(np.asarray(y, dtype=np.float64))
        if tc.shape != yc.shape:
            raise ValueError(f"targets {tc.shape} and outputs {yc.shape} differ.")
        groups = [
            (tc[:, idx], yc[:, idx], name) for name, idx in _sets(tr, tc.shape[1])
        ]
        groups.append((tc, yc, "All"))
    n = len(groups)
    ncols = 1 if n == 1 else 2
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(5 * ncols, 4.5 * nrows), layout="constrained"
    )
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n:]:
        fig.delaxes(ax)
    for ax, (t, y, name) in zip(axes, groups, strict=False):
        t = np.asarray(t, dtype=np.float64).reshape(-1)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        R, a, b = regression_line(t, y)
        color = COLORS.get(name, COLORS["Training"])
        ax.plot(t, y, "o", markerfacecolor="none", color="k", label="Data")
        finite = np.isfinite(t)
        lo, hi = (np.min(t[finite]), np.max(t[finite])) if finite.any() else (0, 1)
        line = np.array([lo, hi])
        ax.plot(line, a * line + b, "-", color=color, linewidth=2, label="Fit")
        ax.plot(line, line, ":", color="k", label="Y = T")
        sign = "-" if b < 0 else "+"
        ax.set_xlabel("Target")
        ax.set_ylabel(f"Output ~= {a:.2g}*Target {sign} {abs(b):.2g}")
        ax.set_title(f"{name}: R={_fmt(R)}" if name else f"R={_fmt(R)}")
        ax.legend(loc="upper left")
    return fig


def ploterrhist(*args: Any, bins: int = 20, tr: Any = None) -> Figure:
    """MATLAB's ``ploterrhist(e, 'name', e2, 'name2', ..., 'bins', 20)``.

    A histogram of the errors (``targets - outputs``) with ``bins`` bins
    shared by all sets, stacked by set, and the zero-error line. With
    ``tr=`` and one error array, the stacks are the training, validation
    and test samples.

    Parameters
    ----------
    *args : arrays and names
        ``e`` or ``e, name``, repeated.
    bins : int, default=20
    tr : TrainingRecord, fitted BPRegressor or trained Network, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes titled ``'Error Histogram with <bins> Bins'``, x label
        ``'Errors = Targets - Outputs'``, y label ``'Instances'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import ploterrhist
    >>> ax = ploterrhist(np.random.default_rng(0).normal(size=200)).axes[0]
    >>> ax.get_title(), len(ax.patches)
    ('Error Histogram with 20 Bins', 20)
    """
    plt = _pyplot()
    groups = _groups(args, 1, "ploterrhist")
    if tr is not None:
        if len(groups) != 1:
            raise TypeError("ploterrhist with tr= takes one error array.")
        ec = _columns(np.asarray(groups[0][0], dtype=np.float64))
        groups = [(ec[:, idx], name) for name, idx in _sets(tr, ec.shape[1])]
    data, names = [], []
    for e, name in groups:
        e = np.asarray(e, dtype=np.float64).reshape(-1)
        data.append(e[np.isfinite(e)])
        names.append(
            name or ("Errors" if len(groups) == 1 else f"Errors {len(names) + 1}")
        )
    everything = np.concatenate(data)
    if everything.size == 0:
        raise ValueError("ploterrhist: no finite error to plot.")
    edges = np.histogram_bin_edges(everything, bins=int(bins))
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    colors = [COLORS.get(name, None) for name in names]
    if any(c is None for c in colors):
        colors = None
    ax.hist(
        data,
        bins=edges,
        stacked=True,
        color=colors,
        label=names,
        edgecolor="k",
        linewidth=0.5,
    )
    ax.axvline(0.0, color=(1.0, 0.5, 0.0), linewidth=2, label="Zero Error")
    ax.set_title(f"Error Histogram with {int(bins)} Bins")
    ax.set_xlabel("Errors = Targets - Outputs")
    ax.set_ylabel("Instances")
    ax.legend(loc="upper right")
    return fig
