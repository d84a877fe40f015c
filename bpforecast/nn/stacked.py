"""The stacked passes: K networks of one architecture in batched products.

Design
------
:class:`StackedPasses` is the third implementation of
:class:`bpforecast.nn.passes.Passes`. The weights of ``K`` networks are one
``(K, n_params)`` array and every product is a batched ``xp.matmul`` with a
leading ``K`` axis, so one epoch of ``K`` small networks costs a few large
array operations instead of ``K`` times as many small ones. It serves the
estimators' restarts (``n_init``) and the forecaster's ``n_models``
networks, which share their data and differ only in their starting weights.

Rounding
--------
Every elementwise operation is the one :mod:`bpforecast.nn.network`
performs, in the same order. The reductions are not the same calls: the
squared errors are summed with ``xp.sum`` instead of a BLAS dot product, and
the first layer's product ``X @ W1`` can be one product with the ``K``
weight matrices side by side, ``(d, K * h1)`` (``share_first_layer``), which
BLAS may block differently. Results therefore agree with separate fits to
rounding, not bit for bit (``tests/test_batched.py`` measures it).

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture, forward, perf
>>> from bpforecast.nn.stacked import StackedPasses
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> rng = np.random.default_rng(0)
>>> X, Y = rng.normal(size=(20, 2)), rng.normal(size=(20, 1))
>>> thetas = rng.normal(size=(4, arch.n_params))
>>> stacked = StackedPasses(arch, (X, Y)).perf(thetas)
>>> single = [perf(t, arch, forward(t, arch, X)[-1], Y) for t in thetas]
>>> bool(np.allclose(stacked, single, rtol=1e-12))
True
"""

from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace, device

from .levenberg_marquardt import jacobian, regularization_diagonal
from .network import Architecture
from .passes import Holdout, nonempty

__all__ = ["StackedPasses"]


def _layers(thetas, arch: Architecture, xp) -> list[tuple[object, object]]:
    """Per-layer ``(W, b)`` of shapes ``(K, n_in, n_out)`` and ``(K, n_out)``."""
    K = thetas.shape[0]
    return [
        (xp.reshape(thetas[:, w0:b0], (K, n_in, n_out)), thetas[:, b0:b1])
        for w0, b0, b1, n_in, n_out in arch.offsets
    ]


class _Workspace:
    """Reusable numpy work arrays, so large epochs do not page-fault temporaries.

    Only intermediate values that die within one evaluation live here.
    """

    def __init__(self) -> None:
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple, dtype) -> np.ndarray:
        buffer = self.buffers.get(name)
        if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
            buffer = self.buffers[name] = np.empty(shape, dtype=dtype)
        return buffer


def _first_product(X, W, xp, share: bool, ws: _Workspace | None, tag: str):
    """``X @ W[k]`` for every ``k``: ``(n, d)`` and ``(K, d, h)`` to ``(K, n, h)``."""
    K, d, h = W.shape
    n = X.shape[0]
    if not share:
        if ws is None:
            return xp.matmul(X, W)
        return np.matmul(X, W, out=ws.get(f"{tag}z0", (K, n, h), X.dtype))
    side_by_side = xp.reshape(xp.permute_dims(W, (1, 0, 2)), (d, K * h))
    if ws is None:
        Z = xp.matmul(X, side_by_side)
    else:
        Z = np.matmul(X, side_by_side, out=ws.get(f"{tag}z0", (n, K * h), X.dtype))
    return xp.permute_dims(xp.reshape(Z, (n, K, h)), (1, 0, 2))


def _forward(
    layers, arch: Architecture, X, xp, share: bool, ws=None, tag: str = ""
) -> list:
    """Layer outputs ``[X, a_1, ..., a_out]``, each hidden one ``(K, n, h)``.

    With a workspace (numpy), the outputs live in its buffers named by ``tag``
    and are overwritten by the next call with the same tag.
    """
    outputs = [X]
    a = X
    for i, ((W, b), act) in enumerate(zip(layers, arch.activations, strict=True)):
        if i == 0:
            z = _first_product(X, W, xp, share, ws, tag)
        elif ws is None:
            z = xp.matmul(a, W)
        else:
            shape = (W.shape[0], a.shape[1], W.shape[2])
            z = np.matmul(a, W, out=ws.get(f"{tag}z{i}", shape, a.dtype))
        if ws is None:
            a = act.forward(z + b[:, None, :])
        else:
            z += b[:, None, :]
            a = act.forward_inplace(z) if act.forward_inplace else act.forward(z)
        outputs.append(a)
    return outputs


def _sum_squares(err, xp):
    """Per network sum of squares of ``err`` of shape ``(K, ...)``."""
    K = err.shape[0]
    flat = xp.reshape(err, (K, -1))
    return xp.sum(flat * flat, axis=1)


def _mse(output, Y, xp):
    """MATLAB's ``mse`` per network: ``(K, n, m)`` against ``(n, m)`` to ``(K,)``."""
    return _sum_squares(output - Y, xp) / (Y.shape[0] * Y.shape[1])


def _perf(layers, arch: Architecture, output, Y, xp):
    """Training objective per network, :func:`bpforecast.nn.network.perf` stacked."""
    value = _mse(output, Y, xp)
    if arch.alpha > 0:
        total = 0.0
        for W, _ in layers:
            total = total + _sum_squares(W, xp)
        value = value + arch.alpha * total / Y.shape[0]
    return value


def _gradient(layers, arch: Architecture, outputs: list, Y, xp, share: bool, ws=None):
    """Stacked :func:`bpforecast.nn.network.gradient`: ``(K, n_params)``."""
    n_samples, n_outputs = Y.shape
    K = outputs[-1].shape[0]
    out_act = arch.activations[-1]
    if ws is None:
        delta = (outputs[-1] - Y) * (2.0 / (n_samples * n_outputs))
    else:
        delta = np.subtract(
            outputs[-1], Y, out=ws.get("delta", outputs[-1].shape, Y.dtype)
        )
        delta *= 2.0 / (n_samples * n_outputs)
    if out_act.name != "purelin":
        delta = delta * out_act.derivative(outputs[-1])
    ones = xp.ones(n_samples, dtype=Y.dtype, device=device(Y))
    parts = []
    for i in range(len(layers) - 1, -1, -1):
        W, _ = layers[i]
        n_in, n_out = W.shape[1], W.shape[2]
        if i > 0:
            grad_W = xp.matmul(xp.permute_dims(outputs[i], (0, 2, 1)), delta)
        elif share:
            # One product X.T @ [delta_1 ... delta_K], as in the forward pass.
            side_by_side = xp.reshape(
                xp.permute_dims(delta, (1, 0, 2)), (n_samples, K * n_out)
            )
            grad_W = xp.permute_dims(
                xp.reshape(outputs[0].T @ side_by_side, (n_in, K, n_out)), (1, 0, 2)
            )
        else:
            grad_W = xp.matmul(outputs[0].T, delta)
        if arch.alpha > 0:
            grad_W = grad_W + (2.0 * arch.alpha / n_samples) * W
        parts.append(xp.matmul(ones, delta))
        parts.append(xp.reshape(grad_W, (K, n_in * n_out)))
        if i == 0:
            break
        act = arch.activations[i - 1]
        if ws is None:
            if n_out == 1:
                back = delta * W[:, None, :, 0]
            else:
                back = xp.matmul(delta, xp.permute_dims(W, (0, 2, 1)))
            delta = back * act.derivative(outputs[i])
            continue
        shape = (K, n_samples, n_in)
        back = ws.get(f"back{i}", shape, Y.dtype)
        if n_out == 1:
            np.multiply(delta, W[:, None, :, 0], out=back)
        else:
            np.matmul(delta, W.transpose(0, 2, 1), out=back)
        if act.scale_by_derivative_inplace is not None:
            scratch = ws.get(f"deriv{i}", shape, Y.dtype)
            delta = act.scale_by_derivative_inplace(back, outputs[i], scratch)
        else:
            delta = back * act.derivative(outputs[i])
    parts.reverse()
    return xp.concat(parts, axis=1)


class StackedPasses:
    """:class:`~bpforecast.nn.passes.Passes` for K networks at once.

    Parameters
    ----------
    arch : Architecture
    training : tuple (X, Y)
    validation, test : tuple (X, Y) or None
        In the namespace of the weights.
    share_first_layer : bool, default False
        Compute the first layer's ``X @ W1`` (and its gradient ``X.T @
        delta``) as one product over the ``K`` weight matrices side by side,
        ``(d, K * h1)``, instead of ``K`` batched products. Rounding may
        differ in the last bits. With numpy on one BLAS thread it was slower
        (the side-by-side layout costs a copy of ``delta`` per epoch), so it is
        off by default; it may pay on an accelerator.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.stacked import StackedPasses
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X, Y = np.array([[1.0], [2.0]]), np.zeros((2, 1))
    >>> passes = StackedPasses(arch, (X, Y))
    >>> thetas = np.array([[1.0, 0.0], [2.0, 0.0]])
    >>> passes.perf(thetas), passes.gradient(thetas)
    (array([ 2.5, 10. ]), array([[ 5.,  3.],
           [10.,  6.]]))
    """

    def __init__(
        self,
        arch: Architecture,
        training,
        validation=None,
        test=None,
        *,
        share_first_layer: bool = False,
    ) -> None:
        self.arch = arch
        self.X, self.Y = training
        self.xp = array_namespace(self.X)
        self.held = Holdout(nonempty(validation), nonempty(test))
        self.share = bool(share_first_layer)
        arrays = (self.X, self.Y, *(b for blk in self.held.blocks if blk for b in blk))
        numpy_path = all(isinstance(a, np.ndarray) for a in arrays)
        self.ws = _Workspace() if numpy_path else None
        self._layers = self._outputs = None

    def to_internal(self, thetas):
        return thetas

    def to_external(self, thetas):
        return thetas

    def perf(self, thetas):
        xp = self.xp
        self._layers = layers = _layers(thetas, self.arch, xp)
        self._outputs = _forward(
            layers, self.arch, self.X, xp, self.share, self.ws, "train"
        )
        return _perf(layers, self.arch, self._outputs[-1], self.Y, xp)

    def gradient(self, thetas):
        return _gradient(
            self._layers, self.arch, self._outputs, self.Y, self.xp, self.share, self.ws
        )

    def gradient_on(self, thetas, X, Y):
        """The gradient on the data ``(X, Y)`` instead of the training block."""
        layers = _layers(thetas, self.arch, self.xp)
        outputs = _forward(layers, self.arch, X, self.xp, self.share)
        return _gradient(layers, self.arch, outputs, Y, self.xp, self.share)

    def gradient_at(self, thetas):
        """The training gradient at ``thetas`` (a fresh forward pass)."""
        self.perf(thetas)
        return self.gradient(thetas)

    def jacobian(self, thetas):
        """``K`` Jacobians ``(K, n m, p)`` and errors ``(K, n m)``, one per network."""
        xp = self.xp
        J, e = [], []
        for k in range(thetas.shape[0]):
            outputs = [self.X] + [a[k, ...] for a in self._outputs[1:]]
            J.append(jacobian(thetas[k, ...], self.arch, outputs))
            e.append(xp.reshape(outputs[-1] - self.Y, (-1,)))
        return xp.stack(J), xp.stack(e)

    def regularization(self, thetas):
        return regularization_diagonal(self.arch, self.Y.shape[1], thetas[0, ...])

    def holdout(self, thetas) -> list:
        if self.held.X is None:
            return [None, None]
        xp = self.xp
        layers = _layers(thetas, self.arch, xp)
        out = _forward(
            layers, self.arch, self.held.X, xp, self.share, self.ws, "holdout"
        )[-1]
        results, start = [], 0
        for block in self.held.blocks:
            if block is None:
                results.append(None)
                continue
            n = block[0].shape[0]
            results.append(_mse(out[:, start : start + n, :], block[1], xp))
            start += n
        return results

    def sq_norms(self, g):
        return _sum_squares(g, self.xp)
