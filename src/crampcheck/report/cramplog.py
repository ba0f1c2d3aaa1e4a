"""The cramp log (``crampcheck cramp list``) as text: one line per entry, the runner's words made safe."""

from __future__ import annotations

from crampcheck.cramplog import LogEntry
from crampcheck.report.doc import plain
from crampcheck.units import format_duration

KIND_WORDS = {"cramp": "cramp", "none": "cramp-free", "reject": "not a cramp (found cramp rejected)"}
NOTE_CHARS = 80  # characters of a note shown in a listing


def where_text(at_m: float | None, at_s: float | None) -> str | None:
    """"at 32.0 km", "at 2:45:00 moving" or None."""
    if at_m is not None:
        return f"at {at_m / 1000:.1f} km"
    if at_s is not None:
        return f"at {format_duration(at_s)} moving"
    return None


def entry_line(e: LogEntry) -> str:
    run = e.label or e.run
    if e.run_date and e.run_date not in run:
        run = f"{e.run_date} {run}"
    parts = [KIND_WORDS.get(e.kind, e.kind), plain(run)]
    parts += [p for p in (where_text(e.at_m, e.at_s), e.muscle, e.severity) if p]
    if e.note:
        note = e.note if len(e.note) <= NOTE_CHARS else e.note[:NOTE_CHARS - 1] + "…"
        parts.append(f"“{plain(note)}”")
    return " · ".join(parts)


def render_log_text(entries: list[LogEntry], where: str) -> str:
    if not entries:
        return f"The cramp log is empty ({where}). Add one with: crampcheck cramp add RUN|DATE\n"
    lines = [f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'} in {where}"]
    lines += [f"  #{e.id}  {entry_line(e)}" for e in entries]
    return "\n".join(lines) + "\n"
