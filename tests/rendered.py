"""Markdown rendered by a real renderer, read back as tags and text (for the report tests)."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt


class Page(HTMLParser):
    """The tags, attributes and text of a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    @property
    def names(self) -> set[str]:
        return {tag for tag, _ in self.tags}


def renderers() -> list[MarkdownIt]:
    found = []
    for preset in ("commonmark", "gfm-like"):
        md = MarkdownIt(preset)
        md.validateLink = lambda url: True  # type: ignore[method-assign]  # keep every link, as many renderers do
        found.append(md)
    return found
