"""What every scan runner shares: tasks in flight, finished ones handed out as they come.

A runner (``scan._Runner`` on a local process pool, ``dask_engine.DaskRunner`` on a Dask
cluster) takes ``scan._Task`` items with ``submit`` and gives back ``(task, outcome)`` pairs
from ``results``. Each one says how it waits for its futures (``_harvest``) and what it still
holds back before the last wait (``_flush``: a batch not yet sent).
"""

from __future__ import annotations

from typing import Any


class Runner:
    """The part of a runner that does not depend on where the files are read."""

    def __init__(self) -> None:
        self.pending: dict[Any, Any] = {}  # future -> what it reads (a task, or a batch of them)
        self.done: list[tuple[Any, tuple[str, Any]]] = []  # finished (task, outcome) pairs not handed out yet

    def _harvest(self, block: bool) -> None:
        """Move the finished futures' outcomes to ``done`` (waiting for one first when ``block``)."""
        raise NotImplementedError

    def _flush(self) -> None:
        """Send whatever is held back, before the last wait (nothing by default)."""

    def results(self, block: bool = False) -> list[tuple[Any, tuple[str, Any]]]:
        """Finished tasks so far (all of them when ``block``)."""
        if block:
            self._flush()
            while self.pending:
                self._harvest(block=True)
        else:
            self._harvest(block=False)
        out, self.done = self.done, []
        return out
