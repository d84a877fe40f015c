"""GlobalForecaster: one BP network (an ensemble) trained on the windows of many series.

The series are scaled, cut into windows of ``lookback`` inputs and
``horizon`` targets and normalised by each window's level by the pure
functions of :mod:`bpforecast.forecasting.global_windows` (where the steps
and the memory they take are described); the long frames are checked and
turned into arrays by :mod:`bpforecast.forecasting.global_inputs`. This
module holds the estimator and its default network. The pure functions are
re-exported here under their old names.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LinearRegression
>>> from bpforecast.forecasting.global_model import GlobalForecaster
>>> t = np.arange(40)
>>> data = pd.DataFrame({
...     "unique_id": np.repeat(["a", "b"], 40),
...     "ds": np.tile(pd.date_range("2000-01-01", periods=40, freq="MS"), 2),
...     "y": np.r_[100 * 1.01 ** t, 5 * 1.02 ** t],
... })
>>> f = GlobalForecaster(horizon=3, regressor=LinearRegression()).fit(data)
>>> f.predict().forecast.round(3).tolist()
[148.886, 150.375, 151.879, 11.04, 11.261, 11.486]
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, Interval, StrOptions
from ..estimators.regressor import BPRegressor
from ..seeds import restart_seeds
from .global_inputs import (
    COLUMNS,
    PreparedPanel,
    StaticEncoder,
    check_frame,
    check_static_features,
    future_exog,
    prepare,
)
from .global_windows import (
    build_windows,
    denormalize,
    inverse_series_transform,
    normalize_windows,
    pad_left,
    resolve_lookback,
    series_transform,
    window_columns,
    window_view,
)
from .intervals import conformal_half_width
from .multiseries import _backend_context
from .plausibility import PLAUSIBLE_RANGES, ImplausibleMemberWarning, is_plausible
from .series import future_index

__all__ = [
    "GlobalForecaster",
    "ImplausibleMemberWarning",
    "build_windows",
    "default_global_regressor",
    "denormalize",
    "inverse_series_transform",
    "normalize_windows",
    "pad_left",
    "resolve_lookback",
    "series_transform",
    "window_view",
]


#: Solvers that train on mini-batches in :func:`default_global_regressor`.
MINI_BATCH_SOLVERS = ("traingd", "traingdm", "traingda", "traingdx")
#: Full-batch solvers that need only gradients (one pass over the windows).
FULL_BATCH_SOLVERS = ("trainscg", "trainrp")
#: Solvers that need the Jacobian (one row per window and output step).
JACOBIAN_SOLVERS = ("trainlm", "trainbr")


def default_global_regressor(
    random_state: Any = None, solver: str = "traingdx"
) -> BPRegressor:
    """The network GlobalForecaster trains when no regressor is given.

    Two hidden layers of 32 tansig neurons, early stopping after 10 failed
    validation checks on a random 20 % of the windows. With the default
    ``solver='traingdx'``: mini-batch traingdx (batches of 256 windows,
    initial learning rate 0.01, adaptive), up to 100 epochs. See the class
    docstring for the evidence.

    Parameters
    ----------
    random_state : int, RandomState or None
    solver : str, default='traingdx'
        The training function. traingd, traingdm, traingda and traingdx keep
        the mini-batches of 256 windows and the 100 epochs. trainscg and
        trainrp train full batch (they have no mini-batch form) for up to
        1000 epochs (MATLAB's limit). trainlm and trainbr are refused: each
        of their epochs builds the Jacobian, one row per window and output
        step and one column per weight (for 10**5 windows, a horizon of 12
        and the ~2,000 weights of the (32, 32) network that is about
        2.5 * 10**9 values, 20 GB), and solves with its normal matrix.

    Returns
    -------
    BPRegressor

    Raises
    ------
    ValueError
        For an unknown solver, or trainlm / trainbr (naming the size).

    Examples
    --------
    >>> from bpforecast.forecasting.global_model import default_global_regressor
    >>> default_global_regressor().hidden_layer_sizes
    (32, 32)
    >>> r = default_global_regressor(solver="trainscg")
    >>> r.solver, r.batch_size, r.epochs
    ('trainscg', None, 1000)
    """
    if solver in JACOBIAN_SOLVERS:
        raise ValueError(
            f"solver={solver!r} is not offered for GlobalForecaster: every epoch "
            "builds a Jacobian of (windows x horizon) rows by (weights) columns, "
            "e.g. 10**5 windows x 12 steps x ~2,000 weights = 2.5e9 values "
            "(20 GB) for the default network. Use trainscg (full batch, "
            "gradients only) or traingdx (mini-batches); for a small panel pass "
            f"regressor=BPRegressor(solver={solver!r}, ...) yourself."
        )
    if solver in FULL_BATCH_SOLVERS:
        batch_size, epochs = None, 1000
    elif solver in MINI_BATCH_SOLVERS:
        batch_size, epochs = 256, 100
    else:
        known = (*MINI_BATCH_SOLVERS, *FULL_BATCH_SOLVERS)
        raise ValueError(f"solver must be one of {list(known)}, got {solver!r}.")
    return BPRegressor(
        hidden_layer_sizes=(32, 32),
        solver=solver,
        lr=0.01,
        batch_size=batch_size,
        epochs=epochs,
        max_fail=10,
        division="random",
        division_ratios=(0.8, 0.2, 0.0),
        random_state=random_state,
    )


# ---------------------------------------------------------------------------
# Inputs of the last window, members
# ---------------------------------------------------------------------------


def _last_inputs(
    p: PreparedPanel,
    lookback: int,
    horizon: int,
    exog: tuple[list[np.ndarray], list[np.ndarray] | None],
) -> tuple[np.ndarray, np.ndarray]:
    """Each series' last window of inputs (as :func:`build_windows` lays a
    window out) and its level; ``exog`` from :meth:`PreparedPanel.scaled_exog`,
    with the future values."""
    k, d = p.n_exog, p.static.shape[1]
    width = lookback + horizon
    X = np.empty((len(p.z), lookback + k * width + d))
    level = np.empty(len(p.z))
    history, future = exog
    for i, z in enumerate(p.z):
        w = pad_left(z, lookback)[-lookback:][None, :]
        x, _, lv = normalize_windows(w, lookback, p.season[i])
        X[i, :lookback], level[i] = x[0], lv[0]
        for j in range(k):
            col = lookback + j * width
            X[i, col : col + lookback] = pad_left(history[i][:, j], lookback)[
                -lookback:
            ]
            X[i, col + lookback : col + width] = future[i][:horizon, j]
        if d:
            X[i, X.shape[1] - d :] = p.static[i]
    return X, level


def _inverse(z: np.ndarray, p: PreparedPanel, i: int) -> np.ndarray:
    """Series ``i``'s forecast in its units; a constant series its constant."""
    if np.ptp(p.y[i]) == 0:
        return np.full(z.shape, p.y[i][-1])
    return inverse_series_transform(z, p.logged[i], p.scale[i])


def _fit_member(regressor: Any, X: np.ndarray, Y: np.ndarray) -> Any:
    return regressor.fit(X, Y)


def _fit_member_on_series(
    regressor: Any, series: list[np.ndarray], lookback: int, horizon: int, kw: dict
) -> tuple[Any, int]:
    """Build the windows where the member trains (a worker), then fit."""
    X, Y, _, _ = build_windows(series, lookback, horizon, **kw)
    return regressor.fit(X, Y), len(X)


# ---------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------


class GlobalForecaster(BaseEstimator):
    """One BP network (an ensemble) trained on the windows of many series.

    Fits on a long DataFrame (``unique_id``, ``ds``, ``y``; the mlforecast /
    statsforecast convention) and forecasts every series ``horizon`` steps at
    once (MIMO) from its last ``lookback`` values. See
    :mod:`bpforecast.forecasting.global_windows` for the scale, window and
    normalisation steps. Extra columns of the frame are dynamic exogenous
    regressors, or static features when named in ``fit(...,
    static_features=[...])`` (see Notes).

    Parameters
    ----------
    horizon : int, default=1
        Steps the network predicts at once; ``predict(h)`` accepts any
        ``h <= horizon``.
    lookback : float or sequence of float, default=(1.5, 2.0, 3.0)
        The lookback as a multiple of the horizon,
        ``L = max(ceil(lookback * horizon), season_length, 2)``
        (:func:`resolve_lookback`). A sequence trains ``n_models`` members
        for *each* lookback (an ensemble over lookbacks, as N-BEATS).
    season_length : int, optional
        Length of the window level (the mean of the last ``m`` inputs).
        Inferred per series from its date index when None (1 for integer
        ``ds``).
    n_models : int, default=1
        Members per lookback, each with its own seed.
    regressor : estimator, optional
        A scikit-learn regressor with multi-output ``fit(X, Y)`` /
        ``predict(X)``; cloned per member (its ``random_state`` set when it
        has one). Default :func:`default_global_regressor`.
    transform : {'auto', 'log'} or None, default='auto'
        ``'auto'``: the log for series whose values are all positive, the
        division by the mean absolute value for the others; ``'log'``:
        the log for all (an error names a series with a value <= 0);
        None: no log.
    max_windows_per_series : int, optional
        Keep only the last so many training windows of each series.
    random_state : int, RandomState or None
        Seeds the members (:func:`bpforecast.seeds.restart_seeds`).
    n_jobs : int, optional
        Members trained in parallel (joblib processes); None is one.
    backend : str or None, default=None
        A joblib backend for the parallel members, as in
        :class:`~bpforecast.MultiSeriesForecaster`: None uses joblib's active
        one (loky processes unless ``joblib.parallel_config`` says
        otherwise; only with ``n_jobs`` > 1); ``'dask'`` sends the members
        to the workers of the active ``dask.distributed`` client (``n_jobs``
        is then ignored). The forecasts are the same for every ``n_jobs``
        and backend up to rounding: the workers run one BLAS thread each,
        the calling process all of them, and LAPACK's factorisations (in
        trainlm and trainbr) round differently with one thread and several.
        The members are not pinned to one thread: that would slow the large
        matrix products of a sequential fit on a machine with many cores.

    Attributes
    ----------
    ids_ : list
        The series ids, in order of first appearance.
    lookbacks_ : list of int
        The lookback of each member.
    models_ : list
        The fitted members.
    n_windows_ : dict
        Training windows per lookback.
    dropped_members_ : dict
        ``unique_id -> [member positions]`` whose forecasts of that series
        left the plausible range (finite and within 10 history ranges of the
        history's [min, max]) and were dropped from its median; a series
        with every member dropped gets its last value (naive). Empty when
        none. Updated by ``predict(new_data=...)`` for the new series.
    calibration_errors_ : ndarray of shape (n_series, horizon)
        Set by the first :meth:`predict_interval`: held-out errors in the
        transformed space (see there).
    exog_features_ : list of str
        The dynamic exogenous columns (every column besides unique_id, ds,
        y and the static ones); empty without.
    static_features_ : list of str
        The static columns named in :meth:`fit`.
    static_inputs_ : list of str
        The network inputs the static columns became (a numeric column by
        its name, a one-hot category as ``column_value``).

    Notes
    -----
    **Exogenous and static columns** (the mlforecast convention).

    * *Dynamic exogenous* columns must be numeric (bool counts as 0/1) and
      finite. The network predicts all ``horizon`` steps at once, so a
      column enters each window with its ``lookback`` values over the
      inputs *and* its ``horizon`` values over the targets: the future
      values must be known, and :meth:`predict` takes them as ``X_df``
      (every series, all ``horizon`` future dates, even for a smaller
      ``h``). Each column is standardised per series by the mean and
      standard deviation of that series' history (the same two numbers
      applied to its future values; a standard deviation of 0 counts as 1);
      the window level is not subtracted. A column constant within every
      series is refused (it would be zero everywhere).
    * *Static* columns (``fit(data, static_features=[...])``) hold one value
      per series (checked: constant, not missing), taken from the training
      frame (or from ``new_data``) and fed in every window of the series.
      Numeric ones are standardised across the training series; any other
      dtype (text, categorical) is one-hot encoded over the values seen in
      training, and an unseen value in ``new_data`` raises. Unlike
      mlforecast, ``static_features=None`` means no static columns (not
      "every extra column"); cast a numeric code to ``str`` to one-hot
      encode it.
    * :meth:`create_train_X_y` returns the windows with named columns;
      :meth:`predict_interval` calibrates with the observed exogenous
      values of the held-out block; ``predict(new_data=...)`` needs the
      same columns (the dynamic ones standardised by the new history).


    **Too short**: a training series needs ``horizon + 1`` values (one
    target block and one observed input); shorter series raise a
    :class:`~bpforecast.forecasting.multiseries.SeriesError`. Series shorter
    than ``lookback + horizon + 1`` are left-padded with their first value.
    For prediction, series (also new ones) shorter than the lookback are
    left-padded with their first value; datetime series need three dates so
    that their frequency can be inferred.

    **Constant series** forecast their constant (the network is bypassed).

    **Defaults, from the development benchmark** (M1 and Tourism, the six
    yearly/quarterly/monthly subsets at the official horizons, scored as in
    ``benchmarks/competition.py``: OWA vs Naive2, mean over the subsets;
    Theta scores 0.907; no M3/M4 data). Global alone / its per-step median
    with Theta:

    ========================================  ===========  ============
    configuration                             global       global+Theta
    ========================================  ===========  ============
    lookback 1.5h, one (32, 32) member        0.912        0.850
    lookback 2h, one member                   0.904        0.853
    lookback 3h, one member                   0.912        0.856
    **1.5h, 2h, 3h, one member each**         **0.888**    **0.844**
    same, 200 epochs, ``max_fail=20``         0.886        0.844
    same, ``alpha=1`` (L2)                    0.909        0.857
    same, (64, 64) members                    0.881        0.843
    Ridge in place of the network (2h)        0.902        0.852
    ========================================  ===========  ============

    * *Lookback*: an ensemble over 1.5h, 2h and 3h beats every single
      lookback (0.888 vs 0.904-0.912). In a first round of experiments, scored
      alike on five subsets but with a Naive2 and MASE of their own on
      Tourism monthly, a fourth lookback (4h) gave 0.877 / 0.843 against
      0.881 / 0.843, and two seeds per lookback 0.879 / 0.843 at twice the
      time: one seed per lookback.
    * *Network*: (64, 64) gives 0.881 / 0.843 against 0.888 / 0.844 for
      (32, 32), but takes 86 s instead of about 45 s on Tourism monthly,
      beyond the 60 s budget; the combination with Theta is the same.
    * *Training rule*: mini-batch traingdx, batches of 256. Full-batch
      traingdx reached the same accuracy on Tourism quarterly (29 310
      windows: OWA 0.897 vs 0.891) but needed 749 epochs and 38 s per
      network against about 70 epochs and 10 s; batches of 1024 (lr 0.02)
      were no faster and no better. ``regressor=`` takes any other rule;
      :func:`default_global_regressor` gives the same network with another
      one. Full-batch trainscg (``solver='trainscg'``, up to 1000 epochs)
      is more accurate on Tourism quarterly (OWA 0.880 vs 0.891) and
      monthly (0.819 vs 0.837) but takes 2 and 4 times as long (17-30 s vs
      10-14 s, 161-170 s vs 41-44 s): 165-450 epochs of two full passes
      each, against 75-94 mini-batch epochs. Mini-batch traingdx stays the
      default (benchmarks/README.md).
    * *Multi-output*: all ``horizon`` steps at once; no closed loop can run
      away.
    * *Speed*: Tourism monthly (366 series, 210 000 windows over the three
      lookbacks) fits and predicts in 33-43 s with one BLAS thread on the
      2-core development machine (33 s in the full benchmark run, Theta
      0.008 s a series there; 64 s with two BLAS threads: mini-batch
      products are small).
    * *Against Theta*: the per-step median with Theta, not the network
      alone, beats Theta on every subset; alone it loses on M1 quarterly
      (0.922 vs 0.909) and Tourism yearly (0.917 vs 0.912).

    **Many cores**: members are trained through :class:`joblib.Parallel`
    (``n_jobs`` processes, or ``backend='dask'`` for the active Dask
    client). Each task gets the transformed series (small) and builds its
    own member's windows where it runs, so window building is spread too and
    only the fitted member comes back; each worker holds the windows of the
    member it trains.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bpforecast import GlobalForecaster
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(60)
    >>> data = pd.DataFrame({
    ...     "unique_id": np.repeat(["a", "b", "c"], 60),
    ...     "ds": np.tile(pd.date_range("2010-01-01", periods=60, freq="MS"), 3),
    ...     "y": np.concatenate([
    ...         s * (10 + np.sin(2 * np.pi * t / 12)) + rng.normal(0, 0.1, 60)
    ...         for s in (1, 5, 20)]),
    ... })
    >>> f = GlobalForecaster(horizon=6, n_models=1, lookback=2,
    ...                      random_state=0).fit(data)
    >>> out = f.predict()
    >>> out.columns.tolist(), len(out), str(out.ds.iloc[0].date())
    (['unique_id', 'ds', 'forecast'], 18, '2015-01-01')
    """

    _parameter_constraints: dict = {
        "horizon": [Interval(numbers.Integral, 1, None, closed="left")],
        "lookback": [Interval(numbers.Real, 0, None, closed="neither"), "array-like"],
        "season_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_models": [Interval(numbers.Integral, 1, None, closed="left")],
        "regressor": [HasMethods(["fit", "predict"]), None],
        "transform": [StrOptions({"auto", "log"}), None],
        "max_windows_per_series": [
            Interval(numbers.Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
        "n_jobs": [numbers.Integral, None],
        "backend": [str, None],
    }

    def __init__(
        self,
        horizon: int = 1,
        lookback: float | Sequence[float] = (1.5, 2.0, 3.0),
        season_length: int | None = None,
        n_models: int = 1,
        regressor: Any = None,
        transform: str | None = "auto",
        max_windows_per_series: int | None = None,
        random_state: Any = None,
        n_jobs: int | None = None,
        backend: str | None = None,
    ) -> None:
        self.horizon = horizon
        self.lookback = lookback
        self.season_length = season_length
        self.n_models = n_models
        self.regressor = regressor
        self.transform = transform
        self.max_windows_per_series = max_windows_per_series
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.backend = backend

    # ------------------------------------------------------------ helpers
    def _multiples(self) -> list[float]:
        if isinstance(self.lookback, numbers.Real):
            multiples = [float(self.lookback)]
        else:
            multiples = [float(v) for v in np.ravel(np.asarray(self.lookback, float))]
        if not multiples or not all(np.isfinite(v) and v > 0 for v in multiples):
            raise ValueError(
                f"lookback must be positive multiples of the horizon, got "
                f"{self.lookback!r}."
            )
        return multiples

    def _lookbacks(self, season: np.ndarray) -> list[int]:
        m = int(season.max()) if season.size else 1
        return [resolve_lookback(v, self.horizon, m) for v in self._multiples()]

    def _members(self) -> list[Any]:
        template = (
            default_global_regressor() if self.regressor is None else self.regressor
        )
        n = len(self._multiples()) * self.n_models
        seeds = restart_seeds(self.random_state, n)
        members = []
        for seed in seeds:
            member = clone(template)
            if "random_state" in member.get_params():
                member.set_params(random_state=seed)
            members.append(member)
        return members

    def _window_options(self, p: PreparedPanel) -> dict:
        """The keyword arguments of :func:`build_windows` for panel ``p``."""
        history, _ = p.scaled_exog()
        return {
            "level_lengths": p.season,
            "max_windows_per_series": self.max_windows_per_series,
            "exog": history or None,
            "static": p.static if p.static.shape[1] else None,
        }

    def _train(self, p: PreparedPanel, lookbacks: list[int]) -> tuple[list, dict]:
        members = self._members()
        kw = self._window_options(p)
        n_windows: dict = {}
        if self.n_jobs in (None, 1) and self.backend is None:
            models = []
            for k, L in enumerate(lookbacks):
                X, Y, _, _ = build_windows(p.z, L, self.horizon, **kw)
                n_windows[L] = len(X)
                for j in range(self.n_models):
                    models.append(_fit_member(members[k * self.n_models + j], X, Y))
            return models, n_windows
        # Parallel: each task gets the (small) series and builds its windows.
        from joblib import Parallel, delayed

        tasks = [
            (members[k * self.n_models + j], p.z, L, self.horizon, kw)
            for k, L in enumerate(lookbacks)
            for j in range(self.n_models)
        ]
        with _backend_context(self.backend):
            out = Parallel(n_jobs=self.n_jobs)(
                delayed(_fit_member_on_series)(*task) for task in tasks
            )
        for (_, _, L, _, _), (_, n) in zip(tasks, out, strict=True):
            n_windows[L] = n
        return [model for model, _ in out], n_windows

    def _member_forecasts(
        self, models: list, lookbacks: list[int], p: PreparedPanel
    ) -> np.ndarray:
        """Member forecasts in the transformed space, (members, series, horizon)."""
        out = np.empty((len(models), len(p.z), self.horizon))
        exog = p.scaled_exog()
        inputs = {L: _last_inputs(p, L, self.horizon, exog) for L in set(lookbacks)}
        for k, model in enumerate(models):
            X, level = inputs[lookbacks[k // self.n_models]]
            pred = np.asarray(model.predict(X)).reshape(len(X), -1)
            out[k] = denormalize(pred, level)
        return out

    def _combine(self, Z: np.ndarray, p: PreparedPanel) -> tuple[np.ndarray, dict]:
        """Median of plausible members per series (transformed space), drops."""
        combined = np.empty(Z.shape[1:])
        dropped: dict = {}
        for i, uid in enumerate(p.ids):
            history = p.y[i]
            if np.ptp(history) == 0:  # constant: forecast the constant
                combined[i] = p.z[i][-1]
                continue
            ok = [
                k
                for k in range(Z.shape[0])
                if is_plausible(
                    inverse_series_transform(Z[k, i], p.logged[i], p.scale[i]), history
                )
            ]
            if len(ok) < Z.shape[0]:
                dropped[uid] = [k for k in range(Z.shape[0]) if k not in ok]
            if ok:
                combined[i] = np.median(Z[ok, i], axis=0)
            else:
                combined[i] = p.z[i][-1]
        return combined, dropped

    def _warn_dropped(self, dropped: dict) -> None:
        if dropped:
            ids = list(dropped)
            warnings.warn(
                f"{sum(map(len, dropped.values()))} member forecast(s) of "
                f"{len(ids)} series left the plausible range (more than "
                f"{PLAUSIBLE_RANGES:g} history ranges beyond the history) and were "
                f"dropped from the median, e.g. series {ids[0]!r} members "
                f"{dropped[ids[0]]}; a series with every member dropped gets its "
                "last value. See dropped_members_.",
                ImplausibleMemberWarning,
                stacklevel=4,
            )

    def _check_h(self, h: Any) -> int:
        check_is_fitted(self, "models_")
        if h is None:
            return self.horizon
        if not isinstance(h, numbers.Integral) or isinstance(h, bool) or h < 1:
            raise ValueError(f"h must be a positive integer, got {h!r}.")
        if h > self.horizon:
            raise ValueError(
                f"h={h} exceeds the horizon the network was trained for "
                f"({self.horizon}); refit with horizon={h}."
            )
        return int(h)

    def _frame(self, p: PreparedPanel, values: dict[str, np.ndarray], h: int):
        indexes = [future_index(ix, h) for ix in p.index]
        ids = np.repeat(np.array(p.ids, dtype=object), h)
        times = indexes[0].append(indexes[1:]) if len(indexes) > 1 else indexes[0]
        frame = pd.DataFrame({"unique_id": ids, "ds": times})
        for name, v in values.items():
            frame[name] = v[:, :h].ravel()
        return frame

    def _prepare_fit(
        self, data: Any, static_features: Any
    ) -> tuple[PreparedPanel, StaticEncoder, list[str], list[str]]:
        """Checked panel of a training frame, its static encoder and columns."""
        check_frame(data, "data")
        static_cols = check_static_features(static_features, data)
        exog_cols = [c for c in data.columns if c not in (*COLUMNS, *static_cols)]
        p, statics = prepare(
            data,
            self.transform,
            self.season_length,
            self.horizon + 1,
            "data",
            exog_cols,
            static_cols,
        )
        encoder = StaticEncoder().fit(statics)
        p.static = encoder.transform(statics)
        return p, encoder, exog_cols, static_cols

    # ------------------------------------------------------------ public
    def fit(
        self, data: pd.DataFrame, static_features: Sequence[str] | None = None
    ) -> GlobalForecaster:
        """Train the ensemble on every window of every series of ``data``.

        Parameters
        ----------
        data : DataFrame with columns unique_id, ds, y, and optional others
            ``ds`` datetimes (each series regular, its frequency inferred;
            series may differ in frequency and length) or evenly spaced
            integers. Columns named in ``static_features`` are static; every
            other column is a dynamic exogenous regressor (numeric, no NaN),
            whose future values :meth:`predict` then needs in ``X_df``. Not
            modified.
        static_features : list of str, optional
            Columns with one value per series (checked), fed to the network
            in every window of the series: numeric ones standardised across
            the series, the others one-hot encoded. Unlike mlforecast, where
            None makes every extra column static, None here means no static
            columns.

        Returns
        -------
        self

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from sklearn.linear_model import Ridge
        >>> from bpforecast import GlobalForecaster
        >>> data = pd.DataFrame({"unique_id": ["a"] * 10, "ds": range(10),
        ...                      "y": np.arange(1.0, 11.0)})
        >>> GlobalForecaster(horizon=2, regressor=Ridge()).fit(data).lookbacks_
        [3, 4, 6]

        With a dynamic exogenous column and a static one:

        >>> data = data.assign(price=np.r_[1.0, 2.0] .repeat(5), shop="north")
        >>> f = GlobalForecaster(horizon=2, regressor=Ridge())
        >>> f = f.fit(data, static_features=["shop"])
        >>> f.exog_features_, f.static_features_
        (['price'], ['shop'])
        """
        self._validate_params()
        self._multiples()
        p, encoder, exog_cols, static_cols = self._prepare_fit(data, static_features)
        lookbacks = self._lookbacks(p.season)
        models, n_windows = self._train(p, lookbacks)
        self.models_ = models
        self.lookbacks_ = [L for L in lookbacks for _ in range(self.n_models)]
        self._lookback_list = lookbacks
        self.n_windows_ = n_windows
        self.ids_ = list(p.ids)
        self.exog_features_ = exog_cols
        self.static_features_ = static_cols
        self.static_inputs_ = list(encoder.names_)
        self._static_encoder = encoder
        self._prepared = p
        if hasattr(self, "calibration_errors_"):
            del self.calibration_errors_
        if exog_cols:  # forecasts need the future values (predict's X_df)
            self._forecast_z, self.dropped_members_ = None, {}
            return self
        Z = self._member_forecasts(models, lookbacks, p)
        self._forecast_z, self.dropped_members_ = self._combine(Z, p)
        self._warn_dropped(self.dropped_members_)
        return self

    def _forecast(self, new_data: Any, X_df: Any) -> tuple[PreparedPanel, np.ndarray]:
        cols = self.exog_features_
        if not cols and X_df is not None:
            raise ValueError(
                "X_df holds future values of dynamic exogenous columns, and the "
                "model was fitted without any; leave X_df out."
            )
        if cols and X_df is None:
            raise ValueError(
                f"the model was fitted with the dynamic exogenous columns {cols}: "
                f"pass their future values as X_df (columns unique_id, ds, "
                f"{', '.join(map(str, cols))}; the {self.horizon} dates after the "
                "end of every series)."
            )
        if new_data is None:
            if not cols:
                return self._prepared, self._forecast_z
            p = self._prepared
        else:
            p, statics = prepare(
                new_data,
                self.transform,
                self.season_length,
                1,
                "new_data",
                cols,
                self.static_features_,
            )
            p.static = self._static_encoder.transform(statics)
        if cols:
            p = replace(p, future=future_exog(X_df, p, self.horizon, cols))
        Z = self._member_forecasts(self.models_, self._lookback_list, p)
        combined, dropped = self._combine(Z, p)
        self.dropped_members_ = dropped
        self._warn_dropped(dropped)
        return p, combined

    def predict(
        self, h: int | None = None, new_data: Any = None, X_df: Any = None
    ) -> pd.DataFrame:
        """Forecasts of every series, in long format.

        Parameters
        ----------
        h : int, optional
            Steps ahead, at most ``horizon`` (the default).
        new_data : DataFrame with columns unique_id, ds, y, optional
            Forecast these series from their own history instead of the
            training series (they need not have been seen in training).
            Series shorter than the lookback are left-padded with their
            first value. With exogenous or static columns in training it
            needs the same columns: the dynamic ones over its history
            (standardised by its own history), the static ones encoded as in
            training (an unseen category raises).
        X_df : DataFrame with columns unique_id, ds and the dynamic exogenous columns
            Required when the model was fitted with dynamic exogenous
            columns (mlforecast's name): their values at the ``horizon``
            dates after the end of every series forecast (the training
            series, or those of ``new_data``). The network takes all
            ``horizon`` future values as inputs, so ``X_df`` needs them even
            when ``h`` is smaller. Rows of other series or dates are
            ignored; a missing date, repeated date, NaN or infinite value
            raises a ValueError naming the series. Not modified.

        Returns
        -------
        DataFrame with columns unique_id, ds, forecast
            ``h`` rows per series, in order of first appearance; ``ds`` the
            dates (or integers) after each series' last one.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from sklearn.linear_model import LinearRegression
        >>> from bpforecast import GlobalForecaster
        >>> data = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 12),
        ...                      "ds": np.tile(np.arange(12), 2),
        ...                      "y": np.r_[2.0 ** np.arange(12),
        ...                                 1.5 ** np.arange(12)]})
        >>> f = GlobalForecaster(horizon=2, regressor=LinearRegression()).fit(data)
        >>> new = pd.DataFrame({"unique_id": ["z"] * 7, "ds": range(7),
        ...                     "y": 3.0 ** np.arange(7)})
        >>> f.predict(new_data=new).round({"forecast": 6}).values.tolist()
        [['z', 7, 2187.0], ['z', 8, 6561.0]]

        With a dynamic exogenous column, its future values go in ``X_df``:

        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=24)
        >>> data = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 12),
        ...                      "ds": np.tile(np.arange(12), 2),
        ...                      "y": 10 + x, "x": x})
        >>> f = GlobalForecaster(horizon=2, lookback=1, transform=None,
        ...                      regressor=LinearRegression()).fit(data)
        >>> X_df = pd.DataFrame({"unique_id": ["a", "a", "b", "b"],
        ...                      "ds": [12, 13, 12, 13], "x": [0.5, -1.0, 0.0, 2.0]})
        >>> f.predict(X_df=X_df).shape
        (4, 3)
        """
        h = self._check_h(h)
        p, Z = self._forecast(new_data, X_df)
        values = np.vstack([_inverse(Z[i], p, i) for i in range(len(p.ids))])
        return self._frame(p, {"forecast": values}, h)

    def _calibration(self) -> np.ndarray:
        """Held-out errors (transformed space) of the last block of every series."""
        if hasattr(self, "calibration_errors_"):
            return self.calibration_errors_
        p, H = self._prepared, self.horizon
        keep = [i for i, y in enumerate(p.y) if y.size >= H + 1]
        sub = p.subset(keep, cut=H)  # the cut exogenous values become the future
        trainable = [i for i, y in enumerate(sub.y) if y.size >= H + 1]
        if not trainable:
            raise ValueError(
                "no series is long enough (2 * horizon + 1 values) to hold out "
                "its final window for calibration."
            )
        train = sub.subset(trainable)
        models, _ = self._train(train, self._lookback_list)
        Z = self._member_forecasts(models, self._lookback_list, sub)
        combined, _ = self._combine(Z, sub)
        actual = np.vstack([p.z[i][-H:] for i in keep])
        self.calibration_errors_ = actual - combined
        return self.calibration_errors_

    def predict_interval(
        self,
        h: int | None = None,
        coverage: float = 0.9,
        new_data: Any = None,
        X_df: Any = None,
    ) -> pd.DataFrame:
        """Forecasts with split-conformal intervals, in long format.

        Calibration (once, on the first call; cached in
        ``calibration_errors_``): the final ``horizon`` values of every
        training series are held out, a second ensemble with the same
        settings and seeds is trained on the rest, and each series' held-out
        block is forecast (with dynamic exogenous columns, from their
        observed values over the held-out block). The errors ``actual -
        forecast`` are taken in the transformed space (log, or values divided
        by the series' mean absolute value), where series of any level are
        comparable. The half-width at step ``j`` is their conformal quantile
        over the ``K`` series
        (:func:`bpforecast.forecasting.intervals.conformal_half_width`: the
        ``ceil((K + 1) coverage) / K`` quantile of the absolute errors), and
        the interval is the forecast +- it, transformed back (for logged
        series multiplicative: ``forecast * exp(+-q)``). Coverage is over
        series, valid when the series are exchangeable.

        Parameters
        ----------
        h : int, optional
            At most ``horizon`` (the default).
        coverage : float in (0, 1), default=0.9
        new_data : DataFrame, optional
            As in :meth:`predict`.
        X_df : DataFrame, optional
            As in :meth:`predict` (required with dynamic exogenous columns).

        Returns
        -------
        DataFrame with columns unique_id, ds, forecast, lower, upper

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from sklearn.linear_model import Ridge
        >>> from bpforecast import GlobalForecaster
        >>> rng = np.random.default_rng(0)
        >>> data = pd.DataFrame({"unique_id": np.repeat(np.arange(30), 20),
        ...                      "ds": np.tile(np.arange(20), 30),
        ...                      "y": 50 + rng.normal(0, 1, 600).cumsum()})
        >>> f = GlobalForecaster(horizon=2, regressor=Ridge()).fit(data)
        >>> out = f.predict_interval(coverage=0.8)
        >>> bool((out.lower < out.forecast).all() and (out.forecast < out.upper).all())
        True
        """
        h = self._check_h(h)
        if not 0 < coverage < 1:
            raise ValueError(f"coverage must be in (0, 1), got {coverage!r}.")
        q = conformal_half_width(self._calibration(), coverage)
        p, Z = self._forecast(new_data, X_df)
        values = {"forecast": [], "lower": [], "upper": []}
        for i in range(len(p.ids)):
            lg, sc = p.logged[i], p.scale[i]
            values["forecast"].append(_inverse(Z[i], p, i))
            values["lower"].append(inverse_series_transform(Z[i] - q, lg, sc))
            values["upper"].append(inverse_series_transform(Z[i] + q, lg, sc))
        return self._frame(p, {k: np.vstack(v) for k, v in values.items()}, h)

    def create_train_X_y(
        self, data: pd.DataFrame, static_features: Sequence[str] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The training windows the network sees, for the first lookback.

        What :meth:`fit` with the same arguments trains its first members
        on; the model need not be fitted.

        Parameters
        ----------
        data : DataFrame with columns unique_id, ds, y, and optional others
            As in :meth:`fit`.
        static_features : list of str, optional
            As in :meth:`fit`.

        Returns
        -------
        X : DataFrame
            Indexed by (unique_id, ds of the first target). Columns, in
            order (:func:`~bpforecast.forecasting.global_windows.window_columns`):
            ``lag_L ... lag_1``, the normalised values (``lag_k``: ``k``
            steps before the first target); for each dynamic exogenous
            column ``c``, ``c_lag_L ... c_lag_1`` and ``c_step_1 ...
            c_step_h``, its values standardised per series at the same
            times and at the target steps; then the static inputs (a numeric
            static column by its name, standardised across series; a
            one-hot category as ``column_value``).
        Y : DataFrame with columns ``step_1 ... step_h``
            Normalised targets, same index.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast import GlobalForecaster
        >>> data = pd.DataFrame({"unique_id": ["a"] * 5, "ds": range(5),
        ...                      "y": [1.0, 2.0, 3.0, 4.0, 5.0]})
        >>> X, Y = GlobalForecaster(horizon=1, lookback=2, transform=None
        ...                         ).create_train_X_y(data)
        >>> X.columns.tolist(), Y.index[0] == ("a", 2), round(float(Y.iloc[0, 0]), 3)
        (['lag_2', 'lag_1'], True, 0.333)
        >>> data = data.assign(x=[0.0, 1.0, 0.0, 1.0, 0.0], kind="k")
        >>> X, _ = GlobalForecaster(horizon=1, lookback=2, transform=None
        ...                         ).create_train_X_y(data, static_features=["kind"])
        >>> X.columns.tolist()
        ['lag_2', 'lag_1', 'x_lag_2', 'x_lag_1', 'x_step_1', 'kind_k']
        """
        self._validate_params()
        p, encoder, exog_cols, _ = self._prepare_fit(data, static_features)
        L = self._lookbacks(p.season)[0]
        X, Y, owner, first = build_windows(
            p.z, L, self.horizon, **self._window_options(p)
        )
        ids = np.array(p.ids, dtype=object)[owner]
        times = [p.index[o][t] for o, t in zip(owner, first, strict=True)]
        index = pd.MultiIndex.from_arrays([ids, times], names=["unique_id", "ds"])
        columns = window_columns(L, self.horizon, exog_cols, encoder.names_)
        Xf = pd.DataFrame(X, index=index, columns=columns)
        Yf = pd.DataFrame(
            Y, index=index, columns=[f"step_{j}" for j in range(1, self.horizon + 1)]
        )
        return Xf, Yf
