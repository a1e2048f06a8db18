"""Checks across the module files of one course: unique slugs and order numbers, both languages present and
agreeing, prerequisites that exist and form no cycle, old slugs claimed once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from app.content.module_file import ModuleFile
from app.content.sources import LANGUAGE_NAMES, LANGUAGES, SLUG_RE
from app.problems import Problem


def check_modules_together(files: list[ModuleFile]) -> list[Problem]:
    problems: list[Problem] = []

    def report(module_file: ModuleFile, line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(str(module_file.path), line, message, severity))

    by_slug: dict[str, list[ModuleFile]] = defaultdict(list)
    by_order: dict[tuple[int, str], list[ModuleFile]] = defaultdict(list)
    for module_file in files:
        by_slug[module_file.slug].append(module_file)
        by_order[module_file.rank].append(module_file)
    for module_file in files:
        clashes = [f.name for f in by_slug[module_file.slug] if f.rank != module_file.rank]
        if clashes:
            report(
                module_file,
                1,
                f"duplicate module slug '{module_file.slug}': also used by {', '.join(clashes)}",
            )
        clashes = [f.name for f in by_order[module_file.rank] if f.slug != module_file.slug]
        if clashes:
            report(
                module_file,
                1,
                f"duplicate order number {module_file.number}: also used by {', '.join(clashes)}",
            )

    versions: dict[tuple[str, str], dict[str, ModuleFile]] = defaultdict(dict)
    for module_file in files:
        versions[(module_file.number, module_file.slug)][module_file.lang] = module_file
    for (number, slug), by_lang in versions.items():
        for lang in LANGUAGES:
            if lang not in by_lang:
                for module_file in by_lang.values():
                    report(
                        module_file,
                        1,
                        f"no {LANGUAGE_NAMES[lang]} version of this module ({number}-{slug}.{lang}.md)",
                        "warning",
                    )
        if "en" in by_lang and "ko" in by_lang:
            _compare_versions(by_lang["en"], by_lang["ko"], report)

    slugs = set(by_slug)
    for module_file in files:
        for item in module_file.values("prerequisites"):
            if item.value == module_file.slug:
                report(module_file, item.line, "a module cannot be its own prerequisite")
            elif isinstance(item.value, str) and SLUG_RE.match(item.value) and item.value not in slugs:
                report(module_file, item.line, f"prerequisite '{item.value}' is not a module of this course")
    problems.extend(_prerequisite_cycles(files, slugs))

    claimed: dict[str, set[str]] = defaultdict(set)
    for module_file in files:
        for item in module_file.values("formerly"):
            if isinstance(item.value, str):
                claimed[item.value].add(module_file.slug)
    for module_file in files:
        for item in module_file.values("formerly"):
            if item.value in slugs:
                report(module_file, item.line, f"'{item.value}' in 'formerly' is the slug of a current module")
            elif isinstance(item.value, str) and len(claimed[item.value]) > 1:
                others = sorted(claimed[item.value] - {module_file.slug})
                report(
                    module_file,
                    item.line,
                    f"'{item.value}' in 'formerly' is also claimed by module {', '.join(others)}",
                )
    return problems


def _compare_versions(english: ModuleFile, korean: ModuleFile, report: Callable[..., None]) -> None:
    """The language versions are one module: order, prerequisites and old slugs must agree."""
    for key, severity in (
        ("prerequisites", "error"),
        ("formerly", "error"),
        ("minutes", "warning"),
        ("principles", "warning"),
        ("quiz", "warning"),
    ):
        en_value = english.fields[key].value if key in english.fields else None
        ko_value = korean.fields[key].value if key in korean.fields else None
        if en_value != ko_value and english.fields and korean.fields:
            line = korean.fields[key].line if key in korean.fields else 1
            report(korean, line, f"'{key}' differs from the English version ({english.name})", severity)


def _prerequisite_cycles(files: list[ModuleFile], slugs: set[str]) -> list[Problem]:
    """Modules that are each other's prerequisites could never be started."""
    graph: dict[str, list[str]] = {}
    lines: dict[str, tuple[ModuleFile, int]] = {}
    for module_file in sorted(files, key=lambda f: f.lang != "en"):  # English decides when both exist
        if module_file.slug in graph or "prerequisites" not in module_file.fields:
            continue
        graph[module_file.slug] = [
            item.value
            for item in module_file.values("prerequisites")
            if item.value in slugs and item.value != module_file.slug
        ]
        lines[module_file.slug] = (module_file, module_file.fields["prerequisites"].line)
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()

    def visit(slug: str, trail: list[str]) -> None:
        if slug in trail:
            cycle = trail[trail.index(slug) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                module_file, line = lines[cycle[0]]
                path = " → ".join([*cycle, slug])
                problems.append(Problem(str(module_file.path), line, f"prerequisites form a cycle: {path}"))
            return
        for next_slug in graph.get(slug, []):
            visit(next_slug, [*trail, slug])

    for slug in sorted(graph):
        visit(slug, [])
    return problems


# --- small helpers ----------------------------------------------------------------------------------

