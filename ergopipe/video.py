"""Video I/O at the edge: probe, a streaming frame iterator that honours rotation metadata, an H.264 writer.

Frames are yielded one at a time as RGB uint8 arrays (height, width, 3) in display orientation; nothing
holds the whole video in memory.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator

import av
import numpy as np

from ergopipe.errors import VideoError
from ergopipe.types import VideoInfo

log = logging.getLogger(__name__)


def clockwise_rotation_deg(display_rotation_deg: float) -> int:
    """Clockwise rotation that shows a frame upright, from FFmpeg's display-matrix angle.

    FFmpeg (and PyAV's ``VideoFrame.rotation``) reports the display matrix angle counter-clockwise; a phone
    portrait clip typically reports -90, meaning "turn 90° clockwise to display" (ffmpeg's autorotate does
    the same negation).
    """
    return int(round(-float(display_rotation_deg) / 90.0)) % 4 * 90


def rotate_frame(rgb: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """Rotate an (h, w, 3) frame clockwise by 0/90/180/270 degrees."""
    k = (clockwise_deg // 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k=-k)) if k else rgb


def probe(path: str | Path) -> VideoInfo:
    """Read container metadata and the first frame. Raises VideoError with advice when it is not a video."""
    path = Path(path)
    if not path.is_file():
        raise VideoError(f"Video file not found: {path}. Check the path (or the Drive file ID) and try again.")
    size = path.stat().st_size
    if size == 0:
        raise VideoError(f"'{path.name}' is empty (0 bytes). Upload the complete video again.")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise VideoError(
                    f"'{path.name}' contains no video stream. Upload a video file (MP4, MOV, AVI, MKV)."
                )
            stream = container.streams.video[0]
            fps = float(stream.average_rate or stream.guessed_rate or 0)
            first = next(container.decode(stream), None)
            if first is None:
                raise VideoError(f"'{path.name}' has no decodable frames (0 frames). Re-export the video.")
            rotation = clockwise_rotation_deg(getattr(first, "rotation", 0) or 0)
            duration_s = _duration_s(container, stream)
            n_frames = int(stream.frames) if stream.frames else int(round(duration_s * fps))
            width, height = first.width, first.height
            codec = stream.codec_context.name
    except VideoError:
        raise
    except (av.error.FFmpegError, StopIteration, UnicodeDecodeError) as exc:
        raise VideoError(
            f"'{path.name}' is not a readable video ({type(exc).__name__}: {exc}). "
            "Upload an MP4/MOV/AVI recording; if it is one, the file may be corrupt or truncated."
        ) from exc
    if fps <= 0 or not np.isfinite(fps):
        raise VideoError(f"'{path.name}' reports no frame rate; re-export it as a normal MP4 (H.264).")
    if rotation in (90, 270):
        width, height = height, width
    return VideoInfo(
        path=str(path), width_px=width, height_px=height, fps=fps, n_frames=max(n_frames, 1),
        duration_s=duration_s, rotation_deg=rotation, codec=codec, size_bytes=size,
    )


def _duration_s(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000.0
    return 0.0


@dataclass(frozen=True)
class Frame:
    index: int  # 0-based decode order index in the source video
    time_s: float
    rgb: np.ndarray  # (h, w, 3) uint8, display orientation


def iter_frames(info: VideoInfo, *, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]:
    """Yield every `stride`-th frame with index in [start, stop), upright, as RGB.

    A truncated file ends the iteration early with a warning (the frames decoded so far are still valid);
    the caller compares the count with the expected one.
    """
    if stride < 1:
        raise ValueError("stride must be >= 1")
    index = -1
    with av.open(info.path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        try:
            for frame in container.decode(stream):
                index += 1
                if index < start or (index - start) % stride:
                    continue
                if stop is not None and index >= stop:
                    break
                t = float(frame.time) if frame.time is not None else index / info.fps
                rgb = rotate_frame(frame.to_ndarray(format="rgb24"), info.rotation_deg)
                yield Frame(index=index, time_s=t, rgb=rgb)
        except av.error.FFmpegError as exc:
            log.warning("decoding stopped at frame %d of %s: %s", index, os.path.basename(info.path), exc)


def stride_for(info: VideoInfo, analysis_fps: float | None) -> int:
    """Frame stride that analyses at about `analysis_fps` (None or >= source fps = every frame)."""
    if analysis_fps is None or analysis_fps >= info.fps:
        return 1
    return max(1, int(round(info.fps / analysis_fps)))


class H264Writer:
    """Streaming H.264 (yuv420p, +faststart) MP4 writer that browsers and Drive's preview play.

    Dimensions are rounded down to even numbers, as yuv420p requires.
    """

    def __init__(self, path: str | Path, *, width_px: int, height_px: int, fps: float, crf: int = 23,
                 preset: str = "veryfast") -> None:
        self.path = Path(path)
        self.width_px = width_px - width_px % 2
        self.height_px = height_px - height_px % 2
        self._container = av.open(str(self.path), mode="w", options={"movflags": "+faststart"})
        rate = Fraction(fps).limit_denominator(1001)
        self._stream = self._container.add_stream("libx264", rate=rate)
        self._stream.width = self.width_px
        self._stream.height = self.height_px
        self._stream.pix_fmt = "yuv420p"
        self._stream.options = {"crf": str(crf), "preset": preset}
        self.frames_written = 0

    def write(self, rgb: np.ndarray) -> None:
        rgb = rgb[: self.height_px, : self.width_px]
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames_written += 1

    def close(self) -> None:
        for packet in self._stream.encode():
            self._container.mux(packet)
        self._container.close()

    def __enter__(self) -> "H264Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
