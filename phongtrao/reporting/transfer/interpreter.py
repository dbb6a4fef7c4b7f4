"""Settings of Python's interpreter that an import changes while it runs, then puts back.

Both are process-wide, and a web process may run two imports at once, in two threads: each
setting is changed when the first import needs it and put back when the last one is done.
Measured on 1,000,000 values in docs/BENCHMARKS.md.
"""

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# How long Python lets the checking thread run before the writer may take its lock back after a
# database call (5 ms by default). The writer gives the lock up for every statement it runs; at
# 5 ms it waited longer for it than SQLite took to run the statement (1,000,000 values into
# SQLite: 25.1 s at 5 ms, 20.3 s at 0.5 ms).
SWITCH_INTERVAL = 0.0005

# The garbage collector's thresholds while an import runs (700, 10, 10 by default). The chunks
# waiting for the writer live long enough to reach the oldest generation, and each time enough
# of them had, a full collection walked every object of the process again, Django's own
# included: ~2.5 s of a 1,000,000-value import on SQLite. During an import the objects that
# existed before it are frozen (left out of collections) and collections run less often.
# Reference counting still frees everything an import drops at once; only garbage in cycles
# waits for the next collection.
GC_THRESHOLDS = (100_000, 20, 100)


class _SharedSetting:
    """A process-wide setting, changed while at least one import holds it."""

    def __init__(self, change: Callable[[], Any], restore: Callable[[Any], None]) -> None:
        self._change, self._restore = change, restore
        self._holders = 0
        self._saved: Any = None
        self._lock = threading.Lock()

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._saved = self._change()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0:
                    self._restore(self._saved)


def _shorten_switch_interval() -> float:
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    return before


def _collect_less() -> tuple[tuple[int, ...], bool]:
    """The thresholds before, and whether this import froze the objects: a server that froze
    its own at start-up (a common set-up for forking web servers) keeps them frozen."""
    before = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return before, freeze


def _collect_as_before(saved: tuple[tuple[int, ...], bool]) -> None:
    thresholds, froze = saved
    gc.set_threshold(*thresholds)
    if froze:
        gc.unfreeze()


short_switch_interval = _SharedSetting(_shorten_switch_interval, sys.setswitchinterval).held
fewer_collections = _SharedSetting(_collect_less, _collect_as_before).held
