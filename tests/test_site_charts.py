"""The goal pages' charts as inline SVG without inline CSS (render/site_charts.py): the
pages' policy has no `style-src 'unsafe-inline'`. tests/test_webb_browser.py checks that
Chromium draws the converted chart exactly as matplotlib's own."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sikt_cli.render.charts import goal_chart
from sikt_cli.render.site_charts import safe_svg

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def test_styles_become_presentation_attributes_with_css_precedence() -> None:
    svg = (
        f'<svg {NS} width="10pt">'
        "<metadata><x/></metadata>"
        "<defs><style>*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>"
        '<g id="a" style="stroke-linecap: square"><path id="b" d="M 0 0"/></g>'
        '<path id="c" stroke-linecap="square" style="fill: #fff; stroke: url(#h1)"/>'
        '<use id="d" xlink:href="#b" style="stroke-width: 0.8; mystery: 1"/>'
        "</svg>"
    )
    out = str(safe_svg(svg, "diagram-mal-1"))
    assert out == (
        '<svg role="img" aria-labelledby="diagram-mal-1" width="10pt" stroke-linejoin="round"'
        ' stroke-linecap="butt" xmlns="http://www.w3.org/2000/svg"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs /><g id="a" stroke-linecap="square">'
        '<path id="b" d="M 0 0" stroke-linecap="butt" /></g>'
        '<path id="c" stroke-linecap="butt" fill="#fff" stroke="url(#h1)" />'
        '<use id="d" stroke-width="0.8" xlink:href="#b" /></svg>'
    )


def test_a_real_chart_has_no_inline_css_and_stays_svg() -> None:
    chart = goal_chart(["mal-1", "mal-1.1"], [2, 1], [1, 0], [3, 1], title="Under mal-1")
    assert 'style="' in chart.svg and "<style" in chart.svg  # what matplotlib writes
    out = str(safe_svg(chart.svg, "diagram-mal-1"))
    assert "style" not in out and "<metadata" not in out
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "diagram-mal-1"
    fills = {el.get("fill") for el in root.iter()}
    assert "#0072b2" in fills  # the bars keep their colour


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (f"<svg {NS}><style>path {{fill: red}}</style></svg>", "rule other than"),
        (f"<svg {NS}><script>alert(1)</script></svg>", "element script"),
        (f'<svg {NS}><path onclick="x()"/></svg>', "attribute onclick"),
        (f'<svg {NS}><use xlink:href="https://e.se/x.svg#a"/></svg>', "link outside"),
        (f'<svg {NS} xmlns:h="urn:x"><h:b/></svg>', "is not SVG"),
    ],
)
def test_what_cannot_be_written_inline_is_refused(svg: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        safe_svg(svg, "x")
