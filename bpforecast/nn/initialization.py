"""Initial weights: MATLAB's Nguyen-Widrow rule (``initnw``) and Glorot's.

Weights are drawn on the host with numpy's random generator (the array API
standard has no random numbers) and moved to the data's namespace once.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.initialization import initialize
>>> from bpforecast.nn.network import Architecture
>>> arch = Architecture.build(3, (5,), 1, "tansig", "purelin")
>>> ranges = np.array([[-1.0, 1.0]] * 3)
>>> coefs, intercepts = initialize(arch, ranges, "nguyen-widrow", 0)
>>> [W.shape for W in coefs]
[(3, 5), (5, 1)]
"""

from __future__ import annotations

import numpy as np

from .network import Architecture

INIT_METHODS = ("nguyen-widrow", "glorot")


def _random_unit_rows(n_rows: int, n_cols: int, rng) -> np.ndarray:
    """MATLAB's ``randnr``: rows of uniform[-1, 1] values scaled to unit length."""
    w = rng.uniform(-1.0, 1.0, size=(n_rows, n_cols))
    norms = np.sqrt(np.sum(w * w, axis=1, keepdims=True))
    return w / np.where(norms > 0, norms, 1.0)


def nguyen_widrow(
    input_ranges: np.ndarray, n_neurons: int, active_range: tuple[float, float], rng
) -> tuple[np.ndarray, np.ndarray]:
    """Nguyen-Widrow weights for one layer, as MATLAB's ``initnw``/``calcnw``.

    Each neuron's weight vector gets a random direction and the magnitude
    ``0.7 * n_neurons ** (1 / n_inputs)``; the biases spread the neurons'
    active regions evenly over the input range. Inputs with a constant range
    (min = max) get zero weights.

    Parameters
    ----------
    input_ranges : array of shape (n_inputs, 2)
        ``[min, max]`` of each input to the layer.
    n_neurons : int
    active_range : (float, float)
        Net-input interval where the transfer function is active
        (``(-2, 2)`` for tansig).
    rng : numpy.random.RandomState or Generator

    Returns
    -------
    W : array of shape (n_inputs, n_neurons)
    b : array of shape (n_neurons,)

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.initialization import nguyen_widrow
    >>> W, b = nguyen_widrow(np.array([[-1.0, 1.0]] * 2), 4, (-2.0, 2.0),
    ...                      np.random.default_rng(0))
    >>> np.allclose(np.linalg.norm(W, axis=0), 2 * 0.7 * 4 ** 0.5)
    True
    """
    input_ranges = np.asarray(input_ranges, dtype=float)
    n_inputs = input_ranges.shape[0]
    varying = np.flatnonzero(input_ranges[:, 0] != input_ranges[:, 1])
    r = varying.size
    W = np.zeros((n_inputs, n_neurons))
    if r == 0 or n_neurons == 0:
        return W, np.zeros(n_neurons)
    pr = input_ranges[varying]
    # Nguyen-Widrow for inputs and net inputs in [-1, 1].
    magnitude = 0.7 * n_neurons ** (1.0 / r)
    w = magnitude * _random_unit_rows(n_neurons, r, rng)  # (s, r), MATLAB layout
    if n_neurons == 1:
        b = np.zeros(1)
    else:
        b = magnitude * np.linspace(-1.0, 1.0, n_neurons) * np.sign(w[:, 0])
    # Net inputs of [-1, 1] to the transfer function's active range.
    half_width = 0.5 * (active_range[1] - active_range[0])
    centre = 0.5 * (active_range[1] + active_range[0])
    w = half_width * w
    b = half_width * b + centre
    # Inputs in [min, max] to [-1, 1].
    gain = 2.0 / (pr[:, 1] - pr[:, 0])
    offset = 1.0 - pr[:, 1] * gain
    b = w @ offset + b
    w = w * gain[np.newaxis, :]
    W[varying, :] = w.T
    return W, b


def glorot(n_inputs: int, n_neurons: int, activation: str, rng):
    """Glorot/Xavier uniform weights and biases, as scikit-learn's MLP draws them.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.initialization import glorot
    >>> W, b = glorot(4, 3, "tansig", np.random.default_rng(0))
    >>> bool(np.all(np.abs(W) <= np.sqrt(6 / 7)))
    True
    """
    # scikit-learn's _init_coef: 6 for tanh-like units, 2 for the logistic.
    factor = 2.0 if activation == "logsig" else 6.0
    bound = np.sqrt(factor / (n_inputs + n_neurons))
    W = rng.uniform(-bound, bound, size=(n_inputs, n_neurons))
    b = rng.uniform(-bound, bound, size=n_neurons)
    return W, b


def random_state_of(seed) -> np.random.RandomState:
    """A ``RandomState`` from None, an int or a ``RandomState`` (kept as is).

    scikit-learn's ``check_random_state``, written out so that the network
    math needs numpy only: None gives numpy's global generator, an int a new
    generator seeded with it.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.initialization import random_state_of
    >>> random_state_of(0).randint(100) == np.random.RandomState(0).randint(100)
    True
    >>> rs = np.random.RandomState(1)
    >>> random_state_of(rs) is rs
    True
    """
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, np.random.RandomState):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.RandomState(int(seed))
    raise ValueError(
        f"random_state must be None, an int or a numpy RandomState, got {seed!r}."
    )


def initialize(
    arch: Architecture, input_ranges: np.ndarray, method: str, random_state
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Initial ``coefs`` and ``intercepts`` for every layer of ``arch``.

    With ``method='nguyen-widrow'``, layers with a squashing transfer function
    (tansig, logsig) use :func:`nguyen_widrow`; the first layer's input ranges
    are those of the (scaled) training inputs, a later layer's those of the
    previous layer's transfer function. Layers whose transfer function has no
    finite active range (purelin, relu, ...) get uniform ``[-1, 1]`` weights
    and biases, MATLAB's ``rands``, as initnw does for them.

    Parameters
    ----------
    arch : Architecture
    input_ranges : array of shape (n_inputs, 2)
    method : {'nguyen-widrow', 'glorot'}
    random_state : int, RandomState instance or None

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.initialization import initialize
    >>> from bpforecast.nn.network import Architecture
    >>> arch = Architecture.build(2, (4, 4), 1, "tansig", "purelin")
    >>> c, i = initialize(arch, np.array([[0.0, 1.0], [-3.0, 3.0]]), "glorot", 1)
    >>> [b.shape for b in i]
    [(4,), (4,), (1,)]
    """
    if method not in INIT_METHODS:
        raise ValueError(f"init must be one of {INIT_METHODS}, got {method!r}.")
    rng = random_state_of(random_state)
    coefs, intercepts = [], []
    ranges = np.asarray(input_ranges, dtype=float)
    for (n_in, n_out), act in zip(arch.shapes, arch.activations, strict=True):
        if method == "glorot":
            W, b = glorot(n_in, n_out, act.name, rng)
        elif act.active_range is not None:
            W, b = nguyen_widrow(ranges, n_out, act.active_range, rng)
        else:
            W = rng.uniform(-1.0, 1.0, size=(n_in, n_out))
            b = rng.uniform(-1.0, 1.0, size=n_out)
        coefs.append(W)
        intercepts.append(b)
        out_range = act.output_range if act.output_range is not None else (-1.0, 1.0)
        ranges = np.tile(np.asarray(out_range, dtype=float), (n_out, 1))
    return coefs, intercepts
