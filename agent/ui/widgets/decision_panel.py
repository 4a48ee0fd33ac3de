"""The reviewer's own decision, shown apart from the machine's evaluation, with who decided and when."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agent.reviews import Review, ReviewEntry
from agent.ui.labels import DECISION_LABEL
from agent.ui.literal import literal

# Earlier decisions listed under the current one; the rest are counted.
EARLIER_SHOWN = 2


def _who(entry: ReviewEntry) -> Content:
    return Content.assemble(
        " by ", literal(entry.reviewer), f" · {entry.decided_at.astimezone():%Y-%m-%d %H:%M}"
    )


def decision_text(review: Review | None) -> Content:
    current = review.current if review is not None else None
    if review is None or current is None:
        return Content.assemble(
            ("No decision yet. ", "bold"),
            "The machine's evaluation is evidence, not a verdict: a person makes the decision. "
            "Press d to record yours.",
        )
    lines = [Content.assemble((DECISION_LABEL[current.decision], "bold reverse"), _who(current))]
    if current.notes:
        lines.append(Content.assemble(("Notes: ", "bold"), literal(current.notes)))
    earlier = review.history[:-1][::-1]
    for entry in earlier[:EARLIER_SHOWN]:
        lines.append(
            Content.assemble(("Earlier: ", "$text-muted"), DECISION_LABEL[entry.decision], _who(entry))
        )
    if len(earlier) > EARLIER_SHOWN:
        lines.append(Content.styled(f"… and {len(earlier) - EARLIER_SHOWN} earlier", "$text-muted"))
    lines.append(Content.styled("A person makes the decision. Press d to change it.", "$text-muted italic"))
    return Content("\n").join(lines)


class DecisionPanel(Static):
    def __init__(self, review: Review | None = None, *, id: str | None = None) -> None:
        super().__init__(decision_text(review), id=id)

    def show(self, review: Review) -> None:
        self.update(decision_text(review))
