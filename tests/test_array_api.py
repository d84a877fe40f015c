"""The math runs unchanged on any array-API namespace (array-api-strict here).

CI has no GPU; array-api-strict refuses everything outside the standard, so a
training run that matches numpy under it is the CPU stand-in for CuPy.
"""

import numpy as np
import pytest

from bpforecast.nn.network import Architecture, forward, gradient
from bpforecast.nn.solvers import TrainGDX
from bpforecast.nn.training import StopCriteria, train

xp = pytest.importorskip("array_api_strict")


def problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 3))
    Y = np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])
    arch = Architecture.build(3, (6, 4), 2, "tansig", "purelin", alpha=0.01)
    theta = rng.normal(scale=0.5, size=arch.n_params)
    return arch, theta, X, Y


def test_forward_and_gradient_match_numpy():
    arch, theta, X, Y = problem()
    ref = gradient(theta, arch, forward(theta, arch, X), Y)
    t, Xs, Ys = xp.asarray(theta), xp.asarray(X), xp.asarray(Y)
    got = gradient(t, arch, forward(t, arch, Xs), Ys)
    assert isinstance(got, type(t))
    np.testing.assert_allclose(np.asarray(got), ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("batch_size", [None, 16])
def test_training_run_matches_numpy(batch_size):
    arch, theta, X, Y = problem(1)
    blocks = {"training": (X[:40], Y[:40]), "validation": (X[40:50], Y[40:50])}
    blocks["test"] = (X[50:], Y[50:])
    criteria = StopCriteria(epochs=150, min_grad=0.0, max_fail=1000)

    def run(to_array):
        data = {k: (to_array(a), to_array(b)) for k, (a, b) in blocks.items()}
        rng = np.random.RandomState(0)
        return train(
            to_array(theta),
            arch,
            data["training"],
            TrainGDX(lr=0.05),
            criteria,
            validation=data["validation"],
            test=data["test"],
            batch_size=batch_size,
            random_state=rng,
        )

    ref = run(np.asarray)
    got = run(xp.asarray)
    for key in ("perf", "vperf", "tperf", "lr", "gradient"):
        np.testing.assert_allclose(got.history[key], ref.history[key], rtol=1e-10)
    assert got.best_epoch == ref.best_epoch
    np.testing.assert_allclose(np.asarray(got.theta), ref.theta, rtol=1e-10)


# ------------------------------------------------ the estimator, end to end
def _data(seed=0, n=120):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 3))
    Y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 2] ** 2])
    return X, Y


@pytest.fixture(params=["array_api_strict", "torch"])
def namespace(request):
    """array-api-strict always; torch CPU where installed (the torch extra)."""
    return pytest.importorskip(request.param)


@pytest.mark.parametrize("solver", ["traingdx", "trainlm"])
@pytest.mark.parametrize("multi", [False, True])
def test_regressor_fit_predict_report_in_other_namespaces(namespace, solver, multi):
    from bpforecast import BPRegressor

    xp = namespace
    X, Y = _data()
    y = Y if multi else Y[:, 0]
    kw = dict(hidden_layer_sizes=(6, 4), solver=solver, epochs=60, random_state=0)
    ref = BPRegressor(**kw).fit(X, y)
    model = BPRegressor(**kw).fit(xp.asarray(X), xp.asarray(y))
    pred = model.predict(xp.asarray(X))
    assert isinstance(pred, type(xp.asarray(X)))  # results stay in the namespace
    assert isinstance(model.coefs_[0], type(pred))
    np.testing.assert_allclose(np.asarray(pred), ref.predict(X), rtol=1e-10, atol=1e-12)
    for column in ("perf", "vperf", "tperf", "lr", "gradient"):
        np.testing.assert_allclose(
            model.history_[column], ref.history_[column], rtol=1e-10
        )
    assert model.stop_reason_ == ref.stop_reason_
    rep = model.report(xp.asarray(X), xp.asarray(y))
    np.testing.assert_allclose(
        rep.to_frame()["computed"], ref.report(X, y).to_frame()["computed"], rtol=1e-10
    )


def test_regressor_refuses_bad_arrays_of_other_namespaces():
    from bpforecast import BPRegressor

    X, Y = _data()
    bad = np.array(X)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        BPRegressor().fit(xp.asarray(bad), xp.asarray(Y[:, 0]))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        BPRegressor().fit(xp.asarray(X), xp.asarray(Y[:-1, 0]))
    model = BPRegressor(epochs=2, random_state=0).fit(xp.asarray(X), xp.asarray(Y))
    with pytest.raises(ValueError, match="X has 2 features"):
        model.predict(xp.asarray(X[:, :2]))


def test_float32_trains_and_predicts_in_float32():
    from bpforecast import BPRegressor

    X, Y = _data()
    model = BPRegressor(dtype="float32", epochs=50, random_state=0).fit(X, Y[:, 0])
    assert model.coefs_[0].dtype == np.float32
    pred = model.predict(X)
    assert pred.dtype == np.float32
    ref = BPRegressor(epochs=50, random_state=0).fit(X, Y[:, 0]).predict(X)
    np.testing.assert_allclose(pred, ref, rtol=1e-3, atol=1e-3)
    strict = BPRegressor(dtype="float32", epochs=50, random_state=0)
    strict.fit(xp.asarray(X), xp.asarray(Y[:, 0]))
    assert strict.predict(xp.asarray(X)).dtype == xp.float32


def test_device_cuda_without_cupy_is_a_clear_error():
    from bpforecast import BPRegressor

    try:
        import cupy  # noqa: F401
    except ImportError:
        X, Y = _data()
        with pytest.raises(ImportError, match=r"bpforecast\[gpu\]"):
            BPRegressor(device="cuda").fit(X, Y[:, 0])
    else:  # pragma: no cover - only on machines with CuPy
        pytest.skip(
            "CuPy is installed here, so there is no missing-CuPy error to check"
        )


def test_full_batch_gradient_descent_syncs_the_host_once_per_epoch(monkeypatch):
    """One transfer per epoch: the stopping tests' values travel together."""
    import bpforecast.nn.loop as loop
    import bpforecast.nn.passes as passes

    calls = {"to_host": 0}
    real_to_host = loop._to_host

    def counting_to_host(values, on_host=False):
        calls["to_host"] += 1
        return real_to_host(values, on_host)

    def forbidden(*args, **kwargs):
        raise AssertionError("a per-value host sync inside the epoch loop")

    monkeypatch.setattr(loop, "_to_host", counting_to_host)
    monkeypatch.setattr(passes.Holdout, "perfs", forbidden)
    arch, theta, X, Y = problem(2)
    t, Xs, Ys = (xp.asarray(a) for a in (theta, X, Y))
    result = train(
        t,
        arch,
        (Xs[:40, ...], Ys[:40, ...]),
        TrainGDX(lr=0.05),
        StopCriteria(epochs=30, min_grad=0.0, max_fail=1000),
        validation=(Xs[40:50, ...], Ys[40:50, ...]),
        test=(Xs[50:, ...], Ys[50:, ...]),
    )
    assert result.n_epochs == 30
    assert calls["to_host"] == result.n_epochs + 1  # epochs 0..30


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_warm_start_continues_in_the_data_namespace_and_dtype(namespace, dtype):
    """The warm-start weights move to the data's namespace and dtype, like new
    ones: the second fit continues exactly where numpy's does."""
    from bpforecast import BPRegressor

    X, Y = _data()
    kw = dict(hidden_layer_sizes=(5,), epochs=20, dtype=dtype, random_state=0)
    ref = BPRegressor(**kw).fit(X, Y[:, 0])
    model = BPRegressor(**kw).fit(namespace.asarray(X), namespace.asarray(Y[:, 0]))
    ref.set_params(warm_start=True)
    model.set_params(warm_start=True)
    ref.fit(X, Y[:, 0])
    model.fit(namespace.asarray(X), namespace.asarray(Y[:, 0]))
    assert str(model.coefs_[0].dtype).endswith(dtype)
    assert ref.coefs_[0].dtype == np.dtype(dtype)
    tol = 1e-10 if dtype == "float64" else 1e-4
    np.testing.assert_allclose(model.history_["perf"], ref.history_["perf"], rtol=tol)
    np.testing.assert_allclose(
        np.asarray(model.predict(namespace.asarray(X))),
        ref.predict(X),
        rtol=tol,
        atol=tol,
    )
