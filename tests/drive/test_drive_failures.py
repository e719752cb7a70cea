"""Failure paths: the original is never lost, the log is written, the answer says what to do."""

from __future__ import annotations

import json
import logging

import pytest
import trustme
from cryptography.fernet import Fernet

from drive.config import DriveSettings
from drive.hotfolder import run_drive_job
from drive.job import DriveJob
from ergopipe.errors import InputError, NoPersonError
from tests.drive.drive_testkit import FakeAnalyze, make_env, token_info, video_bytes

VIDEO = video_bytes()


def put(fake, tree, name="lis.mp4", mime="video/mp4", video_ms=12_000, content=VIDEO):
    return fake.add(name, [tree["processing"]], mime=mime, content=content, video_ms=video_ms)


def run(settings, backoff, tmp_path, file_id, analyze=None, job_id="job-f", log_lines=None):
    analyze = analyze or FakeAnalyze()
    result = run_drive_job(
        DriveJob.from_input({"file_id": file_id}),
        settings=settings,
        analyze=analyze,
        job_id=job_id,
        work_dir=tmp_path / f"w-{job_id}",
        log_lines=log_lines,
        backoff=backoff,
    )
    return result, analyze


def assert_returned_to_upload(fake, tree, file_id, reason_part):
    meta = fake.files[file_id]
    assert meta["parents"] == [tree["upload"]]
    assert meta["name"].startswith("FAILED - ")
    assert reason_part in meta["description"]
    assert meta["appProperties"]["ergopipe_status"] == "failed"
    assert fake.content[file_id] == VIDEO or meta["mimeType"] != "video/mp4"


def log_text(fake, result):
    return fake.content[result["drive"]["log_file_id"]].decode()


def test_analysis_error_returns_original_with_reason_and_writes_log(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    err = NoPersonError("No person was found in the video; film the whole body of the worker.")
    result, _ = run(settings, backoff, tmp_path, file_id, FakeAnalyze(fail=err))
    assert set(result) == {"error", "error_code", "drive"} and result["error_code"] == "no_person"
    assert "film the whole body" in result["error"]
    assert_returned_to_upload(fake, tree, file_id, "film the whole body")
    assert fake.files[file_id]["name"] == "FAILED - lis.mp4"
    assert result["drive"]["restored_file_id"] == file_id
    assert "FAILED: No person" in log_text(fake, result)
    assert fake.files[result["drive"]["log_file_id"]]["parents"] == [tree["logs"]]


def test_upload_failure_lists_what_was_written(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    fake.inject("upload_chunk", "500", skip=4, times=5)  # one chunk fails 5 times: retries (4) exhausted
    result, _ = run(settings, backoff, tmp_path, file_id)
    assert "Try again in a few minutes" in result["error"]
    written = result["drive"]["files"]
    assert written and all(
        fake.files[f["id"]]["parents"] == [result["drive"]["result_folder_id"]] for f in written
    )
    assert_returned_to_upload(fake, tree, file_id, "HTTP 500")
    assert "log_file_id" in result["drive"]


def test_rerun_after_failure_succeeds_and_clears_failed_name(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    fake.files[file_id]["description"] = "Linka 3, ranní směna"
    run(settings, backoff, tmp_path, file_id, FakeAnalyze(fail=NoPersonError("nobody")))
    failed = fake.files[file_id]["description"]
    assert failed.startswith("ergopipe: job job-f failed: nobody") and failed.endswith(
        "\n\nLinka 3, ranní směna"
    )
    run(settings, backoff, tmp_path, file_id, FakeAnalyze(fail=NoPersonError("still nobody")), job_id="job-h")
    assert fake.files[file_id]["description"].count("ergopipe:") == 1
    result, _ = run(settings, backoff, tmp_path, file_id, job_id="job-g")
    assert result["status"] == "success"
    meta = fake.files[file_id]
    assert meta["name"] == "lis.mp4" and meta["parents"] == [tree["archive"]]
    assert meta["description"] == "Linka 3, ranní směna"  # the user's own text survives


def test_unexpected_exception_restores_then_reraises(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    with pytest.raises(ZeroDivisionError):
        run(settings, backoff, tmp_path, file_id, FakeAnalyze(fail=ZeroDivisionError("bug")))
    assert_returned_to_upload(fake, tree, file_id, "internal error")
    logs = fake.children(tree["logs"])
    assert len(logs) == 1 and "ZeroDivisionError" in fake.content[logs[0]["id"]].decode()


@pytest.mark.parametrize(
    "kwargs,env,expected",
    [
        ({"mime": "application/pdf", "name": "zprava.pdf"}, {}, "is not a video"),
        ({}, {"MAX_VIDEO_BYTES": "1000"}, "more than the"),
        ({"video_ms": 3_600_000}, {}, "lasts 3600 s"),
    ],
)
def test_rejected_before_download(fake, tree, volume, backoff, tmp_path, kwargs, env, expected):
    settings = DriveSettings.from_env(make_env(fake, volume, tree, **env))
    file_id = put(fake, tree, **kwargs)
    result, analyze = run(settings, backoff, tmp_path, file_id)
    assert expected in result["error"] and analyze.calls == []
    assert not any("alt=media" in path for _, path in fake.requests)
    assert_returned_to_upload(fake, tree, file_id, expected)


def test_file_not_found(fake, tree, settings, backoff, tmp_path):
    result, _ = run(settings, backoff, tmp_path, "doesNotExist123")
    assert "not found" in result["error"] and "shared with the authorized account" in result["error"]
    assert "restored_file_id" not in result["drive"]
    assert fake.files[result["drive"]["log_file_id"]]["name"] == "doesNotExist123_job-f.log"


def test_file_not_shared(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    fake.files[file_id]["forbidden"] = True
    result, _ = run(settings, backoff, tmp_path, file_id)
    assert "Share the file" in result["error"]


def test_missing_completed_folder_is_a_config_error(fake, tree, volume, backoff, tmp_path):
    settings = DriveSettings.from_env(
        make_env(fake, volume, {k: v for k, v in tree.items() if k != "completed"})
    )
    file_id = put(fake, tree)
    result, analyze = run(settings, backoff, tmp_path, file_id)
    assert "GOOGLE_DRIVE_FOLDER_COMPLETED" in result["error"] and analyze.calls == []
    assert_returned_to_upload(fake, tree, file_id, "GOOGLE_DRIVE_FOLDER_COMPLETED")


@pytest.mark.parametrize("file_id", ["short", "has space in it", "../../etc/passwd", 12345678901, "x" * 201])
def test_bad_file_id_is_rejected(file_id):
    with pytest.raises(InputError, match="Google Drive ID"):
        DriveJob.from_input({"file_id": file_id})


def test_revoked_refresh_token_says_how_to_reauthorize(fake, tree, volume, backoff, tmp_path):
    (volume / "token.json").write_text(json.dumps(token_info(fake, expires_in_s=-60)))
    fake.refresh_revoked = True
    settings = DriveSettings.from_env(make_env(fake, volume, tree))
    file_id = put(fake, tree)
    result, analyze = run(settings, backoff, tmp_path, file_id)
    assert "invalid_grant" in result["error"] and "python -m drive.authorize" in result["error"]
    assert analyze.calls == [] and fake.files[file_id]["parents"] == [tree["processing"]]


def test_secrets_never_in_logs_or_output(fake, tree, volume, backoff, tmp_path, caplog):
    key = Fernet.generate_key().decode()
    info = token_info(fake)
    (volume / "token.json").unlink()
    (volume / "token.json.enc").write_bytes(Fernet(key.encode()).encrypt(json.dumps(info).encode()))
    settings = DriveSettings.from_env(make_env(fake, volume, tree, OAUTH_TOKEN_KEY=key))
    fake.valid_tokens.clear()  # forces a refresh (a new access token appears mid-job)
    file_id = put(fake, tree)
    leaky = f"debug dump: refresh={fake.refresh_token} secret={fake.client_secret}\n"
    with caplog.at_level(logging.DEBUG):
        result, _ = run(settings, backoff, tmp_path, file_id, log_lines=lambda: leaky)
    assert result["status"] == "success"
    new_token = json.loads(Fernet(key.encode()).decrypt((volume / "token.json.enc").read_bytes()))["token"]
    assert new_token in fake.valid_tokens and not (volume / "token.json").exists()
    uploaded_log = log_text(fake, result)
    assert "debug dump" in uploaded_log
    for secret in (fake.refresh_token, fake.client_secret, info["token"], new_token, key):
        assert secret not in caplog.text
        assert secret not in json.dumps(result)
        assert secret not in uploaded_log


def test_reserved_output_kind_is_a_bug(fake, tree, settings, backoff, tmp_path):
    class BadAnalyze(FakeAnalyze):
        def __call__(self, video, out_dir):
            result = super().__call__(video, out_dir)
            return {**result, "outputs": {"manifest": result["outputs"]["json"]}}

    file_id = put(fake, tree)
    with pytest.raises(ValueError, match="reserved"):
        run(settings, backoff, tmp_path, file_id, BadAnalyze())
    assert fake.files[file_id]["parents"] == [tree["upload"]]


def test_log_upload_failure_is_a_warning_not_a_failure(fake, tree, settings, backoff, tmp_path):
    file_id = put(fake, tree)
    fake.inject("upload_init", "500", skip=6, times=5)  # 5 outputs + manifest pass; the log's upload fails
    result, _ = run(settings, backoff, tmp_path, file_id)
    assert result["status"] == "success" and fake.files[file_id]["parents"] == [tree["archive"]]
    assert any("job log could not be written" in w for w in result["warnings"])
    assert fake.children(tree["logs"]) == []


def test_untrusted_endpoint_certificate_is_a_config_error(fake, tree, volume, backoff, sleeps, tmp_path):
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    settings = DriveSettings.from_env(make_env(fake, volume, tree, GOOGLE_DRIVE_CA_BUNDLE=str(other_ca)))
    file_id = put(fake, tree)
    result, _ = run(settings, backoff, tmp_path, file_id)
    assert "certificate" in result["error"] and "GOOGLE_DRIVE_CA_BUNDLE" in result["error"]
    assert sleeps == []  # not retried
