"""The long frames GlobalForecaster takes: checks, per-series arrays, statics, X_df.

:func:`prepare` validates a long ``unique_id``, ``ds``, ``y`` frame (plus
dynamic exogenous and static columns) and turns it into one
:class:`PreparedPanel` of per-series arrays; :class:`StaticEncoder` encodes
the static columns (numeric ones standardised across series, the others
one-hot); :func:`future_exog` takes the future values of the dynamic
exogenous columns from ``X_df``. Every error names the series and the
column; nothing the caller passed is modified.

Examples
--------
>>> import pandas as pd
>>> from bpforecast.forecasting.global_inputs import StaticEncoder
>>> statics = pd.DataFrame({"size": [1.0, 3.0], "kind": ["x", "y"]}, index=["a", "b"])
>>> enc = StaticEncoder().fit(statics)
>>> enc.names_, enc.transform(statics).tolist()
(['size', 'kind_x', 'kind_y'], [[-1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .global_windows import exog_scaling, series_transform
from .multiseries import SeriesError, _split_frame
from .series import check_column_names, future_index, infer_season_length

__all__ = [
    "PreparedPanel",
    "StaticEncoder",
    "check_frame",
    "check_static_features",
    "future_exog",
    "prepare",
]

COLUMNS = ("unique_id", "ds", "y")


@dataclass
class PreparedPanel:
    """The checked series of one long frame, as arrays (in order of appearance).

    ``y`` holds each series' values, ``z`` their transformed version
    (:func:`~bpforecast.forecasting.global_windows.series_transform`, with
    ``logged`` and ``scale``), ``season`` the season lengths; ``exog`` each
    series' raw dynamic exogenous history, shape ``(n, k)`` (an empty list
    without); ``static`` the encoded static inputs, one row per series
    (``d = 0`` columns without); ``future`` the raw future exogenous values
    of each series, shape ``(horizon, k)``, when known.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.global_inputs import prepare
    >>> data = pd.DataFrame({"unique_id": ["a"] * 4, "ds": range(4),
    ...                      "y": [1.0, 2.0, 4.0, 8.0]})
    >>> panel, _ = prepare(data, "auto", None, 2, "data")
    >>> panel.ids, panel.logged.tolist(), panel.n_exog
    (['a'], [True], 0)
    """

    ids: list[Hashable]
    index: list[pd.Index]
    y: list[np.ndarray]
    z: list[np.ndarray]
    logged: np.ndarray
    scale: np.ndarray
    season: np.ndarray
    exog: list[np.ndarray] = field(default_factory=list)
    static: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    future: list[np.ndarray] | None = None

    @property
    def n_exog(self) -> int:
        """The number of dynamic exogenous columns (0 without)."""
        return self.exog[0].shape[1] if self.exog else 0

    def subset(self, keep: Sequence[int], cut: int = 0) -> PreparedPanel:
        """The series at ``keep``, without their last ``cut`` values.

        With ``cut > 0`` the cut exogenous values become ``future`` (the
        held-out block of a calibration).

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.global_inputs import prepare
        >>> data = pd.DataFrame({"unique_id": ["a"] * 4, "ds": range(4),
        ...                      "y": [1.0, 2.0, 3.0, 4.0], "x": [5.0, 6, 7, 8]})
        >>> panel, _ = prepare(data, None, 1, 2, "data", exog_cols=["x"])
        >>> held = panel.subset([0], cut=1)
        >>> held.y[0].tolist(), held.future[0].tolist()
        ([1.0, 2.0, 3.0], [[8.0]])
        """
        keep = list(keep)

        def head(a: np.ndarray) -> np.ndarray:
            return a[:-cut] if cut else a

        future = None
        if cut and self.n_exog:
            future = [self.exog[i][-cut:] for i in keep]
        return replace(
            self,
            ids=[self.ids[i] for i in keep],
            index=[self.index[i] for i in keep],
            y=[head(self.y[i]) for i in keep],
            z=[head(self.z[i]) for i in keep],
            logged=self.logged[keep],
            scale=self.scale[keep],
            season=self.season[keep],
            exog=[head(self.exog[i]) for i in keep] if self.exog else [],
            static=self.static[keep],
            future=future,
        )

    def scaled_exog(self) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
        """Histories and futures standardised per series (:func:`exog_scaling`).

        Returns
        -------
        history : list of ndarray
            Empty without exogenous columns.
        future : list of ndarray or None
            None when ``future`` is not set.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.global_inputs import prepare
        >>> data = pd.DataFrame({"unique_id": ["a"] * 3, "ds": range(3),
        ...                      "y": [1.0, 2.0, 3.0], "x": [1.0, 2.0, 3.0]})
        >>> panel, _ = prepare(data, None, 1, 2, "data", exog_cols=["x"])
        >>> history, future = panel.scaled_exog()
        >>> history[0].ravel().round(3).tolist(), future
        ([-1.225, 0.0, 1.225], None)
        """
        if not self.n_exog:
            return [], None
        history, future = [], [] if self.future is not None else None
        for i, x in enumerate(self.exog):
            mean, std = exog_scaling(x)
            history.append((x - mean) / std)
            if future is not None:
                future.append((self.future[i] - mean) / std)
        return history, future


# ---------------------------------------------------------------------------
# Columns and ids
# ---------------------------------------------------------------------------


def _check_ids(data: pd.DataFrame) -> None:
    """Ids must be all strings or all integers (not floats, bools, tuples...)."""
    ids = data["unique_id"]
    dtype = ids.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return
    if not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
        raise TypeError(
            f"unique_id must hold strings or integers, got dtype {dtype}; series "
            f"{ids.iloc[0]!r} is the first."
        )
    uniques = pd.unique(ids.astype(object))
    for v in uniques:
        if isinstance(v, bool) or not isinstance(v, (str, numbers.Integral)):
            raise TypeError(
                f"unique_id values must be strings or integers; series {v!r} has "
                f"an id of type {type(v).__name__}."
            )
    if len({isinstance(v, str) for v in uniques}) > 1:
        raise TypeError(
            f"unique_id mixes strings and integers (e.g. {list(uniques[:3])!r}); "
            "use one type."
        )


def check_static_features(static_features: Any, data: pd.DataFrame) -> list[str]:
    """``static_features`` as a list of column names of ``data`` (checked).

    Raises a TypeError for a bare string and a ValueError for unique_id,
    ds or y, a repeated name or a name that is not a column.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.global_inputs import check_static_features
    >>> data = pd.DataFrame(columns=["unique_id", "ds", "y", "region"])
    >>> check_static_features(("region",), data), check_static_features(None, data)
    (['region'], [])
    """
    if static_features is None:
        return []
    if isinstance(static_features, str):
        raise TypeError(
            f"static_features must be a list of column names, got the string "
            f"{static_features!r}; write [{static_features!r}]."
        )
    return check_column_names(static_features, data.columns, COLUMNS, "static_features")


def _is_number_column(values: pd.Series) -> bool:
    dtype = values.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not isinstance(
        dtype, pd.CategoricalDtype
    )


def _check_dynamic_columns(
    data: pd.DataFrame, columns: Sequence[str], what: str
) -> None:
    """Dynamic exogenous columns must be numeric (bool counts as 0/1)."""
    for c in columns:
        values = data[c]
        if _is_number_column(values):
            continue
        coerced = pd.to_numeric(values, errors="coerce")
        if (coerced.isna() & values.notna()).any() or isinstance(
            values.dtype, pd.CategoricalDtype
        ):
            raise TypeError(
                f"the dynamic exogenous column {c!r} of {what} is not numeric "
                f"(dtype {values.dtype}). Dynamic exogenous columns must be "
                "numbers; a column that is constant per series (a category such "
                "as a region) goes in static_features, where text is one-hot "
                "encoded."
            )


def _as_float_columns(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``data`` with boolean columns among ``columns`` as 0/1 floats (a copy)."""
    bools = [c for c in columns if pd.api.types.is_bool_dtype(data[c].dtype)]
    if not bools:
        return data
    return data.assign(**{c: data[c].astype(np.float64) for c in bools})


def _check_dynamic_varies(split_series: list, columns: Sequence[str]) -> None:
    """Refuse a dynamic column that is constant within every series."""
    for j, c in enumerate(columns):
        if all(np.ptp(s.exog.iloc[:, j].to_numpy()) == 0 for s in split_series):
            raise ValueError(
                f"the dynamic exogenous column {c!r} is constant within every "
                "series: standardised per series it is zero in every window, so "
                "the network cannot learn from it. If it describes the series, "
                "name it in static_features; otherwise drop it."
            )


def check_frame(data: Any, what: str) -> None:
    """``data`` must be a DataFrame (a TypeError naming ``what`` otherwise).

    Examples
    --------
    >>> from bpforecast.forecasting.global_inputs import check_frame
    >>> check_frame([1, 2], "data")
    Traceback (most recent call last):
    ...
    TypeError: data must be a pandas DataFrame with columns unique_id, ds, y; got list.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{what} must be a pandas DataFrame with columns unique_id, ds, y; "
            f"got {type(data).__name__}."
        )


# ---------------------------------------------------------------------------
# The frame as arrays
# ---------------------------------------------------------------------------


def prepare(
    data: Any,
    transform: str | None,
    season_length: int | None,
    min_length: int,
    what: str,
    exog_cols: Sequence[str] = (),
    static_cols: Sequence[str] = (),
) -> tuple[PreparedPanel, pd.DataFrame]:
    """Validate a long frame and transform each series.

    Parameters
    ----------
    data : DataFrame
        unique_id, ds, y, ``exog_cols`` and ``static_cols``; other columns
        are refused. Not modified.
    transform : {'auto', 'log'} or None
    season_length : int or None
        None infers it per series from the dates.
    min_length : int
        Fewer values raise a SeriesError naming the series.
    what : str
        The argument's name in messages (``'data'`` also refuses a dynamic
        column that is constant within every series).
    exog_cols, static_cols : sequence of str

    Returns
    -------
    panel : PreparedPanel
        ``static`` not yet encoded (zero columns).
    statics : DataFrame
        The static columns' value of each series, indexed by the ids.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.global_inputs import prepare
    >>> data = pd.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3,
    ...                      "ds": [0, 1, 2] * 2, "y": [1.0, 2, 3, 4, 5, 6],
    ...                      "kind": ["p"] * 3 + ["q"] * 3})
    >>> panel, statics = prepare(data, None, 1, 2, "data", static_cols=["kind"])
    >>> panel.ids, statics["kind"].tolist()
    (['a', 'b'], ['p', 'q'])
    """
    check_frame(data, what)
    known = (*COLUMNS, *exog_cols, *static_cols)
    missing = [c for c in (*exog_cols, *static_cols) if c not in data.columns]
    if missing and all(c in data.columns for c in COLUMNS):
        raise ValueError(
            f"{what} is missing the columns {missing} that the model was fitted "
            f"with (dynamic exogenous {list(exog_cols)}, static {list(static_cols)})."
        )
    extra = [c for c in data.columns if c not in known]
    if extra:
        raise ValueError(
            f"{what} has columns {extra} that the model was not fitted with; it "
            f"takes unique_id, ds, y, the dynamic exogenous columns "
            f"{list(exog_cols)} and the static columns {list(static_cols)}."
        )
    if "unique_id" in data.columns and len(data):
        if data["unique_id"].isna().any():
            raise ValueError("the id column 'unique_id' has missing values.")
        _check_ids(data)
    if len(data) == 0:
        raise ValueError(f"{what} has no rows.")
    if all(c in data.columns for c in exog_cols):
        _check_dynamic_columns(data, exog_cols, what)
    frame = _as_float_columns(data, exog_cols) if exog_cols else data
    split = _split_frame(frame, *COLUMNS, exog_cols=list(exog_cols), freq=None)
    if split.failures:
        _, uid, message = split.failures[0]
        more = len(split.failures) - 1
        raise SeriesError(
            uid, message + (f" ({more} more series fail too)" if more else "")
        )
    statics = _static_values(data, static_cols, what)
    ids, index, ys, zs, exog = [], [], [], [], []
    logged, scale, season = [], [], []
    for s in split.series:
        values = s.y.to_numpy(dtype=np.float64)
        if values.size < min_length:
            raise SeriesError(
                s.unique_id,
                f"{values.size} values are too short for any training window: "
                f"a series needs at least horizon + 1 = {min_length} values (it is "
                "left-padded with its first value up to lookback + horizon + 1).",
            )
        if transform == "log" and not np.all(values > 0):
            raise SeriesError(
                s.unique_id,
                "transform='log' needs strictly positive values; the series has "
                f"{int(np.sum(values <= 0))} value(s) <= 0. Use transform='auto' "
                "(such a series then goes without the log).",
            )
        z, lg, sc = series_transform(values, transform)
        if season_length is None:
            try:
                m = infer_season_length(s.y.index)
            except (TypeError, ValueError):
                m = 1
        else:
            m = season_length
        ids.append(s.unique_id)
        index.append(s.y.index)
        ys.append(values)
        zs.append(z)
        logged.append(lg)
        scale.append(sc)
        season.append(m)
        if exog_cols:
            exog.append(s.exog.to_numpy(dtype=np.float64))
    panel = PreparedPanel(
        ids,
        index,
        ys,
        zs,
        np.array(logged, dtype=bool),
        np.array(scale),
        np.array(season, dtype=np.int64),
        exog=exog,
        static=np.empty((len(ids), 0)),
    )
    if exog_cols and what == "data":
        _check_dynamic_varies(split.series, exog_cols)
    return panel, statics.reindex(pd.Index(ids, dtype=object))


def _static_values(
    data: pd.DataFrame, static_cols: Sequence[str], what: str
) -> pd.DataFrame:
    """One value per series of each static column (constant, not missing)."""
    codes, uniques = pd.factorize(data["unique_id"], sort=False)
    uniques = pd.Index(uniques, dtype=object)
    if not static_cols:
        return pd.DataFrame(index=uniques)
    order = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(codes))[:-1]])
    first_rows = order[starts]
    out = {}
    for c in static_cols:
        values = data[c]
        vcodes, _ = pd.factorize(values, sort=False)  # -1: missing
        sorted_codes = vcodes[order]
        low = np.minimum.reduceat(sorted_codes, starts)
        high = np.maximum.reduceat(sorted_codes, starts)
        if (low < 0).any():
            uid = uniques[int(np.flatnonzero(low < 0)[0])]
            raise ValueError(
                f"the static column {c!r} of {what} has missing values in series "
                f"{uid!r}."
            )
        if (low != high).any():
            uid = uniques[int(np.flatnonzero(low != high)[0])]
            raise ValueError(
                f"the static column {c!r} of {what} is not constant within series "
                f"{uid!r}; a static feature has one value per series (a column "
                "that changes over time is a dynamic exogenous column: leave it "
                "out of static_features)."
            )
        per_series = values.iloc[first_rows]
        if _is_number_column(values):
            numbers_ = per_series.to_numpy(dtype=np.float64)
            if not np.isfinite(numbers_).all():
                uid = uniques[int(np.flatnonzero(~np.isfinite(numbers_))[0])]
                raise ValueError(
                    f"the static column {c!r} of {what} is infinite in series {uid!r}."
                )
            out[c] = pd.Series(numbers_, index=uniques, dtype=np.float64)
        else:
            out[c] = pd.Series(per_series.to_numpy(object), index=uniques, dtype=object)
    return pd.DataFrame(out, index=uniques)


class StaticEncoder:
    """Static columns as network inputs: numbers standardised, the rest one-hot.

    A numeric column (bool included, as 0/1) is standardised by the mean and
    (population) standard deviation of its values over the training series
    (a standard deviation of 0 counts as 1). Any other column (strings,
    categoricals, objects) is one-hot encoded over the values seen in
    training, sorted; an unseen value raises a ValueError naming the series.

    Attributes
    ----------
    names_ : list of str
        The encoded inputs: ``col`` for a numeric column, ``col_value`` for
        each one-hot category.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.global_inputs import StaticEncoder
    >>> train = pd.DataFrame({"kind": ["b", "a", "b"]}, index=["s1", "s2", "s3"])
    >>> enc = StaticEncoder().fit(train)
    >>> enc.names_
    ['kind_a', 'kind_b']
    >>> enc.transform(pd.DataFrame({"kind": ["a"]}, index=["new"])).tolist()
    [[1.0, 0.0]]
    """

    def fit(self, statics: pd.DataFrame) -> StaticEncoder:
        """Learn each column's encoding from one row per training series.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.global_inputs import StaticEncoder
        >>> StaticEncoder().fit(pd.DataFrame({"size": [2.0, 4.0]})).kinds_
        [('numeric', 3.0, 1.0)]
        """
        self.columns_ = list(statics.columns)
        self.kinds_: list[tuple] = []
        self.names_: list[str] = []
        for c in self.columns_:
            values = statics[c]
            if _is_number_column(values):
                v = values.to_numpy(dtype=np.float64)
                mean = float(v.mean())
                std = float(v.std())
                self.kinds_.append(("numeric", mean, std if std > 0 else 1.0))
                self.names_.append(str(c))
            else:
                try:
                    categories = sorted(pd.unique(values))
                except TypeError:  # mixed types: sort by text
                    categories = sorted(pd.unique(values), key=str)
                self.kinds_.append(("onehot", categories))
                self.names_ += [f"{c}_{v}" for v in categories]
        return self

    def transform(self, statics: pd.DataFrame) -> np.ndarray:
        """The encoded inputs, one row per row of ``statics`` (indexed by id).

        Raises a ValueError naming the series for a category training did
        not have.

        Examples
        --------
        >>> import pandas as pd
        >>> from bpforecast.forecasting.global_inputs import StaticEncoder
        >>> enc = StaticEncoder().fit(pd.DataFrame({"size": [2.0, 4.0]}))
        >>> enc.transform(pd.DataFrame({"size": [5.0]}, index=["new"])).tolist()
        [[2.0]]
        """
        blocks = [np.empty((len(statics), 0))]
        for c, kind in zip(self.columns_, self.kinds_, strict=True):
            values = statics[c]
            if kind[0] == "numeric":
                if not _is_number_column(values):
                    raise TypeError(
                        f"the static column {c!r} was numeric in training and is "
                        "not now."
                    )
                v = values.to_numpy(dtype=np.float64)
                blocks.append(((v - kind[1]) / kind[2])[:, None])
                continue
            categories = kind[1]
            lookup = {v: k for k, v in enumerate(categories)}
            onehot = np.zeros((len(values), len(categories)))
            for row, (uid, v) in enumerate(values.items()):
                k = lookup.get(v)
                if k is None:
                    raise ValueError(
                        f"series {uid!r} has the value {v!r} in the static column "
                        f"{c!r}, which training did not have (it had "
                        f"{categories}); it has no one-hot input."
                    )
                onehot[row, k] = 1.0
            blocks.append(onehot)
        return np.hstack(blocks)


# ---------------------------------------------------------------------------
# Future values of the dynamic exogenous columns
# ---------------------------------------------------------------------------


def future_exog(
    X_df: Any, panel: PreparedPanel, horizon: int, exog_cols: Sequence[str]
) -> list[np.ndarray]:
    """Each series' ``horizon`` future exogenous values from ``X_df``.

    ``X_df`` is a long frame with unique_id, ds and the dynamic columns; it
    must hold the ``horizon`` dates after the end of every series of
    ``panel``. Rows of other series or other dates are ignored.

    Returns
    -------
    list of ndarray of shape (horizon, k)
        Raw values, in the order of ``panel.ids``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.forecasting.global_inputs import future_exog, prepare
    >>> data = pd.DataFrame({"unique_id": "a", "ds": range(4),
    ...                      "y": [1.0, 2, 3, 4], "x": [0.0, 1, 0, 1]})
    >>> panel, _ = prepare(data, None, 1, 2, "data", exog_cols=["x"])
    >>> X_df = pd.DataFrame({"unique_id": "a", "ds": [5, 4], "x": [9.0, 8.0]})
    >>> future_exog(X_df, panel, 2, ["x"])[0].tolist()
    [[8.0], [9.0]]
    """
    cols = list(exog_cols)
    if not isinstance(X_df, pd.DataFrame):
        raise TypeError(
            f"X_df must be a pandas DataFrame with columns unique_id, ds and "
            f"{cols}; got {type(X_df).__name__}."
        )
    missing = [c for c in ("unique_id", "ds", *cols) if c not in X_df.columns]
    if missing:
        raise ValueError(
            f"X_df is missing the columns {missing}; it needs unique_id, ds and "
            f"the dynamic exogenous columns {cols} for the {horizon} dates after "
            "the end of every series."
        )
    _check_dynamic_columns(X_df, cols, "X_df")
    frame = _as_float_columns(X_df, cols)
    values = np.column_stack(
        [pd.to_numeric(frame[c], errors="coerce").to_numpy(np.float64) for c in cols]
    )
    codes, uniques = pd.factorize(X_df["unique_id"], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.concatenate(
        [[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))]
    )
    where = {uid: order[bounds[k] : bounds[k + 1]] for k, uid in enumerate(uniques)}
    out = []
    for uid, index in zip(panel.ids, panel.index, strict=True):
        need = future_index(index, horizon)
        span = f"{need[0]} to {need[-1]}" if horizon > 1 else f"{need[0]}"
        rows = where.get(uid)
        if rows is None:
            raise ValueError(
                f"X_df has no rows for series {uid!r}; it needs the {horizon} "
                f"future dates {span} (the model's horizon, also when h is "
                f"smaller) of {cols}."
            )
        have = _as_time_index(X_df["ds"].iloc[rows], need, uid)
        if have.has_duplicates:
            raise ValueError(
                f"X_df repeats the date {have[have.duplicated()][0]} of series {uid!r}."
            )
        pos = have.get_indexer(need)
        if (pos < 0).any():
            gone = need[pos < 0]
            raise ValueError(
                f"X_df has {int((pos >= 0).sum())} of the {horizon} future dates "
                f"of series {uid!r} ({span}; the model's horizon, also when h is "
                f"smaller): {len(gone)} missing, the first {gone[0]}."
            )
        block = values[rows[pos]]
        bad = ~np.isfinite(block)
        if bad.any():
            step, j = (int(v[0]) for v in np.nonzero(bad))
            raise ValueError(
                f"X_df has a NaN or infinite value in column {cols[j]!r} of series "
                f"{uid!r} at ds={need[step]}."
            )
        out.append(block)
    return out


def _as_time_index(ds: pd.Series, like: pd.Index, uid: Any) -> pd.Index:
    if isinstance(like, pd.DatetimeIndex):
        try:
            return pd.DatetimeIndex(pd.to_datetime(ds))
        except (TypeError, ValueError):
            raise TypeError(
                f"X_df's ds for series {uid!r} must be dates like the series', "
                f"got dtype {ds.dtype}."
            ) from None
    return pd.Index(ds.to_numpy())
