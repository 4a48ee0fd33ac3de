"""The reviewer's own decision and notes on one interview, in a modal: a person decides, not the machine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea

from agent.domain.coverage import coverage
from agent.domain.evaluation import Evaluation
from agent.reviews import Decision, ReviewEntry
from agent.ui.labels import DECISION_LABEL, RECOMMENDATION_SHORT
from agent.ui.literal import literal

DECISIONS: tuple[Decision, ...] = ("advance", "hold", "reject")
MAX_NOTES = 20_000
MAX_REVIEWER = 120
PERSON_DECIDES = (
    "The machine's evaluation is evidence, not a verdict: a person makes the decision. Yours is "
    "saved apart from the evaluation, and earlier decisions are kept."
)


@dataclass(frozen=True)
class DecisionDraft:
    """What the reviewer chose and wrote; the time is added when it is recorded."""

    decision: Decision
    notes: str
    reviewer: str


def machine_line(evaluation: Evaluation | None) -> Content:
    if evaluation is None:
        return Content.styled("This interview has no machine evaluation.", "$text-muted")
    overall = "not assessed" if evaluation.overall_score is None else f"{evaluation.overall_score:.1f}/5"
    return Content.assemble(
        ("Machine says: ", "bold"),
        f"{RECOMMENDATION_SHORT[evaluation.recommendation]} (overall {overall}, "
        f"{coverage(evaluation).text}, confidence {evaluation.confidence})",
    )


def chosen_text(decision: Decision | None) -> Content:
    """The choice in words, so it does not rest on the colour of a radio button."""
    if decision is None:
        return Content.styled("Nothing chosen yet: ← → to move, space to choose.", "$text-muted")
    return Content.assemble(("Chosen: ", "bold"), DECISION_LABEL[decision])


class DecisionScreen(ModalScreen[DecisionDraft | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        *,
        candidate: str,
        evaluation: Evaluation | None,
        current: ReviewEntry | None,
        reviewer: str,
    ) -> None:
        super().__init__()
        self.candidate = candidate
        self.evaluation = evaluation
        self.current = current
        self.reviewer = reviewer

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="decision-dialog"):
            yield Static(
                Content.assemble(("Your decision on ", "bold"), literal(self.candidate, "bold")),
                id="decision-title",
            )
            yield Static(machine_line(self.evaluation), id="decision-machine")
            yield Static(Content.styled(PERSON_DECIDES, "$text-muted"), id="decision-note")
            with RadioSet(id="decision-choice", compact=True):
                for decision in DECISIONS:
                    chosen = current is not None and current.decision == decision
                    yield RadioButton(DECISION_LABEL[decision], value=chosen, name=decision)
            yield Static(chosen_text(current.decision if current else None), id="decision-chosen")
            yield Label("Notes (for the hiring team)")
            yield TextArea(current.notes if current else "", id="decision-notes", compact=True)
            with Horizontal(id="decision-reviewer-row"):
                yield Label("Reviewer ")
                yield Input(self.reviewer, max_length=MAX_REVIEWER, compact=True, id="decision-reviewer")
            with Horizontal(id="decision-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="decision-save", compact=True)
                yield Button("Cancel (esc)", id="decision-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#decision-dialog").border_title = "Reviewer's decision"
        choice = self.query_one(RadioSet)
        if self.current is not None:  # start on the standing decision, so arrows move from it
            for _ in range(DECISIONS.index(self.current.decision)):
                choice.action_next_button()
        choice.focus()

    @on(RadioSet.Changed)
    def _choice_changed(self) -> None:
        self.query_one("#decision-chosen", Static).update(chosen_text(self.chosen()))

    def chosen(self) -> Decision | None:
        pressed = self.query_one(RadioSet).pressed_button
        name = pressed.name if pressed is not None else None
        return next((d for d in DECISIONS if d == name), None)

    @on(Button.Pressed, "#decision-save")
    def action_save(self) -> None:
        decision = self.chosen()
        if decision is None:
            self.notify("Choose Advance, Hold or Reject first.", severity="warning")
            self.query_one(RadioSet).focus()
            return
        notes = self.query_one(TextArea).text.strip()
        if len(notes) > MAX_NOTES:
            self.notify(
                f"The notes are {len(notes):,} characters long; the limit is {MAX_NOTES:,}.",
                severity="warning",
            )
            return
        reviewer = " ".join(self.query_one("#decision-reviewer", Input).value.split())
        if not reviewer:
            self.notify("Say who is deciding: type your name as reviewer.", severity="warning")
            self.query_one("#decision-reviewer", Input).focus()
            return
        self.dismiss(DecisionDraft(decision, notes, reviewer))

    @on(Button.Pressed, "#decision-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
