"""The runner's cramp log: one SQLite file of user data, never part of the scan cache.

Location: ``platformdirs.user_data_dir("crampcheck")/cramps.sqlite`` (on Linux
``$XDG_DATA_HOME/crampcheck/cramps.sqlite``, else ``~/.local/share/crampcheck/cramps.sqlite``);
``--data PATH`` or ``[data] cramp_log`` in the config moves it. A cache rebuild or
``--no-cache`` never opens it. Each change is one transaction (``BEGIN IMMEDIATE``, WAL
mode, a busy timeout): a Ctrl-C leaves the log as it was before the change or after it,
and two writers at once wait for each other. The file carries a version stamp; a log of
another version is refused, never emptied (it is the runner's own record).

An entry is about one run, named by its content hash (a file, an ``export.zip!member``, or
the short id a scan prints: the first characters of the hash) or by its local date:

- ``cramp``: the runner cramped (where, which muscle, how badly, a note);
- ``none``: the runner counts this run as cramp-free (a race to compare with);
- ``reject``: a cramp found in the runner's text was not one.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampcheck.errors import ConfigError

if TYPE_CHECKING:  # sqlite3 is imported when a log is there to open: `analyze` without one never loads it
    import sqlite3

LOG_SCHEMA_VERSION = "1"
LOG_MARKER = "crampcheck-cramp-log"
BUSY_TIMEOUT_S = 60.0  # wait this long for another writer
KINDS = ("cramp", "none", "reject")
MUSCLES = ("calf", "hamstring", "quad", "foot", "other")
SEVERITIES = ("mild", "stopped", "dnf")  # ran on; had to stop; did not finish
LOG_FILE_NAME = "cramps.sqlite"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,        -- cramp | none | reject
        run TEXT NOT NULL,         -- the run as the runner named it (file, member, short id, date)
        content_hash TEXT,         -- sha256 hex of the run's file, or the short id's prefix of it
        run_date TEXT,             -- local day YYYY-MM-DD, when known
        label TEXT,                -- what the run was (name, distance), for the listing
        at_m REAL,                 -- where: metres into the run
        at_s REAL,                 -- or: seconds into the run
        muscle TEXT,
        severity TEXT,
        note TEXT,
        added_utc TEXT NOT NULL
    )""",
)


def default_log_path() -> Path:
    """The platform's user data directory + ``cramps.sqlite``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("crampcheck", appauthor=False)) / LOG_FILE_NAME


@dataclass(frozen=True)
class LogEntry:
    """One line of the log (see the module docstring)."""

    kind: str
    run: str
    content_hash: str | None = None
    run_date: str | None = None
    label: str | None = None
    at_m: float | None = None
    at_s: float | None = None
    muscle: str | None = None
    severity: str | None = None
    note: str | None = None
    added_utc: str | None = None
    id: int | None = None

    def matches(self, content_hash: str, day: date | None) -> bool:
        """True when this entry is about the run with this content hash (or on this local day,
        for an entry by date)."""
        if self.content_hash:
            return content_hash.startswith(self.content_hash)
        return self.run_date is not None and day is not None and self.run_date == day.isoformat()

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_COLUMNS = ("id", "kind", "run", "content_hash", "run_date", "label", "at_m", "at_s", "muscle", "severity", "note", "added_utc")


def _retry_locked(action, deadline: float):
    """Run ``action``; a "database is locked" answered at once (no busy handler, e.g. while
    another process switches to WAL) is asked again until ``deadline``."""
    import sqlite3

    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class CrampLog:
    """The cramp log file. ``create=False`` opens an existing log read-only in effect (nothing
    is created when it is absent: ``entries()`` is then empty)."""

    def __init__(self, path: str | os.PathLike | None = None, create: bool = True):
        self.path = Path(path).expanduser() if path is not None else default_log_path()
        self.db: sqlite3.Connection | None = None
        if not create and not self.path.exists():
            return
        if self.path.is_dir():
            raise ConfigError("is a directory, not a cramp log", str(self.path))
        if self.path.exists() and not stat.S_ISREG(self.path.stat().st_mode):  # a FIFO would hang SQLite
            raise ConfigError("not a regular file, so not a cramp log: left alone", str(self.path))
        import sqlite3

        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._check_version(create)  # first: a file that is not a cramp log is refused before any write
            deadline = time.monotonic() + BUSY_TIMEOUT_S
            _retry_locked(lambda: self.db.execute("PRAGMA journal_mode=WAL"), deadline)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ConfigError(f"not a usable cramp log ({exc})", str(self.path)) from None
        except OSError as exc:
            self.close()
            raise ConfigError(f"cannot open the cramp log ({exc.strerror or exc})", str(self.path)) from None

    def _check_version(self, create: bool) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables:
            stamp = dict(self.db.execute("SELECT name, value FROM meta").fetchall()) if "meta" in tables else {}
            if stamp.get("marker") != LOG_MARKER:
                raise ConfigError("not a crampcheck cramp log; use another --data path", str(self.path))
            if stamp.get("version") != LOG_SCHEMA_VERSION:
                raise ConfigError(f"cramp log of another version ({stamp.get('version')}); this crampcheck reads "
                                  f"version {LOG_SCHEMA_VERSION}: upgrade crampcheck (the log is left as it is)",
                                  str(self.path))
            return
        if not create:
            return
        self._write(lambda db: [db.execute(s) for s in _SCHEMA] + [
            db.execute("INSERT OR IGNORE INTO meta VALUES ('marker', ?)", (LOG_MARKER,)),
            db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (LOG_SCHEMA_VERSION,)),
        ])

    def _write(self, change) -> Any:
        """``change(db)`` in one IMMEDIATE transaction: all of it or none of it."""
        db = self.db
        _retry_locked(lambda: db.execute("BEGIN IMMEDIATE"), time.monotonic() + BUSY_TIMEOUT_S)
        try:
            result = change(db)
            db.execute("COMMIT")
            return result
        except BaseException:  # Ctrl-C included: the change is rolled back whole
            db.execute("ROLLBACK")
            raise

    # --- changes -------------------------------------------------------------------------------
    def add(self, entry: LogEntry) -> int:
        """Store one entry; its id."""
        if entry.kind not in KINDS:
            raise ValueError(f"unknown entry kind {entry.kind!r}")
        added = entry.added_utc or datetime.now(timezone.utc).isoformat(timespec="seconds")
        values = (entry.kind, entry.run, entry.content_hash, entry.run_date, entry.label, entry.at_m, entry.at_s,
                  entry.muscle, entry.severity, entry.note, added)
        return self._write(lambda db: db.execute(
            f"INSERT INTO entries ({', '.join(_COLUMNS[1:])}) VALUES ({', '.join('?' * len(values))})", values,
        ).lastrowid)

    def remove(self, entry_id: int) -> LogEntry | None:
        """Remove one entry; the entry removed, or None when there is no such id."""
        def change(db):
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE id=?", (entry_id,)).fetchone()
            if row:
                db.execute("DELETE FROM entries WHERE id=?", (entry_id,))
            return row

        row = self._write(change)
        return LogEntry(**dict(zip(_COLUMNS, row))) if row else None

    # --- reading -------------------------------------------------------------------------------
    def entries(self) -> list[LogEntry]:
        """Every entry, oldest first."""
        if self.db is None:
            return []
        rows = self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM entries ORDER BY id").fetchall()
        return [LogEntry(**dict(zip(_COLUMNS, r))) for r in rows]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self) -> CrampLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_log(path: str | os.PathLike | None = None) -> list[LogEntry]:
    """The entries of the log at ``path`` (default location when None); [] when there is none."""
    with CrampLog(path, create=False) as log:
        return log.entries()


def past_cramps_reason(entries: list[LogEntry]) -> str | None:
    """"you logged 3 cramps, the last on 2024-10-13" when the log holds cramps, else None."""
    cramps = [e for e in entries if e.kind == "cramp"]
    if not cramps:
        return None
    days = [e.run_date for e in cramps if e.run_date]
    last = f", the last on {max(days)}" if days else ""
    return f"you logged {len(cramps)} cramp{'s' if len(cramps) != 1 else ''}{last}"
