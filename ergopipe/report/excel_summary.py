"""The Summary sheet: traffic-light verdicts, time per action level, the two pictures, exposure, worst moments
with thumbnails, coverage, what was measured / declared / assumed, warnings."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from ergopipe.report import palette
from ergopipe.report.excel_style import (
    BOLD,
    CENTER,
    PCT,
    SECONDS,
    TITLE,
    Rows,
    landscape_fit_width,
    traffic_light,
)
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import (
    action_text,
    assumed_text,
    describe_column,
    input_name,
    value_text,
    verdict,
    warning_text,
    zone_text,
)

METHODS = ("reba", "rula", "owas")
LEVEL_KEY = {"reba": "max_action_level", "rula": "max_action_level", "owas": "max_action_category"}
LEVEL_COLUMNS = (0, 1, 2, 3, 4)  # column B..F = action level 0..4, so a level sits in the same column
MIDDLE = Alignment(wrap_text=True, vertical="center")
THUMB_BOX_PX = (112, 150)  # displayed thumbnail box (width, height); the stored picture is larger
LAST_COL = 7  # A..G hold everything (fits a landscape page)


def _side(value: Any, t: Mapping[str, str]) -> Any:
    return t.get(value, value) if isinstance(value, str) else value


def write_summary(
    ws: Any,
    summary: Mapping[str, Any],
    warnings: Sequence[str],
    pictures: Mapping[str, Path],
    thumbs: Mapping[int, bytes],
    language: str,
) -> None:
    """The Summary sheet; worst moments name the source frame and carry its thumbnail (`thumbs`)."""
    t = texts(language)
    ws.title = t["summary"]
    for col, width in zip("ABCDEFG", (44, 16, 16, 16, 16, 16, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.cell(row=1, column=1, value=t["title"]).font = TITLE
    rows = Rows(ws, 3)
    video = summary.get("video", {})
    rows.put(t["video"], video.get("name"), bold=False)
    for key, fmt in (
        ("duration_s", SECONDS),
        ("frames_analysed", None),
        ("analysis_fps", SECONDS),
        ("detected_pct", PCT),
    ):
        rows.put(t[key], video.get(key), fmt=fmt)
    _verdicts(rows, summary, t, language)
    _levels(rows, summary, t)
    _pictures(rows, pictures)
    _exposure(rows, summary, t, language)
    _moments(rows, summary, thumbs, t)
    _coverage(rows, summary, t, language)
    _inputs(rows, summary, t, language)
    if warnings:
        rows.section(t["warnings"])
        for w in warnings:
            rows.long_text("•", warning_text(w, language), LAST_COL)
    landscape_fit_width(ws)


def _verdicts(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    rows.section(t["verdict_heading"])
    rows.header(
        t["method"],
        t["verdict"],
        t["max_action_level"],
        t["max_score"],
        t["worse_side"],
        t["median_score"],
        t["action"],
    )
    for method in METHODS:
        m = summary.get(method)
        if not isinstance(m, Mapping):
            continue
        level = m.get(LEVEL_KEY[method])
        r = rows.put(
            method.upper(),
            verdict(method, level, language) or t["not_scorable"],
            level,
            m.get("max_score"),
            _side(m.get("worse_side"), t),
            m.get("median_score"),
            action_text(method, level, language) or t["not_scorable"],
        )
        ws = rows.ws
        ws.cell(row=r, column=1).font = BOLD
        for col in range(1, 8):
            ws.cell(row=r, column=col).alignment = CENTER if 1 < col < 7 else MIDDLE
        for col in (2, 3):
            traffic_light(ws.cell(row=r, column=col), palette.level_fill(method, level))
        ws.row_dimensions[r].height = 32


def _levels(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str]) -> None:
    rows.section(t["time_by_level"])
    rows.header(t["method"], *[t["level_n"].format(n=n) for n in LEVEL_COLUMNS])
    for method in METHODS:
        m = summary.get(method)
        if not isinstance(m, Mapping):
            continue
        pct = m.get("time_pct_by_action_level") or {}
        r = rows.put(method.upper(), bold=True)
        for col, level in enumerate(LEVEL_COLUMNS, start=2):
            if str(level) in pct:
                cell = rows.ws.cell(row=r, column=col, value=pct[str(level)])
                cell.number_format, cell.alignment = PCT, CENTER
                colour = palette.level_fill(method, level)
                if colour and (pct[str(level)] or 0) > 0:
                    traffic_light(cell, colour)


def _exposure(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    exposure = summary.get("exposure")
    if not isinstance(exposure, Mapping) or not exposure.get("parts"):
        return
    zones = list(exposure.get("zones_deg", []))
    rows.section(t["exposure"])
    rows.header(
        t["body_part"], *[zone_text(z, language) for z in zones], t["static_pct"], t["actions_per_min"]
    )
    rates = exposure.get("max_actions_per_min", {})
    for part, facts in exposure["parts"].items():
        values = [facts.get("time_pct", {}).get(z) for z in zones]
        rows.put(
            describe_column(f"{part}_deg", language) or part,
            *values,
            facts.get("static_pct"),
            rates.get(part),
            fmt=PCT,
            center=True,
        )
    rows.header(t["longest_hold_s"], *[zone_text(z, language) for z in zones])
    for part, facts in exposure["parts"].items():
        rows.put(
            describe_column(f"{part}_deg", language) or part,
            *[facts.get("longest_hold_s", {}).get(z) for z in zones],
            fmt=SECONDS,
            center=True,
        )


def _moments(
    rows: Rows,
    summary: Mapping[str, Any],
    thumbs: Mapping[int, bytes],
    t: Mapping[str, str],
) -> None:
    rows.section(t["worst_moments"])
    ws = rows.ws
    for method in METHODS:
        m = summary.get(method)
        if not isinstance(m, Mapping):
            continue
        moments = list(m.get("worst_moments") or [])[:5]
        r0 = rows.put(method.upper(), bold=True)
        ws.cell(row=r0, column=1).alignment = MIDDLE
        if not moments:
            ws.cell(row=r0, column=2, value=t["no_moments"])
            continue
        ws.row_dimensions[r0].height = THUMB_BOX_PX[1] * 0.75 + 4
        labels = [t["time_s"], t["source_frame"], t["score"], t["side"]]
        for k, label in enumerate(labels, start=1):
            ws.cell(row=r0 + k, column=1, value=label)
        for col, w in enumerate(moments, start=2):
            source_frame = w.get("frame")
            cells = [
                (w.get("time_s"), SECONDS),
                (source_frame, "0"),
                (w.get("score"), "0"),
                (_side(w.get("side"), t) or "–", None),
            ]
            for k, (value, fmt) in enumerate(cells, start=1):
                cell = ws.cell(row=r0 + k, column=col, value=value)
                cell.alignment = CENTER
                if fmt:
                    cell.number_format = fmt
            level = _score_level(method, w.get("score"))
            traffic_light(ws.cell(row=r0 + 3, column=col), palette.level_fill(method, level))
            picture = thumbs.get(source_frame) if source_frame is not None else None
            if picture is None:
                ws.cell(row=r0, column=col, value=t["thumbnail_missing"]).alignment = CENTER
            else:
                img = XLImage(io.BytesIO(picture))
                k = min(THUMB_BOX_PX[0] / img.width, THUMB_BOX_PX[1] / img.height)
                img.width, img.height = int(img.width * k), int(img.height * k)
                ws.add_image(img, f"{get_column_letter(col)}{r0}")
        rows.row = r0 + len(labels) + 1


def _score_level(method: str, score: Any) -> int | None:
    if not isinstance(score, (int, float)):
        return None
    if method == "owas":
        return int(score)
    for smin, smax, level in palette.score_bands(method):
        if smin <= score <= smax:
            return level
    return None


def _coverage(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    coverage = summary.get("coverage")
    if not isinstance(coverage, Mapping):
        return
    rows.section(t["coverage"])
    rows.put(t["frames_with_person"] + " (%)", summary.get("video", {}).get("detected_pct"), fmt=PCT)
    rows.header(t["method"], t["method_coverage"], t["both_sides_scorable"])
    both = coverage.get("both_sides", {})
    for method, pct in coverage.get("methods", {}).items():
        rows.put(method.upper(), pct, both.get(method, "–"), fmt=PCT, center=True)
    rows.header(t["body_part"], t["part_coverage"])
    for part, pct in coverage.get("parts", {}).items():
        rows.put(describe_column(part, language) or part, pct, fmt=PCT, center=True)


def _inputs(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    inputs = summary.get("inputs")
    if not isinstance(inputs, Mapping):
        return
    rows.section(t["inputs"])
    measured = [describe_column(c, language) or c for c in inputs.get("measured", [])]
    rows.long_text(t["measured"], "; ".join(measured) or t["none"], LAST_COL)
    declared = [
        f"{input_name(k, language)}: {value_text(v, language)}" for k, v in inputs.get("declared", {}).items()
    ]
    rows.long_text(t["declared"], "; ".join(declared) or t["none"], LAST_COL)
    assumed = [
        f"{input_name(k, language)}: {assumed_text(v, language)}"
        for k, v in inputs.get("assumed", {}).items()
    ]
    rows.long_text(t["assumed"], "\n".join(assumed) or t["none"], LAST_COL)
    for key, facts in (inputs.get("activity") or {}).items():
        parts = ", ".join(describe_column(f"{p}_deg", language) or p for p in facts.get("parts", []))
        pct = facts.get("time_pct")
        shown = f"{pct:.1f}" if isinstance(pct, (int, float)) else "–"
        text = f"{value_text(facts.get('source'), language)}; {t['time_pct']}: {shown}"
        rows.long_text(input_name(key, language), f"{text}; {parts}" if parts else text, LAST_COL)


def _pictures(rows: Rows, pictures: Mapping[str, Path]) -> None:
    """Timeline across A..F and the body map beside it in G, below the verdict tables."""
    if not pictures:
        return
    r = rows.row + 1
    tallest_px = 0.0
    for key, anchor, width_px in (("timeline_png", "A", 790), ("bodymap_png", "G", 300)):
        if key in pictures:
            img = XLImage(str(pictures[key]))
            k = width_px / img.width
            img.width, img.height = int(img.width * k), int(img.height * k)
            rows.ws.add_image(img, f"{anchor}{r}")
            tallest_px = max(tallest_px, img.height)
    rows.row = r + int(tallest_px / 20) + 2  # default row height is 20 px
