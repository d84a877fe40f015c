"""Validation in one place: parameter constraints and the sklearn wrapper."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

import bpforecast
from bpforecast._sklearn_compat import HasMethods, Interval, StrOptions
from bpforecast.forecasting.baselines import Naive
from bpforecast.forecasting.multiseries import MultiSeriesForecaster, forecast_many

PACKAGE = Path(bpforecast.__file__).parent


def _panel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id": np.repeat(["a", "b"], 20),
            "ds": np.tile(np.arange(20), 2),
            "y": np.arange(40.0),
        }
    )


def test_private_sklearn_imports_only_in_compat_module():
    private = re.compile(r"^\s*(from|import)\s+sklearn\.utils\._", re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "_sklearn_compat.py" and private.search(path.read_text())
    ]
    assert offenders == []


def test_compat_module_states_supported_versions():
    import bpforecast._sklearn_compat as compat

    assert "1.6" in compat.__doc__
    assert compat.SKLEARN_MIN_VERSION == "1.6"
    assert {HasMethods, Interval, StrOptions}


def test_multiseries_declares_every_parameter():
    params = set(MultiSeriesForecaster().get_params(deep=False))
    assert params == set(MultiSeriesForecaster._parameter_constraints)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"errors": "ignore"}, "errors"),
        ({"n_jobs": 0}, "n_jobs"),
        ({"n_jobs": 1.5}, "n_jobs"),
        ({"random_state": -1}, "random_state"),
        ({"random_state": "x"}, "random_state"),
        ({"lags": "many"}, "lags"),
        ({"lags": 0}, "lags"),
        ({"global_model": "yes"}, "global_model"),
        ({"progress": 2}, "progress"),
        ({"forecaster": object()}, "forecaster"),
        ({"regressor": "ridge"}, "regressor"),
        ({"freq": 3}, "freq"),
    ],
)
def test_multiseries_bad_parameters_fail_at_fit(params, name):
    params = {"forecaster": Naive(), **params}
    model = MultiSeriesForecaster(**params)  # constructing never checks
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        model.fit(_panel())


def test_forecast_many_checks_the_same_constraints():
    with pytest.raises(InvalidParameterError, match="'errors' parameter"):
        forecast_many(_panel(), 2, Naive(), errors="ignore")
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        forecast_many(_panel(), 2, Naive(), n_jobs=0)


def test_multiseries_good_parameters_pass():
    for random_state in (None, 0, np.random.RandomState(0), np.random.default_rng(0)):
        m = MultiSeriesForecaster(Naive(), random_state=random_state, n_jobs=-1)
        assert sorted(m.fit(_panel()).models_) == ["a", "b"]
