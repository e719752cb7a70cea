"""A synthetic SMPL-X model file for tests and benchmarks (no licensed data involved).

The file has the real SMPL-X keys and array shapes: 55 joints with the real kinematic tree
(`kintree_table`), `v_template`, `f`, `J_regressor`, `weights` (non-negative rows summing to 1), `shapedirs`
(V, 3, 20: 10 shape + 10 expression, the SMPL-X 1.0 layout), `posedirs` (V, 3, 486), the hand PCA keys and
the face landmark keys, so `smplx.create(dir, model_type="smplx")` loads it. The body is a stick figure made
of tubes around the bones of a standing adult (about 1.7 m) in the SMPL-X rest pose (y up, facing +z, the
person's left at +x). Each joint is the mean of a small symmetric ring of vertices (its J_regressor row).

Extra keypoint vertices (nose, eyes, ears, heels, big toes) sit at the real SMPL-X vertex ids when the model
has the full 10,475 vertices; a smaller model stores the ids it used under `ergopipe_extra_vertex_ids`
(the fit reads that key only for models that are not full size).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ergopipe.body_model.mapping import (
    EXTRA_VERTEX_IDS_KEY,
    EXTRA_VERTEX_NAMES,
    JOINT,
    N_JOINTS,
    N_VERTICES_SMPLX,
    PARENTS,
    SMPLX_EXTRA_VERTEX_IDS,
)

_BODY_JOINTS_M = np.array(
    [
        (0.0, -0.35, 0.01),
        (0.06, -0.44, 0.0),
        (-0.06, -0.44, 0.0),
        (0.0, -0.24, -0.01),
        (0.11, -0.82, 0.0),
        (-0.11, -0.82, 0.0),
        (0.0, -0.11, 0.01),
        (0.08, -1.23, -0.04),
        (-0.08, -1.23, -0.04),
        (0.0, -0.05, 0.03),
        (0.12, -1.28, 0.08),
        (-0.12, -1.28, 0.08),
        (0.0, 0.16, -0.01),
        (0.07, 0.07, 0.0),
        (-0.07, 0.07, 0.0),
        (0.0, 0.25, 0.03),
        (0.17, 0.10, -0.01),
        (-0.17, 0.10, -0.01),
        (0.43, 0.08, -0.03),
        (-0.43, 0.08, -0.03),
        (0.68, 0.08, -0.03),
        (-0.68, 0.08, -0.03),
        (0.0, 0.20, 0.05),
        (0.03, 0.28, 0.09),
        (-0.03, 0.28, 0.09),
    ]
)
# Left-hand finger joints relative to the left wrist (index, middle, pinky, ring, thumb; 3 each).
_LEFT_FINGERS_M = np.array(
    [
        (0.09, -0.005, 0.025),
        (0.125, -0.005, 0.025),
        (0.15, -0.005, 0.025),
        (0.095, -0.005, 0.005),
        (0.135, -0.005, 0.005),
        (0.16, -0.005, 0.005),
        (0.08, -0.01, -0.035),
        (0.105, -0.01, -0.035),
        (0.125, -0.01, -0.035),
        (0.088, -0.008, -0.015),
        (0.123, -0.008, -0.015),
        (0.148, -0.008, -0.015),
        (0.025, -0.015, 0.025),
        (0.05, -0.02, 0.05),
        (0.07, -0.025, 0.065),
    ]
)
# Extra keypoint vertices (EXTRA_VERTEX_NAMES order) and the joint that mostly carries each.
_EXTRA_M = np.array(
    [
        (0.0, 0.24, 0.12),
        (0.033, 0.28, 0.10),
        (-0.033, 0.28, 0.10),
        (0.075, 0.26, 0.0),
        (-0.075, 0.26, 0.0),
        (0.08, -1.30, -0.09),
        (-0.08, -1.30, -0.09),
        (0.10, -1.32, 0.16),
        (-0.10, -1.32, 0.16),
    ]
)
_EXTRA_JOINT = (
    "head",
    "head",
    "head",
    "head",
    "head",
    "left_ankle",
    "right_ankle",
    "left_foot",
    "right_foot",
)
_RING = 8  # vertices per joint ring and per tube cross-section


def rest_joints_m() -> np.ndarray:
    """(55, 3) rest-pose joint centres of the synthetic body, metres."""
    mirror = np.array([-1.0, 1.0, 1.0])
    left = _BODY_JOINTS_M[JOINT["left_wrist"]] + _LEFT_FINGERS_M
    right = _BODY_JOINTS_M[JOINT["right_wrist"]] + _LEFT_FINGERS_M * mirror
    return np.concatenate([_BODY_JOINTS_M, left, right])


def _ring(center: np.ndarray, axis: np.ndarray, radius_m: float) -> np.ndarray:
    """(_RING, 3) points on a circle around `axis` through `center` (their mean is `center`)."""
    axis = axis / np.linalg.norm(axis)
    helper = np.array([0.0, 0.0, 1.0]) if abs(axis[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(axis, helper)
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    phi = np.linspace(0.0, 2 * np.pi, _RING, endpoint=False)[:, None]
    return center + radius_m * (np.cos(phi) * u + np.sin(phi) * v)


def build_arrays(n_vertices: int = N_VERTICES_SMPLX, seed: int = 0) -> dict[str, np.ndarray]:
    """All arrays of the synthetic model file, keyed like SMPLX_NEUTRAL.npz."""
    n_fixed = N_JOINTS * _RING + len(EXTRA_VERTEX_NAMES)
    rng = np.random.default_rng(seed)
    joints = rest_joints_m()
    verts = np.zeros((n_vertices, 3))
    weights = np.zeros((n_vertices, N_JOINTS))
    regressor = np.zeros((N_JOINTS, n_vertices))
    faces: list[np.ndarray] = []
    # Joint rings first (indices 0 .. 55*8-1): each joint = mean of its ring, rigidly skinned to it.
    for j in range(N_JOINTS):
        axis = joints[j] - joints[PARENTS[j]] if j > 0 else np.array([0.0, 1.0, 0.0])
        ids = np.arange(j * _RING, (j + 1) * _RING)
        verts[ids] = _ring(joints[j], axis, 0.015)
        weights[ids, j] = 1.0
        regressor[j, ids] = 1.0 / _RING
    # Tubes around the bones fill the remaining slots, blending weights from the bone's joint to its child.
    free = [i for i in range(N_JOINTS * _RING, n_vertices)]
    bones = [(PARENTS[j], j) for j in range(1, N_JOINTS)]
    per_bone = (len(free) - len(EXTRA_VERTEX_NAMES)) // (len(bones) * _RING)
    if per_bone < 2:
        raise ValueError(f"n_vertices must be at least {n_fixed + 2 * _RING * len(bones)}")
    cursor = 0
    for parent, child in bones:
        radius_m = 0.05 if child < 22 else 0.008
        start = free[cursor]
        for k in range(per_bone):
            t = (k + 0.5) / per_bone
            ids = np.array(free[cursor : cursor + _RING])
            cursor += _RING
            verts[ids] = _ring(
                joints[parent] + t * (joints[child] - joints[parent]),
                joints[child] - joints[parent],
                radius_m,
            )
            weights[ids, parent] = 1.0 - 0.5 * t
            weights[ids, child] = 0.5 * t
        for k in range(per_bone - 1):  # quads between consecutive rings -> two triangles each
            a = start + k * _RING + np.arange(_RING)
            b = a + _RING
            a2 = start + k * _RING + (np.arange(_RING) + 1) % _RING
            faces.append(np.stack([a, b, a2], 1))
            faces.append(np.stack([a2, b, b + (a2 - a)], 1))
    leftover = free[cursor:]
    if n_vertices >= N_VERTICES_SMPLX:
        extra_ids = np.array(SMPLX_EXTRA_VERTEX_IDS)
    else:
        extra_ids = np.array(leftover[-len(EXTRA_VERTEX_NAMES) :])
    rest = [i for i in leftover if i not in set(extra_ids.tolist())]
    # Vertices left over (rounding) sit on the pelvis ring, rigidly skinned; the extra-keypoint vertices
    # must sit on the fixed ids, so any tube vertex there is moved to a leftover slot first.
    renumber = np.arange(n_vertices)
    for vid in extra_ids:
        if vid not in leftover:
            slot = rest.pop()
            verts[slot], weights[slot] = verts[vid].copy(), weights[vid].copy()
            regressor[:, slot], regressor[:, vid] = regressor[:, vid], 0.0
            renumber[vid] = slot
    for slot in rest:
        verts[slot] = joints[0] + rng.normal(scale=0.01, size=3)
        weights[slot] = 0.0
        weights[slot, 0] = 1.0
    for k, vid in enumerate(extra_ids):
        verts[vid] = _EXTRA_M[k]
        weights[vid] = 0.0
        carrier = JOINT[_EXTRA_JOINT[k]]
        weights[vid, carrier] = 0.8
        weights[vid, PARENTS[carrier]] = 0.2
    # Shape space: beta0 = overall size about the pelvis, beta1 = width, the rest small smooth noise.
    shapedirs = np.zeros((n_vertices, 3, 20))
    shapedirs[:, :, 0] = 0.06 * (verts - joints[0])
    shapedirs[:, 0, 1] = 0.05 * verts[:, 0]
    for c in range(2, 20):
        shapedirs[:, :, c] = 0.004 * np.sin(verts @ rng.normal(scale=4.0, size=(3, 3)) + rng.uniform(0, 6, 3))
    posedirs = rng.normal(scale=2e-3, size=(n_vertices, 3, (N_JOINTS - 1) * 9))
    kintree = np.array([PARENTS, list(range(N_JOINTS))], dtype=np.int64)
    kintree[0, 0] = 2**32 - 1  # as in the real files
    arrays = {
        "v_template": verts,
        "f": renumber[np.concatenate(faces)].astype(np.int32),
        "J_regressor": regressor,
        "weights": weights,
        "kintree_table": kintree,
        "shapedirs": shapedirs,
        "posedirs": posedirs.astype(np.float32),
        "hands_componentsl": np.eye(45),
        "hands_componentsr": np.eye(45),
        "hands_meanl": np.zeros(45),
        "hands_meanr": np.zeros(45),
        "lmk_faces_idx": np.arange(51, dtype=np.int64),
        "lmk_bary_coords": np.full((51, 3), 1.0 / 3.0),
        "dynamic_lmk_faces_idx": np.zeros((79, 17), dtype=np.int64),
        "dynamic_lmk_bary_coords": np.full((79, 17, 3), 1.0 / 3.0),
    }
    if n_vertices < N_VERTICES_SMPLX:
        arrays[EXTRA_VERTEX_IDS_KEY] = extra_ids.astype(np.int64)
    return arrays


def write_synthetic_model(
    model_dir: Path, n_vertices: int = N_VERTICES_SMPLX, seed: int = 0, gender: str = "neutral"
) -> Path:
    """Write <model_dir>/smplx/SMPLX_<GENDER>.npz and return its path."""
    path = Path(model_dir) / "smplx" / f"SMPLX_{gender.upper()}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **build_arrays(n_vertices, seed))
    return path
