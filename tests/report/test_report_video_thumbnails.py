"""Worst-moment pictures taken by the annotated-video pass match the ones decoded on their own (seeking),
are taken before anything is drawn, and the pipeline falls back to seeking when the video pass fails."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ergopipe import pipeline, video
from ergopipe.report import overlay
from ergopipe.report.thumbnails import Wanted, thumbnails
from ergopipe.types import PoseSequence

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"
WANTED_FRAMES = (10, 57, 99)


def _pose(info) -> PoseSequence:
    n = info.n_frames
    xy = np.tile(np.linspace([500.0, 900.0], [700.0, 1700.0], 33), (n, 1, 1))  # a column of points
    return PoseSequence(
        frame_index=np.arange(n),
        time_s=np.arange(n) / info.fps,
        world_xyz_m=np.zeros((n, 33, 3)),
        image_xy_px=xy,
        visibility=np.ones((n, 33)),
        detected=np.ones(n, bool),
        source_fps=info.fps,
        analysis_fps=info.fps,
        model="test",
        frame_size_px=(info.width_px, info.height_px),
    )


def _rgb(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("face_blur", [False, True])
def test_pictures_from_the_video_pass_match_pictures_decoded_on_their_own(tmp_path, face_blur):
    info = video.probe(CLIP)
    pose = _pose(info)
    wanted = [Wanted(k, k / info.fps, pose.image_xy_px[k, :11]) for k in WANTED_FRAMES]
    n = info.n_frames
    scores = {"reba_score": np.full(n, 11.0), "reba_trunk": np.full(n, 5.0)}
    taken: dict[int, bytes] = {}
    overlay.write_annotated_video(
        info, pose, scores, {}, tmp_path / "a.mp4", language="en", face_blur=face_blur,
        thumbnails_for=wanted, on_thumbnail=taken.__setitem__,
    )
    alone = thumbnails(info, wanted, face_blur=face_blur)
    assert sorted(taken) == sorted(alone) == list(WANTED_FRAMES)
    for k in WANTED_FRAMES:
        a, b = _rgb(taken[k]), _rgb(alone[k])
        assert a.shape == b.shape and max(a.shape[:2]) == 240
        # Same picture (scaled from the 540x960 decode instead of the full frame): a few grey levels apart,
        # and no score panel / skeleton drawn on it (those differ by far more in the top-left corner).
        assert np.abs(a - b).mean() < 4
        assert np.abs(a[:40, :60] - b[:40, :60]).mean() < 8


def test_workbook_pictures_fall_back_to_seeking_when_the_video_pass_failed():
    info = video.probe(CLIP)

    class FailedVideo:
        def wait(self):
            raise RuntimeError("encoder broke")

    wanted = [Wanted(k, k / info.fps, None) for k in WANTED_FRAMES]
    taken = {10: b"from the video pass"}
    pictures = pipeline._pictures_from(FailedVideo(), taken, info, wanted, face_blur=False)()
    assert pictures[10] == b"from the video pass"  # what the pass gave before failing is kept
    assert sorted(pictures) == list(WANTED_FRAMES) and pictures[57][:2] == b"\xff\xd8"  # JPEGs for the rest
