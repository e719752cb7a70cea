"""The angle definitions as data (which points, which reference frame and axes, which sign/offset).

Every joint angle is one of four kinds, evaluated by ergopipe.angles:
- "plane": vector a->b in a body frame; angle = atan2(v . toward, v . ref), i.e. the angle of v from the
  reference axis in the plane spanned by ref and toward, positive toward `toward`. Confidence is the share
  of v lying in that plane (a vector almost normal to the plane has no defined angle there).
- "lean": the angle of v out of the plane normal to `toward` (asin(v . toward / |v|)), positive toward
  `toward`, range +-90. Used for the frontal-plane angles (side-bend, abduction, deviation) together with a
  "plane" angle in the sagittal plane: the pair is a spherical coordinate of the segment direction, defined
  for any flexion (a projected frontal angle would flip by 180 deg once the trunk bends past horizontal).
- "hinge": 180 deg minus the interior angle a-b-c (straight limb = 0).
- "twist": signed angle of line b (points) against line a about an axis, both projected on the plane
  normal to the axis; `sign` fixes the positive direction.
- "elevation": shoulder raise, see ergopipe.angles.shoulder_raise_deg.

Point names: a landmark ("left_shoulder", "nose", ...) or a midpoint ("mid_hip", "mid_shoulder", "mid_ear",
"left_hand" = midpoint of index and pinky knuckles). "{side}" is replaced by left/right.

Body frames (unit axes per frame, gravity coordinates, y up):
- "pelvis": up = gravity up; left = the right->left hip line projected on the floor; forward = left x up.
- "shoulder": up = trunk line (mid-hip -> mid-shoulder); left = right->left shoulder line made normal to it;
  forward = left x up. Neck and upper arms are measured in it, so a twisted trunk does not read as arm
  flexion.
- "hand_{side}": forearm (elbow -> wrist), knuckle (pinky -> index, made normal to the forearm), palm
  (normal, pointing to the palm side).
"""

from __future__ import annotations

from dataclasses import dataclass

from ergopipe.landmarks import SIDES


@dataclass(frozen=True)
class AngleSettings:
    """Settings of compute_angles; defaults justified in docs/angles.md.

    neck_flexion_offset_deg: subtracted from the raw mid-shoulder->mid-ear angle so that a neutral upright
        head reads 0 (MediaPipe's ear lies slightly in front of its shoulder line in a neutral head).
    min_plane_share: a "plane" angle whose vector has less than this share in its plane is NaN.
    shoulder_pivot_fraction: pivot of the shoulder-raise angle on the trunk line, as a fraction of the
        mid-hip -> mid-ear distance (the height of the neutral shoulder line).
    across_midline_margin_m / out_to_side_margin_m: wrist beyond the body midline / beyond the shoulder
        (lateral, in the shoulder frame) by more than this sets lower_arm_across_midline_or_out_to_side.
    support_height_m: a foot whose lowest point is within this of the lowest foot bears weight.
    kneel_height_m: a knee within this of the lowest foot point (and flexed > 45 deg) is on the floor.
    seated_thigh_deg / seated_shank_deg: thighs at least this far from vertical and shanks within this of
        vertical (both sides) = seated.
    walk_window_s / walk_min_step_m / walk_min_crossings: walking = the fore-aft ankle separation changes
        sign at least walk_min_crossings times within walk_window_s with amplitude >= walk_min_step_m.
    """

    neck_flexion_offset_deg: float = 20.0
    min_plane_share: float = 0.05
    shoulder_pivot_fraction: float = 0.75
    across_midline_margin_m: float = 0.0
    out_to_side_margin_m: float = 0.15
    support_height_m: float = 0.05
    kneel_height_m: float = 0.15
    seated_thigh_deg: float = 60.0
    seated_shank_deg: float = 35.0
    walk_window_s: float = 2.0
    walk_min_step_m: float = 0.15
    walk_min_crossings: int = 2


@dataclass(frozen=True)
class AngleDef:
    column: str  # may contain "{side}"
    kind: str  # "plane" | "lean" | "hinge" | "twist" | "elevation"
    points: tuple[str, ...]  # plane/lean: (a, b); hinge: (a, b, c); twist: (line a from, to, line b from, to)
    frame: str = ""  # plane/lean: body frame name
    ref: str = ""  # plane: reference axis (angle 0)
    toward: str = ""  # plane/lean: positive direction
    axis: tuple[str, str] = ("", "")  # twist: axis from, to
    sign: float = 1.0
    offset_setting: str = ""  # AngleSettings attribute subtracted from the value
    absolute: bool = False


ANGLE_DEFS: tuple[AngleDef, ...] = (
    AngleDef("trunk_flexion_deg", "plane", ("mid_hip", "mid_shoulder"), "pelvis", "up", "forward"),
    AngleDef("trunk_side_bend_deg", "lean", ("mid_hip", "mid_shoulder"), "pelvis", toward="right"),
    AngleDef(
        "trunk_twist_deg",
        "twist",
        ("right_hip", "left_hip", "right_shoulder", "left_shoulder"),
        axis=("mid_hip", "mid_shoulder"),
        sign=-1.0,
    ),
    AngleDef(
        "neck_flexion_deg",
        "plane",
        ("mid_shoulder", "mid_ear"),
        "shoulder",
        "up",
        "forward",
        offset_setting="neck_flexion_offset_deg",
    ),
    AngleDef("neck_side_bend_deg", "lean", ("mid_shoulder", "mid_ear"), "shoulder", toward="right"),
    AngleDef(
        "neck_twist_deg",
        "twist",
        ("right_shoulder", "left_shoulder", "right_ear", "left_ear"),
        axis=("mid_shoulder", "mid_ear"),
        sign=1.0,
    ),
    AngleDef(
        "{side}_upper_arm_flexion_deg",
        "plane",
        ("{side}_shoulder", "{side}_elbow"),
        "shoulder",
        "down",
        "forward",
    ),
    AngleDef(
        "{side}_upper_arm_abduction_deg",
        "lean",
        ("{side}_shoulder", "{side}_elbow"),
        "shoulder",
        toward="{side}",
    ),
    AngleDef("{side}_shoulder_raise_deg", "elevation", ("{side}_shoulder",)),
    AngleDef("{side}_elbow_flexion_deg", "hinge", ("{side}_shoulder", "{side}_elbow", "{side}_wrist")),
    AngleDef(
        "{side}_wrist_flexion_deg", "plane", ("{side}_wrist", "{side}_hand"), "hand_{side}", "forearm", "palm"
    ),
    AngleDef(
        "{side}_wrist_deviation_deg",
        "lean",
        ("{side}_wrist", "{side}_hand"),
        "hand_{side}",
        toward="knuckle",
        absolute=True,
    ),
    AngleDef("{side}_knee_flexion_deg", "hinge", ("{side}_hip", "{side}_knee", "{side}_ankle")),
)


def _fill(text: str, side: str) -> str:
    return text.replace("{side}", side)


def expanded_defs() -> tuple[AngleDef, ...]:
    """ANGLE_DEFS with every "{side}" template expanded for both sides (left first)."""
    out: list[AngleDef] = []
    for d in ANGLE_DEFS:
        if "{side}" not in d.column:
            out.append(d)
            continue
        for side in SIDES:
            out.append(
                AngleDef(
                    _fill(d.column, side),
                    d.kind,
                    tuple(_fill(p, side) for p in d.points),
                    _fill(d.frame, side),
                    _fill(d.ref, side),
                    _fill(d.toward, side),
                    (_fill(d.axis[0], side), _fill(d.axis[1], side)),
                    d.sign,
                    d.offset_setting,
                    d.absolute,
                )
            )
    return tuple(out)
