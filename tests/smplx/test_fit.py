"""The fit recovers known poses from noiseless synthetic motion, marks failures, and writes its outputs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from ergopipe.body_model import (  # noqa: E402
    FIT_ANGLE_COLUMNS,
    FitSettings,
    angles_from_fit,
    fit_body_model,
    render_fit_check,
    save_fit_npz,
)
from ergopipe.body_model.fit_angles import rotation_angles  # noqa: E402
from ergopipe.body_model.kinematics import posed_joints  # noqa: E402
from ergopipe.body_model.model_files import load_model, model_path  # noqa: E402
from ergopipe.body_model.synthetic_motion import synthetic_clean_pose, synthetic_motion  # noqa: E402
from ergopipe.errors import BodyModelError  # noqa: E402
from ergopipe.landmarks import LEFT_HIP, LEFT_WRIST  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.fixture(scope="module")
def known_motion(small_model_dir: Path):
    truth = synthetic_motion(120, seed=7)
    pose = synthetic_clean_pose(model_path(small_model_dir), truth)
    fit = fit_body_model(pose, model_dir=small_model_dir, device="cpu")
    return truth, pose, fit


def test_fit_recovers_known_angles_within_3_deg(known_motion):
    truth, _, fit = known_motion
    expected = rotation_angles(truth["global_orient"], truth["body_pose"])
    got = angles_from_fit(fit)
    assert set(got) == set(FIT_ANGLE_COLUMNS)
    for name in FIT_ANGLE_COLUMNS:
        err = np.abs(got[name] - expected[name])
        assert np.nanmax(err) <= 3.0, (name, float(np.nanmax(err)))
    # the motion really exercises these angles (a fit stuck at rest would fail above)
    assert np.ptp(expected["trunk_twist_deg"]) > 15 and np.ptp(expected["left_wrist_flexion_deg"]) > 20


def test_fit_recovers_joints_and_residual_is_small(known_motion, small_model_dir: Path):
    truth, _, fit = known_motion
    assert fit.ok.all() and fit.device == "cpu" and fit.seconds > 0
    assert np.nanmax(fit.residual_mm) < 3.0
    model = load_model(model_path(small_model_dir), 10)
    rest = model.J_regressor @ (model.v_template + model.shapedirs @ truth["betas"])
    joints_true = posed_joints(rest, truth["global_orient"], truth["body_pose"], truth["transl"])
    assert np.abs(fit.joints_m[:, :22] - joints_true[:, :22]).max() < 0.01  # metres


def test_frames_without_landmarks_or_with_wrong_ones_are_marked(small_model_dir: Path):
    truth = synthetic_motion(40, seed=3)
    pose = synthetic_clean_pose(model_path(small_model_dir), truth)
    ok = pose.landmark_ok.copy()
    ok[5:8, LEFT_HIP] = False  # torso not measured: cannot fit
    xyz = pose.xyz_m.copy()
    rng = np.random.default_rng(0)
    xyz[20] += rng.normal(scale=0.25, size=xyz[20].shape)  # nonsense landmarks: the body cannot follow
    xyz[30, LEFT_WRIST] = np.nan  # one missing point is fine
    ok[30, LEFT_WRIST] = False
    pose = dataclasses.replace(pose, xyz_m=xyz, landmark_ok=ok)
    fit = fit_body_model(pose, model_dir=small_model_dir, device="cpu")
    assert not fit.ok[5:8].any() and np.isnan(fit.residual_mm[5:8]).all()
    assert not fit.ok[20] and fit.residual_mm[20] > FitSettings().max_residual_mm
    assert fit.ok[30] and fit.ok[[0, 10, 39]].all()
    angles = angles_from_fit(fit)
    assert np.isnan(angles["trunk_twist_deg"][[5, 6, 7, 20]]).all()
    assert np.isfinite(angles["trunk_twist_deg"][fit.ok]).all()


def test_fit_with_the_full_size_topology(full_model_dir: Path):
    """Real SMPL-X vertex ids for nose/ears/heels/toes (10,475 vertices)."""
    truth = synthetic_motion(20, seed=11)
    pose = synthetic_clean_pose(model_path(full_model_dir), truth)
    fit = fit_body_model(pose, model_dir=full_model_dir, device="auto")
    assert fit.ok.all() and np.nanmax(fit.residual_mm) < 3.0


def test_requested_fit_without_model_is_a_clear_error(tmp_path: Path, small_model_dir: Path):
    pose = synthetic_clean_pose(model_path(small_model_dir), synthetic_motion(3, seed=1))
    with pytest.raises(BodyModelError, match="not found"):
        fit_body_model(pose, model_dir=tmp_path)


def test_no_usable_frame_returns_all_failed(small_model_dir: Path):
    pose = synthetic_clean_pose(model_path(small_model_dir), synthetic_motion(4, seed=1))
    pose = dataclasses.replace(pose, detected=np.zeros(4, dtype=bool))
    fit = fit_body_model(pose, model_dir=small_model_dir, device="cpu")
    assert not fit.ok.any() and np.isnan(angles_from_fit(fit)["neck_twist_deg"]).all()


def test_npz_and_visual_check(known_motion, tmp_path: Path):
    _, pose, fit = known_motion
    path = save_fit_npz(fit, tmp_path / "clip_smplx.npz")
    with np.load(path) as data:
        assert data["global_orient"].shape == (120, 3) and data["body_pose"].shape == (120, 63)
        assert data["betas"].shape == (10,) and data["transl"].shape == (120, 3)
        assert data["joints_m"].shape == (120, 55, 3) and data["joint_names"][20] == "left_wrist"
        assert data["ok"].dtype == bool and data["residual_mm"].shape == (120,)
        np.testing.assert_array_equal(data["body_pose"], fit.body_pose)
        assert str(data["device"]) == "cpu"
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind
    png = render_fit_check(fit, pose, tmp_path / "check.png", frames=[0, 60, 119])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


@pytest.mark.parametrize("n_frames", [0, 1, 2])
def test_tiny_clips(small_model_dir: Path, n_frames: int):
    truth = synthetic_motion(max(n_frames, 1), seed=2)
    pose = synthetic_clean_pose(model_path(small_model_dir), truth)
    pose = dataclasses.replace(
        pose,
        xyz_m=pose.xyz_m[:n_frames],
        landmark_ok=pose.landmark_ok[:n_frames],
        detected=pose.detected[:n_frames],
        time_s=pose.time_s[:n_frames],
        frame_index=pose.frame_index[:n_frames],
    )
    fit = fit_body_model(pose, model_dir=small_model_dir, device="cpu")
    assert fit.joints_m.shape == (n_frames, 55, 3) and fit.ok.shape == (n_frames,)
    assert fit.ok.all() and all(a.shape == (n_frames,) for a in angles_from_fit(fit).values())


def test_landmark_noise_degrades_angles_gracefully(small_model_dir: Path):
    """1 cm independent noise on every landmark (MediaPipe world landmarks are of that order)."""
    truth = synthetic_motion(150, seed=4)
    pose = synthetic_clean_pose(model_path(small_model_dir), truth)
    noise = np.random.default_rng(0).normal(scale=0.01, size=pose.xyz_m.shape)
    fit = fit_body_model(
        dataclasses.replace(pose, xyz_m=pose.xyz_m + noise), model_dir=small_model_dir, device="cpu"
    )
    assert fit.ok.all() and 8 < np.median(fit.residual_mm) < 20
    expected = rotation_angles(truth["global_orient"], truth["body_pose"])
    for name, got in angles_from_fit(fit).items():
        assert np.mean(np.abs(got - expected[name])) < 4.0, name
