"""Dimension scores as text bars with numbers; `not_assessed` is written out, never drawn as zero.

Names are never cut: when a name and its bar do not fit on one line, the bar goes under the name.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.widgets import Static

from agent.domain.evaluation import CompetencyScore, DimensionScore
from agent.ui.labels import bar

BAR_WIDTH = 20
MIN_BAR_WIDTH = 5
SCORE_WIDTH = len(" 4.0/5")
INDENT = "  "


def chart(dimensions: Sequence[DimensionScore | CompetencyScore], width: int = 0) -> Content:
    """One line per dimension when `width` allows it (or is unknown), else a name line and a bar line."""
    if not dimensions:
        return Content("")
    name_width = max(Content(d.name).cell_length for d in dimensions)
    level_width = max((len(d.level or "") + 1 for d in dimensions if d.status == "assessed"), default=0)
    tail = 1 + BAR_WIDTH + SCORE_WIDTH + level_width
    if width <= 0 or name_width + tail <= width:
        return Content("\n").join(
            Content.assemble(
                Content(d.name).pad_right(name_width - Content(d.name).cell_length), " ", _bar(d)
            )
            for d in dimensions
        )
    bar_width = max(MIN_BAR_WIDTH, min(BAR_WIDTH, width - len(INDENT) - SCORE_WIDTH - level_width))
    rows: list[Content] = []
    for d in dimensions:
        rows.append(Content(d.name))
        rows.append(Content.assemble(INDENT, _bar(d, bar_width)))
    return Content("\n").join(rows)


def _bar(dimension: DimensionScore | CompetencyScore, width: int = BAR_WIDTH) -> Content:
    if dimension.status != "assessed":
        return bar(None, width)
    level = Content.styled(f" {dimension.level}" if dimension.level else "", "$text-muted")
    return Content.assemble(bar(dimension.score, width), level)


class ScoreChart(Static):
    def __init__(
        self, dimensions: Sequence[DimensionScore | CompetencyScore], *, id: str | None = None
    ) -> None:
        super().__init__(chart(dimensions), id=id, classes="chart")
        self.dimensions = dimensions
        self._width = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.update(chart(self.dimensions, self._width))
