"""Cleaning: visibility gating and NaN propagation, gap filling, zero-lag smoothing, hysteresis, swap fix."""

import numpy as np
import pytest

from ergopipe import landmarks as lm
from ergopipe.angles import compute_angles
from ergopipe.clean import (
    CleanSettings,
    clean_pose,
    drop_inconsistent_frames,
    fill_gaps,
    fix_left_right_swaps,
    hysteresis,
    smooth_zero_lag,
    smoothing_window_frames,
)
from ergopipe.gravity import mediapipe_to_camera_up
from ergopipe.synth.skeleton import Posture, View, pose_sequence, skeleton_mediapipe

WORK = Posture(
    trunk_flexion_deg=20,
    left_elbow_flexion_deg=60,
    right_elbow_flexion_deg=30,
    left_upper_arm_flexion_deg=45,
    right_upper_arm_flexion_deg=10,
)


def test_low_visibility_is_not_measurable_and_does_not_leak() -> None:
    n = 60
    xyz = np.stack([skeleton_mediapipe(WORK, View(yaw_deg=45))] * n)
    vis = np.ones((n, lm.N_LANDMARKS))
    vis[:, lm.LEFT_WRIST] = 0.2  # left wrist hidden the whole clip
    vis[30:, lm.LEFT_HIP] = 0.1  # left hip hidden for 1 s: longer than the gap limit
    table = compute_angles(clean_pose(pose_sequence(xyz, visibility=vis)))
    c = table.columns
    assert np.isnan(c["left_elbow_flexion_deg"]).all()
    assert np.isnan(c["left_wrist_flexion_deg"]).all()
    assert (table.confidence["left_elbow_flexion_deg"] == 0).all()
    assert np.allclose(c["right_elbow_flexion_deg"], 30, atol=0.5)
    assert np.allclose(c["left_upper_arm_flexion_deg"][:25], 45, atol=0.5)  # needs the trunk axis (hips)
    assert np.isnan(c["left_upper_arm_flexion_deg"][30:]).all()
    assert np.allclose(c["trunk_flexion_deg"][:25], 20, atol=0.5)
    assert np.isnan(c["trunk_flexion_deg"][30:]).all()
    assert np.isnan(c["left_knee_flexion_deg"][30:]).all()
    assert np.allclose(c["right_knee_flexion_deg"], 0, atol=0.5)


def test_undetected_frames_are_nan() -> None:
    xyz = np.stack([skeleton_mediapipe(WORK)] * 40)
    xyz[10:35] = np.nan
    pose = clean_pose(pose_sequence(xyz))
    assert not pose.detected[10:35].any()
    assert np.isnan(compute_angles(pose).columns["trunk_flexion_deg"][10:35]).all()


@pytest.mark.parametrize("gap_frames,filled", [(1, True), (5, True), (15, True), (16, False), (40, False)])
def test_gap_filling_length(gap_frames: int, filled: bool) -> None:
    fps = 30.0
    t = np.arange(100) / fps
    values = np.sin(t)[:, None]
    values[40 : 40 + gap_frames] = np.nan
    out = fill_gaps(values, t, max_gap_s=0.5)  # 0.5 s = 15 frames at 30 fps
    gap = out[40 : 40 + gap_frames, 0]
    assert np.isfinite(gap).all() == filled
    assert np.isnan(gap).all() == (not filled)
    if filled:
        assert np.allclose(gap, np.sin(t[40 : 40 + gap_frames]), atol=0.05)  # linear over <= 0.5 s


def test_leading_and_trailing_gaps_stay_missing() -> None:
    t = np.arange(20) / 30.0
    v = np.arange(20.0)
    v[:3] = np.nan
    v[-2:] = np.nan
    out = fill_gaps(v, t, max_gap_s=1.0)
    assert np.isnan(out[:3]).all() and np.isnan(out[-2:]).all() and np.isfinite(out[3:-2]).all()


def test_savgol_has_zero_lag() -> None:
    fps = 30.0
    t = np.arange(300) / fps
    rng = np.random.default_rng(0)
    clean = 30 * np.sin(2 * np.pi * 0.5 * t)
    noisy = clean + rng.normal(0, 2.0, t.size)
    window = smoothing_window_frames(0.25, fps, 2)
    out = smooth_zero_lag(noisy, window, 2)
    lags = np.arange(-10, 11)
    corr = [np.dot(np.roll(out, k)[20:-20], clean[20:-20]) for k in lags]
    assert lags[int(np.argmax(corr))] == 0
    assert np.std(out - clean) < 0.7 * np.std(noisy - clean)  # and it does smooth
    peak = np.exp(-(((t - 5.0) / 0.3) ** 2))
    assert np.argmax(smooth_zero_lag(peak, window, 2)) == np.argmax(peak)


def test_smoothing_keeps_nan_runs_and_short_runs() -> None:
    v = np.arange(30.0) ** 2
    v[10] = np.nan
    out = smooth_zero_lag(v, 9, 2)
    assert np.isnan(out[10]) and np.allclose(out[:10], v[:10]) and np.allclose(out[11:], v[11:])


def test_hysteresis_does_not_flicker() -> None:
    values = np.array([10, 19, 21, 19, 21, 19, 23, 19, 21, 17, 21, np.nan, 21, 19])
    flag = hysteresis(values, threshold=20.0, band=4.0)  # on at >= 22, off below 18
    expected = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, np.nan, 1, 1]
    np.testing.assert_array_equal(flag, np.array(expected, dtype=float))
    plain = (values >= 20).astype(float)
    assert np.count_nonzero(np.diff(flag[:11])) < np.count_nonzero(np.diff(plain[:11]))


def _turning_clip(n: int = 60) -> np.ndarray:
    """A person turning from facing the camera to showing the back, doing asymmetric work (camera-up frame,
    as fix_left_right_swaps expects)."""
    return mediapipe_to_camera_up(
        np.stack([skeleton_mediapipe(WORK, View(yaw_deg=180.0 * i / (n - 1))) for i in range(n)])
    )


def _swap_labels(frame: np.ndarray) -> np.ndarray:
    out = frame.copy()
    for a, b in lm.LEFT_RIGHT_PAIRS:
        out[[a, b]] = frame[[b, a]]
    return out


def test_swap_fix_mid_clip() -> None:
    truth = _turning_clip()
    swapped = truth.copy()
    swapped[35:] = np.stack([_swap_labels(f) for f in truth[35:]])
    fixed, n_fixed = fix_left_right_swaps(swapped)
    assert n_fixed == 25
    np.testing.assert_allclose(fixed, truth)
    table = compute_angles(clean_pose(pose_sequence(mediapipe_to_camera_up(swapped))))
    assert np.allclose(table.columns["left_elbow_flexion_deg"], 60, atol=0.5)
    assert np.allclose(table.columns["right_elbow_flexion_deg"], 30, atol=0.5)


def test_swap_fix_whole_clip_mislabelled() -> None:
    truth = _turning_clip()
    swapped = np.stack([_swap_labels(f) for f in truth])
    fixed, n_fixed = fix_left_right_swaps(swapped)
    assert n_fixed == truth.shape[0]
    np.testing.assert_allclose(fixed, truth)


def test_swap_fix_leaves_correct_labels_alone() -> None:
    truth = _turning_clip()
    fixed, n_fixed = fix_left_right_swaps(truth)
    assert n_fixed == 0
    np.testing.assert_allclose(fixed, truth)
    off = clean_pose(pose_sequence(mediapipe_to_camera_up(truth)), settings=CleanSettings(fix_swaps=False))
    assert not off.notes or "swapped" not in " ".join(off.notes)


def test_front_back_confused_frames_are_dropped() -> None:
    """Frames where the upper body's depth is mirrored and the feet point backward (a mixed front/back
    interpretation) become not measurable; consistent frames are untouched."""
    truth = mediapipe_to_camera_up(np.stack([skeleton_mediapipe(WORK, View(yaw_deg=0))] * 30))
    broken = truth.copy()
    hip_z = (truth[10:20, 23, 2] + truth[10:20, 24, 2]) / 2
    broken[10:20, :23, 2] = 2 * hip_z[:, None] - truth[10:20, :23, 2]  # upper body mirrored in depth
    broken[10:20, 29:33, 2] = 2 * hip_z[:, None] - truth[10:20, 29:33, 2]  # feet too
    out, n_dropped = drop_inconsistent_frames(broken)
    assert n_dropped == 10
    assert np.isnan(out[10:20]).all()
    assert np.allclose(out[:10], truth[:10]) and np.allclose(out[20:], truth[20:])
    assert drop_inconsistent_frames(truth)[1] == 0
    table = compute_angles(clean_pose(pose_sequence(mediapipe_to_camera_up(broken))))
    # 10 frames = 0.33 s <= max_gap_s: bridged from the consistent frames around them
    assert np.allclose(table.columns["trunk_flexion_deg"], 20, atol=0.5)
