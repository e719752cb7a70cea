"""The job input schema: every bad input gets a clear message naming the key, before any download."""

from pathlib import Path

import pytest

from ergopipe.config import Settings
from ergopipe.errors import InputError
from ergopipe.jobinput import parse_job

LOCAL = Settings.from_env({})
CLOUD = Settings.from_env({"RUNPOD_WEBHOOK_GET_JOB": "https://api.runpod.ai/v2/x/job-take"})
FILE_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz_-0123"


def test_local_path_job_with_options():
    req = parse_job({"video_path": "a.mp4", "output_dir": "out", "methods": ["REBA", "rula"],
                     "analysis_fps": 15, "language": "en", "workers": 2}, LOCAL)
    assert req.source == "path" and req.video_path == Path("a.mp4") and req.output_dir == Path("out")
    assert req.options.methods == ("reba", "rula")
    assert req.options.analysis_fps == 15.0 and req.options.language == "en" and req.options.workers == 2
    assert req.options.face_blur is True


def test_drive_job():
    req = parse_job({"file_id": FILE_ID, "file_name": "weld.mp4", "folders": {"archive": FILE_ID}}, CLOUD)
    assert req.source == "drive" and req.file_id == FILE_ID and req.folders == {"archive": FILE_ID}
    assert req.options.language == "cs"  # the worker default


@pytest.mark.parametrize("inp, message", [
    ({"file_id": FILE_ID, "metods": ["reba"]}, "'metods' (did you mean 'methods'?)"),
    ({}, "exactly one video source"),
    ({"file_id": FILE_ID, "video_url": "https://x.org/a.mp4"}, "exactly one video source"),
    ({"file_id": "abc"}, "'file_id' must be a Google Drive ID"),
    ({"file_id": "../../etc/passwd"}, "'file_id' must be a Google Drive ID"),
    ({"video_url": "ftp://x.org/a.mp4"}, "http:// or https://"),
    ({"file_id": FILE_ID, "methods": ["reba", "niosh"]}, "'methods' must list"),
    ({"file_id": FILE_ID, "methods": "reba"}, "'methods' must be a list"),
    ({"file_id": FILE_ID, "analysis_fps": 0}, "'analysis_fps' must be > 0"),
    ({"file_id": FILE_ID, "analysis_fps": "fast"}, "'analysis_fps' must be a number"),
    ({"file_id": FILE_ID, "workers": True}, "'workers' must be a whole number"),
    ({"file_id": FILE_ID, "language": "de"}, "'language' must be one of cs, en"),
    ({"file_id": FILE_ID, "smplx": "yes"}, "'smplx' must be one of auto, on, off"),
    ({"file_id": FILE_ID, "face_blur": "no"}, "'face_blur' must be true or false"),
    ({"file_id": FILE_ID, "camera_pitch_deg": 80}, "between -60 and 60"),
    ({"file_id": FILE_ID, "folders": {"inbox": FILE_ID}}, "Unknown key 'folders.inbox'"),
    ({"file_id": FILE_ID, "task": [1]}, "'task' must be an object"),
])
def test_bad_inputs_are_named(inp, message):
    with pytest.raises(InputError) as err:
        parse_job(inp, CLOUD)
    assert message in str(err.value)


def test_input_must_be_object():
    with pytest.raises(InputError, match="must be a JSON object"):
        parse_job(["file_id"], CLOUD)


def test_video_path_refused_in_production_without_allowed_root():
    with pytest.raises(InputError, match="not accepted by this worker"):
        parse_job({"video_path": "/etc/passwd"}, CLOUD)
    with pytest.raises(InputError, match="only available in local runs"):
        parse_job({"file_id": FILE_ID, "output_dir": "/tmp/x"}, CLOUD)


def test_video_path_under_allowed_root(tmp_path):
    settings = Settings.from_env({"RUNPOD_WEBHOOK_GET_JOB": "x", "ALLOWED_VIDEO_ROOT": str(tmp_path)})
    assert parse_job({"video_path": "sub/a.mp4"}, settings).video_path == (tmp_path / "sub/a.mp4").resolve()
    with pytest.raises(InputError, match="must lie under"):
        parse_job({"video_path": "../outside.mp4"}, settings)
    with pytest.raises(InputError, match="must lie under"):
        parse_job({"video_path": "/etc/passwd"}, settings)


def test_settings_from_env_validates():
    s = Settings.from_env({"ERGO_LANGUAGE": "EN", "MAX_VIDEO_DURATION_S": "60", "ERGO_WORKERS": "3"})
    assert s.local_mode and s.default_language == "en" and s.max_video_duration_s == 60
    assert s.default_workers == 3
    with pytest.raises(InputError, match="ERGO_LANGUAGE"):
        Settings.from_env({"ERGO_LANGUAGE": "fr"})
    with pytest.raises(InputError, match="MAX_VIDEO_BYTES"):
        Settings.from_env({"MAX_VIDEO_BYTES": "lots"})
