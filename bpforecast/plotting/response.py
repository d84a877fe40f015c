"""Time response plot: ``plotresponse``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._backend import _pyplot
from ._common import COLORS, _series
from ._sources import _sets

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plotresponse(
    t: ArrayLike, y: ArrayLike, *, tr: Any = None, time: Any = None
) -> Figure:
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
