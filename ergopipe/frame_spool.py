"""The annotated video's source pictures, kept on disk by the pose processes so the video is not decoded twice.

The annotated video needs every source frame scaled to its output size, which is the size the pose
processes already scale to for MediaPipe (ergopipe.pose.POSE_INPUT_MAX_SIDE_PX == overlay.MAX_SIDE_PX).
Decoding and scaling a 1080x1920 H.264 frame a second time costs ~5 ms of CPU, ~40 % of the whole
annotated-video pass; writing the already scaled planar I420 picture to a file costs ~0.2 ms. The price is
disk: 0.78 MB a frame at 540x960, so the spool is capped (ERGO_FRAME_SPOOL_MB, and at most half the free
space of the temporary directory). Frames past the cap, or after anything that went wrong while spooling
(disk full, a failed segment), are decoded from the source as before: the spool only ever saves work.

Layout: per pose segment `k`, `video-k.i420` (raw pictures back to back, frame `first` onwards, no gaps)
and, written when the segment is done, `video-k.json` ({"first", "count", "width_px", "height_px",
"to_end"}); "to_end" says the spool holds every frame up to the end of the video, so nothing is left to
decode (the frame count in the container's header is not trusted for that).
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ergopipe.types import VideoInfo
from ergopipe.video import display_i420, iter_decoded, seek_points

log = logging.getLogger(__name__)

DEFAULT_SPOOL_MB = 4096  # ~5,000 frames at 540x960: 1.5 min at 60 fps, 3 min at 30 fps
FREE_DISK_SHARE = 0.5  # never take more than this share of the temporary directory's free space


def frame_bytes(size_px: tuple[int, int]) -> int:
    width, height = size_px
    return width * height * 3 // 2


def spool_frame_limit(
    info: VideoInfo, size_px: tuple[int, int], spool_dir: Path, budget_mb: float
) -> int | None:
    """Frames from the start of the video to spool: None for all of them, 0 for none."""
    if size_px[0] % 2 or size_px[1] % 2 or budget_mb <= 0:
        return 0
    free_bytes = shutil.disk_usage(spool_dir).free * FREE_DISK_SHARE
    frames = int(min(budget_mb * 2**20, free_bytes) // frame_bytes(size_px))
    # The header's frame count can be a little off: with room to spare, spool to the real end.
    return None if frames >= info.n_frames * 1.02 + 10 else frames


class FrameSpoolWriter:
    """Appends one segment's consecutive I420 pictures; stops quietly (and says so) if the disk fills."""

    def __init__(
        self, spool_dir: str | Path, segment: int, first: int, size_px: tuple[int, int], limit: int | None
    ) -> None:
        """Spool frames `first` .. `limit` - 1 (None: to the end) at display `size_px`."""
        self._data = Path(spool_dir) / f"video-{segment}.i420"
        self._index = Path(spool_dir) / f"video-{segment}.json"
        self.first, self.size_px, self.limit = first, size_px, limit
        self.count = 0
        self.to_end = False
        self._file = open(self._data, "wb")  # noqa: SIM115  (closed in close())
        self._failed = False

    def wants(self, frame_index: int) -> bool:
        """Whether the picture of `frame_index` is to be spooled (compute it only then)."""
        return not self._failed and (self.limit is None or frame_index < self.limit)

    def reached_end(self) -> None:
        """The segment decoded to the end of the video: with nothing missed, the spool is complete."""
        self.to_end = not self._failed and self.limit is None

    def add(self, frame_index: int, i420: np.ndarray | None) -> None:
        """Spool the picture of `frame_index`; the first gap (or a wrong shape) ends this segment's spool."""
        if not self.wants(frame_index):
            return
        width, height = self.size_px
        if (
            i420 is None
            or frame_index != self.first + self.count
            or i420.shape != (height * 3 // 2, width)
        ):
            self._failed = True
            return
        try:
            self._file.write(np.ascontiguousarray(i420).data)
        except OSError as exc:  # disk full: the video pass decodes the rest from the source
            log.warning("frame spool stopped at frame %d: %s", frame_index, exc)
            self._failed = True
            return
        self.count += 1

    def close(self) -> None:
        try:
            self._file.close()
        except OSError as exc:  # the last buffered pictures did not reach the disk
            log.warning("frame spool could not be flushed: %s", exc)
            self.count, self.to_end = 0, False
        width, height = self.size_px
        index = {"first": self.first, "count": self.count, "width_px": width, "height_px": height,
                 "to_end": self.to_end}
        try:
            self._index.write_text(json.dumps(index))
        except OSError as exc:
            log.warning("frame spool index not written: %s", exc)


def _spooled_runs(spool_dir: Path, size_px: tuple[int, int]) -> list[tuple[Path, int, int, bool]]:
    """(data file, first frame, usable count, to the end) of each finished segment spool, in frame order."""
    runs = []
    for index_path in Path(spool_dir).glob("video-*.json"):
        try:
            meta = json.loads(index_path.read_text())
        except (OSError, ValueError):
            continue
        data = index_path.with_suffix(".i420")
        if (meta.get("width_px"), meta.get("height_px")) != size_px or not data.is_file():
            continue
        count = min(int(meta["count"]), data.stat().st_size // frame_bytes(size_px))
        if count > 0:
            to_end = bool(meta.get("to_end")) and count == int(meta["count"])
            runs.append((data, int(meta["first"]), count, to_end))
    return sorted(runs, key=lambda run: run[1])


def iter_video_pictures(
    info: VideoInfo, spool_dir: Path | None, size_px: tuple[int, int]
) -> Iterator[tuple[int, np.ndarray]]:
    """(frame index, writable upright I420 picture at display `size_px`, even sides) of every source frame
    in order: from the spool while it covers the frames without a gap, then decoded from the source
    (seeking to the first frame missing)."""
    width, height = size_px
    if width % 2 or height % 2:
        raise ValueError(f"I420 pictures need even sides, got {width}x{height} (use video.fit_size_px)")
    next_index = 0
    if spool_dir is not None:
        nbytes = frame_bytes(size_px)
        for data, first, count, to_end in _spooled_runs(spool_dir, size_px):
            if first != next_index:
                break  # a gap: decode from here on
            with open(data, "rb") as f:
                for _ in range(count):
                    picture = np.empty((height * 3 // 2, width), np.uint8)
                    if f.readinto(picture) < nbytes:
                        break
                    yield next_index, picture
                    next_index += 1
            if next_index != first + count:
                break
            if to_end:
                return  # every frame came from the spool
    log.debug("video pass: %d frames from the spool, the rest decoded", next_index)
    seek = seek_points(info, [next_index])[0] if next_index else None
    for index, _, decoded in iter_decoded(info, start=next_index, seek=seek):
        yield index, display_i420(decoded, info, size_px)  # even sides: never None
