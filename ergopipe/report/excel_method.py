"""The Method sheet: what a reader needs to reproduce the result — software and model versions, source file,
options, rule settings, measured/declared/assumed inputs, gravity estimate, angle sources and the scoring
tables themselves (from ergopipe.methods.tables)."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from ergopipe.methods import tables
from ergopipe.report.excel_style import BOLD, BOX, CENTER, HEADER_FILL, Rows, flatten, landscape_fit_width
from ergopipe.report.i18n import texts
from ergopipe.report.i18n_terms import (
    assumed_text,
    axis_text,
    describe_column,
    input_name,
    person_choice_text,
    rule_text,
    value_text,
)

LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "openpyxl",
    "av",
    "mediapipe",
    "opencv-contrib-python",
    "torch",
    "smplx",
    "matplotlib",
)
TABLE_TITLES = {
    "reba_table_a": "REBA A",
    "reba_table_b": "REBA B",
    "reba_table_c": "REBA C",
    "rula_table_a": "RULA A",
    "rula_table_b": "RULA B",
    "rula_table_c": "RULA C",
    "owas_action_category": "OWAS",
}
GRID_COL = 5  # the tables sit beside the text columns A..C, from column E on (narrow columns)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape the numbers (read from metadata, nothing imported)."""
    out = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def write_method(ws: Any, summary: Mapping[str, Any], provenance: Mapping[str, Any], language: str) -> None:
    t = texts(language)
    for col, width in zip("ABC", (46, 40, 60), strict=True):
        ws.column_dimensions[col].width = width
    for col in range(GRID_COL, GRID_COL + 24):
        ws.column_dimensions[get_column_letter(col)].width = 5
    rows = Rows(ws)
    rows.section(t["provenance"])
    rows.header(t["setting"], t["value"])
    for key in ("source_file", "software", "pose_model", "job_id"):
        if key in provenance:
            rows.put(t[key], provenance[key])
    for note in (summary.get("pose") or {}).get("person_choice", []):
        rows.put(t["person_choice"], person_choice_text(note, language))
    rows.put(t["generated"], datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    rows.section(t["versions"])
    rows.header(t["library"], t["value"])
    for name, version in library_versions().items():
        rows.put(name, version)
    rows.section(t["options"])
    rows.header(t["setting"], t["value"])
    for key, value in flatten(provenance.get("options", {})):
        rows.put(key, value_text(value, language))
    _rules(rows, summary, t, language)
    _inputs(rows, summary, t, language)
    _gravity(rows, summary, t, language)
    _tables(Rows(ws, 1, GRID_COL), t, language)
    landscape_fit_width(ws)


def _rules(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    rules = (summary.get("inputs") or {}).get("rules") or {}
    rows.section(t["rules"])
    rows.header(t["setting"], t["value"], t["description"])
    for key, value in rules.items():
        rows.put(key, value_text(value, language), rule_text(key, language))


def _inputs(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    inputs = summary.get("inputs") or {}
    rows.section(t["inputs"])
    rows.header(t["column"], t["value"], t["description"])
    for column in inputs.get("measured", []):
        rows.put(column, t["measured"], describe_column(column, language))
    for key, value in (inputs.get("declared") or {}).items():
        rows.put(key, f"{t['declared']}: {value_text(value, language)}", input_name(key, language))
    for key, reason in (inputs.get("assumed") or {}).items():
        rows.put(key, f"{t['assumed']}: {assumed_text(reason, language)}", input_name(key, language))
    for key, facts in (inputs.get("activity") or {}).items():
        rows.put(key, value_text(facts.get("source"), language), input_name(key, language))


def _gravity(rows: Rows, summary: Mapping[str, Any], t: Mapping[str, str], language: str) -> None:
    gravity = summary.get("gravity")
    if isinstance(gravity, Mapping):
        rows.section(t["gravity"])
        for key, label in (
            ("camera_pitch_deg", "camera_pitch"),
            ("camera_roll_deg", "camera_roll"),
            ("confidence", "gravity_confidence"),
            ("source", "gravity_source"),
        ):
            rows.put(t[label], value_text(gravity.get(key), language))
    sources = summary.get("angle_sources")
    if isinstance(sources, Mapping) and sources:
        rows.section(t["angle_sources"])
        rows.header(t["column"], t["value"], t["description"])
        for column, source in sources.items():
            rows.put(column, value_text(source, language), describe_column(column, language))


def _tables(rows: Rows, t: Mapping[str, str], language: str) -> None:
    rows.section(t["tables"])
    rows.put(t["table_note"])
    for name in tables.TABLE_NAMES:
        values = tables.table(name)
        axes = list(tables.raw_tables()[name]["axes"])
        rows.row += 1
        rows.put(TABLE_TITLES[name], bold=True)
        _grid(rows, values, axes, t, language)
    for method in ("reba", "rula"):
        rows.row += 1
        rows.put(f"{method.upper()} – {t['level']}", bold=True)
        for band in tables.raw_tables()[f"{method}_action_levels"]:
            rows.put(f"{band['min']}–{band['max']}", band["level"])


def _grid(rows: Rows, values: np.ndarray, axes: list[str], t: Mapping[str, str], language: str) -> None:
    """A 2-, 3- or 4-axis table as a grid: the first axis (two for 4-D) down, the rest across."""
    n_row_axes = 2 if values.ndim == 4 else 1
    grid = values.reshape(int(np.prod(values.shape[:n_row_axes])), -1)
    col_shape = values.shape[n_row_axes:]
    ws = rows.ws
    names = [axis_text(a, language) for a in axes]
    down, across = " × ".join(names[:n_row_axes]), " × ".join(names[n_row_axes:])
    rows.put(f"{t['rows']}: {down}; {t['columns_axis']}: {across}")
    # One header row per column axis, e.g. "neck 1 / legs 1..4" for REBA A.
    for level, size in enumerate(col_shape):
        r = rows.row
        inner = int(np.prod(col_shape[level + 1 :]))
        for j in range(grid.shape[1]):
            cell = ws.cell(row=r, column=GRID_COL + n_row_axes + j, value=(j // inner) % size + 1)
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BOX
        rows.row += 1
    for i in range(grid.shape[0]):
        r = rows.row
        labels = np.unravel_index(i, values.shape[:n_row_axes])
        for k, label in enumerate(labels, start=1):
            cell = ws.cell(row=r, column=GRID_COL - 1 + k, value=int(label) + 1)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER
        for j in range(grid.shape[1]):
            cell = ws.cell(row=r, column=GRID_COL + n_row_axes + j, value=int(grid[i, j]))
            cell.alignment, cell.border = CENTER, BOX
        rows.row += 1
