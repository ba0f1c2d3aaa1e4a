"""record_mismatches: the oracle for reader tests, checked with independent parsers."""

from __future__ import annotations

import gpxpy
import numpy as np
import pandas as pd
from lxml import etree

from crampcheck.synth import fit_bytes, gpx_bytes, record_mismatches, tcx_bytes

from .conftest import fitparse_messages

SEMI_DEG = 180.0 / 2**31


def test_truth_matches_itself(mixed_truth):
    for fmt in ("fit", "gpx", "tcx"):
        assert record_mismatches(mixed_truth.records, mixed_truth, fmt) == []


def test_fitparse_records_match_within_fit_resolution(mixed_truth):
    recs = fitparse_messages(fit_bytes(mixed_truth))["record"]
    frame = pd.DataFrame(
        {
            "time": pd.to_datetime([m["timestamp"] for m in recs], utc=True),
            "distance_m": [m["distance"] for m in recs],
            "speed_m_s": [m["enhanced_speed"] for m in recs],
            "lat": [m["position_lat"] * SEMI_DEG for m in recs],
            "lon": [m["position_long"] * SEMI_DEG for m in recs],
            "altitude_m": [m["enhanced_altitude"] for m in recs],
            "heart_rate_bpm": [m["heart_rate"] for m in recs],
            "cadence_spm": [2 * (m["cadence"] + m["fractional_cadence"]) for m in recs],
            "temperature_c": [m["temperature"] for m in recs],
        }
    )
    assert record_mismatches(frame, mixed_truth, "fit") == []
    frame.loc[10, "distance_m"] = mixed_truth.records["distance_m"].iat[10] + 0.02
    frame["temperature_c"] = np.nan
    assert record_mismatches(frame, mixed_truth, "fit") == [
        "distance_m: max error 0.02 > 0.005",
        f"temperature_c: {len(frame)} missing values, expected 0",
    ]


def test_gpxpy_points_match_within_gpx_resolution(mixed_truth):
    gpx = gpxpy.parse(gpx_bytes(mixed_truth).decode())
    points = gpx.tracks[0].segments[0].points
    ext = [{c.tag.split("}")[1]: float(c.text) for e in p.extensions for c in e} for p in points]
    frame = pd.DataFrame(
        {
            "time": [p.time for p in points],
            "lat": [p.latitude for p in points],
            "lon": [p.longitude for p in points],
            "altitude_m": [p.elevation for p in points],
            "heart_rate_bpm": [e["hr"] for e in ext],
            "cadence_spm": [2 * e["cad"] for e in ext],
            "temperature_c": [e["atemp"] for e in ext],
        }
    )
    assert record_mismatches(frame, mixed_truth, "gpx") == []
    assert record_mismatches(frame.iloc[1:], mixed_truth, "gpx") == [f"{len(frame) - 1} records, expected {len(frame)}"]


def test_lxml_trackpoints_match_within_tcx_resolution(mixed_truth):
    root = etree.fromstring(tcx_bytes(mixed_truth))

    def col(path):
        return [float(tp.find(path, namespaces={"t": root.nsmap[None], "x": root.nsmap["ns3"]}).text)
                for tp in root.iter("{*}Trackpoint")]

    frame = pd.DataFrame(
        {
            "time": pd.to_datetime([tp.findtext("{*}Time") for tp in root.iter("{*}Trackpoint")], utc=True),
            "distance_m": col("t:DistanceMeters"),
            "speed_m_s": col("t:Extensions/x:TPX/x:Speed"),
            "lat": col("t:Position/t:LatitudeDegrees"),
            "lon": col("t:Position/t:LongitudeDegrees"),
            "altitude_m": col("t:AltitudeMeters"),
            "heart_rate_bpm": col("t:HeartRateBpm/t:Value"),
            "cadence_spm": [2 * v for v in col("t:Extensions/x:TPX/x:RunCadence")],
        }
    )
    assert record_mismatches(frame, mixed_truth, "tcx") == []
    frame["temperature_c"] = 20.0  # ignored: TCX does not carry it
    assert record_mismatches(frame, mixed_truth, "tcx") == []
    frame["time"] = frame["time"] + pd.Timedelta(seconds=1)
    assert record_mismatches(frame, mixed_truth, "tcx") == ["time: differs from the truth"]
