"""Local start and end time of a run (for "hottest part of the day" checks).

Order of trust: the UTC offset the file states (``Activity.utc_offset_s``), else the
timezone at the first GPS fix, found offline with ``timezonefinder`` and turned into the
offset in force at that instant with ``zoneinfo`` (so daylight saving time is right), else
unknown. Results carry fixed-offset tzinfo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder

FILE_SOURCE = "file"
MAX_UTC_OFFSET_S = 14 * 3600  # real time zones span UTC-12:00 .. UTC+14:00
NO_LOCAL_TIME_NOTE = "local time unknown: the file states no UTC offset and has no GPS position"


@dataclass(frozen=True)
class LocalTimes:
    start: datetime | None
    end: datetime | None
    source: str | None  # "file" | "GPS position (Europe/Paris)" | None
    note: str | None = None  # why the local time is unknown


@lru_cache(maxsize=1)
def _finder() -> TimezoneFinder:
    """One TimezoneFinder per process (loading its polygons is the slow part)."""
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def timezone_name_at(lat: float, lon: float) -> str | None:
    """IANA timezone name at a position (decimal degrees), offline; None when unknown."""
    return _finder().timezone_at(lng=float(lon), lat=float(lat))


def first_fix(lat: np.ndarray | None, lon: np.ndarray | None) -> tuple[float, float] | None:
    """(lat, lon) of the first record with a valid position (``0, 0`` is no fix)."""
    if lat is None or lon is None:
        return None
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180) & ((lat != 0) | (lon != 0))
    hits = np.flatnonzero(valid)
    return (float(lat[hits[0]]), float(lon[hits[0]])) if len(hits) else None


def local_times(
    start_utc: datetime | None,
    end_utc: datetime | None,
    utc_offset_s: int | None = None,
    fix: tuple[float, float] | None = None,
) -> LocalTimes:
    """Local start and end (tz-aware, fixed offset) and where the offset came from.

    ``fix``: (lat, lon) of the first GPS fix, decimal degrees (see ``first_fix``).
    """
    if start_utc is None:
        return LocalTimes(None, None, None, "local time unknown: the file has no start time")
    start_utc, end_utc = _aware(start_utc), _aware(end_utc) if end_utc is not None else None
    if utc_offset_s is not None and not abs(utc_offset_s) <= MAX_UTC_OFFSET_S:  # "+99:99": no real zone
        bad = f"{'+' if utc_offset_s >= 0 else '-'}{abs(int(utc_offset_s)) // 3600:02d}:{abs(int(utc_offset_s)) % 3600 // 60:02d}"
        found = local_times(start_utc, end_utc, None, fix)
        note = f"the file's UTC offset {bad} is no real time zone (they span -12:00 to +14:00): ignored"
        return LocalTimes(found.start, found.end, found.source, "; ".join(filter(None, [note, found.note])))
    if utc_offset_s is not None and utc_offset_s != 0:
        # A validated, non-zero offset is trusted as it is (no timezone lookup: it is costly).
        tz = timezone(timedelta(seconds=int(utc_offset_s)))
        return LocalTimes(start_utc.astimezone(tz), _maybe(end_utc, tz), FILE_SOURCE)
    name = timezone_name_at(*fix) if fix is not None else None
    zone = _zone(name)
    if utc_offset_s is not None:
        # An offset of zero is also what devices that store UTC as their "local" clock write
        # (Coros, some Garmin exports): check it against the place, and let the place win.
        gps_offset = start_utc.astimezone(zone).utcoffset() if zone is not None else None
        if gps_offset is None or gps_offset == timedelta(0):
            return LocalTimes(start_utc.astimezone(timezone.utc), _maybe(end_utc, timezone.utc), FILE_SOURCE)
        note = (
            f"the file's local clock (UTC+00:00) disagrees with the timezone at the first GPS fix"
            f" ({name}, {_offset_text(gps_offset)}): using the GPS timezone"
        )
        return LocalTimes(_fixed(start_utc, zone), _maybe(end_utc, zone), f"GPS position ({name})", note)
    if name is None:
        return LocalTimes(None, None, None, NO_LOCAL_TIME_NOTE)
    if zone is None:
        return LocalTimes(None, None, None, f"local time unknown: no timezone data for {name}")
    return LocalTimes(_fixed(start_utc, zone), _maybe(end_utc, zone), f"GPS position ({name})")


def _zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone of that name, or None when unknown to this system's tz database."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset_text(offset: timedelta) -> str:
    """A UTC offset as "UTC+01:00"."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _fixed(instant: datetime, zone: ZoneInfo | timezone) -> datetime:
    """``instant`` in ``zone``, with the offset in force then as a fixed-offset tzinfo."""
    offset = instant.astimezone(zone).utcoffset() or timedelta(0)
    return instant.astimezone(timezone(offset))


def _aware(instant: datetime) -> datetime:
    """A naive datetime is taken as UTC (the schema's convention)."""
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=timezone.utc)


def _maybe(instant: datetime | None, zone: ZoneInfo | timezone) -> datetime | None:
    return None if instant is None else _fixed(instant, zone)
