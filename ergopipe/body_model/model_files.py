"""Find, check and load SMPL-X model files (numpy only; no torch, no smplx).

Layout (the one `smplx.create(model_dir, model_type="smplx", gender=..., ext="npz")` resolves):
    <model_dir>/smplx/SMPLX_NEUTRAL.npz   (also SMPLX_MALE.npz, SMPLX_FEMALE.npz)
A file placed directly in <model_dir> is accepted as well.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ergopipe.body_model.mapping import (
    EXTRA_VERTEX_IDS_KEY,
    EXTRA_VERTEX_NAMES,
    N_JOINTS,
    N_VERTICES_SMPLX,
    PARENTS,
    SMPLX_EXTRA_VERTEX_IDS,
)
from ergopipe.errors import BodyModelError

# key -> expected shape; None = any length on that axis (V = vertex count, read from v_template)
_REQUIRED: dict[str, tuple[str | int, ...]] = {
    "v_template": ("V", 3),
    "f": (None, 3),
    "J_regressor": (N_JOINTS, "V"),
    "weights": ("V", N_JOINTS),
    "kintree_table": (2, N_JOINTS),
    "shapedirs": ("V", 3, None),
    "posedirs": ("V", 3, (N_JOINTS - 1) * 9),
}


def model_path(model_dir: Path, gender: str = "neutral") -> Path:
    """The model file the stage would load, whether or not it exists."""
    name = f"SMPLX_{gender.upper()}.npz"
    nested = Path(model_dir) / "smplx" / name
    flat = Path(model_dir) / name
    return flat if (flat.is_file() and not nested.is_file()) else nested


def _array_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Shapes of the arrays in an .npz, read from the headers only (cheap even for the 200 MB files)."""
    shapes: dict[str, tuple[int, ...]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".npy"):
                continue
            with archive.open(name) as member:
                version = np.lib.format.read_magic(member)
                if version == (1, 0):
                    shape, _, _ = np.lib.format.read_array_header_1_0(member)
                else:
                    shape, _, _ = np.lib.format.read_array_header_2_0(member)
            shapes[name[:-4]] = tuple(shape)
    return shapes


def check_model_file(path: Path) -> str | None:
    """None if `path` looks like a usable SMPL-X .npz, else a reason a person can act on."""
    if not path.is_file():
        return (
            f"SMPL-X model file {path} not found: download SMPL-X (smpl-x.is.tue.mpg.de, licence required) "
            f"and put SMPLX_NEUTRAL.npz under <SMPLX_MODEL_DIR>/smplx/"
        )
    try:
        shapes = _array_shapes(path)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        return f"SMPL-X model file {path} is not a readable .npz ({err}); copy the file again"
    missing = [k for k in _REQUIRED if k not in shapes]
    if missing:
        return f"SMPL-X model file {path} lacks {', '.join(missing)}: is it really an SMPL-X .npz?"
    n_vertices = shapes["v_template"][0]
    for key, expected in _REQUIRED.items():
        want = tuple(n_vertices if e == "V" else e for e in expected)
        got = shapes[key]
        if len(got) != len(want) or any(w is not None and w != g for w, g in zip(want, got, strict=True)):
            return f"SMPL-X model file {path}: {key} has shape {got}, expected {want}; the file is damaged"
    if n_vertices != N_VERTICES_SMPLX and EXTRA_VERTEX_IDS_KEY not in shapes:
        return (
            f"SMPL-X model file {path} has {n_vertices} vertices, SMPL-X has {N_VERTICES_SMPLX}; "
            f"use the SMPL-X (not SMPL or SMPL+H) model file"
        )
    return None


@dataclass(frozen=True)
class ModelArrays:
    """The parts of an SMPL-X file the fit uses (float64 numpy; V vertices, B shape coefficients).

    v_template (V, 3) m; shapedirs (V, 3, B); posedirs (V, 3, 486); J_regressor (55, V); weights (V, 55);
    parents (55,) with -1 at the root; extra_vertex_ids (9,) in mapping.EXTRA_VERTEX_NAMES order.
    """

    path: Path
    v_template: np.ndarray
    shapedirs: np.ndarray
    posedirs: np.ndarray
    J_regressor: np.ndarray
    weights: np.ndarray
    parents: np.ndarray
    extra_vertex_ids: np.ndarray


def load_model(path: Path, num_betas: int) -> ModelArrays:
    """Load and check an SMPL-X .npz. Raises BodyModelError when it is absent, broken or not SMPL-X."""
    reason = check_model_file(path)
    if reason is not None:
        raise BodyModelError(reason)
    with np.load(path, allow_pickle=False) as data:
        parents = np.asarray(data["kintree_table"][0], dtype=np.int64).copy()
        parents[0] = -1  # the real files store 2**32 - 1 there
        if tuple(parents.tolist()) != PARENTS:
            raise BodyModelError(f"SMPL-X model file {path} has an unexpected kinematic tree; use SMPL-X 1.1")
        n_vertices = data["v_template"].shape[0]
        if n_vertices == N_VERTICES_SMPLX:
            extra = np.asarray(SMPLX_EXTRA_VERTEX_IDS, dtype=np.int64)
        else:
            extra = np.asarray(data[EXTRA_VERTEX_IDS_KEY], dtype=np.int64)
        if extra.shape != (len(EXTRA_VERTEX_NAMES),) or extra.min() < 0 or extra.max() >= n_vertices:
            raise BodyModelError(f"SMPL-X model file {path}: bad extra keypoint vertex ids")
        weights = np.asarray(data["weights"], dtype=np.float64)
        if not np.all(np.isfinite(weights)) or not np.allclose(weights.sum(axis=1), 1.0, atol=1e-3):
            raise BodyModelError(f"SMPL-X model file {path}: skinning weights do not sum to 1; file damaged")
        return ModelArrays(
            path=Path(path),
            v_template=np.asarray(data["v_template"], dtype=np.float64),
            shapedirs=np.asarray(data["shapedirs"][:, :, :num_betas], dtype=np.float64),
            posedirs=np.asarray(data["posedirs"], dtype=np.float64),
            J_regressor=np.asarray(data["J_regressor"], dtype=np.float64),
            weights=weights,
            parents=parents,
            extra_vertex_ids=extra,
        )
