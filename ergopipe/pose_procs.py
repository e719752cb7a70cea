"""The pose stage's processes: one spawned process per segment (ergopipe.pose), progress and results back on
one queue, a dead or failing process reported as an error instead of a hang.

Spawn, not fork: forking after MediaPipe has run in the parent crashes the child.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable
from typing import Any

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


def run_processes(
    segments: list[Any],
    n_kept: list[int],
    on_progress: Callable[[float], None] | None,
    while_waiting: Callable[[], None] | None,
) -> list[dict[str, np.ndarray]]:
    """One spawned process per segment (`n_kept` frames each); the parent relays progress and may do other
    work meanwhile. Returns the segments' per-frame arrays in order."""
    ctx = multiprocessing.get_context("spawn")  # forking after MediaPipe has run crashes the child
    messages = ctx.Queue()
    procs = [
        ctx.Process(target=_segment_process, args=(seg, k, messages), name=f"pose-{k}", daemon=True)
        for k, seg in enumerate(segments)
    ]
    for proc in procs:
        proc.start()
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
    return [parts[k] for k in range(len(segments))]
