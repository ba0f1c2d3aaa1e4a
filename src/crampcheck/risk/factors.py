"""Per-run risk factors: one pure function per factor of docs/risk-model.md.

Every factor has the signature ``(metrics, thresholds, profile)`` and returns either a list
of Finding (empty: nothing to flag; at most one Finding per factor) or a NotJudged that says
why the file cannot support it. Levels follow the thresholds table exactly: "more than"
thresholds are strict (>), "at least" thresholds inclusive (>=).

Percentages of pace are speed ratios: "A is x % faster than B" means speed_A / speed_B = 1 + x/100,
which is also pace_B / pace_A.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from crampcheck.levels import HIGH, LOW, MODERATE, at_least, band, exceeds, more_than, rank, reaches
from crampcheck.metrics.air import HEAT_INDEX_NAME
from crampcheck.metrics.model import AirStats, Pacing, RunMetrics
from crampcheck.risk import fmt
from crampcheck.risk.advice import advice
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import Finding, NotJudged
from crampcheck.risk.thresholds import FACTORS, Thresholds
from crampcheck.units import METERS_PER_KM, format_gradient, format_height, span_name

Result = list[Finding] | NotJudged
Factor = Callable[[RunMetrics, Thresholds, RunnerProfile], Result]

SECONDS_PER_MIN = 60.0
NORTH_SUMMER_MONTHS = (6, 7, 8)
SOUTH_SUMMER_MONTHS = (12, 1, 2)


def _finding(factor_id: str, level: str, value: float, threshold: float, unit: str, why: str, units: str = "km",
             advice_id: str | None = None, **where) -> Finding:
    """A finding with its factor's metadata and advice (``advice_id``: another entry of the advice
    table, for a variant such as a race's)."""
    info = FACTORS[factor_id]
    return Finding(
        id=factor_id, level=level, subscore=info.subscore, evidence=info.evidence, value=float(value),
        threshold=float(threshold), unit=unit, why=why, advice=advice(advice_id or factor_id, units), **where,
    )


def pct_faster(fast_m_s: float, slow_m_s: float) -> float:
    """How much faster ``fast`` is than ``slow``, % (negative when slower)."""
    return (fast_m_s / slow_m_s - 1.0) * 100.0


def _ok(speed: float | None) -> bool:
    return speed is not None and speed > 0


SAME_PACE_PCT = 0.5  # a difference below this (in %) reads as "the same pace"


def _describe_pct(pct: float, faster: str = "faster", slower: str = "slower", than: str = "than") -> str:
    """``pct`` in words: "4.2 % faster than", or "no different from" when under SAME_PACE_PCT."""
    if abs(pct) < SAME_PACE_PCT:
        return "no different from"
    return f"{abs(pct):.1f} % {faster if pct >= 0 else slower} {than}"


def _merge(candidates: list[Finding]) -> list[Finding]:
    """One Finding from several measures of the same factor: the highest level drives it."""
    if not candidates:
        return []
    lead = max(candidates, key=lambda f: rank(f.level))  # first of equals wins
    why = " ".join(f.why for f in [lead] + [f for f in candidates if f is not lead])
    return [replace(lead, why=why)]


STRUCTURED_SHAPES = ("intervals", "fartlek", "run_walk")  # planned changes of pace: not a fast start, a fade or surges
TERRAIN_SHAPES = ("trail_walk_run",)  # speed jumps follow the terrain and the walk breaks


def _walked_climbs(m: RunMetrics, factor: str) -> NotJudged | None:
    """NotJudged on a walk-run over hills: walked climbs and run descents set the pace there."""
    if m.shape is not None and m.shape.kind in TERRAIN_SHAPES:
        return NotJudged(factor, f"a walk-run on hilly ground ({m.shape.evidence}): walked climbs set its pace")
    return None


def _structured(m: RunMetrics, factor: str) -> NotJudged | None:
    """NotJudged for a pacing factor on a session whose pace changes were planned."""
    if m.shape is not None and m.shape.kind in STRUCTURED_SHAPES:
        what = {"intervals": "an interval session", "fartlek": "a fartlek", "run_walk": "a run-walk"}[m.shape.kind]
        return NotJudged(factor, f"{what} ({m.shape.evidence}): its changes of pace were planned")
    return None


# --- fast_start ---------------------------------------------------------------------------------

def _first_km_eased(r: Pacing) -> bool:
    """The first km was no faster than the run's average, or than the second km."""
    if not _ok(r.first_km_m_s):
        return False
    return any(_ok(ref) and r.first_km_m_s <= ref for ref in (r.average_m_s, r.second_km_m_s))


def _adjusted(pc: Pacing, left_out: str = "warm-up/cool-down left out") -> str:
    """What the judged speeds are, in words: " (grade-adjusted, warm-up/cool-down left out)"."""
    words = [w for w, on in (("grade-adjusted", pc.grade_adjusted), (left_out, pc.core)) if on]
    return f" ({', '.join(words)})" if words else ""


def fast_start(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """First km vs the last km, and the first 10 % of the distance vs the run's average
    (``metrics.pacing``): the run's own opening against its end before any cool-down,
    grade-adjusted with elevation. The comparison is over 1 km whatever the display units, so
    the verdict does not depend on them."""
    if (structured := _structured(m, "fast_start") or _walked_climbs(m, "fast_start")) is not None:
        return structured
    pc = m.pacing
    if pc is None:
        return NotJudged("fast_start", "the run is too short to compare its start with the rest")
    candidates: list[Finding] = []
    judged = False
    finished_faster = False  # the last km at least as fast as the first: the start was one the runner could carry
    if (reading := pc.compared("first_km_m_s", "last_km_m_s")) is not None:
        judged = True
        pct, r = reading
        finished_faster = pct <= 0.0
        level, threshold = band(pct, more_than(HIGH, t.fast_start_high_pct), more_than(MODERATE, t.fast_start_moderate_pct))
        # a first km slower than the run's own pace, or than the km after it, was no fast start,
        # however slow the last km was (that is a fade)
        if level and not _first_km_eased(r):
            km = span_name(METERS_PER_KM, m.units)  # the comparison is over 1 km, named in the report's units
            why = (
                f"Your first {km} ({fmt.pace(r.first_km_m_s, m.units)}) was {pct:.1f} % faster than your last {km} "
                f"({fmt.pace(r.last_km_m_s, m.units)}){_adjusted(r, 'cool-down left out')}; more than {threshold:g} % is {level}."
            )
            candidates.append(_finding("fast_start", level, pct, threshold, "%", why, m.units))
    if (reading := pc.compared("first_10pct_m_s", "average_m_s")) is not None:
        judged = True
        pct, r = reading
        # a quick opening that the first km as a whole does not bear out (a stop or a walk inside it),
        # or that the runner out-ran at the end, is no fast start
        if exceeds(pct, t.first10_pct) and not _first_km_eased(r) and not finished_faster:
            why = (
                f"The first 10 % of the distance ({fmt.pace(r.first_10pct_m_s, m.units)}) was {pct:.1f} % "
                f"faster than your average for the run ({fmt.pace(r.average_m_s, m.units)}){_adjusted(r, 'cool-down left out')}; "
                f"more than {t.first10_pct:g} % is moderate."
            )
            candidates.append(_finding("fast_start", MODERATE, pct, t.first10_pct, "%", why, m.units))
    if not judged:
        return NotJudged("fast_start", f"the run is too short to compare its first and last {span_name(METERS_PER_KM, m.units)}")
    return _merge(candidates)


# --- fading_reps -------------------------------------------------------------------------------

def fading_reps(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Interval sessions: the first half of the reps against the second half (speeds of the reps
    ``metrics.shape`` found). What a fast start means when the changes of pace were planned."""
    if m.shape is None or m.shape.kind != "intervals":
        return []
    reps = m.shape.rep_speeds_m_s
    half = len(reps) // 2
    first, last = sum(reps[:half]) / half, sum(reps[-half:]) / half
    pct = pct_faster(first, last)
    level, threshold = band(pct, more_than(HIGH, t.fading_reps_high_pct), more_than(MODERATE, t.fading_reps_moderate_pct))
    if level is None:
        return []
    why = (
        f"Your first {half} reps ({fmt.pace(first, m.units)}) were {pct:.1f} % faster than your last {half} "
        f"({fmt.pace(last, m.units)}); more than {threshold:g} % is {level}."
    )
    return [_finding("fading_reps", level, pct, threshold, "%", why)]


# --- positive_split -----------------------------------------------------------------------------

def positive_split(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Second half vs first half (moderate), final quarter vs first three quarters (high when the
    last 10 % is still more than ``positive_split_pct`` slower: the fade held to the end; else
    moderate, a slow patch the runner came back from), by distance, over the core of the run and
    grade-adjusted with elevation (``metrics.pacing``): an easy cool-down is not a fade, and
    neither is an uphill finish run at even effort."""
    if (structured := _structured(m, "positive_split")) is not None:
        return structured
    pc = m.pacing
    candidates = []
    judged = False
    if pc and (reading := pc.compared("first_half_m_s", "second_half_m_s")) is not None:
        judged = True
        pct, r = reading
        if exceeds(pct, t.positive_split_pct):
            why = (
                f"Your second half ({fmt.pace(r.second_half_m_s, m.units)}) was {pct:.1f} % slower than your first "
                f"({fmt.pace(r.first_half_m_s, m.units)}){_adjusted(r)}; more than {t.positive_split_pct:g} % is moderate."
            )
            candidates.append(_finding("positive_split", MODERATE, pct, t.positive_split_pct, "%", why))
    if pc and (reading := pc.compared("first_three_quarters_m_s", "final_quarter_m_s")) is not None:
        judged = True
        pct, r = reading
        if exceeds(pct, t.final_quarter_pct):
            why = (
                f"Your final quarter ({fmt.pace(r.final_quarter_m_s, m.units)}) was {pct:.1f} % slower than the first "
                f"three quarters ({fmt.pace(r.first_three_quarters_m_s, m.units)}){_adjusted(r)}"
            )
            # the last 10 % on the same reading (grade-adjusted or clock) as the final quarter
            end = pct_faster(r.first_three_quarters_m_s, r.last_tenth_m_s) if r.last_tenth_m_s else None
            if end is None or exceeds(end, t.positive_split_pct):  # the fade held to the end
                why += f"; more than {t.final_quarter_pct:g} % is high."
                candidates.append(_finding("positive_split", HIGH, pct, t.final_quarter_pct, "%", why))
            else:  # a slow patch the runner came back from
                why += (f", but you came back over the last 10 % ({fmt.pace(r.last_tenth_m_s, m.units)}, less "
                        f"than {t.positive_split_pct:g} % slower than them): moderate; more than {t.final_quarter_pct:g} % "
                        "held to the end is high.")
                candidates.append(_finding("positive_split", MODERATE, pct, t.final_quarter_pct, "%", why))
    if not judged:
        return NotJudged("positive_split", "no half or quarter paces for this run (too short, or mostly warm-up/cool-down)")
    return _merge(candidates)


# --- warm-up / cool-down ------------------------------------------------------------------------

def no_warmup(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Flag (level low, expert opinion) when no warm-up was found and the opening minutes were not easy."""
    if m.warmup is not None:
        return []
    return _easy_edge(
        "no_warmup", m, m.first_5min_speed_m_s, t.warmup_min, t.warmup_slower_pct,
        f"Your first {t.warmup_min:g} min", "; a warm-up", "opening", t,
    )


def no_cooldown(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Flag (level low, expert opinion) when the run ended at full effort: no cool-down, no walk."""
    if m.cooldown is not None or m.ended_with_walk:
        return []
    return _easy_edge(
        "no_cooldown", m, m.last_5min_speed_m_s, t.cooldown_min, t.cooldown_slower_pct,
        f"Your last {t.cooldown_min:g} min", " and the run ended without a walk; a cool-down", "closing", t,
    )


def _easy_edge(
    factor: str, m: RunMetrics, edge_m_s: float | None, window_min: float, slower_pct: float,
    subject: str, tail: str, which: str, t: Thresholds,
) -> Result:
    """The opening (or closing) window vs the median pace: flagged (low) unless it was at
    least ``slower_pct`` % slower. Not judged on short runs or races (a race's warm-up is an
    activity of its own, and the watch stops at the line)."""
    if m.moving_time_s < max(2 * window_min, t.warmup_judged_min_min) * SECONDS_PER_MIN:
        return NotJudged(factor, f"the run is shorter than {max(2 * window_min, t.warmup_judged_min_min):g} min")
    if m.shape is not None and m.shape.kind == "race":
        return NotJudged(factor, "a race: warm-up and cool-down are usually recorded apart")
    if m.shape is not None and m.shape.kind in STRUCTURED_SHAPES:
        return NotJudged(factor, f"the median pace of a session with recoveries ({m.shape.evidence}) is no reference")
    if not (_ok(edge_m_s) and _ok(m.median_speed_m_s)):
        return NotJudged(factor, f"no pace for the {which} minutes")
    slower = pct_faster(m.median_speed_m_s, edge_m_s)
    if reaches(slower, slower_pct):
        return []
    why = (
        f"{subject} ({fmt.pace(edge_m_s, m.units)}) were {_describe_pct(slower, 'slower', 'faster')} your median pace "
        f"({fmt.pace(m.median_speed_m_s, m.units)}){tail} is at least {slower_pct:g} % slower."
    )
    return [_finding(factor, LOW, slower, slower_pct, "%", why)]


# --- duration and heat --------------------------------------------------------------------------

def long_run_level(minutes: float, t: Thresholds) -> tuple[str | None, float | None]:
    """(level, threshold) for a moving time in minutes; (None, None) below the note."""
    return band(minutes, at_least(HIGH, t.long_run_high_min), at_least(MODERATE, t.long_run_moderate_min), at_least(LOW, t.long_run_note_min))


def heat_level(temperature_c: float, t: Thresholds) -> tuple[str | None, float | None]:
    """(level, threshold) for an air reading in deg C (heat index or temperature); (None, None) below moderate."""
    return band(temperature_c, at_least(HIGH, t.heat_high_c), at_least(MODERATE, t.heat_moderate_c))


NO_TEMPERATURE = "no temperature of the air in the file (give --ambient-temp, and --humidity, to judge it)"


def long_run(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Moving time: >= 60 min note (low), >= 90 min moderate, >= 150 min high."""
    if m.moving_time_s <= 0:
        return NotJudged("long_run", "no moving time")
    minutes = m.moving_time_s / SECONDS_PER_MIN
    level, threshold = long_run_level(minutes, t)
    if level is None:
        return []
    why = (
        f"You ran {fmt.distance(m.distance_m, m.units)} in {fmt.clock(m.moving_time_s)} of moving time ({minutes:.0f} min); "
        f"{threshold:g} min or more is {'a note' if level == LOW else level}."
    )
    race = m.shape is not None and m.shape.kind == "race"  # race-day advice, not a training plan
    return [_finding("long_run", level, minutes, threshold, "min", why, advice_id="long_run_race" if race else None)]


def air_words(a: AirStats, units: str) -> str:
    """The reading in words: temperature, humidity, dew point and heat index, and where it came from."""
    text = fmt.degrees(a.temperature_c, units)
    if a.humidity_pct is not None:
        text += f" at {a.humidity_pct:.0f} % humidity"
        if a.dew_point_c is not None:
            text += f", dew point {fmt.degrees(a.dew_point_c, units)}"
        if a.heat_index_c is not None:
            text += f", {HEAT_INDEX_NAME} {fmt.degrees(a.heat_index_c, units)}"
    text += f" ({a.source}" + (f"; {a.method}" if a.method else "") + ")"
    if a.wrist:
        text += "; a wrist sensor reads a few degrees above the air, give --ambient-temp for the real value"
    return text


WRIST_LOWER = {HIGH: MODERATE, MODERATE: LOW}


def judged_heat(a: AirStats, t: Thresholds) -> tuple[str | None, float | None]:
    """(level, threshold) of an air reading (its heat index when humidity is known): a wrist
    sensor alone is judged one level below what an air reading of the same value gives (it
    reads several degrees above the air), so it never reaches high."""
    level, threshold = heat_level(a.judged_c, t)
    if level is not None and a.wrist:
        level = WRIST_LOWER[level]
    return level, threshold


def _measure(a: AirStats) -> str:
    return "heat index" if a.heat_index_c is not None else "temperature"


def heat(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """The air's heat index (or temperature): >= 22 degC moderate, >= 28 degC high; one level lower from a wrist sensor alone."""
    a = m.air
    if a is None:
        return NotJudged("heat", NO_TEMPERATURE)
    level, threshold = judged_heat(a, t)
    if level is None:
        return []
    air_level = heat_level(a.judged_c, t)[0]
    subject = "Your watch's own sensor read" if a.wrist else "The air was"  # a wrist is not the air
    why = f"{subject} {air_words(a, m.units)}; a {_measure(a)} of {fmt.limit(threshold, m.units)} or more is {air_level}"
    why += f" in the air, {level} from a wrist sensor alone." if level != air_level else "."
    return [_finding("heat", level, a.judged_c, threshold, "degC", why)]


def long_hot_run(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Long run at least moderate AND heat at least moderate: high."""
    a = m.air
    if a is None:
        return NotJudged("long_hot_run", NO_TEMPERATURE)
    minutes = m.moving_time_s / SECONDS_PER_MIN
    long_level, _ = long_run_level(minutes, t)
    heat_lvl, _ = judged_heat(a, t)
    if long_level in (MODERATE, HIGH) and heat_lvl in (MODERATE, HIGH):
        why = (
            f"{minutes:.0f} min of running in air of {fmt.degrees(a.judged_c, m.units)} ({_measure(a)}; {a.source}): at least "
            f"{t.long_run_moderate_min:g} min and at least {fmt.limit(t.heat_moderate_c, m.units)} together is high."
        )
        return [_finding("long_hot_run", HIGH, minutes, t.long_run_moderate_min, "min", why)]
    return []


def _overlap_s(start: datetime, end: datetime, hours: tuple[int, int]) -> float:
    """Seconds of [start, end] that fall within the local hours [h0, h1) of any day."""
    total = 0.0
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= end:
        window_start, window_end = day + timedelta(hours=hours[0]), day + timedelta(hours=hours[1])
        total += max(0.0, (min(end, window_end) - max(start, window_start)).total_seconds())
        day += timedelta(days=1)
    return total


DEG_PER_HOUR = 15.0  # the sun's apparent motion: local mean solar time = UTC + longitude / 15 h


def solar_times(m: RunMetrics) -> tuple[datetime, datetime, str] | None:
    """(start, end, what) of the run in local mean solar time from the first GPS fix's longitude
    (noon is when the sun is highest, within the equation of time's 16 min), else on the local
    clock; None without either."""
    elapsed = timedelta(seconds=m.elapsed_time_s)
    if m.start_longitude_deg is not None and m.start_time_utc is not None:
        start = m.start_time_utc.replace(tzinfo=None) + timedelta(hours=m.start_longitude_deg / DEG_PER_HOUR)
        return start, start + elapsed, "solar time"
    if m.start_time_local is None:
        return None
    start = m.start_time_local.replace(tzinfo=None)
    end = m.end_time_local.replace(tzinfo=None) if m.end_time_local is not None else start + elapsed
    return start, end, "local clock, no GPS for solar time"


def hot_time_of_day(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Running through the hot hours of the day (local solar time) in warm air (moderate); with no
    air reading, in a summer month (moderate when the wrist does not rule it out, low with no reading).

    A wrist reading never confirms warm air (it reads high), but a cool one rules it out.
    Value/threshold: the air reading vs heat_moderate_c; with no reading, the minutes in the hot hours vs 0.
    The season comes from the month and the hemisphere of the first GPS fix.
    """
    times = solar_times(m)
    if times is None:
        return NotJudged("hot_time_of_day", "no local time (no local clock in the file and no GPS fix for the timezone)")
    start, end, clock = times
    hours = p.hot_hours or (int(t.hot_hours_start_h), int(t.hot_hours_end_h))
    overlap_s = _overlap_s(start, end, hours)
    needed_s = min(t.hot_hours_min_overlap_min * SECONDS_PER_MIN, (end - start).total_seconds() / 3.0)
    if overlap_s <= 0 or overlap_s < needed_s:
        return []
    local = f"{m.start_time_local:%H:%M} local, " if m.start_time_local is not None and clock == "solar time" else ""
    span = (f"{local}{start:%H:%M}-{end:%H:%M} {clock} ({overlap_s / SECONDS_PER_MIN:.0f} min within "
            f"{hours[0]:02d}:00-{hours[1]:02d}:00)")
    a = m.air
    if a is not None and not a.wrist:
        if not reaches(a.judged_c, t.heat_moderate_c):
            return []
        why = f"You ran {span} in air of {air_words(a, m.units)}: the hottest part of the day."
        return [_finding("hot_time_of_day", MODERATE, a.judged_c, t.heat_moderate_c, "degC", why)]
    if a is not None and not reaches(a.temperature_c, t.heat_moderate_c):
        return []  # even the warm-reading wrist says the air was cool
    if m.start_latitude_deg is None:
        return NotJudged("hot_time_of_day", "no reading of the air and no position to tell the season")
    summer = NORTH_SUMMER_MONTHS if m.start_latitude_deg >= 0 else SOUTH_SUMMER_MONTHS
    if start.month not in summer:
        return []
    if a is not None:
        why = (f"You ran {span} in a summer month, with no reading of the air (the watch's own sensor read "
               f"{fmt.degrees(a.temperature_c, m.units)}, which a wrist does not fall below in warm air): the hottest part of the day.")
        return [_finding("hot_time_of_day", MODERATE, overlap_s / SECONDS_PER_MIN, 0.0, "min", why)]
    why = f"You ran {span} in a summer month with no temperature reading: the hottest part of the day."
    return [_finding("hot_time_of_day", LOW, overlap_s / SECONDS_PER_MIN, 0.0, "min", why)]


# --- surges, drift, descent ---------------------------------------------------------------------

def surges(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """One Finding for all surges: weighted count (last third x2) >= 1 low, >= 2 moderate, >= 4 high."""
    if (structured := _structured(m, "surges")) is not None:
        return structured
    if m.shape is not None and m.shape.kind in TERRAIN_SHAPES:
        return NotJudged("surges", f"a walk-run on hilly ground ({m.shape.evidence}): its speed changes follow the terrain")
    if m.moving_time_s <= t.surge_baseline_min * SECONDS_PER_MIN:
        return NotJudged("surges", f"the run is too short for a {t.surge_baseline_min:g}-min baseline")
    if not m.surges:
        return []
    late = sum(1 for s in m.surges if s.in_last_third)
    weighted = (len(m.surges) - late) + t.surge_last_third_weight * late
    level, threshold = band(
        weighted, at_least(HIGH, t.surge_high_weighted), at_least(MODERATE, t.surge_moderate_weighted), at_least(LOW, t.surge_note_weighted)
    )
    if level is None:
        return []
    single = len(m.surges) < t.surge_moderate_min_count and level != LOW
    if single:  # one surge, even late, is a note: an effort a watch saw once
        level, threshold = LOW, t.surge_note_weighted
    places = "; ".join(f"{fmt.clock(s.start_s)}, {fmt.distance(s.start_m, m.units)}" for s in m.surges)
    strongest = max(s.speed_ratio for s in m.surges)
    count = f"{len(m.surges)} surge{'s' if len(m.surges) > 1 else ''}"
    why = (
        f"{count} of at least {t.surge_pct:g} % above your rolling {t.surge_baseline_min:g}-min pace for "
        f"{t.surge_min_s:g} s or more (up to {(strongest - 1) * 100:.0f} % faster), at {places}; {late} in the last "
        f"third, counted x{t.surge_last_third_weight:g}: weighted count {weighted:g}, {threshold:g} or more is {level}"
        + (f" (fewer than {t.surge_moderate_min_count:g} surges stay a note)." if single else ".")
    )
    return [_finding(
        "surges", level, weighted, threshold, "count", why,
        at_s=[s.start_s for s in m.surges], at_m=[s.start_m for s in m.surges],
    )]


def hr_drift(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Aerobic decoupling on runs of >= 45 min: > 5 % moderate, > 10 % high."""
    if not m.has_heart_rate:
        return NotJudged("hr_drift", "no heart-rate channel")
    if (structured := _structured(m, "hr_drift")) is not None:
        return structured
    if m.moving_time_s < t.hr_drift_min_duration_min * SECONDS_PER_MIN:
        return NotJudged("hr_drift", f"the run is shorter than {t.hr_drift_min_duration_min:g} min")
    if m.hr_drift_pct is None:
        return NotJudged("hr_drift", "the pace was not steady enough (or too few heart-rate samples) to measure decoupling")
    stopped_s = m.elapsed_time_s - m.moving_time_s
    if stopped_s > t.hr_drift_max_stopped_pct / 100.0 * m.moving_time_s:
        return NotJudged(
            "hr_drift",
            f"{fmt.clock(stopped_s)} of stops (more than {t.hr_drift_max_stopped_pct:g} % of the moving time) let the "
            "heart rate recover: decoupling is read on continuous runs",
        )
    relief = max(((m.descent_m_per_km, "descent"), (m.ascent_m_per_km, "climbing")), key=lambda r: r[0] or 0.0)
    if relief[0] is not None and exceeds(relief[0], t.hr_drift_max_descent_m_per_km):
        # Decoupling compares pace per heartbeat between halves of a steady effort; on hilly
        # ground (trail runs, walk breaks on climbs) the halves differ by terrain, not fatigue.
        return NotJudged(
            "hr_drift",
            f"too hilly for a steady-effort comparison ({format_gradient(relief[0], m.units, what=relief[1])}; "
            f"decoupling is read on grade-adjusted pace on runs under {format_gradient(t.hr_drift_max_descent_m_per_km, m.units)})",
        )
    if m.hr_halves_bpm is not None and m.hr_halves_bpm[0] - m.hr_halves_bpm[1] > t.hr_drift_max_hr_fall_bpm:
        first, second = m.hr_halves_bpm
        return NotJudged(
            "hr_drift",
            f"your heart rate fell from {first:.0f} to {second:.0f} bpm between the halves: the heart did not work "
            "harder, the pace eased (a slowing that large is judged as a positive split)",
        )
    level, threshold = band(m.hr_drift_pct, more_than(HIGH, t.hr_drift_high_pct), more_than(MODERATE, t.hr_drift_moderate_pct))
    if level is None:
        return []
    why = (
        f"Pace per heartbeat fell by {m.hr_drift_pct:.1f} % from the first half to the second (aerobic decoupling); "
        f"more than {threshold:g} % is {level}."
    )
    return [_finding("hr_drift", level, m.hr_drift_pct, threshold, "%", why)]


def downhill(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Total descent per km: > 20 m/km moderate."""
    if m.descent_m_per_km is None:
        return NotJudged("downhill", "no elevation data" if not m.has_elevation else "descent could not be measured")
    if not exceeds(m.descent_m_per_km, t.downhill_m_per_km):
        return []
    descent = f"{format_height(m.total_descent_m, m.units)} of descent over " if m.total_descent_m is not None else ""
    why = (
        f"You ran {descent}{fmt.distance(m.distance_m, m.units)}: {format_gradient(m.descent_m_per_km, m.units, 1)}; "
        f"more than {format_gradient(t.downhill_m_per_km, m.units)} is moderate."
    )
    return [_finding("downhill", MODERATE, m.descent_m_per_km, t.downhill_m_per_km, "m/km", why)]


# --- body mass ----------------------------------------------------------------------------------

def body_mass_loss_pct(weight_before_kg: float, weight_after_kg: float) -> float:
    """Body-mass loss over the run, % of the mass before."""
    return (weight_before_kg - weight_after_kg) / weight_before_kg * 100.0


def fluid_loss(m: RunMetrics, t: Thresholds, p: RunnerProfile) -> Result:
    """Body-mass loss from the weights given: > 2 % moderate, > 3 % high."""
    if p.weight_before_kg is None or p.weight_after_kg is None:
        return NotJudged("fluid_loss", "no body weights given (weigh yourself before and after: --weight-before, --weight-after)")
    loss_pct = body_mass_loss_pct(p.weight_before_kg, p.weight_after_kg)
    level, threshold = band(loss_pct, more_than(HIGH, t.fluid_loss_high_pct), more_than(MODERATE, t.fluid_loss_moderate_pct))
    if level is None:
        return []
    why = (
        f"You lost {fmt.mass(p.weight_before_kg - p.weight_after_kg, m.units)}, {loss_pct:.1f} % of your "
        f"{fmt.mass(p.weight_before_kg, m.units)}; more than {threshold:g} % is {level}."
    )
    return [_finding("fluid_loss", level, loss_pct, threshold, "%", why)]


FACTOR_FUNCTIONS: tuple[Factor, ...] = (
    fast_start, fading_reps, positive_split, no_warmup, no_cooldown, long_run, heat, long_hot_run,
    hot_time_of_day, surges, hr_drift, downhill, fluid_loss,
)
