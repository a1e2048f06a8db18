"""Checks shared by ``course.yml`` and module front matter: keys, principles, numbers, reading a file as UTF-8."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from app.content.located_yaml import Located
from app.content.sources import PRINCIPLES
from app.problems import Problem

Report = Callable[..., None]  # report(line, message, severity="error")


def check_keys(
    fields: dict[str, Located],
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    what: str,
    line: int,
    report: Report,
) -> None:
    for key, located in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
            report(located.line, f"unknown {what} '{key}'{hint}")
    for key in required:
        if key not in fields:
            report(line, f"missing required key '{key}'")


def principles_of(located: Located, report: Report) -> tuple[str, ...]:
    if not isinstance(located.value, list):
        report(located.line, "'principles' must be a list, like [EP1, AC2]")
        return ()
    for item in located.items():
        if item.value not in PRINCIPLES:
            report(item.line, f"unknown principle '{item.value}' (use EP1-EP7, GP or AC1-AC8)")
    return tuple(str(v) for v in located.value)



def read_text(path: Path, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    data = raw if raw is not None else path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(str(path), line, "not UTF-8 text: save the file with the UTF-8 encoding")]
    return text.replace("\r\n", "\n"), []



def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
