"""Pruning (bpforecast.pruning): planted structure, tolerance, reports, forecaster."""

from __future__ import annotations

import copy

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from bpforecast import BPForecaster, BPRegressor
from bpforecast.pruning import (
    LayerPruning,
    PruningReport,
    prune,
    prune_forecaster,
    prune_units,
    prune_weights,
)

matplotlib.use("Agg")

SLACK = 1 + 1e-9  # the documented rounding slack of the validation bound


def planted_inputs(seed: int, n: int = 450, n_train: int = 300):
    """Inputs: two noisy copies of a signal, two pure-noise inputs, a duplicate.

    Columns: ``s0, s1`` (signal ``z`` plus a little noise), ``n0, n1`` (pure
    noise, made exactly uncorrelated with the signal columns over the
    training rows so that the noise directions are eigenvectors of the
    correlation matrix), ``s0`` again (an exact copy). The target depends on
    ``s0 + s1`` only.
    """
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    s = np.column_stack([z + 0.1 * rng.normal(size=n), z + 0.1 * rng.normal(size=n)])
    noise = rng.normal(size=(n, 2))
    design = np.column_stack([np.ones(n_train), s[:n_train]])
    coef = np.linalg.lstsq(design, noise[:n_train], rcond=None)[0]
    noise[:n_train] -= design @ coef
    X = np.column_stack([s, noise, s[:, 0]])
    y = np.sin(s[:, 0] + s[:, 1]) + 0.05 * rng.normal(size=n)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


@pytest.fixture(scope="module")
def planted():
    Xt, yt, Xv, yv = planted_inputs(0)
    model = BPRegressor(
        (3,),
        solver="trainlm",
        alpha=0.1,
        epochs=50,
        division_ratios=(0.8, 0.2, 0.0),
        random_state=0,
    ).fit(Xt, yt)
    return model, Xt, yt, Xv, yv


@pytest.fixture(scope="module")
def deep():
    """A 6-8-6-1 network on a smooth target (for tolerance and report tests)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(260, 6))
    X[:, 4] = 0.9 * X[:, 0] + 0.1 * X[:, 4]
    y = np.tanh(X[:, 0] - X[:, 1]) + 0.3 * X[:, 2] * X[:, 3]
    model = BPRegressor(
        (8, 6), solver="trainlm", epochs=40, division_ratios=(0.8, 0.2, 0.0)
    )
    model.set_params(random_state=0).fit(X[:180], y[:180])
    return model, X[:180], y[:180], X[180:], y[180:]


def snapshot(model) -> dict:
    return {
        "coefs": [W.copy() for W in model.coefs_],
        "intercepts": [b.copy() for b in model.intercepts_],
        "params": model.get_params(),
        "history": model.history_.copy(),
    }


def assert_untouched(model, snap) -> None:
    for W, W0 in zip(model.coefs_, snap["coefs"], strict=True):
        np.testing.assert_array_equal(W, W0)
    for b, b0 in zip(model.intercepts_, snap["intercepts"], strict=True):
        np.testing.assert_array_equal(b, b0)
    assert model.get_params() == snap["params"]
    pd.testing.assert_frame_equal(model.history_, snap["history"])


def response(W: np.ndarray, direction: np.ndarray) -> float:
    """Size of the layer's net-input response to a unit input direction."""
    direction = direction / np.linalg.norm(direction)
    return float(np.linalg.norm(W.T @ direction))


# ------------------------------------------------------------ planted inputs
def test_duplicated_input_direction_is_removed_at_zero_tolerance(planted):
    model, Xt, yt, Xv, yv = planted
    # Training gives both copies (nearly) the same weights; make them differ
    # along the direction the data never visit (the outputs do not change).
    model = copy.deepcopy(model)
    shift = np.array([0.7, -0.4, 0.3])
    model.coefs_[0][0] += shift
    model.coefs_[0][4] -= shift
    pruned, report = prune_weights(model, Xv, yv, X_train=Xt, y_train=yt, tol=0.0)
    diff = np.array([1.0, 0, 0, 0, -1.0])  # s0 - copy of s0, in scaled space
    assert response(model.coefs_[0], diff) > 0.5  # the network responds to it
    assert response(pruned.coefs_[0], diff) < 1e-10
    assert report.layers[0].n_removed >= 1
    # The copy's direction has eigenvalue and saliency 0.
    assert report.layers[0].eigenvalues[-1] < 1e-12
    assert report.layers[0].saliency[-1] < 1e-12 * report.layers[0].saliency.max()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_noise_input_directions_are_removed(seed):
    Xt, yt, Xv, yv = planted_inputs(seed)
    model = BPRegressor(
        (3,),
        solver="trainlm",
        alpha=0.1,
        epochs=50,
        division_ratios=(0.8, 0.2, 0.0),
        random_state=seed,
    ).fit(Xt, yt)
    pruned, report = prune_weights(model, Xv, yv, X_train=Xt, y_train=yt, tol=0.05)
    W0, W = model.coefs_[0], pruned.coefs_[0]
    signal = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
    for j in (2, 3):  # the pure-noise inputs
        e = np.eye(5)[j]
        assert response(W0, e) > 1e-4
        assert response(W, e) < 1e-10 * response(W, signal)
    assert response(W, signal) > 0.5 * response(W0, signal)
    # Noise (2) and the copy (1) at least; the signal direction stays.
    assert 3 <= report.layers[0].n_removed <= 4
    assert report.errors.loc["after", "val_mse"] <= (
        1.05 * report.errors.loc["before", "val_mse"] * SLACK
    )


def test_removed_directions_are_orthonormal_and_projected_out(planted):
    model, Xt, yt, Xv, yv = planted
    pruned, report = prune_weights(model, Xv, yv, X_train=Xt, tol=0.05)
    for info, W in zip(report.layers, pruned.coefs_, strict=True):
        V = info.directions
        assert V.shape == (info.n_before, info.n_removed)
        np.testing.assert_allclose(V.T @ V, np.eye(V.shape[1]), atol=1e-12)
        assert np.abs(V.T @ W).max(initial=0.0) < 1e-12
    # Biases are not projected; shapes are kept.
    for b, b0 in zip(pruned.intercepts_, model.intercepts_, strict=True):
        np.testing.assert_array_equal(b, b0)
    assert [W.shape for W in pruned.coefs_] == [W.shape for W in model.coefs_]


def test_eigenvalue_order_option(planted):
    model, Xt, yt, Xv, yv = planted
    _, report = prune_weights(model, Xv, yv, X_train=Xt, order="eigenvalue", tol=0.05)
    assert report.settings["order"] == "eigenvalue"
    info = report.layers[0]
    # In eigenvalue order the removed directions are the smallest-eigenvalue ones.
    lam = info.eigenvalues
    C = (Xt - model.x_center_) * model.x_gain_
    C = C.T @ C / len(C)
    for k in range(info.n_removed):
        v = info.directions[:, k]
        np.testing.assert_allclose(v @ C @ v, lam[::-1][k], atol=1e-10)


# -------------------------------------------------------------- hidden units
def base_network(hidden=(4,), seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 3))
    y = np.tanh(X[:, 0]) - 0.5 * X[:, 1] * X[:, 2]
    model = BPRegressor(hidden, solver="trainlm", epochs=15, random_state=seed)
    return model.fit(X[:80], y[:80]), X, y


def add_units(model, layer, incoming, bias, outgoing):
    """Append hidden units to ``layer`` of a fitted model (by hand)."""
    W, W_next = model.coefs_[layer], model.coefs_[layer + 1]
    model.coefs_[layer] = np.hstack([W, np.column_stack(incoming)])
    model.intercepts_[layer] = np.append(model.intercepts_[layer], bias)
    model.coefs_[layer + 1] = np.vstack([W_next, np.vstack(outgoing)])
    sizes = list(model.architecture_.layer_sizes[1:-1])
    sizes[layer] += len(bias)
    model.hidden_layer_sizes = tuple(sizes)


def test_duplicated_hidden_units_are_removed_outputs_unchanged():
    model, X, y = base_network((4,))
    W, b = model.coefs_[0], model.intercepts_[0]
    # Unit 4 duplicates unit 1, unit 5 is unit 2 negated (a linear combination),
    # unit 6 is constant (no incoming weights).
    add_units(
        model,
        0,
        incoming=[W[:, 1], -W[:, 2], np.zeros(3)],
        bias=[b[1], -b[2], 0.7],
        outgoing=[[0.8], [-0.4], [0.3]],
    )
    assert model.hidden_layer_sizes == (7,)
    snap = snapshot(model)
    expected = model.predict(X)
    pruned, report = prune_units(model, X[80:], y[80:], X_train=X[:80], tol=0.0)
    assert pruned.hidden_layer_sizes == (4,)
    assert [W.shape for W in pruned.coefs_] == [(3, 4), (4, 1)]
    assert pruned.intercepts_[0].shape == (4,)
    np.testing.assert_allclose(pruned.predict(X), expected, rtol=0, atol=1e-10)
    info = report.layers[0]
    assert info.n_before == 7 and info.n_after == 4
    assert sorted(info.units_removed)[-1] >= 4  # an added (or its twin) unit went
    assert len(info.units_removed) == 3
    assert np.all(info.fold_residuals < 1e-10)
    assert info.output_change < 1e-10
    assert report.params["stored_after"] == report.params["stored_before"] - 3 * 5
    assert report.params["effective_after"] == report.params["stored_after"]
    assert_untouched(model, snap)


def test_duplicated_unit_in_second_hidden_layer():
    model, X, y = base_network((4, 3), seed=1)
    W, b = model.coefs_[1], model.intercepts_[1]
    add_units(model, 1, incoming=[W[:, 0]], bias=[b[0]], outgoing=[[1.5]])
    expected = model.predict(X)
    pruned, report = prune(model, X[80:], y[80:], method="units", X_train=X[:80])
    assert pruned.hidden_layer_sizes[1] == 3
    assert pruned.hidden_layer_sizes[0] <= 4
    np.testing.assert_allclose(pruned.predict(X), expected, rtol=0, atol=1e-10)
    assert [info.layer for info in report.layers] == [0, 1]
    assert report.layers[1].n_removed == 1


def test_units_rel_threshold_zero_removes_only_exact_redundancy():
    model, X, y = base_network((4,))
    W, b = model.coefs_[0], model.intercepts_[0]
    add_units(model, 0, incoming=[W[:, 3]], bias=[b[3]], outgoing=[[0.2]])
    _, report = prune_units(
        model, X[80:], y[80:], X_train=X[:80], tol=10.0, rel_threshold=1e-9
    )
    assert report.layers[0].n_removed == 1
    _, loose = prune_units(
        model, X[80:], y[80:], X_train=X[:80], tol=10.0, rel_threshold=None
    )
    assert loose.layers[0].n_removed >= 1
    assert loose.layers[0].n_after >= 1


# ----------------------------------------------------------------- tolerance
@pytest.mark.parametrize("method", ["weights", "units"])
@pytest.mark.parametrize("tol", [0.0, 0.01, 0.1, 0.5])
def test_validation_error_within_tolerance(deep, method, tol):
    model, Xt, yt, Xv, yv = deep
    kwargs = {"rel_threshold": None} if method == "units" else {}
    pruned, report = prune(
        model, Xv, yv, method=method, X_train=Xt, y_train=yt, tol=tol, **kwargs
    )
    before = np.mean((model.predict(Xv) - yv) ** 2)
    after = np.mean((pruned.predict(Xv) - yv) ** 2)
    assert after <= (1 + tol) * before * SLACK
    errors = report.errors
    assert (
        errors.loc["after", "val_mse"]
        <= (1 + tol) * errors.loc["before", "val_mse"] * SLACK
    )
    np.testing.assert_allclose(errors.loc["before", "val_mse_y"], before, rtol=1e-12)
    np.testing.assert_allclose(errors.loc["after", "val_mse_y"], after, rtol=1e-12)
    # Scaled mse = mse in y units times gain**2 (one output).
    np.testing.assert_allclose(
        errors.loc["after", "val_mse"], after * model.y_gain_[0] ** 2, rtol=1e-12
    )
    for info in report.layers:
        assert info.val_mse_after <= report.limit
        chosen = info.val_mse[info.n_removed]
        np.testing.assert_allclose(chosen, info.val_mse_after, rtol=1e-12)
        # The largest removal within the limit was taken.
        assert np.all(info.val_mse[info.n_removed + 1 :] > report.limit)


def test_larger_tolerance_prunes_at_least_as_much_in_first_layer(deep):
    model, Xt, yt, Xv, yv = deep
    removed = [
        prune_weights(model, Xv, yv, X_train=Xt, tol=tol)[1].layers[0].n_removed
        for tol in (0.0, 0.1, 1.0)
    ]
    assert removed == sorted(removed)


def test_original_untouched(deep):
    model, Xt, yt, Xv, yv = deep
    snap = snapshot(model)
    for method in ("weights", "units"):
        pruned, _ = prune(model, Xv, yv, method=method, X_train=Xt, y_train=yt, tol=0.5)
        assert pruned is not model
        assert all(
            W is not W0 for W, W0 in zip(pruned.coefs_, model.coefs_, strict=True)
        )
    assert_untouched(model, snap)


def test_x_train_none_uses_validation_inputs(deep):
    model, _, _, Xv, yv = deep
    _, report = prune_weights(model, Xv, yv, tol=0.1)
    assert report.settings["train_data"] == "X_val"
    assert report.settings["n_train"] == len(Xv)
    assert np.isnan(report.errors.loc["before", "train_mse"])


def test_multi_output_model():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    X[:, 2] = X[:, 1]
    Y = np.column_stack([np.sin(X[:, 0]), X[:, 1] ** 2])
    model = BPRegressor((5,), solver="trainlm", epochs=20, random_state=0)
    model.fit(X[:100], Y[:100])
    pruned, report = prune_weights(model, X[100:], Y[100:], X_train=X[:100])
    assert pruned.predict(X[:4]).shape == (4, 2)
    assert report.layers[0].n_removed >= 1


# ---------------------------------------------------------------- retraining
def test_retraining_weights_keeps_projection_and_never_worsens(planted):
    model, Xt, yt, Xv, yv = planted
    snap = snapshot(model)
    pruned, report = prune_weights(
        model, Xv, yv, X_train=Xt, y_train=yt, tol=0.05, retrain_epochs=5
    )
    assert report.settings["retrain_epochs"] == 5
    errors = report.errors
    assert errors.loc["after", "val_mse"] <= errors.loc["pruned", "val_mse"] * SLACK
    V = report.layers[0].directions
    assert np.abs(V.T @ pruned.coefs_[0]).max() < 1e-12
    # The copy keeps the model's settings.
    assert pruned.get_params() == model.get_params()
    if report.retrained:
        assert pruned.n_epochs_ <= 5
    assert "Retraining" in report.summary()
    assert_untouched(model, snap)


def test_retraining_units(deep):
    model, Xt, yt, Xv, yv = deep
    pruned, report = prune_units(
        model,
        Xv,
        yv,
        X_train=Xt,
        y_train=yt,
        tol=0.2,
        rel_threshold=None,
        retrain_epochs=3,
    )
    errors = report.errors
    assert errors.loc["after", "val_mse"] <= errors.loc["pruned", "val_mse"] * SLACK
    assert pruned.predict(Xv).shape == yv.shape
    assert pruned.warm_start is False and pruned.epochs == model.epochs


def test_retraining_needs_training_data(deep):
    model, _, _, Xv, yv = deep
    with pytest.raises(ValueError, match="X_train and y_train"):
        prune_weights(model, Xv, yv, retrain_epochs=2)


# -------------------------------------------------------------------- report
def test_report_fields(deep):
    model, Xt, yt, Xv, yv = deep
    _, report = prune_weights(model, Xv, yv, X_train=Xt, y_train=yt, tol=0.1)
    assert isinstance(report, PruningReport)
    assert len(report.layers) == 3
    assert all(isinstance(info, LayerPruning) for info in report.layers)
    frame = report.to_frame()
    assert list(frame.columns) == [
        "shape_before",
        "shape_after",
        "n_before",
        "n_after",
        "removed",
        "params_stored_before",
        "params_stored_after",
        "params_effective_before",
        "params_effective_after",
        "train_mse_before",
        "train_mse_after",
        "val_mse_before",
        "val_mse_after",
    ]
    assert frame["shape_before"].tolist() == ["6x8", "8x6", "6x1"]
    assert frame["params_stored_before"].sum() == 56 + 54 + 7
    for i, info in enumerate(report.layers):
        n_in, n_out = model.coefs_[i].shape
        assert info.eigenvalues.shape == (n_in,)
        assert np.all(np.diff(info.eigenvalues) <= 0)
        assert info.k.tolist() == list(range(n_in, 0, -1))
        assert info.val_mse.shape == (n_in,)
        assert frame.loc[i, "params_effective_after"] == info.n_after * n_out + n_out
    p = report.params
    assert p["effective_after"] == frame["params_effective_after"].sum()
    assert p["stored_after"] == p["stored_before"]
    assert 0 <= p["effective_reduction"] < 1
    # The first layer's "before" is the unpruned network; errors chain per layer.
    assert frame.loc[0, "val_mse_before"] == report.errors.loc["before", "val_mse"]
    for i in range(1, 3):
        assert frame.loc[i, "val_mse_before"] == frame.loc[i - 1, "val_mse_after"]
    assert list(report.errors.columns) == [
        "train_mse",
        "val_mse",
        "train_mse_y",
        "val_mse_y",
    ]
    text = report.summary()
    assert text.startswith("Pruning report: principal-component pruning of weights")
    assert "6-8-6-1" in text and "effective" in text
    assert str(report) == text
    table = report.summary_table()
    assert table["effective_before"] == p["effective_before"]


def test_units_report_frame(deep):
    model, Xt, yt, Xv, yv = deep
    pruned, report = prune_units(
        model, Xv, yv, X_train=Xt, y_train=yt, tol=0.5, rel_threshold=None
    )
    frame = report.to_frame()
    assert len(frame) == 3 and np.isnan(frame.loc[2, "n_before"])
    assert frame["shape_after"].tolist() == [
        f"{a}x{b}" for a, b in (W.shape for W in pruned.coefs_)
    ]
    assert "removal of redundant hidden units" in report.summary()
    assert report.layers[0].eigenvalues.shape == (8,)


def test_plot_renders(deep):
    import matplotlib.pyplot as plt

    model, Xt, yt, Xv, yv = deep
    for method in ("weights", "units"):
        _, report = prune(model, Xv, yv, method=method, X_train=Xt, tol=0.1)
        fig = report.plot()
        titles = [ax.get_title() for ax in fig.axes]
        assert titles == ["Eigenvalue spectrum per layer", "Validation error against k"]
        assert len(fig.axes[1].lines) >= 2 * len(report.layers)
        fig.canvas.draw()
        plt.close(fig)
    fig, axes = plt.subplots(1, 2)
    assert report.plot(axes) is fig
    plt.close(fig)


# -------------------------------------------------------------------- errors
def test_argument_errors(deep):
    model, Xt, yt, Xv, yv = deep
    with pytest.raises(ValueError, match="method"):
        prune(model, Xv, yv, method="neurons")
    with pytest.raises(ValueError, match="order"):
        prune_weights(model, Xv, yv, order="random")
    with pytest.raises(ValueError, match="tol"):
        prune_weights(model, Xv, yv, tol=-0.1)
    with pytest.raises(ValueError, match="rel_threshold"):
        prune_units(model, Xv, yv, rel_threshold=-1.0)
    with pytest.raises(ValueError, match="features"):
        prune_weights(model, Xv[:, :3], yv)
    with pytest.raises(ValueError, match="samples"):
        prune_weights(model, Xv, yv[:-1])
    with pytest.raises(ValueError, match="y_val"):
        prune_weights(model, Xv, None)
    with pytest.raises(TypeError, match="BPRegressor"):
        prune_weights(Ridge().fit(Xt, yt), Xv, yv)
    with pytest.raises(NotFittedError):
        prune_weights(BPRegressor(), Xv, yv)


# ---------------------------------------------------------------- forecaster
@pytest.fixture(scope="module")
def series():
    t = np.arange(160)
    return 3 + np.sin(t / 4) + 0.5 * np.sin(t / 11)


def small_net() -> BPRegressor:
    return BPRegressor(
        (5,), solver="trainlm", epochs=25, division_ratios=(0.8, 0.2, 0.0)
    )


def test_prune_forecaster_recursive(series):
    f = BPForecaster(small_net(), lags=8, n_models=2, random_state=0).fit(series)
    models = [copy.deepcopy(m) for m in f.models_]
    before = f.predict(5)
    pruned, reports = prune_forecaster(f, method="weights", val_fraction=0.25, tol=0.02)
    # Two pipelines (log and not) of two networks, in the order of models_.
    assert len(reports) == 4 and all(isinstance(r, PruningReport) for r in reports)
    assert pruned.models_ == pruned.pipelines_[0].models_ + pruned.pipelines_[1].models_
    n = len(f.X_train_)
    n_val = int(np.ceil(0.25 * n))
    for r in reports:
        assert r.settings["n_val"] == n_val
        assert r.settings["n_train"] == n - n_val
        assert r.errors.loc["after", "val_mse"] <= (
            1.02 * r.errors.loc["before", "val_mse"] * SLACK
        )
    assert pruned.predict(5).shape == (5,)
    # The original forecaster is untouched.
    pd.testing.assert_series_equal(f.predict(5), before)
    for m, m0 in zip(f.models_, models, strict=True):
        for W, W0 in zip(m.coefs_, m0.coefs_, strict=True):
            np.testing.assert_array_equal(W, W0)
    assert pruned.models_[0] is not f.models_[0]


def test_prune_forecaster_direct_units(series):
    f = BPForecaster(
        small_net(), lags=6, horizon=2, strategy="direct", n_models=1, random_state=0
    ).fit(series)
    pruned, reports = prune_forecaster(f, method="units", tol=0.05)
    assert len(reports) == 2 and len(reports[0]) == 2  # a network per pipeline
    assert reports[1][0].method == "units"
    assert pruned.predict(2).shape == (2,)


def test_prune_forecaster_errors(series):
    f = BPForecaster(Ridge(), lags=4, n_models=1).fit(series)
    with pytest.raises(TypeError, match="BPRegressor"):
        prune_forecaster(f)
    g = BPForecaster(small_net(), lags=4, n_models=1, random_state=0).fit(series)
    with pytest.raises(ValueError, match="val_fraction"):
        prune_forecaster(g, val_fraction=1.5)
    with pytest.raises(TypeError, match="X_train"):
        prune_forecaster(g, X_train=np.zeros((3, 3)))
