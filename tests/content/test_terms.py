"""One Korean vocabulary per course: terms.ko.yml and the lint rule that reports variants at file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content import lint_course_tree
from app.content.terms import read_terms

from .support import make_course, module_text

TERMS = """\
terms:
  - preferred: 온실가스
    avoid: [온실 기체]
    en: greenhouse gas
  - preferred: 모듈
    avoid: [단원]
    en: module
    allow: [단원고등학교]
"""

KO_BODY = """\
이 모듈은 온실가스를 다룹니다.
온실 기체는 적외선을 흡수합니다.
다음 단원에서 다시 봅니다. 단원고등학교 학생들이 만든 자료입니다.

<!-- quiz -->

### 무엇이 적외선을 흡수할까요?
id: q-ghg
accept: 온실가스 | 온실 기체
"""


@pytest.fixture
def vocab_course(tmp_path: Path) -> Path:
    """A course with a term list and a Korean module that uses two variants (body lines 2 and 3)."""
    return make_course(
        tmp_path / "courses",
        {
            "terms.ko.yml": TERMS,
            "01-intro.ko.md": module_text(KO_BODY),
            "01-intro.en.md": module_text("The 온실 기체 of a Korean quote is not checked in English.\n"),
        },
    )


def term_warnings(folder: Path) -> list[str]:
    return [str(p) for p in lint_course_tree(folder) if "one term throughout the course" in p.message]


def body_line(text: str) -> int:
    """Line number of ``text`` in the module file (front matter included)."""
    lines = module_text(KO_BODY).split("\n")
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_a_variant_is_reported_at_its_file_and_line_with_the_preferred_term(vocab_course: Path) -> None:
    warnings = term_warnings(vocab_course)
    module = vocab_course / "01-intro.ko.md"
    assert warnings == [
        f"{module}:{body_line('온실 기체는')}: warning: write '온실가스' (greenhouse gas), not '온실 기체': "
        "one term throughout the course (see the course's term list)",
        f"{module}:{body_line('다음 단원')}: warning: write '모듈' (module), not '단원': "
        "one term throughout the course (see the course's term list)",
    ]


def test_accepted_answers_allowed_phrases_and_english_files_are_not_reported(vocab_course: Path) -> None:
    warnings = "\n".join(term_warnings(vocab_course))
    assert f":{body_line('accept:')}:" not in warnings  # students may type either spelling
    assert "01-intro.en.md" not in warnings  # terms.ko.yml checks Korean modules only
    assert warnings.count("'단원'") == 1  # 단원고등학교 on the same line is allowed, the line is reported once


def test_fixing_the_variants_makes_the_course_pass(vocab_course: Path) -> None:
    module = vocab_course / "01-intro.ko.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("온실 기체는", "온실가스는").replace("다음 단원", "다음 모듈"), encoding="utf-8")
    assert term_warnings(vocab_course) == []


def test_a_course_without_a_term_list_is_not_checked(tmp_path: Path) -> None:
    folder = make_course(tmp_path / "courses", {"01-intro.ko.md": module_text(KO_BODY)})
    assert term_warnings(folder) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("terms:\n  - preferred: 모듈\n", [(2, "'모듈' needs 'avoid', a list of the variants to report")]),
        ("terms:\n  - avoid: [단원]\n", [(2, "a term entry needs 'preferred' (text)")]),
        (
            "terms:\n  - {preferred: 모듈, avoid: [단원], note: x}\n",
            [(2, "unknown key 'note' in a term entry (allowed: preferred, avoid, en, allow)")],
        ),
        (
            "terms:\n  - {preferred: 모듈, avoid: [단원]}\n  - {preferred: 단원, avoid: [과]}\n",
            [(3, "'단원' is already listed at line 2")],
        ),
        ("words: []\n", [(1, "unknown key 'words' in a term list (allowed: terms)"),
                         (1, "a term list needs 'terms:', a list of entries")]),
    ],
)
def test_a_broken_term_list_is_reported_at_its_line(tmp_path: Path, text: str, expected: list[tuple[int, str]]) -> None:
    path = tmp_path / "terms.ko.yml"
    path.write_text(text, encoding="utf-8")
    _, problems = read_terms(path)
    assert [(p.line, p.message) for p in problems] == expected


def test_a_broken_term_list_is_an_error_in_the_course_lint(tmp_path: Path) -> None:
    folder = make_course(tmp_path / "courses", {"terms.ko.yml": "terms: [oops\n", "01-intro.ko.md": module_text()})
    errors = [p for p in lint_course_tree(folder) if p.is_error and p.path.endswith("terms.ko.yml")]
    assert [(p.line, p.message.split(":")[0]) for p in errors] == [(2, "invalid YAML")]


def test_the_foundations_course_keeps_one_korean_vocabulary() -> None:
    """The issue's pairs are in the shipped term list (the course itself lints clean in test_cli)."""
    course = Path(__file__).parents[2] / "courses" / "climate-literacy-foundations"
    terms, problems = read_terms(course / "terms.ko.yml")
    assert problems == []
    preferred = {t.preferred: set(t.avoid) for t in terms}
    issue_variants = (
        "온실 기체", "단원", "아산화질소", "넷제로", "순배출 0", "최선의 추정치", "가이드라인", "오스트레일리아",
    )
    for variant in issue_variants:
        assert any(variant in avoid for avoid in preferred.values()), f"{variant} is not in terms.ko.yml"
    assert {"온실가스", "모듈", "동료 심사"} <= set(preferred)
