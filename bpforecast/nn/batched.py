"""Train K gradient-descent networks at once: the restarts' historical entry point.

:func:`train_batched` is :func:`bpforecast.nn.training.train_stacked` for the
gradient-descent family, with the solver given by name. The loop, the rule
and the passes are the core's: :func:`bpforecast.nn.loop.run`,
:class:`bpforecast.nn.rules.GradientDescent` and
:class:`bpforecast.nn.stacked.StackedPasses`. Each network keeps its own
solver state, validation bookkeeping, best weights and stopping criteria; a
network that has stopped is dropped from the stack.

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

from collections.abc import Mapping

from .network import Architecture
from .record import TrainingResult
from .solvers import SOLVERS
from .training import StopCriteria, train_stacked

__all__ = ["train_batched"]


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
    solver = SOLVERS[solver_name](**dict(solver_params or {}))
    return train_stacked(
        thetas,
        arch,
        training,
        solver,
        criteria,
        validation,
        test,
        share_first_layer=share_first_layer,
    )
