"""Optional SMPL-X body-model fit (licensed model files supplied by the operator; see docs/smplx.md).

Importing this package is cheap and never imports torch or smplx: they are imported inside the functions
that need them. The fit itself needs torch and the model file; the `smplx` package is not needed at run time
(the sparse forward re-implements its maths and is tested against it).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ergopipe.body_model.model_files import check_model_file, model_path
from ergopipe.body_model.outputs import render_fit_check, save_fit_npz
from ergopipe.body_model.results import BodyFit, FitSettings
from ergopipe.errors import BodyModelError
from ergopipe.types import CleanPose

__all__ = [
    "BodyFit",
    "FitSettings",
    "FIT_ANGLE_COLUMNS",
    "availability",
    "fit_body_model",
    "angles_from_fit",
    "save_fit_npz",
    "render_fit_check",
]


def __getattr__(name: str) -> object:
    # The fit's angle maths imports scipy.spatial (~0.2 s): loaded on first use, i.e. after a fit, so that
    # the availability check of every job without SMPL-X files stays cheap.
    if name in ("FIT_ANGLE_COLUMNS", "angles_from_fit"):
        from ergopipe.body_model import fit_angles

        return getattr(fit_angles, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def availability(model_dir: Path, gender: str = "neutral") -> str | None:
    """None if the fit can run, else the reason in words (no torch, no model file, broken model file)."""
    if importlib.util.find_spec("torch") is None:
        return "PyTorch is not installed: install the 'smplx' extra (torch) to enable the SMPL-X stage"
    return check_model_file(model_path(Path(model_dir), gender))


def fit_body_model(
    pose: CleanPose,
    *,
    model_dir: Path,
    device: str = "auto",
    settings: FitSettings = FitSettings(),  # noqa: B008 - frozen, so a shared default is safe
) -> BodyFit:
    """Fit SMPL-X to every frame of `pose` in one batch (shape shared). device: "auto" (CUDA if present),
    "cpu", "cuda", ... Raises BodyModelError when torch or the model file is missing or broken. Frames
    without enough trusted landmarks, or with a residual above settings.max_residual_mm, get ok = False."""
    reason = availability(model_dir, settings.gender)
    if reason is not None:
        raise BodyModelError(reason)
    import torch

    from ergopipe.body_model.fit import resolve_device, run_fit
    from ergopipe.body_model.model_files import load_model

    try:
        target = resolve_device(device)
        torch.empty(1, device=target)
    except (RuntimeError, AssertionError) as err:
        raise BodyModelError(f"SMPL-X fit cannot use device {device!r} ({err}); use device='cpu'") from err
    model = load_model(model_path(Path(model_dir), settings.gender), settings.num_betas)
    return run_fit(pose, model, target, settings)
