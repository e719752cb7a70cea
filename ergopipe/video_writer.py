"""Streaming H.264 writer (the annotated video and generated test clips).

Kept apart from the decoder side (ergopipe/video.py) because it owns a thread and an encoder; importable
from ergopipe.video as before.
"""

from __future__ import annotations

import queue
import threading
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from ergopipe.errors import VideoError


class H264Writer:
    """Streaming H.264 (yuv420p, +faststart) MP4 writer that browsers and Drive's preview play.

    Dimensions are rounded down to even numbers, as yuv420p requires. RGB frames are converted with OpenCV
    (BT.601 limited range, what swscale does by default, at a quarter of its cost). With `background=True`
    the encoder runs in its own thread behind a short queue, so drawing the next frame overlaps encoding
    this one (PyAV releases the GIL while encoding); errors surface on the next write or on close.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        width_px: int,
        height_px: int,
        fps: float,
        crf: int = 23,
        preset: str = "veryfast",
        x264_params: str | None = None,
        background: bool = False,
        queue_frames: int = 4,
    ) -> None:
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
        if x264_params:  # applied after the preset: switches single tools back on or off
            self._stream.options = {**self._stream.options, "x264-params": x264_params}
        self.frames_written = 0
        self._queue: queue.Queue[np.ndarray | None] | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._closed = False
        if background:
            self._queue = queue.Queue(maxsize=queue_frames)
            self._thread = threading.Thread(target=self._drain, name="h264-writer", daemon=True)
            self._thread.start()

    def write(self, rgb: np.ndarray) -> None:
        """Queue (or encode) one (h, w, 3) uint8 RGB frame; larger frames are cropped to the even size."""
        self._raise_if_failed()
        rgb = np.ascontiguousarray(rgb[: self.height_px, : self.width_px])
        self.write_i420(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420))  # (h * 3 / 2, w) planar

    def write_i420(self, i420: np.ndarray) -> None:
        """Queue (or encode) one planar (h * 3/2, w) I420 picture of exactly the writer's size. With a
        background encoder the array is encoded later: the caller must not change it afterwards."""
        self._raise_if_failed()
        if i420.shape != (self.height_px * 3 // 2, self.width_px):
            raise ValueError(f"I420 picture of shape {i420.shape}, expected "
                             f"{(self.height_px * 3 // 2, self.width_px)}")
        if self._queue is None:
            self._encode(i420)
        else:
            self._queue.put(i420)
        self.frames_written += 1

    def _encode(self, yuv: np.ndarray | None) -> None:
        frame = None if yuv is None else av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def _drain(self) -> None:
        assert self._queue is not None
        while True:
            yuv = self._queue.get()
            if yuv is None:
                return
            if self._error is None:  # after a failure keep emptying the queue so write() never blocks
                try:
                    self._encode(yuv)
                except BaseException as exc:  # re-raised in the caller's thread  # noqa: BLE001
                    self._error = exc

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise VideoError(
                f"Writing the annotated video {self.path.name} failed: {self._error}"
            ) from self._error

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._thread is not None and self._queue is not None:
                self._queue.put(None)
                self._thread.join()
            self._raise_if_failed()
            self._encode(None)  # flush the encoder's delayed frames
        finally:
            self._container.close()

    def __enter__(self) -> H264Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
