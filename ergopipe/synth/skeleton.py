"""A 33-landmark MediaPipe-layout skeleton built from a posture of known angles (metres).

The construction inverts the definitions of ergopipe.angle_defs exactly, so compute_angles on a generated
skeleton must return the posture's angles (up to float error): this is the exact-geometry ground truth.
Output is in MediaPipe world convention (x image-right, y DOWN, z AWAY from the camera, origin mid-hip)
as seen by a camera pitched/rolled by known amounts (ergopipe.gravity conventions).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ergopipe import landmarks as lm
from ergopipe.angle_defs import AngleSettings
from ergopipe.gravity import camera_to_gravity, camera_up_to_mediapipe
from ergopipe.types import PoseSequence

# Segment lengths (m), roughly a 1.75 m adult.
HIP_HALF_WIDTH_M = 0.09
TRUNK_M = 0.50  # mid-hip -> neutral shoulder line
SHOULDER_HALF_WIDTH_M = 0.19
UPPER_ARM_M, FOREARM_M, HAND_M, KNUCKLE_HALF_M = 0.29, 0.26, 0.08, 0.04
THIGH_M, SHANK_M = 0.42, 0.42
EAR_HALF_WIDTH_M = 0.075
UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class Posture:
    """Known angles (degrees), named like the AngleTable columns they must reproduce; plus the hip flexion
    (thigh vs. vertical, forward +) needed to pose the legs. Wrist deviation is signed here (toward the
    index finger +); the table reports its absolute value."""

    trunk_flexion_deg: float = 0.0
    trunk_side_bend_deg: float = 0.0
    trunk_twist_deg: float = 0.0
    neck_flexion_deg: float = 0.0
    neck_side_bend_deg: float = 0.0
    neck_twist_deg: float = 0.0
    left_upper_arm_flexion_deg: float = 0.0
    right_upper_arm_flexion_deg: float = 0.0
    left_upper_arm_abduction_deg: float = 0.0
    right_upper_arm_abduction_deg: float = 0.0
    left_shoulder_raise_deg: float = 0.0
    right_shoulder_raise_deg: float = 0.0
    left_elbow_flexion_deg: float = 0.0
    right_elbow_flexion_deg: float = 0.0
    left_wrist_flexion_deg: float = 0.0
    right_wrist_flexion_deg: float = 0.0
    left_wrist_deviation_deg: float = 0.0
    right_wrist_deviation_deg: float = 0.0
    left_knee_flexion_deg: float = 0.0
    right_knee_flexion_deg: float = 0.0
    left_hip_flexion_deg: float = 0.0
    right_hip_flexion_deg: float = 0.0

    def expected_columns(self) -> dict[str, float]:
        """Column name -> value compute_angles must return (deviation as absolute value)."""
        out = {f.name: float(getattr(self, f.name)) for f in fields(self) if "hip_flexion" not in f.name}
        for side in ("left", "right"):
            out[f"{side}_wrist_deviation_deg"] = abs(out[f"{side}_wrist_deviation_deg"])
        return out


@dataclass(frozen=True)
class View:
    """Body yaw (deg, about up, + = person turned to their left from facing the camera) and camera tilt."""

    yaw_deg: float = 0.0
    camera_pitch_deg: float = 0.0
    camera_roll_deg: float = 0.0


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _perp(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    return v - np.dot(v, axis) * axis


def _rotate(v: np.ndarray, axis: np.ndarray, angle_deg: float) -> np.ndarray:
    """Rodrigues rotation of v about the unit axis, right-hand rule."""
    a = np.radians(angle_deg)
    return v * np.cos(a) + np.cross(axis, v) * np.sin(a) + axis * np.dot(axis, v) * (1 - np.cos(a))


def _plane_dir(
    ref: np.ndarray, toward_a: np.ndarray, angle_a_deg: float, toward_b: np.ndarray, angle_b_deg: float
) -> np.ndarray:
    """Unit vector at angle_a from ref in the (ref, toward_a) plane ("plane" angle) and angle_b out of that
    plane toward toward_b ("lean" angle): the inverse of ergopipe.angles.plane_angle_deg/lean_angle_deg."""
    a, b = np.radians(angle_a_deg), np.radians(angle_b_deg)
    return _unit(np.cos(b) * (np.cos(a) * ref + np.sin(a) * toward_a) + np.sin(b) * toward_b)


def _fallback_perp(primary: np.ndarray, secondary: np.ndarray, axis: np.ndarray) -> np.ndarray:
    v = _perp(primary, axis)
    return _unit(v) if np.linalg.norm(v) > 0.3 else _unit(_perp(secondary, axis))


def skeleton_gravity(
    posture: Posture, yaw_deg: float = 0.0, settings: AngleSettings = AngleSettings()
) -> np.ndarray:
    """(33, 3) landmarks in the gravity frame (y up, z toward the camera), mid-hip at the origin."""
    p = posture
    pts = np.zeros((lm.N_LANDMARKS, 3))
    y = np.radians(yaw_deg)
    fwd = np.array([np.sin(y), 0.0, np.cos(y)])
    left = np.cross(UP, fwd)
    pts[lm.LEFT_HIP], pts[lm.RIGHT_HIP] = HIP_HALF_WIDTH_M * left, -HIP_HALF_WIDTH_M * left
    trunk = _plane_dir(UP, fwd, p.trunk_flexion_deg, -left, p.trunk_side_bend_deg)
    sh_left = _rotate(_unit(_perp(left, trunk)), trunk, -p.trunk_twist_deg)
    sh_fwd = np.cross(sh_left, trunk)
    lift = {
        s: SHOULDER_HALF_WIDTH_M * np.tan(np.radians(getattr(p, f"{s}_shoulder_raise_deg")))
        for s in ("left", "right")
    }
    neck = _plane_dir(
        trunk, sh_fwd, p.neck_flexion_deg + settings.neck_flexion_offset_deg, -sh_left, p.neck_side_bend_deg
    )
    neck_m = TRUNK_M * (1 - settings.shoulder_pivot_fraction) / settings.shoulder_pivot_fraction
    pivot_h = TRUNK_M
    for _ in range(80):  # the shoulder-raise pivot depends on the ear height: fixed point (contraction f<1)
        mid_sh = (pivot_h + (lift["left"] + lift["right"]) / 2) * trunk
        ear_mid = mid_sh + neck_m * neck
        pivot_h = settings.shoulder_pivot_fraction * np.linalg.norm(ear_mid)
    pivot = pivot_h * trunk
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        pts[lm.SIDE_INDEX[side]["shoulder"]] = (
            pivot + sgn * SHOULDER_HALF_WIDTH_M * sh_left + lift[side] * trunk
        )
    shoulder_line = pts[lm.LEFT_SHOULDER] - pts[lm.RIGHT_SHOULDER]  # as compute_angles sees it
    ear_line = _rotate(_unit(_perp(shoulder_line, neck)), neck, p.neck_twist_deg)
    face = np.cross(ear_line, neck)
    pts[lm.LEFT_EAR], pts[lm.RIGHT_EAR] = (
        ear_mid + EAR_HALF_WIDTH_M * ear_line,
        ear_mid - EAR_HALF_WIDTH_M * ear_line,
    )
    pts[lm.NOSE] = ear_mid + 0.10 * face
    for offs, (li, ri) in zip(
        (0.015, 0.03, 0.045),
        (
            (lm.LEFT_EYE_INNER, lm.RIGHT_EYE_INNER),
            (lm.LEFT_EYE, lm.RIGHT_EYE),
            (lm.LEFT_EYE_OUTER, lm.RIGHT_EYE_OUTER),
        ),
    ):
        pts[li] = ear_mid + 0.08 * face + 0.03 * neck + offs * ear_line
        pts[ri] = ear_mid + 0.08 * face + 0.03 * neck - offs * ear_line
    pts[lm.MOUTH_LEFT] = ear_mid + 0.08 * face - 0.045 * neck + 0.025 * ear_line
    pts[lm.MOUTH_RIGHT] = ear_mid + 0.08 * face - 0.045 * neck - 0.025 * ear_line
    for side, sgn in (("left", 1.0), ("right", -1.0)):
        _arm(pts, p, side, sgn * sh_left, trunk, sh_fwd)
        _leg(pts, p, side, fwd)
    return pts


def _arm(pts: np.ndarray, p: Posture, side: str, out: np.ndarray, trunk: np.ndarray, fwd: np.ndarray) -> None:
    ix = lm.SIDE_INDEX[side]

    def g(name: str) -> float:
        return float(getattr(p, f"{side}_{name}"))

    upper = _plane_dir(-trunk, fwd, g("upper_arm_flexion_deg"), out, g("upper_arm_abduction_deg"))
    pts[ix["elbow"]] = pts[ix["shoulder"]] + UPPER_ARM_M * upper
    bend = _fallback_perp(fwd, trunk, upper)
    e = np.radians(g("elbow_flexion_deg"))
    forearm = np.cos(e) * upper + np.sin(e) * bend
    pts[ix["wrist"]] = pts[ix["elbow"]] + FOREARM_M * forearm
    knuckle = _fallback_perp(fwd, trunk, forearm)
    palm = (1.0 if side == "left" else -1.0) * np.cross(forearm, knuckle)
    hand = _plane_dir(forearm, palm, g("wrist_flexion_deg"), knuckle, g("wrist_deviation_deg"))
    hand_mid = pts[ix["wrist"]] + HAND_M * hand
    pts[ix["index"]] = hand_mid + KNUCKLE_HALF_M * knuckle
    pts[ix["pinky"]] = hand_mid - KNUCKLE_HALF_M * knuckle
    pts[ix["thumb"]] = pts[ix["wrist"]] + 0.5 * HAND_M * hand + 1.2 * KNUCKLE_HALF_M * knuckle


def _leg(pts: np.ndarray, p: Posture, side: str, fwd: np.ndarray) -> None:
    ix = lm.SIDE_INDEX[side]
    h, k = (
        np.radians(getattr(p, f"{side}_hip_flexion_deg")),
        np.radians(getattr(p, f"{side}_knee_flexion_deg")),
    )
    thigh = -np.cos(h) * UP + np.sin(h) * fwd
    front = np.cos(h) * fwd + np.sin(h) * UP  # thigh turned 90 deg forward in the sagittal plane
    shank = np.cos(k) * thigh - np.sin(k) * front
    pts[ix["knee"]] = pts[ix["hip"]] + THIGH_M * thigh
    pts[ix["ankle"]] = pts[ix["knee"]] + SHANK_M * shank
    pts[ix["heel"]] = pts[ix["ankle"]] - 0.05 * fwd - 0.06 * UP
    pts[ix["foot_index"]] = pts[ix["ankle"]] + 0.15 * fwd - 0.06 * UP


def skeleton_mediapipe(
    posture: Posture, view: View = View(), settings: AngleSettings = AngleSettings()
) -> np.ndarray:
    """(33, 3) landmarks as MediaPipe world landmarks from a camera with the view's pitch/roll."""
    grav = skeleton_gravity(posture, view.yaw_deg, settings)
    cam = grav @ camera_to_gravity(view.camera_pitch_deg, view.camera_roll_deg)  # = R.T @ p per row
    return camera_up_to_mediapipe(cam)


def pose_sequence(
    world_xyz_m: np.ndarray,
    *,
    fps: float = 30.0,
    visibility: np.ndarray | None = None,
    frame_size_px: tuple[int, int] = (720, 1280),
) -> PoseSequence:
    """Wrap (n, 33, 3) MediaPipe-world landmarks in a PoseSequence (visibility 1 unless given; image points
    from a pinhole camera 3 m away, focal length = frame height)."""
    xyz = np.asarray(world_xyz_m, dtype=float)
    n = xyz.shape[0]
    vis = np.ones((n, lm.N_LANDMARKS)) if visibility is None else np.asarray(visibility, dtype=float)
    w, h = frame_size_px
    depth = 3.0 + xyz[..., 2]
    image = np.stack([w / 2 + h * xyz[..., 0] / depth, h / 2 + h * xyz[..., 1] / depth], axis=-1)
    detected = np.isfinite(xyz).all(axis=(1, 2))
    return PoseSequence(
        frame_index=np.arange(n),
        time_s=np.arange(n) / fps,
        world_xyz_m=xyz,
        image_xy_px=image,
        visibility=vis,
        detected=detected,
        source_fps=fps,
        analysis_fps=fps,
        model="synthetic-skeleton",
        frame_size_px=frame_size_px,
    )
