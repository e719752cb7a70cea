"""OWAS (Karhu, Kansi & Kuorinka 1977) from the same posture data, vectorised; NaN = not scorable."""

from __future__ import annotations

import numpy as np

from ergopipe.methods import tables
from ergopipe.methods._parts import Values, arr, keep_nan
from ergopipe.methods.rules import RuleSettings

ARM_RAISED_DEG = 90.0  # "at or above shoulder level": upper-arm elevation >= 90° in either plane


def back(trunk_flexion_deg: Values, trunk_twist_deg: Values, rules: RuleSettings) -> np.ndarray:
    """1 straight; 2 bent (flexion beyond 20°); 3 twisted (|twist| beyond the twist threshold); 4 both."""
    f, t = arr(trunk_flexion_deg), arr(trunk_twist_deg)
    code = 1 + rules.above(f, 20.0).astype(float) + 2 * rules.above(np.abs(t), rules.twist_threshold_deg)
    return keep_nan(code, f, t)


def arm_raised(flexion_deg: Values, abduction_deg: Values) -> np.ndarray:
    """1.0 where the upper arm is at or above shoulder level (flexion or abduction >= 90°), NaN if unknown."""
    f, a = arr(flexion_deg), arr(abduction_deg)
    with np.errstate(invalid="ignore"):
        raised = (f >= ARM_RAISED_DEG) | (a >= ARM_RAISED_DEG)
    return keep_nan(raised, f, a)


def arms(left_raised: Values, right_raised: Values) -> np.ndarray:
    """1 both below shoulder; 2 one at or above; 3 both at or above."""
    return 1.0 + arr(left_raised) + arr(right_raised)


def legs(
    seated: Values,
    kneeling: Values,
    walking: Values,
    bilateral: Values,
    knee_left_deg: Values,
    knee_right_deg: Values,
    rules: RuleSettings,
) -> np.ndarray:
    """1 sitting; 6 kneeling; 7 walking; standing: 2 both straight, 3 one leg (straight), 4 both feet with a
    knee bent, 5 one leg with both knees bent. Priority: sitting, kneeling, walking, then standing codes."""
    s, k, w, b = arr(seated), arr(kneeling), arr(walking), arr(bilateral)
    kl, kr = arr(knee_left_deg), arr(knee_right_deg)
    bent_l = rules.above(kl, rules.owas_knee_bent_deg)
    bent_r = rules.above(kr, rules.owas_knee_bent_deg)
    standing = np.where(b == 1, np.where(bent_l | bent_r, 4.0, 2.0), np.where(bent_l & bent_r, 5.0, 3.0))
    standing = keep_nan(standing, b, kl, kr)
    code = np.where(s == 1, 1.0, np.where(k == 1, 6.0, np.where(w == 1, 7.0, standing)))
    return keep_nan(code, s, k, w)


def load_code(load_kg: Values) -> np.ndarray:
    """1 < 10 kg; 2 10–20 kg; 3 > 20 kg."""
    kg = arr(load_kg)
    return keep_nan(1.0 + (kg >= 10.0) + (kg > 20.0), kg)


def action_category(back_c: Values, arms_c: Values, legs_c: Values, load_c: Values) -> np.ndarray:
    return tables.lookup("owas_action_category", back_c, arms_c, legs_c, load_c)
