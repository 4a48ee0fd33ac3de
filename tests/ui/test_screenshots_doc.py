"""The screenshots in the docs are the snapshot tests' SVGs: every one is shown, none is missing."""

from __future__ import annotations

import re

from tests.conftest import REPO

SNAPSHOTS = REPO / "tests" / "ui" / "__snapshots__" / "test_snapshots"


def test_the_docs_show_every_snapshot_and_only_existing_ones() -> None:
    page = (REPO / "docs" / "screenshots.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"__snapshots__/test_snapshots/([\w-]+\.svg)", page))
    assert shown == {path.name for path in SNAPSHOTS.glob("*.svg")}


def test_the_readme_screenshots_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((tests/ui/__snapshots__/[^)]+\.svg)\)", readme)
    assert shown and all((REPO / path).is_file() for path in shown)
