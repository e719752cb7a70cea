"""Drawing on planar I420 pictures: the annotated video is drawn in the encoder's own format.

The pose stage spools its pictures as I420 and libx264 encodes I420, so a frame is never converted to RGB
for drawing and back (the two conversions were ~1.4 ms of the ~5.3 ms of CPU a 540x960 frame cost). A
colour is converted once, with the conversion the encoder's RGB input used to get (OpenCV, BT.601 limited
range). Shapes go on the luma plane at full resolution and on the two chroma planes at half resolution:
OpenCV's RGB -> I420 takes a 2x2 block's chroma from its top-left pixel, so luma pixel x is chroma
coordinate x / 2: OpenCV's fixed-point `shift=1` takes the same integer coordinates as halves.
Every box (panel, strip, face) is aligned to even pixels so the chroma planes cover it exactly.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import cv2
import numpy as np

RGB = tuple[int, int, int]


class Planes(NamedTuple):
    """Views into one (h * 3/2, w) I420 picture: drawing on them draws on the picture."""

    y: np.ndarray  # (h, w)
    u: np.ndarray  # (h/2, w/2)
    v: np.ndarray  # (h/2, w/2)


def planes(i420: np.ndarray) -> Planes:
    height_px, width_px = i420.shape[0] * 2 // 3, i420.shape[1]
    chroma = i420[height_px:].reshape(2, height_px // 2, width_px // 2)
    return Planes(i420[:height_px], chroma[0], chroma[1])


@lru_cache(maxsize=1024)
def yuv_of(rgb: RGB) -> RGB:
    """(Y, U, V) of an RGB colour, as the encoder's RGB -> I420 conversion gives it."""
    block = np.empty((2, 2, 3), np.uint8)
    block[:] = rgb
    i420 = cv2.cvtColor(block, cv2.COLOR_RGB2YUV_I420)  # rows 0-1: Y; row 2: U, V
    return int(i420[0, 0]), int(i420[2, 0]), int(i420[2, 1])


def rgb_to_i420(rgb: np.ndarray) -> np.ndarray:
    """An (h, w, 3) RGB picture as I420, cropped to even sides."""
    h, w = rgb.shape[0] // 2 * 2, rgb.shape[1] // 2 * 2
    return cv2.cvtColor(np.ascontiguousarray(rgb[:h, :w]), cv2.COLOR_RGB2YUV_I420)


def line(p: Planes, a: tuple[int, int], b: tuple[int, int], rgb: RGB, thickness_px: int) -> None:
    y, u, v = yuv_of(rgb)
    cv2.line(p.y, a, b, y, thickness_px, cv2.LINE_AA)
    chroma_px = max(1, (thickness_px + 1) // 2)
    cv2.line(p.u, a, b, u, chroma_px, cv2.LINE_AA, shift=1)  # a, b halved
    cv2.line(p.v, a, b, v, chroma_px, cv2.LINE_AA, shift=1)


def disc(p: Planes, centre: tuple[int, int], radius_px: int, rgb: RGB) -> None:
    y, u, v = yuv_of(rgb)
    cv2.circle(p.y, centre, radius_px, y, -1, cv2.LINE_AA)
    cv2.circle(p.u, centre, radius_px, u, -1, cv2.LINE_AA, shift=1)  # centre and radius halved
    cv2.circle(p.v, centre, radius_px, v, -1, cv2.LINE_AA, shift=1)


def pixelate(p: Planes, box: tuple[int, int, int, int], block_px: int = 12) -> None:
    """Replace the box (x0, y0, x1, y1; image pixels) by a coarse, smoothly re-enlarged copy of itself."""
    x0, y0, x1, y1 = (c // 2 * 2 for c in box)
    for plane, s in ((p.y, 1), (p.u, 2), (p.v, 2)):
        xa, ya, xb, yb = x0 // s, y0 // s, x1 // s, y1 // s
        if xb - xa < 1 or yb - ya < 1:
            continue
        roi = plane[ya:yb, xa:xb]
        small_w, small_h = max(1, (xb - xa) * s // block_px), max(1, (yb - ya) * s // block_px)
        small = cv2.resize(roi, (small_w, small_h), interpolation=cv2.INTER_AREA)
        plane[ya:yb, xa:xb] = cv2.resize(small, (xb - xa, yb - ya), interpolation=cv2.INTER_LINEAR)


def blend(p: Planes, top_left: tuple[int, int], over_i420: np.ndarray, alpha: float) -> None:
    """Alpha-blend an I420 picture onto the frame with its top-left corner at even (x, y), clipped to it."""
    x, y = top_left[0] // 2 * 2, top_left[1] // 2 * 2
    over = planes(over_i420)
    h = min(over.y.shape[0], p.y.shape[0] - y) // 2 * 2
    w = min(over.y.shape[1], p.y.shape[1] - x) // 2 * 2
    if h <= 0 or w <= 0:
        return
    for plane, src, s in ((p.y, over.y, 1), (p.u, over.u, 2), (p.v, over.v, 2)):
        roi = plane[y // s : (y + h) // s, x // s : (x + w) // s]
        cv2.addWeighted(roi, 1.0 - alpha, src[: h // s, : w // s], alpha, 0.0, dst=roi)


def blend_flat(p: Planes, box: tuple[int, int, int, int], rgb: RGB, alpha: float) -> None:
    """Alpha-blend one colour over the box (x, y, width, height; even numbers), clipped to the frame."""
    x, y, w, h = box
    w, h = min(w, p.y.shape[1] - x), min(h, p.y.shape[0] - y)
    if w <= 0 or h <= 0:
        return
    for plane, value, s in zip(p, yuv_of(rgb), (1, 2, 2), strict=True):
        roi = plane[y // s : (y + h) // s, x // s : (x + w) // s]
        cv2.addWeighted(roi, 1.0 - alpha, roi, 0.0, alpha * value, dst=roi)  # (1 - a) * frame + a * colour


def paste_bottom(p: Planes, strip_i420: np.ndarray) -> None:
    """Copy an I420 picture as wide as the frame (even height) over the frame's bottom rows."""
    strip = planes(strip_i420)
    h = strip.y.shape[0]
    p.y[-h:] = strip.y
    p.u[-h // 2 :] = strip.u
    p.v[-h // 2 :] = strip.v
