"""What came before *your* cramps: the runner's cramped runs against comparable cramp-free ones.

A run cramped when the log says so (``cramp add``) or when what the runner wrote says so
(``crampcheck.crampnotes``: the name, descriptions, notes); ``cramp reject`` drops a found
cramp and ``cramp none`` (or a text saying "no cramps") makes a run explicitly cramp-free.
A run with neither is counted as cramp-free: runners log cramps, not their absence.

For each cramped run the factors present are listed: its own findings at moderate or more
(fast start, positive split, heat, long run in the heat, surges...) and the history's
(distance spike, weekly ramp, hard days in a row, no rest day, race beyond training, a
return after a break). Comparable cramp-free runs are those of the same kind (race, workout,
run-walk, other run) within ``cramp_compare_distance_pct`` of a cramped run's distance. A
factor repeats when at least ``cramp_pattern_min_runs`` cramped runs and
``cramp_pattern_min_share_pct`` of them had it, and the comparable cramp-free runs had it
``cramp_pattern_margin_pct`` points less often; each repeating factor becomes one plain
sentence with its counts. Fewer cramped runs than ``cramp_pattern_min_runs``: they are
listed, no pattern is drawn. Counts only, never a probability or an odds ratio.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crampcheck.cramplog import LogEntry
from crampcheck.crampnotes import read_cramp
from crampcheck.history.factors import HistoryFinding
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import rank
from crampcheck.risk.thresholds import FACTORS

JUDGED_LEVEL = "moderate"  # a run finding counts as present from this level (low findings are notes)
PER_RUN = ("fast_start", "positive_split", "surges", "heat", "long_hot_run", "hot_time_of_day", "hr_drift",
           "downhill", "fading_reps", "long_run")
ON_THE_RUN = ("distance_spike", "race_overreach", "heat_unacclimatized")  # history findings about one run (by file)
ON_THE_DAYS = ("weekly_ramp", "hard_streak", "no_rest")  # history findings over days
RETURN_AFTER_BREAK = "return_after_break"
FAST_VS_PREDICTED = "fast_start_vs_predicted"  # a race's first km against its predicted pace (own earlier races)
LABELS = {RETURN_AFTER_BREAK: "return after a break", FAST_VS_PREDICTED: "fast start against your predicted pace"}
# How a factor reads in a sentence: "3 of your 3 cramped races <had it>".
HAD = {
    "fast_start": "started fast (first km faster than the last)",
    "positive_split": "slowed in the second half",
    "heat": "were run in the heat",
    "long_hot_run": "were long runs in the heat",
    "long_run": "were long runs",
    "surges": "had surges",
    "hr_drift": "had heart-rate drift",
    "distance_spike": "were longer than anything in the month before",
    "race_overreach": "were raced beyond your training",
    "heat_unacclimatized": "were hot runs before you were used to the heat",
    "weekly_ramp": "came in a week that ramped up",
    "hard_streak": "came in a streak of hard days",
    "no_rest": "came without a rest day in the days before",
    RETURN_AFTER_BREAK: "came on a return after a break",
    FAST_VS_PREDICTED: "started faster than your predicted pace",
}
QUARTERS = ("first half", "first half", "third quarter", "final quarter")  # share of the distance -> where


def kind_of(row: ActivitySummary) -> str:
    """What a run is compared as: race, workout, run-walk or run."""
    if row.is_race or row.shape == "race":
        return "race"
    if row.shape in ("intervals", "fartlek"):
        return "workout"
    if row.shape in ("run_walk", "trail_walk_run"):
        return "run-walk"
    return "run"


@dataclass
class RunCramp:
    """One cramped run: where the cramp is known from, where it struck, what was present."""

    row: ActivitySummary
    source: str  # "log" (the runner logged it) | "text" (found in what the runner wrote)
    entry_id: int | None = None
    found_in: str | None = None  # "activity name", "Strava description", "GPX desc"...
    text: str | None = None  # the runner's words (untrusted: escape when shown)
    at_m: float | None = None
    at_s: float | None = None
    muscle: str | None = None
    severity: str | None = None
    note: str | None = None
    factors: list[str] = field(default_factory=list)
    predicted_speed_m_s: float | None = None  # the race's predicted pace from earlier races (Riegel), when known
    start_vs_predicted_pct: float | None = None  # first km faster (+) than that, %

    @property
    def share_pct(self) -> float | None:
        """Where it struck as a share of the run: distance, else moving time."""
        if self.at_m is not None and self.row.distance_m > 0:
            return min(self.at_m / self.row.distance_m * 100.0, 100.0)
        if self.at_s is not None and self.row.moving_time_s > 0:
            return min(self.at_s / self.row.moving_time_s * 100.0, 100.0)
        return None

    def to_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "file": r.file, "short_id": r.short_id, "day": r.day.isoformat() if r.day else None,
            "name": r.name, "distance_m": r.distance_m, "kind": kind_of(r), "source": self.source,
            "entry_id": self.entry_id, "found_in": self.found_in, "text": self.text, "at_m": self.at_m,
            "at_s": self.at_s, "share_pct": self.share_pct, "muscle": self.muscle, "severity": self.severity,
            "note": self.note, "factors": list(self.factors), "predicted_speed_m_s": self.predicted_speed_m_s,
            "start_vs_predicted_pct": self.start_vs_predicted_pct,
        }


def texts_of(row: ActivitySummary) -> list[tuple[str, str]]:
    """What the runner wrote about a run: its name, then descriptions and notes."""
    out = [("activity name", row.name)] if row.name else []
    return out + [(where, text) for where, text in row.texts]


def _found(row: ActivitySummary) -> tuple[RunCramp | None, bool]:
    """A cramp found in the run's texts, and whether a text says there was none."""
    said_none = False
    for where, text in texts_of(row):
        read = read_cramp(text)
        if read is None:
            continue
        if not read.cramped:
            said_none = True
            continue
        at_m = read.at_distance_m(row.distance_m)
        return RunCramp(row, "text", found_in=where, text=text, at_m=at_m, at_s=read.at_s, muscle=read.muscle), said_none
    return None, said_none


def _entry_rows(entry: LogEntry, rows: Sequence[ActivitySummary], by_day: dict[date, list[ActivitySummary]]):
    """The run an entry is about: by hash, else the longest run of its day."""
    if entry.content_hash:
        return [r for r in rows if r.content_hash.startswith(entry.content_hash)][:1]
    if entry.run_date:
        day_rows = by_day.get(date.fromisoformat(entry.run_date), [])
        return [max(day_rows, key=lambda r: r.distance_m)] if day_rows else []
    return []


@dataclass
class CrampMatch:
    """Cramps of a history: cramped runs, runs counted cramp-free, and entries that matched no run."""

    cramps: list[RunCramp]
    free: list[ActivitySummary]
    said_free: set[str]  # files the runner said were cramp-free (log or text)
    unmatched: list[LogEntry]


def match_cramps(rows: Sequence[ActivitySummary], entries: Sequence[LogEntry]) -> CrampMatch:
    """Join the log and the runner's texts to the scanned runs (log first, then text). For one run
    the latest entry wins: a cramp logged, then ``none`` or ``reject``, leaves it cramp-free."""
    by_day: dict[date, list[ActivitySummary]] = {}
    for r in rows:
        if r.day:
            by_day.setdefault(r.day, []).append(r)
    logged: dict[str, RunCramp] = {}
    verdict: dict[str, str] = {}  # file -> "none" | "reject"
    unmatched = []
    for e in entries:
        hit = _entry_rows(e, rows, by_day)
        if not hit:
            unmatched.append(e)
            continue
        row = hit[0]
        if e.kind == "cramp":
            verdict.pop(row.file, None)
            if row.file not in logged:  # a second cramp logged for one run adds nothing to the counts
                logged[row.file] = RunCramp(row, "log", entry_id=e.id, at_m=e.at_m, at_s=e.at_s, muscle=e.muscle,
                                            severity=e.severity, note=e.note)
        else:
            logged.pop(row.file, None)
            verdict[row.file] = e.kind
    cramps, free, said_free = [], [], set()
    for r in rows:
        found, said_none = _found(r)
        if r.file in logged:
            c = logged[r.file]
            if found is not None:  # the log confirms a found cramp: keep the words, the log's place first
                c.found_in, c.text, c.muscle = found.found_in, found.text, c.muscle or found.muscle
                if c.at_m is None and c.at_s is None:
                    c.at_m, c.at_s = found.at_m, found.at_s
            cramps.append(c)
        elif found is not None and verdict.get(r.file) is None:
            cramps.append(found)
        else:
            free.append(r)
            if verdict.get(r.file) == "none" or said_none:
                said_free.add(r.file)
    return CrampMatch(cramps, free, said_free, unmatched)


def run_factors(row: ActivitySummary) -> list[str]:
    """The run's own factors present (at moderate or more), in a fixed order."""
    return [fid for fid in PER_RUN if rank(row.finding_levels.get(fid, "low")) >= rank(JUDGED_LEVEL)]


def predicted_speeds(rows: Sequence[ActivitySummary], th: HistoryThresholds) -> dict[str, float]:
    """Each race's predicted speed (m/s) from the runner's races of the ``predicted_window_weeks``
    before it: Riegel's time x (distance ratio) ^ exponent, the fastest prediction; races with
    no earlier race in the window are left out."""
    races = sorted((r for r in rows if kind_of(r) == "race" and r.start_time_utc and r.distance_m > 0 and r.moving_time_s > 0),
                   key=lambda r: r.start_time_utc)
    window = timedelta(weeks=th.predicted_window_weeks)
    out = {}
    for i, race in enumerate(races):
        earlier = [q for q in races[:i] if race.start_time_utc - q.start_time_utc <= window]
        if earlier:
            times = [q.moving_time_s * (race.distance_m / q.distance_m) ** th.predicted_riegel_exponent for q in earlier]
            out[race.file] = race.distance_m / min(times)
    return out


def start_vs_predicted_pct(row: ActivitySummary, predicted: dict[str, float]) -> float | None:
    """How much faster (+) the first km was than the race's predicted pace, %."""
    speed = predicted.get(row.file)
    return (row.first_km_speed_m_s / speed - 1.0) * 100.0 if speed and row.first_km_speed_m_s else None


def factors_present(row: ActivitySummary, previous: ActivitySummary | None, findings: Sequence[HistoryFinding],
                    th: HistoryThresholds, predicted: dict[str, float] | None = None) -> list[str]:
    """The per-run and history factors present on one run (ids, in a fixed order)."""
    present = run_factors(row)
    vs = start_vs_predicted_pct(row, predicted or {})
    if vs is not None and vs > th.predicted_fast_pct:
        present.append(FAST_VS_PREDICTED)
    day = row.day
    for f in findings:
        if f.id in ON_THE_RUN and f.file == row.file and f.id not in present:
            present.append(f.id)
        elif f.id in ON_THE_DAYS and day and f.start_date <= day <= f.end_date and f.id not in present:
            present.append(f.id)
    if previous is not None and day and previous.day and (day - previous.day).days >= th.cramp_break_days:
        present.append(RETURN_AFTER_BREAK)
    return present


def label(fid: str) -> str:
    return LABELS.get(fid) or (FACTORS[fid].label if fid in FACTORS else fid.replace("_", " "))


def _start_pct(row: ActivitySummary) -> float | None:
    return (row.first_vs_last_ratio - 1.0) * 100.0 if row.first_vs_last_ratio else None


def _fast_start_detail(cramped: list[ActivitySummary], free: list[ActivitySummary]) -> tuple[str, str]:
    """'(first km 6-9 % faster than the last)' and 'started within 1 %' from the rows' start ratios."""
    with_pct = [p for p in (_start_pct(r) for r in cramped) if p is not None and p > 0]
    free_pct = [abs(p) for p in (_start_pct(r) for r in free) if p is not None]
    lo, hi = (min(with_pct), max(with_pct)) if with_pct else (None, None)
    span = "" if lo is None else (f"{lo:.0f} %" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f} %")
    had = f"started fast (first km {span} faster than the last)" if span else HAD["fast_start"]
    within = f"started within {max(free_pct):.0f} % of their last km" if free_pct else ""
    return had, within


def comparable_free(cramped: Sequence[ActivitySummary], free: Sequence[ActivitySummary], pct: float) -> list[ActivitySummary]:
    """The cramp-free runs of the same kind as a cramped one and within ``pct`` % of its distance
    (|free - cramped| <= cramped * pct / 100, i.e. free / (1 + p) <= cramped <= free / (1 - p))."""
    p = pct / 100.0
    by_kind: dict[str, list[float]] = {}
    for c in cramped:
        by_kind.setdefault(kind_of(c), []).append(c.distance_m)
    for distances in by_kind.values():
        distances.sort()
    out = []
    for f in free:
        distances = by_kind.get(kind_of(f))
        if not distances:
            continue
        lo = f.distance_m / (1.0 + p)
        i = bisect.bisect_left(distances, lo * (1 - 1e-12))
        if i < len(distances) and (p >= 1.0 or distances[i] <= f.distance_m / (1.0 - p) * (1 + 1e-12)):
            out.append(f)
    return out


def _where(cramps: Sequence[RunCramp]) -> dict[str, Any]:
    shares = [c.share_pct for c in cramps if c.share_pct is not None]
    counts = {"first half": 0, "third quarter": 0, "final quarter": 0}
    for s in shares:
        counts[QUARTERS[min(int(s // 25), 3)]] += 1
    return {"known": len(shares), **{k.replace(" ", "_"): n for k, n in counts.items()}}


def cramp_patterns(rows: Sequence[ActivitySummary], match: CrampMatch, findings: Sequence[HistoryFinding],
                   th: HistoryThresholds) -> dict[str, Any]:
    """The ``cramp_patterns`` of ``crampcheck.history/1`` (and fills each cramp's ``factors``)."""
    ordered = sorted(rows, key=lambda r: r.start_time_utc)
    previous = {r.file: (ordered[i - 1] if i else None) for i, r in enumerate(ordered)}
    predicted = predicted_speeds(rows, th)
    present = {r.file: factors_present(r, previous[r.file], findings, th, predicted) for r in rows}
    for c in match.cramps:
        c.factors = present[c.row.file]
        c.predicted_speed_m_s = predicted.get(c.row.file)
        c.start_vs_predicted_pct = start_vs_predicted_pct(c.row, predicted)
    cramped = [c.row for c in match.cramps]
    comparable = comparable_free(cramped, match.free, th.cramp_compare_distance_pct)
    kinds = {kind_of(r) for r in cramped}
    noun = "races" if kinds == {"race"} else "runs"
    factor_rows, sentences = [], []
    ids = [fid for fid in (FAST_VS_PREDICTED, *PER_RUN, *ON_THE_RUN, *ON_THE_DAYS, RETURN_AFTER_BREAK)
           if any(fid in present[r.file] for r in cramped)]
    for fid in ids:
        n_c = sum(fid in present[r.file] for r in cramped)
        n_f = sum(fid in present[r.file] for r in comparable)
        share_c = n_c / len(cramped) * 100.0
        share_f = n_f / len(comparable) * 100.0 if comparable else 0.0
        repeats = (len(cramped) >= th.cramp_pattern_min_runs and n_c >= th.cramp_pattern_min_runs
                   and share_c >= th.cramp_pattern_min_share_pct and share_c - share_f >= th.cramp_pattern_margin_pct)
        factor_rows.append({"id": fid, "label": label(fid), "cramped_with": n_c, "cramped": len(cramped),
                            "free_with": n_f, "free": len(comparable), "repeats": repeats})
        if repeats:
            sentences.append(_sentence(fid, n_c, len(cramped), n_f, len(comparable), noun,
                                       [r for r in cramped if fid in present[r.file]], comparable, predicted, th))
    where = _where(match.cramps)
    if len(cramped) >= th.cramp_pattern_min_runs and where["known"] >= th.cramp_pattern_min_runs:
        late = where["final_quarter"]
        if late * 100.0 >= where["known"] * th.cramp_pattern_min_share_pct:
            sentences.append(f"{late} of your {where['known']} cramps with a known place struck in the final quarter of the run.")
    return {
        "cramped_runs": len(cramped),
        "comparable_free_runs": len(comparable),
        "said_free_runs": len(match.said_free),
        "min_runs": th.cramp_pattern_min_runs,
        "enough": len(cramped) >= th.cramp_pattern_min_runs,
        "factors": factor_rows,
        "where": where,
        "sentences": sentences,
        "unmatched_entries": [e.to_json() for e in match.unmatched if e.kind == "cramp"],
    }


def _predicted_detail(cramped: list[ActivitySummary], free: list[ActivitySummary], predicted: dict[str, float],
                      th: HistoryThresholds) -> tuple[str, str]:
    """'started more than 4 % faster than your predicted pace (6-9 %)' and 'started within 1 % of theirs'."""
    with_pct = [p for p in (start_vs_predicted_pct(r, predicted) for r in cramped) if p is not None]
    free_pct = [p for p in (start_vs_predicted_pct(r, predicted) for r in free) if p is not None]
    lo, hi = min(with_pct), max(with_pct)
    span = f"{lo:.0f} %" if round(lo) == round(hi) else f"{lo:.0f}–{hi:.0f} %"
    had = f"started more than {th.predicted_fast_pct:g} % faster than your predicted pace (first km {span} faster)"
    within = f"started within {max(abs(p) for p in free_pct):.0f} % of theirs" if free_pct else ""
    return had, within


def _sentence(fid: str, n_c: int, total_c: int, n_f: int, total_f: int, noun: str, cramped_with: list[ActivitySummary],
              comparable: list[ActivitySummary], predicted: dict[str, float], th: HistoryThresholds) -> str:
    had, free_detail = HAD.get(fid, f"had {label(fid)}"), ""
    if fid == "fast_start":
        had, free_detail = _fast_start_detail(cramped_with, comparable)
    elif fid == FAST_VS_PREDICTED:
        had, free_detail = _predicted_detail(cramped_with, comparable, predicted, th)
    if not total_f:
        return f"{n_c} of your {total_c} cramped {noun} {had}; no comparable cramp-free {noun} to set them against."
    if free_detail:  # "your 2 comparable cramp-free races started within 1 % ... (0 of 2 started fast)."
        did = "started fast" if fid == "fast_start" else "did"
        return f"{n_c} of your {total_c} cramped {noun} {had}; your {total_f} comparable cramp-free {noun} {free_detail} ({n_f} of {total_f} {did})."
    return f"{n_c} of your {total_c} cramped {noun} {had}; {n_f} of your {total_f} comparable cramp-free {noun} did."


def attach(result: Any, entries: Sequence[LogEntry]) -> None:
    """Set ``result.cramps`` and ``result.cramp_patterns`` on a ``HistoryResult`` from the log."""
    match = match_cramps(result.activities, entries)
    result.cramp_patterns = cramp_patterns(result.activities, match, result.history_findings, result.thresholds)
    result.cramps = [c.to_json() for c in sorted(match.cramps, key=lambda c: c.row.start_time_utc)]


def run_cramps(report: Any, data: bytes, entries: Sequence[LogEntry], span_m: float) -> list[dict[str, Any]]:
    """The cramps of one analyzed run (``crampcheck analyze``): logged for its content or day, or
    found in what the runner wrote in the file; each with what the ``span_m`` before it looked like."""
    import hashlib
    from dataclasses import asdict

    from crampcheck.history.summary import summarize
    from crampcheck.metrics.window import before, distance_at_moving_s

    row = summarize(report, hashlib.sha256(data).hexdigest())
    chart = report.metrics.chart
    out = []
    for c in match_cramps([row], entries).cramps:
        at_m = c.at_m
        if at_m is None and c.at_s is not None and chart is not None:
            at_m = distance_at_moving_s(chart, c.at_s)
        stretch = before(chart, at_m, span_m) if chart is not None and at_m is not None else None
        c.factors = run_factors(row)
        item = c.to_json()
        item["at_m"] = at_m
        item["share_pct"] = stretch.share_pct if stretch else item["share_pct"]
        item["before"] = {**asdict(stretch), "span_m": span_m} if stretch else None
        out.append(item)
    return out
