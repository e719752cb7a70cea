"""Sparse SMPL-X forward in torch: only the joints and the few vertices the fit compares with landmarks.

The same maths as `smplx.lbs.lbs` (shape blend shapes, joints regressed from the shaped rest mesh, pose
blend shapes, rigid joint chain, linear blend skinning) but
- joint rest positions come from J_regressor @ v_template and J_regressor @ shapedirs, precomputed once, so no
  vertex is touched for the 55-joint skeleton;
- only the extra keypoint vertices (nose, eyes, ears, heels, big toes: 9 of 10,475) are blended and skinned;
- jaw, eye and finger rotations are fixed at zero, so their pose features vanish and a skinning weight on
  such a joint equals the same weight on its nearest estimated ancestor (their transforms coincide).
Cost per frame is independent of the mesh size.
"""

from __future__ import annotations

import numpy as np
import torch

from ergopipe.body_model.mapping import (
    JOINT, KEYPOINTS, N_BODY_JOINTS, N_POSED_JOINTS, PARENTS, needed_joints,
)
from ergopipe.body_model.model_files import ModelArrays


def axis_angle_to_matrix(aa: torch.Tensor) -> torch.Tensor:
    """(..., 3) axis-angle (radians, right-handed) -> (..., 3, 3) rotation matrices (Rodrigues).

    The small epsilon under the square root keeps the gradient finite at the zero rotation."""
    angle = torch.sqrt((aa * aa).sum(-1, keepdim=True) + 1e-12)
    axis = aa / angle
    x, y, z = axis.unbind(-1)
    zero = torch.zeros_like(x)
    k = torch.stack([zero, -z, y, z, zero, -x, -y, x, zero], -1).reshape(*aa.shape[:-1], 3, 3)
    s = torch.sin(angle)[..., None]
    c = torch.cos(angle)[..., None]
    eye = torch.eye(3, dtype=aa.dtype, device=aa.device)
    return eye + s * k + (1 - c) * (k @ k)


class SparseBody:
    """Precomputed tensors of one model file + number of shape coefficients, on one device/dtype."""

    def __init__(self, model: ModelArrays, device: torch.device, dtype: torch.dtype = torch.float32) -> None:
        self.device, self.dtype = device, dtype
        self.joints = needed_joints()
        local = {j: i for i, j in enumerate(self.joints)}
        self.parents_local = [local[PARENTS[j]] if PARENTS[j] >= 0 else -1 for j in self.joints]
        self.num_betas = model.shapedirs.shape[2]

        def t(a: np.ndarray) -> torch.Tensor:
            return torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)

        reg = model.J_regressor[list(self.joints)]
        self.j_template = t(reg @ model.v_template)  # (Jn, 3)
        self.j_dirs = t(np.einsum("jv,vcb->jcb", reg, model.shapedirs))  # (Jn, 3, B)
        ids = model.extra_vertex_ids
        self.x_template = t(model.v_template[ids])  # (E, 3)
        self.x_dirs = t(model.shapedirs[ids])  # (E, 3, B)
        n_feat = N_BODY_JOINTS * 9  # pose features of joints 1..21; the others are zero by construction
        self.x_posedirs = t(model.posedirs[ids][:, :, :n_feat].reshape(-1, n_feat).T)  # (189, E*3)
        folded = np.zeros((len(ids), len(self.joints)))
        for j in range(model.weights.shape[1]):
            carrier = j
            while carrier not in local:
                carrier = PARENTS[carrier]
            folded[:, local[carrier]] += model.weights[ids, j]
        self.x_weights = t(folded)  # (E, Jn)
        # Keypoint gather: index into concat(joints (Jn), extra vertices (E)) in KEYPOINTS order.
        from ergopipe.body_model.mapping import EXTRA_VERTEX_NAMES
        order = []
        for _, kind, name in KEYPOINTS:
            order.append(local[JOINT[name]] if kind == "joint" else len(self.joints) + EXTRA_VERTEX_NAMES.index(name))
        self.keypoint_order = torch.as_tensor(order, device=device)

    def rest_joints(self, betas: torch.Tensor) -> torch.Tensor:
        """(Jn, 3) rest joint positions for shape `betas` (B,)."""
        return self.j_template + self.j_dirs @ betas

    def forward(self, global_orient: torch.Tensor, body_pose: torch.Tensor, betas: torch.Tensor,
                transl: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Posed body for n frames.

        global_orient (n, 3), body_pose (n, 63) axis-angle; betas (B,) shared; transl (n, 3) metres.
        Returns keypoints (n, K, 3) in mapping.KEYPOINTS order, joints (n, Jn, 3) for `self.joints`, and the
        global rotation of every estimated joint (n, 22, 3, 3).
        """
        n = global_orient.shape[0]
        pose = torch.cat([global_orient[:, None], body_pose.reshape(n, N_BODY_JOINTS, 3)], 1)
        rot = axis_angle_to_matrix(pose)  # (n, 22, 3, 3)
        rest = self.rest_joints(betas)
        g_rot: list[torch.Tensor] = []
        g_pos: list[torch.Tensor] = []
        for i, j in enumerate(self.joints):
            p = self.parents_local[i]
            if p < 0:
                g_rot.append(rot[:, 0])
                g_pos.append(rest[i].expand(n, 3))
                continue
            r = g_rot[p] @ rot[:, j] if j < N_POSED_JOINTS else g_rot[p]
            g_rot.append(r)
            g_pos.append(g_pos[p] + (g_rot[p] @ (rest[i] - rest[p])))
        grot = torch.stack(g_rot, 1)  # (n, Jn, 3, 3)
        gpos = torch.stack(g_pos, 1)  # (n, Jn, 3)
        # Extra vertices: shaped + pose-corrected rest positions, then linear blend skinning.
        feat = (rot[:, 1:] - torch.eye(3, dtype=self.dtype, device=self.device)).reshape(n, -1)
        x_rest = self.x_template + self.x_dirs @ betas + (feat @ self.x_posedirs).reshape(n, -1, 3)
        offset = gpos - (grot @ rest[:, :, None])[..., 0]  # (n, Jn, 3): A_j translation
        per_joint = torch.einsum("njab,neb->neja", grot, x_rest) + offset[:, None]  # (n, E, Jn, 3)
        x_posed = (per_joint * self.x_weights[None, :, :, None]).sum(2)
        points = torch.cat([gpos, x_posed], 1)[:, self.keypoint_order]
        shift = transl[:, None]
        return points + shift, gpos + shift, grot[:, :N_POSED_JOINTS]
