"""Shared helpers for vectorised part scores: float arrays in, float arrays out, NaN = not scorable."""

from __future__ import annotations

import numpy as np

from ergopipe.methods.rules import RuleSettings

# Per-frame values: an (n,) array, or a scalar that broadcasts (a constant or one posture).
Values = np.ndarray | float


def arr(x: Values) -> np.ndarray:
    return np.asarray(x, dtype=float)


def keep_nan(score: Values, *inputs: Values) -> np.ndarray:
    """`score` as float with NaN wherever any of `inputs` is NaN (comparisons alone would turn NaN into 0)."""
    out = np.asarray(score, dtype=float).copy()
    for x in inputs:
        out = np.where(np.isnan(arr(x)), np.nan, out)
    return out


def flag_over(angle_deg: Values, threshold_deg: float, rules: RuleSettings) -> np.ndarray:
    """1.0 where |angle| lies beyond `threshold_deg` (boundary convention), 0.0 otherwise, NaN where NaN."""
    a = arr(angle_deg)
    return keep_nan(rules.above(np.abs(a), threshold_deg), a)


def outside_neutral(angle_deg: Values, rules: RuleSettings) -> np.ndarray:
    """1.0 where |angle| > neutral_band_deg (the band itself, ends included, counts as upright/neutral)."""
    a = arr(angle_deg)
    with np.errstate(invalid="ignore"):
        return keep_nan(np.abs(a) > rules.neutral_band_deg, a)


def as_flag(x: Values | bool) -> np.ndarray:
    """Booleans or 1.0/0.0/NaN -> float array (NaN stays NaN)."""
    return np.asarray(x, dtype=float)
