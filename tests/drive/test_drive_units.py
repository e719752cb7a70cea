"""Pure parts: settings from env, job input, error classification and backoff, q quoting, redaction."""

from __future__ import annotations

import http.client
import json

import httplib2
import pytest
from google.auth import exceptions as auth_exceptions
from googleapiclient.errors import HttpError

from drive.client import api_base, app_properties_query, quote
from drive.config import DriveSettings
from drive.errors import (
    Backoff,
    DriveAuthError,
    DriveNotFound,
    DrivePermissionDenied,
    DriveQuotaExceeded,
    DriveTransientError,
    classify,
    is_retryable,
)
from drive.job import DriveJob
from drive.results import redact
from ergopipe.errors import ErgoError, InputError
from tests.drive.fake_drive import parse_q


def http_error(status: int, reason: str = "") -> HttpError:
    body = json.dumps({"error": {"code": status, "errors": [{"reason": reason}]}}).encode()
    return HttpError(httplib2.Response({"status": status}), body)


def test_settings_defaults_and_parsing():
    s = DriveSettings.from_env({})
    assert str(s.token_dir) == "/runpod-volume/oauth" and s.folder_completed is None and s.token_key is None
    assert s.chunk_bytes == 8 * 1024 * 1024 and s.retries == 6 and s.max_video_duration_s == 1800
    s = DriveSettings.from_env(
        {
            "GOOGLE_DRIVE_CHUNK_MB": "1.1",
            "GOOGLE_DRIVE_FOLDER_LOGS": "logsFolder123",
            "OAUTH_TOKEN_KEY": "secret-key-value",
            "MAX_VIDEO_BYTES": "1e9",
        }
    )
    assert (
        s.chunk_bytes == 4 * 256 * 1024 and s.folder("logs") == "logsFolder123" and s.max_video_bytes == 10**9
    )
    assert "secret-key-value" not in repr(s)
    with pytest.raises(InputError, match="MAX_VIDEO_DURATION_S"):
        DriveSettings.from_env({"MAX_VIDEO_DURATION_S": "long"})
    with pytest.raises(InputError, match="GOOGLE_DRIVE_RETRIES"):
        DriveSettings.from_env({"GOOGLE_DRIVE_RETRIES": "-1"})


def test_job_input_and_folder_overrides():
    job = DriveJob.from_input(
        {
            "file_id": "1AbC_def-GhIjK",
            "file_name": "a.mp4",
            "folders": {"logs": "myLogs12345"},
            "methods": ["reba"],
        }
    )
    s = DriveSettings.from_env(
        {"GOOGLE_DRIVE_FOLDER_LOGS": "envLogs12345", "GOOGLE_DRIVE_FOLDER_ARCHIVE": "arch123456"}
    )
    assert job.folder("logs", s) == "myLogs12345" and job.folder("archive", s) == "arch123456"
    assert job.folder("upload", s) is None
    with pytest.raises(InputError, match="unknown key"):
        DriveJob.from_input({"file_id": "1AbC_def-GhIjK", "folders": {"inbox": "x" * 12}})
    with pytest.raises(InputError, match="needs 'file_id'"):
        DriveJob.from_input({})
    with pytest.raises(InputError, match="folders.logs"):
        DriveJob.from_input({"file_id": "1AbC_def-GhIjK", "folders": {"logs": "bad id"}})


@pytest.mark.parametrize(
    "exc,retry,kind",
    [
        (http_error(429, "rateLimitExceeded"), True, DriveTransientError),
        (http_error(500), True, DriveTransientError),
        (http_error(503), True, DriveTransientError),
        (http_error(403, "userRateLimitExceeded"), True, DriveTransientError),
        (http_error(403, "storageQuotaExceeded"), False, DriveQuotaExceeded),
        (http_error(403, "insufficientFilePermissions"), False, DrivePermissionDenied),
        (http_error(404, "notFound"), False, DriveNotFound),
        (http_error(401, "authError"), False, DriveAuthError),
        (http.client.IncompleteRead(b"abc", 10), True, DriveTransientError),
        (ConnectionResetError(), True, DriveTransientError),
        (
            auth_exceptions.RefreshError("invalid_grant: Token has been expired or revoked."),
            False,
            DriveAuthError,
        ),
    ],
)
def test_error_table(exc, retry, kind):
    assert is_retryable(exc) is retry
    err = classify(exc, "testing")
    assert isinstance(err, kind) and isinstance(err, ErgoError)


def test_backoff_retries_with_jitter_then_gives_up():
    waits: list[float] = []
    calls = []
    backoff = Backoff(retries=3, base_s=1.0, cap_s=3.0, sleep=waits.append)

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise http_error(503)
        return "ok"

    assert backoff.run(flaky, "x") == "ok" and len(waits) == 2
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0
    waits.clear()
    with pytest.raises(DriveTransientError, match="HTTP 503"):
        backoff.run(lambda: (_ for _ in ()).throw(http_error(503)), "x")
    assert len(waits) == 3 and waits[2] <= 3.0  # capped
    with pytest.raises(DriveNotFound):  # not retried
        Backoff(retries=3, sleep=waits.append).run(lambda: (_ for _ in ()).throw(http_error(404)), "x")
    with pytest.raises(KeyError):  # a bug is not a Drive error
        backoff.run(lambda: {}["missing"], "x")


def test_query_quoting_round_trips_through_the_fake_parser():
    q = f"{quote('par')} in parents and trashed = false and " + app_properties_query({"k": "it's \\ odd"})
    assert parse_q(q) == [("parent", "par"), ("trashed", "false"), ("prop", "k", "it's \\ odd")]


def test_api_base():
    assert api_base("https://127.0.0.1:8443") == "https://127.0.0.1:8443/drive/v3/"
    assert api_base("https://www.googleapis.com/drive/v3/") == "https://www.googleapis.com/drive/v3/"


def test_redact():
    text = "token ya29.A0AbCdEf-gh and 1//0gAbCdEfGhIjKlMn and GOCSPX-abcDEF and mykeyvalue123"
    out = redact(text, ["mykeyvalue123", None, ""])
    assert "ya29" not in out and "1//0g" not in out and "GOCSPX" not in out and "mykeyvalue123" not in out
