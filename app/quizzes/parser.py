"""Parse the quiz section of a module file (everything after ``<!-- quiz -->``).

Line based on purpose: every problem is reported with the file line it is on, and the syntax stays a
plain Markdown document that reads well on GitHub. See docs/format-spec.md, "The quiz section".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import escape

from app.problems import Problem
from app.quizzes.markers import QUIZ_FORM_RE, QUIZ_MARKER_LIKE_RE
from app.quizzes.model import Question, Quiz, QuizSettings
from app.quizzes.raw import BuildContext, RawAnswer, RawKey, RawQuestion
from app.quizzes.review import REVIEW_ITEMS, REVIEW_TIMES
from app.quizzes.text import QUESTION_ID_RE, TAG_RE, slugify
from app.quizzes.types import QUESTION_TYPES

QUESTION_KEYS = ("id", "points", "explanation", "answer", "number", "unit", "accept", "misconception", "section")
CHOICE_KEYS = ("feedback", "misconception", "credit")  # under an answer; credit: only under - accept:/- number:
SETTINGS_KEYS = (
    "pass_mark", "attempts", "shuffle_questions", "shuffle_choices", "reveal", "review", "partial_credit"
)
REVEAL_VALUES = ("after_attempt", "after_passing", "never")
FORM_LABELS = ("A", "B")  # parallel forms of a pre/post quiz (crossover needs exactly two)

# Which answer lines / keys make which question type.
_ITEM_TYPES = {"single": "single", "multiple": "multiple", "pair": "matching", "order": "ordering",
               "accept": "short_text", "number": "numeric"}  # "- wrong:" goes with either
_KEY_TYPES = {"answer": "true_false", "number": "numeric", "accept": "short_text"}
_TYPE_WORDS = {
    "single": "single choice ( )",
    "multiple": "multiple response [ ]",
    "true_false": "true/false answer:",
    "numeric": "number:",
    "short_text": "accept:",
    "matching": "matching =>",
    "ordering": "ordering 1. 2. 3.",
}

# Matched against lines without trailing spaces, so each value group can be greedy and run to the end of the line.
# A lazy group followed by "[ \t]*" (as these were) shares every run of spaces with it and backtracks in
# quadratic time: one 20,000-character line took seconds. These scan each line once.
_HEADING_RE = re.compile(r"(#{1,6})(?:[ \t]+(.*))?")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_KEY_RE = re.compile(r"([a-z][a-z0-9_-]*):(?!//)[ \t]*(.*)")  # not "https://…"
_INDENTED_KEY_RE = re.compile(r"[ \t]+([a-z][a-z0-9_-]*):(?!//)[ \t]*(.*)")
_SINGLE_RE = re.compile(r"[-*+][ \t]+\(([ xX]?)\)(?:[ \t]+(.*))?")
_MULTIPLE_RE = re.compile(r"[-*+][ \t]+\[([ xX]?)\](?:[ \t]+(.*))?")
_PAIR_RE = re.compile(r"[-*+][ \t]+(.*)")  # then split at the first "=>" in code
_ORDER_RE = re.compile(r"(\d{1,3})[.)](?:[ \t]+(.*))?")
_BULLET_RE = re.compile(r"[-*+][ \t]+\S")
# "- accept: CO2 | carbon dioxide", "- number: 1.1 ± 0.05", "- wrong: methane": typed answers with feedback
_TYPED_RE = re.compile(r"[-*+][ \t]+(accept|number|wrong):(?!//)(.*)")


def _escape_block(markdown: str) -> str:
    """Lint-only stand-in for the Markdown pipeline: escaped paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", markdown) if p.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _inline_from_block(html: str) -> str:
    """A one-line snippet rendered as a block gives ``<p>…</p>``: unwrap it for use inside a label."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


_INLINE_BLOCK_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+*]|#{1,6})(?=\s|$)|^(>)")


def renderers(render: Callable[[str], str] | None) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(inline, block) renderers. Inline text (headings, choices) must stay inline: "### 1. Why?" is a
    numbered question, not an ordered list, so a leading block marker is escaped before rendering."""
    if render is None:
        return (lambda text: str(escape(text))), _escape_block

    def inline(text: str) -> str:
        source = _INLINE_BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[0]}", text)
        return _inline_from_block(str(render(source)))

    return inline, (lambda text: str(render(text)).strip())


def parse_settings(settings: Any, *, path: str, line: int) -> tuple[QuizSettings, list[Problem]]:
    """Validate the front-matter ``quiz:`` mapping; defaults fill whatever is missing or wrong."""
    problems: list[Problem] = []
    result = QuizSettings()
    if settings is None:
        return result, problems
    if not isinstance(settings, Mapping):
        problems.append(Problem(path, line, "quiz: must be a mapping of settings (pass_mark, attempts, ...)"))
        return result, problems

    def bad(message: str) -> None:
        problems.append(Problem(path, line, message))

    for key, value in settings.items():
        if key not in SETTINGS_KEYS:
            bad(f"unknown quiz setting {key!r} (known: {', '.join(SETTINGS_KEYS)})")
        elif key == "pass_mark":
            number_ok = (
                isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            )
            if number_ok and 0 <= value <= 100:
                result.pass_mark = value
            else:
                bad(f"quiz pass_mark must be a number from 0 to 100, not {value!r}")
        elif key == "attempts":
            if value == "unlimited":
                result.attempts = None
            elif isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                result.attempts = value
            else:
                bad(f'quiz attempts must be a whole number of at least 1 or "unlimited", not {value!r}')
        elif key == "reveal":
            if value in REVEAL_VALUES:
                result.reveal = value
            else:
                bad(f"quiz reveal must be one of {', '.join(REVEAL_VALUES)}, not {value!r}")
        elif key == "review":
            result.review = _review_settings(value, bad)
        elif isinstance(value, bool):
            setattr(result, key, value)
        else:
            bad(f"quiz {key} must be true or false, not {value!r}")
    if not result.has_pass_mark and "after_passing" in result.review_times().values():
        problems.append(Problem(path, line, "review after_passing with pass_mark: 0: there is no passing, so it "
                                "means after_attempt here", "warning"))
    return result, problems


def _review_settings(value: Any, bad: Callable[[str], None]) -> dict[str, str]:
    """``review:`` maps each of correctness, points, answers, feedback, score to the moment it is shown."""
    if not isinstance(value, Mapping):
        bad(f"quiz review must be a mapping like 'score: after_release' (items: {', '.join(REVIEW_ITEMS)})")
        return {}
    review: dict[str, str] = {}
    for item, time in value.items():
        if item not in REVIEW_ITEMS:
            bad(f"unknown review item {item!r} (known: {', '.join(REVIEW_ITEMS)})")
        elif time not in REVIEW_TIMES:
            bad(f"review {item} must be one of {', '.join(REVIEW_TIMES)}, not {time!r}")
        else:
            review[item] = time
    return review


class _LineParser:
    """Split the quiz text into ``RawQuestion`` objects, reporting syntax problems as it goes."""

    def __init__(self, text: str, path: str, first_line: int, *, allow_forms: bool = True) -> None:
        self.lines = text.splitlines()
        self.allow_forms = allow_forms
        self.form = ""  # the form whose questions follow
        self.form_lines: dict[str, int] = {}  # label -> line of its marker
        self.path = path
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.questions: list[RawQuestion] = []
        self.current: RawQuestion | None = None
        self.in_answers = False
        self.target: str | None = None  # "explanation" | "answer" | "feedback"
        self.fence: str | None = None
        self.stray_text_reported = False

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def parse(self) -> list[RawQuestion]:
        for index, line in enumerate(self.lines):
            self.feed(line, self.first_line + index)
        return self.questions

    def feed(self, line: str, number: int) -> None:
        q = self.current
        if self.fence is not None:
            self._content(line, number)
            if _FENCE_RE.match(line) and line.strip().startswith(self.fence):
                self.fence = None
            return
        if QUIZ_MARKER_LIKE_RE.match(line.strip()):
            self._form_marker(line.strip(), number)
            return
        bare = line.rstrip(" \t")
        if heading := _HEADING_RE.fullmatch(bare):
            level, text = len(heading[1]), _without_closing_hashes(heading[2] or "").strip()
            if level == 3:
                self._start(text, number)
                return
            if level < 3:
                self.error(
                    number,
                    f"a level-{level} heading inside the quiz section: questions start with "
                    "'### ' and the quiz runs to the end of the file",
                )
                return
        if q is None:
            if line.strip() and not self.stray_text_reported:
                self.error(
                    number, "text before the first question: each question starts with a '### ' heading"
                )
                self.stray_text_reported = True
            return
        if fence := _FENCE_RE.match(line):
            self.fence = fence[1][0] * len(fence[1])
            self._content(line, number)
            return
        if not line.strip():
            self._content(line, number)
            return
        if line[0] in " \t":
            self._indented(line, number)
            return
        self.target = None
        if key := _KEY_RE.fullmatch(bare):
            self._key(key[1], key[2] or "", number)
        elif item := self._answer(bare, number):
            q.answers.append(item)
            self.in_answers = True
            self.target = "answer"
        elif self.in_answers:
            hint = (
                "list items here must be answers: - ( ), - [ ], left => right"
                if _BULLET_RE.match(line)
                else "the question text goes between the ### heading and the answers"
            )
            self.error(number, f"unexpected text after the answers ({hint})")
        else:
            q.stem_lines.append(line)

    def _form_marker(self, line: str, number: int) -> None:
        """``<!-- quiz form: A -->``: the questions that follow belong to form A."""
        match = QUIZ_FORM_RE.fullmatch(line)
        if not self.allow_forms:
            self.error(number, "form markers only go in a module's quiz, not in a check block")
            return
        if match is None:
            self.error(
                number,
                f"not a quiz marker Ondo knows: inside the quiz, write '<!-- quiz form: A -->' to start a "
                f"parallel form (forms: {', '.join(FORM_LABELS)})",
            )
            return
        label = match["label"]
        if label not in FORM_LABELS:
            hint = f" (capital letters: '{label.upper()}')" if label.upper() in FORM_LABELS else ""
            self.error(number, f"unknown quiz form {label!r}{hint}: forms are {', '.join(FORM_LABELS)}")
            return
        if label in self.form_lines:
            self.error(number, f"form {label} starts twice (first on line {self.form_lines[label]})")
            return
        if self.questions and not self.form:
            self.error(number, "questions before the first form marker: put every question in a form")
        self.form_lines[label] = number
        self.form = label
        self.current = None
        self.in_answers = False
        self.target = None
        self.stray_text_reported = False

    def _start(self, heading: str, number: int) -> None:
        if not heading:
            self.error(number, "empty question heading")
        self.current = RawQuestion(heading=heading, line=number, form=self.form)
        self.questions.append(self.current)
        self.in_answers = False
        self.target = None

    def _content(self, line: str, number: int) -> None:
        """Blank lines and fenced code: part of the explanation or stem, whichever is open."""
        q = self.current
        if q is None:
            return
        if self.target == "explanation":
            q.explanation_lines.append(line[2:] if line.startswith("  ") else line)
        elif not self.in_answers and self.target is None:
            q.stem_lines.append(line)
        elif line.strip():
            self.error(
                number, "unexpected text after the answers (a code block belongs in the question text)"
            )

    def _indented(self, line: str, number: int) -> None:
        q = self.current
        assert q is not None
        if self.target == "explanation":
            q.explanation_lines.append(line[2:] if line.startswith("  ") else line.lstrip())
            return
        if self.target in ("answer", "feedback"):
            answer = q.answers[-1]
            if key := _INDENTED_KEY_RE.fullmatch(line.rstrip(" \t")):
                name, value = key[1], key[2] or ""
                if name not in CHOICE_KEYS:
                    self.error(
                        number, f"unknown key {name!r} under an answer (known: {', '.join(CHOICE_KEYS)})"
                    )
                elif name in answer.keys:
                    self.error(number, f"duplicate key {name!r} under this answer")
                else:
                    self._check_value(name, value, number)
                    answer.keys[name] = RawKey(value.strip(), number)
                    self.target = "feedback" if name == "feedback" else "answer"
                return
            if self.target == "feedback":
                feedback = answer.keys["feedback"]
                feedback.value = f"{feedback.value} {line.strip()}".strip()
            else:
                answer.text = f"{answer.text} {line.strip()}".strip()
            return
        if self.in_answers:
            self.error(number, "unexpected indented text after the answers")
        else:
            q.stem_lines.append(line)

    def _key(self, name: str, value: str, number: int) -> None:
        q = self.current
        assert q is not None
        if name not in QUESTION_KEYS:
            self.error(number, f"unknown key {name!r} (known: {', '.join(QUESTION_KEYS)})")
            return
        if name in q.keys:
            self.error(number, f"duplicate key {name!r} (first on line {q.keys[name].line})")
            return
        self._check_value(name, value, number)
        q.keys[name] = RawKey(value.strip(), number)
        if name == "explanation":
            q.explanation_lines = [value.strip()]
            self.target = "explanation"
        elif name in _KEY_TYPES:
            self.in_answers = True

    def _check_value(self, name: str, value: str, number: int) -> None:
        value = value.strip()
        if name == "misconception" and not TAG_RE.fullmatch(value):
            self.error(
                number,
                f"bad misconception tag {value!r}: use lowercase words joined by hyphens, "
                "e.g. ozone-hole-causes-warming",
            )
        elif name in ("id", "unit", "feedback") and not value:
            self.error(number, f"{name}: has no value")

    def _answer(self, line: str, number: int) -> RawAnswer | None:
        if m := _TYPED_RE.fullmatch(line):
            return RawAnswer(m[1], number, m[2].strip())
        if m := _SINGLE_RE.fullmatch(line):
            return RawAnswer("single", number, m[2] or "", marked=m[1] in "xX" and m[1] != "")
        if m := _MULTIPLE_RE.fullmatch(line):
            return RawAnswer("multiple", number, m[2] or "", marked=m[1] in "xX" and m[1] != "")
        if (m := _PAIR_RE.fullmatch(line)) and "=>" in m[1]:
            left, _, right = m[1].partition("=>")
            return RawAnswer("pair", number, left.rstrip(" \t"), right=right.lstrip(" \t"))
        if m := _ORDER_RE.fullmatch(line):
            return RawAnswer("order", number, m[2] or "", number=int(m[1]))
        return None


def _without_closing_hashes(text: str) -> str:
    """``Title ##`` -> ``Title``: Markdown's optional closing sequence of a heading (after a space)."""
    opened = text.rstrip("#")
    return opened.rstrip(" \t") if opened != text and opened.endswith((" ", "\t")) else text


def _question_type(raw: RawQuestion, ctx: BuildContext) -> str | None:
    """The type the answers imply; None (with a problem reported) if there are none or they mix."""
    kinds: list[tuple[str, int]] = [(_ITEM_TYPES[a.kind], a.line) for a in raw.answers if a.kind in _ITEM_TYPES]
    kinds += [(_KEY_TYPES[k], key.line) for k, key in raw.keys.items() if k in _KEY_TYPES]
    kinds.sort(key=lambda pair: pair[1])
    if not kinds and raw.answers:  # only "- wrong:" answers
        ctx.error(raw.answers[0].line, "- wrong: answers need a right one: accept:, number:, - accept: or - number:")
        return None
    if not kinds:
        ctx.error(
            raw.line, "question with no answers: add choices, answer:, number:, accept:, pairs or items"
        )
        return None
    first = kinds[0][0]
    wrong = next((a for a in raw.answers if a.kind == "wrong"), None)
    if wrong is not None and first not in ("short_text", "numeric"):
        ctx.error(wrong.line, f"- wrong: goes with accept: or number: answers, not {_TYPE_WORDS[first]}")
        return None
    for kind, line in kinds:
        if kind != first:
            ctx.error(
                line, f"mixed answer kinds in one question: {_TYPE_WORDS[first]} and {_TYPE_WORDS[kind]}"
            )
            return None
    return first


def _points(raw: RawQuestion, ctx: BuildContext) -> float:
    key = raw.keys.get("points")
    if key is None:
        return 1.0
    try:
        value = float(key.value)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        ctx.error(key.line, f"points must be a positive number, not {key.value!r}")
        return 1.0
    return value


def _assign_ids(raws: list[RawQuestion], ctx: BuildContext) -> list[str]:
    """Explicit ``id:`` values must be unique; heading slugs get -2, -3… so they never clash."""
    explicit: dict[str, int] = {}
    for raw in raws:
        key = raw.keys.get("id")
        if key is None or not key.value:
            continue
        if not QUESTION_ID_RE.fullmatch(key.value):
            ctx.error(key.line, f"bad question id {key.value!r}: use letters, digits and hyphens (max 100)")
        elif key.value in explicit:
            ctx.error(key.line, f"duplicate question id {key.value!r} (first on line {explicit[key.value]})")
        else:
            explicit[key.value] = key.line
    taken = set(explicit)
    ids: list[str] = []
    for index, raw in enumerate(raws, start=1):
        key = raw.keys.get("id")
        if key is not None and key.value:
            ids.append(key.value)
            continue
        base = slugify(raw.heading) or f"question-{index}"
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        if candidate != base:
            ctx.warning(
                raw.line,
                f"another question has the id {base!r}; this one gets {candidate!r}. "
                "Add id: to keep results stable if questions move",
            )
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _build(raw: RawQuestion, question_id: str, ctx: BuildContext) -> Question | None:
    qtype_name = _question_type(raw, ctx)
    points = _points(raw, ctx)
    stem = "\n".join(raw.stem_lines).strip("\n")
    explanation = "\n".join(raw.explanation_lines).strip()
    if qtype_name is None:
        return None
    qtype = QUESTION_TYPES[qtype_name]
    for name, key in raw.keys.items():
        if name == "unit" and qtype_name != "numeric":
            ctx.error(key.line, "unit: only goes with a number: answer")
        if name == "misconception" and not qtype.allows_question_misconception:
            ctx.error(key.line, "misconception: of a choice question goes under the wrong choice, indented")
    tag = raw.keys.get("misconception")
    section = raw.keys.get("section")
    question = Question(
        id=question_id,
        type=qtype_name,  # type: ignore[arg-type]
        heading=raw.heading,
        title_html=ctx.inline(raw.heading),
        stem_markdown=stem,
        stem_html=ctx.block(stem) if stem.strip() else "",
        points=points,
        explanation_html=ctx.block(explanation) if explanation else "",
        line=raw.line,
        misconception=tag.value if tag and tag.value and qtype.allows_question_misconception else None,
        section=section.value.strip() if section and section.value else "",
        form=raw.form,
    )
    qtype.build(question, raw, ctx)
    return question


def _check_forms(questions: list[Question], form_lines: dict[str, int], ctx: BuildContext) -> None:
    """Parallel forms must be comparable: each has questions, and they test the same misconceptions."""
    if not form_lines:
        return
    by_form: dict[str, list[Question]] = {label: [] for label in form_lines}
    for question in questions:
        by_form.setdefault(question.form, []).append(question)
    for label, line in form_lines.items():
        if not by_form[label]:
            ctx.error(line, f"form {label} has no questions (each starts with '### ')")
    if len(form_lines) == 1:
        (label, line), = form_lines.items()
        others = [other for other in FORM_LABELS if other != label]
        ctx.warning(
            line,
            f"only form {label}: add form {others[0]} for a parallel form, or use '<!-- quiz -->' for a single form",
        )
        return
    tags = {label: {t for q in qs for t in q.misconception_tags} for label, qs in by_form.items()}
    every_tag = set().union(*tags.values())
    counts = {label: len(qs) for label, qs in by_form.items()}
    for label, line in form_lines.items():
        if missing := sorted(every_tag - tags[label]):
            ctx.warning(
                line,
                f"form {label} tests no item for misconception(s) the other form tests: {', '.join(missing)} "
                "(parallel forms should cover the same misconceptions, or the before/after shares cannot be compared)",
            )
    if len(set(counts.values())) > 1:
        first_label = next(iter(form_lines))
        summary = ", ".join(f"{label}: {n}" for label, n in counts.items())
        ctx.warning(form_lines[first_label], f"the forms have different numbers of questions ({summary})")


def parse_quiz(
    text: str,
    *,
    path: str,
    first_line: int,
    settings: Mapping[str, Any] | None,
    settings_line: int,
    render: Callable[[str], str] | None = None,
    allow_forms: bool = True,
    deferred_renderers: tuple[Callable[[str], str], Callable[[str], str]] | None = None,
) -> tuple[Quiz | None, list[Problem]]:
    """Parse the text after ``<!-- quiz -->`` into a Quiz, with every problem at its file line.

    ``first_line`` is the file line of the text's first line; settings problems are reported at
    ``settings_line``. ``render`` turns Markdown into safe HTML (None: escape only, for lint). Returns
    ``(None, problems)`` when any problem is an error; warnings alone still give a Quiz.
    ``<!-- quiz form: A -->`` lines split the questions into parallel forms (``Question.form``); question
    ids are unique across all forms. ``allow_forms=False`` (check blocks) reports such lines instead.
    ``deferred_renderers`` (inline, block) replace ``render``: see app/quizzes/deferred.py (parse once, render later).
    """
    quiz_settings, problems = parse_settings(settings, path=path, line=settings_line)
    line_parser = _LineParser(text, path, first_line, allow_forms=allow_forms)
    raws = line_parser.parse()
    problems.extend(line_parser.problems)
    inline, block = deferred_renderers if deferred_renderers is not None else renderers(render)
    ctx = BuildContext(path=path, inline=inline, block=block)
    if not raws:
        ctx.error(max(first_line - 1, 1), "the quiz section has no questions (each starts with '### ')")
    ids = _assign_ids(raws, ctx)
    questions = [q for raw, qid in zip(raws, ids, strict=True) if (q := _build(raw, qid, ctx)) is not None]
    _check_forms(questions, line_parser.form_lines, ctx)
    problems.extend(ctx.problems)
    problems = sorted(set(problems), key=lambda p: (p.line, p.message))
    if any(p.is_error for p in problems):
        return None, problems
    return Quiz(settings=quiz_settings, questions=questions), problems
