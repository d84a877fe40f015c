"""The forecast plot: the end of the history, the forecast and its interval.

The same figure ``bpforecast forecast --plot`` writes, for library users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._backend import _pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _values_and_x(a: Any, name: str) -> tuple[np.ndarray, Any]:
    """(values, x positions or None) of a Series or an array."""
    values = np.asarray(a, dtype=np.float64)
    if values.ndim != 1:
        values = values.reshape(-1) if 1 in values.shape else values
    if values.ndim != 1:
        raise ValueError(f"{name} must be one series, got shape {values.shape}.")
    return values, getattr(a, "index", None)


def _bounds(interval: Any, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    if interval is None:
        return None
    columns = getattr(interval, "columns", None)
    if columns is not None:
        if not {"lower", "upper"} <= set(columns):
            raise ValueError("interval needs the columns 'lower' and 'upper'.")
        lower, upper = interval["lower"], interval["upper"]
    else:
        try:
            lower, upper = interval
        except (TypeError, ValueError):
            raise TypeError(
                "interval must be a (lower, upper) pair or a DataFrame with "
                "'lower' and 'upper' columns."
            ) from None
    lower = np.asarray(lower, dtype=np.float64).reshape(-1)
    upper = np.asarray(upper, dtype=np.float64).reshape(-1)
    if lower.size != n or upper.size != n:
        raise ValueError(
            f"interval bounds have {lower.size} and {upper.size} values for "
            f"{n} forecast steps."
        )
    return lower, upper


def plot_forecast(
    history: ArrayLike,
    forecast: ArrayLike,
    interval: Any = None,
    ax: Any = None,
    *,
    n_history: int | None = None,
    coverage: float | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Figure:
    """Plot the end of a series, its forecast and the prediction interval.

    The history is a line (``C0``), the forecast a line (``C1``) joined to
    the last observation, and the interval a shaded band around it: the
    figure ``bpforecast forecast --plot`` draws.

    Parameters
    ----------
    history : pandas.Series or array-like of shape (n,)
        The observed series; a Series' index (dates or numbers) gives the x
        values, otherwise ``0..n-1``.
    forecast : pandas.Series, pandas.DataFrame or array-like of shape (h,)
        The forecast. A DataFrame needs a ``forecast`` column; its
        ``lower`` and ``upper`` columns are the interval when ``interval``
        is None (the frame :meth:`BPForecaster.predict_interval
        <bpforecast.BPForecaster.predict_interval>` returns). Without an
        index the steps follow a numbered history: ``n..n+h-1``.
    interval : (lower, upper) or pandas.DataFrame, optional
        The interval bounds, ``h`` values each, or a frame with ``lower``
        and ``upper`` columns.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new pyplot figure when None.
    n_history : int, optional
        Show only the last ``n_history`` observations (all when None).
    coverage : float, optional
        The interval's coverage, for the legend (``'90% interval'``).
    title, xlabel, ylabel : str, optional
        Default x label: the history's index name or ``'time step'``;
        default y label: the history's name.

    Returns
    -------
    matplotlib.figure.Figure
        The figure of ``ax``. Lines labelled ``history`` and ``forecast``,
        and the band labelled ``'<coverage> interval'`` (``'interval'``
        without ``coverage``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from bpforecast.plotting import plot_forecast
    >>> y = np.sin(np.arange(40) / 3)
    >>> fc = np.sin(np.arange(40, 46) / 3)
    >>> fig = plot_forecast(y, fc, (fc - 0.2, fc + 0.2), coverage=0.9)
    >>> ax = fig.axes[0]
    >>> [line.get_label() for line in ax.get_lines()]
    ['history', 'forecast']
    >>> ax.get_legend_handles_labels()[1]
    ['history', 'forecast', '90% interval']
    """
    hist, hist_x = _values_and_x(history, "history")
    if hist.size == 0:
        raise ValueError("history is empty.")
    if hist_x is None:
        hist_x = np.arange(hist.size)
    columns = getattr(forecast, "columns", None)
    if columns is not None:
        if "forecast" not in columns:
            raise ValueError("a forecast DataFrame needs a 'forecast' column.")
        if interval is None and {"lower", "upper"} <= set(columns):
            interval = forecast
        fc, fc_x = _values_and_x(forecast["forecast"], "forecast")
    else:
        fc, fc_x = _values_and_x(forecast, "forecast")
    if fc_x is None:
        if not np.issubdtype(np.asarray(hist_x).dtype, np.number):
            raise ValueError(
                "the history has a date index: give the forecast as a Series or "
                "DataFrame indexed by its dates."
            )
        fc_x = hist_x[-1] + 1 + np.arange(fc.size)
    bounds = _bounds(interval, fc.size)
    if n_history is not None:
        if int(n_history) < 1:
            raise ValueError(f"n_history must be >= 1, got {n_history!r}.")
        hist, hist_x = hist[-int(n_history) :], hist_x[-int(n_history) :]

    if ax is None:
        fig, ax = _pyplot().subplots(figsize=(10, 5), layout="constrained")
    ax.plot(hist_x, hist, color="C0", label="history")
    # Join the forecast to the last observation so the line is continuous.
    join_x = _concat_x(hist_x[-1:], fc_x)
    ax.plot(join_x, np.concatenate([hist[-1:], fc]), color="C1", label="forecast")
    if bounds is not None:
        label = "interval" if coverage is None else f"{coverage:.0%} interval"
        ax.fill_between(
            fc_x,
            bounds[0],
            bounds[1],
            color="C1",
            alpha=0.25,
            linewidth=0,
            label=label,
        )
    if title is not None:
        ax.set_title(title)
    if xlabel is None:
        xlabel = getattr(getattr(history, "index", None), "name", None) or "time step"
    ax.set_xlabel(xlabel)
    if ylabel is None:
        ylabel = getattr(history, "name", None)
    if ylabel is not None:
        ax.set_ylabel(str(ylabel))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return ax.figure


def _concat_x(first: Any, rest: Any) -> Any:
    """``first`` then ``rest``: an Index append, or an array concatenation."""
    if hasattr(first, "append") and hasattr(rest, "dtype") and hasattr(rest, "name"):
        return first.append(rest)
    return np.concatenate([np.asarray(first), np.asarray(rest)])
