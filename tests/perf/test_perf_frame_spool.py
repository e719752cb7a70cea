"""The annotated video's frame spool: pictures identical to a second decode, a complete spool decodes nothing,
and every way the spool can fall short (budget, gap, truncated file, full disk) decodes exactly the rest."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ergopipe import frame_spool, pose, video
from ergopipe.frame_spool import FrameSpoolWriter, iter_video_pictures, spool_frame_limit

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"
SIZE = (540, 960)  # the annotated video's size for the 1080x1920 clip


def _spool(info, tmp_path, segments, size=SIZE):
    """Write the spool the way pose segments do: [(segment number, first, stop or None, limit)]."""
    for number, first, stop, limit in segments:
        writer = FrameSpoolWriter(tmp_path, number, first, size, limit)
        for index, _, decoded in video.iter_decoded(info, start=first, stop=stop):
            if writer.wants(index):
                writer.add(index, video.display_i420(decoded, info, size))
        if stop is None:
            writer.reached_end()
        writer.close()


@pytest.fixture(scope="module")
def decoded_frames():
    info = video.probe(CLIP)
    return info, {k: video.display_i420(f, info, SIZE) for k, _, f in video.iter_decoded(info)}


def _decoding_counter(monkeypatch):
    """Record the start of every decode the video pass falls back to."""
    starts = []
    real = frame_spool.iter_decoded

    def counting(info, **kw):
        starts.append(kw.get("start", 0))
        return real(info, **kw)

    monkeypatch.setattr(frame_spool, "iter_decoded", counting)
    return starts


def test_complete_spool_gives_the_decoded_pictures_and_decodes_nothing(tmp_path, decoded_frames, monkeypatch):
    info, ref = decoded_frames
    _spool(info, tmp_path, [(0, 0, 60, 60), (1, 60, None, None)])
    starts = _decoding_counter(monkeypatch)
    got = list(iter_video_pictures(info, tmp_path, SIZE))
    assert [k for k, _ in got] == list(range(100))
    assert all(np.array_equal(picture, ref[k]) and picture.flags.writeable for k, picture in got)
    assert starts == []


@pytest.mark.parametrize(
    "segments, decoded_from",
    [
        ([(0, 0, None, 40)], 40),  # the budget ended the spool at frame 40
        ([(0, 0, 50, 50), (1, 70, None, None)], 50),  # a gap (a segment that spooled nothing before 70)
        ([(0, 30, None, None)], 0),  # no spool of the first frames: everything decoded
    ],
)
def test_spool_falls_short_and_the_rest_is_decoded(tmp_path, decoded_frames, monkeypatch, segments, decoded_from):
    info, ref = decoded_frames
    _spool(info, tmp_path, segments)
    starts = _decoding_counter(monkeypatch)
    got = list(iter_video_pictures(info, tmp_path, SIZE))
    assert [k for k, _ in got] == list(range(100))
    assert all(np.array_equal(picture, ref[k]) and picture.flags.writeable for k, picture in got)
    assert starts == [decoded_from]


def test_truncated_spool_file_is_used_up_to_its_last_whole_picture(tmp_path, decoded_frames, monkeypatch):
    info, ref = decoded_frames
    _spool(info, tmp_path, [(0, 0, None, None)])
    data = tmp_path / "video-0.i420"
    with open(data, "r+b") as f:  # as if the disk filled after 25.5 pictures
        f.truncate(frame_spool.frame_bytes(SIZE) * 51 // 2)
    starts = _decoding_counter(monkeypatch)
    got = list(iter_video_pictures(info, tmp_path, SIZE))
    assert [k for k, _ in got] == list(range(100))
    assert all(np.array_equal(picture, ref[k]) and picture.flags.writeable for k, picture in got)
    assert starts == [25]


def test_odd_sizes_are_refused_with_a_pointer_to_the_fix(decoded_frames):
    info, _ = decoded_frames
    with pytest.raises(ValueError, match="even sides"):
        next(iter_video_pictures(info, None, (541, 960)))


def test_write_error_stops_the_spool_quietly(tmp_path, caplog):
    writer = FrameSpoolWriter(tmp_path, 0, 0, SIZE, None)
    picture = np.zeros((SIZE[1] * 3 // 2, SIZE[0]), np.uint8)
    writer.add(0, picture)

    class FullDisk:
        def write(self, _):
            raise OSError(28, "No space left on device")

        def close(self):
            pass

    writer._file.close()
    writer._file = FullDisk()
    writer.add(1, picture)
    assert not writer.wants(2) and writer.count == 1
    writer.reached_end()
    writer.close()
    assert "frame spool stopped at frame 1" in caplog.text
    assert '"count": 1' in (tmp_path / "video-0.json").read_text()
    assert '"to_end": false' in (tmp_path / "video-0.json").read_text()


def test_writer_refuses_gaps_and_wrong_shapes(tmp_path):
    writer = FrameSpoolWriter(tmp_path, 0, 10, (4, 2), None)
    writer.add(10, np.zeros((3, 4), np.uint8))
    writer.add(12, np.zeros((3, 4), np.uint8))  # 11 is missing: the spool ends at 11
    writer.add(11, np.zeros((3, 4), np.uint8))
    assert writer.count == 1
    other = FrameSpoolWriter(tmp_path, 1, 0, (4, 2), None)
    other.add(0, np.zeros((2, 4), np.uint8))  # not (h * 3/2, w)
    assert other.count == 0


def test_budget_sets_the_frame_limit(tmp_path):
    info = video.probe(CLIP)  # 100 frames; one 540x960 picture is 0.74 MiB
    assert spool_frame_limit(info, SIZE, tmp_path, 4096) is None  # all frames, to the real end
    assert spool_frame_limit(info, SIZE, tmp_path, 30) == int(30 * 2**20 // frame_spool.frame_bytes(SIZE))
    assert spool_frame_limit(info, SIZE, tmp_path, 0) == 0
    assert spool_frame_limit(info, (541, 960), tmp_path, 4096) == 0  # I420 needs even sides


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_pictures_convert_like_rotated_rgb(rotation):
    info = video.probe(CLIP)
    w, h = (540, 960) if rotation in (0, 180) else (960, 540)
    shown = type(info)(**{**info.__dict__, "rotation_deg": rotation,
                          "width_px": 1080 if rotation in (0, 180) else 1920,
                          "height_px": 1920 if rotation in (0, 180) else 1080})
    _, _, decoded = next(video.iter_decoded(shown, start=10))
    picture = video.display_i420(decoded, shown, (w, h))
    assert picture.shape == (h * 3 // 2, w)
    assert np.array_equal(video.i420_to_rgb(picture), video.display_rgb(decoded, shown, (w, h)))


@pytest.mark.slow
def test_pose_segments_spool_every_source_frame_once(tmp_path, decoded_frames, monkeypatch):
    """Two segments with a stride: the annotated video's pictures cover every source frame (not only the
    analysed ones), without the warm-up frames, and equal a second decode."""
    info, ref = decoded_frames
    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 10)
    seq = pose.estimate(info, stride=3, workers=2, spool_dir=tmp_path, video_spool=(SIZE, None))
    assert seq.n_frames == 34
    starts = _decoding_counter(monkeypatch)
    got = list(iter_video_pictures(info, tmp_path, SIZE))
    assert [k for k, _ in got] == list(range(100)) and starts == []
    assert all(np.array_equal(picture, ref[k]) for k, picture in got)


def test_a_spool_that_cannot_be_opened_is_skipped_not_fatal(tmp_path, caplog):
    info = video.probe(CLIP)
    (seg,) = pose.plan_segments(info, stride=1, workers=1)
    missing = tmp_path / "gone"  # the temporary directory vanished (or the disk refused the file)
    seg = replace(seg, spool_dir=str(missing), video_size_px=SIZE, video_limit=None)
    assert pose._frame_spool(seg) is None
    assert "frame spool not started" in caplog.text
