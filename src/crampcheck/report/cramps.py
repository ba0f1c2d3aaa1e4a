"""Your own cramps in the reports: "What came before your cramps" (scan) and the cramp of one
run (analyze), as Doc blocks and HTML, from the ``cramps`` / ``cramp_patterns`` dicts.

The runner's words (names, notes, descriptions) are untrusted: ``plain`` for the terminal,
``esc`` for HTML.
"""

from __future__ import annotations

from typing import Any

from crampcheck.report.doc import Heading, Items, Para, Table, plain
from crampcheck.report.html_base import esc, table
from crampcheck.units import format_distance, format_duration, format_pace, format_temperature

TEXT_CHARS = 80  # characters of the runner's words quoted in a listing
FOUND_HINT = "Found in your notes: confirm with `crampcheck cramp add ID`, or `crampcheck cramp reject ID` if it was not a cramp."


# The runner's words inside a Doc, safe for the terminal and for Markdown alike: no tags, no emphasis.
_INERT = str.maketrans({"<": "‹", ">": "›", "`": "'", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]"})


def _short(text: str) -> str:
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"


def _quote(text: str | None) -> str:
    """The runner's words for a Doc (terminal and Markdown)."""
    return f"“{plain(_short(text)).translate(_INERT)}”" if text else ""


def html_quote(text: str | None) -> str:
    """The runner's words for HTML: control characters shown, the rest as written (the caller escapes them)."""
    return f"“{plain(_short(text))}”" if text else ""


def where(c: dict[str, Any], units: str) -> str:
    """"at 35.0 km (83 % of the run)", "at 2:45:00 moving" or "place not given"."""
    share = c.get("share_pct")
    tail = f" ({share:.0f} % of the run)" if share is not None else ""
    if c.get("at_m") is not None:
        return f"at {format_distance(c['at_m'], units)}{tail}"
    if c.get("at_s") is not None:
        return f"at {format_duration(c['at_s'])} moving{tail}"
    return "place not given"


def source_text(c: dict[str, Any]) -> str:
    if c["source"] == "log":
        return f"logged #{c['entry_id']}" + (f", also in your {c['found_in']}" if c.get("found_in") else "")
    return f"found in your {c['found_in']}"


def _factor_labels(c: dict[str, Any], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(f, f.replace("_", " ")) for f in c.get("factors", [])) or "none flagged"


def pattern_blocks(history: dict[str, Any], units: str) -> list:
    """The scan's "What came before your cramps" section; [] when there is nothing to say."""
    cramps, patterns = history.get("cramps") or [], history.get("cramp_patterns") or {}
    unmatched = patterns.get("unmatched_entries") or []
    if not cramps and not unmatched:
        return []
    blocks: list = [Heading("What came before your cramps")]
    logged = sum(c["source"] == "log" for c in cramps)
    lines = [f"{len(cramps)} cramped run{'s' if len(cramps) != 1 else ''} ({logged} logged, {len(cramps) - logged} found in your notes);"
             f" {patterns.get('comparable_free_runs', 0)} comparable cramp-free runs (same kind, similar distance)."]
    if patterns.get("enough"):
        lines += patterns.get("sentences") or ["No factor repeats across your cramped runs more than in the comparable cramp-free ones."]
    elif cramps:
        lines.append(f"Fewer than {patterns.get('min_runs', 3)} cramped runs: they are listed, no pattern is drawn.")
    lines.append("Counts of your own runs, not a chance of cramping.")
    blocks.append(Para(lines))
    labels = {f["id"]: f["label"] for f in patterns.get("factors", [])}
    if cramps:
        blocks.append(Table(
            ["day", "id", "run", "distance", "where", "muscle", "from", "factors present"],
            [[c.get("day") or "–", c["short_id"], plain((c.get("name") or "")[:30]), format_distance(c["distance_m"], units),
              where(c, units), c.get("muscle") or "–", source_text(c), _factor_labels(c, labels)] for c in cramps],
            "llllllll",
        ))
    if patterns.get("factors") and patterns.get("enough"):
        blocks.append(Table(
            ["factor", "cramped runs with it", "comparable cramp-free runs with it"],
            [[f["label"], f"{f['cramped_with']} of {f['cramped']}", f"{f['free_with']} of {f['free']}"] for f in patterns["factors"]],
            "lrr",
        ))
    found = [c for c in cramps if c["source"] == "text"]
    if found:
        blocks.append(Items([[FOUND_HINT]] + [[f"{c['short_id']} {c.get('day') or ''}: {_quote(c.get('text'))}"] for c in found]))
    if unmatched:
        n = len(unmatched)
        blocks.append(Para([f"{n} logged cramp{'s' if n != 1 else ''} (#{', #'.join(str(e['id']) for e in unmatched)}) match"
                            f"{'es' if n == 1 else ''} no run of this scan (crampcheck cramp list)."]))
    return blocks


def pattern_html(history: dict[str, Any], units: str) -> str:
    """The same section as HTML ("" when there is nothing to say)."""
    cramps, patterns = history.get("cramps") or [], history.get("cramp_patterns") or {}
    if not cramps:
        return ""
    sentences = patterns.get("sentences") if patterns.get("enough") else [
        f"Fewer than {patterns.get('min_runs', 3)} cramped runs: they are listed, no pattern is drawn."]
    paras = "".join(f"<p class=\"pattern\">{esc(s)}</p>" for s in sentences or [])
    labels = {f["id"]: f["label"] for f in patterns.get("factors", [])}
    rows = [[esc(x) for x in (c.get("day") or "–", c["short_id"], c.get("name") or "", format_distance(c["distance_m"], units),
                              where(c, units), c.get("muscle") or "–", source_text(c), _factor_labels(c, labels))] for c in cramps]
    body = table("Your cramped runs and the factors present", ["day", "id", "run", "distance", "where", "muscle", "from", "factors present"],
                 rows)
    counts = (f"<p>{len(cramps)} cramped runs, {patterns.get('comparable_free_runs', 0)} comparable cramp-free runs. "
              "Counts of your own runs, not a chance of cramping.</p>")
    return f'<section aria-labelledby="h-cramps"><h2 id="h-cramps">What came before your cramps</h2>{counts}{paras}{body}</section>'


# ---------------------------------------------------------------- one run


def before_lines(c: dict[str, Any], units: str) -> list[str]:
    """What preceded the cramp of one run, in plain words."""
    b = c.get("before")
    if not b:
        return []
    parts = []
    if b.get("speed_m_s"):
        vs = b.get("pace_vs_median_pct")
        rel = "" if vs is None else (" (the run's median pace)" if abs(vs) < 0.5 else
                                     f" ({abs(vs):.1f} % {'faster' if vs > 0 else 'slower'} than the run's median {format_pace(b['median_speed_m_s'], units)})")
        parts.append(f"pace {format_pace(b['speed_m_s'], units)}{rel}")
    if b.get("heart_rate_bpm") is not None:
        parts.append(f"heart rate {b['heart_rate_bpm']:.0f} bpm")
    if b.get("grade_pct") is not None:
        parts.append(f"grade {b['grade_pct']:+.1f} %")
    if b.get("temperature_c") is not None:
        parts.append(f"temperature {format_temperature(b['temperature_c'], units)}")
    span = format_distance(b["span_m"], units)
    return [f"In the {span} before it: " + ", ".join(parts) + "." if parts else ""]


def run_cramp_items(run: dict[str, Any], units: str, quote=_quote) -> list[list[str]]:
    """One item per cramp of the run report: where, what, from where, what came before
    (``quote``: how the runner's words are shown; ``html_quote`` for a page that escapes them)."""
    items = []
    for c in run.get("cramps") or []:
        what = " · ".join(x for x in (c.get("muscle"), c.get("severity")) if x)
        first = f"CRAMP {where(c, units)}" + (f" · {what}" if what else "") + f" ({source_text(c)})"
        rest = [line for line in before_lines(c, units) if line]
        if c.get("text"):
            rest.append(f"you wrote: {quote(c['text'])}")
        if c.get("note"):
            rest.append(f"your note: {quote(c['note'])}")
        items.append([first, *rest])
    return items
