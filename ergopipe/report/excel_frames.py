"""The Frames sheet (one row per analysed frame, values equal `<stem>_frames.csv`), streamed to disk.

A 30-min video analysed at 30 fps gives 54,000 rows × ~60 columns. Held as openpyxl cells that costs
gigabytes; written cell by cell through openpyxl's write-only API it costs ~40 µs a cell in Python. Here the
sheet is a write-only sheet whose data rows are numeric tuples taken straight from the DataFrame and
serialised as one `<row>` element each (the XML openpyxl writes for the same cells, the column's number-format
style; numbers as their shortest exact text), so memory stays flat and a row costs one string join and one
parse.

This relies on openpyxl 3.1's write-only internals (WriteOnlyWorksheet._values_to_row / _get_writer and
WorksheetWriter.write_row); tests/report reopen the saved sheet and compare every value with the CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.functions import fromstring

from ergopipe.report import palette
from ergopipe.report.excel_style import BOLD, CENTER, HEADER_FILL
from ergopipe.report.i18n_terms import describe_column

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
    flags and frame numbers are whole numbers and show as such)."""
    if column.endswith("_deg"):
        return "0.0"
    if column == "time_s":
        return "0.000"
    return None


class _DataRow(tuple):  # type: ignore[type-arg]
    """A Frames data row: plain numbers (None/NaN = empty cell), serialised by _RowWriter in one piece."""


class _RowWriter(WorksheetWriter):
    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        if not isinstance(row, _DataRow):
            super().write_row(xf, row, row_idx)
            return
        ws: FramesSheet = self.ws  # type: ignore[assignment]
        xf.write(fromstring(ws.row_xml(row, row_idx)))


class FramesSheet(WriteOnlyWorksheet):
    """Write-only sheet that also accepts `_DataRow`s (see `append_numbers`)."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._letters: list[str] = []
        self._styles: list[str] = []

    def set_number_formats(self, formats: Sequence[str | None]) -> None:
        """Per-column number format of the data rows (None = General); call before the first data row."""
        self._letters = [get_column_letter(c) for c in range(1, len(formats) + 1)]
        self._styles = []
        for fmt in formats:
            if fmt is None:
                self._styles.append("")
                continue
            cell = WriteOnlyCell(self)
            cell.number_format = fmt
            self._styles.append(f' s="{cell.style_id}"')  # registers the style in the workbook

    def append_numbers(self, values: Sequence[Any]) -> None:
        """One data row of numbers (int, float, bool; None or NaN = empty cell; text is escaped)."""
        if len(values) > len(self._letters):
            n_set = len(self._letters)
            raise ValueError(f"row has {len(values)} values, number formats were set for {n_set} columns")
        self.append(_DataRow(values))

    def row_xml(self, values: Sequence[Any], row_idx: int) -> str:
        """`<row>` XML of one data row; NaN, ±inf and None give no cell (an empty cell, as in the CSV)."""
        cells = []
        for value, letter, style in zip(values, self._letters, self._styles, strict=False):
            if value is None:
                continue
            ref = f"{letter}{row_idx}"
            if isinstance(value, (bool, np.bool_)):
                cells.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, np.integer)):
                cells.append(f'<c r="{ref}"{style} t="n"><v>{int(value)}</v></c>')
            elif isinstance(value, (float, np.floating)):
                if math.isfinite(value):  # repr: the shortest text that reads back as the same float
                    cells.append(f'<c r="{ref}"{style} t="n"><v>{float(value)!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        # No namespace here: like openpyxl's own cell elements, the row takes the sheet's default one.
        return f'<row r="{row_idx}">{"".join(cells)}</row>'

    def _values_to_row(self, values: Any, row_idx: int) -> Any:
        if isinstance(values, _DataRow):
            return values
        return super()._values_to_row(values, row_idx)

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _RowWriter(self)
            self._writer.write_top()


def add_frames_sheet(wb: Workbook, title: str) -> FramesSheet:
    """Create the Frames sheet as the next sheet of the write-only workbook `wb`."""
    if not wb.write_only:
        raise ValueError("the Frames sheet streams rows: the workbook must be Workbook(write_only=True)")
    ws = FramesSheet(wb, title)
    wb._add_sheet(ws)
    return ws


def write_frames(ws: FramesSheet, frames: pd.DataFrame, language: str) -> None:
    """Raw CSV column names in row 1 (values equal the CSV), frozen, filtered, formatted, colour-scaled.

    ws: an empty FramesSheet. Everything that write-only mode writes before or after the rows (column
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
    ws.set_number_formats([number_format(name) for name in columns])
    for values in frames.itertuples(index=False, name=None):
        ws.append_numbers(values)


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
