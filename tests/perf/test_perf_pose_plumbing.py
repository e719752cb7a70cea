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


@pytest.mark.parametrize("stride, workers", [(1, 2), (1, 4), (3, 2)])
def test_balanced_segments_share_the_work_and_still_cover_every_frame_once(monkeypatch, stride, workers):
    """cam01 has one keyframe, so every later segment decodes from frame 0: it must keep fewer frames."""
    from ergopipe.pose_balance import balanced, lead_work

    info = video.probe(CLIP)
    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 10)
    even = pose.with_seek_points(pose.plan_segments(info, stride=stride, workers=workers))
    segs = balanced(even, warmup_frames=pose.WARMUP_FRAMES, with_seek_points=pose.with_seek_points)
    assert segs[0].keep_start == 0 and segs[-1].stop is None
    for a, b in zip(segs, segs[1:]):
        assert a.stop == b.keep_start and b.keep_start % stride == 0
        assert b.decode_start == b.keep_start - pose.WARMUP_FRAMES * stride
    assert sum(pose._n_kept(s) for s in segs) == -(-100 // stride)
    per_kept = 1 + (stride - 1) * 0.2

    def work(s):
        return lead_work(s) + pose._n_kept(s) * per_kept

    assert max(map(work, segs)) - min(map(work, segs)) <= 2 * per_kept  # even split: up to 21 apart
    assert max(map(work, even)) - min(map(work, even)) > 5 * per_kept
    kept = [pose._n_kept(s) for s in segs]
    assert kept == sorted(kept, reverse=True)  # the later the segment, the longer its lead-in


def test_balancing_keeps_the_even_split_when_a_lead_in_is_longer_than_a_share(monkeypatch):
    from ergopipe import pose_balance

    info = video.probe(CLIP)
    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 1)
    monkeypatch.setattr(pose_balance, "DECODE_ONLY_COST", 5.0)  # decoding dearer than the model: no share fits
    even = pose.with_seek_points(pose.plan_segments(info, stride=1, workers=8))
    got = pose_balance.balanced(even, warmup_frames=pose.WARMUP_FRAMES, with_seek_points=pose.with_seek_points)
    assert got == even


@pytest.mark.slow
def test_processes_started_early_run_the_segments_and_the_spare_ones_leave(monkeypatch):
    """A job starts a pose process before it has the video; estimate uses it (and starts the rest), and
    closing the pool stops a process that got no segment: none is left behind."""
    info = video.probe(CLIP)
    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 10)
    reference = pose.estimate(info, stride=5, workers=2)
    with pose_procs.PoseProcesses(1) as early:
        first = early._waiting[0][0]
        seq = pose.estimate(info, stride=5, workers=2, processes=early)
        assert early._started == 2 and early._waiting == []
    assert not first.is_alive()
    assert np.array_equal(seq.frame_index, reference.frame_index)
    assert np.allclose(seq.world_xyz_m, reference.world_xyz_m, equal_nan=True)
    spare = pose_procs.PoseProcesses(2)  # a job that fails before its pose stage: stopped mid-import
    procs = [proc for proc, _ in spare._waiting]
    spare.close()
    assert not any(proc.is_alive() for proc in procs)


def _fresh_python(code: str) -> str:
    """stdout of `code` run in a new interpreter that first calls the pose process's _without_unused_modules
    (a module stand-in only matters before the first import)."""
    import subprocess
    import sys

    prelude = "import sys\nfrom ergopipe.pose_procs import _without_unused_modules\n"
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_pose_processes_load_mediapipe_without_the_modules_they_never_use():
    """The pose process skips matplotlib (MediaPipe's drawing helpers import pyplot; ~0.3 s a process) and
    sounddevice (its audio tasks), MediaPipe still runs, and anything that did use them would fail loudly."""
    out = _fresh_python(
        "_without_unused_modules()\n"
        "import mediapipe as mp\n"
        "import numpy as np\n"
        "with mp.solutions.pose.Pose(model_complexity=1) as model:\n"
        "    model.process(np.zeros((64, 48, 3), np.uint8))\n"
        "print('real:', [n for n in ('matplotlib', 'matplotlib.pyplot', 'sounddevice')\n"
        "                if sys.modules[n].__dict__.get('__file__')])\n"
        "import matplotlib.pyplot as plt\n"
        "import sounddevice as sd\n"
        "for use in (lambda: plt.figure(), lambda: sd.query_devices()):\n"
        "    try:\n"
        "        use()\n"
        "    except RuntimeError as exc:\n"
        "        print(exc)\n"
    )
    assert "real: []" in out
    assert "matplotlib.pyplot.figure: matplotlib.pyplot is not loaded in a pose process" in out
    assert "sounddevice.query_devices: sounddevice is not loaded in a pose process" in out


def test_a_process_that_already_has_matplotlib_keeps_it():
    """A stand-in never replaces a module that is really loaded (a test process that drew a figure)."""
    out = _fresh_python(
        "import matplotlib\n"
        "_without_unused_modules()\n"
        "import matplotlib.pyplot as plt\n"
        "print(type(plt.figure()).__name__, bool(sys.modules['sounddevice'].__dict__.get('__file__')))\n"
    )
    assert out.split() == ["Figure", "False"]
