"""Thumbnails: only the wanted frames are decoded, by seeking, and they are the right frames."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from conftest import SOURCE_FPS, frame_colour
from ergopipe import video
from ergopipe.report.thumbnails import (
    Wanted,
    _decode_seeking,
    grab_frames,
    pixelate_face,
    scale_to,
    thumbnails,
)


def test_seeking_gives_the_same_pixels_as_decoding_every_frame(case):
    every = {f.index: f.rgb for f in video.iter_frames(case.info)}
    wanted = [
        Wanted(k, k / SOURCE_FPS) for k in (87, 3, 10, 11, 45, 0, 59)
    ]  # unsorted, on and off key frames
    got = _decode_seeking(case.info, wanted)
    assert sorted(got) == sorted(w.frame_index for w in wanted)
    for k, rgb in got.items():
        assert np.array_equal(rgb, every[k]), k


def test_grabbed_frame_has_its_own_colour(case):
    got = grab_frames(case.info, [Wanted(k, k / SOURCE_FPS) for k in (5, 44, 89)])
    for k, rgb in got.items():
        assert np.abs(rgb[80, 48].astype(int) - frame_colour(k)).max() <= 6, k


def test_a_time_beyond_the_video_is_left_out(case):
    assert grab_frames(case.info, [Wanted(500, 500 / SOURCE_FPS)]) == {}


def test_an_unreadable_video_gives_no_pictures_not_an_error(case, tmp_path):
    from dataclasses import replace

    gone = replace(case.info, path=str(tmp_path / "deleted.mp4"))
    assert thumbnails(gone, [Wanted(3, 0.1)], face_blur=True) == {}


def test_pixelate_face_changes_the_head_box_only():
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 255, (200, 120, 3), dtype=np.uint8)
    before = rgb.copy()
    head = np.array([[60, 30], [70, 30], [50, 30], [60, 40], [60, 20]], float)
    out = pixelate_face(rgb, head)
    assert not np.array_equal(out[20:40, 50:70], rgb[20:40, 50:70])
    assert np.array_equal(out[150:, :], rgb[150:, :])
    assert np.array_equal(rgb, before)  # the input is not modified


def test_pixelate_face_without_a_head_hides_the_whole_picture():
    rgb = np.random.default_rng(2).integers(0, 255, (60, 40, 3), dtype=np.uint8)
    out = pixelate_face(rgb, np.full((11, 2), np.nan))
    assert (out != rgb).mean() > 0.5


def test_scale_to_keeps_the_aspect_and_never_enlarges():
    rgb = np.zeros((1920, 1080, 3), np.uint8)
    assert scale_to(rgb, 240).size == (135, 240)
    assert scale_to(np.zeros((50, 30, 3), np.uint8), 240).size == (30, 50)


def test_thumbnails_are_jpegs_of_the_wanted_frames(case):
    out = thumbnails(
        case.info, [Wanted(30, 1.0, None), Wanted(60, 2.0, None)], face_blur=False, max_side_px=80
    )
    assert sorted(out) == [30, 60]
    img = Image.open(io.BytesIO(out[60]))
    assert img.format == "JPEG" and max(img.size) == 80
    assert np.abs(np.asarray(img.convert("RGB"))[40, 24].astype(int) - frame_colour(60)).max() <= 8
