"""Transfer functions and their derivatives, in one table.

Each activation is a pair of pure functions over arrays of any array-API
namespace: ``forward(z)`` computes the layer output ``a = f(z)`` from the net
input ``z``, and ``derivative(a)`` computes ``f'(z)`` *from the output* ``a``,
so the backward pass needs only the stored activations (as in scikit-learn).

MATLAB names (``tansig``, ``logsig``, ``purelin``) are the canonical keys;
scikit-learn's names are accepted as aliases.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.activations import get_activation
>>> act = get_activation("tanh")
>>> act.name
'tansig'
>>> a = act.forward(np.array([0.0, 1.0]))
>>> np.round(act.derivative(a), 4)
array([1.  , 0.42])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace

LEAKY_RELU_SLOPE = 0.01
ELU_ALPHA = 1.0


@dataclass(frozen=True)
class Activation:
    """A transfer function, its derivative, and the range MATLAB's initnw uses.

    Parameters
    ----------
    name : str
        Canonical (MATLAB-style) name.
    forward : callable
        ``a = forward(z)``.
    derivative : callable
        ``f'(z) = derivative(a)``, written in terms of the output ``a``.
    active_range : tuple of float or None
        The net-input interval where the function is not saturated (MATLAB's
        ``active`` range: ``[-2, 2]`` for tansig, ``[-4, 4]`` for logsig).
        ``None`` when unbounded; Nguyen-Widrow initialisation then falls back
        to uniform ``[-1, 1]`` weights, as MATLAB's initnw does.
    output_range : tuple of float or None
        The range of the output, used as the next layer's input range.
    forward_inplace, scale_by_derivative_inplace : callable or None
        Optional numpy fast paths that overwrite their first argument:
        ``forward_inplace(z)`` turns ``z`` into ``f(z)``, and
        ``scale_by_derivative_inplace(delta, a, scratch)`` multiplies
        ``delta`` by ``f'(z)``, using ``scratch`` (same shape) as workspace.
        They save the temporaries that dominate large epochs.

    Examples
    --------
    >>> from bpforecast.nn.activations import ACTIVATIONS
    >>> ACTIVATIONS["logsig"].output_range
    (0.0, 1.0)
    """

    name: str
    forward: Callable
    derivative: Callable
    active_range: tuple[float, float] | None
    output_range: tuple[float, float] | None
    forward_inplace: Callable | None = None
    scale_by_derivative_inplace: Callable | None = None


def _tansig(z):
    return array_namespace(z).tanh(z)


def _tansig_derivative(a):
    return 1.0 - a * a


def _tansig_inplace(z):
    return np.tanh(z, out=z)


def _tansig_scale_inplace(delta, a, scratch):
    np.multiply(a, a, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    delta *= scratch
    return delta


def _logsig(z):
    xp = array_namespace(z)
    # 0.5 * (1 + tanh(z / 2)) is the logistic function without overflow.
    return 0.5 + 0.5 * xp.tanh(0.5 * z)


def _logsig_derivative(a):
    return a * (1.0 - a)


def _logsig_inplace(z):
    z *= 0.5
    np.tanh(z, out=z)
    z *= 0.5
    z += 0.5
    return z


def _purelin(z):
    return z


def _purelin_derivative(a):
    return array_namespace(a).ones_like(a)


def _relu(z):
    xp = array_namespace(z)
    return xp.where(z > 0, z, xp.zeros_like(z))


def _relu_derivative(a):
    xp = array_namespace(a)
    return xp.astype(a > 0, a.dtype)


def _leaky_relu(z):
    xp = array_namespace(z)
    return xp.where(z > 0, z, LEAKY_RELU_SLOPE * z)


def _leaky_relu_derivative(a):
    xp = array_namespace(a)
    return xp.where(a > 0, xp.ones_like(a), LEAKY_RELU_SLOPE * xp.ones_like(a))


def _elu(z):
    xp = array_namespace(z)
    negative = xp.minimum(z, xp.zeros_like(z))
    return xp.where(z > 0, z, ELU_ALPHA * xp.expm1(negative))


def _elu_derivative(a):
    # For z <= 0, a = alpha * (exp(z) - 1), so f'(z) = alpha * exp(z) = a + alpha.
    xp = array_namespace(a)
    return xp.where(a > 0, xp.ones_like(a), a + ELU_ALPHA)


def _softplus(z):
    xp = array_namespace(z)
    # log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)), stable for large |z|.
    return xp.maximum(z, xp.zeros_like(z)) + xp.log1p(xp.exp(-xp.abs(z)))


def _softplus_derivative(a):
    # f'(z) = sigmoid(z) = 1 - exp(-a) for a = softplus(z).
    xp = array_namespace(a)
    return -xp.expm1(-a)


ACTIVATIONS: dict[str, Activation] = {
    "tansig": Activation(
        "tansig",
        _tansig,
        _tansig_derivative,
        (-2.0, 2.0),
        (-1.0, 1.0),
        _tansig_inplace,
        _tansig_scale_inplace,
    ),
    "logsig": Activation(
        "logsig", _logsig, _logsig_derivative, (-4.0, 4.0), (0.0, 1.0), _logsig_inplace
    ),
    "purelin": Activation("purelin", _purelin, _purelin_derivative, None, None),
    "relu": Activation("relu", _relu, _relu_derivative, None, None),
    "leaky_relu": Activation(
        "leaky_relu", _leaky_relu, _leaky_relu_derivative, None, None
    ),
    "elu": Activation("elu", _elu, _elu_derivative, None, None),
    "softplus": Activation("softplus", _softplus, _softplus_derivative, None, None),
}

ALIASES: dict[str, str] = {
    "tanh": "tansig",
    "logistic": "logsig",
    "sigmoid": "logsig",
    "identity": "purelin",
    "linear": "purelin",
    "poslin": "relu",
}

ACTIVATION_NAMES = sorted([*ACTIVATIONS, *ALIASES])


def get_activation(name: str) -> Activation:
    """Look up an activation by its MATLAB name or an alias.

    Parameters
    ----------
    name : str
        One of ``tansig`` (``tanh``), ``logsig`` (``logistic``, ``sigmoid``),
        ``purelin`` (``identity``, ``linear``), ``relu`` (``poslin``),
        ``leaky_relu``, ``elu``, ``softplus``.

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If the name is unknown.

    Examples
    --------
    >>> from bpforecast.nn.activations import get_activation
    >>> get_activation("sigmoid").name
    'logsig'
    """
    key = ALIASES.get(name, name)
    try:
        return ACTIVATIONS[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown activation {name!r}; expected one of {ACTIVATION_NAMES}."
        ) from None
