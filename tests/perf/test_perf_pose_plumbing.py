"""Pose-stage plumbing without the model: preallocated per-frame arrays, segment sizes, a failing segment."""

import queue
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ergopipe import pose, pose_procs, video
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


def test_segments_get_one_cpu_each_only_when_they_fill_every_cpu(monkeypatch):
    info = replace(video.probe(CLIP), n_frames=1200)
    monkeypatch.setattr(pose.os, "sched_getaffinity", lambda pid: {4, 6}, raising=False)
    two = pose.with_pinned_cpus(pose.plan_segments(info, stride=1, workers=2))
    assert [s.cpu for s in two] == [4, 6]
    assert [s.cpu for s in pose.with_pinned_cpus(pose.plan_segments(info, stride=1, workers=1))] == [None]
    monkeypatch.setattr(pose.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert {s.cpu for s in pose.with_pinned_cpus(pose.plan_segments(info, stride=1, workers=2))} == {None}


@pytest.mark.slow
def test_a_pinned_segment_process_runs_on_its_cpu(monkeypatch):
    """The segment process really is pinned (the result is the same as unpinned, the frames all there)."""
    info = video.probe(CLIP)
    cpu = sorted(pose.os.sched_getaffinity(0))[-1]
    seg = replace(pose.plan_segments(info, stride=10, workers=1)[0], cpu=cpu)
    seen = {}
    real_run = pose._run_segment

    def run_and_look(s, on_frame=None):
        seen["cpus"] = pose.os.sched_getaffinity(0)
        return real_run(s, on_frame)

    # In this process (a spawned child cannot see a monkeypatch): call the entry point directly.
    messages: queue.Queue = queue.Queue()
    before = pose.os.sched_getaffinity(0)
    monkeypatch.setattr(pose, "_run_segment", run_and_look)
    try:
        pose_procs._segment_main(seg, 0, messages)
    finally:
        pose.os.sched_setaffinity(0, before)
    assert seen["cpus"] == {cpu}
    kinds = [messages.get()[0] for _ in range(messages.qsize())]
    assert kinds[-1] == "result"
