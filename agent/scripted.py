"""Scripted candidate replies: for headless interviews, evals and tests."""

from __future__ import annotations

import json
from pathlib import Path

from agent.answers import check_answer, is_blank
from agent.errors import InputError
from agent.session import InterviewSession

SEPARATOR = "---"
SKIP = "/skip"
END = "/end"


def parse_script(text: str) -> list[str]:
    """Replies from text separated by lines containing only `---`, or from JSON Lines.

    A JSON Lines reply is a string or an object with an `answer` (or `text`) string.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(_is_json(line) for line in lines):
        found = [_reply(json.loads(line), number) for number, line in enumerate(lines, start=1)]
        return [reply for reply in found if not is_blank(reply)]
    replies: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip() == SEPARATOR:
            replies.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    replies.append("\n".join(current).strip())
    return [reply for reply in replies if not is_blank(reply)]


def read_script(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise InputError(f"No such answers file: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"Cannot read answers file {path}: {error}") from error
    replies = parse_script(text)
    if not replies:
        raise InputError(
            f"{path} has no replies.",
            hint="Separate replies with lines containing only '---', or give one JSON string per line.",
        )
    for number, reply in enumerate(replies, start=1):
        try:
            check_answer(reply)
        except InputError as error:  # checked before the interview starts, so nothing is written
            raise InputError(f"Reply {number} in {path}: {error.message}", hint=error.hint) from error
    return replies


def run_script(session: InterviewSession, replies: list[str]) -> int:
    """Answer the interview with the replies in order; `/skip` and `/end` act as controls.

    Returns how many replies were used. The interview stays unfinished if they run out.
    """
    used = 0
    for reply in replies:
        if session.state.finished:
            break
        used += 1
        command = reply.strip().lower()
        if command == SKIP:
            session.skip()
        elif command == END:
            session.end()
        else:
            session.submit(reply)
    return used


def _is_json(line: str) -> bool:
    stripped = line.strip()
    if not stripped.startswith(("{", '"')):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def _reply(item: object, number: int) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("answer", "text", "reply"):
            value = item.get(key)
            if isinstance(value, str):
                return value
    raise InputError(f"Line {number} of the answers is not a string or an object with an 'answer'.")
