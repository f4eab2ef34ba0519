"""Charts for the reports and the web archive: plain data in, a `Chart` out.

One plotting library (matplotlib, Agg backend) used the same way for every chart, imported
only when a chart is drawn so that `sikt --help` stays lean. A `Chart` draws itself on
first use: `.svg` (text, for HTML, inline), `.png` (bytes, for docx/pdf) and `.alt`, the
text alternative in Swedish that says what the chart shows.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies), chosen
so that their lightness differs in grey print; each series also has its own hatching and
every bar or cell carries its number or letter, so nothing depends on colour alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sikt_cli.dates import MONTHS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design"
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
WHITE = "#FFFFFF"
INK = "#222222"

# attendance states, as `attendance_heatmap` takes them
PRESENT = "present"
ABSENT = "absent"  # absent with notice (franvarande)
UNACCOUNTED = "unaccounted"  # neither present nor reported absent
NONE = "none"  # the municipality had no members then: an empty cell

_STATE_STYLE = {  # fill, hatch, letter in the cell, legend label
    PRESENT: (BLUE, "", "N", "Närvarande (N)"),
    ABSENT: (ORANGE, "//", "F", "Frånvarande med anmälan (F)"),
    UNACCOUNTED: (WHITE, "xx", "?", "Ej redovisad (?)"),
}
DPI = 150


class Chart:
    """A chart drawn on first use; `.svg`, `.png` and `.alt` are stable for a given input."""

    def __init__(self, draw: Callable[[], Figure], alt: str, title: str) -> None:
        self._draw = draw
        self.alt = alt
        self.title = title

    @cached_property
    def svg(self) -> str:
        return self._save("svg").decode("utf-8")

    @cached_property
    def png(self) -> bytes:
        return self._save("png")

    def _save(self, form: str) -> bytes:
        import matplotlib.pyplot as plt

        fig = self._draw()
        out = io.BytesIO()
        # no date and a fixed id salt: the same data gives the same bytes
        metadata: dict[str, Any] = {"Date": None} if form == "svg" else {"Software": None}
        fig.savefig(out, format=form, dpi=DPI, metadata=metadata)
        plt.close(fig)
        data = out.getvalue()
        if form == "svg":  # drop the XML prolog and DOCTYPE: the SVG goes inline into HTML
            text = data.decode("utf-8")
            data = text[text.index("<svg") :].encode("utf-8")
        return data


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A new figure with one axes, in sikt's style."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "sikt",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "hatch.linewidth": 0.6,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def short_date(day: dt.date) -> str:
    """'5 jun 2020': a meeting date as a chart label."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def attendance_heatmap(
    municipalities: Sequence[str],
    meetings: Sequence[dt.date],
    states: Sequence[Sequence[str]],
    *,
    title: str = "Närvaro per kommun och möte",
) -> Chart:
    """Municipalities (rows) × meetings (columns); `states[row][column]` is PRESENT, ABSENT,
    UNACCOUNTED or NONE."""
    rows, cols = list(municipalities), list(meetings)
    grid = [list(r) for r in states]

    def draw() -> Figure:
        from matplotlib.patches import Patch, Rectangle

        width = min(max(4.5, 2.6 + 0.45 * len(cols)), 16.0)
        height = 2.2 + 0.28 * len(rows) + (0 if width >= 8 else 0.4)
        fig, ax = _figure(width, height)
        for r, row in enumerate(grid):
            for c, state in enumerate(row):
                if state not in _STATE_STYLE:
                    continue
                fill, hatch, letter, _ = _STATE_STYLE[state]
                ax.add_patch(
                    Rectangle(
                        (c, r), 1, 1, facecolor=fill, hatch=hatch, edgecolor="#888888", lw=0.5
                    )
                )
                colour = WHITE if state == PRESENT else INK
                if len(cols) <= 40:
                    ax.text(c + 0.5, r + 0.5, letter, ha="center", va="center", color=colour)
        ax.set_xlim(0, max(len(cols), 1))
        ax.set_ylim(len(rows), 0)
        ax.set_yticks([r + 0.5 for r in range(len(rows))], rows)
        step = max(1, len(cols) // 24)
        ticks = list(range(0, len(cols), step))
        ax.set_xticks(
            [c + 0.5 for c in ticks], [short_date(cols[c]) for c in ticks], rotation=60, ha="right"
        )
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(title, loc="left", fontweight="bold")
        handles = [
            Patch(facecolor=f, hatch=h, edgecolor="#888888", label=label)
            for f, h, _, label in _STATE_STYLE.values()
        ]
        ncols = 3 if width >= 8 else 1  # a narrow chart stacks the legend: never cut off
        fig.legend(handles=handles, loc="outside lower center", ncols=ncols, frameon=False)
        return fig

    return Chart(draw, _attendance_alt(rows, cols, grid, title), title)


def _attendance_alt(rows: list[str], cols: list[dt.date], grid: list[list[str]], title: str) -> str:
    if not cols:
        return f"{title}: inga möten."
    span = (
        short_date(cols[0]) if len(cols) == 1 else f"{short_date(cols[0])}–{short_date(cols[-1])}"
    )
    parts = []
    for name, row in zip(rows, grid, strict=True):
        counts = [sum(1 for s in row if s == state) for state in (PRESENT, ABSENT, UNACCOUNTED)]
        parts.append(
            f"{name}: närvarande {counts[0]}, frånvarande {counts[1]}, ej redovisad {counts[2]}"
        )
    n = len(cols)
    return (
        f"{title}, rutnät med {len(rows)} kommuner och {n} {'möte' if n == 1 else 'möten'} "
        f"({span}). " + "; ".join(parts) + "."
    )


def _bars(
    ax: Axes, labels: list[str], series: list[tuple[str, list[int], str, str]], *, stacked: bool
) -> None:
    """Horizontal bars, grouped or stacked, each with its number written beside or in it."""
    n = len(series)
    height = 0.8 if stacked else 0.8 / max(n, 1)
    left = [0] * len(labels)
    for i, (name, values, colour, hatch) in enumerate(series):
        ys = [y if stacked else y - 0.4 + height * (i + 0.5) for y in range(len(labels))]
        bars = ax.barh(
            ys,
            values,
            height=height,
            left=left if stacked else None,
            color=colour,
            hatch=hatch,
            edgecolor=INK,
            linewidth=0.5,
            label=name,
        )
        shown = [str(v) if v else "" for v in values] if stacked else [str(v) for v in values]
        ax.bar_label(
            bars,
            labels=shown,
            label_type="center" if stacked else "edge",
            padding=0 if stacked else 2,
            color=INK,
            bbox={"facecolor": WHITE, "edgecolor": "none", "pad": 0.6} if stacked else None,
        )
        if stacked:
            left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#DDDDDD", lw=0.5)


def goal_chart(
    goals: Sequence[str],
    items: Sequence[int],
    decisions: Sequence[int],
    action_items: Sequence[int],
    *,
    title: str = "Ärenden, beslut och uppdrag per mål",
) -> Chart:
    """Grouped bars per goal: agenda items, decisions and uppdrag linked to it."""
    labels = list(goals)
    series = [
        ("Ärenden", list(items), BLUE, ""),
        ("Beslut", list(decisions), ORANGE, "//"),
        ("Uppdrag", list(action_items), GREEN, ".."),
    ]

    def draw() -> Figure:
        fig, ax = _figure(6.5, 1.4 + 0.55 * len(labels))
        _bars(ax, labels, series, stacked=False)
        ax.set_xlabel("Antal")
        ax.set_title(title, loc="left", fontweight="bold")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        return fig

    parts = [
        f"{g}: {i} {'ärende' if i == 1 else 'ärenden'}, {d} beslut, {a} uppdrag"
        for g, i, d, a in zip(labels, items, decisions, action_items, strict=True)
    ]
    alt = f"{title}, stapeldiagram. " + ("; ".join(parts) + "." if parts else "Inga mål.")
    return Chart(draw, alt, title)


def action_item_chart(
    labels: Sequence[str],
    closed: Sequence[int],
    open_: Sequence[int],
    overdue: Sequence[int],
    *,
    title: str = "Uppdrag: avslutade, öppna och försenade",
) -> Chart:
    """Stacked bars per label (a period or a municipality): closed, open (not overdue) and
    overdue uppdrag."""
    names = list(labels)
    series = [
        ("Avslutade", list(closed), BLUE, ""),
        ("Öppna", list(open_), SKY, "//"),
        ("Försenade", list(overdue), VERMILLION, "xx"),
    ]

    def draw() -> Figure:
        fig, ax = _figure(6.5, 1.4 + 0.4 * len(names))
        _bars(ax, names, series, stacked=True)
        ax.set_xlabel("Antal uppdrag")
        ax.set_title(title, loc="left", fontweight="bold")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        return fig

    parts = [
        f"{n}: {c} avslutade, {o} öppna, {d} försenade"
        for n, c, o, d in zip(names, closed, open_, overdue, strict=True)
    ]
    alt = f"{title}, staplat stapeldiagram. " + ("; ".join(parts) + "." if parts else "Inga.")
    return Chart(draw, alt, title)
