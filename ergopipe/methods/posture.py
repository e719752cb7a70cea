"""The public posture mapping of the scalar API: keys, defaults, validation.

Angles are degrees (flexion +, extension −); omitted angles are 0 and omitted booleans False, except
`bilateral_weight_bearing`, which defaults to True.
"""

from __future__ import annotations

from typing import Any, Mapping

from ergopipe.methods import _check

# key -> (low, high) plausible range in degrees; outside it the value is impossible for a human joint.
ANGLE_RANGES_DEG: dict[str, tuple[float, float]] = {
    "trunk_flexion_deg": (-90.0, 180.0),
    "trunk_side_bend_deg": (-90.0, 90.0),
    "trunk_twist_deg": (-120.0, 120.0),
    "neck_flexion_deg": (-90.0, 120.0),
    "neck_side_bend_deg": (-90.0, 90.0),
    "neck_twist_deg": (-120.0, 120.0),
    "upper_arm_flexion_deg": (-90.0, 200.0),
    "upper_arm_abduction_deg": (-90.0, 200.0),
    "elbow_flexion_deg": (-30.0, 180.0),
    "wrist_flexion_deg": (-120.0, 120.0),
    "knee_flexion_deg": (-30.0, 180.0),
}
BOOL_DEFAULTS: dict[str, bool] = {
    "shoulder_raised": False,
    "arm_supported": False,
    "lower_arm_across_midline_or_out_to_side": False,
    "wrist_deviated": False,
    "wrist_twisted": False,
    "wrist_twist_end_of_range": False,
    "bilateral_weight_bearing": True,
    "seated": False,
    "walking": False,
    "kneeling": False,
}
POSTURE_KEYS: tuple[str, ...] = (
    "trunk_flexion_deg",
    "trunk_side_bend_deg",
    "trunk_twist_deg",
    "neck_flexion_deg",
    "neck_side_bend_deg",
    "neck_twist_deg",
    "upper_arm_flexion_deg",
    "upper_arm_abduction_deg",
    "shoulder_raised",
    "arm_supported",
    "elbow_flexion_deg",
    "lower_arm_across_midline_or_out_to_side",
    "wrist_flexion_deg",
    "wrist_deviated",
    "wrist_twisted",
    "wrist_twist_end_of_range",
    "knee_flexion_deg",
    "bilateral_weight_bearing",
    "seated",
    "walking",
    "kneeling",
)
assert set(POSTURE_KEYS) == set(ANGLE_RANGES_DEG) | set(BOOL_DEFAULTS)


def parse_posture(posture: Mapping[str, Any] | None, where: str = "posture") -> dict[str, Any]:
    """Validate `posture` and fill the defaults; returns every key of POSTURE_KEYS (floats and bools)."""
    m = _check.mapping(posture, where)
    _check.no_unknown_keys(m, POSTURE_KEYS, where)
    out: dict[str, Any] = {}
    for key in POSTURE_KEYS:
        w = f"{where}.{key}"
        if key in ANGLE_RANGES_DEG:
            lo, hi = ANGLE_RANGES_DEG[key]
            out[key] = _check.number(m[key], w, lo=lo, hi=hi) if m.get(key) is not None else 0.0
        else:
            out[key] = _check.boolean(m[key], w) if m.get(key) is not None else BOOL_DEFAULTS[key]
    return out
