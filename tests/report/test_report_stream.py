"""Write-only workbook: drafted sheets survive streaming, and the Frames sheet does not grow in memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from ergopipe.report.excel_frames import add_frames_sheet, write_frames
from ergopipe.report.excel_stream import draft_sheet, stream_sheet
from ergopipe.report.excel_style import HEADER_FILL, Rows


def test_a_drafted_sheet_keeps_values_styles_sizes_merges_and_charts(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    draft = draft_sheet(wb, "Souhrn")
    ws = wb.create_sheet("Souhrn")
    draft.column_dimensions["A"].width = 44
    rows = Rows(draft, 3)
    rows.header("method", "value")
    r = rows.long_text("note", "a long text " * 20, 4)
    draft.cell(row=2, column=3, value=12.345).number_format = "0.0"  # written out of order, after row 3
    draft.cell(row=8, column=2, value="filled").fill = HEADER_FILL
    draft.freeze_panes = "B2"
    chart = BarChart()
    chart.add_data(Reference(draft, min_col=3, min_row=2, max_row=3))
    draft.add_chart(chart, "F2")
    stream_sheet(draft, ws)
    wb.save(tmp_path / "s.xlsx")

    back = load_workbook(tmp_path / "s.xlsx")["Souhrn"]
    assert back.column_dimensions["A"].width == 44
    assert back["C2"].value == 12.345 and back["C2"].number_format == "0.0"
    assert back["A3"].value == "method" and back["A3"].font.bold
    assert back["A3"].fill.fgColor.rgb.endswith("DDE3EA")
    assert back["B8"].fill.fgColor.rgb.endswith("DDE3EA") and back["B8"].font.bold is not True
    assert f"B{r}:D{r}" in {str(m) for m in back.merged_cells.ranges}
    assert back.row_dimensions[r].height == draft.row_dimensions[r].height > 15
    assert back.freeze_panes == "B2"
    assert len(back._charts) == 1


def test_a_draft_must_go_to_the_sheet_of_its_title() -> None:
    wb = Workbook(write_only=True)
    draft = draft_sheet(wb, "Grafy")
    with pytest.raises(ValueError, match="same title"):
        stream_sheet(draft, wb.create_sheet("Metoda"))


def _frames(n_rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    data = {
        "frame": np.arange(n_rows) * 3,
        "time_s": np.arange(n_rows) / 10.0,
        "detected": np.ones(n_rows, int),
    }
    for k in range(16):
        data[f"angle{k}_deg"] = np.round(rng.uniform(-30, 120, n_rows), 2)
    data["reba_score"] = rng.integers(1, 16, n_rows).astype(float)
    frames = pd.DataFrame(data)
    frames.loc[::7, "angle3_deg"] = np.nan  # unmeasurable frames: empty cells
    return frames


def test_frames_rows_keep_values_gaps_and_formats_on_every_row(tmp_path: Path) -> None:
    frames = _frames(50)
    wb = Workbook(write_only=True)
    write_frames(add_frames_sheet(wb, "Snímky"), frames, "cs")
    wb.save(tmp_path / "f.xlsx")
    back = load_workbook(tmp_path / "f.xlsx")
    ws = back["Snímky"]
    assert [c.value for c in ws[1]] == list(frames.columns)
    assert ws.max_row == 51 and ws.freeze_panes == "D2"
    assert ws.print_title_rows == "$1:$1"  # the header on every printed page
    col = {name: k for k, name in enumerate(frames.columns, start=1)}
    for r, row in enumerate(frames.itertuples(index=False), start=2):
        assert ws.cell(row=r, column=1).value == row.frame and isinstance(ws.cell(row=r, column=1).value, int)
        gap = ws.cell(row=r, column=col["angle3_deg"])
        assert gap.value is None if (r - 2) % 7 == 0 else gap.value == pytest.approx(row.angle3_deg)
        cell = ws.cell(row=r, column=col["angle5_deg"])
        assert cell.value == pytest.approx(row.angle5_deg) and cell.number_format == "0.0"
        assert ws.cell(row=r, column=col["time_s"]).number_format == "0.000"
        assert ws.cell(row=r, column=col["reba_score"]).number_format == "General"


def _traced_peak_bytes(n_rows: int, tmp_path: Path) -> int:
    frames = _frames(n_rows)
    wb = Workbook(write_only=True)
    ws = add_frames_sheet(wb, "Snímky")
    tracemalloc.start()
    write_frames(ws, frames, "en")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    wb.save(tmp_path / f"m{n_rows}.xlsx")
    return peak


def test_frames_sheet_memory_does_not_grow_with_the_row_count(tmp_path: Path) -> None:
    small, large = _traced_peak_bytes(300, tmp_path), _traced_peak_bytes(3000, tmp_path)
    # Held in memory, 2,700 more rows of 20 cells are 54,000 more cell objects (several MB); streamed, the
    # peak is one row plus the header and sheet settings (what is left is allocator noise, < 0.5 MB).
    assert large < small + 1_000_000, (small, large)


def test_numbers_of_any_kind_read_back_exactly(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = add_frames_sheet(wb, "F")
    ws.append(["a", "b", "c", "d", "e", "f"])
    ws.set_number_formats([None, "0.0", None, None, None, None])
    ws.append_numbers((np.int64(7), np.float64(1.25), True, float("inf"), "<x & y>", 0.1 + 0.2))
    with pytest.raises(ValueError, match="number formats"):
        ws.append_numbers((1, 2, 3, 4, 5, 6, 7))
    wb.save(tmp_path / "n.xlsx")
    row = [c for c in load_workbook(tmp_path / "n.xlsx")["F"][2]]
    assert [c.value for c in row] == [7, 1.25, True, None, "<x & y>", 0.1 + 0.2]
    assert row[1].number_format == "0.0" and row[0].number_format == "General"


def test_the_frames_sheet_needs_a_write_only_workbook() -> None:
    with pytest.raises(ValueError, match="write_only"):
        add_frames_sheet(Workbook(), "F")
