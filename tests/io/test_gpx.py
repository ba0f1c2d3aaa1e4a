"""GPX reader: hand-made edge cases with exact values, and differential tests against
gpxpy (the design card's parser) and the raw XML on every real GPX file."""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lxml import etree

from crampcheck.errors import NoActivityDataError, UnreadableFileError
from crampcheck.io import geo
from crampcheck.io.gpx import build_activity, read_gpx, read_lxml
from crampcheck.schema import RECORD_COLUMNS, Pause, utc_datetime
from tests.conftest import REAL_DIR, real_files

DATA = Path(__file__).resolve().parents[1] / "data"
DEG_M = geo.EARTH_RADIUS_M * math.pi / 180
BACKENDS = ("lxml", "gpxpy")
# gpxpy measures with the equatorial radius (6378.137 km); crampcheck with the mean radius.
GPXPY_RADIUS_RATIO = geo.EARTH_RADIUS_M / 6_378_137.0


def _read(name: str, decoder: str = "lxml"):
    return read_gpx((DATA / name).read_bytes(), name, decoder)


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# ------------------------------------------------------------------ hand-made files


@pytest.mark.parametrize("decoder", BACKENDS)
def test_tpx_v1_under_an_odd_prefix(decoder):
    a = _read("gpx_tpx_v1_odd_prefix.gpx", decoder)
    r = a.records
    assert list(r) == list(RECORD_COLUMNS)
    assert r["time"].dtype == np.dtype("datetime64[ns]")  # UTC
    assert str(r.to_pandas()["time"].dtype) == "datetime64[ns, UTC]"
    assert r["elapsed_s"].tolist() == [0, 4, 8, 12, 16]
    np.testing.assert_allclose(r["distance_m"], np.arange(5) * 0.0001 * DEG_M, rtol=1e-9)
    np.testing.assert_allclose(r["speed_m_s"], 0.0001 * DEG_M / 4, rtol=1e-9)
    assert r["heart_rate_bpm"].tolist() == [120, 121, 122, 123, 124]
    assert r["cadence_spm"].tolist() == [160, 162, 164, 166, 168]  # per leg x2
    np.testing.assert_allclose(r["temperature_c"], [25.0, 25.1, 25.2, 25.3, 25.4])
    np.testing.assert_allclose(r["altitude_m"], 100.0)
    assert np.isnan(r["power_w"]).all()
    assert (a.format, a.sport, a.sub_sport, a.decoder) == ("gpx", "running", None, decoder)
    assert (a.name, a.device) == ("Morning tempo", "Hand Made Watch 1")
    assert a.start_time_utc == _utc(2020, 6, 1, 8, 0, 0)
    assert a.utc_offset_s is None  # "Z" times say nothing about local time
    assert a.temperature_source == "GPX atemp extension (watch sensor)"
    assert a.pauses == [] and a.notes == []


@pytest.mark.parametrize("decoder", BACKENDS)
def test_tpx_v2_default_namespace_and_offset_times(decoder):
    a = _read("gpx_tpx_v2_default_ns_offset.gpx", decoder)
    r = a.records
    assert [utc_datetime(t) for t in r["time"]] == [_utc(2021, 7, 1, 18, 0, s) for s in (0, 5, 10)]
    assert a.utc_offset_s == 2 * 3600
    assert r["heart_rate_bpm"].tolist() == [140, 142, 144]
    np.testing.assert_allclose(r["cadence_spm"], [176, 178, np.nan])
    np.testing.assert_allclose(r["temperature_c"], [31.5, 31.0, np.nan])
    assert np.isnan(r["altitude_m"]).all()
    assert (a.sport, a.name) == ("running", "Evening run")


@pytest.mark.parametrize("decoder", BACKENDS)
def test_tracks_and_segments_are_ordered_in_time_and_gaps_are_pauses(decoder):
    a = _read("gpx_two_tracks_segments_out_of_order.gpx", decoder)
    r = a.records
    assert (np.diff(r["time"]) >= np.timedelta64(0)).all()
    assert utc_datetime(r["time"][0]) == _utc(2022, 3, 5, 8, 0, 0)
    assert r["lat"].tolist() == [46.0, 46.0001, 46.0002, 46.01, 46.0101, 46.0102, 46.02, 46.0201, 46.0202]
    step = 0.0001 * DEG_M
    np.testing.assert_allclose(r["distance_m"], step * np.array([0, 1, 2, 2, 3, 4, 4, 5, 6]), rtol=1e-6)
    assert a.pauses == [
        Pause(_utc(2022, 3, 5, 8, 0, 10), _utc(2022, 3, 5, 8, 2, 10)),
        Pause(_utc(2022, 3, 5, 8, 2, 20), _utc(2022, 3, 5, 9, 0, 0)),
    ]
    np.testing.assert_allclose(r["speed_m_s"], step / 5, rtol=1e-6)  # pauses do not dilute speed
    assert a.name == "Later part"  # the first named track in the file
    assert any("sorted" in note for note in a.notes)


@pytest.mark.parametrize("decoder", BACKENDS)
def test_gpxdata_extension_and_plain_heartrate(decoder):
    a = _read("gpx_gpxdata_and_heartrate.gpx", decoder)
    r = a.records
    assert r["heart_rate_bpm"].tolist() == [100, 101]  # gpxdata:hr beats <heartrate>
    assert r["cadence_spm"].tolist() == [170, 172]
    assert r["temperature_c"].tolist() == [12.5, 12.0]
    assert a.temperature_source == "GPX gpxdata temp extension (watch sensor)"
    assert a.sport == "unknown"
    assert any("cadence taken as per leg" in note for note in a.notes)


@pytest.mark.parametrize("decoder", BACKENDS)
def test_track_without_time_is_no_activity(decoder):
    with pytest.raises(NoActivityDataError, match="GPX track has no timestamps: cannot time a run"):
        _read("gpx_no_time.gpx", decoder)


@pytest.mark.parametrize("decoder", BACKENDS)
def test_metadata_only_gpx_is_no_activity(decoder):
    data = b'<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><metadata><time>2023-07-07T16:10:57Z</time></metadata></gpx>'
    with pytest.raises(NoActivityDataError, match="no track points"):
        read_gpx(data, "meta.gpx", decoder)


def _spiky_run_gpx() -> bytes:
    """10 fixes due north at 3 m/s, 1 s apart; fix 5 jumps ~790 m east and back."""
    points = []
    for i in range(10):
        lat = 45.0 + i * 3.0 / DEG_M
        lon = 6.01 if i == 5 else 6.0
        points.append(f'<trkpt lat="{lat:.10f}" lon="{lon}"><time>2020-01-01T00:00:{i:02d}Z</time></trkpt>')
    return (
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()


@pytest.mark.parametrize("decoder", BACKENDS)
def test_gps_spike_is_dropped_from_distance_and_position(decoder):
    a = read_gpx(_spiky_run_gpx(), "spiky.gpx", decoder)
    r = a.records
    assert len(r) == 10  # the record stays (its other channels are real), its position goes
    assert np.isnan(r["lat"]).tolist() == [i == 5 for i in range(10)]
    assert r["distance_m"][-1] == pytest.approx(27.0, abs=1e-3)
    assert any("1 GPS spikes" in note for note in a.notes)


def test_not_gpx_xml_and_malformed_xml_are_unreadable():
    with pytest.raises(UnreadableFileError, match="not <gpx>"):
        read_gpx(b"<kml><Document/></kml>", "x.gpx")
    with pytest.raises(UnreadableFileError, match=r"malformed XML at line 2: "):
        read_gpx(b'<gpx xmlns="http://www.topografix.com/GPX/1/1">\n<trk></gpx>', "bad.gpx")


@pytest.mark.parametrize("decoder", BACKENDS)
@pytest.mark.parametrize("name", ["misc_xxe_file_entity.gpx", "misc_billion_laughs.gpx"])
def test_entities_are_refused_never_expanded(name, decoder):
    with pytest.raises(UnreadableFileError, match="entities") as info:
        _read(name, decoder)
    assert "root:" not in str(info.value) and "lollol" not in str(info.value)


@pytest.mark.parametrize("decoder", BACKENDS)
def test_external_entity_never_reads_the_file(tmp_path, decoder):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for dtd in (f'<!ENTITY x SYSTEM "{secret.as_uri()}">', f'<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;'):
        data = (
            f'<?xml version="1.0"?><!DOCTYPE gpx [{dtd}]><gpx xmlns="http://www.topografix.com/GPX/1/1">'
            '<trk><name>&x;</name><trkseg><trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>'
            "</trkseg></trk></gpx>"
        ).encode()
        with pytest.raises(UnreadableFileError) as info:
            read_gpx(data, "xxe.gpx", decoder)
        assert "TOP-SECRET" not in str(info.value)


# ------------------------------------------------------------------ real files

REAL_GPX = real_files("gpx")
REAL_IDS = [p.name for p in REAL_GPX]


@functools.cache
def _gpxpy(path: Path):
    import gpxpy

    return gpxpy.parse(path.read_bytes().decode("utf-8"))


@pytest.mark.parametrize("path", REAL_GPX, ids=REAL_IDS)
def test_real_gpx_against_gpxpy(path, real_dir):
    """Point count, 2-D/3-D length, duration and time bounds against gpxpy."""
    g = _gpxpy(path)
    if g.get_track_points_no() == 0:
        with pytest.raises(NoActivityDataError):
            read_gpx(path.read_bytes(), path.name)
        return
    data = path.read_bytes()
    a = read_gpx(data, path.name)
    r = a.records
    assert len(r) == g.get_track_points_no()

    # The raw walk measured with our haversine equals gpxpy's length once the radius differs
    # no more (gpxpy: equatorial radius, flat-earth steps; both exact to ~1e-6 on GPS steps).
    raw = read_lxml(data, path.name)
    assert geo.path_length_m(raw.lat, raw.lon, raw.segment) == pytest.approx(g.length_2d() * GPXPY_RADIUS_RATIO, rel=1e-5)
    # 3-D: only the horizontal part carries the radius ratio (<= 0.11 %): 3e-4 covers it.
    assert geo.path_length_m(raw.lat, raw.lon, raw.segment, raw.ele) == pytest.approx(
        g.length_3d() * GPXPY_RADIUS_RATIO, rel=3e-4
    )
    # Records: spike filtering can only shorten the path (triangle inequality); a few spikes
    # in a real file cost well under 0.5 %.
    unfiltered = geo.path_length_m(raw.lat, raw.lon, raw.segment)
    assert unfiltered * (1 - 0.005) <= r["distance_m"][-1] <= unfiltered * (1 + 1e-12)

    # gpxpy's duration is the sum of the segments' spans: ours minus the pauses between segments.
    paused_s = sum((p.end_utc - p.start_utc).total_seconds() for p in a.pauses)
    assert r["elapsed_s"][-1] - paused_s == pytest.approx(g.get_duration(), abs=1e-6)
    start, end = g.get_time_bounds()
    assert utc_datetime(r["time"][0]) == start.astimezone(timezone.utc)
    assert utc_datetime(r["time"][-1]) == end.astimezone(timezone.utc)
    assert a.start_time_utc == start.astimezone(timezone.utc)


def _local(tag: str) -> str:
    return etree.QName(tag).localname


def _raw_channels(root, channels: dict[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    """Per trkpt and channel, the value of the highest-priority name present (last one wins)."""
    out: dict[str, list[float]] = {channel: [] for channel in channels}
    for tp in root.iter("{*}trkpt"):
        texts = {}
        for el in tp.iter():
            if isinstance(el.tag, str) and el.text and el.text.strip():
                texts[_local(el.tag)] = el.text
        for channel, names in channels.items():
            found = [texts[name] for name in names if name in texts]
            out[channel].append(float(found[-1]) if found else np.nan)
    return {channel: np.array(values) for channel, values in out.items()}


@pytest.mark.parametrize("path", REAL_GPX, ids=REAL_IDS)
def test_real_gpx_channels_match_the_raw_xml(path, real_dir):
    """hr / cad / atemp from an independent per-point XPath-style walk of the raw XML."""
    data = path.read_bytes()
    root = etree.fromstring(data.lstrip(), etree.XMLParser(resolve_entities=False, no_network=True))
    if not any(True for _ in root.iter("{*}trkpt")):
        pytest.skip("no track points")
    a = read_gpx(data, path.name)
    assert not any("sorted" in note for note in a.notes), "real files are in time order"
    r = a.records
    raw = _raw_channels(
        root, {"hr": ("heartrate", "hr"), "cad": ("cadence", "cad"), "temp": ("Temperature", "temp", "atemp")}
    )
    np.testing.assert_array_equal(r["heart_rate_bpm"], raw["hr"])
    factor = 2 if a.sport in ("running", "walking", "hiking", "unknown") else 1
    np.testing.assert_array_equal(r["cadence_spm"], factor * raw["cad"])
    np.testing.assert_array_equal(r["temperature_c"], raw["temp"])


def test_real_gpx_metadata(real_dir):
    a = read_gpx((REAL_DIR / "gpx" / "strava_android_run_4.6km.gpx").read_bytes(), "s.gpx")
    assert (a.sport, a.name, a.device) == ("running", "Run avec Nico & Mag", "StravaGPX Android")  # type 9
    a = read_gpx((REAL_DIR / "gpx" / "nikeplus_run_tz_offset_tiny.gpx").read_bytes(), "n.gpx")
    assert a.utc_offset_s == 3600
    assert a.start_time_utc == _utc(2015, 12, 11, 14, 43, 13)
    assert a.records["elapsed_s"][-1] == pytest.approx(0.994)
    a = read_gpx((REAL_DIR / "gpx" / "urbanbiker_ride_tpxv2_atemp39C_power.gpx").read_bytes(), "u.gpx")
    assert a.sport == "cycling"  # no trk/type: the creator "Urban Biker" names the sport
    assert np.nanmax(a.records["temperature_c"]) == 39.0
    assert np.isfinite(a.records["power_w"]).any()


@pytest.mark.parametrize("path", REAL_GPX, ids=REAL_IDS)
def test_both_backends_give_the_same_activity(path, real_dir):
    data = path.read_bytes()
    try:
        fast = read_gpx(data, path.name, "lxml")
    except NoActivityDataError:
        with pytest.raises(NoActivityDataError):
            read_gpx(data, path.name, "gpxpy")
        return
    ref = read_gpx(data, path.name, "gpxpy")
    pd.testing.assert_frame_equal(fast.records.to_pandas(), ref.records.to_pandas())
    for attr in ("sport", "sub_sport", "start_time_utc", "utc_offset_s", "device", "name", "pauses",
                 "temperature_source", "notes"):
        assert getattr(fast, attr) == getattr(ref, attr), attr


def test_invalid_real_gpx_gives_one_clear_line(real_dir):
    path = REAL_DIR / "invalid" / "gpx_run_undefined_ns_prefix.gpx"
    for decoder in BACKENDS:
        with pytest.raises(UnreadableFileError) as info:
            read_gpx(path.read_bytes(), path.name, decoder)
        assert str(info.value) == (
            "gpx_run_undefined_ns_prefix.gpx: malformed XML at line 17: "
            "Namespace prefix gpxdata on cadence is not defined"
        )


def test_build_activity_rejects_an_empty_track():
    raw = read_lxml((DATA / "gpx_tpx_v1_odd_prefix.gpx").read_bytes(), "x")
    raw.lat, raw.lon, raw.ele = raw.lat[:0], raw.lon[:0], raw.ele[:0]
    with pytest.raises(NoActivityDataError):
        build_activity(raw, "x", "lxml")


# ------------------------------------------------------------------ plain scan vs tree walk
# read_lxml reads a plain document column-wise with numpy (xmlscan.scan_plain) and any other
# through the lxml tree (read_tree). Both must give exactly the same RawTrack.

from crampcheck.io import gpx as gpx_module  # noqa: E402
from crampcheck.io import xmlscan  # noqa: E402

COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _plain_raw(data: bytes):
    """The RawTrack of the plain scan, asserting that the document took that path."""
    doc = xmlscan.scan_plain(data, "t.gpx", gpx_module._SCAN_NAMES)
    assert doc is not None, "not read as a plain document"
    raw = gpx_module._read_plain(doc)
    assert raw is not None, "the plain scan handed the document to the tree walk"
    return raw


def _assert_same_raw(fast, ref):
    np.testing.assert_array_equal(fast.time_utc, ref.time_utc)
    assert fast.offsets_s == ref.offsets_s
    for name in ("lat", "lon", "ele", "segment"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(ref, name), err_msg=name)
    assert fast.channels.keys() == ref.channels.keys()
    for name in fast.channels:
        np.testing.assert_array_equal(fast.channels[name], ref.channels[name], err_msg=name)
    for name in ("temperature_name", "creator", "name", "type_label"):
        assert getattr(fast, name) == getattr(ref, name), name


HAND_MADE = sorted(p.name for p in DATA.glob("gpx_*.gpx"))


@pytest.mark.parametrize("name", HAND_MADE)
def test_hand_made_files_read_the_same_through_both_paths(name):
    data = COMMENT.sub(b"", (DATA / name).read_bytes())  # without comments the scan reads them
    _assert_same_raw(_plain_raw(data), gpx_module.read_tree(data, name))


@pytest.mark.parametrize("path", REAL_GPX, ids=REAL_IDS)
def test_real_files_read_the_same_through_both_paths(path, real_dir):
    data = path.read_bytes()
    _assert_same_raw(_plain_raw(data), gpx_module.read_tree(data, path.name))


def _gpx(points: str, head: str = "", creator: str = "c") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="{creator}" '
        'xmlns="http://www.topografix.com/GPX/1/1" xmlns:t="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"{head}<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


EDGE_CASES = {
    # value -> what both paths must read (checked below), and what sends a file to the tree
    "entity and character references": _gpx(
        '<trkpt lat="4&#53;.0" lon="6.0"><time>2020-01-01T00:00:00Z</time><extensions><t:hr>&#49;50</t:hr></extensions></trkpt>',
        head="<metadata><name>A &amp; B &lt;3</name></metadata>", creator="Me &amp; &#x263A;",
    ),
    "cdata name and value": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time><extensions><t:hr><![CDATA[151]]></t:hr></extensions></trkpt>',
        head="<metadata><name><![CDATA[x < y & z]]></name></metadata>",
    ),
    "empty, self-closing, junk and duplicate values": _gpx(
        '<trkpt lat="45.0" lon="6.0"><ele/><time>2020-01-01T00:00:00Z</time>'
        "<extensions><t:hr>150</t:hr><t:hr>152</t:hr><t:cad></t:cad><t:atemp>warm</t:atemp></extensions></trkpt>"
        '<trkpt lat="45.0001" lon="6.0"><ele> 12.5 </ele><time>2020-01-01T00:00:01Z</time>'
        "<extensions><t:hr>151</t:hr><heartrate>99</heartrate><t:cad>1e2</t:cad></extensions></trkpt>"
    ),
    "time and ele nested in extensions are not the point's": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:05Z</time><time>2020-01-01T00:00:09Z</time>'
        "<extensions><t:x><time>2021-01-01T00:00:00Z</time><ele>9</ele></t:x></extensions></trkpt>"
    ),
    "mixed offsets, fractions and a point without lat": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T02:00:00.250+02:00</time></trkpt>'
        '<trkpt lon="6.0"><time>2020-01-01T00:00:01Z</time></trkpt>'
        '<trkpt lat="45.0002" lon="6.0"><time>2020-01-01T00:00:02.5Z</time></trkpt>'
    ),
    "non-ASCII text and unicode digits": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time><extensions><t:hr>\u0661\u0665\u0660</t:hr></extensions></trkpt>',
        head="<metadata><name>Sortie à Zürich</name></metadata>",
    ),
    "offsets in one layout": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T01:00:00+01:00</time></trkpt>'
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T01:00:01.500+01:00</time></trkpt>'
    ),
    "points after a segment-level element": _gpx(
        '<trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time></trkpt>'
        "<extensions><t:hr>180</t:hr></extensions>"
        '<trkpt lat="45.0" lon="6.0" t:lat="1"><time>2020-01-01T00:00:01Z</time></trkpt>'
    ),
}
NOT_PLAIN = {
    "single-quoted attributes": _gpx("<trkpt lat='45.0' lon='6.0'><time>2020-01-01T00:00:00Z</time></trkpt>"),
    "spaces around =": _gpx('<trkpt lat = "45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time></trkpt>'),
    "a comment": _gpx('<!-- x --><trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time></trkpt>'),
    "a > in a text": _gpx('<trkpt lat="45.0" lon="6.0"><time>2020-01-01T00:00:00Z</time><name>a > b</name></trkpt>'),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_cases_read_the_same_through_both_paths(case):
    data = EDGE_CASES[case]
    _assert_same_raw(_plain_raw(data), gpx_module.read_tree(data, case))


@pytest.mark.parametrize("case", NOT_PLAIN)
def test_documents_the_scan_does_not_take_go_to_the_tree(case):
    data = NOT_PLAIN[case]
    doc = xmlscan.scan_plain(data, "t.gpx", gpx_module._SCAN_NAMES)
    assert doc is None or gpx_module._read_plain(doc) is None
    assert read_lxml(data, "t.gpx").lat[0] == 45.0


def test_edge_case_values_are_read_as_xml_says():
    raw = _plain_raw(EDGE_CASES["entity and character references"])
    assert (raw.lat[0], raw.channels["heart_rate"][0]) == (45.0, 150.0)
    assert (raw.name, raw.creator) == ("A & B <3", "Me & \u263a")
    raw = _plain_raw(EDGE_CASES["cdata name and value"])
    assert (raw.name, raw.channels["heart_rate"][0]) == ("x < y & z", 151.0)
    raw = _plain_raw(EDGE_CASES["empty, self-closing, junk and duplicate values"])
    assert raw.channels["heart_rate"].tolist() == [152.0, 151.0]  # last hr wins; hr beats heartrate
    np.testing.assert_array_equal(raw.ele, [np.nan, 12.5])
    np.testing.assert_array_equal(raw.channels["cadence"], [np.nan, 100.0])  # float("1e2")
    assert np.isnan(raw.channels["temperature"]).all() and raw.temperature_name is None
    raw = _plain_raw(EDGE_CASES["time and ele nested in extensions are not the point's"])
    assert raw.time_utc[0] == np.datetime64("2020-01-01T00:00:05", "ns") and np.isnan(raw.ele[0])  # first child time
    raw = _plain_raw(EDGE_CASES["mixed offsets, fractions and a point without lat"])
    assert raw.offsets_s == {0, 7200}
    assert raw.time_utc[0] == np.datetime64("2020-01-01T00:00:00.25", "ns")
    assert raw.time_utc[2] == np.datetime64("2020-01-01T00:00:02.5", "ns")
    assert np.isnan(raw.lat[1])
    raw = _plain_raw(EDGE_CASES["non-ASCII text and unicode digits"])
    assert (raw.name, raw.channels["heart_rate"][0]) == ("Sortie à Zürich", 150.0)
    raw = _plain_raw(EDGE_CASES["offsets in one layout"])
    assert raw.offsets_s == {3600}
    assert raw.time_utc[1] == np.datetime64("2020-01-01T00:00:01.5", "ns")
    raw = _plain_raw(EDGE_CASES["points after a segment-level element"])
    assert np.isnan(raw.channels["heart_rate"]).all()  # not inside a point
    assert raw.lat.tolist() == [45.0, 45.0]  # t:lat is another attribute


def test_synthetic_flavours_read_the_same_through_both_paths():
    from crampcheck.synth import GpxOptions, build, gpx_bytes, scenarios

    truth = build(scenarios.with_pauses())
    for options in (GpxOptions(), GpxOptions(extension="v2", prefix="ns3", speed=True), GpxOptions(local_time=True),
                    GpxOptions(extension=None, split_at_pauses=True), GpxOptions(with_time=False)):
        data = gpx_bytes(truth, options)
        _assert_same_raw(_plain_raw(data), gpx_module.read_tree(data, "s.gpx"))


def test_a_malformed_plain_document_gives_the_one_line_error():
    with pytest.raises(UnreadableFileError, match=r"^t.gpx: malformed XML at line 2: Opening and ending tag mismatch: time line 2 and trkpt$"):
        read_gpx(_gpx('<trkpt lat="1" lon="1"><time>x</trkpt>'), "t.gpx")
    with pytest.raises(UnreadableFileError, match="Namespace prefix q on hr is not defined"):
        read_gpx(_gpx('<trkpt lat="1" lon="1"><q:hr>1</q:hr></trkpt>'), "t.gpx")


def test_time_layouts_are_checked_byte_by_byte():
    def window(*texts: str) -> np.ndarray:
        return np.array([list(t.encode()) for t in texts], dtype=np.uint8)

    layout = "dddd-dd-ddTdd:dd:dd±dd:dd"
    assert xmlscan._matches_layout(window("2020-01-01T00:00:00+01:00", "2020-01-01T00:00:00-05:30"), layout)
    assert not xmlscan._matches_layout(window("2020-01-01T00:00:00,01:00"), layout)  # "," lies between + and -
    assert not xmlscan._matches_layout(window("2020-01-01 00:00:00+01:00"), layout)
    assert xmlscan._zone_offsets_s(window("+01:00", "-05:30")).tolist() == [3600, -19800]
