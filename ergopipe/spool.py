"""Small pictures of every analysed frame, kept on disk by the pose processes for the report.

The report shows the worst moments, which are known only after scoring. Decoding them again later costs a
decode from the preceding keyframe each (seconds per picture on long-GOP phone video); the pose processes
have every frame decoded already, so they write a 240 px JPEG of each analysed frame (~0.3 ms, ~10 KB) into
a spool directory, and the report reads the few it needs. Disk, not memory: a 10-minute 30 fps video
spools ~180 MB in the job's temporary directory, which is removed with it. The pictures are not
face-blurred here (the report does that when it uses one), so the spool never leaves the job's temp dir.

Layout: per pose segment `k`, `frames-k.jpg` (JPEGs back to back) and `frames-k.npy` ((n, 3) int64 rows:
source frame index, byte offset, byte length), the index written after the data when the segment is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:
    from ergopipe.frame_spool import FrameSpoolWriter


SPOOL_MAX_SIDE_PX = 240  # the workbook shows pictures in a 112 x 150 px box
JPEG_QUALITY = 90  # the report re-encodes after blurring the face


class SpoolWriter:
    """Appends one JPEG per frame to a segment's spool file; `close` writes the index."""

    def __init__(self, spool_dir: str | Path, segment: int) -> None:
        self._data = Path(spool_dir) / f"frames-{segment}.jpg"
        self._index_path = Path(spool_dir) / f"frames-{segment}.npy"
        self._file = open(self._data, "wb")  # noqa: SIM115  (closed in close())
        self._rows: list[tuple[int, int, int]] = []

    def add(self, frame_index: int, rgb: np.ndarray) -> None:
        h, w = rgb.shape[:2]
        k = min(1.0, SPOOL_MAX_SIDE_PX / max(h, w))
        small = cv2.resize(rgb, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
        ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:  # pictures are an extra: the report decodes this frame from the video instead
            return
        offset = self._file.tell()
        self._file.write(jpeg.tobytes())
        self._rows.append((frame_index, offset, int(jpeg.size)))

    def close(self) -> None:
        self._file.close()
        np.save(self._index_path, np.asarray(self._rows, dtype=np.int64).reshape(-1, 3))


@contextmanager
def closing_spool(writer: SpoolWriter | FrameSpoolWriter | None) -> Iterator[None]:
    """Close `writer` (if any) however the block ends: a segment that fails still leaves a valid index."""
    try:
        yield
    finally:
        if writer is not None:
            writer.close()


def read_spooled(spool_dir: str | Path | None, frame_indices: list[int]) -> dict[int, np.ndarray]:
    """frame_index -> RGB picture (longest side SPOOL_MAX_SIDE_PX) for the wanted frames found in the spool."""
    if spool_dir is None:
        return {}
    wanted = set(frame_indices)
    found: dict[int, np.ndarray] = {}
    for index_path in sorted(Path(spool_dir).glob("frames-*.npy")):
        rows = np.load(index_path)
        hits = [row for row in rows if int(row[0]) in wanted and int(row[0]) not in found]
        if not hits:
            continue
        with open(index_path.with_suffix(".jpg"), "rb") as f:
            for frame_index, offset, length in hits:
                f.seek(int(offset))
                buf = np.frombuffer(f.read(int(length)), np.uint8)
                bgr = cv2.imdecode(buf, cv2.IMREAD_COLOR)
                if bgr is not None:
                    found[int(frame_index)] = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return found
