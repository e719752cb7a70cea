"""A warm worker runs many jobs in one process: no temp files, threads, processes or memory left behind; logs carry
one line per stage with the job ID; RunPod progress updates are sent and are never the last action."""

import logging
import tempfile
import threading
from pathlib import Path

import numpy as np
import psutil
import pytest

import handler
from ergopipe.config import Settings
from ergopipe.video import H264Writer

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "data" / "pose2sim" / "cam01.mp4"
pytestmark = pytest.mark.slow


def _blank_video(path: Path) -> Path:
    with H264Writer(path, width_px=160, height_px=120, fps=10) as w:
        for _ in range(20):
            w.write(np.full((120, 160, 3), 90, np.uint8))
    return path


def _residue() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("ergo-*")}


def test_many_jobs_leave_nothing_behind(tmp_path, caplog):
    worker = handler.Worker(Settings.from_env({}))
    blank = _blank_video(tmp_path / "blank.mp4")
    not_video = tmp_path / "notes.mp4"
    not_video.write_text("hello")
    ok_job = {"video_path": str(CLIP), "output_dir": str(tmp_path / "out"), "analysis_fps": 10,
              "annotated_video": False, "workers": 1}
    jobs = [ok_job, {"video_path": str(blank), "output_dir": str(tmp_path / "b")},
            {"video_path": str(not_video)}, {"video_path": str(CLIP), "bogus": 1}, ok_job]
    before_tmp, before_threads = _residue(), threading.active_count()
    rss = []
    with caplog.at_level(logging.INFO):
        for k, inp in enumerate(jobs * 2):
            result = worker({"id": f"job-{k}", "input": inp})
            rss.append(psutil.Process().memory_info().rss)
            if inp is ok_job:
                assert result["status"] == "success", result
            else:
                assert "error" in result and result["job_id"] == f"job-{k}"
    assert _residue() == before_tmp
    assert threading.active_count() <= before_threads + 1
    # Each job starts a pose process before it has the video; jobs that fail first must not leave it behind.
    left = [c for c in psutil.Process().children(recursive=True)
            if not any("resource_tracker" in part for part in c.cmdline())]
    assert not left, f"processes left behind: {[c.cmdline() for c in left]}"
    # After the first round has loaded every library, a second round must not grow memory materially.
    growth_mb = (rss[-1] - rss[len(jobs) - 1]) / 2**20
    assert growth_mb < 120, f"memory grew by {growth_mb:.0f} MB over 5 warm jobs"
    errors = [r for r in (worker({"id": "x", "input": {"video_path": str(blank)}}),)]
    assert errors[0]["error_code"] == "no_person" and "No person was found" in errors[0]["error"]
    stage_lines = [r.getMessage() for r in caplog.records if "stage pose done" in r.getMessage()]
    assert any("job-0" in line for line in stage_lines)


def test_progress_updates_in_production(monkeypatch, tmp_path):
    import runpod

    sent = []
    monkeypatch.setattr(runpod.serverless, "progress_update", lambda job, p: sent.append((job["id"], p)))
    settings = Settings.from_env({"RUNPOD_WEBHOOK_GET_JOB": "http://127.0.0.1:9/x",
                                  "ALLOWED_VIDEO_ROOT": str(ROOT / "data"), "ERGO_OUTPUT_DIR": str(tmp_path)})
    worker = handler.Worker(settings)
    result = worker({"id": "p1", "input": {"video_path": "pose2sim/cam01.mp4", "analysis_fps": 10,
                                           "annotated_video": False, "methods": ["reba"]}})
    assert result["status"] == "success", result
    stages = [p["stage"] for _, p in sent]
    assert stages[0] == "probe" and "pose" in stages and "report" in stages
    assert all(job_id == "p1" and 0 <= p["percent"] <= 100 for job_id, p in sent)
    percents = [p["percent"] for _, p in sent]
    assert percents == sorted(percents)
    assert (tmp_path / "cam01_ergonomics.xlsx").is_file()  # ERGO_OUTPUT_DIR: results on the volume


def test_production_without_destination_fails_before_download():
    worker = handler.Worker(Settings.from_env({"RUNPOD_WEBHOOK_GET_JOB": "x"}))
    result = worker({"id": "n", "input": {"video_url": "http://127.0.0.1:9/never-fetched.mp4"}})
    assert "nowhere to put the results" in result["error"]
