"""Train K networks of one architecture at once, stacked along a leading axis.

:func:`train_batched` is :func:`bpforecast.nn.training.train` for ``K``
networks with the same architecture and data but different starting weights
(the ``n_init`` restarts of an estimator). The weights are one ``(K,
n_params)`` array and every product is a batched ``xp.matmul`` with a
leading ``K`` axis, so one epoch of ``K`` small networks costs a few large
array operations instead of ``K`` times as many small ones.

Each network keeps its own full-batch solver state (learning rate, momentum
memory with its reset on rejection, accept/reject decision), its own
validation bookkeeping, best weights and stopping criteria, with the epoch
loop of :func:`~bpforecast.nn.training.train` (validation bookkeeping, history
row, stop checks ``goal / epochs / time / min_grad / max_fail``, one update
attempt). A network that has stopped is dropped from the stack: no further
updates and no more history rows. The loop ends when every network has
stopped.

Only the gradient-descent family (``traingd``, ``traingdm``, ``traingda``,
``traingdx``) on the full batch is supported.

One host transfer per epoch
---------------------------
All decisions are taken on the host from one small ``(K, 4)`` array per
epoch: the trial performance, the gradient norm and the validation and test
errors at the trial weights. To need only that one transfer, the gradient
and the held-out errors are computed for every trial step, also for the
ones the adaptive solvers then reject (their results are discarded). The
learning rates and accept masks go the other way as small ``(K,)`` arrays.

Rounding
--------
Every elementwise operation is the one :func:`~bpforecast.nn.training.train`
performs, in the same order. The reductions are not the same calls: the
squared errors are summed with ``xp.sum`` instead of a BLAS dot product, and
the first layer's product ``X @ W1`` can be one product with the ``K``
weight matrices side by side, ``(d, K * h1)`` (``share_first_layer``), which
BLAS may block differently. Results therefore agree with separate runs to rounding, not
bit for bit (see ``tests/test_batched.py`` for the measured differences).

Examples
--------
>>> import numpy as np
>>> from bpforecast.nn.batched import train_batched
>>> from bpforecast.nn.network import Architecture
>>> from bpforecast.nn.training import StopCriteria
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(50, 2)); Y = X[:, :1] - X[:, 1:]
>>> arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
>>> thetas = rng.normal(size=(3, arch.n_params)) * 0.5
>>> results = train_batched(thetas, arch, (X, Y), "traingdx", {"lr": 0.05},
...                         StopCriteria(epochs=100))
>>> [(r.stop_reason, r.n_epochs) for r in results]
[('epochs', 100), ('epochs', 100), ('epochs', 100)]
>>> all(r.history["perf"][-1] < r.history["perf"][0] for r in results)
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np
from array_api_compat import array_namespace, device

from ._array_api import to_numpy
from .network import Architecture
from .solvers import SOLVERS
from .training import HISTORY_COLUMNS, StopCriteria, TrainingResult

__all__ = ["train_batched"]


def _layers(thetas, arch: Architecture, xp) -> list[tuple[object, object]]:
    """Per-layer ``(W, b)`` of shapes ``(K, n_in, n_out)`` and ``(K, n_out)``."""
    K = thetas.shape[0]
    return [
        (xp.reshape(thetas[:, w0:b0], (K, n_in, n_out)), thetas[:, b0:b1])
        for w0, b0, b1, n_in, n_out in arch.offsets
    ]


class _Workspace:
    """Reusable numpy work arrays, so large epochs do not page-fault temporaries.

    Only intermediate values that die within one evaluation live here.
    """

    def __init__(self) -> None:
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple, dtype) -> np.ndarray:
        buffer = self.buffers.get(name)
        if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
            buffer = self.buffers[name] = np.empty(shape, dtype=dtype)
        return buffer


def _first_product(X, W, xp, share: bool, ws: _Workspace | None, tag: str):
    """``X @ W[k]`` for every ``k``: ``(n, d)`` and ``(K, d, h)`` to ``(K, n, h)``."""
    K, d, h = W.shape
    n = X.shape[0]
    if not share:
        if ws is None:
            return xp.matmul(X, W)
        return np.matmul(X, W, out=ws.get(f"{tag}z0", (K, n, h), X.dtype))
    side_by_side = xp.reshape(xp.permute_dims(W, (1, 0, 2)), (d, K * h))
    if ws is None:
        Z = xp.matmul(X, side_by_side)
    else:
        Z = np.matmul(X, side_by_side, out=ws.get(f"{tag}z0", (n, K * h), X.dtype))
    return xp.permute_dims(xp.reshape(Z, (n, K, h)), (1, 0, 2))


def _forward(
    layers, arch: Architecture, X, xp, share: bool, ws=None, tag: str = ""
) -> list:
    """Layer outputs ``[X, a_1, ..., a_out]``, each hidden one ``(K, n, h)``.

    With a workspace (numpy), the outputs live in its buffers named by ``tag``
    and are overwritten by the next call with the same tag.
    """
    outputs = [X]
    a = X
    for i, ((W, b), act) in enumerate(zip(layers, arch.activations, strict=True)):
        if i == 0:
            z = _first_product(X, W, xp, share, ws, tag)
        elif ws is None:
            z = xp.matmul(a, W)
        else:
            shape = (W.shape[0], a.shape[1], W.shape[2])
            z = np.matmul(a, W, out=ws.get(f"{tag}z{i}", shape, a.dtype))
        if ws is None:
            a = act.forward(z + b[:, None, :])
        else:
            z += b[:, None, :]
            a = act.forward_inplace(z) if act.forward_inplace else act.forward(z)
        outputs.append(a)
    return outputs


def _sum_squares(err, xp):
    """Per network sum of squares of ``err`` of shape ``(K, ...)``."""
    K = err.shape[0]
    flat = xp.reshape(err, (K, -1))
    return xp.sum(flat * flat, axis=1)


def _mse(output, Y, xp):
    """MATLAB's ``mse`` per network: ``(K, n, m)`` against ``(n, m)`` to ``(K,)``."""
    return _sum_squares(output - Y, xp) / (Y.shape[0] * Y.shape[1])


def _perf(layers, arch: Architecture, output, Y, xp):
    """Training objective per network, :func:`bpforecast.nn.network.perf` stacked."""
    value = _mse(output, Y, xp)
    if arch.alpha > 0:
        total = 0.0
        for W, _ in layers:
            total = total + _sum_squares(W, xp)
        value = value + arch.alpha * total / Y.shape[0]
    return value


def _gradient(layers, arch: Architecture, outputs: list, Y, xp, share: bool, ws=None):
    """Stacked :func:`bpforecast.nn.network.gradient`: ``(K, n_params)``."""
    n_samples, n_outputs = Y.shape
    K = outputs[-1].shape[0]
    out_act = arch.activations[-1]
    if ws is None:
        delta = (outputs[-1] - Y) * (2.0 / (n_samples * n_outputs))
    else:
        delta = np.subtract(
            outputs[-1], Y, out=ws.get("delta", outputs[-1].shape, Y.dtype)
        )
        delta *= 2.0 / (n_samples * n_outputs)
    if out_act.name != "purelin":
        delta = delta * out_act.derivative(outputs[-1])
    ones = xp.ones(n_samples, dtype=Y.dtype, device=device(Y))
    parts = []
    for i in range(len(layers) - 1, -1, -1):
        W, _ = layers[i]
        n_in, n_out = W.shape[1], W.shape[2]
        if i > 0:
            grad_W = xp.matmul(xp.permute_dims(outputs[i], (0, 2, 1)), delta)
        elif share:
            # One product X.T @ [delta_1 ... delta_K], as in the forward pass.
            side_by_side = xp.reshape(
                xp.permute_dims(delta, (1, 0, 2)), (n_samples, K * n_out)
            )
            grad_W = xp.permute_dims(
                xp.reshape(outputs[0].T @ side_by_side, (n_in, K, n_out)), (1, 0, 2)
            )
        else:
            grad_W = xp.matmul(outputs[0].T, delta)
        if arch.alpha > 0:
            grad_W = grad_W + (2.0 * arch.alpha / n_samples) * W
        parts.append(xp.matmul(ones, delta))
        parts.append(xp.reshape(grad_W, (K, n_in * n_out)))
        if i == 0:
            break
        act = arch.activations[i - 1]
        if ws is None:
            if n_out == 1:
                back = delta * W[:, None, :, 0]
            else:
                back = xp.matmul(delta, xp.permute_dims(W, (0, 2, 1)))
            delta = back * act.derivative(outputs[i])
            continue
        shape = (K, n_samples, n_in)
        back = ws.get(f"back{i}", shape, Y.dtype)
        if n_out == 1:
            np.multiply(delta, W[:, None, :, 0], out=back)
        else:
            np.matmul(delta, W.transpose(0, 2, 1), out=back)
        if act.scale_by_derivative_inplace is not None:
            scratch = ws.get(f"deriv{i}", shape, Y.dtype)
            delta = act.scale_by_derivative_inplace(back, outputs[i], scratch)
        else:
            delta = back * act.derivative(outputs[i])
    parts.reverse()
    return xp.concat(parts, axis=1)


class _Holdout:
    """Validation and test blocks stacked once, evaluated with one forward pass."""

    def __init__(self, validation, test, xp) -> None:
        self.blocks = [validation, test]
        present = [b[0] for b in self.blocks if b is not None]
        if not present:
            self.X = None
        elif len(present) == 1:
            self.X = present[0]
        else:
            self.X = xp.concat(present)

    def perfs(self, layers, arch: Architecture, xp, share: bool, nan_row, ws=None):
        """``(vperf, tperf)`` per network, ``nan_row`` for a missing block."""
        if self.X is None:
            return nan_row, nan_row
        out = _forward(layers, arch, self.X, xp, share, ws, "holdout")[-1]
        results, start = [], 0
        for block in self.blocks:
            if block is None:
                results.append(nan_row)
                continue
            n = block[0].shape[0]
            results.append(_mse(out[:, start : start + n, :], block[1], xp))
            start += n
        return results[0], results[1]


def _nonempty(block):
    return block if block is not None and block[0].shape[0] > 0 else None


def _stop_reasons(
    criteria: StopCriteria,
    epoch: int,
    elapsed: float,
    perf: np.ndarray,
    grad_norm: np.ndarray,
    val_fail: np.ndarray,
    has_validation: bool,
) -> np.ndarray:
    """Stop reason per network ('' to go on), in MATLAB's order of checks."""
    n = perf.shape[0]
    time_up = criteria.max_time is not None and elapsed > criteria.max_time
    conditions = [
        perf <= criteria.goal,
        np.full(n, epoch >= criteria.epochs),
        np.full(n, time_up),
        grad_norm <= criteria.min_grad,
        (val_fail >= criteria.max_fail) if has_validation else np.zeros(n, bool),
    ]
    choices = ["goal", "epochs", "time", "min_grad", "max_fail"]
    return np.select(conditions, choices, default="")


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def train_batched(
    thetas,
    arch: Architecture,
    training: tuple,
    solver_name: str,
    solver_params: Mapping[str, float] | None,
    criteria: StopCriteria,
    validation: tuple | None = None,
    test: tuple | None = None,
    *,
    share_first_layer: bool = False,
) -> list[TrainingResult]:
    """Train ``K`` networks from the rows of ``thetas`` in one stacked loop.

    Each network follows exactly the rules of
    :func:`bpforecast.nn.training.train` with a fresh
    ``SOLVERS[solver_name](**solver_params)`` solver and full-batch updates;
    only the arithmetic is shared.

    Parameters
    ----------
    thetas : array of shape (K, n_params)
        Starting weights, one network per row (layout of
        :mod:`bpforecast.nn.network`). Not modified.
    arch : Architecture
    training, validation, test : tuple (X, Y) or None
        Data blocks, already scaled, ``Y`` 2-D, in the namespace of
        ``thetas``. An empty or missing validation block turns early stopping
        off.
    solver_name : {'traingd', 'traingdm', 'traingda', 'traingdx'}
    solver_params : mapping or None
        Keyword arguments of the solver (``lr``, ``mc``, ``lr_inc``,
        ``lr_dec``, ``max_perf_inc``), the same for every network.
    criteria : StopCriteria
        ``max_time`` is measured from the start of the call, for all networks.
    share_first_layer : bool, default False
        Compute the first layer's ``X @ W1`` (and its gradient ``X.T @
        delta``) as one product over the ``K`` weight matrices side by side,
        ``(d, K * h1)``, instead of ``K`` batched products. Rounding may
        differ in the last bits (measured: no difference beyond 1e-15 on the
        tests' problem). With numpy on one BLAS thread it was slower (the
        side-by-side layout costs a copy of ``delta`` per epoch), so it is off
        by default; it may pay on an accelerator.

    Returns
    -------
    list of TrainingResult
        One per row of ``thetas``, as :func:`~bpforecast.nn.training.train`
        returns it: ``theta`` of shape ``(n_params,)`` in the namespace of
        ``thetas`` (best-validation weights when a validation block exists),
        the per-epoch history, ``best_epoch``, ``stop_reason``, ``n_epochs``
        and ``rejected_nonfinite``.

    Raises
    ------
    ValueError
        If ``solver_name`` is not a gradient-descent solver, or ``thetas`` is
        not of shape ``(K, arch.n_params)`` with ``K >= 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.nn.batched import train_batched
    >>> from bpforecast.nn.network import Architecture
    >>> from bpforecast.nn.training import StopCriteria
    >>> arch = Architecture.build(1, (), 1, "tansig", "purelin")
    >>> X = np.array([[0.0], [1.0]]); Y = np.array([[1.0], [3.0]])
    >>> thetas = np.array([[0.0, 0.0], [5.0, -5.0]])
    >>> results = train_batched(thetas, arch, (X, Y), "traingd", {"lr": 0.4},
    ...                         StopCriteria(epochs=300))
    >>> [np.round(r.theta, 3).tolist() for r in results]     # y = 2 x + 1
    [[2.0, 1.0], [2.0, 1.0]]
    >>> [(r.stop_reason, r.n_epochs) for r in results]
    [('min_grad', 65), ('min_grad', 75)]
    """
    if solver_name not in SOLVERS:
        raise ValueError(
            f"train_batched supports {sorted(SOLVERS)}, not {solver_name!r}."
        )
    template = SOLVERS[solver_name](**dict(solver_params or {}))
    xp = array_namespace(thetas)
    if len(thetas.shape) != 2 or thetas.shape[0] < 1:
        raise ValueError("thetas must be of shape (K, n_params) with K >= 1.")
    if thetas.shape[1] != arch.n_params:
        raise ValueError(
            f"thetas has {thetas.shape[1]} columns; the architecture has "
            f"{arch.n_params} parameters."
        )
    start_time = time.perf_counter()
    X, Y = training
    validation, test = _nonempty(validation), _nonempty(test)
    has_validation = validation is not None
    holdout = _Holdout(validation, test, xp)
    dtype, dev = thetas.dtype, device(thetas)
    share = bool(share_first_layer)
    momentum, adaptive = template.momentum, template.adaptive
    mc = template.mc
    numpy_path = all(
        isinstance(a, np.ndarray)
        for a in (thetas, X, Y, *(b for blk in (validation, test) if blk for b in blk))
    )
    ws = _Workspace() if numpy_path else None

    def evaluate(theta_rows):
        """Perf, gradient and held-out errors at ``theta_rows``; one transfer."""
        layers = _layers(theta_rows, arch, xp)
        outputs = _forward(layers, arch, X, xp, share, ws, "train")
        perf_rows = _perf(layers, arch, outputs[-1], Y, xp)
        g = _gradient(layers, arch, outputs, Y, xp, share, ws)
        nan_row = xp.full((theta_rows.shape[0],), math.nan, dtype=dtype, device=dev)
        vperf_rows, tperf_rows = holdout.perfs(layers, arch, xp, share, nan_row, ws)
        stats = xp.stack(
            [perf_rows, xp.sqrt(_sum_squares(g, xp)), vperf_rows, tperf_rows], axis=1
        )
        return g, to_numpy(stats).astype(np.float64, copy=False)

    def upload(values: np.ndarray):
        return xp.asarray(values, dtype=dtype, device=dev)

    K = thetas.shape[0]
    # Host-side state of every network (indexed by network id).
    g, stats = evaluate(thetas)
    perf, grad_norm = stats[:, 0].copy(), stats[:, 1].copy()
    vperf, tperf = stats[:, 2].copy(), stats[:, 3].copy()
    lr = np.full(K, template.lr)
    has_memory = np.zeros(K, dtype=bool)
    val_fail = np.zeros(K, dtype=np.int64)
    best_vperf = np.full(K, math.inf)
    best_epoch = np.zeros(K, dtype=np.int64)
    rejected_nonfinite = np.zeros(K, dtype=np.int64)
    # Device-side state of the networks still training (rows follow ``ids``).
    ids = np.arange(K)
    best_thetas = thetas
    dX = None
    rows: list[tuple[np.ndarray, ...]] = []
    results: list[TrainingResult | None] = [None] * K

    epoch = 0
    while True:
        if has_validation:
            v, bv = vperf[ids], best_vperf[ids]
            new_best, worse = v < bv, v > bv
            best_vperf[ids[new_best]] = v[new_best]
            val_fail[ids[new_best]] = 0
            best_epoch[ids[new_best]] = epoch
            val_fail[ids[worse]] += 1
            if new_best.all():
                best_thetas = thetas
            elif new_best.any():
                mask = upload(new_best.astype(np.float64))[:, None] > 0
                best_thetas = xp.where(mask, thetas, best_thetas)
        rows.append(
            (ids, perf[ids], vperf[ids], tperf[ids], lr[ids], grad_norm[ids])
            + (val_fail[ids],)
        )

        reasons = _stop_reasons(
            criteria,
            epoch,
            time.perf_counter() - start_time,
            perf[ids],
            grad_norm[ids],
            val_fail[ids],
            has_validation,
        )
        stopping = reasons != ""
        if stopping.any():
            final = best_thetas if has_validation else thetas
            for row in np.flatnonzero(stopping):
                k = int(ids[row])
                result = TrainingResult(theta=final[int(row), ...])
                result.stop_reason = str(reasons[row])
                result.n_epochs = epoch
                result.best_epoch = int(best_epoch[k]) if has_validation else epoch
                result.rejected_nonfinite = int(rejected_nonfinite[k])
                results[k] = result
            keep = np.flatnonzero(~stopping)
            if keep.size == 0:
                break
            index = xp.asarray(keep, device=dev)
            thetas = xp.take(thetas, index, axis=0)
            g = xp.take(g, index, axis=0)
            best_thetas = xp.take(best_thetas, index, axis=0)
            if dX is not None:
                dX = xp.take(dX, index, axis=0)
            ids = ids[keep]

        # One update attempt per network still training.
        epoch += 1
        step = upload(lr[ids])[:, None] * -g
        if momentum and dX is not None and has_memory[ids].any():
            memory = upload(has_memory[ids].astype(np.float64))[:, None] > 0
            step = xp.where(memory, mc * dX + (1.0 - mc) * step, step)
        dX = step if momentum else None
        thetas2 = thetas + step
        g2, stats = evaluate(thetas2)
        perf2, old = stats[:, 0], perf[ids]
        finite = np.isfinite(perf2)
        reject = ~finite
        if adaptive:
            too_worse = finite & (old > 0) & (perf2 / old > template.max_perf_inc)
            reject |= too_worse
            lr[ids[finite & ~too_worse & (perf2 < old)]] *= template.lr_inc
        lr[ids[reject]] *= template.lr_dec
        has_memory[ids] = ~reject
        rejected_nonfinite[ids[~finite]] += 1
        accept = ~reject
        accepted = ids[accept]
        perf[accepted] = perf2[accept]
        grad_norm[accepted] = stats[accept, 1]
        vperf[accepted] = stats[accept, 2]
        tperf[accepted] = stats[accept, 3]
        if accept.all():
            thetas, g = thetas2, g2
        elif accept.any():
            mask = upload(accept.astype(np.float64))[:, None] > 0
            thetas = xp.where(mask, thetas2, thetas)
            g = xp.where(mask, g2, g)

    _fill_histories(results, rows)
    return results  # type: ignore[return-value]


def _fill_histories(results: list, rows: list[tuple[np.ndarray, ...]]) -> None:
    """Turn the per-epoch host rows into each network's history lists."""
    K = len(results)
    n_rows = len(rows)
    table = np.full((len(HISTORY_COLUMNS), n_rows, K), np.nan)
    for e, (ids, *values) in enumerate(rows):
        for c, column in enumerate(values):
            table[c, e, ids] = column
    for k, result in enumerate(results):
        n = result.n_epochs + 1
        for c, key in enumerate(HISTORY_COLUMNS):
            values = table[c, :n, k].tolist()
            if key == "val_fail":
                values = [int(v) for v in values]
            result.history[key] = values
