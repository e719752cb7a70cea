"""Worked examples scored by hand from the worksheets (table cells quoted in the comments)."""

from ergopipe.methods import score_owas, score_reba, score_rula


def test_reba_worked_example():
    posture = {
        "trunk_flexion_deg": 25,
        "trunk_twist_deg": 15,
        "neck_flexion_deg": 25,
        "knee_flexion_deg": 40,
        "upper_arm_flexion_deg": 50,
        "upper_arm_abduction_deg": 30,
        "elbow_flexion_deg": 110,
        "wrist_flexion_deg": 20,
    }
    task = {"load_kg": 8, "coupling": "fair", "repeated_actions": True}
    # Trunk 20-60° = 3, twisted +1 -> 4. Neck > 20° = 2. Legs bilateral 1, knee 30-60° +1 -> 2.
    # Table A [trunk 4][neck 2][legs 2] = 6; load 5-10 kg +1 -> score A 7.
    # Upper arm 45-90° = 3, abducted +1 -> 4. Lower arm > 100° = 2. Wrist > 15° = 2.
    # Table B [4][2][2] = 6; coupling fair +1 -> score B 7.
    # Table C [7][7] = 9; repeated +1 -> 10 (action level 3, high).
    assert score_reba(posture, task) == {
        "trunk": 4,
        "neck": 2,
        "legs": 2,
        "upper_arm": 4,
        "lower_arm": 2,
        "wrist": 2,
        "table_a": 6,
        "table_b": 6,
        "table_c": 9,
        "score": 10,
        "action_level": 3,
    }


def test_reba_neutral_standing_is_1():
    # Every part 1: Table A [1][1][1] = 1, Table B [1][1][1] = 1, Table C [1][1] = 1 -> negligible.
    assert score_reba({"elbow_flexion_deg": 80})["score"] == 1
    assert score_reba({"elbow_flexion_deg": 80})["action_level"] == 0


def test_rula_worked_example():
    posture = {
        "upper_arm_flexion_deg": 50,
        "shoulder_raised": True,
        "elbow_flexion_deg": 110,
        "wrist_flexion_deg": 10,
        "neck_flexion_deg": 15,
        "trunk_flexion_deg": 25,
    }
    task = {"load_kg": 5, "repeated_actions": True}
    # Upper arm 45-90° = 3, raised +1 -> 4. Lower arm > 100° = 2. Wrist 0-15° = 2. Twist mid-range 1.
    # Table A [4][2][2][1] = 4; muscle +1, force 2-10 kg intermittent +1 -> C = 6.
    # Neck 10-20° = 2, trunk 20-60° = 3, legs 1. Table B [2][3][1] = 4; +1 +1 -> D = 6.
    # Table C [6][6] = 7 -> action level 4.
    assert score_rula(posture, task) == {
        "upper_arm": 4,
        "lower_arm": 2,
        "wrist": 2,
        "wrist_twist": 1,
        "neck": 2,
        "trunk": 3,
        "legs": 1,
        "table_a": 4,
        "table_b": 4,
        "score": 7,
        "action_level": 4,
    }


def test_rula_seated_light_work():
    posture = {"seated": True, "upper_arm_flexion_deg": 15, "elbow_flexion_deg": 80, "neck_flexion_deg": 8}
    # Arm 1, lower arm 1, wrist 1, twist 1: Table A [1][1][1][1] = 1. Neck 1, trunk 1, legs 1: Table B = 1.
    # Table C [1][1] = 1 -> action level 1.
    assert score_rula(posture)["score"] == 1 and score_rula(posture)["action_level"] == 1


def test_owas_worked_example():
    posture = {
        "trunk_flexion_deg": 45,
        "trunk_twist_deg": 30,
        "upper_arm_flexion_deg": 100,
        "knee_flexion_deg": 60,
    }
    # Back bent and twisted = 4; both arms above shoulder = 3; both knees bent = 4; 25 kg = 3.
    # Category table [4][3][4][3] = 4 (corrective measures immediately).
    assert score_owas(posture, {"load_kg": 25}) == {
        "back": 4,
        "arms": 3,
        "legs": 4,
        "load": 3,
        "action_category": 4,
    }
