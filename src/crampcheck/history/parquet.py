"""The Parquet summary: one row per activity, SI units, one boolean column per run finding.

``summary_table(rows)`` is the ``scan --format parquet`` / ``team --format parquet`` output
(schema ``SUMMARY_SCHEMA_NAME``, documented in README.md); ``ParquetCache`` keeps a Dask scan's
outcomes in the same layout plus the columns that identify each file (name, size, stamp), so
the summary *is* the cache there. pyarrow is imported only when a Parquet file is read or written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crampcheck import __version__
from crampcheck.errors import ConfigError
from crampcheck.history.cache import CACHE_SCHEMA_VERSION, Outcome
from crampcheck.history.factors import HISTORY_FACTOR_IDS
from crampcheck.history.summary import ActivitySummary
from crampcheck.risk.thresholds import FACTORS

SUMMARY_SCHEMA_NAME = "crampcheck.summary/1"
METADATA_KEY = b"crampcheck"
INSTALL_HINT = 'Parquet needs pyarrow: pip install "crampcheck[parquet]" (or "crampcheck[dask]")'
# one boolean column per factor a single run can show: not the history factors (heat_unacclimatized is one, in
# history/heat.py), nor the table's groups of thresholds that are no finding (data_checks, digest)
NOT_RUN_FINDINGS = (*HISTORY_FACTOR_IDS, "heat_unacclimatized", "data_checks", "digest")
RUN_FINDING_IDS = tuple(k for k in FACTORS if k not in NOT_RUN_FINDINGS)
FINDING_PREFIX = "finding_"
# (column, arrow type name, ActivitySummary attribute or None when derived); order = column order
NUMBERS = ("distance_m", "moving_time_s", "elapsed_time_s", "avg_speed_m_s", "temperature_c_mean",
           "heart_rate_mean_bpm", "first_vs_last_ratio", "best_sustained_speed_m_s")
TEXTS = ("file", "content_hash", "format", "sport", "sub_sport", "name", "race_marked_by", "shape", "overall")
CACHE_COLUMNS = ("source_key", "source_size", "source_stamp", "settings", "outcome_kind", "outcome_json")


def _pa() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return pyarrow


def summary_schema(with_cache: bool = False) -> Any:
    """The arrow schema of the summary (and, ``with_cache``, of the Dask cache file)."""
    pa = _pa()
    cols = [pa.field("athlete", pa.string()), pa.field("file", pa.string()), pa.field("content_hash", pa.string()),
            pa.field("format", pa.string()), pa.field("start_time_utc", pa.timestamp("us", tz="UTC")),
            pa.field("start_time_local", pa.string()), pa.field("day", pa.date32()),
            pa.field("sport", pa.string()), pa.field("sub_sport", pa.string()), pa.field("name", pa.string()),
            pa.field("is_race", pa.bool_()), pa.field("race_marked_by", pa.string())]
    cols += [pa.field(n, pa.float64()) for n in NUMBERS]
    cols += [pa.field("shape", pa.string()), pa.field("overall", pa.string()), pa.field("findings", pa.list_(pa.string()))]
    cols += [pa.field(FINDING_PREFIX + f, pa.bool_()) for f in RUN_FINDING_IDS]
    if with_cache:
        cols += [pa.field("source_key", pa.string()), pa.field("source_size", pa.int64()),
                 pa.field("source_stamp", pa.string()), pa.field("settings", pa.string()),
                 pa.field("outcome_kind", pa.string()), pa.field("outcome_json", pa.string())]
    return pa.schema(cols, metadata={METADATA_KEY: json.dumps({"schema": SUMMARY_SCHEMA_NAME, "version": __version__,
                                                               "cache": CACHE_SCHEMA_VERSION if with_cache else None})})


def summary_record(row: ActivitySummary | None, athlete: str | None = None) -> dict[str, Any]:
    """One activity as a record of the summary schema (every column None for ``row=None``)."""
    if row is None:
        return {"athlete": athlete}
    out: dict[str, Any] = {"athlete": athlete, "file": row.file, "content_hash": row.content_hash, "format": row.format,
           "start_time_utc": row.start_time_utc,
           "start_time_local": row.start_time_local.isoformat() if row.start_time_local else None,
           "day": row.day, "sport": row.sport, "sub_sport": row.sub_sport, "name": row.name,
           "is_race": bool(row.is_race), "race_marked_by": row.race_marked_by,
           "shape": row.shape, "overall": row.overall, "findings": list(row.findings)}
    out.update({n: getattr(row, n) for n in NUMBERS})
    ids = set(row.findings)
    out.update({FINDING_PREFIX + f: f in ids for f in RUN_FINDING_IDS})
    return out


def summary_table(rows: Iterable[tuple[str | None, ActivitySummary]]) -> Any:
    """A pyarrow Table of ``(athlete, row)`` pairs, one row per activity."""
    pa = _pa()
    return pa.Table.from_pylist([summary_record(r, a) for a, r in rows], schema=summary_schema())


def _write_atomic(table: Any, path: Path) -> None:
    """Write next to ``path`` and rename: a crash leaves the old file or the new one, never half."""
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_summary(path: str | os.PathLike, rows: Iterable[tuple[str | None, ActivitySummary]]) -> int:
    """Write the summary to ``path`` (Parquet); returns the number of rows."""
    table = summary_table(rows)
    try:
        _write_atomic(table, Path(path))
    except OSError as exc:
        raise ConfigError(f"cannot write ({exc.strerror or exc})", str(path)) from None
    return table.num_rows


def default_parquet_cache_path() -> Path:
    """``$XDG_CACHE_HOME/crampcheck/summary.parquet``, else ``~/.cache/crampcheck/summary.parquet``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crampcheck" / "summary.parquet"


@contextmanager
def _folder_lock(folder: Path):
    """An exclusive lock on ``folder`` (flock on its descriptor: no lock file is written),
    held while the cache is merged and replaced; no lock where flock does not exist."""
    try:
        import fcntl
    except ImportError:  # Windows: one scan at a time is the user's to keep
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class ParquetCache:
    """The Dask engine's cache: the summary table plus each file's key, size, stamp and outcome.

    The same interface as ``cache.Cache`` (``get``, ``get_by_hash``, ``put``, ``close``): read
    whole on open (the client holds one small row per file), written whole on close, atomically.
    A file written by another version is rebuilt, never misread.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_parquet_cache_path()
        self.rebuilt = False
        self.problem: str | None = None  # the SQLite cache's interface (scan reads these); a Parquet problem is an error
        self.moved_aside: Path | None = None
        self._by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self._by_hash: dict[tuple[str, str], Outcome] = {}
        self._dirty = False
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        records = self._read()
        if records is None:
            self.rebuilt = True
            return
        for key, rec in records.items():
            self._by_key[key] = rec
            if rec["content_hash"]:
                self._by_hash[(rec["content_hash"], rec["settings"])] = Outcome(rec["outcome_kind"], json.loads(rec["outcome_json"]))

    def _read(self) -> dict[tuple[str, str], dict[str, Any]] | None:
        """The cache records of the file, by (source key, settings); None when another version
        of crampcheck wrote it (its records are not read)."""
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(self.path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise ConfigError(f"not a usable crampcheck cache ({exc}); delete it or use --no-cache", str(self.path)) from None
        meta = json.loads((table.schema.metadata or {}).get(METADATA_KEY, b"{}"))
        if meta.get("cache") != CACHE_SCHEMA_VERSION or meta.get("version") != __version__:
            return None
        return {(rec["source_key"], rec["settings"]): rec
                for rec in table.select(list(CACHE_COLUMNS) + ["content_hash"]).to_pylist()}

    def get(self, key: str, size: int, stamp: str, settings: str) -> tuple[Outcome, str] | None:
        rec = self._by_key.get((key, settings))
        if rec is None or rec["source_size"] != size or rec["source_stamp"] != stamp:
            return None
        return Outcome(rec["outcome_kind"], json.loads(rec["outcome_json"])), rec["content_hash"] or ""

    def get_by_hash(self, content_hash: str, settings: str) -> Outcome | None:
        return self._by_hash.get((content_hash, settings))

    def put(self, key: str, size: int, stamp: str, content_hash: str, settings: str, outcome: Outcome) -> None:
        row = ActivitySummary.from_json(outcome.payload) if outcome.kind == "row" else None
        rec = summary_record(row)
        rec.update({"content_hash": content_hash or None, "source_key": key, "source_size": int(size),
                    "source_stamp": stamp, "settings": settings, "outcome_kind": outcome.kind,
                    "outcome_json": json.dumps(outcome.payload)})
        self._by_key[(key, settings)] = rec
        if content_hash:
            self._by_hash[(content_hash, settings)] = outcome
        self._dirty = True

    def close(self) -> None:
        """Write the records, merged with what another scan wrote since this one opened the file
        (this scan's records win for the same file), under a lock on the cache's folder: two
        scans sharing one cache keep each other's entries."""
        if not self._dirty:
            return
        pa = _pa()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _folder_lock(self.path.parent):
                for key, rec in ((self._read() or {}) if self.path.exists() else {}).items():
                    self._by_key.setdefault(key, rec)
                table = pa.Table.from_pylist(self._full_records(), schema=summary_schema(with_cache=True))
                _write_atomic(table, self.path)
        except OSError as exc:
            raise ConfigError(f"cannot write the cache ({exc.strerror or exc}); use --no-cache", str(self.path)) from None
        self._dirty = False

    def _full_records(self) -> list[dict[str, Any]]:
        """Every stored record with all its summary columns (records loaded from the file hold
        only the cache columns: rebuild them from their outcome)."""
        out = []
        for rec in self._by_key.values():
            if "outcome_json" in rec and "file" not in rec and rec["outcome_kind"] == "row":
                full = summary_record(ActivitySummary.from_json(json.loads(rec["outcome_json"])))
                full.update(rec)
                rec = full
            out.append(rec)
        return out
