"""prefetch (decode-ahead thread) and BackgroundTask (a stage in a thread): order, errors, cancellation."""

import logging
import os
import sys
import threading
import time

import pytest

from ergopipe.background import (
    BackgroundTask,
    Cancelled,
    lower_this_thread_priority,
    prewarm_imports,
    prewarm_in_idle_time,
)
from ergopipe.prefetch import prefetch


def test_prefetch_keeps_order_and_runs_ahead_boundedly():
    produced = []

    def items():
        for k in range(50):
            produced.append(k)
            yield k

    out = []
    for k in prefetch(items(), depth=3):
        time.sleep(0.001)
        # The producer is never more than depth + 2 items ahead (queue + one in hand + one being put).
        assert len(produced) - k <= 3 + 2
        out.append(k)
    assert out == list(range(50))


def test_prefetch_reraises_the_producers_error_in_place():
    def items():
        yield 1
        yield 2
        raise ValueError("corrupt frame")

    got = []
    with pytest.raises(ValueError, match="corrupt frame"):
        for k in prefetch(items()):
            got.append(k)
    assert got == [1, 2]


def test_prefetch_closed_early_stops_and_closes_the_producer():
    closed = threading.Event()

    def items():
        try:
            for k in range(10_000):
                yield k
        finally:
            closed.set()

    gen = prefetch(items(), depth=2)
    assert next(gen) == 0
    gen.close()
    assert closed.wait(5), "the source iterator was not closed"


def test_background_task_returns_result_and_relays_progress():
    seen = []

    def work(progress):
        for k in range(5):
            progress(k / 4)
            time.sleep(0.02)
        return "done"

    task = BackgroundTask(work, name="t").start()
    assert task.wait(seen.append, poll_s=0.01) == "done"
    assert seen and seen[-1] == 1.0 and task.elapsed_s > 0


def test_background_task_error_surfaces_in_wait():
    def work(progress):
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        BackgroundTask(work, name="t").start().wait()


def test_background_task_cancel_stops_at_next_progress_call():
    calls = []

    def work(progress):
        for k in range(10_000):
            calls.append(k)
            progress(0.0)
            time.sleep(0.001)
        return "finished"

    task = BackgroundTask(work, name="t").start()
    time.sleep(0.02)
    task.cancel()
    assert len(calls) < 10_000
    with pytest.raises(Cancelled):
        task.wait()


def test_prewarm_skips_missing_modules():
    prewarm_imports(("json", "no_such_module_for_ergopipe_test"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux behaviour")
def test_prewarm_thread_runs_at_lowest_priority_and_leaves_the_caller_alone():
    seen = {}

    def probe():
        seen["ok"] = lower_this_thread_priority()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    t = threading.Thread(target=probe)
    t.start()
    t.join()
    assert seen == {"ok": True, "nice": 19}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before

    thread = prewarm_in_idle_time(("json", "no_such_module_for_ergopipe_test"))
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_first_use_warm_up_runs_in_memory(tmp_path, monkeypatch, caplog):
    """The idle-time warm-up renders a figure, saves a workbook and loads the panel font without error and
    without writing a file."""
    from ergopipe.background import warm_first_use

    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="ergopipe.background"):
        warm_first_use()
    assert "first uses took" in caplog.text and "not warmed" not in caplog.text
    assert list(tmp_path.iterdir()) == []
