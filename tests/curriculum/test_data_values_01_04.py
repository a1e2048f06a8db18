"""Numbers in modules 01-04 of climate-literacy-foundations that come from the shipped datasets.

For every such number (in the teaching text, in a quiz stem or as a quiz answer) this file
1. recomputes it from courses/_data/*.csv and checks that the value quoted in the module matches, and
2. checks that the quoted number is really written in the English and the Korean module file,
so the test fails when either the data or the module text changes.

Standard library, plus the quiz parser (through quizfiles.py) for the accepted range of numeric answers.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "courses" / "_data"
COURSE = ROOT / "courses" / "climate-literacy-foundations"
LANGS = ("en", "ko")

# Values from the research brief, not from a shipped dataset (used only in the re-baselining arithmetic).
AR6_WARMING_2011_2020 = 1.09  # IPCC AR6 WGI SPM A.1.2, °C relative to 1850-1900
AR6_WARMING_2001_2020 = 0.99  # IPCC AR6 WGI SPM A.1.2, °C relative to 1850-1900


def _read(name: str, value_column: str) -> dict[int, float]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["year"]): float(row[value_column]) for row in csv.DictReader(handle)}


CO2 = _read("co2_annmean_mlo", "mean")  # ppm, Mauna Loa annual mean
GISTEMP = _read("gistemp_global_annual", "anomaly_c")  # °C relative to 1951-1980


def gistemp_mean(first: int, last: int) -> float:
    years = range(first, last + 1)
    missing = [y for y in years if y not in GISTEMP]
    assert not missing, f"GISTEMP file lacks {missing}"
    return sum(GISTEMP[y] for y in years) / len(years)


def co2_rise(first: int, last: int) -> float:
    return CO2[last] - CO2[first]


def co2_rate(first: int, last: int) -> float:
    return co2_rise(first, last) / (last - first)


def offset_2011_2020() -> float:
    """Baseline offset: AR6's 2011-2020 warming minus GISTEMP's 2011-2020 mean, rounded as taught."""
    return round(AR6_WARMING_2011_2020 - round(gistemp_mean(2011, 2020), 2), 2)


def fmt(value: float, decimals: int) -> str:
    """Format as the modules write numbers: fixed decimals, a real minus sign (U+2212) for negatives."""
    text = f"{value:.{decimals}f}"
    return text.replace("-", "−") if text.startswith("-") else text


# --- module files -------------------------------------------------------------------------------------------

_texts: dict[tuple[str, str], str] = {}


def module_text(stem: str, lang: str) -> str:
    """The whole module file with all runs of whitespace collapsed, so wrapped lines still match."""
    key = (stem, lang)
    if key not in _texts:
        path = COURSE / f"{stem}.{lang}.md"
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
        _texts[key] = " ".join(path.read_text(encoding="utf-8").split())
    return _texts[key]


def question_block(stem: str, lang: str, qid: str) -> str:
    """Lines of the quiz question whose ``id:`` is qid (from its ### heading to the next one)."""
    path = COURSE / f"{stem}.{lang}.md"
    text = path.read_text(encoding="utf-8")
    quiz = text.split("\n<!-- quiz -->\n", 1)
    assert len(quiz) == 2, f"{path.name}: no quiz section"
    blocks = re.split(r"(?m)^(?=### )", quiz[1])
    found = [b for b in blocks if re.search(rf"(?m)^id:\s*{re.escape(qid)}\s*$", b)]
    assert len(found) == 1, f"{path.name}: expected one question with id {qid}, found {len(found)}"
    return found[0]


def quiz_number(stem: str, lang: str, qid: str) -> tuple[float, float]:
    """The accepted range of a numeric question (``a ± t``, ``a .. b`` or ``a``), read by the quiz parser."""
    from quizfiles import accepted_range

    return accepted_range(COURSE / f"{stem}.{lang}.md", qid)


# --- numbers quoted in the text (teaching text, quiz stems and explanations) --------------------------------

@dataclass(frozen=True)
class Quoted:
    name: str
    stem: str
    quoted: str  # exactly as written in the module
    expected: Callable[[], str]  # the same number recomputed from the CSV and formatted the same way
    en: tuple[str, ...]  # contexts in the English file; {q} stands for the quoted number
    ko: tuple[str, ...]  # contexts in the Korean file


def f2(value: Callable[[], float]) -> Callable[[], str]:
    return lambda: fmt(value(), 2)


def year(value: Callable[[], int]) -> Callable[[], str]:
    return lambda: str(value())


M1, M2, M3, M4 = "01-weather-and-climate", "02-energy-balance", "03-carbon-cycle", "04-evidence-data-lab"


def warmest_year() -> int:
    return max(GISTEMP, key=GISTEMP.get)


def largest_co2_jump_year() -> int:
    return max((y for y in CO2 if y - 1 in CO2), key=lambda y: CO2[y] - CO2[y - 1])


def eleven_warmest_years() -> list[int]:
    return sorted(sorted(GISTEMP, key=GISTEMP.get, reverse=True)[:11])


def decade_row(first: int, last: int) -> Callable[[], str]:
    return lambda: f"{fmt(co2_rise(first, last), 2)} | {fmt(co2_rate(first, last), 2)}"


def values_2011_2020() -> str:
    values = [fmt(GISTEMP[y], 2) for y in range(2011, 2021)]
    return ", ".join(values[:-1]) + " and " + values[-1]


QUOTED = [
    # 01 Weather, climate and how we know
    Quoted("gistemp-2024", M1, "1.28", f2(lambda: GISTEMP[2024]),
           ("Its value is **{q} °C**", 'label: "2024: {q} °C"', "2024 was {q} °C higher"),
           ("값은 **{q} °C**", 'label: "2024년: {q} °C"', "1951–1980년 평균보다 {q} °C 높았다")),
    Quoted("gistemp-2025", M1, "1.19", f2(lambda: GISTEMP[2025]),
           ("ahead of 2025 at {q} °C",),
           ("{q} °C였던 2025년",)),
    Quoted("gistemp-2023", M1, "1.17", f2(lambda: GISTEMP[2023]),
           ("2023 at {q} °C", "an anomaly of {q} °C means"),
           ("{q} °C였던 2023년",)),
    Quoted("gistemp-2024-is-warmest", M1, "2024", year(warmest_year),
           ("in {q} was 1.28 °C higher than the 1951–1980 average.* It is the warmest year in this file",),
           ("*{q}년 전 지구 평균 지표 기온은 1951–1980년 평균보다 1.28 °C 높았다.* 이 파일에서 가장 더운 해로",)),
    Quoted("gistemp-first-year", M1, "1880", year(lambda: min(GISTEMP)),
           ("every year since {q}",),
           ("{q}년부터 매년",)),
    Quoted("gistemp-baseline-mean", M1, "0.00", f2(lambda: gistemp_mean(1951, 1980)),
           ("you get exactly {q} °C",),
           ("정확히 {q} °C",)),
    Quoted("gistemp-1997", M1, "0.47", f2(lambda: GISTEMP[1997]), ("| 1997 | {q} |",), ("| 1997 | {q} |",)),
    Quoted("gistemp-1998", M1, "0.61", f2(lambda: GISTEMP[1998]), ("| 1998 | {q} |",), ("| 1998 | {q} |",)),
    Quoted("gistemp-1999", M1, "0.38", f2(lambda: GISTEMP[1999]), ("| 1999 | {q} |",), ("| 1999 | {q} |",)),
    Quoted("gistemp-1998-jump", M1, "0.14", f2(lambda: GISTEMP[1998] - GISTEMP[1997]),
           ("jumped up by {q} °C",),
           ("{q} °C 올랐다가",)),
    Quoted("gistemp-1999-fall", M1, "0.23", f2(lambda: GISTEMP[1998] - GISTEMP[1999]),
           ("fell by {q} °C",),
           ("{q} °C 떨어졌습니다",)),
    Quoted("gistemp-1880s-mean", M1, "−0.22", f2(lambda: gistemp_mean(1880, 1889)),
           ("(1880–1889) is **{q} °C**", "(1880–1889) is {q} °C"),
           ("(1880–1889년)의 평균 편차는 **{q} °C**", "(1880–1889년)의 평균 편차는 {q} °C")),
    Quoted("gistemp-2010s-mean", M1, "0.81", f2(lambda: gistemp_mean(2010, 2019)),
           ("(2010–2019) is **{q} °C**", "(2010–2019) is {q} °C", "{q} − (−0.22)"),
           ("평균은 **{q} °C**", "(2010–2019년)의 평균 편차는 {q} °C", "{q} − (−0.22)")),
    Quoted("gistemp-decade-difference", M1, "1.03",
           f2(lambda: round(gistemp_mean(2010, 2019), 2) - round(gistemp_mean(1880, 1889), 2)),
           ("The difference is **{q} °C**", "0.81 − (−0.22) = {q} °C"),
           ("차이는 **{q} °C**", "0.81 − (−0.22) = {q} °C")),
    Quoted("gistemp-decade-difference-slip", M1, "0.59",
           f2(lambda: round(gistemp_mean(2010, 2019), 2) - abs(round(gistemp_mean(1880, 1889), 2))),
           ("answer {q}",),
           ("{q}라고 답하는",)),
    # 02 Energy balance
    Quoted("co2-2023", M2, "421.08", f2(lambda: CO2[2023]),
           ("Mauna Loa was **{q} ppm**", "Mauna Loa averaged {q} ppm", 'label: "2023: {q} ppm"'),
           ("**{q} ppm**(백만분율)", "연평균은 {q} ppm", 'label: "2023년: {q} ppm"')),
    Quoted("co2-2023-percent", M2, "0.042", lambda: fmt(CO2[2023] / 1e4, 3),
           ("about **{q}%**",),
           ("약 **{q}%**",)),
    Quoted("co2-2023-percent-rounded", M2, "0.04", f2(lambda: CO2[2023] / 1e4),
           ("about {q}% of the air", "only {q}% of the air"),
           ("공기의 약 {q}%", "{q}%밖에 안 돼")),
    Quoted("co2-1959-in-02", M2, "315.98", f2(lambda: CO2[1959]),
           ("from {q} ppm in 1959 to 421.08 ppm in 2023", 'label: "1959: {q} ppm"'),
           ("1959년 {q} ppm에서 2023년 421.08 ppm까지", 'label: "1959년: {q} ppm"')),
    Quoted("co2-2024", M2, "424.61", f2(lambda: CO2[2024]),
           ("for 2024 ({q} ppm",),
           ("연평균({q} ppm",)),
    # 03 Carbon cycle
    Quoted("co2-first-year", M3, "1959", year(lambda: min(CO2)), ("start in {q}",), ("{q}년부터 시작",)),
    Quoted("co2-1960", M3, "316.91", f2(lambda: CO2[1960]), ("| 1960 | {q} |",), ("| 1960 | {q} |",)),
    Quoted("co2-1970", M3, "325.68", f2(lambda: CO2[1970]), ("| 1970 | {q} |",), ("| 1970 | {q} |",)),
    Quoted("co2-2014", M3, "398.81", f2(lambda: CO2[2014]), ("| 2014 | {q} |",), ("| 2014 | {q} |",)),
    Quoted("co2-2024-in-03", M3, "424.61", f2(lambda: CO2[2024]),
           ("| 2024 | {q} |", "Mauna Loa's annual mean is **{q} ppm**", "annual mean is {q} ppm"),
           ("| 2024 | {q} |", "연평균은 **{q} ppm**", "연평균은 {q} ppm")),
    Quoted("co2-rise-1960-1970", M3, "8.77", f2(lambda: co2_rise(1960, 1970)),
           ("= {q} ppm in ten years", "{q} ppm in ten years (0.88"),
           ("= 10년 동안 {q} ppm", "10년 동안 {q} ppm(연간 0.88")),
    Quoted("co2-rate-1960-1970", M3, "0.88", f2(lambda: co2_rate(1960, 1970)),
           ("about **{q} ppm per year**",),
           ("연간 약 **{q} ppm**",)),
    Quoted("co2-rise-2014-2024", M3, "25.80", f2(lambda: co2_rise(2014, 2024)),
           ("= {q} ppm in ten years", "{q} ppm in ten years (2.58"),
           ("= 10년 동안 {q} ppm", "10년 동안 {q} ppm(연간 2.58")),
    Quoted("co2-rate-2014-2024", M3, "2.58", f2(lambda: co2_rate(2014, 2024)),
           ("about **{q} ppm per year**", "{q} ÷ 0.88"),
           ("연간 약 **{q} ppm**", "{q} ÷ 0.88")),
    Quoted("co2-rate-ratio", M3, "2.9", lambda: fmt(co2_rate(2014, 2024) / co2_rate(1960, 1970), 1),
           ("about {q} times the rate of the 1960s", "≈ {q}."),
           ("1960년대의 약 {q}배", "≈ {q}입니다")),
    Quoted("co2-2023-in-03", M3, "421.08", f2(lambda: CO2[2023]),
           ("From 2023 ({q} ppm)",),
           ("2023년({q} ppm)",)),
    Quoted("co2-jump-2024", M3, "3.53", f2(lambda: co2_rise(2023, 2024)),
           ("rose by **{q} ppm**, the largest one-year rise in our file",),
           ("**{q} ppm** 올랐으며",)),
    Quoted("co2-jump-2024-is-largest", M3, "2024", year(largest_co2_jump_year),
           ("to {q} (424.61 ppm) the Mauna Loa annual mean rose by **3.53 ppm**, "
            "the largest one-year rise in our file",),
           ("{q}년(424.61 ppm)까지 마우나로아 연평균은 **3.53 ppm** 올랐으며, "
            "이는 우리 파일에서 가장 큰 한 해 증가폭",)),
    Quoted("co2-2025-provisional", M3, "427.35", f2(lambda: CO2[2025]),
           ("{q} ppm, is **provisional**", 'label: "2025: {q} ppm (provisional)"'),
           ("{q} ppm은 **잠정값**", 'label: "2025년: {q} ppm(잠정값)"')),
    Quoted("co2-2020-current", M3, "414.21", f2(lambda: CO2[2020]),
           ("the current file says {q} ppm",),
           ("현재 파일에서는 {q} ppm",)),
    # 04 Evidence data lab: CO2
    Quoted("co2-1959", M4, "315.98", f2(lambda: CO2[1959]),
           ("1959: **{q} ppm**", 'label: "1959: {q} ppm"', "421.08 − {q}"),
           ("1959년: **{q} ppm**", 'label: "1959년: {q} ppm"', "421.08 − {q}")),
    Quoted("co2-2023-in-04", M4, "421.08", f2(lambda: CO2[2023]),
           ("2023: **{q} ppm**", 'label: "2023: {q} ppm"', "{q} − 315.98"),
           ("2023년: **{q} ppm**", 'label: "2023년: {q} ppm"', "{q} − 315.98")),
    Quoted("co2-rise-1959-2023", M4, "105.10", f2(lambda: co2_rise(1959, 2023)),
           ("= **{q} ppm**", "The rise is 421.08 − 315.98 = {q} ppm"),
           ("= **{q} ppm**", "증가량은 421.08 − 315.98 = {q} ppm")),
    Quoted("co2-rise-1959-2023-percent", M4, "33.3", lambda: fmt(co2_rise(1959, 2023) / CO2[1959] * 100, 1),
           ("× 100 ≈ **{q}%**", "× 100 ≈ {q}%"),
           ("× 100 ≈ **{q}%**", "× 100 ≈ {q}%")),
    Quoted("co2-rise-1959-2023-years", M4, "64", lambda: str(2023 - min(CO2)),
           ("in {q} years",),
           ("{q}년 동안",)),
    Quoted("co2-rise-percent-slip", M4, "25", lambda: fmt(co2_rise(1959, 2023) / CO2[2023] * 100, 0),
           ("(which gives about {q}%)",),
           ("(약 {q}%)",)),
    Quoted("co2-2025-in-04", M4, "427.35", f2(lambda: CO2[2025]),
           ("2025 value, {q} ppm", 'label: "2025: {q} ppm (provisional)"'),
           ("2025년의 {q} ppm", 'label: "2025년: {q} ppm(잠정값)"')),
    Quoted("co2-rise-1959-2025", M4, "111.37", f2(lambda: co2_rise(1959, 2025)),
           ("the rise since 1959 is {q} ppm",),
           ("1959년 이후 증가량은 {q} ppm",)),
    Quoted("co2-years", M4, "2025", year(lambda: max(CO2)), ("| 1959–{q} |",), ("| 1959–{q}년 |",)),
    Quoted("gistemp-years", M4, "2025", year(lambda: max(GISTEMP)), ("| 1880–{q} |",), ("| 1880–{q}년 |",)),
    *[
        Quoted(f"co2-decade-{a}-{b}", M4, quoted, decade_row(a, b), (f"| {a}–{b} | {{q}} |",),
               (f"| {a}–{b} | {{q}} |",))
        for (a, b), quoted in {
            (1960, 1970): "8.77 | 0.88", (1970, 1980): "13.08 | 1.31", (1980, 1990): "15.69 | 1.57",
            (1990, 2000): "15.26 | 1.53", (2000, 2010): "20.39 | 2.04", (2010, 2020): "24.11 | 2.41",
        }.items()
    ],
    # 04 Evidence data lab: temperature
    Quoted("gistemp-2024-in-04", M4, "1.28", f2(lambda: GISTEMP[2024]),
           ("2024 (**{q} °C**)", 'label: "2024: {q} °C"', "GISTEMP gives 2024 as {q} °C", "tallest bar at {q} °C",
            "{q} + 0.25"),
           ("2024년(**{q} °C**)", 'label: "2024년: {q} °C"', "2024년은 1951–1980년 대비 {q} °C",
            "{q} °C인 2024년", "{q} + 0.25")),
    Quoted("gistemp-2025-in-04", M4, "1.19", f2(lambda: GISTEMP[2025]),
           ("2025 (**{q} °C**)", "2025 ({q} °C)"),
           ("2025년(**{q} °C**)", "2025년({q} °C)")),
    Quoted("gistemp-2023-in-04", M4, "1.17", f2(lambda: GISTEMP[2023]),
           ("2023 (**{q} °C**)", "2023 ({q} °C)", "anomaly of {q} °C for 2023"),
           ("2023년(**{q} °C**)", "2023년({q} °C)", "2023년 GISTEMP v4 편차 {q} °C")),
    Quoted("gistemp-2016-in-04", M4, "1.01", f2(lambda: GISTEMP[2016]),
           ('label: "2016: {q} °C"',),
           ('label: "2016년: {q} °C"',)),
    Quoted("gistemp-warmest-run-start", M4, "2015",
           lambda: str(min(eleven_warmest_years())) if eleven_warmest_years() == list(range(2015, 2026)) else "no",
           ("exactly the eleven years from {q} to 2025", "the years {q}–2025"),
           ("정확히 {q}년부터 2025년까지의 열한 해", "모두 {q}–2025년")),
    Quoted("gistemp-tenth-place", M4, "0.85", f2(lambda: sorted(GISTEMP.values(), reverse=True)[9]),
           ("(2018 and 2021 share tenth place at {q} °C)",),
           ("(2018년과 2021년이 {q} °C로 공동",)),
    Quoted("gistemp-2011-2020-values", M4, "0.61, 0.65, 0.68, 0.75, 0.90, 1.01, 0.92, 0.85, 0.98 and 1.01",
           values_2011_2020,
           ("The ten values are {q}",),
           ("열 개의 값 0.61, 0.65, 0.68, 0.75, 0.90, 1.01, 0.92, 0.85, 0.98, 1.01을",)),
    Quoted("gistemp-2011-2020-sum", M4, "8.36", f2(lambda: sum(GISTEMP[y] for y in range(2011, 2021))),
           ("which sum to {q}",),
           ("더하면 {q}이므로",)),
    Quoted("gistemp-2011-2020-mean", M4, "0.84", f2(lambda: gistemp_mean(2011, 2020)),
           ("the mean is **{q} °C**", "mean is {q} °C", "1.09 − {q} = **0.25 °C**"),
           ("평균은 **{q} °C**", "평균은 {q} °C", "1.09 − {q} = **0.25 °C**")),
    Quoted("offset-1951-1980-vs-1850-1900", M4, "0.25", f2(offset_2011_2020),
           ("1.09 − 0.84 = **{q} °C**", "about {q} °C warmer than 1850–1900", "1.28 + {q} = **1.53 °C**",
            "1.09 − 0.84 = {q} °C"),
           ("1.09 − 0.84 = **{q} °C**", "1850–1900년보다 약 {q} °C 따뜻했습니다",
            "1.28 + {q} = 1850–1900년 대비", "1.09 − 0.84 = {q} °C")),
    Quoted("gistemp-2024-rebaselined", M4, "1.53", f2(lambda: GISTEMP[2024] + offset_2011_2020()),
           ("= **{q} °C** above 1850–1900", "1.28 + 0.25 = {q} °C", "estimate for 2024 ({q} °C)"),
           ("약 **{q} °C**입니다", "1.28 + 0.25 = {q} °C", "2024년 추정값({q} °C)")),
    Quoted("gistemp-2024-offset-subtracted", M4, "1.03", f2(lambda: GISTEMP[2024] - offset_2011_2020()),
           ("Subtracting the offset instead ({q} °C)",),
           ("간격을 빼면({q} °C)",)),
    Quoted("gistemp-2001-2020-mean", M4, "0.73", f2(lambda: gistemp_mean(2001, 2020)),
           ("GISTEMP's 2001–2020 mean is {q} °C",),
           ("GISTEMP의 2001–2020년 평균은 {q} °C",)),
    Quoted("offset-2001-2020", M4, "0.26",
           f2(lambda: AR6_WARMING_2001_2020 - round(gistemp_mean(2001, 2020), 2)),
           ("the offset is about {q} °C",),
           ("간격은 약 {q} °C로",)),
    Quoted("gistemp-1880-1900-mean", M4, "−0.22", f2(lambda: gistemp_mean(1880, 1900)),
           ("1880–1900, average **{q} °C**",),
           ("1880–1900년의 평균은 **{q} °C**",)),
    Quoted("gistemp-2024-vs-1880-1900", M4, "1.50",
           f2(lambda: GISTEMP[2024] - round(gistemp_mean(1880, 1900), 2)),
           ("1.28 + 0.22 = **{q} °C**",),
           ("1.28 + 0.22 = **{q} °C**",)),
]


@pytest.mark.parametrize("claim", QUOTED, ids=[c.name for c in QUOTED])
def test_quoted_number_matches_the_dataset(claim: Quoted):
    computed = claim.expected()
    assert computed == claim.quoted, f"{claim.name}: the CSV gives {computed}, the module says {claim.quoted}"


@pytest.mark.parametrize("claim", QUOTED, ids=[c.name for c in QUOTED])
@pytest.mark.parametrize("lang", LANGS)
def test_quoted_number_is_in_the_module(claim: Quoted, lang: str):
    text = module_text(claim.stem, lang)
    contexts = claim.en if lang == "en" else claim.ko
    missing = [c.format(q=claim.quoted) for c in contexts if c.format(q=claim.quoted) not in text]
    assert not missing, f"{claim.stem}.{lang}.md no longer says: {missing}"


# --- quiz answers ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    stem: str
    qid: str
    value: Callable[[], float]
    max_half_width: float  # wide enough for rounding, narrow enough to catch a wrong method


ANSWERS = [
    Answer(M1, "q01-read-2023", lambda: GISTEMP[2023], 0.03),
    Answer(M1, "q01-decade-difference", lambda: gistemp_mean(2010, 2019) - gistemp_mean(1880, 1889), 0.05),
    Answer(M3, "q03-growth-compare", lambda: co2_rate(2014, 2024) / co2_rate(1960, 1970), 0.2),
    Answer(M4, "q04-co2-percent", lambda: co2_rise(1959, 2023) / CO2[1959] * 100, 0.5),
    Answer(M4, "q04-rebaseline",
           lambda: GISTEMP[2024] + (AR6_WARMING_2011_2020 - gistemp_mean(2011, 2020)), 0.05),
]


@pytest.mark.parametrize("answer", ANSWERS, ids=[a.qid for a in ANSWERS])
@pytest.mark.parametrize("lang", LANGS)
def test_numeric_quiz_answer_matches_the_dataset(answer: Answer, lang: str):
    low, high = quiz_number(answer.stem, lang, answer.qid)
    value = answer.value()
    where = f"{answer.qid} ({lang})"
    assert low <= value <= high, f"{where}: the data give {value:.3f}, the quiz accepts {low}..{high}"
    assert (high - low) / 2 <= answer.max_half_width, f"{where}: tolerance {low}..{high} is too wide"
    # The wrong method each explanation warns about must fall outside the accepted range.
    wrong = {
        "q01-decade-difference": gistemp_mean(2010, 2019) - abs(gistemp_mean(1880, 1889)),
        "q04-co2-percent": co2_rise(1959, 2023) / CO2[2023] * 100,
        "q04-rebaseline": GISTEMP[2024] - (AR6_WARMING_2011_2020 - gistemp_mean(2011, 2020)),
    }.get(answer.qid)
    if wrong is not None:
        assert not low <= wrong <= high, f"{answer.qid} ({lang}): the wrong method ({wrong:.3f}) is accepted"


def test_quiz_stems_quote_the_dataset_values():
    """The data a quiz stem gives the student must be the data in the CSV."""
    stems = {
        (M3, "q03-growth-compare"): [fmt(CO2[y], 2) for y in (1960, 1970, 2014, 2024)],
        (M3, "q03-mlo-vs-global"): [fmt(CO2[2024], 2)],
        (M4, "q04-co2-percent"): [fmt(CO2[1959], 2), fmt(CO2[2023], 2)],
        (M4, "q04-rebaseline"): [fmt(GISTEMP[2024], 2), fmt(gistemp_mean(2011, 2020), 2)],
        (M4, "q04-baselines"): [fmt(GISTEMP[2023], 2), fmt(CO2[2023], 2)],
        (M1, "q01-decade-difference"): [fmt(gistemp_mean(1880, 1889), 2), fmt(gistemp_mean(2010, 2019), 2)],
        (M2, "q02-trace-gas"): [fmt(CO2[2023], 2)],
    }
    for (stem, qid), numbers in stems.items():
        for lang in LANGS:
            block = question_block(stem, lang, qid)
            for number in numbers:
                assert number in block, f"{stem}.{lang}.md {qid}: the stem should quote {number}"


@pytest.mark.parametrize("lang", LANGS)
def test_decade_ordering_question_follows_the_data(lang: str):
    block = question_block(M4, lang, "q04-growth-order")
    items = re.findall(r"(?m)^\d+\.\s+(\d{4})–(\d{4})", block)
    assert len(items) == 4, f"q04-growth-order ({lang}): expected four decades, found {items}"
    rates = [co2_rate(int(a), int(b)) for a, b in items]
    assert rates == sorted(rates), f"q04-growth-order ({lang}): {items} is not slowest-to-fastest in the data"
    written = ", ".join(fmt(r, 2) for r in rates)
    explanation = " ".join(block.split())
    if lang == "en":
        written = ", ".join(fmt(r, 2) for r in rates[:-1]) + f" and {fmt(rates[-1], 2)}"
    assert written in explanation, f"q04-growth-order ({lang}): explanation should list the rates {written}"


@pytest.mark.parametrize("lang", LANGS)
def test_warmest_year_answer_is_the_warmest_year_in_the_data(lang: str):
    warmest = max(GISTEMP, key=GISTEMP.get)
    block = question_block(M4, lang, "q04-warmest-year")
    accept = re.search(r"(?m)^accept:\s*(.+)$", block)
    assert accept, f"q04-warmest-year ({lang}): no accept: line"
    answers = [a.strip() for a in accept.group(1).split("|")]
    assert str(warmest) in answers, f"q04-warmest-year ({lang}): accepts {answers}, the data say {warmest}"


def test_eleven_warmest_years_are_the_last_eleven():
    """Module 04 says 2015-2025 are the eleven warmest years, with 2018 and 2021 tied in tenth place."""
    assert eleven_warmest_years() == list(range(2015, 2026))
    assert GISTEMP[2018] == GISTEMP[2021] == sorted(GISTEMP.values(), reverse=True)[9]


# Numeric answers computed from the research brief's figures rather than from a dataset: recompute them too,
# so an edited answer or tolerance cannot drift away from the worked examples in the text.
ARITHMETIC = [
    (M2, "q02-t4-ratio", ((15 + 273.15) / (-18 + 273.15)) ** 4),  # textbook +15 °C vs −18 °C, F ∝ T⁴
    (M2, "q02-quarter-rule", (1.04 ** 0.25 - 1) * 100),  # % rise in T for 4% more emission
    (M3, "q03-ph-factor", 10 ** 0.1),  # pH down 0.1 (NOAA PMEL)
    (M4, "q04-tcre", 2000 / 1000 * 0.45),  # IPCC AR6: 0.45 °C per 1,000 GtCO2
]


@pytest.mark.parametrize("stem,qid,value", ARITHMETIC, ids=[a[1] for a in ARITHMETIC])
@pytest.mark.parametrize("lang", LANGS)
def test_arithmetic_quiz_answer_is_right(stem: str, qid: str, value: float, lang: str):
    low, high = quiz_number(stem, lang, qid)
    assert low <= value <= high, f"{qid} ({lang}): the right answer {value:.4f} is outside {low}..{high}"


# --- chart-reading questions: the keyed statement is true in the data, the distractors are false -----------

def decade_mean(first: int) -> float:
    return gistemp_mean(first, first + 9)


def test_ups_and_downs_question_follows_the_data():
    cooler = [y for y in range(1991, 2026) if GISTEMP[y] < GISTEMP[y - 1]]
    for y in (1999, 2011, 2021, 2025):
        assert y in cooler, f"{y} is not cooler than {y - 1} in the data"
    means = [decade_mean(d) for d in (1990, 2000, 2010)]
    assert means == sorted(means) and gistemp_mean(2020, 2025) > means[-1]
    assert sorted(GISTEMP, key=GISTEMP.get)[-2] == 2025, "2025 is the second warmest year"
    for lang in LANGS:
        block = question_block(M1, lang, "q01-chart-ups-and-downs")
        for mean in means:
            assert fmt(mean, 2) in block
        assert "[1990, 2025]" in block


def test_two_records_question_follows_the_data():
    assert all(CO2[y] > CO2[y - 1] for y in CO2 if y - 1 in CO2), "CO2 rose every year"
    assert GISTEMP[2021] < GISTEMP[2020] and GISTEMP[1992] < GISTEMP[1991]


def test_module_quizzes_do_not_repeat_the_one_year_and_cold_winter_items():
    """The issue found 'one year above 1.5 °C' tested four times and 'one cold winter' three times."""
    import glob

    one_year, cold_winter = [], []
    for path in sorted(glob.glob(str(COURSE / "0[1-8]-*.en.md"))):
        quiz = Path(path).read_text(encoding="utf-8").split("\n<!-- quiz -->\n", 1)[1]
        for block in re.split(r"(?m)^(?=### )", quiz):
            heading = block.split("\n", 1)[0]
            if re.search(r"(?m)^\s*misconception: one-year-above-1-5-breaks-paris", block):
                one_year.append((Path(path).name, heading))
            if "cold winter" in heading:
                cold_winter.append((Path(path).name, heading))
    assert len(one_year) == 1, one_year
    assert len(cold_winter) == 1, cold_winter
