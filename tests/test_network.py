"""Forward pass, perf and analytic gradient against independent references."""

import numpy as np
import pytest
from conftest import finite_difference_gradient

from bpforecast.nn.activations import ACTIVATIONS, ALIASES, get_activation
from bpforecast.nn.network import Architecture, forward, gradient, pack, perf, unpack


def objective(theta, arch, X, Y):
    return perf(theta, arch, forward(theta, arch, X)[-1], Y)


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
@pytest.mark.parametrize("output", ["purelin", "tansig", "logsig"])
def test_gradient_matches_finite_differences(hidden, output):
    rng = np.random.default_rng(list(f"{hidden}/{output}".encode()))  # fixed seeds
    arch = Architecture.build(3, (5, 4), 2, hidden, output)
    # Keep net inputs away from relu/leaky-relu kinks by using smooth data
    # and checking the kink is not crossed (h is tiny relative to |z|).
    X = rng.normal(size=(17, 3))
    Y = rng.normal(size=(17, 2))
    theta = rng.normal(scale=0.7, size=arch.n_params)
    analytic = gradient(theta, arch, forward(theta, arch, X), Y)
    numeric = finite_difference_gradient(lambda t: objective(t, arch, X, Y), theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_gradient_with_l2_penalty_matches_finite_differences():
    rng = np.random.default_rng(3)
    arch = Architecture.build(4, (6,), 1, "tansig", "purelin", alpha=0.3)
    X, Y = rng.normal(size=(25, 4)), rng.normal(size=(25, 1))
    theta = rng.normal(size=arch.n_params)
    analytic = gradient(theta, arch, forward(theta, arch, X), Y)
    numeric = finite_difference_gradient(lambda t: objective(t, arch, X, Y), theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_perf_is_matlab_mse_and_penalty_spares_biases():
    rng = np.random.default_rng(0)
    arch = Architecture.build(2, (3,), 2, "tansig", "purelin", alpha=0.5)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 2))
    theta = rng.normal(size=arch.n_params)
    (W1, b1), (W2, b2) = unpack(theta, arch)
    out = np.tanh(X @ W1 + b1) @ W2 + b2
    expected = np.mean((out - Y) ** 2) + 0.5 * (np.sum(W1**2) + np.sum(W2**2)) / 10
    assert perf(theta, arch, out, Y) == pytest.approx(expected, rel=1e-14)


def test_forward_matches_written_out_network():
    rng = np.random.default_rng(1)
    arch = Architecture.build(3, (4, 2), 1, "logsig", "purelin")
    theta = rng.normal(size=arch.n_params)
    X = rng.normal(size=(6, 3))
    layers = unpack(theta, arch)
    h = 1 / (1 + np.exp(-(X @ layers[0][0] + layers[0][1])))
    h = 1 / (1 + np.exp(-(h @ layers[1][0] + layers[1][1])))
    out = h @ layers[2][0] + layers[2][1]
    np.testing.assert_allclose(forward(theta, arch, X)[-1], out, rtol=1e-13)


def test_pack_unpack_round_trip_and_layout():
    rng = np.random.default_rng(2)
    coefs = [rng.normal(size=(3, 4)), rng.normal(size=(4, 1))]
    intercepts = [rng.normal(size=4), rng.normal(size=1)]
    theta = pack(coefs, intercepts)
    assert theta.shape == (3 * 4 + 4 + 4 + 1,)
    arch = Architecture.build(3, (4,), 1, "tansig", "purelin")
    for (W, b), W0, b0 in zip(unpack(theta, arch), coefs, intercepts, strict=True):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_from_output(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-3.0, 3.0, 61)
    z = z[np.abs(z) > 1e-3]  # skip the kink of relu-type functions at 0
    h = 1e-6
    numeric = (act.forward(z + h) - act.forward(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(act.forward(z)), numeric, atol=1e-6)


def test_activation_values_match_textbook_formulas():
    z = np.linspace(-5, 5, 21)
    np.testing.assert_allclose(ACTIVATIONS["tansig"].forward(z), np.tanh(z))
    np.testing.assert_allclose(ACTIVATIONS["logsig"].forward(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(ACTIVATIONS["softplus"].forward(z), np.log1p(np.exp(z)))
    np.testing.assert_allclose(
        ACTIVATIONS["elu"].forward(z), np.where(z > 0, z, np.exp(z) - 1)
    )
    np.testing.assert_allclose(ACTIVATIONS["relu"].forward(z), np.maximum(z, 0))
    # softplus stays finite where exp(z) would overflow
    assert np.isfinite(ACTIVATIONS["softplus"].forward(np.array([1000.0]))).all()


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_resolve(alias):
    assert get_activation(alias) is ACTIVATIONS[ALIASES[alias]]


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown activation 'swish'"):
        get_activation("swish")
