"""Annotated video: skeleton coloured by part score, live score panel, risk timeline strip, face blur.

Streams: the source is decoded again frame by frame and each frame is drawn and encoded at once. Every
source frame is written (source fps); when analysis ran at a lower rate, a frame shows the most recent
analysed frame's pose and scores (sample and hold).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ergopipe.landmarks import SEGMENTS
from ergopipe.report.i18n import texts
from ergopipe.types import PoseSequence, VideoInfo
from ergopipe.video import H264Writer, iter_frames

log = logging.getLogger(__name__)

MAX_SIDE_PX = 1280  # encoding full 1080x1920 costs about as much as the pose model; 1280 stays legible
TIMELINE_H_PX = 22
HEAD_LANDMARKS = list(range(11))
# Part score ranges (REBA) used to map a part score to a colour from green (1) to red (max).
PART_MAX = {"trunk": 5, "neck": 3, "legs": 4, "upper_arm": 6, "lower_arm": 2, "wrist": 3}
RGB_UNKNOWN = (160, 160, 160)


def risk_rgb(fraction: float) -> tuple[int, int, int]:
    """Green (0) -> yellow (0.5) -> red (1) as RGB; grey for NaN."""
    if not np.isfinite(fraction):
        return RGB_UNKNOWN
    f = float(np.clip(fraction, 0.0, 1.0))
    return (int(255 * min(1.0, 2 * f)), int(255 * min(1.0, 2 * (1 - f))), 40)


def reba_fraction(score: float) -> float:
    """REBA grand score 1..15 mapped onto the colour scale (action levels: 1, 2-3, 4-7, 8-10, 11+)."""
    return (score - 1.0) / 10.0


@lru_cache(maxsize=4)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    # DejaVu Sans ships with matplotlib and has the Czech diacritics that OpenCV's Hershey fonts lack.
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size_px)


def _part_fraction(scores: Mapping[str, np.ndarray], part: str, i: int) -> float:
    side = ""
    for s in ("left_", "right_"):
        if part.startswith(s):
            side, part = s[:-1], part[len(s):]
    key = f"reba_{part}_{side}" if side else f"reba_{part}"
    if key not in scores:
        return float("nan")
    return (float(scores[key][i]) - 1.0) / (PART_MAX[part] - 1.0)


def timeline_strip(values: np.ndarray, width_px: int) -> np.ndarray:
    """(TIMELINE_H_PX, width_px, 3) picture of a REBA series, one colour column per pixel."""
    strip = np.zeros((TIMELINE_H_PX, width_px, 3), np.uint8)
    if values.size == 0:
        return strip
    idx = np.minimum((np.arange(width_px) * values.size) // width_px, values.size - 1)
    for x, v in enumerate(values[idx]):
        strip[:, x] = risk_rgb(reba_fraction(v))
    return strip


def blur_face(rgb: np.ndarray, head_xy: np.ndarray) -> None:
    """Blur, in place, a box around the head landmarks (image pixels). No-op if they are missing."""
    pts = head_xy[np.isfinite(head_xy).all(axis=1)]
    if len(pts) < 3:
        return
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    pad = max(x1 - x0, y1 - y0) * 0.9 + 8
    h, w = rgb.shape[:2]
    xa, xb = int(max(0, x0 - pad)), int(min(w, x1 + pad))
    ya, yb = int(max(0, y0 - pad * 1.2)), int(min(h, y1 + pad))
    if xb - xa < 2 or yb - ya < 2:
        return
    roi = rgb[ya:yb, xa:xb]
    small = cv2.resize(roi, (max(1, (xb - xa) // 12), max(1, (yb - ya) // 12)), interpolation=cv2.INTER_AREA)
    rgb[ya:yb, xa:xb] = cv2.resize(small, (xb - xa, yb - ya), interpolation=cv2.INTER_LINEAR)


def _panel(lines: list[tuple[str, tuple[int, int, int]]], size_px: int) -> np.ndarray:
    font = _font(size_px)
    width = int(max(font.getlength(t) for t, _ in lines)) + 2 * size_px // 2
    height = len(lines) * int(size_px * 1.3) + size_px // 2
    img = Image.new("RGB", (width, height), (20, 20, 20))
    draw = ImageDraw.Draw(img)
    for k, (text, colour) in enumerate(lines):
        draw.text((size_px // 2, size_px // 4 + k * int(size_px * 1.3)), text, font=font, fill=colour)
    return np.asarray(img)


def _fmt(value: float, unit: str = "°") -> str:
    return "–" if not np.isfinite(value) else f"{value:.0f}{unit}"


def write_annotated_video(
    info: VideoInfo, pose: PoseSequence, scores: Mapping[str, np.ndarray], angles: Mapping[str, np.ndarray],
    out_path: Path, *, language: str, face_blur: bool = True,
    on_progress: Callable[[float], None] | None = None,
) -> Path:
    """Draw and encode every source frame; returns the path of the H.264 MP4."""
    t = texts(language)
    scale = min(1.0, MAX_SIDE_PX / max(info.width_px, info.height_px))
    out_w, out_h = int(info.width_px * scale) // 2 * 2, int(info.height_px * scale) // 2 * 2
    reba = np.asarray(scores.get("reba_score", np.full(pose.n_frames, np.nan)), float)
    rula = np.asarray(scores.get("rula_score", np.full(pose.n_frames, np.nan)), float)
    strip = timeline_strip(reba, out_w)
    font_px = max(14, out_h // 45)
    thickness = max(2, out_h // 220)
    analysed = pose.frame_index
    with H264Writer(out_path, width_px=out_w, height_px=out_h, fps=info.fps) as writer:
        for frame in iter_frames(info):
            # Most recent analysed frame at or before this one (sample and hold).
            i = int(np.searchsorted(analysed, frame.index, side="right")) - 1
            rgb = cv2.resize(frame.rgb, (out_w, out_h), interpolation=cv2.INTER_AREA) if scale < 1 else frame.rgb
            rgb = np.ascontiguousarray(rgb)
            if i >= 0 and pose.detected[i]:
                xy = pose.image_xy_px[i] * scale
                if face_blur:
                    blur_face(rgb, xy[HEAD_LANDMARKS])
                for a, b, part in SEGMENTS:
                    if np.isfinite(xy[[a, b]]).all():
                        colour = risk_rgb(_part_fraction(scores, part, i))
                        cv2.line(rgb, tuple(map(int, xy[a])), tuple(map(int, xy[b])), colour, thickness,
                                 cv2.LINE_AA)
                for p in xy[11:29]:
                    if np.isfinite(p).all():
                        cv2.circle(rgb, (int(p[0]), int(p[1])), thickness + 1, (255, 255, 255), -1, cv2.LINE_AA)
            j = max(i, 0)
            def val(key: str) -> float:
                return float(angles[key][j]) if key in angles and i >= 0 else float("nan")

            lines = [
                (f"REBA {_fmt(reba[j] if i >= 0 else np.nan, '')}", risk_rgb(reba_fraction(reba[j]))
                 if i >= 0 else RGB_UNKNOWN),
                (f"RULA {_fmt(rula[j] if i >= 0 else np.nan, '')}", risk_rgb((rula[j] - 1) / 6) if i >= 0
                 else RGB_UNKNOWN),
                (f"{t['trunk']} {_fmt(val('trunk_flexion_deg'))}", (235, 235, 235)),
                (f"{t['neck']} {_fmt(val('neck_flexion_deg'))}", (235, 235, 235)),
                (f"{t['upper_arm']} L {_fmt(val('left_upper_arm_flexion_deg'))}"
                 f"  R {_fmt(val('right_upper_arm_flexion_deg'))}", (235, 235, 235)),
            ]
            if i >= 0 and not pose.detected[i]:
                lines.append((t["no_person"], (255, 200, 0)))
            panel = _panel(lines, font_px)
            ph, pw = min(panel.shape[0], out_h), min(panel.shape[1], out_w)
            roi = rgb[8:8 + ph, 8:8 + pw]
            roi[:] = (0.35 * roi + 0.65 * panel[: roi.shape[0], : roi.shape[1]]).astype(np.uint8)
            rgb[out_h - TIMELINE_H_PX:] = strip
            cursor = int(frame.index / max(info.n_frames - 1, 1) * (out_w - 1))
            cv2.line(rgb, (cursor, out_h - TIMELINE_H_PX), (cursor, out_h - 1), (255, 255, 255), 3)
            writer.write(rgb)
            if on_progress and frame.index % 50 == 0:
                on_progress(min(1.0, frame.index / max(info.n_frames, 1)))
    log.info("annotated video: %d frames, %dx%d", writer.frames_written, out_w, out_h)
    return out_path
