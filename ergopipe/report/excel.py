"""The Excel workbook an ergonomist hands on: Summary, Charts, Frames, Columns, Method (openpyxl).

Sheets are written by excel_summary, excel_charts and excel_method; this module writes the per-frame sheet
(same column names and values as `<stem>_frames.csv`) and its column legend, and saves the file. The workbook
is written in openpyxl's write-only mode (see excel_stream): the Frames rows stream to disk as they are made.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter

from ergopipe.report import palette
from ergopipe.report.excel_charts import write_charts
from ergopipe.report.excel_method import write_method
from ergopipe.report.excel_stream import draft_sheet, stream_sheet
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
    """Write the workbook to `path` in openpyxl's write-only mode (memory flat in the number of frames).

    frames: the per-frame table as written to the CSV (one row per analysed frame, "frame" = source frame).
    summary/provenance: JSON-ready mappings (as in `<stem>_results.json`).
    pictures: {"timeline_png", "bodymap_png"} -> PNG paths, embedded on the Summary sheet.
    thumbs: source frame number -> JPEG bytes of that frame, shown with the worst moments.
    """
    t = texts(language)
    wb = Workbook(write_only=True)
    # Drafts first: a sheet's title is made unique against the workbook's sheets when it is set, and the
    # drafts must keep the exact titles of the sheets they become (charts refer to sheets by title).
    drafts = {key: draft_sheet(wb, t[key]) for key in ("summary", "charts", "columns", "method")}
    sheets = {key: wb.create_sheet(t[key]) for key in ("summary", "charts", "frames", "columns", "method")}
    write_summary(drafts["summary"], summary, warnings, pictures, thumbs or {}, language)
    columns = list(frames.columns)
    write_charts(drafts["charts"], sheets["frames"], columns, frames.shape[0], summary, language)
    write_columns(drafts["columns"], columns, language)
    write_method(drafts["method"], summary, provenance, language)
    for key, draft in drafts.items():
        stream_sheet(draft, sheets[key])
    write_frames(sheets["frames"], frames, language)  # each write-only sheet streams to its own temp file
    wb.save(path)
    log.info("workbook %s: %d frame rows, %d thumbnails", path.name, frames.shape[0], len(thumbs or {}))
    return path


def write_frames(ws: Any, frames: pd.DataFrame, language: str) -> None:
    """Raw CSV column names in row 1 (values equal the CSV), frozen, filtered, formatted, colour-scaled.

    ws: an empty write-only sheet. Everything that write-only mode writes before or after the rows (column
    widths, header height, panes, filter, colour scales, print titles) is set before the first row; the
    rows are then streamed from the DataFrame one at a time, so memory does not grow with the row count.
    """
    columns = list(frames.columns)
    n = frames.shape[0]
    for col, name in enumerate(columns, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(9.0, min(len(name) * 0.9, 26.0))
        if n and (name in SCALED_COLUMNS or name in LEVEL_SCALES):
            ws.conditional_formatting.add(f"{letter}2:{letter}{n + 1}", _colour_scale(name))
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "D2"
    ws.print_title_rows = "1:1"  # the header on every printed page
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    ws.append([_header_cell(ws, name, language) for name in columns])
    # One styled cell per formatted column, reused on every row: write-only append() serialises a row
    # before it returns, so the cell is free again for the next row (no per-cell objects for the sheet).
    templates = [_format_cell(ws, number_format(name)) for name in columns]
    for values in frames.itertuples(index=False, name=None):
        ws.append(_frame_row(values, templates))


def _frame_row(values: Sequence[Any], templates: Sequence[Any]) -> list[Any]:
    """One Frames row: NaN -> empty cell; formatted columns carry their value in the reused styled cell."""
    row: list[Any] = []
    for value, cell in zip(values, templates, strict=True):
        if value != value:  # NaN: an empty cell, as in the CSV
            row.append(None)
        elif cell is None:
            row.append(value)
        else:
            cell.value = value
            row.append(cell)
    return row


def _format_cell(ws: Any, fmt: str | None) -> Any:
    if fmt is None:
        return None
    cell = WriteOnlyCell(ws)
    cell.number_format = fmt
    return cell


def _header_cell(ws: Any, name: str, language: str) -> Any:
    head = WriteOnlyCell(ws, value=name)
    head.font, head.fill, head.alignment = BOLD, HEADER_FILL, CENTER
    description = describe_column(name, language)
    if description:
        head.comment = Comment(description, "ergopipe", width=260, height=60)
    return head


def _colour_scale(name: str) -> ColorScaleRule:
    """Fixed ends (the method's range), so a colour means the same score in every report."""
    if name in SCALED_COLUMNS:
        lo, hi = palette.SCORE_RANGE[SCALED_COLUMNS[name]]
    else:
        lo, hi = LEVEL_SCALES[name]
    return ColorScaleRule(
        start_type="num",
        start_value=lo,
        start_color=palette.GREEN,
        mid_type="num",
        mid_value=(lo + hi) / 2,
        mid_color="FFEB3B",
        end_type="num",
        end_value=hi,
        end_color=palette.RED,
    )


def write_columns(ws: Any, columns: Sequence[str], language: str) -> None:
    """Legend of the Frames sheet: column name, description in the report language."""
    t = texts(language)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 46, 80
    rows = Rows(ws)
    rows.put(t["frames_note"].format(sheet=t["frames"]))
    rows.header(t["column"], t["description"])
    for name in columns:
        rows.put(name, describe_column(name, language) or name)
