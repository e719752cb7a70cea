"""Progress reporting: RunPod progress updates in production, a progress bar in a terminal.

`runpod.serverless.progress_update` is fire-and-forget (a thread posting to RunPod); it is sent at stage
boundaries and at most every 5 %, and the handler's final return value always comes after it.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, TextIO

ProgressFn = Callable[[str, float], None]
MIN_STEP = 0.05


def make_progress(job: dict[str, Any], *, local_mode: bool, stream: TextIO | None = None) -> ProgressFn:
    """Progress callback for one job: (stage name, overall fraction 0..1)."""
    if not local_mode:
        return _runpod_progress(job)
    stream = stream or sys.stderr
    return terminal_bar(stream) if stream.isatty() else (lambda stage, fraction: None)


def _runpod_progress(job: dict[str, Any]) -> ProgressFn:
    import runpod

    state = {"stage": None, "fraction": -1.0}

    def send(stage: str, fraction: float) -> None:
        if stage == state["stage"] and fraction - state["fraction"] < MIN_STEP:
            return
        state["stage"], state["fraction"] = stage, fraction
        runpod.serverless.progress_update(job, {"stage": stage, "percent": round(100 * fraction)})

    return send


def terminal_bar(stream: TextIO, width: int = 30) -> ProgressFn:
    def draw(stage: str, fraction: float) -> None:
        done = int(width * max(0.0, min(1.0, fraction)))
        stream.write(f"\r[{'#' * done}{'.' * (width - done)}] {100 * fraction:5.1f}% {stage:<12}")
        if fraction >= 1.0:
            stream.write("\n")
        stream.flush()

    return draw
