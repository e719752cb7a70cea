"""Per-frame pose results written into preallocated arrays, grown by doubling when the estimate was short."""

from __future__ import annotations

import numpy as np

from ergopipe.landmarks import N_LANDMARKS


class FrameArrays:
    """Per-frame results written into preallocated arrays (doubled if the frame count estimate was short).

    A list of small arrays per frame costs ~30 % extra memory and a full copy when stacked at the end;
    this keeps a segment's memory at the size of its numbers.
    """

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.data = self._empty(max(16, capacity))

    @staticmethod
    def _empty(cap: int) -> dict[str, np.ndarray]:
        return {
            "frame_index": np.zeros(cap, np.int64),
            "time_s": np.zeros(cap),
            "world_xyz_m": np.full((cap, N_LANDMARKS, 3), np.nan),
            "image_xy_px": np.full((cap, N_LANDMARKS, 2), np.nan),
            "visibility": np.zeros((cap, N_LANDMARKS)),
            "detected": np.zeros(cap, bool),
        }

    def next_row(self) -> int:
        cap = self.data["time_s"].shape[0]
        if self.n == cap:
            bigger = self._empty(2 * cap)
            for key, arr in self.data.items():
                bigger[key][:cap] = arr
            self.data = bigger
        self.n += 1
        return self.n - 1

    def result(self) -> dict[str, np.ndarray]:
        return {key: arr[: self.n].copy() for key, arr in self.data.items()}
