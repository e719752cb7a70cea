"""Angle read-out conventions of the fitted body (known rotations -> known angles)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from ergopipe.body_model.fit_angles import rotation_angles, twist_about_y_deg
from ergopipe.body_model.mapping import JOINT


def _pose(**joints: Rotation) -> tuple[np.ndarray, np.ndarray]:
    body = np.zeros((1, 21, 3))
    orient = np.zeros((1, 3))
    for name, rot in joints.items():
        if name == "pelvis":
            orient[0] = rot.as_rotvec()
        else:
            body[0, JOINT[name] - 1] = rot.as_rotvec()
    return orient, body.reshape(1, -1)


def _deg(axis: str, angle: float) -> Rotation:
    return Rotation.from_euler(axis, angle, degrees=True)


def test_twist_ignores_bend():
    mats = (_deg("y", 25) * _deg("x", 40)).as_matrix()[None]
    assert np.isclose(twist_about_y_deg(mats)[0], 25.0)


def test_trunk_twist_left_shoulder_forward_is_positive():
    # rotating the spine about +y by -10 deg per joint moves the left shoulder (+x) toward +z (forward)
    a = rotation_angles(
        *_pose(pelvis=_deg("y", 50), spine1=_deg("y", -10), spine2=_deg("y", -10), spine3=_deg("y", -10))
    )
    assert np.isclose(a["trunk_twist_deg"][0], 30.0)  # the pelvis' own turn does not count


def test_neck_twist_face_left_is_positive():
    a = rotation_angles(*_pose(spine3=_deg("y", 20), neck=_deg("y", 15), head=_deg("y", 10) * _deg("x", 20)))
    assert np.isclose(a["neck_twist_deg"][0], 25.0)


def test_wrist_flexion_and_deviation_signs_per_side():
    # palms face down (-y) in the rest pose; flexion bends the hand toward the palm
    a = rotation_angles(*_pose(left_wrist=_deg("z", -30), right_wrist=_deg("z", 30)))
    assert np.isclose(a["left_wrist_flexion_deg"][0], 30.0) and np.isclose(
        a["right_wrist_flexion_deg"][0], 30.0
    )
    a = rotation_angles(*_pose(left_wrist=_deg("z", 20), right_wrist=_deg("y", 15)))
    assert np.isclose(a["left_wrist_flexion_deg"][0], -20.0)  # extension
    assert np.isclose(a["right_wrist_deviation_deg"][0], 15.0)
    assert np.isclose(a["right_wrist_flexion_deg"][0], 0.0, atol=1e-9)
