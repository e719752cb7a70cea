"""Segment boundaries that give every pose process the same work, not the same number of kept frames.

A later segment first decodes from its keyframe (or from frame 0 when the video has no usable keyframe)
and runs the model on its warm-up frames before it keeps any; with an even split it finishes last while the
other processes' cores idle. Work is counted in analysed frames: a frame that is only decoded (and, for
the frame spool, scaled) costs DECODE_ONLY_COST of one that also runs MediaPipe (~5 of ~26 ms of CPU for a
1080x1920 frame, measured 2026-12-04).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

DECODE_ONLY_COST = 0.2


def lead_work(seg: Any) -> float:
    """Work a segment does before its first kept frame (decode-only lead-in and warm-up model runs)."""
    start = seg.seek.index if seg.seek is not None else 0
    warm = seg.keep_start - seg.decode_start
    analysed_warm = -(-warm // seg.stride)
    return (seg.decode_start - start + warm - analysed_warm) * DECODE_ONLY_COST + analysed_warm


def balanced(
    segments: list[Any],
    *,
    warmup_frames: int,
    with_seek_points: Callable[[list[Any]], list[Any]],
    rounds: int = 3,
) -> list[Any]:
    """Move the boundaries of `segments` (contiguous, on the stride grid, seek points set) so that each
    segment's lead-in plus kept frames is about equal. A moved boundary can move its keyframe too, so this
    repeats up to `rounds` times; the result has its seek points recomputed."""
    for _ in range(rounds):
        moved = _rebalance(segments, warmup_frames, with_seek_points)
        if [s.keep_start for s in moved] == [s.keep_start for s in segments]:
            break
        segments = moved
    return segments


def _rebalance(
    segments: list[Any], warmup_frames: int, with_seek_points: Callable[[list[Any]], list[Any]]
) -> list[Any]:
    if len(segments) < 2:
        return segments
    info, stride = segments[0].video, segments[0].stride
    per_kept = 1.0 + (stride - 1) * DECODE_ONLY_COST  # the work of stride source frames of which one is analysed
    overhead = [lead_work(s) for s in segments]
    n_analysed = -(-info.n_frames // stride)
    share = (n_analysed * per_kept + sum(overhead)) / len(segments)
    bounds, kept = [], 0.0
    for k in range(len(segments) - 1):
        kept += (share - overhead[k]) / per_kept
        bounds.append(int(round(kept)) * stride)
    edges = [0, *bounds, None]
    if any(b <= a for a, b in zip(edges[:-2], edges[1:-1])) or bounds[-1] >= info.n_frames:
        return segments  # a lead-in longer than a share: keep the even split
    moved = []
    for seg, keep, stop in zip(segments, edges[:-1], edges[1:]):
        decode = max(0, keep - warmup_frames * stride)
        moved.append(replace(seg, keep_start=keep, decode_start=decode, stop=stop, seek=None))
    return with_seek_points(moved)
