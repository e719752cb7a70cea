"""Full (legacy solutions API, bundled) vs heavy (Tasks API, `.task` file) pose model: speed and accuracy.

Usage (from the repository root):
    PYTHONPATH=. python benchmarks/pose_models.py                       # cam01 speed + 2 motions x 3 views
    PYTHONPATH=. python benchmarks/pose_models.py --motions bending --views side --frames 30
Speed: ms per analysed frame (decode + model, one process) and detection share on a real clip.
Accuracy: the angles harness's rendered mannequin clips (ergopipe.synth, known angles) analysed by both
models, then clean_pose + compute_angles; mean absolute error per angle (deg), frames after the still
lead-in. Both models run one after the other in this process, so the timings see the same machine load.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ergopipe import pose, video
from ergopipe.angles import compute_angles
from ergopipe.clean import clean_pose
from ergopipe.pose_tasks import estimate_tasks
from ergopipe.synth.harness import REPORTED, VIEWS_DEG, angle_errors, render_clip
from ergopipe.synth.motions import motion_postures
from ergopipe.synth.render import Camera
from ergopipe.types import PoseSequence

STILL_FRAMES = 15


def run_models(path: Path, model_path: Path, single_too: bool = False
               ) -> dict[str, tuple[PoseSequence, float]]:
    """Both estimators on one clip -> name -> (sequence, ms per frame). single_too: also the heavy model
    limited to one person (what multi-person detection costs)."""
    info = video.probe(path)
    runs = [("full", lambda: pose.estimate(info)),
            ("heavy", lambda: estimate_tasks(info, model_path=model_path))]
    if single_too:
        runs.append(("heavy-1", lambda: estimate_tasks(info, model_path=model_path, max_people=1)))
    out = {}
    for name, run in runs:
        started = time.perf_counter()
        seq = run()
        out[name] = (seq, 1000.0 * (time.perf_counter() - started) / max(seq.n_frames, 1))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--video", default="data/pose2sim/cam01.mp4", help="real clip for speed/detection")
    parser.add_argument("--model", default="models/pose_landmarker_heavy.task", help=".task model file")
    parser.add_argument("--motions", default="bending,squatting", help="comma-separated harness motions")
    parser.add_argument("--views", default=",".join(VIEWS_DEG), help="comma-separated: side,oblique,front")
    parser.add_argument("--frames", type=int, default=60, help="motion frames per rendered clip (30 fps)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    model_path = Path(args.model)
    out = sys.stdout

    speed = run_models(Path(args.video), model_path, single_too=True)
    first = speed["full"][0]
    out.write(f"speed on {args.video} ({first.frame_size_px[0]}x{first.frame_size_px[1]}, "
              f"{first.n_frames} frames, one process):\n")
    for name, (seq, ms) in speed.items():
        out.write(f"  {name:7s} {ms:7.1f} ms/frame  detected {np.mean(seq.detected):6.1%}  {seq.model}\n")

    errors: dict[tuple[str, str, str], dict[str, float]] = {}  # (model, motion, view) -> column -> MAE
    details: list[str] = []
    views = args.views.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        for motion in args.motions.split(","):
            postures = motion_postures(motion, args.frames, STILL_FRAMES)
            for view in views:
                path = Path(tmp) / f"{motion}_{view}.mp4"
                render_clip(path, postures, VIEWS_DEG[view], Camera())
                for name, (seq, ms) in run_models(path, model_path).items():
                    details.append(f"  {motion:10s} {view:8s} {name:6s} detected {np.mean(seq.detected):6.1%}"
                                   f"  {ms:6.1f} ms/frame")
                    table = compute_angles(clean_pose(seq))
                    errors[(name, motion, view)] = angle_errors(table, postures, skip_frames=STILL_FRAMES)
    out.write(f"\nangle MAE (deg), motions {args.motions}, {args.frames} motion frames, full / heavy:\n")
    out.write(f"{'angle':32s}" + "".join(f"{v:>16s}" for v in views) + "\n")
    for col in REPORTED:
        cells = []
        for view in views:
            pair = [np.nanmean([errors[(m, mo, view)][col] for mo in args.motions.split(",")])
                    for m in ("full", "heavy")]
            cells.append(f"{pair[0]:7.1f} /{pair[1]:6.1f}")
        out.write(f"{col:32s}" + "".join(f"{c:>16s}" for c in cells) + "\n")
    out.write(f"\nrendered clips ({Camera().width_px}x{Camera().height_px}):\n" + "\n".join(details) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
