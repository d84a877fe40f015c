"""Determinism: the same ``random_state`` gives bit-identical models (issue 7).

Within one process (fresh estimators, refits, clones, RandomState instances,
whatever the global NumPy seed) and across processes (a small fit run in two
fresh interpreters with different hash seeds: the bytes of the weights and
predictions must hash the same, and the same as in this process).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from bpforecast import BPForecaster, BPRegressor, backtest
from bpforecast.cli import main
from bpforecast.datasets import load_nile

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the small fits
        yield


def make_data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] + 0.05 * rng.normal(size=n)
    return X, y


def assert_same_regressor(a: BPRegressor, b: BPRegressor, X) -> None:
    """Bit-identical fitted state and predictions."""
    assert len(a.coefs_) == len(b.coefs_)
    for wa, wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        assert wa.dtype == wb.dtype and wa.shape == wb.shape
        assert wa.tobytes() == wb.tobytes()
    pd.testing.assert_frame_equal(a.history_, b.history_, check_exact=True)
    assert (a.best_epoch_, a.stop_reason_, a.n_epochs_) == (
        b.best_epoch_,
        b.stop_reason_,
        b.n_epochs_,
    )
    for name in ("train_indices_", "val_indices_", "test_indices_"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.predict(X).tobytes() == b.predict(X).tobytes()


REGRESSOR_CONFIGS = [
    pytest.param({}, id="traingdx-block"),
    pytest.param({"solver": "trainlm"}, id="trainlm"),
    pytest.param({"solver": "traingdm", "division": "random"}, id="traingdm-random"),
    pytest.param({"solver": "traingda", "init": "glorot"}, id="traingda-glorot"),
    pytest.param({"batch_size": 8, "division": "interleaved"}, id="minibatch"),
    pytest.param({"hidden_layer_sizes": (4, 3), "alpha": 1e-3}, id="two-layers-l2"),
    pytest.param({"scaling": "mapminmax", "activation": "logsig"}, id="mapminmax"),
]


def regressor(**kw) -> BPRegressor:
    params = {"hidden_layer_sizes": (5,), "epochs": 40, "random_state": 11}
    params.update(kw)
    return BPRegressor(**params)


# =================================================================== regressor
@pytest.mark.parametrize("config", REGRESSOR_CONFIGS)
def test_regressor_same_seed_is_bit_identical(config):
    X, y = make_data()
    a = regressor(**config).fit(X, y)
    b = regressor(**config).fit(X, y)
    assert_same_regressor(a, b, X)


@pytest.mark.parametrize("config", REGRESSOR_CONFIGS)
def test_regressor_refit_of_same_instance_is_bit_identical(config):
    X, y = make_data()
    model = regressor(**config)
    first = clone(model).fit(X, y)
    model.fit(X, y)
    model.fit(X, y)  # a second fit starts from scratch (warm_start=False)
    assert_same_regressor(first, model, X)


def test_regressor_equal_randomstate_instances_give_identical_models():
    X, y = make_data()
    config = {"division": "random", "batch_size": 10}
    a = regressor(random_state=np.random.RandomState(5), **config).fit(X, y)
    b = regressor(random_state=np.random.RandomState(5), **config).fit(X, y)
    assert_same_regressor(a, b, X)


def test_regressor_ignores_and_keeps_the_global_numpy_rng():
    X, y = make_data()
    config = {"division": "random", "batch_size": 10}
    np.random.seed(1)  # noqa: NPY002 (the legacy global RNG is the point)
    a = regressor(**config).fit(X, y)
    np.random.seed(2)  # noqa: NPY002
    state = np.random.get_state()  # noqa: NPY002
    b = regressor(**config).fit(X, y)
    after = np.random.get_state()  # noqa: NPY002
    assert_same_regressor(a, b, X)
    # An integer random_state must not draw from (or reseed) the global RNG.
    assert state[0] == after[0] and np.array_equal(state[1], after[1])
    assert state[2:] == after[2:]


def test_regressor_unaffected_by_other_fits_in_between():
    X, y = make_data()
    a = regressor().fit(X, y)
    regressor(random_state=99, solver="trainlm").fit(X[:40], y[:40])
    BPForecaster(regressor=regressor(), n_models=2, random_state=0).fit(
        load_nile()[:60]
    )
    b = regressor().fit(X, y)
    assert_same_regressor(a, b, X)


def test_regressor_different_seeds_give_different_models():
    X, y = make_data()
    a = regressor(random_state=1).fit(X, y)
    b = regressor(random_state=2).fit(X, y)
    assert a.coefs_[0].tobytes() != b.coefs_[0].tobytes()
    assert not np.array_equal(a.predict(X), b.predict(X))


def test_regressor_does_not_modify_its_input():
    X, y = make_data()
    X_copy, y_copy = X.copy(), y.copy()
    model = regressor().fit(X, y)
    model.predict(X)
    assert X.tobytes() == X_copy.tobytes() and y.tobytes() == y_copy.tobytes()


# ================================================================== forecaster
def forecaster(**kw) -> BPForecaster:
    params = {
        "regressor": BPRegressor(hidden_layer_sizes=(4,), epochs=40),
        "n_models": 3,
        "interval_windows": 5,
        "random_state": 7,
    }
    params.update(kw)
    return BPForecaster(**params)


def forecast_outputs(f: BPForecaster, steps: int) -> list[bytes]:
    return [
        f.predict(steps).to_numpy().tobytes(),
        f.predict_in_sample().to_numpy().tobytes(),
        f.predict_interval(steps, coverage=0.8).to_numpy().tobytes(),
        f.X_train_.to_numpy().tobytes(),
    ]


@pytest.mark.parametrize(
    "kw",
    [
        pytest.param({}, id="recursive"),
        pytest.param({"strategy": "direct", "horizon": 3}, id="direct"),
        pytest.param({"strategy": "mimo", "horizon": 3}, id="mimo"),
        pytest.param({"combine": "mean", "normalize": None}, id="mean-no-normalize"),
    ],
)
def test_forecaster_same_seed_is_bit_identical(kw):
    y = load_nile()[:80]
    a = forecaster(**kw).fit(y)
    b = forecaster(**kw).fit(y)
    assert forecast_outputs(a, 3) == forecast_outputs(b, 3)
    for ma, mb in zip(a.models_, b.models_, strict=True):
        for x, z in zip(np.ravel(ma), np.ravel(mb), strict=True):
            assert_same_regressor(x, z, a.X_train_.to_numpy())


def test_forecaster_clone_and_refit_are_bit_identical():
    y = load_nile()[:80]
    f = forecaster().fit(y)
    expected = forecast_outputs(f, 3)
    assert forecast_outputs(clone(f).fit(y), 3) == expected
    f.fit(y)
    assert forecast_outputs(f, 3) == expected


def test_forecaster_models_get_consecutive_seeds():
    f = forecaster(random_state=40, transform="auto").fit(load_nile()[:80])
    assert [m.random_state for m in f.models_] == [40, 41, 42]
    # With two pipelines each pipeline's members get the same seeds.
    both = forecaster(random_state=40).fit(load_nile()[:80])
    assert [m.random_state for m in both.models_] == [40, 41, 42] * 2
    other = forecaster(random_state=41, transform="auto").fit(load_nile()[:80])
    # Model k of the second forecaster is model k + 1 of the first.
    X = f.X_train_.to_numpy()
    assert_same_regressor(f.models_[1], other.models_[0], X)
    assert f.predict(3).to_numpy().tobytes() != other.predict(3).to_numpy().tobytes()


def test_backtest_is_bit_identical():
    y = load_nile()
    runs = [
        backtest(forecaster(n_models=1), y, initial=70, horizon=5, step=10)
        for _ in range(2)
    ]
    pd.testing.assert_frame_equal(runs[0].folds, runs[1].folds, check_exact=True)
    pd.testing.assert_series_equal(runs[0].metrics, runs[1].metrics, check_exact=True)


def test_cli_same_seed_writes_identical_files(tmp_path, capsys):
    outputs = []
    for k in range(2):
        path = tmp_path / f"forecast{k}.csv"
        argv = ["forecast", "dataset:nile", "--horizon", "4", "--n-models", "2"]
        assert main([*argv, "--seed", "3", "-o", str(path)]) == 0
        outputs.append(path.read_bytes())
    capsys.readouterr()
    assert outputs[0] == outputs[1]


# =============================================================== across processes
FINGERPRINT_SCRIPT = r"""
import hashlib
import json
import warnings

import numpy as np

warnings.simplefilter("ignore")

from bpforecast import BPForecaster, BPRegressor
from bpforecast.datasets import load_nile


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def fingerprints():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(60, 3))
    y = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2]
    out = {}
    configs = {
        "traingdx": {},
        "trainlm": {"solver": "trainlm"},
        "minibatch-random": {"batch_size": 7, "division": "random"},
    }
    for name, config in configs.items():
        model = BPRegressor(
            hidden_layer_sizes=(5,), epochs=30, random_state=13, **config
        ).fit(X, y)
        out["regressor-" + name] = digest(
            *model.coefs_,
            *model.intercepts_,
            model.history_.to_numpy(),
            model.predict(X),
        )
    series = load_nile()[:70]
    for strategy in ("recursive", "mimo"):
        f = BPForecaster(
            regressor=BPRegressor(hidden_layer_sizes=(4,), epochs=30),
            strategy=strategy,
            horizon=3,
            n_models=2,
            random_state=5,
        ).fit(series)
        out["forecaster-" + strategy] = digest(
            f.predict(3).to_numpy(), f.predict_in_sample().to_numpy()
        )
    return out


if __name__ == "__main__":
    print(json.dumps(fingerprints(), sort_keys=True))
"""


def _fingerprints_in_subprocess(tmp_path: Path, hash_seed: str) -> dict:
    script = tmp_path / "fingerprints.py"
    script.write_text(FINGERPRINT_SCRIPT)
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_fits_are_bit_identical_across_processes(tmp_path):
    first = _fingerprints_in_subprocess(tmp_path, "0")
    second = _fingerprints_in_subprocess(tmp_path, "4242")
    assert first == second
    namespace: dict = {"__name__": "fingerprints"}
    exec(compile(FINGERPRINT_SCRIPT, "fingerprints.py", "exec"), namespace)
    assert namespace["fingerprints"]() == first
    assert len(set(first.values())) == len(first)  # the fits really differ


def test_digest_sees_a_one_ulp_change():
    namespace: dict = {"__name__": "fingerprints"}
    exec(compile(FINGERPRINT_SCRIPT, "fingerprints.py", "exec"), namespace)
    a = np.array([1.0, 2.0])
    b = np.array([1.0, np.nextafter(2.0, 3.0)])
    assert namespace["digest"](a) != namespace["digest"](b)
    assert (
        namespace["digest"](a)
        == hashlib.sha256(
            str((a.dtype.str, a.shape)).encode() + a.tobytes()
        ).hexdigest()
    )
