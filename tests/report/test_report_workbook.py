"""The workbook reopened with openpyxl: sheets, charts, images, and key values equal to the CSV and JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ergopipe.methods import tables
from ergopipe.methods.rules import RuleSettings
from ergopipe.report import outputs, palette
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import ACTION_TEXT_CS, VERDICT

SHEETS = ("summary", "charts", "frames", "columns", "method")


def _write(case, out: Path, language: str) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = outputs.write_tables(
        out, "worker", case.table, case.scores, case.summary, case.provenance, case.warnings
    )
    files.update(
        outputs.write_report(
            out,
            "worker",
            case.table,
            case.scores,
            case.summary,
            case.provenance,
            case.warnings,
            language=language,
            info=case.info,
            pose=case.pose,
            face_blur=True,
        )
    )
    return files


@pytest.fixture(scope="module", params=["cs", "en"])
def report(case, tmp_path_factory, request):
    language = request.param
    files = _write(case, tmp_path_factory.mktemp(f"wb_{language}"), language)
    wb = load_workbook(files["xlsx"])
    return language, files, wb, json.loads(files["json"].read_text("utf-8"))["summary"]


def _row_of(ws, text, column=1, after=1):
    for r in range(after, ws.max_row + 1):
        if ws.cell(row=r, column=column).value == text:
            return r
    raise AssertionError(f"{text!r} not found in column {column} of {ws.title}")


def test_sheet_names_in_the_report_language(report):
    language, _, wb, _ = report
    t = texts(language)
    assert wb.sheetnames == [t[s] for s in SHEETS]


def test_charts_and_images_are_present(report, case):
    language, _, wb, summary = report
    t = texts(language)
    charts = wb[t["charts"]]._charts
    assert len(charts) == 6  # REBA and RULA over time, 3 x time per level, zones stacked bar
    kinds = sorted(type(c).__name__ for c in charts)
    assert kinds.count("ScatterChart") == 2 and kinds.count("BarChart") == 4
    moments = sum(len(summary[m]["worst_moments"]) for m in ("reba", "rula", "owas"))
    assert moments >= 3
    assert len(wb[t["summary"]]._images) == 2 + moments  # timeline, body map, one thumbnail per moment


def test_verdicts_equal_the_json_and_carry_the_traffic_light(report):
    language, _, wb, summary = report
    ws = wb[texts(language)["summary"]]
    for method, level_key in (
        ("reba", "max_action_level"),
        ("rula", "max_action_level"),
        ("owas", "max_action_category"),
    ):
        r = _row_of(ws, method.upper())
        level = summary[method][level_key]
        assert ws.cell(row=r, column=3).value == level
        assert ws.cell(row=r, column=4).value == summary[method]["max_score"]
        assert ws.cell(row=r, column=3).fill.fgColor.rgb.endswith(palette.LEVEL_FILL[method][level])
        expected = ACTION_TEXT_CS[(method, level)] if language == "cs" else tables.action_text(method, level)
        assert ws.cell(row=r, column=7).value == expected
        word = VERDICT[(method, level)][1 if language == "cs" else 0]
        assert ws.cell(row=r, column=2).value == word


def test_max_reba_equals_the_csv(report):
    language, files, wb, _ = report
    csv = pd.read_csv(files["csv"])
    ws = wb[texts(language)["summary"]]
    assert ws.cell(row=_row_of(ws, "REBA"), column=4).value == csv["reba_score"].max()
    assert ws.cell(row=_row_of(ws, "RULA"), column=4).value == csv["rula_score"].max()


def test_time_per_level_equals_the_json(report):
    language, _, wb, summary = report
    t = texts(language)
    ws = wb[t["summary"]]
    head = _row_of(ws, t["time_by_level"])
    for method in ("reba", "rula", "owas"):
        r = _row_of(ws, method.upper(), after=head)
        for level, pct in summary[method]["time_pct_by_action_level"].items():
            assert ws.cell(row=r, column=2 + int(level)).value == pytest.approx(pct)
    assert sum(summary["reba"]["time_pct_by_action_level"].values()) == pytest.approx(100.0)


def test_worst_moments_show_time_source_frame_and_score(report, case):
    language, _, wb, summary = report
    t = texts(language)
    ws = wb[t["summary"]]
    head = _row_of(ws, t["worst_moments"])
    r = _row_of(ws, "REBA", after=head)
    for col, w in enumerate(summary["reba"]["worst_moments"], start=2):
        assert ws.cell(row=r + 1, column=col).value == pytest.approx(w["time_s"])
        assert ws.cell(row=r + 2, column=col).value == w["frame"] == int(case.table.frame_index[w["row"]])
        assert ws.cell(row=r + 3, column=col).value == w["score"]


def test_frames_sheet_equals_the_csv(report):
    language, files, wb, _ = report
    ws = wb[texts(language)["frames"]]
    csv = pd.read_csv(files["csv"])
    header = [c.value for c in ws[1]]
    assert header == list(csv.columns)
    assert ws.max_row == len(csv) + 1
    for r, row in enumerate(csv.itertuples(index=False), start=2):
        for c, expected in enumerate(row, start=1):
            got = ws.cell(row=r, column=c).value
            if isinstance(expected, float) and math.isnan(expected):
                assert got is None
            else:
                assert got == pytest.approx(expected), (r, header[c - 1])
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{len(csv) + 1}"
    scaled = {str(rng.sqref) for rng in ws.conditional_formatting}
    reba_col = ws.cell(row=1, column=header.index("reba_score") + 1).column_letter
    assert f"{reba_col}2:{reba_col}{len(csv) + 1}" in scaled
    assert ws.cell(row=2, column=header.index("trunk_flexion_deg") + 1).number_format == "0.0"
    assert ws.cell(row=1, column=header.index("trunk_flexion_deg") + 1).comment is not None


def test_method_sheet_has_tables_rules_and_provenance(report):
    language, _, wb, _ = report
    t = texts(language)
    ws = wb[t["method"]]
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    for key, value in RuleSettings().to_dict().items():
        r = _row_of(ws, key)
        if isinstance(value, (int, float)):
            assert ws.cell(row=r, column=2).value == value
    assert {"REBA A", "REBA B", "REBA C", "RULA A", "RULA B", "RULA C", "OWAS"} <= values
    assert "worker.mp4" in values and "synthetic" in values
    # REBA Table C, last row: a score A of 12 gives 12 whatever score B is.
    r = _row_of(ws, "REBA C", column=5)
    grid_row = r + 3 + 12 - 1  # title, axes note, one header row, then rows 1..12
    assert ws.cell(row=grid_row, column=5).value == 12
    assert [ws.cell(row=grid_row, column=6 + j).value for j in range(12)] == list(
        tables.table("reba_table_c")[11]
    )


def test_no_label_of_the_other_language_leaks_into_the_workbook(report):
    language, _, wb, _ = report
    other = "en" if language == "cs" else "cs"
    own, foreign_texts = texts(language), texts(other)
    foreign = {v for k, v in foreign_texts.items() if v != own[k] and "{" not in v}
    if other == "en":
        foreign |= {tables.action_text(m, lv) for (m, lv) in ACTION_TEXT_CS}
        foreign |= {pair[0] for pair in VERDICT.values()}
    else:
        foreign |= set(ACTION_TEXT_CS.values()) | {pair[1] for pair in VERDICT.values()}
    cells = [
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert cells
    assert not sorted({v for v in cells if v in foreign})
    long_foreign = [e for e in foreign if len(e) > 12]
    assert not [(v, e) for v in cells for e in long_foreign if e in v]
    for chart in wb[own["charts"]]._charts:
        title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
        assert title and title not in foreign
    if language == "cs":  # pipeline notes are written in English first; the Czech workbook translates them
        assert not any("cannot measure" in v or "not declared" in v or "camera tilt" in v for v in cells)

