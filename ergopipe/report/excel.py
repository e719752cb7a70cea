"""The Excel workbook an ergonomist hands on: Summary, Charts, Frames, Method (openpyxl, native charts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.drawing.image import Image as XLImage
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ergopipe.report.i18n import texts

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
# Traffic light per action level, per method (level -> fill colour).
LEVEL_FILL = {
    "reba": {0: "8BC34A", 1: "CDDC39", 2: "FFC107", 3: "FF7043", 4: "D32F2F"},
    "rula": {1: "8BC34A", 2: "FFC107", 3: "FF7043", 4: "D32F2F"},
    "owas": {1: "8BC34A", 2: "FFC107", 3: "FF7043", 4: "D32F2F"},
}
METHOD_LEVEL_KEY = {"reba": "max_action_level", "rula": "max_action_level", "owas": "max_action_category"}


class _Sheet:
    """Appends rows to a worksheet and remembers the current row."""

    def __init__(self, ws: Any) -> None:
        self.ws, self.row = ws, 1

    def put(self, *values: Any, bold: bool = False, fill: str | None = None) -> int:
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            if bold:
                cell.font = BOLD
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
        self.row += 1
        return self.row - 1

    def header(self, *values: Any) -> None:
        r = self.put(*values, bold=True)
        for col in range(1, len(values) + 1):
            self.ws.cell(row=r, column=col).fill = HEADER_FILL

    def gap(self) -> None:
        self.row += 1


def write_workbook(path: Path, frames: pd.DataFrame, summary: Mapping[str, Any], provenance: Mapping[str, Any],
                   warnings: list[str], *, pictures: Mapping[str, Path], language: str) -> Path:
    t = texts(language)
    wb = Workbook()
    _summary_sheet(wb.active, frames, summary, warnings, pictures, t)
    _frames_sheet(wb.create_sheet(t["frames"]), frames)
    _charts_sheet(wb.create_sheet(t["charts"]), wb[t["frames"]], frames, summary, t)
    _method_sheet(wb.create_sheet(t["method"]), summary, provenance, t)
    wb.save(path)
    return path


def _summary_sheet(ws: Any, frames: pd.DataFrame, summary: Mapping[str, Any], warnings: list[str],
                   pictures: Mapping[str, Path], t: Mapping[str, str]) -> None:
    ws.title = t["summary"]
    s = _Sheet(ws)
    ws.cell(row=1, column=1, value=t["title"]).font = TITLE
    s.row = 3
    video = summary.get("video", {})
    for key in ("name", "duration_s", "frames_analysed", "analysis_fps", "detected_pct"):
        s.put(t.get(key, t["video"]), video.get(key))
    s.gap()
    s.header(t["method"], t["max_score"], t["worse_side"], t["median_score"], t["max_action_level"], t["action"])
    for method in ("reba", "rula", "owas"):
        m = summary.get(method)
        if not isinstance(m, Mapping):
            continue
        level = m.get(METHOD_LEVEL_KEY[method])
        side = m.get("worse_side")
        r = s.put(method.upper(), m.get("max_score"), t.get(side, side) if isinstance(side, str) else side,
                  m.get("median_score"), level, m.get("action_text"))
        fill = LEVEL_FILL[method].get(level) if isinstance(level, int) else None
        if fill:
            ws.cell(row=r, column=5).fill = PatternFill("solid", fgColor=fill)
    s.gap()
    s.put(t["time_by_level"], bold=True)
    for method in ("reba", "rula", "owas"):
        m = summary.get(method)
        levels = m.get("time_pct_by_action_level") or m.get("time_pct_by_action_category") if isinstance(
            m, Mapping) else None
        if levels:
            s.header(method.upper(), *[f"{t['level']} {k}" for k in levels])
            s.put("", *[round(v, 1) if isinstance(v, (int, float)) else v for v in levels.values()])
    s.gap()
    s.put(t["worst_moments"], bold=True)
    s.header(t["method"], t["time_s"], t["frame"], t["score"], t["side"])
    for method in ("reba", "rula"):
        m = summary.get(method)
        for w in (m.get("worst_moments", []) if isinstance(m, Mapping) else []):
            side = w.get("side")
            s.put(method.upper(), w.get("time_s"), w.get("frame"), w.get("score"), t.get(side, side))
    coverage = summary.get("coverage")
    if isinstance(coverage, Mapping):
        s.gap()
        s.put(t["coverage"], bold=True)
        for key, value in _flatten(coverage):
            s.put(key, value)
    if warnings:
        s.gap()
        s.put(t["warnings"], bold=True)
        for w in warnings:
            s.put(w)
    ws.column_dimensions["A"].width = 34
    for col in "BCDE":
        ws.column_dimensions[col].width = 16
    ws.column_dimensions["F"].width = 60
    anchor_row = 3
    for key in ("timeline_png", "bodymap_png"):
        if key in pictures:
            img = XLImage(str(pictures[key]))
            img.width, img.height = img.width * 0.6, img.height * 0.6
            ws.add_image(img, f"H{anchor_row}")
            anchor_row += int(img.height / 20) + 2


def _frames_sheet(ws: Any, frames: pd.DataFrame) -> None:
    ws.append(list(frames.columns))
    for row in frames.itertuples(index=False):
        ws.append([None if isinstance(v, float) and v != v else v for v in row])
    for col in range(1, frames.shape[1] + 1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.freeze_panes = "D2"
    last = get_column_letter(frames.shape[1])
    ws.auto_filter.ref = f"A1:{last}{frames.shape[0] + 1}"
    for col, name in enumerate(frames.columns, start=1):
        letter = get_column_letter(col)
        if name.endswith("_deg"):
            for r in range(2, frames.shape[0] + 2):
                ws.cell(row=r, column=col).number_format = "0.0"
        if name in ("reba_score", "rula_score", "owas_action_category"):
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{frames.shape[0] + 1}",
                ColorScaleRule(start_type="min", start_color="8BC34A", mid_type="percentile", mid_value=50,
                               mid_color="FFEB3B", end_type="max", end_color="E53935"))


def _charts_sheet(ws: Any, frames_ws: Any, frames: pd.DataFrame, summary: Mapping[str, Any],
                  t: Mapping[str, str]) -> None:
    n = frames.shape[0]
    cols = list(frames.columns)
    chart = LineChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = f"REBA / RULA – {t['risk_timeline']}", t["score"], t[
        "time_s"]
    chart.height, chart.width = 9, 24
    for name in ("reba_score", "rula_score"):
        if name in cols:
            c = cols.index(name) + 1
            chart.add_data(Reference(frames_ws, min_col=c, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(frames_ws, min_col=cols.index("time_s") + 1, min_row=2, max_row=n + 1))
    ws.add_chart(chart, "A1")
    row = 22
    for method in ("reba", "rula", "owas"):
        m = summary.get(method)
        levels = (m.get("time_pct_by_action_level") or m.get("time_pct_by_action_category")) if isinstance(
            m, Mapping) else None
        if not levels:
            continue
        ws.cell(row=row, column=1, value=f"{method.upper()} {t['level']}").font = BOLD
        ws.cell(row=row, column=2, value=t["time_pct"]).font = BOLD
        for k, (level, pct) in enumerate(levels.items(), start=1):
            ws.cell(row=row + k, column=1, value=str(level))
            ws.cell(row=row + k, column=2, value=pct)
        bar = BarChart()
        bar.title, bar.y_axis.title = f"{method.upper()} – {t['time_by_level']}", t["time_pct"]
        bar.add_data(Reference(ws, min_col=2, min_row=row, max_row=row + len(levels)), titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(levels)))
        bar.height, bar.width = 7, 12
        ws.add_chart(bar, f"D{row}")
        row += max(len(levels) + 2, 16)


def _method_sheet(ws: Any, summary: Mapping[str, Any], provenance: Mapping[str, Any], t: Mapping[str, str]) -> None:
    s = _Sheet(ws)
    s.header(t["setting"], t["value"])
    for key, value in _flatten(provenance):
        s.put(key, value)
    for section in ("inputs", "rules", "gravity", "angle_sources"):
        if section in summary:
            s.gap()
            s.put(section, bold=True)
            for key, value in _flatten(summary[section]):
                s.put(key, value)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested mapping -> [("a.b", scalar)], lists joined as text."""
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, (list, tuple)):
        return [(prefix, ", ".join(str(v) for v in value))]
    return [(prefix, value)]
