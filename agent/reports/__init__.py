"""Renderers of analyses, transcripts and evaluations: JSON for tools, Markdown for people."""
