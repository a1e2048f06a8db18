"""What counts as plain text typed by a person: one rule shared by forms, the roster import and the address check."""
from __future__ import annotations

import re

# C0 control characters and DEL, except tab, line feed and carriage return (text areas send those). Nobody types
# them; PostgreSQL refuses NUL in text (a 500 before this check) and SQLite would store it in a name.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
