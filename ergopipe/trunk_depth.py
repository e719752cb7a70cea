"""Trunk lean out of the image plane: MediaPipe's depth guess fused with the 2D image and a side-bend prior.

Why: the 2D image landmarks fix the trunk's direction within the image plane precisely, but its tilt toward
or away from the camera (the depth) comes only from MediaPipe's monocular world landmarks, which often miss
a small lean toward the camera (seen at 45 deg: a 15 deg forward lean read as upright or as a side-bend).
From one view the image leaves one unknown per frame: the angle `alpha` by which the trunk leaves the
"interpretation plane" (the plane through the 2D trunk line and the optical axis; weak perspective). Any
alpha reproduces the image; they differ in how the lean splits into flexion and side-bend. Each frame takes
the alpha of least cost (a negative log posterior)

    0.5 * ((alpha - alpha_mediapipe) / depth_sd)^2 + log(1 + (side_bend(alpha) / side_bend_sd)^2):

MediaPipe's depth is a Gaussian measurement (depth_sd: the error of its trunk tilt out of the image plane,
rms 5-19 deg per view, 12 deg overall, on the real-person Pose2Sim views; docs/angles.md), and the side-bend
has a Cauchy prior: usually small (lateral bending range is about a third of flexion range; work postures
are mostly sagittal) but heavy-tailed, so a large side-bend that MediaPipe sees clearly is kept rather than
explained away. From the side the image alone fixes the flexion (alpha moves only the side-bend); from the
front the image fixes the side-bend and the flexion stays MediaPipe's. Known cost: a genuine moderate
side-bend seen at 45 deg is partly read as flexion (docs/angles.md).
The upper body (landmarks 0-22) is rotated about the mid-hip with the trunk, so every angle measured in the
shoulder frame (neck, arms) is unchanged.
"""

from __future__ import annotations

import numpy as np

from ergopipe import gravity
from ergopipe.landmarks import LEFT_HIP, LEFT_SHOULDER, RIGHT_HIP, RIGHT_SHOULDER

UPPER_BODY = np.arange(0, 23)  # face, shoulders, arms, hands: rotate with the trunk
_ALPHA_GRID_RAD = np.radians(np.arange(-89.0, 89.5, 1.0))
_CHUNK_FRAMES = 2048  # frames per vectorised block (keeps the (frames, grid, 3) array small)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1e-9, v / n, np.nan)


def image_trunk_direction(image_xy_px: np.ndarray, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """(n, 3) unit direction of the 2D trunk line (mid-hip -> mid-shoulder in the image) in the gravity
    frame, i.e. the image direction lifted into 3D with zero depth (NaN where a point is missing)."""
    xy = np.asarray(image_xy_px, dtype=float)
    d = (xy[:, LEFT_SHOULDER] + xy[:, RIGHT_SHOULDER] - xy[:, LEFT_HIP] - xy[:, RIGHT_HIP]) / 2
    cam = np.stack([d[:, 0], -d[:, 1], np.zeros(len(d))], axis=-1)  # pixels: y down -> camera-up: y up
    return _unit(cam @ gravity.camera_to_gravity(pitch_deg, roll_deg).T)


def _wrap_rad(a: np.ndarray) -> np.ndarray:
    return (a + np.pi) % (2 * np.pi) - np.pi


def fused_trunk_alpha(
    trunk_m: np.ndarray,
    image_dir: np.ndarray,
    pelvis_right: np.ndarray,
    optical_axis: np.ndarray,
    depth_sd_deg: float,
    side_bend_sd_deg: float,
) -> np.ndarray:
    """(n,) out-of-image-plane angle (rad) of least cost (module docstring); NaN where an input is NaN.

    trunk_m: (n, 3) MediaPipe mid-hip -> mid-shoulder; image_dir: (n, 3) unit 2D trunk direction lifted to
    3D; pelvis_right: (n, 3) unit horizontal hip line (left -> right hip); optical_axis: (3,) unit camera z
    (toward the camera), all in the gravity frame."""
    alpha_mp = np.arctan2(trunk_m @ optical_axis, np.sum(trunk_m * image_dir, axis=-1))
    out = np.full(len(trunk_m), np.nan)
    ok = np.isfinite(alpha_mp) & np.isfinite(image_dir).all(-1) & np.isfinite(pelvis_right).all(-1)
    idx = np.flatnonzero(ok)
    for start in range(0, idx.size, _CHUNK_FRAMES):
        f = idx[start : start + _CHUNK_FRAMES]
        # side-bend of t(alpha) = cos(alpha) e + sin(alpha) z: asin(t . right), for every grid alpha.
        e_r = np.sum(image_dir[f] * pelvis_right[f], axis=-1)[:, None]
        z_r = (pelvis_right[f] @ optical_axis)[:, None]
        side = np.arcsin(np.clip(np.cos(_ALPHA_GRID_RAD) * e_r + np.sin(_ALPHA_GRID_RAD) * z_r, -1.0, 1.0))
        cost = 0.5 * (_wrap_rad(_ALPHA_GRID_RAD - alpha_mp[f, None]) / np.radians(depth_sd_deg)) ** 2
        cost = cost + np.log1p((side / np.radians(side_bend_sd_deg)) ** 2)
        out[f] = _ALPHA_GRID_RAD[np.argmin(cost, axis=1)]
    return out


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, 3, 3) rotations taking unit a to unit b about their common normal (identity where NaN/parallel)."""
    axis = np.cross(a, b)
    s, c = np.linalg.norm(axis, axis=-1), np.sum(a * b, axis=-1)
    k = _unit(axis)
    ok = np.isfinite(k).all(-1) & (s > 1e-9)
    k = np.where(ok[:, None], k, 0.0)
    kx = np.zeros((len(a), 3, 3))
    kx[:, 0, 1], kx[:, 0, 2], kx[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    kx -= kx.transpose(0, 2, 1)
    s, c = np.where(ok, s, 0.0), np.where(ok, c, 1.0)
    return np.eye(3) + s[:, None, None] * kx + (1 - c)[:, None, None] * (kx @ kx)


def refine_trunk_depth(
    xyz_m: np.ndarray,
    image_xy_px: np.ndarray,
    pitch_deg: float,
    roll_deg: float,
    *,
    depth_sd_deg: float,
    side_bend_sd_deg: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Gravity-frame landmarks (n, 33, 3) with the trunk's out-of-image-plane angle re-estimated (module
    docstring) and the upper body rotated with it about the mid-hip. Returns (copy, (n,) change in degrees
    of the trunk direction, NaN where a frame was left as it was)."""
    p = np.array(xyz_m, dtype=float, copy=True)
    hip = (p[:, LEFT_HIP] + p[:, RIGHT_HIP]) / 2
    trunk = (p[:, LEFT_SHOULDER] + p[:, RIGHT_SHOULDER]) / 2 - hip
    rot = gravity.camera_to_gravity(pitch_deg, roll_deg)
    optical_axis = rot @ np.array([0.0, 0.0, 1.0])
    e = image_trunk_direction(image_xy_px, pitch_deg, roll_deg)
    right = p[:, RIGHT_HIP] - p[:, LEFT_HIP]
    right[:, 1] = 0.0
    alpha = fused_trunk_alpha(trunk, e, _unit(right), optical_axis, depth_sd_deg, side_bend_sd_deg)
    new_dir = np.cos(alpha)[:, None] * e + np.sin(alpha)[:, None] * optical_axis
    old_dir = _unit(trunk)
    ok = np.isfinite(new_dir).all(-1) & np.isfinite(old_dir).all(-1)
    change = np.full(len(p), np.nan)
    if ok.any():
        r = _rotation_between(old_dir[ok], new_dir[ok])
        upper = p[ok][:, UPPER_BODY] - hip[ok, None]
        p[np.ix_(np.flatnonzero(ok), UPPER_BODY)] = hip[ok, None] + upper @ r.transpose(0, 2, 1)
        change[ok] = np.degrees(np.arccos(np.clip(np.sum(old_dir[ok] * new_dir[ok], -1), -1.0, 1.0)))
    return p, change
