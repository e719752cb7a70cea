"""Exposure over time from per-frame angles: zones (ISO 11226 / EN 1005-4), holds, static and repeated.

All functions take (n,) arrays: angles in degrees (NaN = not measured) and `time_s` in seconds, increasing.
A frame "lasts" until the next frame (the last one lasts the median frame interval), so durations add up to
the video's analysed time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ergopipe.methods.rules import RuleSettings

ZONES = ("< 0 (extension)", "0-20", "20-60", "> 60")
# Parts whose posture zones are reported, and the columns they come from.
ZONE_PARTS = {
    "trunk_flexion": "trunk_flexion_deg",
    "neck_flexion": "neck_flexion_deg",
    "left_upper_arm_flexion": "left_upper_arm_flexion_deg",
    "right_upper_arm_flexion": "right_upper_arm_flexion_deg",
}
# Parts watched for repetition, with the score thresholds whose upward crossing counts as an action.
REPETITION_PARTS: dict[str, tuple[str, tuple[float, ...]]] = {
    "trunk_flexion": ("trunk_flexion_deg", (20.0, 60.0)),
    "neck_flexion": ("neck_flexion_deg", (10.0, 20.0)),
    **{
        f"{s}_upper_arm_flexion": (f"{s}_upper_arm_flexion_deg", (20.0, 45.0, 90.0))
        for s in ("left", "right")
    },
    **{f"{s}_elbow_flexion": (f"{s}_elbow_flexion_deg", (60.0, 100.0)) for s in ("left", "right")},
    **{f"{s}_wrist_flexion": (f"{s}_wrist_flexion_deg", (-15.0, 15.0)) for s in ("left", "right")},
}


def frame_durations_s(time_s: np.ndarray) -> np.ndarray:
    t = np.asarray(time_s, dtype=float)
    if t.size == 0:
        return t.copy()
    if t.size == 1:
        return np.ones(1)
    dt = np.diff(t)
    return np.append(dt, np.median(dt))


def zone_masks(angle_deg: np.ndarray, rules: RuleSettings) -> dict[str, np.ndarray]:
    """Boolean mask per zone; NaN frames are in no zone.

    Ends follow the boundary convention (by default 20.0 is in 0-20).
    """
    a = np.asarray(angle_deg, dtype=float)
    ok = np.isfinite(a)
    with np.errstate(invalid="ignore"):
        ext = ok & (a < 0)
    over20, over60 = ok & rules.above(a, 20.0), ok & rules.above(a, 60.0)
    return {ZONES[0]: ext, ZONES[1]: ok & ~ext & ~over20, ZONES[2]: over20 & ~over60, ZONES[3]: over60}


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end_inclusive) index pairs of the True runs of `mask`."""
    m = np.asarray(mask, dtype=bool).astype(np.int8)
    edges = np.diff(np.concatenate(([0], m, [0])))
    starts, ends = np.flatnonzero(edges == 1).tolist(), (np.flatnonzero(edges == -1) - 1).tolist()
    return list(zip(starts, ends, strict=True))


def longest_run_s(mask: np.ndarray, dt_s: np.ndarray) -> float:
    csum = np.concatenate(([0.0], np.cumsum(dt_s)))
    return max((float(csum[e + 1] - csum[s]) for s, e in runs(mask)), default=0.0)


def static_mask(angle_deg: np.ndarray, dt_s: np.ndarray, band_deg: float, hold_s: float) -> np.ndarray:
    """True for frames inside a hold: consecutive measured frames whose angles all lie within a band of width
    2 * band_deg (i.e. within ±band_deg of the band's centre) lasting longer than `hold_s`.

    Two pointers with monotonic deques find, for each start, the longest window in band: O(n).
    """
    a = np.asarray(angle_deg, dtype=float)
    n = a.size
    csum = np.concatenate(([0.0], np.cumsum(dt_s)))
    cover = np.zeros(n + 1, dtype=np.int64)
    lo_q: deque[int] = deque()
    hi_q: deque[int] = deque()
    end = 0  # exclusive end of the current window
    for start in range(n):
        if not np.isfinite(a[start]):
            end = max(end, start + 1)
            lo_q.clear()
            hi_q.clear()
            continue
        end = max(end, start)
        while end < n and np.isfinite(a[end]):
            lo = min(a[end], a[lo_q[0]]) if lo_q else a[end]
            hi = max(a[end], a[hi_q[0]]) if hi_q else a[end]
            if hi - lo > 2 * band_deg:
                break
            while lo_q and a[lo_q[-1]] >= a[end]:
                lo_q.pop()
            lo_q.append(end)
            while hi_q and a[hi_q[-1]] <= a[end]:
                hi_q.pop()
            hi_q.append(end)
            end += 1
        if end > start and csum[end] - csum[start] > hold_s:
            cover[start] += 1
            cover[end] -= 1
        while lo_q and lo_q[0] <= start:
            lo_q.popleft()
        while hi_q and hi_q[0] <= start:
            hi_q.popleft()
    return np.cumsum(cover[:n]) > 0


def action_times_s(
    angle_deg: np.ndarray, time_s: np.ndarray, threshold_deg: float, hysteresis_deg: float
) -> np.ndarray:
    """Times of upward crossings of `threshold_deg`: from below (th − h) to above (th + h).

    Frames inside the dead band or NaN keep the previous state.
    """
    a = np.asarray(angle_deg, dtype=float)
    t = np.asarray(time_s, dtype=float)
    with np.errstate(invalid="ignore"):
        state = np.where(
            a > threshold_deg + hysteresis_deg, 1, np.where(a < threshold_deg - hysteresis_deg, -1, 0)
        )
    idx = np.flatnonzero(state)
    s = state[idx]
    return t[idx[1:][(s[:-1] == -1) & (s[1:] == 1)]]


def rate_per_min(
    event_times_s: np.ndarray, time_s: np.ndarray, window_s: float = 60.0
) -> tuple[np.ndarray, np.ndarray]:
    """Actions per minute in a window_s window around each frame, and the number of actions in it."""
    t = np.asarray(time_s, dtype=float)
    if t.size == 0:
        return t.copy(), t.copy()
    t0, t1 = t[0], t[-1] + frame_durations_s(t)[-1]
    # Centred window, shifted (not shrunk) at the ends so that it stays window_s long; a video shorter than
    # the window is one window. Shrinking would turn one action near the start into an inflated rate.
    lo = np.clip(t - window_s / 2, t0, max(t0, t1 - window_s))
    hi = np.minimum(lo + window_s, t1)
    count = (np.searchsorted(event_times_s, hi, "left") - np.searchsorted(event_times_s, lo, "left")).astype(
        float
    )
    # Rounded so that a window a hair short of 60 s (float time stamps) cannot turn 4 actions into "> 4/min".
    return np.round(count * 60.0 / np.maximum(hi - lo, 1e-9), 6), count


@dataclass(frozen=True)
class Derived:
    """Per-frame activity derived from the angle series (bool arrays, shape (n,))."""

    static_reba: Mapping[str, np.ndarray]  # part -> held > rules.static_hold_s
    static_rula: Mapping[str, np.ndarray]  # part -> held > rules.rula_static_hold_s
    repeated: Mapping[str, np.ndarray]  # part -> rate > rules.repeated_per_min with at least 2 actions
    rate_per_min: Mapping[str, np.ndarray]


def derive(columns: Mapping[str, np.ndarray], time_s: np.ndarray, rules: RuleSettings) -> Derived:
    """Static holds (zone parts) and repeated actions (repetition parts) from the columns that are present."""
    dt = frame_durations_s(time_s)
    static_reba, static_rula, repeated, rates = {}, {}, {}, {}
    for part, col in ZONE_PARTS.items():
        if col in columns:
            static_reba[part] = static_mask(columns[col], dt, rules.static_band_deg, rules.static_hold_s)
            static_rula[part] = (
                static_reba[part]
                if rules.rula_static_hold_s == rules.static_hold_s
                else static_mask(columns[col], dt, rules.static_band_deg, rules.rula_static_hold_s)
            )
    for part, (col, thresholds) in REPETITION_PARTS.items():
        if col in columns:
            # A reach that crosses 20° and 45° is one action: take the busiest threshold, not the sum.
            per_threshold = [
                rate_per_min(
                    action_times_s(columns[col], time_s, th, rules.repetition_hysteresis_deg), time_s
                )
                for th in thresholds
            ]
            rates[part] = np.max([r for r, _ in per_threshold], axis=0)
            count = np.max([c for _, c in per_threshold], axis=0)
            # One action is not "repeated": ask for two in the window so a single reach in a short clip
            # is not extrapolated into a rate.
            repeated[part] = (rates[part] > rules.repeated_per_min) & (count >= 2)
    return Derived(static_reba, static_rula, repeated, rates)


def exposure_summary(
    columns: Mapping[str, np.ndarray], time_s: np.ndarray, rules: RuleSettings, derived: Derived
) -> dict[str, object]:
    """JSON-ready: per zone part, % of measured time and longest continuous hold (s) per zone, static and
    repetition facts."""
    dt = frame_durations_s(time_s)
    parts: dict[str, object] = {}
    for part, col in ZONE_PARTS.items():
        if col not in columns:
            continue
        masks = zone_masks(columns[col], rules)
        measured_s = float(dt[np.isfinite(np.asarray(columns[col], dtype=float))].sum())
        parts[part] = {
            "measured_s": round(measured_s, 3),
            "time_pct": {
                z: round(100.0 * float(dt[m].sum()) / measured_s, 2) if measured_s > 0 else None
                for z, m in masks.items()
            },
            "longest_hold_s": {z: round(longest_run_s(m, dt), 3) for z, m in masks.items()},
            "static_pct": round(
                100.0 * float(dt[derived.static_reba[part]].sum()) / max(float(dt.sum()), 1e-9), 2
            ),
        }
    repetition = {p: round(float(np.max(r)), 2) if r.size else 0.0 for p, r in derived.rate_per_min.items()}
    return {
        "zones_deg": list(ZONES),
        "parts": parts,
        "max_actions_per_min": repetition,
        "static_band_deg": rules.static_band_deg,
        "static_hold_s": rules.static_hold_s,
        "repeated_per_min": rules.repeated_per_min,
    }
