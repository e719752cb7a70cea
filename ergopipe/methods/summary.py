"""The JSON-ready video summary: per method scores, worst moments, coverage, exposure and inputs.

Plain Python values only (no numpy types); NaN becomes None. Percentages are of analysed time (frame
durations), so a video analysed at a reduced frame rate still adds up to its length.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np

from ergopipe.methods import exposure, tables
from ergopipe.methods.rules import RuleSettings
from ergopipe.methods.task import TASK_DEFAULTS, TASK_KEYS, FrameTask

LEVELS = {"reba": (0, 1, 2, 3, 4), "rula": (1, 2, 3, 4), "owas": (1, 2, 3, 4)}
SCORE_COLUMN = {"reba": "reba_score", "rula": "rula_score", "owas": "owas_action_category"}
LEVEL_COLUMN = {"reba": "reba_action_level", "rula": "rula_action_level", "owas": "owas_action_category"}
SIDE_NAME = {-1.0: "left", 1.0: "right", 0.0: "both"}
# Frame columns that are not body parts (tables, task factors, side markers) are left out of part coverage.
NOT_PARTS = ("table", "score", "level", "side", "load", "coupling", "activity", "force", "muscle", "category")
MOMENT_GAP_S = 1.0
N_MOMENTS = 5


def plain(x: Any) -> Any:
    """numpy scalars -> Python, NaN/inf -> None, recursively through dicts, lists and tuples."""
    if isinstance(x, Mapping):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [plain(v) for v in x]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return None if not math.isfinite(v) else (int(v) if v.is_integer() else round(v, 4))
    return x


def _pct(weight: np.ndarray, mask: np.ndarray, total: float) -> float | None:
    return 100.0 * float(weight[mask].sum()) / total if total > 0 else None


def worst_moments(score: np.ndarray, time_s: np.ndarray, side: np.ndarray | None) -> list[dict[str, Any]]:
    """Up to 5 highest-scoring frames, at least 1 s apart (ties: earliest first)."""
    ok = np.flatnonzero(np.isfinite(score))
    order = ok[np.lexsort((time_s[ok], -score[ok]))]
    picked: list[int] = []
    for i in order:
        if all(abs(time_s[i] - time_s[j]) >= MOMENT_GAP_S for j in picked):
            picked.append(int(i))
            if len(picked) == N_MOMENTS:
                break
    return [
        {
            "time_s": round(float(time_s[i]), 3),
            "row": i,  # analysed-row index; the pipeline adds the source "frame" number
            "score": int(score[i]),
            "side": SIDE_NAME.get(float(side[i])) if side is not None else None,
        }
        for i in picked
    ]


def _max_or(values: np.ndarray, default: float) -> float:
    finite = np.asarray(values, dtype=float)[np.isfinite(values)]
    return float(finite.max()) if finite.size else default


def method_summary(method: str, frames: Mapping[str, np.ndarray], time_s: np.ndarray) -> dict[str, Any]:
    score = np.asarray(frames[SCORE_COLUMN[method]], dtype=float)
    level = np.asarray(frames[LEVEL_COLUMN[method]], dtype=float)
    dt = exposure.frame_durations_s(time_s)
    ok = np.isfinite(score)
    scorable_s = float(dt[ok].sum())
    max_score = float(np.max(score[ok])) if ok.any() else None
    max_level = int(np.max(level[ok])) if ok.any() else None
    side = frames.get(f"{method}_worse_side")
    worse_side = None
    if method != "owas" and ok.any():
        left_max, right_max = (_max_or(frames[f"{method}_score_{s}"], -1.0) for s in ("left", "right"))
        worse_side = "both" if left_max == right_max else ("left" if left_max > right_max else "right")
    out = {
        "max_score": max_score,
        "worse_side": worse_side,
        "max_action_level": max_level,
        "median_score": float(np.median(score[ok])) if ok.any() else None,
        "time_pct_by_action_level": {
            str(lv): _pct(dt, ok & (level == lv), scorable_s) for lv in LEVELS[method]
        },
        "action_text": tables.action_text(method, max_level),
        "worst_moments": worst_moments(score, time_s, side),
        "scorable_pct": _pct(dt, ok, float(dt.sum())),
    }
    if method == "owas":
        out["max_action_category"] = max_level  # OWAS calls its levels "action categories"
    return out


def coverage(frames: Mapping[str, np.ndarray], time_s: np.ndarray, methods: Sequence[str]) -> dict[str, Any]:
    """% of analysed time in which each part, side score and method score is scorable."""
    dt = exposure.frame_durations_s(time_s)
    total = float(dt.sum())
    parts = {
        name: _pct(dt, np.isfinite(v), total)
        for name, v in frames.items()
        if name.split("_", 1)[0] in methods and not any(w in name for w in NOT_PARTS)
    }
    per_method = {m: _pct(dt, np.isfinite(frames[SCORE_COLUMN[m]]), total) for m in methods}
    both = {
        m: _pct(dt, np.isfinite(frames[f"{m}_score_left"]) & np.isfinite(frames[f"{m}_score_right"]), total)
        for m in methods
        if m != "owas"
    }
    sides = {
        f"{m}_{s}": _pct(dt, np.isfinite(frames[f"{m}_score_{s}"]), total)
        for m in methods
        if m != "owas"
        for s in ("left", "right")
    }
    return {
        "frames": int(time_s.shape[0]),
        "analysed_s": total,
        "methods": per_method,
        "sides": sides,
        "both_sides": both,
        "parts": parts,
    }


def inputs(
    columns: Mapping[str, np.ndarray],
    assumed: Mapping[str, str],
    task: FrameTask,
    derived: exposure.Derived,
    frames: Mapping[str, np.ndarray],
    time_s: np.ndarray,
    rules: RuleSettings,
    unmeasurable: Mapping[str, Any],
) -> dict[str, Any]:
    """Which factors were measured from video, declared in the job, derived from the series, or assumed."""
    measured = sorted(k for k, v in columns.items() if np.isfinite(np.asarray(v, dtype=float)).any())
    assumed_out: dict[str, str] = dict(assumed)
    for key, value in unmeasurable.items():
        assumed_out[key] = f"{value} (video cannot measure it)"
    for key in TASK_KEYS:
        if key not in task.declared and key not in ("static_posture", "repeated_actions"):
            assumed_out[f"task.{key}"] = f"{TASK_DEFAULTS[key]} (not declared in the job)"
    dt = exposure.frame_durations_s(time_s)
    total = float(dt.sum())
    activity: dict[str, Any] = {}
    for key, masks in (("static_posture", derived.static_reba), ("repeated_actions", derived.repeated)):
        declared_arr = getattr(task, key)
        declared_pct = _pct(dt, ~np.isnan(declared_arr), total)
        source = (
            "derived" if not declared_pct else ("declared" if declared_pct >= 100.0 else "declared in part")
        )
        activity[key] = {
            "source": source,
            "declared_in": task.declared.get(key),
            "time_pct": _pct(dt, frames[key] == 1, total),
            "parts": sorted(p for p, m in masks.items() if m.any()),
        }
    return {
        "measured": measured,
        "declared": {k: task.declared[k] for k in sorted(task.declared)},
        "assumed": assumed_out,
        "activity": activity,
        "rules": rules.to_dict(),
    }


def build_summary(
    frames: Mapping[str, np.ndarray],
    time_s: np.ndarray,
    methods: Sequence[str],
    *,
    columns: Mapping[str, np.ndarray],
    assumed: Mapping[str, str],
    task: FrameTask,
    derived: exposure.Derived,
    rules: RuleSettings,
    unmeasurable: Mapping[str, Any],
) -> dict[str, Any]:
    out: dict[str, Any] = {m: method_summary(m, frames, time_s) for m in methods}
    out["coverage"] = coverage(frames, time_s, methods)
    out["exposure"] = exposure.exposure_summary(columns, time_s, rules, derived)
    out["inputs"] = inputs(columns, assumed, task, derived, frames, time_s, rules, unmeasurable)
    return plain(out)
