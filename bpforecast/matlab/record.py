"""MATLAB's training record ``tr``: a view of a fitted estimator's ``history_``.

There is one training record in bpforecast: the estimator's
:attr:`BPRegressor.history_ <bpforecast.BPRegressor.history_>` (one row
per epoch, columns ``perf, vperf, tperf, lr, gradient, val_fail``) with
its fitted attributes (``best_epoch_``, ``stop_reason_``, ``n_epochs_``,
the division indices). :class:`TrainingRecord` stores no per-epoch numbers
of its own: ``tr.perf``, ``tr.mu`` ... read the columns of that very
DataFrame (``tr.history is model.history_``) under MATLAB's names. It only
adds what MATLAB's ``tr`` has and the estimator does not keep in MATLAB's
words: the training and division function names, ``trainParam``,
``divideParam``, and indices in the caller's sample numbering when
:func:`~bpforecast.matlab.train` rearranged the samples.

The plots of :mod:`bpforecast.plotting` read these attribute names (or the
estimator's ``history_`` directly); they do not import this module.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .names import _DIVIDE_NAME, STOP_MESSAGES, TRAIN_DEFAULTS
from .network import Network

if TYPE_CHECKING:
    from ..estimators.regressor import BPRegressor

_STATES_GD = ("epoch", "perf", "vperf", "tperf", "lr", "gradient", "val_fail")
_STATES_LM = ("epoch", "perf", "vperf", "tperf", "mu", "gradient", "val_fail")
_STATES_BR = (*_STATES_LM, "gamk", "ssX")


class TrainingRecord:
    """MATLAB's training record ``tr``, a read-only view of ``history_``.

    Per-epoch arrays (index 0 is the state before the first update):
    ``epoch, perf, vperf, tperf, gradient, val_fail`` and ``lr`` (gradient
    descent) or ``mu`` (``trainlm``; the other one is None). ``vperf`` /
    ``tperf`` are NaN without a validation / test set. Errors are mean
    squared errors of the scaled targets. Indices are 0-based sample
    (column) numbers. The arrays are read from ``history`` (the estimator's
    ``history_`` DataFrame, not a copy) each time they are asked for.

    Parameters
    ----------
    history : pandas.DataFrame
        One row per epoch with the columns ``perf, vperf, tperf, lr,
        gradient, val_fail`` (the ``lr`` column holds ``mu`` for trainlm),
        as :attr:`BPRegressor.history_ <bpforecast.BPRegressor.history_>`.
    trainFcn : str
    trainParam, divideParam : dict
    divideFcn, divideMode : str
    trainInd, valInd, testInd : array-like of int
    num_epochs, best_epoch : int
    stop_reason : str
        The estimator's ``stop_reason_`` code (a key of
        :data:`~bpforecast.matlab.STOP_MESSAGES`).
    goal : float
    performFcn : str, default='mse'

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.matlab import training_record
    >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
    >>> model = BPRegressor((3,), solver="trainlm", random_state=0).fit(X, X.ravel())
    >>> tr = training_record(model)
    >>> tr.trainFcn, tr.lr is None, len(tr.mu) == tr.num_epochs + 1
    ('trainlm', True, True)
    >>> tr.history is model.history_
    True
    """

    def __init__(
        self,
        history: pd.DataFrame,
        *,
        trainFcn: str,  # noqa: N803
        trainParam: dict,  # noqa: N803
        divideFcn: str,  # noqa: N803
        divideMode: str,  # noqa: N803
        divideParam: dict,  # noqa: N803
        trainInd: Any,  # noqa: N803
        valInd: Any,  # noqa: N803
        testInd: Any,  # noqa: N803
        num_epochs: int,
        best_epoch: int,
        stop_reason: str,
        goal: float,
        performFcn: str = "mse",  # noqa: N803
    ) -> None:
        self.history = history
        self.trainFcn = trainFcn
        self.trainParam = dict(trainParam)
        self.performFcn = performFcn
        self.divideFcn = divideFcn
        self.divideMode = divideMode
        self.divideParam = dict(divideParam)
        self.trainInd = np.asarray(trainInd)
        self.valInd = np.asarray(valInd)
        self.testInd = np.asarray(testInd)
        self.num_epochs = int(num_epochs)
        self.best_epoch = int(best_epoch)
        self.stop_reason = stop_reason
        self.goal = float(goal)

    # ------------------------------------------------------- the view
    def _column(self, name: str, dtype: type = float) -> np.ndarray:
        return self.history[name].to_numpy(dtype=dtype)

    @property
    def _lm(self) -> bool:
        return self.trainFcn in ("trainlm", "trainbr")

    @property
    def _gd(self) -> bool:
        return self.trainFcn.startswith("traingd")

    @property
    def stop(self) -> str:
        """MATLAB's stop text (``'Validation stop.'`` ...)."""
        return STOP_MESSAGES[self.stop_reason]

    @property
    def states(self) -> tuple[str, ...]:
        """Names of the per-epoch arrays, as MATLAB's ``tr.states``."""
        if self.trainFcn == "trainbr":
            return _STATES_BR
        return _STATES_LM if self._lm else _STATES_GD

    @property
    def epoch(self) -> np.ndarray:
        """Epoch numbers ``0..``, one per row of ``history``."""
        return np.arange(len(self.history))

    @property
    def perf(self) -> np.ndarray:
        """Training mse (scaled targets) per epoch."""
        return self._column("perf")

    @property
    def vperf(self) -> np.ndarray:
        """Validation mse per epoch (NaN without a validation set)."""
        return self._column("vperf")

    @property
    def tperf(self) -> np.ndarray:
        """Test mse per epoch (NaN without a test set)."""
        return self._column("tperf")

    @property
    def gradient(self) -> np.ndarray:
        """Gradient norm per epoch."""
        return self._column("gradient")

    @property
    def val_fail(self) -> np.ndarray:
        """Validation checks (epochs since the best validation error)."""
        return self._column("val_fail", int)

    @property
    def lr(self) -> np.ndarray | None:
        """Learning rate per epoch (gradient descent; None for the others,
        which MATLAB records no ``tr.lr`` for: trainscg's ``lambda`` and
        trainrp's mean step size stay in the model's ``history_['lr']``)."""
        return self._column("lr") if self._gd else None

    @property
    def mu(self) -> np.ndarray | None:
        """``mu`` per epoch (trainlm, trainbr; None for the others)."""
        return self._column("lr") if self._lm else None

    @property
    def gamk(self) -> np.ndarray | None:
        """trainbr's effective number of parameters per epoch (None otherwise)."""
        return self._column("gamma") if "gamma" in self.history else None

    @property
    def ssX(self) -> np.ndarray | None:
        """trainbr's sum of squared weights and biases per epoch (None otherwise)."""
        return self._column("ssX") if "ssX" in self.history else None

    @property
    def best_perf(self) -> float:
        """Training mse at the best epoch."""
        return float(self.history["perf"].iloc[self.best_epoch])

    @property
    def best_vperf(self) -> float:
        """Validation mse at the best epoch."""
        return float(self.history["vperf"].iloc[self.best_epoch])

    @property
    def best_tperf(self) -> float:
        """Test mse at the best epoch."""
        return float(self.history["tperf"].iloc[self.best_epoch])

    def __repr__(self) -> str:
        return (
            f"<TrainingRecord {self.trainFcn}: {self.num_epochs} epochs, best epoch "
            f"{self.best_epoch}, stop={self.stop!r}>"
        )


def training_record(
    model: BPRegressor | Network,
    *,
    train_ind: np.ndarray | None = None,
    val_ind: np.ndarray | None = None,
    test_ind: np.ndarray | None = None,
    divideFcn: str | None = None,  # noqa: N803
    divideParam: dict | None = None,  # noqa: N803
    trainParam: dict | None = None,  # noqa: N803
    divideMode: str = "sample",  # noqa: N803
) -> TrainingRecord:
    """MATLAB's ``tr`` for a fitted :class:`~bpforecast.BPRegressor` (or Network).

    A view: the per-epoch arrays are the columns of the estimator's
    ``history_``; ``best_epoch_``, ``stop_reason_``, ``n_epochs_`` and the
    division indices give the rest. The keyword arguments override the
    indices and settings (:func:`~bpforecast.matlab.train` uses them when it
    rearranged the samples).

    Parameters
    ----------
    model : BPRegressor or Network
        Fitted.
    train_ind, val_ind, test_ind : ndarray of int, optional
        Indices to report instead of the estimator's.
    divideFcn : str, optional
        Default: the MATLAB name of the estimator's ``division``.
    divideParam, trainParam : dict, optional
        Default: from the estimator's ``division_ratios`` and parameters.
    divideMode : str, default='sample'

    Returns
    -------
    TrainingRecord

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import BPRegressor
    >>> from bpforecast.matlab import training_record
    >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
    >>> tr = training_record(BPRegressor((2,), epochs=5, random_state=0).fit(X, X))
    >>> tr.stop, tr.epoch.tolist(), tr.divideFcn
    ('Maximum epoch reached.', [0, 1, 2, 3, 4, 5], 'divideblock')
    """
    if isinstance(model, Network):
        if model.regressor is None:
            raise ValueError("the network is not trained yet.")
        model = model.regressor
    if not hasattr(model, "history_"):
        raise ValueError(f"{type(model).__name__} is not fitted (no history_).")
    division = model._division() if hasattr(model, "_division") else model.division
    if divideFcn is None:
        divideFcn = "dividetrain" if division is None else _DIVIDE_NAME[division]
    if divideParam is None:
        ratios = model.division_ratios if division is not None else (1.0, 0.0, 0.0)
        divideParam = dict(
            zip(("trainRatio", "valRatio", "testRatio"), ratios, strict=True)
        )
    if trainParam is None:
        keys = TRAIN_DEFAULTS.get(model.solver, {})
        trainParam = {}
        for key in keys:
            attr = "lambda0" if key == "lambda" else key
            if hasattr(model, attr):
                value = getattr(model, attr)
                if value is None and hasattr(model, "_default"):
                    value = model._default(attr)
                trainParam[key] = value
        trainParam["time"] = math.inf if model.max_time is None else model.max_time
    return TrainingRecord(
        model.history_,
        trainFcn=model.solver,
        trainParam=trainParam,
        divideFcn=divideFcn,
        divideMode=divideMode,
        divideParam=divideParam,
        trainInd=model.train_indices_ if train_ind is None else train_ind,
        valInd=model.val_indices_ if val_ind is None else val_ind,
        testInd=model.test_indices_ if test_ind is None else test_ind,
        num_epochs=model.n_epochs_,
        best_epoch=model.best_epoch_,
        stop_reason=model.stop_reason_,
        goal=model.goal,
    )
