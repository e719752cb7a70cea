"""Figure of the angle definitions for docs/angles.md, drawn from generated skeletons (matplotlib).

PYTHONPATH=. python -m ergopipe.synth.figure docs/angles_definitions.png
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from ergopipe import landmarks as lm
from ergopipe.synth.skeleton import Posture, skeleton_gravity

SAGITTAL = Posture(
    trunk_flexion_deg=35,
    neck_flexion_deg=20,
    right_upper_arm_flexion_deg=60,
    right_elbow_flexion_deg=50,
    right_knee_flexion_deg=30,
    right_hip_flexion_deg=15,
    left_upper_arm_flexion_deg=60,
    left_elbow_flexion_deg=50,
    left_knee_flexion_deg=30,
    left_hip_flexion_deg=15,
)
FRONTAL = Posture(trunk_side_bend_deg=15, right_upper_arm_abduction_deg=50, neck_side_bend_deg=10)
TWIST = Posture(trunk_twist_deg=30)


def _segments(ax, pts2: np.ndarray, color: str = "0.35") -> None:
    for a, b, _ in lm.SEGMENTS:
        ax.plot(*pts2[[a, b]].T, color=color, lw=2)
    ear = (pts2[lm.LEFT_EAR] + pts2[lm.RIGHT_EAR]) / 2
    sh = (pts2[lm.LEFT_SHOULDER] + pts2[lm.RIGHT_SHOULDER]) / 2
    ax.plot(*np.stack([sh, ear]).T, color=color, lw=2)
    ax.scatter(*pts2[:, :2].T, s=6, color="k", zorder=3)


def _arc(ax, centre, ref_deg: float, to_deg: float, r: float, label: str, color: str) -> None:
    t = np.radians(np.linspace(ref_deg, to_deg, 30))
    ax.plot(centre[0] + r * np.cos(t), centre[1] + r * np.sin(t), color=color, lw=1.5)
    mid = np.radians((ref_deg + to_deg) / 2)
    ax.text(
        centre[0] + 1.25 * r * np.cos(mid),
        centre[1] + 1.25 * r * np.sin(mid),
        label,
        color=color,
        fontsize=8,
        ha="center",
        va="center",
    )


def _dir_deg(v: np.ndarray) -> float:
    return float(np.degrees(np.arctan2(v[1], v[0])))


def draw_definitions(path: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12, 5))
    # Side view: the person faces +x (yaw 90); plot (x, y).
    p = skeleton_gravity(SAGITTAL, yaw_deg=90)[:, [0, 1]]
    ax = axes[0]
    _segments(ax, p)
    hip, sh = (p[23] + p[24]) / 2, (p[11] + p[12]) / 2
    ear = (p[7] + p[8]) / 2
    ax.plot(*np.stack([hip, hip + [0, 0.45]]).T, "k--", lw=1)
    _arc(ax, hip, 90, _dir_deg(sh - hip), 0.25, "trunk\nflexion +", "C0")
    ax.plot(*np.stack([sh, sh + 0.25 * (sh - hip) / np.linalg.norm(sh - hip)]).T, "k:", lw=1)
    _arc(ax, sh, _dir_deg(sh - hip), _dir_deg(ear - sh), 0.12, "neck +", "C1")
    _arc(ax, p[12], _dir_deg(hip - sh), _dir_deg(p[14] - p[12]), 0.15, "upper arm\nflexion +", "C2")
    _arc(ax, p[14], _dir_deg(p[14] - p[12]), _dir_deg(p[16] - p[14]), 0.1, "elbow", "C3")
    _arc(ax, p[26], _dir_deg(p[26] - p[24]), _dir_deg(p[28] - p[26]), 0.1, "knee", "C4")
    ax.set_title("side view (sagittal): forward +")
    # Front view: the person faces the camera (yaw 0), so their right is -x.
    q = skeleton_gravity(FRONTAL, yaw_deg=0)[:, [0, 1]]
    ax = axes[1]
    _segments(ax, q)
    hip, sh = (q[23] + q[24]) / 2, (q[11] + q[12]) / 2
    ax.plot(*np.stack([hip, hip + [0, 0.45]]).T, "k--", lw=1)
    _arc(ax, hip, 90, _dir_deg(sh - hip), 0.25, "side-bend\n(to right +)", "C0")
    _arc(ax, q[12], _dir_deg(hip - sh), _dir_deg(q[14] - q[12]), 0.15, "abduction +", "C2")
    ax.set_title("front view (frontal): person's right = image left")
    # Top view: x right, -z up on the page (camera at the bottom).
    r = skeleton_gravity(TWIST, yaw_deg=0)[:, [0, 2]] * [1, -1]
    ax = axes[2]
    ax.plot(*r[[23, 24]].T, color="C5", lw=3, label="hip line")
    ax.plot(*r[[11, 12]].T, color="C0", lw=3, label="shoulder line")
    ax.scatter(*r[[0]].T, color="k", s=20, label="nose (facing the camera)")
    _arc(
        ax,
        np.zeros(2),
        _dir_deg(r[23] - r[24]),
        _dir_deg(r[11] - r[12]),
        0.15,
        "twist +\n(left shoulder\nforward)",
        "C0",
    )
    ax.legend(loc="upper left", fontsize=7)
    ax.set_ylim(-0.2, 0.2)
    ax.set_title("top view: trunk twist")
    for ax in axes:
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
        ax.set_xlabel("m")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    draw_definitions(sys.argv[1] if len(sys.argv) > 1 else "docs/angles_definitions.png")
