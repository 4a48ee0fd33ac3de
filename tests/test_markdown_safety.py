"""Markdown exports show candidate text as typed when a real renderer turns them into HTML.

The renderers are markdown-it-py's CommonMark and GitHub-like presets with raw HTML allowed, and
with every link kept (many renderers do not filter `javascript:` links as markdown-it does).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from agent.domain.evaluation import Evaluation, EvidenceQuote
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.transcript import Header, Transcript, Turn
from agent.reports.markdown import evaluation_markdown, md_text, transcript_markdown
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from agent.visible import visible_controls
from tests.conftest import FIXED_START, FakeBrain, FixedClock, complete
from tests.rendered import Page, renderers

HOSTILE = [
    "<script>alert('owned')</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    "[click me](javascript:alert(document.cookie))",
    "![x](javascript:alert(2))",
    "<javascript:alert(3)>",
    "[ref][1]",
    "[1]: javascript:alert(4)",
    "&lt;script&gt;alert(5)&lt;/script&gt;",
    "<a href='javascript:alert(6)'>hi</a>",
    "**bold** _em_ `code` ~~gone~~ | a | b |",
    "# Heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "    not code",
    "===",
]
STRUCTURE = {"h1", "h2", "h3", "h4", "p", "strong", "em", "blockquote", "ul", "li", "br"}
TABLES = {"table", "thead", "tbody", "tr", "th", "td"}


RENDERERS = renderers()


def hostile_transcript(store: TranscriptStore, rubric: Rubric) -> tuple[Transcript, Evaluation]:
    quote = HOSTILE[0]
    brain = FakeBrain(default=complete())
    session, _ = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(question_count=1, max_followups=0),
        clock=FixedClock(),
        interview_id="hostile",
        candidate="<img src=x onerror=alert(7)> [Ada](javascript:alert(8))",
    )
    session.submit("\n".join(HOSTILE))
    session.close()
    transcript = store.load("hostile")
    evaluation = transcript.evaluation
    assert evaluation is not None
    question = evaluation.questions[0].model_copy(
        update={
            "evidence": [EvidenceQuote(claim="action", quote=quote)],
            "notes": ["[note](javascript:alert(9))"],
            "rationale": "<script>alert(10)</script>",
        }
    )
    changed = evaluation.model_copy(
        update={"questions": [question], "strengths": ["<iframe src=x>"], "concerns": ["- [x](javascript:y)"]}
    )
    return transcript.model_copy(
        update={"records": [r for r in transcript.records if r.type != "evaluation"]}
    ), changed


def assert_inert(page: Page) -> None:
    """Only Starling's own structure; at most a bare web address a renderer linked by itself."""
    assert page.names <= STRUCTURE | TABLES | {"code", "a"}, page.names
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert "javascript:" not in (value or "").lower()
            if tag == "a":
                assert name == "href" and (value or "").startswith(("http://", "https://", "mailto:"))
            else:
                pytest.fail(f"<{tag} {name}={value!r}> came from text")


@pytest.mark.parametrize("md", RENDERERS, ids=["commonmark", "gfm-like"])
def test_hostile_candidate_text_renders_as_text(
    md: MarkdownIt, store: TranscriptStore, rubric: Rubric
) -> None:
    transcript, evaluation = hostile_transcript(store, rubric)
    documents = (
        transcript_markdown(transcript),
        evaluation_markdown(evaluation),
        evaluation_markdown(evaluation, coaching=False),
    )
    for document in documents:
        page = Page(md.render(document))
        assert_inert(page)
    transcript_page = Page(md.render(transcript_markdown(transcript)))
    for line in HOSTILE:
        assert " ".join(line.split()) in transcript_page.text, line
    assert "with <img src=x onerror=alert(7)> [Ada](javascript:alert(8))" in transcript_page.text
    evaluation_page = Page(md.render(evaluation_markdown(evaluation, coaching=False)))  # the reviewer's
    for shown in ("<script>alert(10)</script>", "<iframe src=x>", "- [x](javascript:y)", HOSTILE[0]):
        assert shown in evaluation_page.text


def test_ordinary_text_reads_normally(store: TranscriptStore, rubric: Rubric) -> None:
    plain = "I called the customer back the same day; she renewed for 2 years (about 40% more)."
    assert md_text(plain) == plain  # nothing to escape, so the Markdown file reads as written
    text = transcript_markdown(
        Transcript(
            header=_header(),
            records=[Turn(seq=1, at=FIXED_START, role="candidate", text=f"{plain}\n\nIt worked.")],
        )
    )
    assert f"> {plain}\n>\n> It worked.\n" in text
    page = Page(RENDERERS[0].render(text))
    assert plain in page.text and "It worked." in page.text
    assert "blockquote" in page.names


_PERSON_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # any character a person can type (no lone surrogates)
        st.sampled_from(list("<>[]()!*_`~#|&;:/\\=-+.1 \n\t\"'")),
    ),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(answer=_PERSON_TEXT)
def test_any_answer_renders_exactly_as_typed(answer: str) -> None:
    """Whatever a person types comes back out of a renderer as the same words, and only as words."""
    document = transcript_markdown(
        Transcript(header=_header(), records=[Turn(seq=1, at=FIXED_START, role="candidate", text=answer)])
    )
    for md in RENDERERS:
        page = Page(md.render(document))
        assert_inert(page)
        start = page.text.index("Candidate:") + len("Candidate:")
        assert page.text[start:].strip() == " ".join(visible_controls(answer).split())


def _header() -> Header:
    return Header(
        seq=0,
        at=FIXED_START + timedelta(minutes=1),
        interview_id="plain",
        rubric_id="customer-focus",
        rubric_version="1.0.0",
        rubric_hash="sha256:0000",
        mode="practice",
        config=InterviewConfig(question_count=1, max_followups=0, seed=1),
        plan=["upset-customer"],
        brain="fake",
        starling_version="test",
    )
