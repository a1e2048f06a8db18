"""Parse a quiz once, render its Markdown later: lint and render share one parse.

``flask courses sync`` lints every file and then renders the changed ones. Parsing a quiz builds its questions
with their texts turned into HTML as it goes, so lint (which only escapes) and render (the Markdown pipeline)
used to parse each quiz twice. :func:`parse_quiz_once` parses with renderers that only note each text and put a
token in its place; :meth:`ParsedQuiz.filled` then replaces the tokens with HTML from any renderer, in the
order the parser asked for them (so footnote and id prefixes come out as with a direct parse):
``filled(None)`` gives exactly what ``parse_quiz(..., render=None)`` gives, ``filled(render)`` what
``parse_quiz(..., render=render)`` gives.
"""
from __future__ import annotations

import copy
import dataclasses
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.problems import Problem
from app.quizzes.model import Quiz
from app.quizzes.parser import parse_quiz, renderers

Render = Callable[[str], str]


@dataclass
class ParsedQuiz:
    """A quiz parsed with its texts left as tokens; ``quiz`` is the lint view (texts escaped, never rendered)."""

    tokens_quiz: Quiz
    texts: list[tuple[str, str]]  # ("inline" | "block", Markdown) per token, in the order the parser met them
    token: str
    text: str  # what was parsed, with its settings: a caller holding other text must parse that instead
    settings: Any = None
    quiz: Quiz = field(init=False)

    def __post_init__(self) -> None:
        self.quiz = self.filled(None)

    def filled(self, render: Render | None) -> Quiz:
        """A copy of the quiz with every text rendered by ``render`` (None: escaped, as lint sees it)."""
        inline, block = renderers(render)
        html = [inline(text) if kind == "inline" else block(text) for kind, text in self.texts]
        pattern = re.compile(f"\x00{self.token}:(\\d+)\x00")
        quiz = copy.deepcopy(self.tokens_quiz)
        _replace_strings(quiz, lambda value: pattern.sub(lambda m: html[int(m[1])], value), f"\x00{self.token}:")
        return quiz

    def parsed_from(self, text: str | None, settings: Any = None) -> bool:
        return text == self.text and settings == self.settings


def parse_quiz_once(text: str, **options: Any) -> tuple[ParsedQuiz | None, list[Problem]]:
    """``parse_quiz`` without ``render``: the texts are rendered by :meth:`ParsedQuiz.filled`."""
    token = secrets.token_hex(8)
    texts: list[tuple[str, str]] = []

    def noting(kind: str) -> Render:
        def note(markdown: str) -> str:
            texts.append((kind, markdown))
            return f"\x00{token}:{len(texts) - 1}\x00"

        return note

    quiz, problems = parse_quiz(text, deferred_renderers=(noting("inline"), noting("block")), **options)
    parsed = ParsedQuiz(quiz, texts, token, text, options.get("settings")) if quiz is not None else None
    return parsed, problems


def _replace_strings(node: Any, replace: Callable[[str], str], marker: str) -> None:
    """Apply ``replace`` to every string holding ``marker`` in the dataclasses and lists under ``node``."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            value = getattr(node, item.name)
            if isinstance(value, str):
                if marker in value:
                    object.__setattr__(node, item.name, replace(value))
            else:
                _replace_strings(value, replace, marker)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                if marker in value:
                    node[index] = replace(value)
            else:
                _replace_strings(value, replace, marker)
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                if marker in value:
                    node[key] = replace(value)
            else:
                _replace_strings(value, replace, marker)
