"""FIT reader: FIT bytes -> Activity.

Decoding is done by ``fitfast`` (crampcheck's columnar decoder) or ``fitref`` (fitparse);
both return a ``FitMessages`` (see ``fitmessages.py``). ``build_activity`` turns that into
one ``Activity``: it picks the session to analyze (the running one in a multisport file),
converts units (semicircles -> degrees, per-leg cadence -> steps/min), places
device-relative timestamps on a real date when the file allows it, and validates the local
UTC offset the file states (FIT profile: ``activity.local_timestamp``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from crampcheck.errors import (
    ConfigError,
    CrampcheckError,
    NoActivityDataError,
    NotAnActivityError,
    UnreadableFileError,
)
from crampcheck.io import fitfast, fitref
from crampcheck.io.fitmessages import DEVICE_RELATIVE_MAX, FIT_EPOCH, FIT_EPOCH_UNIX_S, FitMessages
from crampcheck.schema import Activity, AirReading, DataWarning, Lap, Pause, Records, utc_datetime
from crampcheck.units import format_duration

DECODERS = ("auto", "fast", "fitparse")
FALLBACK_MAX_BYTES = 4 * 2**20  # "auto" falls back to fitparse only up to this size (~25 s, a few 100 MB)

SEMICIRCLE_TO_DEG = 180.0 / 2**31  # FIT positions: 2^31 semicircles = 180 degrees
MAX_UTC_OFFSET_S = 14 * 3600  # real time zones span UTC-12 .. UTC+14
TZ_STEP_S = 15 * 60  # every real time zone offset is a multiple of 15 minutes
TZ_SNAP_TOLERANCE_S = 2 * 60  # a clock this close to a 15-min offset is snapped to it
STEP_SPORTS = frozenset({"running", "walking", "hiking"})  # FIT cadence is per leg: x2 for steps/min
TRANSITION = "transition"  # multisport change-over "sport"
PAUSE_STOPS = frozenset({"stop", "stop_all"})  # timer event types that stop the clock
WATCH_TEMPERATURE = "watch sensor (FIT record temperature)"
_NAIVE_EPOCH = FIT_EPOCH.replace(tzinfo=None)
# A device clock that jumps (a GPS time fix mid-run) shows as one record gap that alone makes
# the records outlast the session's own elapsed time by more than this.
CLOCK_JUMP_MIN_S = 3600.0
CLOCK_JUMP_MAX_SPEED_M_S = 15.0  # distance covered across the jump must fit the time left in it


# ---------------------------------------------------------------------------- entry point


def read_fit(data: bytes, source: str, decoder: str = "auto") -> Activity:
    """Read one FIT activity from bytes.

    ``decoder``: "fast" (fitfast only), "fitparse" (fitref only) or "auto" (fitfast, falling
    back to fitparse when fitfast refuses the file; the reason goes into ``Activity.notes``).
    Raises UnreadableFileError (corrupt file), NotAnActivityError, NoActivityDataError.
    """
    if decoder not in DECODERS:
        raise ConfigError(f"unknown FIT decoder {decoder!r} (choose from {', '.join(DECODERS)})", source)
    if not data:
        raise UnreadableFileError("empty file (0 bytes), not a FIT file", source)
    return build_activity(_decode(data, source, decoder), source)


def _decode(data: bytes, source: str, decoder: str) -> FitMessages:
    """Run the chosen decoder; third-party parser failures become UnreadableFileError."""
    try:
        if decoder == "fitparse":
            return fitref.decode(data, source)
        try:
            return fitfast.decode(data, source)
        except fitfast.FitDecodeRefused as refused:
            if decoder == "fast":
                raise
            if len(data) > FALLBACK_MAX_BYTES:  # fitparse reads ~6 us a record: minutes and GBs past this
                raise UnreadableFileError(
                    f"the fast FIT decoder refused the file ({refused.message}) and it is too large"
                    f" ({len(data) / 2**20:.1f} MB > {FALLBACK_MAX_BYTES // 2**20} MB) for the slow reference decoder;"
                    " --decoder fitparse reads it anyway", source) from None
            msgs = fitref.decode(data, source)
            msgs.notes.append(f"fast decoder refused the file ({refused.message}); read with fitparse")
            return msgs
    except CrampcheckError:
        raise
    except Exception as exc:  # a parser crash on a malformed file is the file's fault, not a bug of ours
        raise UnreadableFileError(f"not a readable FIT file ({type(exc).__name__}: {exc})", source) from None


# ---------------------------------------------------------------------------- the builder


@dataclass(frozen=True)
class _Timebase:
    """How FIT seconds map to UTC: device-relative values (< 0x10000000) get ``shift_s`` added."""

    shift_s: float = 0.0
    dated: bool = True  # False: relative times from an arbitrary epoch (no real date known)
    local_clock: bool = False  # True: anchored on local_timestamp, so "UTC" times are local clock time
    jump_at_s: float = np.inf  # stored times from here on come after a clock jump ...
    jump_s: float = 0.0  # ... of this many seconds, taken out

    def fit_s(self, value: float | np.ndarray) -> float | np.ndarray:
        out = np.where(value < DEVICE_RELATIVE_MAX, value + self.shift_s, value) if self.shift_s else value
        return np.where(value >= self.jump_at_s, out - self.jump_s, out) if self.jump_s else out

    def utc(self, value: Any) -> datetime | None:
        seconds = _fit_seconds(value)
        return None if np.isnan(seconds) else FIT_EPOCH + timedelta(seconds=float(self.fit_s(seconds)))


def build_activity(msgs: FitMessages, source: str) -> Activity:
    """Turn decoded FIT messages into an Activity (pure: no I/O)."""
    notes = list(msgs.notes)
    notes += _check_activity_file(msgs, source)
    if msgs.n_records == 0:
        raise NoActivityDataError("no records", source)

    sessions, first_of, chain_note = merge_chained_sessions(msgs.messages.get("session", []))
    if chain_note:
        notes.append(chain_note)
    index, session_note = choose_session(sessions)
    session = sessions[index] if index is not None else {}
    original = first_of[index] if index is not None else None  # for the per-session messages
    if session_note:
        notes.append(session_note)
    window = _session_window(session) if len(sessions) > 1 else None
    if len(sessions) > 1 and window is None:
        notes.append("the analyzed session has no start/end time: records of all sessions kept")

    timebase, time_notes = _timebase(msgs)
    notes += time_notes
    warnings: list[DataWarning] = []
    if timebase.shift_s or not timebase.dated:
        warnings.append(DataWarning("relative_timestamps", "the record times are device-relative (they decode to "
                                    "1989-1990): " + time_notes[0].split("; ", 1)[-1]))
    jump = clock_jump(msgs.records["timestamp"], msgs.records["distance"], window, session)
    if jump is not None:
        timebase = replace(timebase, jump_at_s=jump.at_fit_s, jump_s=jump.removed_s)
        notes.append(jump.note)
        warnings.append(DataWarning("clock_jump", jump.note, jump.after_s))
    sport, sub_sport = _sport(msgs, original)
    records, record_notes, fixes = _records(msgs, window, timebase, sport, rebase_distance=window is not None)
    notes += record_notes
    if len(records) == 0:
        raise NoActivityDataError("no records with a timestamp in the analyzed session", source)

    utc_offset_s, offset_note = _utc_offset(msgs, timebase)
    if offset_note:
        notes.append(offset_note)
    temperature_source = WATCH_TEMPERATURE if np.isfinite(records["temperature_c"]).any() else None
    air = air_readings(msgs, window, timebase, session, has_record_temperature=temperature_source is not None)
    tempe = temperature_source is not None and _paired_tempe(msgs)
    if tempe:
        temperature_source = TEMPE_TEMPERATURE
    notes += _temperature_notes(temperature_source is not None and not tempe, msgs.developer_fields)
    start = timebase.utc(session.get("start_time")) if timebase.dated else None
    if start is None and timebase.dated:
        start = utc_datetime(records["time"][0])
    return Activity(
        records=records,
        source=source,
        format="fit",
        sport=sport,
        sub_sport=sub_sport,
        start_time_utc=start,
        utc_offset_s=utc_offset_s,
        device=device_name(msgs),
        name=_activity_name(msgs, original),
        laps=_laps(msgs.messages.get("lap", []), window, timebase),
        pauses=_pauses(msgs.messages.get("event", []), window, timebase),
        temperature_source=temperature_source,
        air=air,
        device_totals=_device_totals(session),
        notes=notes,
        decoder=msgs.decoder,
        data_warnings=warnings,
        reader_fixes=fixes,
    )


def _check_activity_file(msgs: FitMessages, source: str) -> list[str]:
    """Raise NotAnActivityError unless file_id.type is "activity" (a missing type is tolerated)."""
    file_ids = msgs.messages.get("file_id", [])
    file_type = file_ids[0].get("type") if file_ids else None
    if file_type is None:
        return ["FIT file_id has no file type; read as an activity"]
    if file_type != "activity":
        raise NotAnActivityError(f"FIT file of type '{file_type}', not an activity", source)
    return []


# ---------------------------------------------------------------------------- sessions


def _session_length_s(session: dict[str, Any]) -> float:
    """Session duration in seconds: total_elapsed_time, else end - start, else 0."""
    elapsed = session.get("total_elapsed_time")
    if isinstance(elapsed, (int, float)):
        return float(elapsed)
    span = _fit_seconds(session.get("timestamp")) - _fit_seconds(session.get("start_time"))
    return 0.0 if np.isnan(span) else span


SUMMED_SESSION_FIELDS = ("total_elapsed_time", "total_timer_time", "total_distance")


def merge_chained_sessions(sessions: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int], str | None]:
    """Adjacent sessions of the same sport and sub-sport as one session (a run recorded as
    chained FIT files, or split by the device), with their totals summed.

    Returns the sessions, the index of each one's first original session, and a note when
    any were merged. Sessions of one sport separated by another (a duathlon's two runs with
    the ride between) stay apart.
    """
    merged: list[dict[str, Any]] = []
    first_of: list[int] = []
    for i, s in enumerate(sessions):
        last = merged[-1] if merged else None
        if last is not None and (s.get("sport"), s.get("sub_sport")) == (last.get("sport"), last.get("sub_sport")):
            combined = {**last, "timestamp": s.get("timestamp", last.get("timestamp"))}
            for key in SUMMED_SESSION_FIELDS:
                if isinstance(last.get(key), (int, float)) and isinstance(s.get(key), (int, float)):
                    combined[key] = last[key] + s[key]
            merged[-1] = combined
        else:
            merged.append(dict(s))
            first_of.append(i)
    note = None
    if len(merged) < len(sessions):
        note = (
            f"chained or split recording: {len(sessions)} sessions,"
            f" those of the same sport back to back analyzed as one ({len(merged)} left)"
        )
    return merged, first_of, note


def choose_session(sessions: list[dict[str, Any]]) -> tuple[int | None, str | None]:
    """The session to analyze and, for multisport files, a note saying which one and why.

    The longest running session; when there is none, the longest session. Returns
    (index, note); index is None when the file has no session message.
    """
    if not sessions:
        return None, None
    if len(sessions) == 1:
        return 0, None
    running = [i for i, s in enumerate(sessions) if s.get("sport") == "running"]
    candidates = running or range(len(sessions))
    index = max(candidates, key=lambda i: _session_length_s(sessions[i]))
    chosen = sessions[index]
    what = str(chosen.get("sport", "unknown sport"))
    if (length_s := _session_length_s(chosen)) > 0:  # its length in time: no unit system to choose here
        what += f", {format_duration(length_s)}"
    others = [str(s.get("sport", "unknown")) for i, s in enumerate(sessions) if i != index]
    others = list(dict.fromkeys(o for o in others if o != TRANSITION))
    note = f"multisport file: analyzing session {index + 1} of {len(sessions)} ({what})"
    if others:
        note += f"; other sessions: {', '.join(others)}"
    return index, note


def _session_window(session: dict[str, Any]) -> tuple[float, float] | None:
    """[start, end] of a session in FIT seconds (as stored: possibly device-relative)."""
    end = _fit_seconds(session.get("timestamp"))
    start = _fit_seconds(session.get("start_time"))
    if np.isnan(start) and not np.isnan(end):
        start = end - _session_length_s(session)
    if np.isnan(start) or np.isnan(end) or end < start:
        return None
    return start, end


def _in_window(fit_s: float, window: tuple[float, float] | None) -> bool:
    return window is None or window[0] <= fit_s <= window[1]


def _sport(msgs: FitMessages, index: int | None) -> tuple[str, str | None]:
    """(sport, sub_sport) from the chosen session, else the matching ``sport`` message."""
    sessions = msgs.messages.get("session", [])
    sport_msgs = msgs.messages.get("sport", [])
    session = sessions[index] if index is not None else {}
    fallback = {}
    if sport_msgs:
        fallback = sport_msgs[index] if index is not None and len(sport_msgs) == len(sessions) else sport_msgs[0]
    sport = session.get("sport", fallback.get("sport", "unknown"))
    sub_sport = session.get("sub_sport", fallback.get("sub_sport"))
    sub = None if sub_sport in (None, "generic") else str(sub_sport)
    return str(sport), sub


def _activity_name(msgs: FitMessages, index: int | None) -> str | None:
    """The name the device gives the activity (``sport.name``: "Trail Run", "Riverside 10K"...).

    FIT files carry no title of their own; this label is the closest thing, and what the
    race detection can read when no export metadata names the run.
    """
    sport_msgs = msgs.messages.get("sport", [])
    if not sport_msgs:
        return None
    chosen = sport_msgs[index] if index is not None and index < len(sport_msgs) else sport_msgs[0]
    name = str(chosen.get("name", "")).strip()
    return name or None


# ---------------------------------------------------------------------------- time


def _fit_seconds(value: Any) -> float:
    """A decoded FIT timestamp (naive UTC datetime, or int when device-relative) in FIT seconds."""
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None) - _NAIVE_EPOCH).total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return np.nan


def _is_relative(fit_s: float) -> bool:
    return not np.isnan(fit_s) and fit_s < DEVICE_RELATIVE_MAX


def _timebase(msgs: FitMessages) -> tuple[_Timebase, list[str]]:
    """Anchor device-relative record timestamps on a real date when the file holds one."""
    ts = msgs.records["timestamp"]
    ts = ts[~np.isnan(ts)]
    if ts.size == 0 or np.any(ts >= DEVICE_RELATIVE_MAX):  # real dates (relative records get dropped)
        return _Timebase(), []
    for activity in msgs.messages.get("activity", []):
        stamp = _fit_seconds(activity.get("timestamp"))
        local = _fit_seconds(activity.get("local_timestamp"))
        if _is_relative(stamp) and not np.isnan(local) and not _is_relative(local):
            return _Timebase(shift_s=local - stamp, local_clock=True), [
                "timestamps are device-relative; placed on the date of activity.local_timestamp, which is "
                "local clock time: times shown as UTC are local time (true UTC offset unknown)"
            ]
    file_ids = msgs.messages.get("file_id", [])
    created = _fit_seconds(file_ids[0].get("time_created")) if file_ids else np.nan
    if not np.isnan(created) and not _is_relative(created):
        return _Timebase(shift_s=created - float(ts.min())), [
            "timestamps are device-relative; the first record is placed at file_id.time_created (approximate)"
        ]
    return _Timebase(dated=False), [
        "timestamps are device-relative and the file holds no real date: times run from an arbitrary "
        "epoch (1989-12-31) and the start date is unknown"
    ]


@dataclass(frozen=True)
class ClockJump:
    """A forward jump of the device clock inside the records, taken out of the time axis."""

    at_fit_s: float  # first stored timestamp after the jump
    gap_s: float  # the gap as stored
    removed_s: float  # seconds taken out (the gap less the time the records show was really spent)
    after_s: float  # elapsed seconds before the jump
    note: str


def clock_jump(
    timestamps: np.ndarray, distance_m: np.ndarray, window: tuple[float, float] | None, session: dict[str, Any]
) -> ClockJump | None:
    """Find a clock jump: the records outlast the session's total_elapsed_time by more than
    CLOCK_JUMP_MIN_S, one gap alone accounts for that excess, and the distance covered across
    the gap fits the seconds that are left of it. The excess is taken out, so the records span
    the device's own elapsed time; nothing else is touched."""
    elapsed = _number(session.get("total_elapsed_time"))
    ts = timestamps[~np.isnan(timestamps)]
    dist = distance_m[~np.isnan(timestamps)]
    if window is not None:
        inside = (ts >= window[0]) & (ts <= window[1])
        ts, dist = ts[inside], dist[inside]
    if elapsed is None or ts.size < 3:
        return None
    order = np.argsort(ts, kind="stable")
    ts, dist = ts[order], dist[order]
    excess = float(ts[-1] - ts[0]) - elapsed
    if excess <= CLOCK_JUMP_MIN_S:
        return None
    gaps = np.diff(ts)
    i = int(np.argmax(gaps))
    gap = float(gaps[i])
    left_s = max(gap - excess, 1.0)
    before, after = dist[: i + 1], dist[i + 1 :]
    covered = (after[np.isfinite(after)][:1] - before[np.isfinite(before)][-1:]) if len(after) else np.zeros(0)
    if gap < excess or (covered.size and abs(float(covered[0])) > CLOCK_JUMP_MAX_SPEED_M_S * left_s):
        return None
    removed = gap - left_s
    at_s = float(ts[i] - ts[0])
    note = (
        f"the device clock jumps {gap / 86400:.1f} days forward after {at_s:.0f} s of recording, while the "
        f"session lasted {elapsed:.0f} s: the jump is taken out ({removed:.0f} s)"
    )
    return ClockJump(at_fit_s=float(ts[i + 1]), gap_s=gap, removed_s=removed, after_s=at_s, note=note)


def validate_utc_offset_s(offset_s: float) -> int | None:
    """A stated local-time offset (seconds) if it is a plausible time zone offset, else None.

    Plausible: within ±14 h and within 2 min of a multiple of 15 min (then snapped to it).
    """
    snapped = TZ_STEP_S * round(offset_s / TZ_STEP_S)
    if abs(offset_s - snapped) > TZ_SNAP_TOLERANCE_S or abs(snapped) > MAX_UTC_OFFSET_S:
        return None
    return int(snapped)


def _utc_offset(msgs: FitMessages, timebase: _Timebase) -> tuple[int | None, str | None]:
    """Local UTC offset from activity.local_timestamp - activity.timestamp, validated; plus a note."""
    if timebase.local_clock:
        return 0, None  # times are already local clock time (see _timebase's note)
    for activity in reversed(msgs.messages.get("activity", [])):
        if "local_timestamp" not in activity or "timestamp" not in activity:
            continue
        local = _fit_seconds(activity["local_timestamp"])
        stamp = _fit_seconds(activity["timestamp"])
        if np.isnan(local) or np.isnan(stamp) or _is_relative(stamp):
            continue
        if _is_relative(local):
            return None, "activity.local_timestamp is not a real date (zero / 1989-12-31): local UTC offset unknown"
        offset = validate_utc_offset_s(local - stamp)
        if offset is None:
            return None, (
                f"activity.local_timestamp is {(local - stamp) / 3600:+.2f} h from UTC, not a real time zone "
                "offset (device clock off?): ignored"
            )
        return offset, None
    return None, None


# ---------------------------------------------------------------------------- records


def _records(
    msgs: FitMessages,
    window: tuple[float, float] | None,
    timebase: _Timebase,
    sport: str,
    rebase_distance: bool,
) -> tuple[Records, list[str], dict[str, int]]:
    """The canonical record table for the records inside ``window`` (all when None), the
    notes, and the counts of what was fixed (``Activity.reader_fixes``)."""
    r = msgs.records
    ts = r["timestamp"]
    notes: list[str] = []
    keep = ~np.isnan(ts)
    if (n_missing := int((~keep).sum())):
        notes.append(f"{n_missing} records without a timestamp dropped")
    if window is not None:
        keep &= (ts >= window[0]) & (ts <= window[1])
    relative = ts < DEVICE_RELATIVE_MAX
    if np.any(keep & relative) and np.any(keep & ~relative):
        notes.append(f"{int((keep & relative).sum())} records with device-relative timestamps dropped "
                     "(the others carry real dates)")
        keep &= ~relative
    rows = np.flatnonzero(keep)
    order = np.argsort(ts[rows], kind="stable")
    if (n_back := int(np.sum(np.diff(ts[rows]) < 0))):
        notes.append(f"{n_back} out-of-order timestamps: records sorted by time")
        rows = rows[order]
    sorted_ts = ts[rows]
    unique = np.r_[True, np.diff(sorted_ts) != 0] if len(rows) else np.zeros(0, bool)
    if (n_dup := int((~unique).sum())):
        notes.append(f"{n_dup} records with a duplicate timestamp dropped")
    fixes = {"records_read": len(rows), "time_backwards": n_back, "duplicate_timestamps": n_dup}
    rows = rows[unique]

    def col(name: str) -> np.ndarray:  # a field the decoder did not give is all-NaN
        values = r.get(name)
        return values[rows].astype(np.float64) if values is not None else np.full(len(rows), np.nan)

    fit_s = timebase.fit_s(col("timestamp"))
    unix_ns = np.round((fit_s + FIT_EPOCH_UNIX_S) * 1e9).astype("int64")
    elapsed_s = fit_s - fit_s[0] if len(fit_s) else fit_s
    distance_m = col("distance")
    if rebase_distance and np.isfinite(distance_m).any():
        distance_m = distance_m - distance_m[np.isfinite(distance_m)][0]  # multisport: count from this leg's start
    speed_m_s = _first_valid(col("enhanced_speed"), col("speed"))
    if not np.isfinite(speed_m_s).any():
        speed_m_s = _derived_speed_m_s(distance_m, elapsed_s)
    cadence = col("cadence")
    if sport in STEP_SPORTS:
        cadence = 2.0 * (cadence + np.nan_to_num(col("fractional_cadence")))
    lat_deg, lon_deg = col("position_lat") * SEMICIRCLE_TO_DEG, col("position_long") * SEMICIRCLE_TO_DEG
    null_island = (lat_deg == 0) & (lon_deg == 0)  # 0,0 is a "no fix" placeholder (e.g. Zwift)
    lat_deg[null_island] = lon_deg[null_island] = np.nan
    heart_rate_bpm = np.where(col("heart_rate") > 0, col("heart_rate"), np.nan)  # 0 = no strap (Zwift)
    temperature_c = col("temperature")
    if np.isfinite(temperature_c).any() and np.all(temperature_c[np.isfinite(temperature_c)] == 0):
        notes.append("record temperature is 0 throughout (a placeholder, not a reading): ignored")
        temperature_c = np.full(len(rows), np.nan)

    records = Records(
        {
            "time": unix_ns.view("datetime64[ns]"),
            "elapsed_s": elapsed_s,
            "distance_m": distance_m,
            "speed_m_s": speed_m_s,
            "lat": lat_deg,
            "lon": lon_deg,
            "altitude_m": _first_valid(col("enhanced_altitude"), col("altitude")),
            "heart_rate_bpm": heart_rate_bpm,
            "cadence_spm": cadence,
            "temperature_c": temperature_c,
            "power_w": col("power"),
        }
    )
    return records, notes, fixes


def _first_valid(preferred: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Element-wise: ``preferred`` where it holds a value, else ``fallback``."""
    return np.where(np.isnan(preferred), fallback, preferred)


def _derived_speed_m_s(distance_m: np.ndarray, elapsed_s: np.ndarray) -> np.ndarray:
    """Speed (m/s) as the time derivative of distance, at samples that carry a distance."""
    speed = np.full(len(distance_m), np.nan)
    has = np.flatnonzero(np.isfinite(distance_m))
    if len(has) >= 2:
        speed[has] = np.gradient(distance_m[has], elapsed_s[has])
    return speed


def _temperature_notes(has_record_temperature: bool, developer_fields: set[str]) -> list[str]:
    """What the user must know about the temperature channel (wrist bias, body-temperature fields)."""
    notes = []
    if has_record_temperature:
        notes.append(
            "temperature comes from the device's own sensor (FIT record temperature): a watch on the "
            "wrist reads several degrees above the ambient air (skin heat, sun)"
        )
    body = sorted(f for f in developer_fields if "temp" in f.lower() and ("core" in f.lower() or "skin" in f.lower()))
    if body:
        notes.append(
            f"developer fields {', '.join(body)} are body (core/skin) temperatures, not ambient air: "
            "not used as temperature"
        )
    return notes


# ---------------------------------------------------------------------------- the air

AIR_TEMPERATURE_RANGE_C = (-40.0, 60.0)  # a developer field outside this is not an air temperature
CURRENT_WEATHER = ("current", None)  # weather_report values that describe the present (not forecasts)


def air_readings(
    msgs: FitMessages, window: tuple[float, float] | None, timebase: _Timebase,
    session: dict[str, Any], has_record_temperature: bool,
) -> list[AirReading]:
    """The file's readings of the air besides the record temperature: the phone's weather
    reports (``weather_conditions``, current ones in the session), external sensors'
    developer fields (a Stryd pod's temperature and humidity), and a session's average
    temperature when the records carry none (Coros writes it there)."""
    found = []
    reports = [
        w for w in msgs.messages.get("weather_conditions", [])
        if w.get("weather_report") in CURRENT_WEATHER and isinstance(w.get("temperature"), (int, float))
        and _in_window(_fit_seconds(w.get("timestamp")), window)
    ]
    if reports:
        humid = [w["relative_humidity"] for w in reports if isinstance(w.get("relative_humidity"), (int, float))]
        found.append(AirReading(
            kind="weather", source=f"weather report in the file (FIT weather_conditions, {len(reports)} current)",
            temperature_c=float(np.mean([w["temperature"] for w in reports])),
            humidity_pct=float(np.mean(humid)) if humid else None,
        ))
    found += _sensor_readings(msgs, window, timebase)
    if has_record_temperature and _paired_tempe(msgs):
        found.append(_tempe_reading(msgs, window, timebase))
    average = session.get("avg_temperature")
    if not has_record_temperature and isinstance(average, (int, float)):
        found.append(AirReading(kind="watch", source="watch sensor (FIT session avg_temperature)", temperature_c=float(average)))
    return found


FIELD_NAME_MAX = 40  # a developer field name shown in a report is cut to this many characters


def _printable(name: str) -> str:
    """A developer field name (the file's own text) with control and format characters left out."""
    return "".join(ch for ch in name if ch.isprintable())[:FIELD_NAME_MAX]


TEMPE = "tempe"  # Garmin's ANT+ temperature sensor: worn on a shoe or strap, away from the skin
GARMIN_TEMPE_PRODUCT = 1570
TEMPE_TEMPERATURE = "external sensor (Garmin tempe, ANT+; FIT record temperature)"


def _paired_tempe(msgs: FitMessages) -> bool:
    """Whether a Garmin tempe (an external ANT+ temperature sensor) is among the file's devices:
    the record temperature is then the sensor's, not the watch's."""
    for d in msgs.messages.get("device_info", []):
        product = d.get("garmin_product", d.get("product"))
        if product in (TEMPE, GARMIN_TEMPE_PRODUCT) or TEMPE in str(d.get("product_name") or "").lower():
            return True
    return False


def _tempe_reading(msgs: FitMessages, window: tuple[float, float] | None, timebase: _Timebase) -> AirReading:
    ts, temps = msgs.records["timestamp"], msgs.records["temperature"]
    keep = ~np.isnan(ts)
    if window is not None:
        keep &= (ts >= window[0]) & (ts <= window[1])
    return AirReading(
        kind="sensor", source=TEMPE_TEMPERATURE,
        times_unix_s=np.asarray(timebase.fit_s(ts[keep]), dtype=float) + FIT_EPOCH_UNIX_S,
        temperature_series_c=_air_range(temps[keep]),
    )


def _air_range(temperature_c: np.ndarray) -> np.ndarray:
    """NaN where a value is no air temperature (outside AIR_TEMPERATURE_RANGE_C)."""
    low, high = AIR_TEMPERATURE_RANGE_C
    return np.where((temperature_c >= low) & (temperature_c <= high), temperature_c, np.nan)


def _sensor_group(name: str) -> tuple[str, str]:
    """("stryd", "temperature") for "Stryd Temperature": the device words and what is measured."""
    lowered = name.lower()
    what = "temperature" if "temperature" in lowered else "humidity"
    return " ".join(lowered.replace(what, " ").split()), what


def _sensor_readings(msgs: FitMessages, window: tuple[float, float] | None, timebase: _Timebase) -> list[AirReading]:
    """One series per external sensor with an air temperature developer field (its humidity with it)."""
    if not msgs.developer_records:
        return []
    ts = msgs.records["timestamp"]
    keep = ~np.isnan(ts)
    if window is not None:
        keep &= (ts >= window[0]) & (ts <= window[1])
    times = np.asarray(timebase.fit_s(ts[keep]), dtype=float) + FIT_EPOCH_UNIX_S
    groups: dict[str, dict[str, str]] = {}
    for name in sorted(msgs.developer_records):
        device, what = _sensor_group(name)
        groups.setdefault(device, {}).setdefault(what, name)
    out = []
    for fields in groups.values():
        if "temperature" not in fields:
            continue
        temps = _air_range(msgs.developer_records[fields["temperature"]][keep])
        if not np.isfinite(temps).any():
            continue
        humid = msgs.developer_records[fields["humidity"]][keep] if "humidity" in fields else None
        if humid is not None:
            humid = np.where((humid >= 0) & (humid <= 100), humid, np.nan)
        names = " and ".join(_printable(fields[w]) for w in ("temperature", "humidity") if w in fields)
        out.append(AirReading(
            kind="sensor", source=f"external sensor (FIT developer fields {names})",
            times_unix_s=times, temperature_series_c=temps, humidity_series_pct=humid,
        ))
    return out


# ---------------------------------------------------------------------------- laps, pauses, device


def _laps(laps: list[dict[str, Any]], window: tuple[float, float] | None, timebase: _Timebase) -> list[Lap]:
    """Laps that start inside the session window (all laps when there is no window)."""
    out = []
    for lap in laps:
        start = lap.get("start_time", lap.get("timestamp"))
        if not _in_window(_fit_seconds(start), window):
            continue
        out.append(
            Lap(
                start_time_utc=timebase.utc(start),
                elapsed_time_s=_number(lap.get("total_elapsed_time")),
                timer_time_s=_number(lap.get("total_timer_time")),
                distance_m=_number(lap.get("total_distance")),
            )
        )
    return out


def _pauses(events: list[dict[str, Any]], window: tuple[float, float] | None, timebase: _Timebase) -> list[Pause]:
    """Timer stops (event "timer", type stop/stop_all) each followed by a timer start, inside the window."""
    pauses = []
    stopped_at = None
    for event in events:
        if event.get("event") != "timer" or not _in_window(_fit_seconds(event.get("timestamp")), window):
            continue
        kind = event.get("event_type")
        when = timebase.utc(event.get("timestamp"))
        if kind in PAUSE_STOPS and stopped_at is None:
            stopped_at = when
        elif kind == "start" and stopped_at is not None and when is not None:
            pauses.append(Pause(start_utc=stopped_at, end_utc=when))
            stopped_at = None
    return pauses


def _device_totals(session: dict[str, Any]) -> dict[str, float]:
    """What the device summarized for the chosen session (only the values it gives)."""
    totals = {
        "distance_m": _number(session.get("total_distance")),
        "elapsed_time_s": _number(session.get("total_elapsed_time")),
        "timer_time_s": _number(session.get("total_timer_time")),
    }
    return {k: v for k, v in totals.items() if v is not None}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def device_name(msgs: FitMessages) -> str | None:
    """"garmin fr945"-style name from file_id (manufacturer, product), else the creator device_info."""
    creator = next(
        (d for d in msgs.messages.get("device_info", []) if d.get("device_index") in ("creator", 0)), {}
    )
    file_ids = msgs.messages.get("file_id", [])
    for source in (file_ids[0] if file_ids else {}, creator):
        manufacturer = source.get("manufacturer")
        if manufacturer is None:
            continue
        product = source.get("garmin_product", source.get("product"))
        if isinstance(manufacturer, int):
            manufacturer = _profile_name("manufacturer", manufacturer)
        if manufacturer in ("garmin", "dynastream", "dynastream_oem") and isinstance(product, int):
            product = _profile_name("garmin_product", product)
        if not isinstance(product, str):
            product = creator.get("product_name", product)
        return f"{manufacturer} {product}" if product is not None else str(manufacturer)
    return None


def _profile_name(enum: str, value: int) -> str | int:
    """Name of a FIT enum value from the Garmin FIT SDK profile (newer than fitparse's), else the number."""
    try:
        from garmin_fit_sdk import Profile
    except ImportError:
        return value
    return Profile["types"][enum].get(value, value)
