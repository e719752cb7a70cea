"""Pose-stage plumbing without the model: preallocated per-frame arrays, segment sizes, a failing segment."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ergopipe import pose, video
from ergopipe.frame_arrays import FrameArrays

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


def test_frame_arrays_grow_past_a_short_estimate_and_keep_every_row():
    acc = FrameArrays(capacity=3)
    for k in range(40):
        row = acc.next_row()
        acc.data["frame_index"][row] = 10 + k
        acc.data["world_xyz_m"][row] = k
        acc.data["detected"][row] = k % 2 == 0
    out = acc.result()
    assert out["frame_index"].tolist() == list(range(10, 50))
    assert out["world_xyz_m"].shape == (40, 33, 3) and out["world_xyz_m"][39, 5, 2] == 39
    assert out["detected"].sum() == 20
    assert np.isnan(out["image_xy_px"]).all() and (out["visibility"] == 0).all()  # untouched rows: no person


def test_kept_frame_counts_add_up_to_the_analysed_frames():
    info = replace(video.probe(CLIP), n_frames=1001)
    for stride, workers in [(1, 2), (3, 4), (2, 1)]:
        segs = pose.plan_segments(info, stride=stride, workers=workers)
        assert sum(pose._n_kept(s) for s in segs) == -(-1001 // stride)


@pytest.mark.slow
def test_a_failing_segment_process_raises_in_the_parent(tmp_path):
    info = replace(video.probe(CLIP), path=str(tmp_path / "gone.mp4"))
    with pytest.raises(Exception, match="gone.mp4"):
        pose.estimate(info, workers=1)
