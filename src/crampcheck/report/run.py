"""The post-run report (``crampcheck analyze``) as a Doc, from the ``crampcheck.run/1`` dict.

Order follows a coach's note: when and what, the verdict, the findings (most important
first), what could not be judged, then the pacing detail and the fluid plan.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from crampcheck.report.cramps import run_cramp_items
from crampcheck.report.doc import Doc, Heading, Items, Para, Table, plain, render_markdown, render_text
from crampcheck.units import (
    format_distance,
    format_duration,
    format_pace,
    format_temperature,
    format_volume,
    span_name,
    temperature_in,
    temperature_unit,
    unit_length_m,
)

SUBSCORE_LABELS = {"overload": "overload", "electrolyte": "electrolyte/heat"}
SHAPE_LABELS = {
    "steady": "steady run", "progression": "progression run", "fade": "run that faded", "intervals": "interval session",
    "fartlek": "fartlek", "run_walk": "run-walk", "race": "race", "hilly": "hilly run", "trail_walk_run": "trail walk-run",
    "treadmill": "treadmill run", "short_jog": "short jog",
}


def _when(run: dict[str, Any]) -> str:
    local = run.get("start_time_local")
    if local:
        dt = datetime.fromisoformat(local)
        offset = dt.strftime("%z")
        offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "local"
        source = run.get("local_time_source") or "local"
        return f"{dt:%a %d %b %Y, %H:%M} local time ({offset}, {source})"
    utc = run.get("start_time_utc")
    if utc:
        dt = datetime.fromisoformat(utc.replace("Z", "+00:00"))
        return f"{dt:%a %d %b %Y, %H:%M} UTC (local time unknown)"
    return "date unknown"


def _pct_faster(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    pct = (ratio - 1.0) * 100.0
    if abs(pct) < 0.05:
        return "at the same pace"
    return f"{abs(pct):.1f} % {'faster' if pct >= 0 else 'slower'}"


def _summary(run: dict[str, Any], units: str) -> list[str]:
    s = run["summary"]
    sport = run.get("sport") or "unknown"
    if run.get("sub_sport") and run["sub_sport"] not in ("generic", sport):
        sport = f"{sport} ({run['sub_sport']})"
    source = run.get("sport_source")
    if source and source != "file":  # the file did not name it: say how it was found
        sport = f"{sport} (sport from {source.replace(' (', ': ').rstrip(')')})"
    lines = [_when(run), " · ".join(x for x in (sport, run.get("device"), run.get("name")) if x)]
    if run.get("shape"):
        lines.append(f"Session: {SHAPE_LABELS.get(run['shape']['kind'], run['shape']['kind'])} ({run['shape']['evidence']})")
    lines.append(
        f"{format_distance(s['distance_m'], units)} in {format_duration(s['moving_time_s'])} moving, {format_duration(s['elapsed_time_s'])} elapsed"
        f" · average {format_pace(s['avg_speed_m_s'], units)}"
    )
    t = s.get("temperature_c")
    if t:
        lo, hi = temperature_in(t["min"], units), temperature_in(t["max"], units)
        lines.append(
            f"Temperature {format_temperature(t['mean'], units)} mean, range {lo:.0f}–{hi:.0f} {temperature_unit(units)}"
            f" · source: {t['source']}"
        )
    elif s.get("air") is None:  # the air line below tells the one reading the file has
        lines.append("Temperature: not recorded")
    if (air := s.get("air")) is not None:
        lines.append(_air_line(air, units))
    hr = s.get("heart_rate_bpm")
    lines.append(f"Heart rate {hr['mean']:.0f} bpm mean, {hr['max']:.0f} max" if hr else "Heart rate: not recorded")
    return lines


WRIST_AIR_LABEL = "Air, as the watch read it"
WRIST_NOTE = " (a wrist sensor: it reads above the air)"


def _air_line(air: dict[str, Any], units: str) -> str:
    """The air the heat was judged from: temperature, humidity, dew point, heat index, source."""
    wrist = air.get("kind") == "watch"  # a wrist reading is what the watch read, not the air
    parts = [f"{WRIST_AIR_LABEL + ':' if wrist else 'Air'} {format_temperature(air['temperature_c'], units)}"]
    if air.get("humidity_pct") is not None:
        parts.append(f"humidity {air['humidity_pct']:.0f} %")
    if air.get("dew_point_c") is not None:
        parts.append(f"dew point {format_temperature(air['dew_point_c'], units)}")
    if air.get("heat_index_c") is not None:
        parts.append(f"{air.get('index') or 'heat index'} {format_temperature(air['heat_index_c'], units)}")
    return ", ".join(parts) + f" · source: {air['source']}" + (WRIST_NOTE if wrist else "")


def _verdict(run: dict[str, Any]) -> list[str]:
    sc = run["scores"]
    line = (
        f"Cramp risk factors: {sc['overall'].upper()} overall"
        f" (overload {sc['overload'].upper()}, electrolyte/heat {sc['electrolyte'].upper()})"
    )
    lines = [line]
    reasons = [r for r in sc.get("reasons", {}).get("overall", []) if r != "no factor flagged"]
    if reasons:
        lines.append(f"Set by: {'; '.join(reasons)}")
    if run.get("past_cramps_reason"):
        lines.append(f"Past cramps: yes, from your cramp log ({run['past_cramps_reason']}).")
    return lines + ["Levels describe how many known risk factors showed up, not a chance of cramping."]


def _findings(findings: list[dict[str, Any]]) -> Items:
    items = []
    for f in findings:
        head = f"{f['level'].upper()}  {f['id'].replace('_', ' ')}: {f['why']}"
        rest = [f"evidence: {f['evidence']} · sub-score: {SUBSCORE_LABELS.get(f['subscore'], f['subscore'])}"]
        if f.get("raised_by"):
            rest.append(f"raised: {f['raised_by']}")
        rest.append(f"→ {f['advice']}")
        items.append([head, *rest])
    return Items(items)


def _pacing(run: dict[str, Any], units: str) -> list[str]:
    lines = []
    h = run["halves"]
    if h["first_speed_m_s"] and h["second_speed_m_s"]:
        change = (h["first_speed_m_s"] / h["second_speed_m_s"] - 1.0) * 100.0
        trend = "even halves" if abs(change) < 0.05 else f"second half {abs(change):.1f} % {'slower' if change > 0 else 'faster'}"
        lines.append(
            f"Halves of the whole run, on the clock: first {format_pace(h['first_speed_m_s'], units)}, "
            f"second {format_pace(h['second_speed_m_s'], units)}"
            f" ({trend})"
        )
    fl = run.get("first_vs_last")
    if fl:
        u = span_name(unit_length_m(fl["unit"]), units)  # 1 km whatever the units, named in them ("0.62 mi")
        lines.append(
            f"First vs last {u}: {format_pace(fl['first_speed_m_s'], units)} vs {format_pace(fl['last_speed_m_s'], units)}"
            f" (first {_pct_faster(fl['ratio'])})"
        )
        if fl.get("gap_ratio") is not None:
            lines.append(
                f"Grade-adjusted: {format_pace(fl['first_gap_speed_m_s'], units)} vs"
                f" {format_pace(fl['last_gap_speed_m_s'], units)} (first {_pct_faster(fl['gap_ratio'])})"
            )
        if fl.get("core_ratio") is not None:
            ratio = fl["core_gap_ratio"] if fl.get("core_gap_ratio") is not None else fl["core_ratio"]
            adj = ", grade-adjusted" if fl.get("core_gap_ratio") is not None else ""
            lines.append(
                f"Without the warm-up/cool-down jogs{adj}: first {u} {_pct_faster(ratio)} than the last"
            )
    for name in ("warmup", "cooldown"):
        seg = run.get(name)
        if seg:
            label = "Warm-up jog" if name == "warmup" else "Cool-down jog"
            lines.append(
                f"{label}: {format_duration(seg['end_s'] - seg['start_s'])} at {format_pace(seg['speed_m_s'], units)}"
                f" ({format_distance(seg['end_m'] - seg['start_m'], units)})"
            )
    return lines


def _splits(run: dict[str, Any], units: str) -> Table:
    rows = []
    for sp in run["splits"]:
        rows.append(
            [
                f"{sp['index']}{'*' if sp.get('partial') else ''}",
                format_distance(sp["distance_m"], units),
                format_duration(sp["time_s"]),
                format_pace(sp["speed_m_s"], units),
                format_pace(sp["gap_speed_m_s"], units) if sp.get("gap_speed_m_s") else "–",
                f"{sp['heart_rate_bpm']:.0f}" if sp.get("heart_rate_bpm") is not None else "–",
                f"{temperature_in(sp['temperature_c'], units):.1f}" if sp.get("temperature_c") is not None else "–",
            ]
        )
    return Table([units, "distance", "time", "pace", "grade-adj.", "HR bpm", f"temp {temperature_unit(units)}"], rows, "rrrrrrr")


def _data_checks(run: dict[str, Any]) -> Items:
    """One item per data warning: what is wrong, where, and what was done (text from the file escaped)."""
    items = []
    for w in run["data_warnings"]:
        where = f" (at {format_duration(w['at_s'])})" if w.get("at_s") is not None else ""
        items.append([plain(f"{w['id'].replace('_', ' ')}{where}: {w['why']}")])
    return Items(items)


def build_run_doc(run: dict[str, Any]) -> Doc:
    """The run report as a Doc (rendered as text or Markdown)."""
    units = run.get("units") or "mi"
    doc = Doc(f"crampcheck · {PurePath(run['file']).name}")
    doc.add(Para(_summary(run, units)))
    if run.get("sport") not in ("running", None):
        doc.add(Para([f"Note: this is a {run['sport']} activity; the risk thresholds are made for running."]))
    if run.get("data_warnings"):
        doc.add(Heading("Data checks (faulty data is left out, not judged)")).add(_data_checks(run))
    doc.add(Heading("Verdict")).add(Para(_verdict(run)))
    cramps = run_cramp_items(run, units)
    if cramps:
        doc.add(Heading("Your cramp in this run (what came before it)")).add(Items(cramps))
    leveled = [f for f in run["findings"] if f["level"] != "low"]
    noted = [f for f in run["findings"] if f["level"] == "low"]
    if leveled:
        doc.add(Heading("What this run shows (most important first)")).add(_findings(leveled))
    else:
        doc.add(Para(["No cramp risk factor reached a moderate level in this run."]))
    if noted:
        doc.add(Heading("Also noted (low: these set no level)")).add(_findings(noted))
    if run["not_judged"]:
        doc.add(Heading("Not judged")).add(Items([[f"{n['id'].replace('_', ' ')}: {n['reason']}"] for n in run["not_judged"]]))
    pacing = _pacing(run, units)
    if pacing:
        doc.add(Heading("Pacing")).add(Para(pacing))
    if run["splits"]:
        doc.add(Heading(f"Splits per {units} (moving time; * = partial)")).add(_splits(run, units))
    plan = run.get("fluid_plan")
    if plan:
        doc.add(Heading("Fluid plan for a run like this"))
        doc.add(Items([[f"Before: {x}"] for x in plan["before"]] + [[f"During: {x}"] for x in plan["during"]] + [[f"After: {x}"] for x in plan["after"]]))
        if plan.get("sweat_rate_l_h"):
            doc.add(Para([f"Your sweat rate in this run: {format_volume(plan['sweat_rate_l_h'], units)} per hour"]))
    if run.get("notes"):
        doc.add(Heading("Notes about the file")).add(Items([[n] for n in run["notes"]]))
    return doc


def render_run_text(run: dict[str, Any], color: bool = False) -> str:
    return render_text(build_run_doc(run), color=color)


def render_run_markdown(run: dict[str, Any]) -> str:
    return render_markdown(build_run_doc(run))
