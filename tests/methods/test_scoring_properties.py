"""Hypothesis: the final REBA/RULA score never decreases when any single part (or posture input) worsens."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ergopipe.methods import reba, rula, score_reba, score_rula

REBA_RANGES = {
    "trunk_s": (1, 6),
    "neck_s": (1, 4),
    "legs_s": (1, 4),
    "upper_arm_s": (1, 6),
    "lower_arm_s": (1, 2),
    "wrist_s": (1, 3),
    "load": (0, 3),
    "coupling": (0, 3),
    "activity": (0, 3),
}
RULA_RANGES = {
    "upper_arm_s": (1, 6),
    "lower_arm_s": (1, 3),
    "wrist_s": (1, 4),
    "wrist_twist_s": (1, 2),
    "neck_s": (1, 6),
    "trunk_s": (1, 6),
    "legs_s": (1, 2),
    "muscle_a": (0, 1),
    "muscle_b": (0, 1),
    "force": (0, 3),
}


def _parts(ranges):
    return st.fixed_dictionaries({k: st.integers(lo, hi) for k, (lo, hi) in ranges.items()})


@settings(max_examples=300, deadline=None)
@given(parts=_parts(REBA_RANGES), which=st.sampled_from(sorted(REBA_RANGES)))
def test_reba_final_score_monotone_in_every_part(parts, which):
    lo, hi = REBA_RANGES[which]
    if parts[which] == hi:
        parts[which] -= 1
    worse = {**parts, which: parts[which] + 1}
    before = reba.combine(**{k: float(v) for k, v in parts.items()})["score"]
    after = reba.combine(**{k: float(v) for k, v in worse.items()})["score"]
    assert after >= before


@settings(max_examples=300, deadline=None)
@given(parts=_parts(RULA_RANGES), which=st.sampled_from(sorted(RULA_RANGES)))
def test_rula_final_score_monotone_in_every_part(parts, which):
    lo, hi = RULA_RANGES[which]
    if parts[which] == hi:
        parts[which] -= 1
    worse = {**parts, which: parts[which] + 1}
    before = rula.combine(**{k: float(v) for k, v in parts.items()})["score"]
    after = rula.combine(**{k: float(v) for k, v in worse.items()})["score"]
    assert after >= before


# Posture level: move one input away from neutral (angles grow in magnitude, same sign; flags switch on).
ANGLE_KEYS = [
    "trunk_flexion_deg",
    "trunk_side_bend_deg",
    "trunk_twist_deg",
    "neck_flexion_deg",
    "neck_side_bend_deg",
    "neck_twist_deg",
    "upper_arm_flexion_deg",
    "upper_arm_abduction_deg",
    "wrist_flexion_deg",
    "knee_flexion_deg",
]
WORSE_FLAGS = {
    "shoulder_raised": True,
    "arm_supported": False,
    "lower_arm_across_midline_or_out_to_side": True,
    "wrist_deviated": True,
    "wrist_twisted": True,
    "wrist_twist_end_of_range": True,
    "bilateral_weight_bearing": False,
}
LIMITS = {
    "knee_flexion_deg": (0, 150),
    "upper_arm_flexion_deg": (-60, 180),
    "upper_arm_abduction_deg": (0, 180),
}

postures = st.fixed_dictionaries(
    {k: st.floats(*LIMITS.get(k, (-60, 60)), allow_nan=False) for k in ANGLE_KEYS}
    | {"elbow_flexion_deg": st.floats(0, 150)}
    | {k: st.booleans() for k in WORSE_FLAGS}
    | {"seated": st.booleans()}
)
tasks = st.fixed_dictionaries(
    {
        "load_kg": st.floats(0, 30),
        "static_posture": st.booleans(),
        "coupling": st.sampled_from(["good", "fair", "poor", "unacceptable"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    posture=postures,
    task=tasks,
    key=st.sampled_from(ANGLE_KEYS + sorted(WORSE_FLAGS)),
    step=st.floats(0.1, 60),
)
def test_worse_posture_never_lowers_reba_or_rula(posture, task, key, step):
    worse = dict(posture)
    if key in WORSE_FLAGS:
        worse[key] = WORSE_FLAGS[key]
    else:
        lo, hi = LIMITS.get(key, (-60, 60))
        worse[key] = float(np.clip(posture[key] + np.sign(posture[key] or 1.0) * step, lo, hi))
    for scorer in (score_reba, score_rula):
        assert scorer(worse, task)["score"] >= scorer(posture, task)["score"], (scorer.__name__, key)


@settings(max_examples=100, deadline=None)
@given(posture=postures, kg=st.floats(0, 30), more=st.floats(0, 30))
def test_heavier_load_never_lowers_scores(posture, kg, more):
    for scorer in (score_reba, score_rula):
        assert scorer(posture, {"load_kg": kg + more})["score"] >= scorer(posture, {"load_kg": kg})["score"]
