"""Overlap work with the pipeline's critical path: a stage in a thread, and imports while pose runs.

The annotated video (C-heavy: decode, scale, encode release the GIL) runs in a thread while the main thread
writes the tables and the Excel report (Python-heavy). While MediaPipe runs in its own processes, the
parent process imports the libraries the later stages need (~2-3 s of a cold start otherwise spent after
the pose stage), in a lowest-priority thread so that it only uses CPU time the pose processes leave idle.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# Imported by the stages after pose; listed here so their import can overlap the pose stage.
LATER_STAGE_MODULES = (
    "pandas",
    "openpyxl",
    "matplotlib",
    "cv2",
    "PIL.ImageDraw",
    "ergopipe.clean",
    "ergopipe.angles",
    "ergopipe.methods",
    "ergopipe.report.outputs",
    "ergopipe.report.excel",
    "ergopipe.report.figures",
    "ergopipe.report.overlay",
)


def prewarm_imports(modules: tuple[str, ...] = LATER_STAGE_MODULES) -> None:
    """Import `modules` now (a missing optional one is skipped; the stage that needs it will say so)."""
    start = time.perf_counter()
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # only a head start: the stage that needs the module will report it
            log.debug("prewarm: %s not importable (%s)", name, exc)
    log.debug("prewarm: later-stage imports took %.2f s", time.perf_counter() - start)


def warm_first_use() -> None:
    """Pay, in memory, for what costs more the first time than after (a figure is ~0.1 s slower on its
    first render: font files, the renderer, the PNG writer): render a tiny figure to PNG, save a tiny
    workbook and load the video panel's font. Nothing is written to disk; a failure only loses the head start.
    """
    import io

    start = time.perf_counter()
    try:
        from matplotlib.figure import Figure
        from openpyxl import Workbook

        from ergopipe.report.panel import line_i420

        fig = Figure(figsize=(1, 1), dpi=20)
        ax = fig.subplots()
        ax.step([0, 1], [0, 1], where="post")
        ax.set_title("á")
        ax.legend(["x"], title="y")
        fig.savefig(io.BytesIO(), format="png")
        wb = Workbook(write_only=True)
        wb.create_sheet("x").append(["warm", 1.0])
        wb.save(io.BytesIO())
        line_i420.__wrapped__("á 1°", (235, 235, 235), 21)  # the font, not a cached line
    except Exception as exc:  # only a head start: the stage that needs it will report any real problem
        log.debug("prewarm: first use not warmed (%s)", exc)
    log.debug("prewarm: first uses took %.2f s", time.perf_counter() - start)


def prewarm_in_idle_time(modules: tuple[str, ...] = LATER_STAGE_MODULES) -> threading.Thread:
    """Start importing `modules` (and warming their first use) in a thread at the lowest CPU priority and
    return the (started) thread.

    With as many pose processes as cores, importing at normal priority takes ~2.5 s of CPU from MediaPipe
    (the 2-worker pose stage ran ~10 % slower); at nice 19 the imports run on whatever the model leaves idle
    (a whole core with one worker on two) and otherwise right after the pose stage, when they are needed.
    """

    def run() -> None:
        lower_this_thread_priority()
        prewarm_imports(modules)
        warm_first_use()

    thread = threading.Thread(target=run, name="prewarm-imports", daemon=True)
    thread.start()
    return thread


def lower_this_thread_priority(nice: int = 19) -> bool:
    """Give the calling thread the lowest scheduling priority; True if it worked.

    On Linux the nice value is per thread (setpriority on a thread id); elsewhere this may not be possible,
    and the imports simply run at normal priority.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError) as exc:
        log.debug("prewarm: could not lower the thread priority (%s)", exc)
        return False
    return True


class Cancelled(Exception):
    """Raised inside a background task's progress callback after cancel()."""


class BackgroundTask(Generic[T]):
    """Run `fn(on_progress)` in a thread. `wait` relays its progress from the caller's thread.

    `fn` must call `on_progress(fraction)` now and then: that is where cancel() takes effect.
    """

    def __init__(self, fn: Callable[[Callable[[float], None]], T], name: str) -> None:
        self._fn = fn
        self._fraction = 0.0
        self._cancelled = threading.Event()
        self._result: T | None = None
        self._error: BaseException | None = None
        self.elapsed_s = 0.0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> BackgroundTask[T]:
        self._thread.start()
        return self

    def _progress(self, fraction: float) -> None:
        if self._cancelled.is_set():
            raise Cancelled()
        self._fraction = fraction

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self._result = self._fn(self._progress)
        except BaseException as exc:  # re-raised by wait() in the caller's thread  # noqa: BLE001
            self._error = exc
        finally:
            self.elapsed_s = time.perf_counter() - started

    def wait(self, on_progress: Callable[[float], None] | None = None, poll_s: float = 0.5) -> T:
        """Block until done, passing progress on; re-raise the task's exception."""
        while self._thread.is_alive():
            self._thread.join(poll_s)
            if on_progress is not None:
                on_progress(self._fraction)
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    def cancel(self) -> None:
        """Ask the task to stop at its next progress call and wait for it (its error is discarded)."""
        self._cancelled.set()
        self._thread.join()
