"""The results base: summaries print as text and render as HTML alike."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bpforecast import BPRegressor
from bpforecast.results import Results, Summary, format_value


def _html_cells(markup: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", markup)


def test_text_and_html_carry_the_same_rows():
    s = Summary(
        "Title <x>",
        [("Part A", [("alpha", 0.5), ("count", 3)]), (None, [("name", "a&b")])],
        notes=["a note"],
    )
    text = s.as_text()
    assert text.splitlines()[0] == "Title <x>"
    for label, value in (("alpha", "0.5"), ("count", "3"), ("name", "a&b")):
        line = next(ln for ln in text.splitlines() if ln.startswith(label + ":"))
        assert line.endswith(value)
    assert _html_cells(s.as_html()) == [
        "alpha",
        "0.5",
        "count",
        "3",
        "name",
        "a&amp;b",
    ]
    assert "<caption>Title &lt;x&gt;</caption>" in s.as_html()
    assert s._repr_html_() == s.as_html()
    assert "a note" in text and "a note" in s.as_html()


def test_summary_is_still_a_string():
    s = Summary("T", [(None, [("x", 1.0)])])
    assert isinstance(s, str)
    assert s == s.as_text()
    assert s.splitlines()[-1].startswith("x:")


@pytest.mark.parametrize(
    ("value", "text"),
    [(1 / 3, "0.333333"), (np.float32(2.5), "2.5"), (np.int64(4), "4"), (True, "True")],
)
def test_format_value(value, text):
    assert format_value(value) == text


def test_results_base_is_abstract():
    with pytest.raises(TypeError):
        Results()


def test_relative_error_report_is_a_results_object():
    X = np.linspace(1, 3, 40).reshape(-1, 1)
    model = BPRegressor((2,), random_state=0).fit(X, X.ravel())
    report = model.report(X, X.ravel())
    assert isinstance(report, Results)
    summary = report.summary()
    assert isinstance(summary, Summary)
    cells = _html_cells(report._repr_html_())
    assert cells[cells.index("Solver") + 1] == "traingdx"
    assert cells[cells.index("Stop reason") + 1] == model.stop_reason_
    assert str(report) == summary.as_text()


def test_backtest_result_is_a_results_object():
    from bpforecast.datasets import load_nile
    from bpforecast.evaluation.backtesting import backtest
    from bpforecast.forecasting.baselines import Naive

    y = load_nile()
    result = backtest(Naive(), y, initial=80, horizon=5, step=5)
    assert isinstance(result, Results)
    summary = result.summary()
    # The naive forecast's MAE, computed here from the series itself.
    values = y.to_numpy()
    maes = [
        np.mean(np.abs(values[o : o + 5] - values[o - 1])) for o in (80, 85, 90, 95)
    ]
    row = next(ln for ln in summary.splitlines() if ln.startswith("mae:"))
    assert float(row.split()[-1]) == pytest.approx(np.mean(maes), rel=1e-5)
    html = result._repr_html_()
    assert "<table" in html and "Per-fold spread" in html
    assert result.to_frame().equals(result.folds)


def test_pruning_report_is_a_results_object():
    from bpforecast.pruning import prune_units

    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    y = X[:, 0] - X[:, 1]
    model = BPRegressor((4,), solver="trainlm", epochs=20, random_state=0)
    _, report = prune_units(model.fit(X, y), X[150:], y[150:], X_train=X)
    assert isinstance(report, Results)
    text = str(report)
    assert text.splitlines()[0] == "Pruning report: removal of redundant hidden units"
    for when in ("before", "pruned", "after"):
        assert any(line.startswith(when) for line in text.splitlines())
    assert report._repr_html_().count("<table") == 3
