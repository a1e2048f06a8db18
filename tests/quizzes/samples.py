"""Quiz texts and helpers shared by the quiz engine tests (no Flask, no conftest needed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown
import nh3

from app.quizzes import Question, Quiz, parse_quiz

FULL_QUIZ = """\

### Which gas traps most outgoing infrared radiation in today's atmosphere?
id: q-main-ghg
points: 2

- ( ) Oxygen
  feedback: Oxygen and nitrogen are transparent to infrared.
- (x) Water vapour
- ( ) Ozone
  misconception: ozone-hole-causes-warming
  feedback: The ozone hole lets in UV; it is not why the planet warms.

explanation: Water vapour absorbs the most, but it follows temperature;
  CO₂ sets the level.

### Which of these are greenhouse gases?
id: q-ghgs

- [x] Carbon dioxide
- [x] Methane
- [ ] Nitrogen
  misconception: all-gases-trap-heat
- [ ] Argon
  feedback: Argon is a noble gas and does not absorb infrared.

### The greenhouse effect is natural and keeps Earth habitable.
answer: true
misconception: greenhouse-effect-is-pollution

### How much has the world warmed since 1850–1900?
Use the IPCC AR6 best estimate for 2011–2020.

number: 1.1 ± 0.05
unit: °C
misconception: warming-is-tiny

### 이산화탄소의 화학식은?
accept: CO2 | carbon dioxide | 이산화탄소

### Match each gas to its concentration
- CO₂ => about 420 ppm
- CH₄ => about 1.9 ppm
- N₂O => about 0.34 ppm

### Put the steps of the greenhouse effect in order
1. Sunlight warms the surface
2. The surface emits infrared
3. Greenhouse gases absorb infrared
4. The air re-emits infrared, some of it downwards
"""

QUIZ_FIRST_LINE = 20  # as if <!-- quiz --> were on line 19 of the module file


def render(text: str) -> str:
    """A small stand-in for the content pipeline: Markdown, then nh3."""
    return nh3.clean(markdown.markdown(text, extensions=["tables", "fenced_code"]))


def parse(text: str, settings: Mapping[str, Any] | None = None, *, rendered: bool = False) -> Quiz:
    """Parse text that must be valid; fails the test with the problems otherwise."""
    quiz, problems = parse_quiz(
        text,
        path="m.md",
        first_line=QUIZ_FIRST_LINE,
        settings=settings,
        settings_line=5,
        render=render if rendered else None,
    )
    errors = [str(p) for p in problems if p.is_error]
    assert quiz is not None and not errors, errors
    return quiz


def problems_of(text: str, settings: Mapping[str, Any] | None = None) -> list[tuple[int, str]]:
    quiz, problems = parse_quiz(
        text, path="m.md", first_line=QUIZ_FIRST_LINE, settings=settings, settings_line=5
    )
    return [(p.line, p.message) for p in problems]


def one(text: str, **settings: Any) -> Question:
    """Parse a single question."""
    return parse(text, settings or None).questions[0]


def file_line(text: str, needle: str) -> int:
    """The file line of the first line of ``text`` containing ``needle`` (for exact line assertions)."""
    for index, line in enumerate(text.splitlines()):
        if needle in line:
            return QUIZ_FIRST_LINE + index
    raise AssertionError(f"{needle!r} not in text")


def choice_id(question: Question, text: str) -> str:
    return next(c.id for c in question.choices if c.text == text)
