"""SMPL-X topology facts and the MediaPipe (33 landmarks) -> SMPL-X keypoint mapping.

Everything here is plain data (no torch). Joint indices follow the SMPL-X joint order (55 joints, the order
of `kintree_table` in the model file and of `smplx.joint_names.JOINT_NAMES[:55]`).

Mapping, MediaPipe landmark -> SMPL-X point (why):
- shoulders/elbows/wrists/hips/knees/ankles -> the SMPL-X joint of the same name (both are joint centres;
  MediaPipe's hip and shoulder points sit a few centimetres off the SMPL-X joint centres on real people, which
  shows up as a constant residual, not as an angle error).
- index / pinky -> `*_index1` / `*_pinky1` (BlazePose places them on the first knuckles), thumb -> `*_thumb2`.
- nose, eyes, ears, heels, foot index (big toe) -> fixed SMPL-X vertices (the ids the `smplx` package uses
  for its extra joints, `smplx.vertex_ids.vertex_ids['smplx']`).
- eye inner/outer and mouth corners are not used (they add no body angle and would need face landmarks).
"""

from __future__ import annotations

from ergopipe import landmarks as mp

JOINT_NAMES: tuple[str, ...] = (
    "pelvis",
    "left_hip",
    "right_hip",
    "spine1",
    "left_knee",
    "right_knee",
    "spine2",
    "left_ankle",
    "right_ankle",
    "spine3",
    "left_foot",
    "right_foot",
    "neck",
    "left_collar",
    "right_collar",
    "head",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "jaw",
    "left_eye_smplhf",
    "right_eye_smplhf",
    *(
        f"{side}_{finger}{k}"
        for side in ("left", "right")
        for finger in ("index", "middle", "pinky", "ring", "thumb")
        for k in (1, 2, 3)
    ),
)
N_JOINTS = 55
N_BODY_JOINTS = 21  # body_pose = joints 1..21 (axis-angle, 63 numbers); joint 0 is global_orient
N_POSED_JOINTS = 1 + N_BODY_JOINTS  # joints whose rotation the fit estimates; jaw, eyes and fingers stay at 0

# The real SMPL-X kinematic tree (parent of each joint; -1 for the pelvis), as in kintree_table[0].
PARENTS: tuple[int, ...] = (
    -1,
    0,
    0,
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    9,
    9,
    12,
    13,
    14,
    16,
    17,
    18,
    19,
    15,
    15,
    15,
    20,
    25,
    26,
    20,
    28,
    29,
    20,
    31,
    32,
    20,
    34,
    35,
    20,
    37,
    38,
    21,
    40,
    41,
    21,
    43,
    44,
    21,
    46,
    47,
    21,
    49,
    50,
    21,
    52,
    53,
)
JOINT = {name: i for i, name in enumerate(JOINT_NAMES)}

# Vertex ids of the real 10,475-vertex SMPL-X topology used as extra keypoints (from smplx.vertex_ids).
N_VERTICES_SMPLX = 10475
EXTRA_VERTEX_NAMES: tuple[str, ...] = (
    "nose",
    "leye",
    "reye",
    "lear",
    "rear",
    "LHeel",
    "RHeel",
    "LBigToe",
    "RBigToe",
)
SMPLX_EXTRA_VERTEX_IDS: tuple[int, ...] = (9120, 9448, 9929, 6, 616, 8846, 8635, 5770, 8463)
EXTRA_VERTEX_IDS_KEY = "ergopipe_extra_vertex_ids"  # only synthetic test models carry this key

# (MediaPipe landmark index, "joint" | "vertex", SMPL-X joint name or extra-vertex name)
KEYPOINTS: tuple[tuple[int, str, str], ...] = (
    (mp.NOSE, "vertex", "nose"),
    (mp.LEFT_EYE, "vertex", "leye"),
    (mp.RIGHT_EYE, "vertex", "reye"),
    (mp.LEFT_EAR, "vertex", "lear"),
    (mp.RIGHT_EAR, "vertex", "rear"),
    (mp.LEFT_SHOULDER, "joint", "left_shoulder"),
    (mp.RIGHT_SHOULDER, "joint", "right_shoulder"),
    (mp.LEFT_ELBOW, "joint", "left_elbow"),
    (mp.RIGHT_ELBOW, "joint", "right_elbow"),
    (mp.LEFT_WRIST, "joint", "left_wrist"),
    (mp.RIGHT_WRIST, "joint", "right_wrist"),
    (mp.LEFT_PINKY, "joint", "left_pinky1"),
    (mp.RIGHT_PINKY, "joint", "right_pinky1"),
    (mp.LEFT_INDEX, "joint", "left_index1"),
    (mp.RIGHT_INDEX, "joint", "right_index1"),
    (mp.LEFT_THUMB, "joint", "left_thumb2"),
    (mp.RIGHT_THUMB, "joint", "right_thumb2"),
    (mp.LEFT_HIP, "joint", "left_hip"),
    (mp.RIGHT_HIP, "joint", "right_hip"),
    (mp.LEFT_KNEE, "joint", "left_knee"),
    (mp.RIGHT_KNEE, "joint", "right_knee"),
    (mp.LEFT_ANKLE, "joint", "left_ankle"),
    (mp.RIGHT_ANKLE, "joint", "right_ankle"),
    (mp.LEFT_HEEL, "vertex", "LHeel"),
    (mp.RIGHT_HEEL, "vertex", "RHeel"),
    (mp.LEFT_FOOT_INDEX, "vertex", "LBigToe"),
    (mp.RIGHT_FOOT_INDEX, "vertex", "RBigToe"),
)
MP_INDICES: tuple[int, ...] = tuple(k[0] for k in KEYPOINTS)
KEYPOINT_JOINTS: tuple[int, ...] = tuple(JOINT[n] for _, kind, n in KEYPOINTS if kind == "joint")


def needed_joints() -> tuple[int, ...]:
    """Joints the sparse forward must chain: the posed body joints plus the mapped finger joints and their
    ancestors, sorted so that every parent comes before its children."""
    needed: set[int] = set(range(N_POSED_JOINTS))
    for j in KEYPOINT_JOINTS:
        while j >= 0:
            needed.add(j)
            j = PARENTS[j]
    return tuple(sorted(needed))
