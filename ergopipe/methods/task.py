"""Task factors that video cannot measure (load, coupling, activity), declared in the job input.

`TaskFactors` fields are None when not declared; `frame_task` expands the whole-video factors and the
time ranges into per-frame arrays, filling what nobody declared with the API defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping, Sequence

import numpy as np

from ergopipe.errors import InputError
from ergopipe.methods import _check
from ergopipe.methods.rules import RuleSettings, as_rules

LOAD_PATTERNS = ("intermittent", "static", "repeated")
COUPLINGS = ("good", "fair", "poor", "unacceptable")
BOOL_KEYS = ("shock", "static_posture", "repeated_actions", "rapid_large_changes")
MAX_LOAD_KG = 500.0  # beyond any manual handling; a larger number is a typing error (grams?)


@dataclass(frozen=True)
class TaskFactors:
    """Declared task factors; None = not declared (the default or the value derived from video is used)."""

    load_kg: float | None = None
    shock: bool | None = None
    load_pattern: str | None = None
    coupling: str | None = None
    static_posture: bool | None = None
    repeated_actions: bool | None = None
    rapid_large_changes: bool | None = None

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any] | None, where: str = "task") -> "TaskFactors":
        m = _check.mapping(m, where)
        _check.no_unknown_keys(m, TASK_KEYS, where)
        return cls(**_parse_values(m, where))

    def declared(self) -> dict[str, Any]:
        """The declared keys and values only."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


TASK_KEYS = tuple(f.name for f in fields(TaskFactors))
TASK_DEFAULTS: dict[str, Any] = {
    "load_kg": 0.0,
    "shock": False,
    "load_pattern": "intermittent",
    "coupling": "good",
    "static_posture": False,
    "repeated_actions": False,
    "rapid_large_changes": False,
}


def _parse_values(m: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in m.items():
        w = f"{where}.{key}"
        if value is None:
            continue
        if key == "load_kg":
            out[key] = _check.number(value, w, lo=0, hi=MAX_LOAD_KG)
        elif key == "load_pattern":
            out[key] = _check.choice(value, LOAD_PATTERNS, w)
        elif key == "coupling":
            out[key] = _check.choice(value, COUPLINGS, w)
        else:
            out[key] = _check.boolean(value, w)
    return out


@dataclass(frozen=True)
class TaskRange:
    """Task factors that apply from `from_s` (inclusive) to `to_s` (exclusive) of video time."""

    from_s: float
    to_s: float
    factors: TaskFactors

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any], where: str) -> "TaskRange":
        m = _check.mapping(m, where)
        _check.no_unknown_keys(m, ("from_s", "to_s") + TASK_KEYS, where)
        for key in ("from_s", "to_s"):
            if key not in m:
                raise InputError(f"{where}.{key}: missing; every task range needs from_s and to_s (seconds)")
        from_s = _check.number(m["from_s"], f"{where}.from_s", lo=0)
        to_s = _check.number(m["to_s"], f"{where}.to_s", lo=0)
        if to_s <= from_s:
            raise InputError(f"{where}.to_s: must be greater than from_s ({from_s:g}), got {to_s:g}")
        rest = {k: v for k, v in m.items() if k not in ("from_s", "to_s")}
        return cls(from_s, to_s, TaskFactors(**_parse_values(rest, where)))


def parse_task_ranges(
    value: Sequence[Mapping[str, Any]] | None, where: str = "task_ranges"
) -> tuple[TaskRange, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise InputError(f"{where}: expected a list of objects with from_s, to_s and task keys")
    return tuple(TaskRange.from_mapping(item, f"{where}[{i}]") for i, item in enumerate(value))


def parse_task_input(
    task: Mapping[str, Any] | None = None,
    task_ranges: Sequence[Any] | None = None,
    rules: Mapping[str, Any] | RuleSettings | None = None,
) -> dict[str, Any]:
    """Validate the job's `task`, `task_ranges` and `rules` into `score_video`'s keyword arguments."""
    return {
        "task": TaskFactors.from_mapping(task),
        "task_ranges": parse_task_ranges(task_ranges),
        "rules": as_rules(rules),
    }


@dataclass(frozen=True)
class FrameTask:
    """Per-frame task factors, shape (n,). Activity flags: 1.0/0.0 declared, NaN = not declared."""

    load_kg: np.ndarray
    shock: np.ndarray
    load_pattern: np.ndarray  # object array of LOAD_PATTERNS strings
    coupling: np.ndarray  # 0..3 (index into COUPLINGS)
    static_posture: np.ndarray
    repeated_actions: np.ndarray
    rapid_large_changes: np.ndarray
    declared: dict[str, str]  # key -> "task", "task_ranges" or "task, task_ranges"


def frame_task(time_s: np.ndarray, task: TaskFactors | None, task_ranges: Sequence[TaskRange]) -> FrameTask:
    """Expand whole-video factors and time ranges into per-frame arrays (later ranges win on overlap)."""
    time_s = np.asarray(time_s, dtype=float)
    n = time_s.shape[0]
    task = task or TaskFactors()
    values: dict[str, np.ndarray] = {}
    declared: dict[str, list[str]] = {}
    for key in TASK_KEYS:
        base = getattr(task, key)
        if base is not None:
            declared.setdefault(key, []).append("task")
        if key in ("static_posture", "repeated_actions", "rapid_large_changes"):
            arr: np.ndarray = np.full(n, np.nan if base is None else float(base))
        elif key in ("load_pattern",):
            arr = np.full(n, base if base is not None else TASK_DEFAULTS[key], dtype=object)
        elif key == "coupling":
            arr = np.full(n, float(COUPLINGS.index(base if base is not None else TASK_DEFAULTS[key])))
        else:
            arr = np.full(n, float(base if base is not None else TASK_DEFAULTS[key]))
        for rng in task_ranges:
            value = getattr(rng.factors, key)
            if value is None:
                continue
            if "task_ranges" not in declared.setdefault(key, []):
                declared[key].append("task_ranges")
            inside = (time_s >= rng.from_s) & (time_s < rng.to_s)
            arr[inside] = COUPLINGS.index(value) if key == "coupling" else value
        values[key] = arr
    return FrameTask(**values, declared={k: ", ".join(v) for k, v in declared.items()})
