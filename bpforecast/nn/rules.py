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


def _ieee_div(a: float, b: float) -> float:
    """``a / b`` with IEEE results (inf, NaN) instead of ZeroDivisionError."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _row_dots(a, b) -> list:
    """``[a[k] @ b[k] for k]`` as host floats, in one transfer."""
    if a.shape[0] == 1:
        value = a[0, ...] @ b[0, ...]
        return [float(value)]
    xp = array_namespace(a)
    values = xp.sum(a * b, axis=1)
    return [float(v) for v in np.asarray(_host(values)).tolist()]


def _host(a):
    """A device array as numpy (one transfer)."""
    if isinstance(a, np.ndarray):
        return a
    from ._array_api import to_numpy

    return to_numpy(a)


class SCGState(NamedTuple):
    """State of :class:`ScaledConjugateGradient` for K networks.

    Host lists (one entry per network): ``lambdak``, ``lambdab``, ``deltak``
    (the curvature along ``d``, already scaled after a rejected step),
    ``muk`` (``-d'g``), ``nrmsqr`` (``d'd``), ``difk`` (the last comparison
    parameter), ``epoch`` (steps attempted) and ``rate`` (``lambdak`` at the
    start of the epoch: what the history records). Device arrays ``d`` (the
    search direction) and ``g`` (the gradient at the current weights), both
    ``(K, n_params)`` or None before :meth:`ScaledConjugateGradient.settle`.
    """

    lambdak: list
    lambdab: list
    deltak: list
    muk: list
    nrmsqr: list
    difk: list
    epoch: list
    rate: list
    d: object
    g: object

    def take(self, rows: list) -> SCGState:
        """The state of the networks ``rows`` only."""
        lists = [[column[i] for i in rows] for column in self[:8]]
        arrays = [None if a is None else _take(a, rows) for a in self[8:]]
        return SCGState(*lists, *arrays)


@dataclass(frozen=True)
class ScaledConjugateGradient:
    """MATLAB's trainscg: Møller's (1993) scaled conjugate gradient, K networks.

    MATLAB's ``trainscg.m`` (calcLib version), with ``g`` the gradient of
    ``perf`` and ``d`` the search direction (``d = -g`` at the start)::

        after an accepted step (settle):
            d = -g if rem(epoch, P) == 0 else -g + beta d,
                beta = (g'g - g'g_old) / muk           (P: number of weights)
            nrmsqr = d'd ;  lambdak += deltak (1 - difk) / nrmsqr if difk < 0.25
            sigmak = sigma / sqrt(nrmsqr)
            deltak = d' (g(x + sigmak d) - g) / sigmak ;  muk = -d'g
        every epoch (propose):
            deltak += (lambdak - lambdab) nrmsqr
            deltak <= 0:  lambdab = 2 (lambdak - deltak / nrmsqr);
                          deltak = -deltak + lambdak nrmsqr ; lambdak = lambdab
            trial: x + (muk / deltak) d
        respond:  difk = 2 deltak (perf - perf_trial) / muk^2
            difk >= 0: accept; lambdab = 0; difk >= 0.75: lambdak /= 4
            otherwise: reject; lambdab = lambdak;
                       lambdak += deltak (1 - difk) / nrmsqr if difk < 0.25

    The second gradient (at ``x + sigmak d``) is computed by
    ``passes.gradient_at`` once per accepted step: two gradient evaluations
    per epoch, memory in O(parameters), no line search. The step-9 raise of
    ``lambdak`` after an accepted step needs the new direction's ``nrmsqr``,
    so it runs in :meth:`settle`, when the gradient at the accepted weights
    is known.

    A trial whose perf is not finite is rejected and ``lambdak`` raised as
    for ``difk = 0`` (the next trial step is about half as long); MATLAB
    gets a NaN ``difk`` there and would repeat the same trial forever.

    The history's ``lr`` column records ``lambdak`` at the start of each
    epoch (MATLAB's ``lambdak`` before that epoch's step).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.passes import ArrayAPIPasses
    >>> from bpforecast.nn.rules import ScaledConjugateGradient
    >>> from bpforecast.nn.loop import StopCriteria, run
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")   # linear
    >>> X = np.array([[0.0], [1.0], [2.0]]); Y = 2 * X + 1
    >>> (r,) = run(np.zeros((1, 2)), ArrayAPIPasses(arch, (X, Y)),
    ...            ScaledConjugateGradient(), StopCriteria(min_grad=1e-6))
    >>> r.stop_reason, r.n_epochs, np.round(r.theta, 6).tolist()
    ('min_grad', 3, [2.0, 1.0])
    """

    sigma: float = 5.0e-5
    lambda_: float = 5.0e-7

    def init(self, K: int) -> SCGState:
        """Fresh state for ``K`` networks; :meth:`settle` sets the direction."""
        nan = [math.nan] * K
        lam = [float(self.lambda_)] * K
        return SCGState(lam, [0.0] * K, nan, nan, nan, nan, [0] * K, lam, None, None)

    def rate(self, state: SCGState) -> list:
        """What the history's ``lr`` column records: ``lambdak``."""
        return state.rate

    def exhausted(self, state: SCGState) -> list:
        """Networks that cannot go on (never: MATLAB has no such stop)."""
        return [False] * len(state.rate)

    def linearize(self, passes, thetas):
        """The gradient ``(K, n_params)`` at ``thetas`` (after ``passes.perf``)."""
        return passes.gradient(thetas)

    @staticmethod
    def gradient_of(g):
        """The performance gradient held in :meth:`linearize`'s result."""
        return g

    def settle(self, state: SCGState, passes, thetas, g, accepted: list) -> SCGState:
        """The new direction and curvature at newly accepted weights.

        Called by the loop once the gradient ``g`` at the accepted weights
        (rows ``accepted``; all rows at the start) is known. May overwrite
        the passes' cached forward pass (the loop evaluates a trial next).
        """
        K = len(accepted)
        rows = [k for k in range(K) if accepted[k]]
        lambdak, deltak, muk = list(state.lambdak), list(state.deltak), list(state.muk)
        nrmsqr, rate = list(state.nrmsqr), list(state.rate)
        if state.d is None:
            d = -g
        else:
            n_params = g.shape[1]
            restart = [(state.epoch[k] - 1) % n_params == 0 for k in range(K)]
            if all(restart[k] for k in rows):
                d_new = -g
            else:
                gg = _row_dots(g, g)
                g_gold = _row_dots(g, state.g)
                beta = [
                    0.0 if restart[k] else _ieee_div(gg[k] - g_gold[k], muk[k])
                    for k in range(K)
                ]
                d_new = -g + per_row(beta, g) * state.d
                if any(restart[k] for k in rows):
                    d_new = where_rows(restart, -g, d_new)
            d = where_rows(accepted, d_new, state.d)
        new_nrmsqr = _row_dots(d, d)
        new_muk = [-v for v in _row_dots(d, g)]
        sigmak = []
        for k in range(K):
            if not accepted[k]:
                sigmak.append(1.0)
                continue
            nrmsqr[k], muk[k] = new_nrmsqr[k], new_muk[k]
            difk = state.difk[k]
            if state.d is not None and difk < 0.25 and nrmsqr[k] != 0:
                lambdak[k] += _ieee_div(deltak[k] * (1.0 - difk), nrmsqr[k])
            rate[k] = lambdak[k]
            sigmak.append(_ieee_div(self.sigma, math.sqrt(nrmsqr[k])))
        sub = rows if len(rows) < K else None
        d_sub = d if sub is None else _take(d, sub)
        g_sub = g if sub is None else _take(g, sub)
        th_sub = thetas if sub is None else _take(thetas, sub)
        s_sub = [sigmak[k] for k in rows]
        factor = per_row(s_sub, d_sub)
        g_sigma = passes.gradient_at(th_sub + factor * d_sub)
        curvature = _row_dots(d_sub, g_sigma - g_sub)
        for i, k in enumerate(rows):
            deltak[k] = _ieee_div(curvature[i], s_sub[i])
        return SCGState(
            lambdak,
            list(state.lambdab),
            deltak,
            muk,
            nrmsqr,
            list(state.difk),
            list(state.epoch),
            rate,
            d,
            where_rows(accepted, g, state.g) if state.g is not None else g,
        )

    def propose(self, state: SCGState, thetas, g) -> tuple[object, SCGState]:
        """Trial weights ``thetas + alphak d`` (steps 4-6 of MATLAB's epoch)."""
        K = len(state.rate)
        lambdak, lambdab = list(state.lambdak), list(state.lambdab)
        deltak, alphak = list(state.deltak), [0.0] * K
        for k in range(K):
            nrmsqr = state.nrmsqr[k]
            deltak[k] += (lambdak[k] - lambdab[k]) * nrmsqr
            if deltak[k] <= 0:
                lambdab[k] = 2.0 * (lambdak[k] - _ieee_div(deltak[k], nrmsqr))
                deltak[k] = -deltak[k] + lambdak[k] * nrmsqr
                lambdak[k] = lambdab[k]
            alphak[k] = _ieee_div(state.muk[k], deltak[k])
        trial = thetas + per_row(alphak, thetas) * state.d
        return trial, state._replace(lambdak=lambdak, lambdab=lambdab, deltak=deltak)

    def respond(
        self, state: SCGState, perf: list, perf2: list, searching: list | None = None
    ) -> tuple[list, list, SCGState]:
        """``(accept, retry, state)``: Møller's comparison parameter decides."""
        K = len(perf)
        searching = [True] * K if searching is None else searching
        lambdak, lambdab = list(state.lambdak), list(state.lambdab)
        difk, epoch, rate = list(state.difk), list(state.epoch), list(state.rate)
        accept = [False] * K
        for k in range(K):
            if not searching[k]:
                continue
            epoch[k] += 1
            deltak, muk, nrmsqr = state.deltak[k], state.muk[k], state.nrmsqr[k]
            if not math.isfinite(perf2[k]):
                difk[k] = 0.0  # rejected below; lambda rises as for difk = 0
                lambdab[k] = lambdak[k]
            else:
                difk[k] = _ieee_div(2.0 * deltak * (perf[k] - perf2[k]), muk * muk)
                if difk[k] >= 0:
                    accept[k] = True
                    lambdab[k] = 0.0
                    if difk[k] >= 0.75:
                        lambdak[k] *= 0.25
                    continue  # step 9 waits for the new direction (settle)
                lambdab[k] = lambdak[k]
            if difk[k] < 0.25 and nrmsqr != 0:
                lambdak[k] += _ieee_div(deltak * (1.0 - difk[k]), nrmsqr)
            rate[k] = lambdak[k]
        new = state._replace(
            lambdak=lambdak, lambdab=lambdab, difk=difk, epoch=epoch, rate=rate
        )
        return accept, [False] * K, new


class RPState(NamedTuple):
    """State of :class:`ResilientBackprop` for K networks.

    ``delta`` (the per-weight step sizes) and ``g_prev`` (the previous
    gradient) are ``(K, n_params)`` device arrays, None before the first
    step; ``mean`` holds each network's mean step size at the start of the
    epoch (device ``(K,)`` or a host list), what the history records.
    """

    delta: object
    g_prev: object
    mean: object

    def take(self, rows: list) -> RPState:
        """The state of the networks ``rows`` only."""
        if isinstance(self.mean, list):
            mean = [self.mean[i] for i in rows]
        else:
            mean = _take(self.mean, rows)
        return RPState(
            None if self.delta is None else _take(self.delta, rows),
            None if self.g_prev is None else _take(self.g_prev, rows),
            mean,
        )


@dataclass(frozen=True)
class ResilientBackprop:
    """MATLAB's trainrp: resilient back-propagation (Riedmiller & Braun 1993).

    MATLAB's rule (no weight-backtracking, no lower bound on the steps; at
    the first epoch the previous gradient is the current one, so the first
    steps are already ``delta0 * delt_inc``)::

        gg = g * g_prev                                   (elementwise)
        delta *= delt_inc where gg > 0, delt_dec where gg < 0, 1 where gg == 0
        delta = min(delta, deltamax)
        trial: x - delta * sign(g) ;  g_prev = g

    Every finite trial is kept (MATLAB keeps every step). A trial whose perf
    is not finite is rejected: its step sizes are multiplied by
    ``delt_dec`` and the stored gradient set to zero, so the next trial is
    the same move at half the size.

    The history's ``lr`` column records the mean step size at the start of
    each epoch (before that epoch's adaptation), ``delta0`` at epoch 0.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.rules import ResilientBackprop
    >>> rule = ResilientBackprop()
    >>> trial, state = rule.propose(rule.init(1), np.zeros((1, 2)),
    ...                             np.array([[0.5, -2.0]]))
    >>> np.round(trial, 3)
    array([[-0.084,  0.084]])
    """

    delt_inc: float = 1.2
    delt_dec: float = 0.5
    delta0: float = 0.07
    deltamax: float = 50.0

    def init(self, K: int) -> RPState:
        """Fresh state for ``K`` networks: every step size ``delta0``."""
        return RPState(None, None, [float(self.delta0)] * K)

    def rate(self, state: RPState) -> list:
        """What the history's ``lr`` column records: the mean step size."""
        if isinstance(state.mean, list):
            return state.mean
        return [float(v) for v in np.asarray(_host(state.mean)).tolist()]

    def exhausted(self, state: RPState) -> list:
        """Networks that cannot go on (never)."""
        return [False] * len(self.rate(state))

    def linearize(self, passes, thetas):
        """The gradient ``(K, n_params)`` at ``thetas`` (after ``passes.perf``)."""
        return passes.gradient(thetas)

    @staticmethod
    def gradient_of(g):
        """The performance gradient held in :meth:`linearize`'s result."""
        return g

    def propose(self, state: RPState, thetas, g) -> tuple[object, RPState]:
        """Adapt the step sizes and move every weight against its derivative."""
        xp = array_namespace(thetas)
        delta = state.delta
        if delta is None:
            delta = xp.full(
                g.shape, float(self.delta0), dtype=g.dtype, device=device(g)
            )
        g_prev = g if state.g_prev is None else state.g_prev
        gg = g * g_prev
        zero = xp.zeros_like(gg)
        factor = (
            xp.where(gg > 0, zero + self.delt_inc, zero)
            + xp.where(gg < 0, zero + self.delt_dec, zero)
            + xp.where(gg == 0, zero + 1.0, zero)
        )
        delta = xp.minimum(factor * delta, zero + self.deltamax)
        return thetas - delta * xp.sign(g), RPState(delta, g, state.mean)

    def respond(
        self, state: RPState, perf: list, perf2: list, searching: list | None = None
    ) -> tuple[list, list, RPState]:
        """``(accept, retry, state)``: keep every finite trial."""
        K = len(perf)
        searching = [True] * K if searching is None else searching
        accept = [bool(searching[k]) and math.isfinite(perf2[k]) for k in range(K)]
        delta, g_prev = state.delta, state.g_prev
        reject = [bool(searching[k]) and not accept[k] for k in range(K)]
        if any(reject):
            delta = where_rows(reject, delta * self.delt_dec, delta)
            g_prev = where_rows(reject, g_prev * 0.0, g_prev)
        xp = array_namespace(delta)
        mean = xp.mean(delta, axis=1)
        if isinstance(delta, np.ndarray):
            mean = mean.tolist()
        return accept, [False] * K, RPState(delta, g_prev, mean)
