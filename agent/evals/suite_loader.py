"""Load a suite file and everything it refers to into a `Suite` of concrete, stably named cases.

Problems in several entries are gathered and reported together, each with its file, line and field.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from agent.domain.rubric import Rubric
from agent.errors import StarlingError
from agent.evals.cases import AnalysisCase, CalibrationCase, Case, NextTurnCase, SimulatedCase
from agent.evals.corpus import Record
from agent.evals.corpus_cases import labelled_case
from agent.evals.errors import SuiteError
from agent.evals.gold import GoldTranscript
from agent.evals.personas import Persona
from agent.evals.sources import expand, issue_at, load_yaml_model, read_jsonl, read_yaml, validate
from agent.evals.suite import (
    ALL_LABELS,
    AnalysisSource,
    NextTurnFile,
    Selection,
    SimulatedSource,
    Suite,
    SuiteFile,
)
from agent.rubrics import load_rubric
from agent.yaml_fields import Location


def load_suite(path: Path, *, home: Path | None = None, rubric: str | None = None) -> Suite:
    """Validate a suite file and everything it refers to; raise SuiteError naming file, line and field."""
    data, lines = read_yaml(path)
    header = validate(data, SuiteFile, path, lines)
    loader = _Loader(path, lines, header, home)
    loaded_rubric = load_rubric(rubric or header.rubric, home)
    suite = Suite(
        id=header.id,
        title=header.title,
        path=path,
        rubric=loaded_rubric,
        seed=header.seed,
        cases=[],
        thresholds=dict(header.thresholds),
        compare=header.compare,
        files={path.name: _digest(path)},
    )
    loader.analysis(suite)
    loader.next_turns(suite)
    loader.simulated(suite)
    loader.calibration(suite)
    loader.check_thresholds()
    loader.raise_collected()
    loader.check_ids(suite)
    return suite


Selectable = TypeVar("Selectable", Record, NextTurnCase, GoldTranscript)


class _Loader:
    def __init__(self, path: Path, lines: dict[Location, int], header: SuiteFile, home: Path | None) -> None:
        self.path = path
        self.home = home
        self.folder = path.parent
        self.lines = lines
        self.header = header
        self.origins: dict[str, Location] = {}
        self.problems: list[str] = []

    @contextmanager
    def collect(self) -> Iterator[None]:
        """Keep going after a problem in one entry, so a run reports every problem at once."""
        try:
            yield
        except SuiteError as error:
            self.problems.extend(error.details or [error.message])

    def raise_collected(self) -> None:
        if self.problems:
            details = "\n".join(f"  {line}" for line in dict.fromkeys(self.problems))
            raise SuiteError(
                f"The suite {self.path} is not valid:\n{details}",
                hint="Fix the fields named above and run again.",
                details=self.problems,
            )

    def _error(self, loc: Location, message: str) -> SuiteError:
        return issue_at(self.path, self.lines, loc, message)

    def _add(self, suite: Suite, case: Case, loc: Location) -> None:
        if case.id in self.origins:
            first = ".".join(map(str, self.origins[case.id]))
            raise self._error(loc, f"case id {case.id!r} is already used by {first}")
        self.origins[case.id] = loc
        suite.cases.append(case)

    def _record(self, suite: Suite, file: Path) -> None:
        suite.files[os.path.relpath(file, self.folder)] = _digest(file)

    def _files(self, suite: Suite, pattern: str, loc: Location) -> list[Path]:
        try:
            found = expand(pattern, self.folder)
        except SuiteError as error:
            raise self._error((*loc, "from"), error.message) from error
        for file in found:
            self._record(suite, file)
        return found

    def analysis(self, suite: Suite) -> None:
        for index, entry in enumerate(self.header.analysis):
            with self.collect():
                loc: Location = ("analysis", index)
                if "from" not in entry:
                    case = validate(entry, AnalysisCase, self.path, self.lines, loc)
                    suite.labels[case.id] = ALL_LABELS
                    self._add(suite, case, loc)
                    continue
                source = validate(entry, AnalysisSource, self.path, self.lines, loc)
                files = self._files(suite, source.source, loc)
                items, groups = [], []
                for number, file in enumerate(files):
                    for _, item in read_jsonl(file, Record):
                        if not source.competencies or item.competency in source.competencies:
                            items.append(item)
                            groups.append(number)
                for position, item in enumerate(self._select(items, source, loc, groups)):
                    self._topic(suite, item.competency, (*loc, "from"))
                    labelled = labelled_case(item, source, position)
                    if labelled is None:
                        continue  # told in two, but it has no part to hold back
                    suite.labels[labelled.id] = tuple(source.labels)
                    self._add(suite, labelled, loc)

    def _topic(self, suite: Suite, competency: str, loc: Location) -> None:
        """Make the topic of a record's competency known to the suite, loading its rubric once."""
        if competency in suite.topics:
            return
        own = {suite.rubric.id: suite.rubric.topic} | {part.id: part.topic for part in suite.rubric.parts}
        if competency in own:
            suite.topics[competency] = own[competency]
            return
        try:
            suite.topics[competency] = load_rubric(competency, self.home).topic
        except StarlingError as error:
            raise self._error(loc, f"a record's competency: {error.message}") from error

    def next_turns(self, suite: Suite) -> None:
        for index, entry in enumerate(self.header.next_turn):
            with self.collect():
                loc: Location = ("next_turn", index)
                if "from" not in entry:
                    case = validate(entry, NextTurnCase, self.path, self.lines, loc)
                    self._check_question(suite, case.question, self.path, self.lines, (*loc, "question"))
                    self._add(suite, case, loc)
                    continue
                source = validate(entry, Selection, self.path, self.lines, loc)
                cases: list[NextTurnCase] = []
                for file in self._files(suite, source.source, loc):
                    loaded, lines = load_yaml_model(file, NextTurnFile)
                    for number, case in enumerate(loaded.cases):
                        self._check_question(suite, case.question, file, lines, ("cases", number, "question"))
                    cases.extend(loaded.cases)
                for case in self._select(cases, source, loc):
                    self._add(
                        suite, case.model_copy(update={"critical": source.critical or case.critical}), loc
                    )

    def simulated(self, suite: Suite) -> None:
        entries = self.header.simulated_interview
        if not entries:
            return
        folder = self.folder / self.header.personas_dir
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            raise self._error(("personas_dir",), f"no persona files (*.yaml) in {folder}")
        where: dict[str, tuple[Path, dict[Location, int]]] = {}
        for file in files:
            with self.collect():
                persona, lines = load_yaml_model(file, Persona)
                if persona.id != file.stem:
                    raise issue_at(file, lines, ("id",), f"must match the file name ({file.stem!r})")
                suite.personas[persona.id] = persona
                where[persona.id] = (file, lines)
                self._record(suite, file)
        for index, entry in enumerate(entries):
            with self.collect():
                loc: Location = ("simulated_interview", index)
                source = validate(entry, SimulatedSource, self.path, self.lines, loc)
                rubric = self._entry_rubric(suite, source.rubric, (*loc, "rubric"))
                fitting = sorted(n for n, p in suite.personas.items() if p.fits(rubric.id))
                names = fitting if source.personas == ["*"] else source.personas
                for position, name in enumerate(names):
                    if name not in suite.personas:
                        known = ", ".join(sorted(suite.personas))
                        raise self._error(
                            (*loc, "personas", position), f"no persona {name!r}; known: {known}"
                        )
                    persona = suite.personas[name]
                    if not persona.fits(rubric.id):
                        message = f"persona {name!r} answers {', '.join(persona.rubrics)}, not {rubric.id!r}"
                        raise self._error((*loc, "personas", position), message)
                    for question in persona.unknown_questions(rubric):
                        file, lines = where[name]
                        raise issue_at(
                            file,
                            lines,
                            ("answers", question),
                            f"rubric {rubric.id!r} has no question {question!r}",
                        )
                for position, question in enumerate(source.plan or []):
                    if question not in {q.id for q in rubric.questions}:
                        raise self._error(
                            (*loc, "plan", position), f"rubric {rubric.id!r} has no question {question!r}"
                        )
                suffix = f"-{source.suffix}" if source.suffix else ""
                prefix = f"sim-{source.rubric}-" if source.rubric else "sim-"
                for name in names:
                    for seed in source.seeds:
                        case = SimulatedCase(
                            id=f"{prefix}{name}-s{seed}{suffix}",
                            persona=name,
                            seed=seed,
                            questions=source.questions,
                            plan=source.plan,
                            max_followups=source.max_followups,
                            mode=source.mode,
                            expect=suite.personas[name].expect.merged(source.expect),
                            critical=source.critical,
                            rubric=source.rubric,
                        )
                        self._add(suite, case, loc)

    def _entry_rubric(self, suite: Suite, rubric_id: str | None, loc: Location) -> Rubric:
        """The suite's rubric, or another one an entry names (loaded once, and hashed into the suite)."""
        if rubric_id is None or rubric_id == suite.rubric.id:
            return suite.rubric
        if rubric_id not in suite.rubrics:
            try:
                rubric = load_rubric(rubric_id, self.home)
            except StarlingError as error:
                raise self._error(loc, error.message) from error
            suite.rubrics[rubric_id] = rubric
            suite.files[f"rubric:{rubric_id}"] = rubric.content_hash()
        return suite.rubrics[rubric_id]

    def calibration(self, suite: Suite) -> None:
        for index, entry in enumerate(self.header.evaluation_calibration):
            with self.collect():
                loc: Location = ("evaluation_calibration", index)
                source = validate(entry, Selection, self.path, self.lines, loc)
                transcripts: list[GoldTranscript] = []
                for file in self._files(suite, source.source, loc):
                    transcript, lines = load_yaml_model(file, GoldTranscript)
                    if transcript.id != file.stem:
                        raise issue_at(file, lines, ("id",), f"must match the file name ({file.stem!r})")
                    if transcript.rubric != suite.rubric.id:
                        message = f"is {transcript.rubric!r}; the suite uses {suite.rubric.id!r}"
                        raise issue_at(file, lines, ("rubric",), message)
                    for number, question in enumerate(transcript.questions):
                        loc_q: Location = ("questions", number, "question")
                        self._check_question(suite, question.question, file, lines, loc_q)
                    transcripts.append(transcript)
                for transcript in self._select(transcripts, source, loc):
                    suite.transcripts[transcript.id] = transcript
                    case = CalibrationCase(
                        id=f"cal-{transcript.id}", transcript=transcript.id, critical=source.critical
                    )
                    self._add(suite, case, loc)

    def _select(
        self,
        items: list[Selectable],
        source: Selection,
        loc: Location,
        groups: Sequence[int] | None = None,
    ) -> list[Selectable]:
        """The items a selection picks, in file order (or in the order of `ids` when given).

        `groups` names the file each item came from: every Nth is then counted within each file, so
        a file added to a glob never changes which items of the other files are picked.
        """
        file_of = groups or [0] * len(items)
        index_of = {item.id: index for index, item in enumerate(items)}
        if source.ids is not None:
            for position, wanted in enumerate(source.ids):
                if wanted not in index_of:
                    raise self._error(
                        (*loc, "ids", position), f"no item with id {wanted!r} in {source.source}"
                    )
            picked = [index_of[wanted] for wanted in source.ids]
        else:
            picked = list(range(len(items)))
        if source.tags:
            picked = [i for i in picked if set(_tags(items[i])) & set(source.tags)]
        if source.exclude_tags:
            picked = [i for i in picked if not set(_tags(items[i])) & set(source.exclude_tags)]
        seen: Counter[int] = Counter()  # how many of each file's picks came before
        every_nth = []
        for i in picked:
            if seen[file_of[i]] % source.every == 0:
                every_nth.append(i)
            seen[file_of[i]] += 1
        chosen = [items[i] for i in every_nth]
        if source.limit is not None:
            chosen = chosen[: source.limit]
        if not chosen:
            raise self._error(loc, f"selects nothing from {source.source}")
        return chosen

    def check_thresholds(self) -> None:
        from agent.evals.scorers import known_metrics  # the scorers own their metric names

        known = known_metrics()
        for name in self.header.thresholds:
            with self.collect():
                if name not in known:
                    family = sorted(k for k in known if k.split(".")[0] == name.split(".")[0])[:6]
                    hint = f"; metrics of that scorer include {', '.join(family)}" if family else ""
                    raise self._error(("thresholds", name), f"no metric called {name!r}{hint}")

    def check_ids(self, suite: Suite) -> None:
        if not suite.cases:
            raise self._error(
                (),
                "has no cases; add entries under analysis, next_turn, simulated_interview or "
                "evaluation_calibration",
            )

    @staticmethod
    def _check_question(
        suite: Suite, question: str, file: Path, lines: dict[Location, int], loc: Location
    ) -> None:
        if question not in {q.id for q in suite.rubric.questions}:
            raise issue_at(file, lines, loc, _unknown(suite, question))


def _unknown(suite: Suite, question: str) -> str:
    return f"rubric {suite.rubric.id!r} has no question {question!r}"


def _tags(item: Record | NextTurnCase | GoldTranscript) -> list[str]:
    return list(getattr(item, "tags", []))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
