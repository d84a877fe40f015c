"""Levenberg-Marquardt training (MATLAB's ``trainlm``): Jacobian and damped step.

:func:`jacobian` gives the derivatives of every network output (per sample
and output unit) with respect to the flat parameter vector, by
back-propagating from each output unit, and :class:`TrainLM` turns it into
MATLAB's damped Gauss-Newton step with the adaptive ``mu``.

The performance is MATLAB's ``mse`` plus the optional L2 term of
:mod:`bpforecast.nn.network`::

    perf(x) = sum(e**2) / (n * m) + alpha * sum(W**2) / n

with ``n`` samples, ``m`` outputs, ``e`` the flattened errors ``output -
target`` and ``W`` the weights (not the biases). Multiplied by ``n * m / 2``
this is ``F(x) = ||e||**2 / 2 + (alpha * m / 2) * x' D x``, with ``D`` the
0/1 diagonal that selects the weights; ``F`` has the same minimiser, its
gradient is ``J' e + alpha * m * D x`` and its Gauss-Newton Hessian is
``J' J + alpha * m * D``. The step solves::

    (J' J + alpha * m * D + mu * I) dx = -(J' e + alpha * m * D x)

and ``perf``'s gradient is ``2 / (n * m)`` times the right-hand side's
negation (:func:`perf_gradient`), which equals :func:`bpforecast.nn.network.gradient`.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.levenberg_marquardt import TrainLM, jacobian
>>> from bpforecast.nn.network import Architecture, forward, perf
>>> arch = Architecture.build(1, (), 1, "tansig", "purelin")   # y = w x + b
>>> X = np.array([[0.0], [1.0], [2.0]]); Y = np.array([[1.0], [3.0], [5.0]])
>>> theta = np.zeros(2)
>>> outputs = forward(theta, arch, X)
>>> J = jacobian(theta, arch, outputs)
>>> J
array([[0., 1.],
       [1., 1.],
       [2., 1.]])
>>> e = np.reshape(outputs[-1] - Y, (-1,))
>>> def evaluate(t):
...     return perf(t, arch, forward(t, arch, X)[-1], Y)
>>> step = TrainLM().step(J, e, theta, perf(theta, arch, outputs[-1], Y), evaluate)
>>> step.accepted, np.round(step.theta, 2)      # least squares: y = 2 x + 1
(True, array([2., 1.]))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from array_api_compat import array_namespace, device

from .network import Architecture
from .rules import MU_MIN, LevenbergMarquardt, LMState, lm_system

__all__ = [
    "MU_MIN",
    "LMStep",
    "TrainLM",
    "jacobian",
    "perf_gradient",
    "regularization_diagonal",
    "weight_mask",
]


def jacobian(theta, arch: Architecture, outputs: list):
    """Jacobian of the network outputs with respect to the parameters.

    Parameters
    ----------
    theta : array of shape (n_params,)
    arch : Architecture
    outputs : list of arrays
        The result of :func:`bpforecast.nn.network.forward` at ``theta`` (reused,
        not recomputed).

    Returns
    -------
    array of shape (n_samples * n_outputs, n_params)
        Row ``i * n_outputs + j`` holds the derivatives of output ``j`` of
        sample ``i``; the columns are laid out like ``theta``.

    Notes
    -----
    Back-propagation seeded at one output unit gives one row per sample; all
    output units are seeded at once, as ``n_samples * n_outputs`` rows of a
    single back-propagation, with no loop over samples or outputs.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.levenberg_marquardt import jacobian
    >>> from bpforecast.nn.network import Architecture, forward
    >>> arch = Architecture.build(2, (3,), 2, "tansig", "purelin")
    >>> theta = np.linspace(-1.0, 1.0, arch.n_params)
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    >>> jacobian(theta, arch, forward(theta, arch, X)).shape
    (6, 17)
    """
    xp = array_namespace(theta, outputs[-1])
    out = outputs[-1]
    n, m = out.shape
    layers = _layers(theta, arch)
    out_act = arch.activations[-1]
    # delta[i * m + j, k]: d output_j(sample i) / d net input k of the layer.
    eye = xp.eye(m, dtype=out.dtype, device=device(out))
    if out_act.name == "purelin":
        delta3 = xp.broadcast_to(eye[None, :, :], (n, m, m))
    else:
        delta3 = eye[None, :, :] * out_act.derivative(out)[:, None, :]
    delta = xp.reshape(delta3, (n * m, m))
    parts = []
    for i in range(len(layers) - 1, -1, -1):
        W = layers[i]
        a = outputs[i]
        n_in, n_out = W.shape
        delta3 = xp.reshape(delta, (n, m, n_out))
        grad_W = a[:, None, :, None] * delta3[:, :, None, :]  # (n, m, n_in, n_out)
        parts.append(delta)
        parts.append(xp.reshape(grad_W, (n * m, n_in * n_out)))
        if i > 0:
            back = delta * W[:, 0] if n_out == 1 else delta @ W.T
            deriv = arch.activations[i - 1].derivative(outputs[i])
            if m == 1:
                delta = back * deriv
            else:
                back3 = xp.reshape(back, (n, m, n_in))
                delta = xp.reshape(back3 * deriv[:, None, :], (n * m, n_in))
    parts.reverse()
    return xp.concat(parts, axis=1)


def _layers(theta, arch: Architecture) -> list:
    """Weight matrices only (the biases are not needed to back-propagate)."""
    xp = array_namespace(theta)
    layers, start = [], 0
    for n_in, n_out in arch.shapes:
        stop = start + n_in * n_out
        layers.append(xp.reshape(theta[start:stop], (n_in, n_out)))
        start = stop + n_out
    return layers


def weight_mask(arch: Architecture, like):
    """0/1 vector laid out like ``theta``: 1 for weights, 0 for biases.

    Parameters
    ----------
    arch : Architecture
    like : array
        Gives the namespace, dtype and device of the result.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.levenberg_marquardt import weight_mask
    >>> from bpforecast.nn.network import Architecture
    >>> weight_mask(Architecture.build(2, (), 1, "tansig", "purelin"), np.zeros(3))
    array([1., 1., 0.])
    """
    xp = array_namespace(like)
    parts = []
    kw = {"dtype": like.dtype, "device": device(like)}
    for n_in, n_out in arch.shapes:
        parts.append(xp.ones(n_in * n_out, **kw))
        parts.append(xp.zeros(n_out, **kw))
    return xp.concat(parts)


def regularization_diagonal(arch: Architecture, n_outputs: int, like):
    """The diagonal ``alpha * n_outputs * D`` of the penalty, or None if alpha = 0.

    This is the L2 term of :func:`bpforecast.nn.network.perf` in the scaling
    (``n * m / 2``) of the sum of squares that :class:`TrainLM` minimises.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.levenberg_marquardt import regularization_diagonal
    >>> from bpforecast.nn.network import Architecture
    >>> arch = Architecture.build(2, (), 1, "tansig", "purelin", alpha=0.5)
    >>> regularization_diagonal(arch, 2, np.zeros(3))
    array([1., 1., 0.])
    >>> regularization_diagonal(Architecture.build(2, (), 1, "tansig", "purelin"),
    ...                         1, np.zeros(3)) is None
    True
    """
    if arch.alpha <= 0:
        return None
    return (arch.alpha * n_outputs) * weight_mask(arch, like)


def perf_gradient(J, e, theta, reg=None):
    """Gradient of ``perf`` from the Jacobian: ``2 / (n m) (J' e + reg * theta)``.

    Equals :func:`bpforecast.nn.network.gradient` at the same weights.

    Parameters
    ----------
    J : array of shape (n_samples * n_outputs, n_params)
    e : array of shape (n_samples * n_outputs,)
        Errors ``output - target``, flattened sample-major like ``J``'s rows.
    theta : array of shape (n_params,)
    reg : array of shape (n_params,) or None
        :func:`regularization_diagonal`.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.levenberg_marquardt import perf_gradient
    >>> J = np.array([[1.0, 1.0], [2.0, 1.0]]); e = np.array([1.0, -1.0])
    >>> perf_gradient(J, e, np.zeros(2))
    array([-1.,  0.])
    """
    return (2.0 / J.shape[0]) * _rhs(J, e, theta, reg)


def _rhs(J, e, theta, reg):
    """``J' e + reg * theta``: the gradient of the scaled objective."""
    g = J.T @ e
    if reg is not None:
        g = g + reg * theta
    return g


@dataclass
class LMStep:
    """What :meth:`TrainLM.step` returns.

    Attributes
    ----------
    theta : array
        The accepted weights, or the unchanged ones when the epoch failed.
    perf : float
        Performance at ``theta``.
    accepted : bool
        False when ``mu`` rose past ``mu_max`` without a better trial.
    n_trials : int
        Trial weights evaluated (one per ``mu`` tried).
    n_nonfinite : int
        Trials whose performance was NaN or infinite.

    Examples
    --------
    >>> from bpforecast.nn.levenberg_marquardt import LMStep
    >>> LMStep(theta=None, perf=1.0, accepted=False).n_trials
    0
    """

    theta: object
    perf: float
    accepted: bool
    n_trials: int = 0
    n_nonfinite: int = 0


class TrainLM:
    """Levenberg-Marquardt's damped Gauss-Newton step (MATLAB ``trainlm``).

    Parameters
    ----------
    mu : float
        Initial damping.
    mu_dec : float
        Factor applied to ``mu`` after a step that lowered the performance.
    mu_inc : float
        Factor applied to ``mu`` after a trial that did not.
    mu_max : float
        Largest ``mu`` tried; beyond it the epoch fails and training stops.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.levenberg_marquardt import TrainLM
    >>> J = np.eye(2); e = np.array([1.0, -2.0])   # residuals r(x) = x - (-e)
    >>> def evaluate(x):
    ...     r = x - np.array([-1.0, 2.0])
    ...     return float(np.mean(r * r))
    >>> solver = TrainLM()
    >>> step = solver.step(J, e, np.zeros(2), evaluate(np.zeros(2)), evaluate)
    >>> step.accepted, np.round(step.theta, 3), solver.mu
    (True, array([-0.999,  1.998]), 0.0001)
    """

    def __init__(
        self,
        mu: float = 0.001,
        mu_dec: float = 0.1,
        mu_inc: float = 10.0,
        mu_max: float = 1e10,
    ) -> None:
        self.mu = float(mu)
        self.mu_dec = float(mu_dec)
        self.mu_inc = float(mu_inc)
        self.mu_max = float(mu_max)

    def step(
        self,
        J,
        e,
        theta,
        perf: float,
        evaluate: Callable[[object], float],
        reg=None,
    ) -> LMStep:
        """One epoch of MATLAB's inner loop: raise ``mu`` until a step helps.

        For ``mu`` from its current value, solve ``(J'J + diag(reg) + mu I) dx
        = -(J'e + reg * theta)``; if ``evaluate(theta + dx) < perf`` keep the
        step and multiply ``mu`` by ``mu_dec`` (not below 1e-20), otherwise
        multiply ``mu`` by ``mu_inc`` and try again while ``mu <= mu_max``.

        Parameters
        ----------
        J : array of shape (n_samples * n_outputs, n_params)
            :func:`jacobian` at ``theta``.
        e : array of shape (n_samples * n_outputs,)
            Errors ``output - target`` flattened sample-major.
        theta : array of shape (n_params,)
        perf : float
            Performance at ``theta``.
        evaluate : callable
            ``evaluate(theta2)`` returns the performance at ``theta2``. The
            last call made is always at the returned ``theta`` when the step is
            accepted, so a caller may cache what it computed there.
        reg : array of shape (n_params,) or None
            :func:`regularization_diagonal` when the L2 penalty is on.

        Returns
        -------
        LMStep

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast.nn.levenberg_marquardt import TrainLM
        >>> solver = TrainLM(mu=1.0, mu_max=100.0)
        >>> worse = solver.step(np.eye(1), np.array([1.0]), np.zeros(1), 0.0,
        ...                     lambda x: 1.0)
        >>> worse.accepted, worse.n_trials, solver.mu
        (False, 3, 1000.0)
        """
        rule = self.rule()
        state = LMState([self.mu])
        system = lm_system(J[None, ...], e[None, ...], theta[None, ...], reg)
        thetas = theta[None, ...]
        n_trials = n_nonfinite = 0
        searching = self.mu <= self.mu_max
        while searching:
            trial, state = rule.propose(state, thetas, system)
            n_trials += 1
            xp = array_namespace(trial)
            perf2 = math.nan  # a singular system: no trial to evaluate
            if bool(xp.all(xp.isfinite(trial))):
                perf2 = float(evaluate(trial[0, ...]))
            n_nonfinite += not math.isfinite(perf2)
            accept, retry, state = rule.respond(state, [float(perf)], [perf2])
            self.mu, searching = state.mu[0], retry[0]
            if accept[0]:
                return LMStep(trial[0, ...], perf2, True, n_trials, n_nonfinite)
        return LMStep(theta, perf, False, n_trials, n_nonfinite)

    def rule(self) -> LevenbergMarquardt:
        """The rule these parameters describe (with the current ``mu``).

        Examples
        --------
        >>> from bpforecast.nn.levenberg_marquardt import TrainLM
        >>> TrainLM(mu=0.5).rule().mu
        0.5
        """
        return LevenbergMarquardt(self.mu, self.mu_dec, self.mu_inc, self.mu_max)
