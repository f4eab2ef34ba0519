"""The charts: SVG that parses, PNG that opens, the text alternative, grey print, lean start-up."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET

from sikt_cli.render import charts

SVG = "{http://www.w3.org/2000/svg}"
DAYS = [dt.date(2020, 6, 5), dt.date(2020, 9, 4)]


def heatmap() -> charts.Chart:
    return charts.attendance_heatmap(
        ["Essunga", "Götene"],
        DAYS,
        [[charts.ABSENT, charts.PRESENT], [charts.UNACCOUNTED, charts.NONE]],
    )


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_heatmap_svg_has_swedish_labels_and_letters() -> None:
    texts = svg_texts(heatmap().svg)
    assert "Närvaro per kommun och möte" in texts
    assert {"Essunga", "Götene", "5 jun 2020", "4 sep 2020"} <= set(texts)
    assert {"Närvarande (N)", "Frånvarande med anmälan (F)", "Ej redovisad (?)"} <= set(texts)
    assert sorted(t for t in texts if t in ("N", "F", "?")) == ["?", "F", "N"]


def test_heatmap_alt_names_every_municipality() -> None:
    assert heatmap().alt == (
        "Närvaro per kommun och möte, rutnät med 2 kommuner och 2 möten "
        "(5 jun 2020–4 sep 2020). Essunga: närvarande 1, frånvarande 1, ej redovisad 0; "
        "Götene: närvarande 0, frånvarande 0, ej redovisad 1."
    )


def test_png_opens_and_output_is_stable() -> None:
    from PIL import Image

    chart = charts.goal_chart(["mal-1.1", "mal-2.1"], [1, 0], [0, 0], [3, 0])
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.width > 600
    again = charts.goal_chart(["mal-1.1", "mal-2.1"], [1, 0], [0, 0], [3, 0])
    assert again.svg == chart.svg
    assert "<!DOCTYPE" not in chart.svg and chart.svg.startswith("<svg")


def test_goal_chart_alt_and_labels() -> None:
    chart = charts.goal_chart(["mal-1.1", "mal-2.1"], [1, 0], [1, 0], [3, 0])
    assert chart.alt == (
        "Ärenden, beslut och uppdrag per mål, stapeldiagram. mal-1.1: 1 ärende, 1 beslut, "
        "3 uppdrag; mal-2.1: 0 ärenden, 0 beslut, 0 uppdrag."
    )
    assert {"mal-1.1", "mal-2.1", "Ärenden", "Beslut", "Uppdrag", "3"} <= set(svg_texts(chart.svg))


def test_action_item_chart_alt() -> None:
    chart = charts.action_item_chart(["Hjo", "Vara"], [2, 0], [1, 1], [0, 2])
    assert chart.alt == (
        "Uppdrag: avslutade, öppna och försenade, staplat stapeldiagram. Hjo: 2 avslutade, "
        "1 öppna, 0 försenade; Vara: 0 avslutade, 1 öppna, 2 försenade."
    )
    assert {"Avslutade", "Öppna", "Försenade"} <= set(svg_texts(chart.svg))


def _grey(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_series_colours_differ_in_grey_print() -> None:
    for trio in (
        (charts.BLUE, charts.ORANGE, charts.GREEN),
        (charts.BLUE, charts.SKY, charts.VERMILLION),
        (charts.BLUE, charts.ORANGE, charts.WHITE),
    ):
        greys = sorted(_grey(c) for c in trio)
        assert min(b - a for a, b in itertools.pairwise(greys)) > 15, trio


def test_help_does_not_import_matplotlib() -> None:
    code = (
        "import sys\n"
        "from sikt_cli.cli.app import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('matplotlib' in sys.modules, 'fpdf' in sys.modules, 'docx' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False False"
