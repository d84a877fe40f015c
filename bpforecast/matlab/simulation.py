"""``sim``: open-loop, static and closed-loop simulation of a trained network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ..forecasting.closed_loop import closed_loop
from .arrays import _empty, _rows, _steps_or_rows
from .timeseries import _open_loop_features, _open_loop_signals, _original_lags

if TYPE_CHECKING:
    from .network import Network


def _predict(net: Network, features: np.ndarray) -> np.ndarray:
    out = np.asarray(net.regressor.predict(features), dtype=np.float64)
    return out.reshape(features.shape[0], -1).T


def _check_trained(net: Network) -> None:
    if net.regressor is None or net._fit_info is None:
        raise ValueError(f"{net.name} is not trained: call train() first.")
    if _original_lags(net) != net._fit_info["lags"]:
        raise ValueError(
            "the network's delays changed since it was trained; train it again."
        )


def sim(
    net: Network,
    X: ArrayLike | int,
    Xi: ArrayLike | None = None,
    Ai: ArrayLike | None = None,
    *,
    return_states: bool = False,
):
    """MATLAB's ``Y = sim(net, X, Xi, Ai)`` (also ``net(X, Xi, Ai)``).

    * Static networks: ``X`` of shape ``(n_inputs, Q)``, outputs
      ``(n_outputs, Q)``.
    * Open-loop time-series networks: ``X`` and ``Xi`` as from
      :func:`preparets`; one-step-ahead outputs, one per column of ``X``.
    * Closed-loop networks: the network's own predictions are fed back.
      ``Ai`` holds the last known values of the series (``(1, Dy)``),
      ``Xi`` the external input's delay states; ``X`` holds the external
      input's future values, or for ``narnet`` just the number of steps (an
      int, or a ``(0, steps)`` array: MATLAB's ``cell(0, steps)``).

    Parameters
    ----------
    net : Network
        Trained.
    X, Xi, Ai : array-like
    return_states : bool, default=False
        Also return the final states ``Xf, Af`` (MATLAB's ``[Y, Xf, Af] =
        net(X, Xi, Ai)``), ready for :func:`closeloop` / :func:`openloop` or
        for carrying on with the next call.

    Returns
    -------
    Y : ndarray of shape (n_outputs, Q)
    Xf, Af : ndarray
        Only with ``return_states=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> x = np.linspace(0, 1, 30)
    >>> net, _ = nn.train(nn.feedforwardnet(2), x, 3 * x, random_state=0)
    >>> nn.sim(net, [[0.0, 0.5]]).round(2)
    array([[0. , 1.5]])
    """
    _check_trained(net)
    if net.feedbackMode == "closed":
        Y, Xf, Af = _closed_loop(net, X, Xi, Ai)
    elif net._is_dynamic():
        full = _open_loop_signals(net, X, Xi, "X")
        expected = net._fit_info["n_x"] + (1 if net.feedbackDelays else 0)
        if full.shape[0] != expected:
            raise ValueError(f"X must have {expected} row(s), got {full.shape[0]}.")
        Y = _predict(net, _open_loop_features(net, full))
        depth = net.numInputDelays
        Xf = full[:, full.shape[1] - depth :]
        Af = np.zeros((net.numLayers, 0))
    else:
        x = _rows(X, "X")
        if x.shape[0] != net._fit_info["n_x"]:
            raise ValueError(
                f"X must have {net._fit_info['n_x']} row(s) (one per input variable; "
                f"samples in columns), got shape {x.shape}."
            )
        Y = _predict(net, x.T)
        Xf = np.zeros((x.shape[0], 0))
        Af = np.zeros((net.numLayers, 0))
    return (Y, Xf, Af) if return_states else Y


def _closed_loop(net: Network, X: Any, Xi: Any, Ai: Any):
    """Feed the predictions back, through the forecasters' one closed loop."""
    if net.removedDelays:
        raise NotImplementedError("closed-loop networks with removed delays.")
    n_x = net._fit_info["n_x"]
    fb, ex = net.feedbackDelays, net.inputDelays
    dx = max(ex) if n_x else 0
    dy = max(fb)
    future = _steps_or_rows(X, n_x, "X")
    if _empty(Ai):
        raise ValueError(
            f"a closed-loop network needs Ai, the last {dy} known value(s) of the "
            "series: from preparets() or closeloop(net, Xf, Af)."
        )
    ai = _rows(Ai, "Ai")[-1]
    if ai.size != dy:
        raise ValueError(
            f"Ai must hold numLayerDelays={dy} values per row, got {ai.size}."
        )
    xi = np.zeros((n_x, 0)) if _empty(Xi) else _rows(Xi, "Xi")
    if xi.shape != (n_x, dx):
        raise ValueError(f"Xi must have shape ({n_x}, {dx}), got {xi.shape}.")
    steps = future.shape[1]
    outputs = np.empty((net._fit_info["n_outputs"], steps))
    step = iter(range(steps))

    def one_step(row: np.ndarray) -> np.ndarray:
        # Every output is kept; the first (MATLAB's y) is fed back.
        k = next(step)
        outputs[:, k] = _predict(net, row)[:, 0]
        return outputs[:1, k]

    # Align the delay states on one time axis: the series' last dy values and
    # the input's last dx, padded in front to the longer (pads are never read).
    depth = max(dx, dy)
    history = np.concatenate([np.zeros(depth - dy), ai])
    kwargs: dict[str, Any] = {}
    if n_x:
        x_all = np.hstack([np.zeros((n_x, depth - dx)), xi, future])
        kwargs = {"exog": x_all.T, "exog_lags": list(ex)}
    y_all = np.concatenate(
        [history, closed_loop(one_step, history, steps, fb, **kwargs)]
    )
    Xf = x_all[:, x_all.shape[1] - dx :] if n_x else np.zeros((0, 0))
    Af = y_all[y_all.size - dy :][None, :]
    out = outputs
    return out, Xf, Af
