"""Every data-derived number in the Climate System Science course, recomputed from courses/_data/*.csv.

For each number the table below gives the module, the text exactly as written and a function that recomputes it from
the shipped CSV (plus, where a formula needs one, a constant cited in the module, named here). The test checks that
1. the recomputed value, rounded as the module rounds it, is the text written, and
2. that text is written in both the English and the Korean file,
so the test fails when the data, the English text or the Korean text changes. Numeric quiz answers (data exercises)
are checked the same way: the recomputed value must be inside the accepted range in both languages.

Standard library only (csv, math, re).
"""
from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "courses" / "_data"
COURSE = ROOT / "courses" / "climate-system-science"
LANGS = ("en", "ko")

# Constants quoted from sources in the modules (not from a shipped dataset).
MYHRE = 5.35  # W m-2, Myhre et al. (1998): dF = 5.35 ln(C/C0)
WMO_RATIO_2024 = 1.52  # WMO Greenhouse Gas Bulletin No. 21: 2024 CO2 = 152% of pre-industrial
PLANCK = 3.3  # W m-2 per degC, AR6 WGI 7.4.2.1 rough estimate (magnitude)


def _series(name: str, column: str, key: str = "year") -> dict[int, float]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row[key]): float(row[column]) for row in csv.DictReader(handle)}


CO2 = _series("co2_annmean_mlo", "mean")
CH4 = _series("ch4_annmean_gl", "mean_ppb")
GISTEMP = _series("gistemp_global_annual", "anomaly_c")
WORLD = _series("co2_emissions_world", "co2_mt")  # Mt CO2
KOREA = _series("co2_emissions_south_korea", "co2_mt")  # Mt CO2
KOREA_PC = _series("co2_emissions_south_korea", "co2_per_capita_t")  # t CO2 per person
WORLD_PC = _series("co2_emissions_world", "co2_per_capita_t")

# Module 3 constants: Global Carbon Budget (2.124 GtC per ppm), molar-mass ratio used by OWID (3.664),
# AR6 TCRE (0.45 degC per 1000 GtCO2) and the 2025 remaining budget (130 GtCO2 from 2025, 1.5 degC, 50%)
GTC_PER_PPM = 2.124
CO2_PER_C = 3.664
TCRE = 0.45
BUDGET_2025 = 130


def gt_per_ppm() -> float:
    return GTC_PER_PPM * CO2_PER_C


def emitted_gt(series: dict[int, float], first: int, last: int) -> float:
    return sum(series[y] for y in range(first, last + 1)) / 1000


def airborne(first: int, last: int) -> float:
    return (CO2[last] - CO2[first - 1]) * gt_per_ppm() / emitted_gt(WORLD, first, last)

# AR6 values quoted in module 2 (WGI SPM A.4.4, TS.3.2.1, Chapter 7)
F2X_AR6 = 3.93  # W m-2, ERF for 2xCO2
ECS = 3.0
TCR = 1.8
CLOUD_RANGE = (-0.10, 0.94)  # W m-2 degC-1, very likely range of the net cloud feedback


def mean(series: dict[int, float], first: int, last: int) -> float:
    years = range(first, last + 1)
    assert all(y in series for y in years), f"missing years in {first}-{last}"
    return sum(series[y] for y in years) / len(years)


def doublings(first: int, last: int) -> float:
    return math.log(CO2[last] / CO2[first]) / math.log(2)


def alpha_best() -> float:
    return -F2X_AR6 / ECS


def half_cloud_width() -> float:
    return (CLOUD_RANGE[1] - CLOUD_RANGE[0]) / 2


def forcing(first: float, last: float) -> float:
    return MYHRE * math.log(last / first)


def fmt(value: float, decimals: int) -> str:
    """As the modules write numbers: thousands separators, a real minus sign; decimals -1 means a year-like 2020.5."""
    if decimals == -1:
        return f"{value:.1f}"
    text = f"{value:,.{decimals}f}" if abs(value) >= 1000 else f"{value:.{decimals}f}"
    return text.replace("-", "−") if text.startswith("-") else text


M1 = "01-radiative-forcing"
M2 = "02-sensitivity-and-feedbacks"
M3 = "03-carbon-budget"
M5 = "05-models-and-observations"
M6 = "06-decarbonisation-arithmetic"
M4 = "04-paleoclimate"

# Module 4 constants: LGM CO2 as used by AR6's models (190 ppm, AR6 WGI Fig. 7.19), the WMO 2024 global mean (423.9 ppm
# = 152% of pre-industrial), the LGM cooling of Annan et al. (2022) (4.5 +- 0.9 degC), bounds chosen in the text
LGM_CO2, WMO_2024, LGM_COOLING, LGM_UNC, BOUND_YEARS, DEGLACIAL_YEARS = 190, 423.9, 4.5, 0.9, 1000, 5000


def preindustrial() -> float:
    return WMO_2024 / WMO_RATIO_2024


def glacial_doublings() -> float:
    return math.log(preindustrial() / LGM_CO2) / math.log(2)


def deglacial_rate_bound() -> float:
    return (preindustrial() - LGM_CO2) / BOUND_YEARS


def recent_rate() -> float:
    return (CO2[2025] - CO2[2015]) / 10

# Module 6 constants: atomic and molar masses (g/mol), enthalpy of formation of liquid water (NIST, kJ/mol),
# the HyREX demonstration plant (300 kt/yr, Primetals 2022), POSCO's 2017 emissions (71 Mt, Yonhap 2019)
FE, H2, DH_WATER, HYREX_T, POSCO_2017 = 55.845, 2.016, 285.83, 300_000, 71


def population(emissions: dict[int, float], per_capita: dict[int, float], year: int) -> float:
    return emissions[year] / per_capita[year]  # millions


def h2_kg_per_t() -> float:
    return 1e6 / FE * 1.5 * H2 / 1000


def kwh_per_kg_h2() -> float:
    return DH_WATER / H2 / 3.6


def target_rate() -> float:
    return 1 - (0.6 * KOREA[2018] / KOREA[2023]) ** (1 / 7)

# Module 5 constants: seawater density and specific heat (TEOS-10 manual, rounded as quoted), seconds per year
RHO_SEAWATER, CP_SEAWATER, MIXED_LAYER_M, SECONDS_PER_YEAR = 1025, 3990, 100, 3.156e7


def ols(first: int, last: int) -> dict[str, float]:
    """Ordinary least squares of GISTEMP on year, with the lag-1 autocorrelation correction (Santer et al. 2000)."""
    xs = list(range(first, last + 1))
    ys = [GISTEMP[x] for x in xs]
    n = len(xs)
    xm, ym = sum(xs) / n, sum(ys) / n
    sxx = sum((x - xm) ** 2 for x in xs)
    sxy = sum((x - xm) * (y - ym) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    residuals = [y - (ym + slope * (x - xm)) for x, y in zip(xs, ys, strict=True)]
    s = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    se = s / math.sqrt(sxx)
    r1 = sum(residuals[i] * residuals[i - 1] for i in range(1, n)) / sum(r * r for r in residuals)
    n_eff = n * (1 - r1) / (1 + r1)
    return {"xm": xm, "ym": ym, "sxx": sxx, "sxy": sxy, "slope": slope, "s": s, "se": se, "r1": r1,
            "n_eff": n_eff, "se_adj": se * math.sqrt((n - 2) / (n_eff - 2))}


def heat_capacity() -> float:
    return RHO_SEAWATER * CP_SEAWATER * MIXED_LAYER_M

# (module, text as written, recomputation, decimals)
QUOTED: list[tuple[str, str, Callable[[], float], int]] = [
    (M1, "3.71", lambda: MYHRE * math.log(2), 2),
    (M1, "5.1", lambda: 4 * math.pi * 6.371e6**2 / 1e14, 1),  # Earth's surface area in 10^14 m2 from R = 6,371 km
    (M1, "315.98", lambda: CO2[1959], 2),
    (M1, "427.35", lambda: CO2[2025], 2),
    (M1, "424.61", lambda: CO2[2024], 2),
    (M1, "324.62", lambda: CO2[1969], 2),
    (M1, "401.01", lambda: CO2[2015], 2),
    (M1, "0.0169", lambda: MYHRE / CO2[1959], 4),
    (M1, "0.0125", lambda: MYHRE / CO2[2025], 4),
    (M1, "2.74", lambda: CO2[2025] - CO2[2024], 2),
    (M1, "0.0344", lambda: forcing(CO2[2024], CO2[2025]), 4),
    (M1, "0.0345", lambda: MYHRE * (CO2[2025] - CO2[2024]) / CO2[2024], 4),
    (M1, "1.3438", lambda: CO2[2024] / CO2[1959], 4),
    (M1, "0.2955", lambda: math.log(CO2[2024] / CO2[1959]), 4),
    (M1, "1.58", lambda: forcing(CO2[1959], CO2[2024]), 2),
    (M1, "108.63", lambda: CO2[2024] - CO2[1959], 2),
    (M1, "1.84", lambda: MYHRE * (CO2[2024] - CO2[1959]) / CO2[1959], 2),
    (M1, "8.64", lambda: CO2[1969] - CO2[1959], 2),
    (M1, "26.34", lambda: CO2[2025] - CO2[2015], 2),
    (M1, "0.14", lambda: forcing(CO2[1959], CO2[1969]), 2),
    (M1, "0.34", lambda: forcing(CO2[2015], CO2[2025]), 2),
    (M1, "2.24", lambda: MYHRE * math.log(WMO_RATIO_2024), 2),
    (M1, "88", lambda: CO2[2025] * math.exp(1 / MYHRE) - CO2[2025], 0),
    (M1, "1.3525", lambda: CO2[2025] / CO2[1959], 4),
    (M1, "0.3019", lambda: math.log(CO2[2025] / CO2[1959]), 4),
    (M1, "111.37", lambda: CO2[2025] - CO2[1959], 2),
    (M1, "1.89", lambda: MYHRE * (CO2[2025] - CO2[1959]) / CO2[1959], 2),
    (M1, "1,644.84", lambda: CH4[1984], 2),
    (M1, "1,929.63", lambda: CH4[2024], 2),
    (M1, "17", lambda: 100 * (CH4[2024] / CH4[1984] - 1), 0),
    (M1, "1.1", lambda: MYHRE * math.log(2) / PLANCK, 1),
    (M2, "2.007", lambda: 1.01**70, 3),
    (M2, "69.7", lambda: math.log(2) / math.log(1.01), 1),
    (M2, "1.04", lambda: CLOUD_RANGE[1] - CLOUD_RANGE[0], 2),
    (M2, "1.19", lambda: F2X_AR6 / PLANCK, 2),
    (M2, "−1.31", alpha_best, 2),
    (M2, "2.52", lambda: ECS / (F2X_AR6 / PLANCK), 2),
    (M2, "0.52", half_cloud_width, 2),
    (M2, "−0.79", lambda: alpha_best() + half_cloud_width(), 2),
    (M2, "4.97", lambda: -F2X_AR6 / (alpha_best() + half_cloud_width()), 2),
    (M2, "−1.83", lambda: alpha_best() - half_cloud_width(), 2),
    (M2, "2.15", lambda: -F2X_AR6 / (alpha_best() - half_cloud_width()), 2),
    (M2, "1.97", lambda: -F2X_AR6 / (alpha_best() + half_cloud_width()) - ECS, 2),
    (M2, "0.85", lambda: ECS + F2X_AR6 / (alpha_best() - half_cloud_width()), 2),
    (M2, "315.98", lambda: CO2[1959], 2),
    (M2, "427.35", lambda: CO2[2025], 2),
    (M2, "0.436", lambda: doublings(1959, 2025), 3),
    (M2, "0.78", lambda: TCR * doublings(1959, 2025), 2),
    (M2, "1.31", lambda: ECS * doublings(1959, 2025), 2),
    (M2, "−0.03", lambda: mean(GISTEMP, 1955, 1964), 2),
    (M2, "1.015", lambda: mean(GISTEMP, 2016, 2025), 3),
    (M2, "1.04", lambda: mean(GISTEMP, 2016, 2025) - mean(GISTEMP, 1955, 1964), 2),
    (M2, "0.3019", lambda: math.log(CO2[2025] / CO2[1959]), 4),
    (M2, "−0.028", lambda: mean(GISTEMP, 1955, 1964), 3),
    (M3, "7.78", gt_per_ppm, 2),
    (M3, "421.08", lambda: CO2[2023], 2),
    (M3, "396.74", lambda: CO2[2013], 2),
    (M3, "24.34", lambda: CO2[2023] - CO2[2013], 2),
    (M3, "189.4", lambda: (CO2[2023] - CO2[2013]) * gt_per_ppm(), 1),
    (M3, "363.3", lambda: emitted_gt(WORLD, 2014, 2023), 1),
    (M3, "0.52", lambda: airborne(2014, 2023), 2),
    (M3, "0.60", lambda: airborne(1960, 1969), 2),
    (M3, "0.54", lambda: airborne(1960, 2023), 2),
    (M3, "0.42", lambda: (CO2[2018] - CO2[2017]) * gt_per_ppm() / (WORLD[2018] / 1000), 2),
    (M3, "0.75", lambda: (CO2[2016] - CO2[2015]) * gt_per_ppm() / (WORLD[2016] / 1000), 2),
    (M3, "173.9", lambda: emitted_gt(WORLD, 2014, 2023) - (CO2[2023] - CO2[2013]) * gt_per_ppm(), 1),
    (M3, "17.4", lambda: (emitted_gt(WORLD, 2014, 2023) - (CO2[2023] - CO2[2013]) * gt_per_ppm()) / 10, 1),
    (M3, "2.55", lambda: CO2[2023] - CO2[2022], 2),
    (M3, "19.8", lambda: (CO2[2023] - CO2[2022]) * gt_per_ppm(), 1),
    (M3, "37.8", lambda: WORLD[2023] / 1000, 1),
    (M3, "37,791.57", lambda: WORLD[2023], 2),
    (M3, "0.45", lambda: 1.65 / CO2_PER_C, 2),
    (M3, "1,522", lambda: emitted_gt(WORLD, 1959, 2023), 0),
    (M3, "0.69", lambda: TCRE * emitted_gt(WORLD, 1959, 2023) / 1000, 2),
    (M3, "147", lambda: emitted_gt(WORLD, 2020, 2023), 0),
    (M3, "3.4", lambda: BUDGET_2025 / (WORLD[2023] / 1000), 1),
    (M3, "6.9", lambda: 2 * BUDGET_2025 / (WORLD[2023] / 1000), 1),
    (M3, "577.4", lambda: KOREA[2023], 1),
    (M5, "4.09", lambda: heat_capacity() / 1e8, 2),
    (M5, "3.12", lambda: heat_capacity() / 1.31 / 1e8, 2),
    (M5, "9.9", lambda: heat_capacity() / 1.31 / SECONDS_PER_YEAR, 1),
    (M5, "2020.5", lambda: ols(2016, 2025)["xm"], -1),
    (M5, "1.015", lambda: ols(2016, 2025)["ym"], 3),
    (M5, "10.15", lambda: sum(GISTEMP[y] for y in range(2016, 2026)), 2),
    (M5, "82.5", lambda: ols(2016, 2025)["sxx"], 1),
    (M5, "2.655", lambda: ols(2016, 2025)["sxy"], 3),
    (M5, "0.0322", lambda: ols(2016, 2025)["slope"], 4),
    (M5, "0.32", lambda: 10 * ols(2016, 2025)["slope"], 2),
    (M5, "0.122", lambda: ols(2016, 2025)["s"], 3),
    (M5, "0.0135", lambda: ols(2016, 2025)["se"], 4),
    (M5, "0.13", lambda: 10 * ols(2016, 2025)["se"], 2),
    (M5, "0.27", lambda: 20 * ols(2016, 2025)["se"], 2),
    (M5, "0.207", lambda: 10 * ols(1975, 2025)["slope"], 3),
    (M5, "0.010", lambda: 10 * ols(1975, 2025)["se"], 3),
    (M5, "0.31", lambda: ols(1975, 2025)["r1"], 2),
    (M5, "26.7", lambda: ols(1975, 2025)["n_eff"], 1),
    (M5, "26.65", lambda: ols(1975, 2025)["n_eff"], 2),
    (M5, "0.014", lambda: 10 * ols(1975, 2025)["se_adj"], 3),
    (M5, "0.03", lambda: 20 * ols(1975, 2025)["se_adj"], 2),
    (M5, "0.14", lambda: 10 * ols(1998, 2012)["slope"], 2),
    (M5, "0.05", lambda: 10 * ols(1998, 2012)["se"], 2),
    (M5, "2,247.5", lambda: ols(1996, 2025)["sxx"], 1),
    (M5, "56.435", lambda: ols(1996, 2025)["sxy"], 3),
    (M5, "0.0251", lambda: ols(1996, 2025)["slope"], 4),
    (M5, "0.61", lambda: GISTEMP[1998], 2),
    (M5, "0.47", lambda: GISTEMP[1997], 2),
    (M5, "0.38", lambda: GISTEMP[1999], 2),
    (M5, "0.90", lambda: GISTEMP[2015], 2),
    (M5, "0.92", lambda: GISTEMP[2017], 2),
    (M5, "0.41", lambda: GISTEMP[1991], 2),
    (M5, "0.22", lambda: GISTEMP[1992], 2),
    (M6, "250.511", lambda: KOREA[1990], 3),
    (M6, "5.683", lambda: KOREA_PC[1990], 3),
    (M6, "577.417", lambda: KOREA[2023], 3),
    (M6, "11.158", lambda: KOREA_PC[2023], 3),
    (M6, "22,728.988", lambda: WORLD[1990], 3),
    (M6, "4.266", lambda: WORLD_PC[1990], 3),
    (M6, "37,791.57", lambda: WORLD[2023], 2),
    (M6, "4.67", lambda: WORLD_PC[2023], 2),
    (M6, "44.08", lambda: population(KOREA, KOREA_PC, 1990), 2),
    (M6, "51.75", lambda: population(KOREA, KOREA_PC, 2023), 2),
    (M6, "5,328", lambda: population(WORLD, WORLD_PC, 1990), 0),
    (M6, "8,092", lambda: population(WORLD, WORLD_PC, 2023), 0),
    (M6, "2.30", lambda: KOREA[2023] / KOREA[1990], 2),
    (M6, "1.17", lambda: population(KOREA, KOREA_PC, 2023) / population(KOREA, KOREA_PC, 1990), 2),
    (M6, "1.96", lambda: KOREA_PC[2023] / KOREA_PC[1990], 2),
    (M6, "1.66", lambda: WORLD[2023] / WORLD[1990], 2),
    (M6, "1.52", lambda: population(WORLD, WORLD_PC, 2023) / population(WORLD, WORLD_PC, 1990), 2),
    (M6, "1.09", lambda: WORLD_PC[2023] / WORLD_PC[1990], 2),
    (M6, "0.835", lambda: math.log(KOREA[2023] / KOREA[1990]), 3),
    (M6, "0.160", lambda: math.log(population(KOREA, KOREA_PC, 2023) / population(KOREA, KOREA_PC, 1990)), 3),
    (M6, "19", lambda: 100 * math.log(population(KOREA, KOREA_PC, 2023) / population(KOREA, KOREA_PC, 1990))
        / math.log(KOREA[2023] / KOREA[1990]), 0),
    (M6, "82", lambda: 100 * math.log(population(WORLD, WORLD_PC, 2023) / population(WORLD, WORLD_PC, 1990))
        / math.log(WORLD[2023] / WORLD[1990]), 0),
    (M6, "0.508", lambda: math.log(WORLD[2023] / WORLD[1990]), 3),
    (M6, "0.418", lambda: math.log(population(WORLD, WORLD_PC, 2023) / population(WORLD, WORLD_PC, 1990)), 3),
    (M6, "2.39", lambda: KOREA_PC[2023] / WORLD_PC[2023], 2),
    (M6, "670.169", lambda: KOREA[2018], 3),
    (M6, "13.8", lambda: 100 * (1 - KOREA[2023] / KOREA[2018]), 1),
    (M6, "402.1", lambda: 0.6 * KOREA[2018], 1),
    (M6, "0.696", lambda: 0.6 * KOREA[2018] / KOREA[2023], 3),
    (M6, "5.0", lambda: 100 * target_rate(), 1),
    (M6, "30.4", lambda: 100 * (1 - 0.6 * KOREA[2018] / KOREA[2023]), 1),
    (M6, "4.3", lambda: 100 * (1 - 0.6 * KOREA[2018] / KOREA[2023]) / 7, 1),
    (M6, "0.971", lambda: (KOREA[2023] / KOREA[2018]) ** (1 / 5), 3),
    (M6, "2.9", lambda: 100 * (1 - (KOREA[2023] / KOREA[2018]) ** (1 / 5)), 1),
    (M6, "21.4", lambda: KOREA[2023] / (2050 - 2023), 1),
    (M6, "13.5", lambda: math.log(2) / -math.log(0.95), 1),
    (M6, "23", lambda: math.log(2) / -math.log((KOREA[2023] / KOREA[2018]) ** (1 / 5)), 0),
    (M6, "1.6", lambda: 100 * ((WORLD[2023] / WORLD[1990]) ** (1 / 33) - 1), 1),
    (M6, "45", lambda: math.log(2) / math.log((WORLD[2023] / WORLD[1990]) ** (1 / 33)), 0),
    (M6, "29", lambda: 0.05 * KOREA[2023], 0),
    (M6, "17,907", lambda: 1e6 / FE, 0),
    (M6, "26,860", lambda: 1.5e6 / FE, 0),
    (M6, "54.1", h2_kg_per_t, 1),
    (M6, "141.8", lambda: DH_WATER / H2, 1),
    (M6, "39.4", kwh_per_kg_h2, 1),
    (M6, "2.13", lambda: h2_kg_per_t() * kwh_per_kg_h2() / 1000, 2),
    (M6, "16,200", lambda: round(HYREX_T * h2_kg_per_t() / 1000, -2), 0),
    (M6, "0.64", lambda: HYREX_T * h2_kg_per_t() * kwh_per_kg_h2() / 1e9, 2),
    (M6, "54,100", lambda: round(1e6 * h2_kg_per_t() / 1000, -2), 0),
    (M6, "654.537", lambda: KOREA[2017], 3),
    (M6, "11", lambda: 100 * POSCO_2017 / KOREA[2017], 0),
    (M4, "278.9", preindustrial, 1),
    (M4, "0.554", glacial_doublings, 3),
    (M4, "−2.05", lambda: forcing(preindustrial(), LGM_CO2), 2),
    (M4, "1.66", lambda: ECS * glacial_doublings(), 2),
    (M4, "401.01", lambda: CO2[2015], 2),
    (M4, "427.35", lambda: CO2[2025], 2),
    (M4, "26.34", lambda: CO2[2025] - CO2[2015], 2),
    (M4, "2.63", recent_rate, 2),
    (M4, "89", lambda: preindustrial() - LGM_CO2, 0),
    (M4, "0.089", deglacial_rate_bound, 3),
    (M4, "30", lambda: recent_rate() / deglacial_rate_bound(), 0),
    (M4, "0.009", lambda: 10 * LGM_COOLING / DEGLACIAL_YEARS, 3),
    (M4, "0.207", lambda: 10 * ols(1975, 2025)["slope"], 3),
    (M4, "23", lambda: 10 * ols(1975, 2025)["slope"] / (10 * LGM_COOLING / DEGLACIAL_YEARS), 0),
    (M4, "1,644.84", lambda: CH4[1984], 2),
    (M4, "1,929.63", lambda: CH4[2024], 2),
    (M4, "3.6", lambda: LGM_COOLING - LGM_UNC, 1),
    (M4, "5.4", lambda: LGM_COOLING + LGM_UNC, 1),
]

# (module, question id, recomputation): the value must lie in the accepted range in both languages
ANSWERS: list[tuple[str, str, Callable[[], float]]] = [
    (M1, "q01-doubling", lambda: MYHRE * math.log(2)),
    (M1, "q01-data-forcing", lambda: forcing(CO2[1959], CO2[2025])),
    (M2, "q02-planck-only", lambda: F2X_AR6 / PLANCK),
    (M2, "q02-data-doublings", lambda: doublings(1959, 2025)),
    (M2, "q02-data-warming", lambda: mean(GISTEMP, 2016, 2025) - mean(GISTEMP, 1955, 1964)),
    (M3, "q03-ppm-to-gt", gt_per_ppm),
    (M3, "q03-data-airborne", lambda: airborne(2014, 2023)),
    (M3, "q03-triangle", lambda: 2 * BUDGET_2025 / (WORLD[2023] / 1000)),
    (M5, "q05-tau-number", lambda: heat_capacity() / 1.31 / SECONDS_PER_YEAR),
    (M5, "q05-data-trend", lambda: 10 * ols(1996, 2025)["slope"]),
    (M5, "q05-neff", lambda: ols(1975, 2025)["n_eff"]),
    (M6, "q06-data-population", lambda: population(KOREA, KOREA_PC, 2023)),
    (M6, "q06-data-share", lambda: math.log(population(KOREA, KOREA_PC, 2023) / population(KOREA, KOREA_PC, 1990))
        / math.log(KOREA[2023] / KOREA[1990])),
    (M6, "q06-rate", lambda: 100 * target_rate()),
    (M6, "q06-h2-mass", h2_kg_per_t),
    (M4, "q04-co2-share", lambda: ECS * glacial_doublings()),
    (M4, "q04-data-rate", recent_rate),
    (M4, "q04-lgm-range", lambda: LGM_COOLING - LGM_UNC),
    ("00-diagnostic", "diag-m1-doubling", lambda: MYHRE * math.log(4)),
    ("00-diagnostic", "diag-m3-units", lambda: 44.01 / 12.011),
]


def file_text(stem: str, lang: str) -> str:
    path = COURSE / f"{stem}.{lang}.md"
    if not path.is_file():
        pytest.skip(f"{path.name} not written yet")
    return " ".join(path.read_text(encoding="utf-8").split())


QUOTED_IDS = [f"{q[0][:2]}:{q[1]}:{i}" for i, q in enumerate(QUOTED)]


@pytest.mark.parametrize("stem,quoted,compute,decimals", QUOTED, ids=QUOTED_IDS)
def test_quoted_number_is_recomputed_from_the_data(stem, quoted, compute, decimals):
    assert fmt(compute(), decimals) == quoted, f"{stem}: recomputed {compute()!r}, module says {quoted}"
    for lang in LANGS:
        text = file_text(stem, lang)
        assert re.search(rf"(?<![\d.,]){re.escape(quoted)}(?![\d]|\.\d)", text), f"{stem}.{lang}.md lacks {quoted}"


def accepted_range(stem: str, lang: str, qid: str) -> tuple[float, float]:
    """The accepted range of a numeric question, read by the quiz parser (tests/curriculum/quizfiles.py)."""
    if not (COURSE / f"{stem}.{lang}.md").is_file():
        pytest.skip("not written yet")
    from quizfiles import accepted_range as parsed_range

    return parsed_range(COURSE / f"{stem}.{lang}.md", qid)


@pytest.mark.parametrize("stem,qid,compute", ANSWERS, ids=[a[1] for a in ANSWERS])
def test_numeric_answer_contains_the_recomputed_value(stem, qid, compute):
    value = compute()
    ranges = [accepted_range(stem, lang, qid) for lang in LANGS]
    assert ranges[0] == ranges[1], f"{qid}: accepted ranges differ between en and ko"
    low, high = ranges[0]
    assert low <= value <= high, f"{qid}: recomputed {value:.4f} is outside [{low}, {high}]"
    if not qid.startswith("diag-"):  # the diagnostic asks for approximate values on purpose
        assert high - low <= max(0.1 * abs(value), 0.02) + 1e-9, f"{qid}: tolerance too wide for a computed answer"
