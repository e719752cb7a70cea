"""Analytic Jacobian of the sparse SMPL-X keypoints w.r.t. each frame's parameters and the shared shape.

Perturbing the local axis-angle theta_a of joint a by delta turns R_a into R_a exp(J_r(theta_a) delta)
(J_r: right Jacobian of SO(3)), i.e. it rotates everything below joint a about the posed joint P_a with the
world angular velocity w = G_a J_r(theta_a) delta. A keypoint skinned as p = sum_j w_j (G_j (x - J_j) + P_j)
therefore moves by w x sum_{j below a} w_j (q_j - P_a) (q_j = that joint's copy of the point), plus the
pose blend-shape change of x mapped by sum_j w_j G_j. transl enters with the identity. Shape enters
through the rest joints (down the chain) and the point's own shape directions.
One forward pass gives all 69 + B columns of every frame: this is what makes the fit fast.
"""

from __future__ import annotations

import torch

from ergopipe.body_model.mapping import N_POSED_JOINTS
from ergopipe.body_model.sparse_body import PoseState, SparseBody, mm3, skew


def right_jacobian(aa: torch.Tensor) -> torch.Tensor:
    """(..., 3) axis-angle -> (..., 3, 3) right Jacobian of the SO(3) exponential map."""
    t2 = (aa * aa).sum(-1)[..., None, None]
    t = torch.sqrt(t2 + 1e-12)
    small = t2 < 1e-6
    a = torch.where(small, 0.5 - t2 / 24, (1 - torch.cos(t)) / torch.where(small, 1.0, t2))
    b = torch.where(small, 1.0 / 6 - t2 / 120, (t - torch.sin(t)) / torch.where(small, 1.0, t2 * t))
    k = skew(aa)
    return torch.eye(3, dtype=aa.dtype, device=aa.device) - a * k + b * mm3(k, k)


def _cross(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Broadcasting cross product over the last axis."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return torch.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], -1)


def keypoint_jacobians(
    body: SparseBody, pose_aa: torch.Tensor, st: PoseState
) -> tuple[torch.Tensor, torch.Tensor]:
    """pose_aa (n, 22, 3) local axis-angles of the state `st`.

    Returns d keypoints / d frame params (n, K*3, 69) in the order global_orient, body_pose, transl, and
    d keypoints / d betas (n, K*3, B)."""
    n, n_k = st.keypoints.shape[0], st.keypoints.shape[1]
    pk, pj, pw = body.pair_k, body.pair_j, body.pair_w
    omega = mm3(st.global_rot[:, :N_POSED_JOINTS], right_jacobian(pose_aa))  # (n, 22, 3, c)
    # Lever arms: sum_{pairs of k below a} w_p q_p - (sum of those weights) P_a
    anc = body.ancestors[pj] * pw[:, None]  # (P, 22)
    lever = torch.zeros(n, n_k, N_POSED_JOINTS, 3, dtype=omega.dtype, device=omega.device)
    lever.index_add_(1, pk, anc[None, :, :, None] * st.per_pair[:, :, None, :])
    below = body.p_weights @ body.ancestors  # (K, 22)
    lever = lever - below[None, :, :, None] * st.joints[:, None, :N_POSED_JOINTS]
    d_rot = _cross(omega.transpose(2, 3)[:, None], lever[:, :, :, None, :])  # (n, K, 22, c, x)
    blend = torch.zeros(n, n_k, 3, 3, dtype=omega.dtype, device=omega.device)
    blend.index_add_(1, pk, st.global_rot[:, pj] * pw[:, None, None])  # (n, K, 3, 3) = sum_j w_j G_j
    # Pose blend shapes (vertex keypoints only): d vec(R_a) / d delta_c = vec(R_a skew(J_r[:, c]))
    vk = body.vertex_k
    jr_cols = right_jacobian(pose_aa[:, 1:]).transpose(2, 3)  # (n, 21, c, 3)
    d_vec = mm3(st.local_rot[:, 1:, None], skew(jr_cols)).reshape(n, N_POSED_JOINTS - 1, 3, 9)
    d_rest = torch.einsum("kyaf,nacf->nkacy", body.p_posedirs_blocks[vk], d_vec)  # (n, E, 21, c, y)
    d_blend = torch.einsum("nkxy,nkacy->nkacx", blend[:, vk], d_rest)
    d_rot[:, vk, 1:] += d_blend
    j_rot = d_rot.permute(0, 1, 4, 2, 3).reshape(n, n_k * 3, N_POSED_JOINTS * 3)
    j_transl = torch.eye(3, dtype=j_rot.dtype, device=j_rot.device).repeat(n_k, 1).expand(n, -1, -1)
    # Shape: dP_j/dbeta down the chain, then each point's own directions.
    d_joint: list[torch.Tensor] = []
    for i, p in enumerate(body.parents_local):
        if p < 0:
            d_joint.append(body.j_dirs[i].expand(n, -1, -1))
        else:
            d_joint.append(d_joint[p] + mm3(st.global_rot[:, p], body.j_dirs[i] - body.j_dirs[p]))
    d_p = torch.stack(d_joint, 1)  # (n, Jn, 3, B)
    per_pair = mm3(st.global_rot[:, pj], body.p_dirs[pk] - body.j_dirs[pj]) + d_p[:, pj]  # (n, P, 3, B)
    j_betas = torch.zeros(n, n_k, 3, body.num_betas, dtype=omega.dtype, device=omega.device)
    j_betas.index_add_(1, pk, per_pair * pw[:, None, None])
    return torch.cat([j_rot, j_transl], 2), j_betas.reshape(n, n_k * 3, -1)
