"""The Excel workbook an ergonomist hands on: Summary, Charts, Frames, Columns, Method (openpyxl).

Sheets are written by excel_summary, excel_charts, excel_frames (the per-frame sheet, same column names and
values as `<stem>_frames.csv`) and excel_method; this module writes the column legend and saves the file.
The workbook is written in openpyxl's write-only mode: the Frames rows stream to disk as they are made and
the small sheets are drafted with random access, then streamed out (excel_stream).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from ergopipe.report.excel_charts import write_charts
from ergopipe.report.excel_frames import add_frames_sheet, write_frames
from ergopipe.report.excel_method import write_method
from ergopipe.report.excel_stream import draft_sheet, stream_sheet
from ergopipe.report.excel_style import Rows
from ergopipe.report.excel_summary import write_summary
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import describe_column

log = logging.getLogger(__name__)


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
    sheets = {key: wb.create_sheet(t[key]) for key in ("summary", "charts")}
    sheets["frames"] = add_frames_sheet(wb, t["frames"])
    sheets.update({key: wb.create_sheet(t[key]) for key in ("columns", "method")})
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


def write_columns(ws: Any, columns: Sequence[str], language: str) -> None:
    """Legend of the Frames sheet: column name, description in the report language."""
    t = texts(language)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 46, 80
    rows = Rows(ws)
    rows.put(t["frames_note"].format(sheet=t["frames"]))
    rows.header(t["column"], t["description"])
    for name in columns:
        rows.put(name, describe_column(name, language) or name)
