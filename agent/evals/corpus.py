"""The labelled corpus: answers marked clause by clause with roles, plus answer-level labels.

A record's `marked` text is the answer with a `<<role>>` marker before each clause; the answer is
the marked text with the markers removed. Answer-level labels follow docs/labelling.md, and the
score must be the one `structural_score` derives from them.

    python -m agent.evals.corpus check FILE...   # validate files, with file:line messages
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from agent.domain.roles import CLAUSE_ROLES, ClauseRole
from agent.domain.scoring import AnswerLabels, structural_score
from agent.domain.star import (
    Ownership,
    RedFlag,
    SlotFinding,
    SlotStatus,
    StarAnalysis,
    StarFindings,
    StarSlot,
)

_MARKER = re.compile(r"<<([a-z_]+)>>")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
TOO_SHORT_WORDS = 40


class Labels(BaseModel):
    """Answer-level labels, flat, as labellers write them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    situation: SlotStatus
    task: SlotStatus
    action: SlotStatus
    result: SlotStatus
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    reflection: bool
    red_flags: list[RedFlag] = Field(default_factory=list)
    declined: bool = False
    score: Annotated[int, Field(ge=1, le=5)] | None = None
    not_assessed: bool = False

    def star(self) -> dict[StarSlot, SlotStatus]:
        """The four STAR statuses, in STAR order."""
        return {"situation": self.situation, "task": self.task, "action": self.action, "result": self.result}

    def answer_labels(self) -> AnswerLabels:
        return AnswerLabels(
            star=self.star(),
            ownership=self.ownership,
            specific_example=self.specific_example,
            quantified_result=self.quantified_result,
            reflection=self.reflection,
            red_flags=tuple(self.red_flags),
            declined=self.declined,
        )


class Record(BaseModel):
    """One labelled answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
    question: Annotated[str, StringConstraints(min_length=5)]
    marked: Annotated[str, StringConstraints(min_length=1)]
    labels: Labels
    tags: list[str] = Field(default_factory=list)
    competency: str = "customer-focus"


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of the answer: offsets into the unmarked answer and its role."""

    start: int
    end: int
    role: ClauseRole


@dataclass(frozen=True, slots=True)
class Marked:
    answer: str
    clauses: tuple[Clause, ...]


class CorpusError(ValueError):
    """A record that breaks the corpus rules."""


def parse_marked(marked: str) -> Marked:
    """The answer and its clauses from `<<role>>`-marked text."""
    pieces: list[str] = []
    clauses: list[Clause] = []
    pos = 0
    offset = 0
    role: str | None = None
    for match in _MARKER.finditer(marked):
        chunk = marked[pos : match.start()]
        if role is None and chunk.strip():
            raise CorpusError("text before the first <<role>> marker")
        if role is not None:
            clauses.append(_clause(chunk, offset, role))
        pieces.append(chunk)
        offset += len(chunk)
        role = match.group(1)
        if role not in CLAUSE_ROLES:
            raise CorpusError(f"unknown role <<{role}>>; roles: {', '.join(CLAUSE_ROLES)}")
        pos = match.end()
    if role is None:
        raise CorpusError("no <<role>> markers")
    chunk = marked[pos:]
    clauses.append(_clause(chunk, offset, role))
    pieces.append(chunk)
    return Marked(answer="".join(pieces), clauses=tuple(clauses))


def _clause(chunk: str, offset: int, role: str) -> Clause:
    if not _WORD.search(chunk):
        raise CorpusError(f"an empty <<{role}>> clause")
    lead = len(chunk) - len(chunk.lstrip())
    return Clause(offset + lead, offset + len(chunk.rstrip()), role)  # type: ignore[arg-type]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def problems(record: Record) -> list[str]:
    """Every way the record breaks the labelling rules; empty when it is consistent."""
    try:
        marked = parse_marked(record.marked)
    except CorpusError as error:
        return [str(error)]
    labels = record.labels
    roles = {clause.role for clause in marked.clauses}
    found: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            found.append(message)

    judged = " ".join(marked.answer[c.start : c.end] for c in marked.clauses if c.role != "injection")
    flags = set(labels.red_flags)
    need(
        ("injection" in roles) == ("prompt_injection" in flags), "prompt_injection flag iff an <<injection>>"
    )
    short = word_count(judged) < TOO_SHORT_WORDS
    need(
        short == ("too_short" in flags), f"too_short iff fewer than {TOO_SHORT_WORDS} words outside injection"
    )
    need(len(flags) == len(labels.red_flags), "a red flag is listed twice")
    if labels.not_assessed:
        need(labels.score is None, "a not_assessed answer has no score")
        return found
    need(labels.ownership == "unclear" or "own_action" in roles, "ownership clear needs an <<own_action>>")
    need(labels.action != "present" or "own_action" in roles, "action present needs an <<own_action>>")
    need(
        labels.action != "missing" or not roles & {"own_action", "team_action"},
        "action missing but there are <<own_action>> or <<team_action>> clauses",
    )
    need(labels.result != "present" or "outcome" in roles, "result present needs an <<outcome>>")
    need(labels.result != "missing" or "outcome" not in roles, "result missing but there is an <<outcome>>")
    need(not labels.reflection or "reflection" in roles, "reflection true needs a <<reflection>>")
    need(labels.task != "present" or "goal" in roles, "task present needs a <<goal>>")
    need(labels.task != "missing" or "goal" not in roles, "task missing but there is a <<goal>>")
    need(
        labels.situation != "missing" or not roles & {"scene", "trigger"},
        "situation missing but there is a <<scene>> or <<trigger>>",
    )
    need(not labels.quantified_result or labels.result != "missing", "quantified_result needs a result")
    need(not labels.declined or labels.score in (None, 1), "a declined answer scores 1")
    expected, _ = structural_score(labels.answer_labels())
    need(
        labels.score is None or labels.score == expected,
        f"score {labels.score} but the guide's anchors give {expected} for these labels",
    )
    return found


def read(path: Path) -> Iterator[tuple[int, Record]]:
    """Records of a JSON Lines file with their line numbers; raises CorpusError with the line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, Record.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as error:
            raise CorpusError(f"{path}:{number}: {_short(error)}") from error


def _short(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(error)


def check(paths: Iterable[Path]) -> list[str]:
    """file:line messages for every problem in the files, and for ids used twice."""
    messages: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            for number, record in read(path):
                where = f"{path}:{number}"
                if record.id in seen:
                    messages.append(f"{where}: id {record.id} already used at {seen[record.id]}")
                seen[record.id] = where
                messages.extend(f"{where}: {record.id}: {problem}" for problem in problems(record))
        except CorpusError as error:
            messages.append(str(error))
    return messages


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        sys.stderr.write("usage: python -m agent.evals.corpus check FILE...\n")
        return 2
    paths = [Path(arg) for arg in argv[1:]]
    messages = check(paths)
    for message in messages:
        sys.stdout.write(message + "\n")
    total = sum(1 for path in paths if path.exists() for _ in _safe_read(path))
    sys.stdout.write(f"{total} records, {len(messages)} problems\n")
    return 1 if messages else 0


def _safe_read(path: Path) -> Iterator[Record]:
    try:
        for _, record in read(path):
            yield record
    except CorpusError:
        return


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))


def aligned_roles(clauses: Sequence[tuple[int, int]], gold: Sequence[Clause]) -> list[ClauseRole]:
    """For each (start, end) clause, the gold role it overlaps most; `filler` where it meets none."""
    roles: list[ClauseRole] = []
    for start, end in clauses:
        best: ClauseRole = "filler"
        overlap = 0
        for clause in gold:
            shared = min(end, clause.end) - max(start, clause.start)
            if shared > overlap:
                best, overlap = clause.role, shared
        roles.append(best)
    return roles


# What an interviewer's follow-up asks for, as the clause roles the answer to it holds.
HELD_BACK: tuple[tuple[ClauseRole, ...], ...] = (
    ("goal",),
    ("outcome", "vague_outcome"),
    ("own_action",),
    ("scene", "trigger"),
)


def told_in_two(marked: Marked, turn: int) -> tuple[list[str], tuple[Clause, ...]] | None:
    """The story told as an interview hears it: first without one STAR part, then that part alone.

    The part held back is the `turn`-th of `HELD_BACK` (counting on to the next one the answer
    has), so that across a corpus each part is asked for in turn. The replies come with the gold
    clauses at their offsets in the replies joined by a blank line, as the reader joins them.
    None when the answer has no part to hold back, or nothing else.
    """
    for step in range(len(HELD_BACK)):
        held = HELD_BACK[(turn + step) % len(HELD_BACK)]
        back = [c for c in marked.clauses if c.role in held]
        kept = [c for c in marked.clauses if c.role not in held]
        if back and kept:
            first, first_clauses = _joined(marked.answer, kept, 0)
            second, second_clauses = _joined(marked.answer, back, len(first) + 2)
            if first and second:
                return [first, second], (*first_clauses, *second_clauses)
    return None


def _joined(answer: str, chosen: Sequence[Clause], offset: int) -> tuple[str, list[Clause]]:
    texts: list[str] = []
    placed: list[Clause] = []
    at = offset
    for clause in chosen:
        text = answer[clause.start : clause.end].strip()
        if not text:
            continue
        if texts:
            at += 1
        placed.append(Clause(at, at + len(text), clause.role))
        texts.append(text)
        at += len(text)
    return " ".join(texts), placed


def corpus_files(split: str, root: Path | None = None) -> list[Path]:
    """The JSON Lines files of one split (`train` or `test`) of the corpus."""
    base = root or Path(__file__).resolve().parents[2] / "evals" / "corpus"
    return sorted((base / split).glob("*.jsonl"))


def records(paths: Iterable[Path]) -> list[Record]:
    return [record for path in paths for _, record in read(path)]


def gold_analysis(record: Record) -> StarAnalysis:
    """The record's labels as an analysis, so the follow-up rule can be applied to them."""
    labels = record.labels
    marked = parse_marked(record.marked)
    return StarAnalysis(
        star=StarFindings(**{slot: SlotFinding(status=status) for slot, status in labels.star().items()}),
        ownership=labels.ownership,
        specific_example=labels.specific_example,
        quantified_result=labels.quantified_result,
        reflection=labels.reflection,
        red_flags=list(dict.fromkeys(labels.red_flags)),
        declined=labels.declined,
        score=None if labels.not_assessed else structural_score(labels.answer_labels())[0],
        not_assessed=labels.not_assessed,
        word_count=word_count(marked.answer),
        brain="gold",
    )
