"""Batch SMPL-X fit of all frames to cleaned 3D landmarks (torch; imported only when the stage runs).

Steps: observations (trusted mapped landmarks) -> analytic initial pose (init_pose) -> batched
Levenberg-Marquardt over all frames with shared shape (fit_solver, objective documented there) -> per-frame
residual and ok flag -> all 55 joints by numpy forward kinematics.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import torch

from ergopipe.body_model.fit_solver import Problem, solve
from ergopipe.body_model.init_pose import initial_pose
from ergopipe.body_model.kinematics import posed_joints
from ergopipe.body_model.mapping import MP_INDICES
from ergopipe.body_model.model_files import ModelArrays
from ergopipe.body_model.results import BodyFit, FitSettings
from ergopipe.body_model.sparse_body import SparseBody
from ergopipe.landmarks import LEFT_HIP, LEFT_SHOULDER, N_LANDMARKS, RIGHT_HIP, RIGHT_SHOULDER
from ergopipe.types import CleanPose

log = logging.getLogger(__name__)


def resolve_device(device: str) -> torch.device:
    """ "auto" -> CUDA when available, else CPU; anything else is passed to torch."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def observations(pose: CleanPose, settings: FitSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed keypoints (n, K, 3) in mapping.KEYPOINTS order, weights (n, K) and usable frames (n,)."""
    obs = pose.xyz_m[:, list(MP_INDICES)]
    weight = pose.landmark_ok[:, list(MP_INDICES)] & np.all(np.isfinite(obs), axis=2) & pose.detected[:, None]
    torso = [MP_INDICES.index(i) for i in (LEFT_HIP, RIGHT_HIP, LEFT_SHOULDER, RIGHT_SHOULDER)]
    usable = weight[:, torso].all(axis=1) & (weight.sum(axis=1) >= settings.min_keypoints)
    weight &= usable[:, None]
    return obs, weight.astype(np.float64), usable


def _empty_fit(pose: CleanPose, model: ModelArrays, device: torch.device, settings: FitSettings) -> BodyFit:
    """The result for a clip without analysed frames (shapes kept, nothing fitted)."""
    return BodyFit(
        frame_index=np.asarray(pose.frame_index),
        time_s=np.asarray(pose.time_s),
        global_orient=np.zeros((0, 3)),
        body_pose=np.zeros((0, 63)),
        betas=np.zeros(model.shapedirs.shape[2]),
        transl=np.zeros((0, 3)),
        joints_m=np.zeros((0, 55, 3)),
        keypoints_m=np.zeros((0, N_LANDMARKS, 3)),
        residual_mm=np.zeros(0),
        ok=np.zeros(0, dtype=bool),
        device=str(device),
        seconds=0.0,
        gender=settings.gender,
        model_path=str(model.path),
    )


def run_fit(pose: CleanPose, model: ModelArrays, device: torch.device, settings: FitSettings) -> BodyFit:
    """Fit all frames of `pose` at once and package the result (see BodyFit)."""
    started = time.perf_counter()
    n = pose.xyz_m.shape[0]
    if n == 0:
        return _empty_fit(pose, model, device, settings)
    obs_np, weight_np, usable = observations(pose, settings)
    rest_joints = model.J_regressor @ model.v_template
    init = initial_pose(
        np.where(weight_np[..., None] > 0, obs_np, np.nan),
        rest_joints,
        model.v_template[model.extra_vertex_ids],
    )
    dtype = getattr(torch, settings.dtype)
    body = SparseBody(model, device, dtype)
    tensor = lambda a: torch.as_tensor(np.asarray(a), dtype=dtype, device=device)  # noqa: E731
    x = torch.cat([tensor(init["global_orient"]), tensor(init["body_pose"]), tensor(init["transl"])], 1)
    betas = torch.zeros(body.num_betas, dtype=dtype, device=device)
    iterations = 0
    if usable.any():
        problem = Problem(
            body=body, obs=tensor(np.nan_to_num(obs_np)), weight=tensor(weight_np), settings=settings
        )
        threads = torch.get_num_threads()
        if device.type == "cpu" and settings.cpu_threads:
            torch.set_num_threads(settings.cpu_threads)
        try:
            with torch.no_grad():
                x, betas, iterations = solve(problem, x, betas)
        finally:
            torch.set_num_threads(threads)
    with torch.no_grad():
        fitted, _, _ = body.forward(x[:, :3], x[:, 3:66], betas, x[:, 66:])
    params = {"global_orient": x[:, :3], "body_pose": x[:, 3:66], "transl": x[:, 66:], "betas": betas}
    result = {k: v.detach().cpu().double().numpy() for k, v in params.items()}
    fitted_np = fitted.cpu().double().numpy()
    dist_mm = 1000.0 * np.linalg.norm(fitted_np - np.nan_to_num(obs_np), axis=2)
    with np.errstate(invalid="ignore"):
        residual_mm = (dist_mm * weight_np).sum(1) / weight_np.sum(1)
    residual_mm[~usable] = np.nan
    ok = usable & np.isfinite(residual_mm) & (residual_mm <= settings.max_residual_mm)
    shaped_rest = rest_joints + np.einsum("jv,vcb,b->jc", model.J_regressor, model.shapedirs, result["betas"])
    keypoints_m = np.full((n, N_LANDMARKS, 3), np.nan)
    keypoints_m[:, list(MP_INDICES)] = fitted_np
    seconds = time.perf_counter() - started
    log.info(
        "SMPL-X fit: %d frames (%d usable, %d ok) on %s, %d iterations in %.2f s, median residual %.1f mm",
        n,
        int(usable.sum()),
        int(ok.sum()),
        device,
        iterations,
        seconds,
        float(np.nanmedian(residual_mm)) if usable.any() else float("nan"),
    )
    return BodyFit(
        frame_index=np.asarray(pose.frame_index),
        time_s=np.asarray(pose.time_s),
        global_orient=result["global_orient"],
        body_pose=result["body_pose"],
        betas=result["betas"],
        transl=result["transl"],
        joints_m=posed_joints(shaped_rest, result["global_orient"], result["body_pose"], result["transl"]),
        keypoints_m=keypoints_m,
        residual_mm=residual_mm,
        ok=ok,
        device=str(device),
        seconds=seconds,
        gender=settings.gender,
        model_path=str(model.path),
        iterations=iterations,
    )
