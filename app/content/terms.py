"""One vocabulary per course language: a term list and the lint rule that enforces it.

A course may keep ``terms.<lang>.yml`` (e.g. ``terms.ko.yml``) beside its modules::

    terms:
      - preferred: 온실가스
        avoid: [온실 기체, 온실기체]
        en: greenhouse gas

Every ``NN-slug.<lang>.md`` module of the course is then searched for the variants to avoid, and each one
found is reported at its file and line with the preferred term. A course without the file is not checked.
Lines that list accepted quiz answers (``accept:``) are skipped: they deliberately include the spellings
a student may type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.content.located_yaml import Located, load_mapping
from app.content.sources import MODULE_FILE_RE
from app.problems import Problem

TERMS_FILE_RE = re.compile(r"^terms\.(?P<lang>[a-z]{2})\.yml$")
TERM_KEYS = ("preferred", "avoid", "en", "allow")
_ACCEPT_LINE = re.compile(r"^accept:")

Report = Callable[[int, str], None]


@dataclass(frozen=True)
class Term:
    """A preferred term, the variants that must not be used for it, and where a variant is fine after all."""

    preferred: str
    avoid: tuple[str, ...]
    en: str = ""
    allow: tuple[str, ...] = ()  # longer phrases that contain a variant but are correct (e.g. a proper name)


def lint_course_terms(folder: Path, only: str | None = None) -> list[Problem]:
    """Problems in the course's term lists and every variant its modules use (or the module file ``only``)."""
    problems: list[Problem] = []
    for terms_file in sorted(p for p in folder.iterdir() if p.is_file() and TERMS_FILE_RE.match(p.name)):
        lang = terms_file.name.split(".")[1]
        terms, file_problems = read_terms(terms_file)
        problems.extend(file_problems)
        if any(p.is_error for p in file_problems):
            continue
        for module in sorted(folder.iterdir()):
            match = MODULE_FILE_RE.match(module.name)
            if match and match["lang"] == lang and module.is_file() and only in (None, module.name):
                problems.extend(find_variants(module.read_text(encoding="utf-8"), terms, str(module)))
    return problems


def read_terms(path: Path) -> tuple[list[Term], list[Problem]]:
    """The term list in ``path``; problems name the line of the entry that is wrong."""
    fields, problems = load_mapping(path.read_text(encoding="utf-8"), path=str(path), first_line=1, what="a term list")
    if fields is None:
        return [], problems

    def error(line: int, message: str) -> None:
        problems.append(Problem(str(path), line, message))

    for key, located in fields.items():
        if key != "terms":
            error(located.line, f"unknown key '{key}' in a term list (allowed: terms)")
    listed = fields.get("terms")
    if listed is None or not isinstance(listed.value, list):
        error(listed.line if listed is not None else 1, "a term list needs 'terms:', a list of entries")
        return [], problems
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for item in listed.items():
        term = _term(item, error)
        if term is None:
            continue
        for text in (term.preferred, *term.avoid):
            if text in seen:
                error(item.line, f"'{text}' is already listed at line {seen[text]}")
            seen.setdefault(text, item.line)
        terms.append(term)
    return terms, problems


def find_variants(text: str, terms: list[Term], path: str) -> list[Problem]:
    """Every variant in ``text`` (one problem per variant and line), skipping ``accept:`` lines.

    The preferred term and the allowed phrases are blanked out first, so a variant that is part of
    one of them (a proper name, say) is not reported there.
    """
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _ACCEPT_LINE.match(line):
            continue
        for term in terms:
            masked = line
            for phrase in sorted((term.preferred, *term.allow), key=len, reverse=True):
                masked = masked.replace(phrase, "\0" * len(phrase))
            for variant in term.avoid:
                if variant in masked:
                    english = f" ({term.en})" if term.en else ""
                    problems.append(
                        Problem(
                            path,
                            number,
                            f"write '{term.preferred}'{english}, not '{variant}': one term throughout the course "
                            "(see the course's term list)",
                            "warning",
                        )
                    )
    return problems


def _term(item: Located, report: Report) -> Term | None:
    if not isinstance(item.value, dict):
        report(item.line, "a term entry must look like {preferred: ..., avoid: [...], en: ...}")
        return None
    for key, located in item.fields().items():
        if key not in TERM_KEYS:
            report(located.line, f"unknown key '{key}' in a term entry (allowed: {', '.join(TERM_KEYS)})")
    preferred = item.value.get("preferred")
    avoid = item.value.get("avoid")
    english = item.value.get("en", "")
    allow = item.value.get("allow", [])
    if not isinstance(preferred, str) or not preferred.strip():
        report(item.line, "a term entry needs 'preferred' (text)")
        return None
    if not isinstance(avoid, list) or not avoid or not all(isinstance(v, str) and v.strip() for v in avoid):
        report(item.line, f"'{preferred}' needs 'avoid', a list of the variants to report")
        return None
    if not isinstance(english, str) or not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        report(item.line, f"'{preferred}': 'en' must be text and 'allow' a list of phrases")
        return None
    if preferred in avoid:
        report(item.line, f"'{preferred}' is both preferred and to be avoided")
        return None
    return Term(preferred.strip(), tuple(v.strip() for v in avoid), english.strip(), tuple(allow))
