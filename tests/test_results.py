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
