"""The update rules, each written once, for K networks at a time.

Design
------
A rule turns the current weights of ``K`` networks (an array of shape ``(K,
n_params)``, one row per network) into trial weights (:meth:`propose`) and
then decides, network by network, whether a trial is kept (:meth:`respond`).
It never sees the network or the data: :mod:`bpforecast.nn.loop` evaluates
the trials through the passes (:mod:`bpforecast.nn.passes`) and hands the
performance values back. A single fit is ``K = 1``; stacked restarts run the
very same code with ``K > 1``.

The rule's state is a small immutable tuple: per-network scalars (learning
rate, ``mu``, momentum flags) live on the host as lists of length ``K``
(the decisions are a few scalar tests per network, far cheaper in Python
than as numpy calls on tiny arrays); per-network vectors (the momentum
memory) live with the weights, on their device. Every method returns a new
state.

``respond`` may ask for another trial (``retry``): Levenberg-Marquardt
raises ``mu`` and tries again within the same epoch, the gradient-descent
rules never do. This is the only difference the epoch loop sees.

* :class:`GradientDescent` holds MATLAB's traingd, traingdm, traingda and
  traingdx (with ``momentum`` and ``adaptive`` switched on or off); the
  whole traingdx rule is its :meth:`~GradientDescent.propose` and
  :meth:`~GradientDescent.respond`.
* :class:`LevenbergMarquardt` is trainlm: ``K`` damped Gauss-Newton systems,
  solved as one batched ``linalg.solve``.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.rules import GradientDescent
>>> rule = GradientDescent(lr=0.1, momentum=True, adaptive=True)   # traingdx
>>> state = rule.init(2)
>>> thetas = np.zeros((2, 2)); g = np.array([[1.0, -2.0], [0.5, 0.0]])
>>> trial, state = rule.propose(state, thetas, g)
>>> trial
array([[-0.1 ,  0.2 ],
       [-0.05,  0.  ]])
>>> accept, retry, state = rule.respond(state, [1.0, 1.0], [0.5, 1.2])
>>> accept, retry, [round(lr, 4) for lr in state.lr]
([True, False], [False, False], [0.105, 0.07])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from array_api_compat import array_namespace, device

MU_MIN = 1e-20
"""MATLAB's floor for ``mu`` after a successful Levenberg-Marquardt step."""


def per_row(values: Sequence[float], like, ndim: int = 2):
    """``K`` host values as a factor for ``like`` of shape ``(K, ...)``.

    ``K = 1`` gives a Python float (the arithmetic is then that of a scalar
    rule, bit for bit); otherwise an array of ``like``'s namespace, dtype and
    device, shaped to broadcast over the trailing ``ndim - 1`` axes.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import per_row
    >>> per_row([0.5], np.zeros((1, 3)))
    0.5
    >>> per_row([0.5, 2.0], np.zeros((2, 3))).shape
    (2, 1)
    """
    if len(values) == 1:
        return float(values[0])
    xp = array_namespace(like)
    column = np.reshape(np.asarray(values, dtype=np.float64), (-1,) + (1,) * (ndim - 1))
    return xp.asarray(column, dtype=like.dtype, device=device(like))


def where_rows(mask: Sequence[bool], a, b):
    """Rows of ``a`` where the host mask ``mask`` is True, else rows of ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import where_rows
    >>> where_rows([True, False], np.ones((2, 2)), np.zeros((2, 2)))
    array([[1., 1.],
           [0., 0.]])
    """
    if all(mask):
        return a
    if not any(mask):
        return b
    xp = array_namespace(a)
    shape = (-1,) + (1,) * (len(a.shape) - 1)
    m = xp.asarray(np.reshape(np.asarray(mask, dtype=bool), shape), device=device(a))
    return xp.where(m, a, b)


class GDState(NamedTuple):
    """State of :class:`GradientDescent` for K networks.

    Attributes
    ----------
    lr : list of float
        Learning rates, one per network.
    dX : array of shape (K, n_params) or None
        The previous steps (momentum memory), on the weights' device.
    memory : list of bool
        Whether a network's ``dX`` counts (False at the start and after a
        rejected step: MATLAB's momentum reset).
    """

    lr: list
    dX: object
    memory: list

    def take(self, rows: list) -> GDState:
        """The state of the networks ``rows`` only."""
        dX = None if self.dX is None else _take(self.dX, rows)
        return GDState([self.lr[i] for i in rows], dX, [self.memory[i] for i in rows])


@dataclass(frozen=True)
class GradientDescent:
    """MATLAB's traingd (neither), traingdm (momentum), traingda (adaptive), traingdx.

    The rule, from the MATLAB toolbox's code (the documentation page prints
    the momentum term without the ``1 - mc`` factor)::

        first step:         dX = lr * (-g)
        every later step:   dX = mc * dX + (1 - mc) * lr * (-g)       (momentum)
        trial weights:      X2 = X + dX ;  perf2 = perf(X2)
        perf2 not finite:   reject: lr *= lr_dec, momentum reset       (every rule)
        perf2 / perf > max_perf_inc:   reject, the same               (adaptive)
        otherwise:          accept; if perf2 < perf: lr *= lr_inc     (adaptive)

    Parameters
    ----------
    lr, mc, lr_inc, lr_dec, max_perf_inc : float
        As in MATLAB.
    momentum, adaptive : bool
        traingdm / traingda switches; both give traingdx.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import GradientDescent
    >>> rule = GradientDescent(lr=1.0, mc=0.5, momentum=True)       # traingdm
    >>> state = rule.init(1)
    >>> x, state = rule.propose(state, np.zeros((1, 1)), np.array([[-1.0]]))
    >>> x, state = rule.propose(state, x, np.array([[0.0]]))
    >>> x                                  # 1 + (0.5 * 1 + 0.5 * 0)
    array([[1.5]])
    """

    lr: float = 0.01
    mc: float = 0.9
    lr_inc: float = 1.05
    lr_dec: float = 0.7
    max_perf_inc: float = 1.04
    momentum: bool = False
    adaptive: bool = False

    def init(self, K: int) -> GDState:
        """Fresh state for ``K`` networks: lr from ``lr``, no momentum memory."""
        return GDState([float(self.lr)] * K, None, [False] * K)

    def rate(self, state: GDState) -> list:
        """What the history's ``lr`` column records: the learning rates."""
        return state.lr

    def exhausted(self, state: GDState) -> list:
        """Networks that cannot go on (never, for gradient descent)."""
        return [False] * len(state.lr)

    def linearize(self, passes, thetas):
        """What :meth:`propose` needs at ``thetas``: the gradient ``(K, n_params)``."""
        return passes.gradient(thetas)

    @staticmethod
    def gradient_of(g):
        """The performance gradient held in :meth:`linearize`'s result."""
        return g

    def propose(self, state: GDState, thetas, g) -> tuple[object, GDState]:
        """Trial weights ``thetas + dX`` and the state that remembers ``dX``."""
        step = per_row(state.lr, g) * -g
        if not self.momentum:
            return thetas + step, state
        mc, memory = self.mc, state.memory
        if all(memory):
            step = mc * state.dX + (1.0 - mc) * step
        elif any(memory):
            step = where_rows(memory, mc * state.dX + (1.0 - mc) * step, step)
        return thetas + step, GDState(state.lr, step, [True] * len(memory))

    def respond(
        self, state: GDState, perf: list, perf2: list, searching: list | None = None
    ) -> tuple[list, list, GDState]:
        """``(accept, retry, state)`` for trials that moved ``perf`` to ``perf2``.

        ``searching`` (default: all) marks the networks whose trial counts.
        Gradient descent never retries.
        """
        K = len(perf)
        searching = [True] * K if searching is None else searching
        lr, memory, accept = list(state.lr), list(state.memory), [False] * K
        for k in range(K):
            if not searching[k]:
                continue
            p, p2 = perf[k], perf2[k]
            if not math.isfinite(p2) or (
                self.adaptive and p > 0 and p2 / p > self.max_perf_inc
            ):
                lr[k] *= self.lr_dec  # reject: lr falls, momentum resets
                memory[k] = False
                continue
            if self.adaptive and p2 < p:
                lr[k] *= self.lr_inc
            accept[k] = True
        return accept, [False] * K, GDState(lr, state.dX, memory)


class LMState(NamedTuple):
    """State of :class:`LevenbergMarquardt`: ``mu`` per network (a list)."""

    mu: list

    def take(self, rows: list) -> LMState:
        """The state of the networks ``rows`` only."""
        return LMState([self.mu[i] for i in rows])


class LMSystem(NamedTuple):
    """Levenberg-Marquardt's linear system at the current weights of K networks.

    Attributes
    ----------
    A : array of shape (K, p, p)
        ``J'J`` plus the penalty's diagonal.
    rhs : array of shape (K, p, 1)
        ``-(J'e + reg * theta)``.
    g : array of shape (K, p)
        The performance gradient, ``-2 / (n m) * rhs``.
    """

    A: object
    rhs: object
    g: object

    def take(self, rows: list) -> LMSystem:
        """The systems of the networks ``rows`` only."""
        return LMSystem(*(_take(a, rows) for a in self))

    def where(self, mask: list, other: LMSystem) -> LMSystem:
        """Rows of ``self`` where ``mask``, else of ``other``."""
        return LMSystem(
            *(where_rows(mask, a, b) for a, b in zip(self, other, strict=True))
        )


def lm_system(J, e, thetas, reg=None) -> LMSystem:
    """:class:`LMSystem` from ``K`` Jacobians ``(K, n m, p)`` and errors ``(K, n m)``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import lm_system
    >>> s = lm_system(np.eye(2)[None], np.array([[1.0, -1.0]]), np.zeros((1, 2)))
    >>> s.rhs[0, :, 0], s.g[0]
    (array([-1.,  1.]), array([ 1., -1.]))
    """
    xp = array_namespace(J, e)
    K, nm, p = J.shape
    eye = xp.eye(p, dtype=J.dtype, device=device(J))
    A, rhs, g = [], [], []
    for k in range(K):
        Jk = J[k, ...]
        Ak = Jk.T @ Jk
        gk = Jk.T @ e[k, ...]
        if reg is not None:
            Ak = Ak + xp.reshape(reg, (p, 1)) * eye
            gk = gk + reg * thetas[k, ...]
        A.append(Ak)
        rhs.append(-xp.reshape(gk, (p, 1)))
        g.append((2.0 / nm) * gk)
    if K == 1:
        return LMSystem(A[0][None, ...], rhs[0][None, ...], g[0][None, ...])
    return LMSystem(xp.stack(A), xp.stack(rhs), xp.stack(g))


@dataclass(frozen=True)
class LevenbergMarquardt:
    """MATLAB's trainlm: damped Gauss-Newton steps with an adaptive ``mu``.

    Per network and epoch: solve ``(J'J + diag(reg) + mu I) dx = -(J'e + reg
    * x)``; if ``perf(x + dx) < perf(x)`` keep the step and multiply ``mu``
    by ``mu_dec`` (not below 1e-20), otherwise multiply ``mu`` by ``mu_inc``
    and try again (:meth:`respond`'s ``retry``) while ``mu <= mu_max``. A
    singular or non-finite solution counts as a non-finite trial.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import LevenbergMarquardt, lm_system
    >>> rule = LevenbergMarquardt()
    >>> system = lm_system(np.eye(2)[None], np.array([[1.0, -2.0]]), np.zeros((1, 2)))
    >>> trial, state = rule.propose(rule.init(1), np.zeros((1, 2)), system)
    >>> np.round(trial, 3)
    array([[-0.999,  1.998]])
    >>> accept, retry, state = rule.respond(state, [2.5], [0.0])
    >>> accept, state.mu
    ([True], [0.0001])
    """

    mu: float = 0.001
    mu_dec: float = 0.1
    mu_inc: float = 10.0
    mu_max: float = 1e10

    def init(self, K: int) -> LMState:
        """Fresh state for ``K`` networks: ``mu`` from ``mu``."""
        return LMState([float(self.mu)] * K)

    def rate(self, state: LMState) -> list:
        """What the history's ``lr`` column records: ``mu``."""
        return state.mu

    def exhausted(self, state: LMState) -> list:
        """Networks whose ``mu`` reached ``mu_max`` (MATLAB's mu_max stop)."""
        return [mu >= self.mu_max for mu in state.mu]

    def linearize(self, passes, thetas) -> LMSystem:
        """The :class:`LMSystem` at ``thetas`` (after ``passes.perf(thetas)``)."""
        J, e = passes.jacobian(thetas)
        return lm_system(J, e, thetas, passes.regularization(thetas))

    @staticmethod
    def gradient_of(system: LMSystem):
        """The performance gradient held in the system."""
        return system.g

    def propose(self, state: LMState, thetas, system: LMSystem):
        """Trial weights ``thetas + dx``; NaN rows where the solve failed."""
        xp = array_namespace(thetas)
        K, p = thetas.shape
        eye = xp.eye(p, dtype=system.A.dtype, device=device(system.A))
        M = system.A + per_row(state.mu, system.A, ndim=3) * eye
        try:
            dx = xp.linalg.solve(M, system.rhs)
        except (ArithmeticError, ValueError, RuntimeError):
            # numpy's LinAlgError is a ValueError, torch's a RuntimeError.
            dx = xp.stack(
                [_solve_or_nan(xp, M[k, ...], system.rhs[k, ...]) for k in range(K)]
            )
        return thetas + xp.reshape(dx, (K, p)), state

    def respond(
        self, state: LMState, perf: list, perf2: list, searching: list | None = None
    ) -> tuple[list, list, LMState]:
        """``(accept, retry, state)``: keep better trials, raise ``mu`` otherwise."""
        K = len(perf)
        searching = [True] * K if searching is None else searching
        mu, accept, retry = list(state.mu), [False] * K, [False] * K
        for k in range(K):
            if not searching[k]:
                continue
            if math.isfinite(perf2[k]) and perf2[k] < perf[k]:
                mu[k] = max(mu[k] * self.mu_dec, MU_MIN)
                accept[k] = True
            else:
                mu[k] *= self.mu_inc
                retry[k] = mu[k] <= self.mu_max
        return accept, retry, LMState(mu)


def _solve_or_nan(xp, A, b):
    """``A \\ b``, or NaN when ``A`` is singular (the trial is then non-finite)."""
    try:
        return xp.linalg.solve(A, b)
    except (ArithmeticError, ValueError, RuntimeError):
        return xp.full(b.shape, float("nan"), dtype=b.dtype, device=device(b))


def _take(a, rows: list):
    """Rows ``rows`` (host indices) of a device array."""
    rows = np.asarray(rows, dtype=np.intp)
    if isinstance(a, np.ndarray):
        return a[rows]
    xp = array_namespace(a)
    return xp.take(a, xp.asarray(rows, device=device(a)), axis=0)
