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

    def __init__(self, settings: Settings, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.env = dict(env or {})
        self._drive_settings: Any = None

    def __call__(self, job: dict[str, Any]) -> dict[str, Any]:
        job_id = str(job.get("id") or "local")
        started = time.perf_counter()
        try:
            request = parse_job(job.get("input"), self.settings)
            progress = make_progress(job, local_mode=self.settings.local_mode)
            with tempfile.TemporaryDirectory(prefix=f"ergo-{job_id[:24]}-") as tmp:
                result = self._run(request, job_id, Path(tmp), progress)
        except ErgoError as err:
            log.warning("job %s failed: %s", job_id, err)
            return {"error": str(err), "error_code": err.code, "job_id": job_id}
        result["job_id"] = job_id
        result.setdefault("timings_s", {})["total"] = round(time.perf_counter() - started, 3)
        log.info("job %s done in %.1f s", job_id, time.perf_counter() - started)
        return result

    def _run(self, request: JobRequest, job_id: str, tmp: Path,
             progress: Callable[[str, float], None]) -> dict[str, Any]:
        from ergopipe.pipeline import analyze

        if request.source == "path":
            video = request.video_path
            assert video is not None
        else:
            raise ErgoError(f"The '{request.source}' source is not available in this build.")
        out_dir = request.output_dir or self.settings.default_output_dir
        result = analyze(video, request.options, out_dir, settings=self.settings, job_id=job_id,
                         source_name=request.file_name or video.name, on_progress=progress)
        return success_payload(result)


def success_payload(result: Any) -> dict[str, Any]:
    """The JSON status for a finished analysis: headline summary, file paths, timings, warnings."""
    from ergopipe.report.outputs import json_ready

    return json_ready({
        "status": "success",
        "video": result.summary.get("video"),
        "summary": {k: v for k, v in result.summary.items() if k != "video"},
        "outputs": {kind: str(path) for kind, path in result.outputs.items()},
        "timings_s": result.timings_s,
        "warnings": result.warnings,
    })


def configure_logging(level: str) -> None:
    logging.basicConfig(level=getattr(logging, level, logging.INFO), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def start() -> None:
    import runpod

    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level)
    # The SDK's own logger defaults to DEBUG and prints whole job inputs/outputs.
    os.environ.setdefault("RUNPOD_DEBUG_LEVEL", settings.log_level)
    runpod.serverless.start({"handler": Worker(settings, dict(os.environ))})


if __name__ == "__main__":
    start()
