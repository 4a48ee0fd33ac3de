"""The Textual app: start, chat, report and history screens over the interview session."""
