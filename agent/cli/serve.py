"""Interviews in candidates' browsers: invitation links (`invite`), the server that takes them
(`serve`), and the app one invited candidate runs (`candidate`)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from agent.cli import wiring
from agent.domain.defaults import MAX_VALID_HOURS
from agent.errors import InputError

if TYPE_CHECKING:
    from agent.invitations import InvitationStore
    from agent.settings import Settings


def _invitations(settings: Settings) -> InvitationStore:
    """The data folder's invitations, with what an older version kept beside them moved to their
    interview folders."""
    from agent.invitations import InvitationStore

    store = InvitationStore(settings.invitations_dir, settings.interviews_dir)
    store.move_to_interview_folders(wiring.store_for(settings))
    return store


def cmd_invite(args: argparse.Namespace) -> int:
    from agent.session import utc_now

    settings = wiring.settings_for(args)
    store = _invitations(settings)
    now = utc_now()
    if args.revoke:
        revoked = store.revoke(args.revoke)
        print(f"Withdrew invitation {revoked.id} for {revoked.candidate}.")
        return 0
    if args.list:
        invitations = store.all()
        if not invitations:
            print('No invitations yet. Create one with: starling invite --candidate "Name"')
        rejoin = timedelta(minutes=settings.rejoin_minutes)
        for item in invitations:
            interview = store.interview_for(item) or "—"
            state = store.state(item, now, rejoin).replace("_", " ")
            print(
                f"{item.id}  {item.created_at:%Y-%m-%d %H:%M}  {state:<11} "
                f"{item.rubric_id:<16} interview {interview:<24} {item.candidate}"
            )
        return 0
    if not args.candidate:
        raise InputError(
            "Say who the invitation is for.", hint='Run: starling invite --candidate "Full Name"'
        )
    if not 1 <= args.valid_hours <= MAX_VALID_HOURS:
        raise InputError(
            f"--valid-hours must be between 1 and {MAX_VALID_HOURS} ({MAX_VALID_HOURS // 24} days)."
        )
    rubric = wiring.chosen_rubric(args, settings)
    question_count = wiring.question_count(args, rubric)
    url = settings.server_url
    running = store.running_server()
    if running is not None and running != url:
        raise InputError(
            f"The link would point at {url}, but 'starling serve' for this data folder is running "
            f"at {running}, so it would not reach it. No invitation was created.",
            hint="Give both commands the same --host, --port and --public-url (or set STARLING_HOST, "
            "STARLING_PORT, STARLING_PUBLIC_URL, or host, port and public_url in the settings file).",
        )
    invitation, token = store.create(
        rubric_id=rubric.id,
        candidate=args.candidate,
        question_count=question_count,
        now=now,
        valid_for=timedelta(hours=args.valid_hours),
    )
    print(
        f"Invitation {invitation.id} for {invitation.candidate} ({rubric.title}, {invitation.question_count} questions)"
    )
    print(f"Link (one interview, to be started by {invitation.expires_at:%Y-%m-%d %H:%M UTC}):")
    print(f"  {url}/i/{token}")
    print("The link is shown only now; Starling keeps just a hash of it.")
    if running is None:
        print(f"It is for 'starling serve' at {url}, which is not running for this data folder yet.")
    else:
        print(f"It is for the 'starling serve' running at {url}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from agent.session import utc_now
    from agent.web import InvitationServer

    settings = wiring.settings_for(args)
    store = _invitations(settings)
    running = store.running_server()
    if running is not None:
        raise InputError(
            f"'starling serve' for this data folder is already running at {running}.",
            hint="Stop it first, or use another data folder (--home).",
        )
    server = InvitationServer(store=store, settings=settings, clock=utc_now)
    try:
        server.listen()
    except OSError as error:  # the address cannot be listened on: in use, not ours, not here
        raise InputError(
            f"Cannot listen on {settings.host}:{settings.port}: "
            f"{os.strerror(error.errno) if error.errno else error}.",
            hint="Another server may hold that port, or the host is not this machine's: "
            "choose them with --host and --port.",
        ) from None
    if settings.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"starling: listening on {settings.host}: anyone who can reach it and holds a link can "
            "interview. Put it behind HTTPS before sending links outside this machine.",
            file=sys.stderr,
        )
    print(
        f"Serving interviews on {server.public_url}/i/<token>. "
        "Create links with: starling invite --candidate NAME (with the same settings)",
        flush=True,
    )
    server.serve()
    return 0


def cmd_candidate(args: argparse.Namespace) -> int:
    from agent.orphans import exit_with_parent
    from agent.sandbox import confine_candidate
    from agent.ui.app import run_app

    folder = args.interview_dir.absolute()
    if not folder.is_dir():
        raise InputError(f"No interview folder at {folder}.", hint="'starling serve' starts this command.")
    # First of all: before anything is read, and before any thread starts (it would stay free).
    confine_candidate(folder)
    exit_with_parent()
    settings = wiring.settings_for(args, home=folder)  # the interview folder is the app's whole data folder
    return run_app(settings, brains=wiring.brain_choices(settings), interview_dir=folder)
