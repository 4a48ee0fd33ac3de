"""Candidate mode: an invited interview, consent first, nothing else reachable, refused when not valid.

Each app is started as `starling serve` starts it: with its invitation's interview folder, handed
what it needs, as its whole data folder.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from textual.widgets import Static

from agent.files import private_folder
from agent.interviews import InterviewFolder
from agent.invitations import Invitation, InvitationStore
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.app import StarlingApp
from agent.ui.messages import InvitationChecked
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.screens.consent import ConsentScreen
from agent.ui.screens.help import HelpScreen
from agent.ui.screens.refusal import REFUSED_EXIT_CODE, RefusalScreen
from agent.ui.screens.thanks import ThanksScreen
from agent.web_process import hand_over

from .conftest import AppFactory
from .helpers import FIXED_NOW, INTERVIEW_ID, STRONG, Recorder, answer, flat, screen_text, settle

NAME = "Eve [b]Adams[/b]"


def invite(
    settings: Settings, *, claim: bool = True, name: str = NAME, age: timedelta = timedelta(minutes=1)
) -> Invitation:
    """An invitation as `starling invite` makes it; `claim` as if consent had been given before."""
    store = InvitationStore(settings.invitations_dir)
    invitation, _ = store.create(
        rubric_id="customer-focus", candidate=name, question_count=1, now=FIXED_NOW - age
    )
    if claim:
        assert store.claim(invitation, FIXED_NOW)
    return invitation


def interview_folder(settings: Settings, invitation: Invitation) -> InterviewFolder:
    return InvitationStore(settings.invitations_dir).interview(invitation)


def candidate_app(
    make_app: AppFactory, settings: Settings, invitation: Invitation, **options: object
) -> StarlingApp:
    """The app as the server starts it: handed its interview folder, no mode, rubric or count."""
    interview = interview_folder(settings, invitation)
    hand_over(interview, invitation, settings.home)
    return make_app(interview_dir=interview.path, question_count=None, **options)


def palette_titles(app: StarlingApp) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def test_an_invited_interview_from_consent_to_thanks(
    make_app: AppFactory, settings: Settings, store: TranscriptStore
) -> None:
    invitation = invite(settings)
    recorder = Recorder()
    app = candidate_app(make_app, settings, invitation)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        await settle(pilot)
        assert recorder.of(InvitationChecked)[0].access.invitation == invitation.details()
        assert isinstance(app.screen, ConsentScreen)
        text = flat(screen_text(app))
        assert "Welcome, Eve [b]Adams[/b]." in text, "the name is shown literally"
        for words in (
            "What is recorded",
            "word for word",
            "automatic structured summary",
            "reviews them and makes the decision",
            "nothing about your personality, confidence or emotions",
            "about 5 minutes",
        ):
            assert words in text
        assert not store.listing().summaries, "nothing is recorded before consent"

        await pilot.press("pagedown", "pagedown")
        text = flat(screen_text(app))
        assert "press ctrl+s to send" in text
        assert "I can't recall one" in text

        await pilot.press("enter")  # "I agree, start" has the focus
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.session.state.mode == "assessment"
        assert len(chat.session.state.questions) == invitation.question_count
        invitations = InvitationStore(settings.invitations_dir)
        assert invitations.interview_for(invitation) == INTERVIEW_ID, "recorded right after the start"

        await answer(pilot, STRONG)
        assert chat.finished
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ThanksScreen)
        text = flat(screen_text(app))
        assert "Thank you" in text and "closes by itself" in text
        for hidden in ("Recommendation", "/5", "Score"):
            assert hidden not in text
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0

    transcript = store.load(INTERVIEW_ID)  # as the reviewer finds it
    assert store.path_for(INTERVIEW_ID).parent == interview_folder(settings, invitation).transcripts
    assert transcript.header.invitation == invitation.id
    assert transcript.header.candidate == NAME
    assert transcript.header.mode == "assessment"
    assert transcript.evaluation is not None
    assert invitations.interview_for(invitation) == transcript.interview_id


async def test_the_thank_you_screen_closes_the_app_by_itself(
    make_app: AppFactory, settings: Settings
) -> None:
    invitation = invite(settings)
    app = candidate_app(make_app, settings, invitation, close_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#agree")
        await settle(pilot)
        await answer(pilot, STRONG)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ThanksScreen)
        await asyncio.sleep(0.5)
        assert not app.is_running
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("case", "title"),
    [
        ("unknown", "This invitation is not valid"),
        ("finished", "This interview is finished"),
        ("expired", "This invitation has expired"),
    ],
)
async def test_an_invitation_that_cannot_be_used_is_refused(
    make_app: AppFactory, settings: Settings, store: TranscriptStore, case: str, title: str
) -> None:
    # Lapsed and withdrawn links are the server's to refuse: it starts no app for them (test_web).
    invitations = InvitationStore(settings.invitations_dir)
    invitation = invite(settings, claim=case == "finished", age=timedelta(days=4 if case == "expired" else 0))
    interview = interview_folder(settings, invitation)
    if case == "unknown":  # a folder the server handed nothing, or whose details are unreadable
        app = make_app(interview_dir=private_folder(interview.path), question_count=None)
    else:
        if case == "finished":
            invitations.record_interview(invitation, "20250101-000000-done00")
            invitations.finish(invitation, FIXED_NOW)
        app = candidate_app(make_app, settings, invitation)
    before = sorted(p.name for p in interview.path.rglob("*")) + sorted(invitations.folder.iterdir())

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RefusalScreen)
        text = flat(screen_text(app))
        assert title in text
        assert "No interview was started." in text
        assert not any(isinstance(s, (ConsentScreen, ChatScreen)) for s in app.screen_stack)
        await pilot.press("ctrl+s", "h", "n")  # nothing else to reach from here
        assert isinstance(app.screen, RefusalScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == REFUSED_EXIT_CODE
    assert not store.listing().summaries and not store.listing().damaged, "no transcript was written"
    after = sorted(p.name for p in interview.path.rglob("*")) + sorted(invitations.folder.iterdir())
    assert after == before, "the invitation's files are untouched"


async def test_history_review_and_other_screens_are_out_of_reach(
    make_app: AppFactory, settings: Settings
) -> None:
    invitation = invite(settings)
    app = candidate_app(make_app, settings, invitation)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for screen in ("consent", "chat"):
            if screen == "chat":
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, ChatScreen)
            assert app.check_action("history", ()) is False
            assert app.check_action("new_interview", ()) is False
            assert not await app.run_action("app.history")
            assert not await app.run_action("app.new_interview")
            titles = palette_titles(app)
            assert not titles & {"History", "New interview", "Screenshot"}, titles
            assert "Help" in titles
            actions = {active.binding.action for active in app.active_bindings.values() if active.enabled}
            assert not {a for a in actions if a.endswith(("history", "new_interview", "resume", "export"))}
        assert type(app.screen).__name__ == "ChatScreen"
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["ConsentScreen", "ChatScreen"]

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = flat(screen_text(app))
        assert "history" not in text.lower() and "Saved in" not in text
        assert str(settings.home) not in text
        await pilot.press("escape")

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = str(app.screen.query_one("#dialog-body", Static).content)
        assert "open your link again within 30 minutes" in text and "resume" not in text.lower()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)


async def test_leaving_at_the_consent_screen_asks_and_records_nothing(
    make_app: AppFactory, settings: Settings, store: TranscriptStore
) -> None:
    invitation = invite(settings, claim=False)
    app = candidate_app(make_app, settings, invitation)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#leave")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "open your link again later" in str(app.screen.query_one("#dialog-body", Static).content)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    assert not store.listing().summaries
    invitations = InvitationStore(settings.invitations_dir)
    assert invitations.interview_for(invitation) is None
    assert invitations.state(invitation, FIXED_NOW) == "pending", "the link still works"


async def test_the_link_is_claimed_when_the_candidate_accepts_not_when_it_opens(
    make_app: AppFactory, settings: Settings
) -> None:
    invitation = invite(settings, claim=False)
    invitations = InvitationStore(settings.invitations_dir)
    app = candidate_app(make_app, settings, invitation)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        assert invitations.state(invitation, FIXED_NOW) == "pending"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert invitations.state(invitation, FIXED_NOW) == "in_progress"


async def test_a_candidate_who_comes_back_carries_on_and_a_finished_link_is_dead(
    make_app: AppFactory, settings: Settings, store: TranscriptStore
) -> None:
    invitation = invite(settings, claim=False)
    invitations = InvitationStore(settings.invitations_dir)
    first = candidate_app(make_app, settings, invitation)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        question = flat(screen_text(first))
    # The connection dropped (the app was stopped); the candidate opens the link again.
    again = candidate_app(make_app, settings, invitation)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chat = again.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None, "no second consent"
        assert chat.session.interview_id == INTERVIEW_ID, "the same interview, from its transcript"
        assert "Q1" in question and "Q1" in flat(screen_text(again))
        await answer(pilot, STRONG)
        assert chat.finished
    assert invitations.state(invitation, FIXED_NOW) == "finished"
    assert store.load(INTERVIEW_ID).evaluation is not None
    last = candidate_app(make_app, settings, invitation)
    async with last.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(last.screen, RefusalScreen)
        assert "This interview is finished" in flat(screen_text(last))


async def test_a_candidate_who_comes_back_types_at_once_even_after_clicking_the_conversation(
    make_app: AppFactory, settings: Settings
) -> None:
    invitation = invite(settings, claim=False)
    first = candidate_app(make_app, settings, invitation)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    again = candidate_app(make_app, settings, invitation)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chat = again.screen
        assert isinstance(chat, ChatScreen)
        assert again.focused is chat.answer_box, "the cursor is in the answer box on coming back"
        # A click on the question (to read it, or to bring the browser window to the front)
        # must not take the typing away from the answer box.
        await pilot.click("#conversation")
        await pilot.press(*"I did")
        assert again.focused is chat.answer_box
        assert chat.answer_box.text == "I did"


async def test_an_invitation_for_a_kit_holds_the_kit_as_it_was_handed_over(
    make_app: AppFactory, settings: Settings
) -> None:
    store = InvitationStore(settings.invitations_dir)
    invitation, _ = store.create(rubric_id="team-lead", candidate="Ada", question_count=4, now=FIXED_NOW)
    assert store.claim(invitation, FIXED_NOW)
    interview = interview_folder(settings, invitation)
    hand_over(interview, invitation, settings.home)
    held = sorted(
        p.relative_to(interview.path).as_posix() for p in (interview.path / "rubrics").rglob("*.yaml")
    )
    assert held == [
        "rubrics/conflict.yaml",
        "rubrics/kits/team-lead.yaml",
        "rubrics/leadership.yaml",
        "rubrics/ownership.yaml",
    ]
    app = make_app(interview_dir=interview.path, question_count=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # consent
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        state = chat.session.state
        assert state.rubric.id == "team-lead" and state.mode == "assessment"
        assert [q.question_id.split(".")[0] for q in state.questions] == [
            "leadership",
            "leadership",
            "conflict",
            "ownership",
        ]
        assert "Leadership and influence" in flat(screen_text(app))
