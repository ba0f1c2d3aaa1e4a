"""FIT reader: hand-built FitMessages with exact values, a synthetic FIT file encoded with the
Garmin FIT SDK, and differential checks over the real files against fitparse and PROFILE.tsv."""

from __future__ import annotations

import functools
import importlib.util
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from crampcheck.errors import ConfigError, NoActivityDataError, NotAnActivityError, UnreadableFileError
from crampcheck.io import fit
from crampcheck.io.fitmessages import FIT_EPOCH, RECORD_FIELDS, FitMessages
from crampcheck.schema import RECORD_COLUMNS, Activity, Pause, utc_datetime
from tests.conftest import FITPARSE_CANNOT_READ, REAL_DIR, file_bytes, fitparse_messages, profile_rows, real_files

# The fast decoder joins the parametrization as soon as io/fitfast.py exists.
DECODERS = ["fitparse"] + (["fast"] if importlib.util.find_spec("crampcheck.io.fitfast") else [])

UTC = timezone.utc
NAIVE_EPOCH = datetime(1989, 12, 31)


def fit_s(when: datetime) -> float:
    """A naive UTC datetime as FIT seconds."""
    return (when - NAIVE_EPOCH).total_seconds()


def make_msgs(records: dict[str, list[float]], **messages: list[dict]) -> FitMessages:
    """FitMessages with the given record columns (others all-NaN) and messages."""
    n = len(records["timestamp"])
    columns = {k: np.asarray(records.get(k, [np.nan] * n), dtype=np.float64) for k in RECORD_FIELDS}
    messages.setdefault("file_id", [{"type": "activity", "manufacturer": "garmin", "garmin_product": 3113}])
    return FitMessages(records=columns, messages=messages, decoder="test")


T0 = datetime(2024, 7, 1, 6, 0, 0)  # naive UTC, as decoders give it


def run_msgs(n: int = 5, **messages: list[dict]) -> FitMessages:
    """A 1 Hz running file: n records, 3 m/s, one session."""
    ts = [fit_s(T0) + i for i in range(n)]
    messages.setdefault(
        "session",
        [{"start_time": T0, "timestamp": T0 + timedelta(seconds=n - 1), "sport": "running",
          "total_elapsed_time": float(n - 1), "total_timer_time": float(n - 1), "total_distance": 3.0 * (n - 1)}],
    )
    return make_msgs({"timestamp": ts, "distance": [3.0 * i for i in range(n)], "speed": [3.0] * n}, **messages)


# ------------------------------------------------------------------ hand-built messages, exact values


def test_semicircles_become_degrees():
    msgs = make_msgs({"timestamp": [fit_s(T0), fit_s(T0) + 1, fit_s(T0) + 2],
                      "position_lat": [2**30, -(2**30), 715827883],
                      "position_long": [-(2**31), 2**29, 0]})
    r = fit.build_activity(msgs, "t.fit").records
    assert r["lat"].tolist()[:2] == [90.0, -90.0]
    assert r["lon"].tolist()[:2] == [-180.0, 45.0]
    assert r["lat"][2] == pytest.approx(60.0, abs=1e-7)  # 715827883 semicircles = 60.0000000 deg
    assert r["lon"][2] == 0.0  # a real 0 longitude stays (only 0,0 together is "no fix")


def test_zero_zero_position_and_zero_heart_rate_are_missing():
    msgs = make_msgs({"timestamp": [fit_s(T0), fit_s(T0) + 1], "position_lat": [0, 2**30],
                      "position_long": [0, 2**29], "heart_rate": [0, 140]})
    r = fit.build_activity(msgs, "t.fit").records
    assert np.isnan(r["lat"][0]) and np.isnan(r["lon"][0])
    assert r["lat"][1] == 90.0
    assert np.isnan(r["heart_rate_bpm"][0]) and r["heart_rate_bpm"][1] == 140


def test_canonical_columns_time_and_missing_channels():
    a = fit.build_activity(run_msgs(), "t.fit")
    r = a.records
    assert list(r) == list(RECORD_COLUMNS)
    assert r["time"].dtype == np.dtype("datetime64[ns]")  # UTC
    assert utc_datetime(r["time"][0]) == datetime(2024, 7, 1, 6, 0, tzinfo=UTC)
    assert str(r.to_pandas()["time"].dtype) == "datetime64[ns, UTC]"
    assert r["elapsed_s"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert r["distance_m"].tolist() == [0.0, 3.0, 6.0, 9.0, 12.0]
    for channel in ("power_w", "heart_rate_bpm", "temperature_c", "cadence_spm", "altitude_m", "lat"):
        assert np.isnan(r[channel]).all(), channel  # absent in the file -> all NaN, never zeros
    assert a.has["distance_m"] and not a.has["power_w"]
    assert a.start_time_utc == datetime(2024, 7, 1, 6, 0, tzinfo=UTC)
    assert a.device_totals == {"distance_m": 12.0, "elapsed_time_s": 4.0, "timer_time_s": 4.0}
    assert (a.sport, a.sub_sport, a.format, a.decoder) == ("running", None, "fit", "test")


def test_speed_prefers_enhanced_then_speed_then_distance():
    ts = [fit_s(T0) + i for i in range(3)]
    both = make_msgs({"timestamp": ts, "enhanced_speed": [2.0, np.nan, 2.5], "speed": [9.0, 3.0, 9.0]})
    assert fit.build_activity(both, "t.fit").records["speed_m_s"].tolist() == [2.0, 3.0, 2.5]
    derived = make_msgs({"timestamp": [ts[0], ts[0] + 2, ts[0] + 4], "distance": [0.0, 6.0, 12.0]})
    assert fit.build_activity(derived, "t.fit").records["speed_m_s"].tolist() == [3.0, 3.0, 3.0]


def test_altitude_prefers_enhanced():
    msgs = make_msgs({"timestamp": [fit_s(T0), fit_s(T0) + 1], "enhanced_altitude": [np.nan, 1200.5],
                      "altitude": [100.0, 99.0]})
    assert fit.build_activity(msgs, "t.fit").records["altitude_m"].tolist() == [100.0, 1200.5]


@pytest.mark.parametrize(
    ("sport", "expected_spm"),
    [("running", [171.0, 170.0, 180.5]), ("walking", [171.0, 170.0, 180.5]), ("hiking", [171.0, 170.0, 180.5]),
     ("cycling", [85.0, 85.0, 90.0])],
)
def test_cadence_is_doubled_for_foot_sports_only(sport, expected_spm):
    msgs = make_msgs({"timestamp": [fit_s(T0) + i for i in range(3)], "cadence": [85, 85, 90],
                      "fractional_cadence": [0.5, np.nan, 0.25]},
                     session=[{"start_time": T0, "timestamp": T0 + timedelta(seconds=2), "sport": sport}])
    assert fit.build_activity(msgs, "t.fit").records["cadence_spm"].tolist() == expected_spm


def test_nan_timestamps_duplicates_and_out_of_order():
    t = fit_s(T0)
    msgs = make_msgs({"timestamp": [t, t + 2, t + 1, np.nan, t + 2, t + 3],
                      "heart_rate": [100, 102, 101, 150, 199, 103]})
    a = fit.build_activity(msgs, "t.fit")
    assert a.records["elapsed_s"].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert a.records["heart_rate_bpm"].tolist() == [100, 101, 102, 103]  # first of the duplicates kept
    assert "1 records without a timestamp dropped" in a.notes
    assert "1 out-of-order timestamps: records sorted by time" in a.notes
    assert "1 records with a duplicate timestamp dropped" in a.notes


def test_sorted_file_has_no_sorting_note():
    assert not [n for n in fit.build_activity(run_msgs(), "t.fit").notes if "order" in n]


@pytest.mark.parametrize(
    ("offset_s", "expected"),
    [(0, 0), (-4 * 3600, -4 * 3600), (14 * 3600, 14 * 3600), (-14 * 3600, -14 * 3600),
     (14 * 3600 + 120, 14 * 3600), (-12 * 3600 - 120, -12 * 3600),
     (14 * 3600 + 15 * 60, None), (-14 * 3600 - 15 * 60, None),  # no zone beyond +-14 h
     (120, 0), (121, None), (-120, 0), (-121, None),  # snap only within 2 min
     (5 * 3600 + 30 * 60, 19800), (5 * 3600 + 45 * 60 + 90, 20700), (3600 + 15 * 60 - 121, None),
     (225, None), (-243360 * 3600, None)],
)
def test_validate_utc_offset_boundaries(offset_s, expected):
    assert fit.validate_utc_offset_s(offset_s) == expected


def test_utc_offset_from_activity_local_timestamp():
    end = T0 + timedelta(seconds=4)
    ok = run_msgs(activity=[{"timestamp": end, "local_timestamp": end - timedelta(hours=4, seconds=40)}])
    a = fit.build_activity(ok, "t.fit")
    assert a.utc_offset_s == -4 * 3600
    assert not [n for n in a.notes if "local_timestamp" in n]


def test_utc_offset_zero_local_timestamp_is_rejected_with_note():
    end = T0 + timedelta(seconds=4)
    a = fit.build_activity(run_msgs(activity=[{"timestamp": end, "local_timestamp": NAIVE_EPOCH}]), "t.fit")
    assert a.utc_offset_s is None
    assert any("local_timestamp is not a real date" in n for n in a.notes)


def test_utc_offset_minutes_off_is_rejected_with_note():
    end = T0 + timedelta(seconds=4)
    a = fit.build_activity(run_msgs(activity=[{"timestamp": end, "local_timestamp": end + timedelta(seconds=225)}]),
                           "t.fit")
    assert a.utc_offset_s is None
    assert "activity.local_timestamp is +0.06 h from UTC, not a real time zone offset (device clock off?): ignored" in a.notes


def test_no_local_timestamp_means_unknown_offset_without_note():
    a = fit.build_activity(run_msgs(activity=[{"timestamp": T0}]), "t.fit")
    assert a.utc_offset_s is None and a.notes == []


def _session(sport: str, start_s: int, length_s: int, distance_m: float | None = None) -> dict:
    s = {"sport": sport, "start_time": T0 + timedelta(seconds=start_s),
         "timestamp": T0 + timedelta(seconds=start_s + length_s), "total_elapsed_time": float(length_s)}
    if distance_m is not None:
        s["total_distance"] = distance_m
    return s


def test_choose_session_longest_running_else_longest():
    tri = [_session("swimming", 0, 3600), _session("transition", 3600, 100), _session("running", 3700, 1000),
           _session("cycling", 4700, 9000), _session("running", 13700, 2000, 21097.5)]
    index, note = fit.choose_session(tri)
    assert index == 4
    assert note == "multisport file: analyzing session 5 of 5 (running, 33:20); other sessions: swimming, running, cycling"
    index, note = fit.choose_session([_session("cycling", 0, 800), _session("rowing", 800, 900)])
    assert index == 1 and note == "multisport file: analyzing session 2 of 2 (rowing, 15:00); other sessions: cycling"
    assert fit.choose_session([_session("cycling", 0, 800)]) == (0, None)
    assert fit.choose_session([]) == (None, None)


def test_multisport_keeps_only_the_running_window():
    t = fit_s(T0)
    ts = [t + i for i in range(10)]
    # bike 0..4 s then run 5..9 s; the record distance runs on across sessions
    msgs = make_msgs(
        {"timestamp": ts, "distance": [10.0 * i for i in range(10)], "cadence": [80.0] * 10},
        session=[_session("cycling", 0, 4, 40.0), _session("running", 5, 4, 40.0)],
        sport=[{"sport": "cycling"}, {"sport": "running", "sub_sport": "trail"}],
        lap=[{"start_time": T0, "total_distance": 40.0}, {"start_time": T0 + timedelta(seconds=5), "total_distance": 40.0}],
        event=[{"timestamp": T0 + timedelta(seconds=1), "event": "timer", "event_type": "stop_all"},
               {"timestamp": T0 + timedelta(seconds=2), "event": "timer", "event_type": "start"},
               {"timestamp": T0 + timedelta(seconds=6), "event": "timer", "event_type": "stop"},
               {"timestamp": T0 + timedelta(seconds=7), "event": "timer", "event_type": "start"}],
    )
    a = fit.build_activity(msgs, "t.fit")
    assert (a.sport, a.sub_sport) == ("running", "trail")  # sub_sport from the matching sport message
    assert a.records["elapsed_s"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert a.records["distance_m"].tolist() == [0.0, 10.0, 20.0, 30.0, 40.0]  # counted from the run start
    assert a.records["cadence_spm"].tolist() == [160.0] * 5
    assert a.start_time_utc == datetime(2024, 7, 1, 6, 0, 5, tzinfo=UTC)
    assert [lap.start_time_utc for lap in a.laps] == [datetime(2024, 7, 1, 6, 0, 5, tzinfo=UTC)]
    assert a.pauses == [Pause(datetime(2024, 7, 1, 6, 0, 6, tzinfo=UTC), datetime(2024, 7, 1, 6, 0, 7, tzinfo=UTC))]
    assert a.device_totals == {"distance_m": 40.0, "elapsed_time_s": 4.0}
    assert a.notes[0].startswith("multisport file: analyzing session 2 of 2 (running, 0:04)")


def test_multisport_session_without_times_keeps_all_records():
    msgs = run_msgs(session=[{"sport": "cycling"}, {"sport": "running"}])
    a = fit.build_activity(msgs, "t.fit")
    assert len(a.records) == 5 and a.sport == "running"
    assert "the analyzed session has no start/end time: records of all sessions kept" in a.notes


def test_sport_falls_back_to_sport_message():
    msgs = run_msgs(session=[{"start_time": T0}], sport=[{"sport": "hiking", "sub_sport": "generic"}])
    a = fit.build_activity(msgs, "t.fit")
    assert (a.sport, a.sub_sport) == ("hiking", None)
    assert fit.build_activity(run_msgs(session=[]), "t.fit").sport == "unknown"


def test_pauses_need_a_restart():
    ev = [{"timestamp": T0, "event": "timer", "event_type": "start"},
          {"timestamp": T0 + timedelta(seconds=1), "event": "timer", "event_type": "stop_all"},
          {"timestamp": T0 + timedelta(seconds=2), "event": "session", "event_type": "start"},
          {"timestamp": T0 + timedelta(seconds=3), "event": "timer", "event_type": "start"},
          {"timestamp": T0 + timedelta(seconds=4), "event": "timer", "event_type": "stop_all"}]
    a = fit.build_activity(run_msgs(event=ev), "t.fit")
    assert a.pauses == [Pause(datetime(2024, 7, 1, 6, 0, 1, tzinfo=UTC), datetime(2024, 7, 1, 6, 0, 3, tzinfo=UTC))]


def test_device_relative_timestamps_anchored_on_local_timestamp():
    rel = 17217864.0  # seconds since device power-on
    msgs = make_msgs({"timestamp": [rel, rel + 5]},
                     activity=[{"timestamp": int(rel + 10), "local_timestamp": datetime(2012, 2, 13, 12, 0, 10)}],
                     session=[{"start_time": int(rel), "timestamp": int(rel + 10), "sport": "running"}],
                     event=[{"timestamp": int(rel + 1), "event": "timer", "event_type": "stop_all"},
                            {"timestamp": int(rel + 3), "event": "timer", "event_type": "start"}])
    a = fit.build_activity(msgs, "t.fit")
    assert a.start_time_utc == datetime(2012, 2, 13, 12, 0, 0, tzinfo=UTC)
    assert utc_datetime(a.records["time"][1]) == datetime(2012, 2, 13, 12, 0, 5, tzinfo=UTC)
    assert a.pauses == [Pause(datetime(2012, 2, 13, 12, 0, 1, tzinfo=UTC), datetime(2012, 2, 13, 12, 0, 3, tzinfo=UTC))]
    assert a.utc_offset_s == 0  # anchored on local clock time: the times are local already
    assert any("device-relative" in n and "local" in n for n in a.notes)


def test_device_relative_timestamps_anchored_on_time_created():
    msgs = make_msgs({"timestamp": [1000.0, 1001.0]},
                     file_id=[{"type": "activity", "time_created": datetime(2020, 5, 1, 8, 0, 0)}])
    a = fit.build_activity(msgs, "t.fit")
    assert a.start_time_utc == datetime(2020, 5, 1, 8, 0, 0, tzinfo=UTC)
    assert a.utc_offset_s is None
    assert any("file_id.time_created" in n for n in a.notes)


def test_device_relative_timestamps_without_date_keep_relative_time():
    msgs = make_msgs({"timestamp": [1000.0, 1002.0]}, file_id=[{"type": "activity", "time_created": 999}])
    a = fit.build_activity(msgs, "t.fit")
    assert a.start_time_utc is None
    assert a.records["elapsed_s"].tolist() == [0.0, 2.0]
    assert utc_datetime(a.records["time"][0]) == FIT_EPOCH + timedelta(seconds=1000)
    assert any("no real date" in n for n in a.notes)


def test_mixed_relative_and_real_timestamps_keep_the_real_ones():
    t = fit_s(T0)
    a = fit.build_activity(make_msgs({"timestamp": [500.0, t, t + 1]}), "t.fit")
    assert a.records["elapsed_s"].tolist() == [0.0, 1.0]
    assert "1 records with device-relative timestamps dropped (the others carry real dates)" in a.notes


def test_temperature_notes_and_body_temperature_fields():
    msgs = run_msgs(n=2)
    msgs.records["temperature"] = np.array([31.0, 32.0])
    msgs.developer_fields = {"core_temperature", "skin_temperature", "Power"}
    a = fit.build_activity(msgs, "t.fit")
    assert a.records["temperature_c"].tolist() == [31.0, 32.0]
    assert a.temperature_source == "watch sensor (FIT record temperature)"
    assert any("several degrees above the ambient" in n for n in a.notes)
    assert any(n.startswith("developer fields core_temperature, skin_temperature are body") for n in a.notes)


def test_all_zero_temperature_is_a_placeholder():
    msgs = run_msgs(n=3)
    msgs.records["temperature"] = np.array([0.0, 0.0, np.nan])
    a = fit.build_activity(msgs, "t.fit")
    assert np.isnan(a.records["temperature_c"]).all() and a.temperature_source is None


def test_not_an_activity_names_the_type():
    msgs = run_msgs(file_id=[{"type": "monitoring_b"}])
    with pytest.raises(NotAnActivityError, match="type 'monitoring_b', not an activity"):
        fit.build_activity(msgs, "m.fit")


def test_missing_file_type_is_read_with_a_note():
    a = fit.build_activity(run_msgs(file_id=[{"manufacturer": 1052}]), "t.fit")
    assert "FIT file_id has no file type; read as an activity" in a.notes
    assert a.device == "1052"  # unknown manufacturer id, no product


def test_no_records():
    with pytest.raises(NoActivityDataError, match="no records"):
        fit.build_activity(make_msgs({"timestamp": []}), "e.fit")
    with pytest.raises(NoActivityDataError, match="no records"):
        fit.build_activity(make_msgs({"timestamp": [np.nan]}), "e.fit")


def test_device_names():
    pytest.importorskip("garmin_fit_sdk")  # product/manufacturer ids newer than fitparse's profile
    assert fit.build_activity(run_msgs(), "t.fit").device == "garmin fr945"  # garmin_product 3113
    msgs = run_msgs(file_id=[{"type": "activity", "manufacturer": "hammerhead", "product": 2}],
                    device_info=[{"device_index": "creator", "manufacturer": "hammerhead", "product_name": "Karoo 2"}])
    assert fit.build_activity(msgs, "t.fit").device == "hammerhead Karoo 2"
    assert fit.device_name(run_msgs(file_id=[{"type": "activity", "manufacturer": 294, "product": 841}])) == "coros 841"
    assert fit.device_name(run_msgs(file_id=[{"type": "activity"}])) is None


# ------------------------------------------------------------------ read_fit: decoder choice and errors


class _Refused(UnreadableFileError):
    """Stands in for fitfast.FitDecodeRefused."""


def _fake_fitfast(error: Exception | None):
    def decode(data: bytes, source: str = "") -> FitMessages:
        if error is not None:
            raise error
        return run_msgs()

    return types.SimpleNamespace(FitDecodeRefused=_Refused, decode=decode)


def test_auto_falls_back_to_fitparse_when_fast_decoder_refuses(monkeypatch, synthetic_fit):
    monkeypatch.setattr(fit, "fitfast", _fake_fitfast(_Refused("developer fields in records", "x.fit")))
    a = fit.read_fit(synthetic_fit, "x.fit", decoder="auto")
    assert a.decoder == "fitparse"
    assert "fast decoder refused the file (developer fields in records); read with fitparse" in a.notes
    with pytest.raises(_Refused):
        fit.read_fit(synthetic_fit, "x.fit", decoder="fast")


def test_auto_does_not_hide_a_corrupt_file(monkeypatch):
    monkeypatch.setattr(fit, "fitfast", _fake_fitfast(UnreadableFileError("CRC mismatch", "x.fit")))
    with pytest.raises(UnreadableFileError, match="CRC mismatch"):
        fit.read_fit(b"\x0e\x10", "x.fit", decoder="auto")


def test_auto_uses_fast_decoder_when_it_reads(monkeypatch):
    monkeypatch.setattr(fit, "fitfast", _fake_fitfast(None))
    a = fit.read_fit(b"ignored by the fake", "x.fit")
    assert a.decoder == "test" and len(a.records) == 5


def test_bad_decoder_name_and_empty_or_garbage_bytes():
    with pytest.raises(ConfigError, match="unknown FIT decoder 'fastest'"):
        fit.read_fit(b"x", "x.fit", decoder="fastest")
    with pytest.raises(UnreadableFileError, match=r"^x.fit: empty file \(0 bytes\)"):
        fit.read_fit(b"", "x.fit")
    with pytest.raises(UnreadableFileError, match=r"^x\.fit: "):
        fit.read_fit(b"<?xml version='1.0'?><gpx></gpx>" * 3, "x.fit", decoder="fitparse")


# ------------------------------------------------------------------ synthetic FIT file (Garmin FIT SDK encoder)


@pytest.fixture(scope="module")
def synthetic_fit() -> bytes:
    """A small run written with the Garmin FIT SDK encoder: 11 records, one pause, -4 h local offset."""
    sdk = pytest.importorskip("garmin_fit_sdk")
    Encoder, Profile = sdk.Encoder, sdk.Profile

    num = Profile["mesg_num"]
    t0 = datetime(2024, 7, 1, 6, 0, 0, tzinfo=UTC)
    enc = Encoder()
    enc.write_mesg({"mesg_num": num["FILE_ID"], "type": "activity", "manufacturer": "garmin", "product": 3113,
                    "time_created": t0})
    enc.write_mesg({"mesg_num": num["EVENT"], "timestamp": t0, "event": "timer", "event_type": "start"})
    for i in range(11):
        enc.write_mesg({"mesg_num": num["RECORD"], "timestamp": t0 + timedelta(seconds=i), "distance": 3.0 * i,
                        "enhanced_speed": 3.0, "position_lat": 2**29, "position_long": -(2**30),
                        "heart_rate": 140 + i, "cadence": 85, "fractional_cadence": 0.5, "temperature": 30})
        if i == 4:
            enc.write_mesg({"mesg_num": num["EVENT"], "timestamp": t0 + timedelta(seconds=4), "event": "timer",
                            "event_type": "stop_all"})
            enc.write_mesg({"mesg_num": num["EVENT"], "timestamp": t0 + timedelta(seconds=5), "event": "timer",
                            "event_type": "start"})
    end = t0 + timedelta(seconds=10)
    enc.write_mesg({"mesg_num": num["LAP"], "timestamp": end, "start_time": t0, "total_elapsed_time": 10.0,
                    "total_timer_time": 9.0, "total_distance": 30.0})
    enc.write_mesg({"mesg_num": num["SESSION"], "timestamp": end, "start_time": t0, "sport": "running",
                    "sub_sport": "trail", "total_elapsed_time": 10.0, "total_timer_time": 9.0, "total_distance": 30.0})
    local_fit_s = int((end - FIT_EPOCH).total_seconds()) - 4 * 3600
    enc.write_mesg({"mesg_num": num["ACTIVITY"], "timestamp": end, "local_timestamp": local_fit_s, "num_sessions": 1})
    return enc.close()


@pytest.mark.parametrize("decoder", DECODERS)
def test_synthetic_fit_end_to_end(synthetic_fit, decoder):
    a = fit.read_fit(synthetic_fit, "synthetic.fit", decoder=decoder)
    r = a.records
    assert len(r) == 11
    assert r["elapsed_s"].tolist() == [float(i) for i in range(11)]
    assert r["distance_m"].tolist() == [3.0 * i for i in range(11)]
    assert r["speed_m_s"].tolist() == [3.0] * 11
    assert r["heart_rate_bpm"].tolist() == [140.0 + i for i in range(11)]
    assert r["cadence_spm"].tolist() == [171.0] * 11
    assert r["lat"].tolist() == [45.0] * 11 and r["lon"].tolist() == [-90.0] * 11
    assert r["temperature_c"].tolist() == [30.0] * 11
    assert np.isnan(r["power_w"]).all() and np.isnan(r["altitude_m"]).all()
    assert (a.sport, a.sub_sport, a.device, a.utc_offset_s) == ("running", "trail", "garmin fr945", -4 * 3600)
    assert a.start_time_utc == datetime(2024, 7, 1, 6, 0, tzinfo=UTC)
    assert a.pauses == [Pause(datetime(2024, 7, 1, 6, 0, 4, tzinfo=UTC), datetime(2024, 7, 1, 6, 0, 5, tzinfo=UTC))]
    assert [(lap.elapsed_time_s, lap.timer_time_s, lap.distance_m) for lap in a.laps] == [(10.0, 9.0, 30.0)]
    assert a.device_totals == {"distance_m": 30.0, "elapsed_time_s": 10.0, "timer_time_s": 9.0}


@pytest.mark.parametrize("decoder", DECODERS)
def test_synthetic_fit_with_bad_crc_is_unreadable(synthetic_fit, decoder):
    broken = synthetic_fit[:-1] + bytes([synthetic_fit[-1] ^ 0xFF])
    with pytest.raises(UnreadableFileError, match=r"^bad\.fit: "):
        fit.read_fit(broken, "bad.fit", decoder=decoder)


# ------------------------------------------------------------------ real files (../shared/data/real)


def _real_fit_paths() -> list[Path]:
    return [p for p in real_files("fit") if p.name.lower().endswith((".fit", ".fit.gz"))]


READABLE = [p for p in _real_fit_paths() if p.name not in FITPARSE_CANNOT_READ]

# The session each file must be analyzed from (0-based); single-session files: 0.
EXPECTED_SESSION = {
    "garmin_fenix2_multisport_triathlon.fit": 4,  # longest of the two running sessions
    "garmin_fr935_ironman_triathlon_hot.fit": 4,  # the marathon
    "garmin_fenix6_indoor_bike_row_multisession.fit": 3,  # no running: the longest (rowing) session
}
# Files whose own record span disagrees with their session total_elapsed_time (device quirks).
DURATION_MISMATCH = {
    "anomaly_inverted_times_nk.fit": "records run 5 h past the session's elapsed time",
    "garmin_edge1030plus_virtual_ride.fit.gz": "session elapsed time (1632 s) is below its timer time (2760 s)",
    "garmin_fr735xt_pool_swim.fit": "pool swim: records stop ~2 min before the session ends",
    "hammerhead_karoo_ride_skin_temp.fit": "records stop 45 s before the session ends",
    # total_elapsed_time says 2401 s, but the session's own start_time and timestamp are
    # 17:41:27 and 18:22:01 (2434 s); the records (17:41:27 .. 18:22:00) lie inside that window.
    "garmin_fr25_intervals_4.5km_pauses.fit": "session elapsed time (2401 s) is 33 s below its own start-to-end span",
}
# Files whose device clock jumps forward mid-run: the reader takes the jump out, so the record
# span is the session's elapsed time, not fitparse's raw span (checked in its own test).
CLOCK_JUMPS = {"garmin_fr225_intervals_10.5km_time_jump.fit"}
DURATION_TOLERANCE_S = 2.0
DURATION_TOLERANCE_REL = 0.001  # devices close the session a few seconds after a long ride's last record
DISTANCE_TOLERANCE_REL = 0.005


def _bytes(path: Path) -> bytes:
    return file_bytes(path)


def _fitparse_msgs(path: Path) -> FitMessages:
    """fitparse's view of a file, decoded once per test session (shared with test_fitfast)."""
    return fitparse_messages(path)


@functools.cache
def _activity(path: Path, decoder: str) -> Activity:
    if decoder == "fitparse":  # same as read_fit(decoder="fitparse"), without decoding twice
        return fit.build_activity(_fitparse_msgs(path), str(path))
    return fit.read_fit(_bytes(path), str(path), decoder=decoder)


def _window_oracle(msgs: FitMessages, session_index: int) -> dict:
    """Count fitparse's records in the expected session window, straight from its values."""
    sessions = msgs.messages["session"]
    ts, dist = msgs.records["timestamp"], msgs.records["distance"]
    inside = ~np.isnan(ts)
    if len(sessions) > 1:
        s = sessions[session_index]
        inside &= (ts >= fit_s(s["start_time"])) & (ts <= fit_s(s["timestamp"]))
    order = np.argsort(ts[inside], kind="stable")
    t, d = ts[inside][order], dist[inside][order]
    _, first = np.unique(t, return_index=True)  # of records sharing a timestamp, the first is kept
    d = d[first][np.isfinite(d[first])]
    last_distance = (d[-1] - d[0] if len(sessions) > 1 else d[-1]) if len(d) else np.nan
    return {"records": len(first), "span_s": t[-1] - t[0], "last_distance_m": last_distance,
            "duplicates": len(t) - len(first), "session": sessions[session_index] if sessions else {}}


def _params():
    for decoder in DECODERS:
        for path in READABLE:
            yield pytest.param(decoder, path, id=f"{decoder}-{path.name}")


@pytest.mark.parametrize(("decoder", "path"), list(_params()))
def test_real_fit_agrees_with_fitparse(decoder, path):
    a = _activity(path, decoder)
    truth = _window_oracle(_fitparse_msgs(path), EXPECTED_SESSION.get(path.name, 0))
    session = truth["session"]
    r = a.records
    assert len(r) == truth["records"]
    if path.name not in CLOCK_JUMPS:
        assert r["elapsed_s"][-1] == pytest.approx(truth["span_s"], abs=1e-6)
    assert (np.diff(r["time"]) > np.timedelta64(0)).all()  # increasing, no time twice
    assert a.device_totals.get("elapsed_time_s") == session.get("total_elapsed_time")
    assert a.device_totals.get("distance_m") == session.get("total_distance")
    if isinstance(session.get("start_time"), datetime):  # device-relative ints: see the fr70 test
        assert a.start_time_utc == session["start_time"].replace(tzinfo=UTC)
    if path.name not in DURATION_MISMATCH and "total_elapsed_time" in session:
        tolerance = DURATION_TOLERANCE_S + DURATION_TOLERANCE_REL * session["total_elapsed_time"]
        assert r["elapsed_s"][-1] == pytest.approx(session["total_elapsed_time"], abs=tolerance)
    known = r["distance_m"][np.isfinite(r["distance_m"])]
    last = known[-1] if known.size else np.nan
    assert last == pytest.approx(truth["last_distance_m"], abs=1e-6)
    if session.get("total_distance"):
        assert last == pytest.approx(session["total_distance"], rel=DISTANCE_TOLERANCE_REL)


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_real_fit_agrees_with_profile(path):
    row = profile_rows().get(f"fit/{path.name}")
    if row is None or "sessions=" in row["notes"]:
        pytest.skip("no PROFILE row, or PROFILE totals span several sessions")
    a = _activity(path, "fitparse")
    truth = _window_oracle(_fitparse_msgs(path), 0)
    assert len(a.records) == int(row["records"]) - truth["duplicates"]
    if path.name not in DURATION_MISMATCH:
        duration_s = float(row["duration_s"])
        tolerance = DURATION_TOLERANCE_S + DURATION_TOLERANCE_REL * duration_s
        assert a.records["elapsed_s"][-1] == pytest.approx(duration_s, abs=tolerance)
    assert np.nanmax(a.records["distance_m"]) == pytest.approx(float(row["distance_m"]), rel=DISTANCE_TOLERANCE_REL)


@pytest.mark.parametrize("decoder", DECODERS)
def test_clock_jump_is_taken_out_and_said(decoder):
    """The FR225 file's records jump 20.2 days forward after lap 2 (fitparse: record 102 at
    09:12:40, record 103 at 14:22:03 on 14 March, 22 m further on); its session lasted 3389 s."""
    path = _real("garmin_fr225_intervals_10.5km_time_jump.fit")
    a = _activity(path, decoder)
    raw = _fitparse_msgs(path).records
    assert len(a.records) == len(raw["timestamp"])  # no record lost
    steps = np.diff(a.records["elapsed_s"])
    assert steps.max() < 60  # the 1,746,563 s gap is gone ...
    assert steps[101] == pytest.approx(8.127, abs=1e-3)  # ... leaving 8 s for the 22 m across it (3389.127 s in all)
    np.testing.assert_array_equal(a.records["distance_m"], raw["distance"])
    assert a.records["elapsed_s"][-1] == pytest.approx(a.device_totals["elapsed_time_s"], abs=1)
    assert a.start_time_utc == datetime(2017, 2, 22, 9, 4, 45, tzinfo=UTC)
    assert any(n.startswith("the device clock jumps 20.2 days forward") for n in a.notes)


def test_clock_jump_needs_the_gap_to_explain_the_excess():
    t = fit_s(T0)
    session = {"total_elapsed_time": 100.0}
    ts = np.array([t, t + 50, t + 50 + 90010, t + 50 + 90050])  # span 90,100 s: 90,000 s too long
    jump = fit.clock_jump(ts, np.array([0.0, 150, 180, 300]), None, session)
    assert (jump.at_fit_s, jump.removed_s, jump.after_s) == (t + 50 + 90010, 90000.0, 50.0)
    spread = np.array([t, t + 40000, t + 80000, t + 120000])  # no single gap explains it
    assert fit.clock_jump(spread, np.array([0.0, 1, 2, 3]), None, session) is None
    far = fit.clock_jump(ts, np.array([0.0, 150, 150 + 5000, 5300]), None, session)  # 5 km in 10 s: not a jump
    assert far is None
    assert fit.clock_jump(ts, np.array([0.0, 150, 160, 310]), None, {}) is None  # no device total: left alone


def _real(name: str) -> Path:
    path = REAL_DIR / "fit" / name
    if not path.is_file():
        pytest.skip(f"{name} is absent")
    return path


@pytest.mark.parametrize("decoder", DECODERS)
def test_fenix2_triathlon_analyzes_the_long_run(decoder):
    a = _activity(_real("garmin_fenix2_multisport_triathlon.fit"), decoder)
    assert a.sport == "running"
    assert a.start_time_utc == datetime(2015, 8, 29, 11, 14, 21, tzinfo=UTC)
    assert a.utc_offset_s == 2 * 3600
    assert "multisport file: analyzing session 5 of 7 (running, 1:52:44); other sessions: generic, running, cycling" in a.notes
    assert utc_datetime(a.records["time"][-1]) <= datetime(2015, 8, 29, 13, 7, 6, tzinfo=UTC)


@pytest.mark.parametrize("decoder", DECODERS)
def test_fr935_ironman_analyzes_the_marathon(decoder):
    a = _activity(_real("garmin_fr935_ironman_triathlon_hot.fit"), decoder)
    assert (a.sport, a.utc_offset_s) == ("running", -10 * 3600)
    assert a.start_time_utc == datetime(2018, 10, 13, 22, 57, 45, tzinfo=UTC)
    assert "multisport file: analyzing session 5 of 5 (running, 3:39:01); other sessions: swimming, cycling" in a.notes
    assert a.records["distance_m"][0] == 0.0  # the leg's own distance, not the 184 km before it
    assert np.nanmax(a.records["temperature_c"]) == 36.0


@pytest.mark.parametrize("decoder", DECODERS)
def test_utc_offsets_of_real_files(decoder):
    assert _activity(_real("garmin_fr945_run_14km_hot_devfields.fit"), decoder).utc_offset_s == -4 * 3600
    zwift = _activity(_real("zwift_virtual_ride.fit"), decoder)
    assert zwift.utc_offset_s is None
    assert any("local_timestamp is not a real date" in n for n in zwift.notes)
    fr55 = _activity(_real("garmin_fr55_walk_core_temp_devfields.fit"), decoder)
    assert fr55.utc_offset_s is None and any("not a real time zone offset" in n for n in fr55.notes)


@pytest.mark.parametrize("decoder", DECODERS)
def test_fr70_device_relative_timestamps(decoder):
    a = _activity(_real("garmin_fr70_run_footpod_compressed_ts.fit"), decoder)
    # local_timestamp 2012-02-13 12:21:03 pairs with activity.timestamp 17221751; first record 17217864
    assert a.start_time_utc == datetime(2012, 2, 13, 11, 16, 16, tzinfo=UTC)
    assert len(a.records) == 755 and a.records["elapsed_s"][-1] == 3880.0
    assert np.nanmax(a.records["distance_m"]) == pytest.approx(10248.7, abs=0.1)
    assert len(a.pauses) == 1 and a.pauses[0].end_utc - a.pauses[0].start_utc == timedelta(seconds=110)
    assert any("device-relative" in n for n in a.notes)


@pytest.mark.parametrize("decoder", DECODERS)
def test_vivoactive_pause_extraction(decoder):
    a = _activity(_real("garmin_vivoactivehr_run_4km_pauses.fit"), decoder)
    # timer: start 14:54:11, stop_all 15:19:08, start 15:19:13, stop_all 15:41:16 (final stop: no pause)
    assert a.pauses == [Pause(datetime(2017, 10, 8, 15, 19, 8, tzinfo=UTC), datetime(2017, 10, 8, 15, 19, 13, tzinfo=UTC))]
    assert len(a.laps) == 3 and a.laps[0].distance_m == 1609.34


@pytest.mark.parametrize("decoder", DECODERS)
def test_running_cadence_doubled_against_fitparse(decoder):
    path = _real("garmin_fr945_run_14km_hot_devfields.fit")
    raw = _fitparse_msgs(path).records
    expected = 2.0 * (raw["cadence"] + np.nan_to_num(raw["fractional_cadence"]))
    np.testing.assert_array_equal(_activity(path, decoder).records["cadence_spm"], expected)
    ride = _real("garmin_edge810_ride_6h_hot39C.fit")
    np.testing.assert_array_equal(_activity(ride, decoder).records["cadence_spm"],
                                  _fitparse_msgs(ride).records["cadence"])


@pytest.mark.parametrize("decoder", DECODERS)
def test_core_temperature_developer_fields_are_not_ambient(decoder):
    path = _real("garmin_fenix6_run_core_temp_devfields.fit")
    a = _activity(path, decoder)
    np.testing.assert_array_equal(a.records["temperature_c"], _fitparse_msgs(path).records["temperature"])
    assert a.temperature_source == "watch sensor (FIT record temperature)"
    assert any("CIQ_core_temperature" in n and "not ambient" in n for n in a.notes)
    walk = _activity(_real("garmin_fr55_walk_core_temp_devfields.fit"), decoder)
    assert np.isnan(walk.records["temperature_c"]).all() and walk.temperature_source is None


UNREADABLE_BY_FITPARSE = [p for p in _real_fit_paths() if p.name in FITPARSE_CANNOT_READ]


@pytest.mark.parametrize("path", UNREADABLE_BY_FITPARSE, ids=lambda p: p.name)
def test_fitparse_path_refuses_what_fitparse_cannot_read(path):
    with pytest.raises(UnreadableFileError, match="Invalid field size"):
        fit.read_fit(_bytes(path), str(path), decoder="fitparse")


@pytest.mark.skipif("fast" not in DECODERS, reason="no fast decoder yet")
@pytest.mark.parametrize("path", UNREADABLE_BY_FITPARSE, ids=lambda p: p.name)
def test_auto_reads_what_fitparse_cannot(path):
    a = fit.read_fit(_bytes(path), str(path), decoder="auto")
    row = profile_rows()[f"fit/{path.name}"]  # PROFILE read these files with fitdecode
    assert len(a.records) == int(row["records"])
    assert np.nanmax(a.records["distance_m"]) == pytest.approx(float(row["distance_m"]), rel=DISTANCE_TOLERANCE_REL)
    assert a.device_totals["elapsed_time_s"] == pytest.approx(float(row["duration_s"]), abs=1)


INVALID = [p for p in real_files("invalid") if p.suffix.lower() == ".fit"]


@pytest.mark.parametrize("decoder", DECODERS + ["auto"])
@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fit_files_raise_a_clear_error(path, decoder):
    with pytest.raises(UnreadableFileError) as caught:
        fit.read_fit(path.read_bytes(), str(path), decoder=decoder)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert len(message) < len(str(path)) + 200


def test_a_chained_recording_of_one_run_is_read_whole():
    from crampcheck import synth

    truth = synth.build(synth.scenarios.even_pace(8000.0, 3.0))
    a = fit.read_fit(synth.fit_bytes(truth, chained=True), "chained.fit")
    assert len(a.records) == len(truth.records)
    assert np.nanmax(a.records["distance_m"]) == pytest.approx(truth.distance_m)
    assert any("chained or split recording: 2 sessions" in n for n in a.notes)


def test_only_adjacent_sessions_of_one_sport_are_merged():
    t0 = datetime(2024, 5, 1, 8)

    def session(sport, start_min, end_min, km):
        return {"sport": sport, "start_time": t0 + timedelta(minutes=start_min), "timestamp": t0 + timedelta(minutes=end_min),
                "total_elapsed_time": 60.0 * (end_min - start_min), "total_distance": 1000.0 * km}

    duathlon = [session("running", 0, 20, 5), session("cycling", 21, 80, 30), session("running", 81, 100, 5)]
    merged, first_of, note = fit.merge_chained_sessions(duathlon)
    assert merged == duathlon and first_of == [0, 1, 2] and note is None
    split = [session("running", 0, 30, 6), session("running", 30, 60, 6), session("cycling", 61, 90, 20)]
    merged, first_of, note = fit.merge_chained_sessions(split)
    assert first_of == [0, 2] and len(merged) == 2
    assert merged[0]["start_time"] == t0 and merged[0]["timestamp"] == t0 + timedelta(minutes=60)
    assert merged[0]["total_distance"] == 12000.0 and merged[0]["total_elapsed_time"] == 3600.0
    assert "3 sessions" in note


# --- the air: weather reports, external sensors --------------------------------------------------

def _synth_fit(**options) -> bytes:
    from crampcheck.synth.build import build
    from crampcheck.synth.fitwrite import fit_bytes
    from crampcheck.synth.spec import RunSpec, Segment

    spec = RunSpec(segments=(Segment(duration_s=1200, speed_m_s=3.0),), sample_interval_s=5, temperature_c=31.0,
                   start_time_utc=datetime(2024, 7, 1, 10, tzinfo=timezone.utc))
    return fit_bytes(build(spec), **options)


@pytest.mark.parametrize("decoder", DECODERS)
def test_a_weather_report_in_the_file_is_an_air_reading(decoder):
    a = fit.read_fit(_synth_fit(weather_temperature_c=26, weather_humidity_pct=55), "w.fit", decoder=decoder)
    assert [(r.kind, r.temperature_c, r.humidity_pct) for r in a.air] == [("weather", 26.0, 55.0)]
    assert "weather_conditions" in a.air[0].source
    assert fit.read_fit(_synth_fit(), "plain.fit", decoder=decoder).air == []  # the wrist is the records' channel


@pytest.mark.parametrize("decoder", DECODERS)
def test_a_paired_tempe_makes_the_record_temperature_an_external_sensor(decoder):
    a = fit.read_fit(_synth_fit(manufacturer=1, product=1570), "tempe.fit", decoder=decoder)
    assert [(r.kind, r.source) for r in a.air] == [("sensor", "external sensor (Garmin tempe, ANT+; FIT record temperature)")]
    assert np.nanmean(a.air[0].temperature_series_c) == 31.0 and len(a.air[0].times_unix_s) == len(a.records)
    assert a.temperature_source == fit.TEMPE_TEMPERATURE and not any("wrist" in n for n in a.notes)


def test_a_sensor_source_shows_the_developer_field_names_without_control_characters():
    ts = np.arange(10, dtype=float) + 1_000_000_000
    msgs = FitMessages(records={"timestamp": ts}, developer_records={
        "Pod\x1b[2J Temperature": np.full(10, 12.0), "Pod\x1b[2J Humidity": np.full(10, 80.0), "Other Humidity": np.full(10, 5.0),
    })
    (reading,) = fit._sensor_readings(msgs, None, fit._Timebase())
    assert reading.source == "external sensor (FIT developer fields Pod[2J Temperature and Pod[2J Humidity)"
    np.testing.assert_array_equal(reading.humidity_series_pct, np.full(10, 80.0))


@pytest.mark.parametrize("decoder", DECODERS)
def test_a_coros_session_average_temperature_is_a_watch_reading(decoder):
    a = _activity(_real("coros_run_21km_laps22.fit"), decoder)
    assert [(r.kind, r.temperature_c) for r in a.air] == [("watch", 22.0)]
    assert np.isnan(a.records["temperature_c"]).all()
