"""What the training plots read, from whatever the caller has at hand.

The plots import nothing from the estimators or the MATLAB layer: they
duck-type on attributes. A source is any of

* a fitted estimator (:class:`~bpforecast.BPRegressor`): its ``history_``
  DataFrame, ``best_epoch_``, ``n_epochs_``, ``goal``, ``solver`` and the
  division indices ``train_indices_``, ``val_indices_``, ``test_indices_``;
* MATLAB's ``tr`` (:class:`bpforecast.matlab.TrainingRecord`, itself a view
  of ``history_``) or any object with its attribute names (``epoch, perf,
  vperf, tperf, gradient, val_fail, lr, mu, best_epoch, num_epochs, goal,
  trainInd, valInd, testInd``);
* a trained :class:`bpforecast.matlab.Network` (its last ``tr``, or its
  ``regressor``);
* the training loop's result (``history`` mapping of the per-epoch columns,
  ``best_epoch``, ``n_epochs``): no division indices, so only the training
  plots.

:func:`_curves` reads a source into :class:`_Curves`, the few arrays and
numbers a plot draws. It is not a training record of its own: it is built
on each call and never leaves this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

_MATLAB_NAMES = ("epoch", "perf", "vperf", "tperf", "gradient", "val_fail")


@dataclass(frozen=True)
class _Curves:
    """Per-epoch curves and division indices, MATLAB's names (``tr``'s)."""

    epoch: np.ndarray
    perf: np.ndarray
    vperf: np.ndarray
    tperf: np.ndarray
    gradient: np.ndarray
    val_fail: np.ndarray
    lr: np.ndarray | None
    mu: np.ndarray | None
    best_epoch: int
    num_epochs: int
    goal: float
    trainInd: np.ndarray | None  # noqa: N815
    valInd: np.ndarray | None  # noqa: N815
    testInd: np.ndarray | None  # noqa: N815

    @property
    def best_perf(self) -> float:
        return float(self.perf[self.best_epoch])

    @property
    def best_vperf(self) -> float:
        return float(self.vperf[self.best_epoch])


def _column(history: Any, name: str, dtype: type = float) -> np.ndarray:
    return np.asarray(history[name], dtype=dtype)


def _from_history(
    history: Any,
    *,
    best_epoch: int,
    num_epochs: int,
    goal: float,
    lm: bool,
    indices: tuple | None,
) -> _Curves:
    """Curves from a history table (a DataFrame or a mapping of columns)."""
    rate = _column(history, "lr")
    perf = _column(history, "perf")
    train_ind, val_ind, test_ind = (
        (None, None, None)
        if indices is None
        else tuple(np.asarray(i, dtype=int) for i in indices)
    )
    return _Curves(
        epoch=np.arange(perf.size),
        perf=perf,
        vperf=_column(history, "vperf"),
        tperf=_column(history, "tperf"),
        gradient=_column(history, "gradient"),
        val_fail=_column(history, "val_fail", int),
        lr=None if lm else rate,
        mu=rate if lm else None,
        best_epoch=int(best_epoch),
        num_epochs=int(num_epochs),
        goal=float(goal),
        trainInd=train_ind,
        valInd=val_ind,
        testInd=test_ind,
    )


def _curves(source: Any) -> _Curves:
    """The curves of a training record, a fitted estimator or a trained Network.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.plotting._sources import _curves
    >>> X = np.linspace(0, 1, 30).reshape(-1, 1)
    >>> c = _curves(BPRegressor((2,), epochs=4, random_state=0).fit(X, X.ravel()))
    >>> c.epoch.tolist(), c.mu is None, c.trainInd.size > 0
    ([0, 1, 2, 3, 4], True, True)
    """
    if isinstance(source, _Curves):
        return source
    if getattr(source, "_last_tr", None) is not None:  # a matlab.Network
        source = source._last_tr
    elif hasattr(source, "regressor") and not hasattr(source, "history_"):
        if source.regressor is None:
            raise ValueError("the network is not trained yet.")
        source = source.regressor
    if hasattr(source, "history_"):  # a fitted estimator
        return _from_history(
            source.history_,
            best_epoch=source.best_epoch_,
            num_epochs=source.n_epochs_,
            goal=getattr(source, "goal", 0.0),
            lm=getattr(source, "solver", None) == "trainlm",
            indices=(source.train_indices_, source.val_indices_, source.test_indices_),
        )
    if all(hasattr(source, name) for name in (*_MATLAB_NAMES, "best_epoch")):
        mu = getattr(source, "mu", None)
        lr = getattr(source, "lr", None)
        return _Curves(
            epoch=np.asarray(source.epoch),
            perf=np.asarray(source.perf, dtype=float),
            vperf=np.asarray(source.vperf, dtype=float),
            tperf=np.asarray(source.tperf, dtype=float),
            gradient=np.asarray(source.gradient, dtype=float),
            val_fail=np.asarray(source.val_fail, dtype=int),
            lr=None if lr is None else np.asarray(lr, dtype=float),
            mu=None if mu is None else np.asarray(mu, dtype=float),
            best_epoch=int(source.best_epoch),
            num_epochs=int(getattr(source, "num_epochs", len(source.perf) - 1)),
            goal=float(getattr(source, "goal", 0.0)),
            trainInd=_indices(source, "trainInd"),
            valInd=_indices(source, "valInd"),
            testInd=_indices(source, "testInd"),
        )
    history = getattr(source, "history", None)
    if history is not None and hasattr(source, "best_epoch"):  # the loop's result
        return _from_history(
            history,
            best_epoch=source.best_epoch,
            num_epochs=getattr(source, "n_epochs", len(history["perf"]) - 1),
            goal=getattr(source, "goal", 0.0),
            lm=False,
            indices=None,
        )
    raise TypeError(
        "expected a training record (tr), a fitted BPRegressor or a trained "
        f"Network, got {type(source).__name__}."
    )


def _indices(source: Any, name: str) -> np.ndarray | None:
    value = getattr(source, name, None)
    return None if value is None else np.asarray(value, dtype=int)


def _sets(tr: Any, n: int) -> list[tuple[str, np.ndarray]]:
    """(name, sample indices) for the non-empty training, validation, test sets."""
    r = _curves(tr)
    if r.trainInd is None:
        raise TypeError(
            "this training record has no division indices; pass a fitted "
            "BPRegressor, a trained Network or MATLAB's tr."
        )
    out = []
    for name, idx in (
        ("Training", r.trainInd),
        ("Validation", r.valInd),
        ("Test", r.testInd),
    ):
        idx = np.asarray(idx, dtype=int)
        if idx.size and idx.max() >= n:
            raise ValueError(
                f"tr's {name.lower()} indices go up to {idx.max()}, but the data "
                f"have {n} samples: pass the data tr was trained on."
            )
        if idx.size:
            out.append((name, idx))
    return out
