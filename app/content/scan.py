"""Line-level scanning of Markdown source: fenced blocks, the quiz marker, links and images.

Python-Markdown does not report source lines, so the checks that must say ``path:line`` read the source
text here, following the same fence rules as Python-Markdown's ``fenced_code`` (a fence starts at column
0 and is closed by exactly the same run of backticks or tildes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.quizzes.markers import QUIZ_FORM_RE, QUIZ_MARKER, QUIZ_MARKER_LIKE_RE  # noqa: F401 (also read from here)

_FENCE_OPEN_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*(?P<info>[^\n`]*)$")
_CODE_SPAN_RE = re.compile(r"(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)

# [text](url "title") and ![alt](url); link text may hold one level of brackets (an image in a link).
_BRACKETED = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*"
_INLINE_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>" + _BRACKETED + r")\]"
    r"\(\s*+(?:<(?P<url_angle>[^>\n]*)>|(?P<url>(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))"
    r"(?:\s++(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*+\)"
)  # possessive spaces (never given back: a URL, a title and ")" all start with a non-space), else "[a](" and
#    thousands of newlines backtracked quadratically (10,000 newlines: 1.8 s; found by tests/test_hostile_parsers.py)
_REF_USE_RE = re.compile(r"(?P<bang>!?)\[(?P<text>" + _BRACKETED + r")\]\[(?P<ref>[^\]]*)\]")
_REF_DEF_RE = re.compile(r"^[ ]{0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.MULTILINE)
_HTML_TAG_RE = re.compile(r"<(?P<tag>img|a)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_HTML_ATTR_RE = re.compile(r"(?P<name>[\w-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))")


@dataclass(frozen=True)
class Fence:
    """A closed fenced code block; indexes are 0-based positions in the scanned list of lines."""

    start: int  # the opening fence line
    end: int  # the closing fence line
    info: str  # the info string after the fence, e.g. "chart" or "python"

    @property
    def is_chart(self) -> bool:
        return self.info.strip() == "chart"

    @property
    def is_scenario(self) -> bool:
        """A what-if explorer running the FaIR climate model (app/content/scenario_block.py)."""
        return self.info.strip() == "scenario"

    @property
    def is_check(self) -> bool:
        """A short ungraded question inside the text, in the quiz syntax."""
        return self.info.strip() == "check"


@dataclass(frozen=True)
class Reference:
    """A link or image target found in the source, with the line it was written on."""

    kind: str  # "link" or "image"
    url: str
    line: int
    alt: str | None = None  # images only
    from_html: bool = False


def find_fences(lines: list[str]) -> list[Fence]:
    """Closed fenced blocks, as Python-Markdown will see them (an unclosed fence is plain text)."""
    fences: list[Fence] = []
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN_RE.match(lines[index])
        if match:
            closing = re.compile(re.escape(match["fence"]) + r"[ ]*$")
            for end in range(index + 1, len(lines)):
                if closing.match(lines[end]):
                    fences.append(Fence(index, end, match["info"]))
                    index = end
                    break
        index += 1
    return fences


def unclosed_chart_fences(lines: list[str], fences: list[Fence]) -> list[int]:
    """Indexes of ```chart openings that no fence closes, which Markdown would print as text."""
    inside = {i for fence in fences for i in range(fence.start, fence.end + 1)}
    result = []
    for index, line in enumerate(lines):
        match = _FENCE_OPEN_RE.match(line)
        if match and index not in inside and match["info"].strip() == "chart":
            result.append(index)
    return result


def find_quiz_markers(lines: list[str], fences: list[Fence]) -> list[int]:
    """Indexes of quiz marker lines outside fenced blocks (an example marker in a code block is text)."""
    inside = {i for fence in fences for i in range(fence.start, fence.end + 1)}
    return [i for i, line in enumerate(lines) if line.rstrip() == QUIZ_MARKER and i not in inside]


def find_quiz_form_markers(lines: list[str], fences: list[Fence]) -> list[int]:
    """Indexes of ``<!-- quiz form: X -->`` lines outside fenced blocks (the label is checked by the parser)."""
    inside = {i for fence in fences for i in range(fence.start, fence.end + 1)}
    return [i for i, line in enumerate(lines) if QUIZ_FORM_RE.fullmatch(line.strip()) and i not in inside]


def find_references(lines: list[str], first_line: int) -> list[Reference]:
    """Every link and image target outside code, with file lines (``lines[0]`` is ``first_line``)."""
    masked = _mask_code(lines)
    text = "\n".join(masked)
    line_starts = [0]
    for line in masked:
        line_starts.append(line_starts[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        low, high = 0, len(line_starts) - 1
        while low < high:  # the last line start <= offset
            middle = (low + high + 1) // 2
            if line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + first_line

    definitions = {m["label"].strip().casefold(): (m["url"], m.start()) for m in _REF_DEF_RE.finditer(text)}
    references: list[Reference] = []
    references.extend(_inline_references(text, 0, line_of))
    for match in _REF_USE_RE.finditer(text):
        label = (match["ref"] or match["text"]).strip().casefold()
        if match["bang"]:
            url = definitions.get(label, ("", 0))[0]
            references.append(Reference("image", url, line_of(match.start()), alt=match["text"]))
    image_labels = {
        (m["ref"] or m["text"]).strip().casefold() for m in _REF_USE_RE.finditer(text) if m["bang"]
    }
    for label, (url, offset) in definitions.items():
        if label not in image_labels:  # images were checked above, where they are used
            references.append(Reference("link", url, line_of(offset)))
    for match in _HTML_TAG_RE.finditer(text):
        attrs = {
            m["name"].lower(): m["dq"]
            if m["dq"] is not None
            else (m["sq"] if m["sq"] is not None else m["bare"])
            for m in _HTML_ATTR_RE.finditer(match["attrs"])
        }
        line = line_of(match.start())
        if match["tag"].lower() == "img":
            references.append(
                Reference("image", attrs.get("src", ""), line, alt=attrs.get("alt"), from_html=True)
            )
        elif "href" in attrs:
            references.append(Reference("link", attrs["href"], line, from_html=True))
    return sorted(references, key=lambda r: r.line)


def _inline_references(text: str, base: int, line_of: Callable[[int], int]) -> Iterator[Reference]:
    for match in _INLINE_RE.finditer(text):
        url = match["url_angle"] if match["url_angle"] is not None else match["url"]
        line = line_of(base + match.start())
        if match["bang"]:
            yield Reference("image", url, line, alt=match["text"])
        else:
            yield Reference("link", url, line)
            # An image inside link text: [![alt](assets/a.png)](https://example.org)
            yield from _inline_references(match["text"], base + match.start("text"), line_of)


def _mask_code(lines: list[str]) -> list[str]:
    """Blank out fenced blocks, code spans and HTML comments so examples in them are not checked.

    Every line keeps its place, so a line number in the masked text is a line number in the source.
    """
    masked = list(lines)
    for fence in find_fences(lines):
        for index in range(fence.start, fence.end + 1):
            masked[index] = ""
    text = "\n".join(masked)
    blank = _HTML_COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    blank = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), blank)
    return blank.split("\n")
