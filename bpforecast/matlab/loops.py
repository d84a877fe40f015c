"""``closeloop``, ``openloop``, ``removedelay`` and ``adddelay``."""

from __future__ import annotations

import copy
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .arrays import _empty, _rows
from .network import Network


def closeloop(net: Network, Xf: ArrayLike | None = None, Af: ArrayLike | None = None):
    """MATLAB's ``closeloop``: ``netc = closeloop(net)``, or with states.

    ``[netc, Xic, Aic] = closeloop(net, Xf, Af)`` in MATLAB is
    ``netc, Xic, Aic = closeloop(net, Xf, Af)`` here.

    The closed-loop network feeds its own predictions back instead of the
    true series, for multi-step forecasting. Given the open-loop final
    states (``sim(..., return_states=True)``) it also returns the
    closed-loop initial states, so that ``sim(netc, steps, Xic, Aic)``
    forecasts from the end of the data. A network without feedback is
    returned unchanged.

    Returns
    -------
    netc : Network
        Returned alone when ``Xf`` and ``Af`` are not given.
    Xic, Aic : ndarray
        ``Xic``: the external input's last ``max(inputDelays)`` values
        ``(n_x, Dx)``; ``Aic``: the series' last ``max(feedbackDelays)``
        values ``(1, Dy)``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> net = nn.narnet([1, 2], 3)
    >>> netc = nn.closeloop(net)
    >>> netc.name, netc.feedbackMode, netc.numInputs, net.feedbackMode
    ('NAR Neural Network - Closed Loop', 'closed', 0, 'open')
    """
    netc = copy.deepcopy(net)
    with_states = Xf is not None or Af is not None
    if not net.feedbackDelays or net.feedbackMode == "closed":
        if not with_states:
            return netc
        return netc, _state_or_empty(Xf), _state_or_empty(Af)
    if net.removedDelays:
        raise NotImplementedError(
            "closeloop of a network with removed delays is not supported; "
            "close the loop of the original network."
        )
    netc._output.feedbackMode = "closed"
    netc.name = f"{net.name} - Closed Loop"
    if not with_states:
        return netc
    depth = net.numInputDelays
    xf = _rows(Xf, "Xf")
    n_x = xf.shape[0] - 1
    if xf.shape[1] != depth:
        raise ValueError(
            f"Xf must have {depth} columns (numInputDelays), got {xf.shape}."
        )
    dx = max(net.inputDelays) if n_x else 0
    dy = max(net.feedbackDelays)
    Xic = xf[:n_x, depth - dx :] if n_x else np.zeros((0, 0))
    Aic = xf[n_x:, depth - dy :]
    return netc, Xic, Aic


def _state_or_empty(a: Any) -> np.ndarray:
    return np.zeros((0, 0)) if _empty(a) else _rows(a, "state")


def openloop(net: Network, Xf: ArrayLike | None = None, Af: ArrayLike | None = None):
    """MATLAB's ``openloop``: ``neto = openloop(netc)``, or with states.

    ``neto, Xio, Aio = openloop(netc, Xf, Af)`` as MATLAB's
    ``[neto, Xio, Aio] = openloop(netc, Xf, Af)``.

    The inverse of :func:`closeloop`. With closed-loop final states it
    returns open-loop initial states ``Xio`` (external inputs then the
    series, ``numInputDelays`` columns; a history one input has no value
    for is filled with 0, never read) and an empty ``Aio``.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.openloop(nn.closeloop(nn.narxnet([1], [1, 2], 3)))
    >>> net.name, net.feedbackMode, net.numInputs
    ('NARX Neural Network', 'open', 2)
    """
    neto = copy.deepcopy(net)
    with_states = Xf is not None or Af is not None
    if net.feedbackMode != "closed":
        if not with_states:
            return neto
        return neto, _state_or_empty(Xf), _state_or_empty(Af)
    neto._output.feedbackMode = "open"
    suffix = " - Closed Loop"
    if neto.name.endswith(suffix):
        neto.name = neto.name[: -len(suffix)]
    if not with_states:
        return neto
    has_x = net._x_port is not None
    dx = max(net.inputDelays) if has_x else 0
    dy = max(net.feedbackDelays)
    depth = max(dx, dy)
    af = _rows(Af, "Af")[-1:]
    if has_x and dx:
        xf = _rows(Xf, "Xf")
        n_x = xf.shape[0]
    elif has_x:  # inputDelays == [0]: the closed loop keeps no input history
        n_x = (net._fit_info or {}).get("n_x") or (
            np.shape(Xf)[0] if np.ndim(Xf) == 2 else 1
        )
        xf = np.zeros((n_x, 0))
    else:
        n_x, xf = 0, np.zeros((0, 0))
    if af.shape[1] != dy:
        raise ValueError(f"Af must hold {dy} values, got {af.shape[1]}.")
    x_part = np.zeros((n_x, depth))
    if dx:
        x_part[:, depth - dx :] = xf
    y_part = np.zeros((1, depth))
    y_part[:, depth - dy :] = af
    return neto, np.vstack([x_part, y_part]), np.zeros((neto.numLayers, 0))


def removedelay(net: Network, n: int = 1) -> Network:
    """MATLAB's ``net = removedelay(net, n)``: predict ``n`` steps early.

    Subtracts ``n`` from every input and feedback delay. The network
    computes the same function from the same weights; its output at time
    ``t`` is now the prediction of the target at ``t + n``, available as
    soon as the inputs up to ``t`` are known. :func:`preparets` shifts the
    targets accordingly (the last ``n`` are NaN). Open-loop networks only,
    and ``n <= min(inputDelays)``, ``n <= min(feedbackDelays)``.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> net = nn.removedelay(nn.narnet([1, 2]))
    >>> net.feedbackDelays, net.removedDelays
    ((0, 1), 1)
    """
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {n!r}.")
    if not net._is_dynamic():
        raise ValueError(f"{net.name} has no delays to remove.")
    if net.feedbackMode == "closed":
        raise NotImplementedError("removedelay of a closed-loop network.")
    low = min((*net.inputDelays, *net.feedbackDelays))
    if n > low:
        raise ValueError(f"cannot remove {n} delay(s): the smallest delay is {low}.")
    if net.removedDelays + n < 0:
        raise ValueError(
            f"cannot add {-n} delay(s): adddelay only undoes removedelay here "
            f"(removedDelays={net.removedDelays})."
        )
    out = copy.deepcopy(net)
    out.inputDelays = tuple(d - n for d in net.inputDelays)
    out.feedbackDelays = tuple(d - n for d in net.feedbackDelays)
    out.removedDelays = net.removedDelays + n
    return out


def adddelay(net: Network, n: int = 1) -> Network:
    """MATLAB's ``adddelay(net, n)``; here only to undo :func:`removedelay`.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.adddelay(nn.removedelay(nn.narnet([1, 2]))).feedbackDelays
    (1, 2)
    """
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"n must be an int, got {n!r}.")
    return removedelay(net, -n)
