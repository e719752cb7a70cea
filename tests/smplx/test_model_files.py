"""Model files: where they are looked for, and the reasons given when the stage cannot run."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from ergopipe.body_model import availability
from ergopipe.body_model.mapping import EXTRA_VERTEX_IDS_KEY, PARENTS
from ergopipe.body_model.model_files import load_model, model_path
from ergopipe.body_model.synthetic import build_arrays
from ergopipe.errors import BodyModelError

REPO_ROOT = Path(__file__).resolve().parents[2]


def _write(dir_: Path, arrays: dict) -> Path:
    path = dir_ / "smplx" / "SMPLX_NEUTRAL.npz"
    path.parent.mkdir(parents=True)
    np.savez(path, **arrays)
    return path


def test_import_never_loads_torch_or_smplx():
    code = (
        "import sys, ergopipe, ergopipe.body_model; "
        "print(','.join(m for m in ('torch', 'smplx') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == ""


def test_usable_synthetic_model_has_no_reason(small_model_dir: Path):
    assert availability(small_model_dir) is None


def test_missing_directory_names_the_file_and_where_to_get_it(tmp_path: Path):
    reason = availability(tmp_path / "nowhere")
    assert reason is not None and "not found" in reason and "SMPLX_NEUTRAL.npz" in reason
    assert "smpl-x.is.tue.mpg.de" in reason


def test_flat_layout_is_accepted(tmp_path: Path, small_model_dir: Path):
    shutil.copy(model_path(small_model_dir), tmp_path / "SMPLX_NEUTRAL.npz")
    assert model_path(tmp_path) == tmp_path / "SMPLX_NEUTRAL.npz"
    assert availability(tmp_path) is None


def test_garbage_file_is_reported_as_unreadable(tmp_path: Path):
    path = tmp_path / "smplx" / "SMPLX_NEUTRAL.npz"
    path.parent.mkdir()
    path.write_bytes(b"<html>login required</html>")
    reason = availability(tmp_path)
    assert reason is not None and "not a readable .npz" in reason


def test_truncated_download_is_reported(tmp_path: Path, small_model_dir: Path):
    data = model_path(small_model_dir).read_bytes()
    path = tmp_path / "smplx" / "SMPLX_NEUTRAL.npz"
    path.parent.mkdir()
    path.write_bytes(data[: len(data) // 2])
    assert "not a readable .npz" in availability(tmp_path)


def test_missing_key_and_wrong_shape_are_reported(tmp_path: Path):
    arrays = build_arrays(2000, seed=0)
    del arrays["posedirs"]
    assert "lacks posedirs" in availability(_write(tmp_path / "a", arrays).parents[1])
    arrays = build_arrays(2000, seed=0)
    arrays["J_regressor"] = arrays["J_regressor"][:24]  # an SMPL-like regressor
    assert "J_regressor has shape" in availability(_write(tmp_path / "b", arrays).parents[1])


def test_non_smplx_vertex_count_without_ids_is_reported(tmp_path: Path):
    arrays = build_arrays(2000, seed=0)
    del arrays[EXTRA_VERTEX_IDS_KEY]
    assert "SMPL-X has 10475" in availability(_write(tmp_path, arrays).parents[1])


def test_load_rejects_a_different_tree_and_bad_weights(tmp_path: Path):
    arrays = build_arrays(2000, seed=0)
    arrays["kintree_table"][0, 5] = 1
    with pytest.raises(BodyModelError, match="kinematic tree"):
        load_model(_write(tmp_path / "a", arrays), 10)
    arrays = build_arrays(2000, seed=0)
    arrays["weights"][3] *= 2
    with pytest.raises(BodyModelError, match="skinning weights"):
        load_model(_write(tmp_path / "b", arrays), 10)


def test_synthetic_file_has_real_smplx_keys_and_shapes(full_model_dir: Path):
    with zipfile.ZipFile(model_path(full_model_dir)) as z:
        keys = {n[:-4] for n in z.namelist()}
    assert {
        "v_template",
        "f",
        "J_regressor",
        "weights",
        "kintree_table",
        "shapedirs",
        "posedirs",
        "hands_componentsl",
        "hands_meanl",
        "lmk_faces_idx",
        "lmk_bary_coords",
    } <= keys
    model = load_model(model_path(full_model_dir), 10)
    assert model.v_template.shape == (10475, 3) and model.posedirs.shape == (10475, 3, 486)
    assert model.J_regressor.shape == (55, 10475) and model.weights.shape == (10475, 55)
    assert tuple(model.parents.tolist()) == PARENTS
    assert np.all(model.weights >= 0) and np.allclose(model.weights.sum(1), 1)
    assert EXTRA_VERTEX_IDS_KEY not in keys  # full size: the real SMPL-X vertex ids are used


def test_torch_missing_is_a_reason(monkeypatch, small_model_dir: Path):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    assert "PyTorch is not installed" in availability(small_model_dir)
