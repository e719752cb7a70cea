"""MediaPipe on the real clip: detection rate, shapes, and the parallel path stitched like the serial one."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ergopipe import pose, video

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


def test_plan_segments_cover_every_analysed_frame_once():
    info = replace(video.probe(CLIP), n_frames=1000)
    segs = pose.plan_segments(info, stride=3, workers=4)
    assert len(segs) == 2  # 334 analysed frames / MIN_FRAMES_PER_WORKER
    assert segs[0].keep_start == 0 and segs[-1].stop is None
    for a, b in zip(segs, segs[1:]):
        assert a.stop == b.keep_start and b.keep_start % 3 == 0
        assert b.decode_start == b.keep_start - pose.WARMUP_FRAMES * 3
    assert len(pose.plan_segments(info, stride=1, workers=1)) == 1


@pytest.mark.slow
def test_real_clip_serial_and_parallel(monkeypatch):
    info = video.probe(CLIP)
    serial = pose.estimate(info, stride=2, workers=1)
    assert serial.n_frames == 50
    assert serial.world_xyz_m.shape == (50, 33, 3) and serial.image_xy_px.shape == (50, 33, 2)
    assert serial.detected.mean() >= 0.95
    assert np.array_equal(serial.frame_index, np.arange(0, 100, 2))
    # Image landmarks lie inside the portrait frame.
    xy = serial.image_xy_px[serial.detected]
    assert np.nanmedian(xy[..., 0]) < info.width_px and np.nanmedian(xy[..., 1]) < info.height_px

    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 10)
    parallel = pose.estimate(info, stride=2, workers=2)
    assert np.array_equal(parallel.frame_index, serial.frame_index)
    assert parallel.world_xyz_m.shape == serial.world_xyz_m.shape
    assert np.array_equal(parallel.detected, serial.detected)
    both = serial.detected & parallel.detected
    diff_m = np.abs(parallel.world_xyz_m[both] - serial.world_xyz_m[both])
    # After the warm-up frames the second segment's tracker agrees with the serial run to about a centimetre.
    assert np.nanmedian(diff_m) < 0.01


def test_model_input_is_scaled_to_the_long_side_limit_not_beyond():
    info = video.probe(CLIP)  # 1080 x 1920 portrait
    assert pose.input_size_px(info) == (540, 960)
    assert all(seg.size_px == (540, 960) for seg in pose.plan_segments(info, stride=1, workers=1))
    assert pose.input_size_px(replace(info, width_px=540, height_px=960)) is None
    assert pose.input_size_px(info, max_side_px=4000) is None
    assert pose.input_size_px(replace(info, width_px=3840, height_px=2160)) == (960, 540)


@pytest.mark.slow
def test_scaled_model_input_gives_landmarks_in_source_pixels():
    """Landmarks from the 540x960 model input are mapped back to the 1080x1920 source: they agree with a
    full-size run to a few source pixels (a wrong scale would be off by hundreds)."""
    info = video.probe(CLIP)
    scaled = pose.estimate(info, stride=4, in_process=True)
    full = pose.estimate(info, stride=4, in_process=True, input_max_side_px=4000)
    both = scaled.detected & full.detected
    assert both.mean() >= 0.95
    diff_px = np.linalg.norm(scaled.image_xy_px[both] - full.image_xy_px[both], axis=-1)
    assert np.nanmedian(diff_px) < 6  # measured 1.7 px
    assert np.nanmedian(np.abs(scaled.world_xyz_m[both] - full.world_xyz_m[both])) < 0.01  # measured 3 mm
