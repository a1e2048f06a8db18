"""```scenario blocks: a what-if explorer in a module, validated like charts and placed after sanitising.

The block names the explorer's starting levers. The page builds the form, looks up the stored FaIR result and
draws the chart when it is served (app/web/scenario_explorers.py); the stored HTML only holds a marker with the
defaults, written by our code after sanitising, so an author cannot forge one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode

from app.content.chart_spec import _unknown_key_message
from app.content.located_yaml import load_mapping
from app.problems import Problem
from app.projections.levers import GRID, LEVER_NAMES, Levers

SCENARIO_KEYS = ("title", *LEVER_NAMES)
SCENARIO_MARKER = "<!--ondo-scenario:{index}:{query}-->"
SCENARIO_MARKER_RE = re.compile(r"<!--ondo-scenario:(\d+):([A-Za-z0-9=&%._+-]*)-->")
LEVER_HELP = {
    "peak": "the year CO₂ emissions peak",
    "growth": "% growth per year until the peak",
    "decline": "% of the peak removed each year after it",
    "settle": "GtCO₂ per year where emissions level off",
    "methane": "what methane emissions do",
}


@dataclass(frozen=True)
class ScenarioSpec:
    """A validated ```scenario block: a title and the levers the explorer starts from."""

    title: str
    defaults: Levers


def parse_scenario_spec(text: str, *, path: str, first_line: int) -> tuple[ScenarioSpec | None, list[Problem]]:
    """Validate a scenario block (``first_line`` is the file line after the opening fence)."""
    fields, problems = load_mapping(text, path=path, first_line=first_line, what="a scenario block")
    if fields is None:
        return None, problems
    fence_line = first_line - 1

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    for key, located in fields.items():
        if key not in SCENARIO_KEYS:
            error(located.line, _unknown_key_message("scenario key", key, SCENARIO_KEYS))
    title = fields.get("title")
    if title is None:
        error(fence_line, "scenario block has no 'title'")
    elif not isinstance(title.value, str) or not title.value.strip():
        error(title.line, "scenario 'title' must be text")
    values: dict[str, object] = {}
    for name in LEVER_NAMES:
        located = fields.get(name)
        if located is None:
            continue
        allowed = GRID[name]
        value = located.value
        if isinstance(value, bool) or value not in allowed:
            shown = ", ".join(str(option) for option in allowed)
            error(located.line, f"scenario '{name}' ({LEVER_HELP[name]}) must be one of: {shown}; got {value!r}")
            continue
        values[name] = value if name == "methane" else int(value)
    if any(p.is_error for p in problems):
        return None, problems
    assert title is not None
    return ScenarioSpec(title.value.strip(), Levers().replace(**values)), problems


def scenario_placeholder(spec: ScenarioSpec, index: int, element_id: str) -> str:
    """The HTML stored for a block: its title and a marker the page replaces with the live explorer."""
    query = urlencode(spec.defaults.as_query())
    return (
        f'<div class="scenario" id="{escape(element_id)}">'
        f'<p class="scenario-title"><strong>{escape(spec.title)}</strong></p>'
        f"{SCENARIO_MARKER.format(index=index, query=query)}</div>"
    )


def marker_defaults(query: str) -> Levers:
    """The defaults written into a marker (always valid: our code wrote them)."""
    values = dict(parse_qsl(query))
    levers = Levers()
    for name in LEVER_NAMES:
        if name in values:
            raw = values[name]
            levers = levers.replace(**{name: raw if name == "methane" else int(raw)})
    return levers
