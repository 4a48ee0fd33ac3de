"""Show untrusted text exactly as typed: never as markup, never as terminal control sequences.

Emoji sequences that terminals draw at different widths (a skin tone, a joined family, an emoji
presentation selector) are shown as their plain parts, so every terminal and Textual agree on
how wide a line is and borders stay in line. Only the display changes; the text is kept as typed.
"""

from __future__ import annotations

from textual.content import Content

from agent.visible import visible_controls

# Zero-width joiner, the text/emoji presentation selectors, and the five skin-tone modifiers.
_UNEVEN_WIDTH = dict.fromkeys([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])


def terminal_safe(text: str) -> str:
    """`text` with controls made visible and uneven-width emoji sequences split into plain parts."""
    return visible_controls(text).translate(_UNEVEN_WIDTH)


def literal(text: str, style: str = "") -> Content:
    """Content that displays `text` literally (no markup parsing, controls made visible)."""
    shown = terminal_safe(text)
    return Content.styled(shown, style) if style else Content(shown)


def shorten(text: str, limit: int) -> tuple[str, int]:
    """Text cut to about `limit` characters at a word boundary, and how many words were left out."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind(" ", 0, limit)
    head = text[: cut if cut > limit // 2 else limit]
    return head, len(text[len(head) :].split())
