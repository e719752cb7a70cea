"""Video I/O on the bundled real clip and on generated files: probe, stream, rotation, H.264 round trip."""

from pathlib import Path

import av
import numpy as np
import pytest

from ergopipe import video
from ergopipe.errors import VideoError

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


def test_probe_real_clip():
    info = video.probe(CLIP)
    assert (info.width_px, info.height_px) == (1080, 1920)
    assert info.fps == pytest.approx(60.0)
    assert info.n_frames == 100
    assert info.duration_s == pytest.approx(100 / 60, abs=0.02)
    assert info.rotation_deg == 0 and info.codec == "h264"


def test_iter_frames_streams_with_stride():
    info = video.probe(CLIP)
    frames = list(video.iter_frames(info, stride=7, start=3, stop=40))
    assert [f.index for f in frames] == list(range(3, 40, 7))
    assert frames[0].rgb.shape == (1920, 1080, 3) and frames[0].rgb.dtype == np.uint8
    assert frames[1].time_s == pytest.approx(10 / 60, abs=1e-3)


@pytest.mark.parametrize("display_deg, clockwise", [(0, 0), (-90, 90), (90, 270), (180, 180), (-180, 180)])
def test_clockwise_rotation_from_display_matrix(display_deg, clockwise):
    assert video.clockwise_rotation_deg(display_deg) == clockwise


def test_rotate_frame_clockwise():
    img = np.zeros((2, 3, 3), np.uint8)
    img[0, 0] = 255  # top-left marker
    rotated = video.rotate_frame(img, 90)
    assert rotated.shape == (3, 2, 3)
    assert rotated[0, -1, 0] == 255  # top-left goes to top-right after a clockwise quarter turn
    assert video.rotate_frame(img, 0) is img


def test_stride_for_analysis_fps():
    info = video.probe(CLIP)
    assert video.stride_for(info, None) == 1
    assert video.stride_for(info, 15) == 4
    assert video.stride_for(info, 120) == 1


def test_writer_round_trip_h264(tmp_path):
    out = tmp_path / "x.mp4"
    with video.H264Writer(out, width_px=65, height_px=49, fps=25) as w:
        for k in range(12):
            w.write(np.full((49, 65, 3), k * 20, np.uint8))
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264"
        assert (s.width, s.height) == (64, 48)
        assert float(s.average_rate) == pytest.approx(25)
        assert sum(1 for _ in c.decode(s)) == 12


def test_not_a_video(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_text("this is a text file, not a video\n" * 20)
    with pytest.raises(VideoError, match="not a readable video"):
        video.probe(bad)


def test_empty_and_missing(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(VideoError, match="empty"):
        video.probe(empty)
    with pytest.raises(VideoError, match="not found"):
        video.probe(tmp_path / "nope.mp4")


def test_truncated_clip_is_an_error_or_decodes_partially(tmp_path):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(CLIP.read_bytes()[: 60_000])
    try:
        info = video.probe(cut)
    except VideoError as err:  # moov atom missing: cannot be opened at all
        assert "corrupt or truncated" in str(err)
    else:
        assert sum(1 for _ in video.iter_frames(info)) < 100


def test_audio_only_file_is_not_a_video(tmp_path):
    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=8000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        frame.sample_rate = 8000
        for packet in s.encode(frame):
            c.mux(packet)
        for packet in s.encode():
            c.mux(packet)
    with pytest.raises(VideoError, match="no video stream"):
        video.probe(path)
