"""Many series at once: one model per series in parallel, or one global model.

The data come as one long DataFrame, the convention of Nixtla's
statsforecast and mlforecast: a series id column (``unique_id``), a time
column (``ds``), the target (``y``) and, optionally, exogenous columns.
The forecasts come back in the same long format: ``unique_id``, ``ds``,
``forecast`` (and ``lower``, ``upper`` with intervals).

* :func:`forecast_many` fits one forecaster per series (a *local* model,
  :class:`~bpforecast.BPForecaster` by default) and forecasts, the series
  spread over processes by joblib (``n_jobs``) or over a Dask cluster
  (``backend='dask'``).
* :class:`MultiSeriesForecaster` does the same in two steps
  (``fit(data)``, ``predict(horizon)``) and can instead train one *global*
  regressor on the windows of all series (``global_model=True``).

Reproducibility
    With ``random_state`` set, series ``uid`` is fitted with the seed
    :func:`series_seed` ``(random_state, uid)``, derived from the id itself
    (a hash of ``str(uid)``), not from the series' position, the row order
    of the frame, the other series present, ``n_jobs``, the backend or the
    order in which workers finish. Every fit runs with BLAS and OpenMP
    limited to one thread (``threadpoolctl``), in the calling process as in
    the workers, so the same ``random_state`` gives bit-identical models
    and forecasts sequentially, with ``n_jobs=2`` or on a Dask cluster (of
    the same machine type and library versions), and they equal those of a
    plain ``BPForecaster(random_state=series_seed(random_state, uid))``
    fitted on the series alone.

Problems with a series
    Problems with the frame as a whole (not a DataFrame, missing columns,
    missing ids, a time column that is neither dates nor integers, a
    boolean target) raise at once. Problems with one series (NaN or
    infinite values, repeated or irregular dates, non-numeric values, too
    short, or any error its forecaster raises) raise :class:`SeriesError`
    naming the series with ``errors='raise'`` (the default; the first
    failing series in frame order), or, with ``errors='skip'``, leave that
    series out: the result then carries ``{id: message}`` in
    ``result.attrs['failures']`` (and :class:`MultiSeriesForecaster` in
    ``failures_``), and a :class:`SkippedSeriesWarning` says how many were
    skipped.

Running on a Dask cluster
    ``backend='dask'`` sends the series to the workers of the active
    ``dask.distributed`` client through joblib's Dask backend (install with
    ``pip install 'bpforecast[dask]'``; bpforecast must be installed on
    every worker too). Connect a client to your scheduler first; ``n_jobs``
    is then ignored (every worker thread is used)::

        from dask.distributed import Client
        from bpforecast.forecasting.multiseries import forecast_many

        if __name__ == "__main__":
            client = Client("tcp://scheduler-host:8786")  # your scheduler
            forecasts = forecast_many(df, 12, backend="dask", random_state=0)

    For a cluster on this machine, ``Client(LocalCluster(n_workers=4,
    threads_per_worker=1))``. Process-based workers (``n_jobs > 1`` with
    the default loky backend, or a ``LocalCluster`` with processes) start
    fresh Python processes; a *script* that starts them must keep its work
    under an ``if __name__ == "__main__":`` guard, otherwise a
    ``LocalCluster`` fails to start its workers (they re-import the
    script). Notebooks and interactive sessions need no guard.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> from bpforecast.forecasting.multiseries import forecast_many
>>> t = np.arange(48)
>>> data = pd.DataFrame({
...     "unique_id": np.repeat(["a", "b"], 48),
...     "ds": np.tile(pd.date_range("2000-01-01", periods=48, freq="MS"), 2),
...     "y": np.concatenate([10 + np.sin(t / 2), 20 + np.cos(t / 3)]),
... })
>>> out = forecast_many(data, horizon=3, random_state=0)
>>> out.columns.tolist(), out.shape
(['unique_id', 'ds', 'forecast'], (6, 3))
>>> out["ds"].dt.strftime("%Y-%m").tolist()[:3]
['2004-01', '2004-02', '2004-03']
"""

from __future__ import annotations

import contextlib
import inspect
import numbers
import pickle
import warnings
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, parallel_config
from sklearn.base import BaseEstimator, clone

from .._sklearn_compat import HasMethods, Interval, StrOptions
from ..seeds import resolve_random_state as _resolve_random_state
from ..seeds import series_seed
from ..threads import one_thread
from .closed_loop import closed_loop
from .forecaster import BPForecaster, auto_lags, default_regressor
from .series import check_column_names, future_index, infer_freq, infer_season_length
from .series import check_horizon as _check_horizon
from .windowing import make_windows, normalize_lags

__all__ = [
    "MultiSeriesForecaster",
    "SeriesError",
    "SkippedSeriesWarning",
    "forecast_many",
    "series_seed",
]


# ----------------------------------------------------------------------------
# public helpers
# ----------------------------------------------------------------------------


class SeriesError(ValueError):
    """A problem with one series of a long DataFrame.

    The message starts with ``series <id>:``; the id is in ``unique_id``.

    Examples
    --------
    >>> from bpforecast.forecasting.multiseries import SeriesError
    >>> err = SeriesError("b", "y contains NaN")
    >>> str(err), err.unique_id
    ("series 'b': y contains NaN", 'b')
    """

    def __init__(self, unique_id: Hashable, message: str) -> None:
        super().__init__(f"series {unique_id!r}: {message}")
        self.unique_id = unique_id
        self.message = message

    def __reduce__(self):
        return (type(self), (self.unique_id, self.message))


class SkippedSeriesWarning(UserWarning):
    """Some series were left out (``errors='skip'``).

    Examples
    --------
    >>> from bpforecast.forecasting.multiseries import SkippedSeriesWarning
    >>> issubclass(SkippedSeriesWarning, UserWarning)
    True
    """


# ----------------------------------------------------------------------------
# argument checks
# ----------------------------------------------------------------------------


def _check_coverage(intervals: Any) -> float | None:
    if intervals is None:
        return None
    if (
        isinstance(intervals, (bool, np.bool_))
        or not isinstance(intervals, numbers.Real)
        or not 0 < intervals < 1
    ):
        raise ValueError(
            f"intervals must be None or a coverage in (0, 1) such as 0.9, "
            f"got {intervals!r}."
        )
    return float(intervals)


def _accepts(method: Any, name: str) -> bool:
    try:
        return name in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def _check_forecaster(forecaster: Any) -> Any:
    """The forecaster to clone per series (validated by the constraints)."""
    return BPForecaster() if forecaster is None else forecaster


def _params(estimator: Any) -> dict:
    if hasattr(estimator, "get_params"):
        return estimator.get_params(deep=False)
    return {}


# ----------------------------------------------------------------------------
# splitting the long frame into series
# ----------------------------------------------------------------------------


@dataclass
class _Series:
    position: int
    unique_id: Any
    y: pd.Series
    exog: pd.DataFrame | None


@dataclass
class _Split:
    series: list[_Series]
    failures: list[tuple[int, Any, str]]  # (position, id, message)
    uniques: pd.Index  # every id, in order of first appearance
    exog_cols: list[str]
    time_dtype: Any


def _numeric_column(
    data: pd.DataFrame, column: str, what: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """Float values of a column and, if some are not numbers, a bad-row mask."""
    values = data[column]
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise TypeError(f"{what} column {column!r} is boolean; it must be numeric.")
    if pd.api.types.is_numeric_dtype(dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan), None
    coerced = pd.to_numeric(values, errors="coerce")
    bad = (coerced.isna() & values.notna()).to_numpy()
    return coerced.to_numpy(
        dtype=np.float64, na_value=np.nan
    ), bad if bad.any() else None


def _first(values: Any, n: int = 3) -> str:
    items = [str(v) for v in list(values)[:n]]
    more = ", ..." if len(values) > n else ""
    return ", ".join(items) + more


def _resolve_exog_cols(
    data: pd.DataFrame, exog_cols: Any, reserved: tuple[str, str, str]
) -> list[str]:
    if exog_cols is None:
        return [c for c in data.columns if c not in reserved]
    return check_column_names(exog_cols, data.columns, reserved, "exog_cols")


def _split_frame(
    data: Any,
    id_col: str,
    time_col: str,
    target_col: str,
    exog_cols: Any,
    freq: Any,
) -> _Split:
    """Validate a long frame and cut it into per-series pandas objects."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"data must be a pandas DataFrame in long format ({id_col}, "
            f"{time_col}, {target_col}, ...), got {type(data).__name__}."
        )
    reserved = (id_col, time_col, target_col)
    missing = [c for c in reserved if c not in data.columns]
    if missing:
        raise ValueError(
            f"data is missing the columns {missing}; it has {list(data.columns)}. "
            "Name them with id_col=, time_col=, target_col=."
        )
    if data.columns.has_duplicates:
        raise ValueError("data has repeated column names.")
    exog = _resolve_exog_cols(data, exog_cols, reserved)
    ids = data[id_col]
    if ids.isna().any():
        raise ValueError(f"the id column {id_col!r} has missing values.")
    ds = data[time_col]
    if pd.api.types.is_datetime64_any_dtype(ds.dtype):
        kind = "datetime"
        ds_index = pd.DatetimeIndex(ds)
        ds_key = ds_index.asi8
        ds_missing = ds_index.isna()
    elif pd.api.types.is_integer_dtype(ds.dtype) and not pd.api.types.is_bool_dtype(
        ds.dtype
    ):
        if ds.isna().any():  # nullable integers
            raise ValueError(f"the time column {time_col!r} has missing values.")
        kind = "integer"
        ds_key = ds.to_numpy(dtype=np.int64)
        ds_missing = np.zeros(len(ds), dtype=bool)
        if freq is not None:
            raise ValueError("freq applies only to a datetime time column.")
    else:
        raise TypeError(
            f"the time column {time_col!r} must hold datetimes or integers, got "
            f"dtype {ds.dtype}; convert it, e.g. pd.to_datetime(data[{time_col!r}])."
        )
    y, y_bad = _numeric_column(data, target_col, "the target")
    exog_values, exog_bad = [], []
    for col in exog:
        values, bad = _numeric_column(data, col, "the exogenous")
        exog_values.append(values)
        exog_bad.append(bad)
    exog_matrix = np.column_stack(exog_values) if exog else None

    codes, uniques = pd.factorize(ids, sort=False)
    uniques = pd.Index(uniques)
    order = np.lexsort((ds_key, codes))
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes))])
    columns = _Columns(
        kind=kind,
        times=ds.to_numpy() if kind == "integer" else pd.DatetimeIndex(ds),
        keys=ds_key,
        missing=ds_missing,
        y=y,
        y_bad=y_bad,
        exog=exog,
        exog_matrix=exog_matrix,
        exog_bad=exog_bad,
        target_col=target_col,
        time_col=time_col,
        freq=freq,
    )
    series: list[_Series] = []
    failures: list[tuple[int, Any, str]] = []
    for position, uid in enumerate(uniques):
        rows = order[bounds[position] : bounds[position + 1]]
        try:
            series.append(_one_series(position, uid, rows, columns))
        except _Invalid as problem:
            failures.append((position, uid, str(problem)))
    return _Split(series, failures, uniques, exog, ds.dtype)


class _Invalid(Exception):
    """A problem with one series found while splitting the frame."""


@dataclass
class _Columns:
    """The long frame's columns as arrays, shared by the per-series checks."""

    kind: str  # 'datetime' or 'integer'
    times: Any  # DatetimeIndex or int ndarray
    keys: np.ndarray  # int64 sort keys of the times
    missing: np.ndarray
    y: np.ndarray
    y_bad: np.ndarray | None
    exog: list[str]
    exog_matrix: np.ndarray | None
    exog_bad: list[np.ndarray | None]
    target_col: str
    time_col: str
    freq: Any
    cache: dict = field(default_factory=dict)


def _one_series(position: int, uid: Any, rows: np.ndarray, c: _Columns) -> _Series:
    """The checked pandas objects of one series (rows sorted by time)."""
    target_col, time_col, exog = c.target_col, c.time_col, c.exog
    n = len(rows)
    if c.missing[rows].any():
        raise _Invalid(f"the time column {time_col!r} has missing values.")
    times = c.times[rows]
    keys = c.keys[rows]
    repeated = keys[1:] == keys[:-1]
    if repeated.any():
        raise _Invalid(
            f"repeated {time_col!r} values: {_first(pd.Index(times[1:][repeated]))}; "
            "each (id, time) pair must occur once."
        )
    if c.y_bad is not None and c.y_bad[rows].any():
        raise _Invalid(f"the target {target_col!r} has non-numeric values.")
    values = c.y[rows]
    if not np.all(np.isfinite(values)):
        where = pd.Index(times)[~np.isfinite(values)]
        raise _Invalid(
            f"the target {target_col!r} has NaN or infinite values at "
            f"{time_col}={_first(where)}; fill or drop them first."
        )
    ex = None
    if exog:
        block = c.exog_matrix[rows]
        for j, col in enumerate(exog):
            if c.exog_bad[j] is not None and c.exog_bad[j][rows].any():
                raise _Invalid(f"the exogenous column {col!r} has non-numeric values.")
            if not np.all(np.isfinite(block[:, j])):
                raise _Invalid(
                    f"the exogenous column {col!r} has NaN or infinite values."
                )
    if c.kind == "integer":
        steps = np.diff(keys)
        step = int(steps[0]) if n >= 2 else 1
        if n >= 2 and np.any(steps != step):
            raise _Invalid(
                f"the {time_col!r} values are not evenly spaced (gaps?); lags "
                "count observations, so fill the gaps first."
            )
        index = pd.RangeIndex(int(keys[0]), int(keys[0]) + n * step, step)
    else:
        index = _datetime_index(times, keys, c.freq, time_col, c.cache)
    series = pd.Series(values, index=index, name="y")
    if exog:
        ex = pd.DataFrame(block, index=index, columns=[str(name) for name in exog])
    return _Series(position, uid, series, ex)


def _datetime_index(
    times: pd.DatetimeIndex,
    keys: np.ndarray,
    freq: Any,
    time_col: str,
    cache: dict,
) -> pd.DatetimeIndex:
    """A DatetimeIndex with its frequency; series with equal dates share one."""
    slot = (len(keys), int(keys[0]), int(keys[-1])) if len(keys) else None
    if slot in cache and np.array_equal(cache[slot][0], keys):
        return cache[slot][1]
    index = _new_datetime_index(times, freq, time_col)
    cache[slot] = (keys, index)
    return index


def _new_datetime_index(
    times: pd.DatetimeIndex, freq: Any, time_col: str
) -> pd.DatetimeIndex:
    if freq is not None:
        try:
            return pd.DatetimeIndex(times, freq=freq)
        except ValueError:
            raise _Invalid(
                f"the {time_col!r} values do not follow freq={freq!r} (gaps or "
                "another frequency)."
            ) from None
    if len(times) < 3:
        raise _Invalid(
            f"{len(times)} values are too few to infer the frequency of "
            f"{time_col!r}; pass freq= (e.g. 'MS')."
        )
    inferred = infer_freq(pd.DatetimeIndex(times))
    if inferred is None:
        raise _Invalid(
            f"the {time_col!r} values are not regularly spaced (gaps?); fill the "
            "gaps (lags count observations), or pass freq= if it is regular."
        )
    return pd.DatetimeIndex(times, freq=inferred)


def _future_exog_by_series(
    future_exog: Any,
    split: _Split,
    horizon: int,
    id_col: str,
    time_col: str,
) -> tuple[dict[int, pd.DataFrame], list[tuple[int, Any, str]]]:
    """Each series' future exog rows, aligned on its next ``horizon`` times."""
    if not isinstance(future_exog, pd.DataFrame):
        raise TypeError(
            f"future_exog must be a long DataFrame ({id_col}, {time_col}, exog "
            f"columns), got {type(future_exog).__name__}."
        )
    need = [id_col, time_col, *split.exog_cols]
    missing = [c for c in need if c not in future_exog.columns]
    if missing:
        raise ValueError(f"future_exog is missing the columns {missing}.")
    groups = future_exog.groupby(id_col, sort=False).indices
    out: dict[int, pd.DataFrame] = {}
    failures: list[tuple[int, Any, str]] = []
    cache: dict = {}
    for s in split.series:
        index = _future_times(s.y.index, horizon, cache)
        rows = groups.get(s.unique_id)
        if rows is None:
            failures.append((s.position, s.unique_id, "future_exog has no rows."))
            continue
        part = future_exog.iloc[rows]
        keys = part[time_col]
        if keys.duplicated().any():
            failures.append(
                (s.position, s.unique_id, f"future_exog repeats {time_col!r} values.")
            )
            continue
        frame = part.set_index(time_col)[split.exog_cols]
        try:
            frame = frame.reindex(index).astype(np.float64)
        except (TypeError, ValueError) as exc:
            failures.append(
                (s.position, s.unique_id, f"future_exog is not usable: {exc}")
            )
            continue
        if not np.all(np.isfinite(frame.to_numpy())):
            failures.append(
                (
                    s.position,
                    s.unique_id,
                    f"future_exog lacks values (or has NaN) for some of the "
                    f"{horizon} future times {_first(index)}.",
                )
            )
            continue
        frame.columns = [str(c) for c in frame.columns]
        out[s.position] = frame
    return out, failures


def _future_times(index: pd.Index, horizon: int, cache: dict) -> pd.Index:
    """``future_index`` with a cache for datetime indexes ending alike."""
    if not isinstance(index, pd.DatetimeIndex):
        return future_index(index, horizon)
    slot = (index[-1], index.freq, index.name, horizon)
    if slot not in cache:
        cache[slot] = future_index(index, horizon)
    return cache[slot]


# ----------------------------------------------------------------------------
# the work done per series (in the workers)
# ----------------------------------------------------------------------------


@dataclass
class _Task:
    position: int
    unique_id: Any
    model: Any  # a template to clone and fit, or a fitted forecaster
    fit: bool
    seed: int | None
    y: pd.Series | None
    exog: pd.DataFrame | None
    horizon: int | None
    future_exog: pd.DataFrame | None
    coverage: float | None
    keep_model: bool


@dataclass
class _Result:
    position: int
    unique_id: Any
    forecast: np.ndarray | None = None
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    model: Any = None
    error: str | None = None
    exception: BaseException | None = None


def _run_task(task: _Task) -> _Result:
    """Fit and/or forecast one series; errors are returned, not raised."""
    result = _Result(task.position, task.unique_id)
    try:
        with one_thread():
            model = task.model
            if task.fit:
                model = clone(model, safe=False)
                if task.seed is not None and "random_state" in _params(model):
                    model.set_params(random_state=task.seed)
                if task.exog is not None:
                    model.fit(task.y, exog=task.exog)
                else:
                    model.fit(task.y)
            if task.horizon is not None:
                kwargs = {}
                if task.future_exog is not None:
                    kwargs["exog"] = task.future_exog
                if task.coverage is not None:
                    out = model.predict_interval(
                        task.horizon, coverage=task.coverage, **kwargs
                    )
                    result.forecast = _floats(out["forecast"], task.horizon)
                    result.lower = _floats(out["lower"], task.horizon)
                    result.upper = _floats(out["upper"], task.horizon)
                else:
                    result.forecast = _floats(
                        model.predict(task.horizon, **kwargs), task.horizon
                    )
            if task.keep_model:
                result.model = model
    except Exception as exc:  # reported per series, re-raised by the caller
        result.error = f"{type(exc).__name__}: {exc}"
        try:
            pickle.dumps(exc)
            result.exception = exc
        except Exception:
            result.exception = None
    return result


def _floats(values: Any, horizon: int) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64).ravel()
    if out.shape != (horizon,):
        raise ValueError(
            f"the forecaster returned {out.size} values for a horizon of {horizon}."
        )
    return out


# ----------------------------------------------------------------------------
# running the tasks
# ----------------------------------------------------------------------------


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, progress: bool, desc: str) -> Any:
    if not progress:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=desc, unit="series")


@contextlib.contextmanager
def _backend_context(backend: str | None) -> Iterator[None]:
    if backend is None:
        yield
        return
    if not isinstance(backend, str):
        raise ValueError(
            f"backend must be None or a joblib backend name such as 'loky' or "
            f"'dask', got {backend!r}."
        )
    if backend == "dask":
        try:
            import distributed
        except ImportError:
            raise ImportError(
                "backend='dask' needs dask.distributed: pip install "
                "'bpforecast[dask]' (or 'dask[distributed]')."
            ) from None
        try:
            distributed.get_client()
        except ValueError:
            raise ValueError(
                "backend='dask' uses the active dask.distributed client, and there "
                "is none. Start one first, e.g. client = Client('tcp://host:8786') "
                "for your scheduler, or Client(LocalCluster()) on this machine "
                "(in a script, under if __name__ == '__main__':)."
            ) from None
    with parallel_config(backend=backend):
        yield


def _execute(
    tasks: list[_Task],
    n_jobs: int | None,
    backend: str | None,
    progress: bool,
    errors: str,
    desc: str,
) -> tuple[list[_Result], list[tuple[int, Any, str]]]:
    """Run the tasks (results in task order); failures raise or are collected."""
    results: list[_Result] = []
    failures: list[tuple[int, Any, str]] = []
    if not tasks:
        return results, failures
    bar = _progress_bar(len(tasks), progress, desc)
    try:
        with _backend_context(backend):
            parallel = Parallel(n_jobs=n_jobs, return_as="generator")
            outputs = parallel(delayed(_run_task)(task) for task in tasks)
            try:
                for result in outputs:
                    bar.update(1)
                    if result.error is None:
                        results.append(result)
                        continue
                    if errors == "raise":
                        raise SeriesError(
                            result.unique_id, result.error
                        ) from result.exception
                    failures.append((result.position, result.unique_id, result.error))
            finally:
                outputs.close()
    finally:
        bar.close()
    return results, failures


def _report(failures: list[tuple[int, Any, str]], errors: str) -> dict[Hashable, str]:
    """Raise on the first failure, or warn and return them as {id: message}."""
    failures = sorted(failures, key=lambda f: f[0])
    if failures and errors == "raise":
        _, uid, message = failures[0]
        raise SeriesError(uid, message)
    if failures:
        warnings.warn(
            f"{len(failures)} series skipped (errors='skip'), e.g. series "
            f"{failures[0][1]!r}: {failures[0][2]}",
            SkippedSeriesWarning,
            stacklevel=3,
        )
    return {uid: message for _, uid, message in failures}


def _output(
    split: _Split,
    positions: Sequence[int],
    indexes: Sequence[pd.Index],
    values: dict[str, list[np.ndarray]],
    id_col: str,
    time_col: str,
    failures: dict[Hashable, str],
) -> pd.DataFrame:
    """The long result frame (series in frame order)."""
    counts = [len(ix) for ix in indexes]
    if positions:
        ids = split.uniques.take(np.repeat(np.asarray(positions), counts))
        times = indexes[0].append(list(indexes[1:])) if len(indexes) > 1 else indexes[0]
        columns = {id_col: ids, time_col: times}
        columns.update({k: np.concatenate(v) for k, v in values.items()})
        frame = pd.DataFrame(columns)
    else:
        frame = pd.DataFrame(
            {
                id_col: pd.Series([], dtype=split.uniques.dtype),
                time_col: pd.Series([], dtype=split.time_dtype),
                **{k: pd.Series([], dtype=np.float64) for k in values},
            }
        )
    frame.attrs["failures"] = failures
    return frame


# ----------------------------------------------------------------------------
# the estimator
# ----------------------------------------------------------------------------


_FITTED_ATTRIBUTES = (
    "ids_",
    "failures_",
    "models_",
    "regressor_",
    "scales_",
    "lags_",
    "exog_lags_",
    "_fitted",
    "_scales",
    "_max_lag",
)


class MultiSeriesForecaster(BaseEstimator):
    """Forecast every series of a long DataFrame: local models or one global.

    Local (default)
        One clone of ``forecaster`` per series, fitted in parallel (joblib
        ``n_jobs``, or a Dask cluster with ``backend='dask'``), seeded with
        :func:`series_seed` ``(random_state, id)``. Results equal sequential
        fits bit for bit, whatever ``n_jobs`` (see the module docstring).
    Global (``global_model=True``)
        One ``regressor`` trained on the lag windows of all series stacked
        (:func:`~bpforecast.forecasting.windowing.make_windows` on the long frame). Each
        series is first standardised by its own mean and standard deviation
        (a constant series by its mean and 1), so that series of different
        levels and scales share one model; the exogenous columns enter
        unscaled at lags ``exog_lags``. The stacked windows are ordered by
        their distance from their series' end, most recent last, so the
        default regressor's block division holds out the latest windows of
        every series for early stopping. Forecasts are recursive (the
        one-step model is fed its own predictions, all series at once) and
        rescaled per series. ``n_jobs``/``backend`` do not apply (one fit);
        intervals are not available.

    Parameters
    ----------
    forecaster : object or None, default=None
        Local models: an unfitted forecaster with ``fit(y[, exog])`` and
        ``predict(steps[, exog])`` (``predict_interval`` for intervals);
        None means ``BPForecaster()``. Its ``random_state`` is replaced per
        series when ``random_state`` is given. Not used by the global model.
    global_model : bool, default=False
        Deprecated: :class:`~bpforecast.GlobalForecaster` replaces it (a
        ``DeprecationWarning`` says so); it keeps working as before.
    regressor : scikit-learn regressor or None, default=None
        Global model: None means
        :func:`bpforecast.forecasting.forecaster.default_regressor` with
        ``solver='traingdx'`` (the network of version 0.2).
    lags : 'auto', int or list of int, default='auto'
        Global model: lags of the standardised target; 'auto' is
        :func:`~bpforecast.forecasting.forecaster.auto_lags` for the median series
        length and the season length of the first series' frequency (one season of
        lags for seasonal data). Series with fewer than ``max_lag + 2``
        values are too short for the global model (see ``errors``).
    exog_lags : sequence of int, default=(0,)
        Global model: lags of the exogenous columns (0: the value at the
        target time, then needed for the forecast period in
        ``future_exog``).
    id_col, time_col, target_col : str
        Column names of the long frame (default ``unique_id``, ``ds``, ``y``).
        The time column holds datetimes (a regular frequency per series) or
        evenly spaced integers.
    exog_cols : list of str or None, default=None
        Exogenous columns; None takes every other column of the frame (the
        statsforecast convention), ``[]`` none.
    freq : str, DateOffset or None, default=None
        Frequency of a datetime time column; None infers it per series.
    n_jobs : int or None, default=1
        Parallel workers for the local models (joblib; -1: all cores).
    backend : str or None, default=None
        A joblib backend: None uses joblib's active one (loky processes by
        default, or one set by ``joblib.parallel_config``); ``'dask'`` uses
        the active ``dask.distributed`` client (``n_jobs`` is then ignored).
    progress : bool, default=False
        Show a tqdm progress bar over series, if tqdm is installed (nothing
        otherwise).
    random_state : int, RandomState, Generator or None, default=None
        None leaves the forecaster's own ``random_state`` alone.
    errors : {'raise', 'skip'}, default='raise'
        What a problem with one series does (see the module docstring).

    Attributes
    ----------
    ids_ : pandas.Index
        Ids of the fitted series, in frame order.
    failures_ : dict
        ``{id: message}`` of the series skipped by ``fit``.
    models_ : dict
        Local models: ``{id: fitted forecaster}``.
    regressor_ : estimator
        Global model: the fitted regressor.
    scales_ : pandas.DataFrame
        Global model: ``loc`` and ``scale`` of each series.
    lags_, exog_lags_ : ndarray of int
        Global model.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import LinearRegression
    >>> from bpforecast.forecasting.multiseries import MultiSeriesForecaster
    >>> t = np.arange(60)
    >>> data = pd.DataFrame({
    ...     "unique_id": np.repeat([1, 2], 60),
    ...     "ds": np.tile(t, 2),
    ...     "y": np.concatenate([np.sin(t / 3), 50 + 10 * np.sin(t / 3)]),
    ... })
    >>> import warnings
    >>> m = MultiSeriesForecaster(global_model=True, regressor=LinearRegression(),
    ...                           lags=2)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     m = m.fit(data)        # deprecated: GlobalForecaster replaces it
    >>> caught[0].category.__name__
    'DeprecationWarning'
    >>> out = m.predict(2)
    >>> out["ds"].tolist()
    [60, 61, 60, 61]
    >>> truth = np.sin(np.array([60, 61]) / 3)
    >>> bool(np.allclose(out["forecast"], np.r_[truth, 50 + 10 * truth]))
    True
    """

    _parameter_constraints: dict = {
        "forecaster": [HasMethods(["fit", "predict"]), None],
        "global_model": ["boolean"],
        "regressor": [HasMethods(["fit", "predict"]), None],
        "lags": [
            StrOptions({"auto"}),
            Interval(numbers.Integral, 1, None, closed="left"),
            "array-like",
        ],
        "exog_lags": ["array-like"],
        "id_col": [Hashable],
        "time_col": [Hashable],
        "target_col": [Hashable],
        "exog_cols": ["array-like", str, None],
        "freq": [str, pd.DateOffset, None],
        "n_jobs": [
            Interval(numbers.Integral, None, -1, closed="right"),
            Interval(numbers.Integral, 1, None, closed="left"),
            None,
        ],
        "backend": [str, None],
        "progress": ["boolean"],
        "random_state": ["random_state", np.random.Generator],
        "errors": [StrOptions({"raise", "skip"})],
    }

    def __init__(
        self,
        forecaster: Any = None,
        *,
        global_model: bool = False,
        regressor: Any = None,
        lags: Any = "auto",
        exog_lags: Sequence[int] = (0,),
        id_col: str = "unique_id",
        time_col: str = "ds",
        target_col: str = "y",
        exog_cols: Sequence[str] | None = None,
        freq: Any = None,
        n_jobs: int | None = 1,
        backend: str | None = None,
        progress: bool = False,
        random_state: Any = None,
        errors: str = "raise",
    ) -> None:
        self.forecaster = forecaster
        self.global_model = global_model
        self.regressor = regressor
        self.lags = lags
        self.exog_lags = exog_lags
        self.id_col = id_col
        self.time_col = time_col
        self.target_col = target_col
        self.exog_cols = exog_cols
        self.freq = freq
        self.n_jobs = n_jobs
        self.backend = backend
        self.progress = progress
        self.random_state = random_state
        self.errors = errors

    # ------------------------------------------------------------------ fit
    def fit(self, data: pd.DataFrame) -> MultiSeriesForecaster:
        """Fit a model per series (or the global model) on a long frame.

        Parameters
        ----------
        data : pandas.DataFrame
            Long format: ``id_col``, ``time_col``, ``target_col`` and the
            exogenous columns.

        Returns
        -------
        self

        Raises
        ------
        SeriesError
            A problem with one series, with ``errors='raise'``.
        ValueError, TypeError
            A problem with the frame as a whole or with the parameters.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from bpforecast import BPForecaster
        >>> from bpforecast.forecasting.multiseries import MultiSeriesForecaster
        >>> data = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 40),
        ...                      "ds": np.tile(np.arange(40), 2),
        ...                      "y": np.sin(np.arange(80) / 4) + 3})
        >>> m = MultiSeriesForecaster(BPForecaster(n_models=1), random_state=0)
        >>> sorted(m.fit(data).models_)
        ['a', 'b']
        """
        self._validate_params()
        errors = self.errors
        for name in _FITTED_ATTRIBUTES:
            self.__dict__.pop(name, None)
        split = self._split(data)
        failures = list(split.failures)
        if errors == "raise" and failures:
            _report(failures, errors)
        self._global = bool(self.global_model)
        if self._global:
            warnings.warn(
                "MultiSeriesForecaster(global_model=True) is deprecated: use "
                "bpforecast.GlobalForecaster, which trains one ensemble on "
                "scale-free windows of all series and forecasts all steps at once "
                "(more accurate on forecasting-competition data; see "
                "benchmarks/README.md).",
                DeprecationWarning,
                stacklevel=2,
            )
        self._uniques = split.uniques
        self._time_dtype = split.time_dtype
        self._exog_cols = split.exog_cols
        if self._global:
            fit_failures = self._fit_global(split, errors)
        else:
            fit_failures = self._fit_local(split, errors)
        self.failures_ = _report(failures + fit_failures, errors)
        return self

    def _split(self, data: Any) -> _Split:
        return _split_frame(
            data,
            self.id_col,
            self.time_col,
            self.target_col,
            self.exog_cols,
            self.freq,
        )

    def _local_template(self, split: _Split) -> Any:
        forecaster = _check_forecaster(self.forecaster)
        if split.exog_cols and not _accepts(forecaster.fit, "exog"):
            raise ValueError(
                f"{type(forecaster).__name__}.fit takes no exog, but the frame has "
                f"the exogenous columns {split.exog_cols}; pass exog_cols=[] (or "
                "drop the columns)."
            )
        return forecaster

    def _fit_local(self, split: _Split, errors: str) -> list:
        template = self._local_template(split)
        seed = _resolve_random_state(self.random_state)
        tasks = [
            _Task(
                position=s.position,
                unique_id=s.unique_id,
                model=template,
                fit=True,
                seed=None if seed is None else series_seed(seed, s.unique_id),
                y=s.y,
                exog=s.exog,
                horizon=None,
                future_exog=None,
                coverage=None,
                keep_model=True,
            )
            for s in split.series
        ]
        results, failures = _execute(
            tasks,
            self.n_jobs,
            self.backend,
            self.progress,
            errors,
            "fit",
        )
        self.models_ = {r.unique_id: r.model for r in results}
        by_position = {s.position: s for s in split.series}
        self._fitted = {r.position: by_position[r.position] for r in results}
        self.ids_ = split.uniques.take([r.position for r in results])
        return failures

    # -------------------------------------------------------------- global
    def _fit_global(self, split: _Split, errors: str) -> list:
        series = split.series
        if not series:
            raise ValueError("no usable series to fit the global model on.")
        if isinstance(self.lags, str):
            typical = int(np.median([len(s.y) for s in series]))
            season = infer_season_length(series[0].y.index)
            lags = auto_lags(typical, season)
        else:
            lags = normalize_lags(self.lags)
        exog_lags = None
        if split.exog_cols:
            exog_lags = np.unique(np.asarray(list(self.exog_lags), dtype=np.int64))
            if exog_lags.size == 0 or exog_lags[0] < 0:
                raise ValueError(
                    f"exog_lags must be non-negative ints, got {self.exog_lags!r}."
                )
        max_lag = int(lags[-1]) if exog_lags is None else max(lags[-1], exog_lags[-1])
        failures = []
        kept = []
        for s in series:
            if len(s.y) < max_lag + 2:
                failures.append(
                    (
                        s.position,
                        s.unique_id,
                        f"{len(s.y)} values are too few for the global model's lags "
                        f"(largest {max_lag}); it needs at least {max_lag + 2}.",
                    )
                )
            else:
                kept.append(s)
        if failures and errors == "raise":
            _report(failures, errors)
        if not kept:
            raise ValueError("no series is long enough for the global model's lags.")
        loc = np.array([s.y.mean() for s in kept])
        scale = np.array([s.y.std(ddof=0) for s in kept])
        scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        lengths = np.array([len(s.y) for s in kept])
        long = pd.DataFrame(
            {
                "unique_id": np.repeat(np.arange(len(kept)), lengths),
                "ds": np.concatenate([np.arange(n) for n in lengths]),
                "y": np.concatenate(
                    [
                        (s.y.to_numpy() - m) / d
                        for s, m, d in zip(kept, loc, scale, strict=True)
                    ]
                ),
            }
        )
        exog = None
        if split.exog_cols:
            exog = pd.DataFrame(
                np.concatenate([s.exog.to_numpy() for s in kept]),
                index=long.index,
                columns=[str(c) for c in split.exog_cols],
            )
        X, Y = make_windows(
            long,
            lags,
            exog=exog,
            exog_lags=None if exog is None else exog_lags.tolist(),
        )
        which = X.index.get_level_values(0).to_numpy()
        when = X.index.get_level_values(1).to_numpy()
        age = lengths[which] - 1 - when
        order = np.argsort(-age, kind="stable")
        seed = _resolve_random_state(self.random_state)
        if self.regressor is None:
            regressor = default_regressor(seed, solver="traingdx")
        else:
            regressor = clone(self.regressor)
            if seed is not None and "random_state" in _params(regressor):
                regressor.set_params(random_state=seed)
        regressor.fit(X.to_numpy()[order], Y.to_numpy()[order, 0])
        self.regressor_ = regressor
        self.lags_ = lags
        self.exog_lags_ = exog_lags
        self._max_lag = max_lag
        self._fitted = {s.position: s for s in kept}
        self.ids_ = split.uniques.take([s.position for s in kept])
        self.scales_ = pd.DataFrame({"loc": loc, "scale": scale}, index=self.ids_)
        self._scales = {
            s.position: (float(m), float(d))
            for s, m, d in zip(kept, loc, scale, strict=True)
        }
        self.models_ = {}
        return failures

    def _predict_global(
        self,
        series: list[_Series],
        horizon: int,
        future: dict[int, pd.DataFrame] | None,
    ) -> tuple[list[int], list[pd.Index], dict[str, list[np.ndarray]]]:
        L, lags, exog_lags = self._max_lag, self.lags_, self.exog_lags_
        loc = np.array([self._scales[s.position][0] for s in series])
        scale = np.array([self._scales[s.position][1] for s in series])
        Z = np.empty((len(series), L))
        for i, s in enumerate(series):
            Z[i] = (s.y.to_numpy()[-L:] - loc[i]) / scale[i]
        E = None
        if exog_lags is not None:
            E = np.full((len(series), L + horizon, len(self._exog_cols)), np.nan)
            for i, s in enumerate(series):
                E[i, :L] = s.exog.to_numpy()[-L:]
                if future is not None:
                    E[i, L:] = future[s.position].to_numpy()
        forecast = closed_loop(
            self.regressor_.predict,
            Z,
            horizon,
            lags,
            exog=E,
            exog_lags=exog_lags,
        )
        values = forecast * scale[:, None] + loc[:, None]
        positions = [s.position for s in series]
        cache: dict = {}
        indexes = [_future_times(s.y.index, horizon, cache) for s in series]
        return positions, indexes, {"forecast": list(values)}

    # -------------------------------------------------------------- predict
    def predict(
        self,
        horizon: int,
        future_exog: pd.DataFrame | None = None,
        intervals: float | None = None,
    ) -> pd.DataFrame:
        """Forecast the next ``horizon`` values of every fitted series.

        Parameters
        ----------
        horizon : int
        future_exog : pandas.DataFrame, optional
            Long frame (``id_col``, ``time_col``, the exogenous columns) with
            the exogenous values of the ``horizon`` future times of each
            series; needed when the models use exog at lags below
            ``horizon``.
        intervals : float in (0, 1), optional
            Coverage of prediction intervals (local models with
            ``predict_interval``); adds the columns ``lower`` and ``upper``.

        Returns
        -------
        pandas.DataFrame
            ``id_col``, ``time_col``, ``forecast`` (``lower``, ``upper``), one
            row per series and future time, series in frame order;
            ``attrs['failures']`` holds the series skipped here.

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from bpforecast.forecasting.baselines import Naive
        >>> from bpforecast.forecasting.multiseries import MultiSeriesForecaster
        >>> data = pd.DataFrame({"unique_id": ["a", "a", "b", "b"],
        ...                      "ds": [0, 1, 0, 1], "y": [1.0, 2.0, 5.0, 4.0]})
        >>> MultiSeriesForecaster(Naive()).fit(data).predict(2)
          unique_id  ds  forecast
        0         a   2       2.0
        1         a   3       2.0
        2         b   2       4.0
        3         b   3       4.0
        """
        if not hasattr(self, "_fitted"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(
                "This MultiSeriesForecaster is not fitted yet; call fit(data) first."
            )
        horizon = _check_horizon(horizon)
        coverage = _check_coverage(intervals)
        errors = self.errors
        split = _Split(
            list(self._fitted.values()),
            [],
            self._uniques,
            self._exog_cols,
            self._time_dtype,
        )
        future, failures = self._future(split, future_exog, horizon, errors)
        if self._global:
            if coverage is not None:
                raise ValueError("intervals are not available with global_model=True.")
            if self.exog_lags_ is not None and future is None:
                if int(self.exog_lags_[0]) < horizon:
                    raise ValueError(
                        f"future_exog is required: the global model uses "
                        f"{self._exog_cols} at lags {self.exog_lags_.tolist()}, "
                        f"so forecasting {horizon} steps needs their future values."
                    )
            series = [s for s in split.series if future is None or s.position in future]
            positions, indexes, values = self._predict_global(series, horizon, future)
        else:
            positions, indexes, values, more = self._predict_local(
                split, horizon, future, coverage, errors
            )
            failures += more
        return _output(
            split,
            positions,
            indexes,
            values,
            self.id_col,
            self.time_col,
            _report(failures, errors),
        )

    def _future(
        self, split: _Split, future_exog: Any, horizon: int, errors: str
    ) -> tuple[dict[int, pd.DataFrame] | None, list]:
        if future_exog is None:
            return None, []
        if not split.exog_cols:
            raise ValueError(
                "future_exog was given but the data have no exogenous columns."
            )
        future, failures = _future_exog_by_series(
            future_exog, split, horizon, self.id_col, self.time_col
        )
        if failures and errors == "raise":
            _report(failures, errors)
        return future, failures

    def _predict_local(
        self,
        split: _Split,
        horizon: int,
        future: dict[int, pd.DataFrame] | None,
        coverage: float | None,
        errors: str,
        fit: bool = False,
        keep_model: bool = False,
    ) -> tuple[list[int], list[pd.Index], dict[str, list[np.ndarray]], list]:
        seed = _resolve_random_state(self.random_state) if fit else None
        template = self._local_template(split) if fit else None
        if coverage is not None:
            probe = template if fit else next(iter(self.models_.values()), None)
            if probe is not None and not callable(
                getattr(probe, "predict_interval", None)
            ):
                raise TypeError(
                    f"intervals need a forecaster with predict_interval(); "
                    f"{type(probe).__name__} has none."
                )
        if split.exog_cols and future is None and fit:
            params = _params(template)
            if "exog_lags" in params and int(np.min(params["exog_lags"])) < horizon:
                raise ValueError(
                    f"future_exog is required: the forecaster uses {split.exog_cols} "
                    f"at lags {list(params['exog_lags'])}, so forecasting {horizon} "
                    "steps needs their future values."
                )
        tasks = []
        for s in split.series:
            if future is not None and s.position not in future:
                continue
            tasks.append(
                _Task(
                    position=s.position,
                    unique_id=s.unique_id,
                    model=template if fit else self.models_[s.unique_id],
                    fit=fit,
                    seed=None if seed is None else series_seed(seed, s.unique_id),
                    y=s.y if fit else None,
                    exog=s.exog if fit else None,
                    horizon=horizon,
                    future_exog=None if future is None else future[s.position],
                    coverage=coverage,
                    keep_model=keep_model,
                )
            )
        results, failures = _execute(
            tasks,
            self.n_jobs,
            self.backend,
            self.progress,
            errors,
            "series",
        )
        by_position = {s.position: s for s in split.series}
        positions = [r.position for r in results]
        cache: dict = {}
        indexes = [
            _future_times(by_position[p].y.index, horizon, cache) for p in positions
        ]
        values = {"forecast": [r.forecast for r in results]}
        if coverage is not None:
            values["lower"] = [r.lower for r in results]
            values["upper"] = [r.upper for r in results]
        if keep_model:
            self.models_ = {r.unique_id: r.model for r in results}
        return positions, indexes, values, failures


# ----------------------------------------------------------------------------
# the function
# ----------------------------------------------------------------------------


def forecast_many(
    data: pd.DataFrame,
    horizon: int,
    forecaster: Any = None,
    *,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    exog_cols: Sequence[str] | None = None,
    future_exog: pd.DataFrame | None = None,
    freq: Any = None,
    n_jobs: int | None = 1,
    backend: str | None = None,
    progress: bool = False,
    random_state: Any = None,
    intervals: float | None = None,
    errors: str = "raise",
    return_models: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, dict]:
    """Fit one forecaster per series of a long frame and forecast them all.

    Each series gets a clone of ``forecaster``, seeded with
    :func:`series_seed` ``(random_state, id)``, fitted and asked for
    ``horizon`` values in one task; tasks run in parallel through joblib
    (``n_jobs``, ``backend``), each with BLAS limited to one thread. The
    result is the same, bit for bit, for every ``n_jobs`` and backend, and
    equals fitting ``forecaster`` (with that seed) on each series alone. For
    a fitted object to reuse, or one global model across series, see
    :class:`MultiSeriesForecaster`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: ``id_col``, ``time_col`` (datetimes with a regular
        frequency per series, or evenly spaced integers), ``target_col`` and
        the exogenous columns. Rows may come in any order; series come out
        in order of first appearance.
    horizon : int
        Steps to forecast.
    forecaster : object or None, default=None
        Unfitted, with ``fit(y[, exog])`` and ``predict(steps[, exog])``:
        :class:`~bpforecast.BPForecaster` (None means ``BPForecaster()``),
        a baseline from :mod:`bpforecast.forecasting.baselines`, ...
    id_col, time_col, target_col : str
        Column names (default ``unique_id``, ``ds``, ``y``).
    exog_cols : list of str or None, default=None
        Exogenous columns; None takes every other column of ``data`` (the
        statsforecast convention), ``[]`` none.
    future_exog : pandas.DataFrame, optional
        Long frame (``id_col``, ``time_col``, exogenous columns) with each
        series' exogenous values at its ``horizon`` future times; needed when
        the forecaster uses exog at lags below ``horizon`` (BPForecaster's
        default ``exog_lags=(0,)`` does).
    freq : str, DateOffset or None, default=None
        Frequency of a datetime time column; None infers it per series.
    n_jobs : int or None, default=1
        Parallel workers (-1: all cores). 1 runs in this process.
    backend : str or None, default=None
        A joblib backend name: None uses joblib's active backend (loky
        processes unless ``joblib.parallel_config`` says otherwise);
        ``'dask'`` uses the active ``dask.distributed`` client, whose
        workers all take part (``n_jobs`` is ignored). See the module
        docstring for pointing it at your own scheduler.
    progress : bool, default=False
        A tqdm progress bar over series, if tqdm is installed (silently none
        otherwise).
    random_state : int, RandomState, Generator or None, default=None
        None leaves the forecaster's own ``random_state`` as it is (every
        series then gets that one).
    intervals : float in (0, 1), optional
        Coverage of prediction intervals (the forecaster's
        ``predict_interval``); adds ``lower`` and ``upper``.
    errors : {'raise', 'skip'}, default='raise'
        ``'raise'``: a problem with a series raises :class:`SeriesError`
        naming it. ``'skip'``: the series is left out, listed in
        ``result.attrs['failures']`` and counted in a
        :class:`SkippedSeriesWarning`.
    return_models : bool, default=False
        Also return ``{id: fitted forecaster}``.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, dict)
        Columns ``id_col``, ``time_col``, ``forecast`` (and ``lower``,
        ``upper``), ``horizon`` rows per series.

    Raises
    ------
    SeriesError
        A problem with one series (``errors='raise'``).
    ValueError, TypeError
        A problem with the frame as a whole or with the arguments.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from bpforecast import BPForecaster
    >>> from bpforecast.forecasting.multiseries import forecast_many
    >>> dates = pd.date_range("2010-01-01", periods=36, freq="MS")
    >>> data = pd.DataFrame({
    ...     "unique_id": ["x"] * 36 + ["z"] * 36,
    ...     "ds": list(dates) * 2,
    ...     "y": np.r_[np.arange(36.0) + 5, 40 - np.arange(36.0)],
    ... })
    >>> f = BPForecaster(n_models=1)
    >>> out = forecast_many(data, 2, f, random_state=0, n_jobs=1)
    >>> out[["unique_id", "ds"]].astype(str).values.tolist()
    [['x', '2013-01-01'], ['x', '2013-02-01'], ['z', '2013-01-01'], ['z', '2013-02-01']]

    The same numbers as a fit on one series alone with its seed (and, like
    every fit of ``forecast_many``, one BLAS thread):

    >>> from threadpoolctl import threadpool_limits
    >>> from bpforecast.forecasting.multiseries import series_seed
    >>> alone = BPForecaster(n_models=1, random_state=series_seed(0, "z"))
    >>> y = data[data.unique_id == "z"].set_index("ds")["y"].asfreq("MS")
    >>> with threadpool_limits(1):
    ...     same = alone.fit(y).predict(2).to_numpy() == out["forecast"][2:]
    >>> bool(same.all())
    True

    A series with a problem is named, or skipped:

    >>> bad = data.copy()
    >>> bad.loc[40, "y"] = np.nan
    >>> forecast_many(bad, 2, f)
    Traceback (most recent call last):
    ...
    bpforecast.forecasting.multiseries.SeriesError: series 'z': ...
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = forecast_many(bad, 2, f, random_state=0, errors="skip")
    >>> out["unique_id"].unique().tolist(), list(out.attrs["failures"])
    (['x'], ['z'])
    """
    horizon = _check_horizon(horizon)
    coverage = _check_coverage(intervals)
    model = MultiSeriesForecaster(
        forecaster,
        id_col=id_col,
        time_col=time_col,
        target_col=target_col,
        exog_cols=exog_cols,
        freq=freq,
        n_jobs=n_jobs,
        backend=backend,
        progress=progress,
        random_state=random_state,
        errors=errors,
    )
    model._validate_params()
    split = model._split(data)
    failures = list(split.failures)
    if errors == "raise" and failures:
        _report(failures, errors)
    future, more = model._future(split, future_exog, horizon, errors)
    failures += more
    positions, indexes, values, more = model._predict_local(
        split,
        horizon,
        future,
        coverage,
        errors,
        fit=True,
        keep_model=return_models,
    )
    failures += more
    result = _output(
        split,
        positions,
        indexes,
        values,
        id_col,
        time_col,
        _report(failures, errors),
    )
    if return_models:
        return result, model.models_
    return result
