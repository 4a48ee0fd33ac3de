"""Run reports: terminal summary and progress, JUnit XML, Markdown and a self-contained HTML page."""
