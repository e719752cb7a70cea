"""Annotated video: skeleton coloured by part score, live score panel, risk timeline strip, face blur.

Streams: each frame comes from the pose stage's frame spool (ergopipe.frame_spool) or, past it, is decoded
again (scaled while decoding), one thread ahead, as planar I420; it is drawn in I420 (ergopipe.report.yuv_draw)
and handed to the H.264 encoder (its own thread). Every source frame is written at the source fps;
when analysis ran at a lower rate, a frame shows the most recent analysed frame's pose and scores (sample
and hold). Skeleton ends and colours are computed for all analysed frames at once with numpy, the panel
once per analysed frame, and panel text once per distinct line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ergopipe.frame_spool import iter_video_pictures
from ergopipe.landmarks import SEGMENTS
from ergopipe.prefetch import prefetch
from ergopipe.report import yuv_draw
from ergopipe.report.i18n import texts
from ergopipe.report.panel import (
    RGB_UNKNOWN,
    TIMELINE_H_PX,
    Line,
    blend_panel,
    reba_fraction,
    risk_rgb,
    risk_rgb_array,
    timeline_strip,
)
from ergopipe.types import PoseSequence, VideoInfo
from ergopipe.video import H264Writer, fit_size_px

log = logging.getLogger(__name__)

__all__ = [
    "MAX_SIDE_PX",
    "PRESET",
    "TIMELINE_H_PX",
    "face_box",
    "output_size_px",
    "reba_fraction",
    "risk_rgb",
    "timeline_strip",
    "write_annotated_video",
]

# 960 px fits a 1080p screen without rescaling and is an exact 2:1 area downscale of 1080x1920 phone video;
# encoding costs about half of 1280 px. Text stays legible (font height = frame height / 45).
MAX_SIDE_PX = 960
# libx264: the ultrafast preset with its deblocking filter switched back on. Measured at 540x960 (300 spooled
# frames, crf 23, CPU of 6 encodes, twice): 2.22-2.33 ms/frame, PSNR-Y 44.1 dB, 2.4 Mbit/s at 60 fps;
# with CABAC as well 2.76-2.92 ms, 44.1 dB, 2.3 Mbit/s; plain ultrafast 2.27-2.52 ms, 43.6 dB, 2.6 Mbit/s;
# superfast 4.7 ms, 42.6 dB. On a per-second-billed worker the CPU matters more than 4 % of upload.
PRESET = "ultrafast"
X264_PARAMS = "nf=0"
HEAD_LANDMARKS = list(range(11))
# Part score ranges (REBA) used to map a part score to a colour from green (1) to red (max).
PART_MAX = {"trunk": 5, "neck": 3, "legs": 4, "upper_arm": 6, "lower_arm": 2, "wrist": 3}
PANEL_ALPHA = 0.65


def output_size_px(info: VideoInfo, max_side_px: int = MAX_SIDE_PX) -> tuple[int, int]:
    """(width, height) of the annotated video: longest side at most `max_side_px`, both even."""
    return fit_size_px(info, max_side_px)


def _part_fractions(scores: Mapping[str, np.ndarray], part: str, n: int) -> np.ndarray:
    """(n,) part score of every analysed frame on the colour scale (0..1); NaN where the method lacks it."""
    side = ""
    for s in ("left_", "right_"):
        if part.startswith(s):
            side, part = s[:-1], part[len(s) :]
    key = f"reba_{part}_{side}" if side else f"reba_{part}"
    if key not in scores:
        return np.full(n, np.nan)
    return (np.asarray(scores[key], float) - 1.0) / (PART_MAX[part] - 1.0)


@dataclass(frozen=True)
class _Skeletons:
    """Every analysed frame's skeleton in output pixels, computed at once with numpy: building it per frame
    in Python (a risk_rgb and int tuples per segment) cost more than drawing it."""

    xy_px: np.ndarray  # (n, 33, 2) float
    segments: np.ndarray  # (n, len(SEGMENTS), 7) int: x_a, y_a, x_b, y_b, r, g, b
    segment_found: np.ndarray  # (n, len(SEGMENTS)) bool: both ends found
    joints_px: np.ndarray  # (n, 18, 2) int: landmarks 11..28
    joint_found: np.ndarray  # (n, 18) bool


def _skeletons(pose: PoseSequence, scores: Mapping[str, np.ndarray], scale_xy: np.ndarray) -> _Skeletons:
    xy = pose.image_xy_px * scale_xy
    found = np.isfinite(xy).all(axis=-1)
    xy_int = np.where(found[..., None], xy, 0.0).astype(np.int64)  # truncates toward zero like int()
    a, b = np.array([a for a, _, _ in SEGMENTS]), np.array([b for _, b, _ in SEGMENTS])
    rgb = {part: risk_rgb_array(_part_fractions(scores, part, pose.n_frames)) for _, _, part in SEGMENTS}
    colours = np.stack([rgb[part] for _, _, part in SEGMENTS], axis=1)
    segments = np.concatenate([xy_int[:, a], xy_int[:, b], colours], axis=-1)
    return _Skeletons(xy, segments, found[:, a] & found[:, b], xy_int[:, 11:29], found[:, 11:29])


def face_box(head_xy: np.ndarray, width_px: int, height_px: int) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) to pixelate around the head landmarks (image pixels); None if they are missing."""
    pts = head_xy[np.isfinite(head_xy).all(axis=1)]
    if len(pts) < 3:
        return None
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    pad = max(x1 - x0, y1 - y0) * 0.9 + 8
    xa, xb = int(max(0, x0 - pad)), int(min(width_px, x1 + pad))
    ya, yb = int(max(0, y0 - pad * 1.2)), int(min(height_px, y1 + pad))
    if xb - xa < 2 or yb - ya < 2:
        return None
    return xa, ya, xb, yb


def _fmt(value: float, unit: str = "°") -> str:
    return "–" if not np.isfinite(value) else f"{value:.0f}{unit}"


@dataclass(frozen=True)
class _Overlay:
    """What is drawn for one analysed frame (or for frames before the first one: i = -1)."""

    xy_px: np.ndarray | None  # (33, 2) in output pixels, None when nobody was detected
    segments: tuple[tuple[tuple[int, int], tuple[int, int], tuple[int, int, int]], ...]
    joints: tuple[tuple[int, int], ...]
    panel: tuple[Line, ...]  # the score panel's lines


def _panel_lines(
    i: int,
    detected: bool,
    reba: np.ndarray,
    rula: np.ndarray,
    angles: Mapping[str, np.ndarray],
    t: Mapping[str, str],
) -> tuple[Line, ...]:
    def val(key: str) -> float:
        return float(angles[key][i]) if key in angles and i >= 0 else float("nan")

    grey = (235, 235, 235)
    lines: list[Line] = [
        (
            f"REBA {_fmt(reba[i] if i >= 0 else np.nan, '')}",
            risk_rgb(reba_fraction(reba[i])) if i >= 0 else RGB_UNKNOWN,
        ),
        (
            f"RULA {_fmt(rula[i] if i >= 0 else np.nan, '')}",
            risk_rgb((rula[i] - 1) / 6) if i >= 0 else RGB_UNKNOWN,
        ),
        (f"{t['trunk']} {_fmt(val('trunk_flexion_deg'))}", grey),
        (f"{t['neck']} {_fmt(val('neck_flexion_deg'))}", grey),
        (
            f"{t['upper_arm']} L {_fmt(val('left_upper_arm_flexion_deg'))}"
            f"  R {_fmt(val('right_upper_arm_flexion_deg'))}",
            grey,
        ),
    ]
    if i >= 0 and not detected:
        lines.append((t["no_person"], (255, 200, 0)))
    return tuple(lines)


def _overlay_for(
    i: int,
    pose: PoseSequence,
    skeletons: _Skeletons,
    angles: Mapping[str, np.ndarray],
    reba: np.ndarray,
    rula: np.ndarray,
    font_px: int,
    t: Mapping[str, str],
) -> _Overlay:
    detected = bool(i >= 0 and pose.detected[i])
    panel = _panel_lines(i, detected, reba, rula, angles, t)
    if not detected:
        return _Overlay(None, (), (), panel)
    rows = skeletons.segments[i][skeletons.segment_found[i]].tolist()
    segments = tuple(((xa, ya), (xb, yb), (r, g, b)) for xa, ya, xb, yb, r, g, b in rows)
    joints = tuple(map(tuple, skeletons.joints_px[i][skeletons.joint_found[i]].tolist()))
    return _Overlay(skeletons.xy_px[i], segments, joints, panel)  # type: ignore[arg-type]


WHITE = (255, 255, 255)


def _draw(
    i420: np.ndarray,
    ov: _Overlay,
    *,
    face_blur: bool,
    thickness: int,
    font_px: int,
    strip_i420: np.ndarray,
    cursor_x: int,
) -> None:
    """Draw one overlay onto an (h * 3/2, w) I420 frame in place."""
    p = yuv_draw.planes(i420)
    out_h, out_w = p.y.shape
    if ov.xy_px is not None:
        box = face_box(ov.xy_px[HEAD_LANDMARKS], out_w, out_h) if face_blur else None
        if box is not None:
            yuv_draw.pixelate(p, box)
        for a, b, colour in ov.segments:
            yuv_draw.line(p, a, b, colour, thickness)
        for centre in ov.joints:
            yuv_draw.disc(p, centre, thickness + 1, WHITE)
    blend_panel(p, (8, 8), ov.panel, font_px, PANEL_ALPHA)
    yuv_draw.paste_bottom(p, strip_i420)
    yuv_draw.line(p, (cursor_x, out_h - TIMELINE_H_PX), (cursor_x, out_h - 1), WHITE, 3)


def write_annotated_video(
    info: VideoInfo,
    pose: PoseSequence,
    scores: Mapping[str, np.ndarray],
    angles: Mapping[str, np.ndarray],
    out_path: Path,
    *,
    language: str,
    face_blur: bool = True,
    on_progress: Callable[[float], None] | None = None,
    max_side_px: int = MAX_SIDE_PX,
    preset: str = PRESET,
    x264_params: str | None = X264_PARAMS,
    spool_dir: Path | None = None,
) -> Path:
    """Draw and encode every source frame; returns the path of the H.264 MP4. Pictures the pose stage
    spooled in `spool_dir` (ergopipe.frame_spool) are used instead of decoding the source again."""
    t = texts(language)
    out_w, out_h = output_size_px(info, max_side_px)
    scaled = (out_w, out_h) != (info.width_px, info.height_px)
    scale_xy = np.array([out_w / info.width_px, out_h / info.height_px]) if scaled else np.ones(2)
    reba = np.asarray(scores.get("reba_score", np.full(pose.n_frames, np.nan)), float)
    rula = np.asarray(scores.get("rula_score", np.full(pose.n_frames, np.nan)), float)
    strip_i420 = yuv_draw.rgb_to_i420(timeline_strip(reba, out_w))
    skeletons = _skeletons(pose, scores, scale_xy)
    font_px = max(14, out_h // 45)
    thickness = max(2, out_h // 220)
    analysed = pose.frame_index
    last: tuple[int, _Overlay] | None = None
    pictures = iter_video_pictures(info, spool_dir, (out_w, out_h))
    with H264Writer(
        out_path, width_px=out_w, height_px=out_h, fps=info.fps, preset=preset, x264_params=x264_params,
        background=True,
    ) as writer:
        for index, i420 in prefetch(pictures, depth=3):
            # Most recent analysed frame at or before this one (sample and hold).
            i = int(np.searchsorted(analysed, index, side="right")) - 1
            if last is None or last[0] != i:
                last = (i, _overlay_for(i, pose, skeletons, angles, reba, rula, font_px, t))
            cursor_x = int(index / max(info.n_frames - 1, 1) * (out_w - 1))
            _draw(i420, last[1], face_blur=face_blur, thickness=thickness, font_px=font_px,
                  strip_i420=strip_i420, cursor_x=cursor_x)
            writer.write_i420(i420)
            if on_progress and index % 50 == 0:
                on_progress(min(1.0, index / max(info.n_frames, 1)))
    log.info("annotated video: %d frames, %dx%d", writer.frames_written, out_w, out_h)
    return out_path
