"""GPX reader: bytes -> Activity.

Two backends read the track points and give the same Activity:

- ``"lxml"`` (default, fast): libxml2 checks the document (``xmlsafe``), then a plain
  document (the usual case) is read column-wise with numpy from its tag table
  (``xmlscan.scan_plain``), any other by walking the lxml tree; both read the same.
  Elements match by *local name*, so any namespace prefix works.
- ``"gpxpy"`` (reference, the design card's parser): ``gpxpy.parse`` after the same safety
  check, extensions read from gpxpy's extension elements.

Both feed ``build_activity``, which does all the maths once:

- points from all tracks and segments, segments ordered by their first time; the time
  between two segments is a pause (``Activity.pauses``) and no distance is counted across it;
- timestamps with offsets are converted to UTC; when every timestamp carries the same
  non-zero offset, ``Activity.utc_offset_s`` is that offset;
- GPS spikes (a fix that jumps away and back faster than ``geo.spike_speed_m_s(sport)``)
  lose their position; distance is the haversine path over the kept fixes, speed is
  distance over time on a centred window (``geo.windowed_speed_m_s``);
- ``altitude_m`` is the GPX ``ele`` smoothed by ``geo.smooth_altitude_m``;
- extensions: Garmin TrackPointExtension v1/v2 ``hr``, ``cad``, ``atemp``; cluetrust gpxdata
  ``hr``, ``cadence``, ``temp``; plain ``heartrate`` / ``cadence``; GpxExtensions v3
  ``Temperature``; ``power`` / PowerExtension ``PowerInWatts``;
- cadence: GPX cadence is per leg (Garmin, Strava, Suunto write ~85 for a runner), so it is
  doubled to steps/min for foot sports and for an unknown sport (crampcheck reads runs);
  it is kept as is (rpm) for cycling and other sports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from crampcheck.errors import NoActivityDataError, UnreadableFileError
from crampcheck.io import geo, xmlsafe, xmlscan
from crampcheck.schema import Activity, Pause, Records, utc_datetime
from crampcheck.sports import (
    FILE,
    NAME,
    names_no_sport,
    sport_from_data,
    sport_from_label,
)

# Extension element local name -> (channel, priority). For a point holding several names for
# the same channel, the highest priority wins (Amazfit writes both <heartrate> and TPX <hr>).
EXTENSION_NAMES: dict[str, tuple[str, int]] = {
    "heartrate": ("heart_rate", 0),
    "hr": ("heart_rate", 1),
    "cadence": ("cadence", 0),
    "cad": ("cadence", 1),
    "Temperature": ("temperature", 0),
    "temp": ("temperature", 1),
    "atemp": ("temperature", 2),
    "power": ("power", 0),
    "PowerInWatts": ("power", 1),
}
CHANNELS = ("heart_rate", "cadence", "temperature", "power")
TEMPERATURE_SOURCES = {
    "atemp": "GPX atemp extension (watch sensor)",
    "temp": "GPX gpxdata temp extension (watch sensor)",
    "Temperature": "GPX GpxExtensions Temperature (watch sensor)",
}
CADENCE_PER_LEG_SPORTS = frozenset({"running", "walking", "hiking", "unknown"})
STEPS_PER_LEG_CYCLE = 2  # one cadence cycle of one leg = two steps

DECODERS = ("lxml", "gpxpy")

# Local names the plain scan tells apart (see xmlscan.scan_plain), and their codes.
_SCAN_NAMES = ("gpx", "metadata", "name", "type", "trk", "trkseg", "trkpt", "ele", "time", *EXTENSION_NAMES)
_CODE = {name: code for code, name in enumerate(_SCAN_NAMES)}
_EXT_TAGS = tuple("{*}" + name for name in EXTENSION_NAMES)


@dataclass
class RawTrack:
    """Track points as a backend read them, before any maths (one entry per point)."""

    time_utc: np.ndarray  # datetime64[ns] UTC, NaT where the point has no time
    offsets_s: set[int]  # distinct UTC offsets the timestamps state (0 for Z)
    lat: np.ndarray
    lon: np.ndarray
    ele: np.ndarray
    segment: np.ndarray  # int, one id per track segment, in file order
    channels: dict[str, np.ndarray]  # CHANNELS -> float array (NaN where absent)
    temperature_name: str | None = None  # extension name that gave temperature_c
    creator: str | None = None
    name: str | None = None
    type_label: str | None = None


@dataclass
class _Extensions:
    """Extension values found inside the points, in document order (one entry per element)."""

    rows: np.ndarray  # index of the point holding the element
    names: np.ndarray  # index in EXTENSION_NAMES
    values: np.ndarray  # float, NaN when not a number


def _channels(n: int, ext: _Extensions) -> tuple[dict[str, np.ndarray], str | None]:
    """Per channel and point: the highest-priority extension name holding a number wins;
    for a name written several times in one point, its last value counts."""
    channels = {name: np.full(n, np.nan) for name in CHANNELS}
    temperature_name = None
    by_priority = sorted(enumerate(EXTENSION_NAMES.items()), key=lambda item: item[1][1][1])
    for index, (name, (channel, _)) in by_priority:  # a higher priority overwrites a lower one
        mask = ext.names == index
        rows, values = ext.rows[mask], ext.values[mask]
        last = xmlscan.last_of_runs(rows)  # rows are in document order
        rows, values = rows[last], values[last]
        ok = np.isfinite(values)
        if ok.any():
            channels[channel][rows[ok]] = values[ok]
            if channel == "temperature":
                temperature_name = name
    return channels, temperature_name


def read_lxml(data: bytes, source: str) -> RawTrack:
    """Track points through lxml/libxml2: ``trk/trkseg/trkpt`` in document order.

    A point's ``ele`` and ``time`` are its first direct children of that name (as in gpxpy);
    extension values are the elements of EXTENSION_NAMES anywhere inside the point. Names
    match by local name, so any namespace prefix works. A plain document (the usual case)
    is read column-wise with numpy by ``_read_plain``; any other goes through the tree.
    """
    doc = xmlscan.scan_plain(data, source, _SCAN_NAMES)
    raw = _read_plain(doc) if doc is not None else None
    return raw if raw is not None else read_tree(data, source)


def _read_plain(doc: xmlscan.PlainXml) -> RawTrack | None:
    """RawTrack from the tag table of a plain document (None: let the tree walk read it)."""
    kind, depth, name = doc.kind, doc.depth, doc.name
    if name[0] != _CODE["gpx"]:
        return None  # the tree walk raises the clear error
    parent3, parent4 = doc.last_open(2), doc.last_open(3)
    trk = (kind == xmlscan.OPEN) & (depth == 2) & (name == _CODE["trk"])
    seg = (kind == xmlscan.OPEN) & (depth == 3) & (name == _CODE["trkseg"]) & trk[np.maximum(parent3, 0)]
    point = (depth == 4) & (name == _CODE["trkpt"]) & seg[np.maximum(parent4, 0)]
    points = np.flatnonzero(point)
    n = points.size
    point_row = np.cumsum(point) - 1
    segment = (np.cumsum(seg) - 1)[parent4[points]]

    position = doc.attribute_spans(points, ("lat", "lon"))
    if position is None:
        return None
    owner = doc.last_open(4)  # the depth-4 element holding each deeper tag
    inside = (depth >= 5) & (owner >= 0) & point[np.maximum(owner, 0)]

    def first_child(code: int) -> tuple[np.ndarray, np.ndarray]:
        tags = np.flatnonzero(inside & (depth == 5) & (name == code))
        rows = point_row[owner[tags]]
        first = xmlscan.first_of_runs(rows)
        start, stop = doc.text_span(tags[first])
        full_start, full_stop = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        full_start[rows[first]], full_stop[rows[first]] = start, stop
        return full_start, full_stop

    time_utc, offsets = doc.span_times(*first_child(_CODE["time"]))
    first_ext = _CODE[next(iter(EXTENSION_NAMES))]
    ext_tags = np.flatnonzero(inside & (name >= first_ext))
    ext = _Extensions(
        rows=point_row[owner[ext_tags]],
        names=name[ext_tags] - first_ext,
        values=doc.span_floats(*doc.text_span(ext_tags)),
    )
    channels, temperature_name = _channels(n, ext)
    return RawTrack(
        time_utc=time_utc,
        offsets_s=offsets,
        lat=doc.span_floats(*position["lat"], attribute=True),
        lon=doc.span_floats(*position["lon"], attribute=True),
        ele=doc.span_floats(*first_child(_CODE["ele"])),
        segment=segment,
        channels=channels,
        temperature_name=temperature_name,
        creator=(doc.attributes(0).get("creator") or "").strip() or None,
        **_plain_labels(doc, parent3),
    )


def _plain_labels(doc: xmlscan.PlainXml, parent3: np.ndarray) -> dict[str, str | None]:
    """Track name and type as ``_first_track_text`` reads them, from the tag table."""
    kind, depth, name = doc.kind, doc.depth, doc.name
    trk = (kind == xmlscan.OPEN) & (depth == 2) & (name == _CODE["trk"])
    metadata = (kind == xmlscan.OPEN) & (depth == 2) & (name == _CODE["metadata"])

    def first_text(tags: np.ndarray) -> str | None:
        texts = doc.texts(tags[:1])
        return (texts[0] or "").strip() or None if texts else None

    def first_track_text(code: int) -> str | None:
        tags = np.flatnonzero((depth == 3) & (name == code) & trk[np.maximum(parent3, 0)])
        parents = parent3[tags]
        first = xmlscan.first_of_runs(parents)  # the first such child of each trk
        return next((t.strip() for t in doc.texts(tags[first]) if t and t.strip()), None)

    in_metadata = (depth == 3) & (name == _CODE["name"]) & metadata[np.maximum(parent3, 0)]
    gpx_name = (depth == 2) & (name == _CODE["name"])
    return {
        "name": first_track_text(_CODE["name"])
        or first_text(np.flatnonzero(in_metadata))
        or first_text(np.flatnonzero(gpx_name)),
        "type_label": first_track_text(_CODE["type"]),
    }


def _text(root, path: str) -> str | None:
    found = root.find(path)
    text = found.text.strip() if found is not None and found.text else ""
    return text or None


def _first_track_text(root, child: str) -> str | None:
    for trk in root.iterchildren("{*}trk"):
        text = _text(trk, "{*}" + child)
        if text:
            return text
    return None


def read_tree(data: bytes, source: str) -> RawTrack:
    """Track points through the lxml tree (any well-formed, safe document)."""
    root = xmlsafe.parse(data, source)
    if xmlsafe.local_name(root.tag) != "gpx":
        raise UnreadableFileError(f"XML root is <{xmlsafe.local_name(root.tag)}>, not <gpx>", source)
    points: list = []
    segment: list[int] = []
    for seg_id, seg in enumerate(seg for trk in root.iterchildren("{*}trk") for seg in trk.iterchildren("{*}trkseg")):
        found = list(seg.iterchildren("{*}trkpt"))
        points += found
        segment += [seg_id] * len(found)
    n = len(points)
    ele = [p.find("{*}ele") for p in points]
    time = [p.find("{*}time") for p in points]
    ext_rows: list[int] = []
    ext_elements: list = []
    for row, p in enumerate(points):
        found = list(p.iter(*_EXT_TAGS))
        ext_elements += found
        ext_rows += [row] * len(found)
    ext_index = {name: i for i, name in enumerate(EXTENSION_NAMES)}
    ext = _Extensions(
        rows=np.asarray(ext_rows, dtype=np.int64),
        names=np.asarray([ext_index[xmlsafe.local_name(el.tag)] for el in ext_elements], dtype=np.int64),
        values=xmlsafe.floats([el.text for el in ext_elements]),
    )
    channels, temperature_name = _channels(n, ext)
    time_utc, offsets = xmlsafe.iso_times([None if t is None else t.text for t in time])
    return RawTrack(
        time_utc=time_utc,
        offsets_s=offsets,
        lat=xmlsafe.floats([p.get("lat") for p in points]),
        lon=xmlsafe.floats([p.get("lon") for p in points]),
        ele=xmlsafe.floats([None if e is None else e.text for e in ele]),
        segment=np.asarray(segment, dtype=np.int64),
        channels=channels,
        temperature_name=temperature_name,
        creator=(root.get("creator") or "").strip() or None,
        name=_first_track_text(root, "name") or _text(root, "{*}metadata/{*}name") or _text(root, "{*}name"),
        type_label=_first_track_text(root, "type"),
    )


def _utc(value: datetime | None) -> datetime | None:
    """UTC, pinned between xmlsafe's TIME_FLOOR and TIME_CEIL as the fast path does (no overflow)."""
    if value is None:
        return None
    try:
        utc = value.replace(tzinfo=timezone.utc) if value.utcoffset() is None else value.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 shifted past what a datetime holds
        return _TIME_FLOOR if value.year < 2000 else _TIME_CEIL
    return min(max(utc, _TIME_FLOOR), _TIME_CEIL)


_TIME_FLOOR = xmlsafe.TIME_FLOOR.astype(datetime).replace(tzinfo=timezone.utc)
_TIME_CEIL = xmlsafe.TIME_CEIL.astype(datetime).replace(tzinfo=timezone.utc)


def _datetime64_utc(times: list[datetime | None]) -> np.ndarray:
    """UTC datetimes (None where unknown) as datetime64[ns] (NaT)."""
    return np.array(
        [np.datetime64("NaT") if t is None else np.datetime64(t.replace(tzinfo=None), "ns") for t in times],
        dtype="datetime64[ns]",
    )


def read_gpxpy(data: bytes, source: str) -> RawTrack:
    """Track points through gpxpy (the reference parser), after the same safety check."""
    import gpxpy  # imported here: only the reference path pays for it
    import gpxpy.gpx

    root = xmlsafe.parse(data, source)  # refuses entities, reports malformed XML clearly
    if xmlsafe.local_name(root.tag) != "gpx":
        raise UnreadableFileError(f"XML root is <{xmlsafe.local_name(root.tag)}>, not <gpx>", source)
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    body, _ = xmlsafe.strip_leading(data)
    try:
        gpx = gpxpy.parse(body.decode(encoding, errors="replace"))
    except gpxpy.gpx.GPXException as exc:
        raise UnreadableFileError(f"not a readable GPX file ({exc})", source) from None
    times: list[datetime | None] = []
    offsets: set[int] = set()
    lat: list[float] = []
    lon: list[float] = []
    ele: list[float | None] = []
    segment: list[int] = []
    found: dict[str, list[float]] = {name: [] for name in CHANNELS}
    temperature_names: set[str] = set()
    seg_id = -1
    for track in gpx.tracks:
        for seg in track.segments:
            seg_id += 1
            for p in seg.points:
                times.append(_utc(p.time))
                if p.time is not None:
                    delta = p.time.utcoffset()
                    offsets.add(int(delta.total_seconds()) if delta is not None else 0)
                lat.append(p.latitude)
                lon.append(p.longitude)
                ele.append(p.elevation)
                segment.append(seg_id)
                last: dict[str, float] = {}  # extension name -> its last value in the point
                for ext in p.extensions:
                    for el in ext.iter():
                        if isinstance(el.tag, str) and xmlsafe.local_name(el.tag) in EXTENSION_NAMES:
                            last[xmlsafe.local_name(el.tag)] = xmlsafe.floats([el.text])[0]
                best: dict[str, tuple[int, float, str]] = {}  # channel -> (priority, value, name)
                for local, value in last.items():
                    channel, priority = EXTENSION_NAMES[local]
                    if np.isfinite(value) and priority > best.get(channel, (-1, 0.0, ""))[0]:
                        best[channel] = (priority, value, local)
                for channel in CHANNELS:
                    found[channel].append(best[channel][1] if channel in best else np.nan)
                if "temperature" in best:
                    temperature_names.add(best["temperature"][2])
    type_label = next((t.type.strip() for t in gpx.tracks if t.type and t.type.strip()), None)
    track_name = next((t.name.strip() for t in gpx.tracks if t.name and t.name.strip()), None)
    temperature_name = max(temperature_names, key=lambda n: EXTENSION_NAMES[n][1]) if temperature_names else None
    return RawTrack(
        time_utc=_datetime64_utc(times),
        offsets_s=offsets,
        lat=np.asarray(lat, dtype=float),
        lon=np.asarray(lon, dtype=float),
        ele=np.asarray([np.nan if e is None else e for e in ele], dtype=float),
        segment=np.asarray(segment, dtype=np.int64),
        channels={k: np.asarray(v, dtype=float) for k, v in found.items()},
        temperature_name=temperature_name,
        creator=(gpx.creator or "").strip() or None,
        name=track_name or ((gpx.name or "").strip() or None),
        type_label=type_label,
    )


def build_activity(raw: RawTrack, source: str, decoder: str) -> Activity:
    """The Activity for ``raw`` track points (see the module docstring for the rules)."""
    if raw.lat.size == 0:
        raise NoActivityDataError("GPX file has no track points (metadata, waypoints or routes only)", source)
    notes: list[str] = []
    timed = ~np.isnat(raw.time_utc)
    if not timed.any():
        raise NoActivityDataError("GPX track has no timestamps: cannot time a run", source)
    if not timed.all():
        notes.append(f"{int((~timed).sum())} GPX track points without a time were left out")

    time_ns = raw.time_utc.view(np.int64)
    segment = raw.segment
    # Order segments by their first time, then points by time within each segment.
    seg_ids, seg_of_point = np.unique(segment, return_inverse=True)
    seg_first_ns = np.full(seg_ids.size, np.iinfo(np.int64).max)
    np.minimum.at(seg_first_ns, seg_of_point, np.where(timed, time_ns, np.iinfo(np.int64).max))
    seg_start = seg_first_ns[seg_of_point]
    order = np.lexsort((time_ns, segment, seg_start))
    order = order[timed[order]]
    if not np.array_equal(order, np.flatnonzero(timed)):
        notes.append("GPX points or segments were out of time order and were sorted")
    fixes = {"records_read": int(timed.sum()), "time_backwards": int(np.sum(np.diff(time_ns[timed]) < 0))}

    time = raw.time_utc[order]
    segment = segment[order]
    lat, lon = raw.lat[order].copy(), raw.lon[order].copy()
    elapsed_s = (time.view(np.int64) - time.view(np.int64)[0]) / 1e9

    sport, sub_sport, sport_source = _sport(raw, notes)
    spikes = geo.spike_mask(lat, lon, elapsed_s, geo.spike_speed_m_s(sport))
    if spikes.any():
        lat[spikes] = np.nan
        lon[spikes] = np.nan
        notes.append(f"{int(spikes.sum())} GPS spikes (positions that jump away and back faster than the sport moves) dropped")
    distance_m = geo.cumulative_distance_m(lat, lon, segment)
    speed_m_s = geo.windowed_speed_m_s(distance_m, elapsed_s, segment)

    cadence = raw.channels["cadence"][order]
    if sport_source is None and (guess := sport_from_data(speed_m_s, cadence)):
        sport, sport_source = guess
        notes.append(f"GPX names no sport: {sport} from the {sport_source}")
    if sport in CADENCE_PER_LEG_SPORTS and np.isfinite(cadence).any():
        cadence = cadence * STEPS_PER_LEG_CYCLE
        if sport == "unknown":
            notes.append("GPX names no sport: cadence taken as per leg (x2 to steps/min), as for a run")

    records = Records(
        {
            "time": time,
            "elapsed_s": elapsed_s,
            "distance_m": distance_m,
            "speed_m_s": speed_m_s,
            "lat": lat,
            "lon": lon,
            "altitude_m": geo.smooth_altitude_m(raw.ele[order]),
            "heart_rate_bpm": raw.channels["heart_rate"][order],
            "cadence_spm": cadence,
            "temperature_c": raw.channels["temperature"][order],
            "power_w": raw.channels["power"][order],
        }
    )
    has_temperature = bool(np.isfinite(records["temperature_c"]).any())
    offsets = raw.offsets_s
    return Activity(
        records=records,
        source=source,
        format="gpx",
        sport=sport,
        sub_sport=sub_sport,
        sport_source=sport_source or (FILE if sport != "unknown" else None),
        start_time_utc=utc_datetime(time[0]),
        utc_offset_s=next(iter(offsets)) if len(offsets) == 1 and 0 not in offsets else None,
        device=raw.creator,
        name=raw.name,
        pauses=_segment_pauses(time, segment),
        temperature_source=TEMPERATURE_SOURCES.get(raw.temperature_name or "") if has_temperature else None,
        notes=notes,
        reader_fixes=fixes,
        decoder=decoder,
    )


def _sport(raw: RawTrack, notes: list[str]) -> tuple[str, str | None, str | None]:
    """(sport, sub_sport, sport_source) from trk/type, else from a sport word in the track name
    or creator; sport_source None when no label names a sport (the data may tell)."""
    sport, sub_sport = sport_from_label(raw.type_label)
    if not names_no_sport(raw.type_label):
        return sport, sub_sport, FILE
    for what, label in (("track name", raw.name), ("creator", raw.creator)):
        guess, guess_sub = sport_from_label(label)
        if guess not in ("unknown", "other"):
            notes.append(f"GPX names no sport: {guess} guessed from the {what} {label!r}")
            return guess, guess_sub, NAME
    return sport, sub_sport, None


def _segment_pauses(time: np.ndarray, segment: np.ndarray) -> list[Pause]:
    """A pause from the last point of each segment to the first point of the next one."""
    change = np.flatnonzero(segment[1:] != segment[:-1])
    return [
        Pause(start_utc=utc_datetime(time[i]), end_utc=utc_datetime(time[i + 1]))
        for i in change
        if time[i + 1] > time[i]
    ]


def read_gpx(data: bytes, source: str, decoder: str = "lxml") -> Activity:
    """Read a GPX file's bytes into an Activity.

    ``decoder``: ``"lxml"`` (fast, default) or ``"gpxpy"`` (reference); both give the same
    records. Raises UnreadableFileError (malformed/unsafe XML, not GPX) or
    NoActivityDataError (no track points, no timestamps).
    """
    if decoder not in DECODERS:
        raise ValueError(f"GPX decoder must be one of {DECODERS}, not {decoder!r}")
    raw = read_lxml(data, source) if decoder == "lxml" else read_gpxpy(data, source)
    return build_activity(raw, source, decoder)
