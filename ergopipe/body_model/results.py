"""Settings and result types of the SMPL-X fit (numpy only, importable without torch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FitSettings:
    """How the batch fit runs. Weights multiply squared quantities summed over frames;
    the keypoint term is squared metres summed over frames and landmarks.

    gender: which model file, SMPLX_<GENDER>.npz ("neutral", "male", "female").
    num_betas: shape coefficients fitted (shared by all frames).
    iterations: at most this many Levenberg-Marquardt iterations (each: one Jacobian, one banded solve).
    max_residual_mm: a frame whose mean keypoint distance exceeds this is marked failed (ok = False).
    min_keypoints: a frame needs at least this many trusted mapped landmarks (and both hips and shoulders).
    cpu_threads: the fit's tensors are small (frames x 69 parameters), so extra intra-op threads mostly
        spin; on a busy machine they made the fit 16x slower than one thread.
    """

    gender: str = "neutral"
    num_betas: int = 10
    iterations: int = 20
    tolerance: float = 1e-3  # stop when an iteration lowers the cost by less than this fraction
    pose_prior_weight: float = 1e-5  # squared axis-angle (rad^2) of every body joint
    collar_prior_weight: float = 1e-3  # collar (clavicle) rotations, extra (rad^2)
    hinge_weight: float = 1e-2  # elbow/knee rotation off their hinge axis (rad^2)
    limit_weight: float = 1e-1  # rotation beyond the joint limits (rad^2)
    smooth_weight: float = 1e-1  # frame-to-frame acceleration of the parameters (rad^2, m^2)
    betas_weight: float = 1e-6  # shape coefficients (unitless^2)
    max_residual_mm: float = 60.0
    min_keypoints: int = 12
    cpu_threads: int | None = 1  # torch threads during a CPU fit (restored after); None = leave as is
    dtype: str = "float32"  # "float64" doubles the cost on CPU; float32 reaches sub-millimetre residuals


@dataclass(frozen=True)
class BodyFit:
    """A fitted SMPL-X body per analysed frame, in the CleanPose gravity frame (x right, y up, z toward the
    camera, metres). Parameters are in the layout `smplx.SMPLX.forward` takes (axis-angle, radians).

    global_orient: (n, 3); body_pose: (n, 63) = joints 1..21; betas: (num_betas,) shared; transl: (n, 3).
    joints_m: (n, 55, 3) fitted joint centres; keypoints_m: (n, 33, 3) the fitted body's MediaPipe-equivalent
        points (NaN for landmarks without an SMPL-X counterpart).
    residual_mm: (n,) mean distance fitted vs observed over the trusted mapped landmarks (NaN = not fitted).
    ok: (n,) True where the fit is trusted; elsewhere the pipeline keeps the keypoint angles.
    """

    frame_index: np.ndarray
    time_s: np.ndarray
    global_orient: np.ndarray
    body_pose: np.ndarray
    betas: np.ndarray
    transl: np.ndarray
    joints_m: np.ndarray
    keypoints_m: np.ndarray
    residual_mm: np.ndarray
    ok: np.ndarray
    device: str
    seconds: float
    gender: str
    model_path: str
    iterations: int = 0  # Levenberg-Marquardt iterations run

    @property
    def n_frames(self) -> int:
        return int(self.ok.shape[0])
