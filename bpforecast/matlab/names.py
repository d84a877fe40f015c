"""MATLAB's names and defaults: training and division functions, stop texts, ``rng``.

Everything here is data or state shared by the other modules of
:mod:`bpforecast.matlab`: ``net.trainParam`` and ``net.divideParam``
defaults, MATLAB's ``tr.stop`` texts, the mapping of MATLAB's function
names to :class:`~bpforecast.BPRegressor` parameters, and the generator
that :func:`rng` seeds.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

_COMMON = {
    "epochs": 1000,
    "goal": 0.0,
    "max_fail": 6,
    "show": 25,
    "showCommandLine": False,
    "showWindow": True,
    "time": math.inf,
}
_GD = {**_COMMON, "lr": 0.01, "min_grad": 1e-5}
_ADAPTIVE = {"lr_inc": 1.05, "lr_dec": 0.7, "max_perf_inc": 1.04}
TRAIN_DEFAULTS: dict[str, dict[str, Any]] = {
    "trainlm": {
        **_COMMON,
        "min_grad": 1e-7,
        "mu": 0.001,
        "mu_dec": 0.1,
        "mu_inc": 10.0,
        "mu_max": 1e10,
    },
    "trainbr": {
        **_COMMON,
        "max_fail": 0,
        "min_grad": 1e-7,
        "mu": 0.005,
        "mu_dec": 0.1,
        "mu_inc": 10.0,
        "mu_max": 1e10,
    },
    "trainscg": {**_COMMON, "min_grad": 1e-6, "sigma": 5.0e-5, "lambda": 5.0e-7},
    "trainrp": {
        **_COMMON,
        "min_grad": 1e-5,
        "delt_inc": 1.2,
        "delt_dec": 0.5,
        "delta0": 0.07,
        "deltamax": 50.0,
    },
    "traingdx": {**_GD, **_ADAPTIVE, "mc": 0.9},
    "traingd": dict(_GD),
    "traingdm": {**_GD, "mc": 0.9},
    "traingda": {**_GD, **_ADAPTIVE},
}
"""``net.trainParam`` defaults per training function (MATLAB's current ones;
trainrp's min_grad is its documentation page's 1e-5, trainbr's max_fail 0
turns validation stopping off)."""

_RATIOS = {"trainRatio": 0.70, "valRatio": 0.15, "testRatio": 0.15}
DIVIDE_DEFAULTS: dict[str, dict[str, Any]] = {
    "dividerand": dict(_RATIOS),
    "divideblock": dict(_RATIOS),
    "divideint": dict(_RATIOS),
    "divideind": {"trainInd": [], "valInd": [], "testInd": []},
    "dividetrain": {},
    "": {},
}
"""``net.divideParam`` fields and defaults per division function."""

_DIVISION = {"dividerand": "random", "divideblock": "block", "divideint": "interleaved"}
_DIVIDE_NAME = {value: key for key, value in _DIVISION.items()}

STOP_MESSAGES: dict[str, str] = {
    "epochs": "Maximum epoch reached.",
    "goal": "Performance goal met.",
    "min_grad": "Minimum gradient reached.",
    "max_fail": "Validation stop.",
    "time": "Maximum time elapsed.",
    "user": "User stop.",
    "mu_max": "Maximum MU reached.",
}
"""MATLAB's ``tr.stop`` text for each :attr:`BPRegressor.stop_reason_` code."""

_PROCESS_IGNORED = ("removeconstantrows", "fixunknowns")
_INIT = {"initnw": "nguyen-widrow", "glorot": "glorot"}
_IGNORED_TRAIN_PARAMS = ("show", "showCommandLine", "showWindow")

_STATE: dict[str, Any] = {"random_state": None}


def rng(seed: int | str = "default") -> None:
    """Seed the generator :func:`train` and :func:`dividerand` use (MATLAB ``rng``).

    Without ``rng`` (and without a ``random_state`` argument) every training
    run starts from fresh random weights. After ``rng(seed)`` the runs that
    follow are reproducible as a sequence, as in MATLAB: two ``train`` calls
    in a row still differ from each other, but the script gives the same
    results each time it runs. (The numbers differ from MATLAB's: another
    generator, another initialisation order.)

    Parameters
    ----------
    seed : int, 'default' or 'shuffle', default='default'
        'default' is seed 0 (MATLAB's start-up state); 'shuffle' seeds from
        the operating system's entropy.

    Examples
    --------
    >>> import numpy as np
    >>> from bpforecast import matlab as nn
    >>> nn.rng(1); a = nn.dividerand(10)[0]
    >>> nn.rng(1); b = nn.dividerand(10)[0]
    >>> bool(np.array_equal(a, b))
    True
    >>> nn.rng("shuffle")  # back to unpredictable
    """
    if isinstance(seed, str):
        if seed == "default":
            state = np.random.RandomState(0)
        elif seed == "shuffle":
            state = np.random.RandomState()
        else:
            raise ValueError(f"rng: unknown option {seed!r}; use an int, 'default'.")
    elif isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        state = np.random.RandomState(int(seed))
    else:
        raise TypeError(
            f"rng: seed must be an int or 'default'/'shuffle', got {seed!r}."
        )
    _STATE["random_state"] = state


def setdemorandstream(seed: int) -> None:
    """MATLAB's ``setdemorandstream(seed)``: the same as :func:`rng`.

    Examples
    --------
    >>> from bpforecast import matlab as nn
    >>> nn.setdemorandstream(491218382)
    """
    rng(seed)


def _random_state(random_state):
    return random_state if random_state is not None else _STATE["random_state"]


def _check_fcn(value: str, known, what: str) -> str:
    if value not in known:
        names = ", ".join(repr(k) for k in known if k)
        raise ValueError(
            f"{what} {value!r} is not supported; bpforecast.matlab supports {names}."
        )
    return value
