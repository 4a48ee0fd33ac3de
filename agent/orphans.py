"""A candidate's app process ends with the server that started it, however the server ended.

`starling serve` stops its candidate apps when it stops; this covers the case it cannot: the server
killed outright. The app then finds it has a new parent and ends itself. Every answer is already on
disk, so ending at once loses nothing.
"""

from __future__ import annotations

import os
import threading
import time

# How often the app looks for its parent.
CHECK_SECONDS = 1.0


def exit_with_parent(check_seconds: float = CHECK_SECONDS) -> threading.Thread:
    """Watch, in a daemon thread, for the parent process to go; then end this process."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(check_seconds)
        os._exit(0)

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread
