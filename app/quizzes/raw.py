"""What the line parser found in one question, before a question type turns it into a ``Question``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.problems import Problem


@dataclass
class RawKey:
    value: str
    line: int


@dataclass
class RawAnswer:
    """A list item in the answers: ``- (x) text``, ``- [ ] text``, ``- left => right``, ``1. text``, or a typed
    answer ``- accept: text``, ``- number: 420``, ``- wrong: text``."""

    kind: str  # "single" | "multiple" | "pair" | "order" | "accept" | "number" | "wrong"
    line: int
    text: str
    marked: bool = False  # (x) / [x]
    right: str = ""  # pair: right side
    number: int = 0  # order: the number the author wrote
    keys: dict[str, RawKey] = field(default_factory=dict)  # indented feedback:/misconception:


@dataclass
class RawQuestion:
    heading: str
    line: int
    keys: dict[str, RawKey] = field(default_factory=dict)
    stem_lines: list[str] = field(default_factory=list)
    answers: list[RawAnswer] = field(default_factory=list)
    explanation_lines: list[str] = field(default_factory=list)
    form: str = ""  # the parallel form ("A", "B") whose marker came before it; "" without forms


@dataclass
class BuildContext:
    """Rendering and problem reporting handed to each question type while it builds a question."""

    path: str
    inline: Callable[[str], str]
    block: Callable[[str], str]
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))
