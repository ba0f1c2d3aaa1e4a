"""GPX 1.1 writer with Garmin's TrackPointExtension (v1 or v2, any namespace prefix).

Per point: lat/lon (8 decimals, ~1 mm), ele, time, and in the extension ``atemp`` (deg C),
``hr`` (bpm), ``cad`` (per-leg rpm for running, as Garmin Connect writes it: steps/min / 2)
and, in v2 only when asked, ``speed`` (m/s). A GPX file cannot hold a run without positions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from crampcheck.synth.build import Truth

GPX_NS = "http://www.topografix.com/GPX/1/1"
GPX_SCHEMA = "http://www.topografix.com/GPX/1/1/gpx.xsd"
TPX_NS = {
    "v1": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
    "v2": "http://www.garmin.com/xmlschemas/TrackPointExtension/v2",
}
CREATOR = "crampcheck synth"


@dataclass(frozen=True)
class GpxOptions:
    """How to write the GPX file (see gpx_bytes)."""

    extension: str | None = "v1"  # "v1" | "v2" | None (no extension at all)
    prefix: str = "gpxtpx"  # namespace prefix of the extension: gpxtpx, ns3, tpx1...
    split_at_pauses: bool = False  # a new <trkseg> after each timer pause
    with_time: bool = True
    local_time: bool = False  # times written in local time with their offset (+02:00) instead of Z
    speed: bool = False  # v2 only: <speed> in the extension


def _iso_times(truth: Truth, local: bool) -> list[str]:
    times = truth.records["time"].dt.tz_convert(None).to_numpy().astype("datetime64[s]")
    if not local:
        return [s + "Z" for s in np.datetime_as_string(times, unit="s")]
    offset = truth.utc_offset_s
    sign = "+" if offset >= 0 else "-"
    hh, mm = divmod(abs(offset) // 60, 60)
    suffix = f"{sign}{hh:02d}:{mm:02d}"
    local_times = times + np.timedelta64(offset, "s")
    return [s + suffix for s in np.datetime_as_string(local_times, unit="s")]


def _extension_xml(truth: Truth, opts: GpxOptions) -> list[str]:
    """The <extensions> block of every point ("" when there is nothing to put in it)."""
    spec, p = truth.spec, opts.prefix
    r = {c: truth.records[c].to_numpy() for c in ("temperature_c", "heart_rate_bpm", "cadence_spm", "speed_m_s")}
    n = len(truth.records)
    parts: list[list[str]] = []
    if spec.has_temperature:
        parts.append([f"<{p}:atemp>{v:.1f}</{p}:atemp>" for v in r["temperature_c"].tolist()])
    if spec.has_heart_rate:
        parts.append([f"<{p}:hr>{int(v)}</{p}:hr>" for v in r["heart_rate_bpm"].tolist()])
    if spec.has_cadence:
        per_leg = r["cadence_spm"] / 2 if spec.sport == "running" else r["cadence_spm"]
        parts.append([f"<{p}:cad>{int(v)}</{p}:cad>" for v in per_leg.tolist()])
    if opts.speed and opts.extension == "v2":
        parts.append([f"<{p}:speed>{v:.3f}</{p}:speed>" for v in r["speed_m_s"].tolist()])
    if not parts or opts.extension is None:
        return [""] * n
    return [
        f"<extensions><{p}:TrackPointExtension>{''.join(cells)}</{p}:TrackPointExtension></extensions>"
        for cells in zip(*parts)
    ]


def gpx_bytes(truth: Truth, options: GpxOptions | None = None, **kwargs) -> bytes:
    """The run as GPX 1.1 bytes (UTF-8). Options: ``GpxOptions`` fields or keywords."""
    opts = replace(options or GpxOptions(), **kwargs)
    spec = truth.spec
    r = {c: truth.records[c].to_numpy().tolist() for c in ("lat", "lon", "altitude_m", "elapsed_s")}
    n = len(truth.records)
    if not spec.has_gps:
        raise ValueError("a GPX file needs positions: this run has has_gps=False")
    if opts.extension not in (None, *TPX_NS):
        raise ValueError(f"extension must be None, 'v1' or 'v2', not {opts.extension!r}")
    times = _iso_times(truth, opts.local_time) if opts.with_time else [""] * n
    exts = _extension_xml(truth, opts)
    ele = [f"<ele>{v:.3f}</ele>" for v in r["altitude_m"]] if spec.has_altitude else [""] * n
    points = [
        f'<trkpt lat="{la:.8f}" lon="{lo:.8f}">{e}' + (f"<time>{t}</time>" if t else "") + f"{x}</trkpt>"
        for la, lo, e, t, x in zip(r["lat"], r["lon"], ele, times, exts)
    ]
    # a new segment starts at each restart sample (the sample that ends a timer pause)
    starts = [0]
    if opts.split_at_pauses:
        index_of = {float(v): i for i, v in enumerate(r["elapsed_s"])}
        starts += [index_of[p.end_s] for p in truth.pauses]
    segments = [
        "<trkseg>\n" + "\n".join(points[a:b]) + "\n</trkseg>" for a, b in zip(starts, starts[1:] + [len(points)])
    ]
    ns = f' xmlns:{opts.prefix}="{TPX_NS[opts.extension]}"' if opts.extension else ""
    start = truth.start_time_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta_time = f"<time>{start}</time>" if opts.with_time else ""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator={quoteattr(CREATOR)} xmlns="{GPX_NS}"{ns} '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{GPX_NS} {GPX_SCHEMA}">\n'
        f"<metadata><name>{escape(spec.name)}</name>{meta_time}</metadata>\n"
        f"<trk><name>{escape(spec.name)}</name><type>{escape(spec.sport)}</type>\n"
        + "\n".join(segments)
        + "\n</trk>\n</gpx>\n"
    )
    return text.encode("utf-8")
