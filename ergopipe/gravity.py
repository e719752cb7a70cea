"""Camera frame -> gravity frame: axis flip, camera pitch/roll estimate and its removal (pure numpy).

Frames (all metres, right-handed):
- MediaPipe world (input): x image-right, y DOWN, z AWAY from the camera, origin mid-hip.
- camera-up frame: x image-right, y image-up, z toward the camera (MediaPipe with y and z negated; a proper
  rotation, so left/right stay the person's own).
- gravity frame (CleanPose): y up against gravity, z horizontal toward the camera, x horizontal right.

Camera tilt convention (documented in docs/angles.md):
- pitch_deg > 0: the camera looks DOWN by that angle (phone held above the work, tilted toward the floor).
- roll_deg > 0: the camera is rotated about its optical axis so that true vertical appears leaning toward
  image right (the image horizon drops on the right).
A point p_cam (camera-up frame) is in the gravity frame at ``camera_to_gravity(pitch, roll) @ p_cam``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ergopipe.landmarks import (
    LEFT_ANKLE,
    LEFT_HIP,
    LEFT_KNEE,
    LEFT_SHOULDER,
    RIGHT_ANKLE,
    RIGHT_HIP,
    RIGHT_KNEE,
    RIGHT_SHOULDER,
)

log = logging.getLogger(__name__)

_FLIP_YZ = np.diag([1.0, -1.0, -1.0])


def mediapipe_to_camera_up(world_xyz_m: np.ndarray) -> np.ndarray:
    """(..., 3) MediaPipe world (y down, z away) -> camera-up frame (y up, z toward camera)."""
    return np.asarray(world_xyz_m, dtype=float) @ _FLIP_YZ


def camera_up_to_mediapipe(xyz_m: np.ndarray) -> np.ndarray:
    """Inverse of :func:`mediapipe_to_camera_up` (the flip is its own inverse)."""
    return np.asarray(xyz_m, dtype=float) @ _FLIP_YZ


def camera_to_gravity(pitch_deg: float, roll_deg: float) -> np.ndarray:
    """(3, 3) rotation taking camera-up coordinates to gravity coordinates (see module docstring)."""
    p, r = np.radians(pitch_deg), np.radians(roll_deg)
    # Columns are the camera axes expressed in the gravity frame: first roll about the optical axis,
    # then pitch the whole camera down about the horizontal x axis.
    rx = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(p), np.sin(p)], [0.0, -np.sin(p), np.cos(p)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0.0], [np.sin(r), np.cos(r), 0.0], [0.0, 0.0, 1.0]])
    return rx @ rz


def tilt_from_up_vector(up_cam: np.ndarray) -> tuple[float, float]:
    """Camera (pitch_deg, roll_deg) from the true-up direction seen in the camera-up frame, shape (3,).

    With R = camera_to_gravity(pitch, roll), up_cam = R.T @ (0, 1, 0) = (sin r cos p, cos r cos p, sin p).
    """
    u = np.asarray(up_cam, dtype=float)
    u = u / np.linalg.norm(u)
    pitch = float(np.degrees(np.arcsin(np.clip(u[2], -1.0, 1.0))))
    roll = float(np.degrees(np.arctan2(u[0], u[1])))
    return pitch, roll


@dataclass(frozen=True)
class GravityEstimate:
    pitch_deg: float
    roll_deg: float
    confidence: float  # 0..1
    n_upright_frames: int
    spread_deg: float  # median angular distance of the per-frame up directions from their median


def _unit(v: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle between row vectors a and b (n, 3), degrees; NaN if either is NaN."""
    cos = np.sum(_unit(a) * _unit(b), axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def estimate_gravity(
    xyz_cam_m: np.ndarray,
    *,
    max_knee_flexion_deg: float = 45.0,
    max_hip_bend_deg: float = 8.0,
    full_confidence_frames: int = 15,
    max_spread_deg: float = 10.0,
    max_tilt_deg: float = 45.0,
) -> GravityEstimate:
    """Estimate camera pitch/roll from frames where the person stands upright.

    xyz_cam_m: (n, 33, 3) camera-up frame, NaN = missing. Per frame and visible leg (hip, knee, ankle
    present), the leg line is ankle -> hip of that side; a frame counts as upright when at least one leg is
    visible, every visible knee is flexed < max_knee_flexion_deg and the trunk line (mid-hip -> mid-shoulder)
    is within max_hip_bend_deg of the mean leg line (of those, the straighter half is used). Standing, both
    lines are plumb (the hip sits over the feet for balance, even with soft knees), so the median of their
    unit-vector sum is true up as the camera sees it. Using each leg's own line (not the mid-ankle) keeps a
    side view, where the far leg is hidden, free of a lateral bias. Confidence grows with the number of
    upright frames used (full at `full_confidence_frames`) and falls with their angular spread (0 at
    `max_spread_deg`); an implausible tilt (> max_tilt_deg) gets confidence 0.
    """
    p = np.asarray(xyz_cam_m, dtype=float)
    n = p.shape[0]
    trunk = _unit((p[:, LEFT_SHOULDER] + p[:, RIGHT_SHOULDER] - p[:, LEFT_HIP] - p[:, RIGHT_HIP]) / 2)
    leg_sum = np.zeros((n, 3))
    n_legs = np.zeros(n)
    knees_ok = np.ones(n, dtype=bool)
    for hip, knee, ank in ((LEFT_HIP, LEFT_KNEE, LEFT_ANKLE), (RIGHT_HIP, RIGHT_KNEE, RIGHT_ANKLE)):
        flex = _angle_deg(p[:, knee] - p[:, hip], p[:, ank] - p[:, knee])
        visible = np.isfinite(flex)
        knees_ok &= ~visible | (flex < max_knee_flexion_deg)
        leg = _unit(p[:, hip] - p[:, ank])
        leg_sum[visible] += leg[visible]
        n_legs += visible
    leg_dir = _unit(leg_sum)
    with np.errstate(invalid="ignore"):
        hip_bend = _angle_deg(trunk, leg_dir)
        upright = (n_legs > 0) & knees_ok & (hip_bend < max_hip_bend_deg)
    n_up = int(np.count_nonzero(upright))
    if n_up >= 10:
        # Keep the straighter half: frames of a slight stoop pass the threshold too and would bias the median.
        upright &= hip_bend <= np.median(hip_bend[upright])
    if n_up == 0:
        return GravityEstimate(0.0, 0.0, 0.0, 0, float("nan"))
    n_used = int(np.count_nonzero(upright))
    dirs = _unit(trunk[upright] + leg_dir[upright])
    up = np.median(dirs, axis=0)
    up = up / np.linalg.norm(up)
    spread = float(np.median(_angle_deg(dirs, np.broadcast_to(up, dirs.shape))))
    pitch, roll = tilt_from_up_vector(up)
    tilt = float(np.degrees(np.arccos(np.clip(up[1], -1.0, 1.0))))
    conf = min(1.0, n_used / full_confidence_frames) * max(0.0, 1.0 - spread / max_spread_deg)
    if tilt > max_tilt_deg:
        conf = 0.0
    log.debug(
        "gravity: %d upright frames, pitch %.1f roll %.1f spread %.1f conf %.2f",
        n_up,
        pitch,
        roll,
        spread,
        conf,
    )
    return GravityEstimate(pitch, roll, float(conf), n_up, spread)


def to_gravity_frame(xyz_cam_m: np.ndarray, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """Rotate (..., 3) camera-up coordinates into the gravity frame (NaN stays NaN)."""
    rot = camera_to_gravity(pitch_deg, roll_deg)
    return np.asarray(xyz_cam_m, dtype=float) @ rot.T
