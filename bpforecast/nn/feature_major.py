"""The numpy fast path for full-batch epochs: MATLAB's feature-major layout.

:mod:`bpforecast.nn.network` computes the passes on samples-by-features arrays,
for any array namespace. On numpy, a full-batch epoch of a small network is
bound by the number of calls rather than by arithmetic, so the training loop
runs numpy fits through :class:`FeatureMajorPasses` instead. It does the same
arithmetic with three changes:

* **Feature-major arrays**, as in MATLAB: every layer input is stored as
  ``(n_in + 1, n_samples)`` with a last row of ones, and every layer's weights
  as one matrix ``[W.T | b]`` of shape ``(n_out, n_in + 1)``. The bias then
  rides in the matrix product: one product per layer forward (no bias
  addition) and one per layer for the weight *and* bias gradient (no column
  sums).
* **Preallocated buffers**: activations, deltas and scratch arrays live as
  long as the object; the transfer functions and their derivatives run in
  place.
* **A permuted parameter vector**: the solvers see ``theta`` in this layout
  (:meth:`FeatureMajorPasses.to_internal`); the elementwise solver updates
  and the gradient norm do not depend on the order of the entries, and
  :meth:`~FeatureMajorPasses.to_external` gives back the usual layout.

Results equal :mod:`bpforecast.nn.network`'s up to floating-point rounding (the
products sum in a different order); the tests compare them.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture, forward, gradient, perf
>>> from bpforecast.nn.feature_major import FeatureMajorPasses
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> rng = np.random.default_rng(0)
>>> X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
>>> theta = rng.normal(size=arch.n_params)
>>> passes = FeatureMajorPasses(arch, X, Y)
>>> internal = passes.to_internal(theta)
>>> expected = perf(theta, arch, forward(theta, arch, X)[-1], Y)
>>> bool(np.isclose(float(passes.perf(internal)), expected))
True
>>> g = passes.to_external(passes.gradient(internal))
>>> bool(np.allclose(g, gradient(theta, arch, forward(theta, arch, X), Y)))
True
"""

from __future__ import annotations

import numpy as np

from .network import Architecture

#: Elements per block of the derivative step: three such float64 arrays
#: (delta, activation, scratch) fill 768 KiB, inside a 1 MiB L2 cache.
DERIVATIVE_BLOCK = 32_768


def internal_order(arch: Architecture) -> np.ndarray:
    """Index vector ``perm`` with ``internal = theta[perm]``.

    Layer by layer, the usual layout ``[W.ravel(), b]`` (``W`` of shape
    ``(n_in, n_out)``) becomes the rows of ``[W.T | b]``. Each layer keeps
    its span of the vector.

    Examples
    --------
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.feature_major import internal_order
    >>> arch = Architecture.build(2, (), 2, "tansig", "purelin")
    >>> internal_order(arch)        # W = [[0, 1], [2, 3]], b = [4, 5]
    array([0, 2, 4, 1, 3, 5])
    """
    perm = np.empty(arch.n_params, dtype=np.intp)
    for w0, b0, b1, n_in, n_out in arch.offsets:
        block = np.empty((n_out, n_in + 1), dtype=np.intp)
        block[:, :n_in] = (w0 + np.arange(n_in * n_out)).reshape(n_in, n_out).T
        block[:, n_in] = np.arange(b0, b1)
        perm[w0:b1] = block.ravel()
    return perm


class FeatureMajorPasses:
    """Forward and backward passes on one numpy data block, in place.

    Parameters
    ----------
    arch : Architecture
    X : ndarray of shape (n_samples, n_inputs)
        Copied once, transposed, with a row of ones added; not modified.
    Y : ndarray of shape (n_samples, n_outputs), optional
        Targets; needed by :meth:`perf` and :meth:`gradient`, not by
        :meth:`outputs`.

    Notes
    -----
    :meth:`gradient` uses the activations and errors of the last
    :meth:`perf` call, so call it with the same weights straight after it
    (after :meth:`outputs` it raises): this is what traingdx needs, since the
    gradient is wanted only at an accepted trial step, whose forward pass has
    just run. All buffers have ``X``'s dtype; ``Y`` and the weights are cast
    to it.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.feature_major import FeatureMajorPasses
    >>> arch = Architecture.build(1, (2,), 1, "tansig", "purelin")
    >>> passes = FeatureMajorPasses(arch, np.ones((4, 1)), np.zeros((4, 1)))
    >>> passes.outputs(passes.to_internal(np.zeros(arch.n_params))).shape
    (4, 1)
    """

    def __init__(self, arch: Architecture, X: np.ndarray, Y=None) -> None:
        self.arch = arch
        dtype = X.dtype
        n_samples = X.shape[0]
        self.n_samples = n_samples
        self._perm = internal_order(arch)
        self._inverse = np.argsort(self._perm)
        sizes = arch.layer_sizes
        # Layer inputs, each with a last row of ones for the bias.
        self._inputs = []
        for size in sizes[:-1]:
            block = np.empty((size + 1, n_samples), dtype=dtype)
            block[size] = 1.0
            self._inputs.append(block)
        self._inputs[0][:-1] = X.T
        self._output = np.empty((sizes[-1], n_samples), dtype=dtype)
        self._Y = None if Y is None else np.ascontiguousarray(Y.T, dtype=dtype)
        self._error = np.empty_like(self._output)
        self._errors_current = False
        # Backward-pass buffers: one delta per layer, and a cache-sized scratch
        # block for the transfer functions' derivatives (see _scale_by_derivative).
        self._deltas = [np.empty((h, n_samples), dtype=dtype) for h in sizes[1:]]
        largest = max((h * n_samples for h in sizes[1:-1]), default=0)
        self._scratch = np.empty(min(largest, DERIVATIVE_BLOCK), dtype=dtype)
        # The weights of the last forward pass and the gradient live in two
        # vectors whose per-layer views are made once: [W.T | b] matrices,
        # the W.T part alone, and the gradient blocks.
        self._theta = np.empty(arch.n_params, dtype=dtype)
        self._grad = np.empty(arch.n_params, dtype=dtype)
        self._is_weight = np.ones(arch.n_params, dtype=bool)
        self._matrices, self._weights_t, self._grad_blocks = [], [], []
        for w0, _, b1, n_in, n_out in arch.offsets:
            shape = (n_out, n_in + 1)
            matrix = self._theta[w0:b1].reshape(shape)
            self._matrices.append(matrix)
            self._weights_t.append(matrix[:, :n_in].T)
            self._grad_blocks.append(self._grad[w0:b1].reshape(shape))
            self._is_weight[w0:b1].reshape(shape)[:, n_in] = False
        targets = [*(block[:-1] for block in self._inputs[1:]), self._output]
        # The passes as plans made once, so an epoch only runs the numpy
        # calls. Forward, per layer: [W.T | b], its input, where z goes.
        self._forward = list(
            zip(self._matrices, self._inputs, targets, arch.activations, strict=True)
        )
        # Backward, from the output layer: the gradient block, the layer
        # input's transpose and, but for the first layer, how delta travels
        # back (W.T, the next delta buffer, the activation, whether the
        # product is a large outer one, and a scratch view when one block
        # holds the derivative).
        self._backward = []
        for i in range(len(sizes) - 2, -1, -1):
            step = None
            if i > 0:
                back = self._deltas[i - 1]
                outer = sizes[i + 1] == 1 and back.size > DERIVATIVE_BLOCK
                scratch = None
                if back.size <= self._scratch.shape[0]:
                    scratch = self._scratch[: back.size].reshape(back.shape)
                activation = arch.activations[i - 1]
                a = self._inputs[i][:-1]
                step = (self._weights_t[i], back, a, activation, outer, scratch)
            self._backward.append((self._grad_blocks[i], self._inputs[i].T, step))

    # ---------------------------------------------------------------- layout
    def to_internal(self, theta: np.ndarray) -> np.ndarray:
        """``theta`` in the usual layout -> this object's layout (a copy).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.network import Architecture
        >>> from bpforecast.nn.feature_major import FeatureMajorPasses
        >>> arch = Architecture.build(2, (), 1, "tansig", "purelin")
        >>> FeatureMajorPasses(arch, np.ones((3, 2))).to_internal(np.arange(3.0))
        array([0., 1., 2.])
        """
        return theta[self._perm]

    def to_external(self, internal: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`to_internal` (a copy).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.network import Architecture
        >>> from bpforecast.nn.feature_major import FeatureMajorPasses
        >>> arch = Architecture.build(1, (2,), 1, "tansig", "purelin")
        >>> passes = FeatureMajorPasses(arch, np.ones((3, 1)))
        >>> theta = np.arange(7.0)
        >>> passes.to_external(passes.to_internal(theta))
        array([0., 1., 2., 3., 4., 5., 6.])
        """
        return internal[self._inverse]

    def _scale_by_derivative(self, back, a, act) -> None:
        """``back *= act.derivative(a)`` in place, block by block.

        The derivative takes several elementwise passes (for tansig
        ``1 - a*a`` and the product). On large arrays each pass would stream
        the whole array from memory; blocks of :data:`DERIVATIVE_BLOCK`
        elements stay in the cache between the passes, so memory sees each
        array once. Small arrays are one block.
        """
        if act.scale_by_derivative_inplace is None:
            back *= act.derivative(a)
            return
        back_flat, a_flat = back.reshape(-1), a.reshape(-1)
        size, block = back_flat.shape[0], self._scratch.shape[0]
        for start in range(0, size, block):
            stop = min(start + block, size)
            act.scale_by_derivative_inplace(
                back_flat[start:stop], a_flat[start:stop], self._scratch[: stop - start]
            )

    # ---------------------------------------------------------------- passes
    def outputs(self, internal: np.ndarray) -> np.ndarray:
        """Network outputs, ``(n_samples, n_outputs)`` (a view of a buffer).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.network import Architecture
        >>> from bpforecast.nn.feature_major import FeatureMajorPasses
        >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
        >>> passes = FeatureMajorPasses(arch, np.array([[1.0], [2.0]]))
        >>> passes.outputs(np.array([3.0, 1.0]))      # 3 x + 1
        array([[4.],
               [7.]])
        """
        np.copyto(self._theta, internal)
        self._errors_current = False  # until perf() computes the errors
        for W, a_in, z, act in self._forward:
            # (np.dot calls BLAS with less overhead than np.matmul.)
            np.dot(W, a_in, out=z)
            if act.forward_inplace is not None:
                act.forward_inplace(z)
            elif act.name != "purelin":
                z[...] = act.forward(z)
        return self._output.T

    def perf(self, internal: np.ndarray) -> np.ndarray:
        """:func:`bpforecast.nn.network.perf_device` at these weights (a 0-d array).

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.network import Architecture
        >>> from bpforecast.nn.feature_major import FeatureMajorPasses
        >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
        >>> X, Y = np.array([[1.0], [2.0]]), np.array([[4.0], [5.0]])
        >>> float(FeatureMajorPasses(arch, X, Y).perf(np.array([3.0, 1.0])))
        2.0
        """
        self.outputs(internal)
        self._errors_current = True
        err = np.subtract(self._output, self._Y, out=self._error).reshape(-1)
        value = (err @ err) / err.shape[0]
        if self.arch.alpha > 0:
            weights = internal[self._is_weight]
            value = value + self.arch.alpha * (weights @ weights) / self.n_samples
        return value

    def gradient(self, internal: np.ndarray) -> np.ndarray:
        """Gradient of :meth:`perf` in the internal layout (a new array).

        Uses the forward pass of the last :meth:`perf` call, which must have
        been at ``internal``.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.network import Architecture
        >>> from bpforecast.nn.feature_major import FeatureMajorPasses
        >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
        >>> X, Y = np.array([[1.0], [2.0]]), np.zeros((2, 1))
        >>> passes = FeatureMajorPasses(arch, X, Y)
        >>> theta = np.array([1.0, 0.0])                   # out = x
        >>> _ = passes.perf(theta)
        >>> passes.gradient(theta)
        array([5., 3.])
        """
        if not self._errors_current:
            raise RuntimeError(
                "gradient() uses the forward pass of perf(): call perf() at "
                "these weights first."
            )
        arch = self.arch
        n_samples, n_outputs = self.n_samples, self._output.shape[0]
        # perf() left output - Y in its own buffer. The factor 2 / (n m) of
        # the mse's derivative is applied once, to the finished gradient.
        delta = self._error
        out_act = arch.activations[-1]
        if out_act.name != "purelin":
            delta = np.multiply(
                delta, out_act.derivative(self._output), out=self._deltas[-1]
            )
        for grad_block, input_t, step in self._backward:
            # Weight and bias gradient in one product: delta @ [A; 1].T
            np.dot(delta, input_t, out=grad_block)
            if step is None:
                break
            weights_t, back, a, act, outer, scratch = step
            if outer:
                # A large outer product: broadcasting writes it fastest.
                np.multiply(weights_t, delta, out=back)
            else:
                # W.T @ delta. Small outer products too: np.dot hands them to
                # BLAS, faster there than broadcasting (and np.matmul).
                np.dot(weights_t, delta, out=back)
            if scratch is not None and act.scale_by_derivative_inplace is not None:
                act.scale_by_derivative_inplace(back, a, scratch)
            else:
                self._scale_by_derivative(back, a, act)
            delta = back
        grad = np.multiply(self._grad, 2.0 / (n_samples * n_outputs))
        if arch.alpha > 0:
            grad += np.where(
                self._is_weight, (2.0 * arch.alpha / n_samples) * self._theta, 0.0
            )
        return grad


class FeatureMajorLoopPasses:
    """The epoch loop's passes (:class:`bpforecast.nn.passes.Passes`) on this path.

    One numpy network (``K = 1``): :class:`FeatureMajorPasses` on the
    training block and one on the validation and test blocks stacked. The
    loop carries the weights in the feature-major layout and converts them
    back once, at the end.

    Parameters
    ----------
    arch : Architecture
    training : tuple (X, Y)
    validation, test : tuple (X, Y) or None

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.feature_major import FeatureMajorLoopPasses
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X, Y = np.array([[1.0], [2.0]]), np.zeros((2, 1))
    >>> passes = FeatureMajorLoopPasses(arch, (X, Y))
    >>> thetas = passes.to_internal(np.array([[1.0, 0.0]]))
    >>> passes.perf(thetas), passes.gradient(thetas)
    (array([2.5]), array([[5., 3.]]))
    """

    def __init__(self, arch: Architecture, training, validation=None, test=None):
        from .passes import Holdout, nonempty

        self.held = Holdout(nonempty(validation), nonempty(test))
        self.train = FeatureMajorPasses(arch, *training)
        self.held_passes = (
            None if self.held.X is None else FeatureMajorPasses(arch, self.held.X)
        )
        perm, inverse = self.train._perm, self.train._inverse
        self.to_internal = lambda thetas: thetas[:, perm]
        self.to_external = lambda thetas: thetas[:, inverse]

    def perf(self, thetas: np.ndarray) -> np.ndarray:
        return self.train.perf(thetas[0])[None]

    def gradient(self, thetas: np.ndarray) -> np.ndarray:
        return self.train.gradient(thetas[0])[None]

    def gradient_at(self, thetas: np.ndarray) -> np.ndarray:
        """The training gradient at ``thetas`` (a fresh forward pass)."""
        self.train.perf(thetas[0])
        return self.train.gradient(thetas[0])[None]

    def holdout(self, thetas: np.ndarray) -> list:
        if self.held_passes is None:
            return [None, None]
        return [
            None if v is None else v[None]
            for v in self.held.block_perfs(self.held_passes.outputs(thetas[0]))
        ]

    def sq_norms(self, g: np.ndarray) -> np.ndarray:
        row = g[0]
        return (row @ row)[None]
