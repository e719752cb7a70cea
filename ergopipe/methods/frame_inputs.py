"""Frame inputs of score_video: column access that records what was assumed, and activity flags.

Adjustment angles that the angle stage does not provide at all, and flags it does not measure in a frame, take
the API default and are reported as "assumed"; a missing primary angle is NaN (not scorable).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ergopipe.errors import InputError
from ergopipe.landmarks import SIDES
from ergopipe.methods import exposure
from ergopipe.methods.task import FrameTask

# Adjustment angles: when the angle stage provides no such column, the posture default 0° is assumed.
ASSUMABLE_ANGLES = ("trunk_side_bend_deg", "trunk_twist_deg", "neck_side_bend_deg", "neck_twist_deg") + tuple(
    f"{s}_{name}"
    for s in SIDES
    for name in ("upper_arm_abduction_deg", "shoulder_raise_deg", "wrist_deviation_deg")
)
FLAG_DEFAULTS = {
    "bilateral_weight_bearing": 1.0,
    "seated": 0.0,
    "walking": 0.0,
    "kneeling": 0.0,
    **{f"{s}_lower_arm_across_midline_or_out_to_side": 0.0 for s in SIDES},
}
# What video cannot see at all: always the API default.
UNMEASURABLE = {"arm_supported": False, "wrist_twisted": False, "wrist_twist_end_of_range": False}


class FrameColumns:
    """Access to the frame columns that records what was measured, missing or assumed."""

    def __init__(self, columns: Mapping[str, np.ndarray], n: int) -> None:
        self._cols, self._n = columns, n
        self.assumed: dict[str, str] = {}
        for name, values in columns.items():
            if np.shape(values) != (n,):
                raise InputError(
                    f"column {name}: expected {n} values (one per frame), got shape {np.shape(values)}"
                )

    def angle(self, name: str) -> np.ndarray:
        if name in self._cols:
            return np.asarray(self._cols[name], dtype=float)
        if name in ASSUMABLE_ANGLES:
            self.assumed[name] = "0 deg (not provided by the angle stage)"
            return np.zeros(self._n)
        return np.full(self._n, np.nan)  # a primary angle that is missing: not scorable

    def flag(self, name: str) -> np.ndarray:
        default = FLAG_DEFAULTS[name]
        values = np.asarray(self._cols.get(name, np.full(self._n, np.nan)), dtype=float)
        missing = np.isnan(values)
        if missing.any():
            pct = 100.0 * float(missing.mean())
            self.assumed[name] = f"{bool(default)} in {pct:.1f}% of frames (not measured there)"
        return np.where(missing, default, values)


def activity(ft: FrameTask, derived: exposure.Derived, n: int) -> dict[str, np.ndarray]:
    """Per-frame static / repeated flags; a declaration (1.0/0.0) wins over the derived value."""

    def any_of(masks: Mapping[str, np.ndarray], parts: Sequence[str]) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        for p in parts:
            if p in masks:
                out |= masks[p]
        return out

    def declared_or(declared: np.ndarray, derived_mask: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(declared), derived_mask, declared == 1).astype(float)

    out = {
        "static_posture": declared_or(
            ft.static_posture, any_of(derived.static_reba, list(derived.static_reba))
        ),
        "repeated_actions": declared_or(
            ft.repeated_actions, any_of(derived.repeated, list(derived.repeated))
        ),
        "rapid_large_changes": np.nan_to_num(ft.rapid_large_changes, nan=0.0),
        "rula_muscle_b": np.maximum(
            declared_or(ft.static_posture, any_of(derived.static_rula, ("trunk_flexion", "neck_flexion"))),
            declared_or(ft.repeated_actions, any_of(derived.repeated, ("trunk_flexion", "neck_flexion"))),
        ),
    }
    for s in SIDES:
        out[f"rula_muscle_a_{s}"] = np.maximum(
            declared_or(ft.static_posture, any_of(derived.static_rula, (f"{s}_upper_arm_flexion",))),
            declared_or(
                ft.repeated_actions,
                any_of(
                    derived.repeated,
                    [f"{s}_{p}" for p in ("upper_arm_flexion", "elbow_flexion", "wrist_flexion")],
                ),
            ),
        )
    return out
