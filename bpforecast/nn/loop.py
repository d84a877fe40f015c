"""The one epoch loop and the one stopping function, for K networks at once.

Design
------
:func:`run` trains ``K`` networks (``K = 1`` for a single fit) whose
weights are the rows of one array. It knows three collaborators and nothing
else: the *passes* (:mod:`bpforecast.nn.passes`: forward, perf, gradient,
Jacobian, on whichever implementation fits the data), the *rule*
(:mod:`bpforecast.nn.rules`: traingd ... traingdx, trainlm) and the *feeder*
(:class:`FullBatch` or :class:`MiniBatches`: how an epoch's trial weights
are produced from the data). Per epoch ``k = 0, 1, ...`` and network it

1. updates the validation bookkeeping for the current weights,
2. records ``perf, vperf, tperf, lr, gradient, val_fail``,
3. checks the stopping criteria in MATLAB's order (:func:`stop_reasons`)
   and drops the networks that stop,
4. attempts a step: the feeder proposes trial weights, the rule keeps or
   rejects them (trainlm may ask for further trials with a larger ``mu``).

``val_fail`` counts the epochs since the validation error last reached a new
minimum, as in MATLAB (epochs where it stays level do not count), and the
weights with the lowest validation error are returned. Without a validation
block the final weights are returned.

One host transfer per epoch
---------------------------
Everything the host decides on (the stopping tests, the accept/reject rule)
travels in one transfer per epoch: the current weights' gradient norm and
held-out errors (computed on the device when a step is accepted) together
with the performance of the next trial step, which is proposed and
evaluated before the stopping tests (and dropped if training stops). The
gradient and held-out errors are computed only at accepted weights.
trainlm transfers once more per extra value of ``mu`` it tries.

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.network import Architecture
>>> from bpforecast.nn.passes import ArrayAPIPasses
>>> from bpforecast.nn.rules import GradientDescent
>>> from bpforecast.nn.loop import StopCriteria, run
>>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
>>> X = np.array([[0.0], [1.0]]); Y = np.array([[1.0], [3.0]])
>>> results = run(np.array([[0.0, 0.0], [5.0, -5.0]]), ArrayAPIPasses(arch, (X, Y)),
...               GradientDescent(lr=0.4), StopCriteria(epochs=300))
>>> [(r.stop_reason, r.n_epochs, np.round(r.theta, 3).tolist()) for r in results]
[('min_grad', 65, [2.0, 1.0]), ('min_grad', 75, [2.0, 1.0])]
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace

from ._array_api import to_numpy
from .network import release_workspace
from .record import HISTORY_COLUMNS, TrainingResult
from .rules import where_rows


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


def stop_reason(
    criteria: StopCriteria,
    epoch: int,
    elapsed: float,
    perf: float,
    grad_norm: float,
    val_fail: int,
    exhausted: bool,
    has_validation: bool,
) -> str:
    """Why a network stops after this epoch's record, or ``''`` to go on.

    The tests run in MATLAB's order: ``goal``, ``epochs``, ``time``,
    ``min_grad``, ``mu_max`` (``exhausted``: trainlm's ``mu`` reached
    ``mu_max``), ``max_fail`` (only with a validation block). The loop asks
    it for every network still training.

    Examples
    --------
    >>> from bpforecast.nn.loop import StopCriteria, stop_reason
    >>> c = StopCriteria(epochs=10, goal=0.1, min_grad=1e-3)
    >>> stop_reason(c, 3, 0.0, 0.05, 1e-4, 0, False, False)
    'goal'
    >>> stop_reason(c, 3, 0.0, 1.0, 1e-4, 0, False, False)
    'min_grad'
    >>> stop_reason(c, 3, 0.0, 1.0, 1.0, 0, False, False)
    ''
    """
    if perf <= criteria.goal:
        return "goal"
    if epoch >= criteria.epochs:
        return "epochs"
    if criteria.max_time is not None and elapsed > criteria.max_time:
        return "time"
    if grad_norm <= criteria.min_grad:
        return "min_grad"
    if exhausted:
        return "mu_max"
    if has_validation and val_fail >= criteria.max_fail:
        return "max_fail"
    return ""


class FullBatch:
    """Feeds the whole training block to every epoch (MATLAB): one trial step.

    Examples
    --------
    >>> from bpforecast.nn.loop import FullBatch
    >>> FullBatch().trial.__doc__.split(":")[0]
    'The trial weights of one epoch'
    """

    def trial(self, rule, state, thetas, lin, passes):
        """The trial weights of one epoch: the rule's step from ``lin``."""
        return rule.propose(state, thetas, lin)


class MiniBatches:
    """Feeds shuffled mini-batches: an epoch's trial is a pass over them.

    Every step inside the pass is kept (the rule's momentum carries over);
    the rule's accept/reject decision then applies to the whole epoch: an
    epoch that raised the training error by more than ``max_perf_inc``
    (adaptive rules) or made it non-finite is undone, lr falls and momentum
    resets.

    Parameters
    ----------
    X, Y : arrays
        The training block.
    batch_size : int
    random_state : numpy RandomState or None
        Shuffles the samples each epoch (None: in order).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.loop import MiniBatches
    >>> len(MiniBatches(np.zeros((10, 1)), np.zeros((10, 1)), 4, None).batches())
    3
    """

    def __init__(self, X, Y, batch_size: int, random_state=None) -> None:
        self.X, self.Y = X, Y
        self.batch_size = int(batch_size)
        self.random_state = random_state

    def batches(self) -> list:
        """This epoch's ``(X, Y)`` batches."""
        X, Y = self.X, self.Y
        n = X.shape[0]
        rng = self.random_state
        order = rng.permutation(n) if rng is not None else np.arange(n)
        xp = array_namespace(X)
        out = []
        for start in range(0, n, self.batch_size):
            idx = order[start : start + self.batch_size]
            if xp is np:
                out.append((X[idx], Y[idx]))
            else:
                index = xp.asarray(idx, device=getattr(X, "device", None))
                out.append((xp.take(X, index, axis=0), xp.take(Y, index, axis=0)))
        return out

    def trial(self, rule, state, thetas, lin, passes):
        """The trial weights of one epoch: one rule step per mini-batch."""
        for Xb, Yb in self.batches():
            thetas, state = rule.propose(
                state, thetas, passes.gradient_on(thetas, Xb, Yb)
            )
        return thetas, state


def _to_host(values: list, on_host: bool = False) -> list:
    """Lists of host floats of device arrays of shape (K,), in ONE transfer.

    None stays None. Every host conversion of a device value is a sync;
    stacking them first makes the epoch cost a single one. ``on_host=True``
    says the values are numpy arrays already.
    """
    present = [v for v in values if v is not None]
    if not present:
        return [None] * len(values)
    if on_host:
        return [None if v is None else v.tolist() for v in values]
    xp = array_namespace(*present)
    host = iter(to_numpy(xp.stack(present)).tolist())
    return [None if v is None else next(host) for v in values]


def _take(a, rows: list):
    if a is None:
        return None
    if hasattr(a, "take") and not hasattr(a, "shape"):  # a rule state or system
        return a.take(rows)
    index = np.asarray(rows, dtype=np.intp)
    if isinstance(a, np.ndarray):
        return a[index]
    xp = array_namespace(a)
    return xp.take(a, xp.asarray(index, device=getattr(a, "device", None)), axis=0)


def _merge(mask: list, new, old):
    return new.where(mask, old) if hasattr(new, "where") else where_rows(mask, new, old)


# A diverging trial step overflows and is then rejected, so numpy's overflow
# warnings would only be noise.
@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def run(
    thetas,
    passes,
    rule,
    criteria: StopCriteria,
    *,
    feeder=None,
    callback: Callable | None = None,
) -> list[TrainingResult]:
    """Train ``K`` networks from the rows of ``thetas``; return one result each.

    Parameters
    ----------
    thetas : array of shape (K, n_params)
        Starting weights, one network per row (not modified).
    passes : Passes
        Built around the data (:mod:`bpforecast.nn.passes`); an empty or
        missing validation block turns early stopping off.
    rule : GradientDescent, LevenbergMarquardt, BayesianRegularization, ...
        From :mod:`bpforecast.nn.rules` (or :mod:`bpforecast.nn.bayesian`).
        A rule with ``extra_columns`` (names) and ``record(state, lin) ->
        {name: [one float per network still training]}`` gets those columns
        appended to every epoch's record and history.
    criteria : StopCriteria
        ``max_time`` counts from the start of the call, for all networks.
    feeder : FullBatch or MiniBatches, optional
        Default :class:`FullBatch`.
    callback : callable, optional
        ``callback(epoch, record)`` after each epoch's record (``record`` maps
        the history columns, the rule's ``extra_columns`` included, to floats
        when ``K = 1``, to arrays of the networks still training otherwise).
        It must not modify anything.

    Returns
    -------
    list of TrainingResult
        One per row of ``thetas``, ``theta`` of shape ``(n_params,)`` in the
        namespace of ``thetas``. Ctrl-C stops every network with ``'user'``
        and keeps its best weights so far.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.stacked import StackedPasses
    >>> from bpforecast.nn.rules import LevenbergMarquardt
    >>> from bpforecast.nn.loop import StopCriteria, run
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X = np.array([[0.0], [1.0]]); Y = np.array([[1.0], [3.0]])
    >>> results = run(np.zeros((2, 2)), StackedPasses(arch, (X, Y)),
    ...               LevenbergMarquardt(), StopCriteria(min_grad=1e-7))
    >>> [(r.stop_reason, r.n_epochs) for r in results]
    [('min_grad', 3), ('min_grad', 3)]
    """
    start_time = time.perf_counter()
    feeder = FullBatch() if feeder is None else feeder
    has_validation = passes.held.blocks[0] is not None
    on_host = isinstance(thetas, np.ndarray)
    K = thetas.shape[0]
    thetas = passes.to_internal(thetas)
    state = rule.init(K)
    # A rule may record columns of its own: ``rule.extra_columns`` names them
    # and ``rule.record(state, lin)`` gives ``{column: [K floats]}``.
    extra_columns = tuple(getattr(rule, "extra_columns", ()))
    columns = HISTORY_COLUMNS + extra_columns
    # Host state, one entry per network still training (``ids`` says which).
    ids = list(range(K))
    perf, grad_norm = [math.nan] * K, [math.nan] * K
    vperf, tperf = [math.nan] * K, [math.nan] * K
    val_fail, best_vperf, best_epoch, rejected = (
        [0] * K,
        [math.inf] * K,
        [0] * K,
        [0] * K,
    )
    best_thetas = thetas
    results: list[TrainingResult | None] = [None] * K
    rows: list[tuple[list, tuple]] = []

    # The current weights' statistics, on the device until the next transfer.
    perf_pending = passes.perf(thetas)
    lin = rule.linearize(passes, thetas)
    # A rule with ``settle`` (trainscg) finishes its step once the gradient
    # at the accepted weights is known; it may run passes of its own.
    settle = getattr(rule, "settle", None)
    if settle is not None:
        state = settle(state, passes, thetas, lin, [True] * K)
    fresh = [True] * K  # the networks whose pending statistics are new
    pending = [passes.sq_norms(rule.gradient_of(lin)), *passes.holdout(thetas)]
    trial_thetas = thetas

    def finish(row_indices, reasons_of, epoch):
        final = best_thetas if has_validation else thetas
        for row in row_indices:
            theta = passes.to_external(final[row : row + 1, ...])[0, ...]
            results[ids[row]] = TrainingResult(
                theta=theta,
                best_epoch=best_epoch[row] if has_validation else epoch,
                stop_reason=reasons_of(row),
                n_epochs=epoch,
                rejected_nonfinite=rejected[row],
            )

    epoch = 0
    try:
        while True:
            trial = None
            if epoch < criteria.epochs:
                trial_thetas, state = feeder.trial(rule, state, thetas, lin, passes)
                trial = passes.perf(trial_thetas)
            host = _to_host([perf_pending, *(pending or [None] * 3), trial], on_host)
            if perf_pending is not None:
                perf, perf_pending = host[0], None
            if pending is not None:
                for k, new in enumerate(fresh):
                    if new:
                        grad_norm[k] = math.sqrt(host[1][k])
                        vperf[k] = math.nan if host[2] is None else host[2][k]
                        tperf[k] = math.nan if host[3] is None else host[3][k]
                pending = None
            perf2 = host[4]
            n_rows = len(ids)

            if has_validation:
                new_best = [False] * n_rows
                for k in range(n_rows):
                    if vperf[k] < best_vperf[k]:
                        new_best[k] = True
                        best_vperf[k], best_epoch[k], val_fail[k] = vperf[k], epoch, 0
                    elif vperf[k] > best_vperf[k]:
                        val_fail[k] += 1
                best_thetas = where_rows(new_best, thetas, best_thetas)
            rate = rule.rate(state)
            record = (perf[:], vperf[:], tperf[:], rate[:], grad_norm[:], val_fail[:])
            if extra_columns:  # the rule's own columns (trainbr: gamma, ...)
                extra = rule.record(state, lin)
                record += tuple(extra[c] for c in extra_columns)
            rows.append((ids, record))
            if callback is not None:
                if K == 1:
                    values = [column[0] for column in rows[-1][1]]
                else:
                    values = [np.asarray(column) for column in rows[-1][1]]
                callback(epoch, dict(zip(columns, values, strict=True)))

            elapsed = time.perf_counter() - start_time
            exhausted = rule.exhausted(state)
            reasons = [
                stop_reason(
                    criteria,
                    epoch,
                    elapsed,
                    perf[k],
                    grad_norm[k],
                    val_fail[k],
                    exhausted[k],
                    has_validation,
                )
                for k in range(n_rows)
            ]
            if any(reasons):
                finish(
                    [k for k in range(n_rows) if reasons[k]], reasons.__getitem__, epoch
                )
                keep = [k for k in range(n_rows) if not reasons[k]]
                if not keep:
                    break
                ids = [ids[k] for k in keep]
                thetas, best_thetas = _take(thetas, keep), _take(best_thetas, keep)
                trial_thetas = _take(trial_thetas, keep)
                lin, state = _take(lin, keep), _take(state, keep)
                (
                    perf,
                    grad_norm,
                    vperf,
                    tperf,
                    val_fail,
                    best_vperf,
                    best_epoch,
                    rejected,
                ) = (
                    [a[k] for k in keep]
                    for a in (
                        perf,
                        grad_norm,
                        vperf,
                        tperf,
                        val_fail,
                        best_vperf,
                        best_epoch,
                        rejected,
                    )
                )
                if perf2 is not None:
                    perf2 = [perf2[k] for k in keep]
                    # The passes keep the trial's forward pass for the
                    # gradient: redo it for the networks that go on.
                    passes.perf(trial_thetas)
                n_rows = len(keep)

            # One update attempt per network (trainlm: until a trial helps).
            epoch += 1
            searching = [True] * n_rows
            accepted = [False] * n_rows
            perf = list(perf)
            while True:
                accept, retry, state = rule.respond(state, perf, perf2, searching)
                for k in range(n_rows):
                    if accept[k]:
                        perf[k], accepted[k] = perf2[k], True
                    elif searching[k] and not math.isfinite(perf2[k]):
                        rejected[k] += 1
                if any(accept):
                    thetas = where_rows(accept, trial_thetas, thetas)
                if not any(retry):
                    break
                searching = retry
                proposed, state = rule.propose(state, thetas, lin)
                # The others evaluate at their (accepted) weights, so that the
                # last forward pass is at every network's current weights.
                trial_thetas = where_rows(searching, proposed, thetas)
                perf2 = _to_host([passes.perf(trial_thetas)], on_host)[0]
            if any(accepted):
                # The last forward pass was at the accepted weights.
                new = rule.linearize(passes, trial_thetas)
                lin = _merge(accepted, new, lin)
                if settle is not None:
                    state = settle(state, passes, thetas, lin, accepted)
                fresh = accepted
                gradient = rule.gradient_of(new)
                pending = [passes.sq_norms(gradient), *passes.holdout(thetas)]
    except KeyboardInterrupt:
        # MATLAB's Stop button: every network still training keeps its best
        # weights so far; the history ends with the last complete record.
        epoch = len(rows) - 1
        finish(range(len(ids)), lambda row: "user", epoch)

    release_workspace()
    _fill_histories(results, rows, columns)
    return results  # type: ignore[return-value]


def _fill_histories(results: list, rows: list, columns=HISTORY_COLUMNS) -> None:
    """Turn the per-epoch host rows into each network's history lists."""
    K = len(results)
    if K == 1:
        for c, key in enumerate(columns):
            results[0].history[key] = [values[c][0] for _, values in rows]
        results[0].history["val_fail"] = [
            int(v) for v in results[0].history["val_fail"]
        ]
        return
    table = np.full((len(columns), len(rows), K), np.nan)
    for e, (ids, values) in enumerate(rows):
        table[:, e, ids] = values
    for k, result in enumerate(results):
        n = result.n_epochs + 1
        for c, key in enumerate(columns):
            values = table[c, :n, k].tolist()
            if key == "val_fail":
                values = [int(v) for v in values]
            result.history[key] = values
