"""The annotated video's score panel and timeline strip, rendered once per distinct content.

Text is drawn with PIL (DejaVu Sans has the Czech diacritics that OpenCV's Hershey fonts lack). A line of
text is rendered once and reused: on a 60 fps video the same "REBA 4" or "Trup 23°" appears on hundreds of
frames, and PIL's text rendering was the largest drawing cost per frame.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

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
    return int(size_px * 1.3)


@lru_cache(maxsize=4096)
def _line_bitmap(text: str, colour: tuple[int, int, int], size_px: int) -> np.ndarray:
    """(line_pitch_px, text width + margins, 3) uint8: one line of text on the panel background."""
    font = _font(size_px)
    width = int(font.getlength(text)) + 2 * (size_px // 2)
    img = Image.new("RGB", (width, line_pitch_px(size_px)), PANEL_RGB)
    ImageDraw.Draw(img).text((size_px // 2, 0), text, font=font, fill=colour)
    bitmap = np.asarray(img)
    bitmap.flags.writeable = False  # shared by every frame that shows this line
    return bitmap


@lru_cache(maxsize=64)
def render_panel(lines: tuple[Line, ...], size_px: int) -> np.ndarray:
    """(h, w, 3) uint8 panel: the lines stacked at a fixed pitch, as wide as the longest line."""
    bitmaps = [_line_bitmap(text, colour, size_px) for text, colour in lines]
    pitch = line_pitch_px(size_px)
    panel = np.empty((len(lines) * pitch + size_px // 2, max(b.shape[1] for b in bitmaps), 3), np.uint8)
    # Filling (h, w, 3) from a 3-tuple goes 3 bytes at a time (~0.3 ms); copying a filled row is ~50x faster.
    panel[0] = PANEL_RGB
    panel[1:] = panel[0]
    for k, bitmap in enumerate(bitmaps):
        top = size_px // 4 + k * pitch
        panel[top : top + pitch, : bitmap.shape[1]] = bitmap
    panel.flags.writeable = False
    return panel


def timeline_strip(values: np.ndarray, width_px: int) -> np.ndarray:
    """(TIMELINE_H_PX, width_px, 3) picture of a REBA series, one colour column per pixel."""
    strip = np.zeros((TIMELINE_H_PX, width_px, 3), np.uint8)
    values = np.asarray(values, float)
    if values.size == 0:
        return strip
    idx = np.minimum((np.arange(width_px) * values.size) // width_px, values.size - 1)
    strip[:] = risk_rgb_array(reba_fraction(values[idx])).astype(np.uint8)[None]
    return strip
