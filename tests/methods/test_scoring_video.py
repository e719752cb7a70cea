"""score_video: per-frame columns, sides, NaN, task ranges, declared vs derived activity, summary."""

import json

import numpy as np
import pytest

from ergopipe.columns import ALL_COLUMNS
from ergopipe.errors import InputError
from ergopipe.methods import (
    RuleSettings,
    TaskFactors,
    parse_task_input,
    score_owas,
    score_reba,
    score_rula,
    score_video,
)
from ergopipe.types import VideoScores

FPS = 10.0
NO_ACTIVITY = TaskFactors(static_posture=False, repeated_actions=False)


def neutral(n: int) -> dict[str, np.ndarray]:
    cols = {c: np.zeros(n) for c in ALL_COLUMNS}
    cols["bilateral_weight_bearing"] = np.ones(n)
    for s in ("left", "right"):
        cols[f"{s}_elbow_flexion_deg"] = np.full(n, 80.0)
    return cols


def times(n: int) -> np.ndarray:
    return np.arange(n) / FPS


def test_required_frame_columns_and_types():
    n = 20
    out = score_video(neutral(n), times(n))
    assert isinstance(out, VideoScores)
    required = [
        "reba_score",
        "rula_score",
        "reba_score_left",
        "reba_score_right",
        "rula_score_left",
        "rula_score_right",
        "reba_action_level",
        "rula_action_level",
        "reba_trunk",
        "reba_neck",
        "reba_legs",
        "reba_upper_arm_left",
        "reba_upper_arm_right",
        "reba_lower_arm_left",
        "reba_wrist_right",
        "rula_upper_arm_right",
        "rula_lower_arm_left",
        "rula_wrist_left",
        "rula_neck",
        "rula_trunk",
        "rula_legs",
        "owas_back",
        "owas_arms",
        "owas_legs",
        "owas_load",
        "owas_action_category",
    ]
    for name in required:
        assert out.frames[name].shape == (n,), name
        assert out.frames[name].dtype.kind == "f", name
    assert set(out.summary) == {"reba", "rula", "owas", "coverage", "exposure", "inputs"}
    assert out.summary["owas"]["max_action_category"] == out.summary["owas"]["max_action_level"] == 1
    json.dumps(out.summary, allow_nan=False)  # JSON-ready: no NaN, no numpy types


def test_only_requested_methods():
    out = score_video(neutral(10), times(10), methods=("owas",))
    assert not any(k.startswith(("reba", "rula")) for k in out.frames)
    assert "owas" in out.summary and "reba" not in out.summary
    with pytest.raises(InputError, match="methods: 'luba' is not one of reba, rula, owas"):
        score_video(neutral(10), times(10), methods=("luba",))


def _posture_columns(posture: dict, n: int) -> dict[str, np.ndarray]:
    """Columns for the same posture on both sides (flags from the posture's booleans)."""
    cols = neutral(n)
    for key in (
        "trunk_flexion_deg",
        "trunk_side_bend_deg",
        "trunk_twist_deg",
        "neck_flexion_deg",
        "neck_side_bend_deg",
        "neck_twist_deg",
    ):
        cols[key][:] = posture.get(key, 0.0)
    for s in ("left", "right"):
        for key in (
            "upper_arm_flexion_deg",
            "upper_arm_abduction_deg",
            "elbow_flexion_deg",
            "wrist_flexion_deg",
            "knee_flexion_deg",
        ):
            cols[f"{s}_{key}"][:] = posture.get(key, 0.0)
        cols[f"{s}_shoulder_raise_deg"][:] = 20.0 if posture.get("shoulder_raised") else 0.0
        cols[f"{s}_wrist_deviation_deg"][:] = 20.0 if posture.get("wrist_deviated") else 0.0
        cols[f"{s}_lower_arm_across_midline_or_out_to_side"][:] = float(
            posture.get("lower_arm_across_midline_or_out_to_side", False)
        )
    for flag in ("bilateral_weight_bearing", "seated", "walking", "kneeling"):
        cols[flag][:] = float(posture.get(flag, flag == "bilateral_weight_bearing"))
    return cols


POSTURES = [
    {},
    {
        "trunk_flexion_deg": 45,
        "trunk_twist_deg": 20,
        "neck_flexion_deg": 25,
        "upper_arm_flexion_deg": 100,
        "shoulder_raised": True,
        "elbow_flexion_deg": 120,
        "wrist_flexion_deg": 30,
        "wrist_deviated": True,
        "knee_flexion_deg": 70,
    },
    {
        "trunk_flexion_deg": -25,
        "neck_flexion_deg": -15,
        "neck_side_bend_deg": 15,
        "upper_arm_flexion_deg": -30,
        "upper_arm_abduction_deg": 40,
        "elbow_flexion_deg": 40,
        "lower_arm_across_midline_or_out_to_side": True,
        "bilateral_weight_bearing": False,
        "knee_flexion_deg": 40,
    },
    {
        "seated": True,
        "knee_flexion_deg": 90,
        "trunk_flexion_deg": 10,
        "upper_arm_flexion_deg": 60,
        "elbow_flexion_deg": 90,
    },
    {"kneeling": True, "knee_flexion_deg": 100, "trunk_flexion_deg": 70, "upper_arm_abduction_deg": 95},
]


@pytest.mark.parametrize("posture", POSTURES)
@pytest.mark.parametrize(
    "task", [{}, {"load_kg": 12, "coupling": "poor", "shock": True}, {"load_kg": 6, "load_pattern": "static"}]
)
def test_video_agrees_with_scalar_api(posture, task):
    n = 5
    factors = TaskFactors.from_mapping({**task, "static_posture": False, "repeated_actions": False})
    out = score_video(_posture_columns(posture, n), times(n), task=factors)
    reba, rula, owas = (
        score_reba(posture, factors),
        score_rula(posture, factors),
        score_owas(posture, factors),
    )
    f = out.frames
    assert f["reba_score"].tolist() == [reba["score"]] * n
    assert f["reba_trunk"][0] == reba["trunk"] and f["reba_legs"][0] == reba["legs"]
    assert f["reba_upper_arm_left"][0] == reba["upper_arm"] and f["reba_wrist_right"][0] == reba["wrist"]
    assert f["rula_score"].tolist() == [rula["score"]] * n
    assert f["rula_neck"][0] == rula["neck"] and f["rula_lower_arm_right"][0] == rula["lower_arm"]
    for code in ("back", "arms", "legs", "load", "action_category"):
        assert f[f"owas_{code}"][0] == owas[code], code


def test_left_and_right_are_independent_and_the_worse_is_reported():
    n = 30
    cols = neutral(n)
    cols["left_upper_arm_flexion_deg"][10:20] = 100.0  # left arm raised in frames 10-19 only
    cols["right_wrist_flexion_deg"][:] = 30.0  # right wrist bent throughout
    out = score_video(cols, times(n), task=NO_ACTIVITY).frames
    assert (out["reba_upper_arm_left"][10:20] == 4).all() and (out["reba_upper_arm_left"][:10] == 1).all()
    assert (out["reba_upper_arm_right"] == 1).all()
    assert (out["reba_wrist_right"] == 2).all() and (out["reba_wrist_left"] == 1).all()
    np.testing.assert_array_equal(
        out["reba_score"], np.maximum(out["reba_score_left"], out["reba_score_right"])
    )
    np.testing.assert_array_equal(
        out["rula_score"], np.maximum(out["rula_score_left"], out["rula_score_right"])
    )
    assert out["rula_score_left"][15] > out["rula_score_right"][15]
    assert out["rula_worse_side"][15] == -1 and out["rula_worse_side"][0] == 1


def test_summary_worse_side_and_worst_moments():
    n = 100
    cols = neutral(n)
    cols["right_upper_arm_flexion_deg"][[5, 8, 40, 70]] = 120.0
    s = score_video(cols, times(n), task=NO_ACTIVITY).summary["reba"]
    assert s["worse_side"] == "right"
    moments = s["worst_moments"]
    assert 1 <= len(moments) <= 5
    assert [m["row"] for m in moments[:3]] == [5, 40, 70]  # row 8 is < 1 s after row 5
    assert all(m["side"] == "right" for m in moments[:3])
    ts = sorted(m["time_s"] for m in moments)
    assert all(b - a >= 1.0 for a, b in zip(ts, ts[1:], strict=False))
    assert s["max_score"] == max(m["score"] for m in moments)
    assert sum(s["time_pct_by_action_level"].values()) == pytest.approx(100.0)
    assert s["action_text"]


def test_nan_makes_part_and_score_not_scorable_never_zero():
    n = 20
    cols = neutral(n)
    cols["trunk_flexion_deg"][5:10] = np.nan
    cols["left_elbow_flexion_deg"][12:14] = np.nan
    out = score_video(cols, times(n), task=NO_ACTIVITY)
    f = out.frames
    for name in (
        "reba_trunk",
        "reba_score",
        "rula_trunk",
        "rula_score",
        "owas_back",
        "owas_action_category",
        "reba_action_level",
    ):
        assert np.isnan(f[name][5:10]).all(), name
        assert np.isfinite(f[name][10:]).all(), name
    assert np.isnan(f["reba_lower_arm_left"][12:14]).all() and np.isnan(f["reba_score_left"][12:14]).all()
    assert np.isfinite(f["reba_score"][12:14]).all()  # the right side is still scorable
    cov = out.summary["coverage"]
    assert cov["methods"]["reba"] == pytest.approx(75.0)
    assert cov["parts"]["reba_trunk"] == pytest.approx(75.0)
    assert cov["parts"]["reba_lower_arm_left"] == pytest.approx(90.0)
    assert cov["both_sides"]["reba"] == pytest.approx(65.0)
    assert out.summary["reba"]["scorable_pct"] == pytest.approx(75.0)


def test_all_nan_video_gives_none_in_summary():
    n = 5
    cols = {c: np.full(n, np.nan) for c in ALL_COLUMNS}
    out = score_video(cols, times(n))
    assert out.summary["reba"]["max_score"] is None and out.summary["reba"]["worst_moments"] == []
    json.dumps(out.summary, allow_nan=False)


def test_task_ranges_apply_loads_only_inside_the_range():
    n = 100  # 0.0 .. 9.9 s
    kw = parse_task_input(
        {"load_kg": 3, "static_posture": False, "repeated_actions": False},
        [{"from_s": 2, "to_s": 4, "load_kg": 15, "coupling": "poor"}],
        None,
    )
    out = score_video(neutral(n), times(n), **kw)
    f, t = out.frames, times(n)
    inside = (t >= 2) & (t < 4)
    assert (f["reba_load"][inside] == 2).all() and (f["reba_load"][~inside] == 0).all()
    assert (f["reba_coupling"][inside] == 2).all() and (f["reba_coupling"][~inside] == 0).all()
    assert (f["owas_load"][inside] == 2).all() and (f["owas_load"][~inside] == 1).all()
    assert (f["rula_force"][inside] == 2).all() and (f["rula_force"][~inside] == 1).all()
    assert (f["reba_score"][inside] > f["reba_score"][~inside].max()).all()
    declared = out.summary["inputs"]["declared"]
    assert declared["load_kg"] == "task, task_ranges" and declared["coupling"] == "task_ranges"


def test_derived_static_feeds_reba_activity_and_rula_muscle_use_unless_declared():
    n = int(90 * FPS)  # 90 s standing still: every part is static (> 60 s)
    cols = neutral(n)
    derived = score_video(cols, times(n))
    assert (derived.frames["reba_activity"] == 1).all() and (derived.frames["static_posture"] == 1).all()
    assert (derived.frames["rula_muscle_b"] == 1).all()
    act = derived.summary["inputs"]["activity"]["static_posture"]
    assert act["source"] == "derived" and "trunk_flexion" in act["parts"]
    declared = score_video(cols, times(n), task=TaskFactors(static_posture=False))
    assert (declared.frames["reba_activity"] == 0).all()
    assert (declared.frames["reba_score"] == derived.frames["reba_score"] - 1).all()
    assert declared.summary["inputs"]["activity"]["static_posture"]["source"] == "declared"
    # 10-minute RULA alternative: 90 s is not static for RULA muscle use, but still for REBA.
    ten = score_video(cols, times(n), rules=RuleSettings(rula_static_hold_s=600))
    assert (ten.frames["rula_muscle_b"] == 0).all() and (ten.frames["reba_activity"] == 1).all()
    assert (ten.frames["rula_score"] <= derived.frames["rula_score"]).all()


def test_derived_repetition_feeds_activity():
    n = int(60 * FPS)
    cols = neutral(n)
    t = times(n)
    cols["right_elbow_flexion_deg"][:] = 80 + 40 * np.sin(2 * np.pi * t / 6.0)  # 10 reaches a minute
    out = score_video(cols, t, task=TaskFactors(static_posture=False))
    assert (out.frames["repeated_actions"] == 1).all()
    assert (out.frames["rula_muscle_a_right"] == 1).all() and (out.frames["rula_muscle_a_left"] == 0).all()
    assert out.summary["inputs"]["activity"]["repeated_actions"]["parts"] == ["right_elbow_flexion"]


def test_inputs_list_measured_declared_assumed():
    n = 10
    cols = neutral(n)
    del cols["left_wrist_deviation_deg"], cols["seated"]
    cols["walking"][:5] = np.nan
    inputs = score_video(cols, times(n), task=TaskFactors(load_kg=4)).summary["inputs"]
    assert "trunk_flexion_deg" in inputs["measured"] and "left_wrist_deviation_deg" not in inputs["measured"]
    assert inputs["declared"] == {"load_kg": "task"}
    assumed = inputs["assumed"]
    assert "left_wrist_deviation_deg" in assumed and "seated" in assumed
    assert "50.0%" in assumed["walking"]
    assert "wrist_twist_end_of_range" in assumed and "arm_supported" in assumed
    assert "task.coupling" in assumed and "task.load_kg" not in assumed
    assert inputs["rules"] == RuleSettings().to_dict()


def test_missing_primary_angle_column_is_not_scorable():
    n = 10
    cols = neutral(n)
    del cols["neck_flexion_deg"]
    f = score_video(cols, times(n)).frames
    assert np.isnan(f["reba_neck"]).all() and np.isnan(f["rula_score"]).all()


def test_wrong_column_length_is_an_input_error():
    cols = neutral(10)
    cols["trunk_flexion_deg"] = np.zeros(9)
    with pytest.raises(InputError, match="column trunk_flexion_deg: expected 10 values"):
        score_video(cols, times(10))


def test_exposure_in_summary_matches_series():
    n = 200
    cols = neutral(n)
    cols["trunk_flexion_deg"][:50] = 45.0
    ex = score_video(cols, times(n)).summary["exposure"]["parts"]["trunk_flexion"]
    assert ex["time_pct"]["20-60"] == pytest.approx(25.0) and ex["longest_hold_s"]["20-60"] == pytest.approx(
        5.0
    )


def test_plain_mappings_are_accepted_and_validated():
    n = 40
    f = score_video(
        neutral(n),
        times(n),
        task={"load_kg": 12},
        task_ranges=[{"from_s": 0, "to_s": 1, "load_kg": 0}],
        rules={"boundary": "lower_inclusive"},
    ).frames
    assert (f["reba_load"][:10] == 0).all() and (f["reba_load"][10:] == 2).all()
    with pytest.raises(InputError, match="rules.boundary"):
        score_video(neutral(n), times(n), rules={"boundary": "x"})
    with pytest.raises(InputError, match=r"task_ranges\[0\].to_s"):
        score_video(neutral(n), times(n), task_ranges=[{"from_s": 1, "to_s": 0}])


def test_bad_time_axis_is_an_input_error():
    with pytest.raises(InputError, match="time_s"):
        score_video(neutral(3), np.array([0.0, 0.2, 0.1]))
