"""A minimal FIT activity encoder, written from the FIT protocol description (no SDK).

File layout: 14-byte header (with header CRC), then definition and data messages:
file_id, [developer_data_id + field_description], device_info, then per session:
sport, event timer start, records (with event stop_all / start around each pause and a
lap message after each auto-lap), event timer stop_all, the last lap, session; finally
activity and the file CRC. Records are packed with numpy structured arrays (fast).

Field values are written with the FIT profile's scale and offset: distance x100,
(enhanced_)speed x1000, (enhanced_)altitude (m + 500) x 5, positions in semicircles
(deg x 2**31 / 180), running cadence per leg (rpm) + fractional_cadence x128, temperature
as sint8 deg C. A channel the spec lacks is left out of the record definition.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np

from crampcheck.io.fitmessages import FIT_EPOCH_UNIX_S
from crampcheck.synth.build import Interval, Truth, build
from crampcheck.synth.fitcrc import crc16
from crampcheck.synth.laps import SynthLap, auto_laps
from crampcheck.synth.spec import RunSpec, Segment

HEADER_SIZE = 14
PROTOCOL_VERSION = 0x20  # 2.0: needed for developer fields
PROFILE_VERSION = 2132  # 21.32
SEMICIRCLES_PER_DEG = 2**31 / 180.0
COMPRESSED_TS_MAX_GAP_S = 31  # a compressed timestamp header holds 5 bits of time offset

MANUFACTURER_DEVELOPMENT = 255
DEFAULT_PRODUCT = 1
DEFAULT_SERIAL = 3_141_592_653
PRODUCT_NAME = "crampcheck synth"
SOFTWARE_VERSION = 1.0

# FIT enums (profile values) used here
FILE_ACTIVITY = 4
EVENT_TIMER, EVENT_SESSION, EVENT_LAP, EVENT_ACTIVITY = 0, 8, 9, 26
EVENT_TYPE_START, EVENT_TYPE_STOP, EVENT_TYPE_STOP_ALL = 0, 1, 4
LAP_TRIGGER_DISTANCE, LAP_TRIGGER_SESSION_END = 2, 7
SESSION_TRIGGER_ACTIVITY_END = 0
ACTIVITY_MANUAL, ACTIVITY_AUTO_MULTI_SPORT = 0, 1
WEATHER_CURRENT = 0
SPORTS = {
    "generic": 0, "running": 1, "cycling": 2, "transition": 3, "swimming": 5, "training": 10, "walking": 11, "hiking": 17,
}
SUB_SPORTS = {
    None: 0, "generic": 0, "treadmill": 1, "street": 2, "trail": 3, "track": 4, "indoor_cycling": 6, "road": 7,
}

# base type name -> (base type id, numpy code without byte order, invalid value)
_BASE = {
    "enum": (0x00, "u1", 0xFF),
    "sint8": (0x01, "i1", 0x7F),
    "uint8": (0x02, "u1", 0xFF),
    "sint16": (0x83, "i2", 0x7FFF),
    "uint16": (0x84, "u2", 0xFFFF),
    "sint32": (0x85, "i4", 0x7FFFFFFF),
    "uint32": (0x86, "u4", 0xFFFFFFFF),
    "string": (0x07, "S", 0),
    "uint32z": (0x8C, "u4", 0),
    "byte": (0x0D, "S", 0xFF),
}

_S = SEMICIRCLES_PER_DEG
# message name -> (global number, {field name: (field number, base type, scale, offset)})
_MESSAGES: dict[str, tuple[int, dict[str, tuple]]] = {
    "file_id": (0, {
        "type": (0, "enum", 1, 0), "manufacturer": (1, "uint16", 1, 0), "product": (2, "uint16", 1, 0),
        "serial_number": (3, "uint32z", 1, 0), "time_created": (4, "uint32", 1, 0),
    }),
    "developer_data_id": (207, {
        "developer_id": (0, "byte", 1, 0), "application_id": (1, "byte", 1, 0), "manufacturer_id": (2, "uint16", 1, 0),
        "developer_data_index": (3, "uint8", 1, 0), "application_version": (4, "uint32", 1, 0),
    }),
    "field_description": (206, {
        "developer_data_index": (0, "uint8", 1, 0), "field_definition_number": (1, "uint8", 1, 0),
        "fit_base_type_id": (2, "uint8", 1, 0), "field_name": (3, "string", 1, 0), "units": (8, "string", 1, 0),
    }),
    "device_info": (23, {
        "timestamp": (253, "uint32", 1, 0), "device_index": (0, "uint8", 1, 0), "manufacturer": (2, "uint16", 1, 0),
        "serial_number": (3, "uint32z", 1, 0), "product": (4, "uint16", 1, 0), "software_version": (5, "uint16", 100, 0),
        "product_name": (27, "string", 1, 0),
    }),
    "sport": (12, {"sport": (0, "enum", 1, 0), "sub_sport": (1, "enum", 1, 0), "name": (3, "string", 1, 0)}),
    "event": (21, {
        "timestamp": (253, "uint32", 1, 0), "event": (0, "enum", 1, 0), "event_type": (1, "enum", 1, 0),
        "data": (3, "uint32", 1, 0), "event_group": (4, "uint8", 1, 0),
    }),
    "record": (20, {
        "timestamp": (253, "uint32", 1, 0), "position_lat": (0, "sint32", _S, 0), "position_long": (1, "sint32", _S, 0),
        "distance": (5, "uint32", 100, 0), "enhanced_speed": (73, "uint32", 1000, 0), "speed": (6, "uint16", 1000, 0),
        "enhanced_altitude": (78, "uint32", 5, 500), "altitude": (2, "uint16", 5, 500), "heart_rate": (3, "uint8", 1, 0),
        "cadence": (4, "uint8", 1, 0), "fractional_cadence": (53, "uint8", 128, 0), "temperature": (13, "sint8", 1, 0),
    }),
    "lap": (19, {
        "timestamp": (253, "uint32", 1, 0), "event": (0, "enum", 1, 0), "event_type": (1, "enum", 1, 0),
        "start_time": (2, "uint32", 1, 0), "start_position_lat": (3, "sint32", _S, 0),
        "start_position_long": (4, "sint32", _S, 0), "end_position_lat": (5, "sint32", _S, 0),
        "end_position_long": (6, "sint32", _S, 0), "total_elapsed_time": (7, "uint32", 1000, 0),
        "total_timer_time": (8, "uint32", 1000, 0), "total_distance": (9, "uint32", 100, 0),
        "lap_trigger": (24, "enum", 1, 0), "sport": (25, "enum", 1, 0), "message_index": (254, "uint16", 1, 0),
    }),
    "session": (18, {
        "timestamp": (253, "uint32", 1, 0), "event": (0, "enum", 1, 0), "event_type": (1, "enum", 1, 0),
        "start_time": (2, "uint32", 1, 0), "start_position_lat": (3, "sint32", _S, 0),
        "start_position_long": (4, "sint32", _S, 0), "sport": (5, "enum", 1, 0), "sub_sport": (6, "enum", 1, 0),
        "total_elapsed_time": (7, "uint32", 1000, 0), "total_timer_time": (8, "uint32", 1000, 0),
        "total_distance": (9, "uint32", 100, 0), "avg_speed": (14, "uint16", 1000, 0), "max_speed": (15, "uint16", 1000, 0),
        "avg_heart_rate": (16, "uint8", 1, 0), "max_heart_rate": (17, "uint8", 1, 0), "total_ascent": (22, "uint16", 1, 0),
        "total_descent": (23, "uint16", 1, 0), "first_lap_index": (25, "uint16", 1, 0), "num_laps": (26, "uint16", 1, 0),
        "trigger": (28, "enum", 1, 0), "avg_temperature": (57, "sint8", 1, 0), "max_temperature": (58, "sint8", 1, 0),
        "enhanced_avg_speed": (124, "uint32", 1000, 0), "enhanced_max_speed": (125, "uint32", 1000, 0),
        "message_index": (254, "uint16", 1, 0),
    }),
    "activity": (34, {
        "timestamp": (253, "uint32", 1, 0), "total_timer_time": (0, "uint32", 1000, 0), "num_sessions": (1, "uint16", 1, 0),
        "type": (2, "enum", 1, 0), "event": (3, "enum", 1, 0), "event_type": (4, "enum", 1, 0),
        "local_timestamp": (5, "uint32", 1, 0),
    }),
    "weather_conditions": (128, {
        "timestamp": (253, "uint32", 1, 0), "weather_report": (0, "enum", 1, 0), "temperature": (1, "sint8", 1, 0),
        "relative_humidity": (7, "uint8", 1, 0),
    }),
}
_LOCAL = {name: i for i, name in enumerate(_MESSAGES)}
# records get local type 0: compressed-timestamp headers can only name local types 0-3
_LOCAL["record"], _LOCAL["file_id"] = _LOCAL["file_id"], _LOCAL["record"]

# The developer field written with developer_fields=True (one uint8 field on records)
DEV_FIELD_NAME = "humidity"
DEV_FIELD_UNITS = "%"
DEV_DEVELOPER_ID = bytes(range(16))
DEV_APPLICATION_ID = bytes(range(16, 32))


def developer_humidity_pct(elapsed_s: np.ndarray) -> np.ndarray:
    """The developer field's values: 50 % rising 1 % a minute, wrapping every 10 minutes."""
    return 50 + (np.asarray(elapsed_s) // 60).astype(np.int64) % 10


@dataclass(frozen=True)
class _Dev:
    """A developer field column: (field number, base type, values)."""

    number: int
    base: str
    values: np.ndarray


def _raw(values, base: str, scale: float, offset: float):
    """Physical values -> stored integers (NaN -> the base type's invalid value)."""
    _, code, invalid = _BASE[base]
    v = np.asarray(values, dtype=np.float64)
    raw = np.round((v + offset) * scale)
    return np.where(np.isnan(raw), invalid, raw).astype(np.int64).astype(code)


class _Encoder:
    """Accumulates definition and data messages; knows the byte order."""

    def __init__(self, big_endian: bool):
        self.order = ">" if big_endian else "<"
        self.arch = 1 if big_endian else 0
        self.parts: list[bytes] = []
        self.defined: dict[int, tuple] = {}

    def pack(self, name: str, columns: dict, n: int = 1, header=None, dev: tuple[_Dev, ...] = ()) -> np.ndarray:
        """Pack ``n`` messages; emits a definition first when the layout changed.

        ``columns`` maps field names to physical values (scalars or arrays); None skips a
        field. Returns the packed structured array (the caller appends it, or slices of it).
        """
        number, fields = _MESSAGES[name]
        local = _LOCAL[name]
        layout, dtype = [], [("_header", "u1")]
        for key, value in columns.items():
            if value is None:
                continue
            num, base, _, _ = fields[key]
            base_id, code, _ = _BASE[base]
            if code == "S":
                size = len(value) + (1 if base == "string" else 0)
                np_code = f"S{size}"
            else:
                np_code = self.order + code
                size = np.dtype(np_code).itemsize
            layout.append((num, size, base_id))
            dtype.append((key, np_code))
        dev_layout = []
        for d in dev:
            base_id, code, _ = _BASE[d.base]
            np_code = self.order + code
            dev_layout.append((d.number, np.dtype(np_code).itemsize, 0))
            dtype.append((f"_dev{d.number}", np_code))
        signature = (number, tuple(layout), tuple(dev_layout))
        if self.defined.get(local) != signature:
            self._define(local, number, layout, dev_layout)
            self.defined[local] = signature
        arr = np.zeros(n, dtype=np.dtype(dtype))
        arr["_header"] = local if header is None else header
        for key, value in columns.items():
            if value is None:
                continue
            _, base, scale, offset = fields[key]
            if _BASE[base][1] == "S":
                arr[key] = value.encode() if isinstance(value, str) else value
            else:
                arr[key] = _raw(value, base, scale, offset)
        for d in dev:
            arr[f"_dev{d.number}"] = _raw(d.values, d.base, 1, 0)
        return arr

    def message(self, message_name: str, /, **columns) -> None:
        """Pack and append one message."""
        self.parts.append(self.pack(message_name, columns).tobytes())

    def _define(self, local: int, number: int, layout: list, dev_layout: list) -> None:
        header = 0x40 | local | (0x20 if dev_layout else 0)
        out = struct.pack(f"{self.order}BBBHB", header, 0, self.arch, number, len(layout))
        out += b"".join(struct.pack("BBB", *f) for f in layout)
        if dev_layout:
            out += struct.pack("B", len(dev_layout)) + b"".join(struct.pack("BBB", *f) for f in dev_layout)
        self.parts.append(out)

    def body(self) -> bytes:
        return b"".join(self.parts)


@dataclass(frozen=True)
class _Leg:
    """One session: samples ``i0..i1-1`` of a built run."""

    truth: Truth
    i0: int
    i1: int

    @property
    def records(self):
        return self.truth.records.iloc[self.i0 : self.i1]

    @property
    def pauses(self) -> list[Interval]:
        t = self.truth.records["elapsed_s"].to_numpy()
        lo, hi = t[self.i0], t[self.i1 - 1]
        return [p for p in self.truth.pauses if p.start_s >= lo and p.end_s <= hi]


def _fit_time(truth: Truth, elapsed_s) -> np.ndarray:
    """FIT timestamps (seconds since 1989-12-31 UTC) of elapsed seconds of a run."""
    start_unix = int(truth.start_time_utc.timestamp())
    return start_unix - FIT_EPOCH_UNIX_S + np.asarray(elapsed_s, dtype=np.int64)


def _moving_mean(leg: _Leg, column: str) -> float:
    v = leg.records[column].to_numpy(dtype=np.float64)[1:]
    w = np.diff(leg.truth.moving_time_s[leg.i0 : leg.i1])
    return float(np.sum(v * w) / np.sum(w)) if np.sum(w) > 0 else float("nan")


def _nan_max(values: np.ndarray) -> float | None:
    return None if np.all(np.isnan(values)) else float(np.nanmax(values))


def _record_columns(leg: _Leg, opts: FitOptions) -> dict:
    r = leg.records
    spec = leg.truth.spec
    spm = r["cadence_spm"].to_numpy()
    per_leg = spm / 2 if spec.sport == "running" else spm  # running cadence is per leg in FIT
    whole = np.floor(per_leg)
    speed = r["speed_m_s"].to_numpy()
    alt = r["altitude_m"].to_numpy()
    cols = {
        "timestamp": None if opts.compressed_timestamps else _fit_time(leg.truth, r["elapsed_s"].to_numpy()),
        "position_lat": r["lat"].to_numpy() if spec.has_gps else None,
        "position_long": r["lon"].to_numpy() if spec.has_gps else None,
        "distance": r["distance_m"].to_numpy(),
        "enhanced_speed": speed if opts.speed_field in ("enhanced", "both") else None,
        "speed": speed if opts.speed_field in ("plain", "both") else None,
        "enhanced_altitude": alt if spec.has_altitude and opts.altitude_field in ("enhanced", "both") else None,
        "altitude": alt if spec.has_altitude and opts.altitude_field in ("plain", "both") else None,
        "heart_rate": r["heart_rate_bpm"].to_numpy() if spec.has_heart_rate else None,
        "cadence": whole if spec.has_cadence else None,
        "fractional_cadence": per_leg - whole if spec.has_cadence and spec.sport == "running" else None,
        "temperature": r["temperature_c"].to_numpy() if spec.has_temperature else None,
    }
    return cols


def _lap_message(enc: _Encoder, leg: _Leg, lap: SynthLap, index: int, last: bool) -> None:
    r, truth = leg.truth.records, leg.truth
    gps = truth.spec.has_gps
    i, j = leg.i0 + lap.start_index, leg.i0 + lap.end_index
    enc.message(
        "lap",
        timestamp=_fit_time(truth, lap.end_s),
        event=EVENT_LAP,
        event_type=EVENT_TYPE_STOP,
        start_time=_fit_time(truth, lap.start_s),
        start_position_lat=r["lat"].iat[i] if gps else None,
        start_position_long=r["lon"].iat[i] if gps else None,
        end_position_lat=r["lat"].iat[j] if gps else None,
        end_position_long=r["lon"].iat[j] if gps else None,
        total_elapsed_time=lap.elapsed_s,
        total_timer_time=lap.timer_s,
        total_distance=lap.distance_m,
        lap_trigger=LAP_TRIGGER_SESSION_END if last else LAP_TRIGGER_DISTANCE,
        sport=SPORTS[truth.spec.sport],
        message_index=index,
    )


def _timer_event(enc: _Encoder, truth: Truth, elapsed_s: float, event_type: int) -> None:
    enc.message(
        "event", timestamp=_fit_time(truth, elapsed_s), event=EVENT_TIMER, event_type=event_type, data=0, event_group=0
    )


def _encode_leg(
    enc: _Encoder, leg: _Leg, opts: FitOptions, first_lap_index: int, session_index: int
) -> tuple[int, float]:
    """Write one session's messages; returns (number of laps, timer seconds)."""
    truth, spec = leg.truth, leg.truth.spec
    if spec.sport not in SPORTS or spec.sub_sport not in SUB_SPORTS:
        raise ValueError(f"FIT writer: unknown sport {spec.sport!r} / sub-sport {spec.sub_sport!r}")
    r = leg.records
    t = r["elapsed_s"].to_numpy()
    n = len(t)
    laps = auto_laps(t, r["distance_m"].to_numpy(), leg.pauses, opts.lap_distance_m)
    enc.message("sport", sport=SPORTS[spec.sport], sub_sport=SUB_SPORTS[spec.sub_sport], name=spec.name[:15])
    if opts.weather_temperature_c is not None:  # the phone's report of the current weather, at the start
        enc.message(
            "weather_conditions", timestamp=_fit_time(truth, t[0]), weather_report=WEATHER_CURRENT,
            temperature=opts.weather_temperature_c, relative_humidity=opts.weather_humidity_pct,
        )
    _timer_event(enc, truth, t[0], EVENT_TYPE_START)

    header = None
    if opts.compressed_timestamps:
        if spec.sample_interval_s > COMPRESSED_TS_MAX_GAP_S:
            raise ValueError("compressed timestamps need samples at most 31 s apart")
        header = (0x80 | (_LOCAL["record"] << 5) | (_fit_time(truth, t) & 0x1F)).astype(np.uint8)
    dev = (_Dev(0, "uint8", developer_humidity_pct(t)),) if opts.developer_fields else ()
    packed = enc.pack("record", _record_columns(leg, opts), n=n, header=header, dev=dev)

    # what follows each record: a lap end, a timer stop (and the restart before the next record)
    after: dict[int, list] = {}
    for k, lap in enumerate(laps[:-1]):
        after.setdefault(lap.end_index, []).append(("lap", k))
    index_of = {float(v): i for i, v in enumerate(t)}
    for p in leg.pauses:
        after.setdefault(index_of[p.start_s], []).append(("pause", p))
    cut = 0
    for i in sorted(after):
        enc.parts.append(packed[cut : i + 1].tobytes())
        cut = i + 1
        for kind, item in after[i]:
            if kind == "lap":
                _lap_message(enc, leg, laps[item], first_lap_index + item, last=False)
            else:
                _timer_event(enc, truth, item.start_s, EVENT_TYPE_STOP_ALL)
                _timer_event(enc, truth, item.end_s, EVENT_TYPE_START)
    enc.parts.append(packed[cut:].tobytes())
    _timer_event(enc, truth, t[-1], EVENT_TYPE_STOP_ALL)
    _lap_message(enc, leg, laps[-1], first_lap_index + len(laps) - 1, last=True)

    speed = r["speed_m_s"].to_numpy()
    alt = r["altitude_m"].to_numpy()
    climb = np.diff(alt) if spec.has_altitude else np.zeros(1)
    elapsed = float(t[-1] - t[0])
    timer = elapsed - sum(p.duration_s for p in leg.pauses)
    distance = float(r["distance_m"].iat[-1] - r["distance_m"].iat[0])
    hr = r["heart_rate_bpm"].to_numpy()
    temp = r["temperature_c"].to_numpy()
    enc.message(
        "session",
        timestamp=_fit_time(truth, t[-1]),
        event=EVENT_SESSION,
        event_type=EVENT_TYPE_STOP,
        start_time=_fit_time(truth, t[0]),
        start_position_lat=r["lat"].iat[0] if spec.has_gps else None,
        start_position_long=r["lon"].iat[0] if spec.has_gps else None,
        sport=SPORTS[spec.sport],
        sub_sport=SUB_SPORTS[spec.sub_sport],
        total_elapsed_time=elapsed,
        total_timer_time=timer,
        total_distance=distance,
        avg_speed=distance / timer,
        max_speed=float(speed.max()),
        avg_heart_rate=_moving_mean(leg, "heart_rate_bpm") if spec.has_heart_rate else None,
        max_heart_rate=_nan_max(hr) if spec.has_heart_rate else None,
        total_ascent=float(np.sum(climb[climb > 0])) if spec.has_altitude else None,
        total_descent=float(-np.sum(climb[climb < 0])) if spec.has_altitude else None,
        first_lap_index=first_lap_index,
        num_laps=len(laps),
        trigger=SESSION_TRIGGER_ACTIVITY_END,
        avg_temperature=_moving_mean(leg, "temperature_c") if spec.has_temperature else None,
        max_temperature=_nan_max(temp) if spec.has_temperature else None,
        enhanced_avg_speed=distance / timer,
        enhanced_max_speed=float(speed.max()),
        message_index=session_index,
    )
    return len(laps), timer


@dataclass(frozen=True)
class FitOptions:
    """How to write the FIT file (see fit_bytes)."""

    big_endian: bool = False
    compressed_timestamps: bool = False
    developer_fields: bool = False
    chained: bool = False
    multisport: bool = False
    speed_field: str = "both"  # "enhanced" | "plain" | "both"
    altitude_field: str = "both"  # "enhanced" | "plain" | "both"
    lap_distance_m: float | None = 1000.0
    local_timestamp: bool = True
    manufacturer: int = MANUFACTURER_DEVELOPMENT
    product: int = DEFAULT_PRODUCT
    serial_number: int = DEFAULT_SERIAL
    weather_temperature_c: float | None = None  # write a weather_conditions message (current) with this air temperature
    weather_humidity_pct: float | None = None  # ... and this relative humidity


def _encode_file(legs: list[_Leg], opts: FitOptions) -> bytes:
    enc = _Encoder(opts.big_endian)
    first = legs[0].truth
    t0 = float(legs[0].records["elapsed_s"].iat[0])
    enc.message(
        "file_id", type=FILE_ACTIVITY, manufacturer=opts.manufacturer, product=opts.product,
        serial_number=opts.serial_number, time_created=_fit_time(first, t0),
    )
    if opts.developer_fields:
        enc.message(
            "developer_data_id", developer_id=DEV_DEVELOPER_ID, application_id=DEV_APPLICATION_ID,
            manufacturer_id=opts.manufacturer, developer_data_index=0, application_version=1,
        )
        enc.message(
            "field_description", developer_data_index=0, field_definition_number=0,
            fit_base_type_id=_BASE["uint8"][0], field_name=DEV_FIELD_NAME, units=DEV_FIELD_UNITS,
        )
    enc.message(
        "device_info", timestamp=_fit_time(first, t0), device_index=0, manufacturer=opts.manufacturer,
        serial_number=opts.serial_number, product=opts.product, software_version=SOFTWARE_VERSION,
        product_name=PRODUCT_NAME,
    )
    n_laps, timer_total = 0, 0.0
    for k, leg in enumerate(legs):
        laps, timer = _encode_leg(enc, leg, opts, n_laps, k)
        n_laps += laps
        timer_total += timer
    last = legs[-1]
    end = _fit_time(last.truth, last.records["elapsed_s"].iat[-1])
    enc.message(
        "activity", timestamp=end, total_timer_time=timer_total, num_sessions=len(legs),
        type=ACTIVITY_AUTO_MULTI_SPORT if len(legs) > 1 else ACTIVITY_MANUAL,
        event=EVENT_ACTIVITY, event_type=EVENT_TYPE_STOP,
        local_timestamp=end + last.truth.utc_offset_s if opts.local_timestamp else None,
    )
    body = enc.body()
    header = struct.pack("<BBHI4s", HEADER_SIZE, PROTOCOL_VERSION, PROFILE_VERSION, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    return header + body + struct.pack("<H", crc16(body, crc16(header)))


BIKE_LEG_S = 1800
BIKE_SPEED_M_S = 8.0
BIKE_HEART_RATE_BPM = 135.0
TRANSITION_S = 120


def bike_leg(run: RunSpec) -> RunSpec:
    """The cycling session a multisport file puts before the run: 30 min at 8 m/s, 135 bpm,
    no cadence, ending 2 min before the run starts."""
    start = run.start_time_utc - timedelta(seconds=BIKE_LEG_S + TRANSITION_S)
    ride = Segment(duration_s=BIKE_LEG_S, speed_m_s=BIKE_SPEED_M_S, heart_rate_bpm=BIKE_HEART_RATE_BPM)
    return replace(
        run, segments=(ride,), start_time_utc=start, sport="cycling", sub_sport="road", has_cadence=False,
        name="Bike leg", hr_drift_bpm_per_h=0.0, tags={},
    )


def fit_bytes(truth: Truth, options: FitOptions | None = None, **kwargs) -> bytes:
    """The run as FIT bytes. Options (``FitOptions`` or keywords):

    - ``big_endian``: multi-byte fields in big-endian order (architecture byte 1);
    - ``compressed_timestamps``: records use compressed-timestamp headers (no timestamp field);
    - ``developer_fields``: a developer_data_id, a field_description and a ``humidity`` dev field in records;
    - ``chained``: two FIT files back to back, the run cut in two at the middle sample
      (distances keep counting, so the two files' records together equal the truth);
    - ``multisport``: a cycling session (``bike_leg``) then the running session, in one file;
    - ``speed_field`` / ``altitude_field``: "enhanced", "plain" or "both";
    - ``lap_distance_m``: auto-lap distance (None: one lap); ``local_timestamp``: write activity.local_timestamp;
    - ``weather_temperature_c`` / ``weather_humidity_pct``: a current weather_conditions message at the start
      (the air a phone reports, as a watch paired with one writes it).
    """
    opts = replace(options or FitOptions(), **kwargs)
    n = len(truth.records)
    if opts.chained:
        m = n // 2
        return _encode_file([_Leg(truth, 0, m)], opts) + _encode_file([_Leg(truth, m, n)], opts)
    legs = [_Leg(truth, 0, n)]
    if opts.multisport:
        bike = build(bike_leg(truth.spec))
        legs.insert(0, _Leg(bike, 0, len(bike.records)))
    return _encode_file(legs, opts)
