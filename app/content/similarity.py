"""Lint: a diagnostic item whose question and right answer nearly repeat an item of the course's module quizzes.

Module quizzes show their answers after each attempt, so a post-test item copied from one measures memory of that
quiz rather than understanding. Compared per language with difflib's ratio on the question text plus the key.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from app.problems import Problem
from app.quizzes.grading import correct_answer_text

THRESHOLD = 0.8
# The shipped course has no item above the threshold (highest 0.62), so a near-copy is an error.
SEVERITY = "error"

_SPACE_RE = re.compile(r"\s+")


def is_diagnostic(slug: str) -> bool:
    """Diagnostic modules (pre/post checks) are named with 'diagnostic' in their slug."""
    return "diagnostic" in slug.split("-")


def item_text(question: Any) -> str:
    """Question heading, stem and right answer, lowercased with spaces collapsed."""
    try:
        key = correct_answer_text(question)
    except (KeyError, ValueError):
        key = ""
    text = f"{question.heading} {question.stem_markdown} {key}"
    return _SPACE_RE.sub(" ", text).strip().casefold()


def similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() <= THRESHOLD or matcher.quick_ratio() <= THRESHOLD:
        return 0.0  # cannot be above the threshold: skip the expensive comparison
    return matcher.ratio()


def similar_items_problems(files: list[tuple[str, str, str, list[Any]]], threshold: float = THRESHOLD,
                           *, focus: str | None = None) -> list[Problem]:
    """``files``: (path, slug, lang, questions) per module file of one course.

    ``focus`` (a path among them): only the comparisons that file takes part in, as a diagnostic or as a quiz.
    """
    problems: list[Problem] = []
    others: dict[str, list[tuple[str, Any, str]]] = {}
    focus_is_diagnostic = any(path == focus and is_diagnostic(slug) for path, slug, _lang, _questions in files)
    for path, slug, lang, questions in files:
        if not is_diagnostic(slug) and (focus is None or focus_is_diagnostic or path == focus):
            others.setdefault(lang, []).extend((slug, q, item_text(q)) for q in questions)
    for path, slug, lang, questions in files:
        if not is_diagnostic(slug) or (focus_is_diagnostic and path != focus):
            continue
        for question in questions:
            text = item_text(question)
            best = max(((similarity(text, other_text), other_slug, other)
                        for other_slug, other, other_text in others.get(lang, [])), default=None,
                       key=lambda found: found[0])
            if best is not None and best[0] > threshold:
                ratio, other_slug, other = best
                problems.append(Problem(
                    path, question.line,
                    f"diagnostic item {question.id!r} nearly repeats {other_slug} quiz item {other.id!r} "
                    f"(similarity {ratio:.2f} > {threshold}): the post-test would measure memory of that quiz; "
                    "write a new item for the same idea", SEVERITY))
    return problems
