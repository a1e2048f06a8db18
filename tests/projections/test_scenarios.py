"""The scenario explorer: FaIR against AR6, stored results, the page's form, and the ```scenario block's lint."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.content import lint_course_tree
from app.content.scenario_block import parse_scenario_spec
from app.projections.explorer import summarise
from app.projections.levers import AR6_CHECKS, Levers, all_levers, co2_path, parse_levers
from app.services import scenarios
from app.services.course_sync import sync_courses

REPO = Path(__file__).resolve().parents[2]

MODULE = """---
title: Futures
summary: Paths to 2100.
minutes: 10
objectives:
  - Try a path.
principles: [EP5]
---

## Try it

```scenario
title: Find a path that stays below 2 °C
peak: 2040
growth: 1
decline: 2
settle: 0
```
"""


@pytest.mark.parametrize("check", AR6_CHECKS, ids=[c.ssp for c in AR6_CHECKS])
def test_paths_like_the_ssps_warm_as_much_as_ar6_assessed(check, fair_results):
    late_century = summarise(fair_results[check.levers.key]).late_century
    low, high = check.very_likely
    assert low <= late_century <= high, f"{check.ssp}: {late_century:.2f} °C, AR6 very likely {low}–{high} °C"


def test_the_grid_is_small_and_every_key_is_distinct():
    keys = [lever.key for lever in all_levers()]
    assert len(keys) == len(set(keys)) <= 2000


def test_emissions_grow_peak_fall_and_settle():
    path = dict(co2_path(Levers(peak=2030, growth=2, decline=5, settle=-5, methane="follow"), 40.0))
    assert path[2030] == pytest.approx(40 * 1.02**6)
    assert path[2031] == pytest.approx(path[2030] * 0.95)
    assert path[2100] == -5
    assert max(path.values()) == path[2030]


def test_lever_values_snap_to_the_grid_and_bad_ones_are_named():
    levers, problems = parse_levers({"peak": "2043", "decline": "lots", "methane": "none", "settle": "−7"}, Levers())
    assert levers.peak == 2040 and levers.settle == -5
    assert levers.decline == Levers().decline and levers.methane == Levers().methane
    assert [(p.lever, p.reason) for p in problems] == [("decline", "number"), ("methane", "choice")]
    assert parse_levers({"peak": "nan"}, Levers())[1][0].reason == "number"
    assert parse_levers({"peak": "9" * 40}, Levers())[1][0].reason == "length"


def test_web_workers_never_import_the_numeric_stack():
    code = ("import sys; from app import create_app; app = create_app('testing');"
            "import app.web.scenario_explorers, app.services.scenarios;"
            "bad = sorted({'numpy', 'pandas', 'xarray', 'scipy', 'fair'} & set(sys.modules)); print(bad)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.fixture
def explorer_course(app, tmp_path):
    root = tmp_path / "courses"
    (root / "futures").mkdir(parents=True)
    (root / "futures" / "course.yml").write_text(
        'title: {en: "Futures"}\nsummary: {en: "Paths."}\nlevel: both\nhours: 1\nprinciples: [EP5]\norder: 9\n',
        encoding="utf-8")
    (root / "futures" / "01-paths.en.md").write_text(MODULE, encoding="utf-8")
    with app.app_context():
        sync_courses(root)
    return "/courses/futures/paths"


def _sentence(page: str) -> str:
    match = re.search(r'<p class="scenario-sentence"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no result sentence on the page"
    return " ".join(match.group(1).split())


def test_the_page_shows_the_stored_result_for_the_chosen_levers(client, login_as, explorer_course, stored_scenarios):
    login_as("student")
    first = client.get(explorer_course).get_data(as_text=True)
    assert 'selected>2040<' in first.replace("\n", "").replace(" ", "").replace('value="2040"', "") or "2040" in first
    chosen = client.get(f"{explorer_course}?scenario=1&peak=2025&growth=1&decline=5&settle=0&methane=follow")
    assert chosen.status_code == 200
    page = chosen.get_data(as_text=True)
    expected = summarise(stored_scenarios["p2025-g1-d5-s0-mfollow"])
    assert f"about {expected.warming_2100:.1f} °C in 2100" in _sentence(page)
    assert _sentence(page) != _sentence(first)
    again = client.get(f"{explorer_course}?scenario=1&peak=2025&growth=1&decline=5&settle=0&methane=follow")
    svg = re.compile(r"<svg .*?</svg>", re.S)
    assert svg.findall(again.get_data(as_text=True)) == svg.findall(page)  # the same levers, the same stored result


def test_the_same_levers_read_the_same_stored_row(app, stored_scenarios):
    levers = Levers(peak=2030, growth=1, decline=3, settle=0, methane="follow")
    with app.app_context():
        assert scenarios.stored_run(levers) == stored_scenarios[levers.key]
        assert scenarios.stored_run(levers) == scenarios.stored_run(levers.replace())
        assert levers not in scenarios.missing([levers])


def test_a_malformed_lever_gets_a_clear_message_not_an_error(client, login_as, explorer_course, stored_scenarios):
    login_as("student")
    response = client.get(f"{explorer_course}?scenario=1&peak=soon&decline=%3Cscript%3E&methane=x")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "“soon” is not a number" in page
    assert "&lt;script&gt;" in page and "<script>" not in page.split("</main>")[0]
    assert "“x” is not a choice for Methane" in page
    assert "about" in _sentence(page)  # the starting path is still shown


def test_a_path_without_a_stored_result_says_so(client, login_as, explorer_course):
    login_as("student")
    response = client.get(explorer_course)
    assert response.status_code == 200
    assert "has not been computed on this server yet" in response.get_data(as_text=True)


def test_a_bad_scenario_block_is_reported_with_file_and_line(tmp_path):
    course = tmp_path / "futures"
    course.mkdir()
    (course / "course.yml").write_text(
        'title: {en: "Futures"}\nsummary: {en: "Paths."}\nlevel: both\nhours: 1\nprinciples: [EP5]\norder: 9\n',
        encoding="utf-8")
    bad = MODULE.replace("peak: 2040", "peak: 2042").replace("settle: 0", "setle: 0")
    (course / "01-paths.en.md").write_text(bad, encoding="utf-8")
    messages = [str(p) for p in lint_course_tree(tmp_path) if p.is_error]
    path = str(course / "01-paths.en.md")
    assert any(m.startswith(f"{path}:14:") and "'peak'" in m and "2040" in m for m in messages), messages
    assert any(m.startswith(f"{path}:17:") and "did you mean 'settle'" in m for m in messages), messages


def test_a_scenario_block_needs_a_title():
    spec, problems = parse_scenario_spec("peak: 2030\n", path="m.md", first_line=5)
    assert spec is None
    assert [(p.line, p.message) for p in problems] == [(4, "scenario block has no 'title'")]


def test_a_lettered_file_goes_between_two_numbers_without_renumbering(tmp_path):
    from app.content import parse_course_tree

    course = tmp_path / "futures"
    course.mkdir()
    (course / "course.yml").write_text(
        'title: {en: "Futures"}\nsummary: {en: "Paths."}\nlevel: both\nhours: 1\nprinciples: [EP5]\norder: 9\n',
        encoding="utf-8")
    for name in ("04-evidence.en.md", "04b-paths.en.md", "05-impacts.en.md"):
        (course / name).write_text(MODULE, encoding="utf-8")
    courses, problems = parse_course_tree(tmp_path)
    assert not [p for p in problems if p.is_error]
    assert [m.slug for m in courses[0].modules] == ["evidence", "paths", "impacts"]


def test_compute_skips_settings_already_stored(app, stored_scenarios):
    levers = [lever for lever in all_levers() if lever.key in stored_scenarios]
    with app.app_context():
        assert scenarios.compute(REPO / "missing.csv", levers) == 0  # nothing to run, so the file is never read
        assert scenarios.missing(all_levers()[:3]) == all_levers()[:3]


def test_the_compute_command_names_a_missing_emissions_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["scenarios", "compute", str(tmp_path)])
    assert result.exit_code == 1
    assert "rcmip_ssp_emissions_world.csv is missing" in result.output


def test_the_model_answers_the_modules_questions_the_way_physics_says(fair_results):
    def run(key):
        return summarise(fair_results[key])

    start, delayed = run("p2030-g1-d3-s0-mfollow"), run("p2040-g1-d3-s0-mfollow")
    assert delayed.peak > start.peak + 0.1  # a ten-year delay costs warming
    assert delayed.net_zero_year == start.net_zero_year + 10
    cut, follow, high = (run(f"p2040-g1-d2-s0-m{m}") for m in ("cut", "follow", "high"))
    assert cut.warming_2100 < follow.warming_2100 < high.warming_2100
    data = fair_results["p2025-g1-d5-s0-mfollow"]
    zero_index = summarise(data).net_zero_year - data["first_year"]
    late = data["warming"][zero_index + 15 :]  # after net zero, warming stays roughly level
    assert max(late) - min(late) < 0.15
    ppm = data["co2_ppm"]
    assert ppm.index(max(ppm)) + data["first_year"] < summarise(data).peak_year  # CO₂ peaks before warming does
    for result in fair_results.values():
        assert all(low <= mid <= high for low, mid, high in
                   zip(result["warming_low"], result["warming"], result["warming_high"], strict=True))
