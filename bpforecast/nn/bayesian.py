"""Bayesian regularisation (MATLAB's ``trainbr``): a rule of the training core.

Design
------
:class:`BayesianRegularization` is MATLAB's trainbr for ``K`` networks at
once (``K = 1`` for one fit, ``K > 1`` for stacked restarts: the same code).
It is Levenberg-Marquardt on the objective::

    F(x) = beta * E_D(x) + alpha * E_W(x)

(``E_D`` the sum of squared errors, ``E_W = x'x`` the sum of squared weights
*and biases*), with ``alpha`` and ``beta`` re-estimated after every epoch
from ``gamma``, the effective number of parameters (MacKay 1992, Foresee &
Hagan 1997). It composes :class:`~bpforecast.nn.rules.LevenbergMarquardt`
rather than copying it:

* the linear system comes from :func:`~bpforecast.nn.rules.lm_system`
  (``J'J``, ``J'e``), rescaled to MATLAB's mean scale ``jj = J'J / N``,
  ``je = J'e / N`` (``N`` = number of errors) and shifted by the prior:
  ``A = beta_m jj + alpha I``, ``rhs = -(beta_m je + alpha x)``;
* :meth:`LevenbergMarquardt.propose <bpforecast.nn.rules.LevenbergMarquardt.propose>`
  adds ``mu I`` and solves (batched), so the step is MATLAB's
  ``dX = -(beta_m jj + (mu + alpha) I) \\ (beta_m je + alpha X)``;
* :meth:`LevenbergMarquardt.respond <bpforecast.nn.rules.LevenbergMarquardt.respond>`
  decides on ``F`` instead of the mse: a trial is kept when ``F2 < F`` and
  ``F2`` is finite (``mu *= mu_dec``, not below 1e-20), otherwise ``mu *=
  mu_inc`` and the epoch tries again while ``mu <= mu_max``;
* ``LevenbergMarquardt.exhausted`` gives MATLAB's "Maximum MU reached" stop
  (``'mu_max'``).

Here ``beta_m = N * beta`` is MATLAB's mean-scale beta (its code works with
the mse); the history's ``beta`` column is the sum-scale ``beta`` of the
formula above. After an epoch whose step was kept, at the new weights and
with the *old* ``alpha`` and ``beta_m``::

    gamma  = N_w - alpha * trace(inv(beta_m jj + alpha I))
    alpha  = gamma / (2 E_W)              (1 if E_W == 0)
    beta_m = (N - gamma) / (2 mse)        (1 if mse == 0)

This re-estimation needs the rule's state *and* the new linearisation; the
loop hands both only to :meth:`~BayesianRegularization.propose` (at the
start of the next epoch) and to :meth:`~BayesianRegularization.record`, so
it happens in whichever comes first (:meth:`_settled`, a pure function of
the two). The loop's ``perf`` stays the mse: the stopping tests ``goal`` and
``min_grad`` apply to the mse and its gradient, as in MATLAB.

The per-epoch record gets four columns besides the loop's own
(:attr:`~BayesianRegularization.extra_columns`): ``gamma``, ``alpha``,
``beta`` (sum scale) and ``ssX`` (``E_W``); ``lr`` holds ``mu``.

See ``docs/algorithms/bayesian-regularization.md`` for the choices made.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture
>>> from bpforecast.nn.bayesian import TrainBR
>>> from bpforecast.nn.training import StopCriteria, train
>>> arch = Architecture.build(1, (), 1, "tansig", "purelin")     # y = w x + b
>>> X = np.linspace(-1.0, 1.0, 9)[:, None]; Y = 2.0 * X + 1.0
>>> r = train(np.array([0.5, 0.0]), arch, (X, Y), TrainBR(),
...           StopCriteria(epochs=50, min_grad=1e-7, max_fail=0))
>>> r.stop_reason, sorted(r.history)[:3]
('min_grad', ['alpha', 'beta', 'gamma'])
>>> round(r.history["gamma"][-1], 3)          # both parameters count
2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from array_api_compat import array_namespace, device

from ._array_api import to_numpy
from .record import TRAINBR_COLUMNS
from .rules import (
    LevenbergMarquardt,
    LMState,
    LMSystem,
    _take,
    lm_system,
    per_row,
    where_rows,
)

__all__ = ["BRState", "BRSystem", "BayesianRegularization", "TrainBR"]

#: The rule's own per-epoch history columns (besides the loop's).
BR_COLUMNS = TRAINBR_COLUMNS

#: MATLAB's trainbr stopping defaults (``StopCriteria`` fields): no
#: validation stop (``max_fail = 0``: give no validation block).
TRAINBR_CRITERIA = {"epochs": 1000, "goal": 0.0, "min_grad": 1e-7, "max_fail": 0}


def check_mu_parameters(mu, mu_dec, mu_inc, mu_max) -> None:
    """Raise a ``ValueError`` naming the first bad Levenberg-Marquardt parameter.

    Examples
    --------
    >>> from bpforecast.nn.bayesian import check_mu_parameters
    >>> check_mu_parameters(0.005, 1.5, 10.0, 1e10)
    Traceback (most recent call last):
    ...
    ValueError: mu_dec must be in (0, 1); got 1.5.
    """
    checks = (
        ("mu", mu, lambda v: v > 0, "must be > 0"),
        ("mu_dec", mu_dec, lambda v: 0 < v < 1, "must be in (0, 1)"),
        ("mu_inc", mu_inc, lambda v: v > 1, "must be > 1"),
        ("mu_max", mu_max, lambda v: v > 0, "must be > 0"),
    )
    for name, value, ok, rule in checks:
        try:
            good = math.isfinite(float(value)) or name == "mu_max"
            good = good and ok(float(value)) and not math.isnan(float(value))
        except (TypeError, ValueError):
            good = False
        if not good:
            raise ValueError(f"{name} {rule}; got {value!r}.")


class BRSystem(NamedTuple):
    """The linearisation of K networks at their current weights (mean scale).

    Attributes
    ----------
    jj : array (K, p, p)
        ``J'J / N``.
    je : array (K, p, 1)
        ``J'e / N``.
    g : array (K, p)
        The mse gradient ``2 J'e / N`` (the loop's ``gradient`` column and
        ``min_grad`` test).
    mse, ssX : array (K,)
        ``E_D / N`` and ``x'x`` at these weights.
    n_errors : int
        ``N``, samples times outputs.
    """

    jj: object
    je: object
    g: object
    mse: object
    ssX: object
    n_errors: int

    def take(self, rows: list) -> BRSystem:
        """The systems of the networks ``rows`` only."""
        return BRSystem(*(_take(a, rows) for a in self[:5]), self.n_errors)

    def where(self, mask: list, other: BRSystem) -> BRSystem:
        """Rows of ``self`` where ``mask``, else of ``other``."""
        rows = (
            where_rows(mask, a, b) for a, b in zip(self[:5], other[:5], strict=True)
        )
        return BRSystem(*rows, self.n_errors)


class BRState(NamedTuple):
    """State of :class:`BayesianRegularization` for K networks (host lists).

    Attributes
    ----------
    mu, alpha, beta, gamma, ssX, F : list of float
        Per network; ``beta`` is MATLAB's mean-scale ``beta_m``, ``F`` the
        objective ``beta_m * mse + alpha * ssX`` at the current weights.
    stage : list of str
        ``'init'`` (no alpha/beta yet), ``'update'`` (a step was kept: alpha,
        beta, gamma are due for re-estimation at the new weights) or ``''``.
    retrying : bool
        The last :meth:`~BayesianRegularization.respond` asked for another
        trial within the same epoch.
    trial_ss : array (K,) or None
        ``x'x`` of the last trial weights, on their device.
    n_errors : int
        ``N`` (samples times outputs); 0 before the first estimate.
    """

    mu: list
    alpha: list
    beta: list
    gamma: list
    ssX: list
    F: list
    stage: list
    retrying: bool = False
    trial_ss: object = None
    n_errors: int = 0

    def take(self, rows: list) -> BRState:
        """The state of the networks ``rows`` only."""
        lists = [[v[i] for i in rows] for v in self[:7]]
        trial_ss = None if self.trial_ss is None else _take(self.trial_ss, rows)
        return BRState(*lists, self.retrying, trial_ss, self.n_errors)


def _row_dots(a, xp):
    """``a[k] @ a[k]`` per row of ``a`` (K, p): one dot per row, as for K = 1."""
    return xp.stack([a[k, ...] @ a[k, ...] for k in range(a.shape[0])])


def _trace_inv(H, xp):
    """``trace(inv(H[k]))`` per network, ``inf`` where ``H[k]`` is singular."""
    try:
        return xp.linalg.trace(xp.linalg.inv(H))
    except (ArithmeticError, ValueError, RuntimeError):
        out = []
        for k in range(H.shape[0]):
            try:
                out.append(float(xp.linalg.trace(xp.linalg.inv(H[k, ...]))))
            except (ArithmeticError, ValueError, RuntimeError):
                out.append(math.inf)
        return xp.asarray(out, dtype=H.dtype, device=device(H))


def _host(values) -> list:
    """Floats of a device array ``(K,)`` or ``(c, K)`` (one transfer)."""
    return np.asarray(to_numpy(values), dtype=np.float64).tolist()


@dataclass(frozen=True)
class BayesianRegularization:
    """MATLAB's trainbr for K networks: Levenberg-Marquardt on ``beta E_D + alpha E_W``.

    Parameters
    ----------
    mu, mu_dec, mu_inc, mu_max : float
        As in MATLAB's ``trainParam`` (defaults 0.005, 0.1, 10, 1e10).

    Raises
    ------
    ValueError
        Naming the parameter, for ``mu <= 0``, ``mu_dec`` outside (0, 1),
        ``mu_inc <= 1`` or ``mu_max <= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.bayesian import BayesianRegularization
    >>> rule = BayesianRegularization()
    >>> rule.init(2).mu, rule.extra_columns
    ([0.005, 0.005], ('gamma', 'alpha', 'beta', 'ssX'))
    >>> BayesianRegularization(mu=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: mu must be > 0; got -1.0.
    """

    mu: float = 0.005
    mu_dec: float = 0.1
    mu_inc: float = 10.0
    mu_max: float = 1e10

    name = "trainbr"
    #: The rule needs the Jacobian: full batch, generic passes only.
    needs_jacobian = True
    #: Its per-epoch history columns, filled by :meth:`record`.
    extra_columns = BR_COLUMNS

    def __post_init__(self) -> None:
        check_mu_parameters(self.mu, self.mu_dec, self.mu_inc, self.mu_max)

    @property
    def lm(self) -> LevenbergMarquardt:
        """The Levenberg-Marquardt rule that solves and decides (on ``F``)."""
        return LevenbergMarquardt(self.mu, self.mu_dec, self.mu_inc, self.mu_max)

    # -- the rule protocol of bpforecast.nn.loop -------------------------------

    def init(self, K: int) -> BRState:
        """Fresh state for ``K`` networks: ``mu`` from ``mu``, alpha/beta to come."""
        nan = [math.nan] * K
        return BRState([float(self.mu)] * K, nan, nan, nan, nan, nan, ["init"] * K)

    def rate(self, state: BRState) -> list:
        """What the history's ``lr`` column records: ``mu``."""
        return state.mu

    def exhausted(self, state: BRState) -> list:
        """Networks whose ``mu`` reached ``mu_max`` ("Maximum MU reached")."""
        return self.lm.exhausted(LMState(state.mu))

    def linearize(self, passes, thetas) -> BRSystem:
        """The :class:`BRSystem` at ``thetas`` (after ``passes.perf(thetas)``).

        Raises
        ------
        ValueError
            If the architecture has a fixed L2 penalty (``alpha > 0``):
            trainbr estimates its own.
        """
        if passes.regularization(thetas) is not None:
            raise ValueError(
                "trainbr estimates its own weight penalty: the fixed L2 "
                "penalty alpha must be 0 with solver='trainbr'."
            )
        xp = array_namespace(thetas)
        J, e = passes.jacobian(thetas)
        N = J.shape[1]
        system = lm_system(J, e, thetas)  # A = J'J, rhs = -J'e, g = 2 J'e / N
        return BRSystem(
            system.A / N,
            -system.rhs / N,
            system.g,
            _row_dots(e, xp) / N,
            _row_dots(thetas, xp),
            N,
        )

    @staticmethod
    def gradient_of(system: BRSystem):
        """The mse gradient held in the system (MATLAB's ``min_grad`` test)."""
        return system.g

    def propose(self, state: BRState, thetas, system: BRSystem):
        """Trial weights ``thetas + dX`` (NaN rows where the solve failed).

        At the start of an epoch this first settles alpha, beta and gamma
        (:meth:`_settled`); trials within an epoch (``retrying``) do not.
        """
        if not state.retrying:
            state = self._settled(state, system)
        xp = array_namespace(thetas)
        K, p = thetas.shape
        eye = xp.eye(p, dtype=system.jj.dtype, device=device(system.jj))
        beta3 = per_row(state.beta, system.jj, ndim=3)
        alpha3 = per_row(state.alpha, system.jj, ndim=3)
        x3 = xp.reshape(thetas, (K, p, 1))
        shifted = LMSystem(
            beta3 * system.jj + alpha3 * eye,
            -(beta3 * system.je + alpha3 * x3),
            system.g,
        )
        trial, _ = self.lm.propose(LMState(state.mu), thetas, shifted)
        return trial, state._replace(trial_ss=_row_dots(trial, xp))

    def respond(
        self, state: BRState, perf: list, perf2: list, searching: list | None = None
    ) -> tuple[list, list, BRState]:
        """``(accept, retry, state)``: keep trials that lower ``F``, else raise ``mu``.

        ``perf``/``perf2`` are the mse at the current and trial weights;
        ``F2 = beta_m * perf2 + alpha * x2'x2`` is compared with the state's
        ``F``. A non-finite ``F2`` is rejected.
        """
        K = len(perf2)
        searching = [True] * K if searching is None else searching
        ss2 = _host(state.trial_ss)
        F2 = [
            state.beta[k] * perf2[k] + state.alpha[k] * ss2[k]
            if searching[k]
            else math.nan
            for k in range(K)
        ]
        accept, retry, lm_state = self.lm.respond(
            LMState(state.mu), state.F, F2, searching
        )
        ssX, F, stage = list(state.ssX), list(state.F), list(state.stage)
        for k in range(K):
            if accept[k]:
                ssX[k], F[k], stage[k] = ss2[k], F2[k], "update"
        state = state._replace(
            mu=lm_state.mu, ssX=ssX, F=F, stage=stage, retrying=any(retry)
        )
        return accept, retry, state

    def record(self, state: BRState, system: BRSystem) -> dict:
        """This epoch's :attr:`extra_columns`, one list of K floats each.

        ``beta`` is the sum-scale beta (``beta_m / N``); ``ssX`` is ``E_W``.
        """
        state = self._settled(state, system)
        N = system.n_errors
        return {
            "gamma": list(state.gamma),
            "alpha": list(state.alpha),
            "beta": [b / N for b in state.beta],
            "ssX": list(state.ssX),
        }

    # -- the Bayesian re-estimation ------------------------------------------

    def _settled(self, state: BRState, system: BRSystem) -> BRState:
        """The state with alpha, beta, gamma estimated where they are due.

        ``'init'`` rows (MATLAB's start): ``gamma = N_w``, ``beta_m = (N -
        N_w) / (2 mse)`` (1 if that is not positive or mse == 0), ``alpha =
        N_w / (2 x'x)``. ``'update'`` rows (a step was kept): the formulas of
        the module docstring, with the old alpha and beta_m. Pure: the same
        inputs give the same state.
        """
        stage = state.stage
        if not any(stage):
            return state
        xp = array_namespace(system.jj)
        K, p, _ = system.jj.shape
        N = system.n_errors
        updating = "update" in stage
        stats = [system.mse, system.ssX]
        if updating:
            eye = xp.eye(p, dtype=system.jj.dtype, device=device(system.jj))
            alpha0 = [0.0 if math.isnan(a) else a for a in state.alpha]
            beta0 = [0.0 if math.isnan(b) else b for b in state.beta]
            H = (
                per_row(beta0, system.jj, ndim=3) * system.jj
                + per_row(alpha0, system.jj, ndim=3) * eye
            )
            stats.append(_trace_inv(H, xp))
        host = _host(xp.stack(stats))
        mse, ssX = host[0], host[1]
        Nw = float(p)
        alpha, beta, gamma, F = (list(v) for v in state[1:4] + (state.F,))
        ss = list(state.ssX)
        for k in range(K):
            if stage[k] == "init":
                g = Nw
                b = 1.0 if mse[k] == 0 else (N - g) / (2.0 * mse[k])
                if b <= 0:
                    b = 1.0
                a = 1.0 if ssX[k] == 0 else g / (2.0 * ssX[k])
            elif stage[k] == "update":
                g = Nw - state.alpha[k] * host[2][k]
                a = 1.0 if ssX[k] == 0 else g / (2.0 * ssX[k])
                b = 1.0 if mse[k] == 0 else (N - g) / (2.0 * mse[k])
            else:
                continue
            gamma[k], alpha[k], beta[k], ss[k] = g, a, b, ssX[k]
            F[k] = b * mse[k] + a * ssX[k]
        return state._replace(
            alpha=alpha,
            beta=beta,
            gamma=gamma,
            ssX=ss,
            F=F,
            stage=[""] * K,
            n_errors=N,
        )


class TrainBR:
    """MATLAB's ``trainbr`` parameters; :meth:`rule` gives the rule.

    Parameters
    ----------
    mu : float, default 0.005
        Initial Levenberg-Marquardt damping.
    mu_dec, mu_inc : float, default 0.1, 10
        Factors applied to ``mu`` after a kept / a rejected trial.
    mu_max : float, default 1e10
        ``mu`` at which training stops (``'mu_max'``).

    MATLAB's other trainbr defaults are stopping criteria
    (:data:`TRAINBR_CRITERIA`: epochs 1000, goal 0, min_grad 1e-7, max_fail
    0, i.e. no validation block).

    Raises
    ------
    ValueError
        Naming the parameter, for ``mu <= 0``, ``mu_dec`` outside (0, 1),
        ``mu_inc <= 1`` or ``mu_max <= 0``.

    Examples
    --------
    >>> from bpforecast.nn.bayesian import TrainBR
    >>> TrainBR().rule()
    BayesianRegularization(mu=0.005, mu_dec=0.1, mu_inc=10.0, mu_max=10000000000.0)
    >>> TrainBR(mu_inc=0.5)
    Traceback (most recent call last):
    ...
    ValueError: mu_inc must be > 1; got 0.5.
    """

    def __init__(
        self,
        mu: float = 0.005,
        mu_dec: float = 0.1,
        mu_inc: float = 10.0,
        mu_max: float = 1e10,
    ) -> None:
        check_mu_parameters(mu, mu_dec, mu_inc, mu_max)
        self.mu = float(mu)
        self.mu_dec = float(mu_dec)
        self.mu_inc = float(mu_inc)
        self.mu_max = float(mu_max)

    def __repr__(self) -> str:
        return (
            f"TrainBR(mu={self.mu!r}, mu_dec={self.mu_dec!r}, "
            f"mu_inc={self.mu_inc!r}, mu_max={self.mu_max!r})"
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, TrainBR) and vars(self) == vars(other)

    __hash__ = None  # mutable, like TrainLM

    def rule(self) -> BayesianRegularization:
        """The rule these parameters describe.

        Examples
        --------
        >>> from bpforecast.nn.bayesian import TrainBR
        >>> TrainBR(mu=0.5).rule().mu
        0.5
        """
        return BayesianRegularization(self.mu, self.mu_dec, self.mu_inc, self.mu_max)
