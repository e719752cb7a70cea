"""Annotated video: every source frame at the source fps when analysis ran at a lower rate, skeleton
coloured by part score, timeline strip, browser-playable H.264; the panel is rendered once per content."""

from pathlib import Path

import av
import numpy as np
import pytest

from ergopipe import video
from ergopipe.report import overlay, panel
from ergopipe.types import PoseSequence

W, H, FPS, N = 360, 640, 30, 40
STRIDE = 4  # analysis at 7.5 fps


def _source(path: Path) -> Path:
    with video.H264Writer(path, width_px=W, height_px=H, fps=FPS, crf=18) as w:
        for k in range(N):
            w.write(np.full((H, W, 3), 60 + k, np.uint8))
    return path


def _pose(n_analysed: int) -> PoseSequence:
    xy = np.full((n_analysed, 33, 2), np.nan)
    # Shoulders (11, 12) and hips (23, 24): a trunk rectangle in the middle of the frame.
    xy[:, 11], xy[:, 12], xy[:, 23], xy[:, 24] = (140, 250), (220, 250), (150, 400), (210, 400)
    detected = np.ones(n_analysed, bool)
    detected[-1] = False  # the last analysed frame (and the frames held after it) has nobody
    return PoseSequence(
        frame_index=np.arange(0, N, STRIDE),
        time_s=np.arange(0, N, STRIDE) / FPS,
        world_xyz_m=np.zeros((n_analysed, 33, 3)),
        image_xy_px=xy,
        visibility=np.ones((n_analysed, 33)),
        detected=detected,
        source_fps=FPS,
        analysis_fps=FPS / STRIDE,
        model="test",
        frame_size_px=(W, H),
    )


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overlay")
    info = video.probe(_source(tmp / "src.mp4"))
    n = -(-N // STRIDE)
    pose = _pose(n)
    scores = {"reba_score": np.full(n, 11.0), "rula_score": np.full(n, 7.0), "reba_trunk": np.full(n, 5.0)}
    angles = {"trunk_flexion_deg": np.full(n, 61.0)}
    out = overlay.write_annotated_video(
        info, pose, scores, angles, tmp / "out.mp4", language="en", max_side_px=640
    )
    return info, out


def test_every_source_frame_at_source_fps(annotated):
    _, out = annotated
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        assert float(s.average_rate) == pytest.approx(FPS)
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
    assert len(frames) == N
    assert frames[0].shape == (H, W, 3)
    # +faststart: the index (moov) precedes the media data, so a browser can start playing at once.
    head = out.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head


def test_skeleton_coloured_by_part_score_and_held_between_analysed_frames(annotated):
    _, out = annotated
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in c.decode(video=0)]
    for k in (0, 1, 2, 3, 5, 30):  # analysed frames 0, 4, 28 and the frames that hold their pose
        r, g, b = frames[k][250, 180]  # middle of the shoulder line: trunk score 5 of 5 -> red
        assert r > 180 and g < 90, (k, r, g, b)
    # The last analysed frame has nobody: no skeleton on it or on the frames held after it.
    assert abs(frames[N - 1][250, 180] - (60 + N - 1)).max() < 25
    # Timeline strip: REBA 11 everywhere -> red along the bottom edge.
    r, g, _ = frames[10][H - 5, 40]
    assert r > 180 and g < 90


def test_panel_rendered_once_per_distinct_content():
    panel.render_panel.cache_clear()
    lines = (("REBA 7", (255, 0, 40)), ("Trunk 23°", (235, 235, 235)))
    a = panel.render_panel(lines, 20)
    b = panel.render_panel(lines, 20)
    assert a is b and not a.flags.writeable
    assert a.shape[0] == 2 * panel.line_pitch_px(20) + 10
    # The red line's text is red, the grey line's text grey, on the dark background.
    top, bottom = a[: panel.line_pitch_px(20) + 5], a[panel.line_pitch_px(20) + 5 :]
    assert (top[..., 0] > 200).any() and not (top[..., 1] > 200).any()
    assert (bottom > 200).all(axis=-1).any()
    assert tuple(a[0, 0]) == panel.PANEL_RGB


def test_output_size_is_even_and_bounded():
    from ergopipe.types import VideoInfo

    info = VideoInfo(
        path="x",
        width_px=1081,
        height_px=1921,
        fps=30,
        n_frames=1,
        duration_s=1,
        rotation_deg=0,
        codec="h264",
        size_bytes=1,
    )
    w, h = overlay.output_size_px(info, 960)
    assert w % 2 == 0 and h % 2 == 0 and max(w, h) <= 960 and h == 960
