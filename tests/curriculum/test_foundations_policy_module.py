"""The foundations module on Korea's climate policy and Pohang's new industries (issue 18), checked on its own.

It follows the foundations course's rules (docs/curriculum.md, test_curriculum_rules.py): length, both languages
with the same questions and answers, a chart, a check, an activity, a glossary, sources, only documented misconception
tags and a section for every question; and every number taken from a shipped CSV is recomputed here.
"""
from __future__ import annotations

import csv
import re

import pytest
from quizfiles import (
    COURSES,
    DATA,
    ROOT,
    char_count_without_spaces,
    charts,
    fenced_blocks,
    prose,
    read_module,
    word_count,
)

COURSE = COURSES / "climate-literacy-foundations"
STEM = "09-korea-climate-policy"
LANGS = ("en", "ko")
BASE_2018_REPORTED_2021 = 727.6  # Mt CO2eq, Korea's 2018 inventory as reported in 2021 (module 06's source)


def module(lang: str):
    return read_module(COURSE / f"{STEM}.{lang}.md")


def documented_tags() -> set[str]:
    text = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    start = text.index("## Misconception tags")
    end = text.index("\n## ", start + 5)
    return set(re.findall(r"(?m)^\| `([a-z0-9-]+)` \|", text[start:end]))


def korea() -> dict[int, float]:
    with (DATA / "co2_emissions_south_korea.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["year"]): float(row["co2_mt"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize("lang", LANGS)
def test_policy_module_has_the_foundations_shape(lang):
    mod = module(lang)
    if lang == "en":
        assert 1200 <= word_count(mod.body) <= 2500, word_count(mod.body)
    else:
        assert char_count_without_spaces(mod.body) >= 2000
    assert charts(mod), "no chart"
    assert [b for b in fenced_blocks(mod.body) if b[1] == "check"], "no inline check"
    assert ('!!! tip "Activity"' if lang == "en" else '!!! tip "활동"') in mod.body
    assert ("## Sources" if lang == "en" else "## 출처") in mod.body
    text = prose(mod.body)
    assert re.search(r"(?m)^:   \S", text), "no glossary"
    cited = set(re.findall(r"\[\^([^\]]+)\](?!:)", text))
    assert cited == set(re.findall(r"(?m)^\[\^([^\]]+)\]:", text))
    questions = mod.questions
    assert 6 <= len(questions) <= 10 and len({q.type for q in questions}) >= 4
    tags = {t for q in questions for t in q.misconception_tags}
    assert len(tags) >= 2 and tags <= documented_tags(), tags - documented_tags()
    headings = {m.group(1).strip() for m in re.finditer(r"(?m)^#{2,3} +(.+?)\s*$", text)}
    for q in questions:
        section = re.search(r"(?m)^section:\s*(.+?)\s*$", "\n".join(q.stem))
        assert section and section.group(1) in headings, (q.id, section and section.group(1))


def test_policy_module_asks_the_same_questions_in_both_languages():
    en, ko = module("en"), module("ko")
    assert en.meta["principles"] == ko.meta["principles"] and en.meta["quiz"] == ko.meta["quiz"]
    assert en.meta["prerequisites"] == ko.meta["prerequisites"]
    assert [q.id for q in en.questions] == [q.id for q in ko.questions]
    for a, b in zip(en.questions, ko.questions, strict=True):
        assert a.answer_signature() == b.answer_signature(), a.id
        assert sorted(a.misconception_tags) == sorted(b.misconception_tags), a.id
        assert [c.correct for c in a.choices] == [c.correct for c in b.choices], a.id


@pytest.mark.parametrize("lang", LANGS)
def test_policy_module_numbers_are_recomputed_from_the_data(lang):
    text = " ".join((COURSE / f"{STEM}.{lang}.md").read_text(encoding="utf-8").split())
    data = korea()
    fall = 100 * (1 - data[2023] / data[2018])
    for quoted, value, decimals in (
        ("670.169", data[2018], 3),
        ("577.417", data[2023], 3),
        ("13.8", fall, 1),
        ("436.6", 0.6 * BASE_2018_REPORTED_2021, 1),
    ):
        assert f"{value:.{decimals}f}" == quoted
        assert quoted in text, f"{STEM}.{lang}.md lacks {quoted}"
    block = (COURSE / f"{STEM}.{lang}.md").read_text(encoding="utf-8").split("id: q09-data-fall", 1)[1]
    spec = re.search(r"(?m)^number:\s*([\d.]+)\s*±\s*([\d.]+)", block)
    assert spec, "q09-data-fall has no number: a ± t"
    assert abs(float(spec.group(1)) - fall) <= float(spec.group(2))
