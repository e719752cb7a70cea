"""Analytic initial pose from observed bone directions (numpy; no optimisation).

Per frame: the pelvis frame from the hip line and the trunk line; spine twist/bend split evenly over
spine1..3 from the shoulder line; head from ears and nose split over neck and head; each upper arm and thigh
rotated so the limb points at the observed elbow/knee *and* the elbow/knee bend lies in the hinge plane;
forearm and shank by the smallest rotation; hands from wrist, index and pinky. Joints that cannot be
initialised in a frame (missing landmarks) copy the nearest frame that could, else stay at zero.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from ergopipe.body_model.mapping import EXTRA_VERTEX_NAMES, JOINT, KEYPOINTS, N_POSED_JOINTS, PARENTS

_KP = {name: k for k, (_, _, name) in enumerate(KEYPOINTS)}


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _frame(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """(..., 3, 3) orthonormal frame, columns: primary, secondary made orthogonal, their cross product."""
    e1 = _unit(primary)
    e2 = _unit(secondary - (secondary * e1).sum(-1, keepdims=True) * e1)
    return np.stack([e1, e2, np.cross(e1, e2)], axis=-1)


def _min_rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, 3, 3) smallest rotations taking directions a to b (n, 3)."""
    a, b = _unit(a), _unit(b)
    axis = np.cross(a, b)
    angle = np.arctan2(np.linalg.norm(axis, axis=-1), (a * b).sum(-1))
    rotvec = _unit(axis + 1e-12) * angle[:, None]
    return _as_matrix(rotvec)


def _as_matrix(rotvec: np.ndarray) -> np.ndarray:
    out = np.full((rotvec.shape[0], 3, 3), np.nan)
    good = np.all(np.isfinite(rotvec), axis=1)
    out[good] = Rotation.from_rotvec(rotvec[good]).as_matrix()
    return out


def _as_rotvec(mats: np.ndarray) -> np.ndarray:
    out = np.full((mats.shape[0], 3), np.nan)
    good = np.all(np.isfinite(mats), axis=(1, 2))
    out[good] = Rotation.from_matrix(mats[good]).as_rotvec()
    return out


def _fill_nearest(values: np.ndarray) -> np.ndarray:
    """Replace non-finite rows by the nearest finite row in time (zeros if none)."""
    if values.shape[0] == 0:
        return values
    good = np.all(np.isfinite(values.reshape(values.shape[0], -1)), axis=1)
    if not good.any():
        return np.zeros_like(values)
    idx = np.flatnonzero(good)
    pos = np.clip(np.searchsorted(idx, np.arange(values.shape[0])), 0, len(idx) - 1)
    left = idx[np.clip(pos - 1, 0, len(idx) - 1)]
    right = idx[pos]
    nearest = np.where(
        np.abs(left - np.arange(len(good))) <= np.abs(right - np.arange(len(good))), left, right
    )
    return values[nearest]


def initial_pose(
    obs_m: np.ndarray, rest_joints_m: np.ndarray, rest_extra_m: np.ndarray
) -> dict[str, np.ndarray]:
    """obs_m (n, K, 3) observed keypoints (KEYPOINTS order, NaN = missing); rest_joints_m (55, 3) and
    rest_extra_m (E, 3) of the model at zero shape. Returns global_orient (n, 3), body_pose (n, 63),
    transl (n, 3)."""
    n = obs_m.shape[0]
    o = {name: obs_m[:, k] for name, k in _KP.items()}
    rj = {name: rest_joints_m[j] for name, j in JOINT.items()}
    rx = {name: rest_extra_m[k] for k, name in enumerate(EXTRA_VERTEX_NAMES)}
    glob = np.full((n, N_POSED_JOINTS, 3, 3), np.nan)
    local = np.full((n, N_POSED_JOINTS, 3, 3), np.nan)
    eye = np.broadcast_to(np.eye(3), (n, 3, 3))

    def set_joint(name: str, g: np.ndarray) -> None:
        j = JOINT[name]
        glob[:, j] = g
        local[:, j] = np.swapaxes(glob[:, PARENTS[j]], 1, 2) @ g if j else g

    def split(name_parent: str, names: tuple[str, ...], g_end: np.ndarray) -> None:
        """Spread the rotation from the parent's frame to g_end evenly over a chain of joints."""
        rel = _as_rotvec(np.swapaxes(glob[:, JOINT[name_parent]], 1, 2) @ g_end) / len(names)
        step = _as_matrix(rel)
        for name in names:
            set_joint(name, glob[:, PARENTS[JOINT[name]]] @ step)

    hip_mid = 0.5 * (o["left_hip"] + o["right_hip"])
    trunk_up = 0.5 * (o["left_shoulder"] + o["right_shoulder"]) - hip_mid
    rest_hip_mid = 0.5 * (rj["left_hip"] + rj["right_hip"])
    rest_up = 0.5 * (rj["left_shoulder"] + rj["right_shoulder"]) - rest_hip_mid
    g_pelvis = (
        _frame(o["left_hip"] - o["right_hip"], trunk_up) @ _frame(rj["left_hip"] - rj["right_hip"], rest_up).T
    )
    set_joint("pelvis", g_pelvis)
    g_chest = (
        _frame(o["left_shoulder"] - o["right_shoulder"], trunk_up)
        @ _frame(rj["left_shoulder"] - rj["right_shoulder"], rest_up).T
    )
    split("pelvis", ("spine1", "spine2", "spine3"), g_chest)
    for name in ("left_collar", "right_collar"):
        set_joint(name, glob[:, PARENTS[JOINT[name]]] @ eye)
    ear_mid = 0.5 * (o["lear"] + o["rear"])
    g_head = (
        _frame(o["lear"] - o["rear"], o["nose"] - ear_mid)
        @ _frame(rx["lear"] - rx["rear"], rx["nose"] - 0.5 * (rx["lear"] + rx["rear"])).T
    )
    split("spine3", ("neck", "head"), g_head)
    # Limbs: (root joint, middle joint, end point, rest hinge axis expressed as in the rest pose)
    for side, hinge_arm in (("left", np.array([0.0, 1.0, 0.0])), ("right", np.array([0.0, -1.0, 0.0]))):
        for root, mid, end, hinge_rest in (
            (f"{side}_hip", f"{side}_knee", f"{side}_ankle", np.array([1.0, 0, 0])),
            (f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist", hinge_arm),
        ):
            parent_g = glob[:, PARENTS[JOINT[root]]]
            upper, lower = o[mid] - o[root], o[end] - o[mid]
            rest_upper = rj[mid] - rj[root]
            hinge = np.cross(upper, lower)
            bent = np.linalg.norm(hinge, axis=-1) > np.sin(np.radians(15)) * np.linalg.norm(
                upper, axis=-1
            ) * np.linalg.norm(lower, axis=-1)
            # cross(upper, lower) of a flexed elbow is -(rest hinge axis), of a flexed knee +(rest hinge axis)
            sign = -1.0 if "shoulder" in root else 1.0
            g_hinged = _frame(upper, sign * hinge) @ _frame(rest_upper, hinge_rest).T
            g_min = _min_rotation(parent_g @ rest_upper, upper) @ parent_g
            set_joint(root, np.where(bent[:, None, None], g_hinged, g_min))
            g_root = glob[:, JOINT[root]]
            set_joint(mid, _min_rotation(g_root @ (rj[end] - rj[mid]), lower) @ g_root)
        knuckles = 0.5 * (o[f"{side}_index1"] + o[f"{side}_pinky1"])
        rest_knuckles = 0.5 * (rj[f"{side}_index1"] + rj[f"{side}_pinky1"])
        g_hand = (
            _frame(knuckles - o[f"{side}_wrist"], o[f"{side}_index1"] - o[f"{side}_pinky1"])
            @ _frame(rest_knuckles - rj[f"{side}_wrist"], rj[f"{side}_index1"] - rj[f"{side}_pinky1"]).T
        )
        set_joint(f"{side}_wrist", g_hand)
        set_joint(f"{side}_ankle", glob[:, JOINT[f"{side}_knee"]] @ eye)
        set_joint(f"{side}_foot", glob[:, JOINT[f"{side}_ankle"]] @ eye)
    rotvecs = np.stack([_fill_nearest(_as_rotvec(local[:, j])) for j in range(N_POSED_JOINTS)], axis=1)
    rest_root = rest_joints_m[0]
    transl = hip_mid - rest_root - (_as_matrix(rotvecs[:, 0]) @ (rest_hip_mid - rest_root))
    return {
        "global_orient": rotvecs[:, 0],
        "body_pose": rotvecs[:, 1:].reshape(n, 3 * (N_POSED_JOINTS - 1)),
        "transl": _fill_nearest(transl),
    }
