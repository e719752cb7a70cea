"""Every angle exact to 0.5 deg on generated skeletons: all body yaws, both sides, tilted cameras.

The depth here is exact, so the trunk-depth fusion (ergopipe.trunk_depth), whose side-bend prior moves a
genuine side-bend by design, is switched off: these tests check the angle definitions and the gravity frame.
Its bounded cost on the same skeletons is tested in test_angles_trunk_depth.py.
"""

import numpy as np
import pytest

from ergopipe.angles import compute_angles
from ergopipe.clean import CleanSettings, clean_pose
from ergopipe.columns import ALL_COLUMNS
from ergopipe.synth.skeleton import Posture, View, pose_sequence, skeleton_mediapipe

TOL_DEG = 0.5
EXACT_DEPTH = CleanSettings(trunk_depth_sd_deg=0.0)  # MediaPipe's depth kept as it is
YAWS = (0, 45, 90, 135, 180, -90)

POSTURES = {
    "neutral": Posture(),
    "asymmetric_work": Posture(
        trunk_flexion_deg=30,
        trunk_side_bend_deg=10,
        trunk_twist_deg=15,
        neck_flexion_deg=20,
        neck_side_bend_deg=-8,
        neck_twist_deg=25,
        left_upper_arm_flexion_deg=60,
        right_upper_arm_flexion_deg=-20,
        left_upper_arm_abduction_deg=20,
        right_upper_arm_abduction_deg=35,
        left_shoulder_raise_deg=10,
        right_shoulder_raise_deg=-5,
        left_elbow_flexion_deg=80,
        right_elbow_flexion_deg=30,
        left_wrist_flexion_deg=25,
        right_wrist_flexion_deg=-30,
        left_wrist_deviation_deg=10,
        right_wrist_deviation_deg=-15,
        left_knee_flexion_deg=40,
        right_knee_flexion_deg=10,
        left_hip_flexion_deg=30,
    ),
    "mirrored_work": Posture(
        trunk_flexion_deg=-10,
        trunk_side_bend_deg=-15,
        trunk_twist_deg=-20,
        neck_flexion_deg=-15,
        neck_side_bend_deg=12,
        neck_twist_deg=-30,
        left_upper_arm_flexion_deg=-25,
        right_upper_arm_flexion_deg=95,
        left_upper_arm_abduction_deg=40,
        right_upper_arm_abduction_deg=-10,
        left_shoulder_raise_deg=-4,
        right_shoulder_raise_deg=15,
        left_elbow_flexion_deg=120,
        right_elbow_flexion_deg=5,
        left_wrist_flexion_deg=-40,
        right_wrist_flexion_deg=35,
        left_wrist_deviation_deg=-20,
        right_wrist_deviation_deg=12,
        left_knee_flexion_deg=0,
        right_knee_flexion_deg=70,
        right_hip_flexion_deg=45,
    ),
    "deep_bend": Posture(
        trunk_flexion_deg=95,
        neck_flexion_deg=-30,
        left_upper_arm_flexion_deg=80,
        right_upper_arm_flexion_deg=80,
        left_elbow_flexion_deg=15,
        right_elbow_flexion_deg=15,
        left_knee_flexion_deg=20,
        right_knee_flexion_deg=20,
        left_hip_flexion_deg=10,
        right_hip_flexion_deg=10,
    ),
}


def _angles_for(frames: list[np.ndarray], **clean_kwargs):
    return compute_angles(clean_pose(pose_sequence(np.stack(frames)), settings=EXACT_DEPTH, **clean_kwargs))


def _assert_matches(table, posture: Posture, frame: int) -> None:
    errors = {
        name: float(table.columns[name][frame] - value) for name, value in posture.expected_columns().items()
    }
    bad = {name: err for name, err in errors.items() if not abs(err) <= TOL_DEG}
    assert not bad, bad


@pytest.mark.parametrize("yaw_deg", YAWS)
@pytest.mark.parametrize("name", sorted(POSTURES))
def test_every_angle_exact_for_any_yaw(name: str, yaw_deg: float) -> None:
    posture = POSTURES[name]
    table = _angles_for([skeleton_mediapipe(posture, View(yaw_deg=yaw_deg))] * 12)
    assert set(ALL_COLUMNS) <= set(table.columns)
    _assert_matches(table, posture, 6)
    for column in posture.expected_columns():
        assert table.sources[column] == "keypoints"
        assert 0.0 < table.confidence[column][6] <= 1.0


@pytest.mark.parametrize("pitch_deg,roll_deg", [(10, 0), (20, 5), (30, 0), (0, 30), (25, -20), (30, 30)])
@pytest.mark.parametrize("yaw_deg", (0, 90, 135, -90))
def test_camera_tilt_removed_by_estimate(pitch_deg: float, roll_deg: float, yaw_deg: float) -> None:
    view = View(yaw_deg=yaw_deg, camera_pitch_deg=pitch_deg, camera_roll_deg=roll_deg)
    posture = POSTURES["asymmetric_work"]
    frames = [skeleton_mediapipe(Posture(), view)] * 20 + [skeleton_mediapipe(posture, view)] * 20
    pose = clean_pose(pose_sequence(np.stack(frames)), settings=EXACT_DEPTH)
    assert pose.gravity_source == "estimated"
    assert pose.camera_pitch_deg == pytest.approx(pitch_deg, abs=0.1)
    assert pose.camera_roll_deg == pytest.approx(roll_deg, abs=0.1)
    assert pose.gravity_confidence > 0.9
    _assert_matches(compute_angles(pose), posture, 30)
    _assert_matches(compute_angles(pose), Posture(), 5)


@pytest.mark.parametrize("yaw_deg", (0, 90))
@pytest.mark.parametrize("pitch_deg", (0, 15, 30))
def test_declared_pitch_used_without_upright_frames(pitch_deg: float, yaw_deg: float) -> None:
    posture = POSTURES["deep_bend"]  # no upright frame: nothing to estimate from
    view = View(yaw_deg=yaw_deg, camera_pitch_deg=pitch_deg)
    frames = [skeleton_mediapipe(posture, view)] * 15
    undeclared = clean_pose(pose_sequence(np.stack(frames)), settings=EXACT_DEPTH)
    assert undeclared.gravity_source == "none" and undeclared.camera_pitch_deg == 0.0
    assert undeclared.notes  # tells the user what to do
    pose = clean_pose(pose_sequence(np.stack(frames)), settings=EXACT_DEPTH, camera_pitch_deg=pitch_deg)
    assert pose.gravity_source == "declared" and pose.camera_pitch_deg == pitch_deg
    _assert_matches(compute_angles(pose), posture, 7)


def test_uncorrected_tilt_would_bias_trunk() -> None:
    """Guards the tests above: a 20 deg pitched camera, uncorrected, biases the trunk flexion of a person
    facing it by the pitch."""
    frames = [skeleton_mediapipe(POSTURES["deep_bend"], View(yaw_deg=0, camera_pitch_deg=20))] * 15
    table = _angles_for(frames)
    assert abs(table.columns["trunk_flexion_deg"][7] - 95) > 10


def test_signs_on_hand_built_landmarks() -> None:
    """Independent of the generator: facing the camera (nose toward it = MediaPipe z < 0), shoulders moved
    toward the camera = forward flexion; shoulders moved to image left (the person's right) = right bend."""
    xyz = skeleton_mediapipe(Posture(), View())
    assert xyz[0, 2] < xyz[7, 2]  # nose nearer the camera than the ears
    assert xyz[11, 0] > xyz[12, 0]  # facing the camera: the left shoulder is at image right
    lean = xyz.copy()
    lean[[11, 12, 7, 8, 0], 2] -= 0.2
    side = xyz.copy()
    side[[11, 12, 7, 8, 0], 0] -= 0.2
    table = _angles_for([lean] * 15 + [side] * 15)
    height_m = -(xyz[11, 1] + xyz[12, 1]) / 2  # mid-shoulder above mid-hip (MediaPipe y is down)
    expected = np.degrees(np.arctan2(0.2, height_m))
    assert table.columns["trunk_flexion_deg"][4] == pytest.approx(expected, abs=0.5)
    assert table.columns["trunk_side_bend_deg"][25] == pytest.approx(expected, abs=0.5)


def test_trunk_confidence_reflects_the_vertical() -> None:
    frames = [skeleton_mediapipe(POSTURES["deep_bend"], View(yaw_deg=90))] * 12
    undeclared = _angles_for(frames)  # no upright frame: camera vertical used as is
    declared = _angles_for(frames, camera_pitch_deg=0.0)
    assert undeclared.confidence["trunk_flexion_deg"][6] == pytest.approx(0.5)
    assert declared.confidence["trunk_flexion_deg"][6] == pytest.approx(1.0)
    assert undeclared.confidence["left_elbow_flexion_deg"][6] == pytest.approx(1.0)
