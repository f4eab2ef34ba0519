"""The reports' charts: report data → render/charts.py's plain data → a Chart."""

from __future__ import annotations

from sikt_cli.records.reports.action_items import ActionReport
from sikt_cli.records.reports.attendance import Attendance
from sikt_cli.records.reports.goals import GoalReport
from sikt_cli.render.charts import Chart, action_item_chart, attendance_heatmap, goal_chart


def attendance_chart(a: Attendance) -> Chart:
    return attendance_heatmap(
        [r.name for r in a.municipalities],
        list(a.meetings),
        [list(r.states) for r in a.municipalities],
        title=f"Närvaro per kommun och möte {a.period.label}",
    )


def goals_chart(g: GoalReport) -> Chart:
    shown = g.sub_goals
    return goal_chart(
        [x.id for x in shown],
        [len(x.items) for x in shown],
        [len(x.decisions) for x in shown],
        [len(x.action_items) for x in shown],
        title=f"Ärenden, beslut och uppdrag per mål {g.period.label}",
    )


def actions_chart(r: ActionReport) -> Chart:
    rows = r.per_municipality
    return action_item_chart(
        [t.label for t in rows],
        [t.closed for t in rows],
        [t.open for t in rows],
        [t.overdue for t in rows],
        title=f"Uppdrag per kommun {r.period.label} (läget {r.as_of})",
    )
