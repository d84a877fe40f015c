"""Gradient-descent training functions: MATLAB's traingd, traingdm, traingda, traingdx.

Each solver is a small object that names a rule and carries its parameters
(what the estimators and the MATLAB layer pass around); :meth:`TrainGD.rule`
gives the rule itself, :class:`bpforecast.nn.rules.GradientDescent`, which
the epoch loop runs for one network or K. :meth:`~TrainGD.propose` and
:meth:`~TrainGD.respond` apply that same rule to one network step by step,
keeping its state in the object (the rule is not written twice).

The traingdx rule, from the MATLAB toolbox's code (not the documentation
page, which prints the momentum term without the ``1 - mc`` factor)::

    first step:         dX = lr * (-g)
    every later epoch:  dX = mc * dX + (1 - mc) * lr * (-g)
    trial weights:      X2 = X + dX ;  perf2 = perf(X2)
    if perf2 / perf > max_perf_inc:   reject: keep X, lr *= lr_dec, momentum reset
    else:                             accept: X = X2; if perf2 < perf: lr *= lr_inc

traingd is the first line only (fixed lr, every step kept), traingdm adds
momentum, traingda adds the adaptive rule without momentum. A trial step
whose performance is NaN or infinite is rejected by every solver (lr falls
by ``lr_dec``), so training never continues from non-finite weights.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.solvers import TrainGDX
>>> solver = TrainGDX(lr=0.1)
>>> solver.propose(np.array([1.0, -2.0]))
array([ 0.1, -0.2])
>>> solver.respond(perf=1.0, perf2=0.5)      # better: kept, lr grows
True
>>> round(solver.lr, 3)
0.105
>>> solver.respond(perf=0.5, perf2=0.6)      # 20 % worse: rejected, lr falls
False
>>> round(solver.lr, 4)
0.0735
"""

from __future__ import annotations

from .rules import (
    GDState,
    GradientDescent,
    ResilientBackprop,
    ScaledConjugateGradient,
)


class TrainGD:
    """Gradient descent with a fixed learning rate (MATLAB ``traingd``).

    Parameters
    ----------
    lr : float
        Learning rate.
    mc : float
        Momentum constant (used by the momentum solvers).
    lr_inc, lr_dec : float
        Learning-rate increase and decrease factors (adaptive solvers).
    max_perf_inc : float
        Largest ratio ``perf2 / perf`` that an adaptive solver accepts.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.solvers import TrainGD
    >>> TrainGD(lr=0.5).propose(np.array([2.0]))
    array([1.])
    """

    momentum = False
    adaptive = False

    def __init__(
        self,
        lr: float = 0.01,
        mc: float = 0.9,
        lr_inc: float = 1.05,
        lr_dec: float = 0.7,
        max_perf_inc: float = 1.04,
    ) -> None:
        self.lr = float(lr)
        self.mc = float(mc)
        self.lr_inc = float(lr_inc)
        self.lr_dec = float(lr_dec)
        self.max_perf_inc = float(max_perf_inc)
        self._dX = None  # previous step; None means "no momentum memory"

    def rule(self) -> GradientDescent:
        """The rule these parameters describe (with the current ``lr``).

        Examples
        --------
        >>> from bpforecast.nn.solvers import TrainGDX
        >>> TrainGDX(lr=0.5).rule().lr
        0.5
        """
        return GradientDescent(
            lr=self.lr,
            mc=self.mc,
            lr_inc=self.lr_inc,
            lr_dec=self.lr_dec,
            max_perf_inc=self.max_perf_inc,
            momentum=self.momentum,
            adaptive=self.adaptive,
        )

    def _state(self) -> GDState:
        dX = None if self._dX is None else self._dX[None, ...]
        return GDState([self.lr], dX, [self._dX is not None])

    def _store(self, state: GDState) -> None:
        self.lr = float(state.lr[0])
        memory = state.dX is not None and state.memory[0]
        self._dX = state.dX[0, ...] if memory else None

    def propose(self, neg_gradient):
        """The next step ``dX`` from the negative gradient ``-g``."""
        g = -neg_gradient[None, ...]
        zero = 0.0 * g
        trial, state = self.rule().propose(self._state(), zero, g)
        self._store(state)
        return trial[0, ...]

    def respond(self, perf: float, perf2: float) -> bool:
        """Keep (True) or reject (False) the trial step that moved perf to perf2."""
        accept, _, state = self.rule().respond(
            self._state(), [float(perf)], [float(perf2)]
        )
        self._store(state)
        return accept[0]


class TrainGDM(TrainGD):
    """Gradient descent with momentum (MATLAB ``traingdm``): fixed lr.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.solvers import TrainGDM
    >>> s = TrainGDM(lr=1.0, mc=0.5)
    >>> s.propose(np.array([1.0])), s.propose(np.array([0.0]))
    (array([1.]), array([0.5]))
    """

    momentum = True


class TrainGDA(TrainGD):
    """Gradient descent with adaptive learning rate (MATLAB ``traingda``).

    Examples
    --------
    >>> from bpforecast.nn.solvers import TrainGDA
    >>> s = TrainGDA(lr=1.0)
    >>> s.respond(1.0, 2.0), s.lr
    (False, 0.7)
    """

    adaptive = True


class TrainGDX(TrainGD):
    """Momentum and adaptive learning rate (MATLAB ``traingdx``, the default).

    Examples
    --------
    >>> from bpforecast.nn.solvers import TrainGDX
    >>> s = TrainGDX(lr=1.0)
    >>> s.respond(1.0, 1.03), s.lr        # within max_perf_inc: kept, lr unchanged
    (True, 1.0)
    """

    momentum = True
    adaptive = True


SOLVERS: dict[str, type[TrainGD]] = {
    "traingd": TrainGD,
    "traingdm": TrainGDM,
    "traingda": TrainGDA,
    "traingdx": TrainGDX,
}


class TrainSCG:
    """Scaled conjugate gradient (MATLAB ``trainscg``, Møller 1993).

    Full batch only. The rule is :class:`bpforecast.nn.rules.ScaledConjugateGradient`;
    the history's ``lr`` column records ``lambdak``.

    Parameters
    ----------
    sigma : float, default=5e-5
        Step of the finite difference of gradients along the direction.
    lambda_ : float, default=5e-7
        Initial scale of the curvature (MATLAB's ``trainParam.lambda``).

    Examples
    --------
    >>> from bpforecast.nn.solvers import TrainSCG
    >>> TrainSCG().rule()
    ScaledConjugateGradient(sigma=5e-05, lambda_=5e-07)
    """

    name = "trainscg"
    full_batch_only = True

    def __init__(self, sigma: float = 5.0e-5, lambda_: float = 5.0e-7) -> None:
        self.sigma = float(sigma)
        self.lambda_ = float(lambda_)

    def rule(self) -> ScaledConjugateGradient:
        """The rule these parameters describe."""
        return ScaledConjugateGradient(sigma=self.sigma, lambda_=self.lambda_)


class TrainRP:
    """Resilient back-propagation (MATLAB ``trainrp``, Riedmiller & Braun 1993).

    Full batch only. The rule is :class:`bpforecast.nn.rules.ResilientBackprop`;
    the history's ``lr`` column records the mean step size.

    Parameters
    ----------
    delt_inc, delt_dec : float, default=1.2, 0.5
        Step-size factors after a derivative kept / changed its sign.
    delta0 : float, default=0.07
        Initial step size of every weight.
    deltamax : float, default=50
        Largest step size.

    Examples
    --------
    >>> from bpforecast.nn.solvers import TrainRP
    >>> TrainRP(delta0=0.1).rule().delta0
    0.1
    """

    name = "trainrp"
    full_batch_only = True

    def __init__(
        self,
        delt_inc: float = 1.2,
        delt_dec: float = 0.5,
        delta0: float = 0.07,
        deltamax: float = 50.0,
    ) -> None:
        self.delt_inc = float(delt_inc)
        self.delt_dec = float(delt_dec)
        self.delta0 = float(delta0)
        self.deltamax = float(deltamax)

    def rule(self) -> ResilientBackprop:
        """The rule these parameters describe."""
        return ResilientBackprop(
            delt_inc=self.delt_inc,
            delt_dec=self.delt_dec,
            delta0=self.delta0,
            deltamax=self.deltamax,
        )


#: MATLAB's documented defaults of the stopping parameters that differ per
#: training function (``net.trainParam``): min_grad, max_fail, mu.
MATLAB_DEFAULTS: dict[str, dict] = {
    "traingd": {"min_grad": 1e-5, "max_fail": 6},
    "traingdm": {"min_grad": 1e-5, "max_fail": 6},
    "traingda": {"min_grad": 1e-5, "max_fail": 6},
    "traingdx": {"min_grad": 1e-5, "max_fail": 6},
    "trainlm": {"min_grad": 1e-7, "max_fail": 6, "mu": 0.001},
    "trainbr": {"min_grad": 1e-7, "max_fail": 0, "mu": 0.005},
    "trainscg": {"min_grad": 1e-6, "max_fail": 6},
    "trainrp": {"min_grad": 1e-5, "max_fail": 6},
}

#: Every training function name (``solver`` / ``trainFcn``).
SOLVER_NAMES = (*SOLVERS, "trainlm", "trainbr", "trainscg", "trainrp")
