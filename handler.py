"""RunPod serverless handler: parse the job, fetch the video, run the pipeline, publish, return JSON status.

Local use (no RUNPOD_WEBHOOK_GET_JOB): `python handler.py` runs test_input.json once;
`python handler.py --test_input '{"input": {...}}'`; `python handler.py --rp_serve_api` serves /runsync.
Heavy libraries (MediaPipe, torch) are imported by the stages that need them, not here.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from ergopipe.config import Settings
from ergopipe.errors import ErgoError
from ergopipe.jobinput import JobRequest, parse_job
from ergopipe.progress import make_progress

log = logging.getLogger("handler")


class Worker:
    """One per process; holds settings read once at start. Each call handles one job, statelessly."""

    def __init__(self, settings: Settings, drive_settings: Any = None) -> None:
        self.settings = settings
        self.drive_settings = drive_settings  # drive.config.DriveSettings; None = Drive not configured

    def __call__(self, job: dict[str, Any]) -> dict[str, Any]:
        job_id = str(job.get("id") or "local")
        started = time.perf_counter()
        with JobLog() as job_log, self._pose_processes() as pose_processes:
            try:
                request = parse_job(job.get("input"), self.settings)
                self._check_destination(request)
                progress = make_progress(job, local_mode=self.settings.local_mode)
                with tempfile.TemporaryDirectory(prefix=f"ergo-{job_id[:24]}-") as tmp:
                    result = self._run(request, job_id, Path(tmp), progress, job_log, pose_processes)
            except ErgoError as err:
                log.warning("job %s failed: %s", job_id, err)
                return {"error": str(err), "error_code": err.code, "job_id": job_id}
        result["job_id"] = job_id
        if "error" not in result:
            result.setdefault("timings_s", {})["total"] = round(time.perf_counter() - started, 3)
        log.info("job %s finished in %.1f s", job_id, time.perf_counter() - started)
        return result

    def _check_destination(self, request: JobRequest) -> None:
        """Fail before any download when the results would have nowhere to go."""
        needs_drive = request.source == "drive" or request.output_folder_id is not None
        if needs_drive and self.drive_settings is None:
            raise ErgoError("Google Drive is not configured on this worker (OAUTH_TOKEN_DIR and the "
                            "GOOGLE_DRIVE_FOLDER_* variables); see the README section 'Deploy'.")
        if needs_drive or self.settings.local_mode or self.settings.bucket or self.settings.output_dir_configured:
            return
        raise ErgoError("There is nowhere to put the results: give 'output_folder_id' (a Drive folder) or ask "
                        "the operator to configure the RunPod bucket (BUCKET_ENDPOINT_URL, BUCKET_ACCESS_KEY_ID, "
                        "BUCKET_SECRET_ACCESS_KEY).")

    def _pose_processes(self) -> Any:
        """A pose process started as the job arrives, so that it imports MediaPipe (~1 s) while the input is
        checked and the video fetched and probed (stopped if the job ends first); none when the
        multi-person model (in this process) will run."""
        from ergopipe.pose_procs import PoseProcesses

        return PoseProcesses(1 if self.settings.pose_model_path is None else 0)

    def _analyze_fn(self, request: JobRequest, job_id: str, progress: Callable[[str, float], None],
                    pose_processes: Any) -> Callable[[Path, Path], dict[str, Any]]:
        def run(video: Path, out_dir: Path) -> dict[str, Any]:
            from ergopipe.pipeline import analyze

            result = analyze(video, request.options, out_dir, settings=self.settings, job_id=job_id,
                             source_name=request.file_name or video.name, on_progress=progress,
                             pose_processes=pose_processes)
            return {**success_payload(result), "outputs": result.outputs}

        return run

    def _run(self, request: JobRequest, job_id: str, tmp: Path, progress: Callable[[str, float], None],
             job_log: "JobLog", pose_processes: Any) -> dict[str, Any]:
        analyze = self._analyze_fn(request, job_id, progress, pose_processes)
        if request.source == "drive":
            from drive.hotfolder import run_drive_job
            from drive.job import DriveJob

            job = DriveJob(file_id=str(request.file_id), file_name=request.file_name, folders=request.folders)
            return run_drive_job(job, settings=self.drive_settings, analyze=analyze, job_id=job_id,
                                 work_dir=tmp, log_lines=job_log.text)
        if request.source == "url":
            from ergopipe.sources import download_url

            video = download_url(str(request.video_url), tmp / "source", max_bytes=self.settings.max_video_bytes)
        else:
            video = Path(str(request.video_path))
        if request.output_folder_id is not None:
            from drive.publish import publish_results

            result = analyze(video, tmp / "results")
            result["drive"] = publish_results(result.pop("outputs"), folder_id=request.output_folder_id,
                                              source=str(request.video_url or request.video_path),
                                              source_name=video.name, job_id=job_id,
                                              settings=self.drive_settings)
            return result
        if self.settings.local_mode or self.settings.bucket is None:
            result = analyze(video, request.output_dir or self.settings.default_output_dir)
            result["outputs"] = {kind: str(path) for kind, path in result["outputs"].items()}
            return result
        from ergopipe.sinks import publish_to_bucket

        result = analyze(video, tmp / "results")
        result["outputs"] = publish_to_bucket(result["outputs"], job_id=job_id, bucket=self.settings.bucket)
        return result


class JobLog(logging.Handler):
    """Collects this job's log lines (ergopipe, drive, handler) for the log file written to Drive."""

    LOGGERS = ("ergopipe", "drive", "handler")

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def __enter__(self) -> "JobLog":
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


def success_payload(result: Any) -> dict[str, Any]:
    """The JSON status for a finished analysis: headline summary, file paths, timings, warnings."""
    from ergopipe.report.outputs import json_ready

    return json_ready({
        "status": "success",
        "video": result.summary.get("video"),
        "summary": {k: v for k, v in result.summary.items() if k != "video"},
        "timings_s": result.timings_s,
        "warnings": result.warnings,
    })


def configure_logging(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level, logging.INFO), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def start() -> None:
    import runpod

    from drive.config import DriveSettings

    settings = Settings.from_env(os.environ)
    drive_settings = DriveSettings.from_env(os.environ)
    configure_logging(settings.log_level)
    # The SDK's own logger defaults to DEBUG and prints whole job inputs/outputs.
    os.environ.setdefault("RUNPOD_DEBUG_LEVEL", settings.log_level)
    runpod.serverless.start({"handler": Worker(settings, drive_settings)})


if __name__ == "__main__":
    start()
