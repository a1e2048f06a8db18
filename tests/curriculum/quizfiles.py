"""A small, independent reader for course module files, written from docs/format-spec.md.

It deliberately does not import the app: the curriculum tests must run (and catch content mistakes) even
before the content pipeline and the quiz engine exist. It reads just enough of the format to check the
curriculum rules: front matter, body, quiz questions (type, id, answers, misconception tags) and charts.
"""
from __future__ import annotations

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

QUESTION_KEYS = {"id", "points", "explanation", "answer", "number", "unit", "accept", "misconception"}
_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^### +(?P<text>\S.*?)\s*#*\s*$")
_KEY = re.compile(r"^(?P<key>[a-z_]+):(?:\s+(?P<value>.*))?$")
_CHOICE = re.compile(r"^- (?P<open>[(\[])(?P<mark>[ xX])[)\]]\s+(?P<text>.*)$")
_CHOICE_SUB = re.compile(r"^\s+(?P<key>feedback|misconception):\s*(?P<value>.*)$")
_PAIR = re.compile(r"^- (?P<left>.+?)\s+=>\s+(?P<right>.+)$")
_ORDER = re.compile(r"^\d+\.\s+(?P<text>\S.*)$")
_NUMBER = re.compile(
    r"^\s*(?P<a>[-+−]?\d+(?:\.\d+)?)\s*(?:(?P<pm>±|\+-)\s*(?P<tol>\d+(?:\.\d+)?)|\.\.\s*(?P<b>[-+−]?\d+(?:\.\d+)?))?\s*$"
)


@dataclass
class Choice:
    text: str
    correct: bool
    kind: str  # "single" for ( ), "multiple" for [ ]
    line: int
    misconception: str | None = None
    feedback: str | None = None


@dataclass
class Question:
    heading: str
    line: int
    keys: dict[str, str] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    order_items: list[str] = field(default_factory=list)
    stem: list[str] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return self.keys.get("id")

    @property
    def kinds(self) -> set[str]:
        """Every answer kind present (more than one means a malformed, mixed question)."""
        found = {c.kind for c in self.choices}
        if self.pairs:
            found.add("matching")
        if self.order_items:
            found.add("ordering")
        for key, kind in (("answer", "true_false"), ("number", "numeric"), ("accept", "short_text")):
            if key in self.keys:
                found.add(kind)
        return found

    @property
    def type(self) -> str | None:
        kinds = self.kinds
        if len(kinds) == 1:
            return next(iter(kinds))
        return "mixed" if kinds else None

    @property
    def misconception_tags(self) -> list[str]:
        tags = [c.misconception for c in self.choices if c.misconception]
        if self.keys.get("misconception"):
            tags.append(self.keys["misconception"])
        return tags

    def answer_signature(self) -> tuple:
        """What must be identical between language versions of the same question."""
        qtype = self.type
        if qtype in ("single", "multiple"):
            return (qtype, len(self.choices), sum(c.correct for c in self.choices))
        if qtype == "true_false":
            return (qtype, self.keys["answer"].strip().lower())
        if qtype == "numeric":
            return (qtype, parse_number(self.keys["number"]))
        if qtype == "matching":
            return (qtype, len(self.pairs))
        if qtype == "ordering":
            return (qtype, len(self.order_items))
        return (qtype,)  # short text: accepted answers are language-specific


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

    @property
    def forms(self) -> dict[str, list[Question]]:
        """Questions per form label; a quiz without form markers is the single form ''."""
        if self.quiz_text is None:
            return {}
        lines = self.quiz_text.split("\n")
        starts = [(i, m["label"]) for i, line in enumerate(lines) if (m := QUIZ_FORM_MARKER.match(line.strip()))]
        if not starts:
            return {"": parse_questions(self.quiz_text, self.quiz_first_line or 1)}
        forms = {}
        for n, (start, label) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            forms[label] = parse_questions("\n".join(lines[start + 1:end]), (self.quiz_first_line or 1) + start + 1)
        return forms


def parse_number(spec: str) -> tuple[float, float]:
    """``1.1 ± 0.05``, ``1.1 +- 0.05``, ``1.0 .. 1.2`` or ``420`` -> (low, high)."""
    match = _NUMBER.match(spec.replace("−", "-"))
    if not match:
        raise ValueError(f"bad number: {spec!r}")
    a = float(match["a"])
    if match["tol"] is not None:
        tol = float(match["tol"])
        return (round(a - tol, 9), round(a + tol, 9))
    if match["b"] is not None:
        return (a, float(match["b"]))
    return (a, a)


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


def module_files(course_dir: Path) -> list[Path]:
    return sorted(p for p in course_dir.glob("*.md") if MODULE_NAME.match(p.name))


def parse_questions(quiz_text: str, first_line: int = 1) -> list[Question]:
    """Split the quiz section into questions, reading answers as the spec describes them."""
    questions: list[Question] = []
    current: Question | None = None
    in_fence = False
    last_choice: Choice | None = None
    in_explanation = False
    for offset, line in enumerate(quiz_text.split("\n")):
        lineno = first_line + offset
        if _FENCE.match(line):
            in_fence = not in_fence
            if current is not None:
                current.stem.append(line)
            continue
        if in_fence:
            if current is not None:
                current.stem.append(line)
            continue
        heading = _HEADING.match(line)
        if heading:
            current = Question(heading["text"], lineno)
            questions.append(current)
            last_choice, in_explanation = None, False
            continue
        if current is None:
            continue
        if in_explanation and (line.startswith("  ") or not line.strip()):
            current.keys["explanation"] += "\n" + line.strip()
            continue
        in_explanation = False
        key = _KEY.match(line)
        if key and key["key"] in QUESTION_KEYS:
            current.keys[key["key"]] = (key["value"] or "").strip()
            in_explanation = key["key"] == "explanation"
            last_choice = None
            continue
        choice = _CHOICE.match(line)
        if choice:
            last_choice = Choice(
                text=choice["text"].strip(),
                correct=choice["mark"] in "xX",
                kind="single" if choice["open"] == "(" else "multiple",
                line=lineno,
            )
            current.choices.append(last_choice)
            continue
        sub = _CHOICE_SUB.match(line)
        if sub and last_choice is not None:
            setattr(last_choice, sub["key"], sub["value"].strip())
            continue
        pair = _PAIR.match(line)
        if pair:
            current.pairs.append((pair["left"].strip(), pair["right"].strip()))
            continue
        order = _ORDER.match(line)
        if order:
            current.order_items.append(order["text"].strip())
            continue
        current.stem.append(line)
    return questions


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
