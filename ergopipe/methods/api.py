"""Scalar public API: score one posture (plain mappings in, plain mapping of ints out), no video needed.

>>> score_reba({"trunk_flexion_deg": 30, "upper_arm_flexion_deg": 50, "elbow_flexion_deg": 80})["score"]
2
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ergopipe.methods import owas, reba, rula
from ergopipe.methods._parts import as_flag, flag_over
from ergopipe.methods.posture import parse_posture
from ergopipe.methods.rules import RuleSettings, as_rules
from ergopipe.methods.task import COUPLINGS, TASK_DEFAULTS, TaskFactors

Rules = RuleSettings | Mapping[str, Any] | None


def _task(task: Mapping[str, Any] | TaskFactors | None) -> dict[str, Any]:
    factors = task if isinstance(task, TaskFactors) else TaskFactors.from_mapping(task)
    return {**TASK_DEFAULTS, **factors.declared()}


def _ints(parts: Mapping[str, np.ndarray]) -> dict[str, int]:
    return {k: int(np.asarray(v).reshape(-1)[0]) for k, v in parts.items()}


def _common(posture: Mapping[str, Any] | None, rules: Rules) -> tuple[dict[str, Any], RuleSettings]:
    return parse_posture(posture), as_rules(rules)


def score_reba(
    posture: Mapping[str, Any] | None,
    task: Mapping[str, Any] | TaskFactors | None = None,
    rules: Rules = None,
) -> dict[str, int]:
    """REBA for one posture. Returns trunk, neck, legs, upper_arm, lower_arm, wrist, table_a, table_b,
    table_c, score (Table C + activity) and action_level (0..4). Raises InputError naming a bad key."""
    p, r = _common(posture, rules)
    t = _task(task)
    trunk_twisted = flag_over(p["trunk_twist_deg"], r.twist_threshold_deg, r)
    trunk_bent = flag_over(p["trunk_side_bend_deg"], r.side_bend_threshold_deg, r)
    neck_twisted = flag_over(p["neck_twist_deg"], r.twist_threshold_deg, r)
    neck_bent = flag_over(p["neck_side_bend_deg"], r.side_bend_threshold_deg, r)
    parts = {
        "trunk": reba.trunk(p["trunk_flexion_deg"], trunk_twisted, trunk_bent, r),
        "neck": reba.neck(p["neck_flexion_deg"], neck_twisted, neck_bent, r),
        "legs": reba.legs(
            as_flag(p["bilateral_weight_bearing"]),
            as_flag(p["seated"]),
            as_flag(p["walking"]),
            p["knee_flexion_deg"],
            r,
        ),
        "upper_arm": reba.upper_arm(
            p["upper_arm_flexion_deg"],
            flag_over(p["upper_arm_abduction_deg"], r.abduction_threshold_deg, r),
            as_flag(p["shoulder_raised"]),
            as_flag(p["arm_supported"]),
            r,
        ),
        "lower_arm": reba.lower_arm(p["elbow_flexion_deg"], r),
        "wrist": reba.wrist(p["wrist_flexion_deg"], as_flag(p["wrist_deviated"] or p["wrist_twisted"]), r),
    }
    activity = float(t["static_posture"]) + float(t["repeated_actions"]) + float(t["rapid_large_changes"])
    result = reba.combine(
        **{f"{k}_s": v for k, v in parts.items()},
        load=reba.load_score(t["load_kg"], as_flag(t["shock"])),
        coupling=float(COUPLINGS.index(t["coupling"])),
        activity=activity,
    )
    keep = ("table_a", "table_b", "table_c", "score", "action_level")
    return _ints({**parts, **{k: result[k] for k in keep}})


def score_rula(
    posture: Mapping[str, Any] | None,
    task: Mapping[str, Any] | TaskFactors | None = None,
    rules: Rules = None,
) -> dict[str, int]:
    """RULA for one posture (one side). Returns upper_arm, lower_arm, wrist, wrist_twist, neck, trunk, legs,
    table_a, table_b, score (grand score) and action_level (1..4). Muscle use = static_posture or
    repeated_actions declared in `task`."""
    p, r = _common(posture, rules)
    t = _task(task)
    parts = {
        "upper_arm": rula.upper_arm(
            p["upper_arm_flexion_deg"],
            flag_over(p["upper_arm_abduction_deg"], r.abduction_threshold_deg, r),
            as_flag(p["shoulder_raised"]),
            as_flag(p["arm_supported"]),
            r,
        ),
        "lower_arm": rula.lower_arm(
            p["elbow_flexion_deg"], as_flag(p["lower_arm_across_midline_or_out_to_side"]), r
        ),
        "wrist": rula.wrist(p["wrist_flexion_deg"], as_flag(p["wrist_deviated"]), r),
        "wrist_twist": rula.wrist_twist(as_flag(p["wrist_twist_end_of_range"])),
        "neck": rula.neck(
            p["neck_flexion_deg"],
            flag_over(p["neck_twist_deg"], r.twist_threshold_deg, r),
            flag_over(p["neck_side_bend_deg"], r.side_bend_threshold_deg, r),
            r,
        ),
        "trunk": rula.trunk(
            p["trunk_flexion_deg"],
            flag_over(p["trunk_twist_deg"], r.twist_threshold_deg, r),
            flag_over(p["trunk_side_bend_deg"], r.side_bend_threshold_deg, r),
            r,
        ),
        "legs": rula.legs(as_flag(p["bilateral_weight_bearing"]), as_flag(p["seated"])),
    }
    muscle = float(bool(t["static_posture"] or t["repeated_actions"]))
    force = rula.force_score(
        t["load_kg"], np.asarray(t["load_pattern"], dtype=object), as_flag(t["shock"]), r
    )
    result = rula.combine(
        **{f"{k}_s": v for k, v in parts.items()}, muscle_a=muscle, muscle_b=muscle, force=force
    )
    return _ints({**parts, **{k: result[k] for k in ("table_a", "table_b", "score", "action_level")}})


def score_owas(
    posture: Mapping[str, Any] | None,
    task: Mapping[str, Any] | TaskFactors | None = None,
    rules: Rules = None,
) -> dict[str, int]:
    """OWAS codes for one posture: back 1..4, arms 1..3, legs 1..7, load 1..3, action_category 1..4.

    The scalar posture has one arm: both arms are taken to be in that posture, and both knees flexed alike.
    """
    p, r = _common(posture, rules)
    t = _task(task)
    raised = owas.arm_raised(p["upper_arm_flexion_deg"], p["upper_arm_abduction_deg"])
    codes = {
        "back": owas.back(p["trunk_flexion_deg"], p["trunk_twist_deg"], r),
        "arms": owas.arms(raised, raised),
        "legs": owas.legs(
            as_flag(p["seated"]),
            as_flag(p["kneeling"]),
            as_flag(p["walking"]),
            as_flag(p["bilateral_weight_bearing"]),
            p["knee_flexion_deg"],
            p["knee_flexion_deg"],
            r,
        ),
        "load": owas.load_code(t["load_kg"]),
    }
    codes["action_category"] = owas.action_category(
        codes["back"], codes["arms"], codes["legs"], codes["load"]
    )
    return _ints(codes)
