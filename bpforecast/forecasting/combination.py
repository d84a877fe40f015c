"""CombinationForecaster: combine local and global forecasts of many series.

A combination forecasts a collection of series (the long ``unique_id`` /
``ds`` / ``y`` frame) with several *members* and takes, for every series and
step, the median (or mean) of their forecasts. Members are of two kinds:

* **global** forecasters fit on the whole long frame and forecast every
  series at once: ``fit(data)`` / ``predict(h)`` returning a long frame with
  ``unique_id``, ``ds``, ``forecast``, like
  :class:`~bpforecast.GlobalForecaster` and
  :class:`~bpforecast.MultiSeriesForecaster`. A member is global when the
  first parameter of its ``fit`` is named ``data`` or ``df`` (the names
  this package and Nixtla's libraries give the long frame).
* **local** forecasters fit one series: ``fit(y)`` / ``predict(steps)``
  returning a Series, like :class:`~bpforecast.forecasting.baselines.Theta`,
  :class:`~bpforecast.forecasting.baselines.ETS`,
  :class:`~bpforecast.forecasting.baselines.Naive2` and
  :class:`~bpforecast.BPForecaster`. A clone is fitted to every series
  through :class:`~bpforecast.MultiSeriesForecaster` (in parallel with
  ``n_jobs``, each fit on one BLAS thread).

The default members are ``GlobalForecaster(horizon=horizon)``, the M4
competition's Theta (``Theta(deseasonalize='m4')``) and ``ETS()``,
combined by the median. On the development benchmark (M1 and Tourism, six
yearly, quarterly and monthly subsets at their official horizons, OWA
against Naive2, lower is better; ``benchmarks/competition.py``), the
median of these three scores 0.834 on average, against 0.844 for the
median of GlobalForecaster and Theta, 0.888 for GlobalForecaster alone,
0.907 for the M4 Theta and 0.901 for ETS. Three members also make the
median robust: with two, the median is their mean and one bad forecast
moves it by half its error; with three, one outlying member is ignored.

Failures
    Problems with the frame as a whole (not a DataFrame, missing or extra
    columns) and with the data of one series (missing values, repeated or
    irregular dates) raise at once, the latter as a
    :class:`~bpforecast.forecasting.multiseries.SeriesError` naming the
    series. A *member* that fails on a series -- an error while fitting or
    forecasting it, no forecast for it, or a non-finite one -- is left out
    of that series' combination, which then combines the other members;
    the member's column is NaN there, ``failures_`` records the message
    and a :class:`MemberFailedWarning` says how many series each member
    missed. A global member that raises a ``SeriesError`` for one series
    (for example one too short for its windows) is refitted without that
    series, so that it still forecasts the others. A series that no member
    can forecast raises a ``SeriesError``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from bpforecast.forecasting.baselines import Naive, Theta
>>> from bpforecast.forecasting.combination import CombinationForecaster
>>> t = np.arange(24)
>>> data = pd.DataFrame({
...     "unique_id": np.repeat(["a", "b"], 24),
...     "ds": np.tile(pd.date_range("2020-01-01", periods=24, freq="MS"), 2),
...     "y": np.r_[10 + 0.5 * t, 50 - t + np.sin(t)],
... })
>>> f = CombinationForecaster(horizon=2, forecasters=[Naive(), Theta()])
>>> out = f.fit(data).predict()
>>> out.columns.tolist()
['unique_id', 'ds', 'forecast', 'Naive', 'Theta']
>>> bool(np.allclose(out.forecast, (out.Naive + out.Theta) / 2))
True
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from collections.abc import Hashable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import Interval, StrOptions
from ..results import Summary
from .baselines import ETS, Theta
from .global_model import GlobalForecaster
from .intervals import conformal_half_width
from .multiseries import (
    MultiSeriesForecaster,
    SeriesError,
    SkippedSeriesWarning,
    _split_frame,
)
from .series import future_index

__all__ = [
    "CombinationForecaster",
    "MemberFailedWarning",
    "default_members",
    "is_global_forecaster",
]

_COLUMNS = ("unique_id", "ds", "y")
_RESERVED = (*_COLUMNS, "forecast", "lower", "upper")


class MemberFailedWarning(UserWarning):
    """A member of a combination gave no usable forecast for some series.

    Examples
    --------
    >>> from bpforecast.forecasting.combination import MemberFailedWarning
    >>> issubclass(MemberFailedWarning, UserWarning)
    True
    """


def default_members(horizon: int, random_state: Any = None) -> list[tuple[str, Any]]:
    """The default members of :class:`CombinationForecaster`, as (name, forecaster).

    ``GlobalForecaster(horizon=horizon, random_state=random_state)``, the M4
    competition's Theta (``Theta(deseasonalize='m4')``) and ``ETS()``: the
    best combination on the development benchmark (see the module
    docstring).

    Parameters
    ----------
    horizon : int
        The horizon of the global member.
    random_state : int, RandomState or None
        Seeds the global member.

    Returns
    -------
    list of (str, forecaster)

    Examples
    --------
    >>> from bpforecast.forecasting.combination import default_members
    >>> [(name, type(f).__name__) for name, f in default_members(12)]
    [('GlobalForecaster', 'GlobalForecaster'), ('Theta', 'Theta'), ('ETS', 'ETS')]
    >>> default_members(12)[0][1].horizon, default_members(12)[1][1].deseasonalize
    (12, 'm4')
    """
    return [
        (
            "GlobalForecaster",
            GlobalForecaster(horizon=horizon, random_state=random_state),
        ),
        ("Theta", Theta(deseasonalize="m4")),
        ("ETS", ETS()),
    ]


def is_global_forecaster(forecaster: Any) -> bool:
    """Whether ``forecaster`` fits on a long frame of many series.

    True when the first parameter of its ``fit`` is named ``data`` or ``df``
    (:class:`~bpforecast.GlobalForecaster`,
    :class:`~bpforecast.MultiSeriesForecaster`); False for forecasters of
    one series (``fit(y)``).

    Parameters
    ----------
    forecaster : object with a ``fit`` method

    Returns
    -------
    bool

    Examples
    --------
    >>> from bpforecast import BPForecaster, GlobalForecaster
    >>> from bpforecast.forecasting.combination import is_global_forecaster
    >>> is_global_forecaster(GlobalForecaster()), is_global_forecaster(BPForecaster())
    (True, False)
    """
    try:
        parameters = list(inspect.signature(forecaster.fit).parameters.values())
    except (TypeError, ValueError):
        return False
    parameters = [
        p for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return bool(parameters) and parameters[0].name in ("data", "df")


def _member_list(forecasters: Any, horizon: int, random_state: Any) -> list:
    """(name, unfitted clone, kind) of every member, validated."""
    if forecasters is None:
        items = default_members(horizon, random_state)
    else:
        if isinstance(forecasters, (str, bytes)) or not isinstance(
            forecasters, Sequence
        ):
            raise TypeError(
                "forecasters must be None or a list of forecasters or (name, "
                f"forecaster) pairs, got {type(forecasters).__name__}."
            )
        if len(forecasters) == 0:
            raise ValueError(
                "forecasters is empty: give at least one forecaster, or None for "
                "the default members."
            )
        items = []
        for i, item in enumerate(forecasters):
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                name, forecaster = item
            else:
                name, forecaster = type(item).__name__, item
            if not (
                callable(getattr(forecaster, "fit", None))
                and callable(getattr(forecaster, "predict", None))
            ):
                raise TypeError(
                    f"forecasters[{i}] must be a forecaster with fit and predict "
                    f"methods (or a (name, forecaster) pair), got "
                    f"{type(forecaster).__name__}."
                )
            items.append((name, forecaster))
    names = [name for name, _ in items]
    for name in names:
        if not name or name in _RESERVED:
            raise ValueError(
                f"forecasters: the member name {name!r} is not allowed (empty, or "
                f"one of the output columns {list(_RESERVED)}); name it with a "
                "(name, forecaster) pair."
            )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(
            f"forecasters: the member name(s) {repeated} occur more than once; give "
            "each member its own name with (name, forecaster) pairs, e.g. "
            "[('theta_m4', Theta(deseasonalize='m4')), ('theta', Theta())]."
        )
    members = []
    for name, forecaster in items:
        model = clone(forecaster, safe=False)
        kind = "global" if is_global_forecaster(model) else "local"
        if hasattr(model, "get_params"):
            params = model.get_params(deep=False)
            updates = {}
            if kind == "global":
                if "horizon" in params:
                    updates["horizon"] = horizon
                if random_state is not None and "random_state" in params:
                    updates["random_state"] = random_state
            elif (
                "horizon" in params
                and "strategy" in params
                and params["strategy"] != "recursive"
            ):
                # A direct or mimo BPForecaster forecasts at most its horizon.
                updates["horizon"] = horizon
            if updates:
                model.set_params(**updates)
        members.append((name, model, kind))
    return members


def _messages(failures: dict) -> str:
    parts = []
    for name, failed in failures.items():
        if failed:
            uid, message = next(iter(failed.items()))
            parts.append(
                f"member {name!r} failed on {len(failed)} series (e.g. series "
                f"{uid!r}: {message})"
            )
    return "; ".join(parts)


def _takes_new_data(model: Any) -> bool:
    """Whether ``model.predict`` takes ``new_data`` (by name or ``**kwargs``)."""
    try:
        parameters = inspect.signature(model.predict).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "new_data" or p.kind == p.VAR_KEYWORD for p in parameters)


class _NewSeries(NamedTuple):
    """The checked ``new_data``: its frame, ids and each series' dates."""

    frame: pd.DataFrame
    ids: pd.Index
    indexes: dict[Hashable, pd.Index]


def _mean_abs(y: pd.Series) -> float:
    """The mean absolute value of a series, 1 when it is 0: its error scale."""
    return float(np.mean(np.abs(y.to_numpy(dtype=float)))) or 1.0


class CombinationForecaster(BaseEstimator):
    """The per-step median (or mean) of local and global forecasters' forecasts.

    Fits every member on a long DataFrame (``unique_id``, ``ds``, ``y``) --
    global members on the whole frame, local members on each series (see
    the module docstring) -- and forecasts each series ``h`` steps ahead as
    the median of the members' forecasts, step by step;
    ``predict(h, new_data=...)`` forecasts other series from their own
    history with the fitted global members and fresh per-series fits of the
    local ones. :meth:`predict_interval` adds split-conformal prediction
    intervals of the combined forecast, calibrated on the final ``horizon``
    values of every series (held out from a refit of the combination), with
    coverage over series.

    Parameters
    ----------
    horizon : int, default=1
        The longest forecast wanted: ``predict(h)`` takes any ``h <=
        horizon``. Global members that have a ``horizon`` parameter (such as
        :class:`~bpforecast.GlobalForecaster`) get this one, and so do local
        members that have a ``horizon`` and a non-recursive ``strategy``
        (:class:`~bpforecast.BPForecaster` with ``strategy='direct'`` or
        ``'mimo'``, which forecasts at most its ``horizon`` steps), so it is
        given once, here.
    forecasters : list or None, default=None
        The members: forecasters, or ``(name, forecaster)`` pairs; a member
        given alone is named after its class. None means
        :func:`default_members`: ``GlobalForecaster(horizon=horizon)``,
        ``Theta(deseasonalize='m4')`` and ``ETS()``. The forecasters given
        are cloned, never fitted themselves.
    combine : {'median', 'mean'}, default='median'
        How the members' forecasts of one series and step are combined
        (the median of two is their mean).
    n_jobs : int or None, default=1
        Processes over series for the local members
        (:class:`~bpforecast.MultiSeriesForecaster`; -1: all cores).
    random_state : int, RandomState or None, default=None
        When given, global members with a ``random_state`` parameter get it,
        and local ones are seeded per series by
        :func:`~bpforecast.seeds.series_seed` (as
        :class:`~bpforecast.MultiSeriesForecaster` does); None leaves the
        members' own ``random_state`` alone.

    Attributes
    ----------
    forecasters_ : dict
        ``{name: fitted member}``: a global member itself, a local member as
        the :class:`~bpforecast.MultiSeriesForecaster` holding its per-series
        fits (``forecasters_['Theta'].models_[uid]``); None for a member
        that failed on every series.
    kinds_ : dict
        ``{name: 'global' or 'local'}``.
    ids_ : pandas.Index
        The series ids, in order of first appearance.
    failures_ : dict
        ``{name: {unique_id: message}}``: the series each member gave no
        usable forecast for (empty dicts when none), from ``fit`` and the
        latest ``predict``; after ``predict(new_data=...)``, the series of
        ``new_data`` only (a later ``predict()`` restores the training
        series').
    calibration_errors_ : ndarray of shape (n_calibrated, horizon)
        Set by the first :meth:`predict_interval` (and cleared by ``fit``):
        the scale-free errors of the combined forecast of every calibrated
        series' held-out final block (see there).
    calibration_ids_ : list
        The series of ``calibration_errors_``' rows: those long enough to
        hold out ``horizon`` values and still be fitted.

    See Also
    --------
    bpforecast.GlobalForecaster : the default global member.
    bpforecast.MultiSeriesForecaster : local forecasters on many series.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bpforecast import BPRegressor, CombinationForecaster, GlobalForecaster
    >>> from bpforecast.forecasting.baselines import ETS, Theta
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(48)
    >>> data = pd.DataFrame({
    ...     "unique_id": np.repeat(["a", "b", "c"], 48),
    ...     "ds": np.tile(pd.date_range("2018-01-01", periods=48, freq="MS"), 3),
    ...     "y": np.concatenate([
    ...         s * (10 + np.sin(2 * np.pi * t / 12)) + rng.normal(0, 0.2, 48)
    ...         for s in (1, 3, 8)]),
    ... })
    >>> small = GlobalForecaster(
    ...     n_models=1, lookback=2.0,
    ...     regressor=BPRegressor(hidden_layer_sizes=(4,), epochs=30))
    >>> f = CombinationForecaster(
    ...     horizon=6, forecasters=[small, Theta(deseasonalize="m4"), ETS()],
    ...     random_state=0,
    ... ).fit(data)
    >>> f.kinds_
    {'GlobalForecaster': 'global', 'Theta': 'local', 'ETS': 'local'}
    >>> out = f.predict()
    >>> out.columns.tolist()
    ['unique_id', 'ds', 'forecast', 'GlobalForecaster', 'Theta', 'ETS']
    >>> len(out), str(out.ds.iloc[0].date())
    (18, '2022-01-01')
    >>> members = out[["GlobalForecaster", "Theta", "ETS"]]
    >>> bool(np.allclose(out.forecast, members.median(axis=1)))
    True

    With prediction intervals (``lower``, ``upper``) of the combination:

    >>> f.predict_interval(coverage=0.8).columns.tolist()[:5]
    ['unique_id', 'ds', 'forecast', 'lower', 'upper']
    """

    _parameter_constraints: dict = {
        "horizon": [Interval(numbers.Integral, 1, None, closed="left")],
        "forecasters": [list, tuple, None],
        "combine": [StrOptions({"median", "mean"})],
        "n_jobs": [
            Interval(numbers.Integral, None, -1, closed="right"),
            Interval(numbers.Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        horizon: int = 1,
        forecasters: Sequence[Any] | None = None,
        combine: str = "median",
        n_jobs: int | None = 1,
        random_state: Any = None,
    ) -> None:
        self.horizon = horizon
        self.forecasters = forecasters
        self.combine = combine
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------ fit
    def fit(self, data: pd.DataFrame) -> CombinationForecaster:
        """Fit every member on the series of ``data``.

        Parameters
        ----------
        data : DataFrame with columns unique_id, ds, y
            ``ds`` datetimes (each series regular) or evenly spaced
            integers. Not modified; other columns are refused.

        Returns
        -------
        self

        Raises
        ------
        TypeError, ValueError
            Bad parameters (the message names them) or a bad frame.
        SeriesError
            A series with bad data, or one that no member could fit.

        Warns
        -----
        MemberFailedWarning
            Some member failed on some series (see ``failures_``).

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.baselines import Naive, SeasonalNaive
        >>> from bpforecast.forecasting.combination import CombinationForecaster
        >>> data = pd.DataFrame({"unique_id": ["a"] * 4, "ds": range(4),
        ...                      "y": [1.0, 2.0, 3.0, 4.0]})
        >>> f = CombinationForecaster(forecasters=[Naive(), SeasonalNaive()])
        >>> sorted(f.fit(data).forecasters_), f.failures_
        (['Naive', 'SeasonalNaive'], {'Naive': {}, 'SeasonalNaive': {}})
        """
        self._validate_params()
        members = _member_list(self.forecasters, self.horizon, self.random_state)
        frame, ids, indexes = self._read_frame(data, "data")
        self.ids_ = ids
        self._indexes = indexes
        fitted, kinds, failures, templates = {}, {}, {}, {}
        for name, model, kind in members:
            kinds[name] = kind
            if kind == "global":
                fitted[name], failures[name] = self._fit_global(model, frame)
            else:
                # Unfitted, for predict(new_data=...) to fit the new series.
                templates[name] = clone(model, safe=False)
                fitted[name], failures[name] = self._fit_local(model, frame, ids)
        for name in ("calibration_errors_", "calibration_ids_"):
            if hasattr(self, name):  # the intervals of an earlier fit
                delattr(self, name)
        self._data = frame
        self._local_templates = templates
        self.forecasters_ = fitted
        self.kinds_ = kinds
        self.failures_ = failures
        self._fit_failures = {name: dict(failed) for name, failed in failures.items()}
        self._check_coverage(failures, ids)
        self._warn(failures, "fit")
        return self

    @staticmethod
    def _check_frame(data: Any, name: str = "data") -> pd.DataFrame:
        if not isinstance(data, pd.DataFrame):
            raise TypeError(
                f"{name} must be a pandas DataFrame with columns unique_id, ds, y; "
                f"got {type(data).__name__}."
            )
        missing = [c for c in _COLUMNS if c not in data.columns]
        if missing:
            raise ValueError(
                f"{name} is missing the columns {missing}; it has {list(data.columns)}."
            )
        extra = [c for c in data.columns if c not in _COLUMNS]
        if extra:
            raise ValueError(
                f"{name} has columns {extra} besides unique_id, ds, y; exogenous "
                "columns are not supported by CombinationForecaster: drop them."
            )
        if len(data) == 0:
            raise ValueError(f"{name} has no rows.")
        return data.loc[:, list(_COLUMNS)].copy()

    @classmethod
    def _read_frame(
        cls, data: Any, name: str
    ) -> tuple[pd.DataFrame, pd.Index, dict[Hashable, pd.Index]]:
        """A checked copy of a long frame, its ids and each series' dates.

        ``name`` (``'data'`` or ``'new_data'``) is the argument the messages
        name; a series with bad data raises a ``SeriesError`` naming it.
        """
        frame = cls._check_frame(data, name)
        try:
            split = _split_frame(frame, *_COLUMNS, exog_cols=[], freq=None)
        except (TypeError, ValueError) as exc:
            if name == "data":
                raise
            kind = TypeError if isinstance(exc, TypeError) else ValueError
            raise kind(f"{name}: {exc}") from exc
        if split.failures:
            _, uid, message = split.failures[0]
            more = len(split.failures) - 1
            where = "" if name == "data" else f"in {name}, "
            raise SeriesError(
                uid,
                where + message + (f" ({more} more series fail too)" if more else ""),
            )
        indexes = {s.unique_id: s.y.index for s in split.series}
        return frame, split.uniques, indexes

    def _fit_global(self, model: Any, frame: pd.DataFrame) -> tuple[Any, dict]:
        """Fit on the frame; a series the member refuses is dropped and retried."""
        failures: dict = {}
        remaining = list(self.ids_)
        while remaining:
            try:
                model.fit(frame.copy())
                return model, failures
            except SeriesError as exc:
                if exc.unique_id not in remaining:
                    failures.update(
                        {uid: f"{type(exc).__name__}: {exc}" for uid in remaining}
                    )
                    return None, failures
                failures[exc.unique_id] = exc.message
                remaining.remove(exc.unique_id)
                frame = frame[frame["unique_id"] != exc.unique_id]
            except Exception as exc:  # the member fails on the whole frame
                failures.update(
                    {uid: f"{type(exc).__name__}: {exc}" for uid in remaining}
                )
                return None, failures
        return None, failures

    def _fit_local(
        self, model: Any, frame: pd.DataFrame, ids: pd.Index
    ) -> tuple[Any, dict]:
        """A clone of ``model`` fitted to every series (seeded per series)."""
        many = MultiSeriesForecaster(
            model,
            exog_cols=[],
            n_jobs=self.n_jobs,
            random_state=self.random_state,
            errors="skip",
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedSeriesWarning)
            many.fit(frame)
        failures = dict(many.failures_)
        if len(failures) == len(ids):
            return None, failures
        return many, failures

    @staticmethod
    def _check_coverage(failures: dict, ids: pd.Index, where: str = "") -> None:
        """Raise for the first series no member can forecast."""
        for uid in ids:
            if all(uid in failed for failed in failures.values()):
                reasons = "; ".join(
                    f"{name}: {failed[uid]}" for name, failed in failures.items()
                )
                raise SeriesError(
                    uid, f"no member could forecast it{where} ({reasons})."
                )

    @staticmethod
    def _warn(failures: dict, when: str, stacklevel: int = 3) -> None:
        text = _messages(failures)
        if text:
            warnings.warn(
                f"in {when}: {text}; those series combine the other members. "
                "See failures_.",
                MemberFailedWarning,
                stacklevel=stacklevel,
            )

    # ------------------------------------------------------------ predict
    def _check_h(self, h: Any) -> int:
        check_is_fitted(self, "forecasters_")
        if h is None:
            return int(self.horizon)
        if not isinstance(h, numbers.Integral) or isinstance(h, bool) or h < 1:
            raise ValueError(f"h must be a positive integer, got {h!r}.")
        if h > self.horizon:
            raise ValueError(
                f"h={h} exceeds horizon={self.horizon}; refit with horizon={h}."
            )
        return int(h)

    def _member_values(
        self,
        model: Any,
        h: int,
        expected: dict[Hashable, pd.Index],
        new_data: pd.DataFrame | None = None,
    ) -> tuple[dict[Hashable, np.ndarray], dict]:
        """``{uid: h forecasts}`` of one fitted member, and its failures.

        With ``new_data`` (a global member), the member forecasts its series
        (``predict(h, new_data=...)``); a series it refuses with a
        ``SeriesError`` is left out and the others asked again.
        """
        failures: dict = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedSeriesWarning)
            while True:
                try:
                    if new_data is None:
                        out = model.predict(h)
                    else:
                        out = model.predict(h, new_data=new_data.copy())
                    break
                except SeriesError as exc:
                    uid = exc.unique_id
                    left = len(expected) - len(failures)
                    if new_data is None or uid not in expected or uid in failures:
                        message = f"{type(exc).__name__}: {exc}"
                    elif left > 1:
                        failures[uid] = exc.message
                        new_data = new_data[new_data["unique_id"] != uid]
                        continue
                    else:
                        message = exc.message
                except Exception as exc:
                    message = f"{type(exc).__name__}: {exc}"
                failures.update(
                    {uid: message for uid in expected if uid not in failures}
                )
                return {}, failures
        if isinstance(model, MultiSeriesForecaster):
            failures.update(out.attrs.get("failures", {}))
        if not isinstance(out, pd.DataFrame) or not {
            "unique_id",
            "ds",
            "forecast",
        }.issubset(out.columns):
            message = (
                "its predict(h) did not return a DataFrame with columns "
                f"unique_id, ds, forecast (got {type(out).__name__})"
            )
            failures.update({uid: message for uid in expected if uid not in failures})
            return {}, failures
        values = {}
        groups = dict(list(out.groupby("unique_id", sort=False)))
        for uid, dates in expected.items():
            if uid in failures:
                continue
            part = groups.get(uid)
            if part is None:
                failures[uid] = "no forecast for this series"
                continue
            forecast = part["forecast"].to_numpy(dtype=np.float64)
            if len(part) != h or not pd.Index(part["ds"]).equals(dates):
                failures[uid] = (
                    f"its {len(part)} forecast dates are not the {h} dates after "
                    "the series' end"
                )
            elif not np.all(np.isfinite(forecast)):
                failures[uid] = "non-finite forecast"
            else:
                values[uid] = forecast
        return values, failures

    def _read_new_data(self, new_data: Any) -> _NewSeries:
        """Check ``new_data`` and that every global member can forecast it."""
        frame, ids, indexes = self._read_frame(new_data, "new_data")
        refusing = [
            f"{name!r} ({type(model).__name__})"
            for name, model in self.forecasters_.items()
            if self.kinds_[name] == "global"
            and model is not None
            and not _takes_new_data(model)
        ]
        if refusing:
            raise TypeError(
                "predict(new_data=...) needs every global member to forecast new "
                "series from their history, with predict(h, new_data=...); the "
                f"member(s) {', '.join(refusing)} take no new_data. Leave them out "
                "of forecasters, or give a forecaster of one series (fit(y)) as a "
                "member instead of a MultiSeriesForecaster: local members are "
                "refitted on every series of new_data."
            )
        return _NewSeries(frame, ids, indexes)

    def _forecast(
        self, h: int, new: _NewSeries | None, stacklevel: int
    ) -> pd.DataFrame:
        """:meth:`predict`'s frame for the training series or those of ``new``."""
        if new is None:
            ids, indexes, frame = self.ids_, self._indexes, None
            members = self.forecasters_
            failures = {name: dict(f) for name, f in self._fit_failures.items()}
            warned = self._fit_failures  # fit has warned about these
        else:
            ids, indexes, frame = new.ids, new.indexes, new.frame
            members, failures = {}, {}
            for name, kind in self.kinds_.items():
                if kind == "local":  # fresh clones fitted to the new series
                    members[name], failures[name] = self._fit_local(
                        self._local_templates[name], frame, ids
                    )
                    continue
                members[name] = self.forecasters_[name]
                failures[name] = {}
                if members[name] is None:
                    first = next(iter(self._fit_failures[name].values()), "")
                    message = f"it failed in fit on every series ({first})"
                    failures[name] = {uid: message for uid in ids}
            warned = {name: {} for name in members}
        expected = {uid: future_index(indexes[uid], h) for uid in ids}
        columns = {}
        n_rows = h * len(ids)
        for name, model in members.items():
            column = np.full(n_rows, np.nan)
            if model is not None:
                ask = frame if self.kinds_[name] == "global" else None
                values, failed = self._member_values(model, h, expected, ask)
                for uid, message in failed.items():
                    failures[name].setdefault(uid, message)
                for i, uid in enumerate(ids):
                    if uid in values and uid not in failures[name]:
                        column[i * h : (i + 1) * h] = values[uid]
            columns[name] = column
        self.failures_ = failures
        self._check_coverage(failures, ids, "" if new is None else " from new_data")
        self._warn(  # only what fit has not already warned about
            {
                name: {
                    uid: message
                    for uid, message in failed.items()
                    if uid not in warned[name]
                }
                for name, failed in failures.items()
            },
            "predict" if new is None else "predict(new_data=...)",
            stacklevel + 1,
        )
        stacked = np.vstack(list(columns.values()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN is checked
            if self.combine == "median":
                combined = np.nanmedian(stacked, axis=0)
            else:
                combined = np.nanmean(stacked, axis=0)
        dates = list(expected.values())
        ds = dates[0].append(dates[1:]) if len(dates) > 1 else dates[0]
        out = pd.DataFrame(
            {
                "unique_id": ids.repeat(h),
                "ds": ds,
                "forecast": combined,
            }
        )
        for name, column in columns.items():
            out[name] = column
        out.attrs["failures"] = failures
        return out

    def predict(self, h: int | None = None, new_data: Any = None) -> pd.DataFrame:
        """The combined forecasts and each member's, in long format.

        Parameters
        ----------
        h : int, optional
            Steps ahead, at most ``horizon`` (the default).
        new_data : DataFrame with columns unique_id, ds, y, optional
            Forecast the series of this frame from their own history
            instead of the training series (the convention of mlforecast and
            :meth:`bpforecast.GlobalForecaster.predict`); they need not have
            been seen in training, and a series that was is forecast from
            the history given here. Checked as ``fit``'s ``data`` is; not
            modified. Global members forecast it with their
            ``predict(h, new_data=new_data)`` (the model fitted on the
            training data; a global member without a ``new_data`` parameter
            raises a TypeError naming it). Local members are fitted afresh
            to every series of ``new_data`` -- unfitted clones, seeded per
            series from ``random_state`` as in ``fit`` -- and those fits are
            discarded after forecasting. The fitted combination is not
            changed: ``predict()`` gives the training series' forecasts as
            before (``failures_`` alone describes the latest call).

        Returns
        -------
        DataFrame
            Columns ``unique_id``, ``ds``, ``forecast`` (the combination),
            then one column per member, named after it (NaN where the member
            gave no usable forecast for the series); ``h`` rows per series,
            in order of first appearance, ``ds`` continuing each series'
            own dates (or integers). ``attrs['failures']`` is ``failures_``.

        Raises
        ------
        SeriesError
            A series that no member could forecast, or a series of
            ``new_data`` with bad data (missing values, repeated or
            irregular dates).
        TypeError, ValueError
            A bad ``h`` or ``new_data`` (not a DataFrame, missing or extra
            columns, no rows; the message names ``new_data``), or, with
            ``new_data``, a global member that cannot forecast new series.

        Warns
        -----
        MemberFailedWarning
            Some member gave no usable forecast for some series it was
            fitted on (failures in ``fit`` were warned about there), or for
            some series of ``new_data``. Failures are handled as in ``fit``:
            the member is left out of those series' combination.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.baselines import Naive, SeasonalNaive
        >>> from bpforecast.forecasting.combination import CombinationForecaster
        >>> data = pd.DataFrame({"unique_id": ["a"] * 4, "ds": range(4),
        ...                      "y": [1.0, 2.0, 3.0, 4.0]})
        >>> f = CombinationForecaster(
        ...     horizon=2, forecasters=[Naive(), ("sn2", SeasonalNaive(2))],
        ...     combine="mean").fit(data)
        >>> f.predict()
          unique_id  ds  forecast  Naive  sn2
        0         a   4       3.5    4.0  3.0
        1         a   5       4.0    4.0  4.0

        A series not seen in training, forecast from its own history:

        >>> new = pd.DataFrame({"unique_id": ["z"] * 3, "ds": [10, 11, 12],
        ...                     "y": [5.0, 7.0, 6.0]})
        >>> f.predict(new_data=new)
          unique_id  ds  forecast  Naive  sn2
        0         z  13       6.5    6.0  7.0
        1         z  14       6.0    6.0  6.0
        """
        h = self._check_h(h)
        new = None if new_data is None else self._read_new_data(new_data)
        return self._forecast(h, new, stacklevel=3)

    # ------------------------------------------------------------ intervals
    @staticmethod
    def _levels(frame: pd.DataFrame, ids: pd.Index) -> tuple[np.ndarray, np.ndarray]:
        """Per series (``ids`` order): strictly positive, and mean |y| (or 1)."""
        grouped = frame.groupby("unique_id", sort=False)["y"]
        positive = (grouped.min() > 0).reindex(ids).to_numpy(dtype=bool)
        scale = grouped.apply(_mean_abs).reindex(ids).to_numpy(dtype=float)
        return positive, scale

    def _calibration(self) -> np.ndarray:
        """Scale-free errors of the combined forecast of every series' last block."""
        if hasattr(self, "calibration_errors_"):
            return self.calibration_errors_
        H = int(self.horizon)
        frame = self._data.reset_index(drop=True)
        ordered = frame.sort_values("ds", kind="stable")
        from_end = ordered.groupby("unique_id", sort=False).cumcount(ascending=False)
        held = ordered[from_end.to_numpy() < H]
        train = frame[from_end.sort_index().to_numpy() >= H]
        actual = {uid: g.to_numpy(float) for uid, g in held.groupby("unique_id")["y"]}
        sizes = frame.groupby("unique_id", sort=False).size()
        remaining = [uid for uid in self.ids_ if sizes[uid] > H]
        while True:
            if len(remaining) < 2:
                raise ValueError(
                    f"only {len(remaining)} of the {len(self.ids_)} series can be "
                    f"calibrated: predict_interval holds out the final "
                    f"horizon={H} values of every series, and needs at least 2 "
                    "series longer than that which the members can still fit "
                    "and forecast without them. Refit with a lower horizon, or "
                    "use predict() for forecasts without intervals."
                )
            part = train[train["unique_id"].isin(remaining)]
            model = clone(self)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", MemberFailedWarning)
                    forecast = model.fit(part).predict(H)
                break
            except SeriesError as exc:
                # A series no member can fit or forecast without its last
                # block (or too short to read) is left out, and the rest refit.
                failed = getattr(model, "failures_", {})
                bad = {exc.unique_id}
                if failed:
                    bad |= {
                        uid
                        for uid in remaining
                        if all(uid in f for f in failed.values())
                    }
                if not bad & set(remaining):
                    raise
                remaining = [uid for uid in remaining if uid not in bad]
        scales = part.groupby("unique_id", sort=False)["y"].apply(_mean_abs)
        positive = frame.groupby("unique_id", sort=False)["y"].min() > 0
        predicted = {
            uid: g.to_numpy(float)
            for uid, g in forecast.groupby("unique_id", sort=False)["forecast"]
        }
        errors = np.empty((len(remaining), H))
        for k, uid in enumerate(remaining):
            a, f = actual[uid], predicted[uid]
            logged = bool(positive[uid]) & (f > 0)
            log_error = np.log(np.where(logged, a, 1.0)) - np.log(
                np.where(logged, f, 1.0)
            )
            errors[k] = np.where(logged, log_error, (a - f) / scales[uid])
        self.calibration_ids_ = list(remaining)
        self.calibration_errors_ = errors
        return errors

    def predict_interval(
        self, h: int | None = None, coverage: float = 0.9, new_data: Any = None
    ) -> pd.DataFrame:
        """Combined forecasts with split-conformal prediction intervals.

        Calibration (once, on the first call; cached in
        ``calibration_errors_`` and cleared by :meth:`fit`): the final
        ``horizon`` values of every series are held out, a clone of the
        combination (``sklearn.base.clone``: the same members, settings
        and seeds) is fitted on the rest, and each series' held-out block
        is forecast by the combination. The errors of the *combined*
        forecast are taken in a scale-free space, where series of any level
        are comparable: ``log(actual) - log(forecast)`` for a strictly
        positive series (every value of it > 0) where the forecast is
        positive too, otherwise ``(actual - forecast) / s`` with ``s`` the
        mean absolute value of the series' calibration history (1 if 0).
        The half-width ``q`` at step ``j`` is the conformal quantile of
        their absolute values over the ``K`` calibrated series
        (:func:`bpforecast.forecasting.intervals.conformal_half_width`: the
        ``ceil((K + 1) coverage) / K`` quantile), and the interval is the
        forecast +- ``q`` transformed back: ``forecast * exp(+-q)`` where
        the error would be taken in logs (a strictly positive series and a
        positive forecast), ``forecast +- q * s`` otherwise, with ``s`` the
        mean absolute value of the whole series (1 if 0).

        Coverage is over series: about ``coverage`` of the series' future
        values fall inside at each step when the series are exchangeable
        (alike in how hard they are to forecast, relative to their level);
        for any one series it is not guaranteed. Series of ``horizon``
        values or fewer, and series that no member could fit or forecast
        without their last block, are left out of the calibration (still
        forecast, with the others' errors; ``calibration_ids_`` lists the
        series used). A member that fails on a series only in the
        calibration fit is left out of that series' calibration forecast,
        as :meth:`predict` does. Calibrating costs one more fit of every
        member.

        With ``new_data``, the series of ``new_data`` are forecast as by
        ``predict(h, new_data=new_data)``, and their intervals use the same
        half-widths ``q``, calibrated on the *training* data (the cached
        ``calibration_errors_``; nothing is calibrated on ``new_data``),
        transformed back with each new series' own level: ``forecast *
        exp(+-q)`` for a strictly positive new series (and positive
        forecast), ``forecast +- q * s`` otherwise, ``s`` the mean absolute
        value of the new series (1 if 0). Coverage then holds for new series
        that are exchangeable with the training ones.

        Parameters
        ----------
        h : int, optional
            Steps ahead, at most ``horizon`` (the default).
        coverage : float in (0, 1), default=0.9
            The share of future values the intervals should hold.
        new_data : DataFrame with columns unique_id, ds, y, optional
            Series to forecast from their own history, as in
            :meth:`predict`; not modified.

        Returns
        -------
        DataFrame
            :meth:`predict`'s frame with ``lower`` and ``upper`` after
            ``forecast``: columns ``unique_id``, ``ds``, ``forecast``,
            ``lower``, ``upper``, then one per member.

        Raises
        ------
        TypeError, ValueError
            ``coverage`` not a number in (0, 1), a bad ``h`` or a bad
            ``new_data`` (as in :meth:`predict`).
        ValueError
            Fewer than 2 series can be calibrated (too short to hold out
            ``horizon`` values): refit with a lower ``horizon``.
        SeriesError
            As in :meth:`predict`.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from bpforecast.forecasting.baselines import Naive, Theta
        >>> from bpforecast.forecasting.combination import CombinationForecaster
        >>> rng = np.random.default_rng(0)
        >>> data = pd.DataFrame({
        ...     "unique_id": np.repeat(np.arange(20), 24),
        ...     "ds": np.tile(np.arange(24), 20),
        ...     "y": 50 + rng.normal(0, 1, 480).cumsum(),
        ... })
        >>> f = CombinationForecaster(horizon=2, forecasters=[Naive(), Theta()])
        >>> out = f.fit(data).predict_interval(coverage=0.8)
        >>> out.columns.tolist()
        ['unique_id', 'ds', 'forecast', 'lower', 'upper', 'Naive', 'Theta']
        >>> bool((out.lower < out.forecast).all() and (out.forecast < out.upper).all())
        True
        >>> f.calibration_errors_.shape
        (20, 2)

        New series get the training data's calibrated half-widths, applied
        at their own level:

        >>> new = pd.DataFrame({"unique_id": "new", "ds": np.arange(24),
        ...                     "y": 500 + 10 * rng.normal(0, 1, 24).cumsum()})
        >>> out = f.predict_interval(coverage=0.8, new_data=new)
        >>> out.unique_id.unique().tolist(), out.ds.tolist()
        (['new'], [24, 25])
        >>> bool((out.lower < out.forecast).all() and (out.forecast < out.upper).all())
        True
        """
        h = self._check_h(h)
        if not isinstance(coverage, numbers.Real) or isinstance(coverage, bool):
            raise TypeError(
                f"coverage must be a number in (0, 1), got {type(coverage).__name__}."
            )
        if not 0 < coverage < 1:
            raise ValueError(f"coverage must be in (0, 1), got {coverage!r}.")
        new = None if new_data is None else self._read_new_data(new_data)
        q = conformal_half_width(self._calibration(), coverage)[:h]
        out = self._forecast(h, new, stacklevel=3)
        if new is None:
            frame, ids = self._data, self.ids_
        else:
            frame, ids = new.frame, new.ids
        forecast = out["forecast"].to_numpy(dtype=float).reshape(len(ids), h)
        positive, scale = self._levels(frame, ids)
        logged = positive[:, None] & (forecast > 0)
        spread = q * scale[:, None]
        lower = np.where(logged, forecast * np.exp(-q), forecast - spread)
        upper = np.where(logged, forecast * np.exp(q), forecast + spread)
        out.insert(3, "lower", lower.ravel())
        out.insert(4, "upper", upper.ravel())
        return out

    # ------------------------------------------------------------ report
    def summary(self) -> Summary:
        """The members, their kinds and the series each failed on.

        Returns
        -------
        Summary
            Prints as text, renders as HTML in a notebook.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.baselines import Naive, SeasonalNaive
        >>> from bpforecast.forecasting.combination import CombinationForecaster
        >>> data = pd.DataFrame({"unique_id": ["a"] * 4, "ds": range(4),
        ...                      "y": [1.0, 2.0, 3.0, 4.0]})
        >>> f = CombinationForecaster(forecasters=[Naive(), SeasonalNaive(2)])
        >>> print(f.fit(data).summary())  # doctest: +NORMALIZE_WHITESPACE
        CombinationForecaster: median of 2 members
        ==================================================
        series:                                          1
        horizon:                                         1
        Members
        --------------------------------------------------
                        kind  failed series
        Naive          local              0
        SeasonalNaive  local              0
        """
        check_is_fitted(self, "forecasters_")
        table = pd.DataFrame(
            {
                "kind": pd.Series(self.kinds_),
                "failed series": pd.Series(
                    {name: len(f) for name, f in self.failures_.items()}
                ),
            }
        )
        notes = []
        text = _messages(self.failures_)
        if text:
            notes.append(text)
        return Summary(
            f"CombinationForecaster: {self.combine} of {len(self.kinds_)} members",
            [
                (None, [("series", len(self.ids_)), ("horizon", self.horizon)]),
                ("Members", table),
            ],
            notes=notes,
        )
