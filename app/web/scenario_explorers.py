"""The scenario explorer on the module page: levers from the query string, the stored result, chart and sentence.

A GET form whose parameters are the levers, so every result has a shareable URL and works without JavaScript.
Results are read from the database (app/services/scenarios.py); nothing here imports numpy or fair.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from app.content.charts import format_number
from app.content.datasets import DatasetStore
from app.content.scenario_block import SCENARIO_MARKER_RE, marker_defaults
from app.projections import explorer
from app.projections.levers import GRID, LeverProblem, Levers, parse_levers
from app.services import scenarios

OBSERVED_DATASET = "gistemp_global_annual"


def lever_labels() -> dict[str, str]:
    return {
        "peak": _("Year CO₂ emissions peak"),
        "growth": _("Growth until the peak (percent per year)"),
        "decline": _("Fall after the peak (percent of the peak per year)"),
        "settle": _("Level they settle at (GtCO₂ per year)"),
        "methane": _("Methane"),
    }


def methane_labels() -> dict[str, str]:
    return {
        "follow": _("changes along with CO₂"),
        "cut": _("cut fast (as in SSP1-1.9)"),
        "high": _("keeps rising (as in SSP3-7.0)"),
    }


def problem_message(problem: LeverProblem) -> str:
    name = lever_labels()[problem.lever]
    if problem.reason == "choice":
        return _("“%(value)s” is not a choice for %(lever)s; the explorer used its starting value.",
                 value=problem.value, lever=name)
    if problem.reason == "length":
        return _("The value for %(lever)s is too long; the explorer used its starting value.", lever=name)
    return _("“%(value)s” is not a number, so %(lever)s kept its starting value.", value=problem.value, lever=name)


@functools.lru_cache(maxsize=4)
def _observed(courses_path: str) -> tuple[tuple[float, float], ...]:
    store = DatasetStore(Path(courses_path) / "_data")  # app.content.loader.DATA_FOLDER, without loading the loader
    if OBSERVED_DATASET not in store:
        return ()
    dataset, _problems = store.load(OBSERVED_DATASET)
    if dataset is None:
        return ()
    pairs = zip(dataset.values("year"), dataset.values("anomaly_c"), strict=True)
    rows = [(float(x), float(y)) for x, y in pairs if isinstance(x, float) and isinstance(y, float)]
    return tuple(explorer.observed_warming(rows))


def fill_scenarios(body_html: str, args: Mapping[str, str], *, base_url: str, lang: str | None) -> str:
    """Replace each scenario marker in the stored HTML with its form, chart and sentence.

    The levers in ``args`` apply to the explorer named by ``args["scenario"]`` (the first one by default);
    the others show their starting values.
    """
    wanted = args.get("scenario", "1")

    def explorer_html(match) -> str:
        index = int(match.group(1))
        defaults = marker_defaults(match.group(2))
        levers, problems = defaults, []
        if wanted == str(index + 1):
            levers, problems = parse_levers(args, defaults)
        return str(render_explorer(index, levers, defaults, problems, base_url=base_url, lang=lang))

    return SCENARIO_MARKER_RE.sub(explorer_html, body_html)


def render_explorer(index: int, levers: Levers, defaults: Levers, problems: list[LeverProblem], *,
                    base_url: str, lang: str | None) -> Markup:
    data = scenarios.stored_run(levers)
    element = f"c-scenario-{index + 1}"
    summary = svg = None
    if data is not None:
        summary = explorer.summarise(data)
        svg = Markup(explorer.render_svg(
            data, _observed(current_app.config["COURSES_PATH"]), chart_id=f"{element}-chart",
            labels=chart_labels(levers, summary, data)))
    return Markup(render_template(
        "learn/_scenario.html", index=index, number=index + 1, element=element, levers=levers, defaults=defaults,
        grid=GRID, lever_labels=lever_labels(), methane_labels=methane_labels(),
        problems=[problem_message(p) for p in problems], summary=summary, svg=svg, base_url=base_url, lang=lang,
        reset_query={"scenario": index + 1, **defaults.as_query(), **({"lang": lang} if lang else {})}))


def chart_labels(levers: Levers, summary: explorer.Summary, data: Mapping[str, object]) -> dict[str, str]:
    return {
        "title": _("Emissions, CO₂ concentration and warming, 1850–2100, for the chosen path"),
        "desc": _("Three panels. Net CO₂ emissions peak in %(peak)d and reach %(last)s GtCO₂ a year in 2100. "
                  "Warming relative to 1850–1900 reaches %(warming)s °C in 2100 (range %(low)s–%(high)s °C); "
                  "observed warming (NASA GISTEMP) is drawn up to 2023, with lines at 1.5 °C and 2 °C.",
                  peak=levers.peak, last=format_number(round(explorer.series(data, "co2_emissions")[-1])),
                  warming=f"{summary.warming_2100:.1f}", low=f"{summary.warming_2100_low:.1f}",
                  high=f"{summary.warming_2100_high:.1f}"),
        "emissions": _("Net CO₂ emissions (GtCO₂ per year)"),
        "concentration": _("CO₂ in the air (ppm)"),
        "warming": _("Warming since 1850–1900 (°C)"),
        "line_15": _("1.5 °C"),
        "line_20": _("2 °C"),
        "legend_model": _("FaIR model (band: range)"),
        "legend_observed": _("Observed (GISTEMP)"),
    }
