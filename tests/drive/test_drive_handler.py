"""The whole handler with a Drive `file_id` (and with `output_folder_id`) against the fake Drive server:
the real pipeline on the real clip, results in 03-completed, original archived, log written, re-run idempotent,
and no secret in any log line."""

import json
import logging
from pathlib import Path

import pytest

import handler
from drive.config import DriveSettings
from ergopipe.config import Settings
from tests.drive.drive_testkit import make_env

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"
pytestmark = pytest.mark.slow
CLOUD = {"RUNPOD_WEBHOOK_GET_JOB": "http://127.0.0.1:9/job-take"}


def _worker(fake, volume, tree, **extra):
    env = {**make_env(fake, volume, tree, **extra), **CLOUD}
    return handler.Worker(Settings.from_env(env), DriveSettings.from_env(env))


def test_file_id_job_end_to_end(fake, volume, tree, caplog):
    video_id = fake.add("Svařování linka 3.mp4", [tree["processing"]], mime="video/mp4",
                        content=CLIP.read_bytes(), video_ms=1667)
    fake.inject("download", "drop")  # a connection dropped mid-download must be survived
    worker = _worker(fake, volume, tree)
    job = {"id": "job-1", "input": {"file_id": video_id, "analysis_fps": 15, "language": "cs"}}
    with caplog.at_level(logging.DEBUG):
        result = worker(job)
    assert result.get("status") == "success", result
    drive = result["drive"]
    names = sorted(f["name"] for f in drive["files"])
    assert "Svařování linka 3_ergonomics.xlsx" in names and "Svařování linka 3_annotated.mp4" in names
    assert {f["kind"] for f in drive["files"]} >= {"xlsx", "video", "csv", "json"}
    assert video_id in {m["id"] for m in fake.children(tree["archive"])}
    assert not fake.children(tree["processing"])
    assert any(m["name"].endswith(".log") for m in fake.children(tree["logs"]))
    assert result["summary"]["reba"]["max_score"] >= 1

    # A re-run of the same job returns the stored result and writes nothing twice.
    n_files = len(fake.files)
    again = worker(job)
    assert again.get("status") == "success" and again["drive"]["result_folder_id"] == drive["result_folder_id"]
    completed = fake.children(drive["result_folder_id"])
    assert len({m["name"] for m in completed}) == len(completed)
    assert len(fake.files) <= n_files + 1  # at most a second log file

    token = json.loads((volume / "token.json").read_text())
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (token["token"], token["refresh_token"], token["client_secret"]):
        assert secret not in text and secret not in json.dumps(result)


def test_file_id_failure_returns_video_to_upload(fake, volume, tree):
    bad_id = fake.add("notes.mp4", [tree["processing"]], mime="video/mp4", content=b"not a video at all" * 100)
    result = _worker(fake, volume, tree)({"id": "job-2", "input": {"file_id": bad_id}})
    assert "not a readable video" in result["error"] and result["error_code"] == "bad_video"
    back = {m["id"]: m["name"] for m in fake.children(tree["upload"])}
    assert back.get(bad_id, "").startswith("FAILED - ")
    assert result["drive"]["log_file_id"]


def test_url_source_with_output_folder(fake, volume, tree, tmp_path):
    out_folder = fake.folder("results for integrator")
    worker = _worker(fake, volume, tree, ALLOWED_VIDEO_ROOT=str(CLIP.parent))
    inp = {"video_path": CLIP.name, "output_folder_id": out_folder, "analysis_fps": 10, "annotated_video": False}
    first = worker({"id": "j3", "input": inp})
    assert first.get("status") == "success", first
    second = worker({"id": "j4", "input": inp})
    assert second["drive"]["result_folder_id"] == first["drive"]["result_folder_id"]
    files = fake.children(first["drive"]["result_folder_id"])
    assert sorted(m["name"] for m in files) == sorted(f["name"] for f in first["drive"]["files"])
