"""The annotated video's score panel and timeline strip, rendered once per distinct content.

Text is drawn with PIL (DejaVu Sans has the Czech diacritics that OpenCV's Hershey fonts lack). A line of
text is rendered (and converted to I420) once and reused: on a 60 fps video the same "REBA 4" or "Trup 23°"
appears on hundreds of frames, and PIL's text rendering was the largest drawing cost per frame. The panel
itself is not composed per frame: every analysed frame has its own combination of lines (a whole panel
per frame cost ~0.8 ms), so each line is blended onto the frame where it goes and the panel's background
around the lines is blended as flat colour. Every row and column boundary is even, as I420 needs.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ergopipe.report import yuv_draw

TIMELINE_H_PX = 22
PANEL_RGB = (20, 20, 20)
RGB_UNKNOWN = (160, 160, 160)
Line = tuple[str, tuple[int, int, int]]  # text, RGB colour


def risk_rgb(fraction: float) -> tuple[int, int, int]:
    """Green (0) -> yellow (0.5) -> red (1) as RGB; grey for NaN."""
    if not np.isfinite(fraction):
        return RGB_UNKNOWN
    f = float(np.clip(fraction, 0.0, 1.0))
    return (int(255 * min(1.0, 2 * f)), int(255 * min(1.0, 2 * (1 - f))), 40)


def risk_rgb_array(fractions: np.ndarray) -> np.ndarray:
    """risk_rgb of every element at once: (..., 3) int64, the same values as risk_rgb element by element."""
    f = np.asarray(fractions, float)
    finite = np.isfinite(f)
    f = np.clip(np.where(finite, f, 0.0), 0.0, 1.0)
    rgb = np.empty((*f.shape, 3), np.int64)
    # Same float64 operations as risk_rgb; astype truncates toward zero like int().
    rgb[..., 0] = (255 * np.minimum(1.0, 2 * f)).astype(np.int64)
    rgb[..., 1] = (255 * np.minimum(1.0, 2 * (1 - f))).astype(np.int64)
    rgb[..., 2] = 40
    rgb[~finite] = RGB_UNKNOWN
    return rgb


def reba_fraction(score: float) -> float:
    """REBA grand score 1..15 mapped onto the colour scale (action levels: 1, 2-3, 4-7, 8-10, 11+)."""
    return (score - 1.0) / 10.0


@lru_cache(maxsize=4)
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    # DejaVu Sans ships inside matplotlib; locating the file without importing matplotlib saves ~0.3 s.
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (which ships the DejaVu Sans font) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size_px)


def line_pitch_px(size_px: int) -> int:
    return int(size_px * 1.3) // 2 * 2


def margin_px(size_px: int) -> int:
    """Background above the first line and below the last."""
    return max(2, size_px // 4 // 2 * 2)


@lru_cache(maxsize=4096)
def line_i420(text: str, colour: tuple[int, int, int], size_px: int) -> np.ndarray:
    """One line of text on the panel background: I420 of (line_pitch_px, even width) pixels."""
    font = _font(size_px)
    width = (int(font.getlength(text)) + 2 * (size_px // 2) + 1) // 2 * 2
    img = Image.new("RGB", (width, line_pitch_px(size_px)), PANEL_RGB)
    ImageDraw.Draw(img).text((size_px // 2, 0), text, font=font, fill=colour)
    bitmap = yuv_draw.rgb_to_i420(np.asarray(img))
    bitmap.flags.writeable = False  # shared by every frame that shows this line
    return bitmap


def panel_size_px(lines: tuple[Line, ...], size_px: int) -> tuple[int, int]:
    """(width, height) of the panel: as wide as its longest line."""
    width = max(line_i420(text, colour, size_px).shape[1] for text, colour in lines)
    return width, len(lines) * line_pitch_px(size_px) + 2 * margin_px(size_px)


def blend_panel(p: yuv_draw.Planes, top_left: tuple[int, int], lines: tuple[Line, ...], size_px: int,
                alpha: float) -> None:
    """Blend the panel (lines stacked at a fixed pitch on the dark background) onto an I420 frame with its
    top-left corner at even (x, y); clipped to the frame."""
    x, y = top_left
    pitch, margin = line_pitch_px(size_px), margin_px(size_px)
    width, height = panel_size_px(lines, size_px)
    yuv_draw.blend_flat(p, (x, y, width, margin), PANEL_RGB, alpha)
    for k, (text, colour) in enumerate(lines):
        bitmap = line_i420(text, colour, size_px)
        top, line_w = y + margin + k * pitch, bitmap.shape[1]
        yuv_draw.blend(p, (x, top), bitmap, alpha)
        yuv_draw.blend_flat(p, (x + line_w, top, width - line_w, pitch), PANEL_RGB, alpha)
    yuv_draw.blend_flat(p, (x, y + height - margin, width, margin), PANEL_RGB, alpha)


def timeline_strip(values: np.ndarray, width_px: int) -> np.ndarray:
    """(TIMELINE_H_PX, width_px, 3) picture of a REBA series, one colour column per pixel."""
    strip = np.zeros((TIMELINE_H_PX, width_px, 3), np.uint8)
    values = np.asarray(values, float)
    if values.size == 0:
        return strip
    idx = np.minimum((np.arange(width_px) * values.size) // width_px, values.size - 1)
    strip[:] = risk_rgb_array(reba_fraction(values[idx])).astype(np.uint8)[None]
    return strip
