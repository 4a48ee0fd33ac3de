"""Starling: structured behavioral interviews with STAR analysis and evidence-backed evaluations."""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    # Read on first use: scanning the installed packages' metadata is slow, and most runs never
    # need the version.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("starling-interview")
    except PackageNotFoundError:  # running from a checkout without an install
        return "0.0.0+checkout"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'agent' has no attribute {name!r}")
