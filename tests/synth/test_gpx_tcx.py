"""GPX read back with gpxpy, TCX with lxml."""

from __future__ import annotations

from datetime import timedelta, timezone

import gpxpy
import numpy as np
import pytest
from lxml import etree

from crampcheck.synth import auto_laps, build, gpx_bytes, scenarios, tcx_bytes
from crampcheck.synth.geo import haversine_m
from crampcheck.synth.gpxwrite import TPX_NS

TCD = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
AX = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"


def _points(data: bytes):
    gpx = gpxpy.parse(data.decode("utf-8"))
    return [p for trk in gpx.tracks for seg in trk.segments for p in seg.points], gpx


def _extension_values(point) -> dict[str, tuple[str, str]]:
    """{local tag: (namespace, text)} of a point's TrackPointExtension children."""
    out = {}
    for ext in point.extensions:
        for child in ext:
            ns, tag = child.tag[1:].split("}")
            out[tag] = (ns, child.text)
    return out


# --- GPX ---------------------------------------------------------------------------


def test_gpx_points_times_positions(mixed_truth):
    points, gpx = _points(gpx_bytes(mixed_truth))
    r = mixed_truth.records
    assert len(points) == len(r)
    assert [p.time for p in points] == [t.to_pydatetime() for t in r["time"]]
    np.testing.assert_allclose([p.latitude for p in points], r["lat"], atol=5e-9)
    np.testing.assert_allclose([p.longitude for p in points], r["lon"], atol=5e-9)
    np.testing.assert_allclose([p.elevation for p in points], r["altitude_m"], atol=5e-4)
    assert gpx.tracks[0].name == "Synthetic run" and gpx.tracks[0].type == "running"


def test_gpx_speed_derived_from_positions_matches_truth(mixed_truth):
    points, _ = _points(gpx_bytes(mixed_truth))
    lat = np.array([p.latitude for p in points])
    lon = np.array([p.longitude for p in points])
    secs = np.array([(p.time - points[0].time).total_seconds() for p in points])
    derived = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) / np.diff(secs)
    # the loop's chord and the 8-decimal positions cost under 1 mm/s
    np.testing.assert_allclose(derived, mixed_truth.records["speed_m_s"].to_numpy()[1:], atol=1e-3)


@pytest.mark.parametrize("version,prefix", [("v1", "gpxtpx"), ("v2", "ns3"), ("v1", "tpx1")])
def test_gpx_trackpoint_extension(mixed_truth, version, prefix):
    data = gpx_bytes(mixed_truth, extension=version, prefix=prefix)
    assert f'xmlns:{prefix}="{TPX_NS[version]}"'.encode() in data
    assert f"<{prefix}:TrackPointExtension>".encode() in data
    points, _ = _points(data)
    r = mixed_truth.records
    for i in (0, 100, len(points) - 1):
        ext = _extension_values(points[i])
        assert {ns for ns, _ in ext.values()} == {TPX_NS[version]}
        assert int(ext["hr"][1]) == r["heart_rate_bpm"].iat[i]
        assert int(ext["cad"][1]) * 2 == r["cadence_spm"].iat[i]  # per-leg rpm
        assert float(ext["atemp"][1]) == r["temperature_c"].iat[i]
        assert list(ext) == ["atemp", "hr", "cad"]  # schema order


def test_gpx_v2_speed_and_no_extension(easy_truth):
    points, _ = _points(gpx_bytes(easy_truth, extension="v2", speed=True))
    assert float(_extension_values(points[3])["speed"][1]) == 3.0
    points, _ = _points(gpx_bytes(easy_truth, extension=None))
    assert all(not p.extensions for p in points)


def test_gpx_segments_split_at_pauses(mixed_truth):
    gpx = gpxpy.parse(gpx_bytes(mixed_truth, split_at_pauses=True).decode())
    segs = gpx.tracks[0].segments
    assert len(segs) == len(mixed_truth.pauses) + 1 == 2
    t0 = mixed_truth.start_time_utc
    p = mixed_truth.pauses[0]
    assert segs[0].points[-1].time == t0 + timedelta(seconds=p.start_s)
    assert segs[1].points[0].time == t0 + timedelta(seconds=p.end_s)
    assert sum(len(s.points) for s in segs) == len(mixed_truth.records)


def test_gpx_without_time(easy_truth):
    data = gpx_bytes(easy_truth, with_time=False)
    assert b"<time>" not in data
    points, gpx = _points(data)
    assert all(p.time is None for p in points) and gpx.time is None
    assert len(points) == len(easy_truth.records)


def test_gpx_local_time_with_offset(easy_truth):
    data = gpx_bytes(easy_truth, local_time=True)
    assert b"<time>2024-06-15T07:30:00+02:00</time>" in data
    points, _ = _points(data)
    assert points[0].time.utcoffset() == timedelta(hours=2)
    assert [p.time.astimezone(timezone.utc) for p in points] == [t.to_pydatetime() for t in easy_truth.records["time"]]


def test_gpx_refuses_a_run_without_positions():
    with pytest.raises(ValueError, match="positions"):
        gpx_bytes(build(scenarios.no_gps(duration_s=60)))


def test_gpx_escapes_the_name():
    data = gpx_bytes(build(scenarios.even_pace(100, 3.0, name="Tom & Jerry <3")))
    _, gpx = _points(data)
    assert gpx.name == "Tom & Jerry <3"


# --- TCX ---------------------------------------------------------------------------


def _tcx(data: bytes):
    return etree.fromstring(data.lstrip())


def test_tcx_leading_whitespace_is_before_the_declaration(easy_truth):
    data = tcx_bytes(easy_truth, leading_whitespace=True)
    assert data[:1].isspace() and data.lstrip().startswith(b"<?xml")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(data)  # a strict parser refuses it, as with real exports
    assert _tcx(data).tag == TCD + "TrainingCenterDatabase"


def test_tcx_trackpoints_match_truth(mixed_truth):
    root = _tcx(tcx_bytes(mixed_truth))
    tps = root.iter(TCD + "Trackpoint")
    rows = [
        (
            tp.findtext(TCD + "Time"),
            float(tp.findtext(f"{TCD}Position/{TCD}LatitudeDegrees")),
            float(tp.findtext(f"{TCD}Position/{TCD}LongitudeDegrees")),
            float(tp.findtext(TCD + "AltitudeMeters")),
            float(tp.findtext(TCD + "DistanceMeters")),
            int(tp.findtext(f"{TCD}HeartRateBpm/{TCD}Value")),
            float(tp.findtext(f"{TCD}Extensions/{AX}TPX/{AX}Speed")),
            int(tp.findtext(f"{TCD}Extensions/{AX}TPX/{AX}RunCadence")),
        )
        for tp in tps
    ]
    r = mixed_truth.records
    assert len(rows) == len(r)
    times, lat, lon, alt, dist, hr, speed, cad = map(list, zip(*rows))
    assert times == [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in r["time"]]
    np.testing.assert_allclose(lat, r["lat"], atol=5e-9)
    np.testing.assert_allclose(lon, r["lon"], atol=5e-9)
    np.testing.assert_allclose(alt, r["altitude_m"], atol=5e-4)
    np.testing.assert_allclose(dist, r["distance_m"], atol=5e-4)
    np.testing.assert_array_equal(hr, r["heart_rate_bpm"])
    np.testing.assert_allclose(speed, r["speed_m_s"], atol=5e-4)
    np.testing.assert_array_equal(np.array(cad) * 2, r["cadence_spm"])


def test_tcx_laps_leave_pauses_out(mixed_truth):
    root = _tcx(tcx_bytes(mixed_truth))
    (activity,) = root.iter(TCD + "Activity")
    assert activity.get("Sport") == "Running"
    assert activity.findtext(TCD + "Notes") == "Synthetic run"
    laps = activity.findall(TCD + "Lap")
    expected = auto_laps(mixed_truth.records["elapsed_s"].to_numpy(), mixed_truth.records["distance_m"].to_numpy(),
                         mixed_truth.pauses, 1000.0)
    assert len(laps) == len(expected) == int(mixed_truth.distance_m // 1000) + 1
    assert sum(float(lap.findtext(TCD + "TotalTimeSeconds")) for lap in laps) == pytest.approx(mixed_truth.timer_s)
    total = sum(float(lap.findtext(TCD + "DistanceMeters")) for lap in laps)
    assert total == pytest.approx(mixed_truth.distance_m, abs=1e-3)
    t0 = mixed_truth.start_time_utc
    assert [lap.get("StartTime") for lap in laps] == [
        (t0 + timedelta(seconds=e.start_s)).strftime("%Y-%m-%dT%H:%M:%SZ") for e in expected
    ]
    # a new <Track> after the pause
    assert len(list(activity.iter(TCD + "Track"))) == len(laps) + len(mixed_truth.pauses)


def test_tcx_treadmill_has_no_position_and_custom_prefix():
    t = build(scenarios.no_gps(duration_s=120))
    data = tcx_bytes(t, prefix="ax")
    root = _tcx(data)
    assert not list(root.iter(TCD + "Position")) and not list(root.iter(TCD + "AltitudeMeters"))
    assert b"<ax:TPX>" in data
    dist = [float(x.text) for x in root.iter(TCD + "DistanceMeters")]
    assert dist[-1] == 360.0  # last trackpoint
    assert b"emperature" not in data and b"atemp" not in data
