"""Vectorised per-frame scoring of a whole video: the integration point of the pipeline.

Left and right are scored independently; the worse side is reported per frame. A body part whose angles
are NaN in a frame is not scorable there (NaN part and final score). Adjustment angles that the angle stage
does not provide at all (e.g. wrist deviation) and flags it does not provide take the API default and are
listed as "assumed" in the summary.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ergopipe.errors import InputError
from ergopipe.landmarks import SIDES
from ergopipe.methods import exposure, owas, reba, rula
from ergopipe.methods._parts import flag_over
from ergopipe.methods.frame_inputs import UNMEASURABLE, FrameColumns, activity
from ergopipe.methods.rules import RuleSettings, as_rules
from ergopipe.methods.summary import build_summary
from ergopipe.methods.tables import reba_action_level, rula_action_level
from ergopipe.methods.task import FrameTask, TaskFactors, TaskRange, frame_task
from ergopipe.types import VideoScores

METHODS = ("reba", "rula", "owas")


def _worse(frames: dict[str, np.ndarray], prefix: str) -> None:
    left, right = frames[f"{prefix}_score_left"], frames[f"{prefix}_score_right"]
    # The worse of the scorable sides; coverage reports how often a side was not scorable.
    frames[f"{prefix}_score"] = np.fmax(left, right)
    frames[f"{prefix}_worse_side"] = np.where(
        np.isnan(left) & np.isnan(right),
        np.nan,
        np.where(np.fmax(left, right) == left, np.where(left == right, 0.0, -1.0), 1.0),
    )


def _reba(
    c: FrameColumns, ft: FrameTask, act: Mapping[str, np.ndarray], r: RuleSettings
) -> dict[str, np.ndarray]:
    f: dict[str, np.ndarray] = {}
    f["reba_trunk"] = reba.trunk(
        c.angle("trunk_flexion_deg"),
        flag_over(c.angle("trunk_twist_deg"), r.twist_threshold_deg, r),
        flag_over(c.angle("trunk_side_bend_deg"), r.side_bend_threshold_deg, r),
        r,
    )
    f["reba_neck"] = reba.neck(
        c.angle("neck_flexion_deg"),
        flag_over(c.angle("neck_twist_deg"), r.twist_threshold_deg, r),
        flag_over(c.angle("neck_side_bend_deg"), r.side_bend_threshold_deg, r),
        r,
    )
    knee = np.maximum(
        c.angle("left_knee_flexion_deg"), c.angle("right_knee_flexion_deg")
    )  # NaN if either is NaN
    f["reba_legs"] = reba.legs(
        c.flag("bilateral_weight_bearing"), c.flag("seated"), c.flag("walking"), knee, r
    )
    f["reba_load"] = reba.load_score(ft.load_kg, ft.shock)
    f["reba_coupling"] = ft.coupling
    f["reba_activity"] = act["static_posture"] + act["repeated_actions"] + act["rapid_large_changes"]
    for s in SIDES:
        ua = reba.upper_arm(
            c.angle(f"{s}_upper_arm_flexion_deg"),
            flag_over(c.angle(f"{s}_upper_arm_abduction_deg"), r.abduction_threshold_deg, r),
            flag_over(c.angle(f"{s}_shoulder_raise_deg"), r.shoulder_raise_threshold_deg, r),
            float(UNMEASURABLE["arm_supported"]),
            r,
        )
        la = reba.lower_arm(c.angle(f"{s}_elbow_flexion_deg"), r)
        wr = reba.wrist(
            c.angle(f"{s}_wrist_flexion_deg"),
            np.maximum(
                flag_over(c.angle(f"{s}_wrist_deviation_deg"), r.wrist_deviation_threshold_deg, r),
                float(UNMEASURABLE["wrist_twisted"]),
            ),
            r,
        )
        res = reba.combine(
            f["reba_trunk"],
            f["reba_neck"],
            f["reba_legs"],
            ua,
            la,
            wr,
            f["reba_load"],
            f["reba_coupling"],
            f["reba_activity"],
        )
        f.update(
            {
                f"reba_upper_arm_{s}": ua,
                f"reba_lower_arm_{s}": la,
                f"reba_wrist_{s}": wr,
                f"reba_table_b_{s}": res["table_b"],
                f"reba_score_b_{s}": res["score_b"],
                f"reba_table_c_{s}": res["table_c"],
                f"reba_score_{s}": res["score"],
            }
        )
        f["reba_table_a"], f["reba_score_a"] = res["table_a"], res["score_a"]
    _worse(f, "reba")
    f["reba_action_level"] = reba_action_level(f["reba_score"])
    return f


def _rula(
    c: FrameColumns, ft: FrameTask, act: Mapping[str, np.ndarray], r: RuleSettings
) -> dict[str, np.ndarray]:
    f: dict[str, np.ndarray] = {}
    f["rula_neck"] = rula.neck(
        c.angle("neck_flexion_deg"),
        flag_over(c.angle("neck_twist_deg"), r.twist_threshold_deg, r),
        flag_over(c.angle("neck_side_bend_deg"), r.side_bend_threshold_deg, r),
        r,
    )
    f["rula_trunk"] = rula.trunk(
        c.angle("trunk_flexion_deg"),
        flag_over(c.angle("trunk_twist_deg"), r.twist_threshold_deg, r),
        flag_over(c.angle("trunk_side_bend_deg"), r.side_bend_threshold_deg, r),
        r,
    )
    f["rula_legs"] = rula.legs(c.flag("bilateral_weight_bearing"), c.flag("seated"))
    f["rula_force"] = rula.force_score(ft.load_kg, ft.load_pattern, ft.shock, r)
    f["rula_muscle_b"] = act["rula_muscle_b"]
    for s in SIDES:
        ua = rula.upper_arm(
            c.angle(f"{s}_upper_arm_flexion_deg"),
            flag_over(c.angle(f"{s}_upper_arm_abduction_deg"), r.abduction_threshold_deg, r),
            flag_over(c.angle(f"{s}_shoulder_raise_deg"), r.shoulder_raise_threshold_deg, r),
            float(UNMEASURABLE["arm_supported"]),
            r,
        )
        la = rula.lower_arm(
            c.angle(f"{s}_elbow_flexion_deg"), c.flag(f"{s}_lower_arm_across_midline_or_out_to_side"), r
        )
        wr = rula.wrist(
            c.angle(f"{s}_wrist_flexion_deg"),
            flag_over(c.angle(f"{s}_wrist_deviation_deg"), r.wrist_deviation_threshold_deg, r),
            r,
        )
        wt = rula.wrist_twist(np.full(ua.shape, float(UNMEASURABLE["wrist_twist_end_of_range"])))
        res = rula.combine(
            ua,
            la,
            wr,
            wt,
            f["rula_neck"],
            f["rula_trunk"],
            f["rula_legs"],
            act[f"rula_muscle_a_{s}"],
            f["rula_muscle_b"],
            f["rula_force"],
        )
        f.update(
            {
                f"rula_upper_arm_{s}": ua,
                f"rula_lower_arm_{s}": la,
                f"rula_wrist_{s}": wr,
                f"rula_wrist_twist_{s}": wt,
                f"rula_muscle_a_{s}": act[f"rula_muscle_a_{s}"],
                f"rula_table_a_{s}": res["table_a"],
                f"rula_score_c_{s}": res["score_c"],
                f"rula_score_{s}": res["score"],
            }
        )
        f["rula_table_b"], f["rula_score_d"] = res["table_b"], res["score_d"]
    _worse(f, "rula")
    f["rula_action_level"] = rula_action_level(f["rula_score"])
    return f


def _owas(c: FrameColumns, ft: FrameTask, r: RuleSettings) -> dict[str, np.ndarray]:
    raised = {
        s: owas.arm_raised(c.angle(f"{s}_upper_arm_flexion_deg"), c.angle(f"{s}_upper_arm_abduction_deg"))
        for s in SIDES
    }
    f = {
        "owas_back": owas.back(c.angle("trunk_flexion_deg"), c.angle("trunk_twist_deg"), r),
        "owas_arms": owas.arms(raised["left"], raised["right"]),
        "owas_legs": owas.legs(
            c.flag("seated"),
            c.flag("kneeling"),
            c.flag("walking"),
            c.flag("bilateral_weight_bearing"),
            c.angle("left_knee_flexion_deg"),
            c.angle("right_knee_flexion_deg"),
            r,
        ),
        "owas_load": owas.load_code(ft.load_kg),
    }
    f["owas_action_category"] = owas.action_category(
        f["owas_back"], f["owas_arms"], f["owas_legs"], f["owas_load"]
    )
    return f


def score_video(
    columns: Mapping[str, np.ndarray],
    time_s: np.ndarray,
    *,
    methods: Sequence[str] = METHODS,
    task: TaskFactors | None = None,
    task_ranges: Sequence[TaskRange] = (),
    rules: RuleSettings = RuleSettings(),  # noqa: B008  (frozen, so a shared default is safe)
) -> VideoScores:
    """Score every frame. columns: name -> (n,) float (ergopipe.columns names; NaN = not measurable; flags
    1.0/0.0/NaN); time_s: (n,) seconds, increasing. Returns per-frame columns of the requested methods only
    (``*_worse_side``: -1 left, 1 right, 0 equal) and the JSON-ready summary."""
    time_s = np.asarray(time_s, dtype=float)
    if time_s.ndim != 1 or not np.isfinite(time_s).all() or (np.diff(time_s) < 0).any():
        raise InputError("time_s: expected one finite, non-decreasing time in seconds per frame")
    # Plain mappings (the job's JSON objects) are accepted too, and validated like the job input.
    rules = as_rules(rules)
    task = task if isinstance(task, TaskFactors) or task is None else TaskFactors.from_mapping(task)
    task_ranges = tuple(
        r if isinstance(r, TaskRange) else TaskRange.from_mapping(r, f"task_ranges[{i}]")
        for i, r in enumerate(task_ranges)
    )
    wanted = tuple(dict.fromkeys(m.lower() for m in methods))
    for m in wanted:
        if m not in METHODS:
            raise InputError(f"methods: {m!r} is not one of {', '.join(METHODS)}")
    n = time_s.shape[0]
    cols = FrameColumns(columns, n)
    ft = frame_task(time_s, task, task_ranges)
    derived = exposure.derive(columns, time_s, rules)
    act = activity(ft, derived, n)
    frames: dict[str, np.ndarray] = {}
    if "reba" in wanted:
        frames.update(_reba(cols, ft, act, rules))
    if "rula" in wanted:
        frames.update(_rula(cols, ft, act, rules))
    if "owas" in wanted:
        frames.update(_owas(cols, ft, rules))
    frames["static_posture"], frames["repeated_actions"] = act["static_posture"], act["repeated_actions"]
    summary = build_summary(
        frames,
        time_s,
        wanted,
        columns=columns,
        assumed=cols.assumed,
        task=ft,
        derived=derived,
        rules=rules,
        unmeasurable=UNMEASURABLE,
    )
    return VideoScores(frames=frames, summary=summary)
