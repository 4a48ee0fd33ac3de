"""A whole assessment interview at 80x24: the candidate sees only the conversation, then thanks."""

from __future__ import annotations

from agent.storage import TranscriptStore
from agent.ui.messages import EvaluationReady
from agent.ui.screens.thanks import ThanksScreen
from agent.ui.widgets.star_panel import StarPanel

from .conftest import AppFactory
from .helpers import INTERVIEW_ID, STRONG, WEAK_TYPED, Recorder, answer, flat, screen_text, start


async def test_whole_assessment_interview_at_80x24(make_app: AppFactory, store: TranscriptStore) -> None:
    recorder = Recorder()
    app = make_app(mode="assessment")
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        chat = await start(pilot)
        assert chat.session is not None and chat.session.state.mode == "assessment"
        assert not chat.query_one(StarPanel).display
        assert "Assessment · Customer focus" in screen_text(app)

        await answer(pilot, WEAK_TYPED, typed=True)
        text = flat(screen_text(app))
        assert chat.session.turns[-1].ask == "followup"
        assert "Interviewer · Follow-up" in text
        assert "Follow-up:" not in text, "no hint about what the probe is after"
        for hidden in ("STAR check", "Why this follow-up", "missing", "Score"):
            assert hidden not in text

        await answer(pilot, STRONG)
        await answer(pilot, STRONG)
        assert chat.finished
        assert "Finish (enter)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ThanksScreen)
        text = flat(screen_text(app))
        assert "Thank you" in text
        assert INTERVIEW_ID in text
        for hidden in ("Recommendation", "/5", "Score", "coaching"):
            assert hidden not in text

        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"

    assert len(recorder.of(EvaluationReady)) == 1
    transcript = store.load(INTERVIEW_ID)
    assert transcript.header.mode == "assessment"
    assert transcript.evaluation is not None, "the reviewer's report is on disk"
