"""Small pure SVG chart helpers: numbers in, an inline ``<svg>`` string out.

No JavaScript, no fonts, no external resources: every chart is a handful of paths and
texts in a ``viewBox`` (so it scales to any width) styled by the page's CSS classes
(so it follows light/dark mode). Each chart is an image for assistive technology
(``role="img"``, ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``).
Every text handed in is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

Number = float | int
MaybeNumber = Number | None

CHART_W = 600.0  # viewBox width of a chart, user units
CHART_H = 230.0  # viewBox height of a chart
MARGIN_L = 58.0  # room for y tick labels
MARGIN_R = 14.0
MARGIN_T = 36.0  # room for the legend and band labels
MARGIN_B = 40.0  # room for x tick labels and the axis title
LEGEND_SOLID = "━━"
LEGEND_DASHED = "╍╍"
TICK_TARGET = 5  # about this many ticks per axis
MARKER_LABEL_ROWS = 3  # marker labels are staggered over this many rows so they overlap less
MARKER_ROW_H = 9.0
ROUTE_SIZE = 320.0  # viewBox side of the route trace
ROUTE_PAD = 16.0
ROUTE_LABEL_MERGE = 14.0  # route points closer than this (user units) share one label
METERS_PER_DEG_LAT = 111_320.0  # metres per degree of latitude (equirectangular approximation)


def fmt_number(value: float) -> str:
    """A tick value without trailing zeros ("2", "2.5", "0.25")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _finite(v: MaybeNumber) -> bool:
    return v is not None and math.isfinite(v)


def nice_ticks(lo: float, hi: float, target: int = TICK_TARGET) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return [round(first + i * step, 10) for i in range(count)]


TIME_STEPS_S = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)  # clock-friendly steps


def time_ticks(lo: float, hi: float, target: int = TICK_TARGET) -> list[float]:
    """Ticks for durations in seconds (paces), on clock-friendly steps (15 s, 30 s, 1 min...)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / max(target, 1)
    step = next((s for s in TIME_STEPS_S if s >= raw), TIME_STEPS_S[-1])
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return [float(first + i * step) for i in range(count)]


@dataclass(frozen=True)
class Scale:
    """Linear map from data [lo, hi] to pixels [px_lo, px_hi]."""

    lo: float
    hi: float
    px_lo: float
    px_hi: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        t = (value - self.lo) / span if span else 0.5
        return self.px_lo + t * (self.px_hi - self.px_lo)


def path_d(xs: Sequence[MaybeNumber], ys: Sequence[MaybeNumber], sx: Scale, sy: Scale, step: bool = False) -> str:
    """SVG path data through the points; a missing value (None/NaN) breaks the line.

    With ``step``, each y holds until the next x (a staircase, e.g. per-split values).
    """
    parts: list[str] = []
    pen_down = False
    last_y = 0.0
    for x, y in zip(xs, ys):
        if not (_finite(x) and _finite(y)):
            pen_down = False
            continue
        px, py = sx(x), sy(y)
        if not pen_down:
            parts.append(f"M{px:.1f} {py:.1f}")
            pen_down = True
        elif step:
            parts.append(f"H{px:.1f}V{py:.1f}")
        else:
            parts.append(f"L{px:.1f} {py:.1f}")
        last_y = py
    if step and pen_down and parts:
        # a staircase needs its last value drawn to the right end of the last step
        parts.append(f"H{sx.px_hi:.1f}V{last_y:.1f}")
    return "".join(parts)


@dataclass(frozen=True)
class Line:
    """One data series of a line chart. ``css`` is its class (colour comes from the page CSS)."""

    xs: Sequence[MaybeNumber]
    ys: Sequence[MaybeNumber]
    label: str
    css: str
    step: bool = False
    dashed: bool = False  # drawn dashed (the legend shows a dashed glyph)


@dataclass(frozen=True)
class Band:
    """A shaded x range (e.g. warm-up) with a short label."""

    x0: float
    x1: float
    label: str
    css: str


@dataclass(frozen=True)
class Marker:
    """A vertical mark at x with a short label (e.g. a finding where it happened)."""

    x: float
    label: str
    css: str


@dataclass(frozen=True)
class Segment:
    """A horizontal mark from x0 to x1 at height y with a label (e.g. first-mile pace)."""

    x0: float
    x1: float
    y: float
    label: str
    css: str


@dataclass(frozen=True)
class Chart:
    """Text and axes of one chart; ``chart_id`` must be unique in the page."""

    chart_id: str
    title: str
    desc: str
    x_label: str
    y_label: str
    x_fmt: Callable[[float], str] = fmt_number
    y_fmt: Callable[[float], str] = fmt_number
    invert_y: bool = False  # larger values drawn lower (pace: faster is higher)
    y_ticks: Callable[[float, float], list[float]] = nice_ticks  # time_ticks for paces
    hlines: Sequence[tuple[float, str]] = field(default_factory=tuple)  # (y, label) reference lines


def _open_svg(chart_id: str, title: str, desc: str, width: float, height: float, css: str) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg class="chart {escape(css)}" id="{cid}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _range(values: Sequence[MaybeNumber]) -> tuple[float, float] | None:
    finite = [float(v) for v in values if _finite(v)]
    return (min(finite), max(finite)) if finite else None


def _padded(lo: float, hi: float, pad_fraction: float = 0.05) -> tuple[float, float]:
    if hi <= lo:
        pad = abs(lo) * 0.05 or 1.0
        return lo - pad, hi + pad
    pad = (hi - lo) * pad_fraction
    return lo - pad, hi + pad


def _axes(chart: Chart, sx: Scale, sy: Scale, x_ticks: Sequence[float], y_ticks: Sequence[float]) -> list[str]:
    out = ['<g class="axes" aria-hidden="true">']
    left, right = sx.px_lo, sx.px_hi
    top, bottom = min(sy.px_lo, sy.px_hi), max(sy.px_lo, sy.px_hi)
    for y in y_ticks:
        py = sy(y)
        out.append(f'<line class="grid" x1="{left:.1f}" y1="{py:.1f}" x2="{right:.1f}" y2="{py:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6:.1f}" y="{py + 4:.1f}" text-anchor="end">{escape(chart.y_fmt(y))}</text>')
    for x in x_ticks:
        px = sx(x)
        out.append(f'<line class="tickmark" x1="{px:.1f}" y1="{bottom:.1f}" x2="{px:.1f}" y2="{bottom + 4:.1f}"/>')
        out.append(f'<text class="tick" x="{px:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">{escape(chart.x_fmt(x))}</text>')
    out.append(f'<line class="axis" x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}"/>')
    out.append(f'<line class="axis" x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{bottom:.1f}"/>')
    out.append(
        f'<text class="axis-title" x="{(left + right) / 2:.1f}" y="{bottom + 32:.1f}" text-anchor="middle">{escape(chart.x_label)}</text>'
    )
    out.append(
        f'<text class="axis-title" x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {(top + bottom) / 2:.1f})">{escape(chart.y_label)}</text>'
    )
    out.append("</g>")
    return out


def _scales(x_range: tuple[float, float], y_range: tuple[float, float], invert_y: bool) -> tuple[Scale, Scale]:
    sx = Scale(x_range[0], x_range[1], MARGIN_L, CHART_W - MARGIN_R)
    top, bottom = MARGIN_T, CHART_H - MARGIN_B
    sy = Scale(y_range[0], y_range[1], top, bottom) if invert_y else Scale(y_range[0], y_range[1], bottom, top)
    return sx, sy


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    """One text line: a coloured dash glyph then the label, per series (flows at any font size)."""
    spans = "".join(
        f'<tspan class="swatch {escape(css)}">{LEGEND_DASHED if "dashed" in css else LEGEND_SOLID}</tspan>'
        f'<tspan class="legend-text"> {escape(label)}   </tspan>'
        for label, css in items
    )
    return [f'<text class="legend" x="{MARGIN_L:.1f}" y="13">{spans}</text>']


def _marker_label_y(i: int) -> float:
    return MARGIN_T + 8 + (i % MARKER_LABEL_ROWS) * MARKER_ROW_H


def line_chart(
    chart: Chart,
    lines: Sequence[Line],
    bands: Sequence[Band] = (),
    markers: Sequence[Marker] = (),
    segments: Sequence[Segment] = (),
    x_range: tuple[float, float] | None = None,
) -> str:
    """A line chart (one or more series over a shared x axis) with optional marks.

    Returns "" when no series has a single finite point (nothing to draw).
    """
    xr = x_range or _range([x for ln in lines for x in ln.xs])
    yr = _range([y for ln in lines for y in ln.ys] + [s.y for s in segments] + [h for h, _ in chart.hlines])
    if xr is None or yr is None or not any(_finite(x) and _finite(y) for ln in lines for x, y in zip(ln.xs, ln.ys)):
        return ""
    if xr[1] <= xr[0]:
        xr = (xr[0] - 0.5, xr[1] + 0.5)
    y_lo, y_hi = _padded(*yr)
    sx, sy = _scales(xr, (y_lo, y_hi), chart.invert_y)
    out = _open_svg(chart.chart_id, chart.title, chart.desc, CHART_W, CHART_H, "line-chart")
    top, bottom = MARGIN_T, CHART_H - MARGIN_B
    for band in bands:
        x0, x1 = sx(max(band.x0, xr[0])), sx(min(band.x1, xr[1]))
        if x1 <= x0:
            continue
        out.append(f'<g class="band {escape(band.css)}"><rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" height="{bottom - top:.1f}"/>')
        out.append(f'<text class="band-label" x="{(x0 + x1) / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle">{escape(band.label)}</text></g>')
    out += _axes(chart, sx, sy, nice_ticks(*xr), chart.y_ticks(y_lo, y_hi))
    for y, label in chart.hlines:
        py = sy(y)
        out.append(f'<g class="hline"><line x1="{sx.px_lo:.1f}" y1="{py:.1f}" x2="{sx.px_hi:.1f}" y2="{py:.1f}"/>')
        out.append(f'<text class="hline-label" x="{sx.px_hi - 4:.1f}" y="{py - 4:.1f}" text-anchor="end">{escape(label)}</text></g>')
    for ln in lines:
        d = path_d(ln.xs, ln.ys, sx, sy, step=ln.step)
        if d:
            dash = " dashed" if ln.dashed else ""
            out.append(f'<path class="series {escape(ln.css)}{dash}" d="{d}"><title>{escape(ln.label)}</title></path>')
    for seg in segments:
        x0, x1, py = sx(seg.x0), sx(seg.x1), sy(seg.y)
        out.append(f'<g class="segment {escape(seg.css)}"><line x1="{x0:.1f}" y1="{py:.1f}" x2="{x1:.1f}" y2="{py:.1f}"/>')
        anchor = "start" if x0 < (sx.px_lo + sx.px_hi) / 2 else "end"
        tx = x0 if anchor == "start" else x1
        out.append(f'<text class="segment-label" x="{tx:.1f}" y="{py - 6:.1f}" text-anchor="{anchor}">{escape(seg.label)}</text></g>')
    for i, mark in enumerate(markers):
        if not (xr[0] <= mark.x <= xr[1]):
            continue
        px = sx(mark.x)
        anchor = "end" if px > CHART_W * 0.75 else "start"
        tx = px - 3 if anchor == "end" else px + 3
        out.append(f'<g class="marker {escape(mark.css)}"><line x1="{px:.1f}" y1="{top:.1f}" x2="{px:.1f}" y2="{bottom:.1f}"/>')
        out.append(f'<text class="marker-label" x="{tx:.1f}" y="{_marker_label_y(i):.1f}" text-anchor="{anchor}">{escape(mark.label)}</text></g>')
    if len(lines) > 1:
        out += _legend([(ln.label, f"{ln.css} dashed" if ln.dashed else ln.css) for ln in lines])
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Bar:
    """One bar: category label, value (None: no bar), optional text above it and extra class."""

    label: str
    value: float | None
    text: str = ""
    css: str = ""
    tick: float | None = None  # a second value drawn as a short mark on the bar (e.g. GAP)


def bar_chart(chart: Chart, bars: Sequence[Bar], max_x_labels: int = 16, max_bar_texts: int = 16) -> str:
    """A bar chart over categories. With ``chart.invert_y`` bars grow upwards to smaller values.

    Bars rise from the bottom of the plot (not from zero when the values sit far from it,
    e.g. paces): their tops carry the information, the y ticks tell the values.
    Returns "" when no bar has a value.
    """
    values = [b.value for b in bars if _finite(b.value)] + [b.tick for b in bars if _finite(b.tick)]
    values += [h for h, _ in chart.hlines]
    if not values or not any(_finite(b.value) for b in bars):
        return ""
    lo, hi = min(values), max(values)
    if not chart.invert_y and lo >= 0:
        lo = 0.0  # plain quantities (volume, distance) start at zero
        hi = hi * 1.1 if hi > 0 else 1.0
    else:
        lo, hi = _padded(lo, hi, 0.15)
    sx = Scale(0, len(bars), MARGIN_L, CHART_W - MARGIN_R)
    _, sy = _scales((0, 1), (lo, hi), chart.invert_y)
    out = _open_svg(chart.chart_id, chart.title, chart.desc, CHART_W, CHART_H, "bar-chart")
    every = max(1, math.ceil(len(bars) / max_x_labels))
    x_chart = Chart(chart.chart_id, chart.title, chart.desc, chart.x_label, chart.y_label, y_fmt=chart.y_fmt)
    out += _axes(x_chart, sx, sy, [], chart.y_ticks(lo, hi))
    bottom = CHART_H - MARGIN_B
    slot = (sx.px_hi - sx.px_lo) / len(bars)
    width = slot * 0.72
    for i, bar in enumerate(bars):
        cx = sx(i + 0.5)
        if i % every == every // 2:  # the middle bar of each group: the first label stays clear of the y axis
            out.append(f'<text class="tick" x="{cx:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">{escape(bar.label)}</text>')
        if not _finite(bar.value):
            continue
        top = sy(bar.value)
        height = max(bottom - top, 1.0)
        out.append(
            f'<g class="bar {escape(bar.css)}"><rect x="{cx - width / 2:.1f}" y="{bottom - height:.1f}" '
            f'width="{width:.1f}" height="{height:.1f}"><title>{escape(bar.label)}: {escape(chart.y_fmt(bar.value))}</title></rect>'
        )
        if bar.text and len(bars) <= max_bar_texts:
            out.append(f'<text class="bar-label" x="{cx:.1f}" y="{bottom - height - 4:.1f}" text-anchor="middle">{escape(bar.text)}</text>')
        if _finite(bar.tick):
            ty = sy(bar.tick)
            out.append(f'<line class="bar-tick" x1="{cx - width / 2:.1f}" y1="{ty:.1f}" x2="{cx + width / 2:.1f}" y2="{ty:.1f}"/>')
        out.append("</g>")
    for y, label in chart.hlines:
        py = sy(y)
        out.append(f'<g class="hline"><line x1="{sx.px_lo:.1f}" y1="{py:.1f}" x2="{sx.px_hi:.1f}" y2="{py:.1f}"/>')
        out.append(f'<text class="hline-label" x="{sx.px_hi - 4:.1f}" y="{py - 4:.1f}" text-anchor="end">{escape(label)}</text></g>')
    out.append(f'<text class="axis-title" x="{(sx.px_lo + sx.px_hi) / 2:.1f}" y="{bottom + 32:.1f}" text-anchor="middle">{escape(chart.x_label)}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class RoutePoint:
    """A labelled place on the route (start, finish, a finding)."""

    lat: float
    lon: float
    label: str
    css: str


def route_chart(
    chart_id: str,
    title: str,
    desc: str,
    lat: Sequence[MaybeNumber],
    lon: Sequence[MaybeNumber],
    points: Sequence[RoutePoint] = (),
) -> str:
    """The GPS trace as a line, north up, equal scale on both axes (equirectangular).

    Returns "" when there are fewer than two positions.
    """
    pairs = [(float(a), float(o)) for a, o in zip(lat, lon) if _finite(a) and _finite(o)]
    if len(pairs) < 2:
        return ""
    lat0 = sum(a for a, _ in pairs) / len(pairs)
    kx = math.cos(math.radians(lat0))  # a degree of longitude is shorter away from the equator

    def east_north(a: float, o: float) -> tuple[float, float]:
        return o * kx * METERS_PER_DEG_LAT, a * METERS_PER_DEG_LAT

    xy = [east_north(a, o) for a, o in pairs]
    x_lo, x_hi = min(x for x, _ in xy), max(x for x, _ in xy)
    y_lo, y_hi = min(y for _, y in xy), max(y for _, y in xy)
    span = max(x_hi - x_lo, y_hi - y_lo, 1.0)
    scale = (ROUTE_SIZE - 2 * ROUTE_PAD) / span
    off_x = (ROUTE_SIZE - (x_hi - x_lo) * scale) / 2
    off_y = (ROUTE_SIZE - (y_hi - y_lo) * scale) / 2

    def project(a: float, o: float) -> tuple[float, float]:
        x, y = east_north(a, o)
        return off_x + (x - x_lo) * scale, ROUTE_SIZE - (off_y + (y - y_lo) * scale)

    out = _open_svg(chart_id, title, desc, ROUTE_SIZE, ROUTE_SIZE, "route")
    out.append(f'<rect class="route-bg" x="0" y="0" width="{ROUTE_SIZE:.0f}" height="{ROUTE_SIZE:.0f}"/>')
    # the lat/lon lists keep their None gaps so a GPS dropout is not bridged by a straight line
    projected = [project(float(a), float(o)) if _finite(a) and _finite(o) else (None, None) for a, o in zip(lat, lon)]
    identity = Scale(0, 1, 0, 1)
    d = path_d([p[0] for p in projected], [p[1] for p in projected], identity, identity)
    out.append(f'<path class="series route-line" d="{d}"/>')
    clusters: list[tuple[float, float, list[str]]] = []  # nearby points share one label
    for pt in points:
        px, py = project(pt.lat, pt.lon)
        out.append(f'<circle class="route-point {escape(pt.css)}" cx="{px:.1f}" cy="{py:.1f}" r="4.5"/>')
        near = next((c for c in clusters if math.hypot(c[0] - px, c[1] - py) < ROUTE_LABEL_MERGE), None)
        if near:
            near[2].append(pt.label)
        else:
            clusters.append((px, py, [pt.label]))
    for px, py, labels in clusters:
        anchor = "end" if px > ROUTE_SIZE * 0.6 else "start"
        tx = px - 7 if anchor == "end" else px + 7
        out.append(f'<text class="marker-label" x="{tx:.1f}" y="{py + 4:.1f}" text-anchor="{anchor}">{escape(", ".join(labels))}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Span:
    """One row item of a timeline: from x0 to x1 (equal for a single day) with a label."""

    row: str
    x0: float
    x1: float
    label: str
    css: str
    glyph: str = ""  # a visible text mark (e.g. a level icon) so colour is never the only cue


def timeline_chart(chart: Chart, spans: Sequence[Span], x_range: tuple[float, float]) -> str:
    """Rows of flags over time (one row per kind of flag). Returns "" when there are none."""
    if not spans:
        return ""
    rows = list(dict.fromkeys(s.row for s in spans))
    row_h = 26.0
    height = MARGIN_T + row_h * len(rows) + MARGIN_B
    lo, hi = x_range if x_range[1] > x_range[0] else (x_range[0] - 1, x_range[0] + 1)
    sx = Scale(lo, hi, MARGIN_L + 60, CHART_W - MARGIN_R)
    out = _open_svg(chart.chart_id, chart.title, chart.desc, CHART_W, height, "timeline")
    bottom = height - MARGIN_B
    out.append('<g class="axes" aria-hidden="true">')
    for x in nice_ticks(lo, hi):
        px = sx(x)
        out.append(f'<line class="grid" x1="{px:.1f}" y1="{MARGIN_T:.1f}" x2="{px:.1f}" y2="{bottom:.1f}"/>')
        out.append(f'<text class="tick" x="{px:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">{escape(chart.x_fmt(x))}</text>')
    out.append(f'<line class="axis" x1="{sx.px_lo:.1f}" y1="{bottom:.1f}" x2="{sx.px_hi:.1f}" y2="{bottom:.1f}"/>')
    out.append(f'<text class="axis-title" x="{(sx.px_lo + sx.px_hi) / 2:.1f}" y="{bottom + 32:.1f}" text-anchor="middle">{escape(chart.x_label)}</text>')
    out.append("</g>")
    for r, row in enumerate(rows):
        cy = MARGIN_T + row_h * (r + 0.5)
        out.append(f'<text class="row-label" x="{MARGIN_L + 54:.1f}" y="{cy + 4:.1f}" text-anchor="end">{escape(row)}</text>')
    for s in spans:
        cy = MARGIN_T + row_h * (rows.index(s.row) + 0.5)
        x0, x1 = sx(s.x0), sx(max(s.x1, s.x0))
        out.append(f'<g class="span {escape(s.css)}">')
        if x1 - x0 >= 2:
            out.append(f'<rect x="{x0:.1f}" y="{cy - 6:.1f}" width="{x1 - x0:.1f}" height="12" rx="3">')
        else:
            out.append(f'<circle cx="{x0:.1f}" cy="{cy:.1f}" r="6">')
        out.append(f"<title>{escape(s.label)}</title>{'</rect>' if x1 - x0 >= 2 else '</circle>'}")
        if s.glyph:
            out.append(f'<text class="span-glyph" x="{x0:.1f}" y="{cy - 9:.1f}" text-anchor="middle">{escape(s.glyph)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
