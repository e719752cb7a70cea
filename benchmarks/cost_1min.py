"""Worker-seconds for a 1-minute video, measured on this machine (the README's Deploy section quotes it).

    python benchmarks/cost_1min.py [--fps 15] [--workers N]

Builds a 60 s clip by repeating the bundled 1080x1920 60 fps clip, then runs the whole job through the handler
(Excel, CSV, JSON, pictures and the annotated video at the source frame rate) and prints wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fps", type=float, default=15.0, help="analysis rate (the video keeps 60 fps)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    from benchmarks.speed import concat_clip
    from handler import Worker
    from ergopipe.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        clip = concat_clip(ROOT / "data/pose2sim/cam01.mp4", 36, Path(tmp) / "one_minute.mp4")
        job = {"video_path": str(clip), "output_dir": tmp + "/out", "analysis_fps": args.fps, "smplx": "off"}
        if args.workers:
            job["workers"] = args.workers
        cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        result = Worker(Settings.from_env({}))({"id": "cost", "input": job})
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.get("status") == "success", result
    cpu = sum(b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(cpu0, cpu1))
    print(f"# 1-minute 1080x1920 60 fps video, analysed at {args.fps:g} fps, {time.strftime('%Y-%m-%d')}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    print(f"wall s {wall:.1f}   CPU s {cpu:.1f}   stages {result['timings_s']}")


if __name__ == "__main__":
    main()
