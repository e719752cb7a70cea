"""MediaPipe Pose (legacy solutions API, bundled full model) over a streamed video -> PoseSequence.

MediaPipe is imported inside the functions that run it, so `import ergopipe` (and the handler) stays cheap.
Long videos are split into contiguous segments, one process each (spawn start method: forking after
MediaPipe has run crashes the child). Each segment starts a few analysed frames early so the tracker has
warmed up by the first frame it keeps; results are stitched in frame order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ergopipe.frame_arrays import FrameArrays
from ergopipe.frame_spool import FrameSpoolWriter
from ergopipe.pose_balance import balanced
from ergopipe.pose_procs import PoseProcesses, run_processes
from ergopipe.spool import SpoolWriter, closing_spool
from ergopipe.types import PoseSequence, VideoInfo
from ergopipe.video import (
    SeekPoint,
    display_i420,
    display_rgb,
    fit_size_px,
    i420_to_rgb,
    iter_decoded,
    keyframes,
    seek_point_for,
)

log = logging.getLogger(__name__)

MODEL_COMPLEXITY = 1  # the only pose model bundled in mediapipe 0.10.21 (pose_landmark_full)
WARMUP_FRAMES = 8  # analysed frames decoded before a segment's first kept frame
MIN_FRAMES_PER_WORKER = 150  # below this, process start-up (~2 s) eats the gain
PROGRESS_EVERY = 25  # kept frames between progress messages from a segment process
# Frames reach MediaPipe with the longest side at most this (area-averaged in YUV while decoding). The
# model sees a 224 px detector image and a 256 px crop of the person either way; converting a full 1080x1920
# frame to RGB and handing MediaPipe 6 MB per frame cost ~6 ms CPU of ~40 (docs/performance.md).
POSE_INPUT_MAX_SIDE_PX = 960


def input_size_px(info: VideoInfo, max_side_px: int = POSE_INPUT_MAX_SIDE_PX) -> tuple[int, int] | None:
    """Display size the model gets frames at (None: the source size, already small enough)."""
    size = fit_size_px(info, max_side_px)
    return None if size == (info.width_px, info.height_px) else size


def model_name() -> str:
    from importlib.metadata import version

    return f"mediapipe-{version('mediapipe')}/pose_landmark_full (complexity {MODEL_COMPLEXITY})"


@dataclass(frozen=True)
class _Segment:
    video: VideoInfo
    stride: int
    keep_start: int  # first source frame index kept
    decode_start: int  # first source frame index fed to the tracker (warm-up before keep_start)
    stop: int | None
    seek: SeekPoint | None = None  # keyframe at or before decode_start to jump to (None: decode from 0)
    size_px: tuple[int, int] | None = None  # display size the model gets frames at (None: source size)
    spool_dir: str | None = None  # where to keep a small picture of every kept frame (ergopipe.spool)
    number: int = 0  # the segment's position, names its spool files
    cpu: int | None = None  # pin the segment's process to this CPU (None: let the OS place its threads)
    # The annotated video's pictures (ergopipe.frame_spool): their display size (None: none kept) and the
    # first frame index not to keep (None: keep to the end).
    video_size_px: tuple[int, int] | None = None
    video_limit: int | None = None


def _run_segment(seg: _Segment, on_frame: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
    """Run MediaPipe over one segment; return per-frame arrays for the kept frames.

    `on_frame(n)` is called with the number of kept frames done so far, every PROGRESS_EVERY frames.
    """
    import mediapipe as mp  # heavy: imported only in the process that runs the model

    out = FrameArrays(_n_kept(seg) + 1)
    d = out.data
    w, h = seg.video.width_px, seg.video.height_px
    spool = SpoolWriter(seg.spool_dir, seg.number) if seg.spool_dir else None
    frames_out = _frame_spool(seg)
    with closing_spool(spool), closing_spool(frames_out), mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=MODEL_COMPLEXITY,
        smooth_landmarks=True,
        enable_segmentation=False,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    ) as model:
        for index, time_s, decoded in iter_decoded(
            seg.video, start=seg.decode_start, stop=seg.stop, seek=seg.seek
        ):
            analysed = (index - seg.decode_start) % seg.stride == 0
            picture = None
            if frames_out is not None and index >= seg.keep_start and frames_out.wants(index):
                picture = display_i420(decoded, seg.video, seg.video_size_px)
                frames_out.add(index, picture)
            if not analysed:
                continue
            if picture is not None and seg.size_px == seg.video_size_px:
                rgb = i420_to_rgb(picture)  # the same pixels as display_rgb, without scaling twice
            else:
                rgb = display_rgb(decoded, seg.video, seg.size_px)
            result = model.process(rgb)
            if index < seg.keep_start:
                continue
            k = out.next_row()
            d = out.data  # may have grown
            if spool is not None:
                spool.add(index, rgb)
            d["frame_index"][k], d["time_s"][k] = index, time_s
            if on_frame is not None and out.n % PROGRESS_EVERY == 0:
                on_frame(out.n)
            if result.pose_world_landmarks is None or result.pose_landmarks is None:
                continue  # stays NaN / 0 / not detected
            wl = result.pose_world_landmarks.landmark
            il = result.pose_landmarks.landmark
            d["world_xyz_m"][k] = [[p.x, p.y, p.z] for p in wl]
            d["image_xy_px"][k] = [[p.x * w, p.y * h] for p in il]  # normalised: source pixels
            d["visibility"][k] = [p.visibility for p in il]
            d["detected"][k] = True
        if frames_out is not None and seg.stop is None:
            frames_out.reached_end()
    return out.result()


def _frame_spool(seg: _Segment) -> FrameSpoolWriter | None:
    if seg.spool_dir is None or seg.video_size_px is None:
        return None
    if seg.video_limit is not None and seg.video_limit <= seg.keep_start:
        return None
    try:
        return FrameSpoolWriter(seg.spool_dir, seg.number, seg.keep_start, seg.video_size_px, seg.video_limit)
    except OSError as exc:  # an extra: without it the annotated video decodes the source again
        log.warning("frame spool not started for pose segment %d: %s", seg.number, exc)
        return None


def plan_segments(
    info: VideoInfo, *, stride: int, workers: int, input_max_side_px: int = POSE_INPUT_MAX_SIDE_PX
) -> list[_Segment]:
    """Split [0, n_frames) into `workers` contiguous segments aligned to the stride grid."""
    size = input_size_px(info, input_max_side_px)
    n_analysed = -(-info.n_frames // stride)
    workers = max(1, min(workers, n_analysed // MIN_FRAMES_PER_WORKER or 1))
    if workers == 1:
        return [_Segment(info, stride, 0, 0, None, size_px=size)]
    per = -(-n_analysed // workers)
    segments = []
    for k in range(workers):
        keep = k * per * stride
        stop = None if k == workers - 1 else (k + 1) * per * stride
        decode = max(0, keep - WARMUP_FRAMES * stride)
        segments.append(_Segment(info, stride, keep, decode, stop, size_px=size))
    return segments


MAX_DEFAULT_WORKERS = 8  # each MediaPipe process holds ~0.3 GB; more needs an explicit `workers` / ERGO_WORKERS


def default_workers() -> int:
    """Pose processes when the job and the operator do not say: the usable CPUs, at most 8."""
    return min(usable_cpus(), MAX_DEFAULT_WORKERS)


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def with_pinned_cpus(segments: list[_Segment]) -> list[_Segment]:
    """One CPU per segment process when there are as many processes as CPUs.

    A lone MediaPipe process keeps ~1.2 cores busy (its inference and decoder threads), but pinned to one
    core it runs as fast (measured: 600 frames 19.1-19.6 s free vs 18.3-19.8 s pinned, 22.5 vs 19 CPU-s).
    With every core running a segment, those extra threads only contend with the other segments.
    """
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return segments
    if len(segments) < 2 or len(segments) < len(cpus):
        return segments
    return [replace(seg, cpu=cpus[k % len(cpus)]) for k, seg in enumerate(segments)]


def with_seek_points(segments: list[_Segment], points: list[SeekPoint] | None = None) -> list[_Segment]:
    """Give each segment that starts past frame 0 the keyframe to seek to, so it does not decode from 0.
    `points` (from video.keyframes, read far enough) saves reading the packets again."""
    late = [k for k, seg in enumerate(segments) if seg.decode_start > 0]
    if not late:
        return segments
    if points is None:
        points = keyframes(segments[0].video, max(segments[k].decode_start for k in late))
    out = list(segments)
    for k in late:
        out[k] = replace(out[k], seek=seek_point_for(points, out[k].decode_start))
    return out


def _n_kept(seg: _Segment) -> int:
    stop = seg.video.n_frames if seg.stop is None else seg.stop
    return max(0, -(-(stop - seg.keep_start) // seg.stride))


def estimate(
    info: VideoInfo,
    *,
    stride: int = 1,
    workers: int = 1,
    on_progress: Callable[[float], None] | None = None,
    in_process: bool = False,
    while_waiting: Callable[[], None] | None = None,
    input_max_side_px: int = POSE_INPUT_MAX_SIDE_PX,
    spool_dir: str | Path | None = None,
    video_spool: tuple[tuple[int, int], int | None] | None = None,
    processes: PoseProcesses | None = None,
) -> PoseSequence:
    """Pose for every `stride`-th frame, in `workers` parallel processes (fewer on short videos).

    The model always runs in spawned processes unless `in_process`, so the calling process stays free of
    MediaPipe and its idle time can run `while_waiting` (called once, while the model runs). With
    `spool_dir`, a small picture of every analysed frame is kept there for the report (ergopipe.spool), and
    with `video_spool` (display size, frame limit from ergopipe.frame_spool.spool_frame_limit) the annotated
    video's picture of every source frame up to the limit (ergopipe.frame_spool). `processes` are pose
    processes the job started earlier (ergopipe.pose_procs.PoseProcesses); more are started as needed.
    """
    segments = plan_segments(info, stride=stride, workers=workers, input_max_side_px=input_max_side_px)
    if len(segments) > 1:  # the packets are read once, for the split and every rebalancing round
        points = keyframes(info, info.n_frames)
        segments = balanced(
            with_seek_points(segments, points),
            warmup_frames=WARMUP_FRAMES,
            with_seek_points=lambda segs: with_seek_points(segs, points),
        )
    if spool_dir is not None:
        size, limit = video_spool if video_spool is not None else (None, None)
        segments = [
            replace(seg, spool_dir=str(spool_dir), number=k, video_size_px=size, video_limit=limit)
            for k, seg in enumerate(segments)
        ]
    segments = with_pinned_cpus(segments)
    if in_process:
        parts = [_run_segment(seg) for seg in segments]
        if while_waiting is not None:
            while_waiting()
    else:
        parts = run_processes(segments, [_n_kept(seg) for seg in segments], on_progress, while_waiting,
                              processes)
    merged = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    log.info("pose: %d frames analysed with %d process(es)", merged["time_s"].shape[0], len(segments))
    return PoseSequence(
        frame_index=merged["frame_index"],
        time_s=merged["time_s"],
        world_xyz_m=merged["world_xyz_m"],
        image_xy_px=merged["image_xy_px"],
        visibility=merged["visibility"],
        detected=merged["detected"],
        source_fps=info.fps,
        analysis_fps=info.fps / stride,
        model=model_name(),
        frame_size_px=(info.width_px, info.height_px),
    )
