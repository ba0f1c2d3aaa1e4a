"""TCX (Garmin Training Center v2) writer.

Activity(Sport) / Id / Lap(StartTime: TotalTimeSeconds, DistanceMeters, ...) / Track /
Trackpoint (Time, Position, AltitudeMeters, DistanceMeters, HeartRateBpm/Value,
Extensions/TPX: Speed m/s, RunCadence per-leg rpm). As Garmin does, a lap's
TotalTimeSeconds leaves timer pauses out and a new <Track> starts after each pause.
TCX has no temperature: build the spec with ``has_temperature=False`` for a truth that
matches what a reader gets. Laps are the same auto-laps as in the FIT writer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from xml.sax.saxutils import escape

import numpy as np

from crampcheck.synth.build import Truth
from crampcheck.synth.laps import auto_laps

TCD_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
TCD_SCHEMA = "http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
SPORT_NAMES = {"running": "Running", "cycling": "Biking"}
CREATOR = "crampcheck synth"


@dataclass(frozen=True)
class TcxOptions:
    """How to write the TCX file (see tcx_bytes)."""

    leading_whitespace: bool = False  # blank line and spaces before <?xml ...?>, as some exports have
    lap_distance_m: float | None = 1000.0
    prefix: str = "ns3"  # prefix of the ActivityExtension namespace
    extensions: bool = True  # TPX Speed / RunCadence


def _z(ts) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def tcx_bytes(truth: Truth, options: TcxOptions | None = None, **kwargs) -> bytes:
    """The run as TCX bytes (UTF-8). Options: ``TcxOptions`` fields or keywords."""
    opts = replace(options or TcxOptions(), **kwargs)
    spec, p = truth.spec, opts.prefix
    rec = truth.records
    cols = {c: rec[c].to_numpy() for c in ("elapsed_s", "distance_m", "lat", "lon", "altitude_m", "heart_rate_bpm", "cadence_spm", "speed_m_s")}
    n = len(rec)
    times = [s + "Z" for s in np.datetime_as_string(rec["time"].dt.tz_convert(None).to_numpy().astype("datetime64[s]"), unit="s")]
    pos = (
        [f"<Position><LatitudeDegrees>{a:.8f}</LatitudeDegrees><LongitudeDegrees>{b:.8f}</LongitudeDegrees></Position>"
         for a, b in zip(cols["lat"].tolist(), cols["lon"].tolist())]
        if spec.has_gps else [""] * n
    )
    alt = [f"<AltitudeMeters>{v:.3f}</AltitudeMeters>" for v in cols["altitude_m"].tolist()] if spec.has_altitude else [""] * n
    dist = [f"<DistanceMeters>{v:.3f}</DistanceMeters>" for v in cols["distance_m"].tolist()]
    hr = [f"<HeartRateBpm><Value>{int(v)}</Value></HeartRateBpm>" for v in cols["heart_rate_bpm"].tolist()] if spec.has_heart_rate else [""] * n
    if opts.extensions:
        cad = (
            [f"<{p}:RunCadence>{int(v / 2)}</{p}:RunCadence>" for v in cols["cadence_spm"].tolist()]
            if spec.has_cadence and spec.sport == "running" else [""] * n
        )
        ext = [f"<Extensions><{p}:TPX><{p}:Speed>{v:.3f}</{p}:Speed>{c}</{p}:TPX></Extensions>" for v, c in zip(cols["speed_m_s"].tolist(), cad)]
    else:
        ext = [""] * n
    points = [
        f"<Trackpoint><Time>{t}</Time>{a}{b}{c}{d}{e}</Trackpoint>" for t, a, b, c, d, e in zip(times, pos, alt, dist, hr, ext)
    ]

    pause_ends = {q.end_s for q in truth.pauses}
    restart = {i for i, t in enumerate(cols["elapsed_s"].tolist()) if t in pause_ends}
    laps = auto_laps(cols["elapsed_s"], cols["distance_m"], truth.pauses, opts.lap_distance_m)
    t0 = truth.start_time_utc
    lap_xml = []
    for k, lap in enumerate(laps):
        last = k == len(laps) - 1
        idx = range(lap.start_index, lap.end_index + 1 if last else lap.end_index)
        tracks, current = [], []
        for i in idx:
            if i in restart and current:
                tracks.append(current)
                current = []
            current.append(points[i])
        tracks.append(current)
        track_xml = "".join("<Track>\n" + "\n".join(tp) + "\n</Track>" for tp in tracks if tp)
        seg_speed = cols["speed_m_s"][lap.start_index : lap.end_index + 1]
        lap_hr = cols["heart_rate_bpm"][lap.start_index : lap.end_index + 1]
        hr_xml = (
            f"<AverageHeartRateBpm><Value>{int(round(float(np.mean(lap_hr))))}</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>{int(np.max(lap_hr))}</Value></MaximumHeartRateBpm>"
            if spec.has_heart_rate else ""
        )
        start = _z(t0 + timedelta(seconds=lap.start_s))
        trigger = "Manual" if last or not opts.lap_distance_m else "Distance"
        lap_xml.append(
            f'<Lap StartTime="{start}"><TotalTimeSeconds>{lap.timer_s:.1f}</TotalTimeSeconds>'
            f"<DistanceMeters>{lap.distance_m:.3f}</DistanceMeters><MaximumSpeed>{float(np.max(seg_speed)):.3f}</MaximumSpeed>"
            f"<Calories>0</Calories>{hr_xml}<Intensity>Active</Intensity><TriggerMethod>{trigger}</TriggerMethod>\n"
            f"{track_xml}\n</Lap>"
        )
    text = (
        ("\n   " if opts.leading_whitespace else "")
        + '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCD_NS}" xmlns:{p}="{AX_NS}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{TCD_NS} {TCD_SCHEMA}">\n'
        f'<Activities><Activity Sport="{SPORT_NAMES.get(spec.sport, "Other")}"><Id>{_z(t0)}</Id>\n'
        + "\n".join(lap_xml)
        + f"\n<Notes>{escape(spec.name)}</Notes>"
        f'<Creator xsi:type="Device_t"><Name>{CREATOR}</Name><UnitId>0</UnitId><ProductID>0</ProductID>'
        "<Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor></Version></Creator>\n"
        "</Activity></Activities>\n</TrainingCenterDatabase>\n"
    )
    return text.encode("utf-8")
