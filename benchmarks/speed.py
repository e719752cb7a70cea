"""Speed and memory benchmark: every figure is measured side by side in this one run, on this machine.

    python benchmarks/speed.py [--clip data/pose2sim/cam01.mp4] [--repeat 6] [--workers N]

Prints (a) a raw MediaPipe-only pass vs the whole job (same process count) and their ratio, (b) the pose
stage with 1 and N workers and the speed-up, (c) peak RSS of the whole job on the clip and on a clip made by
concatenating it `repeat` times, and their ratio, (d) `import handler` time. Each measurement runs in a fresh
subprocess so peak RSS and imports are not shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW_MEDIAPIPE = """
import sys, time, multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
sys.path.insert(0, {root!r})
from ergopipe import pose, video
info = video.probe({clip!r})
t = time.perf_counter()
pose.MIN_FRAMES_PER_WORKER = 1
segs = pose.plan_segments(info, stride=1, workers={workers})
raw = [replace(s, decode_start=s.keep_start) for s in segs]  # no warm-up frames: the bare model cost
if len(raw) == 1:
    pose._run_segment(raw[0])
else:
    with ProcessPoolExecutor(len(raw), mp_context=mp.get_context("spawn")) as ex:
        list(ex.map(pose._run_segment, raw))
print(time.perf_counter() - t)
"""

WHOLE_JOB = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
from handler import Worker
from ergopipe.config import Settings
settings = Settings.from_env({{}})
out = Worker(settings)({{"id": "bench", "input": {{"video_path": {clip!r}, "output_dir": {out!r},
                                                   "workers": {workers}, "smplx": "off"}}}})
assert out.get("status") == "success", out
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": time.perf_counter() - t, "pose_s": out["timings_s"]["pose"],
                  "peak_rss_mb": max(self_kb, child_kb) / 1024}}))
"""

IMPORT_HANDLER = """
import sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
import handler
print(time.perf_counter() - t, "torch" in sys.modules or "mediapipe" in sys.modules)
"""


def run_py(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def concat_clip(clip: Path, repeat: int, dest: Path) -> Path:
    """A clip `repeat` times as long, re-encoded frame by frame (streamed)."""
    sys.path.insert(0, str(ROOT))
    from ergopipe.video import H264Writer, iter_frames, probe

    info = probe(clip)
    with H264Writer(dest, width_px=info.width_px, height_px=info.height_px, fps=info.fps, crf=18) as w:
        for _ in range(repeat):
            for frame in iter_frames(info):
                w.write(frame.rgb)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clip", default=str(ROOT / "data/pose2sim/cam01.mp4"))
    ap.add_argument("--repeat", type=int, default=6)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    clip = Path(args.clip).resolve()
    n = args.workers
    with tempfile.TemporaryDirectory() as tmp:
        long_clip = concat_clip(clip, args.repeat, Path(tmp) / "long.mp4")
        rows = []
        raw_1 = float(run_py(RAW_MEDIAPIPE.format(root=str(ROOT), clip=str(clip), workers=1)))
        job_1 = json.loads(
            run_py(WHOLE_JOB.format(root=str(ROOT), clip=str(clip), out=tmp + "/o1", workers=1))
        )
        rows.append(("(a) raw MediaPipe pass, 1 process (s)", f"{raw_1:.2f}"))
        rows.append(("(a) whole job, 1 process (s)", f"{job_1['seconds']:.2f}"))
        rows.append(
            ("(a) ratio whole job / raw MediaPipe [target <= 1.15]", f"{job_1['seconds'] / raw_1:.2f}")
        )
        raw_n = float(run_py(RAW_MEDIAPIPE.format(root=str(ROOT), clip=str(long_clip), workers=n)))
        job_n = json.loads(
            run_py(WHOLE_JOB.format(root=str(ROOT), clip=str(long_clip), out=tmp + "/on", workers=n))
        )
        rows.append((f"(a) raw MediaPipe pass, long clip, {n} processes (s)", f"{raw_n:.2f}"))
        rows.append((f"(a) whole job, long clip, {n} workers (s)", f"{job_n['seconds']:.2f}"))
        rows.append(
            (
                "(a) ratio whole job / raw MediaPipe, long clip [target <= 1.15]",
                f"{job_n['seconds'] / raw_n:.2f}",
            )
        )
        job_long_1 = json.loads(
            run_py(WHOLE_JOB.format(root=str(ROOT), clip=str(long_clip), out=tmp + "/ol", workers=1))
        )
        rows.append(("(b) pose stage, long clip, 1 worker (s)", f"{job_long_1['pose_s']:.2f}"))
        rows.append((f"(b) pose stage, long clip, {n} workers (s)", f"{job_n['pose_s']:.2f}"))
        rows.append(
            ("(b) speed-up [target >= 1.7 with 2 workers]", f"{job_long_1['pose_s'] / job_n['pose_s']:.2f}")
        )
        rows.append(("(c) peak RSS, clip, 1 worker (MB) [target <= 1500]", f"{job_1['peak_rss_mb']:.0f}"))
        rows.append((f"(c) peak RSS, {args.repeat}x clip, 1 worker (MB)", f"{job_long_1['peak_rss_mb']:.0f}"))
        rows.append(
            (
                "(c) ratio long / short [target <= 1.15]",
                f"{job_long_1['peak_rss_mb'] / job_1['peak_rss_mb']:.2f}",
            )
        )
        seconds, heavy = run_py(IMPORT_HANDLER.format(root=str(ROOT))).split()
        rows.append(("(d) import handler (s) [target <= 1]", f"{float(seconds):.2f}"))
        rows.append(("(d) torch or mediapipe imported by it", heavy))
    print(
        f"# ergopipe speed benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
