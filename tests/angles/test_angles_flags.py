"""Posture flags on generated skeletons with known answers."""

import numpy as np
import pytest

from ergopipe.angles import compute_angles
from ergopipe.clean import clean_pose
from ergopipe.synth.skeleton import Posture, View, pose_sequence, skeleton_mediapipe

STAND = Posture()
SIT = Posture(
    left_hip_flexion_deg=90, right_hip_flexion_deg=90, left_knee_flexion_deg=90, right_knee_flexion_deg=90
)
KNEEL = Posture(left_knee_flexion_deg=90, right_hip_flexion_deg=90, right_knee_flexion_deg=90)
ONE_FOOT_UP = Posture(left_hip_flexion_deg=30, left_knee_flexion_deg=60)
ACROSS = Posture(left_upper_arm_flexion_deg=90, left_upper_arm_abduction_deg=-60)
OUT = Posture(right_upper_arm_abduction_deg=90)


def _flags(posture: Posture, yaw_deg: float) -> dict[str, float]:
    table = compute_angles(
        clean_pose(pose_sequence(np.stack([skeleton_mediapipe(posture, View(yaw_deg))] * 10)))
    )
    return {name: float(values[5]) for name, values in table.columns.items() if not name.endswith("_deg")}


@pytest.mark.parametrize("yaw_deg", (0, 90, 135))
@pytest.mark.parametrize(
    "posture,expected",
    [
        (STAND, dict(seated=0, kneeling=0, bilateral_weight_bearing=1, walking=0)),
        (SIT, dict(seated=1, kneeling=0)),
        (KNEEL, dict(seated=0, kneeling=1)),
        (ONE_FOOT_UP, dict(bilateral_weight_bearing=0, seated=0, kneeling=0)),
        (
            ACROSS,
            dict(
                left_lower_arm_across_midline_or_out_to_side=1,
                right_lower_arm_across_midline_or_out_to_side=0,
            ),
        ),
        (
            OUT,
            dict(
                left_lower_arm_across_midline_or_out_to_side=0,
                right_lower_arm_across_midline_or_out_to_side=1,
            ),
        ),
    ],
)
def test_flags(posture: Posture, expected: dict[str, float], yaw_deg: float) -> None:
    flags = _flags(posture, yaw_deg)
    assert {name: flags[name] for name in expected} == {name: float(v) for name, v in expected.items()}


def test_walking_needs_alternating_steps() -> None:
    fps, n = 30.0, 90
    swing = 25 * np.sin(2 * np.pi * 1.0 * np.arange(n) / fps)
    frames = [
        skeleton_mediapipe(Posture(left_hip_flexion_deg=s, right_hip_flexion_deg=-s), View(yaw_deg=60))
        for s in swing
    ]
    table = compute_angles(clean_pose(pose_sequence(np.stack(frames), fps=fps)))
    assert np.nanmean(table.columns["walking"]) > 0.9
    still = compute_angles(clean_pose(pose_sequence(np.stack([skeleton_mediapipe(STAND)] * n), fps=fps)))
    assert np.nanmax(still.columns["walking"]) == 0.0


def test_flag_nan_when_feet_missing() -> None:
    xyz = np.stack([skeleton_mediapipe(STAND)] * 10)
    vis = np.ones(xyz.shape[:2])
    vis[:, 27:33] = 0.0  # ankles, heels, toes hidden
    table = compute_angles(clean_pose(pose_sequence(xyz, visibility=vis)))
    for name in ("bilateral_weight_bearing", "seated", "kneeling", "walking"):
        assert np.isnan(table.columns[name]).all(), name
