"""The annotated video in a process of its own, started while the pose stage leaves a core idle.

In a thread beside the Excel report, the video pass and the report shared the parent's GIL: on the
bundled clip the report took 0.31-0.34 s alone and 0.54-0.60 s beside the video thread. A process has its
own interpreter. Spawning one and importing OpenCV, PyAV and PIL costs ~0.4 s, so it is started before the
pose stage, at the lowest priority (it imports on the core the model leaves idle, and never takes CPU
from the report), and handed its job once the scores exist. The pipeline uses it only when the pose stage
has fewer processes than CPUs; otherwise the video runs in a thread as before (ergopipe.background).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def core_left_idle(info: Any, stride: int, workers: int) -> bool:
    """Whether the pose stage will run fewer processes than there are CPUs (a short video, or fewer
    workers asked for), leaving a core for the video process's imports."""
    from ergopipe import pose

    return len(pose.plan_segments(info, stride=stride, workers=workers)) < pose.usable_cpus()


def _video_main(inbox: Any, outbox: Any) -> None:
    try:
        os.nice(19)
    except OSError:  # not allowed here: it still works, only without yielding to the report
        pass
    try:
        from ergopipe.report import outputs  # noqa: F401  (the imports, done while pose runs)
    except Exception:  # noqa: BLE001  (imported again below, where an error reaches the parent)
        pass
    kwargs = inbox.get()
    started = time.perf_counter()
    try:
        from ergopipe.report import outputs

        path = outputs.write_video(**kwargs, on_progress=lambda f: outbox.put(("progress", f)))
        outbox.put(("done", (path, time.perf_counter() - started)))
    except BaseException as exc:  # noqa: BLE001  (raised in the parent)
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001
            exc = RuntimeError(f"annotated video failed: {exc!r}")
        outbox.put(("error", exc))
    outbox.close()
    outbox.join_thread()
    os._exit(0)  # every file is closed; skip the interpreter's teardown


class VideoProcess:
    """A waiting video process: `start(**write_video kwargs)`, then `wait` like a BackgroundTask."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._inbox = ctx.SimpleQueue()
        self._outbox = ctx.Queue()
        self._proc = ctx.Process(target=_video_main, args=(self._inbox, self._outbox),
                                 name="annotated-video", daemon=True)
        self._proc.start()
        self._fraction = 0.0
        self.elapsed_s = 0.0

    def start(self, **kwargs: Any) -> VideoProcess:
        """Hand over the job (the arguments of ergopipe.report.outputs.write_video, without on_progress)."""
        self._inbox.put(kwargs)
        return self

    def wait(self, on_progress: Callable[[float], None] | None = None, poll_s: float = 0.5) -> Path:
        """Block until the video is written, passing progress on; raise the process's error."""
        while True:
            try:
                kind, payload = self._outbox.get(timeout=poll_s)
            except queue.Empty:
                if not self._proc.is_alive() and self._outbox.empty():
                    raise RuntimeError("the annotated-video process died without a result (out of memory?); "
                                       "send \"annotated_video\": false to get the other results") from None
                if on_progress is not None:
                    on_progress(self._fraction)
                continue
            if kind == "progress":
                self._fraction = float(payload)
                if on_progress is not None:
                    on_progress(self._fraction)
            elif kind == "error":
                raise payload
            else:
                path, self.elapsed_s = payload
                self._proc.join()
                return Path(path)

    def cancel(self) -> None:
        """Stop the process, whatever it is doing (a later stage failed, or it was never needed)."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()

    def close(self) -> None:
        self.cancel()

