"""Widgets, one per module: they display state and post messages, and never do I/O."""
