"""The composition root: parses the command line, builds settings, picks the brain, wires everything.

Exit codes: 0 ok, 1 a check failed, 2 usage or input error. Errors go to stderr with a message
that says what to do; a user never sees a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

# Starling uses no pydantic plugins; looking for them scans every installed package at start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from agent.cli.interviews import cmd_default
from agent.cli.parser import build_parser
from agent.errors import StarlingError

__all__ = ["build_parser", "main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return cmd_default(args)
        code: int = handler(args)
        return code
    except StarlingError as error:
        print(f"starling: {error.message}", file=sys.stderr)
        if error.hint:
            print(error.hint, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\nstarling: interrupted; everything answered so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    """The `starling` command: `main`, then the process ends with what it loaded still in use.

    Nothing a command loaded (modules, models, the reader's weights) becomes garbage before the
    process ends, yet the collector's last pass at exit would still walk all of it: a tenth of a
    one-answer `starling analyze`. Frozen, it is left out of that pass and freed as usual.
    """
    code = main()
    gc.freeze()
    sys.exit(code)
