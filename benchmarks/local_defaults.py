"""The evidence behind BPForecaster's defaults: variants on the competition benchmark.

Each variant changes one or two of :class:`bpforecast.BPForecaster`'s
settings (solver, lags, strategy, members, early stopping) and runs through
``benchmarks/competition.py`` on M1 and Tourism (never M3 or M4), scored by
OWA against Naive2, beside Theta, seasonal naive, ETS and the same pipeline
with Ridge (``--baselines``) from the same run.

Run from the repository root::

    python benchmarks/local_defaults.py --list
    python benchmarks/local_defaults.py --variants default,v0.2 --sample 80 --jobs 2
    python benchmarks/local_defaults.py --variants default,v0.2     # all series

``--sample N`` takes N series spread evenly over each subset (every k-th
series), a screening run; without it every series is used. Any other
option is passed to ``competition.py`` (``--subsets``, ``--jobs``,
``--json-out``, ...). The output is competition.py's: a table per subset,
the mean OWA per method and one JSON line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import competition  # noqa: E402

from bpforecast import BPForecaster, BPRegressor  # noqa: E402
from bpforecast.forecasting.forecaster import default_regressor  # noqa: E402


class ShrunkDrift(BPForecaster):
    """BPForecaster whose ``drift='shrink'`` uses ``k = SHRINKAGE``.

    The variants ``drift1``/``drift2`` subclass it with their ``k``; the
    default is :data:`~bpforecast.forecasting.transforms.DRIFT_SHRINKAGE`.
    """

    SHRINKAGE = 4.0

    def _drift_shrinkage(self) -> float:
        return self.SHRINKAGE if self.drift == "shrink" else 0.0


class ShrunkDrift1(ShrunkDrift):
    SHRINKAGE = 1.0


class ShrunkDrift2(ShrunkDrift):
    SHRINKAGE = 2.0


def _net(**params: Any) -> BPRegressor:
    """The default network (:func:`default_regressor`) with some parameters changed."""
    return default_regressor().set_params(**params)


# name -> (description, factory(h, m) -> unfitted forecaster). Each variant
# changes one thing of the current defaults.
VARIANTS: dict[str, tuple[str, Callable[[int, int], Any]]] = {
    "default": ("the current defaults", lambda h, m: BPForecaster()),
    "v0.2": (
        "the defaults of version 0.2: one log pipeline, traingdx, early stopping",
        lambda h, m: BPForecaster(
            regressor=default_regressor(solver="traingdx"),
            transform="auto",
            drift=None,
        ),
    ),
    "v0.4": (
        "the defaults of version 0.4: no drift adjustment (drift=None)",
        lambda h, m: BPForecaster(drift=None),
    ),
    "driftfull": (
        "the mean drift taken out and carried whole (drift='full')",
        lambda h, m: BPForecaster(drift="full"),
    ),
    "drift1": (
        "drift shrunk by t^2 / (t^2 + 1)",
        lambda h, m: ShrunkDrift1(),
    ),
    "drift2": (
        "drift shrunk by t^2 / (t^2 + 2)",
        lambda h, m: ShrunkDrift2(),
    ),
    "centred": (
        "trainbr with centred targets (target_scaling='same')",
        lambda h, m: BPForecaster(regressor=_net(target_scaling="same")),
    ),
    "epochs100": (
        "100 trainbr epochs",
        lambda h, m: BPForecaster(regressor=_net(epochs=100)),
    ),
    "epochs200": (
        "200 trainbr epochs",
        lambda h, m: BPForecaster(regressor=_net(epochs=200)),
    ),
    "epochs5": (
        "5 trainbr epochs",
        lambda h, m: BPForecaster(regressor=_net(epochs=5)),
    ),
    "epochs10": (
        "10 trainbr epochs",
        lambda h, m: BPForecaster(regressor=_net(epochs=10)),
    ),
    "epochs50": (
        "50 trainbr epochs (the 0.3 and first 0.4 setting)",
        lambda h, m: BPForecaster(regressor=_net(epochs=50)),
    ),
    "h3": (
        "3 hidden neurons",
        lambda h, m: BPForecaster(regressor=_net(hidden_layer_sizes=(3,))),
    ),
    "h5": (
        "5 hidden neurons",
        lambda h, m: BPForecaster(regressor=_net(hidden_layer_sizes=(5,))),
    ),
    "lags4": ("lags 1..4", lambda h, m: BPForecaster(lags=4)),
    "log": (
        "the log pipeline alone (transform='auto', as in version 0.3)",
        lambda h, m: BPForecaster(transform="auto"),
    ),
    "nolog": ("the level pipeline alone", lambda h, m: BPForecaster(transform=None)),
    "n10": ("10 members per pipeline", lambda h, m: BPForecaster(n_models=10)),
    "n3": ("3 members per pipeline", lambda h, m: BPForecaster(n_models=3)),
    "mimo": (
        "strategy='mimo', horizon=h",
        lambda h, m: BPForecaster(strategy="mimo", horizon=h),
    ),
    "direct": (
        "strategy='direct', horizon=h",
        lambda h, m: BPForecaster(strategy="direct", horizon=h),
    ),
}


def _register(name: str, factory: Callable[[int, int], Any], seed: int) -> None:
    def forecast(y, h: int, m: int) -> np.ndarray:
        model = factory(h, m)
        if "random_state" in model.get_params():
            model.set_params(random_state=seed)
        return np.asarray(model.fit(y).predict(h), dtype=float)

    competition.METHODS[name] = lambda s: competition.LocalMethod(forecast)


def _sampled(load: Callable, n: int) -> Callable:
    def load_subset(name: str, max_series: int | None = None):
        series = load(name, None)
        if len(series) > n:
            keep = np.unique(np.linspace(0, len(series) - 1, n).round().astype(int))
            series = [series[i] for i in keep]
        return series[:max_series] if max_series else series

    return load_subset


def main(argv: list[str] | None = None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="default", help="comma-separated names")
    parser.add_argument("--sample", type=int, default=None, metavar="N")
    parser.add_argument(
        "--baselines", default="Theta,SeasonalNaive,ETS,BPForecaster-Ridge"
    )
    parser.add_argument("--list", action="store_true", help="list the variants")
    parser.add_argument("--seed", type=int, default=0)
    args, rest = parser.parse_known_args(argv)
    if args.list:
        for name, (text, _) in VARIANTS.items():
            print(f"{name:<12} {text}")
        return None
    names = [v for v in args.variants.split(",") if v]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; known: {', '.join(VARIANTS)}")
    for name in names:
        _register(f"BP:{name}", VARIANTS[name][1], args.seed)
    if args.sample:
        competition.load_subset = _sampled(competition.load_subset, args.sample)
    methods = [m for m in args.baselines.split(",") if m] + [f"BP:{n}" for n in names]
    return competition.main(
        ["--methods", ",".join(methods), "--seed", str(args.seed), *rest]
    )


if __name__ == "__main__":
    main()
