"""`python -m agent.cli`: the same as the installed `starling` command."""

from agent.cli import run

if __name__ == "__main__":
    run()
