"""History (``crampcheck scan``) and races (``crampcheck races``) reports, from their JSON dicts.

Text and Markdown come from one Doc; CSV is the activity table, one row per run.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from crampcheck.report.doc import Doc, Heading, Items, Para, Table
from crampcheck.safetext import csv_cell
from crampcheck.units import format_distance, format_duration, format_pace

CSV_COLUMNS = (
    "start_time_local", "start_time_utc", "sport", "name", "distance_m", "distance", "moving_time_s",
    "moving_time", "pace", "temperature_c_mean", "overall", "findings", "file",
)


def _local(row: dict[str, Any]) -> str:
    stamp = row.get("start_time_local") or row.get("start_time_utc")
    if not stamp:
        return "date unknown"
    dt = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    suffix = "" if row.get("start_time_local") else " UTC"
    return f"{dt:%Y-%m-%d %H:%M}{suffix}"


def _pace(row: dict[str, Any], units: str) -> str:
    d, t = row.get("distance_m"), row.get("moving_time_s")
    return format_pace(d / t, units) if d and t else "–"


def _temp(row: dict[str, Any]) -> str:
    t = row.get("temperature_c_mean")
    return f"{t:.0f} °C" if t is not None else "–"


def activity_cells(row: dict[str, Any], units: str) -> list[str]:
    return [
        _local(row),
        row.get("sport") or "?",
        (row.get("name") or "")[:40],
        format_distance(row.get("distance_m"), units),
        format_duration(row.get("moving_time_s")),
        _pace(row, units),
        _temp(row),
        (row.get("overall") or "?").upper(),
        ", ".join(row.get("findings", [])[:3]),
    ]


def week_rows(weeks: list[dict[str, Any]], units: str) -> list[list[str]]:
    """One row per week with runs or flags; a stretch of empty weeks is one row that counts them."""
    rows: list[list[str]] = []
    empty: list[str] = []

    def close_gap() -> None:
        if empty:
            span = empty[0] if len(empty) == 1 else f"{empty[0]}…{empty[-1]}"
            rows.append([span, "0", "–", "–", "–", f"({len(empty)} week{'s' if len(empty) > 1 else ''} without a run)"])
            empty.clear()

    for w in weeks:
        if not w["runs"] and not w.get("flags"):
            empty.append(w["week"])
            continue
        close_gap()
        rows.append(
            [
                w["week"], str(w["runs"]), format_distance(w["volume_km"] * 1000, units, 1),
                format_distance(w["long_run_km"] * 1000, units, 1),
                f"{w['ramp_ratio']:.2f}" if w.get("ramp_ratio") is not None else "–",
                ", ".join(w.get("flags", [])),
            ]
        )
    close_gap()
    return rows


def _finding_item(f: dict[str, Any]) -> list[str]:
    dates = f["start_date"] if f["start_date"] == f["end_date"] else f"{f['start_date']} → {f['end_date']}"
    return [f"{f['level'].upper()}  {f['id'].replace('_', ' ')} ({dates}): {f['why']}", f"evidence: {f['evidence']}", f"→ {f['advice']}"]


def build_history_doc(history: dict[str, Any], units: str, title: str) -> Doc:
    acts = history["activities"]
    doc = Doc(f"crampcheck scan · {title}")
    first, last = (_local(acts[0])[:10], _local(acts[-1])[:10]) if acts else ("–", "–")
    total_m = sum(a.get("distance_m") or 0 for a in acts)
    counts = [
        f"{len(acts)} activities from {first} to {last}, {format_distance(total_m, units, 0)} in all",
        f"{len(history['skipped'])} skipped · {len(history['duplicates'])} duplicates counted once"
        f" · {sum(history.get('non_activity', {}).values())} non-activity files passed over",
    ]
    others = history.get("other_sports") or {}
    if others:
        counts.append("left out by the sport filter: " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())))
    doc.add(Para(counts))
    findings = history["history_findings"]
    doc.add(Heading("Training-history findings (most important first)"))
    if findings:
        doc.add(Items([_finding_item(f) for f in findings]))
    else:
        doc.add(Para(["No history factor was flagged."]))
    if history["weeks"]:
        doc.add(Heading("Weeks"))
        doc.add(Table(["week", "runs", "volume", "long run", "ramp", "flags"], week_rows(history["weeks"], units), "lrrrrl"))
    doc.add(Heading("Activities"))
    doc.add(
        Table(
            ["local start", "sport", "name", "distance", "moving", "pace", "temp", "level", "top flags"],
            [activity_cells(a, units) for a in acts],
            "lllrrrrll",
        )
    )
    if history["skipped"]:
        doc.add(Heading("Skipped")).add(Items([[f"{s['file']}: {s['reason']}"] for s in history["skipped"]]))
    if history["duplicates"]:
        doc.add(Heading("Duplicates (counted once)")).add(
            Items([[f"{d['file']} = {d['kept']} ({d['reason']})"] for d in history["duplicates"]])
        )
    if history.get("notes"):
        doc.add(Heading("Notes")).add(Items([[n] for n in history["notes"]]))
    return doc


def build_races_doc(races: dict[str, Any], units: str, title: str) -> Doc:
    doc = Doc(f"crampcheck races · {title}")
    if not races["races"]:
        return doc.add(Para(["No race found (marked in the file or export, named like a race, or a standard distance run among your fastest)."]))
    rows = []
    for r in races["races"]:
        verdicts = {f["id"]: f["level"].upper() for f in r["findings"]}
        ratio = r.get("first_vs_last_ratio")
        rows.append(
            [
                _local(r),
                (r.get("name") or "")[:40],
                format_distance(r.get("distance_m"), units),
                format_duration(r.get("moving_time_s")),
                r["detected_by"],
                f"{(ratio - 1) * 100:+.1f} %" if ratio else "–",
                verdicts.get("fast_start", "–"),
                verdicts.get("positive_split", "–"),
                verdicts.get("race_overreach", "–"),
            ]
        )
    doc.add(Para([f"{len(rows)} race{'s' if len(rows) != 1 else ''}, worst first. 'first vs last': how much faster the first {units} was than the last."]))
    doc.add(
        Table(
            ["local start", "name", "distance", "time", "found by", "first vs last", "fast start", "positive split", "overreach"],
            rows,
            "lllrlrlll",
        )
    )
    details = [
        [f"{_local(r)} {r.get('name') or r['file']}: {f['level'].upper()} {f['id'].replace('_', ' ')}: {f.get('why', '')}"]
        for r in races["races"]
        for f in r["findings"]
        if f["level"] != "low"
    ]
    if details:
        doc.add(Heading("Why")).add(Items(details))
    return doc


def history_csv(history: dict[str, Any], units: str) -> str:
    """The activity table as CSV (SI values plus display columns in the chosen units)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in history["activities"]:
        writer.writerow(map(csv_cell,  # untrusted names and file names: sanitized, formula-guarded
            [
                a.get("start_time_local") or "", a.get("start_time_utc") or "", a.get("sport") or "", a.get("name") or "",
                a.get("distance_m"), format_distance(a.get("distance_m"), units), a.get("moving_time_s"),
                format_duration(a.get("moving_time_s")), _pace(a, units), a.get("temperature_c_mean"),
                a.get("overall") or "", " ".join(a.get("findings", [])), a["file"],
            ]
        ))
    return out.getvalue()
