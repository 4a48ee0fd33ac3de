"""What a candidate agrees to before an invited interview starts: what is recorded, who decides, how."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from agent.interviews import InvitationDetails
from agent.refusals import REFUSALS, refusal_for
from agent.ui.candidate_access import rejoin_text
from agent.ui.jobs import StartRequest
from agent.ui.literal import literal
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.screens.refusal import RefusalScreen
from agent.ui.services import Services
from agent.ui.widgets.key_bar import KeyBar

# A rough guide for candidates: one question with its follow-ups takes about this long to answer.
MINUTES_PER_QUESTION = 5


Paragraph = Content | tuple[str, list[Content]]


def consent_parts(invitation: InvitationDetails, rejoin_minutes: float) -> list[Paragraph]:
    """The instructions and terms for the invited candidate: paragraphs, and headed lists."""
    count = invitation.question_count
    questions = "one question" if count == 1 else f"{count} questions"
    minutes = count * MINUTES_PER_QUESTION
    return [
        Content.assemble(("Welcome, ", "bold"), literal(invitation.candidate, "bold"), "."),
        Content(
            f"This written interview has {questions} about real situations you have been in, with a "
            "follow-up when part of a story is missing. It usually takes about "
            f"{minutes} minutes; there is no time limit."
        ),
        (
            "What is recorded",
            [
                Content("Your answers, word for word, with the interviewer's questions."),
                Content("An automatic structured summary of them, quoting your answers as evidence."),
            ],
        ),
        (
            "How it is used",
            [
                Content.assemble(
                    ("A person on the hiring team reviews them and makes the decision", "bold"),
                    "; nothing is decided automatically.",
                ),
                Content(
                    "Only the competency dimensions declared for this role are assessed; nothing "
                    "about your personality, confidence or emotions."
                ),
                Content("You can ask the hiring team to see or delete what was recorded."),
            ],
        ),
        (
            "How to answer",
            [
                Content(
                    "Pick one specific example per question: what happened, what you had to do, "
                    "what you did yourself, and how it ended."
                ),
                Content.assemble(
                    "Type in the box (enter adds a new line); press ", ("ctrl+s", "bold"), " to send."
                ),
                Content.assemble(
                    "No example comes to mind? Say ",
                    ("“I can't recall one”", "bold"),
                    " and the interview moves on.",
                ),
                Content(
                    "Each answer is saved when you send it. If your connection drops, open your "
                    f"link again within {rejoin_text(rejoin_minutes)} to carry on where you were."
                ),
            ],
        ),
    ]


def consent_text(invitation: InvitationDetails, rejoin_minutes: float) -> Content:
    """The same words as one block of text (for tests and plain output)."""
    blocks: list[Content] = []
    for part in consent_parts(invitation, rejoin_minutes):
        if isinstance(part, Content):
            blocks.append(part)
        else:
            title, items = part
            blocks.append(Content.styled(title, "bold"))
            blocks.extend(Content.assemble(" • ", item) for item in items)
    return Content("\n").join(blocks)


class ConsentScreen(Screen[None]):
    """The first screen a browser candidate sees; nothing is recorded until they agree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "agree", "I agree, start", show=False),
        Binding("down", "scroll('down')", "Read on", show=False),
        Binding("up", "scroll('up')", "Back up", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, services: Services, invitation: InvitationDetails) -> None:
        super().__init__()
        self.services = services
        self.invitation = invitation

    def compose(self) -> ComposeResult:
        # Not focusable: a click on the text leaves the focus on "I agree, start"; the screen's
        # arrow and page keys scroll it.
        with VerticalScroll(id="consent", can_focus=False):
            for part in consent_parts(self.invitation, self.services.settings.rejoin_minutes):
                if isinstance(part, Content):
                    yield Static(part, classes="consent-paragraph")
                    continue
                title, items = part
                yield Static(Content.styled(title, "bold $text-accent"), classes="consent-heading")
                for item in items:
                    with Horizontal(classes="consent-item"):
                        yield Static("•", classes="consent-bullet")
                        yield Static(item)
        with Horizontal(id="consent-buttons"):
            yield Button("I agree, start", variant="primary", id="agree")
            yield Button("Leave", id="leave")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#consent").border_title = "Before you start"
        self.query_one("#agree", Button).focus()
        self.watch(self.query_one("#consent", VerticalScroll), "scroll_y", self._show_more_hint)
        self.call_after_refresh(self._show_more_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_more_hint)

    def _show_more_hint(self) -> None:
        scroll = self.query_one("#consent", VerticalScroll)
        more = scroll.scroll_y < scroll.max_scroll_y
        scroll.border_subtitle = "↓ more below: press down or scroll" if more else None

    def action_scroll(self, how: str) -> None:
        scroll = self.query_one("#consent", VerticalScroll)
        {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
        }[how](animate=False)

    @on(Button.Pressed, "#agree")
    def action_agree(self) -> None:
        # The link is claimed here, on consent, not when the page opened. Back here after an
        # interview failed to start, or after a drop before it began, it is claimed already.
        interview = self.services.interview
        invitation = self.invitation
        now = self.services.clock()
        accepted = interview.claim(invitation, now) or (
            interview.state(invitation, now) == "in_progress" and interview.interview_id() is None
        )
        if not accepted:
            title, message = REFUSALS[refusal_for(interview.state(invitation, now))]
            self.app.switch_screen(RefusalScreen(title, message))
            return
        request = StartRequest(
            rubric_id=invitation.rubric_id,
            mode="assessment",
            question_count=invitation.question_count,
            candidate=invitation.candidate,
            invitation=invitation,
        )
        self.app.push_screen(ChatScreen(self.services, request))

    @on(Button.Pressed, "#leave")
    def action_leave(self) -> None:
        self.app.push_screen(
            ConfirmScreen(
                "Leave without starting?",
                "Nothing has been recorded. You can open your link again later, until it expires.",
                yes="Leave",
                no="Stay",
            ),
            self._leave_confirmed,
        )

    def _leave_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self.app.exit(0)
