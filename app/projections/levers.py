"""The scenario explorer's levers, their coarse grid and the CO₂ path they describe. Pure Python, no numpy.

A student chooses when global CO₂ emissions peak, how fast they grow until then, how fast they fall afterwards,
the level they settle at and what methane does. Every lever snaps to a coarse grid, so the FaIR results for the
whole grid can be computed once (``flask scenarios compute``) and a web request only looks one up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FIRST_FUTURE_YEAR = 2025  # the constructed path starts here; up to 2024 emissions follow history and SSP2-4.5
LAST_YEAR = 2100

PEAK_YEARS = (2025, 2030, 2035, 2040, 2050, 2060, 2070, 2080)
GROWTH_RATES = (0, 1, 2)  # % per year until the peak
DECLINE_RATES = (1, 2, 3, 5, 8)  # % of the peak's emissions removed each year after it (straight-line fall)
SETTLE_LEVELS = (-10, -5, 0, 5, 10)  # GtCO₂ per year, where emissions stay once they get there
METHANE_CHOICES = ("follow", "cut", "high")  # like the CO₂ path; fast cuts (SSP1-1.9); rising (SSP3-7.0)

GRID: dict[str, tuple] = {
    "peak": PEAK_YEARS,
    "growth": GROWTH_RATES,
    "decline": DECLINE_RATES,
    "settle": SETTLE_LEVELS,
    "methane": METHANE_CHOICES,
}
LEVER_NAMES = tuple(GRID)
MAX_LEVER_LENGTH = 12  # longer values are refused before any parsing


@dataclass(frozen=True, order=True)
class Levers:
    """One point of the lever grid."""

    peak: int = 2040
    growth: int = 1
    decline: int = 2
    settle: int = 0
    methane: str = "follow"

    @property
    def key(self) -> str:
        """The cache key: the same levers always give the same key (``p2040-g1-d2-s0-mfollow``)."""
        return f"p{self.peak}-g{self.growth}-d{self.decline}-s{self.settle}-m{self.methane}"

    def as_query(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in LEVER_NAMES}

    def replace(self, **changes: object) -> Levers:
        values = {name: getattr(self, name) for name in LEVER_NAMES}
        values.update(changes)
        return Levers(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LeverProblem:
    """A lever value that could not be used: which lever, what was sent, and why (English, for logs and lint)."""

    lever: str
    value: str
    reason: str  # "number", "choice", "length"


def all_levers() -> list[Levers]:
    """Every point of the grid, in a stable order."""
    return [
        Levers(peak, growth, decline, settle, methane)
        for peak in PEAK_YEARS
        for growth in GROWTH_RATES
        for decline in DECLINE_RATES
        for settle in SETTLE_LEVELS
        for methane in METHANE_CHOICES
    ]


def snap(name: str, value: float) -> int:
    """The grid value nearest to ``value`` (the lower one on a tie)."""
    return min(GRID[name], key=lambda option: (abs(option - value), option))


def parse_levers(query: Mapping[str, str], defaults: Levers) -> tuple[Levers, list[LeverProblem]]:
    """Levers from form values: missing ones take ``defaults``, numbers snap to the grid, bad ones are reported.

    A bad value keeps its default, so the page can still show a result next to the message.
    """
    values: dict[str, object] = {}
    problems: list[LeverProblem] = []
    for name in LEVER_NAMES:
        raw = query.get(name)
        if raw is None or raw.strip() == "":
            continue
        raw = raw.strip()
        if len(raw) > MAX_LEVER_LENGTH:
            problems.append(LeverProblem(name, raw[:MAX_LEVER_LENGTH] + "…", "length"))
            continue
        if name == "methane":
            if raw in METHANE_CHOICES:
                values[name] = raw
            else:
                problems.append(LeverProblem(name, raw, "choice"))
            continue
        try:
            number = float(raw.replace("−", "-"))
        except ValueError:
            problems.append(LeverProblem(name, raw, "number"))
            continue
        if number != number or number in (float("inf"), float("-inf")):  # NaN and infinities
            problems.append(LeverProblem(name, raw, "number"))
            continue
        values[name] = snap(name, number)
    return defaults.replace(**values), problems


def peak_emissions(levers: Levers, start: float) -> float:
    """Emissions in the peak year (GtCO₂/yr), growing from ``start`` (the 2024 value) at the growth rate."""
    return start * (1 + levers.growth / 100) ** max(0, levers.peak - (FIRST_FUTURE_YEAR - 1))


def co2_path(levers: Levers, start: float) -> list[tuple[int, float]]:
    """Net global CO₂ emissions (fossil, industry and land use, GtCO₂/yr) for 2025–2100.

    Growth at ``growth`` % a year from ``start`` (2024) until the peak year, then a straight-line fall of
    ``decline`` % of the peak value each year until the settle level, then flat. A settle level above the
    peak keeps emissions at the peak.
    """
    peak_value = peak_emissions(levers, start)
    settle = min(float(levers.settle), peak_value)
    path = []
    for year in range(FIRST_FUTURE_YEAR, LAST_YEAR + 1):
        if year <= levers.peak:
            value = start * (1 + levers.growth / 100) ** (year - (FIRST_FUTURE_YEAR - 1))
        else:
            value = max(settle, peak_value * (1 - levers.decline / 100 * (year - levers.peak)))
        path.append((year, value))
    return path


def net_zero_year(levers: Levers, start: float) -> int | None:
    """The first year net CO₂ emissions reach zero or below, or None if they never do by 2100."""
    return next((year for year, value in co2_path(levers, start) if value <= 0), None)


@dataclass(frozen=True)
class Ar6Check:
    """Levers close to an SSP's net CO₂ path, and AR6's assessed 2081–2100 warming for that SSP."""

    ssp: str
    levers: Levers
    best: float
    very_likely: tuple[float, float]


# IPCC AR6 WGI SPM Table SPM.1: 2081–2100 warming relative to 1850–1900, best estimate and very likely range.
AR6_CHECKS = (
    Ar6Check("SSP1-1.9", Levers(peak=2025, growth=0, decline=5, settle=-10, methane="follow"), 1.4, (1.0, 1.8)),
    Ar6Check("SSP1-2.6", Levers(peak=2025, growth=0, decline=2, settle=-5, methane="follow"), 1.8, (1.3, 2.4)),
    Ar6Check("SSP2-4.5", Levers(peak=2040, growth=0, decline=1, settle=5, methane="follow"), 2.7, (2.1, 3.5)),
    Ar6Check("SSP5-8.5", Levers(peak=2080, growth=2, decline=1, settle=10, methane="follow"), 4.4, (3.3, 5.7)),
)
