"""``train`` and ``init``: fit the network's BPRegressor on MATLAB-oriented data."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..estimators.division import divideind as _divideind
from ..estimators.regressor import BPRegressor
from .arrays import _rows
from .names import _random_state
from .network import Network
from .record import TrainingRecord, training_record
from .timeseries import _open_loop_features, _open_loop_signals, _original_lags


def _same_architecture(reg: BPRegressor, params: dict, n_in: int, n_out: int) -> bool:
    """Whether ``reg`` can warm-start with ``params`` on data of these sizes."""
    if getattr(reg, "n_features_in_", None) != n_in:
        return False
    if getattr(reg, "n_outputs_", None) != n_out:
        return False
    current = reg.get_params()
    for key in ("activation", "output_activation", "scaling"):
        if key in params and current[key] != params[key]:
            return False
    return tuple(current["hidden_layer_sizes"]) == params["hidden_layer_sizes"]


def train(
    net: Network,
    X: ArrayLike,
    T: ArrayLike,
    Xi: ArrayLike | None = None,
    Ai: ArrayLike | None = None,
    *,
    random_state: Any = None,
) -> tuple[Network, TrainingRecord]:
    """MATLAB's ``[net, tr] = train(net, X, T, Xi, Ai)``.

    Builds a :class:`~bpforecast.BPRegressor` from the network's fields
    (:meth:`Network.regressor_params`) and fits it on ``X.T, T.T`` (for
    time-series networks, on the lag table
    :func:`bpforecast.forecasting.windowing.make_windows` builds from
    ``[Xi, X]``). As in MATLAB, training an already trained network continues
    from its weights and keeps its scaling (call :func:`init` first to start
    afresh), and NaN targets are "don't care": samples with a NaN target are left out.

    Parameters
    ----------
    net : Network
    X : array-like of shape (n_inputs, Q)
        Inputs, variables in rows (a 1-D array is one row). For time series
        networks, ``Xs`` from :func:`preparets`.
    T : array-like of shape (n_outputs, Q)
        Targets (``Ts`` from :func:`preparets`).
    Xi, Ai : array-like, optional
        Initial input and layer delay states from :func:`preparets`
        (``Ai`` is not used by open-loop networks).
    random_state : int, RandomState or None
        Seeds the division and the initial weights; None uses the generator
        set by :func:`rng` (fresh randomness if it was never called).

    Returns
    -------
    net : Network
        A trained copy (``net.regressor`` holds the fitted estimator).
    tr : TrainingRecord

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> x = np.linspace(-2, 2, 100)[None, :]
    >>> net = nn.fitnet(6)
    >>> net.divideFcn = "divideind"
    >>> net.divideParam.trainInd = list(range(0, 100, 2))
    >>> net.divideParam.valInd = list(range(1, 100, 2))
    >>> net, tr = nn.train(net, x, np.tanh(x), random_state=0)
    >>> tr.trainInd[:3].tolist(), tr.valInd[:3].tolist(), tr.testInd.size
    ([0, 2, 4], [1, 3, 5], 0)
    """
    if not isinstance(net, Network):
        raise TypeError(f"train needs a Network, got {type(net).__name__}.")
    net = copy.deepcopy(net)
    if net.feedbackMode == "closed":
        raise NotImplementedError(
            "training a closed-loop network is not supported: train the open-loop "
            "network, then closeloop() it (MATLAB's recommended workflow)."
        )
    t = _rows(T, "T", allow_nan=True)
    if net._is_dynamic():
        full = _open_loop_signals(net, X, Xi, "X")
        features = _open_loop_features(net, full)
        n_x = full.shape[0] - (1 if net.feedbackDelays else 0)
    else:
        features = _rows(X, "X").T
        n_x = features.shape[1]
    if features.shape[0] != t.shape[1]:
        raise ValueError(
            f"X gives {features.shape[0]} samples and T has {t.shape[1]} columns. "
            "MATLAB orientation: variables in rows, samples in columns (transpose "
            "arrays that hold samples in rows)."
        )
    if np.any(np.isinf(t)):
        raise ValueError("T contains infinite values.")
    keep = np.flatnonzero(np.all(np.isfinite(t), axis=0))
    if keep.size == 0:
        raise ValueError("T has no sample without NaN.")

    params = net.regressor_params()
    order = np.arange(keep.size)
    if net.divideFcn == "divideind" and params["division"] is not None:
        order, params["division_ratios"] = _divideind_order(net, t.shape[1], keep)
    Xfit = features[keep][order]
    tfit = t[:, keep][:, order]
    yfit = tfit[0] if t.shape[0] == 1 else tfit.T

    rs = _random_state(random_state)
    old = net.regressor
    if old is not None and _same_architecture(old, params, Xfit.shape[1], t.shape[0]):
        reg = copy.deepcopy(old)
        reg.set_params(**params, warm_start=True, random_state=rs)
    else:
        reg = BPRegressor(**params, random_state=rs)
    reg.fit(Xfit, yfit)

    original = keep[order]
    ratios = params.get("division_ratios", (1.0, 0.0, 0.0))
    divide_param = net.divideParam.to_dict()
    if net.divideFcn != "divideind" and params["division"] is not None:
        divide_param = dict(
            zip(("trainRatio", "valRatio", "testRatio"), ratios, strict=True)
        )
    tr = training_record(
        reg,
        train_ind=np.sort(original[reg.train_indices_]),
        val_ind=np.sort(original[reg.val_indices_]),
        test_ind=np.sort(original[reg.test_indices_]),
        divideFcn=net.divideFcn,
        divideParam=divide_param,
        trainParam=net.trainParam.to_dict(),
        divideMode=net.divideMode,
    )
    net.regressor = reg
    net.layers[-1].size = t.shape[0]
    net._fit_info = {
        "n_x": n_x,
        "lags": _original_lags(net),
        "n_outputs": t.shape[0],
    }
    net._last_tr = tr
    return net, tr


def _divideind_order(net: Network, n: int, keep: np.ndarray):
    """Sample order putting divideind's train, val, test sets in contiguous blocks."""
    d = net.divideParam
    parts = _divideind(n, d.trainInd, d.valInd, d.testInd)
    position = np.full(n, -1)
    position[keep] = np.arange(keep.size)
    blocks = [position[p][position[p] >= 0] for p in parts]  # NaN targets dropped
    if blocks[0].size == 0:
        raise ValueError("divideParam.trainInd selects no sample with a target.")
    counts = tuple(float(b.size) for b in blocks)
    return np.concatenate(blocks).astype(int), counts


def init(net: Network) -> Network:
    """MATLAB's ``net = init(net)``: forget the weights (next train starts afresh).

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.init(nn.fitnet(3)).regressor is None
    True
    """
    net = copy.deepcopy(net)
    net.regressor = None
    net._fit_info = None
    net._last_tr = None
    return net
