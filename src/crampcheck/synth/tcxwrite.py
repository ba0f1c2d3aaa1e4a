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


def _cells(template: str, values: np.ndarray, present: bool = True) -> list[str]:
    """One formatted XML fragment per sample ("" for every sample when the channel is absent)."""
    return [template.format(v) for v in values.tolist()] if present else [""] * len(values)


def _trackpoints(truth: Truth, opts: TcxOptions) -> list[str]:
    spec, p, rec = truth.spec, opts.prefix, truth.records
    col = {c: rec[c].to_numpy() for c in ("lat", "lon", "altitude_m", "distance_m", "heart_rate_bpm", "cadence_spm")}
    utc = rec["time"].dt.tz_convert(None).to_numpy().astype("datetime64[s]")
    times = [s + "Z" for s in np.datetime_as_string(utc, unit="s")]
    lat = _cells("<Position><LatitudeDegrees>{:.8f}</LatitudeDegrees>", col["lat"], spec.has_gps)
    lon = _cells("<LongitudeDegrees>{:.8f}</LongitudeDegrees></Position>", col["lon"], spec.has_gps)
    alt = _cells("<AltitudeMeters>{:.3f}</AltitudeMeters>", col["altitude_m"], spec.has_altitude)
    dist = _cells("<DistanceMeters>{:.3f}</DistanceMeters>", col["distance_m"])
    hr = _cells("<HeartRateBpm><Value>{:.0f}</Value></HeartRateBpm>", col["heart_rate_bpm"], spec.has_heart_rate)
    speed_tag = f"<Extensions><{p}:TPX><{p}:Speed>{{:.3f}}</{p}:Speed>"
    speed = _cells(speed_tag, rec["speed_m_s"].to_numpy(), opts.extensions)
    run_cadence = spec.has_cadence and spec.sport == "running" and opts.extensions
    cad = _cells(f"<{p}:RunCadence>{{:.0f}}</{p}:RunCadence>", col["cadence_spm"] / 2, run_cadence)  # per leg
    end = f"</{p}:TPX></Extensions>" if opts.extensions else ""
    return [
        f"<Trackpoint><Time>{t}</Time>{a}{b}{c}{d}{e}{f}{g}{end}</Trackpoint>"
        for t, a, b, c, d, e, f, g in zip(times, lat, lon, alt, dist, hr, speed, cad)
    ]


def _lap_xml(truth: Truth, lap, points: list[str], restarts: set[int], last: bool, auto: bool) -> str:
    """One <Lap>: its totals, then its trackpoints in one <Track> per stretch between pauses."""
    stop = lap.end_index + 1 if last else lap.end_index  # the boundary sample opens the next lap
    tracks: list[list[str]] = [[]]
    for i in range(lap.start_index, stop):
        if i in restarts and tracks[-1]:
            tracks.append([])
        tracks[-1].append(points[i])
    track_xml = "".join("<Track>\n" + "\n".join(tp) + "\n</Track>" for tp in tracks if tp)
    window = slice(lap.start_index, lap.end_index + 1)
    max_speed = float(np.max(truth.records["speed_m_s"].to_numpy()[window]))
    hr_xml = ""
    if truth.spec.has_heart_rate:
        hr = truth.records["heart_rate_bpm"].to_numpy()[window]
        hr_xml = (
            f"<AverageHeartRateBpm><Value>{np.mean(hr):.0f}</Value></AverageHeartRateBpm>"
            f"<MaximumHeartRateBpm><Value>{np.max(hr):.0f}</Value></MaximumHeartRateBpm>"
        )
    start = _z(truth.start_time_utc + timedelta(seconds=lap.start_s))
    trigger = "Distance" if auto and not last else "Manual"
    return (
        f'<Lap StartTime="{start}"><TotalTimeSeconds>{lap.timer_s:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{lap.distance_m:.3f}</DistanceMeters><MaximumSpeed>{max_speed:.3f}</MaximumSpeed>"
        f"<Calories>0</Calories>{hr_xml}<Intensity>Active</Intensity><TriggerMethod>{trigger}</TriggerMethod>\n"
        f"{track_xml}\n</Lap>"
    )


def tcx_bytes(truth: Truth, options: TcxOptions | None = None, **kwargs) -> bytes:
    """The run as TCX bytes (UTF-8). Options: ``TcxOptions`` fields or keywords."""
    opts = replace(options or TcxOptions(), **kwargs)
    spec, p = truth.spec, opts.prefix
    elapsed = truth.records["elapsed_s"].to_numpy()
    points = _trackpoints(truth, opts)
    pause_ends = {q.end_s for q in truth.pauses}
    restarts = {i for i, t in enumerate(elapsed.tolist()) if t in pause_ends}
    laps = auto_laps(elapsed, truth.records["distance_m"].to_numpy(), truth.pauses, opts.lap_distance_m)
    auto = bool(opts.lap_distance_m)
    lap_xml = [_lap_xml(truth, lap, points, restarts, k == len(laps) - 1, auto) for k, lap in enumerate(laps)]
    text = (
        ("\n   " if opts.leading_whitespace else "")
        + '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<TrainingCenterDatabase xmlns="{TCD_NS}" xmlns:{p}="{AX_NS}" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{TCD_NS} {TCD_SCHEMA}">\n'
        f'<Activities><Activity Sport="{SPORT_NAMES.get(spec.sport, "Other")}"><Id>{_z(truth.start_time_utc)}</Id>\n'
        + "\n".join(lap_xml)
        + f"\n<Notes>{escape(spec.name)}</Notes>"
        f'<Creator xsi:type="Device_t"><Name>{CREATOR}</Name><UnitId>0</UnitId><ProductID>0</ProductID>'
        "<Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor></Version></Creator>\n"
        "</Activity></Activities>\n</TrainingCenterDatabase>\n"
    )
    return text.encode("utf-8")
