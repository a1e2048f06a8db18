"""Problems found in course files, reported as ``path:line: message`` like a compiler.

Shared by the content pipeline (app/content) and the quiz engine (app/quizzes), which both report problems in course
files, so neither has to import the other for them. Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        prefix = "" if self.is_error else "warning: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class CourseFormatError(Exception):
    """Raised when course files cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
