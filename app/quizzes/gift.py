"""Convert Moodle GIFT question files into Ondo's Markdown quiz syntax.

Follows Moodle's own reading of GIFT (question/format/gift/format.php): questions are separated by blank
lines, ``//`` lines are comments, the answer block decides the type. What our syntax cannot express is
reported, never dropped silently: whole questions in ``skipped``, lossy details in ``notes``.

HTML (``[html]``, and Moodle's default auto-format, which allows tags): b/strong, i/em, code, sub/sup,
br and p become Markdown (subscript/superscript digits become Unicode, so CO<sub>2</sub> gives CO₂);
any other tag is removed and its text kept, so nothing unsafe or unreadable reaches the module file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.quizzes.text import parse_author_number, slugify

# Private-use placeholders for GIFT escapes, so control characters inside text never split anything.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\ue007",
}
_RESTORE = {
    "\ue000": "\\",
    "\ue001": "~",
    "\ue002": "=",
    "\ue003": "#",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": ":",
    "\ue007": "\n",
}
_ESCAPE_RE = re.compile(r"\\[\\~=#{}:n]")
_NAME_RE = re.compile(r"\s*::(.*?)::", re.DOTALL)
_FORMAT_RE = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE_RE = re.compile(r"(T|F|TRUE|FALSE)\s*(#.*)?", re.DOTALL)
_MD_SPECIALS = re.compile(r"([\\`*_\[\]>#])")
# "<" and "&" cannot be backslash-escaped in Markdown: use entities, only where they would start a tag
# or an entity, so ordinary text ("2 < 3", "R&D") stays as typed.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
_KEY_LIKE = re.compile(r"^([a-z][a-z0-9_-]*):", re.MULTILINE)
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+])(\s)", re.MULTILINE)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_BLANK = "_____"


@dataclass(frozen=True)
class Skipped:
    """A question (or detail) not converted: its GIFT name or first words, its line, and why."""

    name: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.name}: {self.reason}"


@dataclass
class GiftConversion:
    markdown: str  # questions in our syntax, without the <!-- quiz --> marker (see append_to_module)
    skipped: list[Skipped] = field(default_factory=list)  # questions left out
    notes: list[Skipped] = field(default_factory=list)  # converted, but something changed on the way

    def report(self) -> list[str]:
        """Lines for the CLI to print: every skip and every note."""
        return [f"skipped {s}" for s in self.skipped] + [f"note {n}" for n in self.notes]


@dataclass
class _Answer:
    prefix: str  # "=" or "~"
    text: str
    weight: float | None  # None when no %n% was given
    feedback: str


@dataclass
class _Question:
    name: str
    line: int
    text_format: str
    stem: str  # question text with a blank marker for missing-word questions
    body: str  # inside the braces
    id: str = ""


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def _escape_markdown(text: str) -> str:
    """Plain text to Markdown that renders as the same text and cannot be read as quiz syntax."""
    text = _MD_SPECIALS.sub(r"\\\1", text)
    text = _TAG_START.sub("&lt;", _ENTITY_START.sub("&amp;", text))
    return _BLOCK_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}{m[6]}", text)


def _html_to_markdown(text: str) -> str:
    """Simple tags to Markdown, other tags dropped (text kept), entities decoded, text escaped."""
    out: list[str] = []
    position = 0
    script: str | None = None
    for match in _TAG_RE.finditer(text):
        piece = html.unescape(text[position : match.start()])
        out.append(_escape_markdown(piece.translate(script)) if script else _escape_markdown(piece))
        position = match.end()
        closing, tag = match[1] == "/", match[2].lower()
        if tag in ("b", "strong"):
            out.append("**")
        elif tag in ("i", "em"):
            out.append("*")
        elif tag == "code":
            out.append("`")
        elif tag == "br":
            out.append("\n")
        elif tag == "p":
            out.append("\n\n")
        elif tag in ("sub", "sup"):
            script = None if closing else (_SUBSCRIPT if tag == "sub" else _SUPERSCRIPT)
    out.append(_escape_markdown(html.unescape(text[position:])))
    return "".join(out)


def _to_markdown(text: str, text_format: str) -> str:
    """GIFT text (escapes already restored) in the question's format, as Markdown."""
    if text_format == "markdown":
        return text
    if text_format == "plain":
        return _escape_markdown(text)
    return _html_to_markdown(text)  # html and moodle (auto-format allows HTML)


def _one_line(markdown: str) -> str:
    return " ".join(markdown.split())


def _paragraphs(markdown: str) -> list[str]:
    return [_one_line(p) for p in re.split(r"\n\s*\n", markdown) if p.strip()]


def _split_answers(body: str) -> list[_Answer]:
    answers: list[_Answer] = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        prefix, rest = match[1], match[2]
        weight = None
        if w := _WEIGHT_RE.match(rest.strip()):
            weight = float(w[1])
            rest = rest.strip()[w.end() :]
        text, _, feedback = rest.partition("#")
        answers.append(_Answer(prefix, text.strip(), weight, feedback.strip()))
    return answers


def _label(text: str) -> str:
    words = _one_line(_restore(text))
    return words if len(words) <= 60 else words[:57] + "…"


class _Converter:
    def __init__(self) -> None:
        self.skipped: list[Skipped] = []
        self.notes: list[Skipped] = []
        self.used_ids: set[str] = set()
        self.blocks: list[str] = []

    def skip(self, q: _Question, reason: str) -> None:
        self.skipped.append(Skipped(q.name, q.line, reason))

    def note(self, q: _Question, reason: str) -> None:
        self.notes.append(Skipped(q.name, q.line, reason))

    def text(self, q: _Question, raw: str) -> str:
        return _to_markdown(_restore(raw), q.text_format)

    def inline(self, q: _Question, raw: str) -> str:
        return _one_line(self.text(q, raw))

    def question(self, raw_text: str, line: int) -> None:
        text = raw_text
        name = ""
        if match := _NAME_RE.match(text):
            name = _restore(match[1]).strip()
            text = text[match.end() :]
        text_format = "moodle"
        if match := _FORMAT_RE.match(text):
            text_format = match[1].lower()
            text = text[match.end() :]
        q = _Question(name or _label(text.split("{")[0]), line, text_format, "", "")
        start = text.find("{")
        if start < 0:
            self.skip(q, "description item (no answer block {…}); add it to the module text instead")
            return
        end = text.find("}", start)
        if end < 0:
            self.skip(q, "unparseable: the answer block { has no closing }")
            return
        before, body, after = text[:start], text[start + 1 : end], text[end + 1 :]
        if "{" in after or "}" in after:
            self.skip(q, "unparseable: more than one answer block")
            return
        if not body.strip():
            self.skip(q, "essay question ({}): Ondo quizzes are graded automatically")
            return
        stem_md = self.text(q, before).rstrip()
        after_md = self.text(q, after).strip()
        if after_md:  # missing word: the blank goes where the braces were
            stem_md = (
                f"{stem_md} {_BLANK} {after_md}".strip()
                if after_md[0].isalnum()
                else f"{stem_md} {_BLANK}{after_md}"
            )
        paragraphs = _paragraphs(stem_md)
        if not paragraphs:
            self.skip(q, "no question text")
            return
        q.stem, q.body = "\n\n".join(paragraphs), body
        if name:
            base = slugify(name)
            if base:
                candidate, n = base, 2
                while candidate in self.used_ids:
                    candidate = f"{base}-{n}"
                    n += 1
                if candidate != base:
                    self.note(q, f"another question is also named {name!r}: id {candidate!r}")
                q.id = candidate
                self.used_ids.add(candidate)
        self.convert(q)

    def convert(self, q: _Question) -> None:
        body, general = q.body, ""
        if "####" in body:
            body, general = body.split("####", 1)
        stripped = body.strip()
        # Same order of tests as Moodle's GIFT importer.
        if stripped.startswith("#"):
            lines = self.numeric(q, stripped[1:])
        elif stripped[:1] not in ("=", "~") and not _TRUE_FALSE_RE.fullmatch(stripped):
            self.skip(q, f"unparseable answer block {{{_one_line(_restore(body))}}}")
            return
        elif "~" in stripped:
            lines = self.choices(q, _split_answers(stripped))
        elif "=" in stripped and "->" in stripped:
            lines = self.matching(q, _split_answers(stripped))
        elif tf := _TRUE_FALSE_RE.fullmatch(stripped):
            lines = self.true_false(q, tf)
        else:
            lines = self.short_text(q, _split_answers(stripped))
        if lines is None:
            return
        explanation = [self.text(q, general).strip()] if general.strip() else []
        explanation += lines.pop("explanation", [])
        self.emit(q, lines["answers"], [e for e in explanation if e])

    def emit(self, q: _Question, answer_lines: list[str], explanation: list[str]) -> None:
        heading, *rest = q.stem.split("\n\n")
        out = [f"### {heading}"]
        if q.id:
            out.append(f"id: {q.id}")
        if rest:
            # a stem line like "answer: yes" would be read as a key; one space of indent is invisible
            out += ["", _KEY_LIKE.sub(r" \1:", "\n\n".join(rest))]
        out += ["", *answer_lines]
        if explanation:
            text_lines = "\n\n".join(explanation).split("\n")
            out += ["", f"explanation: {text_lines[0]}", *[f"  {t}" if t else "" for t in text_lines[1:]]]
        self.blocks.append("\n".join(out))

    def choices(self, q: _Question, answers: list[_Answer]) -> dict[str, list[str]] | None:
        single = any(a.prefix == "=" for a in answers)
        if any(not a.text for a in answers):
            self.skip(q, "a choice has no text")
            return None
        lines: list[str] = []
        if single:
            right = [a for a in answers if a.prefix == "=" and (a.weight is None or a.weight >= 100)]
            if len(right) != 1:
                self.skip(q, "a single-choice question needs exactly one fully right answer (=)")
                return None
            for a in answers:
                correct = a is right[0]
                if not correct and a.weight:
                    self.note(
                        q,
                        f"partial credit {a.weight:g}% for {_label(a.text)!r} dropped: "
                        "in Ondo a single-choice answer is right or wrong",
                    )
                lines.append(f"- ({'x' if correct else ' '}) {self.inline(q, a.text)}")
                if a.feedback:
                    lines.append(f"  feedback: {self.inline(q, a.feedback)}")
        else:
            if not any((a.weight or 0) > 0 for a in answers):
                self.skip(q, "no answer carries a positive weight (%n%), so none is right")
                return None
            self.note(
                q,
                "percentage weights became Ondo's partial-credit rule: answers with a positive weight "
                "are right ([x]); score = (right picked − wrong picked) / number right",
            )
            for a in answers:
                lines.append(f"- [{'x' if (a.weight or 0) > 0 else ' '}] {self.inline(q, a.text)}")
                if a.feedback:
                    lines.append(f"  feedback: {self.inline(q, a.feedback)}")
        return {"answers": lines}

    def true_false(self, q: _Question, match: re.Match[str]) -> dict[str, list[str]]:
        value = match[1].upper().startswith("T")
        explanation: list[str] = []
        if match[2]:
            parts = [p.strip() for p in match[2][1:].split("#")]
            wrong = parts[0] if parts else ""
            right = parts[1] if len(parts) > 1 else ""
            explanation = [self.text(q, fb).strip() for fb in (right, wrong) if fb]
            self.note(q, "true/false feedback moved into the explanation (shown whatever the answer)")
        return {"answers": [f"answer: {'true' if value else 'false'}"], "explanation": explanation}

    def typed_answers(self, q: _Question, answers: list[_Answer], kind: str,
                      value: Callable[[_Answer], str | None]) -> dict[str, list[str]] | None:
        """Short-answer and numeric answers with their weights and feedback, in Moodle's order (the first
        that matches decides). Without feedback or partial weights: the compact ``accept:``/``number:``."""
        items: list[tuple[str, str, float, str]] = []  # (kind, value, credit %, feedback markdown)
        for a in answers:
            text = value(a)
            if text is None:
                continue
            weight = 100.0 if a.weight is None else a.weight
            if weight < 0:
                self.note(q, f"answer {_label(a.text)!r} weighted {weight:g}% counts as 0%: Ondo never takes "
                             "points away for a typed answer")
                weight = 0.0
            if text == "*" and weight > 0:
                self.note(q, f"answer * worth {weight:g}% dropped: in Ondo * (any other answer) only marks a "
                             "wrong answer")
                continue
            feedback = self.inline(q, a.feedback) if a.feedback else ""
            items.append(("wrong" if weight == 0 else kind, text, min(weight, 100.0), feedback))
        if not any(item[0] == kind and item[2] >= 100 for item in items):
            return None
        if all(item[0] == kind and item[2] >= 100 and not item[3] for item in items):
            key = "accept" if kind == "accept" else "number"
            return {"answers": [f"{key}: {' | '.join(item[1] for item in items)}"]}
        lines: list[str] = []
        previous: tuple[str, float, str] | None = None
        for item_kind, text, credit, feedback in items:
            # neighbours with the same credit and feedback share one line: "- accept: no one | nobody"
            if kind == "accept" and text != "*" and previous == (item_kind, credit, feedback) and lines:
                head = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("- "))
                lines[head] += f" | {text}"
                continue
            lines.append(f"- {item_kind}: {text}")
            if item_kind != "wrong" and credit < 100:
                lines.append(f"  credit: {credit:g}")
            if feedback:
                lines.append(f"  feedback: {feedback}")
            previous = (item_kind, credit, feedback) if text != "*" else None
        return {"answers": lines}

    def short_text(self, q: _Question, answers: list[_Answer]) -> dict[str, list[str]] | None:
        def value(a: _Answer) -> str | None:
            text = _one_line(_restore(a.text))
            if "|" in text:
                self.note(q, f"answer {text!r} dropped: it contains |, which separates accepted answers")
                return None
            if "*" in text and text != "*":
                self.note(q, f"answer {text!r} dropped: Moodle's * wildcard inside an answer is not supported "
                             "(a lone * for any other answer is)")
                return None
            return text or None

        result = self.typed_answers(q, answers, "accept", value)
        if result is None:
            self.skip(q, "no fully right answer to accept")
        return result

    def numeric(self, q: _Question, body: str) -> dict[str, list[str]] | None:
        # Moodle: everything from the first ~ is the feedback for any other (wrong) answer.
        body, tilde, other = body.partition("~")
        if "=" in body:
            answers = _split_answers(body)
        else:
            text, _, feedback = body.partition("#")
            answers = [_Answer("=", text.strip(), None, feedback.strip())]
        if tilde:
            answers.append(_Answer("=", "*", 0.0, other.partition("#")[2].strip()))

        unparseable: list[str] = []

        def value(a: _Answer) -> str | None:
            raw = _restore(a.text).strip()
            if raw == "*":
                return raw
            spec = _number_spec(raw)
            if spec is None:
                unparseable.append(raw)
            return spec

        result = self.typed_answers(q, answers, "number", value)
        if result is None:
            self.skip(q, f"unparseable number {unparseable[0]!r}" if unparseable
                      else "numeric question without a fully right answer")
        else:
            for raw in unparseable:
                self.note(q, f"numeric answer {raw!r} dropped: it is not a number, range or number:tolerance")
        return result

    def matching(self, q: _Question, answers: list[_Answer]) -> dict[str, list[str]] | None:
        lines: list[str] = []
        for a in answers:
            left, arrow, right = a.text.partition("->")
            if not arrow:
                self.skip(q, f"unparseable matching pair {_restore(a.text)!r} (expected left -> right)")
                return None
            if not left.strip():
                self.note(
                    q,
                    f"extra right-hand option {_restore(right).strip()!r} dropped: Ondo matching has "
                    "one right side per left side",
                )
                continue
            lines.append(f"- {self.inline(q, left)} => {self.inline(q, right)}")
        if len(lines) < 2:
            self.skip(q, "a matching question needs at least two pairs")
            return None
        return {"answers": lines}


def _number_spec(value: str) -> str | None:
    """GIFT ``1822``, ``1822:2`` or ``1..3`` as our number syntax, or None when it is not a number."""
    if ".." in value:
        low, _, high = value.partition("..")
        spec = f"{low.strip()} .. {high.strip()}"
    elif ":" in value:
        centre, _, tolerance = value.partition(":")
        spec = centre.strip() if float_or_none(tolerance) == 0 else f"{centre.strip()} ± {tolerance.strip()}"
    else:
        spec = value
    return spec if parse_author_number(spec) is not None else None


def float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def gift_to_markdown(text: str) -> GiftConversion:
    """Convert a GIFT file to our quiz syntax; every question left out or changed is reported."""
    converter = _Converter()
    block: list[str] = []
    block_line = 0

    def flush() -> None:
        if not block:
            return
        joined = "\n".join(block)
        if joined.lstrip().startswith("$CATEGORY:"):
            first, _, rest = joined.lstrip().partition("\n")
            converter.notes.append(
                Skipped(
                    "$CATEGORY",
                    block_line,
                    f"{first.strip()!r} ignored: Ondo has no "
                    "question categories (the module is the category)",
                )
            )
            joined = rest
            if not joined.strip():
                return
        converter.question(_protect(joined), block_line)

    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            flush()
            block = []
            continue
        if not block:
            block_line = number
        block.append(line)
    flush()
    markdown = "\n\n".join(converter.blocks)
    return GiftConversion(markdown + "\n" if markdown else "", converter.skipped, converter.notes)


def append_to_module(module_text: str, quiz_markdown: str) -> str:
    """Add converted questions to a module file, adding the ``<!-- quiz -->`` marker if it has none."""
    text = module_text.rstrip("\n") + "\n"
    if "<!-- quiz -->" not in text.split("\n"):
        text += "\n<!-- quiz -->\n"
    return f"{text}\n{quiz_markdown.strip()}\n"
