"""RULA (McAtamney & Corlett 1993), vectorised. Rules in words: ergonomic-methods.md.

Inputs are float arrays (degrees; flexion +, extension -) or flags (1.0/0.0); NaN propagates to the part
and the grand score ("not scorable").
"""

from __future__ import annotations

import numpy as np

from ergopipe.methods import tables
from ergopipe.methods._parts import Values, arr, keep_nan, outside_neutral
from ergopipe.methods.rules import RuleSettings


def upper_arm(
    flexion_deg: Values,
    abducted: Values,
    raised: Values,
    supported: Values,
    rules: RuleSettings,
) -> np.ndarray:
    """1 20° ext–20° flex; 2 > 20° ext or 20–45°; 3 45–90°; 4 beyond 90°.

    +1 shoulder raised, +1 abducted, −1 supported (never below 1).
    """
    f = arr(flexion_deg)
    base = 1 + rules.above(np.abs(f), 20.0).astype(float) + rules.above(f, 45.0) + rules.above(f, 90.0)
    return np.maximum(keep_nan(base, f) + arr(abducted) + arr(raised) - arr(supported), 1.0)


def lower_arm(elbow_flexion_deg: Values, across_midline_or_out: Values, rules: RuleSettings) -> np.ndarray:
    """1 60–100°; 2 < 60° or > 100°; +1 working across the midline or out to the side (one point)."""
    e = arr(elbow_flexion_deg)
    in_range = rules.above(e, 60.0) & ~rules.above(e, 100.0)
    return keep_nan(np.where(in_range, 1.0, 2.0), e) + arr(across_midline_or_out)


def wrist(flexion_deg: Values, deviated: Values, rules: RuleSettings) -> np.ndarray:
    """1 neutral; 2 0–15° flexion/extension; 3 > 15°; +1 bent from midline (radial/ulnar deviation)."""
    f = arr(flexion_deg)
    base = 1 + outside_neutral(f, rules) + rules.above(np.abs(f), 15.0)
    return keep_nan(base, f) + arr(deviated)


def wrist_twist(end_of_range: Values) -> np.ndarray:
    """1 mainly mid-range; 2 at or near the end of the twisting range."""
    return 1.0 + arr(end_of_range)


def neck(flexion_deg: Values, twisted: Values, side_bent: Values, rules: RuleSettings) -> np.ndarray:
    """1 0–10° flexion; 2 10–20°; 3 beyond 20°; 4 in extension (beyond the neutral band).

    +1 twisted, +1 side-bent (two separate points, P-RULA).
    """
    f = arr(flexion_deg)
    with np.errstate(invalid="ignore"):
        base = np.where(
            f < -rules.neutral_band_deg, 4.0, 1 + rules.above(f, 10.0).astype(float) + rules.above(f, 20.0)
        )
    return keep_nan(base, f) + arr(twisted) + arr(side_bent)


def trunk(flexion_deg: Values, twisted: Values, side_bent: Values, rules: RuleSettings) -> np.ndarray:
    """1 upright/supported; 2 0–20° flexion; 3 20–60°; 4 beyond 60°; +1 twist, +1 side-bend.

    Extension beyond the neutral band scores 2: the paper gives extension no score of its own (documented
    decision, docs/scoring.md).
    """
    f = arr(flexion_deg)
    base = 1 + outside_neutral(f, rules) + rules.above(f, 20.0) + rules.above(f, 60.0)
    return keep_nan(base, f) + arr(twisted) + arr(side_bent)


def legs(bilateral: Values, seated: Values) -> np.ndarray:
    """1 legs and feet supported, weight evenly balanced (seated or bilateral weight bearing); 2 if not."""
    b, s = arr(bilateral), arr(seated)
    return keep_nan(np.where((b == 1) | (s == 1), 1.0, 2.0), b, s)


def force_score(load_kg: Values, load_pattern: Values, shock: Values, rules: RuleSettings) -> np.ndarray:
    """0 < 2 kg intermittent; 1 2–10 kg intermittent; 2 2–10 kg static/repeated; 2 (paper) or 3 (worksheet)
    > 10 kg intermittent; 3 > 10 kg static/repeated; 3 shock or rapid build-up."""
    kg = arr(load_kg)
    sustained = np.isin(np.asarray(load_pattern, dtype=object), ("static", "repeated"))
    medium = np.where(sustained, 2.0, 1.0)
    heavy = np.where(sustained, 3.0, float(rules.rula_heavy_intermittent_load_score))
    score = np.where(kg < 2.0, 0.0, np.where(kg <= 10.0, medium, heavy))
    return np.where(arr(shock) == 1, 3.0, score)


def combine(
    upper_arm_s: Values,
    lower_arm_s: Values,
    wrist_s: Values,
    wrist_twist_s: Values,
    neck_s: Values,
    trunk_s: Values,
    legs_s: Values,
    muscle_a: Values,
    muscle_b: Values,
    force: Values,
) -> dict[str, np.ndarray]:
    """Part scores -> Table A/B, scores C/D, the grand score (Table C, row 8+ / column 7+), action level."""
    table_a = tables.lookup("rula_table_a", upper_arm_s, lower_arm_s, wrist_s, wrist_twist_s)
    table_b = tables.lookup("rula_table_b", neck_s, trunk_s, legs_s)
    score_c = table_a + arr(muscle_a) + arr(force)
    score_d = table_b + arr(muscle_b) + arr(force)
    score = tables.lookup("rula_table_c", score_c, score_d)
    return {
        "table_a": table_a,
        "score_c": score_c,
        "table_b": table_b,
        "score_d": score_d,
        "score": score,
        "action_level": tables.rula_action_level(score),
    }
