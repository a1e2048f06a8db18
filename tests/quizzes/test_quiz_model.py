"""Snapshots: a quiz and its results survive JSON exactly; the engine stays free of Flask and the database."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from app.quizzes import Quiz, QuizResult, correct_response, grade_quiz
from tests.quizzes.samples import FULL_QUIZ, parse

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "quizzes"


@pytest.mark.parametrize("rendered", [False, True])
def test_quiz_round_trips_through_json_exactly(rendered: bool) -> None:
    quiz = parse(FULL_QUIZ, {"attempts": 2, "reveal": "never", "pass_mark": 62.5}, rendered=rendered)
    snapshot = json.loads(json.dumps(quiz.to_dict()))
    assert Quiz.from_dict(snapshot) == quiz
    assert Quiz.from_dict(snapshot).to_dict() == snapshot


def test_snapshot_shape() -> None:
    data = parse(FULL_QUIZ).to_dict()
    assert data["format"] == 1
    assert data["settings"] == {
        "pass_mark": 70,
        "attempts": None,
        "shuffle_questions": False,
        "shuffle_choices": True,
        "reveal": "after_attempt",
        "partial_credit": True,
        "review": {},
    }
    single = data["questions"][0]
    assert set(single) == {
        "id",
        "type",
        "heading",
        "title_html",
        "stem_markdown",
        "stem_html",
        "points",
        "explanation_html",
        "line",
        "choices",
        "pairs",
        "items",
        "numeric",
        "accept",
        "known_answers",
        "answer",
        "misconception",
        "unit",
        "section",
        "section_id",
        "form",
    }
    assert set(single["choices"][0]) == {"id", "text_html", "correct", "feedback_html", "misconception"}
    assert data["questions"][3]["numeric"] == {"low": 1.05, "high": 1.15, "source": "1.1 ± 0.05"}


def test_old_attempt_regrades_from_its_snapshot_after_the_quiz_is_edited() -> None:
    quiz = parse(FULL_QUIZ)
    snapshot = json.dumps(quiz.to_dict())
    responses = {q.id: correct_response(q) for q in quiz.questions}
    edited = parse(
        FULL_QUIZ.replace("- (x) Water vapour", "- ( ) Water vapour").replace("- ( ) Oxygen", "- (x) Oxygen")
    )
    assert grade_quiz(edited, responses).percent < 100
    assert grade_quiz(Quiz.from_dict(json.loads(snapshot)), responses).percent == 100


def test_snapshots_tolerate_unknown_keys_and_reject_newer_formats() -> None:
    data = parse(FULL_QUIZ).to_dict()
    data["questions"][0]["added_later"] = 1
    data["settings"]["added_later"] = 1
    assert Quiz.from_dict(data).questions[0].id == "q-main-ghg"
    with pytest.raises(ValueError):
        Quiz.from_dict({**data, "format": 99})


def test_results_round_trip() -> None:
    quiz = parse(FULL_QUIZ)
    result = grade_quiz(quiz, {"q-main-ghg": quiz.questions[0].choices[2].id})
    assert QuizResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_engine_imports_neither_flask_nor_the_database() -> None:
    forbidden = ("flask", "flask_", "sqlalchemy", "werkzeug")
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"
