"""What `starling serve` takes from textual-serve is still there, and is taken in one place only.

These fail loudly when textual-serve changes under the pin: the constructor the client's folder
comes from, the files the candidate page loads, the frames the client sends, the version.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from textual_serve.server import Server

from agent.web_client import PACKAGE, client_files, client_version, read_frame, terminal_size
from agent.web_pages import ASSETS, CANDIDATE_PAGE

ROOT = Path(__file__).resolve().parents[1]
ADAPTER = ROOT / "agent" / "web_client.py"


def test_the_client_folder_comes_from_the_public_constructor() -> None:
    parameters = inspect.signature(Server.__init__).parameters
    assert list(parameters)[:2] == ["self", "command"], "Server(command) is how it is made"
    assert parameters["statics_path"].default == "./static", "the client's folder is the default one"
    assert Server(command="").statics_path == client_files()
    assert client_files().is_dir()


def test_every_file_the_page_loads_from_the_client_is_there() -> None:
    page = (ASSETS / CANDIDATE_PAGE).read_text(encoding="utf-8")
    wanted = re.findall(r"\{\{ static_url \}\}([^\"']+)", page)
    assert sorted(wanted) == ["css/xterm.css", "js/textual.js"]
    for name in wanted:
        assert (client_files() / name).is_file(), name
    assert (client_files() / "fonts" / "RobotoMono-VariableFont_wght.ttf").is_file(), "the terminal's font"


def test_the_client_reads_the_page_and_sends_the_frames_that_are_read() -> None:
    script = (client_files() / "js" / "textual.js").read_text(encoding="utf-8")
    # What the page gives it: the terminal element, its socket's address and its font size.
    for name in (".textual-terminal", "sessionWebsocketUrl", "dataset.fontSize", "-closed", "#start"):
        assert name in script, name
    # What it sends, as the frames `read_frame` reads.
    for frame in ('["stdin",', '["resize",', '["ping",', '["focus"]', '["blur"]'):
        assert f"JSON.stringify({frame}" in script, frame
    assert "width:e.cols,height:e.rows" in script, "a resize names its width and height"


def test_the_installed_client_is_the_pinned_one() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if d.split("==")[0].strip() == PACKAGE]
    assert pins == [f"{PACKAGE}=={version(PACKAGE)}"], "textual-serve is pinned exactly, to what is installed"
    assert client_version() == version(PACKAGE)


def test_only_the_adapter_imports_textual_serve_and_only_its_public_names() -> None:
    importers: list[str] = []
    for path in sorted((ROOT / "agent").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
                names: list[str] = []
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules, names = [node.module], [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.split(".")[0] != "textual_serve":
                    continue
                importers.append(path.relative_to(ROOT).as_posix())
                parts = module.split(".") + names
                assert not any(part.startswith("_") for part in parts), f"{path}: {module} {names}"
    assert set(importers) == {ADAPTER.relative_to(ROOT).as_posix()}


def test_the_adapter_reaches_no_private_attribute_of_what_it_imports() -> None:
    tree = ast.parse(ADAPTER.read_text(encoding="utf-8"))
    private = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr.startswith("_")]
    assert private == []


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ('["stdin", "hello"]', ("stdin", "hello")),
        ('["resize", {"width": 120, "height": 40}]', ("resize", (120, 40))),
        ('["resize", {"width": 5000, "height": 1}]', ("resize", (500, 5))),
        ('["ping", "1700000000000"]', ("ping", "1700000000000")),
        ('["focus"]', ("focus", None)),
        ('["blur"]', ("blur", None)),
    ],
)
def test_the_frames_the_client_sends_are_read(text: str, frame: tuple[str, object]) -> None:
    assert read_frame(text) == frame


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"a": 1}',
        "[1]",
        '["stdin"]',
        '["stdin", 3]',
        '["resize", {"width": "x"}]',
        '["resize", []]',
        '["ping", 1]',
        '["ping", "' + "9" * 101 + '"]',
        '["open_url", {}]',
    ],
)
def test_anything_else_is_not_a_frame(text: str) -> None:
    assert read_frame(text) is None


def test_a_terminal_size_is_kept_within_what_an_app_can_be_given() -> None:
    assert terminal_size(None, None) == (80, 24)
    assert terminal_size("", "x") == (80, 24)
    assert terminal_size("3", "1000") == (10, 300)
    assert terminal_size("132", "43") == (132, 43)
