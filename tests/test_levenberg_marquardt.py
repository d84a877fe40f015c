"""Levenberg-Marquardt (MATLAB's trainlm): Jacobian, step and training loop.

The reference at the bottom is written from MATLAB's trainlm algorithm
(``docs/algorithms/levenberg-marquardt.md``) with plain numpy loops, a per-sample
Jacobian and none of bpforecast's network code:

    J, e at x;  while mu <= mu_max:
        dx = -(J'J + alpha*m*D + mu I) \\ (J'e + alpha*m*D x)
        if perf(x + dx) < perf(x):  x += dx; mu = max(mu * mu_dec, 1e-20); break
        mu *= mu_inc
"""

import math

import numpy as np
import pytest
from conftest import finite_difference_jacobian

from bpforecast.nn.initialization import initialize
from bpforecast.nn.levenberg_marquardt import (
    TrainLM,
    jacobian,
    perf_gradient,
    regularization_diagonal,
    weight_mask,
)
from bpforecast.nn.network import Architecture, forward, gradient, pack, perf, unpack
from bpforecast.nn.solvers import TrainGDX
from bpforecast.nn.training import HISTORY_COLUMNS, STOP_REASONS, StopCriteria, train


def random_problem(arch, n_samples=25, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, arch.layer_sizes[0]))
    Y = rng.normal(size=(n_samples, arch.layer_sizes[-1]))
    theta = rng.normal(scale=0.7, size=arch.n_params)
    return theta, X, Y


def errors(theta, arch, X, Y):
    out = forward(theta, arch, X)
    return out, np.reshape(out[-1] - Y, (-1,))


def sin_problem(seed, n=21, noise=0.01):
    """MathWorks' sine fit: a 1-5-1 tansig/purelin network, Nguyen-Widrow start."""
    arch = Architecture.build(1, (5,), 1, "tansig", "purelin")
    x = np.linspace(-1.0, 1.0, n)[:, None]
    rng = np.random.default_rng(seed)
    t = np.sin(2.0 * np.pi * x) + noise * rng.normal(size=x.shape)
    coefs, intercepts = initialize(arch, np.array([[-1.0, 1.0]]), "nguyen-widrow", seed)
    return arch, pack(coefs, intercepts), x, t


# ---------------------------------------------------------------------------
# Jacobian
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hidden", "n_in", "n_out", "activation", "output_activation"),
    [
        ((5,), 1, 1, "tansig", "purelin"),
        ((4,), 3, 1, "logsig", "purelin"),
        ((6, 4), 3, 2, "tansig", "purelin"),
        ((3, 1, 3), 2, 3, "tansig", "tansig"),
        ((5,), 2, 2, "logsig", "logsig"),
        ((5,), 2, 2, "relu", "purelin"),
        ((5,), 2, 1, "leaky_relu", "softplus"),
        ((4, 4), 2, 3, "elu", "purelin"),
        ((4,), 2, 2, "softplus", "tansig"),
        ((), 3, 2, "tansig", "logsig"),
    ],
)
def test_jacobian_matches_finite_differences(
    hidden, n_in, n_out, activation, output_activation
):
    arch = Architecture.build(n_in, hidden, n_out, activation, output_activation)
    theta, X, _ = random_problem(arch, n_samples=7, seed=len(hidden) + n_in)
    J = jacobian(theta, arch, forward(theta, arch, X))
    assert J.shape == (7 * n_out, arch.n_params)
    np.testing.assert_allclose(
        J,
        finite_difference_jacobian(lambda t: forward(t, arch, X)[-1], theta),
        rtol=1e-6,
        atol=1e-8,
    )


def test_jacobian_rows_are_sample_major():
    arch = Architecture.build(2, (3,), 2, "tansig", "purelin")
    theta, X, _ = random_problem(arch, n_samples=4)
    J = jacobian(theta, arch, forward(theta, arch, X))
    for i in range(4):
        single = jacobian(theta, arch, forward(theta, arch, X[i : i + 1]))
        np.testing.assert_allclose(J[2 * i : 2 * i + 2], single, rtol=1e-14)
    # Output j depends only on the j-th column of the last layer's weights.
    W2_cols = np.arange(arch.n_params - 2 - 6, arch.n_params - 2)
    assert np.all(J[0::2, W2_cols[1::2]] == 0)
    assert np.all(J[1::2, W2_cols[0::2]] == 0)


@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("n_out", [1, 3])
def test_jacobian_times_errors_is_the_perf_gradient(alpha, n_out):
    arch = Architecture.build(3, (6, 4), n_out, "tansig", "purelin", alpha=alpha)
    theta, X, Y = random_problem(arch, n_samples=30, seed=n_out)
    outputs, e = errors(theta, arch, X, Y)
    J = jacobian(theta, arch, outputs)
    reg = regularization_diagonal(arch, n_out, theta)
    assert (reg is None) == (alpha == 0)
    expected = gradient(theta, arch, outputs, Y)
    np.testing.assert_allclose(
        perf_gradient(J, e, theta, reg), expected, rtol=1e-12, atol=1e-15
    )
    # The same identity written out: J'e * 2/(n m) + penalty gradient.
    penalty = 2 * alpha / 30 * weight_mask(arch, theta) * theta
    np.testing.assert_allclose(
        J.T @ e * 2 / (30 * n_out) + penalty, expected, rtol=1e-12, atol=1e-15
    )


def test_weight_mask_selects_the_weights():
    arch = Architecture.build(2, (3,), 2, "tansig", "purelin")
    theta = np.arange(arch.n_params, dtype=float)
    masked = unpack(weight_mask(arch, theta) * theta, arch)
    for (W, b), (W0, _) in zip(masked, unpack(theta, arch), strict=True):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, 0)


# ---------------------------------------------------------------------------
# TrainLM's step and mu schedule
# ---------------------------------------------------------------------------


def test_defaults_are_matlab():
    s = TrainLM()
    assert (s.mu, s.mu_dec, s.mu_inc, s.mu_max) == (0.001, 0.1, 10.0, 1e10)


def test_step_raises_mu_until_a_trial_helps():
    calls = []

    def evaluate(x):
        calls.append(x)
        return 2.0 if len(calls) < 3 else 0.5  # the first two trials fail

    solver = TrainLM(mu=0.01)
    step = solver.step(np.eye(2), np.array([1.0, 1.0]), np.zeros(2), 1.0, evaluate)
    assert step.accepted and step.n_trials == 3 and step.perf == 0.5
    assert solver.mu == pytest.approx(0.01 * 10 * 10 * 0.1)
    # Each trial solves (I + mu I) dx = -e with the mu of that trial.
    for x, mu in zip(calls, [0.01, 0.1, 1.0], strict=True):
        np.testing.assert_allclose(x, -1.0 / (1.0 + mu))
    np.testing.assert_array_equal(step.theta, calls[-1])


def test_step_fails_past_mu_max_and_counts_nonfinite_trials():
    solver = TrainLM(mu=1.0, mu_max=1e3)
    theta = np.array([0.5])
    step = solver.step(np.eye(1), np.array([1.0]), theta, 1.0, lambda x: math.nan)
    assert not step.accepted
    assert step.n_trials == 4 and step.n_nonfinite == 4
    assert step.theta is theta and step.perf == 1.0
    assert solver.mu == 1e4


def test_mu_has_matlabs_floor():
    solver = TrainLM(mu=1e-20)
    solver.step(np.eye(1), np.array([1.0]), np.zeros(1), 1.0, lambda x: 0.0)
    assert solver.mu == 1e-20


def linear_problem(n_outputs=1, alpha=0.0, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3))
    Y = X @ rng.normal(size=(3, n_outputs)) + 0.3 * rng.normal(size=(40, n_outputs))
    arch = Architecture.build(3, (), n_outputs, "tansig", "purelin", alpha=alpha)
    return arch, X, Y


def least_squares_theta(X, Y, arch, alpha=0.0):
    """Closed form: min ||[X 1] w - y||^2/(n m) + alpha ||W||^2 / n, per output."""
    n, m = Y.shape
    A = np.column_stack([X, np.ones(n)])
    if alpha == 0:
        sol = np.linalg.lstsq(A, Y, rcond=None)[0]
    else:
        D = np.diag([1.0] * X.shape[1] + [0.0])
        sol = np.linalg.solve(A.T @ A + alpha * m * D, A.T @ Y)
    return pack([sol[:-1]], [sol[-1]])


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_linear_problem_reaches_least_squares(n_outputs):
    arch, X, Y = linear_problem(n_outputs)
    criteria = StopCriteria(epochs=20, goal=0.0, min_grad=1e-14)
    result = train(np.zeros(arch.n_params), arch, (X, Y), TrainLM(), criteria)
    assert result.n_epochs < 8
    np.testing.assert_allclose(
        result.theta, least_squares_theta(X, Y, arch), rtol=0, atol=1e-8
    )


def test_linear_problem_with_alpha_reaches_the_ridge_solution():
    arch, X, Y = linear_problem(2, alpha=2.0)
    criteria = StopCriteria(epochs=20, goal=0.0, min_grad=1e-14)
    result = train(np.zeros(arch.n_params), arch, (X, Y), TrainLM(), criteria)
    expected = least_squares_theta(X, Y, arch, alpha=2.0)
    np.testing.assert_allclose(result.theta, expected, rtol=0, atol=1e-8)
    assert np.linalg.norm(expected - least_squares_theta(X, Y, arch)) > 1e-3


def test_stops_on_mu_max_at_a_minimum():
    arch, X, Y = linear_problem()
    criteria = StopCriteria(epochs=500, goal=0.0, min_grad=0.0)
    solver = TrainLM(mu_max=1e4)
    result = train(np.zeros(arch.n_params), arch, (X, Y), solver, criteria)
    assert result.stop_reason == "mu_max" and "mu_max" in STOP_REASONS
    mu = result.history["lr"]
    assert mu[-1] > 1e4 and mu[-2] <= 1e4
    np.testing.assert_allclose(
        result.theta, least_squares_theta(X, Y, arch), rtol=0, atol=1e-8
    )
    # The failed epoch leaves the weights and perf unchanged.
    assert result.history["perf"][-1] == result.history["perf"][-2]


def test_initial_mu_at_mu_max_stops_at_once():
    arch, X, Y = linear_problem()
    result = train(
        np.zeros(arch.n_params),
        arch,
        (X, Y),
        TrainLM(mu=10.0, mu_max=10.0),
        StopCriteria(),
    )
    assert (result.stop_reason, result.n_epochs) == ("mu_max", 0)


def test_mu_falls_after_accepted_steps_and_rises_after_failures():
    arch, theta, X, Y = sin_problem(0, n=41, noise=0.1)
    criteria = StopCriteria(epochs=200, goal=0.0, min_grad=0.0)
    result = train(theta, arch, (X, Y), TrainLM(), criteria)
    perf_hist, mu = np.array(result.history["perf"]), np.array(result.history["lr"])
    assert mu[0] == 0.001
    log_ratio = np.round(np.log10(mu[1:] / mu[:-1]), 9)
    improved = perf_hist[1:] < perf_hist[:-1]
    # mu_{k+1} = mu_k * 10**failures * 0.1 after an accepted step ...
    assert np.all(log_ratio[improved] >= -1)
    assert np.all(log_ratio[improved] == np.round(log_ratio[improved]))
    assert np.any(log_ratio[improved] == -1) and np.any(log_ratio[improved] >= 0)
    # ... and it only rises without one (the epoch failed: mu went past mu_max).
    assert np.all(log_ratio[~improved] > 0)
    assert result.stop_reason in {"mu_max", "epochs"}


def test_batch_size_is_refused():
    arch, X, Y = linear_problem()
    with pytest.raises(ValueError, match="full batch"):
        train(np.zeros(4), arch, (X, Y), TrainLM(), StopCriteria(), batch_size=8)


def test_history_columns_are_the_same_as_traingdx():
    arch, theta, X, Y = sin_problem(1)
    lm = train(theta, arch, (X, Y), TrainLM(), StopCriteria(epochs=5))
    gdx = train(theta, arch, (X, Y), TrainGDX(), StopCriteria(epochs=5))
    assert tuple(lm.history) == tuple(gdx.history) == HISTORY_COLUMNS
    assert all(len(v) == lm.n_epochs + 1 for v in lm.history.values())


def test_nonfinite_trials_are_rejected():
    arch, X, Y = linear_problem()
    solver = TrainLM(mu=1e-3)
    theta = np.zeros(arch.n_params)
    seen = []

    def evaluate(t):
        seen.append(t)
        return math.inf if len(seen) == 1 else 0.0

    step = solver.step(*_linear_state(theta, arch, X, Y), 1.0, evaluate)
    assert step.accepted and step.n_nonfinite == 1 and step.n_trials == 2


def _linear_state(theta, arch, X, Y):
    outputs, e = errors(theta, arch, X, Y)
    return jacobian(theta, arch, outputs), e, theta


def test_early_stopping_returns_the_best_validation_weights():
    # 1-10-1 on 12 noisy points: LM overfits quickly; validation must stop it.
    arch = Architecture.build(1, (10,), 1, "tansig", "purelin")
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(40, 1))
    y = np.sin(2 * np.pi * x) + 0.3 * rng.normal(size=x.shape)
    coefs, intercepts = initialize(arch, np.array([[-1.0, 1.0]]), "nguyen-widrow", 3)
    theta = pack(coefs, intercepts)
    criteria = StopCriteria(epochs=300, goal=0.0, min_grad=0.0, max_fail=6)
    result = train(
        theta,
        arch,
        (x[:12], y[:12]),
        TrainLM(),
        criteria,
        validation=(x[12:26], y[12:26]),
        test=(x[26:], y[26:]),
    )
    assert result.stop_reason == "max_fail"
    vperf = np.array(result.history["vperf"])
    assert result.best_epoch == int(np.argmin(vperf))
    assert result.history["val_fail"][-1] == 6
    best = perf(result.theta, arch, forward(result.theta, arch, x[12:26])[-1], y[12:26])
    assert best == pytest.approx(vperf.min(), rel=1e-12)


def test_user_interrupt_keeps_the_record():
    def interrupt(epoch, record):
        # Ctrl-C arrives during the fourth update attempt, after epoch 3's record.
        if epoch == 3:
            raise KeyboardInterrupt

    arch, theta, X, Y = sin_problem(2)
    result = train(
        theta, arch, (X, Y), TrainLM(), StopCriteria(goal=0.0), callback=interrupt
    )
    assert result.stop_reason == "user"
    assert result.n_epochs == 3
    assert all(len(v) == 4 for v in result.history.values())


# ---------------------------------------------------------------------------
# Behaviour: LM against traingdx on MathWorks' sine fit
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_trainlm_reaches_the_goal_in_far_fewer_epochs_than_traingdx(seed):
    arch, theta, X, Y = sin_problem(seed)
    lm = train(
        theta,
        arch,
        (X, Y),
        TrainLM(),
        StopCriteria(epochs=1000, goal=0.002, min_grad=1e-7),
    )
    gdx = train(
        theta, arch, (X, Y), TrainGDX(lr=0.01), StopCriteria(epochs=5000, goal=0.002)
    )
    assert lm.stop_reason == "goal"
    assert lm.history["perf"][-1] <= 0.002
    epochs_lm, epochs_gdx = lm.n_epochs, gdx.n_epochs
    assert epochs_lm < epochs_gdx
    assert 5 * epochs_lm < epochs_gdx


# ---------------------------------------------------------------------------
# array-api-strict
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 0.01])
def test_runs_under_array_api_strict_and_matches_numpy(alpha):
    xp = pytest.importorskip("array_api_strict")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3))
    Y = np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])
    arch = Architecture.build(3, (6, 4), 2, "tansig", "purelin", alpha=alpha)
    theta = rng.normal(scale=0.5, size=arch.n_params)
    blocks = {"training": (X[:40], Y[:40]), "validation": (X[40:50], Y[40:50])}
    blocks["test"] = (X[50:], Y[50:])
    criteria = StopCriteria(epochs=20, goal=0.0, min_grad=0.0, max_fail=1000)

    def run(to_array):
        data = {k: (to_array(a), to_array(b)) for k, (a, b) in blocks.items()}
        return train(
            to_array(theta),
            arch,
            data["training"],
            TrainLM(),
            criteria,
            validation=data["validation"],
            test=data["test"],
        )

    ref = run(np.asarray)
    got = run(xp.asarray)
    assert isinstance(got.theta, type(xp.asarray(theta)))
    assert got.n_epochs == ref.n_epochs == 20
    for key in ("perf", "vperf", "tperf", "lr", "gradient"):
        np.testing.assert_allclose(got.history[key], ref.history[key], rtol=1e-10)
    assert got.best_epoch == ref.best_epoch
    np.testing.assert_allclose(np.asarray(got.theta), ref.theta, rtol=1e-10)


def test_jacobian_under_array_api_strict():
    xp = pytest.importorskip("array_api_strict")
    arch = Architecture.build(3, (4, 5), 2, "logsig", "tansig")
    theta, X, _ = random_problem(arch)
    ref = jacobian(theta, arch, forward(theta, arch, X))
    t = xp.asarray(theta)
    got = jacobian(t, arch, forward(t, arch, xp.asarray(X)))
    np.testing.assert_allclose(np.asarray(got), ref, rtol=1e-13, atol=1e-15)


# ---------------------------------------------------------------------------
# Independent reference: trainlm written plainly
# ---------------------------------------------------------------------------


def ref_unpack(x, sizes):
    Ws, bs, k = [], [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        Ws.append(x[k : k + n_in * n_out].reshape(n_in, n_out))
        k += n_in * n_out
        bs.append(x[k : k + n_out])
        k += n_out
    return Ws, bs


def ref_outputs(x, sizes, X):
    """tanh hidden layers, linear output."""
    Ws, bs = ref_unpack(x, sizes)
    a = X
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        z = a @ W + b
        a = z if i == len(Ws) - 1 else np.tanh(z)
    return a


def ref_perf(x, sizes, X, Y, alpha):
    err = ref_outputs(x, sizes, X) - Y
    Ws, _ = ref_unpack(x, sizes)
    penalty = alpha * sum(np.sum(W**2) for W in Ws) / X.shape[0]
    return float(np.sum(err**2) / err.size + penalty)


def ref_jacobian(x, sizes, X):
    """One row per (sample, output), by back-propagation one sample at a time."""
    Ws, bs = ref_unpack(x, sizes)
    n_out_final = sizes[-1]
    rows = []
    for s in range(X.shape[0]):
        acts = [X[s]]
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            z = acts[-1] @ W + b
            acts.append(z if i == len(Ws) - 1 else np.tanh(z))
        for j in range(n_out_final):
            d = np.zeros(n_out_final)
            d[j] = 1.0  # linear output: d out_j / d z_L
            grads = []
            for i in range(len(Ws) - 1, -1, -1):
                gW = np.zeros_like(Ws[i])
                for p in range(Ws[i].shape[0]):
                    for q in range(Ws[i].shape[1]):
                        gW[p, q] = acts[i][p] * d[q]
                grads.append((gW.ravel(), d.copy()))
                if i > 0:
                    d = (Ws[i] @ d) * (1.0 - acts[i] ** 2)
            row = []
            for gW, gb in reversed(grads):
                row.extend(gW)
                row.extend(gb)
            rows.append(row)
    return np.array(rows)


def ref_trainlm(x, sizes, X, Y, alpha, epochs):
    mu, mu_dec, mu_inc, mu_max = 0.001, 0.1, 10.0, 1e10
    m = Y.shape[1]
    D = np.zeros(x.size)
    Ws, _ = ref_unpack(np.arange(x.size), sizes)
    for W in Ws:
        D[W.ravel()] = 1.0
    perfs, mus = [ref_perf(x, sizes, X, Y, alpha)], [mu]
    for _ in range(epochs):
        J = ref_jacobian(x, sizes, X)
        e = (ref_outputs(x, sizes, X) - Y).ravel()
        A = J.T @ J + alpha * m * np.diag(D)
        g = J.T @ e + alpha * m * D * x
        current = perfs[-1]
        while mu <= mu_max:
            dx = np.linalg.solve(A + mu * np.eye(x.size), -g)
            trial = ref_perf(x + dx, sizes, X, Y, alpha)
            if trial < current:
                x = x + dx
                current = trial
                mu = max(mu * mu_dec, 1e-20)
                break
            mu *= mu_inc
        perfs.append(current)
        mus.append(mu)
    return np.array(perfs), np.array(mus), x


@pytest.mark.parametrize(
    ("hidden", "n_out", "alpha"), [((6,), 1, 0.0), ((5, 3), 2, 0.0), ((5,), 2, 0.05)]
)
def test_matches_plain_reference_for_50_epochs(hidden, n_out, alpha):
    rng = np.random.default_rng(11)
    X = rng.uniform(-1, 1, size=(30, 2))
    Y = np.column_stack([np.sin(3 * X[:, 0]) * X[:, 1], np.cos(2 * X.sum(axis=1))])
    Y = Y[:, :n_out] + 0.05 * rng.normal(size=(30, n_out))
    arch = Architecture.build(2, hidden, n_out, "tansig", "purelin", alpha=alpha)
    theta = rng.normal(scale=0.5, size=arch.n_params)
    criteria = StopCriteria(epochs=50, goal=0.0, min_grad=0.0)
    result = train(theta, arch, (X, Y), TrainLM(), criteria)
    assert result.stop_reason == "epochs" and result.n_epochs == 50
    perfs, mus, x = ref_trainlm(theta, arch.layer_sizes, X, Y, alpha, 50)
    np.testing.assert_allclose(result.history["perf"], perfs, rtol=1e-10)
    np.testing.assert_allclose(result.history["lr"], mus, rtol=1e-12)
    np.testing.assert_allclose(result.theta, x, rtol=1e-7, atol=1e-9)
