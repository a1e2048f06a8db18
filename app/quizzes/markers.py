"""The lines that start a quiz in a module file: part of the quiz syntax, so they live with the quiz engine.

The content pipeline (app/content/scan.py) finds them to split a module into body and quiz.
"""
from __future__ import annotations

import re

QUIZ_MARKER = "<!-- quiz -->"
# "<!-- quiz form: A -->" starts form A of a quiz with parallel forms (instead of QUIZ_MARKER).
QUIZ_FORM_RE = re.compile(r"<!--[ \t]*quiz[ \t]+form[ \t]*:[ \t]*(?P<label>[^\s>-]*)[ \t]*-->")
# Anything that looks like a quiz marker, so a misspelt one is reported instead of silently read as text.
QUIZ_MARKER_LIKE_RE = re.compile(r"<!--[ \t]*quiz\b.*")
