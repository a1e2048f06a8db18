"""Charts: from a small CSV to an accessible SVG with a data table and its source."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from app.content import DatasetStore, parse_chart_spec, render_chart
from app.content.charts import format_number, nice_ticks

from .support import good_datasets

LINE_SPEC = """\
dataset: co2_sample
type: line
x: year
y: mean
title: Mauna Loa CO₂ <annual> & "mean"
x_range: [1980, 2024]
annotations:
  - {x: 1988, label: "IPCC <founded>"}
"""


def chart_html(spec_text: str, store: DatasetStore | None = None, **kwargs: object) -> str:
    store = store or good_datasets()
    spec, problems = parse_chart_spec(spec_text, path="m.md", first_line=2, datasets=store)
    assert spec is not None, problems
    return render_chart(spec, store.get(spec.dataset), chart_id="c-chart-1", **kwargs)  # type: ignore[arg-type]


def wide_drawing(html: str) -> str:
    """The first of the chart's two drawings (the wide one)."""
    return html[html.index("<svg") : html.index("</svg>")]


def narrow_drawing(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-narrow"')
    return html[start : html.index("</svg>", start)]


@pytest.fixture
def anomalies(tmp_path: Path) -> DatasetStore:
    (tmp_path / "anomaly.csv").write_text("year,anomaly_c\n1900,-0.2\n1950,***\n2000,0.4\n2020,1.0\n")
    (tmp_path / "anomaly.yml").write_text(
        textwrap.dedent("""\
        title: Test anomalies
        units: degrees Celsius (anomaly)
        source: Test <source>
        source_url: https://example.org/a.csv?x=1&y=2
        licence: CC0 1.0. Use freely.
        retrieved: 2024-05-01
        caveats: Made up for tests.
        """)
    )
    return DatasetStore(tmp_path)


def test_line_chart_is_an_accessible_svg_figure() -> None:
    html = chart_html(LINE_SPEC)
    assert html.startswith('<figure class="chart chart-line" id="c-chart-1">')
    assert "<figcaption>Mauna Loa CO₂ &lt;annual&gt; &amp; &quot;mean&quot;</figcaption>" in html
    assert re.search(
        r'<svg [^>]*viewBox="0 0 640 361" width="100%" role="img" '
        r'aria-labelledby="c-chart-1-title c-chart-1-desc"',
        html,
    )
    assert '<title id="c-chart-1-title">Mauna Loa CO₂ &lt;annual&gt; &amp; &quot;mean&quot;</title>' in html
    desc = re.search(r'<desc id="c-chart-1-desc">(.*?)</desc>', html)
    assert desc is not None
    assert desc.group(1) == (
        "Line chart of mean by year, 1980 to 2024, from “Mauna Loa CO2 annual mean (selected years)”. "
        "First value 338.76 ppm (1980); last value 424.61 ppm (2024). Marked: 1988 IPCC &lt;founded&gt;."
    )


def test_line_chart_has_axes_ticks_and_labels_with_units() -> None:
    html = chart_html(LINE_SPEC)
    y_ticks = re.findall(r'<text x="64" y="[\d.]+">([\d.-]+)</text>', html)
    assert y_ticks == ["320", "340", "360", "380", "400", "420", "440"]
    x_ticks = re.findall(r'<text x="[\d.]+" y="323">(\d+)</text>', html)
    assert x_ticks == ["1980", "1990", "2000", "2010", "2020"]
    assert 'rotate(-90)">mean (ppm)</text>' in html
    assert '<text class="chart-axis-label" x="344.0" y="353">year</text>' in html
    assert (
        html.count('<path class="chart-line" d="M72.0,') == 1
    )  # starts at the left edge: x_range starts at 1980


def test_annotation_is_a_dashed_marker_with_an_escaped_label() -> None:
    html = chart_html(LINE_SPEC)
    marker = re.search(
        r'<g class="chart-annotation"><line x1="([\d.]+)" x2="\1" y1="24" y2="305" '
        r'stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"/>'
        r"<text [^>]*>IPCC &lt;founded&gt;</text></g>",
        html,
    )
    assert marker is not None
    assert float(marker.group(1)) == pytest.approx(72 + (1988 - 1980) / (2024 - 1980) * 544, abs=0.1)


def test_data_table_fallback_and_source_line() -> None:
    html = chart_html(LINE_SPEC)
    assert '<details class="chart-data"><summary>Data table</summary>' in html
    assert '<th scope="col">year</th><th scope="col">mean (ppm)</th>' in html
    rows = re.findall(r'<tr><th scope="row">(\d+)</th><td>([\d.]+)</td></tr>', html)
    assert rows == [
        ("1980", "338.76"),
        ("1988", "351.69"),
        ("1990", "354.45"),
        ("2000", "369.71"),
        ("2010", "390.1"),
        ("2020", "414.21"),
        ("2024", "424.61"),
    ]
    assert (
        '<p class="chart-source">Source: '
        '<a href="https://gml.noaa.gov/webdata/ccgg/trends/co2/co2_annmean_mlo.csv" '
        'rel="noopener noreferrer">NOAA Global Monitoring Laboratory (GML)</a>. '
        "NOAA GML states the data are made freely available to the public and the scientific community.</p>"
    ) in html
    assert html.endswith("</figure>")


def test_labels_can_be_translated() -> None:
    html = chart_html(LINE_SPEC, labels={"data_table": "데이터 표", "source": "출처"})
    assert "<summary>데이터 표</summary>" in html
    assert '<p class="chart-source">출처: ' in html


def test_bar_chart_from_zero_with_negative_values_missing_values_and_escaped_metadata(
    anomalies: DatasetStore,
) -> None:
    html = chart_html(
        "dataset: anomaly\ntype: bar\nx: year\ny: anomaly_c\ntitle: Anomalies\nunits: °C\ny_label: Anomaly\n",
        anomalies,
    )
    wide = wide_drawing(html)
    assert wide.count('<rect class="chart-bar"') == 2
    assert wide.count('<rect class="chart-bar chart-bar-negative"') == 1
    assert "<td>no value</td>" in html  # the *** cell
    assert 'rotate(-90)">Anomaly (°C)</text>' in html
    assert "First value -0.2 °C (1900); last value 1 °C (2020)." in html
    assert 'href="https://example.org/a.csv?x=1&amp;y=2"' in html
    assert ">Test &lt;source&gt;</a> (2024-05-01). CC0 1.0.</p>" in html
    assert '<p class="chart-notes">Made up for tests.</p>' in html
    y_ticks = re.findall(r'<text x="64" y="[\d.]+">([\d.-]+)</text>', html)
    assert y_ticks == ["-0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]  # bars start at zero


def test_line_chart_breaks_at_missing_values(anomalies: DatasetStore) -> None:
    html = chart_html("dataset: anomaly\ntype: line\nx: year\ny: anomaly_c\ntitle: A\n", anomalies)
    path = re.search(r'<path class="chart-line" d="([^"]+)"', html)
    assert path is not None and path.group(1).count("M") == 1  # 2000-2020 is one segment
    assert wide_drawing(html).count("<circle") == 1  # 1900 stands alone between the start and a gap


def test_a_sidecar_url_that_is_not_http_is_never_a_link(anomalies: DatasetStore, tmp_path: Path) -> None:
    sidecar = tmp_path / "anomaly.yml"
    sidecar.write_text(
        sidecar.read_text().replace("https://example.org/a.csv?x=1&y=2", "javascript:alert(1)")
    )
    store = DatasetStore(tmp_path)
    assert any("'source_url' must start with https:// or http://" in p.message for p in store.lint())
    dataset = store.load("anomaly")[0]
    assert dataset is not None
    spec, _ = parse_chart_spec(
        "dataset: anomaly\ntype: line\nx: year\ny: anomaly_c\ntitle: A\n",
        path="m.md",
        first_line=2,
        datasets=DatasetStore(tmp_path),
    )
    assert spec is None  # a dataset with errors cannot be charted
    from app.content.charts import ChartSpec

    html = render_chart(ChartSpec("anomaly", "line", "year", "anomaly_c", "A"), dataset, chart_id="x")
    assert "javascript" not in html and "<a " not in html


@pytest.mark.parametrize(
    ("spec_text", "expected"),
    [
        ("type: line\nx: year\ny: mean\ntitle: T\n", [(1, "chart block has no 'dataset'")]),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: unc\ntitle: T\n",
            [(5, "dataset 'co2_sample' has no column 'unc' (columns: year, mean)")],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: T\nx_range: [2000]\n",
            [(7, "'x_range' must be two numbers, like [1960, 2025]")],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: T\ny_range: [400, 300]\n",
            [(7, "'y_range' must go from the smaller to the larger number")],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: T\nx_range: [1800, 1900]\n",
            [(1, "the chart has no values to draw in x_range")],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: T\nannotations:\n"
            "  - {x: 1850, label: Old}\n",
            [(8, "annotation at x = 1850 is outside the chart's x values")],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: T\nannotations:\n"
            "  - {x: 1990}\n  - {x: 2000, label: Y, colour: red}\n",
            [
                (8, "an annotation needs a 'label' (text)"),
                (9, "unknown annotation key 'colour' (allowed: x, label)"),
            ],
        ),
        (
            "dataset: co2_sample\ntype: line\nx: year\ny: mean\ntitle: [not, text]\n",
            [(6, "chart 'title' must be text")],
        ),
        ("- just\n- a list\n", [(2, "a chart block must be a list of 'key: value' lines")]),
    ],
)
def test_invalid_chart_blocks(spec_text: str, expected: list[tuple[int, str]]) -> None:
    spec, problems = parse_chart_spec(spec_text, path="m.md", first_line=2, datasets=good_datasets())
    assert spec is None
    assert [(p.line, p.message) for p in problems] == expected


def test_a_bar_chart_can_use_a_text_column_for_categories(tmp_path: Path) -> None:
    (tmp_path / "sectors.csv").write_text("sector,share\nEnergy,73.2\nAgriculture,18.4\n")
    (tmp_path / "sectors.yml").write_text(
        "title: Shares\nunits: percent\nsource: Test\nsource_url: https://example.org\nterms: Test data.\n"
    )
    store = DatasetStore(tmp_path)
    html = chart_html(
        "dataset: sectors\ntype: bar\nx: sector\ny: share\ntitle: S\nannotations:\n"
        "  - {x: Energy, label: Largest}\n",
        store,
    )
    assert ">Energy</text>" in html and ">Agriculture</text>" in html and ">Largest</text>" in html
    spec, problems = parse_chart_spec(
        "dataset: sectors\ntype: line\nx: sector\ny: share\ntitle: S\n",
        path="m.md",
        first_line=2,
        datasets=store,
    )
    assert spec is None
    assert problems[0].message == "a line chart needs a numeric x column; 'sector' is text (use type: bar)"


def test_dataset_store_reads_numbers_as_floats_and_missing_markers_as_none(anomalies: DatasetStore) -> None:
    dataset = anomalies.get("anomaly")
    assert dataset.columns == ("year", "anomaly_c")
    assert dataset.values("anomaly_c") == [-0.2, None, 0.4, 1.0]
    assert dataset.values("year") == [1900.0, 1950.0, 2000.0, 2020.0]
    assert dataset.units == "degrees Celsius (anomaly)"
    assert "anomaly" in anomalies and "../anomaly" not in anomalies


def test_dataset_sidecar_must_say_where_the_data_comes_from(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    (tmp_path / "a.yml").write_text("title: A\ncolumns: {x: x, z: zed}\n")
    (tmp_path / "orphan.yml").write_text("title: O\n")
    problems = [(Path(p.path).name, p.line, p.message) for p in DatasetStore(tmp_path).lint()]
    assert problems == [
        ("a.yml", 1, "sidecar needs 'units' (text)"),
        ("a.yml", 1, "sidecar needs 'source' (text)"),
        ("a.yml", 1, "sidecar needs 'source_url' (text)"),
        ("a.yml", 1, "sidecar needs 'licence', 'terms' or 'licence_terms' (text)"),
        ("a.yml", 2, "'columns' describes 'z', which is not a column of a.csv"),
        ("orphan.yml", 1, "sidecar without a dataset: no orphan.csv"),
    ]


def test_the_real_co2_dataset_loads() -> None:
    store = DatasetStore(Path(__file__).parents[2] / "courses" / "_data")
    dataset, problems = store.load("co2_annmean_mlo")
    assert problems == [] and dataset is not None
    assert dataset.values("year")[0] == 1959.0 and dataset.values("mean")[-1] == 427.35


@pytest.mark.parametrize(
    ("low", "high", "ticks", "decimals"),
    [
        (1959, 2025, [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020, 2030], 0),
        (338.76, 424.61, [320, 340, 360, 380, 400, 420, 440], 0),
        (-0.2, 1.0, [-0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
        (0, 0.9, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
        (5, 5, [4.0, 4.5, 5.0, 5.5, 6.0], 1),
    ],
)
def test_nice_ticks(low: float, high: float, ticks: list[float], decimals: int) -> None:
    assert nice_ticks(low, high) == (ticks, decimals)


@pytest.mark.parametrize(
    ("value", "text"), [(1960.0, "1960"), (390.1, "390.1"), (-0.0, "0"), (0.125, "0.125")]
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.fixture
def long_table(tmp_path: Path) -> DatasetStore:
    (tmp_path / "emissions.csv").write_text(
        "year,country,per_person\n2022,Korea,11.6\n2022,World,4.6\n2023,Korea,11.2\n2023,World,4.7\n"
    )
    (tmp_path / "emissions.yml").write_text(
        "title: Emissions\nunits: t per person\nsource: Test\nsource_url: https://example.org\nterms: Test data.\n"
    )
    return DatasetStore(tmp_path)


def test_where_draws_one_country_of_a_long_table(long_table: DatasetStore) -> None:
    html = chart_html(
        "dataset: emissions\ntype: line\nx: year\ny: per_person\ntitle: K\nwhere: {country: Korea}\n", long_table
    )
    table = html.split("<table", 1)[1]
    assert "11.6" in table and "11.2" in table
    assert "4.6" not in table and "4.7" not in table


def test_where_with_a_year_compares_countries_in_one_year(long_table: DatasetStore) -> None:
    html = chart_html(
        "dataset: emissions\ntype: bar\nx: country\ny: per_person\ntitle: In 2023\nwhere: {year: 2023}\n", long_table
    )
    table = html.split("<table", 1)[1]
    assert "11.2" in table and "4.7" in table and "11.6" not in table


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("{nation: Korea}", "'where' names column 'nation', which dataset 'emissions' does not have "
         "(columns: year, country, per_person)"),
        ("[Korea]", "'where' must be pairs of column and value, like {country: South Korea}"),
    ],
)
def test_where_errors_name_the_line(long_table: DatasetStore, where: str, message: str) -> None:
    spec, problems = parse_chart_spec(
        f"dataset: emissions\ntype: line\nx: year\ny: per_person\ntitle: K\nwhere: {where}\n",
        path="m.md", first_line=2, datasets=long_table,
    )
    assert spec is None
    assert [(p.line, p.message) for p in problems] == [(7, message)]


def test_where_that_matches_nothing_is_reported(long_table: DatasetStore) -> None:
    spec, problems = parse_chart_spec(
        "dataset: emissions\ntype: line\nx: year\ny: per_person\ntitle: K\nwhere: {country: Japan}\n",
        path="m.md", first_line=2, datasets=long_table,
    )
    assert spec is None
    assert [p.message for p in problems] == ["the chart has no values to draw in where"]
def test_chart_has_a_narrow_drawing_with_bigger_text_and_fewer_ticks() -> None:
    html = chart_html(LINE_SPEC)
    wide, narrow = wide_drawing(html), narrow_drawing(html)
    assert 'class="chart-svg chart-wide" viewBox="0 0 640 ' in wide
    assert re.search(r'viewBox="0 0 300 [\d.]+"', narrow)
    assert 'font-size="14"' in narrow and 'font-size="12"' not in narrow
    assert 'aria-labelledby="c-chart-1-narrow-title c-chart-1-narrow-desc"' in narrow  # ids stay unique
    wide_years = re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d{4})</text>', wide)
    narrow_years = re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d{4})</text>', narrow)
    assert len(narrow_years) < len(wide_years)
    assert "rotate(-90)" not in narrow  # the axis title sits above the plot, across
    assert '<text class="chart-axis-label" text-anchor="start" x="2" y="22">mean (ppm)</text>' in narrow


def test_narrow_drawing_numbers_annotations_and_lists_them_under_the_chart() -> None:
    html = chart_html(LINE_SPEC)
    assert re.search(r'<g class="chart-annotation">.*?text-anchor="middle">1</text></g>', narrow_drawing(html))
    assert '<ol class="chart-key"><li>IPCC &lt;founded&gt;</li></ol>' in html


def test_annotation_labels_close_together_go_on_separate_rows(tmp_path: Path) -> None:
    spec = LINE_SPEC.replace(
        '  - {x: 1988, label: "IPCC <founded>"}\n',
        '  - {x: 1988, label: "IPCC founded"}\n  - {x: 1990, label: "First report"}\n'
        '  - {x: 2015, label: "Paris Agreement"}\n',
    )
    wide = wide_drawing(chart_html(spec))
    labels = re.findall(r'<text x="([\d.]+)" y="(\d+)" font-size="12" fill="currentColor" '
                        r'text-anchor="(\w+)">([^<]+)</text>', wide)
    rows = {text: int(y) for _x, y, _anchor, text in labels}
    assert rows["IPCC founded"] != rows["First report"]  # two years apart: they would overlap
    assert rows["Paris Agreement"] == rows["IPCC founded"]  # far apart: they share the first row
    top = int(re.search(r'<clipPath id="c-chart-1-plot"><rect x="[\d.]+" y="(\d+)"', wide).group(1))
    assert max(rows.values()) < top  # labels sit above the plot, clear of the data
    lines = dict(re.findall(r'<line x1="[\d.]+" x2="[\d.]+" y1="(\d+)" y2="\d+" stroke="currentColor" '
                            r'stroke-opacity="0.6" stroke-dasharray="4 3"/><text [^>]*>([^<]+)</text>', wide))
    lines = {label: int(y1) for y1, label in lines.items()}
    # each dashed line runs up to just under its own label, so it is clear which label is whose
    assert lines["First report"] == rows["First report"] + 4
    assert lines["Paris Agreement"] == rows["Paris Agreement"] + 4


def test_place_labels_never_overlaps_spans() -> None:
    from app.content.charts import place_labels

    spans = [(0, 50), (40, 90), (60, 100), (95, 140), (10, 20)]
    rows = place_labels(spans)
    for i, (a_left, a_right) in enumerate(spans):
        for j, (b_left, b_right) in enumerate(spans):
            if i < j and rows[i] == rows[j]:
                assert a_right <= b_left or b_right <= a_left
    assert rows == [0, 1, 0, 2, 1]
