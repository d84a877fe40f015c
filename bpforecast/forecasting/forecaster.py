"""BPForecaster: a forecaster that owns the windowing around a BP network.

A person gives a series (and, if they have them, exogenous variables) and gets
forecasts with a future date index. The forecaster

1. optionally logs the series (``transform``), removes a clear seasonal
   pattern (``seasonal_adjustment``, classical decomposition after the M4
   benchmarks' autocorrelation test); by default (``transform='both'``) a
   strictly positive series gets two pipelines, one logged and one not,
   whose forecasts are averaged at the end,
2. turns the adjusted series into lag windows
   (:func:`bpforecast.forecasting.windowing.make_windows`), and with
   ``normalize='window'`` subtracts each window's last value from its inputs
   and targets, so the network learns changes relative to the current
   level (robust to trends and level shifts),
3. trains ``n_models`` regressors from different random starts
   (``BPRegressor`` unless another scikit-learn regressor is given) and
   combines their forecasts by the median (or mean),
4. forecasts with one of three strategies: ``'recursive'`` (MATLAB's
   ``closeloop``: the one-step network is fed its own predictions),
   ``'direct'`` (one network per step) or ``'mimo'`` (one network with
   ``horizon`` outputs), and inverts every transform,
5. drops, before combining, any member whose forecast is implausible (see
   :mod:`bpforecast.forecasting.plausibility`: non-finite, or more than 10
   history ranges beyond the history's [min, max]; a closed loop can run
   away), warns with ``ImplausibleMemberWarning`` and records the dropped
   members in ``dropped_members_``; with every member dropped it falls back
   to the seasonal naive forecast.

Examples
--------
>>> from bpforecast import BPForecaster
>>> from bpforecast.datasets import load_airline_passengers
>>> y = load_airline_passengers()
>>> f = BPForecaster(n_models=2, random_state=0).fit(y[:-12])
>>> forecast = f.predict(12)
>>> forecast.index[0].strftime("%Y-%m"), len(forecast)
('1960-01', 12)
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, Interval, StrOptions
from ..estimators.regressor import BPRegressor
from ..results import Summary
from ..seeds import restart_seeds
from .closed_loop import closed_loop, input_row
from .intervals import conformal_half_width
from .plausibility import (
    PLAUSIBLE_RANGES,
    ImplausibleMemberWarning,
    implausible_members,
)
from .series import check_series, check_steps, future_index, infer_season_length
from .transforms import (
    DRIFT_SHRINKAGE,
    DriftAdjustment,
    LogTransform,
    SeasonalAdjustment,
)
from .windowing import describe_lags, make_windows, normalize_lags

CALENDAR_FEATURES = ("hour", "dayofweek", "month", "dayofyear")
_CALENDAR_PERIODS = {"hour": 24, "dayofweek": 7, "month": 12, "dayofyear": 365.25}
_CALENDAR_ATTRIBUTES = {
    "hour": "hour",
    "dayofweek": "day_of_week",
    "month": "month",
    "dayofyear": "day_of_year",
}
MIN_WINDOWS = 10


def _predict_row(model, x: np.ndarray) -> np.ndarray:
    """Prediction for one input row the forecaster built, as a 1-D array.

    A numpy-fitted BPRegressor skips the input checks of ``predict`` (the
    row is finite and has the right width by construction), which would
    otherwise cost more than the network itself in a closed loop. Any other
    regressor goes through ``predict``.
    """
    row = x[None, :]
    if isinstance(model, BPRegressor) and isinstance(model.coefs_[0], np.ndarray):
        return np.ravel(model._predict_array(row.astype(model.coefs_[0].dtype)))
    return np.ravel(model.predict(row))


def _row_predictor(model):
    """``predict`` for the closed loop: one input row at a time, as 1-D output."""

    def predict(X: np.ndarray) -> np.ndarray:
        return _predict_row(model, X[0])[:1]

    return predict


#: Epochs of the default trainbr network. MATLAB's trainbr default is 1000.
#: On the development benchmark (every M1 and Tourism series, two
#: pipelines) 20 epochs gave a mean OWA of 0.889 against 0.899 for 50,
#: better on five of six subsets, in less than half the time; with one log
#: pipeline 50, 100 and 200 had given the same OWA within 0.005. 10 epochs
#: scored 0.882 there but lost on the nonlinear sunspots series (MASE 0.957
#: against 0.894), so 20 (benchmarks/README.md, local_defaults.py).
DEFAULT_TRAINBR_EPOCHS = 20


def default_regressor(random_state=None, solver: str = "trainbr") -> BPRegressor:
    """The network BPForecaster trains when no regressor is given.

    One hidden layer of 10 tansig neurons (MATLAB's ``narnet`` default
    size). The training function decides the rest:

    * ``'trainbr'`` (the default): Bayesian regularisation on every window
      (no validation block, ``max_fail=0``) for
      :data:`DEFAULT_TRAINBR_EPOCHS` epochs, with the targets left unscaled
      (``target_scaling=None``). BPForecaster's windows are changes from
      the window's level in units of their typical size
      (:func:`change_scale`), so the weight penalty pulls the forecast
      toward "no change" rather than toward the mean change of the
      history. Chosen on the competition benchmark
      (``benchmarks/local_defaults.py``; see ``benchmarks/README.md``).
    * gradient descent (``'traingdx'`` and its family): the defaults before
      version 0.3: a larger initial learning rate than the regressor's
      (0.05; the adaptive rule lowers it when needed), early stopping on the
      last 20 % of the windows (no inner test block: the forecaster
      evaluates out of sample by backtesting) and up to 1000 epochs.
    * ``'trainlm'``, ``'trainscg'``, ``'trainrp'``: the same division and
      early stopping as gradient descent, with that training function.

    Parameters
    ----------
    random_state : int or None, default=None
    solver : str, default='trainbr'
        A training function of :class:`~bpforecast.BPRegressor`.

    Examples
    --------
    >>> from bpforecast.forecasting.forecaster import default_regressor
    >>> net = default_regressor()
    >>> net.hidden_layer_sizes, net.solver, net.epochs, net.target_scaling
    ((10,), 'trainbr', 20, None)
    >>> default_regressor(solver="traingdx").max_fail
    20
    """
    if solver == "trainbr":
        return BPRegressor(
            hidden_layer_sizes=(10,),
            solver="trainbr",
            epochs=DEFAULT_TRAINBR_EPOCHS,
            division=None,
            max_fail=0,
            target_scaling=None,
            random_state=random_state,
        )
    return BPRegressor(
        hidden_layer_sizes=(10,),
        solver=solver,
        lr=0.05,
        epochs=1000,
        max_fail=20,
        division="block",
        division_ratios=(0.8, 0.2, 0.0),
        random_state=random_state,
    )


def change_scale(z: np.ndarray) -> float:
    """The typical size of a series' one-step changes: the RMS of ``diff(z)``.

    BPForecaster divides the (transformed, adjusted) series by it, so that
    the window-normalised inputs and targets, which are changes, are of
    order one whatever the series' units. 1.0 when the series has fewer
    than two values or does not change (or the RMS is not a positive
    finite number).

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast.forecasting.forecaster import change_scale
    >>> change_scale(np.array([0.0, 3.0, -1.0]))   # sqrt((9 + 16) / 2)
    3.5355339059327378
    >>> change_scale(np.array([5.0, 5.0]))
    1.0
    >>> change_scale(np.array([0.0, 3e300, -1e300]))   # no overflow
    3.535533905932738e+300
    """
    d = np.diff(np.asarray(z, dtype=float))
    if d.size == 0:
        return 1.0
    with np.errstate(over="ignore", invalid="ignore"):
        rms = float(np.sqrt(np.mean(np.square(d))))
        if not np.isfinite(rms):
            # The squares overflow (changes near 1e155 and beyond): the same
            # RMS in units of the largest change.
            big = float(np.max(np.abs(d)))
            rms = big * float(np.sqrt(np.mean(np.square(d / big))))
    return rms if np.isfinite(rms) and rms > 0 else 1.0


def auto_lags(n: int, season_length: int, horizon: int = 1) -> np.ndarray:
    """Lags chosen from the season length and the series length.

    One full season of lags for seasonal data (``1..m``), otherwise ``1..8``;
    then capped so that at least three windows exist per lag.

    Examples
    --------
    >>> from bpforecast.forecasting.forecaster import auto_lags
    >>> auto_lags(144, 12).tolist()[-1], auto_lags(100, 1).tolist()
    (12, [1, 2, 3, 4, 5, 6, 7, 8])
    """
    wanted = season_length if season_length > 1 else 8
    cap = max(1, (n - horizon + 1) // 4)
    return np.arange(1, min(wanted, cap) + 1)


def calendar_frame(index: pd.DatetimeIndex, features) -> pd.DataFrame:
    """Sine/cosine encodings of calendar features, known in advance.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.forecaster import calendar_frame
    >>> idx = pd.date_range("2024-01-01", periods=3, freq="h")
    >>> list(calendar_frame(idx, ["hour"]).columns)
    ['hour_sin', 'hour_cos']
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError("calendar_features need a series with a DatetimeIndex.")
    columns = {}
    for name in features:
        if name not in CALENDAR_FEATURES:
            raise ValueError(
                f"calendar_features: unknown feature {name!r}; "
                f"expected some of {CALENDAR_FEATURES}."
            )
        value = np.asarray(getattr(index, _CALENDAR_ATTRIBUTES[name]), dtype=float)
        angle = 2 * np.pi * value / _CALENDAR_PERIODS[name]
        columns[f"{name}_sin"] = np.sin(angle)
        columns[f"{name}_cos"] = np.cos(angle)
    return pd.DataFrame(columns, index=index)


_as_series = check_series  # the name used before the checks moved to .series


def _describe_regressor(models: list, strategy: str) -> str:
    """The first network of ``models_`` in words (its class and settings)."""
    model = models[0][0] if strategy == "direct" else models[0]
    if isinstance(model, BPRegressor):
        return (
            f"BPRegressor, hidden layers {tuple(model.hidden_layer_sizes)}, "
            f"{model.solver}, up to {model.epochs} epochs"
        )
    return type(model).__name__


def _exog_frame_of(exog, name: str, columns: list | None = None) -> pd.DataFrame:
    """A copy of ``exog`` as a DataFrame with string column names.

    Arrays get ``columns`` (the fitted names, by position) or ``x0, x1, ...``;
    an unnamed Series is called ``x``.
    """
    if isinstance(exog, pd.Series):
        exog = exog.to_frame(exog.name if exog.name is not None else "x")
    elif not isinstance(exog, pd.DataFrame):
        try:
            arr = np.asarray(exog, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric.") from None
        arr = arr.reshape(-1, 1) if arr.ndim == 1 else arr
        if columns is None:
            columns = [f"x{i}" for i in range(arr.shape[1] if arr.ndim == 2 else 0)]
        if arr.ndim != 2 or arr.shape[1] != len(columns):
            raise ValueError(
                f"{name} has shape {arr.shape}; the model needs {len(columns)} "
                f"column(s) {columns}, one row per time point."
            )
        exog = pd.DataFrame(arr, columns=columns)
    exog = exog.copy()
    exog.columns = [str(c) for c in exog.columns]
    return exog


class BPForecaster(BaseEstimator):
    """Forecast a series with back-propagation networks on lag windows.

    Parameters
    ----------
    regressor : scikit-learn regressor or None, default=None
        The model trained on the windows. None means
        :func:`default_regressor` (trainbr; its targets are centred when
        ``normalize=None``). Any regressor works (Ridge,
        MLPRegressor, ...), so models can be compared on equal footing.
    lags : 'auto', int or list of int, default='auto'
        Past values used as inputs: ``L`` means ``1..L``; a list picks lags
        (``[1, 2, 12]``). 'auto' uses :func:`auto_lags`.
    horizon : int, default=1
        Steps the direct and mimo strategies are trained for (the most
        ``predict`` can give them). The recursive strategy forecasts any
        number of steps.
    strategy : {'recursive', 'direct', 'mimo'}, default='recursive'
    season_length : int or None, default=None
        Inferred from the index frequency when None (12 for monthly data,
        24 hourly, 7 daily, 1 yearly or unknown).
    transform : {'both', 'auto', 'log'} or None, default='both'
        'log' logs the series; 'auto' logs strictly positive series and
        leaves the others; None never logs. 'both' (the default) fits, for a
        strictly positive series, two complete pipelines: one on the logged
        series (as 'log') and one on the series itself (as None), each with
        its own seasonal adjustment, unit and ``n_models`` networks (so
        ``2 * n_models`` networks in all), and forecasts the mean of their
        two forecasts; any other series gets the single unlogged pipeline,
        as with None. The log pipeline carries a trend forward as a
        percentage and the other as an amount, so they err on opposite sides
        of a changing trend; their mean beat either on the development
        benchmark (``benchmarks/README.md``, section ``local_defaults.py``).
    seasonal_adjustment : {'auto', True, False}, default='auto'
        Remove a seasonal pattern by classical decomposition; 'auto' only when
        the autocorrelation test finds one.
    drift : {'shrink', 'full'} or None, default='shrink'
        With ``normalize='window'``, take the series' mean one-step change
        (its drift, after the log and the seasonal adjustment) out before
        windowing, so that the networks learn the changes around it, and
        carry a drift back into the forecasts
        (:class:`~bpforecast.forecasting.transforms.DriftAdjustment`):
        'shrink' carries ``drift * t**2 / (t**2 + 4)``, ``t`` the drift's t
        statistic, so a drift lost in the noise of the changes is mostly
        dropped and a steady one kept (half of it at ``t = 2``); 'full'
        carries the whole mean drift; None takes nothing out (the behaviour
        before version 0.5, where the networks' weight penalty alone decided
        how much of the history's growth to carry on). Ignored with
        ``normalize=None``. Chosen on the development benchmark
        (``benchmarks/README.md``, section ``local_defaults.py``).
    normalize : {'window'} or None, default='window'
        Subtract each window's most recent input value (the level) from its
        inputs and targets.
    n_models : int, default=5
        Networks trained from different random starts (per pipeline, with
        ``transform='both'``).
    combine : {'median', 'mean'}, default='median'
        How the networks' forecasts are combined (within a pipeline; the
        two pipelines of ``transform='both'`` are always averaged).
    exog_lags : list of int, default=(0,)
        Lags of the exogenous variables (0: the value at the target time,
        which must then be known for the forecast period).
    calendar_features : list of str or None, default=None
        Calendar variables generated from the dates, as sine/cosine pairs:
        some of 'hour', 'dayofweek', 'month', 'dayofyear'.
    interval_windows : int, default=20
        Forecast origins used to calibrate :meth:`predict_interval`.
    random_state : int or None, default=None
        Seeds the networks (model ``k`` gets ``random_state + k``).

    Attributes
    ----------
    y_ : pandas.Series
        The training series (a copy).
    lags_ : ndarray of int
    season_length_ : int
    transform_ : LogTransform or None
    seasonal_ : SeasonalAdjustment
    scale_ : float
        With ``normalize='window'``, the unit of the windows: the RMS of the
        one-step changes of the transformed, seasonally adjusted series
        (:func:`change_scale`); 1.0 otherwise.
    drift_ : DriftAdjustment or None
        The drift taken out of the windows (``drift_.drift_``, in units of
        ``scale_`` per step) and the one the forecasts carry
        (``drift_.forecast_drift_``); None with ``drift=None`` or
        ``normalize=None``.
    models_ : list
        Fitted regressors (for 'direct', a list per step). With two
        pipelines (see ``pipelines_``), the log pipeline's ``n_models``
        followed by the other's.
    X_train_, y_train_ : pandas.DataFrame
        The training windows after normalisation, as the models saw them
        (see :meth:`create_train_X_y`).
    pipelines_ : list of BPForecaster
        With ``transform='both'`` on a strictly positive series, the two
        fitted single pipelines (``transform='log'``, then ``None``) whose
        forecasts are averaged; ``transform_``, ``seasonal_``, ``scale_``,
        ``drift_``, ``X_train_`` and ``y_train_`` above are then the log
        pipeline's.
        Empty otherwise (one pipeline: this forecaster).
    dropped_members_ : list of int
        Members (positions in ``models_``; for 'direct', in each step's list)
        dropped from the latest forecast made by :meth:`predict`,
        :meth:`predict_interval` or :meth:`forecast_from`, because their
        forecast, in the units of ``y``, was non-finite or left
        ``[min - 10 * range, max + 10 * range]`` of the history it continues
        (a constant history's range counts as ``max(|level|, 1)``; see
        :mod:`bpforecast.forecasting.plausibility`). Empty after ``fit`` and
        whenever nothing was dropped. Each of those calls resets it and warns
        once with ``ImplausibleMemberWarning`` if any was dropped. When every
        member is dropped (``len(dropped_members_) == n_models``; with two
        pipelines, every member of a pipeline drops that pipeline from the
        mean, and the fallback needs all ``2 * n_models``) the forecast
        is the seasonal naive one (the last ``season_length_`` values
        repeated; the naive one, the last value, when the history is shorter
        than a season or ``season_length_`` is 1).
    calibration_dropped_members_ : dict
        ``steps -> {origin: [members]}``: members the calibration fit of
        :meth:`predict_interval` dropped at each forecast origin (a position
        in ``y``), by the same rule; its errors are those of the kept
        members' combination (or the fallback). Empty when none.

    Examples
    --------
    >>> from bpforecast import BPForecaster
    >>> from bpforecast.datasets import load_nile
    >>> y = load_nile()
    >>> f = BPForecaster(n_models=2, random_state=0).fit(y)
    >>> f.predict(3).round(-2).index.year.tolist()
    [1971, 1972, 1973]
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "lags": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
            "array-like",
        ],
        "horizon": [Interval(numbers.Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"recursive", "direct", "mimo"})],
        "season_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "transform": [StrOptions({"both", "auto", "log"}), None],
        "seasonal_adjustment": [StrOptions({"auto"}), "boolean"],
        "drift": [StrOptions({"shrink", "full"}), None],
        "normalize": [StrOptions({"window"}), None],
        "n_models": [Interval(numbers.Integral, 1, None, closed="left")],
        "combine": [StrOptions({"median", "mean"})],
        "exog_lags": ["array-like"],
        "calendar_features": ["array-like", None],
        "interval_windows": [Interval(numbers.Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        regressor=None,
        lags="auto",
        horizon=1,
        strategy="recursive",
        season_length=None,
        transform="both",
        seasonal_adjustment="auto",
        drift="shrink",
        normalize="window",
        n_models=5,
        combine="median",
        exog_lags=(0,),
        calendar_features=None,
        interval_windows=20,
        random_state=None,
    ):
        self.regressor = regressor
        self.lags = lags
        self.horizon = horizon
        self.strategy = strategy
        self.season_length = season_length
        self.transform = transform
        self.seasonal_adjustment = seasonal_adjustment
        self.drift = drift
        self.normalize = normalize
        self.n_models = n_models
        self.combine = combine
        self.exog_lags = exog_lags
        self.calendar_features = calendar_features
        self.interval_windows = interval_windows
        self.random_state = random_state

    # ------------------------------------------------------------ windows
    def _prepare(self, y: pd.Series, exog) -> None:
        """Fit the series transforms and settle lags (no model fitting)."""
        n = len(y)
        self.season_length_ = int(
            self.season_length
            if self.season_length is not None
            else infer_season_length(y.index)
        )
        self._fit_horizon = 1 if self.strategy == "recursive" else int(self.horizon)
        if isinstance(self.lags, str):
            self.lags_ = auto_lags(n, self.season_length_, self._fit_horizon)
            if self.normalize == "window" and len(self.lags_) < 2:
                self.lags_ = np.arange(1, 3)
        else:
            self.lags_ = normalize_lags(self.lags)
        if self.normalize == "window" and len(self.lags_) < 2:
            raise ValueError(
                f"lags={self.lags!r} gives one lag, but normalize='window' uses the "
                "most recent lag as the level and needs at least one more; pass "
                "more lags or normalize=None."
            )
        positive_auto = self.transform in ("auto", "both") and y.min() > 0
        if self.transform == "log" or positive_auto:
            self.transform_ = LogTransform().fit(y.to_numpy())
        else:
            self.transform_ = None
        values = y.to_numpy()
        z = self.transform_.transform(values) if self.transform_ is not None else values
        test = self.seasonal_adjustment == "auto"
        m = self.season_length_ if self.seasonal_adjustment is not False else 1
        self.seasonal_ = SeasonalAdjustment(m, test=test).fit(z)
        # Window-normalised inputs and targets are changes: put them in units
        # of the series' typical change (levels, with normalize=None, keep 1).
        adjusted = self.seasonal_.transform(z, 0)
        self.scale_ = change_scale(adjusted) if self.normalize == "window" else 1.0
        self.drift_ = None
        if self.drift is not None and self.normalize == "window":
            # The networks learn changes around the mean change (whose mean
            # over the windows is then zero); forecasts carry the drift back.
            self.drift_ = DriftAdjustment(self._drift_shrinkage()).fit(
                adjusted / self.scale_
            )
        self._exog_columns = None if exog is None else list(exog.columns)
        self.exog_lags_ = np.unique(np.asarray(self.exog_lags, dtype=int))

    def _drift_shrinkage(self) -> float:
        """``k`` of the :class:`DriftAdjustment` for ``drift``."""
        return DRIFT_SHRINKAGE if self.drift == "shrink" else 0.0

    def _to_z(self, values: np.ndarray, start: int = 0) -> np.ndarray:
        """Original units -> log -> seasonally adjusted -> in units of
        ``scale_`` -> mean drift taken out."""
        z = self.transform_.transform(values) if self.transform_ is not None else values
        # Models saved before version 0.3 have no scale_ (their unit was 1),
        # those saved before 0.5 no drift_.
        z = self.seasonal_.transform(z, start) / getattr(self, "scale_", 1.0)
        drift = getattr(self, "drift_", None)
        return z if drift is None else drift.transform(z, start)

    def _from_z(self, z: np.ndarray, start: int) -> np.ndarray:
        drift = getattr(self, "drift_", None)
        if drift is not None:
            z = drift.inverse(z, start)
        values = self.seasonal_.inverse(z * getattr(self, "scale_", 1.0), start)
        return (
            self.transform_.inverse(values) if self.transform_ is not None else values
        )

    def _exog_frame(self, index, exog) -> pd.DataFrame | None:
        """User exog (validated) plus calendar features for ``index``."""
        parts = []
        if exog is not None:
            parts.append(exog)
        if self.calendar_features:
            parts.append(calendar_frame(index, list(self.calendar_features)))
        if not parts:
            return None
        return pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]

    def _windows(self, y: pd.Series, exog_all) -> tuple[pd.DataFrame, pd.DataFrame]:
        z = pd.Series(self._to_z(y.to_numpy()), index=y.index, name="y")
        X, Y = make_windows(
            z,
            self.lags_,
            horizon=self._fit_horizon,
            exog=exog_all,
            exog_lags=None if exog_all is None else self.exog_lags_.tolist(),
        )
        if self.normalize == "window":
            level = X[f"y_lag{self.lags_[0]}"].to_numpy()
            lag_cols = [f"y_lag{lag}" for lag in self.lags_]
            # The level's own column would be identically zero: it is dropped.
            # (One new frame from arrays: assigning the columns into X one by
            # one took pandas longer than training the network.)
            shifted = X[lag_cols[1:]].to_numpy() - level[:, None]
            columns = {c: shifted[:, k] for k, c in enumerate(lag_cols[1:])}
            others = [c for c in X.columns if c not in lag_cols]
            columns.update({c: X[c].to_numpy() for c in others})
            order = [c for c in X.columns if c != lag_cols[0]]
            X = pd.DataFrame(columns, index=X.index)[order]
            Y = Y - level[:, None]
        return X, Y

    def create_train_X_y(self, y, exog=None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The training windows the models would see for ``y`` (after transforms).

        Inputs are ``y_lag{k}`` (adjusted series, minus the window level when
        ``normalize='window'``) and exogenous/calendar columns; targets are
        ``y_step{h}``. Rows are indexed by the time of their first target.

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_airline_passengers
        >>> X, Y = BPForecaster(lags=3).create_train_X_y(load_airline_passengers())
        >>> list(X.columns), list(Y.columns), len(X)
        (['y_lag2', 'y_lag3'], ['y_step1'], 141)
        """
        self._validate_params()
        y = _as_series(y)
        exog = self._check_exog(exog, y.index, "exog")
        self._prepare(y, exog)
        return self._windows(y, self._exog_frame(y.index, exog))

    def _check_exog(self, exog, index, name: str) -> pd.DataFrame | None:
        if exog is None:
            return None
        exog = _exog_frame_of(exog, name)
        if len(exog) != len(index):
            raise ValueError(
                f"{name} has {len(exog)} rows but {len(index)} are needed "
                "(one per time point)."
            )
        exog = exog.copy()
        exog.index = index
        exog.columns = [str(c) for c in exog.columns]
        try:
            values = exog.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric.") from None
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} contains NaN or infinite values.")
        return exog

    # ---------------------------------------------------------------- fit
    def fit(self, y, exog=None):
        """Fit the transforms and the networks on the series ``y``.

        Parameters
        ----------
        y : pandas Series (DatetimeIndex with a frequency, or RangeIndex) or 1-D array
        exog : DataFrame, Series or array, optional
            Exogenous variables aligned with ``y`` (same length).

        Returns
        -------
        self

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPForecaster
        >>> y = np.sin(np.arange(120) / 4) + 2
        >>> BPForecaster(n_models=1, random_state=0).fit(y).lags_.tolist()
        [1, 2, 3, 4, 5, 6, 7, 8]
        """
        self._validate_params()
        y = _as_series(y)
        exog = self._check_exog(exog, y.index, "exog")
        self._prepare(y, exog)
        exog_all = self._exog_frame(y.index, exog)
        X, Y = self._windows(y, exog_all)
        if len(X) < MIN_WINDOWS:
            raise ValueError(
                f"y is too short: {len(y)} values with lags up to {self.lags_[-1]} "
                f"and horizon {self._fit_horizon} leave {len(X)} training windows, "
                f"fewer than {MIN_WINDOWS}. Use fewer lags or a longer series."
            )
        self.y_ = y
        self.exog_ = exog
        self.X_train_, self.y_train_ = X, Y
        self._interval_cache = {}
        self.dropped_members_ = []
        self.calibration_dropped_members_ = {}
        self.pipelines_ = []
        if self.transform == "both" and self.transform_ is not None:
            # Two complete pipelines; this forecaster's transforms and
            # windows (fitted above as 'auto') are the log pipeline's.
            self.pipelines_ = [
                clone(self).set_params(transform=t).fit(y, exog) for t in ("log", None)
            ]
            self.models_ = self._join([p.models_ for p in self.pipelines_])
            return self
        base = self.regressor
        if base is None:
            base = self._default_regressor()
        seeds = self._seeds()
        Xv = X.to_numpy()
        if self.strategy == "direct":
            self.models_ = [
                self._fit_models(base, seeds, Xv, Y.iloc[:, h].to_numpy())
                for h in range(Y.shape[1])
            ]
        elif self.strategy == "mimo":
            self.models_ = self._fit_models(base, seeds, Xv, Y.to_numpy())
        else:
            self.models_ = self._fit_models(base, seeds, Xv, Y.iloc[:, 0].to_numpy())
        return self

    def _join(self, lists: list[list]) -> list:
        """Per-pipeline lists in the layout of ``models_`` as one list (the
        first pipeline's entries first; per step for 'direct')."""
        if self.strategy == "direct":
            return [sum(step, []) for step in zip(*lists, strict=True)]
        return sum(lists, [])

    def _n_members(self) -> int:
        """Networks whose forecasts are combined (per step for 'direct')."""
        return len(self.models_[0]) if self.strategy == "direct" else len(self.models_)

    def _default_regressor(self) -> BPRegressor:
        """:func:`default_regressor`; its targets are centred when the windows
        are not normalised (they are then levels, not changes)."""
        net = default_regressor()
        if self.normalize is None:
            net.set_params(target_scaling="same")
        return net

    def _seeds(self) -> list:
        return restart_seeds(self.random_state, self.n_models)

    @classmethod
    def _fit_models(cls, base, seeds: list, X, y) -> list:
        """One fitted copy of ``base`` per seed (``random_state`` = the seed).

        A single-network BPRegressor trains them through its restart path
        (:meth:`~bpforecast.estimators.regressor.BPRegressor._fit_members`):
        one setup (validation, scaling, division) for all, the networks
        stacked where that is faster. Member ``k`` equals a separate fit
        with ``seeds[k]`` (to rounding when stacked). Other regressors are
        cloned and fitted one after another.
        """
        if isinstance(base, BPRegressor) and base.n_init == 1 and len(seeds) > 1:
            return base._fit_members(X, y, seeds)
        return [cls._fit_one(base, seed, X, y) for seed in seeds]

    @staticmethod
    def _fit_one(base, seed, X, y):
        model = clone(base)
        if "random_state" in model.get_params() and seed is not None:
            model.set_params(random_state=seed)
        return model.fit(X, y)

    # ------------------------------------------------------------ predict
    def _combine(self, paths: np.ndarray) -> np.ndarray:
        return (
            np.median(paths, axis=0) if self.combine == "median" else paths.mean(axis=0)
        )

    def _future_exog(self, steps: int, exog, index) -> pd.DataFrame | None:
        """Exog/calendar rows for the forecast period, validated."""
        if self._exog_columns is None and not self.calendar_features:
            if exog is not None:
                raise ValueError("exog was given to predict but not to fit.")
            return None
        user = None
        if self._exog_columns is not None:
            need = steps - int(np.min(self.exog_lags_))
            if need > 0:
                if exog is None:
                    raise ValueError(
                        f"exog is required: the model uses {self._exog_columns} at "
                        f"lags {list(self.exog_lags)}, so predict({steps}) needs their "
                        f"next {need} values."
                    )
                exog = _exog_frame_of(exog, "exog", self._exog_columns)
                missing = [c for c in self._exog_columns if c not in exog.columns]
                if missing:
                    raise ValueError(f"exog is missing columns {missing}.")
                if len(exog) < steps:
                    raise ValueError(
                        f"exog has {len(exog)} future rows; predict({steps}) needs "
                        f"{steps} (values of {self._exog_columns} for each step)."
                    )
                exog = exog.iloc[:steps][self._exog_columns]
                exog.index = index
                user = self._check_exog(exog, index, "exog")
            else:
                user = pd.DataFrame(
                    np.zeros((steps, len(self._exog_columns))),
                    index=index,
                    columns=self._exog_columns,
                )
        return self._exog_frame(index, user)

    def _forecast(
        self, history: np.ndarray, steps: int, exog_hist, exog_future
    ) -> tuple[np.ndarray, list[int]]:
        """Forecasts (original units) of ``steps`` values after ``history``.

        ``history`` starts where the training series started (so seasonal
        phases line up); it may be longer than the training series
        (backtesting without refitting). Returns the combined forecast of the
        plausible members and the positions of the members dropped (see
        :meth:`_combine_plausible`).
        """
        # (getattr: forecasters saved before version 0.4 have no pipelines_)
        if getattr(self, "pipelines_", None):
            return self._forecast_pipelines(history, steps, exog_hist, exog_future)
        n = history.size
        z = self._to_z(history)
        lags = self.lags_
        exog_values = None
        if exog_hist is not None:
            exog_values = np.vstack([exog_hist.to_numpy(), exog_future.to_numpy()])
        exog_lags = self.exog_lags_

        normalize = self.normalize == "window"
        if self.strategy == "recursive":
            paths = np.vstack(
                [
                    closed_loop(
                        _row_predictor(model),
                        z,
                        steps,
                        lags,
                        exog=exog_values,
                        exog_lags=None if exog_values is None else exog_lags,
                        normalize=normalize,
                    )
                    for model in self.models_
                ]
            )
        else:
            if steps > self._fit_horizon:
                raise ValueError(
                    f"steps={steps} exceeds horizon={self._fit_horizon} that the "
                    f"{self.strategy!r} strategy was trained for; refit with a larger "
                    "horizon or use strategy='recursive'."
                )
            buffer = np.concatenate([z, np.empty(steps)])[None, :]
            exog_rows = None if exog_values is None else exog_values[None]
            X, levels = input_row(buffer, n, lags, exog_rows, exog_lags, normalize)
            x, level = X[0], levels[0]
            if self.strategy == "mimo":
                paths = np.vstack([_predict_row(m, x)[:steps] for m in self.models_])
            else:
                paths = np.array(
                    [
                        [float(_predict_row(m, x)[0]) for m in models]
                        for models in self.models_[:steps]
                    ]
                ).T
            paths = paths + level
        drift = getattr(self, "drift_", None)
        if drift is not None:
            # From the full mean drift of the windows to the forecast drift.
            paths = paths - drift.correction(steps)
        return self._combine_plausible(paths, history)

    def _forecast_pipelines(
        self, history: np.ndarray, steps: int, exog_hist, exog_future
    ) -> tuple[np.ndarray, list[int]]:
        """The mean of the pipelines' forecasts (``transform='both'``).

        A pipeline whose every member was dropped leaves the mean; when both
        are left with none, the forecast is their common fallback (seasonal
        naive). Dropped members are numbered as in ``models_``.
        """
        kept, dropped, offset = [], [], 0
        for pipeline in self.pipelines_:
            values, lost = pipeline._forecast(history, steps, exog_hist, exog_future)
            members = pipeline._n_members()
            if len(lost) < members:
                kept.append(values)
            dropped.extend(offset + k for k in lost)
            offset += members
        if not kept:
            return self._fallback(history, steps), dropped
        return np.mean(kept, axis=0), dropped

    def _combine_plausible(
        self, paths: np.ndarray, history: np.ndarray
    ) -> tuple[np.ndarray, list[int]]:
        """Combine the members' paths (transformed space) that are plausible.

        Each member's path is taken back to the units of ``history`` and
        checked by :func:`~bpforecast.forecasting.plausibility.implausible_members`;
        the others are combined as always (in the transformed space, so with
        nothing dropped the result is exactly the unguarded one). With every
        member dropped the forecast is seasonal naive.
        """
        n = history.size
        with np.errstate(over="ignore", invalid="ignore"):
            member_values = np.vstack([self._from_z(path, n) for path in paths])
        dropped = implausible_members(member_values, history)
        if not dropped:
            return self._from_z(self._combine(paths), n), dropped
        kept = [k for k in range(len(paths)) if k not in dropped]
        if kept:
            return self._from_z(self._combine(paths[kept]), n), dropped
        return self._fallback(history, paths.shape[1]), dropped

    def _fallback(self, history: np.ndarray, steps: int) -> np.ndarray:
        """Seasonal naive (naive when the history is shorter than a season)."""
        m = int(self.season_length_)
        n = history.size
        if m < 2 or n < m:
            return np.full(steps, float(history[-1]))
        return np.asarray(history[n - m + np.arange(steps) % m], dtype=float)

    def _warn_dropped(self, dropped: list[int], calibration: dict | None = None):
        """One ``ImplausibleMemberWarning`` for a call, if anything was dropped."""
        parts = []
        total = self._n_members()
        rule = (
            f"non-finite, or more than {PLAUSIBLE_RANGES:g} history ranges beyond "
            "the history's [min, max]"
        )
        if dropped:
            text = (
                f"{len(dropped)} of {total} ensemble members' forecasts left the "
                f"plausible range ({rule}) and were dropped: members {dropped}."
            )
            if len(dropped) == total:
                text += (
                    " Every member was dropped: the forecast is the seasonal naive "
                    "one (the last season repeated; the last value without a season)."
                )
            parts.append(text)
        if calibration:
            members = sorted({k for ks in calibration.values() for k in ks})
            parts.append(
                f"The interval calibration fit dropped members {members} ({rule}) at "
                f"{len(calibration)} of {self.interval_windows} origins; its errors "
                "are those of the kept members (seasonal naive where none was kept)."
            )
        if parts:
            parts.append(
                "See dropped_members_ and calibration_dropped_members_."
                if calibration
                else "See dropped_members_."
            )
            warnings.warn(" ".join(parts), ImplausibleMemberWarning, stacklevel=3)

    def predict(self, steps: int, exog=None) -> pd.Series:
        """Forecast the next ``steps`` values after the training series.

        Parameters
        ----------
        steps : int
        exog : DataFrame, Series or array, optional
            Future values of the exogenous variables, one row per step
            (required when the model was fitted with exog at lags smaller than
            ``steps``).

        Returns
        -------
        pandas.Series
            Indexed by the future dates (continuing the series' frequency) or
            integer positions.

        Examples
        --------
        >>> import numpy as np
        >>> from bpforecast import BPForecaster
        >>> y = np.sin(np.arange(100) / 3) + 3
        >>> BPForecaster(n_models=1, random_state=0).fit(y).predict(2).index.tolist()
        [100, 101]
        """
        forecast = self._predict(steps, exog)
        self._warn_dropped(self.dropped_members_)
        return forecast

    def _predict(self, steps, exog) -> pd.Series:
        """:meth:`predict` without the warning; sets ``dropped_members_``."""
        check_is_fitted(self, "models_")
        steps = self._check_steps(steps)
        index = future_index(self.y_.index, steps)
        exog_future = self._future_exog(steps, exog, index)
        exog_hist = self._exog_frame(self.y_.index, self.exog_)
        values, self.dropped_members_ = self._forecast(
            self.y_.to_numpy(), steps, exog_hist, exog_future
        )
        return pd.Series(values, index=index, name="forecast")

    @staticmethod
    def _check_steps(steps) -> int:
        return check_steps(steps, wrong_type=TypeError)

    def predict_in_sample(self) -> pd.Series:
        """One-step (open-loop) fitted values on the training windows.

        With two pipelines (``transform='both'``), the mean of theirs.

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_nile
        >>> f = BPForecaster(n_models=1, random_state=0).fit(load_nile())
        >>> len(f.predict_in_sample()) == len(f.X_train_)
        True
        """
        check_is_fitted(self, "models_")
        if getattr(self, "pipelines_", None):
            fitted = [p.predict_in_sample() for p in self.pipelines_]
            return sum(fitted[1:], fitted[0]) / len(fitted)
        X = self.X_train_.to_numpy()
        if self.strategy == "direct":
            models = self.models_[0]
            paths = np.vstack([np.ravel(m.predict(X)) for m in models])
        elif self.strategy == "mimo":
            paths = np.vstack(
                [
                    np.asarray(m.predict(X)).reshape(len(X), -1)[:, 0]
                    for m in self.models_
                ]
            )
        else:
            paths = np.vstack([np.ravel(m.predict(X)) for m in self.models_])
        z_hat = self._combine(paths)
        positions = self.y_.index.get_indexer(self.X_train_.index)
        if self.normalize == "window":
            z = self._to_z(self.y_.to_numpy())
            z_hat = z_hat + z[positions - self.lags_[0]]
        drift = getattr(self, "drift_", None)
        if drift is not None:
            z_hat = z_hat - drift.correction(1)[0]  # one step, as forecasts
        # Windows are consecutive, so the seasonal phases continue from the first.
        values = self._from_z(z_hat, int(positions[0]))
        return pd.Series(values, index=self.X_train_.index, name="fitted")

    # ------------------------------------------------------------- report
    def summary(self) -> Summary:
        """What was fitted: the windows, each pipeline and the in-sample fit.

        The in-sample errors are those of :meth:`predict_in_sample` (one
        step ahead, open loop, on the training windows) in the units of
        ``y``: they say how well the networks fit, not how well they
        forecast (backtest for that).

        Returns
        -------
        Summary
            Prints as text, renders as HTML in a notebook.

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_airline_passengers
        >>> f = BPForecaster(n_models=1, random_state=0)
        >>> text = str(f.fit(load_airline_passengers()).summary())
        >>> text.splitlines()[0]
        'BPForecaster: 2 networks in 2 pipelines, recursive'
        >>> "log" in text and "seasonal" in text
        True
        """
        check_is_fitted(self, "models_")
        pipelines = getattr(self, "pipelines_", None) or [self]
        n = self._n_members()
        y = self.y_
        first, last = y.index[0], y.index[-1]
        if isinstance(y.index, pd.DatetimeIndex):
            first, last = first.date(), last.date()
        window_rows = [
            ("observations", len(y)),
            ("span", f"{first} to {last}"),
            ("season length", self.season_length_),
            ("lags", describe_lags(self.lags_)),
            ("training windows", len(self.X_train_)),
            ("window normalisation", self.normalize or "none"),
            ("drift", self.drift if getattr(self, "drift_", None) else "none"),
            ("strategy", self.strategy),
        ]
        if self.strategy != "recursive":
            window_rows.append(("horizon", self._fit_horizon))
        if self._exog_columns:
            window_rows.append(("exogenous", ", ".join(self._exog_columns)))
        if self.calendar_features:
            window_rows.append(("calendar", ", ".join(self.calendar_features)))
        actual = y.to_numpy()

        def errors(fitted: pd.Series) -> np.ndarray:
            return actual[y.index.get_indexer(fitted.index)] - fitted.to_numpy()

        # Each pipeline's fitted values once; their mean is predict_in_sample's.
        fits = [pipeline.predict_in_sample() for pipeline in pipelines]
        rows = {}
        for pipeline, fitted in zip(pipelines, fits, strict=True):
            name = "log" if pipeline.transform_ is not None else "none"
            unit = float(getattr(pipeline, "scale_", 1.0))
            drift = getattr(pipeline, "drift_", None)
            rows[name] = {
                "seasonal": bool(pipeline.seasonal_.seasonal_),
                "unit (scale_)": unit,
                # Per step, in the pipeline's units (log, or those of y).
                "drift": np.nan if drift is None else drift.drift_ * unit,
                "forecast drift": (
                    np.nan if drift is None else drift.forecast_drift_ * unit
                ),
                "networks": pipeline._n_members(),
                "in-sample MAE": float(np.mean(np.abs(errors(fitted)))),
            }
        table = pd.DataFrame(rows).T
        table.index.name = "transform"
        error = errors(sum(fits[1:], fits[0]) / len(fits))
        fit_rows = [
            ("MAE", float(np.mean(np.abs(error)))),
            ("RMSE", float(np.sqrt(np.mean(error**2)))),
        ]
        notes = [f"Network: {_describe_regressor(self.models_, self.strategy)}."]
        if len(pipelines) > 1:
            notes.append(
                "The forecast is the mean of the two pipelines' forecasts, each "
                f"the {self.combine} of its networks."
            )
        if self.dropped_members_:
            notes.append(
                f"The latest forecast dropped members {self.dropped_members_} as "
                "implausible (see dropped_members_)."
            )
        return Summary(
            f"BPForecaster: {n} network{'s' if n != 1 else ''} in "
            f"{len(pipelines)} pipeline{'s' if len(pipelines) != 1 else ''}, "
            f"{self.strategy}",
            [
                (None, window_rows),
                ("Pipelines", table),
                ("In-sample fit, one step ahead (units of y)", fit_rows),
            ],
            notes=notes,
        )

    # ---------------------------------------------------------- intervals
    def predict_interval(
        self, steps: int, coverage: float = 0.9, exog=None
    ) -> pd.DataFrame:
        """Forecasts with conformal prediction intervals.

        Split conformal over rolling origins: a copy of the forecaster is
        refitted without the last ``interval_windows + steps - 1`` values and
        forecasts ``steps`` ahead from each of ``interval_windows`` origins in
        that held-out stretch (without refitting). For each step ``h`` the
        interval half-width is the ``ceil((K + 1) * coverage) / K`` empirical
        quantile of the K absolute errors at step ``h``, so intervals widen
        with the horizon as the errors do. The coverage is exact for
        exchangeable errors and approximate for real series; it needs no
        distributional assumption. The calibration fit is cached per
        ``steps``.

        Parameters
        ----------
        steps : int
        coverage : float in (0, 1), default=0.9
        exog : as for :meth:`predict`

        Returns
        -------
        pandas.DataFrame
            Columns ``forecast``, ``lower``, ``upper``.

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_nile
        >>> f = BPForecaster(n_models=1, interval_windows=10, random_state=0)
        >>> out = f.fit(load_nile()).predict_interval(3, coverage=0.8)
        >>> bool((out["lower"] <= out["forecast"]).all())
        True
        """
        check_is_fitted(self, "models_")
        steps = self._check_steps(steps)
        if not 0 < coverage < 1:
            raise ValueError(f"coverage must be in (0, 1), got {coverage}.")
        forecast = self._predict(steps, exog)
        errors = self._calibration_errors(steps)
        self._warn_dropped(
            self.dropped_members_,
            getattr(self, "calibration_dropped_members_", {}).get(steps),
        )
        half = conformal_half_width(errors, coverage)
        return pd.DataFrame(
            {
                "forecast": forecast.to_numpy(),
                "lower": forecast.to_numpy() - half,
                "upper": forecast.to_numpy() + half,
            },
            index=forecast.index,
        )

    def _calibration_errors(self, steps: int) -> np.ndarray:
        if steps in self._interval_cache:
            return self._interval_cache[steps]
        K = int(self.interval_windows)
        n = len(self.y_)
        cut = n - K - steps + 1
        min_train = int(self.lags_[-1]) + self._fit_horizon + 10
        if cut < min_train:
            raise ValueError(
                f"predict_interval needs at least {min_train + K + steps - 1} "
                f"values for steps={steps} and interval_windows={K}; the series "
                f"has {n}. Lower interval_windows or steps."
            )
        calib = clone(self).fit(
            self.y_.iloc[:cut], None if self.exog_ is None else self.exog_.iloc[:cut]
        )
        y = self.y_.to_numpy()
        exog_all = self._exog_frame(self.y_.index, self.exog_)
        errors = np.empty((K, steps))
        dropped = {}
        for k in range(K):
            origin = cut + k
            hist = None if exog_all is None else exog_all.iloc[:origin]
            fut = None if exog_all is None else exog_all.iloc[origin : origin + steps]
            pred, dropped_here = calib._forecast(y[:origin], steps, hist, fut)
            if dropped_here:
                dropped[origin] = dropped_here
            errors[k] = y[origin : origin + steps] - pred
        self._interval_cache[steps] = errors
        # (setdefault: a forecaster saved before this attribute existed)
        record = self.__dict__.setdefault("calibration_dropped_members_", {})
        record.pop(steps, None)
        if dropped:
            record[steps] = dropped
        return errors

    def prune(self, method: str = "weights", val_fraction: float = 0.2, **kwargs):
        """Prune every network by principal components (returns a pruned copy).

        Thin wrapper of :func:`bpforecast.pruning.prune_forecaster`: each
        model is pruned with the last ``val_fraction`` of the training windows
        as validation data. Needs BPRegressor models.

        Returns
        -------
        pruned : BPForecaster
        reports : list of bpforecast.pruning.PruningReport

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_nile
        >>> f = BPForecaster(n_models=1, random_state=0).fit(load_nile())
        >>> pruned, reports = f.prune()
        >>> len(pruned.predict(3))
        3
        """
        from ..pruning import prune_forecaster

        return prune_forecaster(
            self, method=method, val_fraction=val_fraction, **kwargs
        )

    def forecast_from(self, history, steps: int, exog=None) -> np.ndarray:
        """Forecast ``steps`` values after ``history`` without refitting.

        ``history`` must start where the training series started and may run
        past its end (used by :func:`bpforecast.evaluation.backtesting.backtest` with
        ``refit=False``). ``exog`` must then cover history and future.

        Examples
        --------
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.datasets import load_nile
        >>> y = load_nile()
        >>> f = BPForecaster(n_models=1, random_state=0).fit(y[:80])
        >>> f.forecast_from(y[:90], 2).shape
        (2,)
        """
        check_is_fitted(self, "models_")
        steps = self._check_steps(steps)
        history = _as_series(history, "history")
        n = len(history)
        needed = int(self.lags_[-1])
        if self._exog_columns is not None:
            needed = max(needed, int(self.exog_lags_[-1]))
        if n < needed:
            raise ValueError(
                f"history has {n} values; forecasting needs at least {needed} "
                f"(the largest lag)."
            )
        if self._exog_columns is not None and exog is None:
            raise ValueError(
                f"exog is required: the model uses {self._exog_columns}; pass their "
                f"values for the history and the next {steps} steps "
                f"({n + steps} rows)."
            )
        exog_all = None
        if self._exog_columns is not None or self.calendar_features:
            full_index = history.index.append(future_index(history.index, steps))
            user = None
            if self._exog_columns is not None:
                user = self._check_exog(exog, full_index, "exog")[self._exog_columns]
            exog_all = self._exog_frame(full_index, user)
        hist = None if exog_all is None else exog_all.iloc[:n]
        fut = None if exog_all is None else exog_all.iloc[n:]
        values, self.dropped_members_ = self._forecast(
            history.to_numpy(), steps, hist, fut
        )
        self._warn_dropped(self.dropped_members_)
        return values
