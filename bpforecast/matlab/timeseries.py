"""Time series: open-loop signals, the lag table of a network, ``preparets``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ..forecasting.windowing import make_windows
from .arrays import _empty, _rows

if TYPE_CHECKING:
    from .network import Network


def _original_lags(net: Network) -> tuple[tuple[int, ...], tuple[int, ...]]:
    s = net.removedDelays
    return (
        tuple(d + s for d in net.feedbackDelays),
        tuple(d + s for d in net.inputDelays),
    )


def _open_loop_signals(net: Network, X: Any, Xi: Any, name: str) -> np.ndarray:
    """``[Xi, X]`` (rows: external inputs, then the fed-back series)."""
    x = _rows(X, name)
    depth = net.numInputDelays
    if depth == 0:
        return x
    if _empty(Xi):
        raise ValueError(
            f"this network needs Xi, the {depth} initial delay state(s) of each "
            "input: get Xs, Xi, Ai, Ts from preparets()."
        )
    xi = _rows(Xi, "Xi")
    if xi.shape != (x.shape[0], depth):
        raise ValueError(
            f"Xi must have shape ({x.shape[0]}, {depth}) (rows as in {name}, "
            f"numInputDelays columns), got {xi.shape}."
        )
    return np.hstack([xi, x])


def _open_loop_features(net: Network, full: np.ndarray) -> np.ndarray:
    """One row of regressor inputs per output time step, via make_windows.

    Output step ``t`` (``t >= numInputDelays`` in ``full``) uses the fed-back
    series at ``t - d`` and the external inputs at ``t - e`` for the
    network's delays ``d``, ``e``. The table is built with the original
    (pre-removedelay) lags on a padded copy of the signals: one value in
    front (room for a placeholder lag when there is no feedback) and
    ``removedDelays`` values behind (they only ever land in make_windows'
    targets, which are not used).
    """
    fb_lags, ex_lags = _original_lags(net)
    has_fb = bool(fb_lags)
    n_x = full.shape[0] - (1 if has_fb else 0)
    if ex_lags and n_x < 1:
        raise ValueError("this network has an external input: X needs its row(s).")
    if not ex_lags and n_x:
        raise ValueError(
            f"this network has no external input, but X has {full.shape[0]} rows "
            "(only the fed-back series is expected)."
        )
    s = net.removedDelays
    depth = net.numInputDelays
    length = full.shape[1]
    if length <= depth:
        raise ValueError(
            f"no time step to compute: {length} <= numInputDelays={depth}."
        )
    pad = 1
    y = full[-1] if has_fb else np.zeros(length)
    y_pad = np.concatenate([np.zeros(pad), y, np.zeros(s)])
    exog = None
    if n_x:
        x = full[:n_x]
        exog = np.hstack([np.zeros((n_x, pad)), x, np.zeros((n_x, s))]).T
    table, _ = make_windows(
        y_pad,
        list(fb_lags) if has_fb else [1],
        exog=exog,
        exog_lags=list(ex_lags) if n_x else None,
    )
    wanted = np.arange(depth, length) + s + pad
    values = table.loc[wanted].to_numpy()
    return values if has_fb else values[:, 1:]


def preparets(
    net: Network,
    Xnf: ArrayLike | None = None,  # noqa: N803
    Tnf: ArrayLike | None = None,  # noqa: N803
    Tf: ArrayLike | None = None,  # noqa: N803
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MATLAB's ``[Xs, Xi, Ai, Ts] = preparets(net, Xnf, Tnf, Tf)``.

    Shifts the series so that inputs and targets line up and returns the
    initial delay states. Call it as in MATLAB:

    * ``narnet``: ``preparets(net, None, None, T)`` (MATLAB ``{}, {}, T``);
    * ``narxnet``: ``preparets(net, X, None, T)``;
    * ``timedelaynet`` and static networks: ``preparets(net, X, T)``.

    Series are arrays with time along the columns: ``T`` a 1-D array (a cell
    array of scalars in MATLAB) or a ``(1, N)`` row, ``X`` ``(n_x, N)``
    (a 1-D array is one input). Only a single fed-back series is supported.

    Returns
    -------
    Xs : ndarray of shape (n_rows, N - D)
        Open loop: external input rows then the fed-back series, from time
        ``D = net.numInputDelays`` on. Closed loop: the external input rows
        only (``(0, N - D)`` for narnet: just the number of steps).
    Xi : ndarray of shape (n_rows, D)
        Initial input delay states: the first ``D`` time steps.
    Ai : ndarray
        Open loop: empty ``(numLayers, 0)``. Closed loop: ``(1, Dy)``, the
        fed-back series' last ``Dy = numLayerDelays`` values before the first
        output step (MATLAB's layer states are a ``numLayers x Dy`` cell
        array whose last row holds them; only that row is kept here).
    Ts : ndarray of shape (n_outputs, N - D)
        Targets. After :func:`removedelay` (n) the targets run ``n`` steps
        ahead and the last ``n`` are NaN (there is nothing to compare the
        early predictions with); :func:`train` ignores NaN targets.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> Xs, Xi, Ai, Ts = nn.preparets(nn.narnet([1, 2]), None, None, np.arange(6.0))
    >>> Xs.tolist(), Xi.tolist(), Ts.tolist()
    ([[2.0, 3.0, 4.0, 5.0]], [[0.0, 1.0]], [[2.0, 3.0, 4.0, 5.0]])
    >>> Ai.shape
    (2, 0)
    """
    has_fb = bool(net.feedbackDelays)
    if has_fb:
        if _empty(Tf):
            raise ValueError(
                f"{net.name}: give the fed-back series as the 4th argument: "
                "preparets(net, X_or_None, None, T)."
            )
        if not _empty(Tnf):
            raise ValueError(
                "non-feedback targets (Tnf) with feedback are not supported."
            )
        y = _rows(Tf, "T")
        if y.shape[0] != 1:
            raise ValueError(
                f"only one fed-back series is supported; T has {y.shape[0]} rows."
            )
        targets = y
    else:
        targets = None if _empty(Tnf) else _rows(Tnf, "T")
        y = None
    has_x = net._x_port is not None
    if has_x:
        if _empty(Xnf):
            raise ValueError(f"{net.name} has an external input: give X.")
        x = _rows(Xnf, "X")
    else:
        if not _empty(Xnf):
            raise ValueError(f"{net.name} has no external input; pass None for X.")
        x = np.zeros((0, y.shape[1]))
    n = x.shape[1]
    if targets is not None and targets.shape[1] != n:
        raise ValueError(
            "X and T must have the same number of time steps (columns): "
            f"{n} and {targets.shape[1]}."
        )
    s = net.removedDelays
    if net.feedbackMode == "closed":
        dx = max(net.inputDelays) if has_x else 0
        dy = max(net.feedbackDelays)
        start = max(dx, dy)
        if n <= start:
            raise ValueError(f"the series needs more than {start} time steps.")
        Xi = x[:, start - dx : start]
        Ai = y[:, start - dy : start]
        return x[:, start:], Xi, Ai, y[:, start:]
    signals = np.vstack([x, y]) if has_fb else x
    depth = net.numInputDelays
    if n <= depth:
        raise ValueError(
            f"the series needs more than numInputDelays={depth} time steps, got {n}."
        )
    Xi, Xs = signals[:, :depth], signals[:, depth:]
    Ai = np.zeros((net.numLayers, 0))
    if targets is None:
        Ts = np.zeros((0, n - depth))
    else:
        Ts = np.full((targets.shape[0], n - depth), np.nan)
        ahead = targets[:, depth + s :]
        Ts[:, : ahead.shape[1]] = ahead
    return Xs, Xi, Ai, Ts
