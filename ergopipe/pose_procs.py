"""The pose stage's processes: one spawned process per segment (ergopipe.pose), progress and results back on
one queue, a dead or failing process reported as an error instead of a hang.

Spawn, not fork: forking after MediaPipe has run in the parent crashes the child.
"""

from __future__ import annotations

import importlib.machinery
import logging
import multiprocessing
import os
import pickle
import queue
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # NumPy is not imported here: a job starts its pose processes before it needs NumPy
    import numpy as np

log = logging.getLogger(__name__)


def _segment_main(seg: Any, k: int, messages: Any) -> None:
    """Entry point of a segment process: progress and the result (or the error) go back on `messages`."""
    if seg.cpu is not None:
        try:
            os.sched_setaffinity(0, {seg.cpu})
        except (AttributeError, OSError) as exc:  # not Linux, or the CPU went away: run unpinned
            log.debug("pose segment %d not pinned to CPU %d: %s", k, seg.cpu, exc)
    from ergopipe import pose  # the segment's work; looked up here so tests can replace it

    try:
        result = pose._run_segment(seg, on_frame=lambda n: messages.put(("progress", k, n)))
    except BaseException as exc:  # reported to the parent, which raises it  # noqa: BLE001
        try:
            pickle.dumps(exc)
            messages.put(("error", k, exc))
        except Exception:
            messages.put(("error", k, RuntimeError(f"pose segment {k} failed: {exc!r}")))
        return
    messages.put(("result", k, result))


def _segment_process(seg: Any, k: int, messages: Any) -> None:
    """A spawned segment process: run the segment, and once its result is sent, leave without teardown."""
    _segment_main(seg, k, messages)
    # The interpreter's exit (MediaPipe's and TF Lite's teardown) took ~0.2 s that the parent spent waiting
    # in join(); every file this process wrote is closed by now, so flush the queue and leave at once.
    messages.close()
    messages.join_thread()
    os._exit(0)


# Modules MediaPipe imports at the top of code the pose process never runs: its drawing helpers import
# matplotlib.pyplot (~0.25 s of every pose process's start, the matplotlib package ~0.07 s more) and its
# audio tasks sounddevice (PortAudio through cffi, ~0.03 s).
UNUSED_IN_POSE_PROCESS = ("matplotlib", "matplotlib.pyplot", "sounddevice")


def _without_unused_modules() -> None:
    """Stand-in modules take the place of UNUSED_IN_POSE_PROCESS in this process; anything that did use
    them would fail with this message, not silently."""
    loaded = {name for name in UNUSED_IN_POSE_PROCESS if name.split(".")[0] in sys.modules}
    for name in UNUSED_IN_POSE_PROCESS:
        if name in loaded:  # already loaded for real (a test's process): leave it
            continue
        stand_in = types.ModuleType(name)
        stand_in.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package="." not in name)

        def __getattr__(attr: str, name: str = name) -> Any:
            if attr.startswith("__"):  # the import machinery probing (__path__, __file__): plain absence
                raise AttributeError(attr)
            raise RuntimeError(f"{name}.{attr}: {name} is not loaded in a pose process")

        stand_in.__getattr__ = __getattr__  # type: ignore[attr-defined]  # module __getattr__ (PEP 562)
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, stand_in)


def _waiting_process(inbox: Any, messages: Any) -> None:
    """A process started before its segment is known: import the model's libraries, then run the segment
    the parent sends (PoseProcesses.close stops it if none comes)."""
    _without_unused_modules()
    try:
        import mediapipe  # noqa: F401  (the slow import, done while the parent is still preparing)

        from ergopipe import pose  # noqa: F401  (NumPy, PyAV, OpenCV)
    except Exception:  # noqa: BLE001  (the segment imports them again and reports the error to the parent)
        pass
    seg, k = inbox.get()
    _segment_process(seg, k, messages)


class PoseProcesses:
    """Pose processes started ahead of their segments, one segment each. A context manager: on exit, the
    processes still waiting for a segment are stopped."""

    def __init__(self, n: int = 0) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self.messages = self._ctx.Queue()
        self._waiting: list[tuple[Any, Any]] = []  # (process, inbox)
        # Inboxes handed out stay referenced until close(): a queue collected in the parent unlinks its
        # semaphore, and a child still starting up then fails to open it.
        self._taken: list[tuple[Any, Any]] = []
        self._started = 0
        self.start(n)

    def start(self, n: int) -> None:
        """Have at least `n` processes waiting."""
        while len(self._waiting) < n:
            inbox = self._ctx.SimpleQueue()
            proc = self._ctx.Process(target=_waiting_process, args=(inbox, self.messages),
                                     name=f"pose-{self._started}", daemon=True)
            proc.start()
            self._started += 1
            self._waiting.append((proc, inbox))

    def take(self, segments: list[Any]) -> list[Any]:
        """Send segment k to the k-th waiting process (starting more if needed); returns those processes."""
        self.start(len(segments))
        taken, self._waiting = self._waiting[: len(segments)], self._waiting[len(segments) :]
        for k, (seg, (_, inbox)) in enumerate(zip(segments, taken, strict=True)):
            inbox.put((seg, k))
        self._taken += taken
        return [proc for proc, _ in taken]

    def close(self) -> None:
        """Stop the processes that got no segment (a job that failed before its pose stage, or a video
        short enough for fewer segments): they may still be importing, and hold nothing worth waiting for."""
        for proc, _ in self._waiting:
            proc.terminate()
        for proc, _ in self._waiting:
            proc.join()
        self._waiting, self._taken = [], []

    def __enter__(self) -> PoseProcesses:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_processes(
    segments: list[Any],
    n_kept: list[int],
    on_progress: Callable[[float], None] | None,
    while_waiting: Callable[[], None] | None,
    processes: PoseProcesses | None = None,
) -> list[dict[str, np.ndarray]]:
    """One spawned process per segment (`n_kept` frames each), taken from `processes` (started earlier)
    or started now; the parent relays progress and may do other work meanwhile. Returns the segments'
    per-frame arrays in order."""
    own = processes is None
    pool = PoseProcesses() if processes is None else processes
    procs = pool.take(segments)
    messages = pool.messages
    total = sum(n_kept)
    done = [0] * len(segments)
    parts: dict[int, dict[str, np.ndarray]] = {}
    try:
        if while_waiting is not None:
            while_waiting()  # e.g. import the later stages' libraries on the parent's idle core
        while len(parts) < len(segments):
            try:
                kind, k, payload = messages.get(timeout=1.0)
            except queue.Empty:
                dead = [p.name for k2, p in enumerate(procs) if k2 not in parts and not p.is_alive()]
                if dead and messages.empty():
                    raise RuntimeError(
                        f"pose process {', '.join(dead)} died without a result "
                        "(out of memory?); try fewer workers"
                    ) from None
                continue
            if kind == "error":
                raise payload
            if kind == "result":
                parts[k] = payload
                done[k] = int(payload["time_s"].shape[0])
            else:
                done[k] = int(payload)
            if on_progress:
                on_progress(min(1.0, sum(done) / max(total, 1)))
    finally:
        for proc in procs:
            if proc.is_alive() and len(parts) < len(segments):
                proc.terminate()
            proc.join()
        if own:
            pool.close()
    return [parts[k] for k in range(len(segments))]
