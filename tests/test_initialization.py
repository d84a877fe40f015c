"""Tests for bpforecast.nn.initialization (Nguyen-Widrow and Glorot).

The Nguyen-Widrow expectations are written out from MATLAB's ``calcnw``
description: for inputs in [-1, 1] and net inputs in [-1, 1] each neuron's
weight vector has a random direction and length ``0.7 * s ** (1 / r)``, the
biases are ``0.7 * s ** (1 / r) * linspace(-1, 1, s) * sign(w[:, 0])``; the
net inputs are then stretched to the transfer function's active range and the
inputs' real range is mapped onto [-1, 1]. Glorot is checked against
scikit-learn's MLP, whose draws the docstring says it reproduces.
"""

import numpy as np
import pytest
from sklearn.neural_network import MLPRegressor

from bpforecast.nn.initialization import glorot, initialize, nguyen_widrow
from bpforecast.nn.network import Architecture

TANSIG_ACTIVE = (-2.0, 2.0)
LOGSIG_ACTIVE = (-4.0, 4.0)


def _unit_ranges(r):
    return np.tile([-1.0, 1.0], (r, 1))


def _net_input(x, W, b):
    return x @ W + b


# --------------------------------------------------- Nguyen-Widrow, [-1, 1]


@pytest.mark.parametrize("s", [1, 2, 3, 5, 10, 20])
@pytest.mark.parametrize("r", [1, 2, 3, 7])
@pytest.mark.parametrize("seed", [0, 1])
def test_nw_unit_inputs_tansig_norms_and_biases(r, s, seed):
    W, b = nguyen_widrow(_unit_ranges(r), s, TANSIG_ACTIVE, np.random.RandomState(seed))
    assert W.shape == (r, s)
    assert b.shape == (s,)
    magnitude = 2 * 0.7 * s ** (1.0 / r)
    np.testing.assert_allclose(np.linalg.norm(W, axis=0), magnitude, rtol=1e-12)
    if s > 1:
        expected_b = magnitude * np.linspace(-1.0, 1.0, s) * np.sign(W[0, :])
        np.testing.assert_allclose(b, expected_b, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_allclose(b, 0.0, atol=1e-12)


@pytest.mark.parametrize("s", [2, 6])
@pytest.mark.parametrize("r", [1, 3])
def test_nw_unit_inputs_logsig_norms_and_biases(r, s):
    W, b = nguyen_widrow(_unit_ranges(r), s, LOGSIG_ACTIVE, np.random.RandomState(2))
    magnitude = 4 * 0.7 * s ** (1.0 / r)
    np.testing.assert_allclose(np.linalg.norm(W, axis=0), magnitude, rtol=1e-12)
    expected_b = magnitude * np.linspace(-1.0, 1.0, s) * np.sign(W[0, :])
    np.testing.assert_allclose(b, expected_b, rtol=1e-12, atol=1e-12)


def test_nw_directions_are_random_and_spread():
    W, _ = nguyen_widrow(_unit_ranges(3), 200, TANSIG_ACTIVE, np.random.RandomState(0))
    directions = W / np.linalg.norm(W, axis=0)
    # both signs of every component occur, and directions are not all alike
    assert np.all((directions > 0).any(axis=1))
    assert np.all((directions < 0).any(axis=1))
    assert np.linalg.matrix_rank(directions) == 3
    cosines = directions.T @ directions
    assert cosines[np.triu_indices(200, 1)].min() < -0.5


@pytest.mark.parametrize("active", [(-1.0, 1.0), (0.0, 4.0), (-3.0, 1.0)])
def test_nw_active_range_is_affine_image_of_unit_net_input(active):
    """Net inputs are those for active range [-1, 1], stretched and shifted."""
    r, s, seed = 3, 7, 11
    W1, b1 = nguyen_widrow(_unit_ranges(r), s, (-1.0, 1.0), np.random.RandomState(seed))
    W, b = nguyen_widrow(_unit_ranges(r), s, active, np.random.RandomState(seed))
    half, mid = (active[1] - active[0]) / 2, (active[1] + active[0]) / 2
    np.testing.assert_allclose(W, half * W1, rtol=1e-12)
    np.testing.assert_allclose(b, half * b1 + mid, rtol=1e-12, atol=1e-12)


# ------------------------------------------------ Nguyen-Widrow, any ranges


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("s", [1, 4, 9])
@pytest.mark.parametrize("active", [TANSIG_ACTIVE, LOGSIG_ACTIVE])
def test_nw_general_ranges_equal_unit_case_after_linear_map(seed, s, active):
    rng = np.random.default_rng(seed)
    r = 4
    lo = rng.uniform(-100.0, 50.0, r)
    hi = lo + rng.uniform(0.01, 200.0, r)
    ranges = np.column_stack([lo, hi])
    W, b = nguyen_widrow(ranges, s, active, np.random.RandomState(seed))
    Wu, bu = nguyen_widrow(_unit_ranges(r), s, active, np.random.RandomState(seed))
    x = rng.uniform(lo, hi, size=(50, r))
    corners = np.array(np.meshgrid(*zip(lo, hi, strict=True))).reshape(r, -1).T
    x = np.vstack([x, corners])
    u = 2.0 * (x - lo) / (hi - lo) - 1.0
    np.testing.assert_allclose(
        _net_input(x, W, b), _net_input(u, Wu, bu), rtol=1e-9, atol=1e-9
    )


def test_nw_constant_inputs_get_zero_weights():
    ranges = np.array([[0.0, 10.0], [3.0, 3.0], [-5.0, 5.0], [-1.0, -1.0]])
    s = 6
    W, b = nguyen_widrow(ranges, s, TANSIG_ACTIVE, np.random.RandomState(4))
    assert W.shape == (4, s)
    np.testing.assert_array_equal(W[1], 0.0)
    np.testing.assert_array_equal(W[3], 0.0)
    assert np.all(W[[0, 2]] != 0)
    # the varying inputs are treated as an r = 2 layer on their own
    Wv, bv = nguyen_widrow(ranges[[0, 2]], s, TANSIG_ACTIVE, np.random.RandomState(4))
    np.testing.assert_allclose(W[[0, 2]], Wv, rtol=1e-12)
    np.testing.assert_allclose(b, bv, rtol=1e-12)
    # and the magnitude uses r = 2, not 4
    Wu, _ = nguyen_widrow(_unit_ranges(2), s, TANSIG_ACTIVE, np.random.RandomState(4))
    np.testing.assert_allclose(
        np.linalg.norm(Wu, axis=0), 2 * 0.7 * s ** (1 / 2), rtol=1e-12
    )


def test_nw_all_inputs_constant_gives_zeros():
    W, b = nguyen_widrow(
        np.array([[1.0, 1.0], [2.0, 2.0]]), 3, TANSIG_ACTIVE, np.random.RandomState(0)
    )
    np.testing.assert_array_equal(W, np.zeros((2, 3)))
    np.testing.assert_array_equal(b, np.zeros(3))


def test_nw_reproducible_with_seed_and_seed_dependent():
    ranges = np.array([[0.0, 1.0], [-2.0, 5.0]])
    a = nguyen_widrow(ranges, 5, TANSIG_ACTIVE, np.random.RandomState(7))
    b = nguyen_widrow(ranges, 5, TANSIG_ACTIVE, np.random.RandomState(7))
    c = nguyen_widrow(ranges, 5, TANSIG_ACTIVE, np.random.RandomState(8))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


# --------------------------------------------------------------------- glorot


@pytest.mark.parametrize("ours, sklearn_name", [("tansig", "tanh")])
@pytest.mark.parametrize("fan_in, fan_out", [(1, 1), (4, 3), (10, 20)])
def test_glorot_matches_sklearn_mlp_tanh(ours, sklearn_name, fan_in, fan_out):
    mlp = MLPRegressor(activation=sklearn_name)
    mlp._random_state = np.random.RandomState(3)
    ref_W, ref_b = mlp._init_coef(fan_in, fan_out, np.float64)
    W, b = glorot(fan_in, fan_out, ours, np.random.RandomState(3))
    np.testing.assert_array_equal(W, ref_W)
    np.testing.assert_array_equal(b, ref_b)


@pytest.mark.parametrize("fan_in, fan_out", [(4, 3), (10, 20)])
def test_glorot_matches_sklearn_mlp_logistic(fan_in, fan_out):
    """The docstring promises scikit-learn's draws; for logistic sklearn uses
    ``sqrt(2 / (fan_in + fan_out))`` (factor 2 in place of 6)."""
    mlp = MLPRegressor(activation="logistic")
    mlp._random_state = np.random.RandomState(3)
    ref_W, ref_b = mlp._init_coef(fan_in, fan_out, np.float64)
    W, b = glorot(fan_in, fan_out, "logsig", np.random.RandomState(3))
    np.testing.assert_allclose(W, ref_W, rtol=1e-12)
    np.testing.assert_allclose(b, ref_b, rtol=1e-12)


@pytest.mark.parametrize("activation", ["tansig", "purelin", "relu"])
def test_glorot_bounds(activation):
    fan_in, fan_out = 30, 50
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    W, b = glorot(fan_in, fan_out, activation, np.random.RandomState(0))
    assert W.shape == (fan_in, fan_out) and b.shape == (fan_out,)
    assert np.abs(W).max() <= bound and np.abs(b).max() <= bound
    # uniform over the whole interval: the extremes are nearly reached
    assert np.abs(W).max() > 0.98 * bound
    assert W.min() < -0.9 * bound and W.max() > 0.9 * bound


def test_glorot_logsig_bound_differs_from_tansig():
    fan_in, fan_out = 30, 50
    W_t, _ = glorot(fan_in, fan_out, "tansig", np.random.RandomState(0))
    W_l, _ = glorot(fan_in, fan_out, "logsig", np.random.RandomState(0))
    ratio = np.abs(W_l).max() / np.abs(W_t).max()
    assert not np.isclose(ratio, 1.0)


# ----------------------------------------------------------------- initialize


@pytest.mark.parametrize("method", ["nguyen-widrow", "glorot"])
@pytest.mark.parametrize(
    "n_in, hidden, n_out", [(1, (5,), 1), (3, (4, 6), 2), (6, (), 1), (2, (3,), 4)]
)
def test_initialize_shapes(method, n_in, hidden, n_out):
    arch = Architecture.build(n_in, hidden, n_out, "tansig", "purelin")
    coefs, intercepts = initialize(arch, _unit_ranges(n_in), method, 0)
    sizes = (n_in, *hidden, n_out)
    assert [W.shape for W in coefs] == list(zip(sizes[:-1], sizes[1:], strict=True))
    assert [b.shape for b in intercepts] == [(k,) for k in sizes[1:]]
    for W, b in zip(coefs, intercepts, strict=True):
        assert np.all(np.isfinite(W)) and np.all(np.isfinite(b))


def test_initialize_nw_purelin_layer_is_uniform_minus1_1():
    arch = Architecture.build(3, (5,), 40, "tansig", "purelin")
    coefs, intercepts = initialize(arch, _unit_ranges(3), "nguyen-widrow", 0)
    W, b = coefs[-1], intercepts[-1]
    assert np.all(np.abs(W) <= 1.0) and np.all(np.abs(b) <= 1.0)
    # 200 uniform[-1, 1] draws: extremes close to +-1, mean near 0
    assert W.min() < -0.95 and W.max() > 0.95
    assert abs(W.mean()) < 0.15
    # not Nguyen-Widrow: column norms differ
    norms = np.linalg.norm(W, axis=0)
    assert np.ptp(norms) > 0.1


def test_initialize_nw_all_purelin_network():
    arch = Architecture.build(4, (6,), 2, "purelin", "purelin")
    coefs, intercepts = initialize(arch, _unit_ranges(4), "nguyen-widrow", 1)
    for W, b in zip(coefs, intercepts, strict=True):
        assert np.all(np.abs(W) <= 1.0) and np.all(np.abs(b) <= 1.0)


@pytest.mark.parametrize("seed", [0, 5])
def test_initialize_nw_tansig_layers_follow_calcnw(seed):
    arch = Architecture.build(3, (5, 4), 1, "tansig", "purelin")
    ranges = np.array([[0.0, 10.0], [-3.0, 1.0], [100.0, 200.0]])
    coefs, intercepts = initialize(arch, ranges, "nguyen-widrow", seed)
    # first layer: net input equals the [-1, 1] case after a linear input map
    # (with its own generator, so compare the geometry, not the draws)
    W, b = coefs[0], intercepts[0]
    lo, hi = ranges[:, 0], ranges[:, 1]
    Wu = W * ((hi - lo) / 2.0)[:, np.newaxis]  # weights seen by u in [-1, 1]
    np.testing.assert_allclose(
        np.linalg.norm(Wu, axis=0), 2 * 0.7 * 5 ** (1 / 3), rtol=1e-12
    )
    x = np.random.default_rng(seed).uniform(lo, hi, size=(40, 3))
    u = 2.0 * (x - lo) / (hi - lo) - 1.0
    bu = b + ((hi + lo) / 2.0) @ W
    np.testing.assert_allclose(x @ W + b, u @ Wu + bu, rtol=1e-9, atol=1e-9)
    magnitude = 2 * 0.7 * 5 ** (1 / 3)
    np.testing.assert_allclose(
        bu, magnitude * np.linspace(-1, 1, 5) * np.sign(Wu[0]), rtol=1e-9, atol=1e-9
    )
    # second tansig layer: inputs are tansig outputs in [-1, 1]
    W2, b2 = coefs[1], intercepts[1]
    magnitude2 = 2 * 0.7 * 4 ** (1 / 5)
    np.testing.assert_allclose(np.linalg.norm(W2, axis=0), magnitude2, rtol=1e-12)
    np.testing.assert_allclose(
        b2, magnitude2 * np.linspace(-1, 1, 4) * np.sign(W2[0]), rtol=1e-12
    )


def test_initialize_nw_logsig_hidden_layer_sees_0_1_inputs():
    arch = Architecture.build(2, (3, 4), 1, "logsig", "purelin")
    coefs, intercepts = initialize(arch, _unit_ranges(2), "nguyen-widrow", 3)
    # layer 1: inputs [-1, 1], active range [-4, 4]
    magnitude1 = 4 * 0.7 * 3 ** (1 / 2)
    np.testing.assert_allclose(np.linalg.norm(coefs[0], axis=0), magnitude1)
    # layer 2: inputs are logsig outputs in [0, 1]; u = 2 x - 1 in [-1, 1]
    W2, b2 = coefs[1], intercepts[1]
    Wu = W2 / 2.0
    bu = b2 + 0.5 * W2.sum(axis=0)
    magnitude2 = 4 * 0.7 * 4 ** (1 / 3)
    np.testing.assert_allclose(np.linalg.norm(Wu, axis=0), magnitude2, rtol=1e-12)
    np.testing.assert_allclose(
        bu, magnitude2 * np.linspace(-1, 1, 4) * np.sign(Wu[0]), rtol=1e-12, atol=1e-12
    )


def test_initialize_constant_input_gets_zero_weights():
    arch = Architecture.build(3, (4,), 1, "tansig", "purelin")
    ranges = np.array([[0.0, 1.0], [2.0, 2.0], [-1.0, 1.0]])
    coefs, _ = initialize(arch, ranges, "nguyen-widrow", 0)
    np.testing.assert_array_equal(coefs[0][1], 0.0)
    assert np.all(coefs[0][[0, 2]] != 0)


@pytest.mark.parametrize("method", ["nguyen-widrow", "glorot"])
def test_initialize_reproducible(method):
    arch = Architecture.build(3, (5, 4), 2, "tansig", "purelin")
    ranges = np.array([[0.0, 10.0], [-3.0, 1.0], [100.0, 200.0]])
    a = initialize(arch, ranges, method, 42)
    b = initialize(arch, ranges, method, 42)
    c = initialize(arch, ranges, method, 43)
    for x, y in zip(a[0] + a[1], b[0] + b[1], strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0][0], c[0][0])


@pytest.mark.parametrize(
    "hidden_act, out_act", [("tansig", "purelin"), ("logsig", "logsig")]
)
def test_initialize_glorot_bounds_per_layer(hidden_act, out_act):
    arch = Architecture.build(8, (20, 12), 3, hidden_act, out_act)
    coefs, intercepts = initialize(arch, _unit_ranges(8), "glorot", 0)
    for (n_in, n_out), act, W, b in zip(
        arch.shapes, arch.activations, coefs, intercepts, strict=True
    ):
        # scikit-learn's rule: factor 6 in the sqrt, 2 instead for logistic
        factor = 2.0 if act.name == "logsig" else 6.0
        bound = np.sqrt(factor / (n_in + n_out))
        assert np.abs(W).max() <= bound and np.abs(b).max() <= bound
        assert np.abs(W).max() > 0.8 * bound


@pytest.mark.parametrize("method", ["xavier", "Nguyen-Widrow", "", None])
def test_initialize_unknown_method_raises(method):
    arch = Architecture.build(2, (3,), 1, "tansig", "purelin")
    with pytest.raises(ValueError):
        initialize(arch, _unit_ranges(2), method, 0)
