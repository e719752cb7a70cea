"""`import handler` must not pull in the heavy model libraries (measured time lives in benchmarks/speed.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "smplx", "mediapipe", "jax", "tensorflow", "cv2", "matplotlib")


def test_import_handler_loads_no_model_library():
    code = "import json, sys, handler; print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "handler" in loaded and "ergopipe" in loaded
    assert not loaded & set(HEAVY), f"import handler loaded {sorted(loaded & set(HEAVY))}"
