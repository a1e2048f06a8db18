"""Rendering whole modules: table of contents, quiz stems, charts in the module's language, source hashes."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
from pathlib import Path

import pytest

from app.content import (
    CourseFormatError,
    TocEntry,
    parse_course_tree,
    render_markdown,
    render_module,
)
from app.content.loader import renderer_fingerprint

from .support import GOOD, copy_good, good_datasets

quizzes_available = importlib.util.find_spec("app.quizzes") is not None
needs_quiz_engine = pytest.mark.skipif(not quizzes_available, reason="app.quizzes is not written yet")


def good_modules() -> dict[tuple[str, str], object]:
    courses, problems = parse_course_tree(GOOD)
    assert problems == []
    return {(m.slug, m.lang): m for m in courses[0].modules}


def test_toc_lists_h2_and_h3_with_readable_korean_ids() -> None:
    rendered = render_markdown(
        "# 제목\n\n## 온실 효과란?\n\n### CO₂와 *메테인*\n\n#### 너무 깊음\n\n## 온실 효과란?\n",
        datasets=good_datasets(),
    )
    assert rendered.toc == [
        TocEntry(2, "c-온실-효과란", "온실 효과란?"),
        TocEntry(3, "c-co₂와-메테인", "CO₂와 메테인"),
        TocEntry(2, "c-온실-효과란_1", "온실 효과란?"),
    ]
    for entry in rendered.toc:
        assert f'id="{entry.id}"' in rendered.html


def test_toc_titles_are_plain_text() -> None:
    rendered = render_markdown("## Heat & <em>light</em>\n", datasets=good_datasets())
    assert rendered.toc == [TocEntry(2, "c-heat-light", "Heat & light")]


def test_an_invalid_chart_raises_with_its_file_line() -> None:
    text = "Intro.\n\n```chart\ndataset: nope\ntype: line\nx: a\ny: b\ntitle: T\n```\n"
    with pytest.raises(CourseFormatError) as raised:
        render_markdown(text, datasets=good_datasets(), path="m.en.md", first_line=10)
    assert [str(p) for p in raised.value.problems] == [
        f"m.en.md:13: unknown dataset 'nope' (datasets in {GOOD / '_data'}: co2_sample)"
    ]


@needs_quiz_engine
def test_render_module_renders_body_toc_chart_and_quiz() -> None:
    module = good_modules()[("greenhouse-effect", "en")]
    rendered = render_module(module, datasets=good_datasets(), asset_url=lambda p: f"/a/{p}")  # type: ignore[arg-type]
    assert rendered.toc == [TocEntry(2, "c-carbon-dioxide-is-rising", "Carbon dioxide is rising")]
    assert rendered.body_html.count("<figure") == 1
    assert "<summary>Data table</summary>" in rendered.body_html
    assert "<!-- quiz -->" not in rendered.body_html and "Oxygen" not in rendered.body_html
    quiz = rendered.quiz
    assert quiz is not None
    assert [q.id for q in quiz.questions] == ["q-main-ghg", "q-co2-ghg"]
    assert quiz.settings.pass_mark == 60


@needs_quiz_engine
def test_korean_module_gets_korean_chart_labels() -> None:
    module = good_modules()[("greenhouse-effect", "ko")]
    rendered = render_module(module, datasets=good_datasets())  # type: ignore[arg-type]
    assert "<summary>데이터 표</summary>" in rendered.body_html
    assert '<p class="chart-source">출처: ' in rendered.body_html
    assert "꺾은선 그래프" in rendered.body_html
    assert rendered.toc == [TocEntry(2, "c-이산화탄소가-늘고-있다", "이산화탄소가 늘고 있다")]


@needs_quiz_engine
def test_quiz_stems_go_through_the_same_sanitiser() -> None:
    module = good_modules()[("greenhouse-effect", "en")]
    assert module.quiz_markdown is not None  # type: ignore[attr-defined]
    # The linter would refuse this file; render it anyway to show the sanitiser does not rely on that.
    hostile = dataclasses.replace(  # type: ignore[type-var]
        module,
        quiz_markdown=module.quiz_markdown.replace(  # type: ignore[attr-defined]
            "id: q-co2-ghg\n",
            "id: q-co2-ghg\n\nSee <img src=x onerror=alert(1)> [more](javascript:alert(1)).\n",
        ),
    )
    rendered = render_module(hostile, datasets=good_datasets())
    stem = rendered.quiz.questions[1].stem_html
    assert "<img" in stem and "onerror" not in stem and "javascript" not in stem


def test_module_without_quiz_renders_without_the_quiz_engine() -> None:
    module = good_modules()[("weather-and-climate", "ko")]
    rendered = render_module(  # type: ignore[arg-type]
        module, datasets=good_datasets(), asset_url=lambda p: f"/a/{p}", module_url=lambda s: f"/m/{s}"
    )
    assert rendered.quiz is None
    assert (
        '<img alt="우량계 옆에 놓인 온도계" src="/a/assets/instruments.png" loading="lazy">'
        in rendered.body_html
    )
    assert '<a href="/m/greenhouse-effect">온실 효과</a>' in rendered.body_html
    assert 'title="본문의 각주 1(으)로 돌아가기"' in rendered.body_html
    assert [e.title for e in rendered.toc] == ["시간 규모", "알아 둘 낱말"]


def hashes(root: Path) -> dict[tuple[str, str], str]:
    courses, problems = parse_course_tree(root)
    assert not [p for p in problems if p.is_error]
    return {(m.slug, m.lang): m.source_hash for m in courses[0].modules}


def test_source_hash_changes_when_the_file_changes(tmp_path: Path) -> None:
    root = copy_good(tmp_path)
    before = hashes(root)
    path = root / "climate-basics" / "01-weather-and-climate.en.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    after = hashes(root)
    assert after[("weather-and-climate", "en")] != before[("weather-and-climate", "en")]
    assert {k: v for k, v in after.items() if k != ("weather-and-climate", "en")} == {
        k: v for k, v in before.items() if k != ("weather-and-climate", "en")
    }


def test_source_hash_changes_when_a_dataset_a_chart_uses_changes(tmp_path: Path) -> None:
    root = copy_good(tmp_path)
    before = hashes(root)
    csv_path = root / "_data" / "co2_sample.csv"
    csv_path.write_text(csv_path.read_text().replace("424.61", "424.62"))
    after = hashes(root)
    assert after[("greenhouse-effect", "en")] != before[("greenhouse-effect", "en")]
    assert after[("greenhouse-effect", "ko")] != before[("greenhouse-effect", "ko")]
    assert after[("weather-and-climate", "en")] == before[("weather-and-climate", "en")]
    sidecar = root / "_data" / "co2_sample.yml"
    sidecar.write_text(sidecar.read_text().replace("selected years", "some years"))
    assert hashes(root)[("greenhouse-effect", "en")] != after[("greenhouse-effect", "en")]


def test_source_hash_changes_when_an_image_the_module_shows_changes(tmp_path: Path) -> None:
    # Served asset URLs may carry a digest of the file, so the page showing a new image must re-render.
    root = copy_good(tmp_path)
    courses, _ = parse_course_tree(root)
    assert courses[0].versions("weather-and-climate")["en"].assets == ("assets/instruments.png",)
    before = hashes(root)
    (root / "climate-basics" / "assets" / "instruments.png").write_bytes(b"another picture")
    after = hashes(root)
    assert after[("weather-and-climate", "en")] != before[("weather-and-climate", "en")]
    assert after[("greenhouse-effect", "en")] == before[("greenhouse-effect", "en")]


def test_source_hash_is_stable_and_includes_the_renderer_version(tmp_path: Path) -> None:
    assert hashes(GOOD) == hashes(copy_good(tmp_path))  # the path is not part of the hash
    assert b"ondo-renderer " in renderer_fingerprint()


def test_the_content_package_imports_neither_flask_nor_the_database() -> None:
    package = Path(__file__).parents[2] / "app" / "content"
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root not in {"flask", "sqlalchemy", "flask_sqlalchemy"} and not root.startswith(
                    "flask_"
                ), f"{source.name} imports {name}"
