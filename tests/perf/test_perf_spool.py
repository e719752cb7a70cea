"""The pose stage's picture spool: every analysed frame once (also across parallel segments), pictures that
match the decoded frame, and workbook thumbnails taken from it instead of decoding the video again."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ergopipe import pose, spool, video
from ergopipe.report import thumbnails as thumbs_mod
from ergopipe.report.thumbnails import Wanted, thumbnails

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


def test_spool_round_trip_keeps_picture_and_aspect(tmp_path):
    y, x = np.mgrid[0:960, 0:540]
    frames = {k: np.dstack([x * 255 // 540, y * 255 // 960, np.full_like(x, 40 * k)]).astype(np.uint8)
              for k in (3, 7)}
    writer = spool.SpoolWriter(tmp_path, 0)
    for k, rgb in frames.items():
        writer.add(k, rgb)
    writer.close()
    got = spool.read_spooled(tmp_path, [7, 3, 99])
    assert sorted(got) == [3, 7]  # 99 was never spooled
    for k, rgb in frames.items():
        assert got[k].shape == (240, 135, 3)
        small = np.asarray(Image.fromarray(rgb).resize((135, 240), Image.BOX), dtype=float)
        assert np.abs(got[k].astype(float) - small).mean() < 2
    assert spool.read_spooled(None, [3]) == {}


@pytest.mark.slow
def test_pose_stage_spools_every_analysed_frame_once_across_segments(tmp_path, monkeypatch):
    info = video.probe(CLIP)
    monkeypatch.setattr(pose, "MIN_FRAMES_PER_WORKER", 10)
    seq = pose.estimate(info, stride=3, workers=2, spool_dir=tmp_path)
    index = np.concatenate([np.load(p) for p in sorted(tmp_path.glob("frames-*.npy"))])
    assert len(list(tmp_path.glob("frames-*.jpg"))) == 2
    assert sorted(index[:, 0].tolist()) == seq.frame_index.tolist()  # warm-up frames are not spooled
    got = spool.read_spooled(tmp_path, [0, 51, 99])
    decoded = {f.index: f.rgb for f in video.iter_frames(info, size_px=(540, 960)) if f.index in (0, 51, 99)}
    for k, rgb in got.items():
        ref = np.asarray(Image.fromarray(decoded[k]).resize(rgb.shape[1::-1], Image.BOX), dtype=float)
        assert np.abs(rgb.astype(float) - ref).mean() < 4


@pytest.mark.parametrize("face_blur", [False, True])
def test_thumbnails_from_the_spool_match_decoded_ones_and_skip_decoding(tmp_path, monkeypatch, face_blur):
    info = video.probe(CLIP)
    writer = spool.SpoolWriter(tmp_path, 0)
    for frame in video.iter_frames(info, size_px=(540, 960)):
        if frame.index in (10, 57):
            writer.add(frame.index, frame.rgb)
    writer.close()
    head = np.linspace([500.0, 900.0], [570.0, 1180.0], 11)  # source pixels, mid-frame
    wanted = [Wanted(k, k / info.fps, head) for k in (10, 57, 80)]
    decoded_alone = thumbnails(info, wanted, face_blur=face_blur)

    asked = []
    real_grab = thumbs_mod.grab_frames
    monkeypatch.setattr(thumbs_mod, "grab_frames", lambda i, w: asked.append([x.frame_index for x in w])
                        or real_grab(i, w))
    from_spool = thumbnails(info, wanted, face_blur=face_blur, spool_dir=tmp_path)
    assert asked == [[80]]  # only the frame the spool lacks is decoded
    assert sorted(from_spool) == [10, 57, 80]
    sharp = thumbnails(info, wanted, face_blur=False)
    # The pixelated box in thumbnail pixels (source / 8): head 500-570 x 900-1180 plus 0.9 x its size.
    inner = (slice(900 // 8, 1180 // 8), slice(500 // 8, 570 // 8))
    outer = np.ones((240, 135), bool)
    outer[588 // 8 - 10 : 1440 // 8 + 10, 240 // 8 - 10 : 830 // 8 + 10] = False  # + the 8 px minimum pad
    for k in (10, 57):
        a, b, c = (np.asarray(Image.open(io.BytesIO(t[k])), dtype=float) for t in (from_spool, decoded_alone, sharp))
        assert a.shape == b.shape == c.shape == (240, 135, 3)
        assert np.abs(a - b)[outer].mean() < 6  # the same picture away from the face (measured ~4)
        if face_blur:  # both pixelated where the head is: far less detail there than in the sharp picture
            detail = [np.abs(np.diff(img[inner], axis=1)).mean() for img in (a, b, c)]
            assert detail[0] < 0.6 * detail[2] and detail[1] < 0.6 * detail[2], detail
        else:
            assert np.abs(a - b).mean() < 6
