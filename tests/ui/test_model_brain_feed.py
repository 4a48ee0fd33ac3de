"""With a model-backed brain, the chat shows its progress: the follow-up as it is written, usage, fallbacks."""

from __future__ import annotations

from textual.message_pump import MessagePump

from agent.brains.llm import LlmBrain, LlmConfig
from agent.brains.llm.events import FollowUpDrafted
from agent.brains.protocol import Brain
from agent.domain.usage import Usage
from agent.llm.errors import ModelServerError
from agent.llm.fake import ScriptedChatModel
from agent.llm.protocol import ChatResponse
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.brain_feed import BrainFeed, BrainProgressed
from agent.ui.jobs import StartRequest, start_session
from agent.ui.services import BrainChoice, Services
from tests.llm.conftest import FakeTime
from tests.llm.outputs import analysis_output

from .conftest import AppFactory
from .helpers import Recorder, answer, fixed_clock, screen_text, scripted_brain, settle, start

WEAK = "We sorted out a customer's late order last month."


def model(fake: ScriptedChatModel) -> BrainChoice:
    """The model brain as the app builds it: reporting to the listener it is built with."""
    clock = FakeTime()

    def build(_settings: Settings, *, listener: BrainFeed | None = None) -> Brain:
        return LlmBrain(
            fake,
            LlmConfig(model="gpt-4o-mini"),
            retrier=clock.retrier(max_attempts=1),
            listener=listener,
            clock=clock.clock,
        )

    return BrainChoice("openai", "Model", build)


async def test_the_followup_streams_in_and_usage_is_totalled(make_app: AppFactory) -> None:
    wording = [{"target": "ownership", "question": "What did you yourself do about the late order?"}]
    reply = ChatResponse(
        content=analysis_output(statuses="+-~+", ownership="unclear", followups=wording),
        usage=Usage(prompt_tokens=600, completion_tokens=80, cost_usd=0.0001),
    )
    app = make_app(brains=[model(ScriptedChatModel.of(reply))])
    recorder = Recorder()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await start(pilot)
        await answer(pilot, WEAK)
        await settle(pilot)
        drafts = [m.event for m in recorder.of(BrainProgressed) if isinstance(m.event, FollowUpDrafted)]
        assert drafts and drafts[-1].text.startswith("What did you yourself do")
        text = screen_text(app)
        assert "What did you yourself do about the late order?" in text
        assert "writing…" not in text  # the draft made way for the asked turn
        assert "680 tokens" in text


async def test_a_dead_model_falls_back_and_says_so(make_app: AppFactory) -> None:
    app = make_app(brains=[model(ScriptedChatModel.of(ModelServerError("down"), ModelServerError("down")))])
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, WEAK)
        await settle(pilot)
        notices = " ".join(str(n.message) for n in app._notifications)
        assert "offline brain" in notices.lower()


def test_the_brain_is_built_with_the_screens_feed_when_started_and_when_resumed(settings: Settings) -> None:
    heard: list[BrainFeed | None] = []

    def build(_settings: Settings, *, listener: BrainFeed | None = None) -> Brain:
        heard.append(listener)
        return scripted_brain()

    services = Services(
        settings=settings,
        store=TranscriptStore(settings.transcripts_dir),
        brains=[BrainChoice("offline", "Offline", build)],
        clock=fixed_clock,
    )
    feed = BrainFeed(MessagePump())
    session, _ = start_session(services, StartRequest(rubric_id="customer-focus"), listener=feed)
    session.close()
    resumed, _ = start_session(services, StartRequest(resume_id=session.interview_id), listener=feed)
    resumed.close()
    assert heard == [feed, feed]
