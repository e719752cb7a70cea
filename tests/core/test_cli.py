"""`ergopipe analyze` builds the same job input as the handler; the terminal progress bar draws."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ergopipe.cli import _analyze_parser, job_input_from_args
from ergopipe.progress import make_progress, terminal_bar

ROOT = Path(__file__).resolve().parents[2]


def _parse(argv):
    import argparse

    parser = argparse.ArgumentParser()
    _analyze_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["analyze", *argv])


def test_flags_map_to_job_input():
    args = _parse(["v.mp4", "--out", "o", "--methods", "reba, owas", "--fps", "12", "--language", "en",
                   "--no-face-blur", "--task", '{"load_kg": 12}', "--task-ranges", '[{"from_s": 1, "to_s": 2}]'])
    assert job_input_from_args(args) == {
        "video_path": "v.mp4", "output_dir": "o", "methods": ["reba", "owas"], "analysis_fps": 12.0,
        "language": "en", "face_blur": False, "task": {"load_kg": 12}, "task_ranges": [{"from_s": 1, "to_s": 2}]}
    bare = job_input_from_args(_parse(["v.mp4"]))
    assert bare == {"video_path": "v.mp4", "output_dir": "output"}


def test_bad_json_flag_is_a_clear_exit():
    with pytest.raises(SystemExit, match="--task is not valid JSON"):
        job_input_from_args(_parse(["v.mp4", "--task", "{load: 1}"]))


def test_terminal_bar_and_silent_pipe():
    out = io.StringIO()
    bar = terminal_bar(out, width=10)
    bar("pose", 0.5)
    bar("video", 1.0)
    assert "[#####.....]  50.0% pose" in out.getvalue() and out.getvalue().endswith("\n")
    piped = io.StringIO()  # not a terminal: no bar characters in logs or CI output
    make_progress({"id": "x"}, local_mode=True, stream=piped)("pose", 0.5)
    assert piped.getvalue() == ""


@pytest.mark.slow
def test_cli_analyze_real_clip(tmp_path):
    run = subprocess.run([sys.executable, "-m", "ergopipe.cli", "analyze", str(ROOT / "data/pose2sim/cam01.mp4"),
                          "--out", str(tmp_path), "--fps", "10", "--no-video", "--methods", "rula"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["status"] == "success" and set(result["summary"]) >= {"rula"}
    assert (tmp_path / "cam01_frames.csv").is_file()
    bad = subprocess.run([sys.executable, "-m", "ergopipe.cli", "analyze", str(tmp_path / "missing.mp4")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "not found" in json.loads(bad.stdout)["error"]
