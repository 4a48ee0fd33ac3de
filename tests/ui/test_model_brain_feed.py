"""With a model-backed brain, the chat shows its progress: the follow-up as it is written, usage, fallbacks."""

from __future__ import annotations

from agent.brains.llm import LlmBrain, LlmConfig
from agent.brains.llm.events import FollowUpDrafted
from agent.domain.usage import Usage
from agent.llm.errors import ModelServerError
from agent.llm.fake import ScriptedChatModel
from agent.llm.protocol import ChatResponse
from agent.ui.brain_feed import BrainProgressed
from tests.llm.conftest import FakeTime
from tests.llm.outputs import analysis_output

from .conftest import AppFactory
from .helpers import Recorder, answer, screen_text, settle, start

WEAK = "We sorted out a customer's late order last month."


def brain(fake: ScriptedChatModel) -> LlmBrain:
    clock = FakeTime()
    return LlmBrain(
        fake, LlmConfig(model="gpt-4o-mini"), retrier=clock.retrier(max_attempts=1), clock=clock.clock
    )


async def test_the_followup_streams_in_and_usage_is_totalled(make_app: AppFactory) -> None:
    wording = [{"target": "ownership", "question": "What did you yourself do about the late order?"}]
    reply = ChatResponse(
        content=analysis_output(statuses="+-~+", ownership="unclear", followups=wording),
        usage=Usage(prompt_tokens=600, completion_tokens=80, cost_usd=0.0001),
    )
    model = brain(ScriptedChatModel.of(reply))
    app = make_app(brain=model)
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
    model = brain(ScriptedChatModel.of(ModelServerError("down"), ModelServerError("down")))
    app = make_app(brain=model)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, WEAK)
        await settle(pilot)
        notices = " ".join(str(n.message) for n in app._notifications)
        assert "offline brain" in notices.lower()
