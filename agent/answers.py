"""What counts as an answer: text that shows something, within the size cap, that can be saved.

One rule for every way an answer arrives: the app, the plain terminal interview, scripted
replies and `starling analyze`.
"""

from __future__ import annotations

import unicodedata

from agent.errors import InputError

# An answer longer than this is refused with a message (and kept in the input box by the UI);
# it is far beyond any spoken answer, even a 20,000-word one.
MAX_ANSWER_CHARS = 200_000
# Control, invisible format (zero-width, bidi) and separator characters: none of them shows.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def is_blank(text: str) -> bool:
    """True when text shows nothing: only spaces, control characters and invisible formatting."""
    return all(char.isspace() or unicodedata.category(char) in _INVISIBLE for char in text)


def check_answer(text: str, interview_id: str | None = None) -> None:
    """Refuse an answer that is empty (nothing visible in it), too long, or not savable text.

    With `interview_id`, the message says that nothing of the answer went into that interview.
    """
    unsaved = f" Nothing of it was saved to interview {interview_id}." if interview_id else ""
    if is_blank(text):
        raise InputError(
            "Your answer is empty.",
            hint="Type your answer, or skip the question if nothing comes to mind.",
        )
    if len(text) > MAX_ANSWER_CHARS:
        raise InputError(
            f"Your answer is {len(text):,} characters long; the limit is {MAX_ANSWER_CHARS:,}.{unsaved}",
            hint="Shorten it to the part that answers the question.",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"Your answer holds bytes that are not text (at character {error.start + 1:,}).{unsaved}",
            hint=ENCODING_HINT,
        ) from error


ENCODING_HINT = "Starling reads UTF-8: set the terminal (or the file) to UTF-8, then try again."


def decode_input(data: bytes, source: str) -> str:
    """Bytes a person typed or piped, as text; invalid UTF-8 is an InputError naming where it is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{source} is not valid UTF-8 (byte {error.start + 1:,} is {data[error.start]:#04x}).",
            hint=ENCODING_HINT,
        ) from error
