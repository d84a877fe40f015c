"""The training loop: epochs, stopping criteria, validation checks and the record.

:func:`train` is MATLAB's ``train`` for the gradient-descent family and for
Levenberg-Marquardt (``trainlm``, full batch only). It holds no estimator
state: it takes a starting parameter vector, the network's architecture, the
data blocks and a solver, and returns a
:class:`TrainingResult`. One epoch is one update attempt (full batch) or one
pass over the mini-batches.

Per epoch ``k = 0, 1, ...`` it (1) updates the validation bookkeeping for the
current weights, (2) records ``perf, vperf, tperf, lr, gradient, val_fail``,
(3) checks the stopping criteria in MATLAB's order and (4) attempts a step.
``val_fail`` counts the epochs since the validation error last reached a new
minimum, as in MATLAB (epochs where it stays level do not count), and the
weights with the lowest validation error are returned. Without a validation
block the final weights are returned.

The history has the same columns for every solver. For trainlm the ``lr``
column holds ``mu`` (MATLAB's plottrainstate shows lr or mu in the same
place), and one epoch is one Levenberg-Marquardt iteration, however many
values of ``mu`` it tried; training also stops with ``'mu_max'`` when ``mu``
reaches ``mu_max`` (checked after ``min_grad``, before ``max_fail``, as in
MATLAB).

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture
>>> from bpforecast.nn.solvers import TrainGDX
>>> from bpforecast.nn.training import StopCriteria, train
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(50, 2)); Y = X[:, :1] - X[:, 1:]
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> result = train(rng.normal(size=arch.n_params) * 0.5, arch, (X, Y),
...                solver=TrainGDX(lr=0.05), criteria=StopCriteria(epochs=200))
>>> result.stop_reason, len(result.history["perf"])
('epochs', 201)
>>> result.history["perf"][-1] < result.history["perf"][0]
True
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from array_api_compat import array_namespace

from ._array_api import to_numpy
from .feature_major import FeatureMajorPasses
from .levenberg_marquardt import (
    TrainLM,
    jacobian,
    perf_gradient,
    regularization_diagonal,
)
from .network import (
    Architecture,
    forward,
    gradient,
    mse_device,
    perf,
    perf_device,
    release_workspace,
)
from .solvers import TrainGD

HISTORY_COLUMNS = ("perf", "vperf", "tperf", "lr", "gradient", "val_fail")
STOP_REASONS = ("epochs", "goal", "min_grad", "mu_max", "max_fail", "time", "user")


@dataclass(frozen=True)
class StopCriteria:
    """When to stop: MATLAB's ``epochs, goal, min_grad, max_fail, time``.

    Examples
    --------
    >>> from bpforecast.nn.training import StopCriteria
    >>> StopCriteria(epochs=10).max_fail
    6
    """

    epochs: int = 1000
    goal: float = 0.0
    min_grad: float = 1e-5
    max_fail: int = 6
    max_time: float | None = None


@dataclass
class TrainingResult:
    """What :func:`train` returns.

    Attributes
    ----------
    theta : array
        The returned weights: lowest validation error, or the last ones.
    history : dict of list
        Per-epoch record, keys :data:`HISTORY_COLUMNS` (``lr`` holds ``mu``
        for trainlm).
    best_epoch : int
    stop_reason : str
        One of :data:`STOP_REASONS`.
    n_epochs : int
        Index of the last recorded epoch (the number of update attempts).
    rejected_nonfinite : int
        Trial steps rejected because the error became NaN or infinite (for
        trainlm, every such trial value of ``mu``).

    Examples
    --------
    >>> from bpforecast.nn.training import TrainingResult
    >>> TrainingResult(theta=None).stop_reason
    'epochs'
    """

    theta: object
    history: dict = field(default_factory=lambda: {k: [] for k in HISTORY_COLUMNS})
    best_epoch: int = 0
    stop_reason: str = "epochs"
    n_epochs: int = 0
    rejected_nonfinite: int = 0


def _norm(g) -> float:
    return math.sqrt(float(g @ g))


class _Holdout:
    """Validation and test blocks stacked once, evaluated with one forward pass."""

    def __init__(self, validation, test) -> None:
        self.blocks = [validation, test]
        present = [b[0] for b in self.blocks if b is not None]
        if not present:
            self.X = None
        elif len(present) == 1:
            self.X = present[0]
        else:
            self.X = array_namespace(present[0]).concat(present)

    def perfs(self, theta, arch: Architecture) -> tuple[float, float]:
        """``(vperf, tperf)`` at ``theta``; NaN for a missing block."""
        return tuple(
            math.nan if v is None else float(v) for v in self.perfs_device(theta, arch)
        )

    def perfs_device(self, theta, arch: Architecture) -> list:
        """``[vperf, tperf]`` as 0-d device arrays (None for a missing block)."""
        if self.X is None:
            return [None, None]
        return self.block_perfs(forward(theta, arch, self.X)[-1])

    def block_perfs(self, out) -> list:
        """``[vperf, tperf]`` from the network outputs on the stacked blocks."""
        results, start = [], 0
        for block in self.blocks:
            if block is None:
                results.append(None)
                continue
            n = block[0].shape[0]
            results.append(mse_device(out[start : start + n, :], block[1]))
            start += n
        return results


class _ArrayAPIPasses:
    """The full-batch loop's passes, through :mod:`bpforecast.nn.network`.

    :meth:`gradient` reuses the forward pass of the last :meth:`perf` call.
    """

    def __init__(self, arch: Architecture, X, Y, holdout: _Holdout) -> None:
        self.arch, self.X, self.Y, self.holdout = arch, X, Y, holdout
        self._outputs = None

    def to_internal(self, theta):
        return theta

    def to_external(self, theta):
        return theta

    def perf(self, theta):
        self._outputs = forward(theta, self.arch, self.X)
        return perf_device(theta, self.arch, self._outputs[-1], self.Y)

    def gradient(self, theta):
        return gradient(theta, self.arch, self._outputs, self.Y)

    def holdout_perfs(self, theta) -> list:
        return self.holdout.perfs_device(theta, self.arch)


class _FeatureMajorLoopPasses:
    """The same passes on numpy, through :class:`FeatureMajorPasses` (faster).

    The loop then carries ``theta`` in the feature-major layout and converts
    it back once, at the end.
    """

    def __init__(self, arch: Architecture, X, Y, holdout: _Holdout) -> None:
        self.holdout = holdout
        self.train = FeatureMajorPasses(arch, X, Y)
        self.held = None if holdout.X is None else FeatureMajorPasses(arch, holdout.X)
        self.to_internal = self.train.to_internal
        self.to_external = self.train.to_external
        self.perf = self.train.perf
        self.gradient = self.train.gradient

    def holdout_perfs(self, theta) -> list:
        if self.held is None:
            return [None, None]
        return self.holdout.block_perfs(self.held.outputs(theta))


def _to_host(values: list, on_host: bool = False) -> list:
    """Host floats of 0-d device arrays (None stays NaN) in ONE transfer.

    Every ``float()`` of a device scalar is a host sync; stacking them first
    makes the full-batch epoch cost a single sync. ``on_host=True`` says the
    values are numpy arrays already.
    """
    present = [v for v in values if v is not None]
    if not present:
        return [math.nan] * len(values)
    if on_host:
        # numpy: nothing to transfer, so skip the stacking.
        return [math.nan if v is None else float(v) for v in values]
    xp = array_namespace(*present)
    host = iter(to_numpy(xp.stack(present)).tolist())
    return [math.nan if v is None else next(host) for v in values]


def _nonempty(block):
    return block if block is not None and block[0].shape[0] > 0 else None


# A diverging trial step overflows and is then rejected (see solvers.py), so
# numpy's overflow warnings would only be noise.
@np.errstate(over="ignore", invalid="ignore")
def train(
    theta,
    arch: Architecture,
    training: tuple,
    solver: TrainGD | TrainLM,
    criteria: StopCriteria,
    validation: tuple | None = None,
    test: tuple | None = None,
    batch_size: int | None = None,
    random_state: np.random.RandomState | None = None,
    callback=None,
    feature_major: bool | None = None,
) -> TrainingResult:
    """Train a network from the weights ``theta``; the inputs are not modified.

    Parameters
    ----------
    theta : array of shape (n_params,)
        Starting weights (see :mod:`bpforecast.nn.network` for the layout).
    arch : Architecture
    training, validation, test : tuple (X, Y) or None
        Data blocks, already scaled, ``Y`` 2-D. An empty or missing
        validation block turns early stopping off.
    solver : TrainGD or TrainLM
        A fresh solver (it carries the learning rate and momentum memory, or
        trainlm's ``mu``). With :class:`~bpforecast.nn.levenberg_marquardt.TrainLM`
        each epoch is one Levenberg-Marquardt iteration on the full batch, the
        history's ``lr`` column holds ``mu``, and training stops with
        ``'mu_max'`` when ``mu`` reaches ``mu_max``.
    criteria : StopCriteria
    batch_size : int or None
        None for full batch (MATLAB); trainlm accepts only None. With an
        integer, each epoch is a pass over shuffled mini-batches, each step
        kept; the solver's accept/reject
        rule then applies to the whole epoch: an epoch that raised the
        training error by more than ``max_perf_inc`` (adaptive solvers) or
        made it non-finite is undone, lr falls and momentum resets.
    random_state : numpy RandomState, optional
        Shuffles the mini-batches.
    callback : callable, optional
        Called as ``callback(epoch, record)`` after each epoch's record is
        written (``record`` maps the history columns to this epoch's values);
        used for progress displays. It must not modify anything.
    feature_major : bool or None
        Full-batch gradient descent only: run the passes through
        :class:`~bpforecast.nn.feature_major.FeatureMajorPasses` (numpy only,
        faster) rather than :mod:`bpforecast.nn.network`'s functions. None (the
        default) picks it when ``theta``, ``X`` and ``Y`` are numpy arrays of
        one floating dtype. The two agree to rounding.

    Returns
    -------
    TrainingResult

    Raises
    ------
    ValueError
        If ``batch_size`` is given with a TrainLM solver.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.solvers import TrainGD
    >>> from bpforecast.nn.training import StopCriteria, train
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X = np.array([[0.0], [1.0]]); Y = np.array([[1.0], [3.0]])
    >>> r = train(np.zeros(2), arch, (X, Y), TrainGD(lr=0.4), StopCriteria(epochs=300))
    >>> np.round(r.theta, 3)          # y = 2 x + 1
    array([2., 1.])

    Levenberg-Marquardt gets there in a few epochs; ``lr`` holds ``mu``:

    >>> from bpforecast.nn.levenberg_marquardt import TrainLM
    >>> r = train(np.zeros(2), arch, (X, Y), TrainLM(), StopCriteria(min_grad=1e-7))
    >>> r.stop_reason, r.n_epochs, np.round(r.theta, 6)
    ('min_grad', 3, array([2., 1.]))
    >>> [float(f"{mu:.0e}") for mu in r.history["lr"]]
    [0.001, 0.0001, 1e-05, 1e-06]
    """
    lm = isinstance(solver, TrainLM)
    if lm and batch_size is not None:
        raise ValueError("trainlm is full batch only: batch_size must be None.")
    X, Y = training
    validation, test = _nonempty(validation), _nonempty(test)
    result = TrainingResult(theta=theta)
    history = result.history
    start_time = time.perf_counter()

    holdout = _Holdout(validation, test)
    # Full-batch gradient descent needs one host sync per epoch: the current
    # weights' statistics (gradient norm, validation and test errors) travel
    # with the error of the next trial step, which is computed speculatively
    # before the stopping tests (and dropped if training stops).
    one_sync = not lm and batch_size is None
    if one_sync:
        on_host = isinstance(X, np.ndarray) and isinstance(theta, np.ndarray)
        if feature_major is None:
            # The fast path computes in X's dtype; with mixed or non-float
            # dtypes the generic path keeps numpy's type promotion.
            feature_major = (
                on_host
                and isinstance(Y, np.ndarray)
                and X.dtype.kind == "f"
                and X.dtype == theta.dtype == Y.dtype
            )
        elif feature_major and not on_host:
            raise TypeError("feature_major=True needs numpy arrays for theta and X.")
        passes = (_FeatureMajorLoopPasses if feature_major else _ArrayAPIPasses)(
            arch, X, Y, holdout
        )
        # From here on theta is in the passes' layout (see feature_major.py).
        theta = passes.to_internal(theta)
        current_perf = float(passes.perf(theta))
        g = passes.gradient(theta)
        pending = [g @ g, *passes.holdout_perfs(theta)]
    else:
        outputs = forward(theta, arch, X)
        current_perf = perf(theta, arch, outputs[-1], Y)
        if lm:
            reg = regularization_diagonal(arch, Y.shape[1], theta)
            J, e, g = _linearize(theta, arch, outputs, Y, reg)
            trial = {}

            def evaluate(theta2) -> float:
                # The last trial evaluated is the one TrainLM accepts, if any.
                trial["outputs"] = forward(theta2, arch, X)
                return perf(theta2, arch, trial["outputs"][-1], Y)

        else:
            g = gradient(theta, arch, outputs, Y)
        grad_norm = _norm(g)
        vperf, tperf = holdout.perfs(theta, arch)
    best_vperf, best_theta, val_fail = math.inf, theta, 0

    epoch = 0
    try:
        while True:
            if one_sync:
                trial = None
                if epoch < criteria.epochs:
                    theta2 = theta + solver.propose(-g)
                    trial = passes.perf(theta2)
                host = _to_host([*(pending or [None] * 3), trial], on_host)
                if pending is not None:
                    grad_norm = math.sqrt(host[0])
                    vperf, tperf = host[1], host[2]
                pending = None
                perf2 = host[3]
            if validation is not None:
                if vperf < best_vperf:
                    best_vperf, best_theta, val_fail = vperf, theta, 0
                    result.best_epoch = epoch
                elif vperf > best_vperf:
                    val_fail += 1
            for key, value in zip(
                HISTORY_COLUMNS,
                (
                    current_perf,
                    vperf,
                    tperf,
                    solver.mu if lm else solver.lr,
                    grad_norm,
                    val_fail,
                ),
                strict=True,
            ):
                history[key].append(value)
            if callback is not None:
                callback(epoch, {key: history[key][-1] for key in HISTORY_COLUMNS})

            elapsed = time.perf_counter() - start_time
            if current_perf <= criteria.goal:
                result.stop_reason = "goal"
            elif epoch >= criteria.epochs:
                result.stop_reason = "epochs"
            elif criteria.max_time is not None and elapsed > criteria.max_time:
                result.stop_reason = "time"
            elif grad_norm <= criteria.min_grad:
                result.stop_reason = "min_grad"
            elif lm and solver.mu >= solver.mu_max:
                result.stop_reason = "mu_max"
            elif validation is not None and val_fail >= criteria.max_fail:
                result.stop_reason = "max_fail"
            else:
                result.stop_reason = ""
            if result.stop_reason:
                break

            epoch += 1
            if lm:
                step = solver.step(J, e, theta, current_perf, evaluate, reg)
                result.rejected_nonfinite += step.n_nonfinite
                if step.accepted:
                    theta, current_perf = step.theta, step.perf
                    outputs = trial["outputs"]
                    J, e, g = _linearize(theta, arch, outputs, Y, reg)
                    grad_norm = _norm(g)
                    vperf, tperf = holdout.perfs(theta, arch)
                continue
            if batch_size is None:
                pass  # the trial step was taken at the top of the loop
            else:
                theta2 = _minibatch_epoch(
                    theta, arch, X, Y, solver, batch_size, random_state
                )
                outputs2 = forward(theta2, arch, X)
                perf2 = perf(theta2, arch, outputs2[-1], Y)
            if not math.isfinite(perf2):
                result.rejected_nonfinite += 1
            if solver.respond(current_perf, perf2):
                theta, current_perf = theta2, perf2
                if one_sync:
                    # The trial's forward pass is the one at the new weights.
                    g = passes.gradient(theta)
                    pending = [g @ g, *passes.holdout_perfs(theta)]
                else:
                    outputs = outputs2
                    g = gradient(theta, arch, outputs, Y)
                    grad_norm = _norm(g)
                    vperf, tperf = holdout.perfs(theta, arch)
    except KeyboardInterrupt:
        # MATLAB's Stop button: keep the best weights so far.
        result.stop_reason = "user"
        n_rows = min(len(values) for values in history.values())
        for key in HISTORY_COLUMNS:
            del history[key][n_rows:]
        epoch = n_rows - 1

    result.n_epochs = epoch
    release_workspace()
    if validation is None:
        best_theta = theta
        result.best_epoch = epoch
    result.theta = passes.to_external(best_theta) if one_sync else best_theta
    return result


def _linearize(theta, arch, outputs, Y, reg):
    """Jacobian, flattened errors and perf gradient at ``theta`` for trainlm."""
    xp = array_namespace(theta, Y)
    J = jacobian(theta, arch, outputs)
    e = xp.reshape(outputs[-1] - Y, (-1,))
    return J, e, perf_gradient(J, e, theta, reg)


def _minibatch_epoch(theta, arch, X, Y, solver, batch_size, random_state):
    """One pass over shuffled mini-batches; every step is kept."""
    n = X.shape[0]
    order = random_state.permutation(n) if random_state is not None else np.arange(n)
    xp = array_namespace(theta)
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        if xp is np:
            Xb, Yb = X[idx], Y[idx]
        else:
            index = xp.asarray(idx, device=getattr(X, "device", None))
            Xb, Yb = xp.take(X, index, axis=0), xp.take(Y, index, axis=0)
        outputs = forward(theta, arch, Xb)
        theta = theta + solver.propose(-gradient(theta, arch, outputs, Yb))
    return theta
