"""SQLite cache of scan outcomes, so a rescan of an unchanged history parses nothing.

Location: ``$XDG_CACHE_HOME/crampcheck/cache.sqlite``, else ``~/.cache/crampcheck/cache.sqlite``.
An outcome (summary row, skip reason, or non-activity type) is stored as JSON under
(source key, analysis settings) with the file's size and stamp (mtime, or zip CRC); a
miss falls back to the content hash, so a moved or touched file is not parsed again.
A cache written by another schema or tool version is emptied and rebuilt, never read.
WAL mode and short transactions keep it consistent on Ctrl-C and with two scans at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crampcheck import __version__
from crampcheck.errors import ConfigError

CACHE_SCHEMA_VERSION = 4  # bump when the table layout, the row JSON or the judgement behind a row changes
CACHE_MARKER = "crampcheck-history-cache"
BUSY_TIMEOUT_S = 60.0  # wait this long for another scan's write lock
KINDS = ("row", "skip", "non_activity")

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


class Cache:
    """The scan cache (one SQLite file). Use as a context manager, or call ``close()``."""

    def __init__(self, path: str | os.PathLike | None = None, version: str = __version__):
        self.path = Path(path) if path is not None else default_cache_path()
        self.version = f"{CACHE_SCHEMA_VERSION}/{version}"
        self.rebuilt = False  # True when an old-version cache was emptied on open
        self._pending: list[tuple] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            _set_wal(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"not a usable crampcheck cache ({exc}); delete it or use --no-cache",
                              str(self.path)) from None
        except OSError as exc:
            raise ConfigError(f"cannot create the cache ({exc.strerror or exc}); use --no-cache",
                              str(self.path)) from None

    def _check_version(self) -> None:
        """Create the tables, or empty them when another version wrote them (one transaction)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "meta" not in tables:
                raise ConfigError("not a crampcheck cache (it holds other tables); use another --cache path",
                                  str(self.path))
            stamp = dict(db.execute("SELECT name, value FROM meta").fetchall()) if "meta" in tables else {}
            if stamp and stamp.get("marker") != CACHE_MARKER:
                raise ConfigError("not a crampcheck cache; use another --cache path", str(self.path))
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

    # --- reading -----------------------------------------------------------------------------
    def get(self, key: str, size: int, stamp: str, settings: str) -> tuple[Outcome, str] | None:
        """The outcome stored for this exact file version, and its content hash."""
        row = self.db.execute(
            "SELECT kind, payload, content_hash FROM outcomes WHERE key=? AND settings=? AND size=? AND stamp=?",
            (key, settings, size, stamp),
        ).fetchone()
        return (Outcome(row[0], json.loads(row[1])), row[2]) if row else None

    def get_by_hash(self, content_hash: str, settings: str) -> Outcome | None:
        """The outcome stored for the same bytes under any name."""
        row = self.db.execute(
            "SELECT kind, payload FROM outcomes WHERE content_hash=? AND settings=? LIMIT 1",
            (content_hash, settings),
        ).fetchone()
        return Outcome(row[0], json.loads(row[1])) if row else None

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0]

    # --- writing -----------------------------------------------------------------------------
    def put(self, key: str, size: int, stamp: str, content_hash: str, settings: str, outcome: Outcome,
            batch: int = 64) -> None:
        """Queue one outcome; written in one transaction every ``batch`` items and on ``flush``."""
        if outcome.kind not in KINDS:
            raise ValueError(f"unknown outcome kind {outcome.kind!r}")
        self._pending.append((key, settings, size, stamp, content_hash, outcome.kind, json.dumps(outcome.payload)))
        if len(self._pending) >= batch:
            self.flush()

    def flush(self) -> None:
        """Write the queued outcomes in one transaction (all or none)."""
        if not self._pending:
            return
        items, self._pending = self._pending, []
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?)", items)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
