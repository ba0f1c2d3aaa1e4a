"""History (``crampcheck scan``) and races (``crampcheck races``) reports, from their JSON dicts.

Text and Markdown come from one Doc; CSV is the activity table, one row per run.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from crampcheck.report.cramps import pattern_blocks
from crampcheck.report.cramps import where as where_cramp
from crampcheck.report.doc import Doc, Heading, Items, Para, Table
from crampcheck.safetext import csv_cell
from crampcheck.units import (
    format_distance,
    format_duration,
    format_pace,
    format_temperature,
    pace_s,
    temperature_in,
    unit_length_m,
)

MAX_DATES_LISTED = 6  # dates of a factor's occurrences listed in text; the rest counted



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


def _temp(row: dict[str, Any], units: str) -> str:
    return format_temperature(row.get("temperature_c_mean"), units)


def activity_cells(row: dict[str, Any], units: str, sport: bool = True) -> list[str]:
    """A row of the activity table (the sport column only when the runs are of several sports)."""
    return [
        _local(row)[:10],
        *([row.get("sport") or "?"] if sport else []),
        (row.get("name") or "")[:40],
        format_distance(row.get("distance_m"), units),
        format_duration(row.get("moving_time_s")),
        _pace(row, units),
        _temp(row, units),
        (row.get("overall") or "–").upper(),
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


def _dates(o: dict[str, Any]) -> str:
    return o["start_date"] if o["start_date"] == o["end_date"] else f"{o['start_date']} → {o['end_date']}"


def _count_words(item: dict[str, Any]) -> str:
    counts = item.get("counts") or {}
    n, of = counts.get("occurrences"), counts.get("of")
    if n is None:
        return ""
    if of:
        return f"{n} of {of} {counts.get('unit') or ''}".rstrip()
    return f"{n} time{'s' if n != 1 else ''}"


def digest_items(digest: dict[str, Any]) -> list[list[str]]:
    """The digest's top items, one bullet each: level, title, how often, why, advice."""
    out = []
    for i, item in enumerate(digest.get("top") or [], 1):
        often = _count_words(item)
        head = f"{i}. {item['level'].upper()}  {item['title']}" + (f" ({often}, last on {item['last_date']})" if often else "")
        out.append([head, item["why"], f"evidence: {item['evidence']}", f"→ {item['advice']}"])
    return out


def monthly_rows(digest: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Per-month factor counts as a table: one row per month, one column per factor seen."""
    months = digest.get("monthly") or []
    ids = sorted({fid for m in months for fid in m["counts"]})
    return ["month", *(i.replace("_", " ") for i in ids)], [[m["month"], *(str(m["counts"].get(i, 0) or "–") for i in ids)] for m in months]


def factor_items(factors: list[dict[str, Any]]) -> list[list[str]]:
    """One bullet per factor: worst level, how often, the worst occurrence's why, each date, the advice once."""
    out = []
    for g in factors:
        judged = [o for o in g["occurrences"] if o["level"] != "low"]
        n = len(judged) or len(g["occurrences"])
        lines = [f"{g['level'].upper()}  {g['title']}: {n} time{'s' if n != 1 else ''}, evidence {g['evidence']}", g["why"]]
        shown = judged or g["occurrences"]
        dates = ", ".join(_dates(o) for o in shown[-MAX_DATES_LISTED:])
        more = f" (and {len(shown) - MAX_DATES_LISTED} earlier)" if len(shown) > MAX_DATES_LISTED else ""
        lines += [f"when: {dates}{more}", f"→ {g['advice']}"]
        out.append(lines)
    return out


def add_digest(doc: Doc, history: dict[str, Any]) -> None:
    """The digest first: what to change, how often per month, the notes behind the ranking."""
    digest = history.get("digest") or {}
    span = f" ({digest['since']} to {digest['until']}, {digest['weeks']} weeks)" if digest.get("since") else ""
    doc.add(Heading(f"What to change first{span}"))
    items = digest_items(digest)
    doc.add(Items(items) if items else Para(["Nothing stands out in these weeks."]))
    headers, rows = monthly_rows(digest)
    if rows:
        doc.add(Heading("How often each factor showed, per month")).add(Table(headers, rows, "l" + "r" * (len(headers) - 1)))
    if digest.get("notes"):
        doc.add(Para(list(digest["notes"])))


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
    add_digest(doc, history)
    for block in pattern_blocks(history, units):
        doc.add(block)
    factors = history.get("factors") or []
    doc.add(Heading("Training-history findings by factor (most important first)"))
    if factors:
        doc.add(Items(factor_items(factors)))
    else:
        doc.add(Para(["No history factor was flagged."]))
    if history["weeks"]:
        doc.add(Heading("Weeks"))
        doc.add(Table(["week", "runs", "volume", "long run", "ramp", "flags"], week_rows(history["weeks"], units), "lrrrrl"))
    several = len({a.get("sport") for a in acts}) > 1
    doc.add(Heading("Activities"))
    doc.add(
        Table(
            ["#", "date", *(["sport"] if several else []), "name", "distance", "moving", "pace", "temp", "level", "top flags"],
            [[str(i), *activity_cells(a, units, several)] for i, a in enumerate(acts, 1)],
            "rl" + ("l" if several else "") + "lrrrrll",
        )
    )
    if acts:  # each row's file, in the form `crampcheck analyze` accepts (archive members included)
        doc.add(Heading("Files (crampcheck analyze FILE; crampcheck cramp add ID)")).add(
            Para([f"#{i} {a['file']} · id {a['short_id']}" for i, a in enumerate(acts, 1)]))
    if history["skipped"]:
        doc.add(Heading("Skipped")).add(Items([[f"{s['file']}: {s['reason']}"] for s in history["skipped"]]))
    if history["duplicates"]:
        doc.add(Heading("Duplicates (counted once)")).add(
            Items([[f"{d['file']} = {d['kept']} ({d['reason']})"] for d in history["duplicates"]])
        )
    if history.get("notes"):
        doc.add(Heading("Notes")).add(Items([[n] for n in history["notes"]]))
    return doc


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:+.1f} %"


def _first_vs_last(r: dict[str, Any]) -> float | None:
    ratio = r.get("first_vs_last_ratio")
    return None if ratio is None else (ratio - 1) * 100


def race_cells(r: dict[str, Any], units: str) -> list[str]:
    verdicts = {f["id"]: f["level"].upper() for f in r["findings"]}
    pred = r.get("prediction") or {}
    pb = r.get("personal_best") or {}
    return [
        _local(r)[:10], (r.get("name") or "")[:32], format_distance(r.get("distance_m"), units),
        format_duration(r.get("finish_time_s")), _pace(r, units), _pct(_first_vs_last(r)),
        format_duration(pred.get("predicted_time_s")), _pct(pred.get("first_half_vs_predicted_pct")),
        "this race" if pb.get("this_race") else format_duration(pb.get("elapsed_time_s")),
        verdicts.get("fast_start", "–"), verdicts.get("positive_split", "–"), verdicts.get("race_overreach", "–"),
        r["detected_by"],
    ]


RACE_HEADERS = ["date", "name", "distance", "finish", "pace", "first vs last", "predicted", "1st half vs pred.",
                "PB", "fast start", "positive split", "overreach", "found by"]
SPLIT_COLUMNS_MAX = 6  # races shown side by side in the splits table


def race_story(r: dict[str, Any], units: str) -> list[str]:
    """What a runner reads under a race: the prediction, earlier races, the findings' reasons."""
    lines = []
    pred = r.get("prediction")
    if pred:
        effort = "race" if pred.get("from_kind") == "race" else "training run (not a full effort: a cautious prediction)"
        from_run = (f"{format_distance(pred['from_distance_m'], units)} in "
                    f"{format_duration(pred.get('from_time_s') or pred['from_elapsed_time_s'])} on {pred['from_date']}")
        lines.append(f"predicted {format_duration(pred['predicted_time_s'])} ({format_pace(pred['predicted_speed_m_s'], units)}) "
                     f"from your best recent {effort}: {from_run}, by Riegel's formula [riegel1981]")
        first = pred.get("first_half_vs_predicted_pct")
        if first is not None and first > 0 and pred.get("from_kind") == "race":
            lines.append(f"the first half was {first:.1f} % faster than your predicted pace: in a field study, running "
                         "faster than predicted came before cramps [schwellnus2011]")
        elif first is not None and first > 0:
            lines.append(f"the first half was {first:.1f} % faster than the pace your training predicts; a race effort "
                         "explains part of that, so read it against your own race plan, not as a fast start")
        elif first is not None:
            lines.append(f"the first half was {abs(first):.1f} % slower than your predicted pace")
    earlier = r.get("earlier_races") or []
    if earlier:
        shown = ", ".join(f"{e['date']} {format_duration(e['elapsed_time_s'])}" for e in earlier[:4])
        lines.append(f"earlier {r.get('distance_label') or 'races'} races: {shown}")
    lines += [f"{f['level'].upper()} {f['id'].replace('_', ' ')}: {f.get('why', '')}" for f in r["findings"] if f["level"] != "low"]
    if r.get("cramp"):
        lines.append(f"YOUR CRAMP {where_cramp(r['cramp'], units)} ({'logged' if r['cramp']['source'] == 'log' else 'found in your notes'})")
    return lines


def split_table(races: list[dict[str, Any]]) -> Table | None:
    """The races' splits side by side (one column per race, worst first), m:ss per split."""
    shown = [r for r in races if r.get("split_times_s")][:SPLIT_COLUMNS_MAX]
    if not shown:
        return None
    unit = shown[0].get("split_unit") or ""
    n = max(len(r["split_times_s"]) for r in shown)
    rows = [[f"{unit} {i + 1}", *(format_duration(r["split_times_s"][i]) if i < len(r["split_times_s"]) else "" for r in shown)]
            for i in range(n)]
    return Table(["split", *(_local(r)[:10] for r in shown)], rows, "l" + "r" * len(shown))


def build_races_doc(races: dict[str, Any], units: str, title: str) -> Doc:
    doc = Doc(f"crampcheck races · {title}")
    if not races["races"]:
        return doc.add(Para(["No race found (marked in the file or export, named like a race, or a standout effort at a standard distance)."]))
    rows = [race_cells(r, units) for r in races["races"]]
    n = len(rows)
    doc.add(Para([f"{n} race{'s' if n != 1 else ''}, worst start first (by how far the start went past the fast-start "
                  f"threshold). 'first vs last': how much faster the first {format_distance(1000.0, units)} was than the "
                  f"last {format_distance(1000.0, units)} (what the fast-start factor judges); 'finish': time on "
                  "the clock; 'predicted': Riegel's formula from your best effort of the previous weeks."]))
    doc.add(Table(RACE_HEADERS, rows, "lllrrrrrrllll"))
    splits = split_table(races["races"])
    if splits:
        doc.add(Heading("Splits side by side")).add(splits)
    details = [[f"{_local(r)[:10]} {r.get('name') or r['file']}", *race_story(r, units)] for r in races["races"]]
    details = [d for d in details if len(d) > 1]
    if details:
        doc.add(Heading("Why")).add(Items(details))
    return doc


def races_csv(races: dict[str, Any], units: str) -> str:
    """The races as CSV for spreadsheets: SI numbers, the user's units, h:mm:ss beside seconds."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([
        "date", "start_local", "name", "detected_by", "distance_m", f"distance_{units}", "finish_time_s", "finish_time",
        "moving_time_s", "moving_time", "avg_speed_m_s", f"pace_s_per_{units}", "pace", "first_vs_last_pct",
        "predicted_time_s", "predicted_time", "first_half_vs_predicted_pct", "personal_best_s", "personal_best",
        "heart_rate_mean_bpm", "fast_start", "positive_split", "race_overreach", "level", "file",
    ])
    for r in races["races"]:
        verdicts = {f["id"]: f["level"] for f in r["findings"]}
        pred, pb = r.get("prediction") or {}, r.get("personal_best") or {}
        local = _csv_time(r.get("start_time_local") or r.get("start_time_utc"))
        speed = r.get("avg_speed_m_s")
        writer.writerow(map(csv_cell, [  # untrusted names: sanitized, formula-guarded
            local[:10], local, r.get("name") or "", r["detected_by"], _round(r.get("distance_m"), 1),
            _round(r["distance_m"] / unit_length_m(units), 3), _round(r.get("finish_time_s"), 1),
            format_duration(r.get("finish_time_s")), _round(r.get("moving_time_s"), 1), format_duration(r.get("moving_time_s")),
            _round(speed, 3), _round(pace_s(speed, units), 1), _pace(r, units), _round(_first_vs_last(r), 1),
            _round(pred.get("predicted_time_s"), 1), format_duration(pred.get("predicted_time_s")),
            _round(pred.get("first_half_vs_predicted_pct"), 1), _round(pb.get("elapsed_time_s"), 1),
            format_duration(pb.get("elapsed_time_s")), _round(r.get("heart_rate_mean_bpm"), 1),
            verdicts.get("fast_start", ""), verdicts.get("positive_split", ""), verdicts.get("race_overreach", ""),
            r.get("worst") or "", r["file"],
        ]))
    return out.getvalue()


def _round(value: Any, digits: int) -> float | str:
    return "" if value is None else round(float(value), digits)


def _csv_time(stamp: str | None) -> str:
    """An ISO time as a spreadsheet reads a date-time: "YYYY-MM-DD HH:MM:SS" (no offset)."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S")


def csv_columns(units: str) -> list[str]:
    """The activity table's columns: SI numbers, the same in the user's units, durations in
    seconds with h:mm:ss text beside them."""
    temp = "temperature_mean_f" if units == "mi" else "temperature_mean_c"
    return [
        "date", "start_local", "start_utc", "sport", "name", "format", "distance_m", f"distance_{units}",
        "elapsed_time_s", "elapsed_time", "moving_time_s", "moving_time", "avg_speed_m_s", f"pace_s_per_{units}", "pace",
        "heart_rate_mean_bpm", "temperature_c_mean", temp, "race", "race_marked_by", "shape", "level", "findings", "file",
        "short_id",
    ]


def activity_csv_row(a: dict[str, Any], units: str) -> list[Any]:
    speed = a.get("avg_speed_m_s")
    local = a.get("start_time_local") or a.get("start_time_utc")
    return [
        _csv_time(local)[:10], _csv_time(local), _csv_time(a.get("start_time_utc")), a.get("sport") or "", a.get("name") or "",
        a.get("format") or "", _round(a.get("distance_m"), 1),
        _round(a["distance_m"] / unit_length_m(units), 3) if a.get("distance_m") is not None else "",
        _round(a.get("elapsed_time_s"), 1), format_duration(a.get("elapsed_time_s")),
        _round(a.get("moving_time_s"), 1), format_duration(a.get("moving_time_s")),
        _round(speed, 3), _round(pace_s(speed, units), 1), _pace(a, units),
        _round(a.get("heart_rate_mean_bpm"), 1), _round(a.get("temperature_c_mean"), 1),
        _round(temperature_in(a.get("temperature_c_mean"), units), 1),
        1 if a.get("is_race") else 0, a.get("race_marked_by") or "", a.get("shape") or "", a.get("overall") or "",
        " ".join(a.get("findings", [])), a["file"], a.get("short_id") or "",
    ]


def history_csv(history: dict[str, Any], units: str) -> str:
    """The activity table as CSV for spreadsheets: one row per run (see ``csv_columns``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(units))
    for a in history["activities"]:
        writer.writerow([csv_cell(c) for c in activity_csv_row(a, units)])
    return out.getvalue()
