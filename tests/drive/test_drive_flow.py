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
    return run_drive_job(
        DriveJob.from_input({"file_id": file_id}),
        settings=settings,
        analyze=analyze,
        job_id=job_id,
        work_dir=work,
        log_lines=log_lines,
        backoff=backoff,
    ), analyze


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def assert_complete(
    fake: FakeDrive, tree: dict[str, str], result: dict, file_id: str, tmp_path: Path
) -> None:
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
    api_calls = [(m, p) for m, p in fake.requests if m != "PUT" and "generateIds" not in p and p != "/token"]
    assert api_calls and all("supportsAllDrives=true" in p for _, p in api_calls)


def test_rerun_same_job_reuses_everything(fake, tree, settings, backoff, tmp_path):
    """A job that runs twice (RunPod retry) after the original went back to processing: no second copies."""
    file_id = put_video(fake, tree)
    first, _ = run(fake, settings, backoff, tmp_path, file_id)
    ids_before = {f["id"] for f in fake.files.values()}
    fake.files[file_id]["parents"] = [tree["processing"]]  # e.g. moved back by hand for a re-analysis
    second, analyze = run(fake, settings, backoff, tmp_path, file_id)
    assert len(analyze.calls) == 1  # not archived, so it is analysed again ...
    assert_complete(fake, tree, second, file_id, tmp_path)
    assert {f["id"] for f in fake.files.values()} == ids_before  # ... and every file is reused
    assert second["drive"]["files"] == first["drive"]["files"]


def test_rerun_with_changed_outputs_replaces_in_place(fake, tree, settings, backoff, tmp_path):
    file_id = put_video(fake, tree)
    first, _ = run(fake, settings, backoff, tmp_path, file_id, FakeAnalyze("a"))
    fake.files[file_id]["parents"] = [tree["processing"]]
    second, _ = run(fake, settings, backoff, tmp_path, file_id, FakeAnalyze("b"), job_id="job-2")
    assert_complete(fake, tree, second, file_id, tmp_path)
    by_kind = {f["kind"]: f["id"] for f in second["drive"]["files"]}
    assert by_kind == {f["kind"]: f["id"] for f in first["drive"]["files"]}  # same IDs, links stay valid
    assert fake.content[by_kind["json"]] == b'{"variant": "b"}'
    assert fake.files[by_kind["json"]]["appProperties"]["ergopipe_job"] == "job-2"
    assert len(fake.children(tree["logs"])) == 2  # one log per job


def test_archived_with_complete_results_is_not_analysed_again(fake, tree, settings, backoff, tmp_path):
    file_id = put_video(fake, tree)
    first, _ = run(fake, settings, backoff, tmp_path, file_id)
    count = len(fake.files)
    media = ("GET", f"/drive/v3/files/{file_id}?supportsAllDrives=true&alt=media")
    downloads = fake.requests.count(media)
    second, analyze = run(fake, settings, backoff, tmp_path, file_id, job_id="job-again")
    assert analyze.calls == []
    assert second["status"] == "success" and second["summary"] == first["summary"]
    assert second["reused_from_job"] == "job-1" and second["drive"]["reused"] is True
    assert second["drive"]["files"] == first["drive"]["files"]
    assert len(fake.files) == count + 1  # only the new job's log
    assert fake.requests.count(media) == downloads  # not even downloaded


def test_archived_but_results_incomplete_is_analysed_again(fake, tree, settings, backoff, tmp_path):
    file_id = put_video(fake, tree)
    first, _ = run(fake, settings, backoff, tmp_path, file_id)
    lost = first["drive"]["files"][0]["id"]
    fake.files[lost]["trashed"] = True  # the user deleted the report
    second, analyze = run(fake, settings, backoff, tmp_path, file_id, job_id="job-2")
    assert len(analyze.calls) == 1
    assert_complete(fake, tree, second, file_id, tmp_path)


@pytest.mark.parametrize(
    "op,action,skip,times",
    [
        ("get", "429", 0, 2),
        ("get", "503", 0, 1),
        ("list", "500", 0, 1),
        ("list", "403rate", 0, 1),
        ("generate_ids", "503", 0, 1),
        ("media", "500", 1, 1),
        ("media", "cut", 1, 1),  # connection dropped in the middle of the 2nd download chunk
        ("media", "drop", 0, 2),  # dropped before the answer twice (httplib2 re-sends once by itself)
        ("upload_init", "503", 0, 1),
        ("upload_chunk", "500", 1, 1),
        ("upload_chunk", "503", 0, 2),
        ("upload_chunk", "cut", 1, 2),  # connection dropped mid-upload (half the chunk arrived), twice
        ("upload_chunk", "drop_after", 2, 2),  # last chunk stored, answer lost twice
        ("create", "drop_after", 0, 1),  # folder created, answer lost: httplib2 re-sends the create
        ("create", "drop_after", 0, 2),  # ... and the re-send's answer is lost too
        ("update", "429", 0, 1),
    ],
)
def test_faults_are_survived_without_loss_or_duplicates(
    fake, tree, settings, backoff, sleeps, tmp_path, op, action, skip, times
):
    file_id = put_video(fake, tree)
    fake.inject(op, action, skip=skip, times=times)
    result, _ = run(fake, settings, backoff, tmp_path, file_id)
    assert_complete(fake, tree, result, file_id, tmp_path)
    assert all(f.times == 0 for f in fake.faults), "the fault was never triggered"
    assert len(fake.files) == 7 + 5 + 1 + 1 + 1  # tree+video, 5 outputs, manifest, result folder, log
    if action != "drop_after" and not (action == "drop" and times < 2):
        assert sleeps, "a visible fault must go through the backoff"
    assert all(0 < s <= 32 for s in sleeps)


def test_expired_access_token_is_refreshed_and_written_back(fake, tree, settings, backoff, tmp_path, volume):
    import json

    fake.valid_tokens.clear()  # the stored access token was revoked/expired server-side: 401, then refresh
    file_id = put_video(fake, tree)
    result, _ = run(fake, settings, backoff, tmp_path, file_id)
    assert_complete(fake, tree, result, file_id, tmp_path)
    stored = json.loads((volume / "token.json").read_text())
    assert stored["token"] in fake.valid_tokens
    assert stored["refresh_token"] == fake.refresh_token
    assert len(fake.token_requests) == 1
    assert [p.name for p in volume.iterdir() if p.name.endswith(".tmp")] == []


def test_default_job_log_has_the_drive_steps(fake, tree, settings, backoff, tmp_path):
    file_id = put_video(fake, tree)
    result, _ = run(fake, settings, backoff, tmp_path, file_id)  # no log_lines: the package's own records
    text = fake.content[result["drive"]["log_file_id"]].decode()
    assert (
        "downloaded montaz linka 3.mp4 (700000 bytes)" in text
        and "uploaded montaz linka 3_report.xlsx" in text
    )
