"""Checks of the independent trainbr / trainscg / trainrp references.

The references (``tests/references``) follow MATLAB's toolbox code step by
step and share no code with bpforecast; they are what the future
implementation of issue 12 is compared with, epoch by epoch, to
``max(1e-10, floor)`` relative.  This module checks the references
themselves: the network's gradient and Jacobian against finite differences,
MATLAB's particular steps worked out by hand, the expected behaviour on the
classic problems (noisy sin(2 pi x), a linear least-squares fit), the stop
reasons, and the rounding-noise floor (:func:`references.order_floor`).

Nothing from bpforecast is imported.
"""

import math

import numpy as np
import pytest
from references import mlp, order_floor, relative_difference
from references.trainbr import train_trainbr
from references.trainrp import train_trainrp
from references.trainscg import train_trainscg

TRAINERS = {
    "trainbr": train_trainbr,
    "trainscg": train_trainscg,
    "trainrp": train_trainrp,
}

# ---------------------------------------------------------------------------
# Problems and starting weights
# ---------------------------------------------------------------------------


def sin_problem(seed=0, n=41, noise=0.1):
    """MATLAB's trainbr example: 41 noisy samples of sin(2 pi x) on [-1, 1]."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 1.0, n)[:, None]
    y = np.sin(2.0 * np.pi * x) + noise * rng.standard_normal(x.shape)
    return x, y


def start_weights(layer_sizes, seed):
    """Nguyen-Widrow-like start for a 1-input, one-hidden-layer network.

    Hidden weights of magnitude 0.7 * S, biases spread over [-0.7 S, 0.7 S]
    (MATLAB's initnw for inputs in [-1, 1]); output layer uniform [-1, 1].
    Written here, not taken from bpforecast.
    """
    n_in, s, n_out = layer_sizes
    rng = np.random.default_rng(seed)
    beta = 0.7 * s ** (1.0 / n_in)
    w = rng.uniform(-1.0, 1.0, (s, n_in))
    w = beta * w / np.linalg.norm(w, axis=1, keepdims=True)
    b = beta * np.linspace(-1.0, 1.0, s) * np.sign(w[:, 0])
    w2 = rng.uniform(-1.0, 1.0, (s, n_out))
    b2 = rng.uniform(-1.0, 1.0, n_out)
    return np.concatenate([w.T.ravel(), b, w2.ravel(), b2])


def random_net(layer_sizes, seed, n=23):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, layer_sizes[0]))
    Y = rng.normal(size=(n, layer_sizes[-1]))
    theta = rng.normal(scale=0.6, size=mlp.n_params(layer_sizes))
    return theta, X, Y


NET_SHAPES = [(1, 5, 1), (2, 4, 3, 2), (3, 1), (2, 6, 3)]

# ---------------------------------------------------------------------------
# The reference network
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layer_sizes", NET_SHAPES)
def test_gradient_matches_central_differences(layer_sizes):
    theta, X, Y = random_net(layer_sizes, seed=1)
    value, g = mlp.mse_and_gradient(theta, X, Y, layer_sizes)
    assert value == pytest.approx(mlp.mse(theta, X, Y, layer_sizes), rel=1e-15)
    h = 1e-6
    g_fd = np.empty_like(theta)
    for k in range(theta.size):
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        g_fd[k] = (mlp.mse(tp, X, Y, layer_sizes) - mlp.mse(tm, X, Y, layer_sizes)) / (
            2 * h
        )
    np.testing.assert_allclose(g, g_fd, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("layer_sizes", NET_SHAPES)
def test_jacobian_matches_central_differences(layer_sizes):
    theta, X, Y = random_net(layer_sizes, seed=2)
    J, e = mlp.jacobian_and_errors(theta, X, Y, layer_sizes)
    n, m = Y.shape
    assert J.shape == (n * m, theta.size)
    np.testing.assert_array_equal(J, mlp.jacobian(theta, X, layer_sizes))
    np.testing.assert_allclose(e, (mlp.forward(theta, X, layer_sizes)[-1] - Y).ravel())
    h = 1e-6
    J_fd = np.empty_like(J)
    for k in range(theta.size):
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        out_p = mlp.forward(tp, X, layer_sizes)[-1].ravel()
        out_m = mlp.forward(tm, X, layer_sizes)[-1].ravel()
        J_fd[:, k] = (out_p - out_m) / (2 * h)
    np.testing.assert_allclose(J, J_fd, rtol=1e-6, atol=1e-9)
    # the mse gradient is 2 J'e / N
    _, g = mlp.mse_and_gradient(theta, X, Y, layer_sizes)
    np.testing.assert_allclose(g, 2.0 * (J.T @ e) / e.size, rtol=1e-12, atol=1e-15)


def test_layout_and_matlab_order():
    sizes = (2, 3, 1)
    theta = np.arange(mlp.n_params(sizes), dtype=float)
    (W1, b1), (W2, b2) = mlp.unpack(theta, sizes)
    np.testing.assert_array_equal(W1, [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(b1, [6, 7, 8])
    np.testing.assert_array_equal(W2, [[9], [10], [11]])
    np.testing.assert_array_equal(b2, [12])
    # MATLAB getwb: b1, IW (3x2, column-major = W1 row-major), b2, LW
    assert theta[mlp.matlab_order(sizes)].tolist() == [
        6,
        7,
        8,
        0,
        1,
        2,
        3,
        4,
        5,
        12,
        9,
        10,
        11,
    ]


# ---------------------------------------------------------------------------
# Every reference trains
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, layer_sizes",
    [
        ("trainscg", (1, 5, 1)),
        ("trainscg", (1, 20, 1)),
        ("trainrp", (1, 5, 1)),
        ("trainrp", (1, 20, 1)),
        # trainbr from these 1-5-1 starts shrinks to the near-constant network
        # (gamma -> 0) and stops at mu_max, as MATLAB's code does; the 1-20-1
        # network is MATLAB's own trainbr example.
        ("trainbr", (1, 20, 1)),
    ],
)
def test_reference_decreases_perf(name, layer_sizes):
    x, y = sin_problem()
    theta0 = start_weights(layer_sizes, seed=0)
    r = TRAINERS[name](theta0, x, y, layer_sizes, epochs=200, min_grad=0.0)
    perf = r["perf"]
    assert np.all(np.isfinite(perf))
    assert perf[-1] < 0.05 * perf[0]
    assert perf[-1] < 0.05  # the noiseless sine has mse 0.5
    n = r["n_epochs"]
    for key in ("perf", "gradient"):
        assert len(r[key]) == n + 1
    if name == "trainscg":
        # accepted steps never raise perf
        acc = r["accepted"][:-1]
        assert np.all(np.diff(perf)[acc] <= 0)
        assert np.all(np.diff(perf)[~acc] == 0)
    if name == "trainbr":
        # F never rises within an epoch's accepted step; perf (mse) may
        assert np.all(r["accepted"][:-1] | (np.diff(perf) == 0))


# ---------------------------------------------------------------------------
# trainbr
# ---------------------------------------------------------------------------


def test_trainbr_first_epoch_by_hand():
    """MATLAB's initial alpha/beta and the first step, worked out directly."""
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta0 = start_weights(sizes, seed=0)
    N, Nw = y.size, theta0.size
    J, e = mlp.jacobian_and_errors(theta0, x, y, sizes)
    mse0 = e @ e / N
    beta_m = (N - Nw) / (2 * mse0)  # > 0 here: 41 errors, 16 parameters
    ssX = theta0 @ theta0
    alpha = Nw / (2 * ssX)
    F0 = beta_m * mse0 + alpha * ssX
    mu = 0.005
    A = beta_m * (J.T @ J) / N + (mu + alpha) * np.eye(Nw)
    x1 = theta0 - np.linalg.solve(A, beta_m * (J.T @ e) / N + alpha * theta0)
    F1 = beta_m * mlp.mse(x1, x, y, sizes) + alpha * (x1 @ x1)
    assert F1 < F0  # accepted at the first mu tried
    J1, e1 = mlp.jacobian_and_errors(x1, x, y, sizes)
    mse1 = e1 @ e1 / N
    H = beta_m * (J1.T @ J1) / N + alpha * np.eye(Nw)
    gamk = Nw - alpha * np.trace(np.linalg.inv(H))
    alpha1 = gamk / (2 * (x1 @ x1))
    beta1 = (N - gamk) / (2 * mse1)

    r = train_trainbr(theta0, x, y, sizes, epochs=1)
    assert r["stop_reason"] == "epochs" and r["n_epochs"] == 1
    np.testing.assert_allclose(r["perf"], [mse0, mse1], rtol=1e-12)
    np.testing.assert_allclose(r["mu"], [0.005, 0.0005], rtol=1e-15)
    np.testing.assert_allclose(r["gamk"], [Nw, gamk], rtol=1e-12)
    np.testing.assert_allclose(r["alpha"], [alpha, alpha1], rtol=1e-12)
    np.testing.assert_allclose(r["beta_matlab"], [beta_m, beta1], rtol=1e-12)
    np.testing.assert_allclose(r["beta"], [beta_m / N, beta1 / N], rtol=1e-12)
    np.testing.assert_allclose(r["ssX"], [ssX, x1 @ x1], rtol=1e-12)
    np.testing.assert_allclose(r["sse"], [mse0 * N, mse1 * N], rtol=1e-12)
    np.testing.assert_allclose(r["F"][0], F0, rtol=1e-12)
    np.testing.assert_allclose(r["F"][1], beta1 * mse1 + alpha1 * (x1 @ x1), rtol=1e-12)
    # F = beta * E_D + alpha * E_W in the sum scale is the same number
    np.testing.assert_allclose(r["F"], r["beta"] * r["sse"] + r["alpha"] * r["ssX"])
    np.testing.assert_allclose(r["theta"], x1, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(
        r["gradient"][0], 2 * np.linalg.norm(J.T @ e) / N, rtol=1e-12
    )


def test_trainbr_initial_beta_guard():
    """With more parameters than errors (61 > 41) MATLAB starts with beta = 1."""
    x, y = sin_problem()
    r = train_trainbr(start_weights((1, 20, 1), 0), x, y, (1, 20, 1), epochs=0)
    assert r["beta_matlab"][0] == 1.0
    assert r["gamk"][0] == 61.0
    assert r["stop_reason"] == "epochs" and r["n_epochs"] == 0


def test_trainbr_gamma_on_the_sine_problem():
    """gamma in [0, 61] throughout, and well below 61 at the end; the run ends
    when mu passes mu_max (MATLAB's 'Maximum MU reached')."""
    x, y = sin_problem()
    sizes = (1, 20, 1)
    r = train_trainbr(start_weights(sizes, seed=0), x, y, sizes)
    gamk = r["gamk"]
    assert np.all((gamk >= 0) & (gamk <= 61))
    assert gamk[-1] < 20
    assert r["stop_reason"] == "mu_max"
    assert r["mu"][-1] > 1e10
    assert np.all(r["mu"][:-1] <= 1e10)
    # alpha = gamma / (2 ssX), beta = (N - gamma) / (2 sse) after every
    # successful epoch (epoch 0 holds MATLAB's initial guard values)
    ok = r["accepted"][:-1]
    k = np.nonzero(ok)[0] + 1
    np.testing.assert_allclose(r["alpha"][k], gamk[k] / (2 * r["ssX"][k]), rtol=1e-12)
    np.testing.assert_allclose(
        r["beta"][k], (41 - gamk[k]) / (2 * r["sse"][k]), rtol=1e-12
    )


def test_trainbr_mu_stays_in_range():
    x, y = sin_problem()
    r = train_trainbr(start_weights((1, 5, 1), 0), x, y, (1, 5, 1), epochs=300)
    assert np.all(r["mu"] >= 1e-20)
    assert np.all(r["n_trials"][:-1] >= 1)


def test_trainbr_validation_only_with_max_fail():
    x, y = sin_problem()
    xv, yv = x[::2] + 0.01, -y[::2]  # a validation set the fit makes worse
    sizes = (1, 5, 1)
    theta0 = start_weights(sizes, 0)
    off = train_trainbr(theta0, x, y, sizes, epochs=30, validation=(xv, yv))
    assert off["stop_reason"] == "epochs"
    assert np.all(np.isnan(off["vperf"]))
    on = train_trainbr(theta0, x, y, sizes, epochs=30, max_fail=2, validation=(xv, yv))
    assert on["stop_reason"] == "max_fail"
    assert on["val_fail"][-1] == 2
    n = on["n_epochs"]
    np.testing.assert_array_equal(on["perf"], off["perf"][: n + 1])


# ---------------------------------------------------------------------------
# trainscg
# ---------------------------------------------------------------------------


def linear_problem():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 3))
    Y = X @ np.array([[1.5], [-2.0], [0.5]]) + 0.3 + 0.1 * rng.normal(size=(30, 1))
    return X, Y


def test_trainscg_solves_linear_least_squares():
    """A purelin network is a convex quadratic: SCG reaches the least-squares
    solution in P + 1 epochs (P = 4; the restart at epoch 0 costs one)."""
    X, Y = linear_problem()
    A = np.hstack([X, np.ones((30, 1))])
    sol = np.linalg.lstsq(A, Y[:, 0], rcond=None)[0]
    r = train_trainscg(np.zeros(4), X, Y, (3, 1), epochs=5, min_grad=0.0)
    np.testing.assert_allclose(r["theta"], sol, rtol=0, atol=1e-7)
    assert r["perf"][-1] == pytest.approx(mlp.mse(sol, X, Y, (3, 1)), rel=1e-12)
    assert np.all(r["accepted"][:-1])
    # continued, it stops on the gradient test
    r = train_trainscg(np.zeros(4), X, Y, (3, 1), min_grad=1e-6)
    assert r["stop_reason"] == "min_grad" and r["n_epochs"] <= 6


def test_trainscg_first_epoch_by_hand():
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta0 = start_weights(sizes, 0)
    perf0, g0 = mlp.mse_and_gradient(theta0, x, y, sizes)
    d = -g0
    sigmak = 5e-5 / np.linalg.norm(d)
    _, gs = mlp.mse_and_gradient(theta0 + sigmak * d, x, y, sizes)
    deltak = d @ ((gs - g0) / sigmak) + 5e-7 * (d @ d)
    assert deltak > 0
    muk = -(d @ g0)
    x1 = theta0 + (muk / deltak) * d
    perf1, g1 = mlp.mse_and_gradient(x1, x, y, sizes)
    difk = 2 * deltak * (perf0 - perf1) / muk**2
    lam1 = 5e-7 * (0.25 if difk >= 0.75 else 1.0)
    if difk < 0.25:
        lam1 = lam1 + deltak * (1 - difk) / (g1 @ g1)

    r = train_trainscg(theta0, x, y, sizes, epochs=1)
    assert r["accepted"][0]
    np.testing.assert_allclose(r["perf"], [perf0, perf1], rtol=1e-12)
    np.testing.assert_allclose(r["deltak"][0], deltak, rtol=1e-9)
    np.testing.assert_allclose(r["difk"][0], difk, rtol=1e-9)
    np.testing.assert_allclose(r["lambdak"], [5e-7, lam1], rtol=1e-9)
    np.testing.assert_allclose(r["theta"], x1, rtol=1e-12)


def test_trainscg_lambda_positive_and_both_branches():
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta0 = np.random.default_rng(2).standard_normal(16)  # a rougher start
    r = train_trainscg(theta0, x, y, sizes, epochs=300, min_grad=0)
    assert np.all(r["lambdak"] > 0)
    assert np.all(r["deltak"][:-1] > 0)
    acc = r["accepted"][:-1]
    assert acc.any() and (~acc).any()  # both branches of the difk test
    assert r["indefinite"].any()  # and of the deltak <= 0 test
    # after a rejected step the second-order information is not recomputed
    assert np.all(r["success"][1:][~acc] == 0)


# ---------------------------------------------------------------------------
# trainrp
# ---------------------------------------------------------------------------


def test_trainrp_step_sizes_within_bounds():
    x, y = sin_problem()
    sizes = (1, 20, 1)
    for deltamax in (50.0, 0.1):
        r = train_trainrp(
            start_weights(sizes, 0), x, y, sizes, epochs=500, deltamax=deltamax
        )
        for key in ("delta_min", "step_min"):
            assert np.all(r[key][np.isfinite(r[key])] > 0)
        for key in ("delta_max", "step_max"):
            assert np.all(r[key][np.isfinite(r[key])] <= deltamax)
        assert np.all((r["delta"] > 0) & (r["delta"] <= deltamax))
    assert r["step_max"][:-1].max() == 0.1  # the cap was reached


def test_trainrp_first_two_steps_by_hand():
    """MATLAB's gX_old = gX at epoch 0: the first step is delta0 * delt_inc."""
    x, y = sin_problem()
    sizes = (1, 5, 1)
    theta0 = start_weights(sizes, 0)
    _, g0 = mlp.mse_and_gradient(theta0, x, y, sizes)
    x1 = theta0 - 0.07 * 1.2 * np.sign(g0)
    _, g1 = mlp.mse_and_gradient(x1, x, y, sizes)
    gg = g0 * g1
    delta = np.where(gg > 0, 0.084 * 1.2, np.where(gg < 0, 0.084 * 0.5, 0.084))
    x2 = x1 - delta * np.sign(g1)
    r = train_trainrp(theta0, x, y, sizes, epochs=2)
    np.testing.assert_array_equal(r["theta"], x2)
    np.testing.assert_allclose(r["step_mean"][:2], [0.084, delta.mean()], rtol=1e-15)
    assert r["n_sign_changes"][1] == np.sum(gg < 0) > 0  # both branches
    np.testing.assert_array_equal(r["delta"], delta)


# ---------------------------------------------------------------------------
# Stop reasons
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TRAINERS))
def test_stop_reasons(name):
    train = TRAINERS[name]
    x, y = sin_problem()
    sizes = (1, 20, 1)
    theta0 = start_weights(sizes, 0)

    r = train(theta0, x, y, sizes, epochs=7, min_grad=0.0)
    assert (r["stop_reason"], r["n_epochs"], len(r["perf"])) == ("epochs", 7, 8)

    r = train(theta0, x, y, sizes, epochs=0)
    assert (r["stop_reason"], r["n_epochs"]) == ("epochs", 0)

    goal = 0.1
    r = train(theta0, x, y, sizes, goal=goal, min_grad=0.0)
    assert r["stop_reason"] == "goal"
    assert r["perf"][-1] <= goal < r["perf"][:-1].min()

    # min_grad is tested before max_fail (and after goal and epochs)
    g0 = r["gradient"][0]
    r = train(theta0, x, y, sizes, min_grad=g0)
    assert (r["stop_reason"], r["n_epochs"]) == ("min_grad", 0)
    r = train(theta0, x, y, sizes, min_grad=g0, epochs=0)
    assert r["stop_reason"] == "epochs"
    r = train(theta0, x, y, sizes, min_grad=g0, goal=1e9)
    assert r["stop_reason"] == "goal"


@pytest.mark.parametrize("name", ["trainscg", "trainrp"])
def test_validation_stop(name):
    x, y = sin_problem()
    xv, yv = x[::2] + 0.01, -y[::2]
    sizes = (1, 5, 1)
    r = TRAINERS[name](
        start_weights(sizes, 0), x, y, sizes, validation=(xv, yv), min_grad=0.0
    )
    assert r["stop_reason"] == "max_fail"
    assert r["val_fail"][-1] == 6
    assert np.all(np.diff(r["val_fail"]) <= 1)
    best = int(np.argmin(r["vperf"]))
    np.testing.assert_allclose(
        mlp.mse(r["best_theta"], xv, yv, sizes), r["vperf"][best], rtol=1e-12
    )


def test_trainbr_mu_max_stop_at_start():
    x, y = sin_problem()
    r = train_trainbr(start_weights((1, 5, 1), 0), x, y, (1, 5, 1), mu=1.0, mu_max=1.0)
    assert (r["stop_reason"], r["n_epochs"]) == ("mu_max", 0)


# ---------------------------------------------------------------------------
# Rounding-noise floor
# ---------------------------------------------------------------------------
#
# The floor is the distance between two correct runs that add in a different
# order (the samples reversed).  Measured over 1000 epochs (min_grad = 0,
# the sine problem, Nguyen-Widrow-like starts, seeds 0-4, 1-5-1 and 1-20-1);
# the module docstrings of the references give the numbers.  Here a shorter
# run re-checks the order of magnitude.

FLOOR_CASES = {
    # name: (keys, epochs, bound on the max relative perf difference)
    "trainrp": (("perf", "delta_mean"), 300, 1e-13),
    "trainbr": (("perf", "gamk", "alpha", "beta", "ssX"), 300, 1e-9),
    "trainscg": (("perf", "lambdak"), 60, 1e-4),
}


@pytest.mark.parametrize("name", sorted(FLOOR_CASES))
def test_rounding_floor(name):
    keys, epochs, bound = FLOOR_CASES[name]
    x, y = sin_problem()
    sizes = (1, 20, 1)
    floor = order_floor(
        TRAINERS[name], start_weights(sizes, 0), x, y, sizes, keys=keys,
        epochs=epochs, min_grad=0.0,
    )  # fmt: skip
    assert floor["perf"] < bound
    assert floor["same_stop"]


def test_relative_difference():
    a = np.array([1.0, 0.0, np.nan, 2.0])
    b = np.array([1.0, 0.0, np.nan, 2.5])
    np.testing.assert_allclose(relative_difference(a, b), [0, 0, 0, 0.2])
    assert math.isclose(relative_difference(1.0, 1.0 + 2**-52), 2**-52 / (1 + 2**-52))
