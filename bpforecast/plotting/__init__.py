"""MATLAB's training and diagnostic plots, for bpforecast's models (needs matplotlib).

Each function returns a :class:`matplotlib.figure.Figure` with MATLAB's
titles and axis labels:

==================  ============================================================
``plotperform``     training / validation / test mse per epoch, best epoch marked
``plottrainstate``  gradient, mu (trainlm) or lr, and validation checks per epoch
``plotregression``  outputs against targets with the fit line and R
``ploterrhist``     histogram of the errors (20 bins)
``ploterrcorr``     autocorrelation of the errors, with confidence limits
``plotinerrcorr``   cross-correlation of an input with the errors
``plotresponse``    targets, outputs and errors over time
==================  ============================================================

The training plots take a training record ``tr`` (from
:func:`bpforecast.matlab.train` or :func:`bpforecast.matlab.training_record`),
a fitted :class:`~bpforecast.BPRegressor` or a trained
:class:`bpforecast.matlab.Network`. The data plots take targets, outputs or
errors (any shape; MATLAB's ``(1, Q)`` rows and 1-D arrays alike) and, with
``tr=``, split the samples into training, validation and test sets as
MATLAB's training window does. Install matplotlib with
``pip install 'bpforecast[plot]'``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np
>>> from bpforecast import BPRegressor
>>> from bpforecast.plotting import plotperform
>>> X = np.linspace(-1, 1, 80).reshape(-1, 1)
>>> model = BPRegressor((4,), solver="trainlm", random_state=0).fit(X, X.ravel() ** 2)
>>> fig = plotperform(model)
>>> fig.axes[0].get_title().startswith("Best Validation Performance is")
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..matlab import Network, TrainingRecord, training_record

__all__ = [
    "ploterrcorr",
    "ploterrhist",
    "plotinerrcorr",
    "plotperform",
    "plotregression",
    "plotresponse",
    "plottrainstate",
]

COLORS = {
    "Training": (0.0, 0.0, 1.0),
    "Train": (0.0, 0.0, 1.0),
    "Validation": (0.0, 0.8, 0.0),
    "Test": (1.0, 0.0, 0.0),
    "All": (0.0, 0.0, 0.0),
}
"""MATLAB's colours for the data sets."""


def _pyplot():
    """matplotlib.pyplot, or an ImportError saying how to install it.

    Shared by every plotting function of the package (reports too).
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plotting needs matplotlib: pip install 'bpforecast[plot]'"
        ) from exc
    return plt


def _record(source: Any) -> TrainingRecord:
    """A TrainingRecord from a record, a fitted BPRegressor or a trained Network."""
    if isinstance(source, TrainingRecord):
        return source
    if isinstance(source, Network) and getattr(source, "_last_tr", None) is not None:
        return source._last_tr
    if isinstance(source, Network) or hasattr(source, "history_"):
        return training_record(source)
    raise TypeError(
        "expected a training record (tr), a fitted BPRegressor or a trained "
        f"Network, got {type(source).__name__}."
    )


def _fmt(value: float) -> str:
    return f"{value:.5g}"


def _series(a: ArrayLike, name: str) -> np.ndarray:
    """One time series: 1-D, or a single row / column of a 2-D array."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be one series (1-D or a single row), got shape {arr.shape}."
        )
    return arr


def _sets(tr: Any, n: int) -> list[tuple[str, np.ndarray]]:
    """(name, sample indices) for the non-empty training, validation, test sets."""
    r = _record(tr)
    out = []
    for name, idx in (
        ("Training", r.trainInd),
        ("Validation", r.valInd),
        ("Test", r.testInd),
    ):
        idx = np.asarray(idx, dtype=int)
        if idx.size and idx.max() >= n:
            raise ValueError(
                f"tr's {name.lower()} indices go up to {idx.max()}, but the data "
                f"have {n} samples: pass the data tr was trained on."
            )
        if idx.size:
            out.append((name, idx))
    return out


def _columns(a: np.ndarray) -> np.ndarray:
    """Samples along the last axis (MATLAB orientation), as a 2-D array."""
    return a.reshape(1, -1) if a.ndim == 1 else a


# ----------------------------------------------------------------------------
# training plots
# ----------------------------------------------------------------------------


def plotperform(tr: Any):
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
    r = _record(tr)
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


def plottrainstate(tr: Any):
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
    r = _record(tr)
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


# ----------------------------------------------------------------------------
# data plots
# ----------------------------------------------------------------------------


def _groups(args: tuple, per_group: int, what: str) -> list[tuple]:
    """MATLAB's ``f(a1, b1, 'name1', a2, b2, 'name2', ...)``, names optional."""
    groups, i = [], 0
    while i < len(args):
        if i + per_group > len(args):
            raise TypeError(f"{what}: incomplete group of arguments.")
        data = args[i : i + per_group]
        if any(isinstance(d, str) for d in data):
            raise TypeError(f"{what}: expected data, got a string where data goes.")
        i += per_group
        name = ""
        if i < len(args) and isinstance(args[i], str):
            name, i = args[i], i + 1
        groups.append((*data, name))
    if not groups:
        raise TypeError(f"{what} needs data.")
    return groups


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


def plotregression(*args: Any, tr: Any = None):
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


def ploterrhist(*args: Any, bins: int = 20, tr: Any = None):
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


def _xcorr(a: np.ndarray, b: np.ndarray, maxlag: int) -> tuple[np.ndarray, np.ndarray]:
    """``R[k] = sum_t a[t] * b[t + k] / N`` for ``k = -maxlag..maxlag``."""
    n = a.size
    full = np.correlate(b, a, mode="full") / n  # index n - 1 is lag 0
    lags = np.arange(-maxlag, maxlag + 1)
    return lags, full[n - 1 + lags]


def _corr_plot(ax, lags, values, limit):
    ax.bar(lags, values, color=COLORS["Training"], width=0.6, label="Correlations")
    ax.axhline(0.0, color="k", linewidth=0.8, label="Zero Correlation")
    ax.axhline(limit, color="r", linestyle=":", label="Confidence Limit")
    ax.axhline(-limit, color="r", linestyle=":")
    ax.fill_between(
        [lags[0] - 0.5, lags[-1] + 0.5], -limit, limit, color="r", alpha=0.08
    )
    ax.set_xlim(lags[0] - 0.5, lags[-1] + 0.5)
    ax.set_xlabel("Lag")
    ax.set_ylabel("Correlation")
    ax.legend(loc="upper right")


def _maxlag(n: int, maxlag: int) -> int:
    if n < 2:
        raise ValueError("need at least 2 time steps.")
    return int(min(maxlag, n - 1))


def ploterrcorr(e: ArrayLike, *, maxlag: int = 20):
    """MATLAB's ``ploterrcorr(e)``: autocorrelation of the error series.

    ``R(k) = sum_t e(t) e(t + k) / N`` for lags ``-maxlag..maxlag`` (the
    zero-lag bar is the mean squared error), with the approximate 95 %
    confidence limits ``+-1.96 R(0) / sqrt(N)`` of white noise: for a good
    model all other lags stay inside them.

    Parameters
    ----------
    e : array-like
        One error series (1-D or a single row).
    maxlag : int, default=20

    Returns
    -------
    matplotlib.figure.Figure
        One axes titled ``'Autocorrelation of Error 1'``, x label ``'Lag'``,
        y label ``'Correlation'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import ploterrcorr
    >>> ax = ploterrcorr(np.random.default_rng(0).normal(size=100)).axes[0]
    >>> ax.get_title(), ax.get_xlabel(), len(ax.patches)
    ('Autocorrelation of Error 1', 'Lag', 41)
    """
    plt = _pyplot()
    e = _series(e, "e")
    e = e[np.isfinite(e)]
    maxlag = _maxlag(e.size, maxlag)
    lags, values = _xcorr(e, e, maxlag)
    limit = 1.96 * values[maxlag] / np.sqrt(e.size)
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    _corr_plot(ax, lags, values, limit)
    ax.set_title("Autocorrelation of Error 1")
    return fig


def plotinerrcorr(x: ArrayLike, e: ArrayLike, *, maxlag: int = 20, input: int = 0):
    """MATLAB's ``plotinerrcorr(x, e)``: correlation of an input with the errors.

    The correlation coefficient of ``x(t)`` and ``e(t + k)`` (means removed)
    for lags ``-maxlag..maxlag``, with the approximate 95 % confidence limits
    ``+-1.96 / sqrt(N)``: if the model used the input fully, the errors are
    uncorrelated with it at every lag.

    Parameters
    ----------
    x : array-like of shape (N,) or (n_inputs, N)
        Inputs (e.g. ``Xs`` from :func:`bpforecast.matlab.preparets`).
    e : array-like of shape (N,) or (1, N)
        Errors at the same time steps. NaN errors are left out, with the
        inputs at the same steps.
    maxlag : int, default=20
    input : int, default=0
        Which row of a 2-D ``x`` (0-based; the title counts from 1).

    Returns
    -------
    matplotlib.figure.Figure
        One axes titled ``'Correlation between Input <i> and Error 1'``,
        x label ``'Lag'``, y label ``'Correlation'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import plotinerrcorr
    >>> rng = np.random.default_rng(0)
    >>> ax = plotinerrcorr(rng.normal(size=80), rng.normal(size=80)).axes[0]
    >>> ax.get_title()
    'Correlation between Input 1 and Error 1'
    """
    plt = _pyplot()
    xs = np.asarray(x, dtype=np.float64)
    if xs.ndim == 2:
        xs = xs[input]
    xs = _series(xs, "x")
    es = _series(e, "e")
    if xs.size != es.size:
        raise ValueError(f"x and e differ in length: {xs.size} vs {es.size}.")
    ok = np.isfinite(xs) & np.isfinite(es)
    xs, es = xs[ok] - xs[ok].mean(), es[ok] - es[ok].mean()
    maxlag = _maxlag(xs.size, maxlag)
    lags, values = _xcorr(xs, es, maxlag)
    scale = np.sqrt(np.mean(xs**2) * np.mean(es**2))
    values = values / scale if scale > 0 else np.zeros_like(values)
    fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    _corr_plot(ax, lags, values, 1.96 / np.sqrt(xs.size))
    ax.set_title(f"Correlation between Input {input + 1} and Error 1")
    return fig


def plotresponse(t: ArrayLike, y: ArrayLike, *, tr: Any = None, time: Any = None):
    """MATLAB's ``plotresponse(t, y)``: targets, outputs and errors over time.

    Parameters
    ----------
    t, y : array-like
        Target and output series (1-D or a single row), e.g. ``Ts`` and the
        network's outputs. NaN targets are simply not drawn.
    tr : TrainingRecord, fitted BPRegressor or trained Network, optional
        Colours the time steps by set (training blue, validation green,
        test red).
    time : array-like, optional
        x values (dates, years); default ``0..N-1``.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the response, titled ``'Response of Output Element 1 for
        Time-Series 1'`` with y label ``'Output and Target'``; the errors
        (``targets - outputs``), y label ``'Error'``, x label ``'Time'``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import plotresponse
    >>> t = np.sin(np.arange(50) / 5)
    >>> fig = plotresponse(t, t + 0.1)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['Output and Target', 'Error']
    """
    plt = _pyplot()
    ts, ys = _series(t, "t"), _series(y, "y")
    if ts.size != ys.size:
        raise ValueError(f"t and y differ in length: {ts.size} vs {ys.size}.")
    x = np.arange(ts.size) if time is None else np.asarray(time)
    if x.shape[0] != ts.size:
        raise ValueError(f"time has {x.shape[0]} values for {ts.size} time steps.")
    err = ts - ys
    fig, (ax, ax_e) = plt.subplots(
        2,
        1,
        sharex=True,
        figsize=(8, 6),
        gridspec_kw={"height_ratios": [3, 1]},
        layout="constrained",
    )
    if tr is None:
        sets = [("", np.arange(ts.size))]
    else:
        sets = _sets(tr, ts.size)
    for name, idx in sets:
        color = COLORS.get(name, COLORS["Training"])
        prefix = f"{name} " if name else ""
        ax.plot(
            x[idx], ts[idx], ".", color=color, markersize=5, label=f"{prefix}Targets"
        )
        ax.plot(
            x[idx], ys[idx], "+", color=color, markersize=6, label=f"{prefix}Outputs"
        )
    ax.plot(x, ys, "-", color="k", linewidth=0.8, label="Response")
    ax.set_title("Response of Output Element 1 for Time-Series 1")
    ax.set_ylabel("Output and Target")
    ax.legend(fontsize="small", ncols=2, loc="upper left")
    ax_e.plot(x, err, "-", color=(1.0, 0.5, 0.0), linewidth=1, label="Errors")
    ax_e.axhline(0.0, color="k", linewidth=0.8)
    ax_e.set_ylabel("Error")
    ax_e.set_xlabel("Time")
    ax_e.legend(fontsize="small", loc="upper left")
    return fig
