"""Synthetic inputs for the report tests: a scored angle table with known shape, a small H.264 video whose
frame k is painted with a colour that encodes k, and the pipeline's summary built the way pipeline.py does."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from ergopipe import methods, video
from ergopipe.columns import ALL_COLUMNS
from ergopipe.pipeline import add_source_frames
from ergopipe.types import AngleTable, PoseSequence, VideoInfo, VideoScores

SOURCE_FPS = 30
N_SOURCE = 90  # 3 s
STRIDE = 3  # analysed at 10 fps: 30 rows
W_PX, H_PX = 96, 160  # portrait, like a phone video


def frame_colour(k: int) -> tuple[int, int, int]:
    """A colour that tells frame k apart from its neighbours after H.264 (steps of 40 levels)."""
    return (40 * (k % 6) + 20, 40 * ((k // 6) % 6) + 20, 40 * ((k // 36) % 6) + 20)


def write_colour_video(path: Path, *, gop: int = 10) -> None:
    """N_SOURCE frames, each one flat colour, with a key frame every `gop` frames (so seeking matters)."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(SOURCE_FPS))
        stream.width, stream.height, stream.pix_fmt = W_PX, H_PX, "yuv420p"
        stream.gop_size = gop
        stream.options = {
            "crf": "10",
            "preset": "veryfast",
            "keyint": str(gop),
            "min-keyint": str(gop),
            "scenecut": "0",
        }
        for k in range(N_SOURCE):
            rgb = np.empty((H_PX, W_PX, 3), np.uint8)
            rgb[:] = frame_colour(k)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def synthetic_columns(n: int, time_s: np.ndarray) -> dict[str, np.ndarray]:
    """Angles that sweep through the zones: trunk 0..80° and back, arms raised in the middle."""
    cols = {name: np.zeros(n) for name in ALL_COLUMNS}
    phase = np.sin(np.pi * time_s / time_s[-1])
    cols["trunk_flexion_deg"] = 80.0 * phase
    cols["neck_flexion_deg"] = 30.0 * phase - 5.0
    for side in ("left", "right"):
        cols[f"{side}_upper_arm_flexion_deg"] = 100.0 * phase**2 - (10.0 if side == "left" else 0.0)
        cols[f"{side}_elbow_flexion_deg"] = np.full(n, 80.0)
        cols[f"{side}_knee_flexion_deg"] = 10.0 * phase
    cols["bilateral_weight_bearing"] = np.ones(n)
    cols["right_wrist_flexion_deg"][n // 2 :] = np.nan  # not measurable for a while: coverage < 100 %
    return cols


@dataclass(frozen=True)
class Case:
    info: VideoInfo
    table: AngleTable
    scores: VideoScores
    pose: PoseSequence
    summary: dict[str, Any]
    provenance: dict[str, Any]
    warnings: list[str]


@pytest.fixture(scope="session")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("report_case")
    path = root / "worker.mp4"
    write_colour_video(path)
    info = video.probe(path)
    frame_index = np.arange(0, N_SOURCE, STRIDE)
    time_s = frame_index / SOURCE_FPS
    n = frame_index.size
    cols = synthetic_columns(n, time_s)
    table = AngleTable(
        time_s=time_s,
        frame_index=frame_index,
        detected=np.ones(n, bool),
        columns=cols,
        sources={c: "keypoints" for c in cols},
    )
    scores = add_source_frames(methods.score_video(table.columns, table.time_s), table.frame_index)
    head = np.full((n, 33, 2), np.nan)
    head[:, :11] = [W_PX / 2, 25.0]
    head[:, :11, 0] += np.linspace(-8, 8, 11)
    head[:, :11, 1] += np.linspace(-6, 6, 11)
    pose = PoseSequence(
        frame_index=frame_index,
        time_s=time_s,
        world_xyz_m=np.zeros((n, 33, 3)),
        image_xy_px=head,
        visibility=np.ones((n, 33)),
        detected=np.ones(n, bool),
        source_fps=SOURCE_FPS,
        analysis_fps=SOURCE_FPS / STRIDE,
        model="synthetic",
        frame_size_px=(W_PX, H_PX),
    )
    summary = {
        "video": {
            "name": path.name,
            "duration_s": info.duration_s,
            "fps": info.fps,
            "width_px": W_PX,
            "height_px": H_PX,
            "rotation_deg": 0,
            "frames_analysed": n,
            "analysis_fps": 10.0,
            "detected_pct": 100.0,
        },
        **scores.summary,
        "gravity": {"camera_pitch_deg": 0.0, "camera_roll_deg": 0.0, "confidence": 0.0, "source": "none"},
        "angle_sources": dict(table.sources),
    }
    provenance = {
        "software": "ergopipe test",
        "pose_model": "synthetic",
        "source_file": path.name,
        "job_id": "t1",
        "options": {
            "methods": ["reba", "rula", "owas"],
            "analysis_fps": 10.0,
            "language": "cs",
            "face_blur": True,
            "task": {},
            "rules": {},
        },
    }
    warnings = [
        (
            "camera tilt not corrected: 0 upright frames, confidence 0.00; declare camera_pitch_deg or "
            "include a few seconds of upright standing"
        ),
        "left/right labels swapped back in 3 frames",
    ]
    return Case(info, table, scores, pose, summary, provenance, warnings)
