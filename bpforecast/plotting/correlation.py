"""Error correlation plots: ``ploterrcorr`` and ``plotinerrcorr``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ._backend import _pyplot
from ._common import COLORS, _series

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


def ploterrcorr(e: ArrayLike, *, maxlag: int = 20) -> Figure:
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


def plotinerrcorr(
    x: ArrayLike, e: ArrayLike, *, maxlag: int = 20, input: int = 0
) -> Figure:
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
