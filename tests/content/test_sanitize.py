"""The HTML students get: what authors may write, and what never gets through."""

from __future__ import annotations

import re

import pytest

from app.content import render as render_module_code
from app.content import render_markdown

from .support import good_datasets

CHART = """\
```chart
dataset: co2_sample
type: line
x: year
y: mean
title: CO₂
```
"""


def render(text: str, **kwargs: object) -> str:
    return render_markdown(text, datasets=good_datasets(), **kwargs).html  # type: ignore[arg-type]


def assert_inert(html: str) -> None:
    """No way to run script: no script/style elements, no event handlers, no script or data URLs."""
    lowered = html.lower()
    for forbidden in (
        "<script",
        "<style",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<math",
        "<form",
        "<input",
    ):
        assert forbidden not in lowered
    assert not re.search(r"\son\w+\s*=", lowered)
    assert not re.search(r"(href|src)=\"\s*(javascript|vbscript|data):", lowered)
    assert "style=" not in lowered


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=x OnError=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "[x](jav&#x09;ascript:alert(1))",
        '<a href="&#106;avascript:alert(1)">x</a>',
        "<scr<script>ipt>alert(1)</script>",
        "<<script>script>alert(1)<</script>/script>",
        "![x](data:image/svg+xml;base64,PHN2Zy8+)",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<svg onload="alert(1)"><circle r="5"/></svg>',
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<iframe src="https://example.org"></iframe>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="/logout"><input type="submit"></form>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '<p onmouseover="alert(1)">hover</p>',
        "<style>body{display:none}</style>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "[x](<javascript:alert(1)>)",
        "![x](assets/a.png){: onerror=alert(1) }",
        '<a href="vbscript:msgbox(1)">x</a>',
        "<!--<script>alert(1)</script>-->",
    ],
)
def test_author_html_cannot_run_script(attack: str) -> None:
    assert_inert(render(attack))


def test_script_content_is_removed_not_shown() -> None:
    assert "alert" not in render("<script>alert(1)</script>")
    assert "alert" not in render("<svg><script>alert(1)</script></svg>")


def test_authors_cannot_set_classes_styles_or_rel() -> None:
    html = render(
        '<div class="admonition note navbar" style="color:red">x</div>\n\n'
        '<a href="https://example.org" rel="opener" target="_blank">x</a>'
    )
    assert '<div class="admonition note">x</div>' in html
    assert "target=" not in html and 'rel="opener"' not in html


def test_external_links_get_noopener_noreferrer_and_internal_links_do_not() -> None:
    html = render(
        "[a](https://example.org) [b](HTTP://EXAMPLE.ORG) [c](//cdn.example.org/x) "
        "[d](#energy) [e](/learn/) [f](mailto:hi@example.org) <a href='https://x.org'>raw</a>"
    )
    assert '<a href="https://example.org" rel="noopener noreferrer">a</a>' in html
    assert '<a href="HTTP://EXAMPLE.ORG" rel="noopener noreferrer">b</a>' in html
    assert '<a href="//cdn.example.org/x" rel="noopener noreferrer">c</a>' in html
    assert '<a href="#c-energy">d</a>' in html
    assert '<a href="/learn/">e</a>' in html
    assert '<a href="mailto:hi@example.org">f</a>' in html
    assert '<a href="https://x.org" rel="noopener noreferrer">raw</a>' in html


def test_asset_and_module_links_are_rewritten_to_served_urls() -> None:
    html = render(
        "![Sea ice](assets/sea%20ice.png) [sheet](./assets/sheet.pdf) [next](02-greenhouse-effect.ko.md#why) "
        '<img src="assets/raw.png" alt="raw">',
        asset_url=lambda relpath: f"/courses/basics/{relpath}",
        module_url=lambda slug: f"/learn/basics/{slug}",
    )
    assert '<img alt="Sea ice" src="/courses/basics/assets/sea ice.png" loading="lazy">' in html
    assert '<a href="/courses/basics/assets/sheet.pdf">sheet</a>' in html
    assert '<a href="/learn/basics/greenhouse-effect#c-why">next</a>' in html
    assert '<img src="/courses/basics/assets/raw.png" alt="raw" loading="lazy">' in html


def test_ids_are_prefixed_so_they_cannot_clash_with_the_page() -> None:
    html = render('## Main\n\n<p id="content">x</p>\n\nText[^1]\n\n[^1]: Note.')
    assert '<h2 id="c-main">Main</h2>' in html
    assert '<p id="c-content">' in html
    assert 'id="c-fnref:1"' in html and 'href="#c-fn:1"' in html
    assert 'id="c-fn:1"' in html and 'href="#c-fnref:1"' in html


def test_markdown_features_survive_sanitising() -> None:
    html = render(
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "Term\n:   Definition\n\n"
        '!!! warning "Careful"\n    Hot.\n\n'
        "~~old~~ and *em* and **strong** and `code`\n\n"
        "```python\nprint('hi')\n```\n\n"
        "3. three\n4. four\n\n"
        "Text with a note.[^n]\n\n[^n]: The note.\n"
    )
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>" in html
    assert '<div class="admonition warning">\n<p class="admonition-title">Careful</p>' in html
    assert "<del>old</del>" in html and "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert (
        "<pre><code class=\"language-python\">print('hi')" in html
        or '<pre><code class="language-python">print(&#x27;hi&#x27;)' in html
    )
    assert '<ol start="3">' in html
    assert '<div class="footnote">' in html and 'class="footnote-ref"' in html


def test_task_lists_and_subscript_are_not_markdown_features_here() -> None:
    html = render("- [ ] not a checkbox\n\nabout ~1.5 °C to ~2 °C")
    assert "<input" not in html and "[ ] not a checkbox" in html
    assert "<sub>" not in html


def test_an_author_cannot_forge_a_chart_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Even if an author guessed this render's token, the renderer picks another one that is not in the text.
    tokens = iter(["guessed", "fresh"])
    monkeypatch.setattr(render_module_code.secrets, "token_hex", lambda _n: next(tokens))
    forged = "ondo-chart-guessed-0"
    html = render(f"{forged}\n\n<p>{forged}</p>\n\n{CHART}")
    assert html.count("<figure") == 1
    assert html.count(forged) == 2  # left as the text the author wrote
    assert "ondo-chart-fresh" not in html


def test_author_text_that_looks_like_our_placeholder_stays_text() -> None:
    html = render("ondo-chart-0123456789abcdef0123456789abcdef-0\n")
    assert "<figure" not in html
    assert "ondo-chart-0123456789abcdef0123456789abcdef-0" in html


def test_chart_svg_is_ours_even_though_author_svg_is_removed() -> None:
    html = render("<svg><text>author</text></svg>\n\n" + CHART)
    assert html.count("<svg") == 2  # our chart's wide and narrow drawings, nothing else
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-') == 2
    assert "author" not in html


def test_tables_and_code_blocks_scroll_in_their_own_named_box() -> None:
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlong code\n```\n")
    assert ('<div class="scroll-x" role="region" tabindex="0" aria-label="Table (scrolls sideways)"><table>'
            in html)
    assert "</table></div>" in html
    assert '<div class="scroll-x" role="region" tabindex="0" aria-label="Code (scrolls sideways)"><pre>' in html
    assert "</pre></div>" in html
