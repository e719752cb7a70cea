"""The hot-folder flow for one job: 02-processing → analyse → 03-completed, 04-archive, 05-logs.

Success: results in a folder named after the video in 03-completed, the original moved to 04-archive,
the job log in 05-logs. Failure: the original goes back to 01-upload renamed ``FAILED - <name>`` with the
reason in its description (never lost), the log still goes to 05-logs, and the return value lists every
Drive file already written. A re-run never creates second copies (see drive.results).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from drive.auth import TokenStore, load_credentials
from drive.client import DriveClient
from drive.config import DriveSettings
from drive.errors import Backoff, DriveError
from drive.flow import Analyze, JobRun, Recorder
from drive.job import DriveJob
from drive.results import redact
from ergopipe.errors import ErgoError

log = logging.getLogger(__name__)


def _log_text(state: JobRun, outcome: str, lines: str, secrets: list[str | None]) -> str:
    meta = state.meta or {}
    header = [
        f"ergopipe job {state.job_id}",
        f"source: {meta.get('name') or state.job.file_name or '?'} ({state.job.file_id})",
        f"outcome: {outcome}",
        "",
    ]
    return redact("\n".join(header) + lines.rstrip() + "\n", secrets)


def _collect_lines(log_lines: Callable[[], str] | None, recorder: Recorder) -> str:
    if log_lines is None:
        return "\n".join(recorder.lines)
    try:
        return log_lines()
    except Exception as exc:  # noqa: BLE001 - a broken log source must not hide the job's outcome
        return "\n".join(recorder.lines + [f"(job log unavailable: {type(exc).__name__})"])


def _fail(
    state: JobRun | None,
    reason: str,
    log_lines: Callable[[], str] | None,
    recorder: Recorder,
    secrets: list[str | None],
) -> None:
    """Failure path: restore the original, then write the log; neither may mask the original error."""
    if state is None:
        return
    try:
        state.restore(reason)
    except Exception as exc:  # noqa: BLE001 - best effort; recorded in the answer and the log
        log.error("Drive: could not return the original to the upload folder: %s", exc)
        state.drive["restore_error"] = str(exc)
    try:
        state.write_log(_log_text(state, f"FAILED: {reason}", _collect_lines(log_lines, recorder), secrets))
    except Exception as exc:  # noqa: BLE001
        log.error("Drive: could not write the job log: %s", exc)
        state.drive["log_error"] = str(exc)


def run_drive_job(
    job: DriveJob,
    *,
    settings: DriveSettings,
    analyze: Analyze,
    job_id: str,
    work_dir: Path,
    log_lines: Callable[[], str] | None = None,
    backoff: Backoff | None = None,
) -> dict:
    """Run one hot-folder job; return the handler's JSON (success, or ``{"error", "drive"}``).

    ``analyze(video_path, out_dir)`` returns ``{"summary": ..., "outputs": {kind: local path}, ...}``
    or raises an ErgoError. Unexpected exceptions are re-raised after the original is restored and the
    log written.
    ``log_lines()`` gives the job log text (default: this package's log records during the job).
    ``backoff`` overrides the retry policy (tests inject a sleep that does not wait).
    """
    recorder = Recorder()
    package_logger = logging.getLogger("drive")
    package_logger.addHandler(recorder)
    saved_level = package_logger.level
    if log_lines is None and not package_logger.isEnabledFor(logging.INFO):
        package_logger.setLevel(logging.INFO)  # the default job log wants this package's INFO lines
    store = TokenStore.from_settings(settings)
    creds = None
    client: DriveClient | None = None
    state: JobRun | None = None

    def secrets() -> list[str | None]:  # evaluated late: the access token may be refreshed mid-job
        known = [settings.token_key]
        if creds is not None:
            known += [creds.token, creds.refresh_token, creds.client_secret]
        return known

    try:
        creds = load_credentials(store, settings)
        client = DriveClient.connect(settings, creds, backoff)
        state = JobRun(job, settings, client, job_id, work_dir)
        result = state.run(analyze)
        result["drive"] = state.drive
        try:
            state.write_log(_log_text(state, "success", _collect_lines(log_lines, recorder), secrets()))
        except DriveError as exc:  # the results are safe; a missing log is worth a warning, not a failure
            result.setdefault("warnings", []).append(f"The job log could not be written to Drive: {exc}")
        return result
    except ErgoError as err:
        reason = redact(str(err), secrets())
        log.error("Drive job %s failed: %s", job_id, reason)
        _fail(state, reason, log_lines, recorder, secrets())
        drive = state.drive if state else {"source_file_id": job.file_id, "files": []}
        return {"error": reason, "error_code": err.code, "drive": drive}
    except BaseException as err:
        _fail(
            state,
            f"internal error ({type(err).__name__}); the operator should check the worker logs",
            log_lines,
            recorder,
            secrets(),
        )
        raise
    finally:
        package_logger.removeHandler(recorder)
        package_logger.setLevel(saved_level)
        if client is not None:
            client.close()
        if creds is not None:
            try:
                store.save_if_changed(creds)
            except Exception as exc:  # noqa: BLE001 - the token stays valid on disk until it expires
                log.warning("Drive: could not write the refreshed token back (%s)", type(exc).__name__)
