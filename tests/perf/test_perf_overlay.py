"""Annotated video: every source frame at the source fps when analysis ran at a lower rate, skeleton
coloured by part score, timeline strip, browser-playable H.264; the panel is rendered once per content."""

from pathlib import Path

import av
import numpy as np
import pytest

from ergopipe import video
from ergopipe.landmarks import SEGMENTS
from ergopipe.report import overlay, panel
from ergopipe.report.i18n import texts
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


def test_panel_lines_rendered_once_and_blended_where_they_belong():
    import cv2

    from ergopipe.report import yuv_draw

    panel.line_i420.cache_clear()
    lines = (("REBA 7", (255, 0, 40)), ("Trunk 23°", (235, 235, 235)))
    a = panel.line_i420(*lines[0], 20)
    assert panel.line_i420(*lines[0], 20) is a and not a.flags.writeable
    pitch, margin = panel.line_pitch_px(20), panel.margin_px(20)
    width, height = panel.panel_size_px(lines, 20)
    assert height == 2 * pitch + 2 * margin and width % 2 == 0 and pitch % 2 == 0 and margin % 2 == 0
    # Blended with alpha 1 onto a white frame: exactly the panel inside its box, the frame outside it.
    frame = cv2.cvtColor(np.full((160, 240, 3), 255, np.uint8), cv2.COLOR_RGB2YUV_I420)
    panel.blend_panel(yuv_draw.planes(frame), (8, 10), lines, 20, 1.0)
    rgb = cv2.cvtColor(frame, cv2.COLOR_YUV2RGB_I420).astype(int)
    box = rgb[10 : 10 + height, 8 : 8 + width]
    assert (rgb[:10] == 255).all() and (rgb[:, 8 + width :] >= 250).all() and (rgb[:, :8] >= 250).all()
    assert np.abs(box[0, 0] - panel.PANEL_RGB).max() <= 3 and np.abs(box[-1, -1] - panel.PANEL_RGB).max() <= 3
    # The red line's text is red, the grey line's text grey, each in its own row band.
    first, second = box[margin : margin + pitch], box[margin + pitch : margin + 2 * pitch]
    assert ((first[..., 0] > 200) & (first[..., 1] < 80)).any() and not (first[..., 1] > 200).any()
    assert (second > 200).all(axis=-1).any()


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


def test_risk_rgb_array_equals_risk_rgb_for_every_value():
    reba = panel.reba_fraction(np.arange(0.0, 16.0, 0.5))
    parts = [(s - 1.0) / (m - 1.0) for m in overlay.PART_MAX.values() for s in np.arange(0.0, m + 2.0)]
    fractions = np.concatenate([np.linspace(-0.5, 1.5, 2001), reba, parts, [np.nan, np.inf, -np.inf]])
    got = panel.risk_rgb_array(fractions)
    assert got.shape == (fractions.size, 3)
    assert [tuple(rgb) for rgb in got.tolist()] == [panel.risk_rgb(f) for f in fractions]


def test_vectorised_skeletons_equal_per_segment_drawing_state():
    """The skeleton computed for all analysed frames at once: the same pixel ends (truncated like int()) and
    colours (risk_rgb of each part score) as computed segment by segment, missing ends left out."""
    n = -(-N // STRIDE)
    pose = _pose(n)
    xy = pose.image_xy_px
    xy[:, 13], xy[:, 25] = (100.7, 320.2), (151.9, 480.5)  # left elbow, left knee
    xy[1, 24] = np.nan  # right hip missing on frame 1: its three segments and its joint go
    scores = {
        "reba_trunk": np.linspace(1.0, 5.0, n),
        "reba_upper_arm_left": np.r_[6.0, np.nan, np.full(n - 2, 2.0)],
    }
    scale_xy = np.array([0.5, 0.5])
    sk = overlay._skeletons(pose, scores, scale_xy)
    reba, rula = np.full(n, 4.0), np.full(n, 3.0)
    for i in range(n - 1):  # the last analysed frame has nobody
        ov = overlay._overlay_for(i, pose, sk, {}, reba, rula, 14, texts("en"))
        p = xy[i] * scale_xy
        expected = []
        for a, b, part in SEGMENTS:
            if not np.isfinite(p[[a, b]]).all():
                continue
            side, _, name = part.partition("_") if part.startswith(("left_", "right_")) else ("", "", part)
            key = f"reba_{name}_{side}" if side else f"reba_{name}"
            fraction = (scores[key][i] - 1.0) / (overlay.PART_MAX[name] - 1.0) if key in scores else np.nan
            ends = (int(p[a, 0]), int(p[a, 1])), (int(p[b, 0]), int(p[b, 1]))
            expected.append((*ends, panel.risk_rgb(fraction)))
        assert ov.segments == tuple(expected)
        assert ov.joints == tuple((int(x), int(y)) for x, y in p[11:29] if np.isfinite([x, y]).all())
        # Frame 1 lacks the right hip: 2 of the 6 segments and 1 of the 6 joints go.
        assert (len(ov.segments), len(ov.joints)) == ((4, 5) if i == 1 else (6, 6))
