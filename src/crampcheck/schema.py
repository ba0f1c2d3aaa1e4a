"""The one activity model every reader produces, whatever the file format.

``Activity.records`` is a pandas DataFrame, one row per sample, with canonical columns
(units in the names). A channel the file does not have is an absent or all-NaN column,
never zeros:

=================  ========================================================
column             meaning
=================  ========================================================
time               sample time, tz-aware UTC (datetime64[ns, UTC])
elapsed_s          seconds since the first sample (float)
distance_m         cumulative distance, metres (float)
speed_m_s          instantaneous speed, m/s (float)
lat, lon           position, decimal degrees WGS84 (float)
altitude_m         altitude, metres (float)
heart_rate_bpm     heart rate, beats/min (float)
cadence_spm        cadence, steps/min for running (both legs) (float)
temperature_c      temperature reading, deg C (float)
power_w            power, watts (float)
=================  ========================================================

``moving`` (bool) is added by ``crampcheck.metrics`` (see ``metrics.moving``), not by readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

RECORD_COLUMNS = (
    "time",
    "elapsed_s",
    "distance_m",
    "speed_m_s",
    "lat",
    "lon",
    "altitude_m",
    "heart_rate_bpm",
    "cadence_spm",
    "temperature_c",
    "power_w",
)

# Normalized sport names (FIT enum names; GPX/TCX/Strava labels are mapped onto these).
RUNNING = "running"


@dataclass(frozen=True)
class Lap:
    """One lap as the device recorded it."""

    start_time_utc: datetime | None
    elapsed_time_s: float | None
    timer_time_s: float | None
    distance_m: float | None


@dataclass(frozen=True)
class Pause:
    """A timer stop: the clock was stopped from ``start`` to ``end`` (UTC)."""

    start_utc: datetime
    end_utc: datetime


@dataclass(frozen=True)
class DataWarning:
    """A fault in the data that the numbers must not be read past: a stable ``id``, a plain
    ``why``, and where it happens (``at_s``: elapsed seconds from the first record, or None)."""

    id: str
    why: str
    at_s: float | None = None


@dataclass
class Activity:
    """One activity (one sport session) read from one file.

    ``utc_offset_s`` is the offset of local time the *file* states (FIT
    ``activity.local_timestamp`` once validated, or GPX timestamps with an offset);
    ``None`` when the file does not say. ``metrics.localtime`` falls back to the GPS timezone.
    """

    records: pd.DataFrame
    source: str  # path as the user gave it, or "archive.zip!member/path"
    format: str  # "fit" | "gpx" | "tcx"
    sport: str = "unknown"  # normalized: running, cycling, walking, hiking, swimming, other...
    sub_sport: str | None = None  # e.g. "trail", "treadmill"
    sport_source: str | None = "file"  # how the sport was found: "file", "name", "data (speed + cadence)"... None: not found
    start_time_utc: datetime | None = None  # tz-aware UTC
    utc_offset_s: int | None = None
    device: str | None = None  # "garmin fr945", "Polar V800"...
    name: str | None = None
    is_race: bool = False
    race_marked_by: str | None = None  # "file" | "export" | "name" | None
    laps: list[Lap] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)  # timer stops (FIT events)
    temperature_source: str | None = None  # where temperature_c comes from, for the report
    device_totals: dict[str, float] = field(default_factory=dict)  # device summary: distance_m, elapsed_time_s, timer_time_s
    notes: list[str] = field(default_factory=list)  # things the reader wants the user to know
    decoder: str = ""  # which decoder read it: "crampcheck-fit", "fitparse", "lxml", "gpxpy"
    # faults the reader found and already took out (a FIT clock jump, device-relative dates)
    data_warnings: list[DataWarning] = field(default_factory=list)
    # what the reader fixed, counted: "records_read", "time_backwards", "duplicate_timestamps"
    reader_fixes: dict[str, int] = field(default_factory=dict)
    # what the runner wrote in the file: (where, text), e.g. ("GPX desc", "cramped at 35k")
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has(self) -> dict[str, bool]:
        """Which channels hold at least one value."""
        r = self.records
        return {c: (c in r.columns and bool(r[c].notna().any())) for c in RECORD_COLUMNS}
