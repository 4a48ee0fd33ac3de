"""A plain interview in the terminal, for the CLI: questions printed, answers typed."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterable

from agent.answers import decode_input
from agent.brains.protocol import Brain
from agent.domain.policy import InterviewConfig, Mode
from agent.domain.rubric import Rubric
from agent.domain.transcript import Turn
from agent.errors import InputError
from agent.reports.text import practice_summary_text, thanks_text
from agent.session import InterviewSession, Update
from agent.storage import TranscriptStore
from agent.visible import visible_controls

# A line with only this on it sends the answer; empty lines are part of it (paragraphs).
END_OF_ANSWER = "."
HELP = (
    "Answer in as many lines and paragraphs as you like. To send it, type a line with only a "
    "full stop (.) or press ctrl+d. Type /skip to skip a question, /end to finish early."
)
EMPTY = "Your answer is empty. Type your answer, then a line with only '.' to send it (or /skip)."


def run_terminal_interview(
    *,
    rubric: Rubric | None = None,
    brain: Brain | None = None,
    store: TranscriptStore | None = None,
    mode: Mode = "practice",
    config: InterviewConfig | None = None,
    candidate: str | None = None,
    session: InterviewSession | None = None,
    pending: list[Turn] | None = None,
) -> int:
    if session is None:
        assert rubric is not None and brain is not None and store is not None
        session, update = InterviewSession.start(
            rubric=rubric, brain=brain, store=store, mode=mode, config=config, candidate=candidate
        )
        turns = update.turns
    else:
        turns = pending or []
    out = sys.stdout
    out.write(f"Starling · {session.state.rubric.title} · {session.state.mode} mode\n{_wrap(HELP)}\n\n")
    _show(turns)
    try:
        while not session.state.finished:
            try:
                answer = _read_answer()
            except UnreadableInput as error:
                _give_back(error, session.interview_id)
                return 2
            if answer is None:
                out.write(
                    f"\nStopped. Everything so far is saved; continue with: starling resume {session.interview_id}\n"
                )
                return 0
            if not answer.strip():
                out.write(f"  ({EMPTY})\n\n")
                continue
            try:
                update = _act(session, answer)
            except InputError as error:
                out.write(f"  ({error.message} {error.hint or ''})\n\n")
                continue
            _show_update(session, update)
    finally:
        session.close()
    if session.state.mode == "assessment":
        # The candidate sees the conversation and a thank-you; the report is for the reviewer.
        out.write("\n" + thanks_text(session.interview_id, _width()))
        return 0
    evaluation = session.evaluation
    if evaluation is not None:
        out.write("\n" + practice_summary_text(evaluation, _width()))
    out.write(
        f"\nSaved as {session.interview_id}. See it again with: starling transcripts show {session.interview_id}\n"
    )
    return 0


def _act(session: InterviewSession, answer: str) -> Update:
    command = answer.strip().lower()
    if command == "/skip":
        return session.skip()
    if command == "/end":
        return session.end()
    return session.submit(answer)


def _read_answer() -> str | None:
    """One answer: lines up to a line with only '.', or end of input (ctrl+d); None when there is none.

    Empty lines belong to the answer (paragraphs); those before the first line of text and after
    the last are dropped. '/skip' or '/end' as the first line is that command.
    """
    lines: list[str] = []
    sys.stdout.write("you> ")
    sys.stdout.flush()
    while True:
        try:
            line = _read_line()
        except UnreadableInput as error:
            error.unsent = [*lines, *error.unsent]
            raise
        if not line:  # end of input: ctrl+d at the start of a line, or the end of a pipe
            if not any(part.strip() for part in lines):
                return None
            sys.stdout.write("\n")
            break
        line = line.rstrip("\r\n")
        if line.strip() == END_OF_ANSWER:
            break
        if not lines and line.strip().lower() in {"/skip", "/end"}:
            return line
        if lines or line.strip():
            lines.append(line)
        sys.stdout.write("...  ")
        sys.stdout.flush()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


class UnreadableInput(InputError):
    """A typed line that is not UTF-8; `unsent` holds the answer typed so far, to give back."""

    def __init__(self, error: InputError, line: str) -> None:
        super().__init__(error.message, hint=error.hint)
        self.unsent = [line]


def _read_line() -> str:
    """One line from standard input, decoded strictly: bytes that are not UTF-8 are an error."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text stream with no bytes underneath (already decoded)
        return sys.stdin.readline()
    data: bytes = raw.readline()
    try:
        return decode_input(data, "The line you typed")
    except InputError as error:
        raise UnreadableInput(error, data.decode("utf-8", errors="replace").rstrip("\n")) from error


def _give_back(error: UnreadableInput, interview_id: str) -> None:
    """Stop with the reason, and print the unsent answer so the candidate can copy it."""
    unsent = visible_controls("\n".join(error.unsent)).strip()
    sys.stdout.write("\n")
    if unsent:
        sys.stdout.write("Your unsent answer (� marks what could not be read):\n\n" + unsent + "\n\n")
    sys.stdout.flush()
    sys.stderr.write(
        f"starling: {error.message} Nothing of this answer was saved; interview {interview_id} is "
        f"saved up to the previous one.\n{error.hint}\nContinue with: starling resume {interview_id} --terminal\n"
    )


def _show_update(session: InterviewSession, update: Update) -> None:
    if session.state.mode == "practice":
        for record in update.analyses:
            a = record.analysis
            if a.not_assessed:
                sys.stdout.write("\n  [STAR] not assessed\n")
            else:
                slots = "  ".join(
                    f"{slot}: {a.star.status(slot)}" for slot in ("situation", "task", "action", "result")
                )
                sys.stdout.write(f"\n  [STAR] {slots} · ownership {a.ownership}\n")
            for note in a.notes:  # what the reader could not do, e.g. read the answer's language
                sys.stdout.write(_wrap(f"  [note] {visible_controls(note)}", "  ") + "\n")
        for turn in update.turns:
            if turn.ask == "followup" and turn.reason:
                sys.stdout.write(_wrap(f"  [why this follow-up] {turn.target}: {turn.reason}", "  ") + "\n")
    sys.stdout.write("\n")
    _show(update.turns)


def _show(turns: Iterable[Turn]) -> None:
    for turn in turns:
        label = {
            "question": "Question",
            "followup": "Follow-up",
            "opening": "Interviewer",
            "closing": "Interviewer",
        }
        prefix = label.get(turn.ask or "", "Interviewer")
        if turn.question_number and turn.ask == "question":
            prefix = f"Question {turn.question_number}"
        sys.stdout.write(_wrap(f"{prefix}: {turn.text}") + "\n\n")


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=_width(), subsequent_indent=indent)
