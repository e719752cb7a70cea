"""Benchmark of the SMPL-X fit: ms per frame for a 300-frame batch fit with a full-size synthetic model.

    PYTHONPATH=. python benchmarks/smplx_fit_bench.py [--frames 300] [--devices cpu,cuda]

CPU runs on ONE torch thread (torch.set_num_threads(1)); CUDA runs when a GPU is present. Also times one
forward + Jacobian pass of the sparse body against one forward + backward pass of the full 10,475-vertex
mesh (what an autograd fit of the whole mesh would pay per iteration). Target: <= 40 ms/frame on CPU.
"ms/frame" is wall-clock time; "cpu ms/frame" is the process's CPU time, which is what one unshared core
would take (the two differ on a busy machine).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from ergopipe.body_model import FitSettings, angles_from_fit, fit_body_model
from ergopipe.body_model.fit_angles import rotation_angles
from ergopipe.body_model.model_files import load_model
from ergopipe.body_model.sparse_body import SparseBody, axis_angle_to_matrix
from ergopipe.body_model.sparse_jacobian import keypoint_jacobians
from ergopipe.body_model.synthetic import write_synthetic_model
from ergopipe.body_model.synthetic_motion import synthetic_clean_pose, synthetic_motion

log = logging.getLogger("smplx_fit_bench")


def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def fit_row(model_dir: Path, model_file: Path, frames: int, device: str) -> dict[str, float | str]:
    truth = synthetic_motion(frames, seed=42)
    pose = synthetic_clean_pose(model_file, truth)
    settings = FitSettings(cpu_threads=1)
    warm = synthetic_clean_pose(model_file, synthetic_motion(10, seed=1))
    fit_body_model(warm, model_dir=model_dir, device=device, settings=settings)  # lazy CUDA/torch init
    _sync(device)
    started, cpu_started = time.perf_counter(), time.process_time()
    fit = fit_body_model(pose, model_dir=model_dir, device=device, settings=settings)
    _sync(device)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    expected = rotation_angles(truth["global_orient"], truth["body_pose"])
    got = angles_from_fit(fit)
    worst = max(float(np.nanmax(np.abs(got[k] - expected[k]))) for k in got)
    return {
        "what": f"fit {frames} frames",
        "device": device,
        "s": seconds,
        "ms/frame": 1000 * seconds / frames,
        "cpu ms/frame": 1000 * cpu_seconds / frames,
        "iterations": fit.iterations,
        "residual_mm": float(np.nanmedian(fit.residual_mm)),
        "max_angle_err_deg": worst,
        "ok": f"{int(fit.ok.sum())}/{frames}",
    }


def _full_mesh_pass(model, n: int, device: str) -> float:
    """Seconds for one forward + backward of the full-mesh LBS (smplx.lbs maths) for n frames."""
    t = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float32, device=device)  # noqa: E731
    v_template, shapedirs, j_reg = t(model.v_template), t(model.shapedirs), t(model.J_regressor)
    posedirs = t(model.posedirs.reshape(-1, model.posedirs.shape[-1]).T)
    weights = t(model.weights)
    parents = model.parents.tolist()
    pose = torch.zeros(n, 55, 3, device=device)
    pose[:, :22] = 0.2
    pose.requires_grad_()
    betas = torch.zeros(n, shapedirs.shape[2], device=device, requires_grad=True)
    _sync(device)
    started = time.perf_counter()
    v_shaped = v_template + torch.einsum("nb,vcb->nvc", betas, shapedirs)
    joints = torch.einsum("jv,nvc->njc", j_reg, v_shaped)
    rot = axis_angle_to_matrix(pose)
    feat = (rot[:, 1:] - torch.eye(3, device=device)).reshape(n, -1)
    v_posed = v_shaped + (feat @ posedirs).reshape(n, -1, 3)
    chain = [
        torch.cat(
            [
                torch.cat([rot[:, 0], joints[:, 0, :, None]], 2),
                torch.tensor([0.0, 0, 0, 1], device=device).expand(n, 1, 4),
            ],
            1,
        )
    ]
    for j in range(1, 55):
        local = torch.cat(
            [
                torch.cat([rot[:, j], (joints[:, j] - joints[:, parents[j]])[:, :, None]], 2),
                torch.tensor([0.0, 0, 0, 1], device=device).expand(n, 1, 4),
            ],
            1,
        )
        chain.append(chain[parents[j]] @ local)
    g = torch.stack(chain, 1)
    rest = torch.cat([joints, torch.zeros(n, 55, 1, device=device)], 2)[..., None]
    g = g - torch.cat([torch.zeros(n, 55, 4, 3, device=device), g @ rest], 3)
    skin = torch.einsum("vj,njab->nvab", weights, g)
    verts = (skin[..., :3, :3] @ v_posed[..., None])[..., 0] + skin[..., :3, 3]
    verts.square().sum().backward()
    _sync(device)
    return time.perf_counter() - started


def pass_rows(model_file: Path, frames: int, device: str) -> list[dict[str, float | str]]:
    model = load_model(model_file, 10)
    body = SparseBody(model, torch.device(device), torch.float32)
    x = torch.full((frames, 69), 0.2, device=device)
    betas = torch.zeros(10, device=device)
    for _ in range(2):  # warm-up, then timed
        _sync(device)
        started = time.perf_counter()
        st = body.state(x[:, :3], x[:, 3:66], betas, x[:, 66:])
        keypoint_jacobians(body, x[:, :66].reshape(frames, 22, 3), st)
        _sync(device)
        sparse_s = time.perf_counter() - started
    n_full = min(frames, 100)  # the full mesh needs ~1 GB per 100 frames for autograd
    _full_mesh_pass(model, 2, device)
    full_s = _full_mesh_pass(model, n_full, device) * frames / n_full
    return [
        {
            "what": "sparse forward + Jacobian",
            "device": device,
            "s": sparse_s,
            "ms/frame": 1000 * sparse_s / frames,
        },
        {
            "what": "full-mesh forward + backward",
            "device": device,
            "s": full_s,
            "ms/frame": 1000 * full_s / frames,
            "ok": f"{full_s / sparse_s:.0f}x the sparse pass",
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--devices", default="cpu,cuda", help="comma list; cuda is skipped without a GPU")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    torch.set_num_threads(1)
    rows: list[dict[str, float | str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        model_file = write_synthetic_model(Path(tmp), n_vertices=10475, seed=0)
        for device in args.devices.split(","):
            if device == "cuda" and not torch.cuda.is_available():
                log.warning("no CUDA device: CUDA rows skipped")
                continue
            rows.append(fit_row(Path(tmp), model_file, args.frames, device))
            rows.extend(pass_rows(model_file, args.frames, device))
    cols = (
        "what",
        "device",
        "s",
        "ms/frame",
        "cpu ms/frame",
        "iterations",
        "residual_mm",
        "max_angle_err_deg",
        "ok",
    )
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} CPU thread(s), 10,475-vertex synthetic model"
    )
    print(" | ".join(f"{c:>12s}" if c != "what" else f"{c:<28s}" for c in cols))
    for row in rows:
        cells = []
        for c in cols:
            v = row.get(c, "")
            cells.append(
                f"{v:<28s}" if c == "what" else f"{v:>12.2f}" if isinstance(v, float) else f"{str(v):>12s}"
            )
        print(" | ".join(cells))


if __name__ == "__main__":
    main()
