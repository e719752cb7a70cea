"""Traffic-light colours per method and action level, shared by the workbook and the pictures."""

from __future__ import annotations

from ergopipe.methods import tables

GREEN, YELLOW_GREEN, AMBER, ORANGE, RED = "8BC34A", "CDDC39", "FFC107", "FF7043", "D32F2F"
# method -> level -> RRGGBB (no '#', as openpyxl wants it).
LEVEL_FILL: dict[str, dict[int, str]] = {
    "reba": {0: GREEN, 1: YELLOW_GREEN, 2: AMBER, 3: ORANGE, 4: RED},
    "rula": {1: GREEN, 2: AMBER, 3: ORANGE, 4: RED},
    "owas": {1: GREEN, 2: AMBER, 3: ORANGE, 4: RED},
}
# Text colour that stays readable on each fill.
DARK_FILLS = {RED}
# Score range per method for colour scales: (lowest, highest possible final score).
SCORE_RANGE = {"reba": (1, 15), "rula": (1, 7), "owas": (1, 4)}
GREY = "BDBDBD"


def level_fill(method: str, level: int | None) -> str | None:
    return LEVEL_FILL[method].get(int(level)) if level is not None else None


def score_bands(method: str) -> list[tuple[int, int, int]]:
    """(min score, max score, level) of each action level of REBA or RULA, from the methods' tables."""
    return [
        (int(r["min"]), int(r["max"]), int(r["level"]))
        for r in tables.raw_tables()[f"{method}_action_levels"]
    ]
