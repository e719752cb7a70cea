"""CleanPose -> AngleTable: joint angles from the definition table in ergopipe.angle_defs (pure numpy).

Conventions (public, see docs/angles.md): degrees; flexion/forward +, extension/backward -; side-bend toward
the person's right +; "left"/"right" are the person's own sides. NaN = not measurable (a landmark missing or
the angle undefined in its plane); AngleTable.confidence gives 0..1 per column and frame.
"""

from __future__ import annotations

import functools
import logging

import numpy as np

from ergopipe import landmarks as lm
from ergopipe.angle_defs import AngleDef, AngleSettings, expanded_defs
from ergopipe.columns import ALL_COLUMNS
from ergopipe.posture_flags import posture_flags
from ergopipe.types import AngleTable, CleanPose

log = logging.getLogger(__name__)

UP = np.array([0.0, 1.0, 0.0])

_NAMED = {
    name.lower(): idx
    for name, idx in vars(lm).items()
    if isinstance(idx, int) and name.isupper() and name not in ("N_LANDMARKS",)
}


def unit(v: np.ndarray) -> np.ndarray:
    """Row-wise unit vectors (..., 3); zero-length rows become NaN."""
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1e-12, v / n, np.nan)


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=-1)


def normal_to(v: np.ndarray, axis_unit: np.ndarray) -> np.ndarray:
    """Component of v normal to the unit axis (row-wise)."""
    return v - dot(v, axis_unit)[..., None] * axis_unit


def point(xyz_m: np.ndarray, name: str) -> np.ndarray:
    """(n, 3) position of a named landmark or midpoint (see ergopipe.angle_defs)."""
    mids = {
        "mid_hip": ("left_hip", "right_hip"),
        "mid_shoulder": ("left_shoulder", "right_shoulder"),
        "mid_ear": ("left_ear", "right_ear"),
        "left_hand": ("left_index", "left_pinky"),
        "right_hand": ("right_index", "right_pinky"),
    }
    if name in mids:
        a, b = mids[name]
        return (point(xyz_m, a) + point(xyz_m, b)) / 2
    return xyz_m[:, _NAMED[name]]


def body_frames(xyz_m: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Unit axes (n, 3) of the pelvis, shoulder and hand frames (definitions in ergopipe.angle_defs)."""
    p = functools.partial(point, xyz_m)
    n = xyz_m.shape[0]
    up = np.broadcast_to(UP, (n, 3))
    pel_left = unit(normal_to(p("left_hip") - p("right_hip"), up))
    frames = {"pelvis": {"up": up, "left": pel_left, "forward": np.cross(pel_left, up)}}
    trunk_up = unit(p("mid_shoulder") - p("mid_hip"))
    sh_left = unit(normal_to(p("left_shoulder") - p("right_shoulder"), trunk_up))
    frames["shoulder"] = {"up": trunk_up, "left": sh_left, "forward": np.cross(sh_left, trunk_up)}
    for side, palm_sign in (("left", 1.0), ("right", -1.0)):
        forearm = unit(p(f"{side}_wrist") - p(f"{side}_elbow"))
        knuckle = unit(normal_to(p(f"{side}_index") - p(f"{side}_pinky"), forearm))
        # forearm x knuckle points to the palm for the left hand and to the back of the hand for the right.
        frames[f"hand_{side}"] = {
            "forearm": forearm,
            "knuckle": knuckle,
            "palm": palm_sign * np.cross(forearm, knuckle),
        }
    for axes in frames.values():
        for name in ("up", "left", "forward"):
            if name in axes:
                opposite = {"up": "down", "left": "right", "forward": "backward"}[name]
                axes[opposite] = -axes[name]
    return frames


def plane_angle_deg(v: np.ndarray, ref: np.ndarray, toward: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angle (deg) of v from ref in the (ref, toward) plane, positive toward `toward`; and v's share in it."""
    a, b = dot(v, ref), dot(v, toward)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.hypot(a, b) / np.linalg.norm(v, axis=-1)
    return np.degrees(np.arctan2(b, a)), share


def lean_angle_deg(v: np.ndarray, toward: np.ndarray) -> np.ndarray:
    """Angle (deg, +-90) of v out of the plane normal to `toward`, positive toward it."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sin = dot(v, toward) / np.linalg.norm(v, axis=-1)
    return np.degrees(np.arcsin(np.clip(sin, -1.0, 1.0)))


def hinge_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """180 - interior angle a-b-c, degrees (0 = straight)."""
    cos = dot(unit(a - b), unit(c - b))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def twist_deg(line_a: np.ndarray, line_b: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """Signed angle (deg) from line_a to line_b about the axis, right-hand rule, after projecting both on the
    plane normal to the axis."""
    ax = unit(axis)
    a, b = normal_to(line_a, ax), normal_to(line_b, ax)
    return np.degrees(np.arctan2(dot(np.cross(a, b), ax), dot(a, b)))


def shoulder_raise_deg(xyz_m: np.ndarray, side: str, pivot_fraction: float) -> np.ndarray:
    """Shoulder elevation relative to the trunk, degrees, up +.

    Pivot P = mid-hip + pivot_fraction * |mid-ear - mid-hip| * trunk axis (a virtual neck base whose height
    does not move when the shoulders shrug). The angle is that of P -> shoulder above the plane normal to the
    trunk axis; 0 when the shoulder is level with P (the neutral skeleton's shoulder line).
    """
    hip, ear = point(xyz_m, "mid_hip"), point(xyz_m, "mid_ear")
    axis = unit(point(xyz_m, "mid_shoulder") - hip)
    pivot = hip + pivot_fraction * np.linalg.norm(ear - hip, axis=-1)[:, None] * axis
    v = point(xyz_m, f"{side}_shoulder") - pivot
    along = dot(v, axis)
    across = np.linalg.norm(normal_to(v, axis), axis=-1)
    return np.degrees(np.arctan2(along, across))


def _evaluate(
    d: AngleDef, xyz_m: np.ndarray, frames: dict[str, dict[str, np.ndarray]], settings: AngleSettings
) -> tuple[np.ndarray, np.ndarray]:
    p = functools.partial(point, xyz_m)
    share = np.ones(xyz_m.shape[0])
    if d.kind == "plane":
        axes = frames[d.frame]
        value, share = plane_angle_deg(p(d.points[1]) - p(d.points[0]), axes[d.ref], axes[d.toward])
    elif d.kind == "lean":
        value = lean_angle_deg(p(d.points[1]) - p(d.points[0]), frames[d.frame][d.toward])
    elif d.kind == "hinge":
        value = hinge_deg(*(p(name) for name in d.points))
    elif d.kind == "twist":
        a0, a1, b0, b1 = (p(name) for name in d.points)
        value = d.sign * twist_deg(a1 - a0, b1 - b0, p(d.axis[1]) - p(d.axis[0]))
    elif d.kind == "elevation":
        value = shoulder_raise_deg(xyz_m, d.points[0].split("_")[0], settings.shoulder_pivot_fraction)
    else:
        raise ValueError(f"unknown angle kind {d.kind!r} in {d.column}")
    if d.offset_setting:
        value = value - float(getattr(settings, d.offset_setting))
    if d.absolute:
        value = np.abs(value)
    conf = np.where(np.isfinite(value), np.clip(np.nan_to_num(share), 0.0, 1.0), 0.0)
    value = np.where(conf >= settings.min_plane_share, value, np.nan)
    return value, np.where(np.isfinite(value), conf, 0.0)


def compute_angles(pose: CleanPose, *, settings: AngleSettings = AngleSettings()) -> AngleTable:
    """Per-frame angles and posture flags for every column in ergopipe.columns.ALL_COLUMNS.

    pose.xyz_m: (n, 33, 3) gravity frame (y up). Returns AngleTable with (n,) float columns, confidence
    (0..1; 0 where NaN) and sources ("keypoints").
    """
    xyz = np.asarray(pose.xyz_m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frames = body_frames(xyz)
        columns: dict[str, np.ndarray] = {}
        confidence: dict[str, np.ndarray] = {}
        for d in expanded_defs():
            columns[d.column], confidence[d.column] = _evaluate(d, xyz, frames, settings)
            if d.frame == "pelvis":  # measured against gravity: only as sure as the vertical
                confidence[d.column] = confidence[d.column] * _gravity_factor(pose)
        fps = _fps(pose.time_s)
        for name, values in posture_flags(xyz, frames, fps, settings).items():
            columns[name] = values
            confidence[name] = np.where(np.isfinite(values), 1.0, 0.0)
    missing = set(ALL_COLUMNS) - set(columns)
    if missing:
        raise RuntimeError(f"angle table lacks columns {sorted(missing)}")
    log.info(
        "compute_angles: %d frames, trunk flexion measurable in %d",
        xyz.shape[0],
        int(np.isfinite(columns["trunk_flexion_deg"]).sum()),
    )
    return AngleTable(
        time_s=np.asarray(pose.time_s, dtype=float),
        frame_index=np.asarray(pose.frame_index),
        detected=np.asarray(pose.detected, dtype=bool),
        columns=columns,
        confidence=confidence,
        sources={name: "keypoints" for name in columns},
    )


def _gravity_factor(pose: CleanPose) -> float:
    """Confidence factor of gravity-referenced angles: 1 with a declared tilt, the estimate's confidence
    (at least 0.5) when estimated, 0.5 when the camera's vertical had to be used as is."""
    if pose.gravity_source == "declared":
        return 1.0
    if pose.gravity_source == "estimated":
        return float(np.clip(pose.gravity_confidence, 0.5, 1.0))
    return 0.5


def _fps(time_s: np.ndarray) -> float:
    t = np.asarray(time_s, dtype=float)
    if t.size < 2:
        return 30.0
    dt = np.median(np.diff(t))
    return float(1.0 / dt) if dt > 0 else 30.0
