"""Small pictures of a few source frames (the worst moments) for the workbook.

Only the requested frames are decoded: the decoder seeks to the key frame before each one and decodes
forward to it, so a long video costs a few GOPs per picture, not a full pass. Faces are pixelated when
asked (the videos show employees).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from ergopipe.spool import read_spooled
from ergopipe.types import VideoInfo
from ergopipe.video import iter_frames, rotate_frame

log = logging.getLogger(__name__)

THUMB_MAX_SIDE_PX = 240
FORWARD_S = 4.0  # decode on rather than seek when the next wanted frame is this close ahead


@dataclass(frozen=True)
class Wanted:
    """One frame to grab: its decode index and presentation time in the source, head landmarks (image px,
    shape (k, 2), NaN = unknown) for face blurring, or None when no pose is known."""

    frame_index: int
    time_s: float
    head_xy_px: np.ndarray | None = None


def pixelate_face(rgb: np.ndarray, head_xy_px: np.ndarray | None) -> np.ndarray:
    """Copy of `rgb` (h, w, 3) with a box around the head landmarks pixelated; the whole picture when the
    head position is unknown (privacy wins over a readable thumbnail)."""
    out = rgb.copy()
    h, w = out.shape[:2]
    pts = np.empty((0, 2))
    if head_xy_px is not None:
        xy = np.asarray(head_xy_px, dtype=float).reshape(-1, 2)
        pts = xy[np.isfinite(xy).all(axis=1)]
    if len(pts) >= 3:
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        pad = max(x1 - x0, y1 - y0) * 0.9 + 8
        xa, xb = int(max(0, x0 - pad)), int(min(w, x1 + pad))
        ya, yb = int(max(0, y0 - pad * 1.2)), int(min(h, y1 + pad))
    else:
        xa, xb, ya, yb = 0, w, 0, h
    if xb - xa >= 2 and yb - ya >= 2:
        roi = Image.fromarray(out[ya:yb, xa:xb])
        small = roi.resize((max(1, (xb - xa) // 12), max(1, (yb - ya) // 12)), Image.BILINEAR)
        out[ya:yb, xa:xb] = np.asarray(small.resize((xb - xa, yb - ya), Image.NEAREST))
    return out


def scale_to(rgb: np.ndarray, max_side_px: int) -> Image.Image:
    """PIL image whose longer side is `max_side_px` (never enlarged)."""
    img = Image.fromarray(rgb)
    k = min(1.0, max_side_px / max(img.width, img.height))
    return img.resize((max(1, round(img.width * k)), max(1, round(img.height * k))), Image.LANCZOS)


def jpeg_bytes(img: Image.Image) -> bytes:
    """JPEG (quality 85): a fifth of a PNG's size for a photo, and 15 of them go into the workbook."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def _decode_seeking(info: VideoInfo, wanted: list[Wanted]) -> dict[int, np.ndarray]:
    """frame_index -> RGB (display orientation), found by presentation time.

    Wanted frames are visited in time order; the decoder seeks (to the key frame before) only when the next
    one lies behind it or more than FORWARD_S ahead, else it decodes on: a short clip with one key frame is
    decoded once, a long one costs a GOP or so per picture.
    """
    found: dict[int, np.ndarray] = {}
    half_frame_s = 0.5 / info.fps
    with av.open(info.path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.time_base
        frames: Iterator[av.VideoFrame] | None = None
        last_t = float("-inf")
        for w in sorted(wanted, key=lambda x: x.time_s):
            if frames is None or not (last_t < w.time_s - half_frame_s and w.time_s - last_t <= FORWARD_S):
                container.seek(max(0, int(w.time_s / base)) if base else 0, stream=stream, backward=True)
                frames = container.decode(stream)
            for frame in frames:
                if frame.time is None:
                    continue
                last_t = float(frame.time)
                if last_t >= w.time_s - half_frame_s:
                    if abs(last_t - w.time_s) <= half_frame_s:
                        found[w.frame_index] = rotate_frame(
                            frame.to_ndarray(format="rgb24"), info.rotation_deg
                        )
                    break
    return found


def _decode_sequential(info: VideoInfo, wanted: list[Wanted]) -> dict[int, np.ndarray]:
    """Fallback for files that cannot seek: one pass over [first, last] wanted frame."""
    indices = {w.frame_index for w in wanted}
    found: dict[int, np.ndarray] = {}
    for frame in iter_frames(info, start=min(indices), stop=max(indices) + 1):
        if frame.index in indices:
            found[frame.index] = frame.rgb
    return found


def grab_frames(info: VideoInfo, wanted: Iterable[Wanted]) -> dict[int, np.ndarray]:
    """Full-size RGB frames for the wanted decode indices (missing ones are left out, with a log line).

    Pictures are an extra: an unreadable file gives no pictures, never a failed report.
    """
    items = list({w.frame_index: w for w in wanted}.values())
    if not items:
        return {}
    found: dict[int, np.ndarray] = {}
    try:
        found = _decode_seeking(info, items)
    except (av.error.FFmpegError, OSError, OverflowError, ValueError) as exc:
        # Only when seeking itself fails: one bounded sequential pass over [first, last] wanted frame.
        log.info("seeking failed in %s (%s); decoding sequentially", info.path, exc)
        try:
            found = _decode_sequential(info, items)
        except (av.error.FFmpegError, OSError) as exc2:
            log.warning("no thumbnails from %s: %s", info.path, exc2)
    lost = [w.frame_index for w in items if w.frame_index not in found]
    if lost:
        log.warning("could not decode frames %s of %s for thumbnails", lost, info.path)
    return found


def thumbnails(
    info: VideoInfo,
    wanted: Iterable[Wanted],
    *,
    face_blur: bool,
    max_side_px: int = THUMB_MAX_SIDE_PX,
    spool_dir: str | Path | None = None,
) -> Mapping[int, bytes]:
    """frame_index -> JPEG bytes of the frame scaled to `max_side_px`, faces pixelated if `face_blur`.

    Frames the pose stage spooled (`spool_dir`, ergopipe.spool) are read from there; the others are decoded.
    """
    items = {w.frame_index: w for w in wanted}
    spooled = read_spooled(spool_dir, list(items))
    decoded = grab_frames(info, [w for k, w in items.items() if k not in spooled])
    out: dict[int, bytes] = {}
    for index, rgb in {**decoded, **spooled}.items():
        if face_blur:
            head = items[index].head_xy_px
            if head is not None:  # head landmarks are in source pixels; the picture may be smaller
                head = np.asarray(head, dtype=float) * (rgb.shape[1] / info.width_px)
            rgb = pixelate_face(rgb, head)
        out[index] = jpeg_bytes(scale_to(rgb, max_side_px))
    return out
