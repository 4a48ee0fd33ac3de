"""Dimension scores as text bars with numbers; `not_assessed` is written out, never drawn as zero."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent.domain.evaluation import DimensionScore
from agent.ui.labels import bar

NAME_WIDTH = 30
BAR_WIDTH = 20


def chart(dimensions: list[DimensionScore]) -> Content:
    rows: list[Content] = []
    for dimension in dimensions:
        name = Content(dimension.name).truncate(NAME_WIDTH, ellipsis=True, pad=True)
        if dimension.status == "assessed":
            level = Content.styled(f" {dimension.level}" if dimension.level else "", "$text-muted")
            rows.append(Content.assemble(name, " ", bar(dimension.score, BAR_WIDTH), level))
        else:
            rows.append(Content.assemble(name, " ", bar(None, BAR_WIDTH)))
    return Content("\n").join(rows)


class ScoreChart(Static):
    def __init__(self, dimensions: list[DimensionScore], *, id: str | None = None) -> None:
        super().__init__(chart(dimensions), id=id, classes="chart")
