"""Loader checks one by one, on small courses written into a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import app.content.module_file
from app.content import lint_course_tree, parse_course_tree

from .support import both_languages, make_course, module_text

QUIZ_PARSER_USER = app.content.module_file  # the module that calls parse_quiz_once for a module file


def messages(root: Path) -> list[tuple[str, int, str, str]]:
    """(file name, line, message, severity) for every problem under ``root``."""
    return [(Path(p.path).name, p.line, p.message, p.severity) for p in lint_course_tree(root)]


def errors(root: Path) -> list[tuple[str, int, str]]:
    return [(name, line, message) for name, line, message, severity in messages(root) if severity == "error"]


@pytest.fixture
def fake_quiz_parser(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Stand in for the quiz parser (parse_quiz_once) and record how the loader calls it."""
    calls: list[dict[str, Any]] = []

    def parse_quiz(text: str, **kwargs: Any) -> tuple[None, list[Any]]:
        calls.append({"text": text, **kwargs})
        return None, []

    monkeypatch.setattr(QUIZ_PARSER_USER, "parse_quiz_once", parse_quiz)
    return calls


def test_a_valid_module_has_no_problems(tmp_path: Path) -> None:
    make_course(tmp_path, both_languages("01-intro"))
    assert messages(tmp_path) == []


def test_yaml_syntax_error_in_front_matter_points_at_its_line(tmp_path: Path) -> None:
    text = module_text(extra="objectives2: [a, b\n")
    make_course(tmp_path, {"01-intro.en.md": text, "01-intro.ko.md": module_text()})
    assert errors(tmp_path) == [
        (
            "01-intro.en.md",
            8,
            "invalid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence)",
        )
    ]


def test_a_key_written_twice_is_an_error(tmp_path: Path) -> None:
    make_course(
        tmp_path, {**both_languages("01-intro"), "01-intro.en.md": module_text(extra="minutes: 12\n")}
    )
    assert errors(tmp_path) == [("01-intro.en.md", 8, "key 'minutes' is written twice")]


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "prerequisites: intro\n",
            8,
            "'prerequisites' must be a list of module slugs, like [weather-and-climate]",
        ),
        (
            "formerly: [Old_Name]\n",
            8,
            "'Old_Name' in 'formerly' is not a slug (lowercase letters, digits and hyphens)",
        ),
        ("quiz: yes\n", 8, "'quiz' must be a list of settings like 'pass_mark: 70', or left out"),
    ],
)
def test_wrong_types_in_optional_keys(tmp_path: Path, extra: str, line: int, message: str) -> None:
    make_course(tmp_path, both_languages("01-intro", extra=extra))
    assert ("01-intro.en.md", line, message) in errors(tmp_path)


def test_wrong_types_in_required_keys(tmp_path: Path) -> None:
    text = """\
        ---
        title: yes
        summary: ""
        minutes: forty
        objectives: []
        principles: EP1
        ---
        """
    make_course(tmp_path, {"01-intro.en.md": text, "01-intro.ko.md": module_text()})
    assert errors(tmp_path) == [
        (
            "01-intro.en.md",
            2,
            "'title' must be text (put it in quotes if it starts with a symbol or is a word like yes or no)",
        ),
        (
            "01-intro.en.md",
            3,
            "'summary' must be text (put it in quotes if it starts with a symbol or is a word "
            "like yes or no)",
        ),
        ("01-intro.en.md", 4, "'minutes' must be a whole number of minutes, like 40"),
        ("01-intro.en.md", 5, "'objectives' must be a list with at least one item ('  - ...' lines)"),
        ("01-intro.en.md", 6, "'principles' must be a list, like [EP1, AC2]"),
    ]


def test_a_file_without_front_matter(tmp_path: Path) -> None:
    make_course(tmp_path, {**both_languages("01-intro"), "01-intro.en.md": "# Hello\n"})
    assert errors(tmp_path) == [
        (
            "01-intro.en.md",
            1,
            "a module file starts with front matter: a line '---', the keys, and another '---'",
        )
    ]


def test_missing_course_yml(tmp_path: Path) -> None:
    folder = make_course(tmp_path, both_languages("01-intro"))
    (folder / "course.yml").unlink()
    assert errors(tmp_path) == [
        ("course.yml", 1, "missing course.yml (title, summary, level, hours, principles)")
    ]


def test_course_yml_needs_english_and_mappings(tmp_path: Path) -> None:
    course_yml = """\
        title: Just a string
        summary: {ko: "요약", fr: "résumé"}
        level: school
        hours: true
        principles: [EP1]
        order: first
        """
    make_course(tmp_path, {"course.yml": course_yml, **both_languages("01-intro")})
    assert errors(tmp_path) == [
        ("course.yml", 1, '\'title\' must give one text per language, like title: {en: "...", ko: "..."}'),
        ("course.yml", 2, "'summary' has an unknown language 'fr' (use: en, ko)"),
        ("course.yml", 2, "'summary' has no English text (en)"),
        ("course.yml", 4, "'hours' must be a number of hours greater than 0, like 12 or 1.5"),
        ("course.yml", 6, "'order' must be a whole number"),
    ]


def test_course_folder_name_must_be_a_slug(tmp_path: Path) -> None:
    make_course(tmp_path, both_languages("01-intro"), slug="Climate_101")
    assert errors(tmp_path) == [
        (
            "Climate_101",
            1,
            "course folder name 'Climate_101' must be a slug: lowercase letters, digits and hyphens",
        )
    ]


def test_folders_starting_with_underscore_or_dot_are_not_courses(tmp_path: Path) -> None:
    make_course(tmp_path, both_languages("01-intro"))
    (tmp_path / "_drafts").mkdir()
    (tmp_path / ".git").mkdir()
    assert messages(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "1-intro.en.md",
            "'1' is not a two-digit order number: name module files like 01-energy-balance.en.md",
        ),
        (
            "01-intro.fr.md",
            "the language in the file name must be en or ko: name module files like 01-energy-balance.en.md",
        ),
        (
            "01-Intro.en.md",
            "'Intro' is not a slug (lowercase letters, digits and hyphens): name module files like "
            "01-energy-balance.en.md",
        ),
        ("notes.md", "module files are named NN-slug.lang.md, like 01-energy-balance.en.md"),
    ],
)
def test_bad_module_file_names(tmp_path: Path, name: str, message: str) -> None:
    make_course(tmp_path, {**both_languages("01-intro"), name: module_text()})
    assert errors(tmp_path) == [(name, 1, message)]


def test_readme_and_other_files_in_a_course_folder_are_ignored(tmp_path: Path) -> None:
    make_course(tmp_path, {**both_languages("01-intro"), "README.md": "# Notes", "notes.txt": "x"})
    assert messages(tmp_path) == []


def test_language_versions_must_agree_on_structure(tmp_path: Path) -> None:
    make_course(
        tmp_path,
        {
            "01-intro.en.md": module_text(),
            "01-intro.ko.md": module_text(),
            "02-next.en.md": module_text(extra="prerequisites: [intro]\n"),
            "02-next.ko.md": module_text().replace("minutes: 10", "minutes: 15"),
        },
    )
    assert messages(tmp_path) == [
        ("02-next.ko.md", 1, "'prerequisites' differs from the English version (02-next.en.md)", "error"),
        ("02-next.ko.md", 4, "'minutes' differs from the English version (02-next.en.md)", "warning"),
    ]


def test_prerequisite_cycles_and_self_references(tmp_path: Path) -> None:
    make_course(
        tmp_path,
        {
            **both_languages("01-a", extra="prerequisites: [b]\n"),
            **both_languages("02-b", extra="prerequisites: [a]\n"),
            **both_languages("03-c", extra="prerequisites: [c]\n"),
        },
    )
    assert errors(tmp_path) == [
        ("01-a.en.md", 8, "prerequisites form a cycle: a → b → a"),
        ("03-c.en.md", 8, "a module cannot be its own prerequisite"),
        ("03-c.ko.md", 8, "a module cannot be its own prerequisite"),
    ]


def test_an_old_slug_claimed_by_two_modules(tmp_path: Path) -> None:
    make_course(
        tmp_path,
        {
            **both_languages("01-a", extra="formerly: [old]\n"),
            **both_languages("02-b", extra="formerly: [old]\n"),
        },
    )
    assert ("01-a.en.md", 8, "'old' in 'formerly' is also claimed by module b") in errors(tmp_path)
    assert ("02-b.en.md", 8, "'old' in 'formerly' is also claimed by module a") in errors(tmp_path)


def test_links_and_images(tmp_path: Path) -> None:
    body = """\
        [site](https://example.org) [mail](mailto:a@example.org) [top](#top) [page](/learn/)
        [next module](02-next.en.md#start) [pdf](assets/Sheet.PDF) [escape](../other/assets/x.png)
        [script](javascript:alert(1)) [notes](notes.txt)
        ![remote](https://example.org/x.png) ![data](data:image/png;base64,AAAA)
        <img src="assets/pic.png"> <a href="assets/nope.pdf">raw</a>
        ![alt][ref] ![ok](<assets/pic.png> "title")

        [ref]: assets/missing.png

        ```markdown
        ![](assets/inside-a-code-block.png) and `![](assets/in-code-span.png)`
        ```
        """
    files = {
        **both_languages("01-intro"),
        "01-intro.en.md": module_text(body),
        **both_languages("02-next"),
        "assets/pic.png": "png",
        "assets/sheet.pdf": "pdf",
        "notes.txt": "x",
    }
    make_course(tmp_path, files)
    assert errors(tmp_path) == [
        (
            "01-intro.en.md",
            11,
            "broken link: no file 'assets/Sheet.PDF' in the course folder (names are case-sensitive)",
        ),
        ("01-intro.en.md", 11, "link to '../other/assets/x.png' points outside the course folder"),
        ("01-intro.en.md", 12, "link to 'notes.txt': images and files must be in the assets folder"),
        ("01-intro.en.md", 12, "link uses 'javascript:'; only http, https and mailto links are allowed"),
        ("01-intro.en.md", 13, "image uses 'data:'; only http, https and mailto links are allowed"),
        ("01-intro.en.md", 13, "images must be files in the course's assets folder, not web addresses"),
        (
            "01-intro.en.md",
            14,
            "broken link: no file 'assets/nope.pdf' in the course folder (names are case-sensitive)",
        ),
        (
            "01-intro.en.md",
            14,
            "image without alt text: describe it for readers who cannot see it, "
            "like ![Graph of rising CO₂](assets/co2.png)",
        ),
        (
            "01-intro.en.md",
            15,
            "broken image: no file 'assets/missing.png' in the course folder (names are case-sensitive)",
        ),
    ]


def test_a_top_level_heading_in_the_body_is_a_warning(tmp_path: Path) -> None:
    make_course(
        tmp_path, {**both_languages("01-intro"), "01-intro.en.md": module_text("# Title again\n\n## Fine\n")}
    )
    assert messages(tmp_path) == [
        (
            "01-intro.en.md",
            10,
            "use '##' for sections: the title from the front matter is the page's only top-level heading",
            "warning",
        )
    ]


def test_an_unclosed_chart_block(tmp_path: Path) -> None:
    body = "```chart\ndataset: co2_sample\n"
    make_course(tmp_path, {**both_languages("01-intro"), "01-intro.en.md": module_text(body)})
    assert errors(tmp_path) == [
        ("01-intro.en.md", 10, "this chart block is not closed: end it with a line of ``` like its first")
    ]


def test_the_quiz_section_is_handed_to_the_quiz_parser_with_file_lines(
    tmp_path: Path, fake_quiz_parser: list[dict[str, Any]]
) -> None:
    body = "Intro.\n\n<!-- quiz -->\n\n### Question one?\n\nanswer: true\n"
    extra = "quiz:\n  pass_mark: 80\n"
    make_course(tmp_path, {"01-intro.en.md": module_text(body, extra=extra), "01-intro.ko.md": module_text()})
    courses, problems = parse_course_tree(tmp_path)
    assert problems == [problems[0]] and "quiz" in problems[0].message  # ko has no quiz: a warning
    (call,) = fake_quiz_parser
    file_lines = (tmp_path / "test-course" / "01-intro.en.md").read_text(encoding="utf-8").split("\n")
    assert file_lines[call["first_line"] - 1] == ""
    assert file_lines[call["first_line"]] == "### Question one?"
    assert call["text"].split("\n")[1] == "### Question one?"
    assert call["settings"] == {"pass_mark": 80}
    assert file_lines[call["settings_line"] - 1] == "quiz:"
    assert "render" not in call  # parsed once, rendered later (app/quizzes/deferred.py)
    assert call["path"].endswith("01-intro.en.md")
    module = courses[0].versions("intro")["en"]
    assert module.body_markdown == "\nIntro.\n"
    assert module.quiz_first_line == call["first_line"]


def test_quiz_parser_problems_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.content import Problem

    def parse_quiz(text: str, *, path: str, first_line: int, **kwargs: Any) -> tuple[None, list[Problem]]:
        return None, [Problem(path, first_line + 2, "no correct answer")]

    monkeypatch.setattr(QUIZ_PARSER_USER, "parse_quiz_once", parse_quiz)
    body = "<!-- quiz -->\n\n### Q?\n"
    make_course(tmp_path, {name: module_text(body) for name in ("01-intro.en.md", "01-intro.ko.md")})
    courses, problems = parse_course_tree(tmp_path)
    assert [(Path(p.path).name, p.line, p.message) for p in problems] == [
        ("01-intro.en.md", 13, "no correct answer"),
        ("01-intro.ko.md", 13, "no correct answer"),
    ]
    assert courses[0].modules == []


def test_a_second_quiz_marker_is_an_error_but_one_in_a_code_block_is_text(
    tmp_path: Path, fake_quiz_parser: list[dict[str, Any]]
) -> None:
    body = "```\n<!-- quiz -->\n```\n\n<!-- quiz -->\n\n### Q?\n\n<!-- quiz -->\n"
    make_course(tmp_path, {name: module_text(body) for name in ("01-intro.en.md", "01-intro.ko.md")})
    assert errors(tmp_path) == [
        ("01-intro.en.md", 18, "a module has at most one quiz: a second '<!-- quiz -->' line"),
        ("01-intro.ko.md", 18, "a module has at most one quiz: a second '<!-- quiz -->' line"),
    ]
    assert fake_quiz_parser[0]["first_line"] == 15


def test_quiz_settings_without_a_quiz_is_a_warning(tmp_path: Path) -> None:
    make_course(tmp_path, both_languages("01-intro", extra="quiz:\n  pass_mark: 80\n"))
    assert messages(tmp_path) == [
        (name, 8, "'quiz' settings, but no quiz: the quiz starts after a line '<!-- quiz -->'", "warning")
        for name in ("01-intro.en.md", "01-intro.ko.md")
    ]


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = make_course(tmp_path, both_languages("01-intro"))
    (folder / "01-intro.en.md").write_bytes("---\ntitle: caf\xe9\n".encode("latin-1"))
    assert errors(tmp_path) == [
        ("01-intro.en.md", 2, "not UTF-8 text: save the file with the UTF-8 encoding")
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    folder = make_course(tmp_path, both_languages("01-intro"))
    text = "\ufeff" + module_text().replace("\n", "\r\n")
    (folder / "01-intro.en.md").write_bytes(text.encode("utf-8"))
    assert messages(tmp_path) == []
