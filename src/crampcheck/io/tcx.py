"""TCX (Garmin Training Center) reader: bytes -> Activity, through the safe lxml parse.

TCX has one reader: there is no TCX parser on the design card to use as a reference.
Rules:

- the first ``Activities/Activity`` is read (others are named in ``Activity.notes``);
  elements are matched by local name, so any namespace prefix (``ns3:TPX``...) works;
- ``distance_m`` is the device's ``DistanceMeters`` when it has any non-zero value
  (carried forward over points without one), else derived from positions (haversine,
  GPS spikes dropped, as for GPX); ``speed_m_s`` is the TPX ``Speed`` when present, else
  distance over time on a centred window;
- ``altitude_m`` is ``AltitudeMeters`` as the device wrote it (no smoothing);
- cadence: ``RunCadence`` is per leg, so x2 to steps/min; a trackpoint ``Cadence`` is x2 for
  foot sports and kept as rpm for cycling (Polar and Suunto write ~85 in running files);
- laps: ``Lap/@StartTime``, ``TotalTimeSeconds`` (timer time: TCX leaves pauses out) and
  ``DistanceMeters``; a lap's elapsed time runs to the next lap's start (the last lap's to
  the last trackpoint); their sums fill ``device_totals``;
- TCX never carries temperature (``temperature_c`` is all NaN) and no timer events
  (``pauses`` stays empty: ``metrics`` finds stops in the records).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crampcheck.errors import NoActivityDataError, UnreadableFileError
from crampcheck.io import geo, xmlsafe
from crampcheck.io.detect import sport_from_label
from crampcheck.schema import RECORD_COLUMNS, Activity, Lap

TCX_ROOTS = ("TrainingCenterDatabase", "Activities")  # the second: a TCX body that lost its root
STEPS_PER_LEG_CYCLE = 2  # one cadence cycle of one leg = two steps
CADENCE_PER_LEG_SPORTS = frozenset({"running", "walking", "hiking", "unknown"})

# Trackpoint element local name -> column of the raw table.
_FIELDS = {
    "Time": "time",
    "LatitudeDegrees": "lat",
    "LongitudeDegrees": "lon",
    "AltitudeMeters": "altitude_m",
    "DistanceMeters": "distance_m",
    "Value": "heart_rate_bpm",  # HeartRateBpm/Value: the only Value inside a Trackpoint
    "Cadence": "cadence",
    "RunCadence": "run_cadence",
    "Speed": "speed_m_s",  # TPX extension
    "Watts": "power_w",  # TPX extension
}
_WANTED_TAGS = ("{*}Trackpoint", *("{*}" + name for name in _FIELDS))


def _text(element, path: str) -> str | None:
    found = element.find(path)
    text = found.text.strip() if found is not None and found.text else ""
    return text or None


def _trackpoint_table(activity) -> dict[str, np.ndarray]:
    """One raw array per _FIELDS column (text for time, float otherwise), one entry per Trackpoint."""
    elements: list = []
    for lap in activity.iterchildren("{*}Lap"):
        for track in lap.iterchildren("{*}Track"):
            elements += track.iter(*_WANTED_TAGS)
    names = np.asarray([xmlsafe.local_name(el.tag) for el in elements], dtype=object)
    texts = np.asarray([el.text for el in elements], dtype=object)
    is_point = names == "Trackpoint"
    point = np.cumsum(is_point) - 1
    n = int(is_point.sum())
    table: dict[str, np.ndarray] = {}
    for name, column in _FIELDS.items():
        mask = (names == name) & (point >= 0)
        if column == "time":
            values = np.full(n, None, dtype=object)
            values[point[mask]] = texts[mask]
        else:
            values = np.full(n, np.nan)
            values[point[mask]] = xmlsafe.floats(texts[mask])
        table[column] = values
    return table


def _laps(activity, last_time: pd.Timestamp) -> list[Lap]:
    """The device's laps; elapsed time from one lap start to the next."""
    laps = list(activity.iterchildren("{*}Lap"))
    starts, _ = xmlsafe.iso_times([lap.get("StartTime") for lap in laps])
    out = []
    for i, lap in enumerate(laps):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(laps) else last_time
        elapsed = (end - start).total_seconds() if pd.notna(start) and pd.notna(end) else None
        timer = xmlsafe.floats([_text(lap, "{*}TotalTimeSeconds")])[0]
        distance = xmlsafe.floats([_text(lap, "{*}DistanceMeters")])[0]
        out.append(
            Lap(
                start_time_utc=start.to_pydatetime() if pd.notna(start) else None,
                elapsed_time_s=elapsed,
                timer_time_s=float(timer) if np.isfinite(timer) else None,
                distance_m=float(distance) if np.isfinite(distance) else None,
            )
        )
    return out


def read_tcx(data: bytes, source: str) -> Activity:
    """Read a TCX file's bytes into an Activity (see the module docstring for the rules).

    Raises UnreadableFileError (malformed or unsafe XML, not TCX) or NoActivityDataError
    (no activity, no trackpoints, no timestamps).
    """
    root = xmlsafe.parse(data, source)
    root_name = xmlsafe.local_name(root.tag)
    if root_name not in TCX_ROOTS:
        raise UnreadableFileError(f"XML root is <{root_name}>, not <TrainingCenterDatabase>", source)
    activities = root.findall("{*}Activity" if root_name == "Activities" else "{*}Activities/{*}Activity")
    if not activities:
        raise NoActivityDataError("TCX file holds no Activity (a course or workout only?)", source)
    notes: list[str] = []
    if len(activities) > 1:
        notes.append(f"TCX file holds {len(activities)} activities: only the first was read")
    activity = activities[0]

    table = _trackpoint_table(activity)
    time, offsets = xmlsafe.iso_times(table.pop("time"))
    if len(time) == 0:
        raise NoActivityDataError("TCX activity has no trackpoints", source)
    timed = ~np.asarray(time.isna())
    if not timed.any():
        raise NoActivityDataError("TCX trackpoints have no timestamps: cannot time a run", source)
    if not timed.all():
        notes.append(f"{int((~timed).sum())} TCX trackpoints without a time were left out")
    order = np.flatnonzero(timed)
    order = order[np.argsort(time.asi8[order], kind="stable")]
    if not np.array_equal(order, np.flatnonzero(timed)):
        notes.append("TCX trackpoints were out of time order and were sorted")
    time = time[order]
    cols = {name: values[order] for name, values in table.items()}
    elapsed_s = (time.asi8 - time.asi8[0]) / 1e9
    one_segment = np.zeros(len(time), dtype=np.int64)

    sport, sub_sport = sport_from_label(activity.get("Sport"))
    lat, lon = cols["lat"].copy(), cols["lon"].copy()
    spikes = geo.spike_mask(lat, lon, elapsed_s, geo.spike_speed_m_s(sport))
    lat[spikes] = np.nan
    lon[spikes] = np.nan
    if spikes.any():
        notes.append(f"{int(spikes.sum())} GPS spikes (> {geo.spike_speed_m_s(sport):g} m/s out and back) dropped")

    device_distance = pd.Series(cols["distance_m"])
    if (device_distance > 0).any():
        distance_m = device_distance.ffill().bfill().to_numpy(copy=True)
    elif np.isfinite(lat).sum() >= 2:
        distance_m = geo.cumulative_distance_m(lat, lon, one_segment)
        notes.append("TCX has no device distance: distance derived from positions")
    else:
        distance_m = np.full(len(time), np.nan)
    speed_m_s = cols["speed_m_s"]
    if not np.isfinite(speed_m_s).any():
        speed_m_s = geo.windowed_speed_m_s(distance_m, elapsed_s, one_segment)

    cadence = cols["cadence"] * (STEPS_PER_LEG_CYCLE if sport in CADENCE_PER_LEG_SPORTS else 1)
    run_cadence = cols["run_cadence"] * STEPS_PER_LEG_CYCLE
    cadence = np.where(np.isfinite(run_cadence), run_cadence, cadence)

    records = pd.DataFrame(
        {
            "time": time,
            "elapsed_s": elapsed_s,
            "distance_m": distance_m,
            "speed_m_s": speed_m_s,
            "lat": lat,
            "lon": lon,
            "altitude_m": cols["altitude_m"],
            "heart_rate_bpm": cols["heart_rate_bpm"],
            "cadence_spm": cadence,
            "temperature_c": np.full(len(time), np.nan),
            "power_w": cols["power_w"],
        },
        columns=list(RECORD_COLUMNS),
    )
    laps = _laps(activity, time[-1])
    lap_starts = [lap.start_time_utc for lap in laps if lap.start_time_utc is not None]
    start = min([time[0].to_pydatetime(), *lap_starts])
    totals: dict[str, float] = {"elapsed_time_s": (time[-1].to_pydatetime() - start).total_seconds()}
    for key, attr in (("timer_time_s", "timer_time_s"), ("distance_m", "distance_m")):
        known = [getattr(lap, attr) for lap in laps if getattr(lap, attr) is not None]
        if known:
            totals[key] = float(sum(known))
    return Activity(
        records=records,
        source=source,
        format="tcx",
        sport=sport,
        sub_sport=sub_sport,
        start_time_utc=start,
        utc_offset_s=next(iter(offsets)) if len(offsets) == 1 and 0 not in offsets else None,
        device=_text(activity, "{*}Creator/{*}Name"),
        name=None,
        laps=laps,
        device_totals=totals,
        notes=notes,
        decoder="lxml",
    )
