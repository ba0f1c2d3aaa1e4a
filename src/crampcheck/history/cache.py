"""SQLite cache of scan outcomes, so a rescan of an unchanged history parses nothing.

Location: ``$XDG_CACHE_HOME/crampcheck/cache.sqlite``, else ``~/.cache/crampcheck/cache.sqlite``.
An outcome (summary row, skip reason, or non-activity type) is stored as JSON under
(source key, analysis settings) with the file's size and stamp (mtime, or zip CRC); a
miss falls back to the content hash, so a moved or touched file is not parsed again.
A cache written by an older schema or tool version is emptied and rebuilt, never read; one
written by a newer version, or a file that is not a crampcheck cache, is left untouched and
the scan runs without a cache; a corrupt one is moved aside and rebuilt.
WAL mode and short transactions keep it consistent on Ctrl-C and with two scans at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crampcheck import __version__
from crampcheck.errors import ConfigError

CACHE_SCHEMA_VERSION = 5  # bump when the table layout, the row JSON or the judgement behind a row changes (5: one unit system)
CACHE_MARKER = "crampcheck-history-cache"
BUSY_TIMEOUT_S = 60.0  # wait this long for another scan's write lock
KINDS = ("row", "skip", "non_activity")
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outcomes (
    key TEXT NOT NULL,           -- source key (absolute path or archive chain)
    settings TEXT NOT NULL,      -- fingerprint of units + thresholds
    size INTEGER NOT NULL,
    stamp TEXT NOT NULL,         -- mtime_ns, or zip member CRC
    content_hash TEXT NOT NULL,  -- sha256 hex
    kind TEXT NOT NULL,          -- row | skip | non_activity
    payload TEXT NOT NULL,       -- JSON
    PRIMARY KEY (key, settings)
);
CREATE INDEX IF NOT EXISTS outcomes_hash ON outcomes (content_hash, settings);
"""


def default_cache_path() -> Path:
    """``$XDG_CACHE_HOME/crampcheck/cache.sqlite``, else ``~/.cache/crampcheck/cache.sqlite``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crampcheck" / "cache.sqlite"


@dataclass(frozen=True)
class Outcome:
    """What scanning one file gave: kind (row | skip | non_activity) and its JSON payload."""

    kind: str
    payload: Any


def _set_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL mode. Two scans opening a new cache at once can both ask; SQLite answers the
    loser "database is locked" at once, without its busy handler, so ask again until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class CacheUnusable(ConfigError):
    """The cache file cannot be used; the scan runs without it (message: why, and that it was left alone)."""


def _version_key(version: str) -> tuple:
    """``"2/0.10.1"`` -> (2, (0, 10, 1)): comparable, so a newer cache is recognised."""
    schema, _, tool = version.partition("/")
    parts = tuple(int(p) if p.isdigit() else 0 for p in tool.replace("-", ".").split("."))
    return (int(schema) if schema.isdigit() else 0, parts)


def _db_key(key: str) -> str:
    """A source key as SQLite can store it: undecodable bytes of file names as ``\\xNN`` text."""
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if not key.isascii() else key


def _move_aside(path: Path) -> Path:
    """Rename a corrupt cache (and its WAL files) out of the way, keeping it for inspection."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.replace(src, f"{aside}{suffix}")
    return aside


class Cache:
    """The scan cache (one SQLite file). Use as a context manager, or call ``close()``.

    Opening identifies the file before touching it: a file that is not a crampcheck cache
    (another SQLite database, anything else, a FIFO) or a cache written by a newer crampcheck
    is left exactly as it is and ``CacheUnusable`` is raised; a corrupt crampcheck cache is
    moved aside (``moved_aside``) and rebuilt; a cache of an older version is emptied and
    rebuilt (``rebuilt``). A database error during the scan turns the cache off (``problem``)
    instead of stopping the scan.
    """

    def __init__(self, path: str | os.PathLike | None = None, version: str = __version__):
        self.path = Path(path) if path is not None else default_cache_path()
        self.version = f"{CACHE_SCHEMA_VERSION}/{version}"
        self.rebuilt = False  # True when an old-version cache was emptied on open
        self.moved_aside: Path | None = None  # where a corrupt cache was moved
        self.problem: str | None = None  # set when the cache failed during the scan (then unused)
        self._pending: list[tuple] = []
        where = str(self.path)
        try:
            if self.path.parent.exists() and not self.path.parent.is_dir():
                raise CacheUnusable(f"cannot create the cache: {self.path.parent} is not a folder; scanning without it", where)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._identify() == "corrupt":
                self.moved_aside = _move_aside(self.path)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except OSError as exc:
            raise CacheUnusable(f"cannot create or open the cache ({exc.strerror or exc}); scanning without it", where) from None
        except sqlite3.DatabaseError as exc:
            raise CacheUnusable(f"cannot open the cache ({exc}); scanning without it", where) from None
        try:
            _set_wal(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._check_version()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise CacheUnusable(f"cannot write the cache ({exc}); scanning without it", where) from None
        except BaseException:
            self.db.close()
            raise

    def _identify(self) -> str:
        """"new", "ours" or "corrupt" for the file at the cache path, read-only; raise
        CacheUnusable for a file crampcheck must not touch."""
        where = str(self.path)
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return "new"
        if not stat.S_ISREG(st.st_mode):
            raise CacheUnusable("not a regular file, so not a crampcheck cache: left alone; scanning without a cache", where)
        if st.st_size == 0:
            return "new"  # SQLite's own empty file (a first scan stopped before its first write)
        with open(self.path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise CacheUnusable("not a crampcheck cache (not even an SQLite file): left alone; choose another"
                                " --cache path or use --no-cache", where)
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.DatabaseError:
            return "corrupt"
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            stamp = dict(db.execute("SELECT name, value FROM meta").fetchall()) if "meta" in tables else {}
            if not tables:
                return "new"  # an SQLite file crampcheck created and never filled
            if stamp.get("marker") != CACHE_MARKER:
                raise CacheUnusable("not a crampcheck cache (an SQLite database of something else): left alone;"
                                    " choose another --cache path or use --no-cache", where)
            if _version_key(str(stamp.get("version", ""))) > _version_key(self.version):
                raise CacheUnusable(f"written by a newer crampcheck ({stamp.get('version')}): left alone;"
                                    " scanning without the cache", where)
            check = db.execute("PRAGMA quick_check(1)").fetchone()
            return "ours" if check and check[0] == "ok" else "corrupt"
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return "ours"  # another scan is writing it: the read-write open waits for it
            return "corrupt"
        finally:
            db.close()

    def _check_version(self) -> None:
        """Create the tables, or empty them when an older version of crampcheck wrote them (one
        transaction). Only a file marked as a crampcheck cache is ever changed."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            stamp = dict(db.execute("SELECT name, value FROM meta").fetchall()) if "meta" in tables else {}
            if tables and stamp.get("marker") != CACHE_MARKER:  # filled by someone else meanwhile
                raise CacheUnusable("not a crampcheck cache: left alone; choose another --cache path", str(self.path))
            if stamp and _version_key(stamp.get("version", "")) > _version_key(self.version):
                raise CacheUnusable(f"written by a newer crampcheck ({stamp.get('version')}): left alone;"
                                    " scanning without the cache", str(self.path))
            if stamp.get("version") != self.version:  # statements one by one: executescript would commit
                self.rebuilt = bool(stamp)
                db.execute("DROP TABLE IF EXISTS outcomes")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('marker', ?)", (CACHE_MARKER,))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _failed(self, exc: Exception) -> None:
        """A database error mid-scan: the cache is off for the rest of the scan."""
        self.problem = f"{self.path}: cache failed during the scan ({exc}); the rest of the scan ran without it"
        self._pending.clear()

    # --- reading -----------------------------------------------------------------------------
    def get(self, key: str, size: int, stamp: str, settings: str) -> tuple[Outcome, str] | None:
        """The outcome stored for this exact file version, and its content hash."""
        if self.problem:
            return None
        try:
            row = self.db.execute(
                "SELECT kind, payload, content_hash FROM outcomes WHERE key=? AND settings=? AND size=? AND stamp=?",
                (_db_key(key), settings, size, stamp),
            ).fetchone()
            return (Outcome(row[0], json.loads(row[1])), row[2]) if row else None
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._failed(exc)
            return None

    def get_by_hash(self, content_hash: str, settings: str) -> Outcome | None:
        """The outcome stored for the same bytes under any name."""
        if self.problem:
            return None
        try:
            row = self.db.execute(
                "SELECT kind, payload FROM outcomes WHERE content_hash=? AND settings=? LIMIT 1",
                (content_hash, settings),
            ).fetchone()
            return Outcome(row[0], json.loads(row[1])) if row else None
        except (sqlite3.DatabaseError, ValueError) as exc:
            self._failed(exc)
            return None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0]

    # --- writing -----------------------------------------------------------------------------
    def put(self, key: str, size: int, stamp: str, content_hash: str, settings: str, outcome: Outcome,
            batch: int = 64) -> None:
        """Queue one outcome; written in one transaction every ``batch`` items and on ``flush``."""
        if outcome.kind not in KINDS:
            raise ValueError(f"unknown outcome kind {outcome.kind!r}")
        if self.problem:
            return
        self._pending.append((_db_key(key), settings, size, stamp, content_hash, outcome.kind, json.dumps(outcome.payload)))
        if len(self._pending) >= batch:
            self.flush()

    def flush(self) -> None:
        """Write the queued outcomes in one transaction (all or none)."""
        if not self._pending or self.problem:
            return
        items, self._pending = self._pending, []
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?)", items)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
