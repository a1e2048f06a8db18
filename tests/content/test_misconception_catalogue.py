"""The misconception catalogue (courses/<course>/misconceptions.yml) and the near-copy lint for diagnostics."""

from __future__ import annotations

from pathlib import Path

from app.content import parse_course_tree
from app.content.misconceptions import catalogue_for, humanize
from tests.content.support import make_course, module_text

REPO_COURSES = Path(__file__).resolve().parents[2] / "courses"

QUIZ = """\
## Seasons

Text.

<!-- quiz -->

### Why are summers warm?
id: q-seasons
section: Seasons

- (x) The tilt of Earth's axis
- ( ) Earth is closer to the Sun
  misconception: seasons-from-sun-distance
"""

CATALOGUE = """\
seasons-from-sun-distance:
  principle: EP1
  name: {en: Seasons come from the distance to the Sun, ko: 계절은 태양과의 거리 때문에 생긴다}
  description: {en: Thinks summer comes when Earth is nearer the Sun., ko: 지구가 태양에 가까울 때 여름이라고 생각함.}
  addressed: {module: intro, section: Seasons}
"""


def _course(tmp_path: Path, catalogue: str | None, quiz: str = QUIZ) -> list[tuple[str, int, str, str]]:
    files = {name: module_text(quiz) for name in ("01-intro.en.md", "01-intro.ko.md")}
    if catalogue is not None:
        files["misconceptions.yml"] = catalogue
    make_course(tmp_path, files)
    _courses, problems = parse_course_tree(tmp_path)
    return [(Path(p.path).name, p.line, p.severity, p.message) for p in problems]


def test_a_complete_catalogue_has_no_problems_and_gives_names_per_language(tmp_path: Path) -> None:
    assert _course(tmp_path, CATALOGUE) == []
    catalogue = catalogue_for(tmp_path / "test-course")
    assert catalogue.name("seasons-from-sun-distance", "ko") == "계절은 태양과의 거리 때문에 생긴다"
    assert catalogue.name("seasons-from-sun-distance", "en") == "Seasons come from the distance to the Sun"
    assert catalogue.name("no-such-tag", "en") == "No such tag"  # never the raw tag


def test_a_course_without_a_catalogue_is_not_checked(tmp_path: Path) -> None:
    assert _course(tmp_path, None) == []
    assert catalogue_for(tmp_path / "test-course").name("sun-causes-recent-warming", "en") == (
        "Sun causes recent warming")


def test_a_tag_missing_from_the_catalogue_is_an_error_at_the_question_line(tmp_path: Path) -> None:
    quiz = QUIZ + "\n### CO₂ is a trace gas, so it cannot matter.\nid: q-trace\nanswer: false\n" \
                  "misconception: trace-gas-cannot-matter\n"
    problems = _course(tmp_path, CATALOGUE, quiz)
    lines = (tmp_path / "test-course" / "01-intro.en.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("### CO₂ is a trace gas, so it cannot matter.") + 1
    assert ("01-intro.en.md", line, "error", "misconception tag 'trace-gas-cannot-matter' is not in "
            "misconceptions.yml: add it there with a name in each language") in problems



def test_a_tag_on_a_typed_wrong_answer_missing_from_the_catalogue_is_an_error_too(tmp_path: Path) -> None:
    quiz = QUIZ + "\n### Which gas matters most?\nid: q-gas\n- accept: CO2\n- wrong: methane\n" \
                  "  misconception: methane-main-driver\n"
    problems = _course(tmp_path, CATALOGUE, quiz)
    assert [(name, message) for name, _line, severity, message in problems if severity == "error"] == [
        (name, "misconception tag 'methane-main-driver' is not in misconceptions.yml: add it there with a name in "
               "each language") for name in ("01-intro.en.md", "01-intro.ko.md")]

def test_an_unused_entry_is_a_warning_at_its_line(tmp_path: Path) -> None:
    extra = CATALOGUE + CATALOGUE.replace("seasons-from-sun-distance", "sun-causes-recent-warming")
    assert ("misconceptions.yml", 6, "warning", "'sun-causes-recent-warming' is in the catalogue but no quiz uses it"
            ) in _course(tmp_path, extra)


def test_a_missing_language_and_bad_fields_are_reported_with_their_lines(tmp_path: Path) -> None:
    broken = CATALOGUE.replace(", ko: 계절은 태양과의 거리 때문에 생긴다", "").replace("EP1", "EP9") \
        .replace("section: Seasons", "section: Winter").replace("  principle", "  colour: red\n  principle")
    problems = _course(tmp_path, broken)
    assert ("misconceptions.yml", 2, "error", "unknown key 'colour' in 'seasons-from-sun-distance' "
            "(known: name, description, principle, addressed)") in problems
    assert ("misconceptions.yml", 3, "error",
            "'seasons-from-sun-distance.principle' must be one of EP1–EP7, GP, AC1–AC8, not 'EP9'") in problems
    assert ("misconceptions.yml", 4, "error",
            "'seasons-from-sun-distance.name' has no ko text (missing language)") in problems
    assert ("misconceptions.yml", 1, "error",
            "'seasons-from-sun-distance.addressed': 'Winter' is not a ## or ### heading of intro") in problems


def test_the_foundations_catalogue_names_every_tag_in_both_languages() -> None:
    catalogue = catalogue_for(REPO_COURSES / "climate-literacy-foundations")
    assert len(catalogue.entries) >= 17
    for tag, entry in catalogue.entries.items():
        assert entry.name["en"] and entry.name["ko"] and entry.description["en"] and entry.description["ko"], tag
        assert entry.module and entry.section, tag


def test_humanize_reads_a_tag_as_words() -> None:
    assert humanize("one-year-above-1-5-breaks-paris") == "One year above 1 5 breaks paris"


DIAGNOSTIC = """\
Text.

<!-- quiz -->

### Why is it much warmer in Pohang in July than in January?
id: diag-seasons

- (x) Earth's axis is tilted, so in July the Northern Hemisphere faces the Sun more directly.
- ( ) Earth is closer to the Sun in July.
"""


def test_a_diagnostic_item_that_nearly_copies_a_module_quiz_item_is_flagged(tmp_path: Path) -> None:
    copy = DIAGNOSTIC.replace("Text.\n", "## Seasons\n\nText.\n").replace("id: diag-seasons", "id: q-seasons")
    files = {f"00-diagnostic.{lang}.md": module_text(DIAGNOSTIC) for lang in ("en", "ko")}
    files |= {f"01-intro.{lang}.md": module_text(copy.replace("much warmer", "warmer")) for lang in ("en", "ko")}
    make_course(tmp_path, files)
    _courses, problems = parse_course_tree(tmp_path)
    flagged = [(Path(p.path).name, p.line, p.severity) for p in problems]
    assert flagged == [("00-diagnostic.en.md", 14, "error"), ("00-diagnostic.ko.md", 14, "error")]
    assert "nearly repeats intro quiz item 'q-seasons' (similarity 0.9" in problems[0].message


def test_a_rewritten_diagnostic_item_on_the_same_idea_passes(tmp_path: Path) -> None:
    other = ("## Seasons\n\nText.\n\n<!-- quiz -->\n\n### When it is summer in Korea, what season is it in Australia?\n"
             "id: q-australia\n\n- (x) Winter\n- ( ) Summer\n")
    files = {f"00-diagnostic.{lang}.md": module_text(DIAGNOSTIC) for lang in ("en", "ko")}
    files |= {f"01-intro.{lang}.md": module_text(other) for lang in ("en", "ko")}
    make_course(tmp_path, files)
    assert parse_course_tree(tmp_path)[1] == []


def test_a_focused_check_compares_only_what_the_focused_file_takes_part_in(tmp_path: Path) -> None:
    copy = DIAGNOSTIC.replace("Text.\n", "## Seasons\n\nText.\n").replace("id: diag-seasons", "id: q-seasons")
    other = ("## Seasons\n\nText.\n\n<!-- quiz -->\n\n### When it is summer in Korea, what season is it in Australia?\n"
             "id: q-australia\n\n- (x) Winter\n- ( ) Summer\n")
    files = {f"00-diagnostic.{lang}.md": module_text(DIAGNOSTIC) for lang in ("en", "ko")}
    files |= {f"01-intro.{lang}.md": module_text(copy.replace("much warmer", "warmer")) for lang in ("en", "ko")}
    files |= {f"02-other.{lang}.md": module_text(other) for lang in ("en", "ko")}
    make_course(tmp_path, files)

    def flagged(focus: str) -> list[str]:
        problems = parse_course_tree(tmp_path, only="test-course", focus=focus)[1]
        return [Path(p.path).name for p in problems if "nearly repeats" in p.message]

    assert flagged("00-diagnostic.en.md") == ["00-diagnostic.en.md"]
    assert flagged("01-intro.en.md") == ["00-diagnostic.en.md"]  # the copy is in the edited quiz
    assert flagged("02-other.en.md") == []  # the edit takes no part in it: left to a full lint
