"""Numbers in modules 05-08 of climate-literacy-foundations that come from the shipped datasets.

Each check reads the CSV in courses/_data AND the module files (English and Korean), so it fails if
either the data or the text changes without the other. Standard library only (csv, pathlib, re,
math): no app imports, so it runs before the content pipeline exists.

Run: .venv/bin/pytest tests/curriculum/test_data_values_05_08.py -q -p no:cacheprovider --noconftest
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "courses" / "_data"
COURSE = ROOT / "courses" / "climate-literacy-foundations"
LANGS = ("en", "ko")
QUIZ_MARKER = "<!-- quiz -->"

MODULES = {
    "05": "05-impacts-and-risk",
    "06": "06-energy-and-mitigation",
    "07": "07-pohang-in-transition",
    "08": "08-acting-on-it",
}


# ---------------------------------------------------------------------------------------------------
# helpers


def read_series(dataset: str, column: str) -> dict[int, float]:
    """{year: value} from courses/_data/<dataset>.csv (first row = column names)."""
    with (DATA / f"{dataset}.csv").open(newline="", encoding="utf-8") as handle:
        return {int(row["year"]): float(row[column]) for row in csv.DictReader(handle)}


def co2() -> dict[int, float]:
    return read_series("co2_annmean_mlo", "mean")


def gistemp() -> dict[int, float]:
    return read_series("gistemp_global_annual", "anomaly_c")


def ch4() -> dict[int, float]:
    return read_series("ch4_annmean_gl", "mean_ppb")


def emissions(country: str, column: str) -> dict[int, float]:
    """{year: value} for one country of the long-format OWID file (South Korea or World)."""
    with (DATA / "co2_emissions_korea_world.csv").open(newline="", encoding="utf-8") as handle:
        return {int(row["year"]): float(row[column]) for row in csv.DictReader(handle) if row["country"] == country}


def module_text(number: str, lang: str) -> str:
    return (COURSE / f"{MODULES[number]}.{lang}.md").read_text(encoding="utf-8")


def body(number: str, lang: str) -> str:
    """The teaching text: everything before the quiz marker (front matter included)."""
    return module_text(number, lang).split(QUIZ_MARKER)[0]


def question_block(number: str, lang: str, qid: str) -> str:
    """The text of one quiz question, from its ### heading to the next one."""
    quiz = module_text(number, lang).split(QUIZ_MARKER, 1)[1]
    for block in re.split(r"(?m)^(?=### )", quiz):
        if re.search(rf"(?m)^id:\s*{re.escape(qid)}\s*$", block):
            return block
    raise AssertionError(f"question {qid} not found in module {number} ({lang})")


def numeric_answer(block: str) -> tuple[float, float, float]:
    """(low, high, written value) from a question's `number:` line (X ± T, X +- T, A .. B or X)."""
    match = re.search(r"(?m)^number:\s*(.+?)\s*$", block)
    assert match, "no number: line in the question"
    spec = match.group(1)
    if ".." in spec:
        low, high = (float(part) for part in spec.split(".."))
        return low, high, (low + high) / 2
    parts = re.split(r"\s*(?:±|\+-)\s*", spec)
    value = float(parts[0])
    tolerance = float(parts[1]) if len(parts) > 1 else 0.0
    return value - tolerance, value + tolerance, value


def chart_blocks(text: str) -> list[str]:
    return re.findall(r"```chart\n(.*?)```", text, flags=re.S)


def chart_field(chart: str, key: str) -> str | None:
    match = re.search(rf"(?m)^{key}:\s*(.+?)\s*$", chart)
    return match.group(1) if match else None


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=1e-9)


# ---------------------------------------------------------------------------------------------------
# single values quoted in the text: (module, dataset, year, text as written)

QUOTED_VALUES = [
    ("05", "gistemp", 2024, "1.28"),  # "2024 is 1.28 °C above the 1951-1980 average" + chart label
    ("06", "co2", 1959, "315.98"),
    ("06", "co2", 2015, "401.01"),
    ("06", "co2", 2024, "424.61"),  # compared with WMO's global mean 423.9 (a different series)
    ("06", "co2", 2025, "427.35"),
    ("08", "gistemp", 2010, "0.73"),
    ("08", "gistemp", 2014, "0.75"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("number", "dataset", "year", "written"), QUOTED_VALUES)
def test_quoted_value_matches_dataset_and_is_in_text(number, dataset, year, written, lang):
    values = co2() if dataset == "co2" else gistemp()
    assert year in values, f"{year} missing from the {dataset} CSV"
    assert same(values[year], float(written)), f"CSV has {values[year]} for {year}, module quotes {written}"
    assert written in body(number, lang), f"module {number} ({lang}) no longer quotes {written}"


# ---------------------------------------------------------------------------------------------------
# module 05: GISTEMP decade average (quiz) and the 2023 chart label


@pytest.mark.parametrize("lang", LANGS)
def test_05_decade_mean_quiz_matches_gistemp(lang):
    """The student reads ten bars of a GISTEMP chart in the stem and averages them."""
    temps = gistemp()
    years = list(range(2015, 2025))
    block = question_block("05", lang, "q-impacts-decade-mean")
    charts = chart_blocks(block)
    assert len(charts) == 1 and chart_field(charts[0], "dataset") == "gistemp_global_annual"
    assert chart_field(charts[0], "x_range") == f"[{years[0]}, {years[-1]}]"

    total = sum(temps[y] for y in years)
    mean = total / len(years)
    low, high, written = numeric_answer(block)
    assert low <= mean <= high, f"decade mean {mean:.3f} outside the quiz range {low}..{high}"
    assert same(written, round(mean, 2))
    assert f"{total:.2f}" in block, "the explanation's sum no longer matches the CSV"
    assert f"{mean:.2f}" in block


@pytest.mark.parametrize("lang", LANGS)
def test_05_chart_label_matches_last_gistemp_year(lang):
    temps = gistemp()
    charts = [
        c for c in chart_blocks(body("05", lang)) if chart_field(c, "dataset") == "gistemp_global_annual"
    ]
    assert charts, "module 05 should have a GISTEMP chart"
    assert max(temps) == 2025, "the GISTEMP copy now goes beyond 2025: update module 05's text and chart"
    warmest = max(temps, key=temps.get)
    assert warmest == 2024
    assert any(f"{temps[warmest]:.2f} °C" in c and f"x: {warmest}" in c for c in charts)


# ---------------------------------------------------------------------------------------------------
# module 06: CO2 rise 2015-2025 (text) and average growth per year (quiz)


@pytest.mark.parametrize("lang", LANGS)
def test_06_co2_growth_text_and_quiz(lang):
    c = co2()
    rise = c[2025] - c[2015]
    per_year = rise / 10
    text = body("06", lang)
    assert f"{rise:.2f} ppm" in text, f"text should quote the 2015-2025 rise {rise:.2f} ppm"
    assert f"{per_year:.2f} ppm" in text

    block = question_block("06", lang, "q-energy-co2-growth")
    assert f"{c[2015]:.2f}" in block and f"{c[2025]:.2f}" in block, "explanation values differ from the CSV"
    assert [chart_field(ch, "x_range") for ch in chart_blocks(block)] == ["[2015, 2025]"], "read from a chart"
    low, high, written = numeric_answer(block)
    assert low <= per_year <= high
    assert same(written, round(per_year, 2))
    assert f"{rise:.2f}" in block


@pytest.mark.parametrize("lang", LANGS)
def test_06_latest_co2_is_the_last_csv_year(lang):
    c = co2()
    latest = max(c)
    assert latest == 2025, "the CO2 copy now has a newer year: update modules 06-07"
    text = body("06", lang)
    assert f"{c[latest]:.2f} ppm" in text
    charts = [ch for ch in chart_blocks(text) if chart_field(ch, "dataset") == "co2_annmean_mlo"]
    assert any(f"{c[latest]:.2f} ppm" in ch for ch in charts), "chart annotation should give the latest value"


# ---------------------------------------------------------------------------------------------------
# module 07: Korea's CO2 emissions (OWID) in the text and in the chart-reading question


@pytest.mark.parametrize("lang", LANGS)
def test_07_korea_emissions_text_and_chart_question(lang):
    korea = emissions("South Korea", "co2_mt")
    peak = max(korea, key=korea.get)
    assert peak == 2018
    text = body("07", lang)
    for value in (korea[2017], korea[2018], korea[2023]):
        assert f"{value:.1f} Mt" in text, f"module 07 ({lang}) should quote {value:.1f} Mt"
    assert f"{71 / korea[2017] * 100:.1f}%" in text, "POSCO's 71 Mt as a share of Korea's 2017 CO2"

    block = question_block("07", lang, "q-pohang-korea-co2-chart")
    # the keyed answer: the peak is 2018 and 2023 is below every year from 2010 on
    assert all(korea[2023] < korea[y] for y in range(2010, 2023))
    assert f"{korea[peak]:.1f} Mt" in block and f"{korea[2023]:.1f} Mt" in block
    # the distractors are really false in the data
    assert any(korea[y] < korea[y - 1] for y in range(2006, 2024)), "emissions did fall in some years"
    assert korea[2023] > korea[2005] and f"{korea[2005]:.0f} Mt" in block
    assert korea[2021] > korea[2020], "the 'fell every year since 2018' distractor needs a rise after 2018"


# ---------------------------------------------------------------------------------------------------
# module 08: every year 2014-2023 warmer than any earlier year (text and quiz)


@pytest.mark.parametrize("lang", LANGS)
def test_08_warm_decade_count(lang):
    temps = gistemp()
    before = {y: v for y, v in temps.items() if y < 2014}
    decade = {y: temps[y] for y in range(2014, 2026)}
    warmest_before_year = max(before, key=before.get)
    coolest_decade_year = min(decade, key=decade.get)
    count = sum(1 for v in decade.values() if v > max(before.values()))

    block = question_block("08", lang, "q-action-warm-decade")
    low, high, _ = numeric_answer(block)
    assert low <= count <= high, f"{count} years qualify, the quiz expects {low}..{high}"

    # the text's supporting numbers: warmest year before 2014 and coolest year of 2014-2023
    assert (warmest_before_year, before[warmest_before_year]) == (2010, 0.73)
    assert (coolest_decade_year, decade[coolest_decade_year]) == (2014, 0.75)
    for text in (body("08", lang), block):
        assert f"{before[warmest_before_year]:.2f} °C" in text
        assert f"{decade[coolest_decade_year]:.2f} °C" in text


# ---------------------------------------------------------------------------------------------------
# module 06: NOAA methane (network named) and module 05: Korea and world CO2 per person in 2023


@pytest.mark.parametrize("lang", LANGS)
def test_06_methane_figures_name_the_noaa_network(lang):
    methane = ch4()
    text = body("06", lang)
    latest, first = max(methane), min(methane)
    assert (first, latest) == (1984, 2024)
    for value in (methane[latest], methane[first], methane[latest] - methane[first]):
        assert f"{value:,.1f} ppb" in text, f"module 06 ({lang}) should quote {value:,.1f} ppb"
    assert "1,942 ppb" in text, "the WMO figure is quoted beside NOAA's, as a different network"
    network = "global air sampling network" if lang == "en" else "전 지구 대기 채집 관측망"
    assert network in text
    module_02_file = COURSE / f"02-energy-balance.{lang}.md"
    module_02 = " ".join(module_02_file.read_text(encoding="utf-8").split(QUIZ_MARKER)[0].split())
    assert f"{methane[latest]:,.1f} ppb" in module_02 and network in module_02, "module 02 names the network too"


@pytest.mark.parametrize("lang", LANGS)
def test_05_justice_uses_korea_and_world_co2_per_person(lang):
    korea, world = emissions("South Korea", "co2_per_capita_t"), emissions("World", "co2_per_capita_t")
    text = body("05", lang)
    assert f"{korea[2023]:.2f}" in text and f"{world[2023]:.2f}" in text
    assert (korea[2023], world[2023]) == (11.158, 4.67)
    assert f"{korea[2023] / world[2023]:.1f}" in text, "the ratio in the text follows the data"
    charts = [c for c in chart_blocks(text) if chart_field(c, "dataset") == "co2_emissions_korea_world"]
    assert charts and all(chart_field(c, "where") == "{year: 2023}" for c in charts)


@pytest.mark.parametrize("lang", LANGS)
def test_05_per_person_chart_question_follows_the_data(lang):
    korea, world = emissions("South Korea", "co2_per_capita_t"), emissions("World", "co2_per_capita_t")
    totals = emissions("South Korea", "co2_mt"), emissions("World", "co2_mt")
    block = question_block("05", lang, "q-impacts-per-person-chart")
    assert f"{korea[2023]:.2f}" in block and f"{world[2023]:.2f}" in block
    assert f"{korea[2023] / world[2023]:.1f}" in block
    assert totals[0][2023] < totals[1][2023] / 2, "the 'Korea as a whole' distractor must be false"


@pytest.mark.parametrize("lang", LANGS)
def test_08_statement_question_quotes_the_data_correctly(lang):
    korea, world = emissions("South Korea", "co2_per_capita_t"), emissions("World", "co2_per_capita_t")
    block = question_block("08", lang, "q-action-statement-number")
    keyed = next(line for line in block.splitlines() if line.startswith("- (x)"))
    assert f"{korea[2023]:.2f}" in keyed and f"{korea[2023] / world[2023]:.1f}" in keyed and "2023" in keyed
    # the baseline distractor quotes GISTEMP's 2024 value, which is relative to 1951-1980
    assert f"{gistemp()[2024]:.2f} °C" in block


# ---------------------------------------------------------------------------------------------------
# every chart in modules 05-08 uses a shipped dataset, existing columns and years inside the data


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("number", sorted(MODULES))
def test_charts_use_shipped_columns_and_years(number, lang):
    charts = chart_blocks(body(number, lang))
    assert charts, f"module {number} ({lang}) needs at least one chart"
    for chart in charts:
        dataset = chart_field(chart, "dataset")
        path = DATA / f"{dataset}.csv"
        assert path.is_file(), f"chart uses {dataset}, which is not shipped"
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            years = [int(row["year"]) for row in reader]
        assert chart_field(chart, "x") in columns and chart_field(chart, "y") in columns
        x_range = chart_field(chart, "x_range")
        if x_range:
            start, end = (int(v) for v in re.findall(r"-?\d+", x_range))
            span = f"{min(years)}-{max(years)}"
            assert min(years) <= start < end <= max(years), f"x_range {x_range} outside {span}"
        for x in re.findall(r"\{x:\s*(\d+)", chart):
            assert min(years) <= int(x) <= max(years), f"annotation at {x} outside the data"


# ---------------------------------------------------------------------------------------------------
# worked examples from the brief's facts (not datasets): quiz answers follow from numbers in the text


BRIEF_ARITHMETIC = [
    # (module, question id, inputs that must appear in the body, value the quiz must accept)
    ("05", "q-impacts-waterfront-30yr", ["3.2 mm"], 3.2 * 30 / 10),  # cm
    ("06", "q-energy-2030-target", ["727.6", "624.2", "436.6", "742.3"], 727.6 * 0.60),
    ("06", "q-energy-budget-years", ["130", "43"], 130 / 43),
    ("08", "q-action-design-50yr", ["4.6 mm"], 4.6 * 50 / 10),  # cm
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("number", "qid", "inputs", "expected"), BRIEF_ARITHMETIC)
def test_worked_example_answers(number, qid, inputs, expected, lang):
    text = body(number, lang)
    for value in inputs:
        assert value in text, f"module {number} ({lang}) no longer states {value}"
    low, high, _ = numeric_answer(question_block(number, lang, qid))
    assert low <= expected <= high, f"{qid}: {expected:.3f} outside {low}..{high}"
    # a student who uses the other edition's 2018 base (742.3 Mt) must not be marked right
    if qid == "q-energy-2030-target":
        assert not low <= 742.3 * 0.60 <= high


# Korea's path in one edition of the inventory (2018 = 727.6 Mt, 2023 provisional = 624.2 Mt, same edition)
EDITION_2018, EMISSIONS_2023 = 727.6, 624.2


@pytest.mark.parametrize("lang", LANGS)
def test_06_path_uses_one_edition(lang):
    target_2030 = round(EDITION_2018 * 0.60, 1)
    yearly_cut = (EMISSIONS_2023 - target_2030) / 7
    below_2018 = (EDITION_2018 - EMISSIONS_2023) / EDITION_2018 * 100
    text = body("06", lang)
    for number in (f"{target_2030:.1f}", f"{EMISSIONS_2023 - target_2030:.1f}", f"{yearly_cut:.1f}",
                   f"{below_2018:.1f}%", f"{EDITION_2018 * 0.47:.1f}", f"{EDITION_2018 * 0.39:.1f}"):
        assert number in text, f"module 06 ({lang}) should state {number}"
    assert f"{yearly_cut:.1f}" == "26.8"
    block = question_block("06", lang, "q-energy-path-order")
    for number in ("727.6", "624.2", f"{target_2030:.1f}", f"{EDITION_2018 * 0.47:.1f}"):
        assert number in block
    assert "742.3" not in block and "445.4" not in block, "the path mixes editions"


@pytest.mark.parametrize("number", sorted(MODULES))
def test_same_numeric_answers_in_both_languages(number):
    def answers(lang: str) -> dict[str, str]:
        quiz = module_text(number, lang).split(QUIZ_MARKER, 1)[1]
        found = {}
        for block in re.split(r"(?m)^(?=### )", quiz):
            qid = re.search(r"(?m)^id:\s*(\S+)", block)
            num = re.search(r"(?m)^number:\s*(.+?)\s*$", block)
            if qid and num:
                found[qid.group(1)] = num.group(1)
        return found

    assert answers("en") == answers("ko")
