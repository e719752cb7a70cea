"""MediaPipe Pose landmark indices (33-point BlazePose topology) and the skeleton drawn in overlays."""

NOSE = 0
LEFT_EYE_INNER, LEFT_EYE, LEFT_EYE_OUTER = 1, 2, 3
RIGHT_EYE_INNER, RIGHT_EYE, RIGHT_EYE_OUTER = 4, 5, 6
LEFT_EAR, RIGHT_EAR = 7, 8
MOUTH_LEFT, MOUTH_RIGHT = 9, 10
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_ELBOW, RIGHT_ELBOW = 13, 14
LEFT_WRIST, RIGHT_WRIST = 15, 16
LEFT_PINKY, RIGHT_PINKY = 17, 18
LEFT_INDEX, RIGHT_INDEX = 19, 20
LEFT_THUMB, RIGHT_THUMB = 21, 22
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX = 31, 32
N_LANDMARKS = 33

# The person's own left/right (MediaPipe labels landmarks from the subject's point of view).
SIDES = ("left", "right")

# Landmark index per side and joint name, so side-generic code never hard-codes an index.
SIDE_INDEX: dict[str, dict[str, int]] = {
    side: {
        "shoulder": 11 + o, "elbow": 13 + o, "wrist": 15 + o, "pinky": 17 + o, "index": 19 + o,
        "thumb": 21 + o, "hip": 23 + o, "knee": 25 + o, "ankle": 27 + o, "heel": 29 + o,
        "foot_index": 31 + o, "ear": 7 + o, "eye": 2 + 3 * o,
    }
    for side, o in (("left", 0), ("right", 1))
}

# Index pairs swapped when the person's left and right are exchanged (mirror / side-swap fix).
LEFT_RIGHT_PAIRS = [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10)] + [(i, i + 1) for i in range(11, 33, 2)]

# Segments drawn in the annotated video: (from, to, body part whose score colours it).
SEGMENTS: list[tuple[int, int, str]] = [
    (11, 12, "trunk"), (23, 24, "trunk"), (11, 23, "trunk"), (12, 24, "trunk"),
    (11, 13, "left_upper_arm"), (13, 15, "left_lower_arm"), (15, 19, "left_wrist"), (15, 17, "left_wrist"),
    (12, 14, "right_upper_arm"), (14, 16, "right_lower_arm"), (16, 20, "right_wrist"), (16, 18, "right_wrist"),
    (23, 25, "legs"), (25, 27, "legs"), (24, 26, "legs"), (26, 28, "legs"),
    (27, 31, "legs"), (28, 32, "legs"),
]
