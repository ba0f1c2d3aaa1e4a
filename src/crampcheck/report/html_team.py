"""The team page: one self-contained HTML page, a row per athlete linking to their history page.

Built from ``crampcheck.team/1``; ``links`` maps each athlete to the (relative) file name of
their history page, written next to the team page by the CLI. Every name and reason from the
files or the manifest is escaped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from crampcheck.report.html_base import SORT_JS, esc, level_badge, page, table, tiles
from crampcheck.units import format_distance


def _top(m: dict[str, Any]) -> str:
    t = m.get("top_item")
    if not t:
        return '<span class="muted">nothing flagged</span>'
    n = (t.get("counts") or {}).get("occurrences")
    when = f"last {t.get('last_date')}" + (f", {n} times" if n and n > 1 else "")
    return (f'{level_badge(t["level"])} <code>{esc(t["id"])}</code> <span class="muted">{esc(when)}</span>'
            f'<br>{esc(t.get("why"))}')


def _race(m: dict[str, Any], units: str) -> str:
    r = m.get("race")
    if not r:
        return "–"
    head = f'{esc(r.get("name") or "race")} · {esc(r["date"])} · {esc(format_distance(r["distance_m"], units))} · in {esc(r["days_to_race"])} d'
    badge = level_badge(r["level"]) if r.get("level") else '<span class="muted">not judged</span>'
    return f"{head}<br>{badge} {esc(r.get('why'))}"


def render_team_html(team: dict[str, Any], links: dict[str, str], units: str) -> str:
    """The team overview page; ``links``: athlete -> href of their history page (relative)."""
    members = team.get("athletes") or []
    rows, keys = [], []
    for i, m in enumerate(members):
        lv = m["recent"]["levels"]
        href = links.get(m["athlete"])
        name = f'<a href="{esc(quote(href))}">{esc(m["athlete"])}</a>' if href else esc(m["athlete"])
        rows.append([
            str(i + 1), name, level_badge(m["need"]) if m.get("need") else '<span class="muted">–</span>', _top(m),
            esc(m["recent"]["runs"]), esc(lv.get("high", 0)), esc(lv.get("moderate", 0)), esc(lv.get("low", 0)),
            esc(format_distance(m["recent"]["distance_m"], units, 0)), _race(m, units),
        ])
        keys.append([i + 1, m["athlete"], i + 1, (m.get("top_item") or {}).get("id") or "", m["recent"]["runs"],
                     lv.get("high", 0), lv.get("moderate", 0), lv.get("low", 0), m["recent"]["distance_m"],
                     (m.get("race") or {}).get("days_to_race")])
    overview = table(
        f"Athletes, most need first (recent: {team.get('recent_weeks')} weeks to {team.get('as_of')})",
        ["#", "athlete", "need", "top item (recent digest)", "recent runs", "high", "moderate", "low", "recent distance", "race ahead"],
        rows, numeric=[True, False, False, False, True, True, True, True, True, False], sort_keys=keys, table_id="team",
    )
    items = [("Athletes", str(len(members))), ("As of", str(team.get("as_of") or "–")),
             ("Recent weeks from", str(team.get("recent_from") or "–"))]
    notes = team.get("notes") or []
    body = (
        f'<header><h1>Team overview</h1><p class="muted">{esc(team.get("schema") or "")}</p>{tiles(items)}</header>'
        + '<section aria-labelledby="h-team"><h2 id="h-team">Athletes</h2>' + overview + "</section>"
        + ('<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><ul>' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul></section>"
           if notes else "")
        + f'<footer>{esc(team.get("schema") or "")} · made by crampcheck; this file loads nothing from the network.</footer>'
    )
    return page("crampcheck: team overview", body, script=SORT_JS)
