"""Names of the per-frame columns: the public contract of `<stem>_frames.csv` and of AngleTable.

Angles are degrees; flexion positive, extension negative. Flags are 1.0 (true) / 0.0 (false).
NaN in any column = not measurable in that frame.
"""

from ergopipe.landmarks import SIDES

CENTRAL_ANGLES = (
    "trunk_flexion_deg",  # mid-hip -> mid-shoulder vs. up, sagittal plane, forward +
    "trunk_side_bend_deg",  # same line vs. up, frontal plane, toward the person's right +
    "trunk_twist_deg",  # shoulder line vs. hip line about the trunk axis, left shoulder forward +
    "neck_flexion_deg",  # mid-shoulder -> mid-ear vs. trunk line, sagittal, forward +
    "neck_side_bend_deg",  # same, frontal plane, toward the right +
    "neck_twist_deg",  # head (ear line) vs. shoulder line about the neck axis, face turned left +
)

SIDE_ANGLES = (
    "upper_arm_flexion_deg",  # upper arm vs. trunk line, sagittal, forward +, extension -
    "upper_arm_abduction_deg",  # upper arm vs. trunk line, frontal, away from the body +
    "shoulder_raise_deg",  # shoulder elevation relative to the trunk (vs. neutral), up +
    "elbow_flexion_deg",  # 180 - interior shoulder-elbow-wrist angle (straight arm 0)
    "wrist_flexion_deg",  # forearm vs. hand line (wrist -> index/pinky knuckle midpoint), palm-ward +
    "wrist_deviation_deg",  # radial/ulnar deviation, absolute value
    "knee_flexion_deg",  # 180 - interior hip-knee-ankle angle (straight leg 0)
)

SIDE_FLAGS = (
    "lower_arm_across_midline_or_out_to_side",
)

GLOBAL_FLAGS = (
    "bilateral_weight_bearing",
    "seated",
    "walking",
    "kneeling",
)


def side_columns(side: str) -> list[str]:
    return [f"{side}_{name}" for name in SIDE_ANGLES + SIDE_FLAGS]


ANGLE_COLUMNS: tuple[str, ...] = CENTRAL_ANGLES + tuple(
    f"{side}_{name}" for name in SIDE_ANGLES for side in SIDES
)
FLAG_COLUMNS: tuple[str, ...] = tuple(f"{side}_{name}" for name in SIDE_FLAGS for side in SIDES) + GLOBAL_FLAGS
ALL_COLUMNS: tuple[str, ...] = ANGLE_COLUMNS + FLAG_COLUMNS

# The columns the issue tracker fixed as the frames.csv contract (more may follow them).
CSV_CONTRACT = (
    "frame", "time_s", "detected",
    "trunk_flexion_deg", "trunk_side_bend_deg", "trunk_twist_deg",
    "neck_flexion_deg", "neck_side_bend_deg", "neck_twist_deg",
    "left_upper_arm_flexion_deg", "right_upper_arm_flexion_deg",
    "left_upper_arm_abduction_deg", "right_upper_arm_abduction_deg",
    "left_elbow_flexion_deg", "right_elbow_flexion_deg",
    "left_wrist_flexion_deg", "right_wrist_flexion_deg",
    "left_knee_flexion_deg", "right_knee_flexion_deg",
    "reba_score", "rula_score",
)
