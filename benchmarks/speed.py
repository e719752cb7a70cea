"""Speed and memory benchmark: every figure is measured side by side in this one run, on this machine.

    python benchmarks/speed.py [--clip data/pose2sim/cam01.mp4] [--repeat 6] [--workers N] [--pairs 3]

Prints (a) a raw MediaPipe-only pass (frames as decoded, full size) vs the whole job (same number of
MediaPipe processes), both timed from the first line of a fresh interpreter (each pays for its imports), in
rounds of raw / job / job without the annotated video, with the median of the per-round ratios, (b) the
pose stage alone with 1 and N workers and the speed-up, and the same for bare MediaPipe processes (the
ceiling on this machine), each as alternating pairs of runs with the median pair ratio, (c) peak memory of
the whole job on the clip and on a clip made by concatenating it `repeat` times, and their ratio, (d)
`import handler` time. Each measurement runs in a fresh interpreter so memory and imports are not shared.
Peak memory is the largest sum of the resident sets of the job's process and its pose processes, sampled
every 20 ms. Beside each wall time, the CPU seconds of all the run's processes: on a shared machine the
wall clock depends on what else runs, the CPU time much less; "without the annotated video" shows what the
video pass costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RAW_MEDIAPIPE = """
import time
t = time.perf_counter()  # before any import, as in WHOLE_JOB: both sides pay for what they load
import sys, multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
sys.path.insert(0, {root!r})
from ergopipe import pose, video
info = video.probe({clip!r})
pose.MIN_FRAMES_PER_WORKER = 1
segs = pose.with_seek_points(pose.plan_segments(info, stride=1, workers={workers}))
# The bare model cost: frames as decoded (full-size RGB, as a plain MediaPipe loop feeds them), no warm-up.
raw = [replace(s, decode_start=s.keep_start, size_px=None) for s in segs]
if len(raw) == 1:
    pose._run_segment(raw[0])
else:
    with ProcessPoolExecutor(len(raw), mp_context=mp.get_context("spawn")) as ex:
        list(ex.map(pose._run_segment, raw))
print(time.perf_counter() - t)
"""

# The pose stage alone, as the pipeline runs it (spawned processes, warm-up frames, picture spool, and the
# annotated video's frame spool).
POSE_STAGE = """
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from ergopipe import frame_spool, pose, video
from ergopipe.report.overlay import output_size_px
if __name__ == "__main__":
    info = video.probe({clip!r})
    with tempfile.TemporaryDirectory() as spool:
        size = output_size_px(info)
        limit = frame_spool.spool_frame_limit(info, size, Path(spool), frame_spool.DEFAULT_SPOOL_MB)
        t = time.perf_counter()
        pose.estimate(info, workers={workers}, spool_dir=spool, video_spool=(size, limit))
        print(time.perf_counter() - t)
"""

# Runs the job through the handler, as RunPod would, with a thread sampling the memory of the whole process
# tree (this process + its spawned pose processes).
WHOLE_JOB = """
import time
t = time.perf_counter()
import json, os, sys, threading
sys.path.insert(0, {root!r})

def tree_rss_mb(pid):
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{{p}}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{{p}}/task"):
                with open(f"/proc/{{p}}/task/{{task}}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / 2**20

peak = [0.0]
stop = threading.Event()
def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], tree_rss_mb(os.getpid()))
        time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
from handler import Worker
from ergopipe.config import Settings
settings = Settings.from_env({{}})
out = Worker(settings)({{"id": "bench", "input": {{"video_path": {clip!r}, "output_dir": {out!r},
                                                   "workers": {workers}, "smplx": "off",
                                                   "annotated_video": {video}}}}})
seconds = time.perf_counter() - t
stop.set()
assert out.get("status") == "success", out
print(json.dumps({{"seconds": seconds, "timings_s": out["timings_s"], "peak_rss_mb": peak[0]}}))
"""

# A fixed amount of pure-Python work: run alone and N at once, it shows how many cores this run really gets
# (on a shared machine other tenants' processes take their share; no speed-up can exceed this).
BUSY_LOOP = """
import time
t = time.perf_counter()
x = 0
for i in range(15_000_000):
    x += i
print(time.perf_counter() - t)
"""

IMPORT_HANDLER = """
import sys, time
sys.path.insert(0, {root!r})
t = time.perf_counter()
import handler
print(time.perf_counter() - t, any(m in sys.modules for m in ("torch", "smplx", "mediapipe")))
"""


CPU_S: dict[str, float] = {}  # CPU seconds (user + system, all processes) of each measured run


def _children_cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run_py(code: str, label: str = "") -> str:
    """Run `code` in a fresh interpreter; its CPU time (and its children's) is kept in CPU_S[label]."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
    before = _children_cpu_s()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    CPU_S[label] = _children_cpu_s() - before
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


def concat_clip(clip: Path, repeat: int, dest: Path) -> Path:
    """A clip `repeat` times as long, re-encoded frame by frame (streamed)."""
    sys.path.insert(0, str(ROOT))
    from ergopipe.video import H264Writer, iter_frames, probe

    info = probe(clip)
    with H264Writer(
        dest, width_px=info.width_px, height_px=info.height_px, fps=info.fps, crf=18, background=True
    ) as w:
        for _ in range(repeat):
            for frame in iter_frames(info):
                w.write(frame.rgb)
    return dest


def job(clip: Path, out: str, workers: int, video: bool = True) -> dict:
    code = WHOLE_JOB.format(root=str(ROOT), clip=str(clip), out=out, workers=workers, video=video)
    result = json.loads(run_py(code, out))
    result["cpu_s"] = CPU_S[out]
    return result


def raw(clip: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the bare MediaPipe pass."""
    label = f"raw {clip} {workers}"
    seconds = float(run_py(RAW_MEDIAPIPE.format(root=str(ROOT), clip=str(clip), workers=workers), label))
    return seconds, CPU_S[label]


def pose_stage(clip: Path, workers: int) -> tuple[float, float]:
    """(wall seconds of the stage, CPU seconds of the whole run incl. its processes' start-up)."""
    label = f"pose {clip} {workers}"
    seconds = float(run_py(POSE_STAGE.format(root=str(ROOT), clip=str(clip), workers=workers), label))
    return seconds, CPU_S[label]


def interleaved(measure, n: int, pairs: int) -> tuple[list[float], list[float]]:
    """`pairs` runs of measure(1) and measure(n), alternating, so that load changes hit both alike."""
    ones, ns = [], []
    for _ in range(pairs):
        ones.append(measure(1))
        ns.append(measure(n))
    return ones, ns


def median(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2] if len(xs) % 2 else sum(sorted(xs)[len(xs) // 2 - 1 : len(xs) // 2 + 1]) / 2


def parallel_capacity(n: int) -> float:
    """Throughput of n concurrent busy loops relative to one (n on an idle n-core machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNPOD_")}
    one = float(run_py(BUSY_LOOP, "busy 1"))
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", BUSY_LOOP], stdout=subprocess.DEVNULL, env=env)
        for _ in range(n)
    ]
    for proc in procs:
        proc.wait()
    return n * one / (time.perf_counter() - start)


def stages(result: dict) -> str:
    t = result["timings_s"]
    return " ".join(f"{k}={t[k]:.1f}" for k in ("pose", "report", "video", "total") if k in t)


def whole_vs_raw(clip: Path, procs: int, rounds: int, tmp: str, label: str) -> tuple[dict, list[tuple[str, str]]]:
    """(a) `rounds` rounds of raw pass, whole job, whole job without the video, in turn: a busy moment on a
    shared machine hits one round, not one side; the medians of the per-round ratios are the figures.
    Returns the first whole job's result (for its memory) and the table rows."""
    raws, jobs, nvs = [], [], []
    for k in range(rounds):
        raws.append(raw(clip, procs))
        jobs.append(job(clip, f"{tmp}/{label}-{procs}-{k}", procs))
        nvs.append(job(clip, f"{tmp}/{label}-{procs}-{k}-nv", procs, video=False))
    fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    wall = [j["seconds"] / r[0] for j, r in zip(jobs, raws)]
    cpu = [j["cpu_s"] / r[1] for j, r in zip(jobs, raws)]
    wall_nv = [j["seconds"] / r[0] for j, r in zip(nvs, raws)]
    cpu_nv = [j["cpu_s"] / r[1] for j, r in zip(nvs, raws)]
    unit = "process" if procs == 1 else "processes"
    rows = [
        (f"(a) raw MediaPipe pass, {label}, {procs} {unit}: wall s (CPU s), {rounds} rounds",
         " ".join(f"{w:.2f} ({c:.1f})" for w, c in raws)),
        (f"(a) whole job, {label}, {procs} {unit}: wall s (CPU s)",
         " ".join(f"{j['seconds']:.2f} ({j['cpu_s']:.1f})" for j in jobs) + f"  [{stages(jobs[0])}]"),
        (f"(a) ratio whole job / raw MediaPipe, {label} [target <= 1.15]: wall (CPU), median of rounds",
         f"{median(wall):.2f} ({median(cpu):.2f})  (rounds: {fmt(wall)})"),
        ("(a) same without the annotated video: wall (CPU), median of rounds",
         f"{median(wall_nv):.2f} ({median(cpu_nv):.2f})  (rounds: {fmt(wall_nv)})"),
    ]
    return jobs[0], rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clip", default=str(ROOT / "data/pose2sim/cam01.mp4"))
    ap.add_argument("--repeat", type=int, default=6)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--pairs", type=int, default=3, help="rounds of (a) and 1-vs-N pairs of (b), alternating; medians printed")
    args = ap.parse_args()
    clip = Path(args.clip).resolve()
    n = args.workers
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        long_clip = concat_clip(clip, args.repeat, Path(tmp) / "long.mp4")
        rows = []
        job_1 = job_n = None
        for clip_label, this_clip, procs in (("clip", clip, 1), (f"{args.repeat}x clip", long_clip, n)):
            first_job, a_rows = whole_vs_raw(this_clip, procs, args.pairs, tmp, clip_label)
            rows += a_rows
            if procs == 1:
                job_1 = first_job
            else:
                job_n = first_job
        job_long_1 = job(long_clip, tmp + "/ol", 1)
        # (b) The pose stage alone and bare MediaPipe, 1 vs n processes, in alternating pairs: on a shared
        # machine one pair can land in a busy moment; the median of the pair ratios is the figure.
        p1_cpu, pn_cpu = interleaved(lambda w: pose_stage(long_clip, w), n, args.pairs)
        p1, pn = [w for w, _ in p1_cpu], [w for w, _ in pn_cpu]
        b1, bn = interleaved(lambda w: raw(long_clip, w)[0], n, args.pairs)
        fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)  # noqa: E731
        rows.append((f"(b) pose stage, {args.repeat}x clip, 1 worker (s, {args.pairs} runs)", fmt(p1)))
        rows.append((f"(b) pose stage, {args.repeat}x clip, {n} workers (s, {args.pairs} runs)", fmt(pn)))
        speedups = [a / b for a, b in zip(p1, pn)]
        rows.append(
            (
                "(b) speed-up, median of the pairs [target >= 1.7 with 2 workers]",
                f"{median(speedups):.2f}  (pairs: {fmt(speedups)})",
            )
        )
        # One worker already keeps more than one core busy (MediaPipe's and the decoder's threads), so N
        # workers doing the same CPU work cannot beat N / (cores one worker keeps busy).
        busy_1 = median([c / w for w, c in p1_cpu])
        busy_n = median([c / w for w, c in pn_cpu])
        rows.append(
            (
                f"(b) cores kept busy (CPU s / wall s): 1 worker, {n} workers; ceiling {n} / the first",
                f"{busy_1:.2f} {busy_n:.2f}; {n / busy_1:.2f}",
            )
        )
        bare = [a / b for a, b in zip(b1, bn)]
        rows.append(
            (
                f"(b) bare MediaPipe, {args.repeat}x clip, 1 vs {n} processes: speed-up, median of the pairs",
                f"{median(bare):.2f}  (pairs: {fmt(bare)})",
            )
        )
        rows.append(
            (
                f"(b) cores this run got: {n} busy loops at once vs one (idle machine: {n})",
                f"{parallel_capacity(n):.2f}",
            )
        )
        rows.append(("(c) peak memory, clip, 1 worker (MB) [target <= 1500]", f"{job_1['peak_rss_mb']:.0f}"))
        rows.append(
            (f"(c) peak memory, {args.repeat}x clip, 1 worker (MB)", f"{job_long_1['peak_rss_mb']:.0f}")
        )
        rows.append(
            (
                "(c) ratio long / short [target <= 1.15]",
                f"{job_long_1['peak_rss_mb'] / job_1['peak_rss_mb']:.2f}",
            )
        )
        rows.append(
            (f"(c) peak memory, {args.repeat}x clip, {n} workers (MB)", f"{job_n['peak_rss_mb']:.0f}")
        )
        seconds, heavy = run_py(IMPORT_HANDLER.format(root=str(ROOT))).split()
        rows.append(("(d) import handler (s) [target <= 1]", f"{float(seconds):.2f}"))
        rows.append(("(d) torch, smplx or mediapipe imported by it", heavy))
    print(
        f"# ergopipe speed benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} usable CPUs, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after"
    )
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
