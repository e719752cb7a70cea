"""Every cell of every table, read independently from the JSON, against what the scorer's lookup returns."""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import ergopipe.methods
from ergopipe.methods import reba, rula, tables

JSON_PATH = Path(ergopipe.methods.__file__).parent / "data" / "ergonomic-tables.json"
DOC = json.loads(JSON_PATH.read_text("utf-8"))


def _cell(values, index):
    for i in index:
        values = values[i - 1]
    return values


def _shape(values):
    shape = []
    while isinstance(values, list):
        shape.append(len(values))
        values = values[0]
    return tuple(shape)


EXPECTED_SHAPES = {
    "rula_table_a": (6, 3, 4, 2),
    "rula_table_b": (6, 6, 2),
    "rula_table_c": (8, 7),
    "reba_table_a": (5, 3, 4),
    "reba_table_b": (6, 2, 3),
    "reba_table_c": (12, 12),
    "owas_action_category": (4, 3, 7, 3),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_every_cell(name):
    values = DOC[name]["values"]
    shape = _shape(values)
    assert shape == EXPECTED_SHAPES[name]
    n_cells = 0
    for index in itertools.product(*(range(1, s + 1) for s in shape)):
        got = tables.lookup(name, *(float(i) for i in index))
        assert got == _cell(values, index), (name, index)
        n_cells += 1
    assert n_cells == int(np.prod(shape))


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPES))
def test_vectorised_lookup_matches_cells(name):
    values = DOC[name]["values"]
    shape = _shape(values)
    grid = np.array(list(itertools.product(*(range(1, s + 1) for s in shape))), dtype=float)
    got = tables.lookup(name, *grid.T)
    want = [_cell(values, tuple(int(i) for i in row)) for row in grid]
    np.testing.assert_array_equal(got, want)


def test_rula_table_c_clamps_row_8_plus_and_column_7_plus():
    c = DOC["rula_table_c"]["values"]
    for score_c in range(1, 13):
        for score_d in range(1, 12):
            want = c[min(score_c, 8) - 1][min(score_d, 7) - 1]
            assert tables.lookup("rula_table_c", score_c, score_d) == want, (score_c, score_d)


def test_rula_combine_uses_clamped_table_c():
    # Table A 9 + muscle 1 + force 3 = 13 -> row 8+; Table B 9 + 1 + 3 = 13 -> column 7+ -> 7.
    out = rula.combine(6.0, 3.0, 4.0, 2.0, 6.0, 6.0, 2.0, 1.0, 1.0, 3.0)
    assert out["table_a"] == 9 and out["table_b"] == 9
    assert out["score_c"] == 13 and out["score_d"] == 13
    assert out["score"] == DOC["rula_table_c"]["values"][7][6] == 7


def test_reba_overflowing_parts_are_clamped_to_the_last_row():
    # trunk 6 (separate twist + side-bend) and neck 4 are looked up as 5 and 3.
    assert tables.lookup("reba_table_a", 6.0, 4.0, 4.0) == DOC["reba_table_a"]["values"][4][2][3]
    assert tables.lookup("reba_table_c", 13.0, 13.0) == DOC["reba_table_c"]["values"][11][11]


def test_nan_index_gives_nan_not_zero():
    out = tables.lookup(
        "reba_table_a", np.array([1.0, np.nan]), np.array([1.0, 1.0]), np.array([np.nan, 1.0])
    )
    assert np.isnan(out).all()


def test_action_levels_cover_every_score_per_json():
    for method, hi, fn in (("rula", 7, tables.rula_action_level), ("reba", 15, tables.reba_action_level)):
        rows = DOC[f"{method}_action_levels"]
        for score in range(1, hi + 1):
            want = [r["level"] for r in rows if r["min"] <= score <= r["max"]]
            assert fn(float(score)) == want[0], (method, score)
    assert np.isnan(tables.reba_action_level(np.nan))


def test_reba_combine_adds_load_coupling_activity():
    out = reba.combine(2.0, 2.0, 2.0, 3.0, 2.0, 2.0, 1.0, 2.0, 1.0)
    table_a = DOC["reba_table_a"]["values"][1][1][1]
    table_b = DOC["reba_table_b"]["values"][2][1][1]
    assert out["table_a"] == table_a and out["score_a"] == table_a + 1
    assert out["table_b"] == table_b and out["score_b"] == table_b + 2
    assert out["table_c"] == DOC["reba_table_c"]["values"][table_a][table_b + 1]
    assert out["score"] == out["table_c"] + 1
