"""Text and number normalisation shared by the parser and the graders.

Kept apart so the same rules decide what an author wrote and what a student typed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# A misconception tag: lowercase words (ASCII letters or digits) joined by single hyphens.
TAG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# An explicit question id: Unicode letters/digits, hyphens and underscores (Korean ids are fine).
QUESTION_ID_RE = re.compile(r"[^\W_][\w-]{0,99}")

_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})
_AUTHOR_NUMBER = r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"
_EXACT_RE = re.compile(rf"({_AUTHOR_NUMBER})")
_TOLERANCE_RE = re.compile(rf"({_AUTHOR_NUMBER})\s*(?:±|\+/-|\+-)\s*({_AUTHOR_NUMBER})")
_RANGE_RE = re.compile(rf"({_AUTHOR_NUMBER})\s*\.\.\s*({_AUTHOR_NUMBER})")


# Longest numeric or short-text answer a student may send; the form says so instead of grading a novel.
MAX_ANSWER_LENGTH = 500


def normalise_text(value: str) -> str:
    """Compare short answers the way a person would: NFKC, case-folded, single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def opaque_id(question_id: str, kind: str, text: str) -> str:
    """An id for a choice/item that is stable across edits of other choices and says nothing about it."""
    digest = hashlib.sha256(f"{question_id}\0{kind}\0{text}".encode()).hexdigest()
    return "c" + digest[:10]


def slugify(text: str, *, max_length: int = 60) -> str:
    """A Unicode-aware slug (Korean stays Korean) used as the default question id."""
    value = unicodedata.normalize("NFKC", text).casefold()
    value = re.sub(r"[`*_~\[\](){}<>\"'’‘“”]", "", value)
    value = re.sub(r"[^\w]+", "-", value).replace("_", "-")
    value = re.sub(r"-{2,}", "-", value).strip("-")
    if len(value) > max_length:
        cut = value[:max_length]
        value = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return value


def parse_author_number(value: str) -> tuple[float, float] | None:
    """Parse ``number:`` (``1.1 ± 0.05``, ``1.0 .. 1.2``, ``420``) into inclusive (low, high), or None.

    Decimal arithmetic keeps bounds such as 1.1 - 0.05 exactly 1.05, so inclusive really is inclusive.
    """
    text = unicodedata.normalize("NFKC", value).translate(_MINUS_SIGNS).strip()
    try:
        if match := _TOLERANCE_RE.fullmatch(text):
            centre, tolerance = Decimal(match[1]), Decimal(match[2])
            if tolerance < 0:
                return None
            return float(centre - tolerance), float(centre + tolerance)
        if match := _RANGE_RE.fullmatch(text):
            low, high = Decimal(match[1]), Decimal(match[2])
            if low > high:
                return None
            return float(low), float(high)
        if match := _EXACT_RE.fullmatch(text):
            exact = Decimal(match[1])
            return float(exact), float(exact)
    except InvalidOperation:
        return None
    return None


_STUDENT_PLAIN = re.compile(r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?")
_STUDENT_COMMA_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_STUDENT_DOT_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|[-+]?\d{1,3}\.\d{3},\d+")
# The longest start that ends in a digit. One character class after the sign, never "\s*" followed by a class
# that also holds spaces: the two would share the spaces in every possible way and backtracking turns quadratic
# (a sign and 30,000 spaces took 16 s). This form scans once and backs up once: linear in the answer's length.
_LEADING_NUMBER = re.compile(r"[-+]?[\d.,\s]*\d(?:[eE][-+]?\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# "1 000" or "- 1 000,5": spaces only as a sign gap or between groups of three digits.
_SPACE_THOUSANDS = re.compile(r"[-+]?\s*\d{1,3}(?:\s\d{3})*(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def student_number_candidates(raw: str, unit: str = "") -> list[float]:
    """Every reasonable reading of what a student typed as a number; empty if it is not one.

    Accepts surrounding spaces, full-width digits (NFKC), a comma decimal ("1,5"), thousands
    separators and a trailing unit. "1,500" is ambiguous (1.5 or 1500) so both readings are returned
    and the grader accepts either.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_MINUS_SIGNS).strip()
    match = _LEADING_NUMBER.match(text)
    if not match:
        return []
    number, rest = match.group(0), text[match.end() :]
    rest_key = _SPACES.sub("", rest).casefold()
    if rest_key:
        unit_key = _SPACES.sub("", unicodedata.normalize("NFKC", unit)).casefold()
        if unit_key:
            if rest_key != unit_key:
                return []
        elif any(ch.isdigit() for ch in rest_key) or len(rest_key) > 12:
            return []
    number = number.strip()
    if _SPACES.search(number) and not _SPACE_THOUSANDS.fullmatch(number):
        return []
    number = _SPACES.sub("", number)
    readings: list[str] = []
    if _STUDENT_COMMA_THOUSANDS.fullmatch(number):
        readings.append(number.replace(",", ""))
        if number.count(",") == 1 and "." not in number:
            readings.append(number.replace(",", "."))
    elif _STUDENT_DOT_THOUSANDS.fullmatch(number):
        readings.append(number.replace(".", "").replace(",", "."))
    elif _STUDENT_PLAIN.fullmatch(number):
        readings.append(number.replace(",", "."))
    values: list[float] = []
    for reading in readings:
        try:
            value = Decimal(reading)
        except InvalidOperation:
            continue
        if value.is_finite():
            values.append(float(value))
    return values
