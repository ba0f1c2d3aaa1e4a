"""The one activity model every reader produces, whatever the file format.

``Activity.records`` is a ``Records``: a light columnar container of numpy arrays, one row
per sample, with canonical columns (units in the names). ``col in records``,
``records[col]`` (a 1-D numpy array), ``len(records)``; ``records.to_pandas()`` builds the
pandas DataFrame on demand (with ``time`` tz-aware UTC), for a library user who wants one.
A channel the file does not have is an absent or all-NaN column, never zeros:

=================  ========================================================
column             meaning
=================  ========================================================
time               sample time, UTC: datetime64[ns] (NaT when unknown);
                   datetime64[ns, UTC] in ``to_pandas()``
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

Every other column is float64. Readers fill the arrays directly; nothing on the ``analyze``
or scan path imports pandas.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

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

UNIX_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Records:
    """The record columns of one activity: 1-D numpy arrays of one length, by name.

    ``time`` is datetime64[ns] (UTC, naive in numpy), every other column float64. The
    container is read-only by convention: the metrics build a new one (``take``,
    ``replaced``) rather than writing into a reader's arrays.
    """

    __slots__ = ("_columns", "_n")

    def __init__(self, columns: Mapping[str, Any] | None = None, n: int | None = None):
        cols: dict[str, np.ndarray] = {}
        for name, values in (columns or {}).items():
            cols[name] = _as_column(name, values)
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"record columns of different lengths: {sorted(lengths)}")
        self._columns = cols
        self._n = lengths.pop() if lengths else int(n or 0)

    @classmethod
    def from_frame(cls, frame: Any) -> Records:
        """From a pandas DataFrame (or any mapping of columns): time as UTC datetime64[ns]."""
        if isinstance(frame, Records):
            return frame
        names = list(frame.columns) if hasattr(frame, "columns") else list(frame)
        return cls({name: frame[name] for name in names}, n=len(frame))

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name]

    def __setitem__(self, name: str, values: Any) -> None:
        column = _as_column(name, values)
        if column.ndim == 0:  # one value for every row
            column = np.full(self._n, column, dtype=column.dtype)
        if self._columns and len(column) != self._n:
            raise ValueError(f"column {name!r} has {len(column)} values, the records {self._n}")
        self._columns[name] = column
        self._n = len(column)

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        """The column names, in order."""
        return iter(self._columns)

    def __repr__(self) -> str:
        return f"Records({self._n} rows: {', '.join(self._columns)})"

    def take(self, rows: Any) -> Records:
        """The rows selected by a boolean mask, an index array or a slice."""
        return Records({name: values[rows] for name, values in self._columns.items()})

    def replaced(self, **columns: Any) -> Records:
        """A copy with these columns set (added or replaced); the others shared."""
        return Records({**self._columns, **columns})

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame (``time`` tz-aware UTC), built now."""
        import pandas as pd

        data: dict[str, Any] = dict(self._columns)
        if "time" in data:
            data["time"] = pd.DatetimeIndex(data["time"]).tz_localize("UTC")
        return pd.DataFrame(data, index=pd.RangeIndex(self._n), columns=list(self._columns))


def _as_column(name: str, values: Any) -> np.ndarray:
    """One column as the container keeps it: ``time`` datetime64[ns] (UTC), the rest float64."""
    if name != "time":
        if hasattr(values, "to_numpy"):  # a pandas Series
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.asarray(values, dtype=np.float64)
    if hasattr(values, "dt") and getattr(values.dt, "tz", None) is not None:  # tz-aware pandas Series
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif getattr(values, "tz", None) is not None:  # tz-aware DatetimeIndex
        values = values.tz_convert("UTC").tz_localize(None)
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    array = np.asarray(values)
    if array.dtype.kind != "M":
        array = np.array([_naive_utc(v) for v in array], dtype="datetime64[ns]")
    return array.astype("datetime64[ns]")


def _naive_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value if value is not None else np.datetime64("NaT")


def fill_gaps(values: np.ndarray) -> np.ndarray:
    """A copy of a record column with each NaN replaced by the previous value, leading NaNs by
    the first value (pandas' ``ffill().bfill()``, in numpy; all-NaN stays all-NaN)."""
    known = ~np.isnan(values)
    if known.all() or not known.any():
        return values.copy()
    last_known = np.maximum.accumulate(np.where(known, np.arange(len(values)), -1))
    last_known[last_known < 0] = np.argmax(known)  # leading gap: the first known value
    return values[last_known]


def seconds_since_first(time: np.ndarray) -> np.ndarray:
    """Seconds from the first known time of a ``time`` column to each (NaN at NaT): whole
    seconds plus the remainder, as pandas' ``total_seconds`` computes them (bit for bit)."""
    known = ~np.isnat(time)
    if not known.any():
        return np.full(len(time), np.nan)
    ns = (time - time[known][0]).astype(np.int64)
    whole_s, rest_ns = np.divmod(ns, 1_000_000_000)
    return np.where(known, whole_s + rest_ns / 1e9, np.nan)


def utc_datetime(value: np.datetime64) -> datetime | None:
    """A record time as a tz-aware UTC datetime (microseconds, truncated), or None for NaT."""
    if np.isnat(value):
        return None
    ns = int(value.astype("datetime64[ns]").astype(np.int64))
    return UNIX_EPOCH_UTC + timedelta(microseconds=ns // 1000)


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


# Where a reading of the air comes from, most trusted first: the user's own value, an account
# export's weather columns, a weather report in the file (FIT weather_conditions), an external
# sensor (a Stryd pod's developer fields), the watch's own sensor (warmed by the wrist).
AIR_KINDS = ("user", "export", "weather", "sensor", "watch")


@dataclass(frozen=True, eq=False)
class AirReading:
    """One reading of the air the run was in, besides the records' ``temperature_c`` channel.

    Either one value (``temperature_c``, ``humidity_pct`` 0-100, ``dew_point_c``) or a series
    (``times_unix_s`` with ``temperature_series_c`` / ``humidity_series_pct``, NaN where a
    sample has none) that the metrics layer reduces. ``kind`` is one of AIR_KINDS; ``source``
    says where it came from in words.
    """

    kind: str
    source: str
    temperature_c: float | None = None
    humidity_pct: float | None = None
    dew_point_c: float | None = None
    times_unix_s: np.ndarray | None = None
    temperature_series_c: np.ndarray | None = None
    humidity_series_pct: np.ndarray | None = None


@dataclass
class Activity:
    """One activity (one sport session) read from one file.

    ``utc_offset_s`` is the offset of local time the *file* states (FIT
    ``activity.local_timestamp`` once validated, or GPX timestamps with an offset);
    ``None`` when the file does not say. ``metrics.localtime`` falls back to the GPS timezone.
    """

    records: Records  # a DataFrame or a mapping of columns given here is turned into Records
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
    air: list[AirReading] = field(default_factory=list)  # other readings of the air (weather, sensors, export)
    device_totals: dict[str, float] = field(default_factory=dict)  # device summary: distance_m, elapsed_time_s, timer_time_s
    notes: list[str] = field(default_factory=list)  # things the reader wants the user to know
    decoder: str = ""  # which decoder read it: "crampcheck-fit", "fitparse", "lxml", "gpxpy"
    # faults the reader found and already took out (a FIT clock jump, device-relative dates)
    data_warnings: list[DataWarning] = field(default_factory=list)
    # what the reader fixed, counted: "records_read", "time_backwards", "duplicate_timestamps"
    reader_fixes: dict[str, int] = field(default_factory=dict)
    # what the runner wrote in the file: (where, text), e.g. ("GPX desc", "cramped at 35k")
    texts: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.records, Records):
            self.records = Records.from_frame(self.records)

    @property
    def has(self) -> dict[str, bool]:
        """Which channels hold at least one value."""
        r = self.records
        return {c: c in r and bool(np.any(~np.isnat(r[c]) if c == "time" else np.isfinite(r[c]))) for c in RECORD_COLUMNS}
