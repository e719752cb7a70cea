"""The published lookup tables, loaded once from ``data/ergonomic-tables.json`` (tables as data).

Every table is an integer numpy array indexed by (1-based score - 1). `lookup` accepts float arrays of part
scores (NaN = not scorable), clamps each index into the table's range (RULA Table C row "8+" and column
"7+", over-range parts from alternative rule settings) and returns a float array with NaN wherever any index
is NaN.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

TABLE_NAMES = (
    "rula_table_a",
    "rula_table_b",
    "rula_table_c",
    "reba_table_a",
    "reba_table_b",
    "reba_table_c",
    "owas_action_category",
)


@lru_cache(maxsize=1)
def raw_tables() -> dict[str, Any]:
    """The parsed JSON document (do not mutate: it is cached for the life of the process)."""
    text = resources.files("ergopipe.methods").joinpath("data/ergonomic-tables.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def table(name: str) -> np.ndarray:
    """The table `name` as a read-only int array, e.g. table("reba_table_a").shape == (5, 3, 4)."""
    if name not in TABLE_NAMES:
        raise KeyError(f"unknown table {name!r}; expected one of {', '.join(TABLE_NAMES)}")
    arr = np.asarray(raw_tables()[name]["values"], dtype=np.int64)
    arr.setflags(write=False)
    return arr


def lookup(name: str, *scores: np.ndarray | float) -> np.ndarray:
    """Vectorised table lookup by 1-based scores; out-of-range scores are clamped to the first/last row.

    scores: one broadcastable array per table axis, float (NaN = not scorable). Returns float, NaN where any
    score is NaN.
    """
    values = table(name)
    if len(scores) != values.ndim:
        raise ValueError(f"{name} has {values.ndim} axes, got {len(scores)} scores")
    arrays = np.broadcast_arrays(*(np.asarray(s, dtype=float) for s in scores))
    valid = np.ones(arrays[0].shape, dtype=bool)
    for a in arrays:
        valid &= np.isfinite(a)
    index = tuple(
        np.clip(np.where(valid, a, 1.0).astype(np.int64), 1, size) - 1
        for a, size in zip(arrays, values.shape, strict=True)
    )
    return np.where(valid, values[index].astype(float), np.nan)


def _level(score: np.ndarray, levels: list[dict[str, Any]]) -> np.ndarray:
    score = np.asarray(score, dtype=float)
    out = np.full(score.shape, np.nan)
    for row in levels:
        out[(score >= row["min"]) & (score <= row["max"])] = row["level"]
    return out


def rula_action_level(score: np.ndarray | float) -> np.ndarray:
    """RULA grand score 1..7 -> action level 1..4 (NaN stays NaN)."""
    return _level(np.asarray(score), raw_tables()["rula_action_levels"])


def reba_action_level(score: np.ndarray | float) -> np.ndarray:
    """REBA score 1..15 -> action level 0..4 (NaN stays NaN)."""
    return _level(np.asarray(score), raw_tables()["reba_action_levels"])


def action_text(method: str, level: int | None) -> str | None:
    """The table's wording for an action level (RULA text; REBA risk and action; OWAS category text)."""
    if level is None:
        return None
    if method == "owas":
        return OWAS_ACTION_TEXT.get(int(level))
    for row in raw_tables()[f"{method}_action_levels"]:
        if row["level"] == level:
            return row["text"] if method == "rula" else f"{row['risk']} risk; action {row['action'].lower()}"
    return None


# The JSON holds OWAS codes and the category table but not the category wording; this is the standard
# wording of Karhu et al. (1977) as quoted in every OWAS manual.
OWAS_ACTION_TEXT = {
    1: "No corrective measures needed",
    2: "Corrective measures needed in the near future",
    3: "Corrective measures needed as soon as possible",
    4: "Corrective measures needed immediately",
}
