"""Savitzky-Golay smoothing (value, not derivatives) with scipy.signal.savgol_filter's mode="interp" edges.

Written with numpy alone because importing scipy.signal costs ~0.8 s of CPU (it pulls in scipy.stats), paid
on every cold worker start for one small filter; tests check it against scipy's to 1e-9.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=32)
def _centre_coeffs(window_frames: int, polyorder: int) -> np.ndarray:
    """Weights that give the least-squares polynomial's value at the window's centre."""
    half = window_frames // 2
    positions = np.arange(-half, half + 1, dtype=float)
    vander = positions[:, None] ** np.arange(polyorder + 1)[None, :]
    return np.linalg.pinv(vander)[0]


@lru_cache(maxsize=32)
def _edge_matrix(window_frames: int, polyorder: int) -> np.ndarray:
    """(half, window) weights: the least-squares polynomial over the first `window` samples, evaluated at
    the first `half` positions (scipy's mode="interp"; the last samples use the mirror image)."""
    positions = np.arange(window_frames, dtype=float)
    vander = positions[:, None] ** np.arange(polyorder + 1)[None, :]
    return vander[: window_frames // 2] @ np.linalg.pinv(vander)


def savgol_filter(x: np.ndarray, window_frames: int, polyorder: int) -> np.ndarray:
    """Smooth a 1-D series; `window_frames` odd, polyorder < window_frames <= len(x)."""
    x = np.asarray(x, dtype=float)
    if window_frames % 2 != 1 or not polyorder < window_frames <= x.size:
        raise ValueError("need an odd window with polyorder < window_frames <= len(x)")
    half = window_frames // 2
    out = np.empty_like(x)
    out[half : x.size - half] = np.convolve(x, _centre_coeffs(window_frames, polyorder)[::-1], mode="valid")
    edge = _edge_matrix(window_frames, polyorder)
    out[:half] = edge @ x[:window_frames]
    out[x.size - half :] = (edge @ x[::-1][:window_frames])[::-1]
    return out
