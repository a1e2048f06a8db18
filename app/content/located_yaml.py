"""YAML mappings that remember where each key and item was written.

Authors fix problems faster when a message says ``path:line``, so front matter, course.yml, chart
blocks and dataset sidecars are read through :func:`load_mapping`, which keeps the file line of every
key (and of every list item) next to its value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from app.problems import Problem

_STR_TAG = "tag:yaml.org,2002:str"
# Our files are shallow (front matter, course.yml and chart blocks reach 3 or 4 levels). PyYAML builds nodes
# recursively, so 500 levels raised RecursionError; aliases can expand exponentially (a 419-byte "billion
# laughs" took 17 s per preview). Both are refused before anything is built, as lint errors at their line.
MAX_DEPTH = 20
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# PyYAML's wording for the slips authors make most, and what to do about them.
_HINTS = {
    "mapping values are not allowed here": "; put a value that contains ': ' in quotes",
    "found character '\\t' that cannot start any token": "; indent with spaces, not tabs",
}


@dataclass(frozen=True)
class Located:
    """A YAML value with the file line of its key (or list item)."""

    value: Any
    line: int
    node: yaml.Node = field(repr=False, compare=False)
    first_line: int = field(repr=False, compare=False)  # file line of the YAML text's first line

    def items(self) -> list[Located]:
        """The items of a list value, each with its own line; empty if the value is not a list."""
        if not isinstance(self.node, yaml.SequenceNode) or not isinstance(self.value, list):
            return []
        return [
            Located(value, node.start_mark.line + self.first_line, node, self.first_line)
            for node, value in zip(self.node.value, self.value, strict=True)
        ]

    def fields(self) -> dict[str, Located]:
        """The entries of a mapping value by key; empty if the value is not a mapping."""
        if not isinstance(self.node, yaml.MappingNode) or not isinstance(self.value, dict):
            return {}
        return _fields(self.node, self.value, self.first_line)


def load_mapping(
    text: str, *, path: str, first_line: int, what: str = "this block"
) -> tuple[dict[str, Located] | None, list[Problem]]:
    """Parse ``text`` as a YAML mapping whose first line is file line ``first_line``.

    Returns ``None`` and the problems when the text is not valid YAML or not a mapping. Empty text
    is an empty mapping, so the caller reports missing keys as missing keys.
    """
    try:
        if problem := _shape_problem(text, path, first_line):
            return None, [problem]
        root = yaml.compose(text, Loader=_FAST_LOADER)  # libyaml keeps line marks too, at a tenth of the cost
    except yaml.YAMLError:
        try:  # the pure-Python parser words errors the way our hints expect
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            return None, [_yaml_problem(exc, path, first_line)]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + first_line
        return None, [Problem(path, line, f"{what} must be a list of 'key: value' lines")]
    problems = _duplicate_keys(root, path, first_line)
    try:
        value = yaml.SafeLoader("").construct_object(root, deep=True)
    except yaml.YAMLError as exc:
        return None, [*problems, _yaml_problem(exc, path, first_line)]
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits (Python's conversion limit)
        return None, [*problems, Problem(path, first_line, f"invalid YAML value: {str(exc).split(':')[0]}")]
    for key_node, _ in root.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG):
            line = key_node.start_mark.line + first_line
            problems.append(Problem(path, line, f"key {key_node.value!r} must be a word"))
    return _fields(root, value, first_line), problems


def _shape_problem(text: str, path: str, first_line: int) -> Problem | None:
    """Aliases and nesting deeper than MAX_DEPTH, found from parser events (PyYAML's parser keeps an explicit
    stack, so this walk cannot recurse too deep itself)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return Problem(path, event.start_mark.line + first_line,
                           f"YAML aliases (*{event.anchor}) are not allowed: write the value out")
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(path, event.start_mark.line + first_line,
                               f"YAML nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return None


def _fields(node: yaml.MappingNode, value: dict[Any, Any], first_line: int) -> dict[str, Located]:
    # Keys are plain words in every format we read; other keys were reported by load_mapping.
    return {
        key_node.value: Located(
            value.get(key_node.value), key_node.start_mark.line + first_line, value_node, first_line
        )
        for key_node, value_node in node.value
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG
    }


def _duplicate_keys(node: yaml.Node, path: str, first_line: int) -> list[Problem]:
    """PyYAML silently keeps the last of two equal keys; an author almost never means that."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    line = key_node.start_mark.line + first_line
                    problems.append(Problem(path, line, f"key '{key_node.value}' is written twice"))
                seen.add(key_node.value)
            problems.extend(_duplicate_keys(value_node, path, first_line))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems.extend(_duplicate_keys(item, path, first_line))
    return problems


def _yaml_problem(exc: yaml.YAMLError, path: str, first_line: int) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    hint = _HINTS.get(detail, "")
    return Problem(path, line, f"invalid YAML: {detail}" + (f" ({context})" if context else "") + hint)
