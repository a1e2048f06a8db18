"""Links in stored HTML: written as placeholders when a page is rendered, turned into URLs when it is served.

Module texts are rendered once (by ``flask courses sync`` or when published in the browser) and stored. A URL
baked into them would fix today's route shapes into every stored page, so a changed blueprint prefix would
silently break them. Instead the renderer is given callables that write placeholders:

    ondo:asset/<course>/<path>?v=<digest>    a course file (``learn.course_asset``)
    ondo:media/<course>/<name>?v=<digest>    an image uploaded in the browser (``admin.course_media``)
    ondo:module/<course>/<slug>[#anchor]     another module of the course (``learn.module``)

and :func:`init_served_html` registers one ``after_request`` hook that replaces them with ``url_for`` in every
HTML response (stored bodies, quiz stems and feedback, inline checks, previews: wherever the HTML is shown).

Only our code writes the ``ondo:`` scheme: the sanitiser's allowed URL schemes do not include it, so nh3
drops any ``ondo:`` URL an author writes (and the linter reports it), while the URLs our relative-URL rewriter
returns are kept as they are. The resolver only reads ``href``/``src`` attributes of ``<a>`` and ``<img>`` start
tags, knows these three kinds only and checks every part; anything else loses the attribute.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

from flask import Flask, Response, url_for

SCHEME = "ondo:"
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DIGEST_RE = re.compile(r"[0-9a-f]{1,64}|missing")
_MEDIA_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")  # uploads.SAFE_NAME_RE
# A start tag as html5ever serialises sanitised HTML (values always double-quoted, '"' escaped), so text that
# merely looks like an attribute (text nodes escape '<') is never read as one.
_TAG_RE = re.compile(r'<(?:a|img)((?:\s+[^\s=>/"]+(?:="[^"]*")?)*)\s*/?>')
_PLACEHOLDER_ATTR_RE = re.compile(r'\s(?P<name>href|src)="ondo:(?P<target>[^"]*)"')


# --- writing (at render time) -----------------------------------------------------------------------


def asset_placeholder(course_slug: str, relative: str, digest: str) -> str:
    """``relative`` is the path under the course's assets folder, decoded (spaces, Korean letters)."""
    return f"{SCHEME}asset/{course_slug}/{quote(relative)}?v={digest}"


def media_placeholder(course_slug: str, name: str, digest: str) -> str:
    return f"{SCHEME}media/{course_slug}/{quote(name)}?v={digest}"


def module_placeholder(course_slug: str, module_slug: str) -> str:
    return f"{SCHEME}module/{course_slug}/{module_slug}"


# --- reading (at serve time) ------------------------------------------------------------------------


def resolve_placeholder(target: str) -> str | None:
    """The URL for ``ondo:<target>``, or None when it is not one of the three kinds with valid parts."""
    kind, _, rest = target.partition("/")
    course, _, rest = rest.partition("/")
    if not _SLUG_RE.fullmatch(course):
        return None
    if kind == "module":
        slug, hash_mark, anchor = rest.partition("#")
        if not _SLUG_RE.fullmatch(slug):
            return None
        return url_for("learn.module", course_slug=course, module_slug=slug) + hash_mark + anchor
    path, _, query = rest.partition("?")
    digest = query.removeprefix("v=")
    if not query.startswith("v=") or not _DIGEST_RE.fullmatch(digest):
        return None
    path = unquote(path)
    if kind == "asset":
        if any(part in ("", ".", "..") for part in path.split("/")) or "\\" in path:
            return None
        return url_for("learn.course_asset", course_slug=course, filename=path, v=digest)
    if kind == "media" and _MEDIA_NAME_RE.fullmatch(path):
        return url_for("admin.course_media", course_slug=course, name=path, v=digest)
    return None


def resolve_links(page: str) -> str:
    """Replace every placeholder in ``<a href>`` and ``<img src>`` with its URL (needs a request or app context)."""
    if f'="{SCHEME}' not in page:
        return page

    def attribute(match: re.Match[str]) -> str:
        url = resolve_placeholder(html.unescape(match["target"]))
        return "" if url is None else f' {match["name"]}="{html.escape(url)}"'

    def tag(match: re.Match[str]) -> str:
        whole = match.group(0)
        return _PLACEHOLDER_ATTR_RE.sub(attribute, whole) if f'="{SCHEME}' in whole else whole

    return _TAG_RE.sub(tag, page)


def init_served_html(app: Flask) -> None:
    """Resolve placeholders in every HTML response. Register after Flask-Compress: hooks run last-registered first,
    so this one sees the page before it is compressed."""

    @app.after_request
    def resolve_stored_links(response: Response) -> Response:
        if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
            return response
        data = response.get_data()
        if f'="{SCHEME}'.encode() in data:
            response.set_data(resolve_links(data.decode()))
        return response
