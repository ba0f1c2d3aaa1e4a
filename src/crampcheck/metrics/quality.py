"""Data checks before judging: faults in a recording that no statistic may be read past.

``prepare(activity, settings)`` returns the records the metrics are computed on and one
``DataWarning`` per fault found: impossible values dropped (NaN), the records beyond a
multi-hour gap left out, sparse distance interpolated in time, impossible distance gains
taken out. ``timer_check`` then compares the moving time measured on them with the device's
own timer total. Pure functions; every limit comes from ``QualitySettings`` (filled from the
thresholds table by ``pipeline.detection``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from crampcheck.io.geo import FOOT_SPORTS, haversine_m
from crampcheck.metrics.channels import channel, clean_distance_m, clean_elapsed_s
from crampcheck.metrics.moving import pause_bounds, pause_mask, sustained
from crampcheck.metrics.track import Track
from crampcheck.schema import Activity, DataWarning, Pause, Records, seconds_since_first, utc_datetime
from crampcheck.units import format_distance, format_duration, format_pace, temperature_in, temperature_unit

# Sports judged with the on-foot speed limit ("unknown": GPX tracks that name no sport).
FOOT_LIMIT_SPORTS = FOOT_SPORTS | {"unknown"}
LAT_LIMIT_DEG = 90.0  # WGS84 definitions, not tunable
LON_LIMIT_DEG = 180.0


@dataclass(frozen=True)
class QualitySettings:
    """Limits of the data checks (defaults = the thresholds table, risk/thresholds.py)."""

    gap_s: float = 3600.0  # data_gap_h
    max_foot_speed_m_s: float = 12.0  # impossible_run_speed_m_s
    max_other_speed_m_s: float = 40.0  # impossible_ride_speed_m_s
    impossible_min_s: float = 10.0
    teleport_min_m: float = 1000.0
    sparse_distance_fraction: float = 0.5
    duplicate_fraction: float = 0.05
    heart_rate_bpm: tuple[float, float] = (25.0, 250.0)
    temperature_c: tuple[float, float] = (-40.0, 60.0)
    years: tuple[int, int] = (1980, 2100)
    mismatch_min_s: float = 60.0
    mismatch_fraction: float = 0.05

    def max_speed_m_s(self, sport: str) -> float:
        return self.max_foot_speed_m_s if sport in FOOT_LIMIT_SPORTS else self.max_other_speed_m_s


def prepare(activity: Activity, settings: QualitySettings = QualitySettings(), units: str = "km") -> tuple[Records, list[DataWarning]]:
    """The records to measure (a cleaned copy) and the warnings, reader faults first; distances and
    temperatures in the warnings read in ``units`` ("mi" | "km")."""
    warnings = list(activity.data_warnings) + reader_fix_warnings(activity.reader_fixes, settings)
    records = activity.records
    for check in (lambda r, s: _out_of_range(r, s, units), lambda r, s: _record_gap(r, activity.pauses, s, units), _sparse_distance):
        records, found = check(records, settings)
        warnings += found
    records, found = _impossible_speed(records, settings.max_speed_m_s(activity.sport), settings, units)
    return records, warnings + found


def reader_fix_warnings(fixes: dict[str, int], settings: QualitySettings) -> list[DataWarning]:
    """Warnings for what the reader had to repair: records out of time order, duplicate times."""
    out = []
    if (n_back := fixes.get("time_backwards", 0)) > 0:
        out.append(DataWarning("time_backwards", (
            f"the time steps backwards {n_back} time(s) in the file: records were sorted by time, so the order of"
            " the run, and the distance and pace across those points, are in doubt; the pacing factors are not judged")))
    n_dup, n_read = fixes.get("duplicate_timestamps", 0), fixes.get("records_read", 0)
    if n_read and n_dup / n_read >= settings.duplicate_fraction:
        out.append(DataWarning("duplicate_timestamps", (
            f"{n_dup} of {n_read} records ({100 * n_dup / n_read:.0f} %) repeat the time of the one before:"
            " only the first of each was kept, so the file's timing is unreliable")))
    return out


def _elapsed(records: Records) -> np.ndarray:
    elapsed = clean_elapsed_s(records)
    return elapsed if elapsed is not None else np.zeros(len(records))


def _out_of_range(records: Records, s: QualitySettings, units: str = "km") -> tuple[Records, list[DataWarning]]:
    """Drop values no device can measure: bad years (rows), positions, heart rates, temperatures (NaN)."""
    warnings = []
    if "time" in records and not np.isnat(records["time"]).all():
        time = records["time"]
        year = time.astype("datetime64[Y]").astype(np.int64) + 1970
        bad = ~np.isnat(time) & ((year < s.years[0]) | (year > s.years[1]))
        if bad.any() and not bad.all():
            before = int((~bad[:np.argmax(bad)]).sum())  # good records before the first bad one
            records = _rebased(records.take(~bad))
            at_s = float(_elapsed(records)[min(before, len(records) - 1)])  # where it sat among the good ones
            warnings.append(DataWarning("out_of_range", (
                f"{int(bad.sum())} records dated outside {s.years[0]}–{s.years[1]} (clock fault): dropped"), at_s))
    elapsed = _elapsed(records)
    limits = (
        ("heart_rate_bpm", "heart-rate values", s.heart_rate_bpm, "bpm", float),
        ("temperature_c", "temperature readings", s.temperature_c, temperature_unit(units), lambda c: temperature_in(c, units)),
    )
    lat, lon = channel(records, "lat"), channel(records, "lon")
    if lat is not None and lon is not None:
        lat, lon = lat.copy(), lon.copy()
        with np.errstate(invalid="ignore"):
            bad = (np.abs(lat) > LAT_LIMIT_DEG) | (np.abs(lon) > LON_LIMIT_DEG)
        if bad.any():
            records = records.replaced(lat=np.where(bad, np.nan, lat), lon=np.where(bad, np.nan, lon))
            warnings.append(DataWarning("out_of_range", (
                f"{int(bad.sum())} positions outside ±90° latitude / ±180° longitude: dropped"), float(elapsed[np.argmax(bad)])))
    for column, what, (low, high), unit, shown in limits:
        values = channel(records, column)
        values = None if values is None else values.copy()
        if values is None:
            continue
        with np.errstate(invalid="ignore"):
            bad = (values < low) | (values > high)
        if bad.any():
            records = records.replaced(**{column: np.where(bad, np.nan, values)})
            worst = values[bad][np.argmax(np.abs(values[bad]))]
            warnings.append(DataWarning("out_of_range", (
                f"{int(bad.sum())} {what} outside {shown(low):g}–{shown(high):g} {unit} (up to {shown(worst):g} {unit}): dropped before"
                " any statistic"), float(elapsed[np.argmax(bad)])))
    return records, warnings


def _rebased(records: Records) -> Records:
    """``records`` with elapsed_s counted again from its first record (and distance from 0)."""
    if len(records) == 0:
        return records
    columns = {}
    if "time" in records and not np.isnat(records["time"]).all():
        columns["elapsed_s"] = seconds_since_first(records["time"])
    elif "elapsed_s" in records and np.isfinite(elapsed := records["elapsed_s"]).any():
        columns["elapsed_s"] = elapsed - elapsed[np.isfinite(elapsed)][0]
    if "distance_m" in records and np.isfinite(distance := records["distance_m"]).any():
        columns["distance_m"] = distance - distance[np.isfinite(distance)][0]
    return records.replaced(**columns)


def _record_gap(
    records: Records, pauses: Sequence[Pause], s: QualitySettings, units: str = "km"
) -> tuple[Records, list[DataWarning]]:
    """Keep the longest stretch (most records) between record gaps of ``gap_s`` or more that no
    timer stop explains; a multi-hour gap is never read as running."""
    elapsed = clean_elapsed_s(records)
    if elapsed is None or len(elapsed) < 2:
        return records, []
    t0 = _first_time(records)
    bounds = pause_bounds(pauses, t0) if pauses and t0 is not None else np.empty((0, 2))
    dt = np.diff(elapsed, prepend=elapsed[0])
    gap = (dt >= s.gap_s) & ~pause_mask(elapsed, bounds)
    if not gap.any():
        return records, []
    starts = np.r_[0, np.flatnonzero(gap)]
    ends = np.r_[starts[1:], len(records)]
    keep = int(np.argmax(ends - starts))
    first, last = int(starts[keep]), int(ends[keep])
    distance = clean_distance_m(records, elapsed)
    left = len(records) - (last - first)
    left_m = 0.0
    if distance is not None:  # distance of the records left out, never the jump across a gap
        gain = np.where(gap, 0.0, np.diff(distance, prepend=distance[0]))
        left_m = float(gain.sum() - gain[first + 1 : last].sum())
    gaps_h = ", ".join(f"{dt[i] / 3600:.1f} h" for i in np.flatnonzero(gap))
    side = "before" if first == 0 else ("after" if last == len(records) else "between")
    why = (
        f"{int(gap.sum())} record gap(s) of {gaps_h} with the timer running (no timer stop): only the records"
        f" {side} the gap{'s' if gap.sum() > 1 else ''} are judged ({last - first} records;"
        f" {left} records and {format_distance(left_m, units, 1)} left out), and no gap counts as running;"
        " factors that depend on where the run ended are not judged"
    )
    at_s = float(elapsed[np.flatnonzero(gap)[0] - 1])
    return _rebased(records.take(slice(first, last))), [DataWarning("record_gap", why, at_s)]


def _sparse_distance(records: Records, s: QualitySettings) -> tuple[Records, list[DataWarning]]:
    """When few records carry distance, interpolate it in time between those that do (a flat
    step would read as standing still and moving time would collapse)."""
    distance = channel(records, "distance_m")
    elapsed = clean_elapsed_s(records)
    if distance is None or elapsed is None:
        return records, []
    known = np.isfinite(distance)
    share = known.sum() / len(distance)
    if known.sum() < 2 or share >= s.sparse_distance_fraction:
        return records, []
    out = records.replaced(distance_m=np.interp(elapsed, elapsed[known], np.maximum.accumulate(distance[known])))
    why = (
        f"only {int(known.sum())} of {len(distance)} records ({100 * share:.0f} %) carry distance: read as they are,"
        " each record without one would look like standing still and moving time would collapse; distance is"
        " interpolated in time between the records that carry it (compare moving time with the device timer),"
        " and the pacing factors are not judged"
    )
    return out, [DataWarning("sparse_distance", why, float(elapsed[np.argmax(~known)]))]


def _impossible_speed(
    records: Records, max_speed_m_s: float, s: QualitySettings, units: str = "km"
) -> tuple[Records, list[DataWarning]]:
    """Take out distance gained faster than ``max_speed_m_s`` (sustained, or in one teleport jump)."""
    elapsed = clean_elapsed_s(records)
    if elapsed is None or len(elapsed) < 2:
        return records, []
    distance = clean_distance_m(records, elapsed)
    warnings, out = [], records
    dt = np.diff(elapsed, prepend=elapsed[0])
    if distance is not None:
        gain = np.diff(distance, prepend=distance[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            fast = np.where(dt > 0, gain / dt, np.where(gain > 0, np.inf, 0.0)) > max_speed_m_s
        faulty = sustained(fast, np.maximum(dt, 0.0), s.impossible_min_s) | (fast & (gain >= s.teleport_min_m))
        if faulty.any():
            removed = np.where(faulty, gain, 0.0)
            fixed = distance - np.cumsum(removed)
            raw = channel(records, "distance_m")
            out = records.replaced(distance_m=np.where(np.isfinite(raw), fixed, np.nan) if raw is not None else fixed)
            if "speed_m_s" in out:
                out = out.replaced(speed_m_s=np.where(faulty, np.nan, out["speed_m_s"]))
            warnings.append(DataWarning("impossible_speed", (
                f"{float(dt[faulty].sum()):.0f} s of records gain {format_distance(removed.sum(), units, 1)} faster than"
                f" {format_pace(max_speed_m_s, units)}, more than the sport allows (a GPS teleport or sensor fault): that distance"
                " is left out and the stretch reads as a stop"), float(elapsed[np.argmax(faulty)] - dt[np.argmax(faulty)])))
    lat, lon = channel(out, "lat"), channel(out, "lon")
    if lat is not None and lon is not None and not warnings:
        fix = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
        if len(fix) >= 2:
            step_m = haversine_m(lat[fix[:-1]], lon[fix[:-1]], lat[fix[1:]], lon[fix[1:]])
            step_s = np.maximum(np.diff(elapsed[fix]), 1.0)
            jump = (step_m >= s.teleport_min_m) & (step_m / step_s > max_speed_m_s)
            if jump.any():
                i = int(np.argmax(jump))
                warnings.append(DataWarning("impossible_speed", (
                    f"the GPS position jumps {format_distance(step_m[i], units, 0)} in {step_s[i]:.0f} s (a teleport): positions are"
                    " unreliable (the distance does not use them)"), float(elapsed[fix[i]])))
    return out, warnings


def timer_check(
    track: Track, activity: Activity, warnings: Sequence[DataWarning], s: QualitySettings = QualitySettings()
) -> list[DataWarning]:
    """A warning when the moving time cannot be reconciled with the device's timer total:
    the timer must lie between the moving time and the records' span less the timer stops
    (standing with the timer on explains anything in between)."""
    timer_s = activity.device_totals.get("timer_time_s")
    device_elapsed_s = activity.device_totals.get("elapsed_time_s")
    if not timer_s or timer_s <= 0 or any(w.id == "record_gap" for w in warnings) or len(track.elapsed_s) < 2:
        return []
    tolerance_s = max(s.mismatch_min_s, s.mismatch_fraction * timer_s)
    if device_elapsed_s is not None and timer_s > device_elapsed_s + tolerance_s:
        return []  # the device's totals contradict each other: nothing trustworthy to compare with
    t0 = _first_time(activity.records)
    bounds = pause_bounds(activity.pauses, t0) if activity.pauses and t0 is not None else np.empty((0, 2))
    dt = np.diff(track.elapsed_s, prepend=track.elapsed_s[0])
    stopped_s = float(dt[pause_mask(track.elapsed_s, bounds)].sum())
    timer_on_s = float(track.elapsed_s[-1]) - stopped_s
    moving_s = track.total_moving_s
    if timer_s < moving_s - tolerance_s:
        why = (
            f"moving time {format_duration(moving_s)} is longer than the device's own timer total"
            f" {format_duration(timer_s)} (tolerance {tolerance_s:.0f} s): the records show movement while the timer"
            " was stopped, or the timer total is short; durations are in doubt"
        )
    elif timer_s > timer_on_s + tolerance_s:
        why = (
            f"the device's timer total {format_duration(timer_s)} is longer than the records with the timer on"
            f" ({format_duration(timer_on_s)}; tolerance {tolerance_s:.0f} s): records are missing, so the moving"
            f" time {format_duration(moving_s)} under-counts the run"
        )
    else:
        return []
    return [DataWarning("moving_time_mismatch", why, None)]


def timer_note(track: Track, activity: Activity, warnings: Sequence[DataWarning], s: QualitySettings = QualitySettings()) -> str | None:
    """Why the moving time is shorter than the device's timer total, when it is by more than the
    tolerance and no warning already says so: the timer ran while the runner stood still or
    moved slower than a standing speed (on steep ground, that can be slow hiking)."""
    timer_s = activity.device_totals.get("timer_time_s")
    if not timer_s or any(w.id in ("moving_time_mismatch", "record_gap") for w in warnings):
        return None
    moving_s = track.total_moving_s
    tolerance_s = max(s.mismatch_min_s, s.mismatch_fraction * timer_s)
    if timer_s <= moving_s + tolerance_s:
        return None
    return (
        f"moving time {format_duration(moving_s)} is {format_duration(timer_s - moving_s)} shorter than the device's timer "
        f"total {format_duration(timer_s)}: the timer ran while the records show standing still (barely moving); "
        "on steep climbs that can be slow hiking, which is not counted as moving"
    )


def _first_time(records: Records) -> datetime | None:
    if "time" not in records or len(records) == 0:
        return None
    return utc_datetime(records["time"][0])
