"""Synthetic SMPL-X model files shared by the SMPL-X tests (written once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ergopipe.body_model.synthetic import write_synthetic_model

SMALL_VERTICES = 2000


@pytest.fixture(scope="session")
def small_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-vertex synthetic model (extra keypoint ids stored in the file)."""
    root = tmp_path_factory.mktemp("smplx_small")
    write_synthetic_model(root, n_vertices=SMALL_VERTICES, seed=1)
    return root


@pytest.fixture(scope="session")
def full_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full-size (10,475-vertex) synthetic model that `smplx.create` can load, fixed vertex ids included."""
    root = tmp_path_factory.mktemp("smplx_full")
    write_synthetic_model(root, seed=2)
    return root
