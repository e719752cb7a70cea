"""Rule settings (defaults, named alternatives, parsing) and validation messages of the public API."""

import dataclasses

import numpy as np
import pytest

from ergopipe.errors import InputError
from ergopipe.methods import (
    RuleSettings,
    TaskFactors,
    parse_task_input,
    parse_task_ranges,
    reba,
    rula,
    score_owas,
    score_reba,
    score_rula,
)


def test_defaults_are_the_papers():
    r = RuleSettings()
    assert r.boundary == "lower_exclusive"
    assert r.reba_twist_side_bend == "single"
    assert r.rula_static_hold_s == 60.0
    assert r.rula_heavy_intermittent_load_score == 2
    assert dataclasses.is_dataclass(r) and r.__dataclass_params__.frozen


def test_from_mapping_round_trip_and_frozen():
    r = RuleSettings.from_mapping({"boundary": "lower_inclusive", "twist_threshold_deg": 15})
    assert r.boundary == "lower_inclusive" and r.twist_threshold_deg == 15.0
    assert RuleSettings.from_mapping(r.to_dict()) == r
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.boundary = "lower_exclusive"  # type: ignore[misc]


@pytest.mark.parametrize(
    "mapping,message",
    [
        ({"boundry": "x"}, "rules.boundry: unknown key"),
        ({"boundary": "upper"}, "rules.boundary: 'upper' is not one of lower_exclusive, lower_inclusive"),
        (
            {"reba_twist_side_bend": "double"},
            "rules.reba_twist_side_bend: 'double' is not one of single, separate",
        ),
        (
            {"rula_heavy_intermittent_load_score": 4},
            "rules.rula_heavy_intermittent_load_score: 4 is not one of 2, 3",
        ),
        ({"twist_threshold_deg": "10"}, "rules.twist_threshold_deg: expected a number"),
        ({"twist_threshold_deg": -1}, "rules.twist_threshold_deg: must be at least 0"),
        ({"rula_static_hold_s": 0}, "rules.rula_static_hold_s: must be greater than 0"),
        ({"neutral_band_deg": float("nan")}, "rules.neutral_band_deg: expected a finite number"),
    ],
)
def test_rules_validation_names_the_key(mapping, message):
    with pytest.raises(InputError) as err:
        RuleSettings.from_mapping(mapping)
    assert message in str(err.value)


def test_direct_construction_is_validated_too():
    with pytest.raises(InputError, match="rules.boundary"):
        RuleSettings(boundary="both")


@pytest.mark.parametrize(
    "task,message",
    [
        ({"coupling": "great"}, "task.coupling: 'great' is not one of good, fair, poor, unacceptable"),
        ({"load_kg": -1}, "task.load_kg: must be at least 0"),
        ({"load_kg": True}, "task.load_kg: expected a number"),
        (
            {"load_pattern": "sometimes"},
            "task.load_pattern: 'sometimes' is not one of intermittent, static, repeated",
        ),
        ({"shock": "yes"}, "task.shock: expected true or false"),
        ({"weight": 3}, "task.weight: unknown key"),
    ],
)
def test_task_validation_names_the_key(task, message):
    for scorer in (score_reba, score_rula, score_owas):
        with pytest.raises(InputError) as err:
            scorer({}, task)
        assert message in str(err.value)


@pytest.mark.parametrize(
    "posture,message",
    [
        ({"trunk_flexon_deg": 10}, "posture.trunk_flexon_deg: unknown key"),
        ({"trunk_flexion_deg": "10"}, "posture.trunk_flexion_deg: expected a number"),
        ({"elbow_flexion_deg": -90}, "posture.elbow_flexion_deg: must be at least -30"),
        ({"trunk_flexion_deg": 400}, "posture.trunk_flexion_deg: must be at most 180"),
        ({"seated": 1}, "posture.seated: expected true or false"),
        ({"knee_flexion_deg": float("inf")}, "posture.knee_flexion_deg: expected a finite number"),
    ],
)
def test_posture_validation_names_the_key(posture, message):
    with pytest.raises(InputError) as err:
        score_reba(posture)
    assert message in str(err.value)


def test_posture_must_be_a_mapping():
    with pytest.raises(InputError, match="posture: expected an object"):
        score_rula([("trunk_flexion_deg", 10)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "ranges,message",
    [
        ([{"from_s": 5}], "task_ranges[0].to_s: missing"),
        ([{"from_s": 5, "to_s": 5}], "task_ranges[0].to_s: must be greater than from_s"),
        ([{"from_s": 0, "to_s": 5, "coupling": "great"}], "task_ranges[0].coupling: 'great' is not one of"),
        ([{"from_s": -1, "to_s": 5}], "task_ranges[0].from_s: must be at least 0"),
        ({"from_s": 0, "to_s": 1}, "task_ranges: expected a list"),
        ([{"from_s": 0, "to_s": 1}, {"from_s": 0, "to_s": 1, "kg": 2}], "task_ranges[1].kg: unknown key"),
    ],
)
def test_task_range_validation(ranges, message):
    with pytest.raises(InputError) as err:
        parse_task_ranges(ranges)
    assert message in str(err.value)


def test_parse_task_input_returns_score_video_kwargs():
    out = parse_task_input(
        {"load_kg": 5},
        [{"from_s": 12, "to_s": 30, "load_kg": 15, "coupling": "poor"}],
        {"boundary": "lower_inclusive"},
    )
    assert out["task"] == TaskFactors(load_kg=5.0)
    assert out["task_ranges"][0].from_s == 12 and out["task_ranges"][0].factors.coupling == "poor"
    assert out["rules"].boundary == "lower_inclusive"
    assert parse_task_input(None, None, None)["rules"] == RuleSettings()


# --- alternative rule settings change exactly what they should -------------------------------------------


def _differing_keys(a, b):
    return {k for k in a if a[k] != b[k]}


def test_reba_separate_twist_side_bend():
    posture = {
        "trunk_flexion_deg": 30,
        "trunk_twist_deg": 20,
        "trunk_side_bend_deg": 20,
        "neck_twist_deg": 20,
        "neck_side_bend_deg": 20,
    }
    single = score_reba(posture)
    separate = score_reba(posture, rules={"reba_twist_side_bend": "separate"})
    assert (single["trunk"], single["neck"]) == (4, 2)
    assert (separate["trunk"], separate["neck"]) == (5, 3)
    only_twist = {"trunk_flexion_deg": 30, "trunk_twist_deg": 20}
    assert score_reba(only_twist) == score_reba(only_twist, rules={"reba_twist_side_bend": "separate"})
    # 4 + 2 = 6 is beyond Table A's 5 trunk rows: the part says 6, the lookup uses row 5.
    big = {"trunk_flexion_deg": 70, "trunk_twist_deg": 20, "trunk_side_bend_deg": 20}
    res = score_reba(big, rules={"reba_twist_side_bend": "separate"})
    assert res["trunk"] == 6 and score_reba(big)["trunk"] == 5
    assert res["table_a"] == score_reba(big)["table_a"]  # row 5 either way


def test_rula_heavy_intermittent_load_alternative():
    r_paper, r_sheet = RuleSettings(), RuleSettings(rula_heavy_intermittent_load_score=3)
    pattern = np.array(["intermittent"], dtype=object)
    assert rula.force_score(11.0, pattern, 0.0, r_paper) == 2
    assert rula.force_score(11.0, pattern, 0.0, r_sheet) == 3
    for kg, want in ((1.5, 0), (2.0, 1), (10.0, 1)):  # unchanged below 10 kg
        assert (
            rula.force_score(kg, pattern, 0.0, r_paper) == rula.force_score(kg, pattern, 0.0, r_sheet) == want
        )
    static = np.array(["static"], dtype=object)
    assert rula.force_score(1.0, static, 0.0, r_paper) == 0
    assert rula.force_score(5.0, static, 0.0, r_paper) == 2
    assert rula.force_score(11.0, static, 0.0, r_paper) == rula.force_score(11.0, static, 0.0, r_sheet) == 3
    assert rula.force_score(0.0, pattern, 1.0, r_paper) == 3  # shock of any magnitude
    a = score_rula({"trunk_flexion_deg": 30}, {"load_kg": 12})
    b = score_rula(
        {"trunk_flexion_deg": 30}, {"load_kg": 12}, rules={"rula_heavy_intermittent_load_score": 3}
    )
    assert _differing_keys(a, b) <= {"score", "action_level"} and b["score"] > a["score"]


def test_reba_load_and_coupling_and_activity():
    for kg, want in ((4.5, 0), (5.0, 1), (10.0, 1), (10.5, 2)):
        assert reba.load_score(kg, 0.0) == want
    assert reba.load_score(12.0, 1.0) == 3
    base = score_reba({"trunk_flexion_deg": 30})
    assert (
        score_reba(
            {"trunk_flexion_deg": 30},
            {"static_posture": True, "repeated_actions": True, "rapid_large_changes": True},
        )["score"]
        == base["score"] + 3
    )
    assert (
        score_reba({}, {"coupling": "unacceptable"})["table_b"] == score_reba({})["table_b"]
    )  # table, not score B
    assert score_reba({}, {"coupling": "unacceptable"})["table_c"] > score_reba({})["table_c"]


def test_rula_muscle_use_from_declared_activity():
    base = score_rula({"upper_arm_flexion_deg": 50})
    for task in ({"static_posture": True}, {"repeated_actions": True}):
        res = score_rula({"upper_arm_flexion_deg": 50}, task)
        assert _differing_keys(base, res) <= {"score", "action_level"}
        assert res["score"] >= base["score"]
    both = score_rula({"upper_arm_flexion_deg": 50}, {"static_posture": True, "repeated_actions": True})
    assert both == score_rula({"upper_arm_flexion_deg": 50}, {"static_posture": True})  # one point, not two


def test_thresholds_are_settings():
    posture = {"trunk_twist_deg": 12, "upper_arm_abduction_deg": 25}
    assert score_reba(posture)["trunk"] == 2 and score_reba(posture)["upper_arm"] == 2
    loose = score_reba(posture, rules={"twist_threshold_deg": 15, "abduction_threshold_deg": 30})
    assert loose["trunk"] == 1 and loose["upper_arm"] == 1
    assert score_rula({"wrist_flexion_deg": 3}, rules={"neutral_band_deg": 0})["wrist"] == 2
    assert score_rula({"wrist_flexion_deg": 3})["wrist"] == 1


def test_lazy_reexports_from_package_root():
    import ergopipe

    assert ergopipe.score_reba({})["score"] == score_reba({})["score"]
    assert callable(ergopipe.score_rula) and callable(ergopipe.score_owas)
    with pytest.raises(AttributeError):
        ergopipe.score_nothing  # noqa: B018


def test_import_ergopipe_stays_cheap():
    import subprocess
    import sys

    heavy = "('numpy', 'pandas', 'mediapipe', 'torch')"
    code = f"import sys, ergopipe; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_boundary_setting_changes_nothing_off_the_boundaries():
    rng = np.random.default_rng(7)
    keys = [
        "trunk_flexion_deg",
        "trunk_twist_deg",
        "trunk_side_bend_deg",
        "neck_flexion_deg",
        "neck_twist_deg",
        "upper_arm_flexion_deg",
        "upper_arm_abduction_deg",
        "elbow_flexion_deg",
        "wrist_flexion_deg",
        "knee_flexion_deg",
    ]
    for _ in range(200):
        # Whole degrees + 0.3 never sit on a threshold (all thresholds are whole degrees).
        posture = {k: float(rng.integers(-20, 120)) + 0.3 for k in keys}
        posture["trunk_twist_deg"] = posture["neck_twist_deg"] = float(rng.integers(-30, 30)) + 0.3
        posture["trunk_side_bend_deg"] = float(rng.integers(-30, 30)) + 0.3
        posture["neck_flexion_deg"] = float(rng.integers(-30, 60)) + 0.3
        posture["trunk_flexion_deg"] = float(rng.integers(-40, 100)) + 0.3
        for scorer in (score_reba, score_rula, score_owas):
            assert scorer(posture) == scorer(posture, rules={"boundary": "lower_inclusive"})
