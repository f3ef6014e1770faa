"""Figures whose text is drawn exactly as typed: a name is never read as mathtext or TeX.

matplotlib reads text between two ``$`` signs as mathtext, so a unit called ``$x^$`` made every
figure that named it fail to draw, and ``$\\frac{1}{2}$`` drew a fraction. Every figure tisa
draws is a `PlainTextFigure`: just before each drawing, every text artist of the figure (titles,
labels, annotations, legends and the tick labels set from names) is switched to plain text
(``parse_math=False``, ``usetex=False``). Doing it at drawing time covers text added after the
figure was built, by whoever adds it.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text


def as_plain_text(figure: Figure) -> None:
    """Switch every text artist of ``figure`` to plain text (no mathtext, no TeX)."""
    for text in figure.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)


class PlainTextFigure(Figure):
    """A `Figure` that draws every text as plain text (see the module docstring)."""

    def draw(self, renderer) -> None:  # type: ignore[override]
        as_plain_text(self)
        super().draw(renderer)
