"""The passes the epoch loop needs, as one protocol with three implementations.

Design
------
:mod:`bpforecast.nn.loop` trains ``K`` networks whose weights are the rows
of one array ``thetas`` of shape ``(K, n_params)``. It asks a *passes*
object, built once per fit around the data, for everything that involves
the network:

* ``perf(thetas)``: the training performance per network, ``(K,)``, left on
  the device (the loop gathers all it needs into one host transfer);
* ``gradient(thetas)``: its gradient, ``(K, n_params)``, reusing the forward
  pass of the last ``perf`` call (the loop calls it only at weights whose
  ``perf`` it just computed);
* ``jacobian(thetas)``: trainlm's Jacobians ``(K, n m, n_params)`` and
  errors ``(K, n m)``, likewise after ``perf``, and ``regularization`` (the
  L2 term's diagonal or None);
* ``holdout(thetas)``: the validation and test performance, ``(K,)`` each or
  None for a missing block;
* ``sq_norms(g)``: the squared gradient norms, ``(K,)``;
* ``gradient_on(thetas, X, Y)``: a gradient on other data (mini-batches);
* ``gradient_at(thetas)``: the training gradient at weights whose ``perf``
  was not just computed (trainscg's second gradient); it may replace the
  cached forward pass, so the loop evaluates ``perf`` again before it next
  asks for ``gradient``;
* ``to_internal`` / ``to_external``: the layout the loop carries ``thetas``
  in (the feature-major path permutes the parameters; the others do not).

Three implementations compute the same math:

* :class:`ArrayAPIPasses` (here): the functions of
  :mod:`bpforecast.nn.network`, for any array-API namespace, one network at a
  time;
* :class:`bpforecast.nn.feature_major.FeatureMajorLoopPasses`: numpy only,
  one network, MATLAB's feature-major layout with preallocated buffers (the
  fast path of single fits);
* :class:`bpforecast.nn.stacked.StackedPasses`: ``K`` networks in batched
  products with a leading ``K`` axis (stacked restarts).

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture
>>> from bpforecast.nn.passes import ArrayAPIPasses
>>> arch = Architecture.build(1, (), 1, "tansig", "purelin")       # y = w x + b
>>> X = np.array([[1.0], [2.0]]); Y = np.array([[4.0], [5.0]])
>>> passes = ArrayAPIPasses(arch, (X, Y))
>>> thetas = np.array([[3.0, 1.0]])
>>> passes.perf(thetas), passes.gradient(thetas)
(array([2.]), array([[4., 2.]]))
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
from array_api_compat import array_namespace

from .levenberg_marquardt import jacobian, regularization_diagonal
from .network import (
    Architecture,
    forward,
    gradient,
    mse_device,
    perf_device,
)


class Passes(Protocol):
    """What :func:`bpforecast.nn.loop.run` needs from the network (see the module)."""

    def to_internal(self, thetas): ...

    def to_external(self, thetas): ...

    def perf(self, thetas): ...

    def gradient(self, thetas): ...

    def holdout(self, thetas) -> list: ...

    def sq_norms(self, g): ...

    def gradient_at(self, thetas): ...


def nonempty(block):
    """``block`` unless it is None or has no rows.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.passes import nonempty
    >>> nonempty((np.zeros((0, 2)), np.zeros((0, 1)))) is None
    True
    """
    return block if block is not None and block[0].shape[0] > 0 else None


class Holdout:
    """Validation and test blocks stacked once, evaluated with one forward pass.

    Parameters
    ----------
    validation, test : tuple (X, Y) or None

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.passes import Holdout
    >>> h = Holdout((np.zeros((2, 1)), np.ones((2, 1))), None)
    >>> [None if v is None else float(v) for v in h.block_perfs(np.zeros((2, 1)))]
    [1.0, None]
    """

    def __init__(self, validation, test) -> None:
        self.blocks = [validation, test]
        present = [b[0] for b in self.blocks if b is not None]
        if not present:
            self.X = None
        elif len(present) == 1:
            self.X = present[0]
        else:
            self.X = array_namespace(present[0]).concat(present)

    def block_perfs(self, out) -> list:
        """``[vperf, tperf]`` from the outputs on the stacked blocks (None: absent)."""
        results, start = [], 0
        for block in self.blocks:
            if block is None:
                results.append(None)
                continue
            n = block[0].shape[0]
            results.append(mse_device(out[start : start + n, :], block[1]))
            start += n
        return results

    def perfs(self, theta, arch: Architecture) -> tuple[float, float]:
        """``(vperf, tperf)`` of one network as floats; NaN for a missing block."""
        if self.X is None:
            return math.nan, math.nan
        values = self.block_perfs(forward(theta, arch, self.X)[-1])
        return tuple(math.nan if v is None else float(v) for v in values)


def rows_of(values: list, K: int):
    """Stack ``K`` per-network results (0-d or 1-d) along a new leading axis."""
    if K == 1:
        v = values[0]
        return v[None, ...] if hasattr(v, "shape") else np.asarray([v])
    return array_namespace(*values).stack(values)


class ArrayAPIPasses:
    """:class:`Passes` through :mod:`bpforecast.nn.network`, one network at a time.

    Any array-API namespace. ``K`` networks are computed one after another
    (the loop uses it with ``K = 1``; :class:`~bpforecast.nn.stacked.StackedPasses`
    is the fast way to run many).

    Parameters
    ----------
    arch : Architecture
    training : tuple (X, Y)
    validation, test : tuple (X, Y) or None

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.passes import ArrayAPIPasses
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X = np.array([[1.0], [2.0]])
    >>> passes = ArrayAPIPasses(arch, (X, 2 * X), validation=(X, X))
    >>> _ = passes.perf(np.array([[2.0, 0.0]]))
    >>> [float(v[0]) if v is not None else None
    ...  for v in passes.holdout(np.array([[2.0, 0.0]]))]
    [2.5, None]
    """

    def __init__(self, arch: Architecture, training, validation=None, test=None):
        self.arch = arch
        self.X, self.Y = training
        self.held = Holdout(nonempty(validation), nonempty(test))
        self._outputs: list = []

    def to_internal(self, thetas):
        return thetas

    def to_external(self, thetas):
        return thetas

    def perf(self, thetas):
        arch, X, Y = self.arch, self.X, self.Y
        self._outputs = [
            forward(thetas[k, ...], arch, X) for k in range(thetas.shape[0])
        ]
        return rows_of(
            [
                perf_device(thetas[k, ...], arch, out[-1], Y)
                for k, out in enumerate(self._outputs)
            ],
            thetas.shape[0],
        )

    def gradient(self, thetas):
        return rows_of(
            [
                gradient(thetas[k, ...], self.arch, out, self.Y)
                for k, out in enumerate(self._outputs)
            ],
            thetas.shape[0],
        )

    def gradient_on(self, thetas, X, Y):
        """The gradient on the data ``(X, Y)`` instead of the training block."""
        return rows_of(
            [
                gradient(
                    thetas[k, ...], self.arch, forward(thetas[k, ...], self.arch, X), Y
                )
                for k in range(thetas.shape[0])
            ],
            thetas.shape[0],
        )

    def gradient_at(self, thetas):
        """The training gradient at ``thetas`` (a fresh forward pass)."""
        self.perf(thetas)
        return self.gradient(thetas)

    def jacobian(self, thetas):
        xp = array_namespace(thetas)
        J, e = [], []
        for k, out in enumerate(self._outputs):
            J.append(jacobian(thetas[k, ...], self.arch, out))
            e.append(xp.reshape(out[-1] - self.Y, (-1,)))
        return rows_of(J, len(J)), rows_of(e, len(e))

    def regularization(self, thetas):
        return regularization_diagonal(self.arch, self.Y.shape[1], thetas[0, ...])

    def holdout(self, thetas) -> list:
        if self.held.X is None:
            return [None, None]
        K = thetas.shape[0]
        per_network = [
            self.held.block_perfs(forward(thetas[k, ...], self.arch, self.held.X)[-1])
            for k in range(K)
        ]
        return [
            None
            if per_network[0][i] is None
            else rows_of([p[i] for p in per_network], K)
            for i in range(2)
        ]

    def sq_norms(self, g):
        return sq_norms(g)


def sq_norms(g):
    """Squared norm of each row of ``g`` ``(K, p)``; one dot product when K = 1.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.passes import sq_norms
    >>> sq_norms(np.array([[3.0, 4.0], [1.0, 0.0]]))
    array([25.,  1.])
    """
    if g.shape[0] == 1:
        row = g[0, ...]
        return (row @ row)[None, ...]
    xp = array_namespace(g)
    return xp.sum(g * g, axis=1)
