"""PoseSequence -> CleanPose: visibility gating, left/right swap fix, gravity frame, gap filling, smoothing.

All functions are pure (numpy in, numpy out). Order in :func:`clean_pose` and why:
1. MediaPipe world (y down, z away) -> camera-up frame (y up, z toward camera).
2. Gate: a landmark with visibility < min_visibility (or a frame without a person) becomes NaN, so an
   occluded, guessed landmark never becomes an angle.
3. Swap fix on the gated raw data (smoothing across a swap would average the two sides); frames that stay
   anatomically inconsistent (face and feet backward) are dropped.
4. Gravity: remove the declared or estimated camera pitch/roll; then re-estimate the trunk's tilt out of the
   image plane from the 2D image, MediaPipe's depth and a side-bend prior (ergopipe.trunk_depth).
5. Fill gaps up to max_gap_s by linear interpolation; longer gaps stay NaN.
6. Zero-lag Savitzky-Golay smoothing on each contiguous run (symmetric window: no phase shift).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import numpy as np

from ergopipe import gravity
from ergopipe.savgol import savgol_filter
from ergopipe.swap_fix import (  # noqa: F401  (public here since before the split)
    drop_inconsistent_frames,
    fix_left_right_swaps,
    orientation_scores,
)
from ergopipe.trunk_depth import refine_trunk_depth
from ergopipe.types import CleanPose, PoseSequence

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanSettings:
    """Cleaning settings; the defaults are justified in docs/angles.md.

    min_visibility: MediaPipe visibility below which a landmark is treated as missing.
    max_gap_s: longest gap (seconds) bridged by linear interpolation; longer gaps stay NaN.
    smooth_window_s: Savitzky-Golay window length in seconds (converted to an odd frame count >= polyorder+2;
        0 disables smoothing).
    smooth_polyorder: Savitzky-Golay polynomial order.
    fix_swaps: detect and undo left/right label swaps, and drop frames that stay anatomically inconsistent
        (face and feet pointing backward; see drop_inconsistent_frames).
    min_gravity_confidence: an estimated camera tilt is only removed when its confidence reaches this.
    trunk_depth_sd_deg / trunk_side_bend_sd_deg: the trunk's tilt out of the image plane is re-estimated from
        MediaPipe's depth (error sd trunk_depth_sd_deg) and a side-bend prior (sd trunk_side_bend_sd_deg);
        see ergopipe.trunk_depth. trunk_depth_sd_deg <= 0 keeps MediaPipe's depth as it is.
    """

    min_visibility: float = 0.35
    max_gap_s: float = 0.5
    smooth_window_s: float = 0.33
    smooth_polyorder: int = 2
    fix_swaps: bool = True
    min_gravity_confidence: float = 0.3
    trunk_depth_sd_deg: float = 10.0
    trunk_side_bend_sd_deg: float = 10.0


def gate_by_visibility(
    xyz_m: np.ndarray, visibility: np.ndarray, detected: np.ndarray, min_visibility: float
) -> np.ndarray:
    """(n, 33, 3) copy with landmarks of visibility < min_visibility, or in undetected frames, set to NaN."""
    out = np.array(xyz_m, dtype=float, copy=True)
    bad = (np.nan_to_num(visibility, nan=0.0) < min_visibility) | ~np.asarray(detected, dtype=bool)[:, None]
    out[bad] = np.nan
    return out


def fill_gaps(values: np.ndarray, time_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate interior NaN runs whose duration is <= max_gap_s, along axis 0.

    values: (n, ...) float. The gap duration is the time between the last sample before and the first after
    the gap minus one frame interval, i.e. the time actually missing. Leading/trailing NaNs stay NaN.
    """
    v = np.array(values, dtype=float, copy=True)
    flat = v.reshape(v.shape[0], -1)
    t = np.asarray(time_s, dtype=float)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        ok = ~np.isnan(col)
        if ok.all() or np.count_nonzero(ok) < 2:
            continue
        idx = np.flatnonzero(ok)
        # Consecutive valid samples with missing ones in between.
        for a, b in itertools.pairwise(idx):
            if b - a < 2:
                continue
            dt = (t[b] - t[a]) / (b - a)
            if (t[b] - t[a]) - dt <= max_gap_s + 1e-9:
                col[a + 1 : b] = np.interp(t[a + 1 : b], [t[a], t[b]], [col[a], col[b]])
    return v


def smoothing_window_frames(window_s: float, fps: float, polyorder: int) -> int:
    """Odd Savitzky-Golay window in frames for window_s at fps (at least polyorder + 2, odd); 0 (no
    smoothing) when window_s <= 0."""
    if window_s <= 0:
        return 0
    w = round(window_s * fps)
    w = max(w, polyorder + 2)
    return w if w % 2 == 1 else w + 1


def smooth_zero_lag(values: np.ndarray, window_frames: int, polyorder: int) -> np.ndarray:
    """Savitzky-Golay smoothing along axis 0 on every contiguous non-NaN run (runs shorter than the window
    are left as they are). Symmetric filter: a ramp or a peak is not delayed."""
    v = np.array(values, dtype=float, copy=True)
    flat = v.reshape(v.shape[0], -1)
    if window_frames <= polyorder:
        return v
    for j in range(flat.shape[1]):
        col = flat[:, j]
        ok = ~np.isnan(col)
        if not ok.any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([0], ok.astype(np.int8), [0]))))
        for start, stop in zip(edges[::2], edges[1::2]):
            if stop - start >= window_frames:
                col[start:stop] = savgol_filter(col[start:stop], window_frames, polyorder)
    return v


def hysteresis(values: np.ndarray, threshold: float, band: float) -> np.ndarray:
    """Flag (1.0/0.0, NaN where values is NaN) that turns on at value >= threshold + band/2 and off at
    value < threshold - band/2, so an angle hovering at a threshold does not flicker.

    values: (n,) float. The state after a NaN restarts from the plain comparison value >= threshold.
    """
    v = np.asarray(values, dtype=float)
    out = np.full(v.shape, np.nan)
    state: bool | None = None
    hi, lo = threshold + band / 2.0, threshold - band / 2.0
    for i, x in enumerate(v):
        if np.isnan(x):
            state = None
            continue
        if state is None:
            state = bool(x >= threshold)
        elif state and x < lo:
            state = False
        elif not state and x >= hi:
            state = True
        out[i] = 1.0 if state else 0.0
    return out


def clean_pose(
    seq: PoseSequence, *, settings: CleanSettings = CleanSettings(), camera_pitch_deg: float | None = None
) -> CleanPose:
    """Gate, swap-fix, rotate into the gravity frame, gap-fill and smooth a PoseSequence.

    camera_pitch_deg: declared camera pitch (positive = camera looking down); when given it is used instead
    of the estimate (the roll is still taken from the estimate when that is confident, else 0).
    """
    notes: list[str] = []
    cam = gravity.mediapipe_to_camera_up(seq.world_xyz_m)
    gated = gate_by_visibility(cam, seq.visibility, seq.detected, settings.min_visibility)
    if settings.fix_swaps:
        gated, n_swapped = fix_left_right_swaps(gated)
        if n_swapped:
            notes.append(f"left/right labels swapped back in {n_swapped} frames")
        gated, n_dropped = drop_inconsistent_frames(gated)
        if n_dropped:
            notes.append(f"{n_dropped} frames not measurable: the pose estimate mixed front and back views")
    est = gravity.estimate_gravity(gated)
    confident = est.confidence >= settings.min_gravity_confidence
    if camera_pitch_deg is not None:
        pitch, roll = float(camera_pitch_deg), (est.roll_deg if confident else 0.0)
        source, conf = "declared", 1.0
    elif confident:
        pitch, roll, source, conf = est.pitch_deg, est.roll_deg, "estimated", est.confidence
    else:
        pitch, roll, source, conf = 0.0, 0.0, "none", est.confidence
        notes.append(
            f"camera tilt not corrected: {est.n_upright_frames} upright frames, "
            f"confidence {est.confidence:.2f}; declare camera_pitch_deg or include a few seconds of "
            "upright standing"
        )
    xyz = gravity.to_gravity_frame(gated, pitch, roll)
    if settings.trunk_depth_sd_deg > 0 and seq.image_xy_px is not None:
        xyz, _ = refine_trunk_depth(
            xyz, seq.image_xy_px, pitch, roll,
            depth_sd_deg=settings.trunk_depth_sd_deg, side_bend_sd_deg=settings.trunk_side_bend_sd_deg,
        )
    xyz = fill_gaps(xyz, seq.time_s, settings.max_gap_s)
    fps = seq.analysis_fps if seq.analysis_fps > 0 else seq.source_fps
    window = smoothing_window_frames(settings.smooth_window_s, fps, settings.smooth_polyorder)
    xyz = smooth_zero_lag(xyz, window, settings.smooth_polyorder)
    ok = np.isfinite(xyz).all(axis=-1)
    log.info(
        "clean_pose: %d frames, gravity %s pitch %.1f roll %.1f conf %.2f",
        seq.n_frames,
        source,
        pitch,
        roll,
        conf,
    )
    return CleanPose(
        time_s=np.asarray(seq.time_s, dtype=float),
        frame_index=np.asarray(seq.frame_index),
        xyz_m=xyz,
        landmark_ok=ok,
        detected=np.asarray(seq.detected, dtype=bool),
        camera_pitch_deg=pitch,
        camera_roll_deg=roll,
        gravity_confidence=float(conf),
        gravity_source=source,
        notes=tuple(notes),
    )
