"""Tests of bpforecast.nn.batched.train_batched against separate train() runs.

Measured drift (numpy 2.4, OpenBLAS, this test's data): every history column
and the returned weights of every network agreed with a separate
:func:`bpforecast.nn.training.train` run to about 1e-15 relative over 200
epochs, for traingd and traingdx, with and without the shared first-layer
product; the accept/reject decisions, stop reasons and epochs are identical.
On numpy, train() now runs the feature-major fast path, whose products sum in
another order, so the agreement is up to rounding; the tests assert 1e-10.
"""

from __future__ import annotations

import numpy as np
import pytest

from bpforecast.nn.batched import train_batched
from bpforecast.nn.network import Architecture
from bpforecast.nn.solvers import TrainGD, TrainGDA, TrainGDX
from bpforecast.nn.training import HISTORY_COLUMNS, StopCriteria, train

RTOL = 1e-10
K = 4
SOLVERS = {
    "traingdx": (TrainGDX, {"lr": 0.05, "mc": 0.9}),
    "traingd": (TrainGD, {"lr": 0.05}),
}


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(1)

    def block(n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
        X = rng.normal(size=(n, 3))
        Y = np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]
        return X, Y + noise * rng.normal(size=(n, 1))

    arch = Architecture.build(3, (6, 4), 1, "tanh", "purelin")
    thetas = rng.normal(size=(K, arch.n_params)) * 0.5
    return arch, thetas, block(80, 0.1), block(30, 0.0), block(20, 0.0)


def _relative(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(b), 1e-300)
    return float(np.nanmax(np.abs(a - b) / scale))


def _compare(results, problem, name, criteria, share=True):
    arch, thetas, training, validation, test = problem
    worst = 0.0
    for k, result in enumerate(results):
        cls, params = SOLVERS[name]
        ref = train(
            thetas[k].copy(), arch, training, cls(**params), criteria, validation, test
        )
        assert result.stop_reason == ref.stop_reason
        assert result.n_epochs == ref.n_epochs
        assert result.best_epoch == ref.best_epoch
        assert result.rejected_nonfinite == ref.rejected_nonfinite
        assert result.history["val_fail"] == ref.history["val_fail"]
        for key in HISTORY_COLUMNS:
            assert len(result.history[key]) == ref.n_epochs + 1
            worst = max(worst, _relative(result.history[key], ref.history[key]))
        worst = max(worst, _relative(result.theta, ref.theta))
    assert worst <= RTOL
    print(f"{name}: worst relative difference {worst:.2e}")
    return worst


@pytest.mark.parametrize("share", [True, False])
@pytest.mark.parametrize("name", ["traingdx", "traingd"])
def test_matches_separate_runs_200_epochs(problem, name, share):
    arch, thetas, training, validation, test = problem
    criteria = StopCriteria(epochs=200, min_grad=0.0, max_fail=10**6)
    results = train_batched(
        thetas,
        arch,
        training,
        name,
        SOLVERS[name][1],
        criteria,
        validation,
        test,
        share_first_layer=share,
    )
    assert [r.stop_reason for r in results] == ["epochs"] * K
    _compare(results, problem, name, criteria)


@pytest.mark.parametrize("name", ["traingdx", "traingd"])
def test_networks_stop_at_different_epochs(problem, name):
    arch, thetas, training, validation, test = problem
    criteria = StopCriteria(epochs=200, min_grad=1e-10, max_fail=6)
    results = train_batched(
        thetas, arch, training, name, SOLVERS[name][1], criteria, validation, test
    )
    _compare(results, problem, name, criteria)
    assert "max_fail" in {r.stop_reason for r in results}
    assert len({r.n_epochs for r in results}) > 1


def test_without_validation_returns_final_weights(problem):
    arch, thetas, training, _, _ = problem
    criteria = StopCriteria(epochs=50)
    results = train_batched(thetas, arch, training, "traingdx", {"lr": 0.05}, criteria)
    for k, result in enumerate(results):
        ref = train(thetas[k].copy(), arch, training, TrainGDX(lr=0.05), criteria)
        assert result.best_epoch == ref.best_epoch == 50
        np.testing.assert_allclose(result.theta, ref.theta, rtol=RTOL)
        assert np.isnan(result.history["vperf"]).all()


def test_goal_and_alpha(problem):
    arch, thetas, training, validation, _ = problem
    arch = Architecture(arch.layer_sizes, arch.activations, alpha=0.01)
    criteria = StopCriteria(epochs=150, goal=0.3, min_grad=0.0, max_fail=10**6)
    results = train_batched(
        thetas, arch, training, "traingdx", {"lr": 0.05}, criteria, validation
    )
    for k, result in enumerate(results):
        ref = train(
            thetas[k].copy(), arch, training, TrainGDX(lr=0.05), criteria, validation
        )
        assert (result.stop_reason, result.n_epochs) == (ref.stop_reason, ref.n_epochs)
        np.testing.assert_allclose(result.history["perf"], ref.history["perf"], RTOL)
        np.testing.assert_allclose(result.theta, ref.theta, rtol=RTOL)


def test_nonfinite_trial_is_rejected():
    arch = Architecture.build(1, (2,), 1, "tanh", "purelin")
    X = np.linspace(-1.0, 1.0, 20)[:, None]
    Y = 1e150 * X
    thetas = np.stack([np.full(arch.n_params, 0.1), np.full(arch.n_params, -0.2)])
    criteria = StopCriteria(epochs=20)
    results = train_batched(thetas, arch, (X, Y), "traingda", {"lr": 1e200}, criteria)
    for k, result in enumerate(results):
        ref = train(thetas[k].copy(), arch, (X, Y), TrainGDA(lr=1e200), criteria)
        assert result.rejected_nonfinite == ref.rejected_nonfinite > 0
        np.testing.assert_allclose(result.history["lr"], ref.history["lr"], RTOL)


def test_rejects_other_solvers_and_bad_shapes(problem):
    arch, thetas, training, _, _ = problem
    criteria = StopCriteria(epochs=1)
    with pytest.raises(ValueError, match="supports"):
        train_batched(thetas, arch, training, "trainlm", {}, criteria)
    with pytest.raises(ValueError, match="columns"):
        train_batched(thetas[:, :-1], arch, training, "traingd", {}, criteria)
    with pytest.raises(ValueError, match="shape"):
        train_batched(thetas[0], arch, training, "traingd", {}, criteria)


@pytest.mark.parametrize("name", ["traingdx", "traingd"])
def test_array_api_strict(problem, name):
    xps = pytest.importorskip("array_api_strict")
    arch, thetas, training, validation, test = problem
    criteria = StopCriteria(epochs=200, min_grad=1e-10, max_fail=6)

    def to_xp(block):
        return tuple(xps.asarray(a) for a in block)

    results = train_batched(
        xps.asarray(thetas),
        arch,
        to_xp(training),
        name,
        SOLVERS[name][1],
        criteria,
        to_xp(validation),
        to_xp(test),
    )
    for result in results:
        assert type(result.theta).__module__.startswith("array_api_strict")
        result.theta = np.from_dlpack(result.theta)
    _compare(results, problem, name, criteria)
