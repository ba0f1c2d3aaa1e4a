"""A training history (and its races) as a self-contained HTML page with inline SVG charts.

Rendered from the ``crampcheck.history/1`` dict (and ``crampcheck.races/1`` when given), so the
page carries exactly the findings of the JSON. The only script is a few lines that sort the
runs table; without it the page still reads in full.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from crampcheck.levels import RANK, worst
from crampcheck.report import svg
from crampcheck.report.cramps import pattern_html
from crampcheck.report.cramps import where as where_cramp
from crampcheck.report.html_base import (
    SORT_JS,
    esc,
    figure,
    level_badge,
    level_class,
    level_glyph,
    num,
    page,
    table,
    tiles,
)
from crampcheck.units import format_distance, format_duration, format_pace, format_temperature, unit_length_m

DAYS_PER_WEEK = 7
M_PER_KM = 1000.0
RACE_VERDICT_ID = "fast_start"
VOLUME_LABELS_MAX = 5  # "2024-W05" labels under the weekly bars: at most this many, so that they never touch


def _day(value: Any) -> date | None:
    """An ISO date or datetime text as a calendar day (None when absent or unreadable)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _activity_day(a: dict[str, Any]) -> date | None:
    return _day(a.get("start_time_local")) or _day(a.get("start_time_utc"))


def _fmt_day(x: float) -> str:
    return date.fromordinal(int(round(x))).isoformat()


def _km_as_m(value: Any) -> float | None:
    km = num(value)
    return None if km is None else km * M_PER_KM


def _week_volume_m(week: dict[str, Any]) -> float | None:
    return _km_as_m(week.get("volume_km"))


def _week_long_m(week: dict[str, Any]) -> float | None:
    return _km_as_m(week.get("long_run_km"))


def _week_start(week: dict[str, Any]) -> date | None:
    return _day(week.get("start_date"))


def _threshold(history: dict[str, Any], name: str) -> float | None:
    """A history threshold in force (the dict's ``thresholds``), None when the dict has none."""
    return num((history.get("thresholds") or {}).get(name))


def _worst_level(findings: Sequence[dict[str, Any]], ids: Sequence[str], first: date, last: date) -> str | None:
    """The worst level among history findings with one of ``ids`` touching days first..last."""
    levels = [
        str(f.get("level"))
        for f in findings
        if f.get("id") in ids
        and (_day(f.get("start_date")) or first) <= last
        and (_day(f.get("end_date")) or _day(f.get("start_date")) or last) >= first
    ]
    return worst(levels)


# ---------------------------------------------------------------- charts


def _volume_chart(history: dict[str, Any], unit: str) -> str:
    unit_m = unit_length_m(unit)
    findings = history.get("history_findings") or []
    bars = []
    for w in history.get("weeks") or []:
        start = _week_start(w)
        volume = _week_volume_m(w)
        ratio = num(w.get("ramp_ratio"))
        flags = [str(x) for x in w.get("flags") or []]
        level = _worst_level(findings, flags, start, start + timedelta(days=DAYS_PER_WEEK - 1)) if start and flags else None
        label = str(w.get("week") or (start.isoformat() if start else "?"))  # "2024-W05": the year on the axis
        text = (f"×{ratio:.2f}" if ratio is not None else "") + (f" {level_glyph(level)}" if level else "")
        bars.append(svg.Bar(label, None if volume is None else volume / unit_m, text.strip(),
                            f"flag-{level_class(level)[6:]}" if level else ""))
    if not any(b.value is not None for b in bars):
        return ""
    biggest = max((b for b in bars if b.value is not None), key=lambda b: b.value)
    flagged = [b.label for b in bars if b.css]
    desc = (
        f"Weekly running volume over {len(bars)} weeks; the biggest week is {biggest.label} with "
        f"{biggest.value:.1f} {unit}. Above each bar: the ramp ratio (the week's volume over the mean of the "
        f"previous weeks). Flagged weeks: {', '.join(flagged) if flagged else 'none'}."
    )
    chart = svg.Chart("chart-volume", "Weekly volume", desc, "week (ISO)", f"volume ({unit})")
    return svg.bar_chart(chart, bars, max_x_labels=VOLUME_LABELS_MAX)


def _ramp_chart(history: dict[str, Any]) -> str:
    """The ramp ratio per week, with the moderate and high lines of the thresholds in force."""
    moderate = _threshold(history, "weekly_ramp_moderate_ratio")
    high = _threshold(history, "weekly_ramp_high_ratio")
    xs, ys = [], []
    for w in history.get("weeks") or []:
        start = _week_start(w)
        if start:
            xs.append(float(start.toordinal()))
            ys.append(num(w.get("ramp_ratio")))
    known = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if not known:
        return ""
    top = max(known, key=lambda p: p[1])
    said, hlines = [], []
    if moderate is not None:
        above = sum(1 for _, y in known if y > moderate)
        said.append(f"{above} of {len(known)} weeks above {moderate:g} (moderate)")
        hlines.append((moderate, f"◆ moderate {moderate:g}"))
    if high is not None:
        said.append(f"{high:g} is high")
        hlines.append((high, f"▲ high {high:g}"))
    desc = (
        f"Ramp ratio per week (volume over the mean of the previous weeks): highest {top[1]:.2f} in the week of "
        f"{_fmt_day(top[0])}" + "".join(f"; {x}" for x in said) + ". "
        "The acute:chronic ratio is a disputed injury marker: read it as a hint."
    )
    chart = svg.Chart("chart-ramp", "Ramp ratio", desc, "week starting", "ratio", x_fmt=_fmt_day, hlines=tuple(hlines))
    return svg.line_chart(chart, [svg.Line(xs, ys, "ramp ratio", "ramp")])


def _long_run_points(history: dict[str, Any], window_days: int) -> tuple[list[float], list[float | None], list[float | None]]:
    """Per week: the day of its longest run, that run's distance and the longest run of the
    ``window_days`` before that day (m). From the activities; the weeks' long_run_km otherwise."""
    runs = sorted((d.toordinal(), m) for a in history.get("activities") or [] if (d := _activity_day(a)) and (m := num(a.get("distance_m"))) is not None)
    days = [d for d, _ in runs]  # sorted: each window is a slice found by bisection
    xs: list[float] = []
    long_m: list[float | None] = []
    window_m: list[float | None] = []
    for w in history.get("weeks") or []:
        start = _week_start(w)
        if not start:
            continue
        first = start.toordinal()
        in_week = runs[bisect_left(days, first):bisect_left(days, first + DAYS_PER_WEEK)]
        day, dist = max(in_week, key=lambda r: r[1]) if in_week else (first, _week_long_m(w))
        before = runs[bisect_left(days, day - window_days):bisect_left(days, day)]
        xs.append(float(day))
        long_m.append(dist)
        window_m.append(max(m for _, m in before) if before else None)
    return xs, long_m, window_m


def _long_run_chart(history: dict[str, Any], unit: str) -> str:
    """Each week's longest run against the longest run of the distance-spike window before it
    (none without the thresholds in force)."""
    unit_m = unit_length_m(unit)
    window = _threshold(history, "distance_spike_window_days")
    if window is None:
        return ""
    window_days = int(window)
    xs, long_m, window_m = _long_run_points(history, window_days)
    long_runs = [None if v is None else v / unit_m for v in long_m]
    window_max = [None if v is None else v / unit_m for v in window_m]
    if not any(v is not None for v in long_runs):
        return ""
    markers = []
    for f in history.get("history_findings") or []:
        if f.get("id") == "distance_spike" and (day := _day(f.get("start_date"))):
            markers.append(svg.Marker(float(day.toordinal()), f"{level_glyph(f.get('level'))} spike", f"finding {level_class(f.get('level'))}"))
    longest = max(v for v in long_runs if v is not None)
    desc = (
        f"Longest run of each week (solid) against the longest run of the {window_days} days before it "
        f"(dashed); the longest is {longest:.1f} {unit}. {len(markers)} distance spikes marked."
    )
    chart = svg.Chart("chart-long", f"Long run vs {window_days}-day max", desc, "date", f"distance ({unit})", x_fmt=_fmt_day)
    lines = [svg.Line(xs, long_runs, "week's long run", "pace"), svg.Line(xs, window_max, f"{window_days}-day max before", "max30", step=True, dashed=True)]
    return svg.line_chart(chart, lines, markers=markers)


def _timeline_chart(history: dict[str, Any]) -> str:
    findings = history.get("history_findings") or []
    days = [d for a in history.get("activities") or [] if (d := _activity_day(a))]
    spans = []
    for f in findings:
        start = _day(f.get("start_date"))
        if not start:
            continue
        end = _day(f.get("end_date")) or start
        days += [start, end]
        label = f"{f.get('id')} {str(f.get('level')).upper()} {start.isoformat()}–{end.isoformat()}"
        spans.append(svg.Span(str(f.get("id")), float(start.toordinal()), float(end.toordinal()) + 1, label,
                              level_class(f.get("level")), level_glyph(f.get("level"))))
    if not spans:
        return ""
    counts = {}
    for s in spans:
        counts[s.row] = counts.get(s.row, 0) + 1
    desc = (
        f"History flags over time, one row per kind: {', '.join(f'{k} ({v})' for k, v in counts.items())}, "
        f"from {min(days).isoformat()} to {max(days).isoformat()}. The findings list below says each one in words."
    )
    chart = svg.Chart("chart-flags", "Flags on a timeline", desc, "date", "", x_fmt=_fmt_day)
    return svg.timeline_chart(chart, spans, (float(min(days).toordinal()), float(max(days).toordinal()) + 1))


# ---------------------------------------------------------------- tables and sections


def _run_findings(a: dict[str, Any]) -> list[str]:
    items = a.get("findings") or []
    if isinstance(items, dict):
        return [str(k) for k in items]
    return [str(x.get("id")) if isinstance(x, dict) else str(x) for x in items]


def _runs_table(history: dict[str, Any], unit: str) -> str:
    rows, keys = [], []
    cramped = {c.get("file") for c in history.get("cramps") or []}
    for a in history.get("activities") or []:
        start = a.get("start_time_local") or a.get("start_time_utc")
        day = _activity_day(a)
        distance, moving = num(a.get("distance_m")), num(a.get("moving_time_s"))
        speed = distance / moving if distance and moving else None
        pace_s = unit_length_m(unit) / speed if speed else None
        temp = num(a.get("temperature_c_mean"))
        overall = a.get("overall")
        ids = _run_findings(a)
        name = a.get("name") or PurePath(str(a.get("file") or "")).name
        rows.append([
            f'<time datetime="{esc(start)}">{esc(day.isoformat() if day else "–")}</time>',
            f'<span title="{esc(a.get("file"))}">{esc(name)}</span>'
            + (' <span class="cramp" data-cramp="1">✱ cramp</span>' if a.get("file") in cramped else ""),
            esc(a.get("sport")),
            esc(format_distance(distance, unit)),
            esc(format_duration(moving)),
            esc(format_pace(speed, unit)),
            esc(format_temperature(temp, unit)),
            level_badge(overall) if overall else "–",
            " ".join(f"<code>{esc(i)}</code>" for i in ids) or "–",
        ])
        keys.append([
            str(start or ""), str(name or "").lower(), a.get("sport"), distance, moving,
            None if pace_s is None else round(pace_s, 1), temp, RANK.get(str(overall)), len(ids),
        ])
    if not rows:
        return "<p>No runs in this history.</p>"
    headers = ["Date", "Name", "Sport", "Distance", "Moving time", "Pace", "Temperature", "Overall", "Findings"]
    numeric = [False, False, False, True, True, True, True, False, False]
    html = table("Runs (press a column header to sort; a run's file is in its name's tooltip)", headers, rows, numeric,
                 keys, table_id="runs")
    # each row an anchor the findings link to (table() writes plain <tr>: number them in order)
    parts = html.split("<tr><td")
    return parts[0] + "".join(f'<tr id="{run_anchor(i)}"><td{part}' for i, part in enumerate(parts[1:]))


def run_anchor(index: int) -> str:
    return f"run-{index + 1}"


def _anchors(history: dict[str, Any]) -> dict[str, str]:
    """file -> the id of its row in the runs table."""
    return {str(a.get("file")): run_anchor(i) for i, a in enumerate(history.get("activities") or [])}


def _weeks_table(history: dict[str, Any], unit: str) -> str:
    rows = []
    for w in history.get("weeks") or []:
        ratio = num(w.get("ramp_ratio"))
        rows.append([
            esc(w.get("week") or w.get("start_date")),
            esc(format_distance(_week_volume_m(w), unit, 1)),
            esc(w.get("runs") if w.get("runs") is not None else "–"),
            esc(format_distance(_week_long_m(w), unit, 1)),
            esc("–" if ratio is None else f"{ratio:.2f}"),
            " ".join(f"<code>{esc(x)}</code>" for x in w.get("flags") or []) or "–",
        ])
    if not rows:
        return ""
    return (
        "<details><summary>Weekly numbers as a table</summary>"
        + table("Weeks", ["Week", "Volume", "Runs", "Long run", "Ramp ratio", "Flags"], rows,
                [False, True, True, True, True, False])
        + "</details>"
    )


def _race_findings(race: dict[str, Any]) -> list[dict[str, Any]]:
    """A race's findings as dicts with at least id and level (list of dicts, or id -> details)."""
    items = race.get("findings") or []
    if isinstance(items, dict):
        return [{"id": k, **(v if isinstance(v, dict) else {"level": v})} for k, v in items.items()]
    return [x if isinstance(x, dict) else {"id": x, "level": None} for x in items]


def _races(races: dict[str, Any] | None, unit: str) -> str:
    if races is None:
        return ""
    rows = []
    for race in races.get("races") or []:
        found = _race_findings(race)
        fast = next((f for f in found if f.get("id") == RACE_VERDICT_ID), None)
        verdict = (
            f"{level_badge(fast.get('level'))} {esc(fast.get('why') or 'fast start')}"
            if fast else '<span class="level level-low"><span aria-hidden="true">✓</span> NO FAST START</span>'
        )
        others = " ".join(
            f'<span data-race-finding-id="{esc(f.get("id"))}" data-level="{esc(f.get("level"))}">'
            f'{level_badge(f.get("level"))} <code>{esc(f.get("id"))}</code></span>'
            for f in found
        ) or "–"
        day = _day(race.get("start_time_local")) or _day(race.get("start_time_utc"))
        name = race.get("name") or PurePath(str(race.get("file") or "")).name
        pred = race.get("prediction") or {}
        first = pred.get("first_half_vs_predicted_pct")
        rows.append([
            esc(day.isoformat() if day else "–"),
            f'<span title="{esc(race.get("file"))}">{esc(name)}</span>'
            + (f' <span class="cramp" data-cramp="1">✱ cramped {esc(where_cramp(race["cramp"], unit))}</span>' if race.get("cramp") else ""),
            esc(format_distance(num(race.get("distance_m")), unit)),
            esc(format_duration(num(race.get("finish_time_s")))),
            esc(format_pace(num(race.get("avg_speed_m_s")), unit)),
            verdict,
            esc(format_duration(num(pred.get("predicted_time_s"))))
            + (f'<br><span class="muted">1st half {esc(f"{first:+.1f}")} % vs predicted pace</span>' if first is not None else ""),
            others,
            esc(race.get("detected_by") or "–"),
        ])
    body = (
        table("Races, worst start first: finish time on the clock; predicted time from your best recent effort (Riegel)",
              ["Date", "Race", "Distance", "Finish", "Pace", "Fast start?", "Predicted", "Findings", "Found by"], rows,
              [False, False, True, True, True, False, True, False, False])
        if rows else "<p>No races found.</p>"
    )
    return f'<section aria-labelledby="h-races"><h2 id="h-races">Races</h2>{body}</section>'


def _round_value(value: float | None) -> str:
    """A finding's value as a runner reads it (one decimal at most)."""
    return "" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def _factor_groups(history: dict[str, Any]) -> list[dict[str, Any]]:
    """``factors`` of the dict; from ``history_findings`` (grouped in order) when a dict has none."""
    if history.get("factors"):
        return history["factors"]
    groups: dict[str, dict[str, Any]] = {}
    for f in history.get("history_findings") or []:
        g = groups.setdefault(str(f.get("id")), {"id": f.get("id"), "title": str(f.get("id")).replace("_", " "),
                                                   "level": f.get("level"), "evidence": f.get("evidence"),
                                                   "why": f.get("why"), "advice": f.get("advice"), "occurrences": []})
        g["level"] = worst([g["level"], f.get("level")])
        g["occurrences"].append(f)
    return list(groups.values())


def _occurrence_li(o: dict[str, Any], anchors: dict[str, str]) -> str:
    dates = str(o.get("start_date")) + ("" if o.get("end_date") in (None, o.get("start_date")) else f" → {o.get('end_date')}")
    value = _round_value(num(o.get("value")))
    unit = {"ratio": "×"}.get(str(o.get("unit")), str(o.get("unit") or ""))
    link = anchors.get(str(o.get("file")))
    what = esc(dates) + (f" · {esc(value)} {esc(unit)}" if value else "")
    run = f' · <a href="#{link}">the run</a>' if link else ""
    return (f'<li data-finding-id="{esc(o.get("id"))}" data-level="{esc(o.get("level"))}" title="{esc(o.get("why"))}">'
            f'{level_badge(o.get("level"))} {what}{run}</li>')


def _factors_section(history: dict[str, Any]) -> str:
    """One card per factor (most important first): the worst occurrence's why, the advice once,
    every occurrence in a fold, each linked to its run."""
    groups = _factor_groups(history)
    if not groups:
        return '<section aria-labelledby="h-findings"><h2 id="h-findings">History findings by factor</h2><p>No history risk factor found.</p></section>'
    anchors = _anchors(history)
    cards = []
    for g in groups:
        occ = g.get("occurrences") or []
        items = "".join(_occurrence_li({"id": g.get("id"), **o}, anchors) for o in occ)
        n = len(occ)
        cards.append(
            f'<li class="finding {level_class(g.get("level"))}"><h3>{level_badge(g.get("level"))} {esc(g.get("title") or g.get("id"))} '
            f'<span class="muted">{n} time{"s" if n != 1 else ""} · evidence: {esc(g.get("evidence"))}</span></h3>'
            + f'<details><summary>Why, what to do, and when ({n})</summary><p>{esc(g.get("why"))}</p>'
            + (f'<p><strong>Advice:</strong> {esc(g.get("advice"))}</p>' if g.get("advice") else "")
            + f'<ul class="occurrences">{items}</ul></details></li>'
        )
    return ('<section aria-labelledby="h-findings"><h2 id="h-findings">History findings by factor (most important first)</h2>'
            f'<ol class="findings">{"".join(cards)}</ol></section>')


def _digest_section(history: dict[str, Any]) -> str:
    """The digest: what to change first, how often per month, the notes behind the ranking."""
    digest = history.get("digest") or {}
    if not digest:
        return ""
    anchors = _anchors(history)
    cards = []
    for item in digest.get("top") or []:
        counts = item.get("counts") or {}
        n, of = counts.get("occurrences"), counts.get("of")
        often = f"{n} of {of} {counts.get('unit') or ''}" if of else (f"{n} time{'s' if n != 1 else ''}" if n else "")
        files = [anchors[f] for f in item.get("files") or [] if f in anchors]
        link = f' · <a href="#{files[-1]}">latest run</a>' if files else ""
        cards.append(
            f'<li class="finding {level_class(item.get("level"))}"><h3>{level_badge(item.get("level"))} {esc(item.get("title"))} '
            f'<span class="muted">{esc(often)} · last {esc(item.get("last_date"))} · evidence: {esc(item.get("evidence"))}</span></h3>'
            f'<p>{esc(item.get("why"))}</p><p><strong>Change:</strong> {esc(item.get("advice"))}{link}</p></li>'
        )
    top = f'<ol class="findings digest">{"".join(cards)}</ol>' if cards else "<p>Nothing stands out in these weeks.</p>"
    months = digest.get("monthly") or []
    ids = sorted({fid for m in months for fid in m.get("counts", {})})
    monthly = ""
    if months:
        rows = [[esc(m.get("month")), *(esc(m["counts"].get(i, 0) or "–") for i in ids)] for m in months]
        monthly = table("How often each factor showed, per month", ["Month", *(i.replace("_", " ") for i in ids)], rows,
                        [False, *([True] * len(ids))])
    notes = "".join(f'<p class="muted">{esc(n)}</p>' for n in digest.get("notes") or [])
    notes = (f"<details><summary>Per month, how this is ranked, and the gaps in your data</summary>{monthly}{notes}</details>"
             if monthly or notes else "")
    monthly = ""
    span = f"{digest.get('since')} to {digest.get('until')}" if digest.get("since") else ""
    return (f'<section aria-labelledby="h-digest"><h2 id="h-digest">What to change first'
            f'{f" <span class=muted>({esc(span)})</span>" if span else ""}</h2>{top}{monthly}{notes}</section>')


def _count(value: Any) -> int:
    if isinstance(value, (list, tuple, dict)):
        return len(value)
    n = num(value)
    return int(n) if n is not None and not math.isnan(n) else 0


def _skipped_list(history: dict[str, Any]) -> str:
    items = history.get("skipped")
    if not isinstance(items, list) or not items:
        return ""
    lis = "".join(
        f"<li><code>{esc(x.get('file'))}</code>: {esc(x.get('reason'))}</li>" if isinstance(x, dict) else f"<li>{esc(x)}</li>"
        for x in items
    )
    return f"<details><summary>Skipped files ({len(items)})</summary><ul>{lis}</ul></details>"


def render_history_html(history: dict[str, Any], races: dict[str, Any] | None, units: str) -> str:
    """The history page (HTML text) from ``crampcheck.history/1`` and optionally ``crampcheck.races/1``.

    Reads: activities[], history_findings[], weeks[] (start_date, volume_km, long_run_km,
    ramp_ratio, flags), skipped, duplicates, thresholds{} (the ramp lines and the long-run
    window; left out without it). ``units``: "mi" | "km".
    """
    activities = history.get("activities") or []
    days = sorted(d for a in activities if (d := _activity_day(a)))
    total_m = sum(num(a.get("distance_m")) or 0.0 for a in activities)
    items = [
        ("Runs", str(len(activities))),
        ("From", days[0].isoformat() if days else "–"),
        ("To", days[-1].isoformat() if days else "–"),
        ("Total distance", format_distance(total_m, units, 0)),
        ("Skipped files", str(_count(history.get("skipped")))),
        ("Duplicates left out", str(_count(history.get("duplicates")))),
    ]
    charts = "".join(
        c
        for c in (
            figure(_volume_chart(history, units), "Weekly volume; the text above a bar is its ramp ratio, a glyph marks a flagged week."),
            figure(_ramp_chart(history), "Ramp ratio per week with the moderate and high thresholds (dashed)."),
            figure(_long_run_chart(history, units), "Each week's long run against the longest run of the days before it."),
            figure(_timeline_chart(history), "Each history flag where it happened; the glyph gives its level."),
        )
        if c
    )
    subtitle = f"{days[0].isoformat()} to {days[-1].isoformat()} · {len(activities)} runs" if days else "no runs in view"
    body = (
        f'<header><h1>Training history</h1><p class="muted">{esc(subtitle)}</p>{tiles(items)}</header>'
        + _digest_section(history)
        + pattern_html(history, units)
        + ('<section aria-labelledby="h-charts"><h2 id="h-charts">Charts</h2>' + charts + "</section>" if charts else "")
        + _factors_section(history)
        + '<section aria-labelledby="h-runs"><h2 id="h-runs">Runs</h2>' + _runs_table(history, units) + _weeks_table(history, units)
        + _skipped_list(history) + "</section>"
        + _races(races, units)
        + '<footer>Made by crampcheck; this file loads nothing from the network.</footer>'
    )
    return page("crampcheck: training history", body, script=SORT_JS)


def render_races_html(races: dict[str, Any], units: str, title: str = "") -> str:
    """The races page (HTML text) from ``crampcheck.races/1``: the table, splits side by side,
    and per race its prediction, earlier races and reasons."""
    from crampcheck.report.history import race_story, split_table

    stories = []
    for r in races.get("races") or []:
        day = _day(r.get("start_time_local")) or _day(r.get("start_time_utc"))
        lines = race_story(r, units)
        if lines:
            name = r.get("name") or PurePath(str(r.get("file") or "")).name
            stories.append(f"<li><strong>{esc(day.isoformat() if day else '')} {esc(name)}</strong>"
                           f"<ul>{''.join(f'<li>{esc(x)}</li>' for x in lines)}</ul></li>")
    splits = split_table(races.get("races") or [])
    split_html = ""
    if splits is not None:
        split_html = ('<section aria-labelledby="h-splits"><h2 id="h-splits">Splits side by side</h2>'
                      + table("Split times, one column per race (worst start first)", splits.headers,
                              [[esc(c) for c in row] for row in splits.rows], [False, *([True] * (len(splits.headers) - 1))])
                      + "</section>")
    body = (
        f'<header><h1>Races</h1><p class="muted">{esc(title)}</p></header>'
        + _races(races, units)
        + split_html
        + (f'<section aria-labelledby="h-why"><h2 id="h-why">Why</h2><ul>{"".join(stories)}</ul></section>' if stories else "")
        + '<footer>Made by crampcheck; this file loads nothing from the network.</footer>'
    )
    return page("crampcheck: races", body)
