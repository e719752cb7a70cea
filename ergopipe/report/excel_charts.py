"""The Charts sheet: native Excel charts (they stay live and editable in Excel and LibreOffice).

REBA and RULA over time (scatter lines over the Frames sheet's columns), time per action level per method
(bars in traffic-light colours), time per angle zone per body part (stacked bars). The small tables the
bar charts plot are written on this sheet, left of the charts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import DataPoint

from ergopipe.report import palette
from ergopipe.report.excel_style import BOLD, PCT, landscape_fit_width
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import describe_column, zone_text

METHODS = ("reba", "rula", "owas")
ZONE_COLOURS = ("64B5F6", palette.GREEN, palette.AMBER, palette.RED)  # extension, 0-20, 20-60, > 60
CHART_ROWS = 18  # rows one chart occupies at the default row height (height 8.5 cm)


def write_charts(
    ws: Any, frames_ws: Any, columns: Sequence[str], n_rows: int, summary: Mapping[str, Any], language: str
) -> None:
    """frames_ws: the Frames sheet (header in row 1, `n_rows` data rows, `columns` in order)."""
    t = texts(language)
    ws.column_dimensions["A"].width = 34
    for col in "BCDE":
        ws.column_dimensions[col].width = 13
    anchor = 1
    for method in ("reba", "rula"):
        column = f"{method}_score"
        if column in columns and "time_s" in columns:
            ws.add_chart(_time_chart(frames_ws, columns, n_rows, method, t), f"D{anchor}")
            anchor += CHART_ROWS
    row = anchor
    for method in METHODS:
        m = summary.get(method)
        pct = m.get("time_pct_by_action_level") if isinstance(m, Mapping) else None
        if pct:
            row = _levels_chart(ws, row, method, pct, t) + 1
    _zones_chart(ws, row, summary.get("exposure"), t, language)
    landscape_fit_width(ws)


def _time_chart(
    frames_ws: Any, columns: Sequence[str], n_rows: int, method: str, t: Mapping[str, str]
) -> Any:
    chart = ScatterChart()
    chart.title = t["score_over_time"].format(method=method.upper())
    chart.style = 13
    chart.x_axis.title, chart.y_axis.title = t["time_s"], t["score"]
    hi = palette.SCORE_RANGE[method][1]
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, hi
    chart.y_axis.majorUnit = 1 if hi <= 7 else 2
    chart.x_axis.delete = chart.y_axis.delete = False  # LibreOffice hides axes openpyxl leaves implicit
    chart.x_axis.number_format = "0.0"
    chart.x_axis.scaling.min = 0
    xs = Reference(frames_ws, min_col=columns.index("time_s") + 1, min_row=2, max_row=n_rows + 1)
    col = columns.index(f"{method}_score") + 1
    ys = Reference(frames_ws, min_col=col, min_row=1, max_row=n_rows + 1)
    series = Series(ys, xs, title_from_data=True)
    series.marker.symbol = "none"
    series.smooth = False
    series.graphicalProperties.line.solidFill = "B71C1C" if method == "reba" else "0D47A1"
    series.graphicalProperties.line.width = 19050  # 1.5 pt in EMU
    chart.series.append(series)
    chart.legend = None
    chart.height, chart.width = 8.5, 24
    return chart


def _levels_chart(ws: Any, row: int, method: str, pct: Mapping[str, Any], t: Mapping[str, str]) -> int:
    """Table (level, %) in A:B from `row` and its bar chart beside it; returns the next free row."""
    word = "category_n" if method == "owas" else "level_n"
    title = t["categories_chart" if method == "owas" else "levels_chart"].format(method=method.upper())
    ws.cell(row=row, column=1, value=title).font = BOLD
    ws.cell(row=row, column=2, value=t["time_pct"]).font = BOLD
    levels = list(pct)
    for k, level in enumerate(levels, start=1):
        ws.cell(row=row + k, column=1, value=t[word].format(n=level))
        ws.cell(row=row + k, column=2, value=pct[level]).number_format = PCT
    bar = BarChart()
    bar.type, bar.title = "col", title
    bar.y_axis.title, bar.y_axis.scaling.min, bar.y_axis.scaling.max = t["time_pct"], 0, 100
    bar.x_axis.delete = bar.y_axis.delete = False
    bar.add_data(Reference(ws, min_col=2, min_row=row, max_row=row + len(levels)), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(levels)))
    series = bar.series[0]
    for idx, level in enumerate(levels):
        point = DataPoint(idx=idx)
        point.graphicalProperties.solidFill = palette.LEVEL_FILL[method].get(int(level), palette.GREY)
        series.dPt.append(point)
    bar.legend = None
    bar.height, bar.width = 7.5, 14
    ws.add_chart(bar, f"D{row}")
    return row + max(len(levels) + 2, 16)


def _zones_chart(ws: Any, row: int, exposure: Any, t: Mapping[str, str], language: str) -> None:
    if not isinstance(exposure, Mapping) or not exposure.get("parts"):
        return
    zones = list(exposure.get("zones_deg", []))
    parts = exposure["parts"]
    ws.cell(row=row, column=1, value=t["body_part"]).font = BOLD
    for j, zone in enumerate(zones, start=2):
        ws.cell(row=row, column=j, value=zone_text(zone, language)).font = BOLD
    for i, (part, facts) in enumerate(parts.items(), start=1):
        ws.cell(row=row + i, column=1, value=describe_column(f"{part}_deg", language) or part)
        for j, zone in enumerate(zones, start=2):
            ws.cell(row=row + i, column=j, value=facts.get("time_pct", {}).get(zone)).number_format = PCT
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
    bar.title = t["zones_chart"]
    bar.y_axis.title, bar.y_axis.scaling.min, bar.y_axis.scaling.max = t["time_pct"], 0, 100
    bar.x_axis.delete = bar.y_axis.delete = False
    bar.add_data(
        Reference(ws, min_col=2, max_col=1 + len(zones), min_row=row, max_row=row + len(parts)),
        titles_from_data=True,
    )
    bar.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(parts)))
    for series, colour in zip(bar.series, ZONE_COLOURS, strict=False):
        series.graphicalProperties.solidFill = colour
    bar.x_axis.scaling.orientation = "maxMin"  # parts top to bottom in table order (trunk first)
    bar.legend.position = "b"
    bar.height, bar.width = 8.5, 24
    ws.add_chart(bar, f"A{row + len(parts) + 2}")
