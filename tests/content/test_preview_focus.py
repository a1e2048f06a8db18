"""A preview checks the edited text in full and the rest of its course only where the edit can matter."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content.single import check_module_file

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "climate-literacy-foundations"
EDITED = "03-carbon-cycle.en.md"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(COURSES / COURSE, root / COURSE)
    (root / "_data").symlink_to(COURSES / "_data")
    return root


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / COURSE / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_curriculum_text_previews_clean_and_alone(workspace):
    check = check_module_file(workspace, COURSE, EDITED)
    assert check.ok and check.errors == []
    assert [Path(m.path).name for m in check.course.modules] == [EDITED]


def test_a_preview_finds_an_error_in_the_edited_text(workspace):
    (workspace / COURSE / EDITED).write_text((workspace / COURSE / EDITED).read_text(encoding="utf-8")
                                             + "\n![](assets/none.png)\n", encoding="utf-8")
    check = check_module_file(workspace, COURSE, EDITED)
    assert not check.ok
    assert {p.path for p in check.errors} == {EDITED}
    assert any("alt text" in p.message for p in check.errors)


def test_a_preview_reports_what_the_edit_breaks_in_another_file(workspace):
    _edit(workspace, EDITED, "prerequisites: [energy-balance]", "prerequisites: [weather-and-climate]")
    check = check_module_file(workspace, COURSE, EDITED)
    assert [(p.path, p.message) for p in check.errors] == [
        ("03-carbon-cycle.ko.md", f"'prerequisites' differs from the English version ({EDITED})")]


def test_problems_of_other_files_alone_are_left_to_them(workspace):
    _edit(workspace, "02-energy-balance.en.md", "\n## ", "\n![](assets/none.png)\n\n## ")
    assert check_module_file(workspace, COURSE, EDITED).ok
    assert not check_module_file(workspace, COURSE, "02-energy-balance.en.md").ok
