"""Sparse SMPL-X forward in torch: only the joints and the few vertices the fit compares with landmarks.

The same maths as `smplx.lbs.lbs` (shape blend shapes, joints regressed from the shaped rest mesh, pose
blend shapes, rigid joint chain, linear blend skinning) but
- joint rest positions come from J_regressor @ v_template and J_regressor @ shapedirs, precomputed once, so no
  vertex is touched for the skeleton;
- only the extra keypoint vertices (nose, eyes, ears, heels, big toes: 9 of 10,475) are blended and skinned;
- jaw, eye and finger rotations are fixed at zero, so their pose features vanish and a skinning weight on
  such a joint equals the same weight on its nearest estimated ancestor (their transforms coincide).
Every keypoint is treated as a skinned point: a mapped joint is a point at its own rest joint position
with weight 1 on that joint (then skinning returns exactly the posed joint). Only the (keypoint, joint)
pairs with a non-zero skinning weight are evaluated. Cost per frame does not depend on the mesh size.
3x3 products are written out: on CPU that beats batched matmul on tiny matrices by a wide margin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ergopipe.body_model.mapping import (
    EXTRA_VERTEX_NAMES,
    JOINT,
    KEYPOINTS,
    N_BODY_JOINTS,
    N_POSED_JOINTS,
    PARENTS,
    needed_joints,
)
from ergopipe.body_model.model_files import ModelArrays

N_POSE_FEATURES = N_BODY_JOINTS * 9  # pose features of joints 1..21; the others are zero by construction


def mm3(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Batched (..., 3, 3) @ (..., 3, m), written out (no reduction kernel, no bmm on tiny matrices)."""
    return a[..., :, 0:1] * b[..., 0:1, :] + a[..., :, 1:2] * b[..., 1:2, :] + a[..., :, 2:3] * b[..., 2:3, :]


def mv3(a: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Batched (..., 3, 3) @ (..., 3) -> (..., 3), written out."""
    return a[..., 0] * v[..., 0:1] + a[..., 1] * v[..., 1:2] + a[..., 2] * v[..., 2:3]


def skew(v: torch.Tensor) -> torch.Tensor:
    """(..., 3) -> (..., 3, 3) cross-product matrices."""
    x, y, z = v.unbind(-1)
    zero = torch.zeros_like(x)
    return torch.stack([zero, -z, y, z, zero, -x, -y, x, zero], -1).reshape(*v.shape[:-1], 3, 3)


def axis_angle_to_matrix(aa: torch.Tensor) -> torch.Tensor:
    """(..., 3) axis-angle (radians, right-handed) -> (..., 3, 3) rotation matrices (Rodrigues).

    The small epsilon under the square root keeps the gradient finite at the zero rotation."""
    angle = torch.sqrt((aa * aa).sum(-1, keepdim=True) + 1e-12)
    k = skew(aa / angle)
    s = torch.sin(angle)[..., None]
    c = torch.cos(angle)[..., None]
    eye = torch.eye(3, dtype=aa.dtype, device=aa.device)
    return eye + s * k + (1 - c) * mm3(k, k)


@dataclass
class PoseState:
    """Intermediate results of one forward pass (n frames, Jn chained joints, K keypoints).

    local_rot (n, 22, 3, 3); global_rot (n, Jn, 3, 3); joints (n, Jn, 3) posed, without transl;
    rest_joints (Jn, 3); point_rest (n, K, 3) shaped + pose-corrected rest keypoints;
    per_pair (n, P, 3) the keypoint of each weighted (keypoint, joint) pair moved rigidly by that joint,
    G_j (x_k - J_j) + P_j; keypoints (n, K, 3) with transl.
    """

    local_rot: torch.Tensor
    global_rot: torch.Tensor
    joints: torch.Tensor
    rest_joints: torch.Tensor
    point_rest: torch.Tensor
    per_pair: torch.Tensor
    keypoints: torch.Tensor


class SparseBody:
    """Precomputed tensors of one model file + number of shape coefficients, on one device/dtype."""

    def __init__(self, model: ModelArrays, device: torch.device, dtype: torch.dtype = torch.float32) -> None:
        self.device, self.dtype = device, dtype
        self.joints = needed_joints()
        local = {j: i for i, j in enumerate(self.joints)}
        self.parents_local = [local[PARENTS[j]] if PARENTS[j] >= 0 else -1 for j in self.joints]
        self.num_betas = model.shapedirs.shape[2]
        n_j, n_k = len(self.joints), len(KEYPOINTS)
        reg = model.J_regressor[list(self.joints)]
        j_template = reg @ model.v_template
        j_dirs = np.einsum("jv,vcb->jcb", reg, model.shapedirs)
        template = np.zeros((n_k, 3))
        dirs = np.zeros((n_k, 3, self.num_betas))
        posedirs = np.zeros((n_k, 3, N_POSE_FEATURES))
        weights = np.zeros((n_k, n_j))
        for k, (_, kind, name) in enumerate(KEYPOINTS):
            if kind == "joint":
                li = local[JOINT[name]]
                template[k], dirs[k], weights[k, li] = j_template[li], j_dirs[li], 1.0
                continue
            vid = model.extra_vertex_ids[EXTRA_VERTEX_NAMES.index(name)]
            template[k], dirs[k] = model.v_template[vid], model.shapedirs[vid]
            posedirs[k] = model.posedirs[vid][:, :N_POSE_FEATURES]
            for j in range(model.weights.shape[1]):
                carrier = j
                while carrier not in local:
                    carrier = PARENTS[carrier]
                weights[k, local[carrier]] += model.weights[vid, j]
        ancestors = np.zeros((n_j, N_POSED_JOINTS))  # [i, a] = 1 if posed joint a is i or an ancestor of i
        for i, j in enumerate(self.joints):
            while j >= 0:
                if j < N_POSED_JOINTS:
                    ancestors[i, j] = 1.0
                j = PARENTS[j]

        def t(a: np.ndarray) -> torch.Tensor:
            return torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)

        self.j_template, self.j_dirs = t(j_template), t(j_dirs)  # (Jn, 3), (Jn, 3, B)
        self.p_template, self.p_dirs = t(template), t(dirs)  # (K, 3), (K, 3, B)
        self.p_posedirs = t(posedirs.reshape(n_k * 3, N_POSE_FEATURES).T)  # (189, K*3)
        self.p_posedirs_blocks = t(posedirs.reshape(n_k, 3, N_BODY_JOINTS, 9))  # (K, 3, 21, 9)
        self.p_weights = t(weights)  # (K, Jn)
        pair_k, pair_j = np.nonzero(weights > 0)
        self.pair_k = torch.as_tensor(pair_k, device=device)  # (P,) keypoint of each weighted pair
        self.pair_j = torch.as_tensor(pair_j, device=device)  # (P,) joint of each weighted pair
        self.pair_w = t(weights[pair_k, pair_j])  # (P,)
        self.vertex_k = torch.as_tensor(
            [k for k, kp in enumerate(KEYPOINTS) if kp[1] == "vertex"], device=device
        )
        self.ancestors = t(ancestors)  # (Jn, 22)

    def state(
        self, global_orient: torch.Tensor, body_pose: torch.Tensor, betas: torch.Tensor, transl: torch.Tensor
    ) -> PoseState:
        """Forward pass for n frames: global_orient (n, 3), body_pose (n, 63), betas (B,), transl (n, 3)."""
        n = global_orient.shape[0]
        pose = torch.cat([global_orient[:, None], body_pose.reshape(n, N_BODY_JOINTS, 3)], 1)
        rot = axis_angle_to_matrix(pose)  # (n, 22, 3, 3)
        rest = self.j_template + self.j_dirs @ betas
        g_rot: list[torch.Tensor] = []
        g_pos: list[torch.Tensor] = []
        for i, j in enumerate(self.joints):
            p = self.parents_local[i]
            if p < 0:
                g_rot.append(rot[:, 0])
                g_pos.append(rest[i].expand(n, 3))
                continue
            g_rot.append(mm3(g_rot[p], rot[:, j]) if j < N_POSED_JOINTS else g_rot[p])
            g_pos.append(g_pos[p] + mv3(g_rot[p], rest[i] - rest[p]))
        grot = torch.stack(g_rot, 1)  # (n, Jn, 3, 3)
        gpos = torch.stack(g_pos, 1)  # (n, Jn, 3)
        feat = (rot[:, 1:] - torch.eye(3, dtype=self.dtype, device=self.device)).reshape(n, -1)
        point_rest = self.p_template + self.p_dirs @ betas + (feat @ self.p_posedirs).reshape(n, -1, 3)
        per_pair = (
            mv3(grot[:, self.pair_j], point_rest[:, self.pair_k] - rest[self.pair_j]) + gpos[:, self.pair_j]
        )
        keypoints = torch.zeros_like(point_rest).index_add_(1, self.pair_k, per_pair * self.pair_w[:, None])
        return PoseState(rot, grot, gpos, rest, point_rest, per_pair, keypoints + transl[:, None])

    def forward(
        self, global_orient: torch.Tensor, body_pose: torch.Tensor, betas: torch.Tensor, transl: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Keypoints (n, K, 3) in mapping.KEYPOINTS order, joints (n, Jn, 3) for `self.joints` (both with
        transl) and the global rotations of the estimated joints 0..21 (n, 22, 3, 3)."""
        st = self.state(global_orient, body_pose, betas, transl)
        return st.keypoints, st.joints + transl[:, None], st.global_rot[:, :N_POSED_JOINTS]
