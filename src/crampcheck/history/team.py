"""A team: one history per athlete, and an overview sorted by what needs a coach first.

``team_scan(path)``: ``path`` is a folder (local or a URL) holding one subfolder or export zip
per athlete, or a manifest CSV with the columns ``athlete,path`` (one row per path; an
athlete may have several). A race ahead is marked by the optional columns ``race_date``,
``race_name`` and ``race_distance_km`` (in the manifest, or in a ``races.csv`` with an
``athlete`` column inside the folder).

Each athlete is scanned as ``scan`` does it (same engine, same cache), all in one pass of the
workers (``scan_histories``). Per athlete the overview
holds: the top item of the digest of the last ``digest_weeks`` weeks (the rules table) (``history/digest.py``:
evidence x level x recency x frequency), the runs of those weeks by overall level, and the
readiness for a marked race ahead,
judged by the race_overreach rule (its distance against the longest training run of the
weeks before it). ``as_of`` (the overview's "now") defaults to the last day any athlete ran,
so an export read months later still shows its last weeks.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from crampcheck.errors import ConfigError, UnreadableFileError
from crampcheck.history.digest import build_digest
from crampcheck.history.factors import race_overreach_one
from crampcheck.history.params import thresholds_from_config
from crampcheck.history.result import HistoryResult
from crampcheck.history.scan import scan_histories
from crampcheck.history.sources import MIB, is_url
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import LEVELS, LOW, rank, worst
from crampcheck.units import format_distance

TEAM_SCHEMA = "crampcheck.team/1"
MANIFEST_SUFFIX = ".csv"
RACES_FILE = "races.csv"  # a team folder's race marks
MAX_MANIFEST_BYTES = 16 * MIB
REQUIRED_COLUMNS = ("athlete", "path")
M_PER_KM = 1000.0


@dataclass(frozen=True)
class PlannedRace:
    """A race ahead, as the manifest marks it."""

    name: str | None
    date: date
    distance_m: float


@dataclass
class Athlete:
    name: str
    paths: list[str] = field(default_factory=list)
    race: PlannedRace | None = None


# --- finding the athletes ---------------------------------------------------------------------
def _read_text(location: str, label: str) -> str:
    from crampcheck.history.remote import read_location

    return read_location(location, MAX_MANIFEST_BYTES, label).decode("utf-8-sig", errors="replace")


def _race(row: dict[str, str], where: str) -> PlannedRace | None:
    day = (row.get("race_date") or "").strip()
    if not day:
        return None
    try:
        race_day = date.fromisoformat(day)
    except ValueError:
        raise ConfigError(f"race_date: expected YYYY-MM-DD, got {day!r}", where) from None
    km_text = (row.get("race_distance_km") or "").strip()
    try:
        km = float(km_text)
    except ValueError:
        raise ConfigError(f"race_distance_km: expected a number of km, got {km_text!r}", where) from None
    if not 0 < km < 1000:
        raise ConfigError(f"race_distance_km: {km:g} km is not a race distance", where)
    return PlannedRace((row.get("race_name") or "").strip() or None, race_day, km * M_PER_KM)


def _rows(text: str, label: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ConfigError(f"needs the column(s) {', '.join(missing)} (found: {', '.join(columns) or 'none'})", label)
    reader.fieldnames = columns
    return [(i + 2, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader)]


def _join(base: str, path: str) -> str:
    """A manifest path, relative to the manifest's folder unless absolute or a URL."""
    if is_url(path) or os.path.isabs(path):
        return path
    if is_url(base):
        return posixpath.join(base, path)
    return str(Path(base) / path)


def _from_manifest(location: str) -> list[Athlete]:
    base = posixpath.dirname(location) if is_url(location) else str(Path(location).parent)
    athletes: dict[str, Athlete] = {}
    for line, row in _rows(_read_text(location, location), location, REQUIRED_COLUMNS):
        where = f"{location}:{line}"
        if not row.get("athlete") or not row.get("path"):
            raise ConfigError("every row needs an athlete and a path", where)
        athlete = athletes.setdefault(row["athlete"], Athlete(row["athlete"]))
        athlete.paths.append(_join(base, row["path"]))
        race = _race(row, where)
        if race is not None:
            athlete.race = race
    return list(athletes.values())


def _children(location: str) -> list[tuple[str, str, bool]]:
    """(name, location, is_folder) of a folder's entries, by name."""
    if is_url(location):
        from crampcheck.history.remote import list_children

        return list_children(location)
    root = Path(location)
    return [(p.name, str(p), p.is_dir()) for p in sorted(root.iterdir(), key=lambda p: p.name)]


def _from_folder(location: str) -> tuple[list[Athlete], list[str]]:
    athletes, notes, races_at = [], [], None
    for name, where, is_dir in _children(location):
        if name.startswith("."):
            continue
        if is_dir:
            athletes.append(Athlete(name, [where]))
        elif name.lower().endswith(".zip"):
            athletes.append(Athlete(name[:-4], [where]))
        elif name.lower() == RACES_FILE:
            races_at = where
        else:
            notes.append(f"{where}: not an athlete's folder or export zip: left out")
    if races_at:
        by_name = {a.name: a for a in athletes}
        for line, row in _rows(_read_text(races_at, races_at), races_at, ("athlete", "race_date", "race_distance_km")):
            if row.get("athlete") not in by_name:
                raise ConfigError(f"athlete {row.get('athlete')!r} has no folder or export here", f"{races_at}:{line}")
            by_name[row["athlete"]].race = _race(row, f"{races_at}:{line}")
    return athletes, notes


def find_athletes(path: str) -> tuple[list[Athlete], list[str]]:
    """The athletes of a team folder or manifest, and notes on entries left out."""
    path = str(path)
    if path.lower().endswith(MANIFEST_SUFFIX):
        if not is_url(path) and not Path(path).is_file():
            raise UnreadableFileError("no such manifest file", path)
        athletes, notes = _from_manifest(path), []
    else:
        if is_url(path):
            from crampcheck.history.remote import check_url

            check_url(path)
        elif not Path(path).is_dir():
            raise UnreadableFileError("a team is a folder (one subfolder or export per athlete) or a manifest .csv", path)
        athletes, notes = _from_folder(path)
    if not athletes:
        raise ConfigError("no athletes found (one subfolder or export zip per athlete, or a manifest athlete,path)", path)
    return athletes, notes


# --- the overview -----------------------------------------------------------------------------
@dataclass
class Readiness:
    """A marked race ahead, judged by race_overreach against the training before it."""

    race: PlannedRace
    days_to_race: int
    level: str | None  # low | moderate | high; None: no training in the window to judge from
    why: str
    longest_run_m: float | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.race.name, "date": self.race.date.isoformat(), "distance_m": self.race.distance_m,
                "days_to_race": self.days_to_race, "level": self.level, "why": self.why,
                "longest_run_m": self.longest_run_m}


@dataclass
class TeamMember:
    athlete: str
    history: HistoryResult
    need: str | None  # the worst of the top item and the race readiness (None: nothing to flag)
    top: dict[str, Any] | None  # the first item of the recent weeks' digest
    recent_levels: dict[str, int]  # runs of the recent weeks by overall level
    recent_runs: int
    recent_distance_m: float
    readiness: Readiness | None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "need": self.need,
            "top_item": self.top,
            "recent": {"runs": self.recent_runs, "distance_m": self.recent_distance_m, "levels": dict(self.recent_levels)},
            "race": self.readiness.to_json() if self.readiness else None,
            "activities": len(self.history.activities),
            "skipped": len(self.history.skipped),
            "notes": list(self.notes),
            "history": self.history.to_dict(),
        }


@dataclass
class TeamResult:
    members: list[TeamMember]  # most need first
    as_of: date
    recent_weeks: int  # the overview's window (digest_weeks): level counts and the top history finding
    notes: list[str] = field(default_factory=list)

    @property
    def recent_from(self) -> date:
        return recent_from(self.as_of, self.recent_weeks)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": TEAM_SCHEMA, "as_of": self.as_of.isoformat(), "recent_weeks": self.recent_weeks,
                "recent_from": self.recent_from.isoformat(),
                "athletes": [m.to_json() for m in self.members], "notes": list(self.notes)}


def top_item(history: HistoryResult, rows: list[ActivitySummary], first: date, last: date, config: Any) -> dict[str, Any] | None:
    """The first item of the digest of the days [first, last] (``rows``: the runs of those days)."""
    findings = [f for f in history.history_findings if f.end_date >= first and f.start_date <= last]
    digest, _groups = build_digest(findings, rows, thresholds_from_config(config), first, last)
    return digest["top"][0] if digest["top"] else None


def readiness(race: PlannedRace, rows: list[ActivitySummary], as_of: date, config: Any, units: str = "km") -> Readiness | None:
    """The race_overreach rule, run on the race ahead (None when the race is not ahead)."""
    if race.date < as_of:
        return None
    th = thresholds_from_config(config)
    start = datetime.combine(race.date, time(0, 0), tzinfo=timezone.utc)
    planned = ActivitySummary(file="(planned race)", content_hash="", format="", start_time_utc=start, start_time_local=None,
                              sport="running", sub_sport=None, name=race.name, is_race=True, race_marked_by="given",
                              distance_m=race.distance_m, moving_time_s=0.0, elapsed_time_s=0.0, avg_speed_m_s=0.0,
                              temperature_c_mean=None, heart_rate_mean_bpm=None, overall=LOW)
    window = timedelta(weeks=th.race_overreach_window_weeks)
    training = [r for r in rows if not r.is_race and r.start_time_utc and start - window <= r.start_time_utc < start]
    longest = max((r.distance_m for r in training), default=None)
    days = (race.date - as_of).days
    weeks = th.race_overreach_window_weeks
    if longest is None:
        return Readiness(race, days, None, f"No training run in the {weeks} weeks before the race to judge from.", None)
    found = race_overreach_one(planned, training, th, units)
    if found is not None:
        return Readiness(race, days, found.level, found.why, longest)
    why = (f"The longest run of the {weeks} weeks before the race ({format_distance(longest, units)}) is within "
           f"{th.race_overreach_distance_pct:g} % of the race distance ({format_distance(race.distance_m, units)}) or beyond it.")
    return Readiness(race, days, LOW, why, longest)


def recent_from(as_of: date, weeks: int) -> date:
    """The first day of the ``weeks`` weeks that end on ``as_of``."""
    return as_of - timedelta(weeks=weeks) + timedelta(days=1)


def _member(athlete: Athlete, history: HistoryResult, as_of: date, weeks: int, config: Any, units: str) -> TeamMember:
    first = recent_from(as_of, weeks)
    recent = [r for r in history.activities if r.day and first <= r.day <= as_of]
    levels = Counter(r.overall for r in recent)
    top = top_item(history, recent, first, as_of, config)
    ready = readiness(athlete.race, history.activities, as_of, config, units) if athlete.race else None
    notes = []
    if athlete.race and ready is None:
        notes.append(f"race {athlete.race.name or ''} on {athlete.race.date} is before {as_of}: not ahead".replace("  ", " "))
    need = worst([lv for lv in (top["level"] if top else None, ready.level if ready else None) if lv], default=None)
    return TeamMember(athlete.name, history, need, top, {lv: levels.get(lv, 0) for lv in LEVELS}, len(recent),
                      sum(r.distance_m for r in recent), ready, notes)


def need_order(m: TeamMember) -> tuple:
    """Most need first: the worst level, then more high runs, more moderate runs, a sooner race, the name."""
    days = m.readiness.days_to_race if m.readiness and m.readiness.level not in (None, LOW) else 10**6
    return (-rank(m.need), -m.recent_levels.get("high", 0), -m.recent_levels.get("moderate", 0), days, m.athlete)


def team_scan(path: str | os.PathLike, *, as_of: Any = None, config: Any = None, **scan_options: Any) -> TeamResult:
    """Scan every athlete of a team (``scan`` options apply to each) into a ``TeamResult``."""
    athletes, notes = find_athletes(str(path))
    paths = [athlete.paths if len(athlete.paths) > 1 else athlete.paths[0] for athlete in athletes]
    histories = scan_histories(paths, config=config, **scan_options)
    if as_of is None:
        days = [r.day for h in histories for r in h.activities if r.day]
        as_of_d = max(days, default=date.today())
    elif isinstance(as_of, date):
        as_of_d = as_of
    else:
        try:
            as_of_d = date.fromisoformat(str(as_of))
        except ValueError:
            raise ConfigError(f"--as-of: expected a date YYYY-MM-DD, got {as_of!r}") from None
    units = scan_options.get("units", "mi")
    weeks = int(thresholds_from_config(config).digest_weeks)
    members = [_member(a, h, as_of_d, weeks, config, units) for a, h in zip(athletes, histories)]
    members.sort(key=need_order)
    return TeamResult(members, as_of_d, weeks, notes)


def summary_rows(team: TeamResult) -> list[tuple[str, ActivitySummary]]:
    """(athlete, row) of every activity: the team's Parquet summary."""
    return [(m.athlete, r) for m in team.members for r in m.history.activities]
