"""Immutable types at the stage boundaries of the pipeline.

video.probe -> VideoInfo
pose.estimate -> PoseSequence          (raw MediaPipe output, camera frame)
clean.clean_pose -> CleanPose          (gated, gap-filled, smoothed, gravity frame)
angles.compute_angles -> AngleTable    (per-frame joint angles and posture flags, NaN = not measurable)
methods.score_video -> VideoScores     (per-frame part/final scores per side, summary, exposure)

Arrays are numpy; shapes are given as (n,) = one value per analysed frame, (n, 33, 3) = landmarks.
Missing data is NaN, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np


@dataclass(frozen=True)
class VideoInfo:
    path: str
    width_px: int  # as displayed, i.e. after applying rotation metadata
    height_px: int
    fps: float
    n_frames: int  # best estimate before decoding (container metadata or duration * fps)
    duration_s: float
    rotation_deg: int  # clockwise rotation applied to decoded frames (phone videos: 0/90/180/270)
    codec: str
    size_bytes: int


@dataclass(frozen=True)
class PoseSequence:
    """Raw pose estimator output for the analysed frames.

    world_xyz_m: (n, 33, 3) MediaPipe world landmarks in metres, origin between the hips, camera-aligned
        axes as MediaPipe gives them (x to image right, y down, z away from the camera). NaN if no person.
    image_xy_px: (n, 33, 2) landmark positions in the displayed (rotation-corrected) frame, pixels.
    visibility: (n, 33) MediaPipe visibility in [0, 1]; 0 where no person.
    """

    frame_index: np.ndarray  # (n,) int, index of the frame in the source video
    time_s: np.ndarray  # (n,) float, presentation time
    world_xyz_m: np.ndarray
    image_xy_px: np.ndarray
    visibility: np.ndarray
    detected: np.ndarray  # (n,) bool
    source_fps: float
    analysis_fps: float
    model: str  # e.g. "mediapipe-0.10.21/pose_landmark_full"
    frame_size_px: tuple[int, int]  # (width, height) as displayed
    notes: tuple[str, ...] = ()

    @property
    def n_frames(self) -> int:
        return int(self.time_s.shape[0])


@dataclass(frozen=True)
class CleanPose:
    """Pose after cleaning, in the gravity frame.

    xyz_m: (n, 33, 3) metres; x = horizontal (camera right projected on the floor plane), y = up (against
        gravity), z = horizontal toward the camera. NaN where a landmark is not trustworthy.
    """

    time_s: np.ndarray
    frame_index: np.ndarray
    xyz_m: np.ndarray
    landmark_ok: np.ndarray  # (n, 33) bool, landmark measured (or short-gap filled) with enough visibility
    detected: np.ndarray  # (n,) bool
    camera_pitch_deg: float  # estimated or declared camera pitch that was removed
    camera_roll_deg: float
    gravity_confidence: float  # 0..1, how sure the pitch/roll estimate is
    gravity_source: str  # "estimated", "declared" or "none"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AngleTable:
    """Per-frame joint angles (degrees) and posture flags (1.0 / 0.0), NaN = not measurable.

    Column names are the public contract of `<stem>_frames.csv` (see ergopipe.columns).
    """

    time_s: np.ndarray
    frame_index: np.ndarray
    detected: np.ndarray
    columns: Mapping[str, np.ndarray]
    confidence: Mapping[str, np.ndarray] = field(default_factory=dict)  # same keys, 0..1 per frame
    sources: Mapping[str, str] = field(default_factory=dict)  # column -> "keypoints" | "smplx" | ...


@dataclass(frozen=True)
class VideoScores:
    """Scores for every analysed frame plus the video summary.

    frames: column -> (n,) array; at least reba_score, rula_score (worse side), per-side and per-part
        scores. NaN where not scorable.
    summary: JSON-ready mapping, one entry per method plus "exposure" and "coverage".
    """

    frames: Mapping[str, np.ndarray]
    summary: Mapping[str, Any]
