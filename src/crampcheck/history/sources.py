"""Walk an input path into a stream of activity sources (nothing is extracted to disk).

An input is a folder (walked recursively), a single file, a Garmin account export zip
(zips inside the zip) or a Strava bulk export (zip or folder). Zips are read in place,
small nested ones through memory and big ones streamed, under the limits of ``ZipLimits``
(member size, compression ratio, expansion relative to the archive, depth; overlapping
entries refuse the archive); member names are only labels, never paths to write. Export
metadata (names, race marks) is gathered on the way into an ``ExportIndex`` and matched to
the parsed runs afterwards. Nothing aborts the walk: a folder that cannot be listed, a
symlink loop, a symlinked folder, a FIFO or a bad archive becomes a source with a ``problem``.

Source names: ``runs/a.fit``, ``export.zip!DI_CONNECT/.../UploadedFiles_0_Part1.zip!12345.fit``.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import json
import math
import os
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from crampcheck.errors import UnreadableFileError
from crampcheck.files import not_regular, read_regular
from crampcheck.schema import Activity, AirReading
from crampcheck.sports import sport_from_label

MIB = 1024 * 1024
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
MAX_FILE_BYTES = 256 * MIB  # one activity file (a day-long FIT is a few MB)
MAX_NESTED_ZIP_BYTES = 4096 * MIB  # a zip inside a zip (streamed, never held whole beyond the next line)
NESTED_IN_MEMORY_BYTES = 64 * MIB  # a nested zip up to this is read into memory; a bigger one is streamed
MAX_TOTAL_BYTES = 64 * 1024 * MIB  # everything read out of one archive tree, at most...
TOTAL_EXPANSION_RATIO = 50.0  # ...and at most this times the archive's own size (plus the first...)
TOTAL_EXPANSION_FLOOR_BYTES = 256 * MIB  # ...this many bytes, which any small archive may expand to)
MAX_COMPRESSION_RATIO = 200.0  # uncompressed/compressed beyond this (on big members): a zip bomb
LOCAL_HEADER_BYTES = 30  # fixed part of a zip local file header
RATIO_CHECK_MIN_BYTES = 1 * MIB  # small members are not ratio-checked (tiny files compress oddly)
MAX_ZIP_DEPTH = 3  # export.zip -> UploadedFiles.zip -> ... no deeper
MATCH_START_TOLERANCE = timedelta(minutes=1)  # export metadata vs file start time
ARCHIVE_SEP = "!"
MAX_TEXT_CHARS = 2000  # characters kept of a description or note

STRAVA_CSV = "activities.csv"
GARMIN_SUMMARY_SUFFIX = "summarizedactivities.json"
GARMIN_RACE_EVENT_TYPE_ID = 1  # Garmin Connect event type "race"
GARMIN_MS_RANGE = (0, 253402300799999)  # start times in ms: 1970 up to the end of year 9999
STRAVA_RACE_WORKOUT_TYPES = {1, 11}  # Strava workout_type: 1 = race (run), 11 = race (ride)
# The bulk export's activities.csv names the workout type "Type" (after "Perceived Exertion";
# older exports print the untranslated key "translation missing: ...horton_values.type"), and
# some third-party rewrites "Workout Type". Its value is the workout_type code or its word.
STRAVA_WORKOUT_TYPE_COLUMNS = ("Type", "Workout Type")
STRAVA_WORKOUT_TYPE_KEY_SUFFIX = "horton_values.type"
STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%b %d, %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S")  # "Activity Date", UTC
SKIPPED_DIRS = frozenset({"routes", "segments", "clubs", "media"})  # export folders that hold no activity of the runner


@dataclass(frozen=True)
class ZipLimits:
    """Size limits against zip bombs (bytes, uncompressed)."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_nested_zip_bytes: int = MAX_NESTED_ZIP_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_COMPRESSION_RATIO
    ratio_check_min_bytes: int = RATIO_CHECK_MIN_BYTES
    max_depth: int = MAX_ZIP_DEPTH
    nested_in_memory_bytes: int = NESTED_IN_MEMORY_BYTES
    total_expansion_ratio: float = TOTAL_EXPANSION_RATIO
    total_expansion_floor_bytes: int = TOTAL_EXPANSION_FLOOR_BYTES

    def budget_for(self, archive_bytes: int) -> int:
        """Bytes one archive tree may expand to: relative to its own size, under the absolute cap."""
        relative = self.total_expansion_floor_bytes + archive_bytes * self.total_expansion_ratio
        return int(min(self.max_total_bytes, relative))


@dataclass(frozen=True)
class Source:
    """One candidate activity file.

    ``key`` (absolute, stable) + ``size`` + ``stamp`` (mtime or zip CRC) identify it for the
    cache. ``load()`` returns its bytes and is valid until the next source is pulled from the
    stream (zips are read in place). ``problem`` is set when the file was refused unread.
    """

    name: str  # label shown to the user
    key: str  # cache key
    size: int
    stamp: str
    container: str  # key of the folder or zip it sits in
    relpath: str  # posix path inside that container
    loader: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)
    problem: str | None = None
    path: str | None = None  # a plain file on disk (not an archive member): a worker may read it itself
    location: str | None = None  # a plain file's path or an fsspec URL: what an engine's workers read (Dask)

    def load(self) -> bytes:
        if self.loader is None:
            raise UnreadableFileError(self.problem or "cannot be read", self.name)
        return self.loader()


@dataclass(frozen=True)
class ExportMeta:
    """What an account export says about one activity."""

    origin: str  # "garmin" | "strava"
    name: str | None = None
    sport: str | None = None  # normalized (running, cycling, ...)
    is_race: bool = False
    start_time_utc: datetime | None = None
    activity_id: str | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (where, text): descriptions and notes the runner wrote
    # a manual entry (no file): what the export says of it
    distance_m: float | None = None
    moving_time_s: float | None = None
    elapsed_time_s: float | None = None
    label: str | None = None  # where it was read ("export.zip!activities.csv#123")
    # the export's weather for the run (Strava activities.csv since 2020): deg C, relative humidity %
    air_temperature_c: float | None = None
    air_humidity_pct: float | None = None
    air_dew_point_c: float | None = None


EXPORT_AIR_SOURCE = "export (Strava activities.csv weather columns)"


def export_reading(meta: ExportMeta) -> AirReading | None:
    """The export's weather for the run as a reading of the air (None when it has none)."""
    if meta.air_temperature_c is None:
        return None
    return AirReading("export", EXPORT_AIR_SOURCE, temperature_c=meta.air_temperature_c,
                      humidity_pct=meta.air_humidity_pct, dew_point_c=meta.air_dew_point_c)


def apply_export(activity: Activity, meta: ExportMeta) -> None:
    """What the export says of the run onto the activity, before it is measured and judged: its
    name, sport and race mark win over the file's labels; its texts join the file's; its
    weather joins the file's readings of the air (and outranks all but the user's)."""
    activity.name = meta.name or activity.name
    if meta.sport and meta.sport != "other":
        activity.sport, activity.sport_source = meta.sport, "export"
    if meta.is_race and not activity.is_race:
        activity.is_race, activity.race_marked_by = True, "export"
    activity.texts = [*activity.texts, *meta.texts]
    air = export_reading(meta)
    if air is not None:
        activity.air = [*activity.air, air]


def meta_fingerprint(meta: ExportMeta | None) -> str:
    """What of an export's entry changes a run's outcome, as text (a cache key's part)."""
    if meta is None:
        return ""
    return repr((meta.name, meta.sport, meta.is_race, meta.texts, meta.air_temperature_c, meta.air_humidity_pct,
                 meta.air_dew_point_c))


@dataclass
class ExportIndex:
    """Export metadata found while walking: Strava by file, Garmin by activity id / start time."""

    by_file: dict[tuple[str, str], ExportMeta] = field(default_factory=dict)  # (container, relpath)
    by_id: dict[str, ExportMeta] = field(default_factory=dict)
    by_start: list[ExportMeta] = field(default_factory=list)
    manual: list[ExportMeta] = field(default_factory=list)  # Strava rows without a file
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, why) metadata not read
    _times: list[datetime] = field(default_factory=list, repr=False)

    def match(self, container: str, relpath: str, start_time_utc: datetime | None) -> ExportMeta | None:
        """The metadata of one parsed file: by file name, then activity id, then start time."""
        meta = self.by_file.get((container, relpath))
        if meta:
            return meta
        stem = posixpath.basename(relpath).split(".")[0]
        digits = re.search(r"(\d+)$", stem)
        if digits and digits.group(1) in self.by_id:
            return self.by_id[digits.group(1)]
        if start_time_utc is None or not self.by_start:
            return None
        if len(self._times) != len(self.by_start):  # sort once, after the walk
            self.by_start.sort(key=lambda m: m.start_time_utc)
            self._times = [m.start_time_utc for m in self.by_start]
        times = self._times
        i = bisect.bisect_left(times, start_time_utc)
        near = [m for m in self.by_start[max(i - 1, 0):i + 1]
                if abs(m.start_time_utc - start_time_utc) <= MATCH_START_TOLERANCE]
        return min(near, key=lambda m: abs(m.start_time_utc - start_time_utc), default=None)


# --- export metadata readers ----------------------------------------------------------------
def normalize_sport(label: str | None) -> str | None:
    """``"Trail Run"``, ``"trail_running"``, ``"Laufen"`` -> ``"running"``; unknown labels -> ``"other"``."""
    if not label or not str(label).strip():
        return None
    return sport_from_label(str(label))[0]


def _garmin_time(value: Any) -> datetime | None:
    """Garmin start time: milliseconds since 1970 (UTC) or ``"YYYY-MM-DD HH:MM:SS"`` (GMT);
    None when absent or outside what a datetime holds (``1e20``, ``1e400``, ``10**400``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not GARMIN_MS_RANGE[0] <= value <= GARMIN_MS_RANGE[1]:  # also False for NaN
            return None
        return datetime.fromtimestamp(value / 1000.0, tz=timezone.utc)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace(" ", "T")).replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


def _garmin_is_race(item: dict) -> bool:
    for key in ("eventType", "eventTypeDTO"):
        event = item.get(key)
        if isinstance(event, dict) and str(event.get("typeKey", "")).lower() == "race":
            return True
        if isinstance(event, str) and event.lower() == "race":
            return True
    return item.get("eventTypeId") == GARMIN_RACE_EVENT_TYPE_ID


def _garmin_items(doc: Any) -> Iterator[dict]:
    """Activity dicts of a summarizedActivities.json (a list of {"summarizedActivitiesExport": [...]})."""
    if isinstance(doc, dict):
        doc = [doc]
    for block in doc if isinstance(doc, list) else []:
        if isinstance(block, dict) and isinstance(block.get("summarizedActivitiesExport"), list):
            yield from (a for a in block["summarizedActivitiesExport"] if isinstance(a, dict))
        elif isinstance(block, dict) and "activityId" in block:
            yield block


def _garmin_meta(item: dict) -> ExportMeta:
    sport = item.get("activityType") or item.get("sportType")
    if isinstance(sport, dict):
        sport = sport.get("typeKey")
    name = item.get("name") or item.get("activityName")
    activity_id = item.get("activityId")
    return ExportMeta(
        origin="garmin",
        name=name if isinstance(name, str) else None,  # a number or an object is no name
        sport=normalize_sport(sport if isinstance(sport, str) else None),
        is_race=_garmin_is_race(item),
        start_time_utc=_garmin_time(item.get("startTimeGmt", item.get("startTimeGMT", item.get("beginTimestamp")))),
        activity_id=str(activity_id) if isinstance(activity_id, (int, str)) and not isinstance(activity_id, bool) else None,
        texts=_texts(("Garmin description", item.get("description")),),
    )


def read_garmin_summary(data: bytes, index: ExportIndex, label: str = "") -> None:
    """Add the activities of a Garmin ``*summarizedActivities.json`` to ``index``; an entry
    with malformed fields is noted in ``index.problems`` and the others are still read."""
    for n, item in enumerate(_garmin_items(json.loads(data))):
        try:
            meta = _garmin_meta(item)
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            index.problems.append((label, f"export metadata entry {n + 1} not readable ({type(exc).__name__}: {exc})"))
            continue
        if meta.activity_id:
            index.by_id[meta.activity_id] = meta
        if meta.start_time_utc:
            index.by_start.append(meta)


def _texts(*pairs: tuple[str, Any]) -> tuple[tuple[str, str], ...]:
    """The non-empty texts among (where, value), each cut to MAX_TEXT_CHARS."""
    return tuple((where, value.strip()[:MAX_TEXT_CHARS]) for where, value in pairs
                 if isinstance(value, str) and value.strip())


def _strava_is_race(value: str | None) -> bool:
    """A Strava workout type that says race: the code (1 run, 11 ride) or the word."""
    if not value:
        return False
    if "race" in value.lower():
        return True
    try:
        return int(float(value)) in STRAVA_RACE_WORKOUT_TYPES
    except ValueError:
        return False


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


STRAVA_WEATHER_RANGE_C = (-60.0, 60.0)  # a weather temperature outside this is not one


def _float(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def strava_weather(temperature: str | None, humidity: str | None, dew_point: str | None) -> dict[str, float]:
    """The air fields of ExportMeta from Strava's ``Weather Temperature`` (deg C), ``Humidity``
    (a fraction 0-1, as Strava writes it; values above 1 are read as %) and ``Dewpoint`` (deg C)
    columns; {} when the row has no usable weather temperature."""
    celsius = _float(temperature)
    low, high = STRAVA_WEATHER_RANGE_C
    if celsius is None or not low <= celsius <= high:
        return {}
    out = {"air_temperature_c": celsius}
    fraction = _float(humidity)
    if fraction is not None and 0 < fraction <= 100:
        out["air_humidity_pct"] = fraction * 100.0 if fraction <= 1.0 else fraction
    dew = _float(dew_point)
    if dew is not None and low <= dew <= celsius + 0.5:
        out["air_dew_point_c"] = dew
    return out


def _strava_time(value: str | None) -> datetime | None:
    for fmt in STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(value or "", fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def read_strava_csv(data: bytes, container: str, csv_relpath: str, index: ExportIndex, label: str = STRAVA_CSV) -> None:
    """Add the rows of a Strava ``activities.csv`` to ``index``: by file, or as manual entries.

    Columns are read by their real names; "Distance", "Elapsed Time" and others appear twice
    (the first in the display unit, the second in metres / seconds): the second is read.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
    header = [h.strip() for h in next(reader, None) or []]
    columns: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        columns.setdefault(name, []).append(i)
    workout = next((c for c in STRAVA_WORKOUT_TYPE_COLUMNS if c in columns), None)
    workout = workout or next((h for h in header if h.endswith(STRAVA_WORKOUT_TYPE_KEY_SUFFIX)), None)

    def get(row: list[str], name: str | None, which: int = 0) -> str | None:
        at = columns.get(name or "", [])
        i = at[which] if len(at) > which else None
        return row[i].strip() if i is not None and i < len(row) and row[i].strip() else None

    base = posixpath.dirname(csv_relpath)
    for row in reader:
        filename = get(row, "Filename")
        meta = ExportMeta(
            origin="strava",
            name=get(row, "Activity Name"),
            sport=normalize_sport(get(row, "Activity Type")),
            is_race=_strava_is_race(get(row, workout)),
            activity_id=get(row, "Activity ID"),
            texts=_texts(("Strava description", get(row, "Activity Description")),
                         ("Strava private note", get(row, "Activity Private Note"))),
            **strava_weather(get(row, "Weather Temperature"), get(row, "Humidity"), get(row, "Dewpoint")),
        )
        if filename:
            relpath = posixpath.normpath(posixpath.join(base, filename.replace("\\", "/")))
            index.by_file[(container, relpath)] = meta
            continue
        start = _strava_time(get(row, "Activity Date"))
        elapsed = _number(get(row, "Elapsed Time", 1)) or _number(get(row, "Elapsed Time"))
        distance = _number(get(row, "Distance", 1))  # metres; the first Distance is in the display unit
        if start is None or not distance or not elapsed:
            continue  # not enough to place it in the weekly volume
        index.manual.append(ExportMeta(
            origin="strava", name=meta.name, sport=meta.sport, is_race=meta.is_race, start_time_utc=start,
            activity_id=meta.activity_id, distance_m=distance, elapsed_time_s=elapsed,
            moving_time_s=_number(get(row, "Moving Time")) or elapsed,
            label=f"{label}#{meta.activity_id or len(index.manual) + 1}",
        ))


def _read_metadata(kind: str, data: bytes, container: str, relpath: str, label: str, index: ExportIndex) -> None:
    try:
        if kind == "garmin":
            read_garmin_summary(data, index, label)
        else:
            read_strava_csv(data, container, relpath, index, label)
    except (ValueError, UnicodeDecodeError, csv.Error) as exc:
        index.problems.append((label, f"export metadata not readable ({exc})"))
    except RecursionError:
        index.problems.append((label, "export metadata not readable (nested too deeply)"))
    except Exception as exc:  # malformed metadata never stops a scan: the activity files are still read
        index.problems.append((label, f"export metadata not readable ({type(exc).__name__}: {exc})"))


def _metadata_kind(relpath: str) -> str | None:
    base = posixpath.basename(relpath).lower()
    if base == STRAVA_CSV:
        return "strava"
    if base.endswith(GARMIN_SUMMARY_SUFFIX):
        return "garmin"
    return None


def metadata_first(name: str) -> tuple[bool, str]:
    """Sort key of a listing: export metadata files first, then by name, so that what an
    export says of a run (its weather above all, which the worker judges heat by) is known
    before the run's file is read."""
    return _metadata_kind(name) is None, name


def is_url(path: object) -> bool:
    """``s3://bucket/runs``, ``gs://...``, ``file:///...``: a path for fsspec, not the local file system."""
    return isinstance(path, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", path) is not None


def is_activity_name(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def unsafe_member_name(name: str) -> str | None:
    """Why an archive member name is refused (absolute, drive, ``..``, NUL), or None."""
    if "\x00" in name:
        return "member name holds a NUL byte"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm):
        return "absolute member path refused"
    if ".." in norm.split("/"):
        return "member path with '..' refused"
    return None


# --- walking --------------------------------------------------------------------------------
class _Budget:
    """Bytes read out of one archive tree so far."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, n: int) -> bool:
        if self.used + n > self.limit:
            return False
        self.used += n
        return True


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, label: str) -> bytes:
    """Read one member, never more than ``limit`` bytes whatever its header claims."""
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableFileError(f"archive member not readable ({exc})", label) from None
    except Exception as exc:  # zlib.error and friends from a corrupt stream
        raise UnreadableFileError(f"archive member not readable ({type(exc).__name__}: {exc})", label) from None
    if len(data) > limit:
        raise UnreadableFileError(f"archive member larger than {limit // MIB} MB", label)
    return data


def _member_problem(info: zipfile.ZipInfo, limit: int, limits: ZipLimits) -> str | None:
    unsafe = unsafe_member_name(info.filename)
    if unsafe:
        return unsafe
    if info.flag_bits & 0x1:
        return "encrypted archive member"
    if info.file_size > limit:
        return f"archive member too large ({info.file_size // MIB} MB > {limit // MIB} MB)"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= limits.ratio_check_min_bytes and ratio > limits.max_ratio:
        return f"compression ratio {ratio:.0f}:1 refused (zip bomb?)"
    return None


def overlap_problem(zf: zipfile.ZipFile) -> str | None:
    """Why a zip's entries cannot be trusted: two entries at one offset, or one entry's data
    running into the next (the overlapping-entry zip bomb, unchecked by Python before 3.11.8)."""
    infos = sorted(zf.infolist(), key=lambda i: i.header_offset)
    end_of_data = getattr(zf, "start_dir", None)
    for info, nxt in zip(infos, [*infos[1:], None]):
        name_bytes = len(info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace"))
        end = info.header_offset + LOCAL_HEADER_BYTES + name_bytes + info.compress_size
        limit = nxt.header_offset if nxt is not None else end_of_data
        if nxt is not None and nxt.header_offset == info.header_offset:
            return "two archive entries at one offset (a zip bomb?): archive refused"
        if limit is not None and end > limit:
            return "overlapping archive entries (a zip bomb?): archive refused"
    return None


def _open_nested(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, label: str) -> zipfile.ZipFile:
    """A zip inside a zip: read into memory when small, else streamed from the outer member."""
    if info.file_size <= limits.nested_in_memory_bytes:
        return zipfile.ZipFile(io.BytesIO(_read_member(zf, info, limits.nested_in_memory_bytes, label)))
    try:
        return zipfile.ZipFile(zf.open(info))
    except (zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableFileError(f"archive member not readable ({exc})", label) from None


def _walk_zip(zf: zipfile.ZipFile, label: str, key: str, depth: int, limits: ZipLimits,
              budget: _Budget, index: ExportIndex) -> Iterator[Source]:
    """Sources of one open zip (``label``/``key``: its name and cache key).

    A streamed zip (nested, big) is walked in offset order, so its stream only moves forward."""
    overlap = overlap_problem(zf)
    if overlap:
        yield Source(label, key, 0, "", key, "", None, overlap)
        return
    streamed = isinstance(zf.fp, zipfile.ZipExtFile)
    order = (lambda i: i.header_offset) if streamed else (lambda i: metadata_first(i.filename))
    for info in sorted(zf.infolist(), key=order):
        if info.is_dir():
            continue
        relpath = info.filename.replace("\\", "/")
        name, mkey = f"{label}{ARCHIVE_SEP}{relpath}", f"{key}{ARCHIVE_SEP}{relpath}"
        lower = relpath.lower()
        if not SKIPPED_DIRS.isdisjoint(part.lower() for part in relpath.split("/")[:-1]):
            continue  # routes/ and the like: planned courses, not runs
        is_zip, meta_kind = lower.endswith(".zip"), _metadata_kind(relpath)
        if not (is_zip or meta_kind or is_activity_name(relpath)):
            continue
        limit = limits.max_nested_zip_bytes if is_zip else limits.max_file_bytes
        problem = _member_problem(info, limit, limits)
        if problem is None and is_zip and depth >= limits.max_depth:
            problem = f"zip nested deeper than {limits.max_depth} levels refused"
        if problem is None and not budget.take(info.file_size):
            problem = f"archive expands to more than {budget.limit // MIB} MB in all: rest refused (zip bomb?)"
        stamp = f"crc{info.CRC:08x}:{info.file_size}"
        if problem:
            yield Source(name, mkey, info.file_size, stamp, key, relpath, None, problem)
            continue
        if meta_kind:
            try:
                _read_metadata(meta_kind, _read_member(zf, info, limit, name), key, relpath, name, index)
            except UnreadableFileError as exc:
                index.problems.append((name, exc.message))
            continue
        if is_zip:
            try:
                inner = _open_nested(zf, info, limits, name)
            except UnreadableFileError as exc:
                yield Source(name, mkey, info.file_size, stamp, key, relpath, None, exc.message)
                continue
            except zipfile.BadZipFile as exc:
                yield Source(name, mkey, info.file_size, stamp, key, relpath, None, f"not a readable zip ({exc})")
                continue
            stream = inner.fp  # a streamed member (ZipFile leaves a passed file open) or a BytesIO
            try:
                with inner:
                    yield from _walk_zip(inner, name, mkey, depth + 1, limits, budget, index)
            finally:
                stream.close()
            continue
        loader = functools.partial(_read_member, zf, info, limit, name)
        yield Source(name, mkey, info.file_size, stamp, key, relpath, loader)


def _file_loader(path: Path, limit: int, label: str) -> Callable[[], bytes]:
    def load() -> bytes:
        return read_regular(path, limit, label=label)  # a FIFO or device is refused, never read

    return load


def _path_key(path: Path) -> str:
    """The cache key of a path: resolved when it can be, else absolute (symlink loops, long paths)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def _file_source(path: Path, label: str, container: str, relpath: str, limits: ZipLimits) -> Source:
    try:
        st = path.stat()
    except (OSError, RuntimeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        return Source(label, _path_key(path), 0, "", container, relpath, None, f"cannot read ({why})")
    kind = not_regular(st.st_mode)
    if kind:
        return Source(label, _path_key(path), 0, "", container, relpath, None, f"is {kind}, not a regular file: not read")
    return Source(label, _path_key(path), st.st_size, str(st.st_mtime_ns), container, relpath,
                  _file_loader(path, limits.max_file_bytes, label), path=os.fspath(path), location=_path_key(path))


def _open_zip_file(path: Path, label: str) -> zipfile.ZipFile:
    try:
        kind = not_regular(path.stat().st_mode)  # a FIFO named export.zip would hang the reader
        if kind:
            raise UnreadableFileError(f"is {kind}, not a regular file: not read", label)
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise UnreadableFileError(f"not a readable zip ({exc})", label) from None


def _zip_budget(path: Path, limits: ZipLimits) -> _Budget:
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return _Budget(limits.budget_for(size))


def _walk_folder(root: Path, label_root: str, limits: ZipLimits, index: ExportIndex) -> Iterator[Source]:
    """Sources of a folder tree. Nothing disappears silently: an unreadable folder, a path too
    long, a symlinked folder (not followed) or a name that cannot be read becomes a skipped source."""
    container = _path_key(root)
    errors: list[OSError] = []

    def label_of(path: Path) -> tuple[str, str]:
        relpath = path.relative_to(root).as_posix() if path != root else "."
        return (f"{label_root.rstrip('/')}/{relpath}" if label_root else relpath), relpath

    def problem(path: Path, why: str) -> Source:
        label, relpath = label_of(path)
        return Source(label, _path_key(path), 0, "", container, relpath, None, why)

    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):  # symlinked folders are not followed
        for err in errors:
            yield problem(Path(err.filename) if err.filename else root, f"folder not readable ({err.strerror or err})")
        errors.clear()
        dirnames[:] = sorted(d for d in dirnames if d.lower() not in SKIPPED_DIRS)  # routes/: courses, not runs
        for d in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            yield problem(Path(dirpath) / d, "symbolic link to a folder: not followed (scan its target instead)")
        for fname in sorted(filenames, key=metadata_first):
            path = Path(dirpath) / fname
            label, relpath = label_of(path)
            meta_kind = _metadata_kind(relpath)
            if meta_kind:
                try:
                    _read_metadata(meta_kind, _file_loader(path, limits.max_file_bytes, label)(),
                                   container, relpath, label, index)
                except UnreadableFileError as exc:
                    index.problems.append((label, exc.message))
            elif fname.lower().endswith(".zip"):
                try:
                    zf = _open_zip_file(path, label)
                except UnreadableFileError as exc:
                    yield Source(label, _path_key(path), 0, "", container, relpath, None, exc.message)
                    continue
                with zf:
                    yield from _walk_zip(zf, label, _path_key(path), 1, limits, _zip_budget(path, limits), index)
            elif is_activity_name(fname):
                yield _file_source(path, label, container, relpath, limits)
    for err in errors:  # the root itself could not be listed
        yield problem(Path(err.filename) if err.filename else root, f"folder not readable ({err.strerror or err})")


class InputTree:
    """One or more input paths, walked lazily; ``index`` fills up while ``sources()`` runs."""

    def __init__(self, paths: str | os.PathLike | list, limits: ZipLimits | None = None):
        self.paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
        self.limits = limits or ZipLimits()
        self.index = ExportIndex()
        for p in self.paths:
            if is_url(p):
                from crampcheck.history.remote import check_url

                check_url(str(p))
            elif not Path(p).exists():
                raise UnreadableFileError("no such file or folder", str(p))

    def sources(self) -> Iterator[Source]:
        for p in self.paths:
            if is_url(p):  # s3://, gs://, file://...: walked through fsspec, with the same limits
                from crampcheck.history.remote import walk_url

                yield from walk_url(str(p), self.limits, self.index)
                continue
            path, label = Path(p), str(p)
            if path.is_dir():
                yield from _walk_folder(path, label, self.limits, self.index)
            elif path.name.lower().endswith(".zip"):
                try:
                    zf = _open_zip_file(path, label)
                except UnreadableFileError as exc:
                    yield Source(label, _path_key(path), 0, "", _path_key(path.parent), path.name, None, exc.message)
                    continue
                with zf:
                    yield from _walk_zip(zf, label, _path_key(path), 1, self.limits,
                                         _zip_budget(path, self.limits), self.index)
            else:  # a single file the user named: read it whatever its suffix
                yield _file_source(path, label, _path_key(path.parent), path.name, self.limits)


# --- drill-down: one member of an archive, by the name a scan prints -------------------------
def is_member_path(path: str) -> bool:
    """``export.zip!DI_CONNECT/...zip!123.fit``: a scan's name for a file inside an archive."""
    head = str(path).split(ARCHIVE_SEP, 1)[0]
    return ARCHIVE_SEP in str(path) and not Path(path).exists() and head.lower().endswith(".zip") and Path(head).is_file()


def read_member(path: str, limits: ZipLimits | None = None) -> bytes:
    """The bytes of the archive member a scan named ``export.zip!inner.zip!member.fit`` (zips
    inside zips: small ones in memory, big ones streamed; under the scan's limits, member-name
    rules and overlap check)."""
    limits = limits or ZipLimits()
    head, *members = str(path).split(ARCHIVE_SEP)
    opened: list[zipfile.ZipFile] = []  # the outer zips a streamed inner one still reads from
    zf = _open_zip_file(Path(head), head)
    label = head
    overlap = overlap_problem(zf)
    if overlap:
        zf.close()
        raise UnreadableFileError(overlap, head)
    try:
        for depth, member in enumerate(members, 1):
            label = f"{label}{ARCHIVE_SEP}{member}"
            try:
                info = zf.getinfo(member)
            except KeyError:
                raise UnreadableFileError("no such member in the archive (names as the scan prints them)", label) from None
            last = depth == len(members)
            limit = limits.max_file_bytes if last else limits.max_nested_zip_bytes
            problem = _member_problem(info, limit, limits)
            if problem is None and not last and depth >= limits.max_depth:
                problem = f"zip nested deeper than {limits.max_depth} levels refused"
            if problem:
                raise UnreadableFileError(problem, label)
            if last:
                return _read_member(zf, info, limit, label)
            try:
                inner = _open_nested(zf, info, limits, label)  # small: in memory; big: streamed
            except zipfile.BadZipFile as exc:
                raise UnreadableFileError(f"not a readable zip ({exc})", label) from None
            opened.append(zf)  # closed last: a streamed inner zip reads through it
            zf = inner
            overlap = overlap_problem(zf)
            if overlap:
                raise UnreadableFileError(overlap, label)
        raise UnreadableFileError("names an archive, not a file inside it", label)
    finally:
        zf.close()
        for outer in reversed(opened):
            outer.close()


# --- drill-down: what the export that holds one run says of it ---------------------------------
EXPORT_FOLDER_LEVELS = 2  # a file's own folder and the one above it may hold the export's table


def _tables_of_zip(head: Path, limits: ZipLimits, index: ExportIndex) -> None:
    """The export tables stored in the zip ``head`` (not in zips inside it), read into ``index``."""
    with _open_zip_file(head, str(head)) as zf:
        for info in zf.infolist():
            kind = None if info.is_dir() else _metadata_kind(info.filename)
            label = f"{head}{ARCHIVE_SEP}{info.filename}"
            if kind and _member_problem(info, limits.max_file_bytes, limits) is None:
                relpath = info.filename.replace("\\", "/")
                _read_metadata(kind, _read_member(zf, info, limits.max_file_bytes, label), _path_key(head), relpath,
                               label, index)


def export_entry(run: str, start_time_utc: datetime | None, limits: ZipLimits | None = None) -> ExportMeta | None:
    """What an account export says of the run ``analyze`` was given, as a scan of the export
    would match it: for ``export.zip!activities/1.fit.gz`` the tables of ``export.zip``; for a
    file on disk an ``activities.csv`` in its folder or the one above (an unzipped Strava
    export). None when there is none, or when a table cannot be read (the file's own labels
    then stand)."""
    limits = limits or ZipLimits()
    index = ExportIndex()
    try:
        if is_member_path(run):
            head, *members = run.split(ARCHIVE_SEP)
            _tables_of_zip(Path(head), limits, index)
            container = ARCHIVE_SEP.join([_path_key(Path(head)), *members[:-1]])
            return index.match(container, members[-1], start_time_utc)
        path = Path(run)
        for folder in list(path.resolve().parents)[:EXPORT_FOLDER_LEVELS]:
            table = folder / STRAVA_CSV
            if table.is_file():
                read_strava_csv(read_regular(table, limits.max_file_bytes, label=str(table)), _path_key(folder),
                                STRAVA_CSV, index, str(table))
                return index.match(_path_key(folder), path.resolve().relative_to(folder).as_posix(), start_time_utc)
    except (UnreadableFileError, zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


# --- how many sources a walk will yield (for a progress bar with a total) ---------------------
def _count_zip(zf: zipfile.ZipFile, depth: int, limits: ZipLimits) -> int:
    n = 0
    for info in zf.infolist():
        relpath = info.filename.replace("\\", "/")
        if info.is_dir() or not SKIPPED_DIRS.isdisjoint(p.lower() for p in relpath.split("/")[:-1]):
            continue
        if relpath.lower().endswith(".zip"):
            if depth >= limits.max_depth or _member_problem(info, limits.max_nested_zip_bytes, limits):
                n += 1  # refused: one skip
                continue
            try:  # the inner zip's directory, read through the outer one (no copy in memory)
                with zf.open(info) as fh, zipfile.ZipFile(fh) as inner:
                    n += _count_zip(inner, depth + 1, limits)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
                n += 1
        elif is_activity_name(relpath):
            n += 1
    return n


def count_sources(paths: str | os.PathLike | list, limits: ZipLimits | None = None) -> int | None:
    """How many sources walking ``paths`` yields (what the scan will read), or None when it cannot
    be told cheaply (an unreadable zip). Zips inside zips are counted from their directories."""
    limits = limits or ZipLimits()
    total = 0
    for p in [paths] if isinstance(paths, (str, os.PathLike)) else list(paths):
        path = Path(p)
        try:
            if path.is_dir():
                for dirpath, dirnames, filenames in os.walk(path):
                    dirnames[:] = [d for d in dirnames if d.lower() not in SKIPPED_DIRS]
                    for fname in filenames:
                        if fname.lower().endswith(".zip"):
                            with _open_zip_file(Path(dirpath) / fname, fname) as zf:  # a FIFO is refused
                                total += _count_zip(zf, 1, limits)
                        elif is_activity_name(fname):
                            total += 1
            elif path.name.lower().endswith(".zip"):
                with _open_zip_file(path, str(path)) as zf:
                    total += _count_zip(zf, 1, limits)
            else:
                total += 1
        except (zipfile.BadZipFile, OSError, RuntimeError, UnreadableFileError):
            return None  # the walk itself reports what is wrong
    return total
