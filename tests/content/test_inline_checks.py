"""Short ungraded checks inside the module text: ```check blocks in the quiz syntax."""
from __future__ import annotations

from app.content import lint_course_tree, render_markdown
from app.content.render import CHECK_MARKER_RE
from tests.content.support import both_languages, good_datasets, make_course

CHECK = """\
Some text first.

```check
### Is tomorrow's rain in Pohang weather or climate?

- (x) Weather
  feedback: Yes: one place, one day.
- ( ) Climate
  misconception: climate-equals-weather

explanation: Climate is the long-run statistics of weather, over 30 years or more.
```

More text.
"""


def test_check_block_becomes_a_marker_and_keeps_its_answers_out_of_the_html():
    rendered = render_markdown(CHECK, datasets=good_datasets())
    assert CHECK_MARKER_RE.search(rendered.html).group(1) == "0"
    assert 'class="inline-check"' in rendered.html
    for secret in ("Yes: one place", "long-run statistics", "climate-equals-weather", "(x)", "Weather"):
        assert secret not in rendered.html
    assert len(rendered.checks) == 1
    question = rendered.checks[0]["questions"][0]
    assert question["type"] == "single" and [c["correct"] for c in question["choices"]] == [True, False]
    assert rendered.html.index("Some text first.") < rendered.html.index("inline-check") < \
        rendered.html.index("More text.")


def test_an_author_cannot_forge_a_check_marker():
    rendered = render_markdown("Text <!--ondo-check:0--> and <div><!--ondo-check:1--></div>",
                               datasets=good_datasets())
    assert not CHECK_MARKER_RE.search(rendered.html) and rendered.checks == []


def test_lint_reports_check_errors_with_their_line(tmp_path):
    body = "Intro.\n\n```check\n### Which?\n\n- ( ) A\n- ( ) B\n```\n"
    make_course(tmp_path, both_languages("01-intro", body))
    problems = [p for p in lint_course_tree(tmp_path) if p.is_error]
    assert problems, "a check without a right answer is an error"
    # front matter is 9 lines, then a blank line; the ``` line is file line 13 and the heading line 14
    assert all(p.path.endswith("01-intro.en.md") or p.path.endswith("01-intro.ko.md") for p in problems)
    assert {p.line for p in problems} <= set(range(13, 18)), [str(p) for p in problems]


def test_quiz_section_key_must_name_a_heading_of_the_module(tmp_path):
    body = ("## Greenhouse gases\n\nText.\n\n<!-- quiz -->\n\n### Is CO₂ a greenhouse gas?\n"
            "section: Greenhouse gasses\n\nanswer: true\n")
    make_course(tmp_path, both_languages("01-intro", body))
    problems = [str(p) for p in lint_course_tree(tmp_path) if p.is_error]
    assert any("01-intro.en.md:16:" in p and "'Greenhouse gasses' is not a ## or ### heading" in p
               for p in problems), problems
    fixed = tmp_path / "test-course"
    for name in ("01-intro.en.md", "01-intro.ko.md"):
        file = fixed / name
        file.write_text(file.read_text(encoding="utf-8").replace("gasses", "gases"), encoding="utf-8")
    assert not [p for p in lint_course_tree(tmp_path) if p.is_error]
