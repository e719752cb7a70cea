"""Angle accuracy harness: rendered mannequin clips with known angles -> MediaPipe -> angles -> MAE table.

Usage (from the repository root):
    PYTHONPATH=. python benchmarks/accuracy.py                 # 4 motions x 3 views, 90 motion frames each
    PYTHONPATH=. python benchmarks/accuracy.py --frames 30 --motions bending --views side
    PYTHONPATH=. python benchmarks/accuracy.py --sweep-smoothing   # evidence for the smoothing default
    PYTHONPATH=. python benchmarks/accuracy.py --pose2sim data/pose2sim   # real person, 4-view reference
    PYTHONPATH=. python benchmarks/accuracy.py --pose2sim data/pose2sim --pose2sim-frames 20   # CI fixture's
Prints mean absolute error per angle per view (and trunk flexion per motion). Exact-geometry accuracy
(part a) is the test suite: pytest tests/angles.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from ergopipe.synth.harness import VIEWS_DEG, run_clip, smoothing_sweep, summarise
from ergopipe.synth.motions import MOTIONS


def _job(args: tuple[str, str, str, int]):
    workdir, motion, view, frames = args
    return run_clip(workdir, motion, view, n_frames=frames)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=90, help="motion frames per clip (30 fps)")
    parser.add_argument("--motions", default=",".join(MOTIONS), help="comma-separated subset of motions")
    parser.add_argument("--views", default=",".join(VIEWS_DEG), help="comma-separated: side,oblique,front")
    parser.add_argument("--workers", type=int, default=1, help="clips analysed in parallel (processes)")
    parser.add_argument("--keep", default="", help="directory to keep the rendered mp4 clips in")
    parser.add_argument(
        "--sweep-smoothing",
        action="store_true",
        help="instead: MAE per smoothing window on noisy exact skeletons (no MediaPipe)",
    )
    parser.add_argument(
        "--pose2sim-frames", type=int, default=0, help="with --pose2sim: only the first N frames (0: all)"
    )
    parser.add_argument(
        "--pose2sim",
        default="",
        metavar="DIR",
        help="instead: single views vs. the 4-view triangulation of DIR (data/pose2sim)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.pose2sim:
        from ergopipe.synth.multiview import single_view_errors

        sys.stdout.write(single_view_errors(args.pose2sim, max_frames=args.pose2sim_frames or None) + "\n")
        return 0
    if args.sweep_smoothing:
        windows = (0.0, 0.1, 0.17, 0.25, 0.33, 0.5, 0.75)
        for n in (60, 24):
            sys.stdout.write(f"\nmotion frames {n} (30 fps), landmark noise sd 1.5 cm\n")
            sys.stdout.write(smoothing_sweep(windows, n_frames=n) + "\n")
        return 0
    jobs = [(m, v) for m in args.motions.split(",") for v in args.views.split(",")]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or tmp
        work = [(workdir, m, v, args.frames) for m, v in jobs]
        if args.workers > 1:
            with ProcessPoolExecutor(args.workers, mp_context=get_context("spawn")) as pool:
                results = list(pool.map(_job, work))
        else:
            results = [_job(w) for w in work]
    sys.stdout.write(summarise(results) + "\n")
    sys.stdout.write(f"\n{len(results)} clips, {time.perf_counter() - started:.0f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
