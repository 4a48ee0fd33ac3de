"""Where bundled rubrics and prompts live: inside the installed package, or in the checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """The folder of bundled `rubrics` or `prompts`, from a wheel install or a source checkout."""
    packaged = Path(str(resources.files("agent"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
