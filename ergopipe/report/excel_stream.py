"""Write-only workbook helpers: small sheets drafted with random access, then streamed out.

The workbook is saved in openpyxl's write-only mode so the Frames sheet (one row per analysed frame) goes
to disk row by row instead of living in memory as millions of cell objects. Write-only sheets accept rows
only top to bottom, while the Summary, Charts, Columns and Method sheets are composed out of order (a
traffic-light fill set after its row, merged text cells, tables placed beside text). Those sheets are small
and do not grow with the video (hundreds of cells), so they are drafted on an ordinary worksheet that shares
the workbook's style tables and is then copied, row by row, into the write-only sheet that gets saved.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

# Sheet-level settings moved as objects from a draft to its write-only sheet (all are written after the
# rows, or before them from the sheet's own attributes, so assigning them before the first row is enough).
SHEET_SETTINGS = (
    "column_dimensions",
    "row_dimensions",
    "sheet_properties",
    "sheet_format",
    "views",
    "page_setup",
    "print_options",
    "page_margins",
    "HeaderFooter",
    "merged_cells",
    "conditional_formatting",
    "data_validations",
    "auto_filter",
    "_print_rows",
    "_print_cols",
)


def draft_sheet(wb: Workbook, title: str) -> Worksheet:
    """An ordinary worksheet titled `title` that uses `wb`'s styles but is not one of `wb`'s sheets.

    Charts drawn from its cells refer to it by title, so the title must be the one the saved sheet gets.
    """
    return Worksheet(wb, title)


def stream_sheet(draft: Worksheet, ws: Any) -> None:
    """Copy `draft` (values, styles, comments, sizes, merges, print setup, charts, pictures) into the empty
    write-only sheet `ws` of the same workbook, appending its rows top to bottom."""
    if ws.title != draft.title:
        raise ValueError(
            f"draft {draft.title!r} must be streamed into a sheet of the same title, not {ws.title!r}"
        )
    for name in SHEET_SETTINGS:
        setattr(ws, name, getattr(draft, name))
    ws._charts.extend(draft._charts)
    ws._images.extend(draft._images)
    by_row: dict[int, dict[int, Any]] = defaultdict(dict)
    for (row, col), cell in draft._cells.items():
        by_row[row][col] = cell
    last_row = max([*by_row, *draft.row_dimensions.keys(), 0])
    for row in range(1, last_row + 1):
        cells = by_row.get(row, {})
        width = max(cells, default=0)
        ws.append([_copy_cell(ws, cells.get(col)) for col in range(1, width + 1)])


def _copy_cell(ws: Any, cell: Any) -> Any:
    """A write-only copy of one draft cell (None for an absent or empty unstyled one)."""
    if cell is None or (cell._value is None and not cell.has_style and cell._comment is None):
        return None
    out = WriteOnlyCell(ws)
    out._value, out.data_type = cell._value, cell.data_type
    if cell.has_style:
        out._style = StyleArray(cell._style)
    if cell._comment is not None:
        out._comment = cell._comment
    if getattr(cell, "_hyperlink", None) is not None:
        out._hyperlink = cell._hyperlink
    return out
