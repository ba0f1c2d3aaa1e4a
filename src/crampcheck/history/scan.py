"""Scan a whole training history: files -> summary rows (cached, in parallel) -> history factors.

One file at a time is loaded, analyzed in a worker process and reduced to its summary row,
so the records of a run never outlive its worker call. A bad file becomes a skip; a worker
that dies becomes a skip for the file it was reading.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crampcheck.errors import ConfigError, CrampcheckError
from crampcheck.files import hash_regular
from crampcheck.history import worker
from crampcheck.history.cache import Cache, CacheUnusable, Outcome
from crampcheck.history.cramps import own_cramps
from crampcheck.history.digest import build_digest
from crampcheck.history.factors import history_findings
from crampcheck.history.params import HistoryThresholds, thresholds_from_config
from crampcheck.history.races import mark_races
from crampcheck.history.result import Duplicate, HistoryResult, ScanStats, Skipped
from crampcheck.history.runner import Runner
from crampcheck.history.sources import (
    MAX_FILE_BYTES,
    ExportMeta,
    InputTree,
    Source,
    ZipLimits,
    count_sources,
    meta_fingerprint,
)
from crampcheck.history.summary import ActivitySummary
from crampcheck.history.weekly import flag_weeks, weekly_summary
from crampcheck.schema import RUNNING
from crampcheck.sports import sport_from_label

if TYPE_CHECKING:  # the pool is imported when a scan first needs it: `analyze` never does
    from concurrent.futures import Future, ProcessPoolExecutor

DUPLICATE_START_TOLERANCE = timedelta(minutes=2)  # one run recorded twice: starts this close...
DUPLICATE_ELAPSED_PCT = 3.0  # ...and elapsed times within this, whatever the distance (GPX vs TCX differ)...
DUPLICATE_DISTANCE_PCT = 2.0  # ...or distances within this
FORK_UNSAFE_MODULES = ("duckdb", "pyarrow.parquet", "distributed")  # start native thread pools when used
IN_FLIGHT_PER_JOB = 2  # files queued per worker...
MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024  # ...and at most this many file bytes in flight (parsing costs ~10x)
MAX_JOBS = 64  # worker processes at most (the CLI's --jobs bound)
TRIM_EVERY_BYTES = 64 * 1024 * 1024  # file bytes read between two hand-backs of freed memory
BIG_FILE_BYTES = 8 * 1024 * 1024  # a file on disk past this is hashed as a stream and read by its worker
PEEK_BYTES = 64 * 1024  # what the FIT file-type peek reads of such a file
STUCK_AFTER_S = worker.FILE_TIME_LIMIT_S + 30.0  # no file finished for this long: a worker is stuck
# where its own alarm cannot reach (inside C code); the pool is killed and its files rerun alone
WORKER_STUCK = "reading took longer than {:g} s: the worker was stopped"
WORKER_CRASH = "the reader crashed on this file (its worker process died)"
NO_START_TIME = "no start time: cannot be placed in the history"
ALL_SPORTS = "all"

ProgressFn = Callable[[int, "int | None", str], None]  # (files done, total or None, current name)


@dataclass
class _Task:
    source: Source
    data: bytes  # empty when the worker reads a big file itself (source.path)
    content_hash: str
    settings: str  # the cache's settings key of this file's outcome (``file_settings``)
    into: _Collector  # the history the outcome belongs to
    meta: ExportMeta | None = None  # what the export says of this run, applied in the worker
    peeked: bool = False  # a runner that reads files itself found a non-activity FIT from its header
    unread: bool = False  # ... or could not read the file (a skip, as when the client cannot)

    @property
    def size(self) -> int:
        """Bytes this task brings into a worker."""
        return len(self.data) or self.source.size

    def call(self, units: str, config: Any) -> tuple:
        """The worker function and its arguments."""
        if not self.data and self.source.path:
            return worker.analyze_path, self.source.name, self.source.path, units, config, self.content_hash, self.meta
        return worker.analyze_bytes, self.source.name, self.data, units, config, self.content_hash, self.meta


def file_settings(settings: str, meta: ExportMeta | None) -> str:
    """The cache's settings key of one file: the scan's, and what its export entry says (a new
    name, race mark or weather in a later export judges the run again)."""
    if meta is None:
        return settings
    return hashlib.sha256(f"{settings}|{meta_fingerprint(meta)}".encode()).hexdigest()[:16]


def settings_fingerprint(units: str, config: Any) -> str:
    """What, besides the file, a summary row depends on: units and the config in force."""
    text = f"{units}|{config!r}" if config is not None else f"{units}|default"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SPORT_CHOICES = ("running", "cycling", "walking", "hiking", "swimming", "all")


def normalize_sport_option(label: str | None) -> str:
    """``--sport``: "run", "Run", "Running", "trail", "treadmill", "Laufen" -> "running"; "all" stays;
    an unknown word is an error that lists the choices."""
    text = (label or "running").strip()
    if text.lower() == ALL_SPORTS:
        return ALL_SPORTS
    sport = sport_from_label(text)[0]
    if sport not in SPORT_CHOICES:
        raise ConfigError(f"--sport {text!r}: unknown sport; use one of {', '.join(SPORT_CHOICES)} "
                          "(or a word for them: run, trail, treadmill, ride, walk, hike, swim...)")
    return sport


def _mp_context() -> Any:
    """fork on Linux (fast start, no re-import); the platform default elsewhere. A process that
    has used a library with native thread pools (DuckDB, pyarrow's Parquet reader: a test, a
    notebook) is not forked: its children can crash on a lock a pool thread held; they are
    spawned instead (still children of this process, as ``worker.init_worker`` checks)."""
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        if any(name in sys.modules for name in FORK_UNSAFE_MODULES):
            return multiprocessing.get_context("spawn")
        return multiprocessing.get_context("fork")
    return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None (another C library, another system)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_freed_memory() -> None:
    """Hand the heap memory this process has freed back to the system (glibc only).

    A scan's parent reads every file's bytes, hashes them and pickles them to a worker; glibc
    keeps most of those freed buffers (a 10,000-file team scan peaked at 716 MB, 64 MB of it
    live). Trimming every ``TRIM_EVERY_BYTES`` of file bytes bounds that at no measurable cost,
    where a lower mmap threshold would cost 8 % of the scan's time in page faults."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class _Runner(Runner):
    """Runs ``worker.analyze_bytes`` on tasks: in-process (jobs=1) or on a process pool that is
    started only when a first file needs parsing, and rebuilt if a worker dies."""

    def __init__(self, jobs: int, args: tuple):
        super().__init__()
        self.jobs, self.args = jobs, args  # args: (units, config)
        self.pool: ProcessPoolExecutor | None = None
        self.bytes_since_trim = 0  # file bytes read here since freed memory was last handed back

    def _call(self, pool: ProcessPoolExecutor, task: _Task) -> Future:
        return pool.submit(*task.call(*self.args))

    def submit(self, task: _Task) -> None:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        self.bytes_since_trim += len(task.data)
        if self.bytes_since_trim >= TRIM_EVERY_BYTES:
            self.bytes_since_trim = 0
            release_freed_memory()
        if self.jobs == 1:
            fn, *args = task.call(*self.args)
            self.done.append((task, fn(*args)))
            return
        if self.pool is None:
            context = _mp_context()
            if context is not None and context.get_start_method() == "fork":  # forked workers inherit what the parent has loaded
                worker.warm_up()
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=worker.init_worker,
                                            initargs=(os.getpid(),))
        while self.pending and sum(t.size for t in self.pending.values()) + task.size > MAX_BYTES_IN_FLIGHT:
            self._harvest(block=True)  # bytes in flight, not files, bound the memory: a big file waits
        try:
            self.pending[self._call(self.pool, task)] = task
        except BrokenProcessPool:  # a worker died since the last harvest: the pool takes no more
            self._recover(also=[task])
            return
        while len(self.pending) >= self.jobs * IN_FLIGHT_PER_JOB:
            self._harvest(block=True)

    def _harvest(self, block: bool) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        if not self.pending:
            return
        if block:
            finished, _ = wait(self.pending, timeout=STUCK_AFTER_S, return_when=FIRST_COMPLETED)
            if not finished:  # every running worker is stuck: kill them, the futures break
                _kill_workers(self.pool)
                wait(self.pending, timeout=STUCK_AFTER_S)
        broken = False
        for fut in [f for f in self.pending if f.done()]:
            try:
                outcome = fut.result()
            except BrokenProcessPool:
                broken = True
                continue
            self.done.append((self.pending.pop(fut), outcome))
        if broken:
            self._recover()

    def _recover(self, also: list[_Task] = ()) -> None:
        """A worker died: rerun every unfinished task (and ``also``) alone, so only the culprit
        is skipped."""
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures import TimeoutError as FutureTimeout
        from concurrent.futures.process import BrokenProcessPool

        suspects = [*self.pending.values(), *also]
        self.pending.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        for task in suspects:
            with ProcessPoolExecutor(max_workers=1, mp_context=_mp_context(), initializer=worker.init_worker,
                                     initargs=(os.getpid(),)) as alone:
                try:
                    self.done.append((task, self._call(alone, task).result(timeout=STUCK_AFTER_S)))
                except BrokenProcessPool:
                    self.done.append((task, ("error", WORKER_CRASH)))
                except FutureTimeout:
                    _kill_workers(alone)
                    self.done.append((task, ("error", WORKER_STUCK.format(STUCK_AFTER_S))))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL every worker process of ``pool`` (its futures then fail with BrokenProcessPool)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):  # already gone
            pass


class LocalEngine:
    """The single-machine engine: a process pool and the SQLite cache.

    The seam another engine (``history/dask_engine.py``) plugs into: ``runner(jobs, args)``
    returns an object with ``submit(task)``, ``results(block)`` and ``close()``; a runner whose
    ``reads_locations`` is true is handed sources by location (no bytes) and reads, hashes and
    peeks them itself. ``open_cache(path)`` returns the cache it keeps outcomes in.
    """

    name = "local"

    def runner(self, jobs: int, args: tuple, limits: ZipLimits | None = None) -> _Runner:
        return _Runner(jobs, args)  # the pool is handed bytes: the limits were applied when reading them

    def open_cache(self, path: str | os.PathLike | None, warnings: list[str]) -> Cache | None:
        return _open_cache(path, warnings)


def _as_date(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"--{name}: expected a date YYYY-MM-DD, got {value!r}") from None


class _Collector:
    """One history's outcomes: rows (with where they came from), skips, non-activity counts,
    and the counts of how they were had."""

    def __init__(self, tree: InputTree) -> None:
        self.tree = tree
        self.stats = ScanStats()
        self.rows: list[tuple[ActivitySummary, Source]] = []
        self.skipped: list[Skipped] = []
        self.non_activity: Counter[str] = Counter()
        self.told: set[str] = set()  # keys of the sources whose export entry went into the worker

    def add(self, source: Source, outcome: Outcome) -> None:
        if outcome.kind == "row":
            row = ActivitySummary.from_json(outcome.payload)
            row.file = source.name  # a cache hit by content may carry another name
            self.rows.append((row, source))
        elif outcome.kind == "non_activity":
            self.non_activity[str(outcome.payload)] += 1
        else:
            self.skipped.append(Skipped(source.name, str(outcome.payload)))


def _parse_all(trees: Sequence[InputTree], runner: _Runner, cache: Cache | None, settings: str,
               progress: ProgressFn | None, total: int | None) -> list[_Collector]:
    """Every source of every tree -> an outcome, from the cache when it can, else from a worker.

    One runner serves every tree in turn, so the workers go on from one history's files to the
    next without waiting for the first to drain (a team: one tree per athlete)."""
    collectors = [_Collector(tree) for tree in trees]
    done = 0

    def stored(src: Source, outcome: Outcome, got: _Collector) -> None:
        nonlocal done
        got.add(src, outcome)
        done += 1
        if progress:
            progress(done, total, src.name)

    def finish(task: _Task, result: tuple[str, Any]) -> None:
        kind, payload = result
        src, stats = task.source, task.into.stats
        if task.peeked or task.unread:  # counted as the client counts them when it reads the bytes
            stats.parsed, stats.peeked = stats.parsed - 1, stats.peeked + task.peeked
        if kind == "error":  # a bug or a crash: not cached, a fixed version may read the file
            kind = "skip"
        elif cache is not None:
            cache.put(src.key, src.size, src.stamp, task.content_hash, task.settings, Outcome(kind, payload))
        stored(src, Outcome(kind, payload), task.into)

    for got in collectors:
        _walk_into(got, runner, cache, settings, stored, finish)
    for task, result in runner.results(block=True):
        finish(task, result)
    return collectors


def _walk_into(got: _Collector, runner: _Runner, cache: Cache | None, settings: str,
               stored: Callable[[Source, Outcome, _Collector], None], finish: Callable[[_Task, tuple], None]) -> None:
    """Each source of ``got``'s tree to the cache's answer (``stored``) or to the runner, whose
    finished tasks go to ``finish`` as they come."""
    tree, stats = got.tree, got.stats
    for src in tree.sources():
        stats.sources += 1
        if src.problem:
            stored(src, Outcome("skip", src.problem), got)
            continue
        meta = tree.index.match(src.container, src.relpath, None)  # by name: known before the file is read
        own = file_settings(settings, meta)
        if meta is not None:
            got.told.add(src.key)
        hit = cache.get(src.key, src.size, src.stamp, own) if cache else None
        if hit:
            stats.from_cache += 1
            stored(src, hit[0], got)
            continue
        if src.location is not None and getattr(runner, "reads_locations", False):
            stats.parsed += 1  # read where it lies, by the runner's workers
            runner.submit(_Task(src, b"", "", own, got, meta))
            for task, result in runner.results():
                finish(task, result)
            continue
        try:
            if src.path is not None and src.size > BIG_FILE_BYTES:  # hashed as a stream, read by its worker
                data, (content_hash, head) = b"", hash_regular(src.path, MAX_FILE_BYTES, PEEK_BYTES, label=src.name)
            else:
                data = src.load()  # now: a zip member is readable only until the next source
                content_hash, head = hashlib.sha256(data).hexdigest(), data
        except CrampcheckError as exc:
            stored(src, Outcome("skip", exc.message), got)
            continue
        same = cache.get_by_hash(content_hash, own) if cache else None
        if same:
            stats.from_cache_by_hash += 1
            cache.put(src.key, src.size, src.stamp, content_hash, own, same)
            stored(src, same, got)
            continue
        file_type = worker.fit_file_type(head)
        if file_type is not None and file_type != "activity":
            stats.peeked += 1
            finish(_Task(src, b"", content_hash, own, got), ("non_activity", file_type))
            continue
        stats.parsed += 1
        runner.submit(_Task(src, data, content_hash, own, got, meta))
        for task, result in runner.results():
            finish(task, result)


def _apply_metadata(got: _Collector) -> tuple[list[ActivitySummary], int]:
    """The rows, with what the export says of runs matched only once read, and how many of
    those had export weather that came too late for them.

    An export entry found by file name or activity id goes into the worker with the file
    (``sources.apply_export``): the run is measured and judged with its name, race mark and
    weather. An entry found only by start time (Garmin's summaries) comes after: it names,
    marks and labels the row; no Garmin entry carries weather. Tables are read before the files
    wherever the walk can order them (``sources.metadata_first``); only a streamed zip that
    stores its table after the files is read too late for its weather."""
    rows, late_air = [], 0
    for row, src in got.rows:
        meta = None if src.key in got.told else got.tree.index.match(src.container, src.relpath, row.start_time_utc)
        if meta is not None:
            row.name = meta.name or row.name
            row.texts = [*row.texts, *([where, text] for where, text in meta.texts)]
            row.sport = meta.sport if meta.sport and meta.sport != "other" else row.sport
            if meta.is_race and not row.is_race:
                row.is_race, row.race_marked_by = True, "export"
            late_air += meta.air_temperature_c is not None
        rows.append(row)
    return rows, late_air


MANUAL = "manual"  # format of a row from an export's manual entry (no file)


def manual_rows(metas: list[ExportMeta]) -> list[ActivitySummary]:
    """Summary rows of an export's manual entries (no file): counted in the weekly volume and
    listed, never judged as runs (no records)."""
    rows = []
    for m in metas:
        moving = m.moving_time_s or m.elapsed_time_s
        rows.append(ActivitySummary(
            file=m.label or MANUAL, content_hash=f"{MANUAL}:{m.label}", format=MANUAL, start_time_utc=m.start_time_utc,
            start_time_local=None, sport=m.sport or "unknown", sub_sport=None, name=m.name, is_race=m.is_race,
            race_marked_by="export" if m.is_race else None, distance_m=m.distance_m, moving_time_s=moving,
            elapsed_time_s=m.elapsed_time_s, avg_speed_m_s=m.distance_m / moving if moving else 0.0,
            temperature_c_mean=None, heart_rate_mean_bpm=None, overall="", intensity_speed_m_s=None,
        ))
    return rows


def _close(a: float, b: float, pct: float) -> bool:
    bigger = max(a, b)
    return bigger == 0 or abs(a - b) <= bigger * pct / 100.0


def _same_run(a: ActivitySummary, b: ActivitySummary) -> bool:
    """One run recorded twice: the same start (2 min) and the same time on the clock (3 %), or
    the same distance (2 %)."""
    if abs(a.start_time_utc - b.start_time_utc) > DUPLICATE_START_TOLERANCE:
        return False
    return (_close(a.elapsed_time_s, b.elapsed_time_s, DUPLICATE_ELAPSED_PCT)
            or _close(a.distance_m, b.distance_m, DUPLICATE_DISTANCE_PCT))


def deduplicate(rows: list[ActivitySummary]) -> tuple[list[ActivitySummary], list[Duplicate]]:
    """One row per run: the same bytes twice, or one run as FIT and GPX (start +-2 min, elapsed
    +-3 % or distance +-2 %): keep the richest copy (FIT > TCX > GPX, then with heart rate,
    then with temperature), list the rest."""
    dups: list[Duplicate] = []
    by_hash: dict[str, ActivitySummary] = {}
    unique = []
    for r in sorted(rows, key=lambda r: r.file):  # workers finish in any order: decide by name
        if r.content_hash in by_hash:
            dups.append(Duplicate(r.file, by_hash[r.content_hash].file, "same file content"))
        else:
            by_hash[r.content_hash] = r
            unique.append(r)
    unique.sort(key=lambda r: (r.start_time_utc, tuple(-x for x in r.richness), r.file))
    kept: list[ActivitySummary] = []
    for r in unique:
        twin = None
        for k in reversed(kept):  # kept is in start order: look back over the tolerance only
            if r.start_time_utc - k.start_time_utc > DUPLICATE_START_TOLERANCE:
                break
            if _same_run(k, r):
                twin = k
                break
        if twin is None:
            kept.append(r)
        elif r.richness > twin.richness:
            kept[kept.index(twin)] = r
            dups.append(Duplicate(twin.file, r.file, "same run (start and time or distance)"))
        else:
            dups.append(Duplicate(r.file, twin.file, "same run (start and time or distance)"))
    return kept, dups


def _in_window(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def view_window(rows: list[ActivitySummary], since: date | None, until: date | None,
                weeks: int | None) -> tuple[date | None, date | None]:
    """The days in view: ``since``/``until`` as given; with ``weeks`` and no ``since``, the last
    ``weeks`` weeks up to ``until`` (or the last run). --since after --until is an error."""
    if since is not None and until is not None and since > until:
        raise ConfigError(f"--since {since} is after --until {until}: nothing can be in view")
    if weeks is None or since is not None:
        return since, until
    days = [r.day for r in rows if r.day is not None and (until is None or r.day <= until)]
    if not days:
        return since, until
    end = until or max(days)
    return end - timedelta(days=7 * weeks - 1), until


def build_history(rows: list[ActivitySummary], th: HistoryThresholds, *, sport: str = "running",
                  since: date | None = None, until: date | None = None, weeks: int | None = None,
                  units: str = "km", cramp_entries: Sequence[Any] = ()) -> HistoryResult:
    """Rows -> the history result: dedupe, sport filter, races, weeks, factors, date window, digest.

    Factors see the whole history (a spike needs the weeks before it); the date window only
    chooses what is shown (``weeks``: the last N weeks when no ``since`` is given). With
    ``sport="all"`` every sport is listed but the load factors, weeks and races still count
    running only. ``units`` is the unit system of the findings' words. ``cramp_entries``: the
    runner's cramp log (``crampcheck.cramplog``), read with the runner's texts over the whole history
    (``history.cramps``); its pattern may head the digest.
    """
    placed = [r for r in rows if r.start_time_utc is not None]
    skipped = [Skipped(r.file, NO_START_TIME) for r in rows if r.start_time_utc is None]
    kept, dups = deduplicate(placed)
    other = Counter(r.sport for r in kept if sport != ALL_SPORTS and r.sport != sport)
    kept = [r for r in kept if sport == ALL_SPORTS or r.sport == sport]
    kept.sort(key=lambda r: r.start_time_utc)
    # load factors compare like with like: with sport="all" they still count running only
    load = [r for r in kept if r.sport == RUNNING] if sport == ALL_SPORTS else kept
    mark_races(load, th)
    since, until = view_window(load, since, until, weeks)
    all_weeks = weekly_summary(load, th)
    all_findings = history_findings(load, all_weeks, th, units)
    findings = all_findings
    shown = [r for r in kept if _in_window(r.day, since, until)]
    findings = [f for f in findings if (since is None or f.end_date >= since) and (until is None or f.start_date <= until)]
    in_view = [w for w in all_weeks if (since is None or w.start_date + timedelta(days=6) >= since)
               and (until is None or w.start_date <= until)]
    flag_weeks(in_view, findings)
    cramps, cramp_patterns, cramp_item = own_cramps(load, all_findings, th, cramp_entries, until)
    digest, factors = build_digest(findings, [r for r in load if _in_window(r.day, since, until)], th, since, until,
                                   extra=[cramp_item] if cramp_item else [])
    return HistoryResult(activities=shown, history_findings=findings, weeks=in_view, skipped=skipped,
                         duplicates=dups, other_sports=dict(other), thresholds=th, digest=digest, factors=factors,
                         cramps=cramps, cramp_patterns=cramp_patterns)


def scan(path: str | os.PathLike | list, **options: Any) -> HistoryResult:
    """Scan a folder, file, export zip (or a list of them) into a ``HistoryResult``.

    ``sport``: normalized sport kept ("running"), or "all". ``since``/``until``: dates
    (inclusive, local day of the start). ``cache_path``: None = the user's cache directory.
    ``jobs``: worker processes (None = all cores; 1 = in this process). ``progress(done,
    total, name)`` is called after each file; ``total`` is counted first (from the zips'
    directories) when a progress callback is given, None when it cannot be told.
    ``cramp_entries``: the runner's cramp log entries (``crampcheck.cramplog.read_log``).
    ``engine``: where files are read (None: ``LocalEngine``, this machine's process pool and
    the SQLite cache; ``dask_engine.DaskEngine``: a Dask cluster and a Parquet cache).
    """
    return scan_histories([path], **options)[0]


def scan_histories(paths: Sequence[str | os.PathLike | list], *, sport: str = "running", since: Any = None,
                   until: Any = None, weeks: int | None = None, units: str = "mi", config: Any = None,
                   cache_path: str | os.PathLike | None = None, use_cache: bool = True, jobs: int | None = None,
                   progress: ProgressFn | None = None, limits: ZipLimits | None = None,
                   cramp_entries: Sequence[Any] = (), engine: Any = None) -> list[HistoryResult]:
    """One history per item of ``paths`` (each a path or a list of paths: an athlete of a team),
    with ``scan``'s options, read by one runner and one cache: the workers go from one history's
    files to the next without a pause, and the histories are built once every file is read.
    ``progress`` counts the files of every history (its total too)."""
    sport = normalize_sport_option(sport)
    since_d, until_d = _as_date(since, "since"), _as_date(until, "until")
    if since_d is not None and until_d is not None and since_d > until_d:
        raise ConfigError(f"--since {since_d} is after --until {until_d}: nothing can be in view")
    th = thresholds_from_config(config)
    settings = settings_fingerprint(units, config)
    trees = [InputTree(path, limits) for path in paths]
    limits = trees[0].limits if trees else limits
    jobs = max(1, min(MAX_JOBS, jobs if jobs is not None else (os.cpu_count() or 1)))
    engine = engine or LocalEngine()
    runner = engine.runner(jobs, (units, config), limits=limits)
    warnings: list[str] = []
    cache = engine.open_cache(cache_path, warnings) if use_cache else None
    try:
        total = _count_all(paths, limits) if progress else None
        collectors = _parse_all(trees, runner, cache, settings, progress, total)
    finally:
        runner.close()
        if cache is not None:
            cache.close()
            if cache.problem:
                warnings.append(cache.problem)
    results = []
    for got in collectors:
        got.stats.cache_rebuilt = bool(cache and cache.rebuilt)
        result = _history(got, th, sport=sport, since=since_d, until=until_d, weeks=weeks, units=units,
                          cramp_entries=cramp_entries)
        result.warnings = list(warnings)
        results.append(result)
    return results


def _count_all(paths: Sequence[Any], limits: ZipLimits | None) -> int | None:
    """The sources of every path (None when one cannot be told)."""
    counts = [count_sources(path, limits) for path in paths]
    return None if None in counts else sum(counts)


def _history(got: _Collector, th: HistoryThresholds, **options: Any) -> HistoryResult:
    """One history from its collected outcomes: the export's labels, manual entries, notes."""
    rows, late_air = _apply_metadata(got)
    rows += manual_rows(got.tree.index.manual)
    result = build_history(rows, th, **options)
    result.skipped = sorted(got.skipped + result.skipped, key=lambda s: s.file)
    result.non_activity = dict(got.non_activity)
    result.stats = got.stats
    result.notes = [f"{name}: {why}" for name, why in got.tree.index.problems]
    if late_air:
        result.notes.append(f"{late_air} run{'s' if late_air > 1 else ''}: the export's weather columns come after "
                            "the file in its zip, too late to judge heat by: judged from the file's own reading.")
    manual = [r for r in result.activities if r.format == MANUAL]
    if manual:
        result.notes.append(f"{len(manual)} manual entr{'ies' if len(manual) > 1 else 'y'} without a file (from the "
                            "export's activities.csv) counted in the weekly volume and listed, not judged as runs.")
    return result


def _open_cache(cache_path: str | os.PathLike | None, warnings: list[str]) -> Cache | None:
    """The cache, or None (and a warning) when it cannot be used: the scan goes on without it."""
    try:
        cache = Cache(cache_path)
    except CacheUnusable as exc:
        warnings.append(str(exc))
        return None
    if cache.moved_aside is not None:
        warnings.append(f"{cache.path}: the cache was corrupt: moved aside to {cache.moved_aside} and rebuilt")
    return cache

