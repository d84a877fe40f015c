"""The evidence behind BPForecaster's defaults: variants on the competition benchmark.

Each variant changes one or two of :class:`bpforecast.BPForecaster`'s
settings (solver, lags, strategy, members, early stopping) and runs through
``benchmarks/competition.py`` on M1 and Tourism (never M3 or M4), scored by
OWA against Naive2, beside Theta, seasonal naive and the same pipeline with
Ridge from the same run.

Run from the repository root::

    python benchmarks/local_defaults.py --list
    python benchmarks/local_defaults.py --variants base,mimo --sample 100 --jobs 2
    python benchmarks/local_defaults.py --variants base,mimo      # all series

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


def _net(**params: Any) -> BPRegressor:
    """The default network with some parameters changed."""
    return default_regressor().set_params(**params)


# name -> (description, factory(h, m) -> unfitted forecaster)
VARIANTS: dict[str, tuple[str, Callable[[int, int], Any]]] = {
    "base": ("the current defaults", lambda h, m: BPForecaster()),
    "mimo": (
        "strategy='mimo', horizon=h",
        lambda h, m: BPForecaster(strategy="mimo", horizon=h),
    ),
    "direct": (
        "strategy='direct', horizon=h",
        lambda h, m: BPForecaster(strategy="direct", horizon=h),
    ),
    "trainbr": (
        "trainbr, 200 epochs, no validation stop",
        lambda h, m: BPForecaster(regressor=_net(solver="trainbr", epochs=200,
                                                 division="auto", max_fail=0)),
    ),
    "h5": ("5 hidden neurons", lambda h, m: BPForecaster(regressor=_net(
        hidden_layer_sizes=(5,)))),
    "h3": ("3 hidden neurons", lambda h, m: BPForecaster(regressor=_net(
        hidden_layer_sizes=(3,)))),
    "alpha": ("L2 penalty alpha=0.01", lambda h, m: BPForecaster(regressor=_net(
        alpha=0.01))),
    "n10": ("10 members", lambda h, m: BPForecaster(n_models=10)),
    "nomaxfail": (
        "no early stopping, 300 epochs",
        lambda h, m: BPForecaster(regressor=_net(division=None, max_fail=0,
                                                 epochs=300)),
    ),
    "lags-m+": (
        "lags 1..max(m, 4)",
        lambda h, m: BPForecaster(lags=max(m, 4)),
    ),
    "trainbr-noscale": (
        "trainbr without mapstd (the bias shrinks toward no change)",
        lambda h, m: BPForecaster(regressor=_net(solver="trainbr", epochs=200,
                                                 division="auto", max_fail=0,
                                                 scaling=None)),
    ),
    "noscale": (
        "no mapstd scaling",
        lambda h, m: BPForecaster(regressor=_net(scaling=None)),
    ),
    "br-rms": (
        "trainbr on RMS-scaled, uncentred windows",
        lambda h, m: BPForecaster(regressor=_ScaleOnly(_net(
            solver="trainbr", epochs=200, division="auto", max_fail=0,
            scaling=None))),
    ),
    "gdx-rms": (
        "traingdx on RMS-scaled, uncentred windows",
        lambda h, m: BPForecaster(regressor=_ScaleOnly(_net(scaling=None))),
    ),
    "br-unc": (
        "trainbr, 200 epochs, targets not centred (target_scaling=None)",
        lambda h, m: BPForecaster(regressor=_net(
            solver="trainbr", epochs=200, division="auto", max_fail=0,
            target_scaling=None)),
    ),
    "br-unc-100": (
        "trainbr, 100 epochs, targets not centred",
        lambda h, m: BPForecaster(regressor=_net(
            solver="trainbr", epochs=100, division="auto", max_fail=0,
            target_scaling=None)),
    ),
    "br-unc-l4": (
        "trainbr, targets not centred, lags 1..4",
        lambda h, m: BPForecaster(lags=4, regressor=_net(
            solver="trainbr", epochs=100, division="auto", max_fail=0,
            target_scaling=None)),
    ),
    "br-unc-h5": (
        "trainbr, targets not centred, 5 hidden neurons",
        lambda h, m: BPForecaster(regressor=_net(
            solver="trainbr", epochs=100, division="auto", max_fail=0,
            target_scaling=None, hidden_layer_sizes=(5,))),
    ),
    "br-unc-nolog": (
        "trainbr, targets not centred, no log",
        lambda h, m: BPForecaster(transform=None, regressor=_net(
            solver="trainbr", epochs=100, division="auto", max_fail=0,
            target_scaling=None)),
    ),
    "ridge": (
        "Ridge in place of the network",
        lambda h, m: BPForecaster(regressor=_ridge(), n_models=1),
    ),
}


class _ScaleOnly:
    """Prototype: scale inputs and targets by their RMS, without centring."""

    def __init__(self, net, random_state=None):
        self.net, self.random_state = net, random_state

    def get_params(self, deep=False):
        return {"net": self.net, "random_state": self.random_state}

    def set_params(self, **p):
        for k, v in p.items():
            setattr(self, k, v)
        return self

    def fit(self, X, y):
        from sklearn.base import clone

        X, y = np.asarray(X, float), np.asarray(y, float)
        self.xs_ = np.sqrt(np.mean(X**2, axis=0)) + 1e-12
        self.ys_ = np.sqrt(np.mean(y**2, axis=0)) + 1e-12
        self.m_ = clone(self.net).set_params(random_state=self.random_state)
        self.m_.fit(X / self.xs_, y / self.ys_)
        return self

    def predict(self, X):
        return self.m_.predict(np.asarray(X, float) / self.xs_) * self.ys_


def _ridge() -> Any:
    from sklearn.linear_model import Ridge

    return Ridge()


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
    parser.add_argument("--variants", default="base", help="comma-separated names")
    parser.add_argument("--sample", type=int, default=None, metavar="N")
    parser.add_argument("--baselines", default="Theta,SeasonalNaive,ETS")
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
