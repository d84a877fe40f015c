"""Results objects: one base for every report the package prints.

The relative-error report of a fitted network, the pruning report and the
backtest result all answer ``summary()`` the same way, as statsmodels'
results do: with a :class:`Summary` that prints as text, renders as a table
in a notebook (``_repr_html_``) and offers ``as_text()`` and ``as_html()``.

A :class:`Summary` is built from a title and sections, each a list of
``(label, value)`` rows or a table (a pandas DataFrame), so the text and the
HTML say the same thing. It is also a ``str`` (its
text), so code written when ``summary()`` returned a string keeps working.

Examples
--------
>>> from bpforecast.results import Summary
>>> s = Summary("Backtest", [("Accuracy", [("MAE", 1.5), ("folds", 3)])])
>>> print(s)
Backtest
==================================================
Accuracy
--------------------------------------------------
MAE:                                           1.5
folds:                                           3
>>> "<table" in s.as_html()
True
"""

from __future__ import annotations

import html
import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = ["Results", "Summary", "format_value"]

Rows = Sequence[tuple[str, Any]]


def format_value(value: Any) -> str:
    """A value as a summary shows it: floats to 6 significant digits.

    Examples
    --------
    >>> from bpforecast.results import format_value
    >>> format_value(3.14159265), format_value(float("nan")), format_value(7)
    ('3.14159', 'nan', '7')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)
        return "nan" if not math.isfinite(value) else f"{value:.6g}"
    return str(value)


class Summary(str):
    """A titled list of sections of ``(label, value)`` rows.

    It is the text it prints (a ``str``), and renders as HTML in a notebook.

    Parameters
    ----------
    title : str
    sections : sequence of (heading or None, rows or DataFrame)
        ``rows`` is a sequence of ``(label, value)`` pairs; a DataFrame is
        shown as a table.
    notes : iterable of str
        Lines printed after the sections.
    width : int
        Width of the text form.

    Examples
    --------
    >>> from bpforecast.results import Summary
    >>> s = Summary("Model", [(None, [("solver", "traingdx")])], notes=["Fit."])
    >>> s.splitlines()[-1]
    'Fit.'
    >>> s.sections[0][1][0]
    ('solver', 'traingdx')
    """

    title: str
    sections: list[tuple[str | None, list[tuple[str, Any]] | pd.DataFrame]]
    notes: list[str]

    def __new__(
        cls,
        title: str,
        sections: Sequence[tuple[str | None, Rows | pd.DataFrame]],
        notes: Iterable[str] = (),
        width: int = 50,
    ) -> Summary:
        sections = [
            (heading, rows if isinstance(rows, pd.DataFrame) else list(rows))
            for heading, rows in sections
        ]
        notes = list(notes)
        label_width = max(
            [
                len(str(label)) + 1
                for _, rows in sections
                if not isinstance(rows, pd.DataFrame)
                for label, _ in rows
            ]
            + [1]
        )
        lines = [title, "=" * width]
        for heading, rows in sections:
            if heading is not None:
                lines += [heading, "-" * width]
            if isinstance(rows, pd.DataFrame):
                lines += rows.to_string(float_format=format_value).splitlines()
                continue
            for label, value in rows:
                text = format_value(value)
                pad = max(width - label_width, len(text))
                lines.append(f"{str(label) + ':':<{label_width}}{text:>{pad}}")
        if notes:
            lines.append("-" * width)
            lines += notes
        self = super().__new__(cls, "\n".join(lines))
        self.title, self.sections, self.notes = title, sections, notes
        return self

    def as_text(self) -> str:
        """The plain-text form.

        Examples
        --------
        >>> from bpforecast.results import Summary
        >>> Summary("T", []).as_text()
        'T\\n=================================================='
        """
        return str.__str__(self)

    def as_html(self) -> str:
        """An HTML table: the title as caption, one header row per section.

        Examples
        --------
        >>> from bpforecast.results import Summary
        >>> Summary("T", [("S", [("a", 1)])]).as_html().count("<tr>")
        2
        """
        parts = [
            '<table class="bpforecast-summary">',
            f"<caption>{html.escape(self.title)}</caption>",
        ]
        for heading, rows in self.sections:
            if heading is not None:
                parts.append(f'<tr><th colspan="2">{html.escape(heading)}</th></tr>')
            if isinstance(rows, pd.DataFrame):
                table = rows.to_html(float_format=format_value, border=0)
                parts.append(f'<tr><td colspan="2">{table}</td></tr>')
                continue
            for label, value in rows:
                parts.append(
                    f"<tr><td>{html.escape(str(label))}</td>"
                    f'<td style="text-align:right">'
                    f"{html.escape(format_value(value))}</td></tr>"
                )
        parts.append("</table>")
        if self.notes:
            parts.append(
                "<p>" + "<br>".join(html.escape(n) for n in self.notes) + "</p>"
            )
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.as_html()

    def __repr__(self) -> str:
        return self.as_text()


class Results(ABC):
    """Base of the package's results objects.

    A subclass implements :meth:`summary` (returning a :class:`Summary`) and
    :meth:`to_frame`; printing the object prints its summary, and a notebook
    shows it as a table.

    Examples
    --------
    >>> import pandas as pd
    >>> from bpforecast.results import Results, Summary
    >>> class Scores(Results):
    ...     def summary(self):
    ...         return Summary("Scores", [(None, [("MAE", 0.5)])])
    ...     def to_frame(self):
    ...         return pd.DataFrame({"MAE": [0.5]})
    >>> print(Scores())
    Scores
    ==================================================
    MAE:                                           0.5
    """

    @abstractmethod
    def summary(self) -> Summary:
        """The results as a :class:`Summary`."""

    @abstractmethod
    def to_frame(self):
        """The results as a pandas DataFrame."""

    def __str__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()
