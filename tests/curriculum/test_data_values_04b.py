"""Numbers in module 04b (future climate) against the research brief's fact table (IPCC AR6 WGI SPM)."""
from __future__ import annotations

import pytest
from quizfiles import COURSES, read_module

COURSE = COURSES / "climate-literacy-foundations"
# IPCC AR6 WGI SPM Table SPM.1, 2081–2100 vs 1850–1900 (brief §6): best estimate and very likely range.
TABLE_SPM1 = {
    "SSP1-1.9": "1.4 °C (1.0–1.8)",
    "SSP1-2.6": "1.8 °C (1.3–2.4)",
    "SSP2-4.5": "2.7 °C (2.1–3.5)",
    "SSP3-7.0": "3.6 °C (2.8–4.6)",
    "SSP5-8.5": "4.4 °C (3.3–5.7)",
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_ssp_table_quotes_table_spm1(lang):
    body = read_module(COURSE / f"04b-future-climate.{lang}.md").body
    rows = {line.split("|")[1].strip(): line for line in body.split("\n") if line.startswith("| SSP")}
    assert set(rows) == set(TABLE_SPM1)
    for ssp, value in TABLE_SPM1.items():
        assert line_ends_with(rows[ssp], value), f"{lang} {ssp}: {rows[ssp]}"


def line_ends_with(line: str, value: str) -> bool:
    return line.strip().strip("|").split("|")[-1].strip() == value


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_quiz_uses_the_brief_s_numbers(lang):
    module = read_module(COURSE / f"04b-future-climate.{lang}.md")
    text = module.body + (module.quiz_text or "")
    for number in ("0.45 °C", "130 GtCO₂", "2–5 °C"):
        assert number in text, f"{lang}: {number} missing"
    delay = next(q for q in module.questions if q.id == "q04b-delay")
    assert delay.keys["number"] == "0.18 ± 0.02"  # 10 years × 40 GtCO₂ × 0.45 °C / 1,000 GtCO₂
