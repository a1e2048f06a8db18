"""Every parser of user input runs in linear time: property-based (Hypothesis) with a time budget per input.

Regular expressions turn quadratic (or worse) when two quantifiers can share the same characters; a short
"motif" repeated many times is what finds that. Each strategy pumps a motif to PUMP characters and wraps it in
text that makes the parser try hard (a sign before, a letter after, a quiz-line start). A linear parser needs a
few milliseconds for such an input; the budget is far above that (a busy 2-core machine) and far below what a
quadratic parser needs (a sign and 20,000 spaces took 15 s before the fix).
"""
from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.content.single import check_module_file
from app.quizzes import parse_quiz
from app.quizzes.gift import gift_to_markdown
from app.quizzes.text import normalise_text, parse_author_number, student_number_candidates
from app.services.classes import RosterError, parse_roster

PUMP = 20_000
BUDGET = 0.75  # seconds for one input of PUMP characters; linear code needs well under 0.05
FIXTURE_COURSES = Path(__file__).resolve().parent / "fixtures" / "courses"

# Characters that matter to our parsers: signs, separators, spaces of several kinds, quiz and GIFT syntax.
HOSTILE = "-+ \t\u00a0\u2009.,0123456789eE:=>#|{}~%[]()*xX/\\\"'`&<a;1가"
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])


def pumped(starts: tuple[str, ...] = ("",), *, alphabet: str = HOSTILE, size: int = PUMP):
    """A start, a motif repeated to ``size`` characters, and a short tail."""
    return st.builds(
        lambda start, motif, tail: start + motif * (size // len(motif)) + tail,
        st.sampled_from(starts),
        st.text(alphabet, min_size=1, max_size=4),
        st.text(alphabet, max_size=3),
    )


def within_budget(parse, text, budget: float = BUDGET):
    # CPU time of this process, not wall time: the suite runs on parallel workers (pytest-xdist) on shared machines,
    # and the budget is about the parser's own work (no catastrophic backtracking), not about the neighbours.
    started = time.process_time()
    result = parse(text)
    elapsed = time.process_time() - started
    # text is None when parse reads a file instead: the message must not fail on it and hide the timing
    assert elapsed < budget, f"{elapsed:.2f} s for {len(text or '')} characters starting {(text or '')[:20]!r}"
    return result


# Numeric and short-text answers ------------------------------------------------------------------------------

@SLOW
@given(pumped(("", "-", "+", "- ", "1", "1 ", "1,5")))
@example("-" + " " * PUMP + "a")  # the answer from issue 10: 16 s for 30,000 spaces before the fix
@example("+" + "\u00a0" * PUMP + "x")
@example("1" + " 1" * (PUMP // 2) + "x")
def test_numeric_answers_parse_in_linear_time(text):
    within_budget(lambda t: student_number_candidates(t, "km"), text)
    within_budget(student_number_candidates, text)


def test_numeric_parsing_still_reads_what_students_type():
    assert student_number_candidates(" - 3.5 ") == [-3.5]
    assert student_number_candidates("- 1 000,5") == [-1000.5]
    assert sorted(student_number_candidates("1,500 km", "km")) == [1.5, 1500.0]
    assert student_number_candidates("１２") == [12.0]
    assert student_number_candidates("-" + " " * 1000 + "a") == []


@SLOW
@given(pumped())
def test_short_text_answers_normalise_in_linear_time(text):
    within_budget(normalise_text, text)


@SLOW
@given(pumped(("", "1", "1 ±", "1.0 ..", "-")))
@example("1" + " " * PUMP + "±")
def test_author_numbers_parse_in_linear_time(text):
    within_budget(parse_author_number, text)


# Quiz blocks, GIFT and front matter (authors: teachers and admins in the browser editor) ---------------------

QUIZ_LINE_STARTS = ("### ", "- (x) ", "- [x] ", "- a", "- a =>", "1. ", "type: ", "  feedback: ", "number: ",
                    "accept: ", "explanation: ")


def _quiz(text):
    return parse_quiz(text, path="m.md", first_line=1, settings=None, settings_line=1)


@SLOW
@given(pumped(QUIZ_LINE_STARTS, size=PUMP))
@example("### Q\n\n- a" + " " * PUMP + "b\n- c => d\n")
@example("### Q\n\nnumber: 1" + " " * PUMP + "x\n")
def test_quiz_blocks_parse_in_linear_time(line):
    text = line if line.startswith("###") else f"### A question\n\n{line}\n"
    within_budget(_quiz, text)


@SLOW
@given(pumped(("::a::", "::", "{", "{=", "{~%50%", "{#", "{T#", "a {=b ->", "<b", "&#", "\n"),
              alphabet=HOSTILE + "\n"))
@example("a {=b}\n" + "\n" * PUMP + "x")
@example("::" + ":" * PUMP)
def test_gift_converts_in_linear_time(text):
    within_budget(gift_to_markdown, text + "\n")


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("courses")
    shutil.copytree(FIXTURE_COURSES, root, dirs_exist_ok=True)
    return root


FRONT_MATTER_STARTS = ("title: ", "title: '", 'title: "', "summary: ", "minutes: ", "objectives:\n  - ",
                       "principles: [", "quiz: {", "- ", "? ")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large,
                                                                HealthCheck.function_scoped_fixture])
@given(pumped(FRONT_MATTER_STARTS, size=PUMP // 2))
def test_front_matter_and_module_files_parse_in_linear_time(course_root, front):
    path = course_root / "sample" / "09-hostile.en.md"
    path.write_text(f"---\n{front}\n---\n# Title\n\nText.\n", encoding="utf-8")
    check_module_file(course_root, "sample", path.name)  # untimed: the first call pays for cold caches and imports
    within_budget(lambda _: check_module_file(course_root, "sample", path.name), None, budget=2 * BUDGET)


BODY_STARTS = ("## ", "### a ", "[", "![", "[a](", "`", "``", "<!--", "<a ", "- ", "1. ", "> ", "```\n", "\n")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large,
                                                                HealthCheck.function_scoped_fixture])
@given(pumped(BODY_STARTS, alphabet=HOSTILE + "\n!", size=PUMP // 2))
@example("## a" + " " * (PUMP // 2) + "b")  # minutes before the fix: three "\s*" shared one run of spaces
@example("## a" + " " * (PUMP // 2) + "b {")
@example("[a](" + "\n" * (PUMP // 2))  # 10,000 newlines in an unclosed link: 1.8 s before possessive spaces
def test_module_bodies_lint_in_linear_time(course_root, body):
    path = course_root / "sample" / "09-hostile.en.md"
    path.write_text(f"---\ntitle: Hostile\nsummary: s\nminutes: 5\nobjectives: [x]\nprinciples: [EP1]\n---\n"
                    f"# Title\n\n{body}\n\n<!-- quiz -->\n\n### Q\nsection: Title\n\n- (x) a\n- ( ) b\n",
                    encoding="utf-8")
    check_module_file(course_root, "sample", path.name)  # untimed: the first call pays for cold caches and imports
    within_budget(lambda _: check_module_file(course_root, "sample", path.name), None, budget=2 * BUDGET)


# Roster CSV and course zip (teachers and admins upload them) -------------------------------------------------

@SLOW
@given(pumped(("name\n", "name,number\n", 'name\n"', "이름,학번\n"), alphabet=HOSTILE + '",\r\n'))
def test_roster_csv_parses_in_linear_time(text):
    def parse(data: bytes):
        try:
            return parse_roster(data)
        except RosterError as error:
            return error.problems

    within_budget(parse, text.encode())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.data_too_large])
@given(st.lists(st.text(HOSTILE + "/", min_size=1, max_size=40), min_size=1, max_size=30),
       st.binary(max_size=200))
def test_course_zip_reading_refuses_or_reads_quickly(names, content):
    from app.services.course_archive import ImportRefused, _read_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in dict.fromkeys(names):  # zipfile warns on a repeated name (an error under our filterwarnings)
            archive.writestr(name, content)

    def read(data: bytes):
        try:
            return _read_zip(data)
        except ImportRefused as refused:
            return refused

    within_budget(read, buffer.getvalue())
