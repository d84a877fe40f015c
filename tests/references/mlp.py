"""A plain fully connected tansig/purelin network over a flat weight vector.

Written from scratch for the trainer references (trainbr, trainscg,
trainrp); it shares no code with bpforecast and imports nothing from it.

Network
-------
``layer_sizes = (n_in, h_1, ..., h_k, n_out)``.  Every hidden layer is
``tansig`` (``tanh``), the output layer ``purelin`` (identity); with no
hidden layer (``layer_sizes = (n_in, n_out)``) the network is linear.

Flat weight vector
------------------
``theta = [W1.ravel(), b1, W2.ravel(), b2, ...]`` with ``W`` of shape
``(n_in, n_out)`` raveled row-major, the layout of bpforecast's
``network.py``, so that weights can be compared element by element.
MATLAB's ``getwb`` orders the same numbers differently (per layer: the bias,
then the weight matrix ``S x R`` column-major); :func:`matlab_order` gives
the permutation.  Every rule of the three trainers is invariant under a
permutation of the parameters (elementwise rules, dot products, traces,
solves), so the order only moves rounding.

Performance
-----------
MATLAB's ``mse``: ``perf = sum(e**2) / N`` with ``e = output - target`` and
``N = n_samples * n_outputs`` (no factor 1/2).  Its gradient is
``2 / N * J' e``, where ``J`` is the Jacobian of the outputs (equivalently of
``e``) with respect to ``theta``: rows ``i * n_out + j`` (sample ``i``,
output ``j``), columns laid out like ``theta``.  (MATLAB writes
``E = T - Y`` and ``jX`` the Jacobian of ``E``; both signs flip together, so
``J' e`` is the same.)
"""

from __future__ import annotations

import numpy as np


def n_params(layer_sizes) -> int:
    """Number of weights and biases.

    >>> n_params((1, 20, 1))
    61
    """
    sizes = list(layer_sizes)
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def spans(layer_sizes):
    """Per layer ``(w_start, b_start, b_stop, n_in, n_out)`` in ``theta``."""
    out, pos = [], 0
    sizes = list(layer_sizes)
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        out.append((pos, pos + n_in * n_out, pos + n_in * n_out + n_out, n_in, n_out))
        pos += n_in * n_out + n_out
    return out


def unpack(theta, layer_sizes):
    """``[(W, b), ...]`` copies, ``W`` of shape ``(n_in, n_out)``."""
    theta = np.asarray(theta, dtype=float)
    assert theta.shape == (n_params(layer_sizes),)
    return [
        (theta[w0:b0].reshape(n_in, n_out).copy(), theta[b0:b1].copy())
        for w0, b0, b1, n_in, n_out in spans(layer_sizes)
    ]


def matlab_order(layer_sizes) -> np.ndarray:
    """Index array ``idx`` with ``theta[idx]`` in MATLAB's ``getwb`` order.

    MATLAB stores per layer ``b{i}`` then ``IW/LW`` as an ``S x R`` matrix
    (the transpose of ``W`` here) raveled column-major, i.e. ``W`` raveled
    row-major.

    >>> matlab_order((2, 1)).tolist()      # [w11, w21, b] -> [b, w11, w21]
    [2, 0, 1]
    """
    idx = []
    for w0, b0, b1, _, _ in spans(layer_sizes):
        idx.extend(range(b0, b1))
        idx.extend(range(w0, b0))
    return np.array(idx)


def forward(theta, X, layer_sizes):
    """Layer outputs ``[X, a_1, ..., a_out]``: tanh hidden, identity output."""
    layers = unpack(theta, layer_sizes)
    a = np.asarray(X, dtype=float)
    acts = [a]
    for k, (W, b) in enumerate(layers):
        z = a @ W + b
        a = np.tanh(z) if k < len(layers) - 1 else z
        acts.append(a)
    return acts


def errors(theta, X, Y, layer_sizes):
    """``output - target``, shape ``(n_samples, n_outputs)``."""
    return forward(theta, X, layer_sizes)[-1] - np.asarray(Y, dtype=float)


def sse(theta, X, Y, layer_sizes) -> float:
    """Sum of squared errors ``E_D``."""
    e = errors(theta, X, Y, layer_sizes).ravel()
    return float(e @ e)


def mse(theta, X, Y, layer_sizes) -> float:
    """MATLAB's ``mse``: ``sse / (n_samples * n_outputs)``."""
    e = errors(theta, X, Y, layer_sizes).ravel()
    return float(e @ e) / e.size


def mse_and_gradient(theta, X, Y, layer_sizes):
    """``(mse, d mse / d theta)`` by back-propagation.

    The output delta is ``2 e / N``; each layer's weight gradient is
    ``a_prev' delta``, its bias gradient the column sum of ``delta``, and
    ``delta`` goes back through ``W'`` and ``tanh' = 1 - a**2``.
    """
    acts = forward(theta, X, layer_sizes)
    layers = unpack(theta, layer_sizes)
    e = acts[-1] - np.asarray(Y, dtype=float)
    N = e.size
    value = float(e.ravel() @ e.ravel()) / N
    grad = np.zeros(n_params(layer_sizes))
    delta = (2.0 / N) * e
    for k in range(len(layers) - 1, -1, -1):
        w0, b0, b1, _, _ = spans(layer_sizes)[k]
        grad[w0:b0] = (acts[k].T @ delta).ravel()
        grad[b0:b1] = delta.sum(axis=0)
        if k > 0:
            delta = (delta @ layers[k][0].T) * (1.0 - acts[k] * acts[k])
    return value, grad


def jacobian(theta, X, layer_sizes):
    """Jacobian of the outputs, shape ``(n_samples * n_outputs, n_params)``.

    Row ``i * n_outputs + j`` holds the derivatives of output ``j`` of
    sample ``i``; the columns are laid out like ``theta``.  Computed by one
    back-propagation per output unit, seeded with that unit.
    """
    acts = forward(theta, X, layer_sizes)
    return _jacobian_from(acts, unpack(theta, layer_sizes), layer_sizes)


def jacobian_and_errors(theta, X, Y, layer_sizes):
    """``(J, e)`` with ``e = (output - Y).ravel()`` in ``J``'s row order."""
    acts = forward(theta, X, layer_sizes)
    J = _jacobian_from(acts, unpack(theta, layer_sizes), layer_sizes)
    e = (acts[-1] - np.asarray(Y, dtype=float)).ravel()
    return J, e


def _jacobian_from(acts, layers, layer_sizes):
    n, m = acts[-1].shape
    J = np.zeros((n * m, n_params(layer_sizes)))
    for j in range(m):
        delta = np.zeros((n, m))
        delta[:, j] = 1.0  # purelin output: d out_j / d z_out
        for k in range(len(layers) - 1, -1, -1):
            w0, b0, _, n_in, n_out = spans(layer_sizes)[k]
            dW = acts[k][:, :, None] * delta[:, None, :]  # (n, n_in, n_out)
            J[j::m, w0:b0] = dW.reshape(n, n_in * n_out)
            J[j::m, b0 : b0 + n_out] = delta
            if k > 0:
                delta = (delta @ layers[k][0].T) * (1.0 - acts[k] * acts[k])
    return J
