"""The sparse forward equals the reference SMPL-X implementation (the `smplx` package) on the same file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
smplx = pytest.importorskip("smplx")

from ergopipe.body_model.mapping import EXTRA_VERTEX_NAMES, JOINT, KEYPOINTS, N_JOINTS  # noqa: E402
from ergopipe.body_model.model_files import load_model, model_path  # noqa: E402
from ergopipe.body_model.sparse_body import SparseBody, axis_angle_to_matrix  # noqa: E402

pytestmark = pytest.mark.torch


def _random_params(n: int, num_betas: int, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return {
        "global_orient": torch.randn(n, 3, generator=g, dtype=torch.float64) * 0.5,
        "body_pose": torch.randn(n, 63, generator=g, dtype=torch.float64) * 0.4,
        "betas": torch.randn(num_betas, generator=g, dtype=torch.float64),
        "transl": torch.randn(n, 3, generator=g, dtype=torch.float64),
    }


def _reference_lbs(model_dir: Path, p: dict[str, torch.Tensor]):
    """Full-mesh vertices and joints from smplx.lbs.lbs with jaw/eyes/fingers at zero."""
    model = load_model(model_path(model_dir), num_betas=p["betas"].shape[0])
    n = p["global_orient"].shape[0]
    full_pose = torch.zeros(n, N_JOINTS * 3, dtype=torch.float64)
    full_pose[:, :3] = p["global_orient"]
    full_pose[:, 3:66] = p["body_pose"]
    t = lambda a: torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    posedirs = t(model.posedirs.reshape(-1, model.posedirs.shape[-1]).T)
    verts, joints = smplx.lbs.lbs(
        p["betas"][None].expand(n, -1),
        full_pose,
        t(model.v_template),
        t(model.shapedirs),
        posedirs,
        t(model.J_regressor),
        torch.as_tensor(model.parents),
        t(model.weights),
    )
    return model, verts + p["transl"][:, None], joints + p["transl"][:, None]


def test_rodrigues_matches_smplx():
    aa = torch.randn(50, 3, dtype=torch.float64)
    ref = smplx.lbs.batch_rodrigues(aa)
    assert torch.allclose(axis_angle_to_matrix(aa), ref, atol=1e-6)


def test_sparse_forward_equals_full_lbs(small_model_dir: Path):
    p = _random_params(7, 10, seed=3)
    model, verts, joints = _reference_lbs(small_model_dir, p)
    body = SparseBody(model, torch.device("cpu"), torch.float64)
    keypoints, joints_sparse, _ = body.forward(**p)
    np.testing.assert_allclose(joints_sparse.numpy(), joints[:, list(body.joints)].numpy(), atol=1e-6)
    for k, (_, kind, name) in enumerate(KEYPOINTS):
        if kind == "joint":
            ref = joints[:, JOINT[name]]
        else:
            ref = verts[:, model.extra_vertex_ids[EXTRA_VERTEX_NAMES.index(name)]]
        np.testing.assert_allclose(keypoints[:, k].numpy(), ref.numpy(), atol=1e-6, err_msg=name)


def test_full_size_file_loads_in_smplx_and_matches(full_model_dir: Path):
    """smplx.create reads the synthetic file; its joints and vertex keypoints equal the sparse forward."""
    p = _random_params(3, 10, seed=4)
    ref_model = smplx.create(
        str(full_model_dir),
        model_type="smplx",
        gender="neutral",
        ext="npz",
        num_betas=10,
        use_pca=False,
        flat_hand_mean=True,
        dtype=torch.float64,
        batch_size=3,
    )
    out = ref_model(
        global_orient=p["global_orient"],
        body_pose=p["body_pose"],
        betas=p["betas"][None].expand(3, -1),
        transl=p["transl"],
    )
    body = SparseBody(load_model(model_path(full_model_dir), 10), torch.device("cpu"), torch.float64)
    keypoints, joints_sparse, _ = body.forward(**p)
    np.testing.assert_allclose(
        joints_sparse.numpy(), out.joints[:, list(body.joints)].detach().numpy(), atol=1e-6
    )
    # smplx's extra joints 55.. come from its vertex-joint selector: nose, reye, leye, rear, lear, toes, heels
    nose_mp = [k for k, (_, _, name) in enumerate(KEYPOINTS) if name == "nose"][0]
    np.testing.assert_allclose(keypoints[:, nose_mp].numpy(), out.joints[:, 55].detach().numpy(), atol=1e-6)
    lheel = [k for k, (_, _, name) in enumerate(KEYPOINTS) if name == "LHeel"][0]
    np.testing.assert_allclose(keypoints[:, lheel].numpy(), out.vertices[:, 8846].detach().numpy(), atol=1e-6)
