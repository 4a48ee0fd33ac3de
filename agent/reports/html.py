"""A self-contained HTML report of an interview: readable offline, printable, no scripts or fonts fetched."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from html import escape

from agent.domain.coaching import PRACTICE_NOTE, coaching_summary
from agent.domain.coverage import coverage
from agent.domain.evaluation import CompetencyScore, DimensionScore, Evaluation, QuestionScore
from agent.domain.transcript import Transcript, Turn
from agent.reports.markdown import RECOMMENDATION_TEXT
from agent.reviews import DECISION_LABEL, Review
from agent.visible import visible_controls as visible

_STATUS_SYMBOL = {"present": "✓ present", "partial": "~ partial", "missing": "✗ missing"}

_CSS = """
:root { color-scheme: light dark; --fg:#1d2430; --muted:#5b6675; --bg:#ffffff; --card:#f4f6f9;
  --accent:#2f6fdf; --ok:#1f8a4c; --warn:#b7791f; --bad:#c53030; --bar:#2f6fdf; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6e9ef; --muted:#a0a8b6; --bg:#14171c;
  --card:#1e232b; --accent:#7aa7ff; --bar:#7aa7ff; } }
* { box-sizing: border-box; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid var(--card); }
.meta, .muted { color: var(--muted); } .card { background: var(--card); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; border: 1px solid currentColor; }
.advance { color: var(--ok); } .borderline { color: var(--warn); } .do_not_advance { color: var(--bad); }
.insufficient_evidence { color: var(--muted); }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--card); vertical-align: top; }
blockquote { margin: 6px 0; padding: 4px 12px; border-left: 3px solid var(--accent); white-space: pre-wrap; }
.turn { margin: 10px 0; } .turn .who { font-weight: 600; } .candidate .text { white-space: pre-wrap; }
.tag { font-size: 0.85em; color: var(--muted); } svg text { fill: var(--fg); font: 13px system-ui, sans-serif; }
mark { background: #ffe58a; color: #1d2430; }
@media print { body { max-width: none; } .card { break-inside: avoid; } }
"""


def interview_html(
    transcript: Transcript, *, coaching: bool | None = None, review: Review | None = None
) -> str:
    """The whole report: evaluation (if any), the full transcript and provenance, as one HTML page.

    With `review`, the reviewer's decisions and notes come first, apart from the machine's evaluation.
    """
    header = transcript.header
    show_coaching = header.mode == "practice" if coaching is None else coaching
    title = f"Interview {header.interview_id}"
    if header.candidate:
        title += f" · {visible(header.candidate)}"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Rubric <code>{escape(header.rubric_id)}</code> v{escape(header.rubric_version)} · '
        f"mode: {escape(header.mode)} · brain: {escape(header.brain)} · started "
        f"{header.at:%Y-%m-%d %H:%M UTC}{'' if transcript.finished else ' · <strong>unfinished</strong>'}</p>",
    ]
    evaluation = transcript.evaluation
    quotes = _quotes(evaluation)
    if review is not None and review.history:
        parts.append(_review_section(review))
    if evaluation is not None:
        parts.append(_evaluation_section(evaluation, coaching=show_coaching))
    else:
        parts.append('<p class="card">No evaluation yet: the interview is not finished.</p>')
    parts.append("<h2>Transcript</h2>")
    parts.extend(_turn_html(turn, quotes) for turn in transcript.turns)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _evaluation_section(evaluation: Evaluation, *, coaching: bool) -> str:
    out = _practice_summary(evaluation) if coaching else _reviewer_summary(evaluation)
    if evaluation.competencies:
        out += ["<h3>Competencies</h3>", _score_chart(evaluation.competencies, "Competency scores")]
    out += ["<h3>Dimensions</h3>", _score_chart(evaluation.dimensions, "Dimension scores")]
    if not coaching:
        if evaluation.strengths:
            out += [
                "<h3>Strengths</h3><ul>",
                *[f"<li>{escape(s)}</li>" for s in evaluation.strengths],
                "</ul>",
            ]
        if evaluation.concerns:
            out += ["<h3>Concerns</h3><ul>", *[f"<li>{escape(c)}</li>" for c in evaluation.concerns], "</ul>"]
    if evaluation.red_flags:
        out.append(
            f"<h3>{'Watch out for' if coaching else 'Red flags'}</h3><p>"
            + ", ".join(f"<code>{escape(f)}</code>" for f in evaluation.red_flags)
            + "</p>"
        )
    out.append("<h3>Questions</h3>")
    out.extend(
        _question_html(number, q, coaching=coaching) for number, q in enumerate(evaluation.questions, 1)
    )
    p = evaluation.provenance
    out += [
        "<h3>Provenance</h3><ul>",
        f"<li>Interview <code>{escape(p.interview_id)}</code>; rubric <code>{escape(p.rubric_id)}</code> "
        f"v{escape(p.rubric_version)} ({escape(p.rubric_hash)})</li>",
        f"<li>Brain: {escape(p.brain)}; Starling {escape(p.starling_version)}</li>",
        f"<li>Started {p.interview_started_at:%Y-%m-%d %H:%M UTC}; evaluated {p.evaluated_at:%Y-%m-%d %H:%M UTC}</li>",
    ]
    if evaluation.dropped_evidence:
        out.append(
            f"<li>{evaluation.dropped_evidence} evidence quote(s) not found in the transcript were dropped.</li>"
        )
    out.append("</ul>")
    return "\n".join(out)


def _review_section(review: Review) -> str:
    out = ["<h2>Reviewer's decision</h2>"]
    for number, entry in enumerate(reversed(review.history)):
        label = "Decision" if number == 0 else "Earlier decision"
        when = f"{entry.decided_at.astimezone(UTC):%Y-%m-%d %H:%M UTC}"
        out.append(
            f'<div class="card"><p><strong>{label}: {escape(DECISION_LABEL[entry.decision])}</strong> '
            f'<span class="muted">by {escape(visible(entry.reviewer))}, {when}</span></p>'
        )
        if entry.notes.strip():
            out.append(f"<blockquote>{escape(visible(entry.notes))}</blockquote>")
        out.append("</div>")
    return "\n".join(out)


def _reviewer_summary(evaluation: Evaluation) -> list[str]:
    overall = (
        f"{evaluation.overall_score:.2f} / 5" if evaluation.overall_score is not None else "not assessed"
    )
    rec = evaluation.recommendation
    return [
        "<h2>Evaluation</h2>",
        '<div class="card">',
        f'<p><span class="badge {rec}">{escape(RECOMMENDATION_TEXT[rec])}</span> '
        f'<span class="muted">confidence: {escape(evaluation.confidence)}</span></p>',
        f"<p>Overall score: <strong>{overall}</strong> "
        f'<span class="muted">({escape(coverage(evaluation).text)})</span></p>',
        '<p class="muted">This report is evidence for a person who makes the decision. It covers only '
        "the rubric's declared dimensions.</p>",
        "</div>",
    ]


def _practice_summary(evaluation: Evaluation) -> list[str]:
    coached = coaching_summary(evaluation)
    out = [
        "<h2>Practice summary</h2>",
        '<div class="card">',
        f"<p><strong>{escape(coached.score_line)}</strong></p>",
        f'<p class="muted">{PRACTICE_NOTE}</p>',
        "</div>",
    ]
    for title, items in coached.sections:
        if items:
            out += [f"<h3>{title}</h3><ul>", *[f"<li>{escape(visible(i))}</li>" for i in items], "</ul>"]
    return out


def _score_chart(dimensions: Sequence[DimensionScore | CompetencyScore], label: str) -> str:
    """A horizontal bar chart as inline SVG; numbers are printed, so colour carries nothing alone."""
    row, label_w, bar_w = 28, 300, 400
    height = row * len(dimensions) + 10
    rows = []
    for index, d in enumerate(dimensions):
        y = index * row + 5
        rows.append(f'<text x="0" y="{y + 17}">{escape(d.name)}</text>')
        rows.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" rx="3" fill="currentColor" opacity="0.12"/>'
        )
        if d.score is None:
            rows.append(f'<text x="{label_w + 8}" y="{y + 17}">not assessed</text>')
        else:
            width = round(bar_w * d.score / 5)
            rows.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="16" rx="3" fill="var(--bar)"/>'
            )
            rows.append(
                f'<text x="{label_w + bar_w + 8}" y="{y + 17}">{d.score:.1f} / 5 ({escape(d.level or "")})</text>'
            )
    return (
        f'<svg role="img" aria-label="{label}" viewBox="0 0 {label_w + bar_w + 140} {height}" '
        f'width="100%" style="max-width:{label_w + bar_w + 140}px">' + "".join(rows) + "</svg>"
    )


def _question_html(number: int, q: QuestionScore, *, coaching: bool) -> str:
    score = f"{q.score}/5 ({escape(q.level or '')})" if q.score is not None else "not assessed"
    coverage = " · ".join(f"{slot}: {_STATUS_SYMBOL[status]}" for slot, status in q.coverage.items())
    out = [
        '<div class="card">',
        f"<h4>{number}. {escape(q.question)}</h4>",
        f"<p><strong>Score:</strong> {score}</p>",
        f"<p><strong>Why:</strong> {escape(q.rationale)}</p>",
        f'<p class="muted">STAR coverage: {coverage}</p>',
    ]
    if q.not_evidenced:
        out.append(f'<p class="muted">Not evidenced: {escape(", ".join(q.not_evidenced))}</p>')
    out.extend(f"<p><strong>Note:</strong> {escape(note)}</p>" for note in q.notes)
    for item in q.evidence:
        out.append(
            f'<blockquote><span class="tag">{escape(item.claim)}</span><br>{escape(visible(item.quote))}</blockquote>'
        )
    if coaching and q.coaching:
        out += [
            "<p><strong>What to add next time:</strong></p><ul>",
            *[f"<li>{escape(c)}</li>" for c in q.coaching],
            "</ul>",
        ]
    out.append("</div>")
    return "\n".join(out)


def _quotes(evaluation: Evaluation | None) -> list[str]:
    if evaluation is None:
        return []
    found = {visible(item.quote) for q in evaluation.questions for item in q.evidence}
    return sorted(found, key=len, reverse=True)


def _turn_html(turn: Turn, quotes: list[str]) -> str:
    if turn.role == "interviewer":
        tag: str = turn.ask or ""
        if turn.ask == "followup" and turn.target:
            tag = f"follow-up on {turn.target}"
        return (
            f'<div class="turn interviewer"><span class="who">Interviewer</span> '
            f'<span class="tag">{escape(tag)}</span><div class="text">{escape(turn.text)}</div></div>'
        )
    return (
        '<div class="turn candidate"><span class="who">Candidate</span>'
        f'<div class="text">{_highlight(visible(turn.text), quotes)}</div></div>'
    )


def _highlight(text: str, quotes: list[str]) -> str:
    """Escape the text and mark every evidence quote found in it, so a reviewer sees it in place."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        start = text.find(quote)
        while start >= 0:
            end = start + len(quote)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = text.find(quote, end)
    out, cursor = [], 0
    for start, end in sorted(spans):
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
