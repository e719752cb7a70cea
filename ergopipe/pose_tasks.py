"""Multi-person pose with MediaPipe's Tasks API (PoseLandmarker, a `.task` model such as the heavy one)
-> the PoseSequence of ONE chosen person.

The Tasks API in VIDEO mode needs strictly increasing timestamps and carries state from frame to frame, so
the whole video runs in one process (no segment parallelism as in ergopipe.pose). All people's landmarks
are kept (float32, ~0.8 kB per person-frame) until the tracks are known; then ergopipe.person_select picks
the worker and only that person's landmarks are returned. MediaPipe is imported inside the function.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ergopipe import person_select as ps
from ergopipe.errors import ErgoError
from ergopipe.landmarks import N_LANDMARKS
from ergopipe.pose import input_size_px
from ergopipe.spool import SpoolWriter, closing_spool
from ergopipe.types import PoseSequence, VideoInfo
from ergopipe.video import iter_frames

log = logging.getLogger(__name__)

MAX_GAP_S = 0.5  # a track unseen for up to this long continues normally; longer = left and re-entered


Person = tuple[np.ndarray, np.ndarray, np.ndarray]  # world (33, 3) m, image (33, 2) px, visibility (33,)


class PoseModelError(ErgoError):
    """The configured `.task` pose model file is missing or not a pose landmarker bundle."""

    code = "pose_model_unavailable"


def model_name(model_path: Path) -> str:
    from importlib.metadata import version

    return f"mediapipe-{version('mediapipe')}/{Path(model_path).name} (Tasks API, multi-person)"


def _landmarker(model_path: Path, max_people: int):
    from mediapipe.tasks.python import BaseOptions, vision  # heavy: only when this estimator runs

    if not Path(model_path).is_file():
        raise PoseModelError(
            f"Pose model file not found: {model_path}. Set POSE_MODEL_PATH to a MediaPipe pose landmarker "
            "`.task` file (e.g. pose_landmarker_heavy.task, see docs/pose_models.md) or unset it to use the "
            "bundled full model.")
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)),
        running_mode=vision.RunningMode.VIDEO, num_poses=max_people,
        min_pose_detection_confidence=0.5, min_pose_presence_confidence=0.5, min_tracking_confidence=0.5)
    try:
        return vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as exc:
        raise PoseModelError(f"{model_path} is not a usable MediaPipe pose landmarker model ({exc}). "
                             "Point POSE_MODEL_PATH at a pose_landmarker_*.task file.") from exc


def _people(result, width_px: int, height_px: int) -> list[Person]:
    """(world (33, 3) m, image (33, 2) px, visibility (33,)) per person in one Tasks API result."""
    out = []
    for image_lms, world_lms in zip(result.pose_landmarks, result.pose_world_landmarks):
        image = np.array([[p.x * width_px, p.y * height_px] for p in image_lms], dtype=np.float32)
        world = np.array([[p.x, p.y, p.z] for p in world_lms], dtype=np.float32)
        vis = np.array([p.visibility if p.visibility is not None else 0.0 for p in image_lms],
                       dtype=np.float32)
        out.append((world, image, vis))
    return out


@dataclass(frozen=True)
class PeopleFrames:
    """Everyone the model saw, per analysed frame (before tracking and choosing)."""

    frame_index: list[int]
    time_s: list[float]
    people: list[list[Person]]
    model: str


def estimate_tasks(info: VideoInfo, *, model_path: Path, stride: int = 1, person: str = "auto",
                   max_people: int = 4, on_progress: Callable[[float], None] | None = None,
                   spool_dir: Path | None = None) -> PoseSequence:
    """Pose of the analysed worker in every `stride`-th frame, from a multi-person `.task` model.

    person: "auto" | "largest" | "central" | "longest" (ergopipe.person_select.choose_person). Frames where
    the chosen person is not seen have detected False, NaN landmarks and zero visibility. `notes` says how
    many people were seen and why this one was chosen.
    """
    if person not in ps.MODES:
        raise ValueError(f"person must be one of {', '.join(ps.MODES)}, not {person!r}")
    if max_people < 1 or stride < 1:
        raise ValueError(f"max_people and stride must be >= 1, got {max_people} and {stride}")
    seen = detect_people(info, model_path=model_path, stride=stride, max_people=max_people,
                         on_progress=on_progress, spool_dir=spool_dir)
    return select_person(info, seen, stride=stride, person=person)


def detect_people(info: VideoInfo, *, model_path: Path, stride: int = 1, max_people: int = 4,
                  on_progress: Callable[[float], None] | None = None,
                  spool_dir: Path | None = None) -> PeopleFrames:
    """Run the `.task` model in VIDEO mode over every `stride`-th frame; keep everyone it returns (and a
    small picture of each frame in `spool_dir`, ergopipe.spool, for the report)."""
    import mediapipe as mp

    out = PeopleFrames([], [], [], model_name(model_path))
    n_expected = max(1, -(-info.n_frames // stride))
    last_ms = -1
    spool = SpoolWriter(spool_dir, 0) if spool_dir is not None else None
    with _landmarker(Path(model_path), max_people) as landmarker, closing_spool(spool):
        for frame in iter_frames(info, stride=stride, size_px=input_size_px(info)):
            # VIDEO mode rejects non-increasing timestamps; some containers repeat or round them.
            stamp_ms = max(int(round(frame.time_s * 1000.0)), last_ms + 1)
            last_ms = stamp_ms
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame.rgb))
            result = landmarker.detect_for_video(image, stamp_ms)
            out.frame_index.append(frame.index)
            out.time_s.append(frame.time_s)
            out.people.append(_people(result, info.width_px, info.height_px))
            if spool is not None:
                spool.add(frame.index, frame.rgb)
            if on_progress and len(out.frame_index) % 25 == 0:
                on_progress(min(len(out.frame_index) / n_expected, 1.0))
    if on_progress:
        on_progress(1.0)
    return out


def select_person(info: VideoInfo, seen: PeopleFrames, *, stride: int = 1, person: str = "auto"
                  ) -> PoseSequence:
    """Suppress duplicates, track identities, choose the worker, and return only their landmarks."""
    size_px = (info.width_px, info.height_px)
    kept = []
    for found in seen.people:
        dets = [ps.detection_from_landmarks(image, vis) for _, image, vis in found]
        keep = ps.suppress_duplicates(dets)
        kept.append(([found[i] for i in keep], [dets[i] for i in keep]))
    frames = [dets for _, dets in kept]
    analysis_fps = info.fps / stride
    max_gap_frames = max(1, int(round(MAX_GAP_S * analysis_fps)))
    params = ps.TrackingParams(max_gap_frames=max_gap_frames, frame_size_px=size_px)
    labels = ps.track_people(frames, params)
    choice = ps.choose_person(ps.summarise_tracks(frames, labels, size_px), person)
    n = len(seen.frame_index)
    world = np.full((n, N_LANDMARKS, 3), np.nan)
    image = np.full((n, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n, N_LANDMARKS))
    detected = np.zeros(n, dtype=bool)
    for t, ((found, _), ids) in enumerate(zip(kept, labels)):
        for (w, im, v), tid in zip(found, ids):
            if tid == choice.track_id:
                world[t], image[t], vis[t], detected[t] = w, im, v, True
    log.info("pose (tasks): %d frames, %s", n, choice.reason)
    return PoseSequence(
        frame_index=np.asarray(seen.frame_index, dtype=np.int64), time_s=np.asarray(seen.time_s, dtype=float),
        world_xyz_m=world, image_xy_px=image, visibility=vis, detected=detected, source_fps=info.fps,
        analysis_fps=analysis_fps, model=seen.model, frame_size_px=size_px, notes=(choice.reason,),
    )
