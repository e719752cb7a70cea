"""±0.5° around every angle threshold of every part, under both boundary conventions.

Default ("lower_exclusive"): a printed range a–b is a < x <= b, so the threshold value itself keeps the lower
score. "lower_inclusive": a <= x < b. The neutral band (5° by default) is inclusive in both conventions.
"""

import pytest

from ergopipe.methods import score_owas, score_reba, score_rula

SCORERS = {"reba": score_reba, "rula": score_rula, "owas": score_owas}
INC = {"boundary": "lower_inclusive"}

# (method, part, posture key, extra posture, [(angle, default score, lower_inclusive score), ...])
CASES = [
    (
        "reba",
        "trunk",
        "trunk_flexion_deg",
        {},
        [
            (4.5, 1, 1),
            (5.0, 1, 1),
            (5.5, 2, 2),
            (-5.0, 1, 1),
            (-5.5, 2, 2),
            (19.5, 2, 2),
            (20.0, 2, 3),
            (20.5, 3, 3),
            (-19.5, 2, 2),
            (-20.0, 2, 3),
            (-20.5, 3, 3),
            (59.5, 3, 3),
            (60.0, 3, 4),
            (60.5, 4, 4),
        ],
    ),
    (
        "reba",
        "trunk",
        "trunk_twist_deg",
        {"trunk_flexion_deg": 30},
        [(9.5, 3, 3), (10.0, 3, 4), (10.5, 4, 4), (-10.5, 4, 4)],
    ),
    (
        "reba",
        "trunk",
        "trunk_side_bend_deg",
        {"trunk_flexion_deg": 30},
        [(9.5, 3, 3), (10.0, 3, 4), (10.5, 4, 4), (-10.5, 4, 4)],
    ),
    (
        "reba",
        "neck",
        "neck_flexion_deg",
        {},
        [(19.5, 1, 1), (20.0, 1, 2), (20.5, 2, 2), (-5.0, 1, 1), (-5.5, 2, 2)],
    ),
    ("reba", "neck", "neck_twist_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (10.5, 2, 2)]),
    ("reba", "neck", "neck_side_bend_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (-10.5, 2, 2)]),
    (
        "reba",
        "legs",
        "knee_flexion_deg",
        {},
        [(29.5, 1, 1), (30.0, 1, 2), (30.5, 2, 2), (59.5, 2, 2), (60.0, 2, 3), (60.5, 3, 3)],
    ),
    ("reba", "legs", "knee_flexion_deg", {"bilateral_weight_bearing": False}, [(30.0, 2, 3), (60.5, 4, 4)]),
    ("reba", "legs", "knee_flexion_deg", {"seated": True}, [(60.5, 1, 1), (90.0, 1, 1)]),
    (
        "reba",
        "upper_arm",
        "upper_arm_flexion_deg",
        {},
        [
            (19.5, 1, 1),
            (20.0, 1, 2),
            (20.5, 2, 2),
            (-19.5, 1, 1),
            (-20.0, 1, 2),
            (-20.5, 2, 2),
            (44.5, 2, 2),
            (45.0, 2, 3),
            (45.5, 3, 3),
            (89.5, 3, 3),
            (90.0, 3, 4),
            (90.5, 4, 4),
        ],
    ),
    ("reba", "upper_arm", "upper_arm_abduction_deg", {}, [(19.5, 1, 1), (20.0, 1, 2), (20.5, 2, 2)]),
    (
        "reba",
        "lower_arm",
        "elbow_flexion_deg",
        {},
        [(59.5, 2, 2), (60.0, 2, 1), (60.5, 1, 1), (99.5, 1, 1), (100.0, 1, 2), (100.5, 2, 2)],
    ),
    (
        "reba",
        "wrist",
        "wrist_flexion_deg",
        {},
        [(14.5, 1, 1), (15.0, 1, 2), (15.5, 2, 2), (-15.0, 1, 2), (-15.5, 2, 2)],
    ),
    (
        "rula",
        "upper_arm",
        "upper_arm_flexion_deg",
        {},
        [
            (19.5, 1, 1),
            (20.0, 1, 2),
            (20.5, 2, 2),
            (-20.0, 1, 2),
            (-20.5, 2, 2),
            (44.5, 2, 2),
            (45.0, 2, 3),
            (45.5, 3, 3),
            (89.5, 3, 3),
            (90.0, 3, 4),
            (90.5, 4, 4),
        ],
    ),
    ("rula", "upper_arm", "upper_arm_abduction_deg", {}, [(19.5, 1, 1), (20.0, 1, 2), (20.5, 2, 2)]),
    (
        "rula",
        "lower_arm",
        "elbow_flexion_deg",
        {},
        [(59.5, 2, 2), (60.0, 2, 1), (60.5, 1, 1), (99.5, 1, 1), (100.0, 1, 2), (100.5, 2, 2)],
    ),
    (
        "rula",
        "wrist",
        "wrist_flexion_deg",
        {},
        [
            (4.5, 1, 1),
            (5.0, 1, 1),
            (5.5, 2, 2),
            (-5.5, 2, 2),
            (14.5, 2, 2),
            (15.0, 2, 3),
            (15.5, 3, 3),
            (-15.0, 2, 3),
            (-15.5, 3, 3),
        ],
    ),
    (
        "rula",
        "neck",
        "neck_flexion_deg",
        {},
        [
            (9.5, 1, 1),
            (10.0, 1, 2),
            (10.5, 2, 2),
            (19.5, 2, 2),
            (20.0, 2, 3),
            (20.5, 3, 3),
            (-5.0, 1, 1),
            (-5.5, 4, 4),
        ],
    ),
    ("rula", "neck", "neck_twist_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (10.5, 2, 2)]),
    ("rula", "neck", "neck_side_bend_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (10.5, 2, 2)]),
    (
        "rula",
        "trunk",
        "trunk_flexion_deg",
        {},
        [
            (5.0, 1, 1),
            (5.5, 2, 2),
            (19.5, 2, 2),
            (20.0, 2, 3),
            (20.5, 3, 3),
            (59.5, 3, 3),
            (60.0, 3, 4),
            (60.5, 4, 4),
            (-5.5, 2, 2),
            (-30.0, 2, 2),
        ],
    ),
    ("rula", "trunk", "trunk_twist_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (10.5, 2, 2)]),
    ("rula", "trunk", "trunk_side_bend_deg", {}, [(9.5, 1, 1), (10.0, 1, 2), (10.5, 2, 2)]),
    ("owas", "back", "trunk_flexion_deg", {}, [(19.5, 1, 1), (20.0, 1, 2), (20.5, 2, 2)]),
    ("owas", "back", "trunk_twist_deg", {}, [(9.5, 1, 1), (10.0, 1, 3), (10.5, 3, 3)]),
    ("owas", "back", "trunk_twist_deg", {"trunk_flexion_deg": 40}, [(10.5, 4, 4)]),
    # "At or above shoulder" is inclusive by definition in both conventions.
    ("owas", "arms", "upper_arm_flexion_deg", {}, [(89.5, 1, 1), (90.0, 3, 3), (90.5, 3, 3)]),
    ("owas", "arms", "upper_arm_abduction_deg", {}, [(89.5, 1, 1), (90.0, 3, 3)]),
    ("owas", "legs", "knee_flexion_deg", {}, [(29.5, 2, 2), (30.0, 2, 4), (30.5, 4, 4)]),
    ("owas", "legs", "knee_flexion_deg", {"bilateral_weight_bearing": False}, [(29.5, 3, 3), (30.5, 5, 5)]),
]

PARAMS = [(m, part, key, extra, angle, d, i) for m, part, key, extra, rows in CASES for angle, d, i in rows]


@pytest.mark.parametrize("method,part,key,extra,angle,default,inclusive", PARAMS)
def test_threshold(method, part, key, extra, angle, default, inclusive):
    posture = {**extra, key: angle}
    assert SCORERS[method](posture)[part] == default
    assert SCORERS[method](posture, rules=INC)[part] == inclusive


@pytest.mark.parametrize(
    "extra,code",
    [
        ({"seated": True}, 1),
        ({"kneeling": True}, 6),
        ({"walking": True}, 7),
        ({"seated": True, "kneeling": True}, 1),
    ],
)
def test_owas_legs_special_postures(extra, code):
    assert score_owas({**extra, "knee_flexion_deg": 80})["legs"] == code


@pytest.mark.parametrize("kg,code", [(9.5, 1), (10.0, 2), (20.0, 2), (20.5, 3)])
def test_owas_load_codes(kg, code):
    assert score_owas({}, {"load_kg": kg})["load"] == code


def test_shoulder_raised_and_support_adjust_upper_arm():
    for scorer in (score_reba, score_rula):
        assert scorer({"upper_arm_flexion_deg": 50, "shoulder_raised": True})["upper_arm"] == 4
        assert scorer({"upper_arm_flexion_deg": 50, "arm_supported": True})["upper_arm"] == 2
        assert scorer({"arm_supported": True})["upper_arm"] == 1  # never below 1
        both = {"upper_arm_flexion_deg": 100, "upper_arm_abduction_deg": 30, "shoulder_raised": True}
        assert scorer(both)["upper_arm"] == 6


def test_wrist_adjustments():
    assert score_reba({"wrist_flexion_deg": 20, "wrist_deviated": True})["wrist"] == 3
    assert score_reba({"wrist_flexion_deg": 20, "wrist_twisted": True})["wrist"] == 3
    assert score_reba({"wrist_deviated": True, "wrist_twisted": True})["wrist"] == 2  # one point for either
    assert score_rula({"wrist_flexion_deg": 20, "wrist_deviated": True})["wrist"] == 4
    assert score_rula({"wrist_twist_end_of_range": True})["wrist_twist"] == 2
    assert (
        score_rula({"wrist_twisted": True})["wrist_twist"] == 1
    )  # twist *range* decides the RULA twist score


def test_rula_lower_arm_across_midline_one_point():
    assert (
        score_rula({"elbow_flexion_deg": 80, "lower_arm_across_midline_or_out_to_side": True})["lower_arm"]
        == 2
    )
    assert (
        score_rula({"elbow_flexion_deg": 120, "lower_arm_across_midline_or_out_to_side": True})["lower_arm"]
        == 3
    )


def test_rula_legs():
    assert score_rula({})["legs"] == 1
    assert score_rula({"bilateral_weight_bearing": False})["legs"] == 2
    assert score_rula({"bilateral_weight_bearing": False, "seated": True})["legs"] == 1


def test_reba_legs_walking_is_1():
    assert score_reba({"bilateral_weight_bearing": False, "walking": True})["legs"] == 1
