"""The team overview (``crampcheck team``) as text, Markdown and CSV, from ``crampcheck.team/1``.

One row per athlete, most need first: the need (worst of the top history finding and the
race readiness), the top history finding of the recent weeks, the recent runs by level and
the race ahead. Each athlete's full history is in the JSON and the HTML pages.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from crampcheck.report.doc import Doc, Heading, Items, Para, Table, plain
from crampcheck.safetext import csv_cell
from crampcheck.units import format_distance

CSV_COLUMNS = (
    "rank", "athlete", "need", "top_id", "top_level", "top_last_date", "top_occurrences", "top_why",
    "recent_runs", "recent_distance_m", "recent_distance", "runs_high", "runs_moderate", "runs_low",
    "race_name", "race_date", "days_to_race", "race_distance_m", "race_level", "race_why", "activities", "skipped",
)


def _level(level: str | None) -> str:
    return level.upper() if level else "–"


def _top(m: dict[str, Any]) -> str:
    t = m.get("top_item")
    if not t:
        return "nothing flagged"
    return f"{_level(t['level'])} {t['title']} (last {t['last_date']}{_times(t)})"


def _times(t: dict[str, Any]) -> str:
    n = (t.get("counts") or {}).get("occurrences")
    return f", {n} times" if n and n > 1 else ""


def _race(m: dict[str, Any], units: str) -> str:
    r = m.get("race")
    if not r:
        return "–"
    name = plain(r.get("name") or "race")
    return f"{name[:30]} {r['date']} ({format_distance(r['distance_m'], units)}, in {r['days_to_race']} d): {_level(r['level'])}"


def _recent(m: dict[str, Any]) -> str:
    lv = m["recent"]["levels"]
    return f"{m['recent']['runs']} ({lv.get('high', 0)} H · {lv.get('moderate', 0)} M · {lv.get('low', 0)} L)"


def build_team_doc(team: dict[str, Any], units: str, title: str) -> Doc:
    doc = Doc(f"crampcheck team · {plain(title)}")
    members = team["athletes"]
    doc.add(Para([f"{len(members)} athletes, most need first · as of {team['as_of']} · "
                  f"recent = the {team['recent_weeks']} weeks from {team['recent_from']}"]))
    rows = [
        [str(i + 1), plain(m["athlete"][:30]), _level(m["need"]), _top(m), _recent(m),
         format_distance(m["recent"]["distance_m"], units, 0), _race(m, units)]
        for i, m in enumerate(members)
    ]
    doc.add(Table(["#", "athlete", "need", "top item (digest of the recent weeks)", "recent runs (by level)", "recent distance", "race ahead"],
                  rows, "rllllrl"))
    details = []
    for m in members:
        lines = []
        if m.get("top_item"):
            lines.append(f"{_top(m)}: {m['top_item']['why']}")
            lines.append(f"→ {m['top_item']['advice']}")
        if m.get("race"):
            lines.append(f"race ahead: {_race(m, units)}: {m['race']['why']}")
        lines += [f"note: {plain(n)}" for n in m.get("notes", [])]
        if m["skipped"]:
            lines.append(f"{m['skipped']} file(s) skipped (see the athlete's history)")
        if lines:
            details.append([f"{plain(m['athlete'])}:", *lines])
    if details:
        doc.add(Heading("Why")).add(Items(details))
    if team.get("notes"):
        doc.add(Heading("Notes")).add(Items([[plain(n)] for n in team["notes"]]))
    return doc


def team_csv(team: dict[str, Any], units: str) -> str:
    """One row per athlete, most need first (SI values plus display columns in ``units``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, m in enumerate(team["athletes"]):
        t, r, lv = m.get("top_item") or {}, m.get("race") or {}, m["recent"]["levels"]
        writer.writerow([csv_cell(v) for v in (
            i + 1, m["athlete"], m["need"], t.get("id"), t.get("level"), t.get("last_date"), (t.get("counts") or {}).get("occurrences"),
            t.get("why"),
            m["recent"]["runs"], m["recent"]["distance_m"], format_distance(m["recent"]["distance_m"], units, 1),
            lv.get("high", 0), lv.get("moderate", 0), lv.get("low", 0),
            r.get("name"), r.get("date"), r.get("days_to_race"), r.get("distance_m"), r.get("level"), r.get("why"),
            m["activities"], m["skipped"],
        )])
    return out.getvalue()
