"""Calibration reading and triangulation for the real-person reference (exact, synthetic projections)."""

import numpy as np
import pytest

from ergopipe.angles import compute_angles
from ergopipe.synth.multiview import lab_to_clean_pose, read_qca, triangulate
from ergopipe.synth.skeleton import Posture, skeleton_gravity

CALIB = "data/pose2sim/Calib.qca.txt"
POSTURE = Posture(
    trunk_flexion_deg=25, left_elbow_flexion_deg=70, right_upper_arm_flexion_deg=40, right_knee_flexion_deg=30
)


def _lab_skeleton(n: int = 3) -> np.ndarray:
    grav = skeleton_gravity(POSTURE, yaw_deg=30)  # y up, mid-hip origin
    lab = grav @ np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])  # (x, y, z) -> (x, -z, y)
    lab = lab + np.array([-1.0, 0.0, 1.0])  # stand in the capture volume, hips 1 m up
    return np.stack([lab] * n)


def test_calibration_reads_four_cameras_looking_down_at_the_volume() -> None:
    cams = read_qca(CALIB)
    assert [c.name for c in cams] == ["cam01", "cam02", "cam03", "cam04"]
    for cam in cams:
        assert 10 < cam.pitch_deg < 40  # mounted high, tilted down
        px = cam.project(np.array([[-1.0, 0.0, 1.0]]))[0]  # a point in the middle of the volume
        assert 0 < px[0] < 1088 and 0 < px[1] < 1920


def test_triangulation_recovers_points_and_angles() -> None:
    cams = read_qca(CALIB)
    truth = _lab_skeleton()
    images = [cam.project(truth.reshape(-1, 3)).reshape(truth.shape[0], 33, 2) for cam in cams]
    vis = [np.ones(truth.shape[:2]) for _ in cams]
    vis[0][:, 15] = 0.0  # one view misses the left wrist: still seen by three
    xyz, reproj_px = triangulate(cams, images, vis)
    assert reproj_px < 0.01
    np.testing.assert_allclose(xyz, truth, atol=1e-4)
    table = compute_angles(lab_to_clean_pose(xyz, np.arange(truth.shape[0]) / 30))
    for name, value in POSTURE.expected_columns().items():
        assert table.columns[name][1] == pytest.approx(value, abs=0.5), name


def test_landmark_seen_by_one_view_is_not_triangulated() -> None:
    cams = read_qca(CALIB)
    truth = _lab_skeleton(1)
    images = [cam.project(truth.reshape(-1, 3)).reshape(1, 33, 2) for cam in cams]
    vis = [np.ones((1, 33)) for _ in cams]
    for v in vis[1:]:
        v[0, 0] = 0.0  # the nose only in cam01
    xyz, _ = triangulate(cams, images, vis)
    assert np.isnan(xyz[0, 0]).all() and np.isfinite(xyz[0, 1:]).all()
