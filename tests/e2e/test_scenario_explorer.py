"""The scenario explorer in the foundations course: levers changed with JavaScript off, on a 360 px phone."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.projections.explorer import summarise
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

COURSES = Path(__file__).resolve().parents[2] / "courses"
MODULE = "/courses/climate-literacy-foundations/future-climate"
PHONE = {"width": 360, "height": 800}


@pytest.fixture
def curriculum(curriculum, stored_scenarios):
    return stored_scenarios


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


def test_a_student_changes_the_levers_without_javascript_and_sees_a_new_result(browser, live_server, axe, curriculum):
    student = make_user()
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _log_in(page, student.email)
        page.goto(MODULE)
        explorer = page.locator("#c-scenario-1")
        sentence = explorer.locator(".scenario-sentence")
        start = summarise(curriculum["p2040-g1-d2-s0-mfollow"])
        expect(sentence).to_contain_text(f"about {start.warming_2100:.1f} °C in 2100")
        first_chart = explorer.locator("svg.scenario-svg").inner_html()

        explorer.get_by_label("Year CO₂ emissions peak").select_option("2025")
        explorer.get_by_label("Fall after the peak (percent of the peak per year)").select_option("5")
        explorer.get_by_role("button", name="Show this path").click()

        page.wait_for_url("**peak=2025**")
        assert "decline=5" in page.url and "scenario=1" in page.url  # a shareable address
        chosen = summarise(curriculum["p2025-g1-d5-s0-mfollow"])
        expect(sentence).to_contain_text(f"about {chosen.warming_2100:.1f} °C in 2100")
        expect(sentence).to_contain_text(f"peaks at about {chosen.peak:.1f} °C")
        expect(explorer.get_by_label("Year CO₂ emissions peak")).to_have_value("2025")
        assert explorer.locator("svg.scenario-svg").inner_html() != first_chart
        shared = page.url

        page.goto(f"{MODULE}?scenario=1&peak=soon")
        expect(explorer.get_by_role("alert")).to_contain_text("“soon” is not a number")
        expect(sentence).to_contain_text(f"about {start.warming_2100:.1f} °C in 2100")
    finally:
        context.close()

    # The same address in a browser with JavaScript: readable on a phone and accessible.
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        _log_in(page, student.email)
        page.goto(shared)
        expect(page.locator("#c-scenario-1 .scenario-sentence")).to_contain_text(f"{chosen.warming_2100:.1f} °C")
        smallest = page.evaluate("""() => {
            const svg = document.querySelector('#c-scenario-1 svg.scenario-svg');
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return Math.min(...[...svg.querySelectorAll('text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * scale));
        }""")
        assert smallest >= 12, f"chart text is {smallest:.1f} px at 360 px"
        right = page.evaluate("""() => Math.max(...[...document.querySelectorAll('#c-scenario-1, #c-scenario-1 *')]
            .map(e => e.getBoundingClientRect().right))""")
        assert right <= PHONE["width"], f"the explorer is {right:.0f} px wide on a 360 px screen"
        assert_accessible(axe, page)
    finally:
        context.close()


def test_with_javascript_a_changed_lever_updates_the_chart_without_a_reload(page, axe, curriculum):
    student = make_user()
    _log_in(page, student.email)
    page.goto(MODULE)
    page.evaluate("window.notReloaded = true")
    explorer = page.locator("#c-scenario-1")
    explorer.get_by_label("Year CO₂ emissions peak").select_option("2025")
    explorer.get_by_label("Fall after the peak (percent of the peak per year)").select_option("5")
    chosen = summarise(curriculum["p2025-g1-d5-s0-mfollow"])
    expect(explorer.locator(".scenario-sentence")).to_contain_text(f"about {chosen.warming_2100:.1f} °C in 2100")
    assert page.evaluate("window.notReloaded") is True
    assert "peak=2025" in page.url and "decline=5" in page.url  # the address still names the result
    assert_accessible(axe, page)
