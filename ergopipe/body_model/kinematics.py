"""Numpy forward kinematics of the SMPL-X skeleton (rotations and joint centres, no skinning).

Used after the fit (all 55 joints for the outputs) and by the angle read-out; jaw, eyes and fingers are at
their zero rotation, as in the fit.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from ergopipe.body_model.mapping import N_BODY_JOINTS, N_JOINTS, N_POSED_JOINTS, PARENTS


def local_rotations(global_orient: np.ndarray, body_pose: np.ndarray) -> np.ndarray:
    """(n, 3) + (n, 63) axis-angle (rad) -> (n, 22, 3, 3) local rotation matrices of joints 0..21."""
    n = global_orient.shape[0]
    pose = np.concatenate([global_orient[:, None], body_pose.reshape(n, N_BODY_JOINTS, 3)], 1)
    flat = pose.reshape(-1, 3)
    mats = np.full((flat.shape[0], 3, 3), np.nan)
    good = np.all(np.isfinite(flat), axis=1)
    if good.any():
        mats[good] = Rotation.from_rotvec(flat[good]).as_matrix()
    return mats.reshape(n, N_POSED_JOINTS, 3, 3)


def global_rotations(local: np.ndarray) -> np.ndarray:
    """(n, 22, 3, 3) local -> (n, 22, 3, 3) rotations of each joint's frame relative to the world."""
    out = np.empty_like(local)
    out[:, 0] = local[:, 0]
    for j in range(1, N_POSED_JOINTS):
        out[:, j] = out[:, PARENTS[j]] @ local[:, j]
    return out


def posed_joints(
    rest_joints_m: np.ndarray, global_orient: np.ndarray, body_pose: np.ndarray, transl_m: np.ndarray
) -> np.ndarray:
    """(55, 3) shaped rest joints + per-frame parameters -> (n, 55, 3) posed joint centres, metres."""
    g_local = global_rotations(local_rotations(global_orient, body_pose))
    n = g_local.shape[0]
    rot = np.empty((n, N_JOINTS, 3, 3))
    pos = np.empty((n, N_JOINTS, 3))
    rot[:, :N_POSED_JOINTS] = g_local
    pos[:, 0] = rest_joints_m[0]
    for j in range(1, N_JOINTS):
        p = PARENTS[j]
        if j >= N_POSED_JOINTS:
            rot[:, j] = rot[:, p]
        pos[:, j] = pos[:, p] + rot[:, p] @ (rest_joints_m[j] - rest_joints_m[p])
    return pos + transl_m[:, None]
