"""The hot-folder flow end to end through googleapiclient + httplib2 against the fake Drive (TLS)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from drive.hotfolder import run_drive_job
from drive.job import DriveJob
from tests.drive.drive_testkit import FakeAnalyze, video_bytes
from tests.drive.fake_drive import FakeDrive

VIDEO = video_bytes()


def put_video(fake: FakeDrive, tree: dict[str, str], name: str = "montaz linka 3.mp4", **extra) -> str:
    return fake.add(name, [tree["processing"]], mime="video/mp4", content=VIDEO, video_ms=12_000, **extra)


def run(fake, settings, backoff, tmp_path, file_id, analyze=None, job_id="job-1", log_lines=None):
    analyze = analyze or FakeAnalyze()
    work = tmp_path / f"work-{job_id}-{len(analyze.calls)}"
    return run_drive_job(DriveJob.from_input({"file_id": file_id}), settings=settings, analyze=analyze,
                         job_id=job_id, work_dir=work, log_lines=log_lines, backoff=backoff), analyze


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def assert_complete(fake: FakeDrive, tree: dict[str, str], result: dict, file_id: str, tmp_path: Path) -> None:
    """Success: outputs in one result folder (content intact), original archived intact, one log."""
    assert result["status"] == "success", result
    drive = result["drive"]
    assert fake.files[file_id]["parents"] == [tree["archive"]]
    assert fake.content[file_id] == VIDEO  # the original is never altered
    assert drive["archived_file_id"] == file_id
    folders = fake.children(tree["completed"])
    assert [f["name"] for f in folders] == ["montaz linka 3"]
    assert drive["result_folder_id"] == folders[0]["id"]
    in_folder = fake.children(folders[0]["id"])
    kinds = sorted(f["appProperties"]["ergopipe_kind"] for f in in_folder)
    assert kinds == ["csv", "json", "manifest", "png", "video", "xlsx"]  # exactly one of each
    listed = {f["id"] for f in drive["files"]}
    assert listed == {f["id"] for f in in_folder if f["appProperties"]["ergopipe_kind"] != "manifest"}
    for f in in_folder:
        assert f["appProperties"]["ergopipe_source"] == file_id
    video_out = next(f for f in in_folder if f["appProperties"]["ergopipe_kind"] == "video")
    assert fake.content[video_out["id"]] == VIDEO[::-1][:600_000]
    assert video_out["mimeType"] == "video/mp4"
    logs = fake.children(tree["logs"])
    assert drive["log_file_id"] in {f["id"] for f in logs}
    assert result["outputs"]["xlsx"].startswith("https://drive.google.com/file/d/")


def test_success_flow(fake, tree, settings, backoff, sleeps, tmp_path):
    file_id = put_video(fake, tree)
    result, analyze = run(fake, settings, backoff, tmp_path, file_id, log_lines=lambda: "pose: 100 frames\n")
    assert_complete(fake, tree, result, file_id, tmp_path)
    assert len(analyze.calls) == 1 and analyze.calls[0].read_bytes() == VIDEO
    assert result["summary"] == {"reba": {"max_score": 7}} and result["job_id"] == "job-1"
    log = fake.files[result["drive"]["log_file_id"]]
    assert log["name"] == "montaz linka 3_job-1.log"
    text = fake.content[log["id"]].decode()
    assert "pose: 100 frames" in text and "outcome: success" in text
    assert sleeps == []  # no fault, no retry
