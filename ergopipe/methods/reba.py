"""REBA (Hignett & McAtamney 2000; handbook 2004), vectorised. Rules in words: ergonomic-methods.md.

Inputs are float arrays of one value per frame (degrees; flexion +, extension -) or flags (1.0/0.0);
NaN in any input of a part makes that part, and the final score, NaN ("not scorable").
"""

from __future__ import annotations

import numpy as np

from ergopipe.methods import tables
from ergopipe.methods._parts import Values, arr, keep_nan, outside_neutral
from ergopipe.methods.rules import RuleSettings


def _twist_side(twisted: Values, side_bent: Values, rules: RuleSettings) -> np.ndarray:
    if rules.reba_twist_side_bend == "single":
        return np.maximum(arr(twisted), arr(side_bent))  # one +1 if either (H-REBA Table 42.2)
    return arr(twisted) + arr(side_bent)


def trunk(flexion_deg: Values, twisted: Values, side_bent: Values, rules: RuleSettings) -> np.ndarray:
    """1 upright; 2 0–20° flexion or extension; 3 20–60° flexion or > 20° extension; 4 > 60° flexion; +adj."""
    f = arr(flexion_deg)
    base = 1 + outside_neutral(f, rules) + rules.above(np.abs(f), 20.0) + rules.above(f, 60.0)
    return keep_nan(base, f) + _twist_side(twisted, side_bent, rules)


def neck(flexion_deg: Values, twisted: Values, side_bent: Values, rules: RuleSettings) -> np.ndarray:
    """1 0–20° flexion; 2 > 20° flexion or in extension (beyond the neutral band); +adj."""
    f = arr(flexion_deg)
    with np.errstate(invalid="ignore"):
        extended = f < -rules.neutral_band_deg
    base = 1 + (rules.above(f, 20.0) | extended)
    return keep_nan(base, f) + _twist_side(twisted, side_bent, rules)


def legs(
    bilateral: Values,
    seated: Values,
    walking: Values,
    knee_flexion_deg: Values,
    rules: RuleSettings,
) -> np.ndarray:
    """1 bilateral weight bearing, walking or sitting, else 2; +1 knee 30–60°, +2 knee > 60° (not sitting).

    knee_flexion_deg: the more flexed knee; NaN there matters only when not seated.
    """
    b, s, w, k = arr(bilateral), arr(seated), arr(walking), arr(knee_flexion_deg)
    base = keep_nan(np.where((b == 1) | (s == 1) | (w == 1), 1.0, 2.0), b, s, w)
    knee = rules.above(k, 30.0).astype(float) + rules.above(k, 60.0)
    knee = np.where(s == 1, 0.0, np.where(np.isnan(k), np.nan, knee))
    return base + knee


def upper_arm(
    flexion_deg: Values,
    abducted: Values,
    raised: Values,
    supported: Values,
    rules: RuleSettings,
) -> np.ndarray:
    """1 20° ext–20° flex; 2 > 20° ext or 20–45°; 3 45–90°; 4 > 90°; +1 abducted, +1 raised, −1 supported."""
    f = arr(flexion_deg)
    base = 1 + rules.above(np.abs(f), 20.0).astype(float) + rules.above(f, 45.0) + rules.above(f, 90.0)
    return np.maximum(keep_nan(base, f) + arr(abducted) + arr(raised) - arr(supported), 1.0)


def lower_arm(elbow_flexion_deg: Values, rules: RuleSettings) -> np.ndarray:
    """1 60–100° flexion; 2 < 60° or > 100°."""
    e = arr(elbow_flexion_deg)
    in_range = rules.above(e, 60.0) & ~rules.above(e, 100.0)
    return keep_nan(np.where(in_range, 1.0, 2.0), e)


def wrist(flexion_deg: Values, deviated_or_twisted: Values, rules: RuleSettings) -> np.ndarray:
    """1 0–15° flexion/extension; 2 > 15°; +1 deviated or twisted."""
    f = arr(flexion_deg)
    return keep_nan(1 + rules.above(np.abs(f), 15.0), f) + arr(deviated_or_twisted)


def load_score(load_kg: Values, shock: Values) -> np.ndarray:
    """0 < 5 kg; 1 5–10 kg; 2 > 10 kg; +1 shock or rapid build-up."""
    kg = arr(load_kg)
    return (kg >= 5.0).astype(float) + (kg > 10.0) + arr(shock)


def combine(
    trunk_s: Values,
    neck_s: Values,
    legs_s: Values,
    upper_arm_s: Values,
    lower_arm_s: Values,
    wrist_s: Values,
    load: Values,
    coupling: Values,
    activity: Values,
) -> dict[str, np.ndarray]:
    """Part scores -> Table A/B/C and the REBA score (Table C + activity) with its action level 0..4."""
    table_a = tables.lookup("reba_table_a", trunk_s, neck_s, legs_s)
    table_b = tables.lookup("reba_table_b", upper_arm_s, lower_arm_s, wrist_s)
    score_a = table_a + arr(load)
    score_b = table_b + arr(coupling)
    table_c = tables.lookup("reba_table_c", score_a, score_b)
    score = table_c + arr(activity)
    return {
        "table_a": table_a,
        "score_a": score_a,
        "table_b": table_b,
        "score_b": score_b,
        "table_c": table_c,
        "score": score,
        "action_level": tables.reba_action_level(score),
    }
