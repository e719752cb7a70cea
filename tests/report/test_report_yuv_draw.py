"""Drawing on I420 pictures looks like drawing on RGB and converting: the reference is the RGB way the
annotated video used before (OpenCV on RGB, then the encoder's RGB -> I420 conversion)."""

import cv2
import numpy as np
import pytest

from ergopipe.report import yuv_draw
from ergopipe.video_writer import H264Writer

W, H = 200, 160
RED, GREEN, WHITE = (230, 30, 40), (40, 200, 60), (255, 255, 255)


def _background() -> np.ndarray:
    """A smooth colour gradient, so that a shape drawn in the wrong place or colour shows."""
    yy, xx = np.mgrid[0:H, 0:W]
    return np.stack([xx * 255 // W, yy * 255 // H, np.full_like(xx, 90)], axis=-1).astype(np.uint8)


def _both(draw_rgb, draw_i420) -> tuple[np.ndarray, np.ndarray]:
    """(reference: drawn on RGB then converted, drawn on I420), both as RGB int arrays."""
    rgb = _background()
    i420 = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420)
    draw_rgb(rgb)
    draw_i420(yuv_draw.planes(i420))
    ref = cv2.cvtColor(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420), cv2.COLOR_YUV2RGB_I420)
    return ref.astype(int), cv2.cvtColor(i420, cv2.COLOR_YUV2RGB_I420).astype(int)


def test_colour_conversion_is_the_encoders():
    for rgb in (RED, GREEN, WHITE, (0, 0, 0), (20, 20, 20)):
        frame = np.empty((4, 4, 3), np.uint8)
        frame[:] = rgb
        i420 = cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420)
        assert yuv_draw.yuv_of(rgb) == (i420[0, 0], i420[4, 0], i420[5, 0])


@pytest.mark.parametrize("thickness", [2, 4])
def test_lines_and_discs_match_rgb_drawing(thickness):
    a, b, c = (20, 30), (170, 121), (101, 77)

    def on_rgb(rgb):
        cv2.line(rgb, a, b, RED, thickness, cv2.LINE_AA)
        cv2.circle(rgb, c, thickness + 1, WHITE, -1, cv2.LINE_AA)

    def on_i420(p):
        yuv_draw.line(p, a, b, RED, thickness)
        yuv_draw.disc(p, c, thickness + 1, WHITE)

    ref, got = _both(on_rgb, on_i420)
    assert np.abs(ref - got).mean() < 1.5  # the same picture, up to anti-aliased edges:
    # the shapes cover the same pixels (the RGB way's chroma is point-sampled, this one's anti-aliased).
    plain = _both(lambda rgb: None, lambda p: None)[0]
    drawn_ref = np.abs(ref - plain).max(axis=-1) > 60
    drawn_got = np.abs(got - plain).max(axis=-1) > 60
    assert (drawn_ref & drawn_got).sum() / (drawn_ref | drawn_got).sum() > 0.75
    # On the line and on the disc, the drawn colour (not a neighbour's) whatever the chroma subsampling.
    mid = ((a[0] + b[0]) // 2, (a[1] + b[1]) // 2)
    assert np.abs(got[mid[1], mid[0]] - RED).max() < 30
    assert np.abs(got[c[1], c[0]] - WHITE).max() < 12


def test_blend_matches_rgb_blend_and_is_clipped_at_the_frame_edge():
    panel = np.empty((40, 60, 3), np.uint8)
    panel[:] = (20, 20, 20)
    panel[10:20, 10:50] = GREEN

    def on_rgb(rgb):
        roi = rgb[8:48, 8:68]
        cv2.addWeighted(roi, 0.35, panel, 0.65, 0.0, dst=roi)
        edge = rgb[H - 20 :, W - 30 :]  # the same panel placed so that most of it falls off the frame
        cv2.addWeighted(edge, 0.35, panel[:20, :30], 0.65, 0.0, dst=edge)

    def on_i420(p):
        yuv_draw.blend(p, (8, 8), yuv_draw.rgb_to_i420(panel), 0.65)
        yuv_draw.blend(p, (W - 30, H - 20), yuv_draw.rgb_to_i420(panel), 0.65)

    ref, got = _both(on_rgb, on_i420)
    diff = np.abs(ref - got)  # blending is linear: converting before or after differs by rounding only
    assert diff.max() <= 6 and diff.mean() < 0.5


def test_strip_pasted_over_the_bottom_rows():
    strip = np.zeros((22, W, 3), np.uint8)
    strip[:, : W // 2] = RED
    strip[:, W // 2 :] = GREEN
    ref, got = _both(lambda rgb: rgb.__setitem__(slice(H - 22, None), strip),
                     lambda p: yuv_draw.paste_bottom(p, yuv_draw.rgb_to_i420(strip)))
    assert np.array_equal(ref, got)


def test_pixelate_coarsens_only_the_box_on_every_plane():
    rgb = _background()
    yy, xx = np.mgrid[0:H, 0:W]
    rgb[(yy // 2 + xx // 2) % 2 == 0] = RED  # fine detail, in luma and chroma, that pixelating must remove
    i420 = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420)
    before = yuv_draw.planes(i420.copy())
    box = (41, 31, 139, 111)  # odd corners: aligned to even pixels, so chroma covers the same area
    after = yuv_draw.planes(i420)
    yuv_draw.pixelate(after, box)
    for plane, s in ((0, 1), (1, 2), (2, 2)):
        p, q = before[plane].astype(int), after[plane].astype(int)
        outside = np.ones(p.shape, bool)
        outside[30 // s : 112 // s, 40 // s : 140 // s] = False
        assert np.array_equal(p[outside], q[outside])
        inside = (slice(34 // s, 108 // s), slice(44 // s, 136 // s))
        # The checkerboard is gone: neighbouring pixels inside the box hardly differ any more.
        assert np.abs(np.diff(q[inside], axis=1)).mean() < 0.2 * np.abs(np.diff(p[inside], axis=1)).mean()


def test_writer_takes_i420_of_its_own_size_only(tmp_path):
    with H264Writer(tmp_path / "x.mp4", width_px=W, height_px=H, fps=10) as writer:
        writer.write_i420(cv2.cvtColor(_background(), cv2.COLOR_RGB2YUV_I420))
        with pytest.raises(ValueError, match="expected"):
            writer.write_i420(np.zeros((H, W), np.uint8))
        assert writer.frames_written == 1
