"""Batched Levenberg-Marquardt for the SMPL-X fit: per-frame 69-parameter blocks + shared shape.

Cost (x_t = global_orient 3, body_pose 63, transl 3 of frame t; beta shared by all frames):
    sum_t sum_k w_tk |p_k(x_t, beta) - o_tk|^2        keypoints, metres (w = 1 for trusted landmarks)
  + pose_prior * sum_t |body_pose_t|^2                keeps unobserved DOFs (spine split, collars) near rest
  + collar_prior * sum_t |collar rotations|^2          the clavicles move little; keeps twist in the spine
  + hinge * sum_t (elbow rotation about x, z)^2 + (knee rotation about y, z)^2     elbows/knees are hinges
  + limit * sum_t (elbow/knee flexion beyond its anatomical range)^2
  + smooth * sum_t |x_{t+1} - 2 x_t + x_{t-1}|^2       temporal smoothness (parameter acceleration)
  + betas * |beta|^2
Keypoint Jacobians are analytic (sparse_jacobian). The priors are quadratic with diagonal curvature and are
added straight into each frame's normal equations. Smoothness couples frames t-2..t+2: the Gauss-Newton
system is block-pentadiagonal and is solved exactly by block Cholesky (banded); the shared shape is solved
jointly through its Schur complement. Steps are taken only when the total cost drops (Marquardt damping);
the fit stops when an iteration improves the cost by less than `tolerance` (relative).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch

from ergopipe.body_model.banded import BlockPentadiagonal
from ergopipe.body_model.mapping import JOINT, N_POSED_JOINTS
from ergopipe.body_model.results import FitSettings
from ergopipe.body_model.sparse_body import SparseBody
from ergopipe.body_model.sparse_jacobian import keypoint_jacobians

log = logging.getLogger(__name__)
N_FRAME_PARAMS = 69


def _x_index(joint: str, component: int) -> int:
    """Column of a joint's axis-angle component in x_t (global_orient first, then body_pose)."""
    return 3 * JOINT[joint] + component


_HINGE = [_x_index(f"{s}_elbow", c) for s in ("left", "right") for c in (0, 2)] + [
    _x_index(f"{s}_knee", c) for s in ("left", "right") for c in (1, 2)
]
_COLLARS = [_x_index(f"{s}_collar", c) for s in ("left", "right") for c in range(3)]
# (column, low rad, high rad): knees flex about +x; the left elbow flexes about -y, the right about +y.
_LIMITS = (
    (_x_index("left_knee", 0), -0.1, 2.6),
    (_x_index("right_knee", 0), -0.1, 2.6),
    (_x_index("left_elbow", 1), -2.7, 0.1),
    (_x_index("right_elbow", 1), -0.1, 2.7),
)


@dataclass
class Problem:
    body: SparseBody
    obs: torch.Tensor  # (n, K, 3) metres, 0 where missing
    weight: torch.Tensor  # (n, K) 1 for trusted landmarks, 0 otherwise
    settings: FitSettings


def _accel(x: torch.Tensor) -> torch.Tensor:
    """D x: second differences along frames (n - 2, ...); empty if n < 3."""
    return x[2:] - 2 * x[1:-1] + x[:-2]


def _accel_normal(x: torch.Tensor) -> torch.Tensor:
    """D'D x (same shape as x): half the gradient of |D x|^2."""
    g = torch.zeros_like(x)
    if x.shape[0] >= 3:
        a = _accel(x)
        g[:-2] += a
        g[1:-1] -= 2 * a
        g[2:] += a
    return g


def _prior_terms(s: FitSettings, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pose prior, hinge and limits: total cost (scalar), half-gradient and diagonal curvature (n, 69)."""
    diag = torch.zeros_like(x)
    diag[:, 3 : 3 * N_POSED_JOINTS] += s.pose_prior_weight
    diag[:, _HINGE] += s.hinge_weight
    diag[:, _COLLARS] += s.collar_prior_weight
    grad = diag * x  # pose prior and hinge pull toward 0
    cost = (diag * x * x).sum()
    for col, low, high in _LIMITS:
        v = x[:, col]
        excess = torch.clamp(v - high, min=0) - torch.clamp(low - v, min=0)  # signed distance outside
        diag[:, col] += s.limit_weight * (excess != 0).to(x.dtype)
        grad[:, col] += s.limit_weight * excess
        cost = cost + s.limit_weight * (excess**2).sum()
    return cost, grad, diag


def _total(prob: Problem, x: torch.Tensor, betas: torch.Tensor) -> torch.Tensor:
    """The full cost (module docstring) at (x, betas)."""
    s = prob.settings
    st = prob.body.state(x[:, :3], x[:, 3:66], betas, x[:, 66:])
    data = (prob.weight * ((st.keypoints - prob.obs) ** 2).sum(-1)).sum()
    prior, _, _ = _prior_terms(s, x)
    return data + prior + s.smooth_weight * (_accel(x) ** 2).sum() + s.betas_weight * (betas**2).sum()


def _lm_step(
    h_xx: torch.Tensor,
    h_xb: torch.Tensor,
    h_bb: torch.Tensor,
    smooth: float,
    g_x: torch.Tensor,
    g_b: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Solve [[H_xx + smooth D'D, H_xb], [H_bx, H_bb]] [dx; db] = -[g_x; g_b] exactly: the pose part by
    block-pentadiagonal Cholesky, the shape through its Schur complement."""
    factor = BlockPentadiagonal(h_xx, smooth)
    sol = factor.solve(torch.cat([g_x[..., None], h_xb], 2))  # (n, 69, 1 + B)
    schur = h_bb - torch.einsum("tpb,tpc->bc", h_xb, sol[..., 1:])
    d_b = -torch.linalg.solve(schur, g_b - torch.einsum("tpb,tp->b", h_xb, sol[..., 0]))
    d_x = -(sol[..., 0] + (sol[..., 1:] @ d_b[:, None])[..., 0])
    return d_x, d_b


def solve(prob: Problem, x: torch.Tensor, betas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Minimise from (x (n, 69), betas (B,)); returns the fitted x, betas and the iterations run.

    The normal equations are accumulated and solved in float64 whatever the model dtype."""
    s, body = prob.settings, prob.body
    n, n_b = x.shape[0], betas.shape[0]
    f64 = torch.float64
    lam, nu, factorisations = 1e-3, 2.0, 0
    eye_b = torch.eye(n_b, dtype=f64, device=x.device)
    sqrt_w = prob.weight.repeat_interleave(3, dim=1)  # (n, K*3)
    total = _total(prob, x, betas).double()
    iterations = 0
    for iterations in range(1, s.iterations + 1):
        st = body.state(x[:, :3], x[:, 3:66], betas, x[:, 66:])
        jx, jb = keypoint_jacobians(body, x[:, :66].reshape(n, N_POSED_JOINTS, 3), st)
        r = ((st.keypoints - prob.obs).reshape(n, -1) * sqrt_w).to(f64)
        jx, jb = (jx * sqrt_w[..., None]).to(f64), (jb * sqrt_w[..., None]).to(f64)
        _, p_grad, p_diag = (t.to(f64) for t in _prior_terms(s, x))
        x64 = x.to(f64)
        h_xx = jx.transpose(1, 2) @ jx + torch.diag_embed(p_diag)
        g_x = (jx.transpose(1, 2) @ r[..., None])[..., 0] + p_grad + s.smooth_weight * _accel_normal(x64)
        h_xb = jx.transpose(1, 2) @ jb
        h_bb = (jb.transpose(1, 2) @ jb).sum(0) + s.betas_weight * eye_b
        g_b = (jb.transpose(1, 2) @ r[..., None])[..., 0].sum(0) + s.betas_weight * betas.double()
        diag_x = torch.diagonal(h_xx, dim1=1, dim2=2) + 1e-6
        diag_b = torch.diagonal(h_bb) + 1e-6
        while True:
            factorisations += 1
            d_x, d_b = _lm_step(
                h_xx + lam * torch.diag_embed(diag_x),
                h_xb,
                h_bb + lam * torch.diag(diag_b),
                s.smooth_weight,
                g_x,
                g_b,
            )
            x_new, b_new = x + d_x.to(x.dtype), betas + d_b.to(x.dtype)
            total_new = _total(prob, x_new, b_new).double()
            # gain ratio: actual / predicted decrease of the quadratic model (cost = sum of squares)
            predicted = (
                -(g_x * d_x).sum()
                - (g_b * d_b).sum()
                + lam * ((diag_x * d_x**2).sum() + (diag_b * d_b**2).sum())
            )
            rho = float((total - total_new) / predicted) if predicted > 0 else -1.0
            if rho > 0:
                lam, nu = lam * max(1 / 3, 1 - (2 * rho - 1) ** 3), 2.0  # Nielsen's update
                break
            lam, nu = lam * nu, nu * 2
            if lam > 1e10:
                break
        if not rho > 0:
            break
        improvement = float(total - total_new)
        log.debug(
            "LM iteration %d: cost %.4g -> %.4g, gain ratio %.2f, lambda %.1e",
            iterations,
            float(total),
            float(total_new),
            rho,
            lam,
        )
        x, betas, total = x_new, b_new, total_new
        if improvement <= s.tolerance * float(total):
            break
    log.debug("LM: %d iterations, %d factorisations", iterations, factorisations)
    return x, betas, iterations
