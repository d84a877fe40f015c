"""bpforecast.plotting: MATLAB's training and diagnostic plots."""

import re

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from bpforecast import BPRegressor  # noqa: E402
from bpforecast import matlab as nn  # noqa: E402
from bpforecast.plotting import (  # noqa: E402
    plot_forecast,
    ploterrcorr,
    ploterrhist,
    plotinerrcorr,
    plotperform,
    plotregression,
    plotresponse,
    plottrainstate,
    regression_line,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def nar():
    rng = np.random.default_rng(0)
    y = np.sin(np.arange(150) / 4) + 0.1 * rng.normal(size=150)
    net = nn.narnet([1, 2], 6)
    net.divideFcn = "divideblock"
    Xs, Xi, Ai, Ts = nn.preparets(net, None, None, y)
    net, tr = nn.train(net, Xs, Ts, Xi, Ai, random_state=0)
    Y = net(Xs, Xi, Ai)
    return net, tr, Xs, Ts, Y


@pytest.fixture(scope="module")
def gdx_model():
    X = np.linspace(-1, 1, 60).reshape(-1, 1)
    return BPRegressor((3,), epochs=15, random_state=0).fit(X, X.ravel() ** 2)


def _png(fig, path):
    """Write a PNG and check it is a real, non-blank picture."""
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000
    pixels = matplotlib.image.imread(path)
    assert pixels.ndim == 3 and pixels[..., :3].std() > 0.05


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ------------------------------------------------------------ plotperform


def test_plotperform(nar, tmp_path):
    net, tr, *_ = nar
    fig = plotperform(tr)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == (
        f"Best Validation Performance is {tr.best_vperf:.5g} at epoch {tr.best_epoch}"
    )
    assert ax.get_xlabel() == f"{tr.num_epochs} Epochs"
    assert ax.get_ylabel() == "Mean Squared Error  (mse)"
    assert ax.get_yscale() == "log"
    assert _legend(ax) == ["Train", "Validation", "Test", "Best"]
    train_line = ax.get_lines()[0]
    np.testing.assert_array_equal(train_line.get_ydata(), tr.perf)
    _png(fig, tmp_path / "plotperform.png")


def test_plotperform_takes_a_model_or_network(nar, gdx_model):
    net, tr, *_ = nar
    assert plotperform(net).axes[0].get_title() == plotperform(tr).axes[0].get_title()
    ax = plotperform(gdx_model).axes[0]
    assert ax.get_title().endswith(f"at epoch {gdx_model.best_epoch_}")
    with pytest.raises(TypeError, match="training record"):
        plotperform(np.zeros(3))


def test_plotperform_without_validation_and_with_goal():
    X = np.linspace(-1, 1, 40).reshape(-1, 1)
    model = BPRegressor((2,), division=None, goal=1e-9, epochs=5, random_state=0)
    model.fit(X, X.ravel())
    ax = plotperform(model).axes[0]
    assert ax.get_title().startswith("Best Training Performance is")
    assert _legend(ax) == ["Train", "Best", "Goal"]


# --------------------------------------------------------- plottrainstate


def test_plottrainstate_trainlm(nar, tmp_path):
    _, tr, *_ = nar
    fig = plottrainstate(tr)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    n = tr.num_epochs
    assert titles == [
        f"Gradient = {tr.gradient[-1]:.5g}, at epoch {n}",
        f"Mu = {tr.mu[-1]:.5g}, at epoch {n}",
        f"Validation Checks = {tr.val_fail[-1]}, at epoch {n}",
    ]
    assert [ax.get_ylabel() for ax in fig.axes] == ["gradient", "mu", "val fail"]
    assert fig.axes[-1].get_xlabel() == f"{n} Epochs"
    np.testing.assert_array_equal(fig.axes[1].get_lines()[0].get_ydata(), tr.mu)
    _png(fig, tmp_path / "plottrainstate.png")


def test_plottrainstate_gradient_descent(gdx_model):
    fig = plottrainstate(gdx_model)
    assert fig.axes[1].get_title().startswith("Learning Rate = ")
    assert fig.axes[1].get_ylabel() == "lr"
    lr = gdx_model.history_["lr"].to_numpy()
    np.testing.assert_array_equal(fig.axes[1].get_lines()[0].get_ydata(), lr)


# --------------------------------------------------------- plotregression


def _r_from_title(title):
    return float(re.search(r"R=(\S+)$", title).group(1))


def test_plotregression_r_and_fit_line(nar, tmp_path):
    _, _, _, Ts, Y = nar
    fig = plotregression(Ts, Y)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    r = np.corrcoef(Ts.ravel(), Y.ravel())[0, 1]
    assert ax.get_title() == f"R={r:.5g}"
    assert _r_from_title(ax.get_title()) == pytest.approx(r, rel=1e-4)
    assert ax.get_xlabel() == "Target"
    slope, offset = np.polyfit(Ts.ravel(), Y.ravel(), 1)
    assert ax.get_ylabel().startswith(f"Output ~= {slope:.2g}*Target")
    fit = ax.get_lines()[1]
    x_line, y_line = fit.get_data()
    np.testing.assert_allclose(y_line, slope * x_line + offset)
    assert _legend(ax) == ["Data", "Fit", "Y = T"]
    _png(fig, tmp_path / "plotregression.png")


def test_plotregression_by_set_with_tr(nar):
    _, tr, _, Ts, Y = nar
    fig = plotregression(Ts, Y, tr=tr)
    titles = [ax.get_title() for ax in fig.axes]
    assert [t.split(":")[0] for t in titles] == [
        "Training",
        "Validation",
        "Test",
        "All",
    ]
    for title, idx in zip(titles, (tr.trainInd, tr.valInd, tr.testInd), strict=False):
        r = np.corrcoef(Ts[0, idx], Y[0, idx])[0, 1]
        assert _r_from_title(title) == pytest.approx(r, rel=1e-4)
    with pytest.raises(ValueError, match="indices"):
        plotregression(Ts[:, :50], Y[:, :50], tr=tr)


def test_plotregression_several_named_pairs():
    t = np.arange(20.0)
    fig = plotregression(t, t + 1, "Training", t, -t, "Test", t, t**2)
    assert len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "Training: R=1" and titles[1] == "Test: R=-1"
    assert titles[2] == f"R={np.corrcoef(t, t**2)[0, 1]:.5g}"


def test_regression_line_matches_numpy():
    rng = np.random.default_rng(3)
    t = rng.normal(size=50)
    y = 2 * t + rng.normal(size=50)
    R, a, b = regression_line(t, y)
    assert R == pytest.approx(np.corrcoef(t, y)[0, 1], rel=1e-12)
    np.testing.assert_allclose([a, b], np.polyfit(t, y, 1))
    assert np.isnan(regression_line(np.ones(5), t[:5])[0])


# ------------------------------------------------------------ ploterrhist


def test_ploterrhist(nar, tmp_path):
    _, tr, _, Ts, Y = nar
    E = nn.gsubtract(Ts, Y)
    fig = ploterrhist(E)
    ax = fig.axes[0]
    assert len(fig.axes) == 1
    assert ax.get_title() == "Error Histogram with 20 Bins"
    assert ax.get_xlabel() == "Errors = Targets - Outputs"
    assert ax.get_ylabel() == "Instances"
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 20 and sum(heights) == E.size
    _png(fig, tmp_path / "ploterrhist.png")

    by_set = ploterrhist(E, tr=tr, bins=10).axes[0]
    assert by_set.get_title() == "Error Histogram with 10 Bins"
    assert len(by_set.patches) == 30  # three stacked sets
    assert _legend(by_set) == ["Training", "Validation", "Test", "Zero Error"]


def test_ploterrhist_named_sets():
    rng = np.random.default_rng(0)
    ax = ploterrhist(rng.normal(size=30), "Training", rng.normal(size=10), "Test")
    assert _legend(ax.axes[0]) == ["Training", "Test", "Zero Error"]


# ------------------------------------------------ ploterrcorr, plotinerrcorr


def test_ploterrcorr(nar, tmp_path):
    _, _, _, Ts, Y = nar
    E = nn.gsubtract(Ts, Y)[0]
    fig = ploterrcorr(E)
    ax = fig.axes[0]
    assert ax.get_title() == "Autocorrelation of Error 1"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Lag", "Correlation")
    bars = ax.patches
    assert len(bars) == 41
    heights = np.array([b.get_height() for b in bars])
    assert heights[20] == pytest.approx(np.mean(E**2))  # zero lag: the mse
    assert heights[21] == pytest.approx(np.sum(E[:-1] * E[1:]) / E.size)
    np.testing.assert_allclose(heights, heights[::-1])  # symmetric
    limit = 1.96 * np.mean(E**2) / np.sqrt(E.size)
    ys = {round(line.get_ydata()[0], 12) for line in ax.get_lines()}
    assert round(limit, 12) in ys and round(-limit, 12) in ys
    _png(fig, tmp_path / "ploterrcorr.png")
    assert len(ploterrcorr(E[:8]).axes[0].patches) == 15  # maxlag capped at N-1


def test_plotinerrcorr(nar, tmp_path):
    _, _, Xs, Ts, Y = nar
    E = nn.gsubtract(Ts, Y)
    fig = plotinerrcorr(Xs, E)
    ax = fig.axes[0]
    assert ax.get_title() == "Correlation between Input 1 and Error 1"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Lag", "Correlation")
    heights = np.array([b.get_height() for b in ax.patches])
    assert len(heights) == 41 and np.all(np.abs(heights) <= 1 + 1e-12)
    assert heights[20] == pytest.approx(np.corrcoef(Xs[0], E[0])[0, 1])
    _png(fig, tmp_path / "plotinerrcorr.png")
    with pytest.raises(ValueError, match="differ in length"):
        plotinerrcorr(Xs[0, :10], E)


# ----------------------------------------------------------- plotresponse


def test_plotresponse(nar, tmp_path):
    _, tr, _, Ts, Y = nar
    fig = plotresponse(Ts, Y)
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    assert top.get_title() == "Response of Output Element 1 for Time-Series 1"
    assert top.get_ylabel() == "Output and Target"
    assert (bottom.get_ylabel(), bottom.get_xlabel()) == ("Error", "Time")
    np.testing.assert_allclose(bottom.get_lines()[0].get_ydata(), (Ts - Y)[0])
    _png(fig, tmp_path / "plotresponse.png")

    by_set = plotresponse(Ts, Y, tr=tr, time=np.arange(Ts.shape[1]) + 1900)
    labels = _legend(by_set.axes[0])
    assert labels[:2] == ["Training Targets", "Training Outputs"]
    assert "Test Outputs" in labels and labels[-1] == "Response"
    assert by_set.axes[1].get_lines()[0].get_xdata()[0] == 1900


# ----------------------------------------------------- the training record


def test_plots_read_the_record_sources_alike(nar, gdx_model):
    """A BPRegressor, its MATLAB tr view and a trained Network draw the same."""
    net, tr, *_ = nar
    assert tr.history is net.regressor.history_  # tr is a view, not a copy
    from_net = plottrainstate(net).axes
    from_tr = plottrainstate(tr).axes
    from_model = plottrainstate(net.regressor).axes
    for a, b, c in zip(from_net, from_tr, from_model, strict=True):
        assert a.get_title() == b.get_title() == c.get_title()
        np.testing.assert_array_equal(
            a.get_lines()[0].get_ydata(), c.get_lines()[0].get_ydata()
        )
    assert plotperform(gdx_model).axes[0].get_lines()[0].get_ydata().size == (
        gdx_model.n_epochs_ + 1
    )


def test_plots_take_the_training_loops_result_without_indices():
    from types import SimpleNamespace

    history = {
        "perf": [1.0, 0.5, 0.25],
        "vperf": [float("nan")] * 3,
        "tperf": [float("nan")] * 3,
        "lr": [0.01, 0.0105, 0.011],
        "gradient": [1.0, 0.8, 0.6],
        "val_fail": [0, 0, 0],
    }
    result = SimpleNamespace(history=history, best_epoch=2, n_epochs=2)
    ax = plotperform(result).axes[0]
    assert ax.get_title() == "Best Training Performance is 0.25 at epoch 2"
    with pytest.raises(TypeError, match="no division indices"):
        plotresponse(np.zeros(5), np.zeros(5), tr=result)


def test_untrained_network_is_refused():
    with pytest.raises(ValueError, match="not trained"):
        plotperform(nn.fitnet(3))


# ---------------------------------------------------------- plot_forecast


@pytest.fixture
def dated():
    index = pd.date_range("2000-01-01", periods=60, freq="MS", name="month")
    y = pd.Series(np.sin(np.arange(60) / 3) + 5, index=index, name="sales")
    future = pd.date_range("2005-01-01", periods=6, freq="MS", name="month")
    fc = np.sin(np.arange(60, 66) / 3) + 5
    table = pd.DataFrame(
        {"forecast": fc, "lower": fc - 0.3, "upper": fc + 0.3}, index=future
    )
    return y, table


def test_plot_forecast_writes_a_png_with_history_forecast_and_band(dated, tmp_path):
    y, table = dated
    fig = plot_forecast(y, table, coverage=0.8, title="Sales", n_history=24)
    ax = fig.axes[0]
    history, forecast = ax.get_lines()
    assert (history.get_label(), forecast.get_label()) == ("history", "forecast")
    np.testing.assert_array_equal(history.get_ydata(), y.to_numpy()[-24:])
    # The forecast line starts at the last observation, then the forecasts.
    np.testing.assert_array_equal(
        forecast.get_ydata(), np.r_[y.to_numpy()[-1], table["forecast"].to_numpy()]
    )
    bands = [c for c in ax.collections if c.get_label() == "80% interval"]
    assert len(bands) == 1
    vertices = bands[0].get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx(table["lower"].min())
    assert vertices[:, 1].max() == pytest.approx(table["upper"].max())
    assert ax.get_title() == "Sales"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("month", "sales")
    assert _legend(ax) == ["history", "forecast", "80% interval"]
    _png(fig, tmp_path / "forecast.png")


def test_plot_forecast_arrays_an_explicit_interval_and_given_axes(tmp_path):
    y = np.cos(np.arange(30) / 4)
    fc = np.cos(np.arange(30, 35) / 4)
    fig, ax = plt.subplots()
    out = plot_forecast(y, fc, (fc - 0.1, fc + 0.1), ax=ax)
    assert out is fig
    forecast = ax.get_lines()[1]
    np.testing.assert_array_equal(forecast.get_xdata(), np.arange(29, 35))
    assert [c.get_label() for c in ax.collections] == ["interval"]
    assert ax.get_xlabel() == "time step"
    no_band = plot_forecast(y, fc).axes[0]
    assert len(no_band.collections) == 0 and len(no_band.get_lines()) == 2
    _png(fig, tmp_path / "forecast_arrays.png")


def test_plot_forecast_rejects_bad_input(dated):
    y, table = dated
    with pytest.raises(ValueError, match="indexed by its dates"):
        plot_forecast(y, table["forecast"].to_numpy())
    with pytest.raises(ValueError, match="'forecast' column"):
        plot_forecast(y, table.rename(columns={"forecast": "mean"}))
    with pytest.raises(ValueError, match="6 forecast steps"):
        plot_forecast(y, table["forecast"], (np.zeros(2), np.zeros(2)))
    with pytest.raises(TypeError, match="lower, upper|pair"):
        plot_forecast(y, table["forecast"], 3.0)
    with pytest.raises(ValueError, match="n_history"):
        plot_forecast(y, table, n_history=0)
