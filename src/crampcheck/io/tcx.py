"""TCX (Garmin Training Center) reader: bytes -> Activity, through the safe lxml parse.

There is no TCX parser on the design card to use as a reference. libxml2 checks the
document (``xmlsafe``); a plain document (the usual case) is then read column-wise with
numpy from its tag table (``xmlscan.scan_plain``), any other by walking the lxml tree; both
read the same (``read_raw``). Rules:

- the first ``Activities/Activity`` is read (others are named in ``Activity.notes``); its
  trackpoints are ``Lap/Track/Trackpoint``; a trackpoint's field is the last element of that
  local name inside it, so any namespace prefix (``ns3:TPX``...) works;
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

from dataclasses import dataclass

import numpy as np

from crampcheck.errors import NoActivityDataError, UnreadableFileError
from crampcheck.io import geo, xmlsafe, xmlscan
from crampcheck.schema import Activity, Lap, Records, fill_gaps, utc_datetime
from crampcheck.sports import FILE, names_no_sport, sport_from_data, sport_from_label

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
_FIELD_TAGS = tuple("{*}" + name for name in _FIELDS)
# Local names the plain scan tells apart (see xmlscan.scan_plain), and their codes.
_SCAN_NAMES = (*TCX_ROOTS, "Activity", "Lap", "Track", "Trackpoint", "Creator", "Name", "TotalTimeSeconds", *_FIELDS)
_CODE = {name: code for code, name in enumerate(_SCAN_NAMES)}


@dataclass
class RawTcx:
    """What a backend read from the first Activity, before any maths (one entry per Trackpoint)."""

    time_utc: np.ndarray  # datetime64[ns] UTC, NaT where the trackpoint has no time
    offsets_s: set[int]  # distinct UTC offsets the timestamps state (0 for Z)
    columns: dict[str, np.ndarray]  # the other _FIELDS columns, float (NaN where absent)
    lap_starts: list[str | None]  # Lap/@StartTime texts
    lap_timer_s: np.ndarray  # Lap/TotalTimeSeconds (NaN where absent)
    lap_distance_m: np.ndarray  # Lap/DistanceMeters (NaN where absent)
    sport_label: str | None
    device: str | None
    activity_count: int


def _text(element, path: str) -> str | None:
    found = element.find(path)
    text = found.text.strip() if found is not None and found.text else ""
    return text or None


def _strip(text: str | None) -> str | None:
    return (text or "").strip() or None


def read_raw(data: bytes, source: str) -> RawTcx:
    """The first Activity's trackpoints and laps: column-wise with numpy for a plain document
    (``_read_plain``), through the lxml tree otherwise (``read_tree``); both read the same.

    Trackpoints are the ``Lap/Track/Trackpoint`` of the Activity; a trackpoint's field is
    the last element of that local name anywhere inside it, so any namespace prefix works.
    """
    doc = xmlscan.scan_plain(data, source, _SCAN_NAMES)
    raw = _read_plain(doc) if doc is not None else None
    return raw if raw is not None else read_tree(data, source)


def read_tree(data: bytes, source: str) -> RawTcx:
    """RawTcx through the lxml tree (any well-formed, safe document)."""
    root = xmlsafe.parse(data, source)
    root_name = xmlsafe.local_name(root.tag)
    if root_name not in TCX_ROOTS:
        raise UnreadableFileError(f"XML root is <{root_name}>, not <TrainingCenterDatabase>", source)
    activities = root.findall("{*}Activity" if root_name == "Activities" else "{*}Activities/{*}Activity")
    if not activities:
        raise NoActivityDataError("TCX file holds no Activity (a course or workout only?)", source)
    activity = activities[0]
    laps = list(activity.iterchildren("{*}Lap"))
    tracks = [track for lap in laps for track in lap.iterchildren("{*}Track")]
    points = [tp for track in tracks for tp in track.iterchildren("{*}Trackpoint")]
    found: dict[str, dict[int, str | None]] = {column: {} for column in _FIELDS.values()}
    for row, tp in enumerate(points):
        for el in tp.iter(*_FIELD_TAGS):  # document order: the last one of a name wins
            found[_FIELDS[xmlsafe.local_name(el.tag)]][row] = el.text
    texts = {column: [values.get(row) for row in range(len(points))] for column, values in found.items()}
    time_utc, offsets = xmlsafe.iso_times(texts.pop("time"))
    return RawTcx(
        time_utc=time_utc,
        offsets_s=offsets,
        columns={column: xmlsafe.floats(values) for column, values in texts.items()},
        lap_starts=[lap.get("StartTime") for lap in laps],
        lap_timer_s=xmlsafe.floats([_text(lap, "{*}TotalTimeSeconds") for lap in laps]),
        lap_distance_m=xmlsafe.floats([_text(lap, "{*}DistanceMeters") for lap in laps]),
        sport_label=activity.get("Sport"),
        device=_text(activity, "{*}Creator/{*}Name"),
        activity_count=len(activities),
    )


def _read_plain(doc: xmlscan.PlainXml) -> RawTcx | None:
    """RawTcx from the tag table of a plain document (None: let the tree walk read it)."""
    kind, depth, name = doc.kind, doc.depth, doc.name
    opened = kind == xmlscan.OPEN
    if name[0] == _CODE["Activities"]:
        activities = np.flatnonzero((depth == 2) & (name == _CODE["Activity"]))
    elif name[0] == _CODE["TrainingCenterDatabase"]:
        holder = opened & (depth == 2) & (name == _CODE["Activities"])
        in_holder = holder[np.maximum(doc.last_open(2), 0)]
        activities = np.flatnonzero((depth == 3) & (name == _CODE["Activity"]) & in_holder)
    else:
        return None  # the tree walk raises the clear error
    if activities.size == 0:
        return None  # the tree walk raises the clear error
    first = int(activities[0])
    level = int(depth[first])
    beyond = np.flatnonzero(depth[first + 1 :] <= level)  # the first tag after the activity
    inside = np.zeros(depth.size, dtype=bool)
    inside[first : first + 1 + (int(beyond[0]) if beyond.size else depth.size)] = True
    lap_parent, track_parent, point_parent = (doc.last_open(level + i) for i in (1, 2, 3))
    lap = inside & (depth == level + 1) & (name == _CODE["Lap"])
    track = inside & opened & (depth == level + 2) & (name == _CODE["Track"]) & lap[np.maximum(lap_parent, 0)]
    point = inside & (depth == level + 3) & (name == _CODE["Trackpoint"]) & track[np.maximum(track_parent, 0)]
    n = int(point.sum())
    in_point = (depth > level + 3) & (point_parent >= 0) & point[np.maximum(point_parent, 0)]
    row_of = np.cumsum(point) - 1

    spans: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for field, column in _FIELDS.items():
        tags = np.flatnonzero(in_point & (name == _CODE[field]))
        rows = row_of[point_parent[tags]]
        last = xmlscan.last_of_runs(rows)  # the last one in each point wins
        start, stop = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        start[rows[last]], stop[rows[last]] = doc.text_span(tags[last])
        spans[column] = (start, stop)
    time_utc, offsets = doc.span_times(*spans.pop("time"))

    laps = np.flatnonzero(lap).tolist()

    def first_child_texts(holders: np.ndarray, code: int) -> dict[int, str | None]:
        """Holder tag -> text of its first direct child named ``code``."""
        tags = np.flatnonzero(inside & (depth == level + 2) & (name == code) & holders[np.maximum(lap_parent, 0)])
        firsts: dict[int, int] = {}
        for tag, parent in zip(tags.tolist(), lap_parent[tags].tolist()):
            firsts.setdefault(parent, tag)
        return dict(zip(firsts, doc.texts(np.array(list(firsts.values()), dtype=np.int64))))

    timer = first_child_texts(lap, _CODE["TotalTimeSeconds"])
    distance = first_child_texts(lap, _CODE["DistanceMeters"])
    creator = inside & opened & (depth == level + 1) & (name == _CODE["Creator"])
    device = next(iter(first_child_texts(creator, _CODE["Name"]).values()), None)
    return RawTcx(
        time_utc=time_utc,
        offsets_s=offsets,
        columns={column: doc.span_floats(*span) for column, span in spans.items()},
        lap_starts=[doc.attributes(i).get("StartTime") for i in laps],
        lap_timer_s=xmlsafe.floats([_strip(timer.get(i)) for i in laps]),
        lap_distance_m=xmlsafe.floats([_strip(distance.get(i)) for i in laps]),
        sport_label=doc.attributes(first).get("Sport"),
        device=_strip(device),
        activity_count=len(activities),
    )


def _laps(raw: RawTcx, last_time: np.datetime64) -> list[Lap]:
    """The device's laps; elapsed time from one lap start to the next."""
    starts, _ = xmlsafe.iso_times(raw.lap_starts)
    out = []
    for i, (timer, distance) in enumerate(zip(raw.lap_timer_s.tolist(), raw.lap_distance_m.tolist())):
        start = starts[i]
        end = starts[i + 1] if i + 1 < len(starts) else last_time
        known = not (np.isnat(start) or np.isnat(end))
        elapsed = int((end - start).astype("timedelta64[ns]").astype(np.int64)) / 1e9 if known else None
        out.append(
            Lap(
                start_time_utc=utc_datetime(start),
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
    raw = read_raw(data, source)
    notes: list[str] = []
    if raw.activity_count > 1:
        notes.append(f"TCX file holds {raw.activity_count} activities: only the first was read")
    time, offsets = raw.time_utc, raw.offsets_s
    if len(time) == 0:
        raise NoActivityDataError("TCX activity has no trackpoints", source)
    timed = ~np.isnat(time)
    if not timed.any():
        raise NoActivityDataError("TCX trackpoints have no timestamps: cannot time a run", source)
    if not timed.all():
        notes.append(f"{int((~timed).sum())} TCX trackpoints without a time were left out")
    order = np.flatnonzero(timed)
    time_ns = time.view(np.int64)
    order = order[np.argsort(time_ns[order], kind="stable")]
    if not np.array_equal(order, np.flatnonzero(timed)):
        notes.append("TCX trackpoints were out of time order and were sorted")
    fixes = {"records_read": int(timed.sum()), "time_backwards": int(np.sum(np.diff(time_ns[np.flatnonzero(timed)]) < 0))}
    time = time[order]
    cols = {name: values[order] for name, values in raw.columns.items()}
    time_ns = time.view(np.int64)
    elapsed_s = (time_ns - time_ns[0]) / 1e9
    one_segment = np.zeros(len(time), dtype=np.int64)

    sport, sub_sport = sport_from_label(raw.sport_label)
    lat, lon = cols["lat"].copy(), cols["lon"].copy()
    spikes = geo.spike_mask(lat, lon, elapsed_s, geo.spike_speed_m_s(sport))
    lat[spikes] = np.nan
    lon[spikes] = np.nan
    if spikes.any():
        notes.append(f"{int(spikes.sum())} GPS spikes (positions that jump away and back faster than the sport moves) dropped")

    device_distance = cols["distance_m"]
    if (device_distance > 0).any():
        distance_m = fill_gaps(device_distance)
    elif np.isfinite(lat).sum() >= 2:
        distance_m = geo.cumulative_distance_m(lat, lon, one_segment)
        notes.append("TCX has no device distance: distance derived from positions")
    else:
        distance_m = np.full(len(time), np.nan)
    speed_m_s = cols["speed_m_s"]
    if not np.isfinite(speed_m_s).any():
        speed_m_s = geo.windowed_speed_m_s(distance_m, elapsed_s, one_segment)

    sport_source = FILE if sport != "unknown" else None
    if names_no_sport(raw.sport_label):
        cycles = np.where(np.isfinite(cols["run_cadence"]), cols["run_cadence"], cols["cadence"])
        if guess := sport_from_data(speed_m_s, cycles):
            sport, sport_source = guess
            notes.append(f"TCX names no sport ({raw.sport_label or 'no Sport attribute'}): {sport} from the {sport_source}")
    cadence = cols["cadence"] * (STEPS_PER_LEG_CYCLE if sport in CADENCE_PER_LEG_SPORTS else 1)
    run_cadence = cols["run_cadence"] * STEPS_PER_LEG_CYCLE
    cadence = np.where(np.isfinite(run_cadence), run_cadence, cadence)

    records = Records(
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
        }
    )
    laps = _laps(raw, time[-1])
    lap_starts = [lap.start_time_utc for lap in laps if lap.start_time_utc is not None]
    first, last = utc_datetime(time[0]), utc_datetime(time[-1])
    start = min([first, *lap_starts])
    totals: dict[str, float] = {"elapsed_time_s": (last - start).total_seconds()}
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
        sport_source=sport_source,
        start_time_utc=start,
        utc_offset_s=next(iter(offsets)) if len(offsets) == 1 and 0 not in offsets else None,
        device=raw.device,
        name=None,
        laps=laps,
        device_totals=totals,
        notes=notes,
        reader_fixes=fixes,
        decoder="lxml",
    )
