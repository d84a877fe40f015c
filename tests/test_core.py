"""Tests of the one training core: rules over K networks, the loop, the passes.

Each rule is written once (bpforecast.nn.rules) and runs for one network
(K = 1) and for K stacked networks; these tests check that the stacked runs
equal separate ones, that the stopping function keeps MATLAB's order, and
that restarts and the forecaster's networks share their setup without
changing results.
"""

from __future__ import annotations

import numpy as np
import pytest

from bpforecast import BPForecaster, BPRegressor
from bpforecast.nn.levenberg_marquardt import TrainLM
from bpforecast.nn.loop import StopCriteria, stop_reason
from bpforecast.nn.network import Architecture, forward, gradient, perf
from bpforecast.nn.passes import ArrayAPIPasses
from bpforecast.nn.record import HISTORY_COLUMNS
from bpforecast.nn.rules import GradientDescent, LevenbergMarquardt
from bpforecast.nn.stacked import StackedPasses
from bpforecast.nn.training import train, train_stacked

RTOL = 1e-10


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(7)

    def block(n):
        X = rng.normal(size=(n, 2))
        return X, np.sin(X[:, :1]) * X[:, 1:] + 0.05 * rng.normal(size=(n, 1))

    arch = Architecture.build(2, (5,), 1, "tansig", "purelin", alpha=0.01)
    thetas = rng.normal(size=(3, arch.n_params)) * 0.5
    return arch, thetas, block(60), block(20), block(15)


def _relative(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_stacked_trainlm_equals_separate_trainlm_fits(problem):
    arch, thetas, training, validation, test = problem
    criteria = StopCriteria(epochs=25, min_grad=1e-9)
    results = train_stacked(
        thetas, arch, training, TrainLM(), criteria, validation, test
    )
    for k, result in enumerate(results):
        ref = train(thetas[k], arch, training, TrainLM(), criteria, validation, test)
        assert (result.stop_reason, result.n_epochs, result.best_epoch) == (
            ref.stop_reason,
            ref.n_epochs,
            ref.best_epoch,
        )
        for key in HISTORY_COLUMNS:
            assert _relative(result.history[key], ref.history[key]) <= 1e-10
        np.testing.assert_allclose(result.theta, ref.theta, rtol=1e-10, atol=1e-12)


def test_passes_implementations_agree(problem):
    arch, thetas, training, validation, test = problem
    X, Y = training
    stacked = StackedPasses(arch, training, validation, test)
    generic = ArrayAPIPasses(arch, training, validation, test)
    np.testing.assert_allclose(stacked.perf(thetas), generic.perf(thetas), rtol=1e-12)
    np.testing.assert_allclose(
        stacked.gradient(thetas), generic.gradient(thetas), rtol=1e-11, atol=1e-14
    )
    for a, b in zip(stacked.holdout(thetas), generic.holdout(thetas), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    J_s, e_s = stacked.jacobian(thetas)
    J_g, e_g = generic.jacobian(thetas)
    np.testing.assert_allclose(J_s, J_g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(e_s, e_g, rtol=1e-12, atol=1e-14)
    single = [gradient(t, arch, forward(t, arch, X), Y) for t in thetas]
    np.testing.assert_allclose(generic.gradient(thetas), single, rtol=1e-12)
    single_perf = [perf(t, arch, forward(t, arch, X)[-1], Y) for t in thetas]
    np.testing.assert_allclose(generic.perf(thetas), single_perf, rtol=1e-12)


def test_one_rule_object_for_one_network_and_for_many():
    rule = GradientDescent(lr=0.1, momentum=True, adaptive=True)
    g = np.array([[1.0, 2.0], [-1.0, 0.5]])
    thetas = np.zeros((2, 2))
    both, state = rule.propose(rule.init(2), thetas, g)
    for k in range(2):
        one, _ = rule.propose(rule.init(1), thetas[k : k + 1], g[k : k + 1])
        np.testing.assert_array_equal(one[0], both[k])
    accept, retry, state = rule.respond(state, [1.0, 1.0], [0.9, np.nan])
    assert accept == [True, False] and not any(retry)
    np.testing.assert_allclose(state.lr, [0.105, 0.07])
    assert state.memory == [True, False]


def test_levenberg_marquardt_retries_only_the_networks_that_failed():
    rule = LevenbergMarquardt(mu=1.0, mu_max=100.0)
    state = rule.init(3)
    accept, retry, state = rule.respond(state, [1.0, 1.0, 1.0], [0.5, 2.0, np.nan])
    assert accept == [True, False, False]
    assert retry == [False, True, True]
    np.testing.assert_allclose(state.mu, [0.1, 10.0, 10.0])
    _, retry, state = rule.respond(
        state, [1.0] * 3, [2.0] * 3, searching=[False, True, True]
    )
    _, retry, state = rule.respond(state, [1.0] * 3, [2.0] * 3, retry)
    assert not any(retry)  # mu passed mu_max
    np.testing.assert_allclose(state.mu, [0.1, 1000.0, 1000.0])
    assert rule.exhausted(state) == [False, True, True]


@pytest.mark.parametrize(
    ("perf", "grad", "val_fail", "exhausted", "epoch", "elapsed", "expected"),
    [
        (0.0, 0.0, 9, True, 10, 9.0, "goal"),
        (1.0, 0.0, 9, True, 10, 9.0, "epochs"),
        (1.0, 0.0, 9, True, 3, 9.0, "time"),
        (1.0, 0.0, 9, True, 3, 0.0, "min_grad"),
        (1.0, 1.0, 9, True, 3, 0.0, "mu_max"),
        (1.0, 1.0, 9, False, 3, 0.0, "max_fail"),
        (1.0, 1.0, 0, False, 3, 0.0, ""),
    ],
)
def test_stop_reason_follows_matlabs_order(
    perf, grad, val_fail, exhausted, epoch, elapsed, expected
):
    criteria = StopCriteria(epochs=10, goal=0.0, min_grad=1e-3, max_fail=6, max_time=1)
    reason = stop_reason(
        criteria, epoch, elapsed, perf, grad, val_fail, exhausted, True
    )
    assert reason == expected
    # Without a validation block max_fail never stops.
    assert stop_reason(criteria, 3, 0.0, 1.0, 1.0, 9, False, False) == ""


def _data(n=150):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3))
    return X, np.tanh(X[:, 0]) - 0.5 * X[:, 1] * X[:, 2]


@pytest.mark.parametrize("solver", ["traingdx", "trainlm"])
def test_shared_setup_members_equal_separate_fits(solver):
    X, y = _data()
    model = BPRegressor((4,), solver=solver, epochs=30, restart_mode="sequential")
    members = model._fit_members(X, y, [11, 12, 13])
    for seed, member in zip([11, 12, 13], members, strict=True):
        ref = BPRegressor((4,), solver=solver, epochs=30, random_state=seed).fit(X, y)
        assert member.random_state == seed
        np.testing.assert_array_equal(member.predict(X), ref.predict(X))
        assert member.history_.equals(ref.history_)


def test_stacked_members_equal_separate_fits():
    X, y = _data()
    model = BPRegressor((4,), epochs=40, restart_mode="batched")
    members = model._fit_members(X, y, [1, 2])
    for seed, member in zip([1, 2], members, strict=True):
        ref = BPRegressor((4,), epochs=40, random_state=seed).fit(X, y)
        np.testing.assert_allclose(member.predict(X), ref.predict(X), rtol=RTOL)
        assert member.n_epochs_ == ref.n_epochs_


def test_architecture_is_a_public_fitted_attribute():
    X, y = _data()
    model = BPRegressor((4, 2), epochs=2, random_state=0)
    assert not hasattr(model, "architecture_")
    model.fit(X, y)
    assert model.architecture_.layer_sizes == (3, 4, 2, 1)
    assert "architecture_" not in vars(model)  # derived: saved models keep loading


def _separate_forecaster_models(forecaster, y):
    """The networks a forecaster trained before restarts shared their work."""
    from sklearn.base import clone

    from bpforecast.forecasting.forecaster import default_regressor

    f = clone(forecaster).fit(y)
    X, Y = f.X_train_.to_numpy(), f.y_train_.iloc[:, 0].to_numpy()
    return f, [
        clone(default_regressor()).set_params(random_state=s).fit(X, Y)
        for s in f._seeds()
    ]


@pytest.mark.parametrize("n_models", [3, 9])
def test_forecaster_networks_equal_separate_fits(n_models):
    from bpforecast.datasets import load_nile

    y = load_nile()
    f, refs = _separate_forecaster_models(
        BPForecaster(n_models=n_models, random_state=4, transform="auto"), y
    )
    assert [m.random_state for m in f.models_] == [4 + k for k in range(n_models)]
    X = f.X_train_.to_numpy()
    # 3 networks train one after another (equal bit for bit); 9 are stacked
    # (equal to rounding).
    rtol = 0.0 if n_models == 3 else RTOL
    for member, ref in zip(f.models_, refs, strict=True):
        np.testing.assert_allclose(member.predict(X), ref.predict(X), rtol=rtol)
    again = BPForecaster(n_models=n_models, random_state=4, transform="auto")
    again = again.fit(y).predict(5)
    np.testing.assert_array_equal(again.to_numpy(), f.predict(5).to_numpy())
