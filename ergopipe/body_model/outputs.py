"""Files written from a fit: `<stem>_smplx.npz` (parameters) and a PNG visual check (I/O edge)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from ergopipe.body_model.mapping import JOINT_NAMES, MP_INDICES, N_POSED_JOINTS, PARENTS
from ergopipe.body_model.results import BodyFit
from ergopipe.landmarks import SEGMENTS
from ergopipe.types import CleanPose


def save_fit_npz(fit: BodyFit, path: Path) -> Path:
    """Write the fit atomically (temp file + rename). Keys: frame_index, time_s, global_orient (n, 3),
    body_pose (n, 63), betas (B,), transl (n, 3) - the `smplx.SMPLX.forward` layout, radians and metres in
    the gravity frame - joints_m (n, 55, 3), joint_names, keypoints_m (n, 33, 3), residual_mm (n,), ok (n,),
    gender, device, seconds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp.npz")
    os.close(fd)
    try:
        np.savez_compressed(
            tmp,
            frame_index=fit.frame_index,
            time_s=fit.time_s,
            global_orient=fit.global_orient,
            body_pose=fit.body_pose,
            betas=fit.betas,
            transl=fit.transl,
            joints_m=fit.joints_m,
            joint_names=np.array(JOINT_NAMES),
            keypoints_m=fit.keypoints_m,
            residual_mm=fit.residual_mm,
            ok=fit.ok,
            gender=np.array(fit.gender),
            device=np.array(fit.device),
            seconds=np.array(fit.seconds),
        )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _draw(ax, fit: BodyFit, pose: CleanPose, i: int, axes: tuple[int, int], title: str) -> None:
    """One view: observed landmarks and skeleton (grey) vs fitted body skeleton (blue/red joints)."""
    a, b = axes
    obs = pose.xyz_m[i]
    for p, q, _ in SEGMENTS:
        if np.all(np.isfinite(obs[[p, q]])):
            ax.plot(obs[[p, q], a], obs[[p, q], b], color="0.6", lw=3, zorder=1)
    joints = fit.joints_m[i]
    for j in range(1, N_POSED_JOINTS):
        p = PARENTS[j]
        ax.plot(joints[[p, j], a], joints[[p, j], b], color="tab:blue", lw=1.5, zorder=2)
    kp = fit.keypoints_m[i][list(MP_INDICES)]
    ax.scatter(kp[:, a], kp[:, b], s=8, color="tab:red", zorder=3)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=8)
    ax.tick_params(labelsize=6)


def render_fit_check(fit: BodyFit, pose: CleanPose, path: Path, frames: Sequence[int]) -> Path:
    """PNG with a front (x-y) and side (z-y) view per chosen frame (row index into the fit): observed
    landmarks (grey), fitted SMPL-X skeleton (blue) and its MediaPipe-equivalent points (red), with the
    frame's residual and whether the fit was trusted."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frames = [int(f) for f in frames if 0 <= int(f) < fit.n_frames] or [0]
    fig, axs = plt.subplots(len(frames), 2, figsize=(6, 3.2 * len(frames)), squeeze=False)
    for row, i in enumerate(frames):
        status = "ok" if fit.ok[i] else "FAILED (keypoint angles used)"
        when = f"frame {int(fit.frame_index[i])}, t={float(fit.time_s[i]):.2f} s"
        label = f"{when}, {fit.residual_mm[i]:.0f} mm {status}"
        _draw(axs[row, 0], fit, pose, i, (0, 1), "front  " + label)
        _draw(axs[row, 1], fit, pose, i, (2, 1), "side")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
