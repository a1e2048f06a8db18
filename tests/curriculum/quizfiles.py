"""A small reader for course module files, for the curriculum rules: front matter, body, charts and quiz questions.

The quiz itself is read by the app's own parser (app.quizzes.parse_quiz, the one the content loader uses), so
there is one quiz grammar; this file only splits a module into front matter, body and quiz section and turns the
parsed questions into what the rules check (type, id, answers, misconception tags).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
DATA = COURSES / "_data"

QUIZ_MARKER = "<!-- quiz -->"
# Parallel forms (docs/authoring-quizzes.md): "<!-- quiz form: A -->" starts form A instead of QUIZ_MARKER.
QUIZ_FORM_MARKER = re.compile(r"^<!--\s*quiz\s+form:\s*(?P<label>[A-Z])\s*-->$")
# NN-slug or NNx-slug (a letter puts a module between two numbers: 04b- comes after 04- and before 05-)
MODULE_NAME = re.compile(r"^(?P<num>\d\d[a-z]?)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>en|ko)\.md$")

_FENCE = re.compile(r"^(```|~~~)")


@dataclass
class Choice:
    text: str
    correct: bool
    kind: str  # "single" for ( ), "multiple" for [ ]
    line: int  # the question's line: the parser does not keep a line per choice
    misconception: str | None = None
    feedback: str | None = None


@dataclass
class Question:
    """A question as the curriculum rules see it, read from the app's own quiz parser (app.quizzes.parse_quiz)."""

    heading: str
    line: int
    id: str | None
    type: str | None  # the parser's question type: single, multiple, true_false, numeric, short_text, ...
    keys: dict[str, str] = field(default_factory=dict)  # the key lines as written: id, points, answer, number...
    choices: list[Choice] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    order_items: list[str] = field(default_factory=list)
    stem: list[str] = field(default_factory=list)
    section: str = ""  # "section:" the module heading that teaches it
    numeric: tuple[float, float] | None = None  # the accepted range of a numeric question
    misconception_tags: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        """The answer kinds found (the parser refuses a question that mixes them, so at most one)."""
        return {self.type} if self.type else set()

    def answer_signature(self) -> tuple:
        """What must be identical between language versions of the same question."""
        qtype = self.type
        if qtype in ("single", "multiple"):
            return (qtype, len(self.choices), sum(c.correct for c in self.choices))
        if qtype == "true_false":
            return (qtype, self.keys["answer"])
        if qtype == "numeric":
            return (qtype, self.numeric)
        if qtype == "matching":
            return (qtype, len(self.pairs))
        if qtype == "ordering":
            return (qtype, len(self.order_items))
        return (qtype,)  # short text: accepted answers are language-specific

    @classmethod
    def from_parsed(cls, parsed) -> Question:
        """From an app.quizzes.Question (text fields are HTML, escaped only, as the linter parses them)."""
        from markupsafe import Markup

        def plain(html: str) -> str:
            return Markup(html).striptags()

        keys = {"id": parsed.id, "points": f"{parsed.points:g}"}
        if parsed.answer is not None:
            keys["answer"] = "true" if parsed.answer else "false"
        if parsed.numeric is not None:
            keys["number"] = parsed.numeric.source
        if parsed.unit:
            keys["unit"] = parsed.unit
        if parsed.accept:
            keys["accept"] = " | ".join(parsed.accept)
        if parsed.misconception:
            keys["misconception"] = parsed.misconception
        if parsed.explanation_html:
            keys["explanation"] = plain(parsed.explanation_html)
        kind = parsed.type if parsed.type in ("single", "multiple") else ""
        return cls(
            heading=parsed.heading, line=parsed.line, id=parsed.id, type=parsed.type, keys=keys,
            choices=[Choice(c.text, c.correct, kind, parsed.line, c.misconception, plain(c.feedback_html) or None)
                     for c in parsed.choices],
            pairs=[(plain(p.left_html), plain(p.right_html)) for p in parsed.pairs],
            order_items=[item.text for item in parsed.items],
            stem=parsed.stem_markdown.split("\n") if parsed.stem_markdown else [],
            section=parsed.section,
            numeric=(parsed.numeric.low, parsed.numeric.high) if parsed.numeric is not None else None,
            # one per tagged answer (a tag used by two answers counts twice), as the rules count them
            misconception_tags=[c.misconception for c in parsed.choices if c.misconception]
            + ([parsed.misconception] if parsed.misconception else [])
            + [k.misconception for k in parsed.known_answers if k.misconception],
        )


@dataclass
class ModuleFile:
    path: Path
    number: str
    slug: str
    lang: str
    meta: dict
    body: str
    body_first_line: int
    quiz_text: str | None
    quiz_first_line: int | None

    @property
    def stem(self) -> str:
        """File name without the language and extension, e.g. ``01-weather-and-climate``."""
        return f"{self.number}-{self.slug}"

    @property
    def is_diagnostic(self) -> bool:
        return self.slug == "diagnostic"

    @property
    def questions(self) -> list[Question]:
        """Every question of the quiz, all forms together, in file order."""
        return [q for form in self.forms.values() for q in form]

    @functools.cached_property
    def forms(self) -> dict[str, list[Question]]:
        """Questions per form label; a quiz without form markers is the single form ''.

        Read by the app's own quiz parser, so the curriculum rules and the app share one grammar; a quiz the
        parser refuses fails here with the parser's problems, at their file lines."""
        if self.quiz_text is None:
            return {}
        from app.quizzes import parse_quiz

        settings = self.meta.get("quiz") if isinstance(self.meta.get("quiz"), dict) else None
        quiz, problems = parse_quiz(self.quiz_text, path=str(self.path.relative_to(ROOT)),
                                    first_line=self.quiz_first_line or 1, settings=settings, settings_line=1)
        if quiz is None:
            raise ValueError("the quiz parser refuses this quiz:\n" + "\n".join(map(str, problems)))
        forms: dict[str, list[Question]] = {}
        for parsed in quiz.questions:
            forms.setdefault(parsed.form, []).append(Question.from_parsed(parsed))
        return forms


def parse_number(spec: str) -> tuple[float, float]:
    """``1.1 ± 0.05``, ``1.1 +- 0.05``, ``1.0 .. 1.2`` or ``420`` -> (low, high), read as the quiz parser reads it."""
    from app.quizzes.text import parse_author_number

    found = parse_author_number(spec)
    if found is None:
        raise ValueError(f"bad number: {spec!r}")
    return found


def read_module(path: Path) -> ModuleFile:
    name = MODULE_NAME.match(path.name)
    if not name:
        raise ValueError(f"{path}: not a module file name (NN-slug.lang.md)")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}:1: no front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ValueError(f"{path}:1: front matter is not closed") from None
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    rest = lines[end + 1 :]
    body_first_line = end + 2
    marker = next((i for i, line in enumerate(rest) if line.strip() == QUIZ_MARKER), None)
    form = next((i for i, line in enumerate(rest) if QUIZ_FORM_MARKER.match(line.strip())), None)
    if marker is None and form is None:
        body, quiz_text, quiz_first_line = "\n".join(rest), None, None
    elif marker is not None:
        body = "\n".join(rest[:marker])
        quiz_text = "\n".join(rest[marker + 1 :])
        quiz_first_line = body_first_line + marker + 1
    else:  # parallel forms: the quiz text starts at (and keeps) the first form marker
        body = "\n".join(rest[:form])
        quiz_text = "\n".join(rest[form:])
        quiz_first_line = body_first_line + form
    return ModuleFile(path, name["num"], name["slug"], name["lang"], meta, body, body_first_line,
                      quiz_text, quiz_first_line)


def quiz_question(path: Path, qid: str) -> Question:
    """The question ``qid`` of a module file's quiz, as the quiz parser reads it."""
    found = [q for q in read_module(path).questions if q.id == qid]
    assert len(found) == 1, f"{path.name}: expected one question with id {qid}, found {len(found)}"
    return found[0]


def accepted_range(path: Path, qid: str) -> tuple[float, float]:
    """The accepted (low, high) of a numeric question, as the quiz parser reads its ``number:``."""
    question = quiz_question(path, qid)
    assert question.numeric is not None, f"{path.name} {qid}: not a numeric question"
    return question.numeric


def module_files(course_dir: Path) -> list[Path]:
    return sorted(p for p in course_dir.glob("*.md") if MODULE_NAME.match(p.name))


def fenced_blocks(text: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    """Every fenced block as (line of the opening fence, info string, content)."""
    blocks = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening:
            fence = opening.group(1)
            info = lines[i][len(fence):].strip()
            start = i
            i += 1
            content = []
            while i < len(lines) and not lines[i].startswith(fence):
                content.append(lines[i])
                i += 1
            blocks.append((first_line + start, info, "\n".join(content)))
        i += 1
    return blocks


def charts(module: ModuleFile) -> list[tuple[int, dict]]:
    """Every ```chart block in the body and in the quiz stems, parsed as YAML."""
    found = []
    parts = [(module.body, module.body_first_line)]
    if module.quiz_text is not None:
        parts.append((module.quiz_text, module.quiz_first_line))
    for text, first in parts:
        for line, info, content in fenced_blocks(text, first):
            if info.split()[:1] == ["chart"]:
                found.append((line, yaml.safe_load(content) or {}))
    return found


def prose(body: str) -> str:
    """The body without fenced blocks (chart specifications are not reading text) and HTML comments."""
    without_comments = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    kept, in_fence = [], False
    for line in without_comments.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            kept.append(line)
    return "\n".join(kept)


def word_count(body: str) -> int:
    """Words of reading text: whitespace-separated tokens with at least one letter or digit."""
    return sum(1 for token in prose(body).split() if re.search(r"\w", token))


def char_count_without_spaces(body: str) -> int:
    return len(re.sub(r"\s", "", prose(body)))


def csv_header(dataset: str) -> list[str] | None:
    path = DATA / f"{dataset}.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return [name.strip() for name in handle.readline().strip().split(",")]
