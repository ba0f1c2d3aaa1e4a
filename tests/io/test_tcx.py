"""TCX reader: a hand-made file with exact values, and the real files against PROFILE.tsv."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from crampcheck.errors import NoActivityDataError, UnreadableFileError
from crampcheck.io.tcx import read_tcx
from crampcheck.schema import RECORD_COLUMNS, Lap
from tests.conftest import REAL_DIR, real_files

DATA = Path(__file__).resolve().parents[1] / "data"


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_bom_and_leading_whitespace_laps_and_tpx_under_any_prefix():
    data = (DATA / "tcx_bom_leading_whitespace_laps.tcx").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\n\n   <?xml")
    a = read_tcx(data, "hand.tcx")
    r = a.records
    assert list(r) == list(RECORD_COLUMNS)
    assert r["elapsed_s"].tolist() == [0, 5, 10, 15]
    np.testing.assert_array_equal(r["distance_m"], [0.0, 12.0, 12.0, 38.5])  # device distance, carried forward
    np.testing.assert_array_equal(r["speed_m_s"], [2.5, 2.6, np.nan, 2.7])  # TPX Speed as written
    np.testing.assert_array_equal(r["cadence_spm"], [160, 164, np.nan, 168])  # RunCadence x2
    np.testing.assert_array_equal(r["heart_rate_bpm"], [110, 115, 118, 120])  # lap average (200) stays out
    np.testing.assert_array_equal(r["altitude_m"], [12.5, 13.0, np.nan, 14.0])
    np.testing.assert_array_equal(r["lat"], [50.0, 50.0001, 50.0002, 50.0003])
    assert np.isnan(r["temperature_c"]).all() and np.isnan(r["power_w"]).all()
    assert (a.format, a.sport, a.device, a.decoder) == ("tcx", "running", "Hand Made TCX Watch", "lxml")
    assert a.start_time_utc == _utc(2023, 4, 2, 7, 30, 0)
    assert a.laps == [
        Lap(_utc(2023, 4, 2, 7, 30, 0), elapsed_time_s=15.0, timer_time_s=10.0, distance_m=25.0),
        Lap(_utc(2023, 4, 2, 7, 30, 15), elapsed_time_s=0.0, timer_time_s=5.0, distance_m=13.5),
    ]
    assert a.device_totals == {"elapsed_time_s": 15.0, "timer_time_s": 15.0, "distance_m": 38.5}
    assert a.temperature_source is None and a.pauses == []


def _tcx(trackpoints: str, sport: str = "Running") -> bytes:
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>2020-01-01T00:00:00Z</Id><Lap StartTime="2020-01-01T00:00:00Z">'
        f"<Track>{trackpoints}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def _point(t: int, lat: float | None = None, cadence: int | None = None) -> str:
    pos = f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees><LongitudeDegrees>4.0</LongitudeDegrees></Position>" if lat is not None else ""
    cad = f"<Cadence>{cadence}</Cadence>" if cadence is not None else ""
    return f"<Trackpoint><Time>2020-01-01T00:00:{t:02d}Z</Time>{pos}{cad}</Trackpoint>"


def test_distance_and_speed_from_positions_when_the_device_gives_none():
    step_deg = 0.0001  # 11.1195 m along a meridian
    a = read_tcx(_tcx("".join(_point(2 * i, 50.0 + i * step_deg) for i in range(5))), "p.tcx")
    np.testing.assert_allclose(a.records["distance_m"], np.arange(5) * 11.11950, rtol=1e-5)
    np.testing.assert_allclose(a.records["speed_m_s"], 11.11950 / 2, rtol=1e-5)
    assert any("derived from positions" in note for note in a.notes)


def test_trackpoint_cadence_is_doubled_for_running_but_kept_as_rpm_for_cycling():
    points = _point(0, cadence=85) + _point(1, cadence=86)
    assert read_tcx(_tcx(points, "Running"), "r.tcx").records["cadence_spm"].tolist() == [170, 172]
    ride = read_tcx(_tcx(points, "Biking"), "b.tcx")
    assert ride.sport == "cycling" and ride.records["cadence_spm"].tolist() == [85, 86]
    assert np.isnan(ride.records["distance_m"]).all()  # no device distance, no positions: unknown, not 0


def test_no_trackpoints_or_no_times_is_no_activity():
    with pytest.raises(NoActivityDataError, match="no trackpoints"):
        read_tcx(_tcx(""), "empty.tcx")
    with pytest.raises(NoActivityDataError, match="no timestamps"):
        read_tcx(_tcx("<Trackpoint><DistanceMeters>3</DistanceMeters></Trackpoint>"), "notime.tcx")
    with pytest.raises(NoActivityDataError, match="no Activity"):
        read_tcx(b"<TrainingCenterDatabase><Courses/></TrainingCenterDatabase>", "course.tcx")


def test_not_tcx_and_malformed_line_counts_the_stripped_lines():
    with pytest.raises(UnreadableFileError, match="not <TrainingCenterDatabase>"):
        read_tcx(b"<gpx/>", "x.tcx")
    with pytest.raises(UnreadableFileError) as info:
        read_tcx(b"\n\n  <TrainingCenterDatabase>\n<Activities>\n</TrainingCenterDatabase>", "bad.tcx")
    assert str(info.value).startswith("bad.tcx: malformed XML at line 5: ")


def test_entities_are_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><TrainingCenterDatabase>&x;</TrainingCenterDatabase>'
    with pytest.raises(UnreadableFileError, match="entities"):
        read_tcx(data, "xxe.tcx")


# ------------------------------------------------------------------ real files

REAL_TCX = real_files("tcx")
SPORTS = {"Running": "running", "Biking": "cycling", "Other": "other"}


def _profile() -> dict[str, dict[str, str]]:
    with (REAL_DIR / "PROFILE.tsv").open(newline="", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f, delimiter="\t")}


@pytest.mark.parametrize("path", REAL_TCX, ids=[p.name for p in REAL_TCX])
def test_real_tcx_against_profile(path, real_dir):
    row = _profile()[f"tcx/{path.name}"]
    text = path.read_bytes()
    a = read_tcx(text, path.name)
    r = a.records
    assert len(r) == int(row["records"])
    # PROFILE sums the laps: DistanceMeters (to 0.1 m) and TotalTimeSeconds (to 1 s)
    assert a.device_totals["distance_m"] == pytest.approx(float(row["distance_m"]), abs=0.051)
    assert a.device_totals["timer_time_s"] == pytest.approx(float(row["duration_s"]), abs=0.51)
    assert a.start_time_utc.replace(microsecond=0) == datetime.fromisoformat(row["start_time_utc"].replace("Z", "+00:00"))
    labelled = SPORTS[row["sport"]]  # Sport="Other" names none: the data decides (the vivoactive walk)
    assert a.sport == labelled if labelled != "other" else a.sport_source.startswith("data") or a.sport == "other"
    assert len(a.laps) == int(re.search(r"laps=(\d+)", row["notes"]).group(1))
    tp_span = re.search(r"tp_span_s=(\d+)", row["notes"])
    assert r["elapsed_s"][-1] == pytest.approx(float(tp_span.group(1)), abs=1.0)
    for channel, flag in (("heart_rate_bpm", "has_hr"), ("cadence_spm", "has_cadence"), ("lat", "has_gps")):
        assert a.has[channel] == (row[flag] == "True"), channel
    # the device distance, when written on trackpoints, is the distance column (last = max)
    written = [float(v) for v in re.findall(rb"<Trackpoint>(?:(?!</Trackpoint>).)*?<DistanceMeters>([0-9.]+)<", text, re.S)]
    if written and max(written) > 0:
        assert r["distance_m"][-1] == pytest.approx(max(written))


def test_real_tcx_run_cadence_is_doubled(real_dir):
    path = REAL_DIR / "tcx" / "garmin_fr945_treadmill_run_nogps.tcx"
    raw = [float(v) for v in re.findall(rb"<ns3:RunCadence>(\d+)<", path.read_bytes())]
    a = read_tcx(path.read_bytes(), path.name)
    np.testing.assert_array_equal(a.records["cadence_spm"], 2 * np.array(raw))
    assert a.device == "Forerunner 945"


def test_real_polar_leading_spaces_and_zero_distance(real_dir):
    a = read_tcx((REAL_DIR / "tcx" / "polar_v800_run_4km.tcx").read_bytes(), "polar.tcx")
    assert a.device == "Polar V800" and len(a.records) == 1545
    ride = read_tcx((REAL_DIR / "tcx" / "polar_vantage_v_indoor_ride_nogps.tcx").read_bytes(), "indoor.tcx")
    assert np.isnan(ride.records["distance_m"]).all()  # DistanceMeters 0 throughout: no distance, not 0 km


def test_invalid_real_tcx_gives_one_clear_line(real_dir):
    path = REAL_DIR / "invalid" / "tcx_malformed_xsi_prefix.tcx"
    with pytest.raises(UnreadableFileError) as info:
        read_tcx(path.read_bytes(), path.name)
    assert str(info.value) == (
        "tcx_malformed_xsi_prefix.tcx: malformed XML at line 4653: Namespace prefix xsi for type on Creator is not defined"
    )


def test_a_tcx_body_without_its_root_element_is_read():
    body = _tcx(_point(0) + _point(1)).split(b"<Activities>", 1)[1].rsplit(b"</TrainingCenterDatabase>", 1)[0]
    a = read_tcx(b"<Activities>" + body, "bare.tcx")
    assert a.records["elapsed_s"].tolist() == [0, 1]


# ------------------------------------------------------------------ plain scan vs tree walk
# read_raw reads a plain document column-wise with numpy (xmlscan.scan_plain) and any other
# through the lxml tree (read_tree). Both must give exactly the same RawTcx.

from crampcheck.io import tcx as tcx_module  # noqa: E402
from crampcheck.io import xmlscan  # noqa: E402


def _plain_raw(data: bytes):
    doc = xmlscan.scan_plain(data, "t.tcx", tcx_module._SCAN_NAMES)
    assert doc is not None, "not read as a plain document"
    raw = tcx_module._read_plain(doc)
    assert raw is not None, "the plain scan handed the document to the tree walk"
    return raw


def _assert_same_raw(fast, ref):
    np.testing.assert_array_equal(fast.time_utc, ref.time_utc)
    assert fast.offsets_s == ref.offsets_s
    assert fast.columns.keys() == ref.columns.keys()
    for name in fast.columns:
        np.testing.assert_array_equal(fast.columns[name], ref.columns[name], err_msg=name)
    np.testing.assert_array_equal(fast.lap_timer_s, ref.lap_timer_s)
    np.testing.assert_array_equal(fast.lap_distance_m, ref.lap_distance_m)
    for name in ("lap_starts", "sport_label", "device", "activity_count"):
        assert getattr(fast, name) == getattr(ref, name), name


@pytest.mark.parametrize("path", REAL_TCX, ids=[p.name for p in REAL_TCX])
def test_real_tcx_reads_the_same_through_both_paths(path, real_dir):
    data = path.read_bytes()
    _assert_same_raw(_plain_raw(data), tcx_module.read_tree(data, path.name))


def test_hand_made_tcx_reads_the_same_through_both_paths():
    data = re.sub(rb"<!--.*?-->", b"", (DATA / "tcx_bom_leading_whitespace_laps.tcx").read_bytes(), flags=re.S)
    raw = _plain_raw(data)
    _assert_same_raw(raw, tcx_module.read_tree(data, "hand.tcx"))
    assert raw.columns["heart_rate_bpm"].tolist() == [110, 115, 118, 120]  # the lap's Value stays out
    assert (raw.device, raw.sport_label, raw.lap_starts[1]) == ("Hand Made TCX Watch", "Running", "2023-04-02T07:30:15Z")


def test_tcx_edge_cases_read_the_same_through_both_paths():
    points = (
        "<Trackpoint><Time>2020-01-01T00:00:00Z</Time><Cadence>8&#53;</Cadence>"
        "<Extensions><TPX><Speed>2.5</Speed><Speed>2.6</Speed></TPX></Extensions></Trackpoint>"
        "<Trackpoint><Time>2020-01-01T01:00:01+01:00</Time><Cadence/><HeartRateBpm><Value> 99 </Value></HeartRateBpm></Trackpoint>"
        "<DistanceMeters>7</DistanceMeters>"  # in the track, outside any trackpoint: not read
    )
    data = _tcx(points).replace(b"<Id>", b"<Creator><Name><![CDATA[My & Watch]]></Name></Creator><Id>")
    data = data.replace(b"</Activities>", b'<Activity Sport="Biking"><Lap StartTime="x"/></Activity></Activities>')
    raw = _plain_raw(data)
    _assert_same_raw(raw, tcx_module.read_tree(data, "edge.tcx"))
    np.testing.assert_array_equal(raw.columns["cadence"], [85, np.nan])
    np.testing.assert_array_equal(raw.columns["speed_m_s"], [2.6, np.nan])  # the last one wins
    np.testing.assert_array_equal(raw.columns["heart_rate_bpm"], [np.nan, 99])
    assert np.isnan(raw.columns["distance_m"]).all()
    assert (raw.offsets_s, raw.device, raw.activity_count) == ({0, 3600}, "My & Watch", 2)


def test_synthetic_tcx_reads_the_same_through_both_paths():
    from crampcheck.synth import TcxOptions, build, scenarios, tcx_bytes

    truth = build(scenarios.with_pauses())
    for options in (TcxOptions(), TcxOptions(leading_whitespace=True, prefix="x7", extensions=False, lap_distance_m=None)):
        data = tcx_bytes(truth, options)
        _assert_same_raw(_plain_raw(data), tcx_module.read_tree(data, "s.tcx"))
