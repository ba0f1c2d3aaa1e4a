"""The fast FIT decoder: differential checks against fitparse (fitref) on every real FIT file,
hand-built FIT byte strings with exact expected values (big-endian, compressed timestamps,
developer fields, chained files, accumulated footpod distance, CRC and truncation errors),
peek_file_type, and synthetic runs written by crampcheck.synth."""

from __future__ import annotations

import importlib.util
import io
import struct
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from crampcheck.errors import UnreadableFileError
from crampcheck.io import fitfast, fitref
from crampcheck.io.fitfast import FitDecodeRefused, decode, peek_file_type
from crampcheck.io.fitmessages import MESSAGE_FIELDS, RECORD_FIELDS, FitMessages
from tests.conftest import FITPARSE_CANNOT_READ, PROJECT_ROOT, REAL_DIR, file_bytes, fitparse_messages, profile_rows, real_files


def _fit_paths() -> list[Path]:
    real = [p for p in real_files("fit") if p.name.lower().endswith((".fit", ".fit.gz"))]
    local = sorted((PROJECT_ROOT / "tests" / "data").glob("*.fit"))
    return real + local


def _load(path: Path) -> bytes:
    return file_bytes(path)


def _file_param(path: Path):
    return pytest.param(path, id=path.name)


def assert_same(got: FitMessages, ref: FitMessages) -> None:
    """Field by field: arrays equal (NaN == NaN), message dicts equal with the same value types."""
    assert got.decoder == "crampcheck-fit"
    assert set(got.records) == set(RECORD_FIELDS) and set(got.messages) == set(MESSAGE_FIELDS)
    assert got.n_records == ref.n_records
    for name in RECORD_FIELDS:
        assert got.records[name].dtype == np.float64
        np.testing.assert_array_equal(got.records[name], ref.records[name], err_msg=name)
    for name in MESSAGE_FIELDS:
        assert got.messages[name] == ref.messages[name], name
        for mine, theirs in zip(got.messages[name], ref.messages[name]):
            assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}, name
    assert got.developer_fields == ref.developer_fields
    assert set(got.developer_records) == set(ref.developer_records)
    for name, column in got.developer_records.items():
        assert column.dtype == np.float64 and len(column) == got.n_records
        np.testing.assert_array_equal(column, ref.developer_records[name], err_msg=name)


# ------------------------------------------------------------------ real files vs fitparse


@pytest.mark.parametrize("path", [_file_param(p) for p in _fit_paths() if p.name not in FITPARSE_CANNOT_READ])
def test_real_file_matches_fitparse(path):
    assert_same(decode(_load(path), str(path)), fitparse_messages(path))


def test_real_files_cover_the_hard_cases():
    """The real set holds what the differential test is meant to exercise."""
    names = {p.name for p in _fit_paths()}
    if not names:
        pytest.skip("../shared/data/real is absent")
    for needed in ("garmin_fr70_run_footpod_compressed_ts.fit", "stryd_run_developer_fields.fit",
                   "wahoo_elemnt_ride_6h30.fit", "garmin_edge1030plus_virtual_ride.fit.gz"):
        assert needed in names
    data = _load(next(p for p in _fit_paths() if p.name == "garmin_fr70_run_footpod_compressed_ts.fit"))
    fm = decode(data)
    assert fm.n_records == 755 and np.nanmax(fm.records["timestamp"]) < 0x10000000  # device-relative
    assert np.nanmax(fm.records["distance"]) == 10248.6875  # compressed_speed_distance, 1/16 m steps


def _fitdecode_records(data: bytes) -> dict[str, np.ndarray]:
    """Record columns as fitref builds them, but read with fitdecode (lenient field sizes)."""
    import fitdecode

    from crampcheck.io.fitmessages import FIT_EPOCH

    def number(value) -> float:
        if isinstance(value, datetime):
            return (value - FIT_EPOCH).total_seconds()
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan

    columns: dict[str, list[float]] = {name: [] for name in RECORD_FIELDS}
    with fitdecode.FitReader(io.BytesIO(data), error_handling=fitdecode.ErrorHandling.IGNORE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                values: dict = {}
                for f in frame.fields:  # fitref's rule: the first value that is not None
                    if f.value is not None and not isinstance(f.field_def, fitdecode.types.DevFieldDefinition):
                        values.setdefault(f.name, f.value)
                for name in RECORD_FIELDS:
                    columns[name].append(number(values.get(name)))
    return {name: np.asarray(v, dtype=np.float64) for name, v in columns.items()}


@pytest.mark.parametrize("path", [_file_param(p) for p in _fit_paths() if p.name in FITPARSE_CANNOT_READ])
def test_misaligned_field_sizes_read_like_fitdecode(path):
    """Files with fields whose size is not a multiple of their type (fitparse refuses them):
    every record column equals fitdecode's, and the counts equal PROFILE.tsv's."""
    data = _load(path)
    got = decode(data, path.name)
    expected = _fitdecode_records(data)
    row = profile_rows()[f"fit/{path.name}"]
    assert got.n_records == int(row["records"])
    for name in RECORD_FIELDS:
        np.testing.assert_array_equal(got.records[name], expected[name], err_msg=name)
    assert [e["event"] for e in got.messages["event"]][:1] == ["timer"]
    assert got.messages["session"][0]["total_distance"] == pytest.approx(float(row["distance_m"]), abs=0.05)


@pytest.mark.parametrize("path", real_files("invalid", "fit_*"), ids=lambda p: p.name)
def test_invalid_real_files_raise_one_clear_line(path):
    expected = {
        "fit_activity_filecrc.fit": "FIT file CRC mismatch",
        "fit_corrupt_header.fit": "not a FIT file (bad header",
        "fit_empty_activities_crc.fit": "FIT file CRC mismatch",
        "fit_empty_zero_bytes.fit": "empty file (0 bytes)",
        "fit_nodata.fit": "truncated FIT file: expected",
        "fit_sigma_ride_truncated.fit": "truncated FIT file: expected 11 more bytes",
        "fit_strava_android_run_undefined_local_msg.fit": "local message type 11, which was never defined",
        "fit_unexpected_eof.fit": "truncated FIT file: expected",
    }
    with pytest.raises(UnreadableFileError) as info:
        decode(path.read_bytes(), path.name)
    assert not isinstance(info.value, FitDecodeRefused)
    text = str(info.value)
    assert "\n" not in text and text.startswith(path.name + ": ")
    assert expected.get(path.name, "") in text
    assert info.value.offset is not None and 0 <= info.value.offset <= len(path.read_bytes())


def test_strava_file_error_points_at_the_undefined_message():
    path = next((p for p in real_files("invalid") if "undefined_local_msg" in p.name), None)
    if path is None:
        pytest.skip("real file absent")
    with pytest.raises(UnreadableFileError) as info:
        decode(path.read_bytes(), path.name)
    assert info.value.offset == 7471  # where fitdecode also stops


@pytest.mark.parametrize("path", [p for p in _fit_paths() if p.is_relative_to(REAL_DIR)], ids=lambda p: p.name)
def test_peek_file_type_of_real_activities(path):
    data = _load(path)
    file_ids = decode(data).messages["file_id"]
    expected = "activity" if path.name != "anomaly_broken_dates.fit" else None  # its file_id has no type
    assert file_ids[0].get("type") == expected
    assert peek_file_type(data) == expected
    assert peek_file_type(data[:4096]) == expected  # the start of the file is enough


# ------------------------------------------------------------------ hand-built FIT files


def crc(data: bytes) -> int:
    """The FIT CRC as fitparse computes it (an independent implementation)."""
    from fitparse.records import Crc

    return Crc.calculate(data)


def fit_file(body: bytes, header_size: int = 14, header_crc: int | None = None) -> bytes:
    header = struct.pack("<BBHI4s", header_size, 0x20, 2132, len(body), b".FIT")
    if header_size == 14:
        header += struct.pack("<H", crc(header) if header_crc is None else header_crc)
    return header + body + struct.pack("<H", crc(header + body))


def definition(local: int, global_num: int, fields, big_endian: bool = False, dev_fields=()) -> bytes:
    """A definition message; fields are (number, size, base type) triples."""
    order = ">" if big_endian else "<"
    header = 0x40 | local | (0x20 if dev_fields else 0)
    out = struct.pack(f"{order}BBBHB", header, 0, int(big_endian), global_num, len(fields))
    out += b"".join(bytes(f) for f in fields)
    if dev_fields:
        out += bytes([len(dev_fields)]) + b"".join(bytes(f) for f in dev_fields)
    return out


def message(header: int, fmt: str, *values, big_endian: bool = False) -> bytes:
    return bytes([header]) + struct.pack((">" if big_endian else "<") + fmt, *values)


UINT8, SINT8, UINT16, SINT32, UINT32, BYTE, STRING, ENUM = 0x02, 0x01, 0x84, 0x85, 0x86, 0x0D, 0x07, 0x00
T = 1_000_000_020  # a FIT timestamp (2021-09-09) whose low 5 bits are 20


def fit_datetime(seconds: int) -> datetime:
    """FIT seconds as the naive UTC datetime fitparse gives."""
    return datetime(1989, 12, 31) + timedelta(seconds=seconds)

RECORD_LAYOUT = [(253, 4, UINT32), (0, 4, SINT32), (2, 2, UINT16), (3, 1, UINT8), (6, 2, UINT16), (13, 1, SINT8)]
RECORD_FMT = "IiHBHb"


def _records_file(big_endian: bool, header_size: int = 14) -> bytes:
    body = definition(0, 20, RECORD_LAYOUT, big_endian)
    rows = [(T, -123456789, 3000, 150, 3500, -5), (T + 1, 0x7FFFFFFF, 0xFFFF, 0xFF, 3600, 0x7F)]
    body += b"".join(message(0, RECORD_FMT, *row, big_endian=big_endian) for row in rows)
    return fit_file(body, header_size)


def test_big_endian_definition_gives_the_same_values():
    little, big = decode(_records_file(False)), decode(_records_file(True))
    for fm in (little, big):
        r = fm.records
        np.testing.assert_array_equal(r["timestamp"], [T, T + 1])
        np.testing.assert_array_equal(r["position_lat"], [-123456789, np.nan])  # 0x7FFFFFFF invalid
        np.testing.assert_array_equal(r["altitude"], [100.0, np.nan])  # 3000 / 5 - 500
        np.testing.assert_array_equal(r["enhanced_altitude"], [100.0, np.nan])  # component of altitude
        np.testing.assert_array_equal(r["heart_rate"], [150, np.nan])
        np.testing.assert_array_equal(r["speed"], [3.5, 3.6])
        np.testing.assert_array_equal(r["enhanced_speed"], [3.5, 3.6])
        np.testing.assert_array_equal(r["temperature"], [-5, np.nan])
        assert np.isnan(r["power"]).all() and np.isnan(r["distance"]).all()
    assert_same(big, fitref.decode(_records_file(True)))


def test_twelve_byte_header_reads_the_same():
    assert_same(decode(_records_file(False, header_size=12)), decode(_records_file(False)))
    assert_same(decode(_records_file(False, header_size=12)), fitref.decode(_records_file(False, header_size=12)))


def _compressed_file() -> bytes:
    event = definition(2, 21, [(253, 4, UINT32), (0, 1, ENUM), (1, 1, ENUM)])
    untimed_event = definition(2, 21, [(0, 1, ENUM), (1, 1, ENUM)])
    compressed_record = definition(0, 20, [(3, 1, UINT8)])  # no timestamp field: from the header
    full_record = definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)])
    body = event + message(0x02, "IBB", T, 0, 0)  # timer start at T (low bits 20)
    body += compressed_record
    for offset, hr in ((25, 100), (3, 101), (3, 102), (2, 103)):
        body += message(0x80 | offset, "B", hr)
    body += full_record + message(0x01, "IB", T + 80, 104)  # low bits of T + 80: 4
    body += message(0x80 | 1, "B", 105)
    body += untimed_event + message(0x80 | (2 << 5) | 3, "BB", 0, 4)  # an event with a compressed header
    return fit_file(body)


def test_compressed_timestamps_roll_over_exactly():
    fm = decode(_compressed_file())
    # 20 -> 25: +5; 25 -> 3: +10 (rollover); 3 -> 3: +0; 3 -> 2: +31; set to T+80 (low 4); 4 -> 1: +29
    expected = [T + 5, T + 15, T + 15, T + 46, T + 80, T + 109]
    np.testing.assert_array_equal(fm.records["timestamp"], expected)
    np.testing.assert_array_equal(fm.records["heart_rate"], [100, 101, 102, 103, 104, 105])
    # the event's compressed header (offset 3) follows T + 109 (low bits 1): +2
    assert fm.messages["event"] == [
        {"timestamp": fit_datetime(T), "event": "timer", "event_type": "start"},
        {"timestamp": fit_datetime(T + 111), "event": "timer", "event_type": "stop_all"},
    ]
    assert_same(fm, fitref.decode(_compressed_file()))


def test_a_repeated_name_keeps_its_first_valid_value():
    """fitref keeps, per record, the first value of a name that is not None (fitparse lists
    a field's components before the field itself)."""
    layout = [(253, 4, UINT32), (73, 4, UINT32), (6, 2, UINT16), (78, 4, UINT32), (2, 2, UINT16)]
    body = definition(0, 20, layout)
    body += message(0, "IIHIH", T, 0xFFFFFFFF, 3000, 3250, 0xFFFF)  # enhanced_speed invalid
    body += message(0, "IIHIH", T + 1, 3100, 3000, 0xFFFFFFFF, 3000)  # both valid / altitude only
    body += message(0, "IIHIH", T + 2, 3100, 0xFFFF, 0xFFFFFFFF, 0xFFFF)
    data = fit_file(body)
    fm = decode(data)
    np.testing.assert_array_equal(fm.records["enhanced_speed"], [3.0, 3.1, 3.1])  # from speed, then its own
    np.testing.assert_array_equal(fm.records["speed"], [3.0, 3.0, np.nan])
    np.testing.assert_array_equal(fm.records["enhanced_altitude"], [150.0, 100.0, np.nan])  # own, then altitude's
    np.testing.assert_array_equal(fm.records["altitude"], [np.nan, 100.0, np.nan])
    assert_same(fm, fitref.decode(data))


def test_a_timestamp_field_wins_over_the_compressed_header():
    event = definition(0, 21, [(253, 4, UINT32), (0, 1, ENUM), (1, 1, ENUM)]) + message(0, "IBB", T, 0, 0)
    record = definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)])
    body = event + record
    body += message(0x80 | (1 << 5) | 30, "IB", T + 100, 120)  # own timestamp T + 100, offset 30
    body += message(0x80 | (1 << 5) | 31, "IB", 0xFFFFFFFF, 121)  # invalid own timestamp
    data = fit_file(body)
    fm = decode(data)
    # the header offsets still move the counter: T + 100 (low 24) -> 30: T + 106 -> 31: T + 107
    np.testing.assert_array_equal(fm.records["timestamp"], [T + 100, T + 107])
    assert_same(fm, fitref.decode(data))


def _developer_file(described: bool = True) -> bytes:
    body = definition(3, 207, [(3, 1, UINT8), (1, 16, BYTE)]) + message(3, "B16s", 0, bytes(range(16)))
    if described:
        body += definition(4, 206, [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8), (3, 16, STRING)])
        body += message(4, "BBB16s", 0, 7, UINT16, b"core_temp")
    body += definition(0, 20, [(253, 4, UINT32), (3, 1, UINT8)], dev_fields=[(7, 2, 0)])
    body += message(0, "IBH", T, 140, 3712) + message(0, "IBH", T + 1, 141, 3720)
    body += definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)]) + message(1, "IB", T + 2, 142)
    return fit_file(body)


def test_developer_fields_are_skipped_and_named():
    fm = decode(_developer_file())
    np.testing.assert_array_equal(fm.records["timestamp"], [T, T + 1, T + 2])
    np.testing.assert_array_equal(fm.records["heart_rate"], [140, 141, 142])
    assert fm.developer_fields == {"core_temp"}
    assert_same(fm, fitref.decode(_developer_file()))


def test_air_developer_fields_are_decoded_with_their_described_base_type():
    """A uint16 "Pod Temperature" (raw, as fitparse gives developer fields: no scale) and a uint8
    humidity, used by two record definitions; the invalid value is NaN; body temperatures are left out."""
    body = definition(3, 207, [(3, 1, UINT8), (1, 16, BYTE)]) + message(3, "B16s", 0, bytes(range(16)))
    body += definition(4, 206, [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8), (3, 16, STRING)])
    body += message(4, "BBB16s", 0, 7, UINT16, b"Pod Temperature")
    body += message(4, "BBB16s", 0, 8, UINT8, b"Pod Humidity")
    body += message(4, "BBB16s", 0, 9, UINT8, b"core_temperature")
    body += definition(0, 20, [(253, 4, UINT32), (3, 1, UINT8)], dev_fields=[(7, 2, 0), (8, 1, 0), (9, 1, 0)])
    body += message(0, "IBHBB", T, 140, 24, 61, 37) + message(0, "IBHBB", T + 1, 141, 0xFFFF, 62, 37)
    body += definition(1, 20, [(253, 4, UINT32), (3, 1, UINT8)], dev_fields=[(8, 1, 0)])
    body += message(1, "IBB", T + 2, 142, 63)
    data = fit_file(body)
    fm = decode(data)
    assert set(fm.developer_records) == {"Pod Temperature", "Pod Humidity"}
    np.testing.assert_array_equal(fm.developer_records["Pod Temperature"], [24, np.nan, np.nan])
    np.testing.assert_array_equal(fm.developer_records["Pod Humidity"], [61, 62, 63])
    assert_same(fm, fitref.decode(data))


def test_real_stryd_air_fields_and_weather_reports_match_fitparse():
    paths = {p.name: p for p in _fit_paths()}
    if "garmin_fenix6_run_core_temp_devfields.fit" not in paths:
        pytest.skip("../shared/data/real is absent")
    fm = decode(_load(paths["garmin_fenix6_run_core_temp_devfields.fit"]))
    assert set(fm.developer_records) == {"Stryd Temperature", "Stryd Humidity"}
    assert np.nanmax(fm.developer_records["Stryd Temperature"]) == 22 and np.nanmin(fm.developer_records["Stryd Temperature"]) == 1
    weather = decode(_load(paths["garmin_edge810_ride_6h_hot39C.fit"])).messages["weather_conditions"]
    assert len(weather) == 25 and weather[0]["weather_report"] == "current"
    assert (weather[0]["temperature"], weather[0]["relative_humidity"]) == (21, 50)


def test_undescribed_developer_field_is_skipped_without_error():
    fm = decode(_developer_file(described=False))
    np.testing.assert_array_equal(fm.records["heart_rate"], [140, 141, 142])
    assert fm.developer_fields == set()


def _footpod_body(counters, first_timestamp: int) -> bytes:
    """Records with compressed_speed_distance: 12 bits speed (/100 m/s), 12 bits distance (/16 m)."""
    body = definition(0, 20, [(253, 4, UINT32), (8, 3, BYTE)])
    for i, (speed, distance) in enumerate(counters):
        packed = b"\xff\xff\xff" if speed is None else (speed | distance << 12).to_bytes(3, "little")
        body += message(0, "I3s", first_timestamp + i, packed)
    return body


FOOTPOD = [(300, 4000), (310, 4090), (320, 10), (None, None), (330, 100)]


def test_compressed_speed_distance_accumulates_like_fitparse():
    data = fit_file(_footpod_body(FOOTPOD, 1000))
    fm = decode(data)
    # distance counter 4000, 4090, 10 (rolled over: 4106), invalid (no change), 100 (4196)
    np.testing.assert_array_equal(fm.records["distance"], [4000 / 16, 4090 / 16, 4106 / 16, np.nan, 4196 / 16])
    np.testing.assert_array_equal(fm.records["speed"], [3.0, 3.1, 3.2, np.nan, 3.3])
    assert np.isnan(fm.records["enhanced_speed"]).all()  # a component is not expanded again
    np.testing.assert_array_equal(fm.records["timestamp"], [1000, 1001, 1002, 1003, 1004])  # device-relative
    assert_same(fm, fitref.decode(data))


def test_chained_files_are_decoded_in_order_with_fresh_state():
    first = fit_file(_footpod_body(FOOTPOD[:2], 1000))
    second = fit_file(_footpod_body([(200, 16), (200, 32)], 2000))
    data = first + second + _records_file(False)
    fm = decode(data)
    np.testing.assert_array_equal(fm.records["timestamp"], [1000, 1001, 2000, 2001, T, T + 1])
    # the distance accumulator restarts with each file
    np.testing.assert_array_equal(fm.records["distance"], [250.0, 255.625, 1.0, 2.0, np.nan, np.nan])
    assert_same(fm, fitref.decode(data))


def test_misaligned_field_is_read_as_bytes():
    body = definition(0, 20, [(253, 4, UINT32), (7, 3, UINT16), (6, 1, UINT16), (3, 1, UINT8)])
    body += message(0, "I3sBB", T, b"\x01\x02\x03", 42, 150)
    fm = decode(fit_file(body))
    assert np.isnan(fm.records["power"]).all()  # 3 bytes for a uint16: invalid
    assert np.isnan(fm.records["speed"]).all()  # 1 byte for a uint16: a byte array, not a number
    np.testing.assert_array_equal(fm.records["enhanced_speed"], [0.042])  # its component, as fitdecode
    np.testing.assert_array_equal(fm.records["heart_rate"], [150])
    for name in RECORD_FIELDS:
        np.testing.assert_array_equal(fm.records[name], _fitdecode_records(fit_file(body))[name], err_msg=name)


def test_messages_use_subfields_components_and_enum_names():
    body = definition(0, 0, [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16), (4, 4, UINT32)])
    body += message(0, "BHHI", 4, 1, 3113, 0x0FFFFFFF)  # garmin -> product named garmin_product
    body += definition(1, 21, [(253, 4, UINT32), (0, 1, ENUM), (1, 1, ENUM), (2, 2, UINT16)])
    body += message(1, "IBBH", T, 0, 0, 7) + message(1, "IBBH", T, 39, 3, 104)  # data16 -> data
    body += definition(2, 23, [(0, 1, UINT8), (2, 2, UINT16), (4, 2, UINT16), (5, 2, UINT16), (27, 8, STRING)])
    body += message(2, "BHHH8s", 0, 89, 5, 250, b"Karoo\x00\x00\x00")
    data = fit_file(body)
    fm = decode(data)
    assert fm.messages["file_id"] == [
        {"type": "activity", "manufacturer": "garmin", "garmin_product": 3113, "time_created": 0x0FFFFFFF}
    ]
    assert fm.messages["event"][0] == {"timestamp": fit_datetime(T), "event": "timer", "event_type": "start"}
    assert fm.messages["event"][1]["data"] == 104 and fm.messages["event"][1]["event"] == 39
    assert fm.messages["device_info"] == [
        {"device_index": "creator", "manufacturer": "tacx", "product": 5, "software_version": 2.5,
         "product_name": "Karoo"}
    ]
    assert_same(fm, fitref.decode(data))


def test_array_field_with_components_is_refused():
    body = definition(0, 20, [(253, 4, UINT32), (6, 4, UINT16)]) + message(0, "IHH", T, 1, 2)
    with pytest.raises(FitDecodeRefused) as info:
        decode(fit_file(body), "x.fit")
    assert isinstance(info.value, UnreadableFileError) and info.value.path == "x.fit"


# ------------------------------------------------------------------ errors on hand-built files


def test_bad_file_crc_and_bad_header_crc():
    good = _records_file(False)
    bad = bytearray(good)
    bad[44] ^= 0x01  # a byte of the first record's latitude
    with pytest.raises(UnreadableFileError, match="FIT file CRC mismatch") as info:
        decode(bytes(bad))
    assert info.value.offset == len(good) - 2
    body = good[14:-2]
    with pytest.raises(UnreadableFileError, match="FIT header CRC mismatch"):
        decode(fit_file(body, header_crc=0x1234))
    assert decode(fit_file(body, header_crc=0)).n_records == 2  # a zero header CRC means "not computed"


@pytest.mark.parametrize("cut", [1, 2, 5, 10])
def test_truncated_file_says_how_many_bytes_are_missing(cut):
    good = _records_file(False)
    with pytest.raises(UnreadableFileError, match=f"truncated FIT file: expected {cut} more bytes") as info:
        decode(good[:-cut])
    assert info.value.offset == len(good) - cut


@pytest.mark.parametrize("data, text", [
    (b"", "empty file (0 bytes)"),
    (b"hello, not a FIT file at all", "not a FIT file (bad header)"),
    (b"<?xml version='1.0'?><gpx></gpx>", "not a FIT file (bad header)"),
    (b"\x0e\x10", "not a FIT file (bad header)"),
    (b"\x0e\x20\x54\x08\x10\x00", "not a FIT file (bad header)"),
])
def test_not_fit_bytes(data, text):
    with pytest.raises(UnreadableFileError, match=text.replace("(", r"\(").replace(")", r"\)")):
        decode(data, "file.fit")
    with pytest.raises(UnreadableFileError):
        peek_file_type(data)


def test_trailing_bytes_after_the_fit_data():
    with pytest.raises(UnreadableFileError, match="3 unexpected bytes after the end of the FIT data"):
        decode(_records_file(False) + b"\x00\x00\x00")


def test_undefined_local_message_type():
    body = definition(0, 20, [(253, 4, UINT32)]) + message(0, "I", T) + message(5, "I", T)
    with pytest.raises(UnreadableFileError, match="local message type 5, which was never defined") as info:
        decode(fit_file(body))
    assert info.value.offset == 14 + len(body) - 5


# ------------------------------------------------------------------ peek_file_type


def _file_id_file(file_type: int) -> bytes:
    body = definition(0, 0, [(0, 1, ENUM), (1, 2, UINT16), (4, 4, UINT32)]) + message(0, "BHI", file_type, 1, T)
    body += definition(1, 55, [(253, 4, UINT32), (2, 4, UINT32)])  # monitoring messages
    body += b"".join(message(1, "II", T + i, i) for i in range(50))
    return fit_file(body)


def test_peek_file_type_of_hand_built_files():
    assert peek_file_type(_file_id_file(32)) == "monitoring_b"
    assert peek_file_type(_file_id_file(2)) == "settings"
    assert peek_file_type(_file_id_file(32)[:40]) == "monitoring_b"  # header + file_id are enough
    assert peek_file_type(_file_id_file(99)) == "99"  # a type fitparse's profile does not name
    assert peek_file_type(_file_id_file(0xFF)) is None  # invalid type
    assert peek_file_type(_records_file(False)) is None  # no file_id at all
    assert decode(_file_id_file(32)).messages["file_id"][0]["type"] == "monitoring_b"
    with pytest.raises(UnreadableFileError, match="truncated"):
        peek_file_type(_file_id_file(32)[:20])


# ------------------------------------------------------------------ building blocks


def test_vectorized_crc_matches_fitparse():
    rng = np.random.default_rng(7)
    for length in list(range(0, 70)) + [1000, 4097, 65536 + 33]:
        data = rng.integers(0, 256, length, dtype=np.uint8)
        assert fitfast.crc16_array(data) == crc(data.tobytes()) == fitfast.crc16(data.tobytes()), length
    assert fitfast.crc16(b"123456789") == 0xBB3D  # the CRC-16/ARC check value


def test_profile_subset_agrees_with_fitparse():
    from fitparse.profile import FIELD_TYPES, MESSAGE_TYPES

    def check_field(mine, theirs):
        assert (mine.name, mine.scale, mine.offset) == (theirs.name, theirs.scale, theirs.offset)
        time = theirs.type.name if theirs.type.name in ("date_time", "local_date_time") else None
        assert mine.time == time
        # local_date_time's only name ("min" for 0x10000000) would crash fitparse's own processing
        assert mine.enum == (theirs.type.name if theirs.type.values and not time else None)
        comps = [(c.name, c.def_num, c.scale, c.offset, c.bits, c.bit_offset, bool(c.accumulate))
                 for c in theirs.components or ()]
        assert [tuple(c) for c in mine.components] == comps

    for num, field in fitfast.RECORD_PROFILE.items():
        check_field(field, MESSAGE_TYPES[20].fields[num])
    for num, theirs in MESSAGE_TYPES[20].fields.items():
        names = {theirs.name} | {c.name for c in theirs.components or ()}
        assert theirs.subfields is None or not {s.name for s in theirs.subfields} & set(RECORD_FIELDS)
        if names & set(RECORD_FIELDS):
            assert num in fitfast.RECORD_PROFILE, theirs.name
    for global_num, (name, fields) in fitfast.MESSAGE_PROFILE.items():
        assert MESSAGE_TYPES[global_num].name == name
        for num, field in fields.items():
            theirs = MESSAGE_TYPES[global_num].fields[num]
            check_field(field, theirs)
            wanted = MESSAGE_FIELDS.get(name, ())
            for sub in theirs.subfields or ():  # renaming sub-fields: same conditions
                refs = tuple((r.def_num, r.raw_value) for r in sub.ref_fields)
                if sub.name in wanted:
                    assert any(s.name == sub.name and s.refs == refs for s in field.subfields)
                else:
                    assert set(refs) <= {r for s in field.subfields if s.name is None for r in s.refs}
        for num, theirs in MESSAGE_TYPES[global_num].fields.items():  # every field giving a wanted name
            names = {theirs.name} | {c.name for c in theirs.components or ()} | {s.name for s in theirs.subfields or ()}
            if names & set(MESSAGE_FIELDS.get(name, ())):
                assert num in fields, (name, theirs.name)
    for table in fitfast._ENUM_TEXT:
        assert fitfast.enum_names(table) == FIELD_TYPES[table].values


def test_import_costs_only_numpy():
    import subprocess
    import sys

    code = (
        "import sys, crampcheck.io.fitfast; "
        "print(sorted(m for m in ('fitparse', 'fitdecode', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ synthetic runs (crampcheck.synth)

HAS_SYNTH = importlib.util.find_spec("crampcheck.synth.fitwrite") is not None

if HAS_SYNTH:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from crampcheck.synth import FitOptions, RunSpec, Segment, build, fit_bytes
    from crampcheck.synth.fitwrite import DEV_FIELD_NAME, SEMICIRCLES_PER_DEG, bike_leg

    def _stored(values, scale: float = 1.0, offset: float = 0.0) -> np.ndarray:
        """What a FIT file holds for physical values: round((v + offset) * scale) / scale - offset."""
        raw = np.round((np.asarray(values, dtype=np.float64) + offset) * scale)
        return raw / scale - offset if scale != 1 else raw - offset

    def _truth_records(truth, opts) -> dict[str, np.ndarray]:
        """The record values the FIT file must give back (the truth, stored FIT-style)."""
        legs = [truth]
        if opts.multisport and not opts.chained:  # chained wins: two plain files
            legs.insert(0, build(bike_leg(truth.spec)))
        parts = []
        for leg in legs:
            r = leg.records
            start_s = int(leg.start_time_utc.timestamp()) - 631065600  # FIT epoch
            per_leg = r["cadence_spm"].to_numpy() / (2 if leg.spec.sport == "running" else 1)
            parts.append({
                "timestamp": start_s + r["elapsed_s"].to_numpy(dtype=np.float64),
                "position_lat": _stored(r["lat"] * SEMICIRCLES_PER_DEG),
                "distance": _stored(r["distance_m"], 100),
                "enhanced_speed": _stored(r["speed_m_s"], 1000),
                "enhanced_altitude": _stored(r["altitude_m"], 5, 500),
                "heart_rate": _stored(r["heart_rate_bpm"]),
                "cadence": np.floor(per_leg),
                "temperature": _stored(r["temperature_c"]),
            })
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}

    segments = st.lists(
        st.builds(
            Segment,
            duration_s=st.integers(20, 90),
            speed_m_s=st.floats(2.0, 5.5, allow_nan=False),
            grade_pct=st.sampled_from([0.0, 2.5, -4.0]),
            temperature_c=st.one_of(st.none(), st.floats(-5, 38)),
        ),
        min_size=1, max_size=3,
    )
    options = st.builds(
        FitOptions,
        big_endian=st.booleans(), compressed_timestamps=st.booleans(), developer_fields=st.booleans(),
        chained=st.booleans(), multisport=st.booleans(),
        speed_field=st.sampled_from(["enhanced", "plain", "both"]),
        altitude_field=st.sampled_from(["enhanced", "plain", "both"]),
        lap_distance_m=st.sampled_from([None, 200.0, 1000.0]),
    )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(segments=segments, opts=options, sample_interval_s=st.sampled_from([1, 2, 5]))
    def test_synthetic_runs_survive_write_then_decode(segments, opts, sample_interval_s):
        truth = build(RunSpec(segments, sample_interval_s=sample_interval_s))
        data = fit_bytes(truth, opts)
        fm = decode(data)
        assert_same(fm, fitref.decode(data))
        expected = _truth_records(truth, opts)
        assert fm.n_records == len(expected["timestamp"])
        for name, values in expected.items():
            np.testing.assert_array_equal(fm.records[name], values, err_msg=name)
        assert fm.developer_fields == ({DEV_FIELD_NAME} if opts.developer_fields else set())
        assert len(fm.messages["session"]) == 2 if opts.chained or opts.multisport else 1
else:  # pragma: no cover

    def test_synthetic_runs_survive_write_then_decode():
        pytest.skip("crampcheck.synth has no FIT writer yet")
