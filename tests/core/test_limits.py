"""Too long, too large and zero-frame videos are refused with the limit and what to do, before pose runs."""

from pathlib import Path

import av
import pytest

import handler
from ergopipe.config import Settings
from ergopipe.errors import VideoError
from ergopipe.video import probe

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"


@pytest.mark.parametrize("env, message", [
    ({"MAX_VIDEO_DURATION_S": "1"}, "lasts 0.0 min; the limit is 0.0 min. Split the video or raise MAX_VIDEO_DURATION_S"),
    ({"MAX_VIDEO_BYTES": "100000"}, "is 0 MB; the limit is 0 MB. Trim the video or raise MAX_VIDEO_BYTES"),
])
def test_limits(env, message, tmp_path):
    result = handler.Worker(Settings.from_env(env))(
        {"id": "l", "input": {"video_path": str(CLIP), "output_dir": str(tmp_path)}})
    assert result["error_code"] == "bad_video"
    assert message in result["error"]
    assert not list(tmp_path.iterdir())  # refused before any output was written


def test_zero_frame_video(tmp_path):
    path = tmp_path / "zero.mp4"
    with open(path, "wb") as f, av.open(f, "w", format="mp4") as c:
        s = c.add_stream("libx264", rate=25)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        c.start_encoding()  # header written, no frame ever encoded
    assert path.stat().st_size > 0
    with pytest.raises(VideoError, match="0 frames|not a readable video|no video stream"):
        probe(path)
