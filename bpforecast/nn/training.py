"""Training entry points: one network (:func:`train`) or K (:func:`train_stacked`).

Design
------
These functions only assemble the core: they pick the passes
(:mod:`bpforecast.nn.passes`: the numpy feature-major fast path, the
array-API path, or the stacked path for K networks), turn the solver object
into its rule (:mod:`bpforecast.nn.rules`), pick the feeder (full batch or
mini-batches) and hand all three to the one epoch loop,
:func:`bpforecast.nn.loop.run`. The loop, the stopping function and the
rules are the same for one network and for K.

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

The history has the same columns for every solver. The ``lr`` column holds
the rule's state: the learning rate (gradient descent), ``mu`` (trainlm,
trainbr), ``lambdak`` at the start of the epoch (trainscg) or the mean step
size at the start of the epoch (trainrp). For trainlm the ``lr``
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

import numpy as np

from .feature_major import FeatureMajorLoopPasses
from .levenberg_marquardt import TrainLM
from .loop import MiniBatches, StopCriteria, run
from .network import Architecture
from .passes import ArrayAPIPasses
from .record import HISTORY_COLUMNS, STOP_REASONS, TrainingResult
from .solvers import TrainGD, TrainRP, TrainSCG
from .stacked import StackedPasses

__all__ = [
    "HISTORY_COLUMNS",
    "STOP_REASONS",
    "StopCriteria",
    "TrainingResult",
    "train",
    "train_stacked",
]


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
        The rule and its parameters (:meth:`~bpforecast.nn.solvers.TrainGD.rule`).
        With :class:`~bpforecast.nn.levenberg_marquardt.TrainLM` each epoch is
        one Levenberg-Marquardt iteration on the full batch, the history's
        ``lr`` column holds ``mu``, and training stops with ``'mu_max'`` when
        ``mu`` reaches ``mu_max``.
    criteria : StopCriteria
    batch_size : int or None
        None for full batch (MATLAB); trainlm, trainbr, trainscg and trainrp
        accept only None. With an
        integer, each epoch is a pass over shuffled mini-batches, each step
        kept; the solver's accept/reject rule then applies to the whole
        epoch: an epoch that raised the training error by more than
        ``max_perf_inc`` (adaptive solvers) or made it non-finite is undone,
        lr falls and momentum resets.
    random_state : numpy RandomState, optional
        Shuffles the mini-batches.
    callback : callable, optional
        Called as ``callback(epoch, record)`` after each epoch's record is
        written (``record`` maps the history columns to this epoch's values);
        used for progress displays. It must not modify anything.
    feature_major : bool or None
        Full-batch gradient descent, trainscg and trainrp only: run the passes through
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
        If ``batch_size`` is given with a full-batch solver (trainlm,
        trainbr, trainscg, trainrp).
    TypeError
        If ``feature_major=True`` with arrays that are not numpy.

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
    rule = solver.rule()
    # Rules that solve with the Jacobian (trainlm, trainbr) and the
    # conjugate-gradient and Rprop rules (trainscg, trainrp) are full batch.
    full_batch_only = (
        isinstance(solver, TrainLM)
        or getattr(solver, "full_batch_only", False)
        or getattr(rule, "needs_jacobian", False)
    )
    if full_batch_only and batch_size is not None:
        name = getattr(solver, "name", None) or getattr(rule, "name", "trainlm")
        raise ValueError(f"{name} is full batch only: batch_size must be None.")
    X, Y = training
    on_host = isinstance(X, np.ndarray) and isinstance(theta, np.ndarray)
    # The feature-major passes serve the rules that need gradients only.
    gradient_only = isinstance(solver, TrainGD | TrainSCG | TrainRP)
    full_batch_gd = gradient_only and batch_size is None
    if feature_major is None:
        # The fast path computes in X's dtype; with mixed or non-float dtypes
        # the generic path keeps numpy's type promotion.
        feature_major = (
            full_batch_gd
            and on_host
            and isinstance(Y, np.ndarray)
            and X.dtype.kind == "f"
            and X.dtype == theta.dtype == Y.dtype
        )
    elif feature_major and not on_host:
        raise TypeError("feature_major=True needs numpy arrays for theta and X.")
    feature_major = feature_major and full_batch_gd
    passes_type = FeatureMajorLoopPasses if feature_major else ArrayAPIPasses
    passes = passes_type(arch, training, validation, test)
    feeder = None
    if batch_size is not None:
        feeder = MiniBatches(X, Y, batch_size, random_state)
    (result,) = run(
        theta[None, ...],
        passes,
        rule,
        criteria,
        feeder=feeder,
        callback=callback,
    )
    return result


def train_stacked(
    thetas,
    arch: Architecture,
    training: tuple,
    solver: TrainGD | TrainLM,
    criteria: StopCriteria,
    validation: tuple | None = None,
    test: tuple | None = None,
    *,
    share_first_layer: bool = False,
) -> list[TrainingResult]:
    """Train ``K`` networks from the rows of ``thetas`` at once (full batch).

    Each network follows exactly the rules of :func:`train` (the same rule
    and loop code, with ``K`` rows); only the arithmetic is shared, through
    :class:`~bpforecast.nn.stacked.StackedPasses`. Every rule is supported,
    trainlm included (``K`` Jacobians, one batched solve).

    Parameters
    ----------
    thetas : array of shape (K, n_params)
        Starting weights, one network per row. Not modified.
    arch : Architecture
    training, validation, test : tuple (X, Y) or None
        Data blocks in the namespace of ``thetas``.
    solver : TrainGD or TrainLM
        Its parameters apply to every network (each has its own state).
    criteria : StopCriteria
    share_first_layer : bool, default False
        See :class:`~bpforecast.nn.stacked.StackedPasses`.

    Returns
    -------
    list of TrainingResult
        One per row of ``thetas``.

    Raises
    ------
    ValueError
        If ``thetas`` is not of shape ``(K, arch.n_params)`` with ``K >= 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.levenberg_marquardt import TrainLM
    >>> from bpforecast.nn.training import StopCriteria, train_stacked
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X = np.array([[0.0], [1.0]]); Y = np.array([[1.0], [3.0]])
    >>> results = train_stacked(np.array([[0.0, 0.0], [3.0, -1.0]]), arch, (X, Y),
    ...                         TrainLM(), StopCriteria(min_grad=1e-7))
    >>> [np.round(r.theta, 6).tolist() for r in results]
    [[2.0, 1.0], [2.0, 1.0]]
    """
    if len(thetas.shape) != 2 or thetas.shape[0] < 1:
        raise ValueError("thetas must be of shape (K, n_params) with K >= 1.")
    if thetas.shape[1] != arch.n_params:
        raise ValueError(
            f"thetas has {thetas.shape[1]} columns; the architecture has "
            f"{arch.n_params} parameters."
        )
    passes = StackedPasses(
        arch, training, validation, test, share_first_layer=share_first_layer
    )
    return run(thetas, passes, solver.rule(), criteria)
