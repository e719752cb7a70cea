"""All local ways to run the handler, as a user would: subprocesses and real HTTP on loopback."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLIP = ROOT / "data" / "pose2sim" / "cam01.mp4"
pytestmark = pytest.mark.slow


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
    env["PYTHONPATH"] = str(ROOT)
    env["RUNPOD_DEBUG_LEVEL"] = "INFO"
    return env


def _job(out_dir: Path, **extra) -> dict:
    return {"input": {"video_path": str(CLIP), "output_dir": str(out_dir), "analysis_fps": 15,
                      "language": "en", **extra}}


def test_plain_python_handler_reads_test_input_json(tmp_path):
    (tmp_path / "test_input.json").write_text(json.dumps(_job(tmp_path / "out", annotated_video=False)))
    run = subprocess.run([sys.executable, str(ROOT / "handler.py")], cwd=tmp_path, env=_env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert (tmp_path / "out" / "cam01_ergonomics.xlsx").is_file()
    assert (tmp_path / "out" / "cam01_frames.csv").is_file()
    assert not (tmp_path / "out" / "cam01_annotated.mp4").exists()


def test_test_input_argument_and_failure_exit_code(tmp_path):
    ok = subprocess.run([sys.executable, str(ROOT / "handler.py"), "--test_input",
                         json.dumps(_job(tmp_path / "o", methods=["reba"], annotated_video=False))],
                        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout[-3000:] + ok.stderr[-3000:]
    summary = json.loads((tmp_path / "o" / "cam01_results.json").read_text())["summary"]
    assert "reba" in summary and "rula" not in summary
    bad = subprocess.run([sys.executable, str(ROOT / "handler.py"), "--test_input",
                          json.dumps({"input": {"video_path": str(CLIP), "metods": []}})],
                         cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "did you mean 'methods'" in bad.stdout + bad.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_rp_serve_api_runsync_over_http(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "handler.py"), "--rp_serve_api", "--rp_api_port",
                             str(port), "--rp_api_host", "127.0.0.1"], cwd=tmp_path, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                requests.get(f"{base}/docs", timeout=2)
                break
            except requests.ConnectionError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError("server did not start")
                time.sleep(0.5)
        answer = requests.post(f"{base}/runsync", json=_job(tmp_path / "api"), timeout=300)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["status"] == "COMPLETED", body
        output = body["output"]
        assert output["status"] == "success"
        assert Path(output["outputs"]["video"]).is_file()
        assert output["summary"]["reba"]["max_score"] >= 1
        bad = requests.post(f"{base}/runsync", json={"input": {"video_path": str(CLIP), "language": "de"}},
                            timeout=60)
        assert bad.status_code == 200
        assert bad.json()["status"] == "FAILED"
        assert "'language' must be one of cs, en" in bad.json()["error"]
        # /run stores the job; locally it runs when /status/{id} is POSTed (in the cloud /status is GET).
        queued = requests.post(f"{base}/run", json=_job(tmp_path / "run", methods=["owas"],
                                                         annotated_video=False), timeout=30).json()
        assert queued["status"] == "IN_PROGRESS" and queued["id"]
        done = requests.post(f"{base}/status/{queued['id']}", timeout=300).json()
        assert done["status"] == "COMPLETED", done
        assert set(done["output"]["summary"]) >= {"owas", "coverage"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
