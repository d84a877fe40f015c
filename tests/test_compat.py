"""Nothing breaks for users when the package is laid out anew.

Every public name that 0.1.0 exported from its modules stays importable
from the same module path, and models saved by 0.1.0 still load and
predict what they predicted then (the fixture's values were written by the
0.1.0 code, before the move: ``tests/fixtures/saved_v0.1.0.json``).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest

import bpforecast

FIXTURES = Path(__file__).parent / "fixtures"

# The names each module exported in 0.1.0 (its __all__, or for the MATLAB
# layer and plotting a sample of them).
NAMES_0_1_0 = {
    "bpforecast": [
        "BPForecaster",
        "BPRegressor",
        "BacktestResult",
        "MultiSeriesForecaster",
        "backtest",
        "forecast_many",
        "load",
        "save",
    ],
    "bpforecast.windowing": [
        "RollingOriginSplit",
        "last_window",
        "make_windows",
        "normalize_lags",
    ],
    "bpforecast.metrics": ["mae", "mape", "mase", "relative_error", "rmse", "smape"],
    "bpforecast.baselines": [
        "ETS",
        "FallbackWarning",
        "Naive",
        "SeasonalNaive",
        "Theta",
        "future_index",
        "infer_season_length",
    ],
    "bpforecast.multiseries": [
        "MultiSeriesForecaster",
        "SeriesError",
        "SkippedSeriesWarning",
        "forecast_many",
        "series_seed",
    ],
    "bpforecast.pruning": [
        "LayerPruning",
        "PruningReport",
        "prune",
        "prune_forecaster",
        "prune_units",
        "prune_weights",
    ],
    "bpforecast.plotting": ["plotperform", "plottrainstate", "plotregression"],
    "bpforecast.matlab": [
        "feedforwardnet",
        "narnet",
        "narxnet",
        "train",
        "sim",
        "closeloop",
        "preparets",
        "mapstd",
        "Network",
        "TrainingRecord",
    ],
}


@pytest.mark.parametrize("module", sorted(NAMES_0_1_0))
def test_names_of_0_1_0_stay_importable(module):
    mod = importlib.import_module(module)
    missing = [name for name in NAMES_0_1_0[module] if not hasattr(mod, name)]
    assert missing == []


# The modules that stay as compatibility aliases of the moved ones.
ALIASES = {
    "bpforecast.baselines": "bpforecast.forecasting.baselines",
    "bpforecast.metrics": "bpforecast.evaluation.metrics",
    "bpforecast.multiseries": "bpforecast.forecasting.multiseries",
    "bpforecast.windowing": "bpforecast.forecasting.windowing",
}


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_re_export_every_public_name_of_the_moved_module(alias):
    # Names added after the move (such as Naive2) are importable there too.
    old = importlib.import_module(alias)
    new = importlib.import_module(ALIASES[alias])
    assert sorted(set(new.__all__) - set(old.__all__)) == []
    for name in new.__all__:
        assert getattr(old, name) is getattr(new, name), name


def test_saved_0_1_0_models_load_and_predict_as_then():
    expected = json.loads((FIXTURES / "saved_v0.1.0.json").read_text())
    forecaster = bpforecast.load(FIXTURES / "forecaster_v0.1.0.bpf")
    np.testing.assert_allclose(
        forecaster.predict(12).to_numpy(),
        expected["forecaster_predict_12"],
        rtol=1e-12,
    )
    regressor = bpforecast.load(FIXTURES / "regressor_v0.1.0.bpf")
    np.testing.assert_allclose(
        regressor.predict(np.array(expected["regressor_X"])),
        expected["regressor_predict"],
        rtol=1e-12,
    )
