"""trainrp against the independent reference ``tests/references/trainrp.py``.

Epoch by epoch over 1000 epochs: perf, the gradient norm and the mean step
size (the history's ``lr`` column), on the three passes, several seeds and
network shapes. Rprop's decisions depend only on gradient signs, so the
rounding floor stays at ~2e-15 (the reference's docstring) and the
implementation is held to 1e-10.
"""

import math

import numpy as np
import pytest
from references import order_floor, relative_difference
from references.trainrp import train_trainrp
from test_trainer_references import random_net, sin_problem, start_weights

from bpforecast import BPRegressor
from bpforecast.nn.feature_major import FeatureMajorLoopPasses
from bpforecast.nn.loop import StopCriteria, run
from bpforecast.nn.network import Architecture
from bpforecast.nn.passes import ArrayAPIPasses
from bpforecast.nn.rules import ResilientBackprop
from bpforecast.nn.stacked import StackedPasses

PASSES = [ArrayAPIPasses, FeatureMajorLoopPasses, StackedPasses]


def ours(passes_type, theta, X, Y, hidden, epochs, validation=None, **kw):
    arch = Architecture.build(X.shape[1], hidden, Y.shape[1], "tansig", "purelin")
    passes = passes_type(arch, (X, Y), validation)
    criteria = StopCriteria(epochs=epochs, min_grad=kw.pop("min_grad", 0.0), **kw)
    (result,) = run(theta[None], passes, ResilientBackprop(), criteria)
    return result


CASES = {
    "sin-1-5-1-seed0": ("sin", (1, 5, 1), 0),
    "sin-1-20-1-seed1": ("sin", (1, 20, 1), 1),
    "sin-1-20-1-seed2": ("sin", (1, 20, 1), 2),
    "random-2-4-3-2-seed0": ("random", (2, 4, 3, 2), 0),
    "random-2-6-3-seed3": ("random", (2, 6, 3), 3),
}


def make(case):
    kind, sizes, seed = CASES[case]
    if kind == "sin":
        x, y = sin_problem()
        return start_weights(sizes, seed), x, y, sizes
    theta, X, Y = random_net(sizes, seed)
    return theta, X, Y, sizes


@pytest.mark.parametrize("passes_type", PASSES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_epoch_by_epoch_1000_epochs(passes_type, case):
    theta, X, Y, sizes = make(case)
    ref = train_trainrp(theta, X, Y, sizes, epochs=1000, min_grad=0.0)
    res = ours(passes_type, theta, X, Y, sizes[1:-1], 1000)
    assert (res.stop_reason, res.n_epochs) == (ref["stop_reason"], ref["n_epochs"])
    for ours_key, ref_key in (("perf", "perf"), ("lr", "delta_mean")):
        d = relative_difference(res.history[ours_key], ref[ref_key])
        assert d.max() <= 1e-10, (ours_key, d.max())
    np.testing.assert_allclose(res.history["gradient"], ref["gradient"],
                               rtol=1e-8, atol=1e-13)  # fmt: skip
    np.testing.assert_allclose(res.theta, ref["theta"], rtol=1e-10, atol=1e-12)


def test_every_branch_is_exercised_and_floor():
    """Sign changes, same signs and zero products all occur; the floor is
    rounding (the reference's order_floor)."""
    changes = 0
    theta, X, Y, sizes = make("sin-1-20-1-seed1")
    ref = train_trainrp(theta, X, Y, sizes, epochs=300, min_grad=0.0)
    changes = ref["n_sign_changes"][:-1]
    assert changes.max() > 0 and changes.min() == 0
    # A weight whose derivative is exactly zero keeps its step (gg == 0):
    # the first epoch of a network with a dead output weight.
    arch = Architecture.build(1, (2,), 1, "tansig", "purelin")
    x = np.linspace(-1, 1, 9)[:, None]
    th = np.array([1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.3])  # hidden weights dead
    res = ours(ArrayAPIPasses, th, x, x**2, (2,), 3)
    r = train_trainrp(th, x, x**2, (1, 2, 1), epochs=3, min_grad=0.0)
    np.testing.assert_allclose(res.history["lr"], r["delta_mean"], rtol=1e-12)
    np.testing.assert_allclose(res.history["perf"], r["perf"], rtol=1e-12)
    assert arch.n_params == 7
    floor = order_floor(train_trainrp, theta, X, Y, sizes, epochs=300, min_grad=0.0)
    assert floor["perf"] < 1e-13


def test_validation_stop_and_min_grad_default():
    theta, x, y, sizes = make("sin-1-5-1-seed0")
    xv, yv = x[::3] + 0.01, y[::3]
    ref = train_trainrp(theta, x, y, sizes, validation=(xv, yv), max_fail=4)
    res = ours(StackedPasses, theta, x, y, (5,), 1000, (xv, yv), max_fail=4,
               min_grad=1e-5)  # fmt: skip
    assert (res.stop_reason, res.n_epochs) == (ref["stop_reason"], ref["n_epochs"])
    np.testing.assert_allclose(res.history["vperf"], ref["vperf"], rtol=1e-10)
    np.testing.assert_allclose(res.theta, ref["best_theta"], rtol=1e-10)


def test_nonfinite_trial_is_rejected_and_steps_halve():
    rule = ResilientBackprop()
    g = np.array([[1.0, -1.0]])
    trial, state = rule.propose(rule.init(1), np.zeros((1, 2)), g)
    accept, _, state = rule.respond(state, [1.0], [math.nan])
    assert accept == [False]
    np.testing.assert_allclose(state.delta, 0.5 * 0.084)
    trial2, state = rule.propose(state, np.zeros((1, 2)), g)  # gg == 0: kept
    np.testing.assert_allclose(trial2, 0.5 * trial)


def test_regressor_stacked_restarts_equal_separate_fits():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    kw = dict(hidden_layer_sizes=(4,), solver="trainrp", n_init=3, random_state=0)
    a = BPRegressor(restart_mode="batched", **kw).fit(X, y)
    b = BPRegressor(restart_mode="sequential", **kw).fit(X, y)
    for ma, mb in zip(a.estimators_, b.estimators_, strict=True):
        assert ma.n_epochs_ == mb.n_epochs_ and ma.stop_reason_ == mb.stop_reason_
        np.testing.assert_allclose(ma.history_["perf"], mb.history_["perf"],
                                   rtol=1e-10)  # fmt: skip
        for wa, wb in zip(ma.coefs_, mb.coefs_, strict=True):
            np.testing.assert_allclose(wa, wb, rtol=1e-10, atol=1e-12)
