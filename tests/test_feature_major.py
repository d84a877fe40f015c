"""The numpy fast path (feature-major passes) against network.py and references."""

import numpy as np
import pytest

# The tests directory is on sys.path (pytest's default import mode).
from conftest import finite_difference_gradient

from bpforecast.nn.activations import ACTIVATIONS
from bpforecast.nn.feature_major import FeatureMajorPasses, internal_order
from bpforecast.nn.network import Architecture, forward, gradient, perf
from bpforecast.nn.solvers import TrainGDX
from bpforecast.nn.training import StopCriteria, train


def problem(
    hidden,
    n_in=3,
    n_out=2,
    n=23,
    seed=0,
    activation="tansig",
    output_activation="purelin",
    alpha=0.0,
):
    rng = np.random.default_rng(seed)
    arch = Architecture.build(
        n_in, hidden, n_out, activation, output_activation, alpha=alpha
    )
    X = rng.normal(size=(n, n_in))
    Y = rng.normal(size=(n, n_out))
    theta = rng.normal(scale=0.7, size=arch.n_params)
    return arch, X, Y, theta


@pytest.mark.parametrize("hidden", [(), (4,), (5, 4), (3, 6, 2)])
@pytest.mark.parametrize("n_out", [1, 3])
def test_internal_order_is_a_permutation_and_round_trips(hidden, n_out):
    arch, X, Y, theta = problem(hidden, n_out=n_out)
    perm = internal_order(arch)
    assert np.array_equal(np.sort(perm), np.arange(arch.n_params))
    passes = FeatureMajorPasses(arch, X, Y)
    assert np.array_equal(passes.to_external(passes.to_internal(theta)), theta)


def test_internal_layout_is_transposed_weights_then_bias():
    arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
    theta = np.arange(float(arch.n_params))
    internal = FeatureMajorPasses(arch, np.zeros((4, 2))).to_internal(theta)
    # Layer 1: W (2, 3) = theta[0:6], b = theta[6:9]; row j of [W.T | b].
    W1, b1 = theta[:6].reshape(2, 3), theta[6:9]
    np.testing.assert_array_equal(
        internal[:9].reshape(3, 3), np.column_stack([W1.T, b1])
    )
    W2, b2 = theta[9:12].reshape(3, 1), theta[12:]
    np.testing.assert_array_equal(internal[9:], np.append(W2[:, 0], b2))


@pytest.mark.parametrize("hidden_act", sorted(ACTIVATIONS))
@pytest.mark.parametrize("output_act", ["purelin", "tansig", "logsig"])
def test_perf_and_gradient_match_network_functions(hidden_act, output_act):
    arch, X, Y, theta = problem(
        (5, 4), activation=hidden_act, output_activation=output_act
    )
    passes = FeatureMajorPasses(arch, X, Y)
    internal = passes.to_internal(theta)
    outputs = forward(theta, arch, X)
    assert float(passes.perf(internal)) == pytest.approx(
        perf(theta, arch, outputs[-1], Y), rel=1e-13
    )
    np.testing.assert_allclose(
        passes.to_external(passes.gradient(internal)),
        gradient(theta, arch, outputs, Y),
        rtol=1e-11,
        atol=1e-13,
    )
    np.testing.assert_allclose(passes.outputs(internal), outputs[-1], rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("hidden", [(), (6,), (5, 4)])
def test_gradient_matches_finite_differences(alpha, hidden):
    arch, X, Y, theta = problem(
        hidden,
        n_in=4,
        n_out=2,
        activation="tansig",
        output_activation="purelin",
        alpha=alpha,
    )
    passes = FeatureMajorPasses(arch, X, Y)
    internal = passes.to_internal(theta)
    passes.perf(internal)
    analytic = passes.gradient(internal)
    numeric = finite_difference_gradient(lambda t: float(passes.perf(t)), internal)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_float32_stays_float32():
    arch, X, Y, theta = problem((5,), activation="tansig", output_activation="purelin")
    X, Y, theta = (a.astype(np.float32) for a in (X, Y, theta))
    passes = FeatureMajorPasses(arch, X, Y)
    internal = passes.to_internal(theta)
    assert passes.perf(internal).dtype == np.float32
    assert passes.gradient(internal).dtype == np.float32
    expected = gradient(theta, arch, forward(theta, arch, X), Y)
    np.testing.assert_allclose(
        passes.to_external(passes.gradient(internal)), expected, rtol=2e-4, atol=1e-5
    )


def test_inputs_are_not_modified():
    arch, X, Y, theta = problem(
        (5, 4), activation="tansig", output_activation="purelin"
    )
    copies = [a.copy() for a in (X, Y, theta)]
    passes = FeatureMajorPasses(arch, X, Y)
    internal = passes.to_internal(theta)
    passes.perf(internal)
    passes.gradient(internal)
    for original, copy in zip((X, Y, theta), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


@pytest.mark.parametrize("with_holdout", [False, True])
def test_training_loop_agrees_with_the_array_api_passes(with_holdout):
    """The same traingdx run on both passes: history and weights agree."""
    rng = np.random.default_rng(4)
    arch = Architecture.build(4, (8, 6), 1, "tansig", "purelin")
    X = rng.normal(size=(120, 4))
    Y = np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]
    theta = rng.normal(scale=0.5, size=arch.n_params)
    blocks = {}
    if with_holdout:
        blocks = {"validation": (X[80:100], Y[80:100]), "test": (X[100:], Y[100:])}
    train_block = (X[:80], Y[:80]) if with_holdout else (X, Y)
    runs = [
        train(
            theta,
            arch,
            train_block,
            TrainGDX(lr=0.05),
            StopCriteria(epochs=200, min_grad=0.0, max_fail=1000),
            feature_major=flag,
            **blocks,
        )
        for flag in (True, False)
    ]
    fast, generic = runs
    assert fast.n_epochs == generic.n_epochs == 200
    for key in ("perf", "vperf", "tperf", "lr", "gradient"):
        np.testing.assert_allclose(
            fast.history[key], generic.history[key], rtol=1e-9, equal_nan=True
        )
    # Rejected steps happened, so the accept/reject path ran on both.
    lr = np.asarray(fast.history["lr"])
    assert np.any(lr[1:] < lr[:-1])
    np.testing.assert_allclose(fast.theta, generic.theta, rtol=1e-9, atol=1e-12)
    assert fast.best_epoch == generic.best_epoch
    # theta comes back in the usual layout, not the internal one.
    assert float(perf(fast.theta, arch, forward(fast.theta, arch, X)[-1], Y)) < (
        float(perf(theta, arch, forward(theta, arch, X)[-1], Y))
    )


@pytest.mark.parametrize("block", [7, 64, 10_000])
def test_blocked_derivative_and_large_outer_product_paths_agree(monkeypatch, block):
    """Small blocks force the multi-block derivative and the broadcast outer product."""
    import bpforecast.nn.feature_major as feature_major

    monkeypatch.setattr(feature_major, "DERIVATIVE_BLOCK", block)
    for hidden_act in ("tansig", "logsig", "relu"):
        arch, X, Y, theta = problem(
            (6, 5), n_in=3, n_out=1, n=41, activation=hidden_act
        )
        passes = FeatureMajorPasses(arch, X, Y)
        internal = passes.to_internal(theta)
        passes.perf(internal)
        np.testing.assert_allclose(
            passes.to_external(passes.gradient(internal)),
            gradient(theta, arch, forward(theta, arch, X), Y),
            rtol=1e-11,
            atol=1e-13,
        )


def test_gradient_needs_a_perf_call_at_the_same_weights():
    arch, X, Y, theta = problem((4,))
    passes = FeatureMajorPasses(arch, X, Y)
    internal = passes.to_internal(theta)
    with pytest.raises(RuntimeError, match="call perf"):
        passes.gradient(internal)
    passes.perf(internal)
    passes.outputs(internal + 1.0)
    with pytest.raises(RuntimeError, match="call perf"):
        passes.gradient(internal)


@pytest.mark.parametrize(
    "x_dtype, theta_dtype",
    [(np.float32, np.float64), (np.float64, np.float32), (np.int64, np.float64)],
)
def test_mixed_or_integer_dtypes_take_the_generic_path(x_dtype, theta_dtype):
    """numpy's type promotion is kept: the same results as feature_major=False."""
    rng = np.random.default_rng(2)
    arch = Architecture.build(3, (5,), 1, "tansig", "purelin")
    X = rng.integers(-3, 4, size=(40, 3)).astype(x_dtype)
    Y = np.sin(X[:, :1].astype(np.float64))
    theta = rng.normal(scale=0.5, size=arch.n_params).astype(theta_dtype)
    args = (theta, arch, (X, Y), TrainGDX(lr=0.05), StopCriteria(epochs=30))
    auto = train(*args)
    generic = train(
        theta,
        arch,
        (X, Y),
        TrainGDX(lr=0.05),
        StopCriteria(epochs=30),
        feature_major=False,
    )
    assert auto.theta.dtype == generic.theta.dtype
    np.testing.assert_array_equal(auto.theta, generic.theta)
    assert auto.history["perf"] == generic.history["perf"]


def test_forcing_the_fast_path_on_other_arrays_is_a_clear_error():
    xp = pytest.importorskip("array_api_strict")
    arch, X, Y, theta = problem((4,), n_out=1)
    with pytest.raises(TypeError, match="feature_major=True needs numpy"):
        train(
            xp.asarray(theta),
            arch,
            (xp.asarray(X), xp.asarray(Y)),
            TrainGDX(),
            StopCriteria(epochs=2),
            feature_major=True,
        )
