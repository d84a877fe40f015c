"""The network's shape and its flat parameter vector.

Design
------
:class:`Architecture` is everything about a network but its weights: the
layer sizes, one transfer function per layer and the L2 penalty ``alpha``.
All weights and biases live in one flat parameter vector ``theta``, as in
MATLAB's ``getx``/``setx``: the rules update ``theta`` as a whole (``K``
networks: the rows of a ``(K, n_params)`` array), and :func:`unpack` gives
per-layer views ``(W, b)`` with ``W`` of shape ``(n_in, n_out)``
(scikit-learn's layout) and ``b`` of shape ``(n_out,)``. The layout is
``[W1.ravel(), b1, W2.ravel(), b2, ...]``; :func:`pack` builds it.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.architecture import Architecture, pack, unpack
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> theta = np.arange(float(arch.n_params))
>>> [(W.shape, b.shape) for W, b in unpack(theta, arch)]
[((2, 3), (3,)), ((3, 1), (1,))]
>>> bool(np.array_equal(pack(*zip(*unpack(theta, arch))), theta))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from array_api_compat import array_namespace

from .activations import Activation, get_activation

__all__ = ["Architecture", "pack", "unpack"]


@dataclass(frozen=True)
class Architecture:
    """Layer sizes and transfer functions of a network: everything but weights.

    Parameters
    ----------
    layer_sizes : tuple of int
        ``(n_inputs, hidden_1, ..., hidden_k, n_outputs)``.
    activations : tuple of Activation
        One per weight layer (``len(layer_sizes) - 1``).
    alpha : float
        L2 penalty on the weights (not the biases).

    Examples
    --------
    >>> from bpforecast.nn.network import Architecture
    >>> arch = Architecture.build(4, (10, 10), 1, "tansig", "purelin")
    >>> arch.n_params
    171
    """

    layer_sizes: tuple[int, ...]
    activations: tuple[Activation, ...]
    alpha: float = 0.0

    @classmethod
    def build(
        cls,
        n_inputs: int,
        hidden_layer_sizes: tuple[int, ...],
        n_outputs: int,
        activation: str,
        output_activation: str,
        alpha: float = 0.0,
    ) -> Architecture:
        """Architecture with one hidden transfer function and one output one.

        Examples
        --------
        >>> from bpforecast.nn.network import Architecture
        >>> Architecture.build(1, (5,), 1, "tanh", "identity").layer_sizes
        (1, 5, 1)
        """
        sizes = (int(n_inputs), *(int(h) for h in hidden_layer_sizes), int(n_outputs))
        hidden = get_activation(activation)
        acts = (hidden,) * len(hidden_layer_sizes) + (
            get_activation(output_activation),
        )
        return cls(sizes, acts, float(alpha))

    @property
    def shapes(self) -> list[tuple[int, int]]:
        """Weight-matrix shapes ``(n_in, n_out)``, one per layer."""
        return list(zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True))

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum(n_in * n_out + n_out for n_in, n_out in self.shapes)

    @cached_property
    def offsets(self) -> tuple[tuple[int, int, int, int, int], ...]:
        """Per layer ``(w_start, b_start, b_stop, n_in, n_out)`` in ``theta``."""
        spans, start = [], 0
        for n_in, n_out in self.shapes:
            b_start = start + n_in * n_out
            spans.append((start, b_start, b_start + n_out, n_in, n_out))
            start = b_start + n_out
        return tuple(spans)


def unpack(theta, arch: Architecture) -> list[tuple[object, object]]:
    """Split the flat parameter vector into per-layer ``(W, b)`` views.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture, unpack
    >>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
    >>> [(W.shape, b.shape) for W, b in unpack(np.zeros(arch.n_params), arch)]
    [((2, 3), (3,)), ((3, 1), (1,))]
    """
    if isinstance(theta, np.ndarray):
        return [
            (theta[w0:b0].reshape(n_in, n_out), theta[b0:b1])
            for w0, b0, b1, n_in, n_out in arch.offsets
        ]
    xp = array_namespace(theta)
    return [
        (xp.reshape(theta[w0:b0], (n_in, n_out)), theta[b0:b1])
        for w0, b0, b1, n_in, n_out in arch.offsets
    ]


def pack(coefs, intercepts):
    """Concatenate per-layer weights and biases into one flat vector.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import pack
    >>> pack([np.ones((2, 1))], [np.zeros(1)])
    array([1., 1., 0.])
    """
    xp = array_namespace(*coefs, *intercepts)
    parts = []
    for W, b in zip(coefs, intercepts, strict=True):
        parts.append(xp.reshape(W, (-1,)))
        parts.append(xp.reshape(b, (-1,)))
    return xp.concat(parts)
