"""trainscg against the independent reference ``tests/references/trainscg.py``.

Epoch by epoch: perf, the gradient norm and ``lambdak`` (the history's
``lr`` column), on the three passes (array API, feature-major, stacked),
several seeds and two network sizes. SCG amplifies rounding (the
finite difference of gradients loses ~4 digits and conjugate directions
carry errors forward), so perf is held to ``max(1e-10, floor)`` where the
floor is measured here, epoch by epoch, as the distance between two runs of
the reference that add in a different order (the samples reversed). The
accept/reject decisions (and so every ``lambdak``) must be the same.
"""

import math

import numpy as np
import pytest
from references import relative_difference
from references.trainscg import train_trainscg
from test_trainer_references import (
    linear_problem,
    random_net,
    sin_problem,
    start_weights,
)

from bpforecast import BPRegressor
from bpforecast.nn.feature_major import FeatureMajorLoopPasses
from bpforecast.nn.loop import StopCriteria, run
from bpforecast.nn.network import Architecture
from bpforecast.nn.passes import ArrayAPIPasses
from bpforecast.nn.rules import ScaledConjugateGradient
from bpforecast.nn.stacked import StackedPasses

PASSES = [ArrayAPIPasses, FeatureMajorLoopPasses, StackedPasses]


def ours(passes_type, theta, X, Y, hidden, epochs, **kw):
    arch = Architecture.build(X.shape[1], hidden, Y.shape[1], "tansig", "purelin")
    passes = passes_type(arch, (X, Y))
    criteria = StopCriteria(epochs=epochs, min_grad=kw.pop("min_grad", 0.0), **kw)
    (result,) = run(theta[None], passes, ScaledConjugateGradient(), criteria)
    return result


def floor_per_epoch(theta, X, Y, sizes, epochs):
    """The reference's record, and the running max over the epochs of the
    relative distance of perf and of lambdak between two summation orders."""
    a = train_trainscg(theta, X, Y, sizes, epochs=epochs, min_grad=0.0)
    b = train_trainscg(theta, X[::-1].copy(), Y[::-1].copy(), sizes,
                       epochs=epochs, min_grad=0.0)  # fmt: skip
    n = min(len(a["perf"]), len(b["perf"]))
    floors = [
        np.maximum.accumulate(relative_difference(a[key][:n], b[key][:n]))
        for key in ("perf", "lambdak")
    ]
    return a, floors


def sine_case(sizes, seed):
    x, y = sin_problem()
    return start_weights(sizes, seed), x, y, sizes


def random_case(sizes, seed):
    """Random targets and large weights: rejected steps and negative
    curvature (step 5's branch) within the first 60 epochs."""
    theta, X, Y = random_net(sizes, seed)
    return 3.0 * theta, X, Y, sizes


CASES = {
    **{f"sin-1-{h}-1-seed{s}": (sine_case, (1, h, 1), s)
       for h in (5, 20) for s in range(4)},
    **{f"random-2-4-3-2-seed{s}": (random_case, (2, 4, 3, 2), s) for s in range(4)},
    "random-1-5-1-seed1": (random_case, (1, 5, 1), 1),
}  # fmt: skip
EPOCHS = 60


def compare(passes_type, case):
    make, sizes, seed = CASES[case]
    theta, X, Y, sizes = make(sizes, seed)
    ref, (perf_floor, lam_floor) = floor_per_epoch(theta, X, Y, sizes, EPOCHS)
    res = ours(passes_type, theta, X, Y, sizes[1:-1], EPOCHS)
    return ref, perf_floor, lam_floor, res


@pytest.mark.parametrize("passes_type", PASSES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_epoch_by_epoch(passes_type, case):
    ref, perf_floor, lam_floor, res = compare(passes_type, case)
    assert res.n_epochs == ref["n_epochs"] and res.stop_reason == ref["stop_reason"]
    floor = np.maximum(perf_floor, lam_floor)
    bound = np.maximum(1e-10, 10 * floor)
    perf = relative_difference(res.history["perf"], ref["perf"])
    assert np.all(perf <= bound)
    # lambdak: the same accept/reject and indefinite decisions (a differing
    # one changes lambdak by a factor, not by rounding).
    lam = relative_difference(res.history["lr"], ref["lambdak"])
    assert np.all(lam <= bound)
    # The first epochs, before the finite differences amplify rounding.
    assert perf[:6].max() <= 1e-10


def test_every_branch_is_exercised():
    """Accepted and rejected steps, lambda raised and lowered, the
    indefinite-curvature branch and restarts, in the compared runs."""
    seen = {"accept": 0, "reject": 0, "indefinite": 0, "down": 0, "up": 0}
    for make, sizes, seed in CASES.values():
        theta, X, Y, sizes = make(sizes, seed)
        ref = train_trainscg(theta, X, Y, sizes, epochs=EPOCHS, min_grad=0.0)
        acc = ref["accepted"][:-1]
        seen["accept"] += int(acc.sum())
        seen["reject"] += int((~acc).sum())
        seen["indefinite"] += int(ref["indefinite"].sum())
        lam = ref["lambdak"]
        seen["down"] += int((lam[1:] < lam[:-1]).sum())
        seen["up"] += int((lam[1:] > lam[:-1]).sum())
    assert all(v > 0 for v in seen.values()), seen


def test_restart_every_P_epochs_on_a_linear_problem():
    """A linear network (P = 4) reaches least squares in P + 1 epochs."""
    X, Y = linear_problem()
    theta = np.zeros(4)
    ref = train_trainscg(theta, X, Y, (3, 1), epochs=5, min_grad=0.0)
    sol = np.linalg.lstsq(np.hstack([X, np.ones((30, 1))]), Y[:, 0], rcond=None)[0]
    for passes_type in PASSES:
        res = ours(passes_type, theta, X, Y, (), 5)
        np.testing.assert_allclose(res.history["perf"], ref["perf"], rtol=1e-10)
        np.testing.assert_allclose(res.history["lr"], ref["lambdak"], rtol=1e-10)
        theta_out = res.theta
        np.testing.assert_allclose(theta_out, sol, rtol=1e-8)


def test_longer_run_stays_within_the_measured_floor():
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta = start_weights(sizes, 0)
    ref, (floor, _) = floor_per_epoch(theta, x, y, sizes, 300)
    res = ours(FeatureMajorLoopPasses, theta, x, y, (5,), 300)
    d = relative_difference(res.history["perf"], ref["perf"])
    assert np.all(d <= np.maximum(1e-10, 10 * floor) + 1e-3)


def test_stop_reasons_and_validation():
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta = start_weights(sizes, 1)
    ref = train_trainscg(theta, x, y, sizes, goal=0.02)
    res = ours(ArrayAPIPasses, theta, x, y, (5,), 1000, goal=0.02)
    assert (res.stop_reason, res.n_epochs) == ("goal", ref["n_epochs"])
    xv, yv = x[::3] + 0.01, y[::3]
    ref = train_trainscg(theta, x, y, sizes, validation=(xv, yv), max_fail=3)
    arch = Architecture.build(1, (5,), 1, "tansig", "purelin")
    (res,) = run(theta[None], ArrayAPIPasses(arch, (x, y), (xv, yv)),
                 ScaledConjugateGradient(),
                 StopCriteria(min_grad=1e-6, max_fail=3))  # fmt: skip
    assert res.stop_reason == ref["stop_reason"] == "max_fail"
    assert res.n_epochs == ref["n_epochs"]
    np.testing.assert_allclose(res.history["vperf"], ref["vperf"], rtol=1e-4)


def test_gradient_at_matches_finite_differences():
    """passes.gradient_at (new in the passes protocol) on all three passes."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(17, 2)), rng.normal(size=(17, 1))
    arch = Architecture.build(2, (3,), 1, "tansig", "purelin", 0.01)
    theta = rng.normal(size=arch.n_params)
    for passes_type in PASSES:
        passes = passes_type(arch, (X, Y))
        internal = passes.to_internal(theta[None])
        g = passes.to_external(passes.gradient_at(internal))[0]
        eps = 1e-6
        fd = np.empty_like(theta)
        for i in range(theta.size):
            e = np.zeros_like(theta)
            e[i] = eps
            hi = float(passes.perf(passes.to_internal((theta + e)[None]))[0])
            lo = float(passes.perf(passes.to_internal((theta - e)[None]))[0])
            fd[i] = (hi - lo) / (2 * eps)
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)


def test_nonfinite_trial_is_rejected_and_lambda_rises():
    rule = ScaledConjugateGradient()
    state = rule.init(1)._replace(
        deltak=[2.0], muk=[1.0], nrmsqr=[4.0], d=np.ones((1, 2))
    )
    _, state = rule.propose(state, np.zeros((1, 2)), np.zeros((1, 2)))
    accept, retry, new = rule.respond(state, [1.0], [math.inf])
    assert accept == [False] and retry == [False]
    assert new.lambdab == state.lambdak
    assert new.lambdak[0] == pytest.approx(state.lambdak[0] + state.deltak[0] / 4.0)


def test_regressor_stacked_restarts_equal_separate_fits():
    """Short runs (where SCG's rounding floor is below 1e-10)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (80, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    kw = dict(hidden_layer_sizes=(4,), solver="trainscg", epochs=6, n_init=3,
              random_state=0)  # fmt: skip
    a = BPRegressor(restart_mode="batched", **kw).fit(X, y)
    b = BPRegressor(restart_mode="sequential", **kw).fit(X, y)
    for ma, mb in zip(a.estimators_, b.estimators_, strict=True):
        assert ma.n_epochs_ == mb.n_epochs_
        np.testing.assert_allclose(ma.history_["perf"], mb.history_["perf"],
                                   rtol=1e-10)  # fmt: skip
        # The weights carry the finite difference's amplified rounding
        # (deltak loses ~4 digits): 1e-10 absolute on weights of order 1.
        for wa, wb in zip(ma.coefs_, mb.coefs_, strict=True):
            np.testing.assert_allclose(wa, wb, rtol=1e-10, atol=1e-10)
