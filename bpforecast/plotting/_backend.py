"""The matplotlib import guard: the only place bpforecast imports pyplot.

Every figure of the package (the MATLAB plots, the forecast plot, the
reports' ``plot()`` methods) gets pyplot from :func:`_pyplot`, so that a
missing matplotlib gives one message saying how to install it.
"""

from __future__ import annotations

from typing import Any

PLOT_HINT = "pip install 'bpforecast[plot]'"
"""How to install the optional plotting dependency."""


def _pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError saying how to install it.

    Shared by every plotting function of the package (reports too).

    Examples
    --------
    >>> from bpforecast.plotting._backend import _pyplot
    >>> _pyplot().__name__
    'matplotlib.pyplot'
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"plotting needs matplotlib: {PLOT_HINT}") from exc
    return plt


def _figure(figsize: tuple[float, float] = (10, 5)) -> tuple[Any, Any]:
    """A figure and its axes without pyplot, or the same ImportError.

    The object-oriented API needs no interactive backend, which suits the
    command line and servers: the figure is only ever saved to a file.

    Examples
    --------
    >>> from bpforecast.plotting._backend import _figure
    >>> fig, ax = _figure()
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"plotting needs matplotlib: {PLOT_HINT}") from exc
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()
