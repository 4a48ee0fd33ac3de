"""Show untrusted text exactly as typed: never as markup, never as terminal control sequences."""

from __future__ import annotations

from textual.content import Content

# Characters a terminal would act on (C0, DEL, C1) and those that reorder text on screen
# (bidirectional overrides) are replaced by visible stand-ins; newlines and tabs are kept.
_BIDI = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _visible(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛, ␀, ␇ ...
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


_TABLE: dict[int, str] = {
    code: _visible(code)
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)
    if code not in (0x09, 0x0A)
}


def visible_controls(text: str) -> str:
    """Replace control and reordering characters with visible symbols; keep newlines and tabs."""
    return text.replace("\r\n", "\n").translate(_TABLE)


def literal(text: str, style: str = "") -> Content:
    """Content that displays `text` literally (no markup parsing, controls made visible)."""
    shown = visible_controls(text)
    return Content.styled(shown, style) if style else Content(shown)


def shorten(text: str, limit: int) -> tuple[str, int]:
    """Text cut to about `limit` characters at a word boundary, and how many words were left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > limit // 2 else limit]
    return head, len(text[len(head) :].split())
