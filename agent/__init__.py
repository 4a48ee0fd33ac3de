"""Starling: structured behavioral interviews with STAR analysis and evidence-backed evaluations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("starling-interview")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0.0.0+checkout"
