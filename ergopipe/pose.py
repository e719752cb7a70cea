"""MediaPipe Pose (legacy solutions API, bundled full model) over a streamed video -> PoseSequence.

MediaPipe is imported inside the functions that run it, so `import ergopipe` (and the handler) stays cheap.
Long videos are split into contiguous segments, one process each (spawn start method: forking after
MediaPipe has run crashes the child). Each segment starts a few analysed frames early so the tracker has
warmed up by the first frame it keeps; results are stitched in frame order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ergopipe.landmarks import N_LANDMARKS
from ergopipe.types import PoseSequence, VideoInfo
from ergopipe.video import iter_frames

log = logging.getLogger(__name__)

MODEL_COMPLEXITY = 1  # the only pose model bundled in mediapipe 0.10.21 (pose_landmark_full)
WARMUP_FRAMES = 8  # analysed frames decoded before a segment's first kept frame
MIN_FRAMES_PER_WORKER = 150  # below this, process start-up (~2 s) eats the gain


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


def _run_segment(seg: _Segment) -> dict[str, np.ndarray]:
    """Run MediaPipe over one segment; return per-frame arrays for the kept frames."""
    import mediapipe as mp  # heavy: imported only in the process that runs the model

    frames, times, world, image, vis, found = [], [], [], [], [], []
    w, h = seg.video.width_px, seg.video.height_px
    with mp.solutions.pose.Pose(static_image_mode=False, model_complexity=MODEL_COMPLEXITY,
                                smooth_landmarks=True, enable_segmentation=False,
                                min_detection_confidence=0.5, min_tracking_confidence=0.5) as model:
        for frame in iter_frames(seg.video, stride=seg.stride, start=seg.decode_start, stop=seg.stop):
            result = model.process(frame.rgb)
            if frame.index < seg.keep_start:
                continue
            frames.append(frame.index)
            times.append(frame.time_s)
            if result.pose_world_landmarks is None or result.pose_landmarks is None:
                world.append(np.full((N_LANDMARKS, 3), np.nan))
                image.append(np.full((N_LANDMARKS, 2), np.nan))
                vis.append(np.zeros(N_LANDMARKS))
                found.append(False)
                continue
            wl = result.pose_world_landmarks.landmark
            il = result.pose_landmarks.landmark
            world.append(np.array([[p.x, p.y, p.z] for p in wl]))
            image.append(np.array([[p.x * w, p.y * h] for p in il]))
            vis.append(np.array([p.visibility for p in il]))
            found.append(True)
    n = len(frames)
    return {
        "frame_index": np.asarray(frames, dtype=np.int64),
        "time_s": np.asarray(times, dtype=float),
        "world_xyz_m": np.asarray(world, dtype=float).reshape(n, N_LANDMARKS, 3),
        "image_xy_px": np.asarray(image, dtype=float).reshape(n, N_LANDMARKS, 2),
        "visibility": np.asarray(vis, dtype=float).reshape(n, N_LANDMARKS),
        "detected": np.asarray(found, dtype=bool),
    }


def plan_segments(info: VideoInfo, *, stride: int, workers: int) -> list[_Segment]:
    """Split [0, n_frames) into `workers` contiguous segments aligned to the stride grid."""
    n_analysed = -(-info.n_frames // stride)
    workers = max(1, min(workers, n_analysed // MIN_FRAMES_PER_WORKER or 1))
    if workers == 1:
        return [_Segment(info, stride, 0, 0, None)]
    per = -(-n_analysed // workers)
    segments = []
    for k in range(workers):
        keep = k * per * stride
        stop = None if k == workers - 1 else (k + 1) * per * stride
        decode = max(0, keep - WARMUP_FRAMES * stride)
        segments.append(_Segment(info, stride, keep, decode, stop))
    return segments


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def estimate(info: VideoInfo, *, stride: int = 1, workers: int = 1,
             on_progress: Callable[[float], None] | None = None) -> PoseSequence:
    """Pose for every `stride`-th frame. `workers` > 1 runs segments in parallel processes."""
    segments = plan_segments(info, stride=stride, workers=workers)
    if len(segments) == 1:
        parts = [_run_segment(segments[0])]
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=len(segments), mp_context=ctx) as pool:
            futures = [pool.submit(_run_segment, s) for s in segments]
            parts = []
            for i, fut in enumerate(futures):
                parts.append(fut.result())
                if on_progress:
                    on_progress((i + 1) / len(futures))
    merged = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    log.info("pose: %d frames analysed with %d process(es)", merged["time_s"].shape[0], len(segments))
    return PoseSequence(
        frame_index=merged["frame_index"], time_s=merged["time_s"], world_xyz_m=merged["world_xyz_m"],
        image_xy_px=merged["image_xy_px"], visibility=merged["visibility"], detected=merged["detected"],
        source_fps=info.fps, analysis_fps=info.fps / stride, model=model_name(),
        frame_size_px=(info.width_px, info.height_px),
    )
