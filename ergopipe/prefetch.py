"""Run an iterator one step ahead in a background thread, behind a bounded queue.

Used to decode video frames while the caller draws and encodes the previous ones: PyAV and OpenCV release
the GIL in their C code, so the two threads really overlap. The queue bound keeps memory flat.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def prefetch(items: Iterable[T], depth: int = 4) -> Iterator[T]:
    """Yield `items` in order, produced up to `depth` ahead by a daemon thread.

    An exception raised by the producer is re-raised here, at the position where it happened. Closing the
    generator early (break, exception in the consumer) stops the producer after its current item.
    """
    q: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
        except BaseException as exc:  # handed over to the consumer's thread  # noqa: BLE001
            q.put(_Failure(exc))
            return
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # release the decoder (an open container) in the thread that used it
                close()
        q.put(_DONE)

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                pass
            thread.join(timeout=0.05)
