"""Known motions for the video accuracy harness: a posture for every frame (the ground truth).

Each motion starts with `still_frames` of upright standing (a worker's normal posture; it also lets
clean_pose estimate the camera tilt), then goes neutral -> peak -> neutral following sin(pi * s).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ergopipe.synth.skeleton import Posture


def _bending(w: float, s: float) -> Posture:
    return Posture(
        trunk_flexion_deg=70 * w,
        neck_flexion_deg=10 * w,
        left_upper_arm_flexion_deg=55 * w,
        right_upper_arm_flexion_deg=55 * w,
        left_elbow_flexion_deg=10 + 10 * w,
        right_elbow_flexion_deg=10 + 10 * w,
        left_knee_flexion_deg=10 * w,
        right_knee_flexion_deg=10 * w,
        left_hip_flexion_deg=5 * w,
        right_hip_flexion_deg=5 * w,
    )


def _reaching(w: float, s: float) -> Posture:
    return Posture(
        trunk_flexion_deg=15 * w,
        right_upper_arm_flexion_deg=110 * w,
        right_upper_arm_abduction_deg=15 * w,
        right_elbow_flexion_deg=30 - 20 * w,
        left_upper_arm_flexion_deg=40 * w,
        left_elbow_flexion_deg=10 + 60 * w,
        right_shoulder_raise_deg=8 * w,
        neck_flexion_deg=-15 * w,
    )


def _squatting(w: float, s: float) -> Posture:
    return Posture(
        trunk_flexion_deg=35 * w,
        left_hip_flexion_deg=95 * w,
        right_hip_flexion_deg=95 * w,
        left_knee_flexion_deg=125 * w,
        right_knee_flexion_deg=125 * w,
        left_upper_arm_flexion_deg=70 * w,
        right_upper_arm_flexion_deg=70 * w,
        left_elbow_flexion_deg=10 + 20 * w,
        right_elbow_flexion_deg=10 + 20 * w,
    )


def _twisting(w: float, s: float) -> Posture:
    twist = 40 * np.sin(2 * np.pi * s)
    return Posture(
        trunk_twist_deg=twist,
        trunk_flexion_deg=10 * w,
        left_upper_arm_flexion_deg=35,
        right_upper_arm_flexion_deg=35,
        left_elbow_flexion_deg=90,
        right_elbow_flexion_deg=90,
        neck_twist_deg=-0.3 * twist,
    )


MOTIONS: dict[str, Callable[[float, float], Posture]] = {
    "bending": _bending,
    "reaching": _reaching,
    "squatting": _squatting,
    "twisting": _twisting,
}


def motion_postures(name: str, n_frames: int, still_frames: int = 15) -> list[Posture]:
    """`still_frames` upright frames then `n_frames` of the motion (weight w = sin(pi s), s in [0, 1])."""
    make = MOTIONS[name]
    out = [Posture()] * still_frames
    for i in range(n_frames):
        s = i / max(1, n_frames - 1)
        out.append(make(float(np.sin(np.pi * s)), s))
    return out
