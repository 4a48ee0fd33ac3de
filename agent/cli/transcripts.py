"""`starling transcripts`: list, repair, show, export and delete saved interviews."""

from __future__ import annotations

import argparse
import sys

from agent.cli import output, wiring
from agent.errors import InputError


def cmd_transcripts_list(args: argparse.Namespace) -> int:
    store = wiring.store_for(wiring.settings_for(args))
    listing = store.listing()
    if args.format == "json":
        output.write_json(
            [
                *(
                    {
                        "id": s.interview_id,
                        "created_at": s.created_at.isoformat(),
                        "rubric": s.rubric_id,
                        "mode": s.mode,
                        "finished": s.finished,
                        "overall_score": s.overall_score,
                        "questions_scored": s.coverage.scored if s.coverage else None,
                        "questions": s.coverage.total if s.coverage else None,
                        "recommendation": s.recommendation,
                        "candidate": s.candidate,
                        "damaged": False,
                    }
                    for s in listing.summaries
                ),
                *(
                    {
                        "id": d.interview_id,
                        "created_at": d.header.at.isoformat() if d.header else None,
                        "rubric": d.header.rubric_id if d.header else None,
                        "mode": d.header.mode if d.header else None,
                        "candidate": d.header.candidate if d.header else None,
                        "damaged": True,
                        "problem": d.problem,
                    }
                    for d in listing.damaged
                ),
            ],
            sys.stdout,
        )
        return 0
    if not listing.summaries and not listing.damaged:
        print(f"No saved interviews in {store.folder}.")
        return 0
    for s in listing.summaries:
        score = f"{s.overall_score:.2f}" if s.overall_score is not None else "—"
        if s.overall_score is not None and s.coverage is not None and not s.coverage.complete:
            score += f" ({s.coverage.text})"
        state = "finished" if s.finished else "unfinished"
        print(
            f"{s.interview_id}  {s.created_at:%Y-%m-%d %H:%M}  {s.rubric_id:<16} {s.mode:<10} {state:<10} score {score}"
        )
    for d in listing.damaged:
        when = d.header.at if d.header else d.modified_at
        rubric = d.header.rubric_id if d.header else "?"
        mode = d.header.mode if d.header else "?"
        print(f"{d.interview_id}  {when:%Y-%m-%d %H:%M}  {rubric:<16} {mode:<10} DAMAGED    {d.problem}")
    if listing.damaged:
        print(
            "Damaged interviews are not shown or resumed until repaired: "
            "starling transcripts repair ID keeps their intact records.",
            file=sys.stderr,
        )
    return 0


def cmd_transcripts_repair(args: argparse.Namespace) -> int:
    store = wiring.store_for(wiring.settings_for(args))
    result = store.repair(args.id)
    if result.backup is None:
        print(f"Interview {args.id} is not damaged; nothing was changed.")
        return 0
    lines = ", ".join(str(number) for number in result.dropped)
    print(f"Repaired {result.path}: kept {result.kept} intact record(s), left out damaged line(s) {lines}.")
    print(f"The original is kept at {result.backup}.")
    print(f"Check it with: starling transcripts show {args.id}")
    return 0


def cmd_transcripts_show(args: argparse.Namespace) -> int:
    transcript = wiring.store_for(wiring.settings_for(args)).load(args.id)
    output.print_interview(transcript, args.format)
    return 0


def cmd_transcripts_export(args: argparse.Namespace) -> int:
    from agent.files import write_private
    from agent.reports.render import SUFFIX, render

    settings = wiring.settings_for(args)
    transcript = wiring.store_for(settings).load(args.id)
    path = args.output or settings.exports_dir / f"{transcript.interview_id}{SUFFIX[args.format]}"
    try:
        write_private(path, render(transcript, args.format))
    except OSError as error:
        raise InputError(f"Cannot write {path}: {error}") from error
    print(f"Wrote {path}")
    return 0


def cmd_transcripts_delete(args: argparse.Namespace) -> int:
    settings = wiring.settings_for(args)
    store = wiring.store_for(settings)
    store.load(args.id)
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise InputError(
                "Deleting needs confirmation.", hint=f"Run: starling transcripts delete {args.id} --yes"
            )
        reply = input(f"Delete interview {args.id} for good? [y/N] ")
        if reply.strip().lower() not in {"y", "yes"}:
            print("Nothing deleted.")
            return 0
    path = store.delete(args.id)
    print(f"Deleted {path}")
    review = settings.reviews_dir / f"{args.id}.json"
    if review.exists():  # the reviewer's notes on it go too
        review.unlink()
        print(f"Deleted {review}")
    return 0
