"""The Dask engine: the scan's map (file -> outcome) on a Dask cluster, the reduce here.

``scan(path, engine=DaskEngine())`` walks the input on the client as usual; each file that
lies where a worker can read it (a local path on a shared disk, an ``s3://``/``gs://`` URL)
is handed over by location, and the worker reads it (under the same size limit), hashes it,
peeks its FIT type and analyzes it into one summary row. Zip members, read in place by the
client, travel as bytes. Files go out in batches (``BATCH_FILES``, ``BATCH_BYTES``) so a task is worth its
scheduling. The per-athlete reduce (duplicates, weeks, history factors, races) stays in
``scan.build_history``, on the client: it needs only the small rows.

The cache is ``parquet.ParquetCache``: the Parquet summary with each file's name, size and
stamp, so a rescan sends only new or changed files to the cluster.

Dask (``distributed``) is an optional extra, imported only here and only when the engine
starts: ``pip install "crampcheck[dask]"``.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from crampcheck.errors import ConfigError, CrampcheckError
from crampcheck.history import worker
from crampcheck.history.parquet import ParquetCache
from crampcheck.history.remote import read_location
from crampcheck.history.runner import Runner
from crampcheck.history.sources import ZipLimits

INSTALL_HINT = '--engine dask needs Dask: pip install "crampcheck[dask]"'
BATCH_FILES = 32  # files per Dask task: 0.2-0.5 s of work against ~6 ms of scheduling on a 2-core machine
BATCH_BYTES = 8 * 1024 * 1024  # ...or fewer, once the bytes sent with it (zip members) reach this
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: one running, one waiting (bounds the bytes the client holds)
CONNECT_TIMEOUT_S = 30
WORKER_CRASH = "the reader crashed on this file (its Dask worker died: {why})"

# how a worker got a file's outcome (scan.ScanStats counts them as the local pool does)
PARSED, PEEKED, UNREAD = "parsed", "peeked", "unread"


def analyze_items(items: list[tuple[str, str | None, bytes | None, Any]], units: str, config: Any,
                  limit: int) -> list[tuple[str, Any, str, str]]:
    """Run on a worker: each ``(name, location, data, meta)`` -> ``(kind, payload, content_hash, how)``.

    ``data`` is None when the worker reads the file at ``location`` itself; ``meta`` is the
    export's entry for the run (``sources.ExportMeta``) or None. Mirrors what the
    client and a pool worker do for one file in ``scan._parse_all``: read (a failure is an
    uncached skip), hash, recognize a non-activity FIT from its header, else analyze.
    """
    out = []
    for name, location, data, meta in items:
        if data is None:
            try:
                data = read_location(location or name, limit, name)
            except CrampcheckError as exc:
                out.append(("error", exc.message, "", UNREAD))
                continue
        content_hash = hashlib.sha256(data).hexdigest()
        file_type = worker.fit_file_type(data)
        if file_type is not None and file_type != "activity":
            out.append(("non_activity", file_type, content_hash, PEEKED))
            continue
        kind, payload = worker.analyze_bytes(name, data, units, config, content_hash, meta)
        out.append((kind, payload, content_hash, PARSED))
    return out


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return distributed


class DaskRunner(Runner):
    """``scan``'s runner on a Dask client (see ``scan.LocalEngine`` for the seam); ``pending``
    maps each future to its batch of tasks."""

    reads_locations = True

    def __init__(self, client: Any, args: tuple, limit: int, workers: int, batch_files: int = BATCH_FILES):
        super().__init__()
        self.client, self.args, self.limit = client, args, limit
        self.batch_files, self.max_in_flight = batch_files, max(1, workers) * IN_FLIGHT_PER_WORKER
        self.batch: list[Any] = []  # scan._Task items not yet sent

    def _send(self, tasks: list[Any]) -> None:
        units, config = self.args
        items = [(t.source.name, t.source.location, None, t.meta) if not t.content_hash
                 else (t.source.name, None, t.data, t.meta) for t in tasks]
        future = self.client.submit(analyze_items, items, units, config, self.limit, pure=False)
        self.pending[future] = tasks

    def submit(self, task: Any) -> None:
        self.batch.append(task)
        if len(self.batch) >= self.batch_files or sum(len(t.data) for t in self.batch) >= BATCH_BYTES:
            self._flush()
        if len(self.pending) >= self.max_in_flight:
            self._harvest(block=True)

    def _harvest(self, block: bool) -> None:
        if not self.pending:
            return
        if block:
            _distributed().wait(list(self.pending), return_when="FIRST_COMPLETED")
        for future in [f for f in self.pending if f.done()]:
            tasks = self.pending.pop(future)
            try:
                outcomes = future.result()
            except Exception as exc:  # a worker died on this batch (KilledWorker) or the task failed
                if len(tasks) > 1:  # again one by one: only the culprit is skipped
                    for task in tasks:
                        self._send([task])
                else:
                    self.done.append((tasks[0], ("error", WORKER_CRASH.format(why=type(exc).__name__))))
                continue
            for task, (kind, payload, content_hash, how) in zip(tasks, outcomes):
                task.content_hash = content_hash
                task.peeked = how == PEEKED
                if how == UNREAD:  # read failures are not parsed files (and not cached)
                    task.peeked = False
                    task.unread = True
                self.done.append((task, (kind, payload)))

    def _flush(self) -> None:
        if self.batch:
            self._send(self.batch)
            self.batch = []

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pending.clear()


class DaskEngine:
    """A Dask cluster for ``scan``: a LocalCluster of ``workers`` processes, or the scheduler at
    ``scheduler`` (``tcp://HOST:PORT``). Started on first use, shared by every scan it runs
    (a team scan runs one per athlete); ``close()`` (or ``with``) stops what it started."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, batch_files: int = BATCH_FILES):
        self.scheduler, self.workers, self.batch_files = scheduler, workers, batch_files
        self.client: Any = None
        self.cluster: Any = None

    def start(self, jobs: int | None = None) -> Any:
        """The client (the cluster is started, or the scheduler reached, on the first call)."""
        if self.client is not None:
            return self.client
        distributed = _distributed()
        if self.scheduler:
            try:
                self.client = distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler ({exc})", self.scheduler) from None
        else:
            n = self.workers or jobs or os.cpu_count() or 1
            self.cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                    dashboard_address=None)
            self.client = distributed.Client(self.cluster)
        self.client.run(worker.warm_up)  # imports and the timezone finder, once per worker
        return self.client

    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {}))) if self.client else 1

    def runner(self, jobs: int, args: tuple, limits: ZipLimits | None = None) -> DaskRunner:
        client = self.start(jobs)
        limit = (limits or ZipLimits()).max_file_bytes
        return DaskRunner(client, args, limit, self.n_workers(), self.batch_files)

    def open_cache(self, path: str | os.PathLike | None, warnings: list[str]) -> ParquetCache:
        return ParquetCache(path)  # an unusable file is a one-line error (--no-cache or another --cache)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
