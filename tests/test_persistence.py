"""Safe save/load: bit-identical round trips, and refusal of bad or unsafe files."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import zipfile

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor

from bpforecast import BPForecaster, BPRegressor
from bpforecast.datasets import load_airline_passengers
from bpforecast.io.persistence import FORMAT_NAME, FORMAT_VERSION, load, save

SMALL = dict(hidden_layer_sizes=(4,), epochs=15, random_state=0)


def small_net(**kw):
    return BPRegressor(**{**SMALL, **kw})


def round_trip(model, tmp_path, name="model.bpf"):
    path = tmp_path / name
    save(model, path)
    return load(path)


def assert_same(a, b, where="model"):
    """Recursive equality of values, arrays, pandas objects and fitted models."""
    assert type(a) is type(b), where
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_freq=True)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_freq=True)
        assert getattr(a.index, "freq", None) == getattr(b.index, "freq", None)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, np.random.RandomState):
        assert_same(list(a.get_state()), list(b.get_state()), where)
    elif hasattr(a, "__dict__"):
        assert vars(a).keys() == vars(b).keys(), where
        for k in vars(a):
            assert_same(getattr(a, k), getattr(b, k), f"{where}.{k}")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert a == b, where


# ------------------------------------------------------------ round trips
@pytest.mark.parametrize(
    "solver, multi_output, frame",
    [
        ("traingdx", False, False),
        ("traingdx", True, True),
        ("trainlm", False, True),
        ("trainlm", True, False),
    ],
)
def test_regressor_round_trip_is_bit_identical(tmp_path, solver, multi_output, frame):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(80, 3))
    y = np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])
    y = y if multi_output else y[:, 0]
    if frame:
        X = pd.DataFrame(X, columns=["a", "b", "c"])
    model = small_net(solver=solver, scaling="mapminmax" if frame else "mapstd")
    model.fit(X, y)
    loaded = round_trip(model, tmp_path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.predict(X).shape == model.predict(X).shape
    assert loaded.get_params() == model.get_params()
    assert isinstance(loaded.get_params()["hidden_layer_sizes"], tuple)
    assert isinstance(loaded.get_params()["division_ratios"], tuple)
    assert_same(model, loaded)
    if frame:
        assert list(loaded.feature_names_in_) == ["a", "b", "c"]


def test_regressor_with_constant_target_and_no_division(tmp_path):
    X = np.linspace(0, 1, 40).reshape(-1, 1)
    y = np.column_stack([X.ravel() ** 2, np.full(40, 3.0)])
    model = small_net(division=None, max_time=60.0).fit(X, y)
    loaded = round_trip(model, tmp_path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert_same(model, loaded)


@pytest.mark.parametrize("restarts", ["best", "mean"])
def test_regressor_with_restarts_round_trip(tmp_path, restarts):
    X = np.random.default_rng(4).normal(size=(60, 2))
    model = small_net(n_init=3, restarts=restarts).fit(X, np.sin(X[:, 0]))
    loaded = round_trip(model, tmp_path)
    assert len(loaded.estimators_) == 3
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert_same(model, loaded)


def test_unfitted_estimators_round_trip(tmp_path):
    net = BPRegressor(hidden_layer_sizes=[3, 2], lr=0.5, max_time=2.5)
    loaded = round_trip(net, tmp_path)
    assert loaded.get_params() == net.get_params()
    assert loaded.hidden_layer_sizes == [3, 2]  # lists stay lists
    f = BPForecaster(regressor=Ridge(alpha=2.0), lags=[1, 2, 12], exog_lags=(0, 1))
    loaded = round_trip(f, tmp_path, "f.bpf")
    assert_same(f, loaded)
    assert not hasattr(loaded, "models_")


def test_pruned_network_round_trip(tmp_path):
    """A network with weights zeroed and a hidden neuron removed, as pruning
    leaves it, with an extra public fitted attribute describing the pruning."""
    X = np.random.default_rng(2).normal(size=(60, 3))
    model = small_net(hidden_layer_sizes=(5,)).fit(X, X.sum(axis=1))
    keep = np.array([True, True, False, True, True])
    model.coefs_ = [model.coefs_[0][:, keep], model.coefs_[1][keep]]
    model.coefs_[0][1, 0] = 0.0
    model.intercepts_ = [model.intercepts_[0][keep], model.intercepts_[1]]
    model.hidden_layer_sizes = (4,)
    model.pruned_mask_ = [keep, np.ones(1, dtype=bool)]
    loaded = round_trip(model, tmp_path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert_same(model, loaded)


@pytest.mark.parametrize("method", ["weights", "units"])
def test_pruned_models_from_bpforecast_pruning(tmp_path, method):
    from bpforecast import pruning

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    X[:, 2] = X[:, 0]
    y = np.tanh(X[:, 0]) + 0.5 * X[:, 1]
    model = small_net(hidden_layer_sizes=(6,), solver="trainlm", epochs=20)
    model.fit(X[:80], y[:80])
    pruned, _ = pruning.prune(
        model, X[80:], y[80:], method=method, X_train=X[:80], tol=0.05
    )
    loaded = round_trip(pruned, tmp_path)
    np.testing.assert_array_equal(loaded.predict(X), pruned.predict(X))
    assert_same(pruned, loaded)


def test_pruned_forecaster_round_trip(tmp_path):
    from bpforecast import pruning

    y = np.sin(np.arange(100) / 4) + 2
    net = small_net(hidden_layer_sizes=(5,), solver="trainlm")
    f = BPForecaster(net, lags=6, n_models=2, random_state=0).fit(y)
    pruned, _ = pruning.prune_forecaster(f, method="units", tol=0.05)
    loaded = round_trip(pruned, tmp_path)
    assert_same(pruned, loaded)
    pd.testing.assert_series_equal(loaded.predict(5), pruned.predict(5))


def test_float32_network_round_trip(tmp_path):
    X = np.random.default_rng(3).normal(size=(50, 2))
    model = small_net(dtype="float32").fit(X, X[:, 0] - X[:, 1])
    loaded = round_trip(model, tmp_path)
    assert loaded.coefs_[0].dtype == np.float32
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


@pytest.fixture(scope="module")
def airline():
    y = load_airline_passengers()
    exog = pd.DataFrame({"promo": np.sin(np.arange(len(y)) / 5.0)}, index=y.index)
    return y, exog


def test_forecaster_recursive_with_exog_and_calendar(tmp_path, airline):
    y, exog = airline
    f = BPForecaster(
        regressor=small_net(),
        n_models=2,
        calendar_features=["month"],
        exog_lags=[0, 1],
        interval_windows=4,
        random_state=0,
    ).fit(y[:-12], exog[:-12])
    before = f.predict_interval(3, exog=exog[-12:])  # fills the calibration cache
    loaded = round_trip(f, tmp_path)
    assert_same(f, loaded)
    future = exog[-12:]
    pd.testing.assert_series_equal(loaded.predict(12, future), f.predict(12, future))
    pd.testing.assert_frame_equal(loaded.predict_interval(3, exog=future), before)
    pd.testing.assert_series_equal(loaded.predict_in_sample(), f.predict_in_sample())
    np.testing.assert_array_equal(
        loaded.forecast_from(y[:-6], 2, exog[:-4]),
        f.forecast_from(y[:-6], 2, exog[:-4]),
    )
    assert loaded.predict(3, future).index.freqstr == "MS"


def test_forecaster_interval_refit_after_load_matches(tmp_path, airline):
    y = airline[0][:60]
    f = BPForecaster(regressor=small_net(), n_models=1, interval_windows=3)
    f.set_params(random_state=np.random.RandomState(7)).fit(y)
    loaded = round_trip(f, tmp_path)  # empty cache: both refit for the interval
    pd.testing.assert_frame_equal(loaded.predict_interval(2), f.predict_interval(2))


@pytest.mark.parametrize("strategy", ["direct", "mimo"])
def test_forecaster_direct_and_mimo(tmp_path, strategy):
    y = pd.Series(np.sin(np.arange(70) / 3.0) + 3.0)
    f = BPForecaster(
        regressor=small_net(), strategy=strategy, horizon=3, n_models=1, lags=5
    ).fit(y)
    loaded = round_trip(f, tmp_path)
    assert_same(f, loaded)
    pd.testing.assert_series_equal(loaded.predict(3), f.predict(3))
    # Two pipelines (a positive series): each restored with its own networks.
    assert len(loaded.pipelines_) == 2
    assert loaded.pipelines_[1].transform_ is None
    if strategy == "direct":
        assert [len(m) for m in loaded.models_] == [2, 2, 2]
        assert [len(m) for m in loaded.pipelines_[0].models_] == [1, 1, 1]


@pytest.mark.parametrize("regressor", [LinearRegression(), Ridge(alpha=0.3)])
def test_forecaster_with_linear_regressors(tmp_path, regressor):
    index = pd.date_range("2024-01-01", periods=80, freq="h", tz="Europe/Berlin")
    y = pd.Series(np.arange(80) % 24 + 5.0, index=index)
    f = BPForecaster(regressor=regressor, lags=4, calendar_features=["hour"]).fit(y)
    loaded = round_trip(f, tmp_path)
    assert_same(f, loaded)
    pd.testing.assert_series_equal(loaded.predict(5), f.predict(5))


def test_save_to_file_object_and_deterministic_bytes(tmp_path):
    X = np.arange(40.0).reshape(20, 2)
    model = small_net().fit(X, X[:, 0])
    first, second = io.BytesIO(), io.BytesIO()
    save(model, first)
    save(model, second)
    assert first.getvalue() == second.getvalue()
    save(model, tmp_path / "m.bpf")
    assert (tmp_path / "m.bpf").read_bytes() == first.getvalue()
    assert list(tmp_path.iterdir()) == [tmp_path / "m.bpf"]  # no temporary left
    loaded = load(io.BytesIO(first.getvalue()))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_save_does_not_modify_the_model(tmp_path, airline):
    f = BPForecaster(regressor=small_net(), n_models=1, interval_windows=3)
    f.fit(airline[0][:60])
    f.predict_interval(2)
    before = joblib.hash(f)
    save(f, tmp_path / "f.bpf")
    assert joblib.hash(f) == before


def test_pickle_still_works(tmp_path, airline):
    f = BPForecaster(regressor=small_net(), n_models=1, random_state=0)
    f.fit(airline[0][:60])
    loaded = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(loaded.predict(4), f.predict(4))
    joblib.dump(f, tmp_path / "f.joblib")
    pd.testing.assert_series_equal(
        joblib.load(tmp_path / "f.joblib").predict(4), f.predict(4)
    )


# ----------------------------------------------------------- save refusals
def test_save_refuses_unknown_classes_and_values():
    with pytest.raises(TypeError, match="takes a BPRegressor or BPForecaster"):
        save(KNeighborsRegressor(), io.BytesIO())
    f = BPForecaster(regressor=KNeighborsRegressor())
    with pytest.raises(TypeError, match="KNeighborsRegressor are not supported"):
        save(f, io.BytesIO())
    net = BPRegressor(random_state=np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator are not supported"):
        save(net, io.BytesIO())
    net = BPRegressor()
    net._secret = 1
    with pytest.raises(TypeError, match="attribute '_secret'"):
        save(net, io.BytesIO())
    net = BPRegressor()
    net.coefs_ = [pd.array([1.0, 2.0])]
    with pytest.raises(TypeError, match="not supported by the safe format"):
        save(net, io.BytesIO())
    net = BPRegressor()
    net.extra_ = np.array([object()])
    with pytest.raises(TypeError, match="only supported when they hold strings"):
        save(net, io.BytesIO())


def test_save_refuses_arrays_of_other_array_libraries():
    xp = pytest.importorskip("array_api_strict")
    X = xp.asarray(np.random.default_rng(0).normal(size=(30, 2)))
    try:
        model = small_net().fit(X, X[:, 0])
    except (TypeError, ValueError):  # a regressor without array API support
        model = BPRegressor()
        model.coefs_ = [X]
    with pytest.raises(TypeError, match="stores numpy arrays only"):
        save(model, io.BytesIO())


# ----------------------------------------------------------- load refusals
@pytest.fixture(scope="module")
def saved():
    X = pd.DataFrame(np.arange(60.0).reshape(30, 2), columns=["a", "b"])
    model = small_net().fit(X, X["a"] ** 0.5)
    buffer = io.BytesIO()
    save(model, buffer)
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rebuild(parts: dict[str, bytes], fix_checksums: bool = True) -> io.BytesIO:
    """A model file from members, with checksums recomputed (as an attacker could)."""
    parts = dict(parts)
    if fix_checksums:
        header = json.loads(parts["format.json"])
        for name in ("model.json", "arrays.npz"):
            header["sha256"][name] = hashlib.sha256(parts[name]).hexdigest()
        parts["format.json"] = json.dumps(header).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out.seek(0)
    return out


def edit_model(data: bytes, edit) -> io.BytesIO:
    parts = members(data)
    doc = json.loads(parts["model.json"])
    edit(doc["model"])
    parts["model.json"] = json.dumps(doc).encode()
    return rebuild(parts)


def npz_bytes(arrays: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in arrays.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_file_layout(saved):
    parts = members(saved)
    assert list(parts) == ["format.json", "model.json", "arrays.npz"]
    header = json.loads(parts["format.json"])
    assert header["format"] == FORMAT_NAME == "bpforecast-model"
    assert header["version"] == FORMAT_VERSION == 1
    doc = json.loads(parts["model.json"])
    assert doc["model"]["class"] == "bpforecast.BPRegressor"
    assert doc["model"]["params"]["hidden_layer_sizes"] == {
        "type": "tuple",
        "items": [{"type": "int", "value": 4}],
    }
    assert doc["versions"]["numpy"] == np.__version__
    with np.load(io.BytesIO(parts["arrays.npz"]), allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)


def test_tampered_json_is_refused(saved):
    parts = members(saved)
    parts["model.json"] = parts["model.json"].replace(b'"epochs"', b'"epochz"')
    with pytest.raises(ValueError, match="checksum mismatch for model.json"):
        load(rebuild(parts, fix_checksums=False))


def test_tampered_array_byte_is_refused(saved):
    parts = members(saved)
    arrays = members(parts["arrays.npz"])
    data = bytearray(arrays["a5.npy"])
    data[-1] ^= 0x01
    arrays["a5.npy"] = bytes(data)
    parts["arrays.npz"] = npz_bytes(arrays)
    with pytest.raises(ValueError, match="checksum mismatch for arrays.npz"):
        load(rebuild(parts, fix_checksums=False))


def test_flipped_byte_in_the_file_is_refused(saved, tmp_path):
    # In compressed content, and in the central directory's offset field.
    for position in (len(saved) // 3, len(saved) // 2, len(saved) - 3):
        data = bytearray(saved)
        data[position] ^= 0xFF
        path = tmp_path / "bad.bpf"
        path.write_bytes(bytes(data))
        with pytest.raises(ValueError, match="bad.bpf"):
            load(path)


@pytest.mark.parametrize("size", [0, 10, 200, -1, -30])
def test_truncated_file_is_refused(saved, tmp_path, size):
    path = tmp_path / "cut.bpf"
    path.write_bytes(saved[:size])
    with pytest.raises(ValueError, match=r"cut\.bpf: .*(truncated|corrupt)"):
        load(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.bpf")


def test_unknown_version_is_refused(saved):
    parts = members(saved)
    header = json.loads(parts["format.json"])
    header["version"] = 99
    parts["format.json"] = json.dumps(header).encode()
    with pytest.raises(ValueError, match="unsupported format version 99"):
        load(rebuild(parts, fix_checksums=False))
    header["version"] = "1"
    parts["format.json"] = json.dumps(header).encode()
    with pytest.raises(ValueError, match="unsupported format version '1'"):
        load(rebuild(parts, fix_checksums=False))


def test_other_files_are_refused(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, x=np.arange(3))
    with pytest.raises(ValueError, match="not a bpforecast-model file"):
        load(path)
    parts = {
        "format.json": b'{"format": "other"}',
        "model.json": b"",
        "arrays.npz": b"",
    }
    with pytest.raises(ValueError, match="names another format"):
        load(rebuild(parts, fix_checksums=False))


def test_pickled_object_array_is_refused(saved):
    """A crafted file whose array member is a pickle, checksums recomputed."""
    parts = members(saved)
    arrays = members(parts["arrays.npz"])
    payload = io.BytesIO()
    np.save(payload, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    arrays["a0.npy"] = payload.getvalue()
    parts["arrays.npz"] = npz_bytes(arrays)
    with pytest.raises(ValueError, match="'a0.npy' is an object array.*refused"):
        load(rebuild(parts))


def test_extra_or_missing_members_are_refused(saved):
    parts = members(saved)
    with pytest.raises(ValueError, match="expected"):
        load(rebuild({**parts, "payload.pkl": b"x"}, fix_checksums=False))
    arrays = members(parts["arrays.npz"])
    extra = io.BytesIO()
    np.save(extra, np.zeros(2))
    parts["arrays.npz"] = npz_bytes({**arrays, f"a{len(arrays)}.npy": extra.getvalue()})
    with pytest.raises(ValueError, match="arrays the model does not use"):
        load(rebuild(parts))
    arrays.pop("a3.npy")
    parts["arrays.npz"] = npz_bytes(arrays)
    with pytest.raises(ValueError, match="'a3' is missing"):
        load(rebuild(parts))


def test_unknown_class_is_refused(saved):
    def edit(model):
        model["class"] = "os.system"

    with pytest.raises(ValueError, match="'os.system' is not on the allow-list"):
        load(edit_model(saved, edit))


@pytest.mark.parametrize("name", ["predict", "__class__", "_secret", "fit", "score"])
def test_unexpected_attributes_are_refused(saved, name):
    def edit(model):
        model["state"][name] = {"type": "int", "value": 1}

    with pytest.raises(ValueError, match=f"unexpected attribute '{name}'"):
        load(edit_model(saved, edit))


def test_unexpected_parameter_and_value_types_are_refused(saved):
    def param(model):
        model["params"]["evil"] = {"type": "int", "value": 1}

    with pytest.raises(ValueError, match=r"unexpected parameters \['evil'\]"):
        load(edit_model(saved, param))

    def node_type(model):
        model["params"]["lr"] = {"type": "pickle", "value": "gASV"}

    with pytest.raises(ValueError, match="unknown value type 'pickle'"):
        load(edit_model(saved, node_type))

    def extra_key(model):
        model["params"]["lr"] = {"type": "float", "value": 0.1, "code": "x"}

    with pytest.raises(ValueError, match="unexpected keys"):
        load(edit_model(saved, extra_key))

    def wrong_json_type(model):
        model["params"]["epochs"] = {"type": "int", "value": "15"}

    with pytest.raises(ValueError, match="expected int, got str"):
        load(edit_model(saved, wrong_json_type))


def test_array_dtype_or_shape_mismatch_is_refused(saved):
    def edit(model):
        model["state"]["coefs_"]["items"][0]["shape"] = [99, 1]

    with pytest.raises(ValueError, match="the model file records"):
        load(edit_model(saved, edit))


def test_inconsistent_weights_are_refused(saved):
    def edit(model):
        model["params"]["hidden_layer_sizes"]["items"][0]["value"] = 5

    with pytest.raises(ValueError, match="inconsistent fitted state"):
        load(edit_model(saved, edit))


def test_duplicate_json_keys_and_nan_constants_are_refused(saved):
    parts = members(saved)
    doc = parts["model.json"]
    parts["model.json"] = doc[:-1] + b',"versions":{}}'
    with pytest.raises(ValueError, match="repeated keys"):
        load(rebuild(parts))
    parts["model.json"] = doc.replace(b'"value":0.01', b'"value":NaN', 1)
    with pytest.raises(ValueError, match="NaN is not valid JSON"):
        load(rebuild(parts))


def test_crafted_values_that_break_the_model_are_refused(saved):
    def activation(model):
        model["params"]["activation"] = {"type": "str", "value": "evil"}

    with pytest.raises(ValueError, match="inconsistent fitted state"):
        load(edit_model(saved, activation))


def test_time_zone_that_names_a_file_is_refused(tmp_path):
    index = pd.date_range("2024-01-01", periods=60, freq="h", tz="UTC")
    y = pd.Series(np.arange(60) % 24 + 5.0, index=index)
    f = BPForecaster(regressor=LinearRegression(), lags=3).fit(y)
    buffer = io.BytesIO()
    save(f, buffer)

    def edit(model):
        model["state"]["y_"]["index"]["tz"] = "dateutil//etc/passwd"

    with pytest.raises(ValueError, match="unsupported time zone name"):
        load(edit_model(buffer.getvalue(), edit))


def test_corrupt_inner_archive_is_refused(saved):
    parts = members(saved)
    inner = bytearray(parts["arrays.npz"])
    inner[len(inner) // 2] ^= 0xFF  # breaks the inner CRC; checksums recomputed
    parts["arrays.npz"] = bytes(inner)
    with pytest.raises(ValueError, match="invalid model file|arrays.npz"):
        load(rebuild(parts))
