"""Posture flags (1.0 / 0.0, NaN = not measurable) from gravity-frame landmarks (pure numpy).

Used by ergopipe.angles.compute_angles; thresholds are AngleSettings fields (docs/angles.md).
"""

from __future__ import annotations

import numpy as np

from ergopipe.angle_defs import AngleSettings


def _pt(xyz_m: np.ndarray, name: str) -> np.ndarray:
    from ergopipe.angles import point  # local: angles imports this module

    return point(xyz_m, name)


def _flag(condition: np.ndarray, measurable: np.ndarray) -> np.ndarray:
    return np.where(measurable, condition.astype(float), np.nan)


def _angle_from(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(v * axis, axis=-1) / np.linalg.norm(v, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def arm_across_or_out(xyz_m: np.ndarray, frames: dict, side: str, settings: AngleSettings) -> np.ndarray:
    """Wrist across the body midline or out beyond the shoulder (lateral distance in the shoulder frame)."""
    out_axis = frames["shoulder"][side]  # points away from the body on this side
    mid = _pt(xyz_m, "mid_shoulder")
    wrist = np.sum((_pt(xyz_m, f"{side}_wrist") - mid) * out_axis, axis=-1)
    shoulder = np.sum((_pt(xyz_m, f"{side}_shoulder") - mid) * out_axis, axis=-1)
    across = wrist < -settings.across_midline_margin_m
    out = wrist > shoulder + settings.out_to_side_margin_m
    return _flag(across | out, np.isfinite(wrist) & np.isfinite(shoulder))


def _lowest_foot_y(xyz_m: np.ndarray, side: str) -> np.ndarray:
    ys = np.stack([_pt(xyz_m, f"{side}_{part}")[:, 1] for part in ("ankle", "heel", "foot_index")])
    return np.min(ys, axis=0)  # NaN if any is NaN


def walking_flag(xyz_m: np.ndarray, frames: dict, fps: float, settings: AngleSettings) -> np.ndarray:
    """Walking: the fore-aft separation of the ankles alternates sign (beyond +-walk_min_step_m/2) at least
    walk_min_crossings times within a centred walk_window_s window."""
    sep = np.sum(
        (_pt(xyz_m, "left_ankle") - _pt(xyz_m, "right_ankle")) * frames["pelvis"]["forward"], axis=-1
    )
    half = settings.walk_min_step_m / 2
    state = 0
    flips = np.zeros(sep.shape[0])
    for i, s in enumerate(sep):
        if not np.isfinite(s):
            state = 0
            continue
        new = 1 if s > half else (-1 if s < -half else state)
        if state != 0 and new != state:
            flips[i] = 1.0
        state = new
    half_w = max(0, round(settings.walk_window_s * fps / 2))
    csum = np.concatenate(([0.0], np.cumsum(flips)))
    idx = np.arange(sep.shape[0])
    lo, hi = np.clip(idx - half_w, 0, sep.shape[0]), np.clip(idx + half_w + 1, 0, sep.shape[0])
    counts = csum[hi] - csum[lo]  # flips within the centred window
    return _flag(counts >= settings.walk_min_crossings, np.isfinite(sep))


def posture_flags(
    xyz_m: np.ndarray, frames: dict, fps: float, settings: AngleSettings
) -> dict[str, np.ndarray]:
    """Flag columns: {side}_lower_arm_across_midline_or_out_to_side, bilateral_weight_bearing, seated,
    walking, kneeling. xyz_m (n, 33, 3) gravity frame; frames from ergopipe.angles.body_frames."""
    out = {
        f"{side}_lower_arm_across_midline_or_out_to_side": arm_across_or_out(xyz_m, frames, side, settings)
        for side in ("left", "right")
    }
    foot = {side: _lowest_foot_y(xyz_m, side) for side in ("left", "right")}
    floor = np.fmin(foot["left"], foot["right"])
    both = np.isfinite(foot["left"]) & np.isfinite(foot["right"])
    out["bilateral_weight_bearing"] = _flag(
        (foot["left"] - floor < settings.support_height_m)
        & (foot["right"] - floor < settings.support_height_m),
        both,
    )
    kneel = np.zeros(xyz_m.shape[0], dtype=bool)
    kneel_ok = np.zeros(xyz_m.shape[0], dtype=bool)
    seated = np.ones(xyz_m.shape[0], dtype=bool)
    down = -frames["pelvis"]["up"]
    for side in ("left", "right"):
        hip, knee, ankle = (_pt(xyz_m, f"{side}_{j}") for j in ("hip", "knee", "ankle"))
        thigh_deg, shank_deg = _angle_from(knee - hip, down), _angle_from(ankle - knee, down)
        flexion = _knee_flexion(hip, knee, ankle)
        on_floor = (knee[:, 1] - floor < settings.kneel_height_m) & (flexion > 45.0)
        kneel |= on_floor  # NaN comparisons are False
        kneel_ok |= np.isfinite(knee[:, 1]) & np.isfinite(floor)
        seated &= (thigh_deg >= settings.seated_thigh_deg) & (shank_deg <= settings.seated_shank_deg)
    measurable = (
        both & np.isfinite(_pt(xyz_m, "left_knee")).all(-1) & np.isfinite(_pt(xyz_m, "right_knee")).all(-1)
    )
    out["kneeling"] = _flag(kneel, kneel_ok & both)
    out["seated"] = _flag(seated & ~kneel, measurable)
    out["walking"] = walking_flag(xyz_m, frames, fps, settings)
    return out


def _knee_flexion(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    return 180.0 - _angle_from_vectors(hip - knee, ankle - knee)


def _angle_from_vectors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
