"""The training record: history columns, stop reasons and :class:`TrainingResult`.

Design
------
Every training run, whatever its rule and however many networks it trains
at once, returns one :class:`TrainingResult` per network with the same
per-epoch columns (:data:`HISTORY_COLUMNS`). A rule may add columns of its
own after these: it names them in ``rule.extra_columns`` and the loop fills
them each epoch from ``rule.record(state, lin)`` (trainbr adds
:data:`TRAINBR_COLUMNS`: ``gamma``, ``alpha``, ``beta``, ``ssX``, MATLAB's
``tr.gamk`` and ``tr.ssX``). The estimators turn it into their ``history_``
frame and the MATLAB layer into its ``tr`` record; to keep the extra
columns, iterate over ``result.history`` rather than
:data:`HISTORY_COLUMNS`.

Examples
--------
>>> from bpforecast.nn.record import HISTORY_COLUMNS, TrainingResult
>>> HISTORY_COLUMNS
('perf', 'vperf', 'tperf', 'lr', 'gradient', 'val_fail')
>>> sorted(TrainingResult(theta=None).history) == sorted(HISTORY_COLUMNS)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

HISTORY_COLUMNS = ("perf", "vperf", "tperf", "lr", "gradient", "val_fail")
TRAINBR_COLUMNS = ("gamma", "alpha", "beta", "ssX")
"""trainbr's own columns, after :data:`HISTORY_COLUMNS` (``beta`` in sum scale)."""
STOP_REASONS = ("epochs", "goal", "min_grad", "mu_max", "max_fail", "time", "user")


@dataclass
class TrainingResult:
    """What training returns, per network.

    Attributes
    ----------
    theta : array
        The returned weights: lowest validation error, or the last ones.
    history : dict of list
        Per-epoch record, keys :data:`HISTORY_COLUMNS` (``lr`` holds ``mu``
        for trainlm and trainbr) followed by the rule's own columns, if any
        (trainbr: :data:`TRAINBR_COLUMNS`).
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
