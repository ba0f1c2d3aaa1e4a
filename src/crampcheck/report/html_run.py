"""One run as a self-contained HTML page with inline SVG charts.

The findings, scores, splits and fluid plan come from the ``crampcheck.run/1`` dict
(``jsonout.run_to_dict``), so the page says exactly what the JSON says; the charts draw the
run's chart series (``RunMetrics.chart``, on moving time), as the payload ``run_series``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import numpy as np

from crampcheck.report import svg
from crampcheck.report.cramps import html_quote, run_cramp_items
from crampcheck.report.html_base import esc, figure, findings_html, level_badge, level_class, level_glyph, num, page, table, tiles
from crampcheck.report.run import WRIST_AIR_LABEL, WRIST_NOTE
from crampcheck.units import (
    METERS_PER_FOOT,
    c_to_f,
    format_distance,
    format_duration,
    format_pace,
    format_temperature,
    format_volume,
    span_name,
    unit_length_m,
)

if TYPE_CHECKING:
    from crampcheck.pipeline import RunReport

PACE_MIN_SPEED_M_S = 1.0  # slower than this (26:49 /mi) is standing or walking: no pace drawn
DIGITS = {"lat": 6, "lon": 6, "distance_m": 1, "moving_s": 1}  # rounding of the payload (file size)
DEFAULT_DIGITS = 2

Series = dict[str, list[float | None]]


# ---------------------------------------------------------------- series payload


def run_series(report: RunReport) -> Series:
    """The chart payload of a RunReport: each series of ``report.metrics.chart`` (``ChartSeries``)
    as a list, rounded, None where unknown; a channel the file lacks is left out."""
    chart = report.metrics.chart
    if chart is None:
        return {}
    out: Series = {}
    for f in fields(chart):
        values = getattr(chart, f.name)
        if values is not None:
            digits = DIGITS.get(f.name, DEFAULT_DIGITS)
            out[f.name] = [round(float(v), digits) if math.isfinite(v) else None for v in values]
    return out


# ---------------------------------------------------------------- helpers


def _positions(value: Any) -> list[float]:
    """A finding's at_s / at_m (a number, a list or None) as a list of numbers."""
    items = value if isinstance(value, list) else [value]
    return [v for v in (num(x) for x in items) if v is not None]


def _interp(x: float, xs: Sequence[float | None], ys: Sequence[float | None]) -> float | None:
    """ys at x by linear interpolation over the points where both are known (xs increasing)."""
    pairs = [(a, b) for a, b in zip(xs, ys) if a is not None and b is not None]
    if not pairs:
        return None
    return float(np.interp(x, [a for a, _ in pairs], [b for _, b in pairs]))


class _Run:
    """What the renderer needs, derived once from the run dict, the series and the unit."""

    def __init__(self, run: dict[str, Any], series: Series, unit: str) -> None:
        self.run, self.series, self.unit = run, series, unit
        self.unit_m = unit_length_m(unit)
        self.distance_m = series.get("distance_m") or []
        self.x = [None if d is None else d / self.unit_m for d in self.distance_m]
        summary = run.get("summary") or {}
        self.total_m = num(summary.get("distance_m")) or max((d for d in self.distance_m if d is not None), default=0.0)

    @property
    def x_range(self) -> tuple[float, float] | None:
        """The distance axis, in units: start to finish (None when the distance is unknown)."""
        return (0.0, self.total_m / self.unit_m) if self.total_m > 0 else None

    def col(self, key: str) -> list[float | None]:
        values = self.series.get(key) or []
        return list(values) + [None] * (len(self.x) - len(values))

    def pace_s(self, speed_m_s: float | None) -> float | None:
        """Seconds per unit, None when too slow to call a pace."""
        return self.unit_m / speed_m_s if speed_m_s is not None and speed_m_s >= PACE_MIN_SPEED_M_S else None

    def dist(self, meters: float | None) -> str:
        return format_distance(meters, self.unit)

    def at_distance_m(self, finding: dict[str, Any]) -> list[float]:
        """Where a finding happened, metres from the start (from at_m, else at_s via the series)."""
        at_m = _positions(finding.get("at_m"))
        if at_m:
            return at_m
        out = []
        for s in _positions(finding.get("at_s")):
            d = _interp(s, self.col("moving_s"), self.distance_m)
            if d is not None:
                out.append(d)
        return out


def _finding_markers(r: _Run) -> list[svg.Marker]:
    markers = []
    for f in r.run.get("findings") or []:
        for k, d in enumerate(r.at_distance_m(f)):
            label = f"{level_glyph(f.get('level'))} {f.get('id')}" if k == 0 else level_glyph(f.get("level"))
            markers.append(svg.Marker(d / r.unit_m, label, f"finding {level_class(f.get('level'))}"))
    return markers


def _cramp_markers(r: _Run) -> list[svg.Marker]:
    """The runner's cramps where they struck (a solid line, labelled, never colour alone)."""
    return [svg.Marker(c["at_m"] / r.unit_m, f"✱ cramp{' (' + c['muscle'] + ')' if c.get('muscle') else ''}", "cramp")
            for c in r.run.get("cramps") or [] if num(c.get("at_m")) is not None]


def _cramps_section(run: dict[str, Any], units: str) -> str:
    items = run_cramp_items(run, units, quote=html_quote)
    if not items:
        return ""
    lis = "".join(f'<li class="cramp-item"><p><strong>{esc(first)}</strong></p>' + "".join(f"<p>{esc(x)}</p>" for x in rest) + "</li>"
                  for first, *rest in items)
    return f'<section aria-labelledby="h-cramps"><h2 id="h-cramps">Your cramp</h2><ul class="findings">{lis}</ul></section>'


def _bands(r: _Run) -> list[svg.Band]:
    bands = []
    for key, label in (("warmup", "warm-up"), ("cooldown", "cool-down")):
        seg = r.run.get(key)
        if isinstance(seg, dict) and num(seg.get("start_m")) is not None and num(seg.get("end_m")) is not None:
            bands.append(svg.Band(seg["start_m"] / r.unit_m, seg["end_m"] / r.unit_m, label, key))
    for surge in r.run.get("surges") or []:
        start_m = num(surge.get("start_m"))
        start_s, duration_s = num(surge.get("start_s")), num(surge.get("duration_s"))
        if start_m is None:
            continue
        end_m = _interp(start_s + duration_s, r.col("moving_s"), r.distance_m) if start_s is not None and duration_s else None
        end_m = max(end_m or start_m, start_m + 0.01 * r.unit_m)  # always visible
        bands.append(svg.Band(start_m / r.unit_m, end_m / r.unit_m, "surge", "surge"))
    return bands


def _where_text(r: _Run, markers: Sequence[svg.Marker], bands: Sequence[svg.Band]) -> str:
    parts = [f"{b.label} {b.x0:.2f}–{b.x1:.2f} {r.unit}" for b in bands]
    parts += [f"{m.label.split(' ', 1)[-1]} at {m.x:.2f} {r.unit}" for m in markers]
    return ("Marked: " + "; ".join(parts) + ".") if parts else "Nothing marked."


# ---------------------------------------------------------------- charts


def _pace_chart(r: _Run, markers: list[svg.Marker], bands: list[svg.Band]) -> str:
    pace = [r.pace_s(v) for v in r.col("speed_m_s")]
    lines = [svg.Line(r.x, pace, "pace", "pace")]
    gap = [r.pace_s(v) for v in r.col("gap_speed_m_s")]
    if any(v is not None for v in gap):  # the run has elevation
        lines.append(svg.Line(r.x, gap, "grade-adjusted pace", "gap", dashed=True))
    segments = []
    fvl = r.run.get("first_vs_last") or {}
    total_x = r.total_m / r.unit_m
    span_x = unit_length_m(fvl.get("unit") or r.unit) / r.unit_m  # the compared stretch, in chart units
    for key, name, x0, x1 in (
        ("first_speed_m_s", "first", 0.0, min(span_x, total_x)),
        ("last_speed_m_s", "last", max(total_x - span_x, 0.0), total_x),
    ):
        p = r.pace_s(num(fvl.get(key)))
        if p is not None:
            label = f"{name} {span_name(unit_length_m(fvl.get('unit') or r.unit), r.unit)} {format_duration(p)} /{r.unit}"
            segments.append(svg.Segment(x0, x1, p, label, f"fl {name}"))
    known = [p for p in pace if p is not None]
    if not known:
        return ""
    fl = ", ".join(s.label for s in segments)
    desc = (
        f"Pace over {r.dist(r.total_m)}, faster is higher: fastest {format_duration(min(known))} /{r.unit}, "
        f"slowest {format_duration(max(known))} /{r.unit}"
        + (f"; {fl}" if fl else "")
        + ". "
        + _where_text(r, markers, bands)
    )
    chart = svg.Chart(
        "chart-pace", "Pace over distance", desc, f"distance ({r.unit})", f"pace (min/{r.unit})",
        y_fmt=format_duration, invert_y=True, y_ticks=svg.time_ticks,
    )
    return svg.line_chart(chart, lines, bands, markers, segments, x_range=r.x_range)


def _channel_chart(r: _Run, key: str, chart_id: str, title: str, y_label: str, css: str, convert, fmt: str,
                   markers: list[svg.Marker], bands: list[svg.Band]) -> str:
    ys = [None if v is None else convert(v) for v in r.col(key)]
    known = [y for y in ys if y is not None]
    if not known:
        return ""
    desc = f"{title} over {r.dist(r.total_m)}: from {min(known):{fmt}} to {max(known):{fmt}} {y_label}. " + _where_text(r, markers, bands)
    chart = svg.Chart(chart_id, title + " over distance", desc, f"distance ({r.unit})", y_label)
    return svg.line_chart(chart, [svg.Line(r.x, ys, title, css)], bands, markers, x_range=r.x_range)


def _splits_chart(r: _Run) -> str:
    bars = []
    for sp in r.run.get("splits") or []:
        p = r.pace_s(num(sp.get("speed_m_s")))
        bars.append(svg.Bar(
            str(sp.get("index", len(bars) + 1)) + ("*" if sp.get("partial") else ""),
            p,
            format_duration(p) if p is not None else "",
            "partial" if sp.get("partial") else "",
            r.pace_s(num(sp.get("gap_speed_m_s"))),
        ))
    known = [b.value for b in bars if b.value is not None]
    if not known:
        return ""
    fastest = min(range(len(bars)), key=lambda i: bars[i].value if bars[i].value is not None else math.inf)
    slowest = max(range(len(bars)), key=lambda i: bars[i].value if bars[i].value is not None else -math.inf)
    desc = (
        f"{len(bars)} splits of one {r.unit}, faster is taller: fastest split {bars[fastest].label} at "
        f"{format_duration(bars[fastest].value)} /{r.unit}, slowest split {bars[slowest].label} at "
        f"{format_duration(bars[slowest].value)} /{r.unit}. A star marks a partial split."
    )
    chart = svg.Chart("chart-splits", f"Pace per {r.unit} split", desc, f"split ({r.unit})", f"pace (min/{r.unit})",
                      y_fmt=format_duration, invert_y=True, y_ticks=svg.time_ticks)
    return svg.bar_chart(chart, bars)


def _route_chart(r: _Run) -> str:
    lat, lon = r.col("lat"), r.col("lon")
    known = [(a, o) for a, o in zip(lat, lon) if a is not None and o is not None]
    if len(known) < 2:
        return ""
    points = [svg.RoutePoint(*known[0], "Start", "start"), svg.RoutePoint(*known[-1], "Finish", "finish")]
    for f in r.run.get("findings") or []:
        for k, d in enumerate(r.at_distance_m(f)):
            a, o = _interp(d, r.distance_m, lat), _interp(d, r.distance_m, lon)
            if a is not None and o is not None:
                label = f"{level_glyph(f.get('level'))} {f.get('id')}" if k == 0 else level_glyph(f.get("level"))
                points.append(svg.RoutePoint(a, o, label, level_class(f.get("level"))))
    marked = ", ".join(p.label for p in points[2:]) or "no findings placed"
    desc = f"Map trace of the route (north up, {r.dist(r.total_m)}), with start, finish and findings: {marked}."
    return svg.route_chart("chart-route", "Route", desc, lat, lon, points)


# ---------------------------------------------------------------- sections


def _header(run: dict[str, Any], r: _Run) -> str:
    name = run.get("name") or PurePath(str(run.get("file") or "run")).name
    summary = run.get("summary") or {}
    temp = summary.get("temperature_c") or {}
    hr = summary.get("heart_rate_bpm") or {}
    start = run.get("start_time_local") or run.get("start_time_utc") or "unknown start"
    meta = f"{run.get('sport') or 'unknown sport'} · {start} · {run.get('file') or ''}"
    items = [
        ("Distance", r.dist(num(summary.get("distance_m")))),
        ("Moving time", format_duration(num(summary.get("moving_time_s")))),
        ("Elapsed time", format_duration(num(summary.get("elapsed_time_s")))),
        ("Average pace", format_pace(num(summary.get("avg_speed_m_s")), r.unit)),
    ]
    if temp:
        items.append(("Temperature (mean)", format_temperature(num(temp.get("mean")), r.unit) + (f" · {temp['source']}" if temp.get("source") else "")))
    air = summary.get("air") or {}
    if air:
        extra = [f"{num(air.get('humidity_pct')):.0f} % humidity"] if num(air.get("humidity_pct")) is not None else []
        if num(air.get("dew_point_c")) is not None:
            extra.append(f"dew point {format_temperature(num(air.get('dew_point_c')), r.unit)}")
        if num(air.get("heat_index_c")) is not None:
            extra.append(f"heat index {format_temperature(num(air.get('heat_index_c')), r.unit)}")
        wrist = air.get("kind") == "watch"
        items.append((f"{WRIST_AIR_LABEL if wrist else 'Air'} (heat judged from)",
                      ", ".join([format_temperature(num(air.get("temperature_c")), r.unit), *extra])
                      + f" · {air.get('source') or ''}" + (WRIST_NOTE if wrist else "")))
    if hr:
        items.append(("Heart rate mean / max", f"{_fmt0(hr.get('mean'))} / {_fmt0(hr.get('max'))} bpm"))
    return f"<header><h1>{esc(name)}</h1><p class=\"muted\">{esc(meta)}</p>{tiles(items)}</header>"


def _fmt0(value: Any) -> str:
    v = num(value)
    return "–" if v is None else f"{v:.0f}"


def _scores(run: dict[str, Any]) -> str:
    scores = run.get("scores") or {}
    parts = []
    for key, label in (("overall", "Overall"), ("overload", "Overload"), ("electrolyte", "Electrolyte")):
        if scores.get(key):
            parts.append(f'<li data-score="{esc(key)}">{esc(label)}: {level_badge(scores[key])}</li>')
    reasons = scores.get("reasons") or {}
    reason_items = "".join(
        f"<li>{esc(sub)}: {esc('; '.join(map(str, why)))}</li>" for sub, why in reasons.items() if why
    )
    return (
        '<section aria-labelledby="h-scores"><h2 id="h-scores">Cramp-risk levels</h2>'
        f'<ul class="score-list">{"".join(parts)}</ul>'
        + (f'<ul class="muted">{reason_items}</ul>' if reason_items else "")
        + '<p class="muted">Levels with reasons, not a probability of cramping.</p></section>'
    )


def _findings(run: dict[str, Any], r: _Run) -> str:
    findings = run.get("findings") or []
    where = {}
    for i, f in enumerate(findings):
        at = r.at_distance_m(f)
        if at:
            where[i] = "where: " + ", ".join(r.dist(d) for d in at)
    return '<section aria-labelledby="h-findings"><h2 id="h-findings">Findings</h2>' + findings_html(findings, where, units=r.unit) + "</section>"


def _splits_table(run: dict[str, Any], r: _Run) -> str:
    rows = []
    for sp in run.get("splits") or []:
        temp = num(sp.get("temperature_c"))
        rows.append([
            esc(f"{sp.get('index')}{' (partial)' if sp.get('partial') else ''}"),
            esc(r.dist(num(sp.get("distance_m")))),
            esc(format_duration(num(sp.get("time_s")))),
            esc(format_pace(num(sp.get("speed_m_s")), r.unit)),
            esc(format_pace(num(sp.get("gap_speed_m_s")), r.unit)),
            esc(_fmt0(sp.get("heart_rate_bpm"))),
            esc("–" if temp is None else format_temperature(temp, r.unit)),
        ])
    if not rows:
        return ""
    return table(f"Splits per {r.unit}", ["Split", "Distance", "Time", "Pace", "Grade-adjusted pace", "HR (bpm)", "Temperature"],
                 rows, numeric=[False, True, True, True, True, True, True])


def _fluid_plan(run: dict[str, Any], units: str) -> str:
    plan = run.get("fluid_plan")
    if not isinstance(plan, dict):
        return ""
    parts = []
    for key, label in (("before", "Before"), ("during", "During"), ("after", "After")):
        lines = plan.get(key) or []
        if lines:
            items = "".join(f"<li>{esc(x)}</li>" for x in lines)
            parts.append(f"<section><h3>{label}</h3><ul>{items}</ul></section>")
    rate = num(plan.get("sweat_rate_l_h"))
    extra = f'<p>Sweat rate: {format_volume(rate, units)} per hour</p>' if rate is not None else ""
    return (
        '<section aria-labelledby="h-fluid"><h2 id="h-fluid">Fluid plan</h2>'
        f'<div class="plan">{"".join(parts)}</div>{extra}</section>'
    )


def _list_section(heading: str, section_id: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{x}</li>" for x in items)
    return f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{esc(heading)}</h2><ul>{lis}</ul></section>'


def render_run_html(run: dict[str, Any], series: Series, units: str) -> str:
    """The run report page (HTML text) from the ``crampcheck.run/1`` dict and ``run_series`` output.

    ``units`` ("mi" | "km") sets distances, paces, temperatures (°F with miles) and elevation
    (ft with miles). Every string from the file is escaped.
    """
    r = _Run(run, series, units)
    markers, bands = _cramp_markers(r) + _finding_markers(r), _bands(r)
    feet = units == "mi"
    elev_unit = "ft" if feet else "m"
    temp_unit = "°F" if feet else "°C"
    charts = [
        figure(_pace_chart(r, markers, bands), "Pace over distance (and grade-adjusted pace when known). Shaded: warm-up, cool-down, surges. Dashed lines: findings where they happened; thick lines: first and last split pace."),
        figure(_splits_chart(r), f"Pace per {units} split; the short purple mark is the grade-adjusted pace."),
        figure(_channel_chart(r, "heart_rate_bpm", "chart-hr", "Heart rate", "bpm", "hr", float, ".0f", markers, bands), "Heart rate over distance, beats per minute."),
        figure(_channel_chart(r, "temperature_c", "chart-temp", "Temperature", temp_unit, "temp", c_to_f if feet else float, ".0f", markers, bands),
               "Temperature over distance, from the file (a wrist sensor reads above the air temperature)."),
        figure(_channel_chart(r, "altitude_m", "chart-elev", "Elevation", elev_unit, "elev", (lambda m: m / METERS_PER_FOOT) if feet else float, ".0f", markers, bands),
               "Elevation over distance."),
        figure(_route_chart(r), "Route: the trace drawn from the GPS positions (no map tiles), with findings placed on it."),
    ]
    charts_html = "".join(c for c in charts if c)
    not_judged = [f"<code>{esc(n.get('id'))}</code>: {esc(n.get('reason'))}" for n in run.get("not_judged") or []]
    notes = [esc(n) for n in run.get("notes") or []]
    title = f"crampcheck: {run.get('name') or PurePath(str(run.get('file') or 'run')).name}"
    body = (
        _header(run, r)
        + _scores(run)
        + _cramps_section(run, units)
        + _findings(run, r)
        + ('<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2>' + charts_html + "</section>" if charts_html else "")
        + ('<section aria-labelledby="h-splits"><h2 id="h-splits">Splits</h2>' + _splits_table(run, r) + "</section>" if run.get("splits") else "")
        + _fluid_plan(run, units)
        + _list_section("Not judged", "h-not-judged", not_judged)
        + _list_section("Notes", "h-notes", notes)
        + f'<footer>{esc(run.get("schema") or "")} · made by crampcheck; this file loads nothing from the network.</footer>'
    )
    return page(title, body)
