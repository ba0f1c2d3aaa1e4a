"""The FIT writer, read back by independent decoders (fitparse, fitdecode)."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta

import fitparse
import numpy as np
import pytest

from crampcheck.synth import build, fit_bytes, scenarios
from crampcheck.synth.fitcrc import crc16, crc16_nibble
from crampcheck.synth.fitwrite import BIKE_LEG_S, DEV_FIELD_NAME, developer_humidity_pct

from .conftest import fitdecode_messages, fitparse_messages

SEMI = 2**31 / 180.0
# The FIT protocol's published nibble table for its CRC
FIT_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                 0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)


def _naive_times(truth) -> list[datetime]:
    return [t.to_pydatetime().replace(tzinfo=None) for t in truth.records["time"]]


@pytest.fixture(scope="module")
def mixed_fit(mixed_truth):
    return fit_bytes(mixed_truth)


@pytest.fixture(scope="module")
def mixed_msgs(mixed_fit):
    return fitparse_messages(mixed_fit)


def test_crc_matches_the_fit_nibble_algorithm():
    from crampcheck.synth import fitcrc

    assert fitcrc._NIBBLE_TABLE == FIT_CRC_TABLE
    data = bytes(range(256)) * 3
    assert crc16(data) == crc16_nibble(data)
    assert crc16(b"123456789") == 0xBB3D  # the CRC-16/ARC check value


def test_header_and_file_crc(mixed_fit):
    size, protocol, _profile, data_size, magic = struct.unpack("<BBHI4s", mixed_fit[:12])
    assert (size, magic, data_size) == (14, b".FIT", len(mixed_fit) - 16)
    assert protocol == 0x20
    assert struct.unpack("<H", mixed_fit[12:14])[0] == crc16(mixed_fit[:12])
    assert crc16(mixed_fit) == 0  # a CRC over data followed by its own CRC is zero


def test_corrupted_byte_fails_the_crc_check(mixed_fit):
    bad = bytearray(mixed_fit)
    bad[len(bad) // 2] ^= 0x01
    with pytest.raises(fitparse.FitParseError):
        fitparse_messages(bytes(bad))


def test_records_match_the_truth(mixed_truth, mixed_msgs):
    r = mixed_truth.records
    recs = mixed_msgs["record"]
    assert len(recs) == len(r)
    assert [m["timestamp"] for m in recs] == _naive_times(mixed_truth)
    col = lambda k: np.array([m[k] for m in recs], dtype=float)  # noqa: E731
    np.testing.assert_array_equal(col("position_lat"), np.round(r["lat"] * SEMI))
    np.testing.assert_array_equal(col("position_long"), np.round(r["lon"] * SEMI))
    np.testing.assert_allclose(col("distance"), r["distance_m"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(col("enhanced_speed"), r["speed_m_s"], atol=0.0005 + 1e-9)
    np.testing.assert_allclose(col("speed"), r["speed_m_s"], atol=0.0005 + 1e-9)
    np.testing.assert_allclose(col("enhanced_altitude"), r["altitude_m"], atol=0.1 + 1e-9)
    np.testing.assert_array_equal(col("heart_rate"), r["heart_rate_bpm"])
    np.testing.assert_array_equal(2 * (col("cadence") + col("fractional_cadence")), r["cadence_spm"])
    np.testing.assert_array_equal(col("temperature"), r["temperature_c"])


def test_odd_cadence_uses_fractional_cadence():
    from crampcheck.synth import RunSpec, Segment

    # an odd steps/min is rounded to even in the truth; check the FIT path with a run at 171 -> 172 spm
    t = build(RunSpec([Segment(duration_s=10, speed_m_s=3.0, cadence_spm=171)]))
    recs = fitparse_messages(fit_bytes(t))["record"]
    assert {(m["cadence"], m["fractional_cadence"]) for m in recs} == {(86, 0.0)}


def test_events_laps_session_activity(mixed_truth, mixed_msgs):
    t = mixed_truth
    t0 = t.start_time_utc.replace(tzinfo=None)
    p = t.pauses[0]
    events = [(m["event"], m["event_type"], (m["timestamp"] - t0).total_seconds()) for m in mixed_msgs["event"]]
    assert events == [
        ("timer", "start", 0.0), ("timer", "stop_all", p.start_s), ("timer", "start", p.end_s),
        ("timer", "stop_all", t.elapsed_s),
    ]
    laps = mixed_msgs["lap"]
    assert len(laps) == int(t.distance_m // 1000) + 1
    assert sum(lap["total_distance"] for lap in laps) == pytest.approx(t.distance_m, abs=0.01 * len(laps))
    assert sum(lap["total_timer_time"] for lap in laps) == pytest.approx(t.timer_s)
    assert sum(lap["total_elapsed_time"] for lap in laps) == pytest.approx(t.elapsed_s)
    assert [lap["message_index"] for lap in laps] == list(range(len(laps)))
    (s,) = mixed_msgs["session"]
    assert (s["sport"], s["sub_sport"], s["start_time"]) == ("running", "generic", t0)
    assert s["total_elapsed_time"] == t.elapsed_s and s["total_timer_time"] == t.timer_s
    assert s["total_distance"] == pytest.approx(t.distance_m, abs=0.005)
    assert s["avg_temperature"] == round(t.temperature_mean_c) and s["max_temperature"] == 24
    assert (s["total_ascent"], s["total_descent"]) == (24, 20)
    assert (s["first_lap_index"], s["num_laps"]) == (0, len(laps))
    (a,) = mixed_msgs["activity"]
    assert a["timestamp"] == t0 + timedelta(seconds=t.elapsed_s)
    assert (a["local_timestamp"] - a["timestamp"]).total_seconds() == t.utc_offset_s
    assert (a["num_sessions"], a["type"]) == (1, "manual")
    assert mixed_msgs["file_id"][0]["type"] == "activity"
    assert mixed_msgs["sport"][0]["name"] == "Synthetic run"


def test_missing_channels_are_left_out_of_records():
    t = build(scenarios.no_gps(duration_s=120, has_temperature=False, has_heart_rate=False))
    msgs = fitparse_messages(fit_bytes(t))
    keys = set().union(*(m.keys() for m in msgs["record"]))
    assert not keys & {"position_lat", "position_long", "temperature", "heart_rate", "altitude", "enhanced_altitude"}
    assert {"distance", "enhanced_speed", "cadence"} <= keys
    (s,) = msgs["session"]
    assert s["sub_sport"] == "treadmill" and "start_position_lat" not in s
    assert s.get("avg_temperature") is None


def test_speed_and_altitude_field_choice(easy_truth):
    enhanced = fitparse_messages(fit_bytes(easy_truth, speed_field="enhanced", altitude_field="enhanced"))["record"][5]
    assert "speed" not in enhanced and "altitude" not in enhanced and enhanced["enhanced_speed"] == 3.0
    plain = fitparse_messages(fit_bytes(easy_truth, speed_field="plain", altitude_field="plain"))["record"][5]
    assert plain["speed"] == 3.0 and plain["altitude"] == 40.0


def test_without_local_timestamp(easy_truth):
    (a,) = fitparse_messages(fit_bytes(easy_truth, local_timestamp=False))["activity"]
    assert a.get("local_timestamp") is None


def test_one_lap_when_auto_lap_is_off(easy_truth):
    laps = fitparse_messages(fit_bytes(easy_truth, lap_distance_m=None))["lap"]
    assert len(laps) == 1 and laps[0]["total_distance"] == 1200.0


def _record_table(msgs) -> list[tuple]:
    return [(m["timestamp"], m["position_lat"], m["distance"], m["heart_rate"], m["temperature"]) for m in msgs["record"]]


@pytest.fixture(scope="module")
def mixed_fitdecode_records(mixed_fit):
    return _record_table(fitdecode_messages(mixed_fit))


@pytest.mark.parametrize(
    "option", [dict(big_endian=True), dict(compressed_timestamps=True), dict(developer_fields=True)]
)
def test_variants_decode_to_the_same_records(mixed_truth, mixed_fit, mixed_msgs, mixed_fitdecode_records, option):
    data = fit_bytes(mixed_truth, **option)
    assert data != mixed_fit
    assert _record_table(fitdecode_messages(data)) == mixed_fitdecode_records
    assert _record_table(fitparse_messages(data)) == _record_table(mixed_msgs)
    assert [r[0].replace(tzinfo=None) for r in mixed_fitdecode_records] == _naive_times(mixed_truth)


def test_big_endian_architecture_byte(mixed_truth):
    data = fit_bytes(mixed_truth, big_endian=True)
    assert data[14] & 0x40 and data[16] == 1  # first definition message: architecture = big endian


def test_compressed_timestamps_have_no_timestamp_field(mixed_truth):
    data = fit_bytes(mixed_truth, compressed_timestamps=True)
    assert len(data) < len(fit_bytes(mixed_truth)) - 4 * len(mixed_truth.records) + 100
    with pytest.raises(ValueError):
        fit_bytes(build(scenarios.even_pace(2000, 3.0, sample_interval_s=40)), compressed_timestamps=True)


def test_developer_field(mixed_truth):
    msgs = fitdecode_messages(fit_bytes(mixed_truth, developer_fields=True))
    assert msgs["field_description"][0]["field_name"] == DEV_FIELD_NAME
    assert len(msgs["developer_data_id"]) == 1
    values = [m[DEV_FIELD_NAME] for m in msgs["record"]]
    np.testing.assert_array_equal(values, developer_humidity_pct(mixed_truth.records["elapsed_s"]))
    assert fitparse_messages(fit_bytes(mixed_truth, developer_fields=True))["record"][100][DEV_FIELD_NAME] == 53  # 200 s


def test_chained_files(mixed_truth):
    data = fit_bytes(mixed_truth, chained=True)
    for decode in (fitdecode_messages, fitparse_messages):
        msgs = decode(data)
        assert len(msgs["file_id"]) == 2 and len(msgs["session"]) == 2 and len(msgs["activity"]) == 2
        times = [m["timestamp"].replace(tzinfo=None) for m in msgs["record"]]
        assert times == _naive_times(mixed_truth)
        distance = sum(s["total_distance"] for s in msgs["session"])
        gap = mixed_truth.records["distance_m"].diff().iat[len(mixed_truth.records) // 2]
        assert distance == pytest.approx(mixed_truth.distance_m - gap, abs=0.02)
    first_size = struct.unpack("<I", data[4:8])[0] + 16
    assert crc16(data[:first_size]) == 0 and crc16(data[first_size:]) == 0


def test_multisport(mixed_truth):
    msgs = fitparse_messages(fit_bytes(mixed_truth, multisport=True))
    assert [s["sport"] for s in msgs["session"]] == ["cycling", "running"]
    bike, run = msgs["session"]
    assert bike["total_timer_time"] == BIKE_LEG_S and bike["total_distance"] == BIKE_LEG_S * 8.0
    assert run["total_distance"] == pytest.approx(mixed_truth.distance_m, abs=0.005)
    assert run["first_lap_index"] == bike["num_laps"]
    (a,) = msgs["activity"]
    assert (a["num_sessions"], a["type"]) == (2, "auto_multi_sport")
    assert len(msgs["record"]) == BIKE_LEG_S // 2 + 1 + len(mixed_truth.records)  # 2-s samples
    assert msgs["record"][0]["timestamp"] < mixed_truth.start_time_utc.replace(tzinfo=None)
    assert [m["sport"] for m in msgs["sport"]] == ["cycling", "running"]
