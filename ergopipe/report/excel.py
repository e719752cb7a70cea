"""The Excel workbook an ergonomist hands on: Summary, Charts, Frames, Columns, Method (openpyxl).

Sheets are written by excel_summary, excel_charts and excel_method; this module writes the per-frame sheet
(same column names and values as `<stem>_frames.csv`) and its column legend, and saves the file.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ergopipe.report import palette
from ergopipe.report.excel_charts import write_charts
from ergopipe.report.excel_method import write_method
from ergopipe.report.excel_style import BOLD, CENTER, HEADER_FILL, Rows
from ergopipe.report.excel_summary import write_summary
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import describe_column

log = logging.getLogger(__name__)

# Colour scales on the Frames sheet: column -> (method whose score range and palette apply).
SCALED_COLUMNS = {
    "reba_score": "reba",
    "rula_score": "rula",
    "owas_action_category": "owas",
    "reba_score_left": "reba",
    "reba_score_right": "reba",
    "rula_score_left": "rula",
    "rula_score_right": "rula",
}
LEVEL_SCALES = {"reba_action_level": (0, 4), "rula_action_level": (1, 4)}


def number_format(column: str) -> str | None:
    """Excel number format of a per-frame column: angles 0.0, time 0.000; None = General (scores, levels,
    flags and frame numbers are whole numbers and show as such; leaving them unstyled keeps a long video's
    sheet quick to write)."""
    if column.endswith("_deg"):
        return "0.0"
    if column == "time_s":
        return "0.000"
    return None


def write_workbook(
    path: Path,
    frames: pd.DataFrame,
    summary: Mapping[str, Any],
    provenance: Mapping[str, Any],
    warnings: Sequence[str],
    *,
    pictures: Mapping[str, Path],
    language: str,
    thumbs: Mapping[int, bytes] | None = None,
) -> Path:
    """Write the workbook to `path`.

    frames: the per-frame table as written to the CSV (one row per analysed frame, "frame" = source frame).
    summary/provenance: JSON-ready mappings (as in `<stem>_results.json`).
    pictures: {"timeline_png", "bodymap_png"} -> PNG paths, embedded on the Summary sheet.
    thumbs: source frame number -> JPEG bytes of that frame, shown with the worst moments.
    """
    t = texts(language)
    wb = Workbook()
    write_summary(wb.active, summary, warnings, pictures, thumbs or {}, language)
    charts_ws = wb.create_sheet(t["charts"])
    frames_ws = wb.create_sheet(t["frames"])
    write_frames(frames_ws, frames, language)
    write_charts(charts_ws, frames_ws, list(frames.columns), frames.shape[0], summary, language)
    write_columns(wb.create_sheet(t["columns"]), frames.columns, language)
    write_method(wb.create_sheet(t["method"]), summary, provenance, language)
    wb.save(path)
    log.info("workbook %s: %d frame rows, %d thumbnails", path.name, frames.shape[0], len(thumbs or {}))
    return path


def write_frames(ws: Any, frames: pd.DataFrame, language: str) -> None:
    """Raw CSV column names in row 1 (values equal the CSV), frozen, filtered, formatted, colour-scaled."""
    columns = list(frames.columns)
    ws.append(columns)
    formats = [number_format(c) for c in columns]
    values = frames.to_numpy(dtype=object)
    for row in values:
        ws.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    n = frames.shape[0]
    for col, (name, fmt) in enumerate(zip(columns, formats, strict=True), start=1):
        letter = get_column_letter(col)
        head = ws.cell(row=1, column=col)
        head.font, head.fill, head.alignment = BOLD, HEADER_FILL, CENTER
        description = describe_column(name, language)
        if description:
            head.comment = Comment(description, "ergopipe", width=260, height=60)
        ws.column_dimensions[letter].width = max(9.0, min(len(name) * 0.9, 26.0))
        if fmt is not None:
            for (cell,) in ws.iter_rows(min_row=2, max_row=n + 1, min_col=col, max_col=col):
                if cell.value is not None:
                    cell.number_format = fmt
        if n and (name in SCALED_COLUMNS or name in LEVEL_SCALES):
            if name in SCALED_COLUMNS:
                lo, hi = palette.SCORE_RANGE[SCALED_COLUMNS[name]]
            else:
                lo, hi = LEVEL_SCALES[name]
            # Fixed ends (the method's range), so a colour means the same score in every report.
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{n + 1}",
                ColorScaleRule(
                    start_type="num",
                    start_value=lo,
                    start_color=palette.GREEN,
                    mid_type="num",
                    mid_value=(lo + hi) / 2,
                    mid_color="FFEB3B",
                    end_type="num",
                    end_value=hi,
                    end_color=palette.RED,
                ),
            )
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "D2"
    ws.print_title_rows = "1:1"  # the header on every printed page
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"


def write_columns(ws: Any, columns: Sequence[str], language: str) -> None:
    """Legend of the Frames sheet: column name, description in the report language."""
    t = texts(language)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 46, 80
    rows = Rows(ws)
    rows.put(t["frames_note"].format(sheet=t["frames"]))
    rows.header(t["column"], t["description"])
    for name in columns:
        rows.put(name, describe_column(name, language) or name)
