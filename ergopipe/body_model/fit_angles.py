"""Joint angles read from the fitted body's joint rotations (the ones keypoints cannot give well).

Conventions follow ergopipe.columns. SMPL-X rest pose: y up, facing +z, the person's left at +x, arms out
along +-x with the palms down (-y).
- trunk_twist_deg: twist of spine3 relative to the pelvis about the trunk's long (y) axis; left shoulder
  forward + (a rotation about +y moves the left shoulder backward, hence the minus sign).
- neck_twist_deg: twist of the head relative to spine3 about the neck's (y) axis; face turned left +
  (a rotation about +y turns the face from +z toward the left, +x).
- <side>_wrist_flexion_deg: the hand axis (wrist local x, pointing away from the body) in the forearm frame;
  bending toward the palm (-y) +, extension -.
- <side>_wrist_deviation_deg: the same hand axis out of the palm plane of the forearm frame (toward the thumb
  or the little finger), absolute value.
Twists use the swing-twist decomposition, so a bend does not leak into the twist.
"""

from __future__ import annotations

import numpy as np

from ergopipe.body_model.kinematics import global_rotations, local_rotations
from ergopipe.body_model.mapping import JOINT
from ergopipe.body_model.results import BodyFit

FIT_ANGLE_COLUMNS: tuple[str, ...] = (
    "trunk_twist_deg",
    "neck_twist_deg",
    "left_wrist_flexion_deg",
    "right_wrist_flexion_deg",
    "left_wrist_deviation_deg",
    "right_wrist_deviation_deg",
)


def twist_about_y_deg(rot: np.ndarray) -> np.ndarray:
    """(n, 3, 3) rotations -> (n,) twist about the local y axis, degrees in (-180, 180], right-handed."""
    # Quaternion parts needed for the swing-twist split: w and the y component (unnormalised is fine).
    w = 0.5 * np.sqrt(np.clip(1.0 + rot[:, 0, 0] + rot[:, 1, 1] + rot[:, 2, 2], 0.0, None))
    qy_4w = rot[:, 0, 2] - rot[:, 2, 0]  # = 4 w q_y
    qy = np.where(
        w > 1e-6,
        qy_4w / np.maximum(4 * w, 1e-12),
        0.5 * np.sqrt(np.clip(1.0 - rot[:, 0, 0] + rot[:, 1, 1] - rot[:, 2, 2], 0.0, None)),
    )
    angle = np.degrees(2.0 * np.arctan2(qy, w))
    return (angle + 180.0) % 360.0 - 180.0


def rotation_angles(global_orient: np.ndarray, body_pose: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame fit angles (degrees) from SMPL-X parameters (n, 3) and (n, 63)."""
    local = local_rotations(global_orient, body_pose)
    glob = global_rotations(local)
    rel_trunk = np.swapaxes(glob[:, JOINT["pelvis"]], 1, 2) @ glob[:, JOINT["spine3"]]
    rel_neck = np.swapaxes(glob[:, JOINT["spine3"]], 1, 2) @ glob[:, JOINT["head"]]
    out = {
        "trunk_twist_deg": -twist_about_y_deg(rel_trunk),
        "neck_twist_deg": twist_about_y_deg(rel_neck),
    }
    for side, sign in (("left", 1.0), ("right", -1.0)):
        hand_axis = local[:, JOINT[f"{side}_wrist"]] @ np.array([sign, 0.0, 0.0])  # in the forearm frame
        out[f"{side}_wrist_flexion_deg"] = np.degrees(np.arctan2(-hand_axis[:, 1], sign * hand_axis[:, 0]))
        out[f"{side}_wrist_deviation_deg"] = np.abs(np.degrees(np.arcsin(np.clip(hand_axis[:, 2], -1, 1))))
    return out


def angles_from_fit(fit: BodyFit) -> dict[str, np.ndarray]:
    """Column name -> (n,) degrees for the angles the body model improves; NaN where the fit failed."""
    angles = rotation_angles(fit.global_orient, fit.body_pose)
    return {name: np.where(fit.ok, angles[name], np.nan) for name in FIT_ANGLE_COLUMNS}
