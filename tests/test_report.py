"""The relative-error report: numbers against direct computation, text, plot."""

import matplotlib
import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

from bpforecast import BPRegressor
from bpforecast.estimators.report import error_metrics, relative_error

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 3, size=(120, 2))
    y = 5 + np.sin(X[:, 0]) + X[:, 1]
    model = BPRegressor(hidden_layer_sizes=(6,), random_state=0).fit(X, y)
    return model, X, y


def test_table_and_metrics_match_direct_computation(fitted):
    model, X, y = fitted
    report = model.report(X, y)
    pred = model.predict(X)
    table = report.to_frame()
    np.testing.assert_array_equal(table["expected"], y)
    np.testing.assert_array_equal(table["computed"], pred)
    np.testing.assert_allclose(table["relative_error"], (pred - y) / np.abs(y))
    m = report.metrics
    assert m["rmse"] == pytest.approx(root_mean_squared_error(y, pred), rel=1e-12)
    assert m["mae"] == pytest.approx(mean_absolute_error(y, pred), rel=1e-12)
    assert m["r2"] == pytest.approx(r2_score(y, pred), rel=1e-12)
    assert m["mape"] == pytest.approx(100 * np.mean(np.abs(pred - y) / np.abs(y)))
    assert m["max_abs_relative_error"] == pytest.approx(np.max(np.abs(pred - y) / y))
    assert m["n_relative_undefined"] == 0


def test_zero_expected_values_are_left_out_and_counted():
    expected = np.array([0.0, 1.0, -2.0, 0.0, 4.0])
    computed = np.array([0.5, 1.1, -2.2, -0.1, 4.0])
    rel = relative_error(expected, computed)
    assert np.isnan(rel[[0, 3]]).all()
    np.testing.assert_allclose(rel[[1, 2, 4]], [0.1, -0.1, 0.0])
    m = error_metrics(expected, computed)
    assert m["n_relative_undefined"] == 2
    assert m["mape"] == pytest.approx(100 * np.mean([0.1, 0.1, 0.0]))
    assert np.isfinite(m["rmse"])


def test_zero_tol_controls_what_counts_as_zero():
    expected = np.array([1e-9, 1.0])
    computed = np.array([1.0, 1.0])
    assert np.isfinite(relative_error(expected, computed)[0])
    assert np.isnan(relative_error(expected, computed, zero_tol=1e-6)[0])


def test_summary_text_names_the_state_and_numbers(fitted):
    model, X, y = fitted
    text = model.report(X, y).summary()
    for label in (
        "Architecture:",
        "2-6-1",
        "traingdx",
        "Stop reason:",
        model.stop_reason_,
        "Best epoch:",
        "Final learning rate:",
        "MAPE (%):",
        "RMSE:",
        "R^2:",
        "left out",
    ):
        assert label in text
    assert str(model.report(X, y)) == text


def test_multi_output_report():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3))
    Y = np.column_stack([X[:, 0] + 3, X[:, 1] - 3])
    model = BPRegressor(hidden_layer_sizes=(5,), epochs=50, random_state=0).fit(X, Y)
    table = model.report(X, Y).to_frame()
    assert table.index.names == ["sample", "output"]
    assert len(table) == 160


def test_report_rejects_mismatched_y(fitted):
    model, X, y = fitted
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        model.report(X, y[:-1])
    bad = y.copy()
    bad[0] = np.nan
    with pytest.raises(ValueError, match="Input y contains NaN"):
        model.report(X, bad)


def test_plot_draws_plotperform_with_best_epoch(fitted, tmp_path):
    model, X, y = fitted
    fig = model.report(X, y).plot()
    ax = fig.axes[0]
    assert ax.get_title() == "Training performance"
    assert ax.get_xlabel() == "Epoch"
    labels = [line.get_label() for line in ax.get_lines()]
    assert {"Train", "Validation", "Test"} <= set(labels)
    assert any(lab.startswith(f"Best (epoch {model.best_epoch_})") for lab in labels)
    train_line = ax.get_lines()[labels.index("Train")]
    np.testing.assert_allclose(train_line.get_ydata(), model.history_["perf"])
    path = tmp_path / "report.png"
    fig.savefig(path)
    assert path.stat().st_size > 10_000
