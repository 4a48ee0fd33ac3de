"""Show untrusted text as typed: control and reordering characters become visible symbols.

Shared by every place that prints a candidate's words: terminals, Markdown, HTML and the UI.
"""

from __future__ import annotations

# Characters a terminal would act on (C0, DEL, C1) and those that reorder text on screen
# (bidirectional overrides); newlines and tabs are kept.
_BIDI = (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))


def _symbol(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛, ␀, ␇ ...
    if code == 0x7F:
        return "␡"
    return f"<U+{code:04X}>"


_TABLE: dict[int, str] = {
    code: _symbol(code)
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)
    if code not in (0x09, 0x0A)
}


def visible_controls(text: str) -> str:
    """Replace control and reordering characters with visible symbols; keep newlines and tabs."""
    return text.replace("\r\n", "\n").translate(_TABLE)
