"""Synthetic motion with known SMPL-X joint rotations, and the MediaPipe-like landmarks it produces.

Used by the tests (known-answer fits) and the benchmark. Each degree of freedom moves as a smooth sum of two
sines, inside anatomical ranges: a worker turning, bending, reaching and squatting slightly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.spatial.transform import Rotation

from ergopipe.body_model.mapping import JOINT, MP_INDICES, N_BODY_JOINTS
from ergopipe.landmarks import N_LANDMARKS
from ergopipe.types import CleanPose

# joint -> ((axis, centre_deg, amplitude_deg), ...) applied in the joint's local frame, in this order.
# An axis written "y:trunk" shares one wave with every other "y:trunk" (the spine twists as one).
_MOTION: dict[str, tuple[tuple[str, float, float], ...]] = {
    "spine1": (("y:trunk", 0, 12), ("x:bend", 8, 8)),
    "spine2": (("y:trunk", 0, 12), ("x:bend", 8, 8)),
    "spine3": (("y:trunk", 0, 12), ("x:bend", 6, 6), ("z", 0, 4)),
    "neck": (("y:neck", 0, 18), ("x", 5, 10)),
    "head": (("y:neck", 0, 18), ("x", 5, 8), ("z", 0, 5)),
    "left_hip": (("x", -25, 25), ("z", 5, 5)),
    "right_hip": (("x", -20, 20), ("z", -5, 5)),
    "left_knee": (("x", 30, 25),),
    "right_knee": (("x", 25, 20),),
    "left_shoulder": (("z", -50, 25), ("y", -25, 25)),
    "right_shoulder": (("z", 50, 25), ("y", 20, 25)),
    "left_elbow": (("y", -50, 40),),
    "right_elbow": (("y", 55, 40),),
    "left_wrist": (("z", -15, 30), ("y", 0, 12)),
    "right_wrist": (("z", 15, 30), ("y", 0, 12)),
}


def synthetic_motion(
    n_frames: int, fps: float = 30.0, seed: int = 0, num_betas: int = 10
) -> dict[str, np.ndarray]:
    """Known SMPL-X parameters: global_orient (n, 3), body_pose (n, 63), betas (num_betas,), transl (n, 3).

    The body faces the camera (+z) turning up to +-40 deg about the vertical; betas are small random shapes.
    """
    rng = np.random.default_rng(seed)
    t_s = np.arange(n_frames) / fps
    shared: dict[str, np.ndarray] = {}

    def wave(centre: float, amplitude: float, group: str = "") -> np.ndarray:
        if group not in shared or not group:
            f1, f2 = rng.uniform(0.2, 0.6, 2)
            p1, p2 = rng.uniform(0, 2 * np.pi, 2)
            shared[group] = 0.7 * np.sin(2 * np.pi * f1 * t_s + p1) + 0.3 * np.sin(2 * np.pi * f2 * t_s + p2)
        return centre + amplitude * shared[group]

    body_pose = np.zeros((n_frames, N_BODY_JOINTS, 3))
    for name, moves in _MOTION.items():
        rot = Rotation.identity(n_frames)
        for axis_group, centre, amplitude in moves:
            axis, _, group = axis_group.partition(":")
            rot = rot * Rotation.from_euler(axis, wave(centre, amplitude, group)[:, None], degrees=True)
        body_pose[:, JOINT[name] - 1] = rot.as_rotvec()
    orient = Rotation.from_euler("y", wave(0, 40)[:, None], degrees=True) * Rotation.from_euler(
        "x", wave(0, 5)[:, None], degrees=True
    )
    transl = np.stack([wave(0, 0.3), wave(0.0, 0.03), wave(0.0, 0.2)], axis=1)
    return {
        "global_orient": orient.as_rotvec(),
        "body_pose": body_pose.reshape(n_frames, -1),
        "betas": rng.normal(scale=0.8, size=num_betas),
        "transl": transl,
    }


def synthetic_clean_pose(model_file: Path, params: dict[str, np.ndarray], fps: float = 30.0) -> CleanPose:
    """Forward `params` through the model file and place the mapped points at their MediaPipe indices.

    Landmarks without an SMPL-X counterpart (eye corners, mouth) are NaN and not ok, like untrusted points.
    """
    import torch

    from ergopipe.body_model.model_files import load_model
    from ergopipe.body_model.sparse_body import SparseBody

    model = load_model(model_file, num_betas=params["betas"].shape[0])
    body = SparseBody(model, torch.device("cpu"), torch.float64)
    with torch.no_grad():
        keypoints, _, _ = body.forward(
            *(torch.as_tensor(params[k]) for k in ("global_orient", "body_pose", "betas", "transl"))
        )
    n = keypoints.shape[0]
    xyz = np.full((n, N_LANDMARKS, 3), np.nan)
    xyz[:, list(MP_INDICES)] = keypoints.numpy()
    ok = np.all(np.isfinite(xyz), axis=2)
    return CleanPose(
        time_s=np.arange(n) / fps,
        frame_index=np.arange(n),
        xyz_m=xyz,
        landmark_ok=ok,
        detected=np.ones(n, dtype=bool),
        camera_pitch_deg=0.0,
        camera_roll_deg=0.0,
        gravity_confidence=1.0,
        gravity_source="declared",
        notes=("synthetic SMPL-X motion",),
    )
