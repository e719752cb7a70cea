"""Video accuracy harness pieces: render a known motion to an mp4, run the pose + angle stages on it, and
compare with the true angles. The CLI is benchmarks/accuracy.py; a small fixture runs in the slow tests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ergopipe.angles import compute_angles
from ergopipe.clean import clean_pose
from ergopipe.synth.motions import motion_postures
from ergopipe.synth.render import Camera, render_frames
from ergopipe.synth.skeleton import Posture, skeleton_gravity
from ergopipe.types import AngleTable

log = logging.getLogger(__name__)

VIEWS_DEG = {"side": 90.0, "oblique": 45.0, "front": 0.0}  # body yaw: side = facing image right
REPORTED = (
    "trunk_flexion_deg",
    "trunk_side_bend_deg",
    "trunk_twist_deg",
    "neck_flexion_deg",
    "left_upper_arm_flexion_deg",
    "right_upper_arm_flexion_deg",
    "right_upper_arm_abduction_deg",
    "left_elbow_flexion_deg",
    "right_elbow_flexion_deg",
    "left_knee_flexion_deg",
    "right_knee_flexion_deg",
)


@dataclass(frozen=True)
class ClipResult:
    motion: str
    view: str
    n_frames: int
    detected_share: float
    mae_deg: dict[str, float]  # column -> mean absolute error over frames where both are finite
    gravity: str  # "source pitch/roll conf"


def render_clip(
    path: str | Path, postures: Sequence[Posture], yaw_deg: float, camera: Camera, fps: float = 30.0
) -> None:
    """Write the mannequin performing `postures` (one per frame) as an H.264 mp4."""
    from ergopipe.video import H264Writer  # PyAV: only needed when a clip is written

    skeletons = np.stack([skeleton_gravity(p, yaw_deg) for p in postures])
    with H264Writer(path, width_px=camera.width_px, height_px=camera.height_px, fps=fps, crf=20) as out:
        for rgb in render_frames(skeletons, camera):
            out.write(rgb)


def angle_errors(
    table: AngleTable, postures: Sequence[Posture], columns: Sequence[str] = REPORTED, skip_frames: int = 0
) -> dict[str, float]:
    """Mean absolute error (deg) per column between the table and the postures' true angles (frame i of the
    table = postures[i]); frames before skip_frames and frames where the table is NaN are left out."""
    out: dict[str, float] = {}
    for col in columns:
        truth = np.array([p.expected_columns()[col] for p in postures], dtype=float)
        est = np.asarray(table.columns[col], dtype=float)[: truth.size]
        err = np.abs(est - truth[: est.size])[skip_frames:]
        out[col] = float(np.nanmean(err)) if np.isfinite(err).any() else float("nan")
    return out


def run_clip(
    workdir: str | Path,
    motion: str,
    view: str,
    *,
    n_frames: int = 90,
    still_frames: int = 15,
    camera: Camera = Camera(),
    fps: float = 30.0,
) -> ClipResult:
    """Render one motion from one view, run MediaPipe (ergopipe.pose) + clean_pose + compute_angles, and
    score the angles of the motion frames (the still lead-in only serves the gravity estimate)."""
    from ergopipe import pose, video  # MediaPipe: heavy, only here

    path = Path(workdir) / f"{motion}_{view}.mp4"
    postures = motion_postures(motion, n_frames, still_frames)
    render_clip(path, postures, VIEWS_DEG[view], camera, fps)
    seq = pose.estimate(video.probe(path))
    clean = clean_pose(seq)
    table = compute_angles(clean)
    mae = angle_errors(table, postures, skip_frames=still_frames)
    log.info("%s/%s: trunk flexion MAE %.1f deg", motion, view, mae["trunk_flexion_deg"])
    return ClipResult(
        motion,
        view,
        seq.n_frames,
        float(np.mean(seq.detected)),
        mae,
        f"{clean.gravity_source} {clean.camera_pitch_deg:.1f}/{clean.camera_roll_deg:.1f} "
        f"{clean.gravity_confidence:.2f}",
    )


def summarise(results: Sequence[ClipResult], columns: Sequence[str] = REPORTED) -> str:
    """Plain-text table: mean absolute error per angle (rows) per view (columns), averaged over motions."""
    views = [v for v in VIEWS_DEG if any(r.view == v for r in results)]
    lines = [f"{'angle (MAE, deg)':34s}" + "".join(f"{v:>10s}" for v in views)]
    for col in columns:
        cells = []
        for v in views:
            vals = [r.mae_deg[col] for r in results if r.view == v and np.isfinite(r.mae_deg[col])]
            cells.append(f"{np.mean(vals):10.1f}" if vals else f"{'n/a':>10s}")
        lines.append(f"{col:34s}" + "".join(cells))
    lines.append("")
    lines.append(f"{'trunk flexion by motion':34s}" + "".join(f"{v:>10s}" for v in views))
    for motion in dict.fromkeys(r.motion for r in results):
        cells = [
            next(
                (
                    f"{r.mae_deg['trunk_flexion_deg']:10.1f}"
                    for r in results
                    if r.motion == motion and r.view == v
                ),
                f"{'':10s}",
            )
            for v in views
        ]
        lines.append(f"{motion:34s}" + "".join(cells))
    lines.append("")
    lines.append("detection share / gravity (source pitch/roll confidence):")
    for r in results:
        lines.append(f"  {r.motion:10s} {r.view:8s} {r.detected_share:5.2f}  {r.gravity}")
    return "\n".join(lines)


def smoothing_sweep(
    windows_s: Sequence[float],
    *,
    n_frames: int = 60,
    noise_m: float = 0.015,
    repeats: int = 2,
    seed: int = 1,
    columns: Sequence[str] = REPORTED[:1] + REPORTED[5:6] + REPORTED[8:9] + REPORTED[10:11],
) -> str:
    """MAE (deg) per Savitzky-Golay window on exact skeletons of every motion plus Gaussian landmark noise
    (noise_m per coordinate, roughly MediaPipe's frame-to-frame jitter): the evidence for the default window.
    n_frames sets the motion speed (30 fps: 60 = a 2 s bend-and-return, 24 = 0.8 s)."""
    from ergopipe.clean import CleanSettings
    from ergopipe.synth.motions import MOTIONS
    from ergopipe.synth.skeleton import pose_sequence, skeleton_mediapipe

    rng = np.random.default_rng(seed)
    lines = ["window_s  " + "  ".join(f"{c.replace('_deg', ''):>26s}" for c in columns) + "      mean"]
    for window_s in windows_s:
        errs = []
        for motion in MOTIONS:
            postures = motion_postures(motion, n_frames, 15)
            exact = np.stack([skeleton_mediapipe(p) for p in postures])
            for _ in range(repeats):
                seq = pose_sequence(exact + rng.normal(0.0, noise_m, exact.shape))
                clean = clean_pose(
                    seq, settings=CleanSettings(smooth_window_s=window_s), camera_pitch_deg=0.0
                )
                e = angle_errors(compute_angles(clean), postures, columns, skip_frames=15)
                errs.append([e[c] for c in columns])
        mean = np.mean(errs, axis=0)
        lines.append(f"{window_s:8.2f}  " + "  ".join(f"{v:26.1f}" for v in mean) + f"  {np.mean(mean):8.2f}")
    return "\n".join(lines)
