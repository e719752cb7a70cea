"""Left/right label swaps and front/back-mixed frames of MediaPipe's output (pure numpy; used by clean_pose).

Split out of ergopipe.clean (which re-exports the public functions) to keep each module short.
"""

from __future__ import annotations

import numpy as np

from ergopipe.landmarks import (
    LEFT_EAR,
    LEFT_FOOT_INDEX,
    LEFT_HEEL,
    LEFT_HIP,
    LEFT_RIGHT_PAIRS,
    LEFT_SHOULDER,
    N_LANDMARKS,
    NOSE,
    RIGHT_EAR,
    RIGHT_FOOT_INDEX,
    RIGHT_HEEL,
    RIGHT_HIP,
    RIGHT_SHOULDER,
)


def _swap_permutation() -> np.ndarray:
    perm = np.arange(N_LANDMARKS)
    for a, b in LEFT_RIGHT_PAIRS:
        perm[a], perm[b] = b, a
    return perm


_SWAP = _swap_permutation()  # landmark order with left and right exchanged
_PAIRED = np.array([i for pair in LEFT_RIGHT_PAIRS for i in pair])


def _swap(frame: np.ndarray) -> np.ndarray:
    """(33, 3) or (n, 33, 3) landmarks with left and right labels exchanged (a copy)."""
    return frame[..., _SWAP, :]


def _pair_cost(prev: np.ndarray, cur: np.ndarray) -> float:
    """Mean distance of the paired landmarks between two frames (NaN-aware)."""
    d = np.linalg.norm(prev[_PAIRED] - cur[_PAIRED], axis=-1)
    finite = d[np.isfinite(d)]
    return float(finite.mean()) if finite.size else float("nan")


def _unit_rows(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1e-9, v / n, np.nan)


def orientation_scores(xyz_m: np.ndarray) -> np.ndarray:
    """(n,) metres by which face and feet point forward; > 0 when the labels are right, < 0 when mirrored.

    xyz_m: (n, 33, 3) camera-up frame. Face: nose - ear midpoint along the trunk's forward (shoulder line x
    trunk line; the neck cannot bend the face past 90 deg from it). Feet: heel -> toe along the pelvis
    forward (hip line x camera up, fine for camera tilts well under 45 deg). The three terms are summed,
    NaN terms skipped; NaN where none is measurable."""
    p = np.asarray(xyz_m, dtype=float)
    trunk_up = (p[:, LEFT_SHOULDER] + p[:, RIGHT_SHOULDER] - p[:, LEFT_HIP] - p[:, RIGHT_HIP]) / 2
    trunk_fwd = _unit_rows(np.cross(p[:, LEFT_SHOULDER] - p[:, RIGHT_SHOULDER], trunk_up))
    head = p[:, NOSE] - (p[:, LEFT_EAR] + p[:, RIGHT_EAR]) / 2
    pelvis_fwd = _unit_rows(np.cross(p[:, LEFT_HIP] - p[:, RIGHT_HIP], np.array([0.0, 1.0, 0.0])))
    terms = np.stack(
        [
            np.sum(head * trunk_fwd, axis=-1),
            np.sum((p[:, LEFT_FOOT_INDEX] - p[:, LEFT_HEEL]) * pelvis_fwd, axis=-1),
            np.sum((p[:, RIGHT_FOOT_INDEX] - p[:, RIGHT_HEEL]) * pelvis_fwd, axis=-1),
        ]
    )
    total = np.nansum(terms, axis=0)
    return np.where(np.isfinite(terms).any(axis=0), total, np.nan)


def fix_left_right_swaps(
    xyz_m: np.ndarray, *, margin: float = 0.5, min_score_m: float = 0.02
) -> tuple[np.ndarray, int]:
    """Undo left/right label swaps. Returns ((n, 33, 3) fixed copy, number of frames relabelled).

    Continuity: a frame whose swapped labelling is much closer to the previous (fixed) frame than its own
    (cost_swapped < margin * cost_kept) starts a swapped segment. Orientation: each segment of consistent
    labelling is then flipped as a whole if, in most of its decided frames, face and feet point backward,
    which is impossible for a correctly labelled body (so a sequence that starts mislabelled is also fixed).
    """
    p = np.array(xyz_m, dtype=float, copy=True)
    n = p.shape[0]
    flip = np.zeros(n, dtype=bool)
    seg_id = np.zeros(n, dtype=int)
    prev: np.ndarray | None = None
    state = False
    seg = 0
    for i in range(n):
        cur = _swap(p[i]) if state else p[i]
        if prev is not None:
            kept, swapped = _pair_cost(prev, cur), _pair_cost(prev, _swap(cur))
            if np.isfinite(kept) and np.isfinite(swapped) and swapped < margin * kept:
                state = not state
                seg += 1
                cur = _swap(cur)
        flip[i] = state
        seg_id[i] = seg
        if np.isfinite(cur).any():
            prev = cur
    fixed = np.where(flip[:, None, None], _swap(p), p)
    for s in range(seg + 1):
        frames = np.flatnonzero(seg_id == s)
        scores = orientation_scores(fixed[frames])
        scores = scores[np.abs(np.nan_to_num(scores)) > min_score_m]  # ignore undecided frames
        if scores.size and np.count_nonzero(scores < 0) > scores.size / 2:
            fixed[frames] = _swap(fixed[frames])
            flip[frames] = ~flip[frames]
    return fixed, int(np.count_nonzero(flip))


def drop_inconsistent_frames(xyz_m: np.ndarray, *, min_score_m: float = 0.02) -> tuple[np.ndarray, int]:
    """Set to NaN the frames whose face and feet point backward relative to the body's own axes after the
    swap fix. (n, 33, 3) camera-up frame in, (fixed copy, frames dropped) out.

    Such a frame is anatomically impossible: the estimator has mixed a front and a back interpretation of
    the body (seen with MediaPipe when a person bends toward the camera and the face disappears: its depth
    flips while the labels change gradually). Its angles would be confidently wrong, so they are made not
    measurable instead; short runs are bridged by gap filling from the consistent frames around them.
    """
    out = np.array(xyz_m, dtype=float, copy=True)
    scores = orientation_scores(out)
    bad = np.nan_to_num(scores, nan=0.0) < -min_score_m
    out[bad] = np.nan
    return out, int(np.count_nonzero(bad))
