"""Run FaIR 2.x for lever scenarios and SSPs. Imports numpy, pandas and fair: never import this in a web worker.

Only ``flask scenarios compute`` (and tests, bench) import this module; the web pages read stored results.

The model set-up follows FaIR's "calibrated, constrained ensemble" example (docs.fairmodel.net, FaIR v2.2):
``ch4_method="Thornhill2021"``, species properties and parameters from fair-calibrate v1.4.1 (Smith et al. 2024,
doi:10.5194/egusphere-2024-708), solar and volcanic forcing from the same example data. Instead of the 841
members we run three of them, chosen offline as the members nearest to the ensemble's 5th, 50th and 95th
percentiles of 2081–2100 warming in SSP1-1.9, SSP1-2.6, SSP2-4.5 and SSP5-8.5 together (data/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from fair import FAIR
from fair.interface import fill, initialise
from fair.io import read_properties

from app.projections.levers import FIRST_FUTURE_YEAR, Levers, co2_path

DATA = Path(__file__).parent / "data"
SPECIES_FILE = DATA / "species_configs_properties_calibration1.4.1.csv"
MEMBERS_FILE = DATA / "fair_members_calibration1.4.1.csv"
FORCING_FILE = DATA / "volcanic_solar.csv"
EMISSIONS_NAME = "rcmip_ssp_emissions_world"  # courses/_data/<name>.csv

FIRST_YEAR, LAST_YEAR = 1750, 2100
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
SSPS = ("ssp119", "ssp126", "ssp245", "ssp370", "ssp585")
BASE_SSP = "ssp245"  # 2015–2024, between the end of the historical record and the levers
METHANE_SSP = {"cut": "ssp119", "high": "ssp370"}
BATCH = 150  # scenarios per FaIR run: about 100 MB per array with three members
OUTPUT_FIRST_YEAR = 1850

_RCMIP_NAMES = {
    "CO2 FFI": "CO2|MAGICC Fossil and Industrial",
    "CO2 AFOLU": "CO2|MAGICC AFOLU",
    "NOx aviation": "NOx|MAGICC Fossil and Industrial|Aircraft",
}
_TO_FAIR_UNITS = {"Mt CO2/yr": 1e-3, "kt N2O/yr": 1e-3}  # FaIR wants Gt CO2/yr and Mt N2O/yr


@dataclass(frozen=True)
class ScenarioResult:
    """Yearly values from 1850 to 2100; warming is relative to 1850–1900 (°C)."""

    co2_emissions: list[float]  # net CO₂, GtCO₂/yr
    co2_ppm: list[float]  # central member
    warming: list[float]  # central member
    warming_low: list[float]  # lowest of the three members each year
    warming_high: list[float]  # highest

    def to_dict(self) -> dict[str, object]:
        def rounded(values: list[float], digits: int) -> list[float]:
            return [round(float(v), digits) for v in values]

        return {
            "first_year": OUTPUT_FIRST_YEAR,
            "co2_emissions": rounded(self.co2_emissions, 2),
            "co2_ppm": rounded(self.co2_ppm, 1),
            "warming": rounded(self.warming, 3),
            "warming_low": rounded(self.warming_low, 3),
            "warming_high": rounded(self.warming_high, 3),
        }


class EmissionsTable:
    """The RCMIP file as arrays: species -> scenario -> yearly values 1750–2100 in FaIR's units."""

    def __init__(self, csv_path: Path, species: Sequence[str], modes: dict[str, str]):
        frame = pd.read_csv(csv_path)
        year_columns = [str(year) for year in YEARS]
        self.values: dict[str, dict[str, np.ndarray]] = {}
        for specie in species:
            if modes[specie] != "emissions":
                continue
            name = _RCMIP_NAMES.get(specie, specie.replace("-", ""))
            rows = frame[(frame["variable"] == name) | frame["variable"].str.endswith("|" + name)]
            by_scenario = {}
            for scenario in SSPS:
                row = rows[rows["scenario"] == scenario]
                if len(row) != 1:
                    raise ValueError(f"{csv_path.name}: no single row for {scenario} {name}")
                # SSP values are given every 5 or 10 years after 2015: straight lines between them, as FaIR does
                series = row[year_columns].astype(float).interpolate(axis=1).to_numpy()[0]
                by_scenario[scenario] = series * _TO_FAIR_UNITS.get(row["unit"].iloc[0], 1.0)
            self.values[specie] = by_scenario

    def total_co2(self, scenario: str) -> np.ndarray:
        return self.values["CO2 FFI"][scenario] + self.values["CO2 AFOLU"][scenario]

    def lever_emissions(self, levers: Sequence[Levers]) -> dict[str, np.ndarray]:
        """Every species for each lever scenario: arrays of (year, scenario).

        Net CO₂ follows the levers from 2025. The other species are "infilled" from CO₂ year by year, the way
        AR6 completed scenarios that only gave CO₂ (Lamboll et al. 2020, silicone): each year, linear
        interpolation between the SSPs by their net CO₂ in that year, held at the end SSPs outside their span.
        Land-use CO₂ is infilled the same way and fossil CO₂ is the rest. Methane may instead follow SSP1-1.9
        ("cut") or SSP3-7.0 ("high").
        """
        future = np.flatnonzero(YEARS >= FIRST_FUTURE_YEAR)
        base_total = self.total_co2(BASE_SSP)
        start = float(base_total[YEARS == FIRST_FUTURE_YEAR - 1][0])
        total = np.repeat(base_total[:, None], len(levers), axis=1)
        for column, lever in enumerate(levers):
            total[future, column] = [value for _, value in co2_path(lever, start)]
        ssp_totals = np.array([self.total_co2(s) for s in SSPS])  # (ssp, year)
        order = np.argsort(ssp_totals, axis=0)
        out: dict[str, np.ndarray] = {}
        for specie, by_scenario in self.values.items():
            if specie == "CO2 FFI":
                continue
            series = np.repeat(by_scenario[BASE_SSP][:, None], len(levers), axis=1)
            stacked = np.array([by_scenario[s] for s in SSPS])
            for index in future:
                ranks = order[:, index]
                series[index] = np.interp(total[index], ssp_totals[ranks, index], stacked[ranks, index])
            if specie == "CH4":
                for column, lever in enumerate(levers):
                    if lever.methane in METHANE_SSP:
                        series[future, column] = by_scenario[METHANE_SSP[lever.methane]][future]
            out[specie] = series
        out["CO2 FFI"] = total - out["CO2 AFOLU"]
        return out

    def ssp_emissions(self, scenarios: Sequence[str]) -> dict[str, np.ndarray]:
        """The SSPs as published, as arrays of (year, scenario)."""
        return {specie: np.array([by_scenario[s] for s in scenarios]).T for specie, by_scenario in self.values.items()}


class Model:
    """FaIR with the three documented members; one instance per process, set up once."""

    def __init__(self, emissions_csv: Path):
        self.species, self.properties = read_properties(filename=str(SPECIES_FILE))
        modes = {specie: self.properties[specie]["input_mode"] for specie in self.species}
        self.emissions = EmissionsTable(emissions_csv, self.species, modes)
        self.members = pd.read_csv(MEMBERS_FILE, index_col=0)
        forcing = pd.read_csv(FORCING_FILE)
        bound_columns = [str(year) for year in range(FIRST_YEAR, LAST_YEAR + 2)]
        self.offline_forcing = {
            name: forcing.loc[forcing["Variable"] == name, bound_columns].astype(float).to_numpy()[0]
            for name in ("Volcanic", "Solar")
        }

    def run_levers(self, levers: Sequence[Levers]) -> dict[str, ScenarioResult]:
        """Results keyed by ``Levers.key``, computed in batches."""
        results: dict[str, ScenarioResult] = {}
        for first in range(0, len(levers), BATCH):
            batch = list(levers[first : first + BATCH])
            results.update(self._run([lever.key for lever in batch], self.emissions.lever_emissions(batch)))
        return results

    def run_ssps(self, scenarios: Sequence[str] = SSPS) -> dict[str, ScenarioResult]:
        """The SSPs as published in RCMIP (for validation against AR6)."""
        return self._run(list(scenarios), self.emissions.ssp_emissions(scenarios))

    def _run(self, names: list[str], emissions: dict[str, np.ndarray]) -> dict[str, ScenarioResult]:
        f = FAIR(ch4_method="Thornhill2021")
        f.define_time(FIRST_YEAR, LAST_YEAR + 1, 1)
        f.define_scenarios(names)
        f.define_configs(list(self.members.index))
        f.define_species(self.species, self.properties)
        f.allocate()
        species_index = {specie: i for i, specie in enumerate(f.species)}
        block = np.full(f.emissions.shape, np.nan)  # (timepoint, scenario, config, specie)
        for specie, series in emissions.items():
            block[:, :, :, species_index[specie]] = series[:, :, None]
        f.emissions[:] = block
        for name, series in self.offline_forcing.items():
            scale = self.members[f"forcing_scale[{name}]"].to_numpy()
            fill(f.forcing, series[:, None, None] * scale[None, None, :], specie=name)
        f.fill_species_configs(str(SPECIES_FILE))
        f.override_defaults(str(MEMBERS_FILE))
        initialise(f.concentration, f.species_configs["baseline_concentration"])
        initialise(f.forcing, 0)
        initialise(f.temperature, 0)
        initialise(f.cumulative_emissions, 0)
        initialise(f.airborne_emissions, 0)
        initialise(f.ocean_heat_content_change, 0)
        f.run(progress=False)

        surface = f.temperature.sel(layer=0).to_numpy()  # (bound, scenario, config)
        yearly = (surface[:-1] + surface[1:]) / 2  # the mean of a year is about the mean of its two bounds
        baseline = yearly[(YEARS >= 1850) & (YEARS <= 1900)].mean(axis=0)
        warming = yearly - baseline
        ppm_bounds = f.concentration.sel(specie="CO2").to_numpy()
        ppm = (ppm_bounds[:-1] + ppm_bounds[1:]) / 2
        shown = YEARS >= OUTPUT_FIRST_YEAR
        central = list(self.members.index).index(CENTRAL_MEMBER)
        results = {}
        co2 = emissions["CO2 FFI"] + emissions["CO2 AFOLU"]
        for s, name in enumerate(names):
            results[name] = ScenarioResult(
                co2_emissions=co2[shown, s].tolist(),
                co2_ppm=ppm[shown, s, central].tolist(),
                warming=warming[shown, s, central].tolist(),
                warming_low=warming[shown, s, :].min(axis=1).tolist(),
                warming_high=warming[shown, s, :].max(axis=1).tolist(),
            )
        return results


CENTRAL_MEMBER = 754719  # the member nearest the ensemble median (data/README.md)
