"""The math runs unchanged on any array-API namespace (array-api-strict here).

CI has no GPU; array-api-strict refuses everything outside the standard, so a
training run that matches numpy under it is the CPU stand-in for CuPy.
"""

import numpy as np
import pytest

from bpforecast.network import Architecture, forward, gradient
from bpforecast.solvers import TrainGDX
from bpforecast.training import StopCriteria, train

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
