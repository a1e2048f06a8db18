"""Sync parses every chart, scenario, check and quiz once: lint's parse is what the renderer uses."""
from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from markupsafe import escape

import app.content.render as render_code
from app.content import DatasetStore, parse_course_tree, render_module
from app.quizzes import parse_quiz
from app.quizzes.deferred import parse_quiz_once

COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture(scope="module")
def curriculum():
    courses, problems = parse_course_tree(COURSES)
    assert not [p for p in problems if p.is_error]
    return [module for course in courses for module in course.modules]


def _numbering_render():
    """A stand-in renderer whose output shows the order it was called in (as footnote prefixes do)."""
    counter = itertools.count(1)
    return lambda text: f"<p>{next(counter)}:{escape(text)}</p>"


def test_a_quiz_parsed_once_renders_as_a_direct_parse(curriculum):
    quizzes = [m for m in curriculum if m.quiz_markdown is not None]
    assert len(quizzes) > 20
    for module in quizzes:
        options = {"path": module.path, "first_line": module.quiz_first_line, "settings": module.quiz_settings,
                   "settings_line": module.quiz_settings_line}
        direct, _ = parse_quiz(module.quiz_markdown, render=_numbering_render(), **options)
        escaped, _ = parse_quiz(module.quiz_markdown, render=None, **options)
        once, _ = parse_quiz_once(module.quiz_markdown, **options)
        assert once.filled(_numbering_render()).to_dict() == direct.to_dict(), module.path
        assert once.quiz.to_dict() == escaped.to_dict(), module.path  # what lint (similarity) reads


def test_rendering_a_linted_module_parses_nothing_again(curriculum, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed a second time")

    wanted = {"chart": None, "check": None, "scenario": None}
    for module in curriculum:
        for kind in wanted:
            if wanted[kind] is None and f"```{kind}\n" in module.body_markdown and module.quiz_markdown:
                wanted[kind] = module
    assert all(wanted.values()), wanted
    datasets = DatasetStore(COURSES / "_data")
    expected = {kind: render_module(dataclasses.replace(m, parsed_blocks={}, parsed_quiz=None), datasets=datasets)
                for kind, m in wanted.items()}
    for name in ("parse_chart_spec", "parse_scenario_spec", "parse_quiz"):
        monkeypatch.setattr(render_code, name, refuse)
    for kind, module in wanted.items():
        rendered = render_module(module, datasets=datasets)
        assert rendered.body_html == expected[kind].body_html
        assert rendered.quiz.to_dict() == expected[kind].quiz.to_dict()
        assert rendered.checks == expected[kind].checks


def test_a_changed_text_is_parsed_again_not_served_from_the_old_parse(curriculum):
    module = next(m for m in curriculum if m.quiz_markdown and "### " in m.quiz_markdown)
    changed = dataclasses.replace(module, quiz_markdown=module.quiz_markdown.replace("### ", "### Changed ", 1))
    rendered = render_module(changed, datasets=DatasetStore(COURSES / "_data"))
    assert rendered.quiz.questions[0].title_html.startswith("Changed ")
