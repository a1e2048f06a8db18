"""Numbers in module 09 (Korea's climate policy and Pohang's new industries) of climate-literacy-foundations.

The CO₂ figures are recomputed from the shipped CSV; the policy figures are recomputed from the sourced inputs the
module quotes (2018 = 727.6 Mt in the edition used by modules 06 and 07, the 2023 plan's removals, CCUS and
international reductions, ICAP's phase caps), so that a change to one number without the others fails. Each check
reads the English AND the Korean file. Standard library only.

Run: .venv/bin/pytest tests/curriculum/test_data_values_09.py -q -p no:cacheprovider --noconftest
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "courses" / "_data"
COURSE = ROOT / "courses" / "climate-literacy-foundations"
STEM = "09-korea-climate-policy"
LANGS = ("en", "ko")
QUIZ_MARKER = "<!-- quiz -->"

# Sourced inputs quoted in the module (see its Sources section)
BASE_2018 = 727.6  # Mt CO₂eq, 2021 reporting: the edition modules 06 and 07 use
SINKS, CCUS, INTERNATIONAL = 26.7, 11.2, 37.5  # Mt, 1st National Basic Plan (March 2023)
PHASE3_CAP, PHASE4_CAP = 3048.3, 2537.3  # Mt over five years each, ICAP
MOE_PROJECTS, MOE_EXCELLENT = 292, 191  # national adaptation plan review of 2023


def text(lang: str) -> str:
    return (COURSE / f"{STEM}.{lang}.md").read_text(encoding="utf-8")


def body(lang: str) -> str:
    return text(lang).split(QUIZ_MARKER)[0]


def question_block(lang: str, qid: str) -> str:
    quiz = text(lang).split(QUIZ_MARKER, 1)[1]
    for block in re.split(r"(?m)^(?=### )", quiz):
        if re.search(rf"(?m)^id:\s*{re.escape(qid)}\s*$", block):
            return block
    raise AssertionError(f"question {qid} not found in {STEM}.{lang}.md")


def number_line(block: str) -> tuple[float, float]:
    """(value, tolerance) of a question's `number:` line."""
    match = re.search(r"(?m)^number:\s*([0-9.]+)(?:\s*(?:±|\+-)\s*([0-9.]+))?\s*$", block)
    assert match, "no number: line in the question"
    return float(match.group(1)), float(match.group(2) or 0)


def co2() -> dict[int, float]:
    with (DATA / "co2_annmean_mlo.csv").open(newline="", encoding="utf-8") as handle:
        return {int(row["year"]): float(row["mean"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize("lang", LANGS)
def test_co2_since_k_ets_started_is_read_from_the_shipped_csv(lang):
    c = co2()
    rise = c[2025] - c[2015]
    for value in (f"{c[2015]:.2f} ppm", f"{c[2025]:.2f} ppm", f"{rise:.2f} ppm"):
        assert value in body(lang), f"{STEM}.{lang}.md: expected {value!r} (from co2_annmean_mlo.csv)"


@pytest.mark.parametrize("lang", LANGS)
def test_legal_floor_and_ndc_tonnes_use_the_727_6_mt_edition(lang):
    b = body(lang)
    assert f"{BASE_2018} × 0.65 ≈ **{BASE_2018 * 0.65:.1f} Mt**" in b
    assert f"{BASE_2018} × 0.60 ≈ **{BASE_2018 * 0.60:.1f} Mt**" in b
    assert "742.3" not in b, "module 09 keeps to one edition of the inventory (2018 = 727.6 Mt), like modules 06-07"


@pytest.mark.parametrize("lang", LANGS)
def test_net_accounting_worked_example_and_quiz_add_up(lang):
    b = body(lang)
    target = round(BASE_2018 * 0.60, 1)
    added = round(SINKS + CCUS + INTERNATIONAL, 1)
    domestic = round(target + added, 1)
    home_cut = (BASE_2018 - domestic) / BASE_2018
    assert f"{SINKS} + {CCUS} + {INTERNATIONAL} = **{added} Mt**" in b
    assert f"{target} + {added} = **{domestic:.1f} Mt**" in b
    assert f"({BASE_2018} − {domestic:.1f}) ÷ {BASE_2018} ≈ {home_cut:.3f}" in b
    assert f"**{home_cut * 100:.1f}%**" in b
    value, tolerance = number_line(question_block(lang, "q09-net-domestic"))
    assert abs(value - domestic) <= tolerance and tolerance <= 1.0
    # the wrong reading (domestic emissions = the net target) must be marked wrong
    assert abs(target - value) > tolerance


@pytest.mark.parametrize("lang", LANGS)
def test_k_ets_phase_averages(lang):
    b = body(lang)
    assert f"{PHASE4_CAP:,.1f} ÷ 5 ≈ **{PHASE4_CAP / 5:.1f} Mt**" in b
    assert f"{PHASE3_CAP:,.1f} Mt" in b and f"{PHASE3_CAP / 5:.1f} Mt" in b


@pytest.mark.parametrize("lang", LANGS)
def test_cbam_bills_are_computed_from_their_practice_numbers(lang):
    b = body(lang)
    assert "500 × 2.0 = 1,000" in b and "80 − 10 = " in b
    assert re.search(r"1,000 × 70 = \*\*(€)?70,000", b), "the worked CBAM bill is 1,000 t × €70 = €70,000"
    block = question_block(lang, "q09-cbam-bill")
    value, tolerance = number_line(block)
    assert value == 250 * 2.0 * (80 - 10) and tolerance == 0
    assert "250 × 2.0 = 500" in block and "500 × 70 =" in block


@pytest.mark.parametrize("lang", LANGS)
def test_adaptation_review_share(lang):
    share = MOE_EXCELLENT / MOE_PROJECTS * 100
    assert f"{share:.1f}%" in body(lang)
    assert str(MOE_PROJECTS - MOE_EXCELLENT) in body(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_in_the_quiz_is_also_taught_in_the_text(lang):
    """Company figures in the quiz (30,000 t, 270,000 t, 1 million t) come from the text, in the same language."""
    b = body(lang)
    if lang == "en":
        for figure in ("30,000 tonnes a year", "270,000 t", "1 million tonnes"):
            assert figure in b
    else:
        for figure in ("3만 톤", "27만 톤", "100만 톤"):
            assert figure in b
