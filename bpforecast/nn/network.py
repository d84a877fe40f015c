"""Forward and backward passes of one fully connected network, as pure functions.

This is the array-API math that :class:`bpforecast.nn.passes.ArrayAPIPasses`
runs. The weights are one flat vector ``theta`` laid out by
:mod:`bpforecast.nn.architecture` (whose :class:`Architecture`, :func:`pack`
and :func:`unpack` are importable from here too).

The performance function is MATLAB's ``mse``: the mean of the squared errors
over all samples and outputs, with no factor 1/2, plus an optional L2 term
``alpha * sum(W**2) / n_samples`` on the weights (not the biases), which
matches scikit-learn's ``alpha`` up to the common factor 2.

Every function takes its array namespace from its inputs, so the same code
runs on numpy, CuPy, torch or array-api-strict arrays.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture, forward, gradient, perf
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> theta = np.linspace(-1.0, 1.0, arch.n_params)
>>> X = np.array([[0.0, 1.0], [1.0, 0.0]])
>>> Y = np.array([[1.0], [0.0]])
>>> acts = forward(theta, arch, X)
>>> round(perf(theta, arch, acts[-1], Y), 6)
0.021407
>>> gradient(theta, arch, acts, Y).shape
(13,)
"""

from __future__ import annotations

import threading

import numpy as np
from array_api_compat import array_namespace, device

from .architecture import Architecture, pack, unpack

__all__ = [
    "Architecture",
    "forward",
    "gradient",
    "mse",
    "mse_device",
    "pack",
    "perf",
    "perf_device",
    "release_workspace",
    "unpack",
]


def forward(theta, arch: Architecture, X) -> list:
    """Layer outputs ``[X, a_1, ..., a_out]`` for the inputs ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture, forward
    >>> arch = Architecture.build(1, (2,), 1, "tansig", "purelin")
    >>> [a.shape for a in forward(np.ones(arch.n_params), arch, np.ones((4, 1)))]
    [(4, 1), (4, 2), (4, 1)]
    """
    outputs = [X]
    a = X
    numpy_path = isinstance(X, np.ndarray) and isinstance(theta, np.ndarray)
    for (W, b), act in zip(unpack(theta, arch), arch.activations, strict=True):
        z = a @ W
        if numpy_path:
            # In place: no temporaries for the bias and the transfer function.
            z += b
            a = act.forward_inplace(z) if act.forward_inplace else act.forward(z)
        else:
            a = act.forward(z + b)
        outputs.append(a)
    return outputs


def mse(output, Y) -> float:
    """MATLAB's ``mse``: mean squared error over all samples and outputs.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import mse
    >>> mse(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]]))
    2.5
    """
    return float(mse_device(output, Y))


def mse_device(output, Y):
    """:func:`mse` as a 0-d array on the data's device (no host transfer).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import mse_device
    >>> float(mse_device(np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])))
    2.5
    """
    xp = array_namespace(output, Y)
    err = xp.reshape(output - Y, (-1,))
    # A dot product: one BLAS call instead of a multiply and a reduction.
    return (err @ err) / err.shape[0]


def _weight_penalty(theta, arch: Architecture, n_samples: int):
    xp = array_namespace(theta)
    total = 0.0
    for W, _ in unpack(theta, arch):
        total = total + xp.sum(W * W)
    return arch.alpha * total / n_samples


def perf(theta, arch: Architecture, output, Y) -> float:
    """Training objective: :func:`mse` plus the L2 term when ``alpha > 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture, perf
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> perf(np.array([2.0, 0.0]), arch, np.array([[2.0]]), np.array([[1.0]]))
    1.0
    """
    return float(perf_device(theta, arch, output, Y))


def perf_device(theta, arch: Architecture, output, Y):
    """:func:`perf` as a 0-d array on the data's device (no host transfer).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture, perf_device
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> out, Y = np.array([[2.0]]), np.array([[1.0]])
    >>> float(perf_device(np.array([2.0, 0.0]), arch, out, Y))
    1.0
    """
    value = mse_device(output, Y)
    if arch.alpha > 0:
        value = value + _weight_penalty(theta, arch, Y.shape[0])
    return value


def gradient(theta, arch: Architecture, outputs: list, Y):
    """Gradient of :func:`perf` with respect to ``theta``, by back-propagation.

    Parameters
    ----------
    theta : array of shape (n_params,)
    arch : Architecture
    outputs : list of arrays
        The result of :func:`forward` at ``theta`` (reused, not recomputed).
    Y : array of shape (n_samples, n_outputs)

    Returns
    -------
    array of shape (n_params,), laid out like ``theta``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture, forward, gradient
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> theta = np.array([1.0, 0.0])               # out = x
    >>> X, Y = np.array([[1.0], [2.0]]), np.zeros((2, 1))
    >>> gradient(theta, arch, forward(theta, arch, X), Y)   # d mean(x^2 w^2)/dw, d/db
    array([5., 3.])
    """
    if isinstance(theta, np.ndarray) and isinstance(Y, np.ndarray):
        return _gradient_numpy(theta, arch, outputs, Y)
    xp = array_namespace(theta, Y)
    n_samples, n_outputs = Y.shape
    layers = unpack(theta, arch)
    out_act = arch.activations[-1]
    delta = (2.0 / (n_samples * n_outputs)) * (outputs[-1] - Y)
    if out_act.name != "purelin":
        delta = delta * out_act.derivative(outputs[-1])
    # Bias gradients as ones @ delta: a BLAS product, several times faster than
    # a column sum over the samples in numpy.
    ones = xp.ones(n_samples, dtype=Y.dtype, device=device(Y))
    parts = []
    for i in range(len(layers) - 1, -1, -1):
        W, _ = layers[i]
        grad_W = outputs[i].T @ delta
        if arch.alpha > 0:
            grad_W = grad_W + (2.0 * arch.alpha / n_samples) * W
        parts.append(ones @ delta)
        parts.append(xp.reshape(grad_W, (-1,)))
        if i > 0:
            # (n, 1) @ (1, h) is an outer product numpy does outside BLAS;
            # broadcasting is faster and gives the same result.
            back = delta * W[:, 0] if W.shape[1] == 1 else delta @ W.T
            delta = back * arch.activations[i - 1].derivative(outputs[i])
    parts.reverse()
    return xp.concat(parts)


def _gradient_numpy(theta, arch: Architecture, outputs: list, Y) -> np.ndarray:
    """:func:`gradient` for numpy arrays, written into one preallocated vector.

    The same arithmetic as the generic path, with the per-layer products
    written straight into views of the result and the derivative applied in
    place, so an epoch allocates far fewer temporaries.
    """
    n_samples, n_outputs = Y.shape
    grad = np.empty(arch.n_params, dtype=theta.dtype)
    ones = _scratch("ones", (n_samples,), Y.dtype)
    ones.fill(1.0)
    out_act = arch.activations[-1]
    delta = np.subtract(outputs[-1], Y, out=_scratch("delta", Y.shape, Y.dtype))
    delta *= 2.0 / (n_samples * n_outputs)
    if out_act.name != "purelin":
        delta = delta * out_act.derivative(outputs[-1])
    for i in range(len(arch.offsets) - 1, -1, -1):
        w0, b0, b1, n_in, n_out = arch.offsets[i]
        W = theta[w0:b0].reshape(n_in, n_out)
        grad_W = grad[w0:b0].reshape(n_in, n_out)
        np.matmul(outputs[i].T, delta, out=grad_W)
        if arch.alpha > 0:
            grad_W += (2.0 * arch.alpha / n_samples) * W
        np.matmul(ones, delta, out=grad[b0:b1])
        if i > 0:
            shape = (n_samples, n_in)
            back = _scratch(f"back{i}", shape, Y.dtype)
            if n_out == 1:
                np.multiply(delta, W[:, 0], out=back)
            else:
                np.matmul(delta, W.T, out=back)
            act = arch.activations[i - 1]
            if act.scale_by_derivative_inplace is not None:
                scratch = _scratch(f"deriv{i}", shape, Y.dtype)
                delta = act.scale_by_derivative_inplace(back, outputs[i], scratch)
            else:
                delta = back * act.derivative(outputs[i])
    return grad


_workspace = threading.local()


def release_workspace() -> None:
    """Free this thread's backward-pass work arrays (the training loop calls it).

    Examples
    --------
    >>> from bpforecast.nn.network import release_workspace
    >>> release_workspace()
    """
    _workspace.buffers = {}


def _scratch(name: str, shape: tuple, dtype) -> np.ndarray:
    """A reusable work array of this thread, for temporaries of the backward pass.

    Large epochs spend much of their time allocating (and page-faulting)
    fresh temporaries; these buffers live from one call to the next. Only
    intermediate values go here, never anything that is returned.
    """
    buffers = getattr(_workspace, "buffers", None)
    if buffers is None:
        buffers = _workspace.buffers = {}
    buffer = buffers.get(name)
    if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
        buffer = buffers[name] = np.empty(shape, dtype=dtype)
    return buffer
