"""Video I/O at the edge: probe, a streaming frame iterator that honours rotation metadata (the H.264
writer lives in ergopipe/video_writer.py and is re-exported here).

Frames are yielded one at a time as RGB uint8 arrays (height, width, 3) in display orientation; nothing
holds the whole video in memory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from ergopipe.errors import VideoError
from ergopipe.types import VideoInfo
from ergopipe.video_writer import H264Writer  # noqa: F401  (re-exported: callers use video.H264Writer)

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
        raise VideoError(
            f"Video file not found: {path}. Check the path (or the Drive file ID) and try again."
        )
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
        path=str(path),
        width_px=width,
        height_px=height,
        fps=fps,
        n_frames=max(n_frames, 1),
        duration_s=duration_s,
        rotation_deg=rotation,
        codec=codec,
        size_bytes=size,
    )


def _duration_s(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000.0
    return 0.0


@dataclass(frozen=True)
class Frame:
    index: int  # 0-based presentation-order index in the source video
    time_s: float
    rgb: np.ndarray  # (h, w, 3) uint8, display orientation (scaled when iter_frames got size_px)


@dataclass(frozen=True)
class SeekPoint:
    """A keyframe to start decoding from: its presentation timestamp (stream time base) and frame index."""

    pts: int
    index: int


def keyframes(info: VideoInfo, up_to_index: int) -> list[SeekPoint] | None:
    """Every keyframe presented at or before about `up_to_index` (None: no timestamps to seek by).

    Reads packets without decoding them (cheap), up to a little past `up_to_index`. The frame index of a
    keyframe is the number of packets presented before it, which holds for B-frame reordering too.
    """
    pts_of_keyframes: list[int] = []
    all_pts: list[int] = []
    with av.open(info.path) as container:
        stream = container.streams.video[0]
        for packet in container.demux(stream):
            if packet.size == 0:
                continue
            if packet.pts is None:
                return None
            all_pts.append(packet.pts)
            if packet.is_keyframe:
                pts_of_keyframes.append(packet.pts)
            if len(all_pts) > up_to_index + 64:  # well past any B-frame reordering window
                break
    ordered = np.sort(np.asarray(all_pts, dtype=np.int64))
    kf_index = np.searchsorted(ordered, np.asarray(pts_of_keyframes, dtype=np.int64))  # frames before
    return [SeekPoint(pts=int(p), index=int(i)) for i, p in zip(kf_index, pts_of_keyframes)]


def seek_point_for(points: list[SeekPoint] | None, index: int) -> SeekPoint | None:
    """The last keyframe at or before frame `index` (None: decode from the start)."""
    best = max((p for p in points or [] if p.index <= index), key=lambda p: (p.index, p.pts), default=None)
    return best if best is not None and best.index > 0 else None


def seek_points(info: VideoInfo, indices: list[int]) -> list[SeekPoint | None]:
    """For each frame index, the last keyframe at or before it (None: decode from the start)."""
    points = keyframes(info, max(indices, default=0))
    return [seek_point_for(points, target) for target in indices]


def fit_size_px(info: VideoInfo, max_side_px: int) -> tuple[int, int]:
    """Display (width, height) with the longest side at most `max_side_px`, both even (yuv420p)."""
    scale = min(1.0, max_side_px / max(info.width_px, info.height_px))
    return int(info.width_px * scale) // 2 * 2, int(info.height_px * scale) // 2 * 2


def _display_size(info: VideoInfo, size_px: tuple[int, int] | None) -> tuple[int, int] | None:
    """Output (width, height) before rotation, from the wanted display (width, height)."""
    if size_px is None or size_px == (info.width_px, info.height_px):
        return None
    return (size_px[1], size_px[0]) if info.rotation_deg in (90, 270) else size_px


def _plane(frame: av.VideoFrame, k: int, width: int, height: int) -> np.ndarray:
    plane = frame.planes[k]
    return np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:height, :width]


def scaled_i420(frame: av.VideoFrame, width_px: int, height_px: int) -> np.ndarray:
    """Downscale a decoded frame to planar I420, shape (height_px * 3 / 2, width_px): area-average each plane.

    Scaling the planes before any colour conversion is about half the cost of swscale's combined path, and
    the area filter avoids the aliasing of bilinear sampling. Sizes must be even (yuv420p output).
    """
    if frame.format.name != "yuv420p":
        frame = frame.reformat(format="yuv420p")
    w, h = frame.width, frame.height
    cw, ch = (w + 1) // 2, (h + 1) // 2
    out = np.empty((height_px * 3 // 2, width_px), np.uint8)
    cv2.resize(
        _plane(frame, 0, w, h), (width_px, height_px), dst=out[:height_px], interpolation=cv2.INTER_AREA
    )
    chroma = out[height_px:].reshape(2, height_px // 2, width_px // 2)
    for k in (1, 2):
        cv2.resize(
            _plane(frame, k, cw, ch),
            (width_px // 2, height_px // 2),
            dst=chroma[k - 1],
            interpolation=cv2.INTER_AREA,
        )
    return out


def scaled_rgb(frame: av.VideoFrame, width_px: int, height_px: int) -> np.ndarray:
    """Downscale a decoded frame to (height_px, width_px, 3) RGB (scaled_i420, then one conversion)."""
    return i420_to_rgb(scaled_i420(frame, width_px, height_px))


def i420_to_rgb(i420: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(i420, cv2.COLOR_YUV2RGB_I420)


def rotate_i420(i420: np.ndarray, clockwise_deg: int) -> np.ndarray:
    """Rotate a planar I420 picture clockwise by 0/90/180/270 degrees (each plane turned on its own)."""
    k = (clockwise_deg // 90) % 4
    if not k:
        return i420
    h = i420.shape[0] * 2 // 3
    w = i420.shape[1]
    y = np.rot90(i420[:h], k=-k)
    u, v = (np.rot90(p, k=-k) for p in i420[h:].reshape(2, h // 2, w // 2))
    out_h, out_w = y.shape
    out = np.empty((out_h * 3 // 2, out_w), np.uint8)
    out[:out_h] = y
    chroma = out[out_h:].reshape(2, out_h // 2, out_w // 2)
    chroma[0], chroma[1] = u, v
    return out


def display_rgb(frame: av.VideoFrame, info: VideoInfo, size_px: tuple[int, int] | None) -> np.ndarray:
    """A decoded frame as upright RGB at `size_px` (display width, height; None: the source size)."""
    scaled = _display_size(info, size_px)
    rgb = scaled_rgb(frame, *scaled) if scaled else frame.to_ndarray(format="rgb24")
    return rotate_frame(rgb, info.rotation_deg)


def display_i420(frame: av.VideoFrame, info: VideoInfo, size_px: tuple[int, int] | None) -> np.ndarray | None:
    """A decoded frame as upright planar I420 at `size_px` (None: source size); None if a side is odd."""
    scaled = _display_size(info, size_px)
    if scaled:
        i420 = scaled_i420(frame, *scaled)
    elif frame.width % 2 or frame.height % 2:
        return None  # I420 needs even sides; callers decode such frames again instead
    else:
        yuv = frame if frame.format.name == "yuv420p" else frame.reformat(format="yuv420p")
        i420 = np.vstack([_plane(yuv, 0, yuv.width, yuv.height),
                          _plane(yuv, 1, yuv.width // 2, yuv.height // 2).reshape(-1, yuv.width),
                          _plane(yuv, 2, yuv.width // 2, yuv.height // 2).reshape(-1, yuv.width)])
    return rotate_i420(i420, info.rotation_deg)


def iter_decoded(
    info: VideoInfo, *, start: int = 0, stop: int | None = None, seek: SeekPoint | None = None
) -> Iterator[tuple[int, float, av.VideoFrame]]:
    """Yield (frame index, time s, decoded frame) for every frame with index in [start, stop).

    `seek` (from `seek_points`, at or before `start`) jumps to a keyframe instead of decoding from frame 0.
    A truncated file ends the iteration early with a warning (the frames decoded so far are still valid);
    the caller compares the count with the expected one.
    """
    if seek is not None and seek.index > start:
        raise ValueError("the seek point must be at or before start")
    index = -1
    with av.open(info.path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if seek is not None:
            container.seek(seek.pts, stream=stream, backward=True, any_frame=False)
        try:
            for frame in container.decode(stream):
                if seek is not None:
                    if frame.pts is not None and frame.pts < seek.pts:
                        continue  # leading pictures of an open GOP: presented before the keyframe
                    if index < 0:
                        if frame.pts != seek.pts:  # the container did not land where its index said
                            log.warning("seek to frame %d missed; decoding from the start", seek.index)
                            yield from iter_decoded(info, start=start, stop=stop)
                            return
                        index = seek.index - 1
                index += 1
                if index < start:
                    continue
                if stop is not None and index >= stop:
                    break
                yield index, (float(frame.time) if frame.time is not None else index / info.fps), frame
        except av.error.FFmpegError as exc:
            log.warning("decoding stopped at frame %d of %s: %s", index, os.path.basename(info.path), exc)


def iter_frames(
    info: VideoInfo,
    *,
    stride: int = 1,
    start: int = 0,
    stop: int | None = None,
    size_px: tuple[int, int] | None = None,
    seek: SeekPoint | None = None,
) -> Iterator[Frame]:
    """Yield every `stride`-th frame with index in [start, stop), upright, as RGB.

    `size_px` (display width, height; even numbers) scales each frame while decoding; `seek` as in
    `iter_decoded`.
    """
    if stride < 1:
        raise ValueError("stride must be >= 1")
    for index, time_s, frame in iter_decoded(info, start=start, stop=stop, seek=seek):
        if (index - start) % stride == 0:
            yield Frame(index=index, time_s=time_s, rgb=display_rgb(frame, info, size_px))


def stride_for(info: VideoInfo, analysis_fps: float | None) -> int:
    """Frame stride that analyses at about `analysis_fps` (None or >= source fps = every frame)."""
    if analysis_fps is None or analysis_fps >= info.fps:
        return 1
    return max(1, int(round(info.fps / analysis_fps)))
