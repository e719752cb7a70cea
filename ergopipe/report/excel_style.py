"""Cell styles and a small row writer shared by the workbook's sheets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ergopipe.report import palette

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
SECTION = Font(bold=True, size=12, color="1F3864")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="B0B7C3")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PCT = "0.0"
SECONDS = "0.00"


def fill(rgb: str) -> PatternFill:
    return PatternFill("solid", fgColor=rgb)


def traffic_light(cell: Any, rgb: str | None) -> None:
    """Colour a cell with a level's fill, with a text colour that stays readable on it."""
    if rgb is None:
        return
    cell.fill = fill(rgb)
    cell.font = WHITE_BOLD if rgb in palette.DARK_FILLS else BOLD


class Rows:
    """Writes rows top to bottom on a worksheet and remembers the next free row."""

    def __init__(self, ws: Any, row: int = 1, col: int = 1) -> None:
        self.ws, self.row, self.col = ws, row, col

    def put(
        self,
        *values: Any,
        bold: bool = False,
        fmt: str | None = None,
        wrap: bool = False,
        center: bool = False,
    ) -> int:
        """One row starting in column `self.col` (`center`: values after the first are centred)."""
        for col, value in enumerate(values, start=self.col):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            if center and col > self.col:
                cell.alignment = CENTER
            if bold:
                cell.font = BOLD
            if fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = fmt
            if wrap:
                cell.alignment = WRAP
        self.row += 1
        return self.row - 1

    def header(self, *values: Any) -> int:
        r = self.put(*values, bold=True)
        for col in range(1, len(values) + 1):
            cell = self.ws.cell(row=r, column=col)
            cell.fill, cell.alignment, cell.border = HEADER_FILL, CENTER, BOX
            width = self.ws.column_dimensions[cell.column_letter].width or 10
            if len(str(values[col - 1] or "")) > width:  # wrapped: make room for two lines
                self.ws.row_dimensions[r].height = 30
        return r

    def section(self, text: str) -> int:
        if self.row > 1:
            self.row += 1
        r = self.put(text)
        self.ws.cell(row=r, column=self.col).font = SECTION
        return r

    def long_text(self, label: str, text: str, last_col: int) -> int:
        """Label in A, a wrapped text merged across B..last_col, row height grown to fit (approximately)."""
        r = self.put(label, text)
        self.ws.cell(row=r, column=1).alignment = WRAP
        self.ws.cell(row=r, column=2).alignment = WRAP
        self.ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last_col)
        width_chars = sum(
            (self.ws.column_dimensions[chr(64 + c)].width or 10) for c in range(2, last_col + 1)
        )
        lines = max(1, sum(1 + len(part) // max(int(width_chars * 1.1), 1) for part in str(text).split("\n")))
        self.ws.row_dimensions[r].height = 15 * lines
        return r


def landscape_fit_width(ws: Any) -> None:
    """Print (and PDF/PNG export) on landscape pages, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested mapping -> [("a.b", scalar)]; lists become comma-separated text."""
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, (list, tuple)):
        return [(prefix, ", ".join(str(v) for v in value))]
    return [(prefix, value)]
