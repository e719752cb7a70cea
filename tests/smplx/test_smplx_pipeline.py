"""The SMPL-X stage inside a whole job: used when asked and usable, a clear error when asked and missing,
a warning (and keypoint angles) when optional and missing. Runs with a synthetic model file, never the licensed one."""

from pathlib import Path

import numpy as np
import pytest

import handler
from ergopipe.body_model.synthetic import write_synthetic_model
from ergopipe.config import Settings

CLIP = Path(__file__).resolve().parents[2] / "data" / "pose2sim" / "cam01.mp4"
pytestmark = pytest.mark.slow


def _job(out: Path, smplx: str) -> dict:
    return {"video_path": str(CLIP), "output_dir": str(out), "analysis_fps": 10, "annotated_video": False,
            "smplx": smplx, "methods": ["reba"]}


def test_fit_used_when_requested(tmp_path):
    models = tmp_path / "models"
    write_synthetic_model(models, n_vertices=2000, seed=1)
    worker = handler.Worker(Settings.from_env({"SMPLX_MODEL_DIR": str(models)}))
    result = worker({"id": "s1", "input": _job(tmp_path / "out", "on")})
    assert result.get("status") == "success", result
    outputs = result["outputs"]
    npz = np.load(outputs["smplx_npz"])
    assert npz["body_pose"].shape[0] == result["video"]["frames_analysed"]
    assert Path(outputs["smplx_png"]).stat().st_size > 10_000
    sources = result["summary"]["angle_sources"]
    assert any(v.startswith("smplx") for v in sources.values())
    assert sources["trunk_flexion_deg"] == "keypoints"


def test_requested_but_missing_is_an_error(tmp_path):
    worker = handler.Worker(Settings.from_env({"SMPLX_MODEL_DIR": str(tmp_path / "nothing")}))
    result = worker({"id": "s2", "input": _job(tmp_path / "out", "on")})
    assert result["error_code"] == "smplx_unavailable"
    assert "SMPL-X was requested" in result["error"] and "docs/smplx.md" in result["error"]


def test_optional_and_missing_is_a_warning(tmp_path):
    worker = handler.Worker(Settings.from_env({"SMPLX_MODEL_DIR": str(tmp_path / "nothing")}))
    result = worker({"id": "s3", "input": _job(tmp_path / "out", "auto")})
    assert result["status"] == "success"
    assert any("SMPL-X body-model fit not used" in w for w in result["warnings"])
    assert set(result["summary"]["angle_sources"].values()) == {"keypoints"}
