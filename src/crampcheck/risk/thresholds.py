"""Every threshold of the cramp-risk model, in ONE documented table (docs/risk-model.md).

Each parameter has a name, a default value, a unit, a one-line description that says how
it is compared (``more than`` = strict, ``at least`` = inclusive), its source and the
evidence level of the factor it belongs to. ``Thresholds`` is the immutable set in force:
the defaults, overridden by the ``[thresholds]`` table of the user's config file
(``crampcheck.risk.config``), with ``origin(name)`` telling where each value came from.

No threshold here is a validated predictor of a cramp: they turn what a file can measure
into levels with reasons, never into a probability.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crampcheck.risk.config import Config

DEFAULT_ORIGIN = "default"


@dataclass(frozen=True)
class FactorInfo:
    """What a risk factor belongs to and how well it is supported."""

    label: str  # plain words for reports and score reasons
    subscore: str  # overload | electrolyte (training-load history counts as overload)
    evidence: str  # strong | moderate | weak | expert-opinion
    source: str


# One entry per factor of docs/risk-model.md. Sources cite risk/sources.py by key.
FACTORS: Mapping[str, FactorInfo] = MappingProxyType({
    "fast_start": FactorInfo("fast start", "overload", "moderate",
        "first mile slower than the last [runners-blueprint, luff2022]; running faster than predicted pace [schwellnus2011]"),
    "fading_reps": FactorInfo("fading reps", "overload", "weak",
        "the interval form of going out too fast: first reps faster than the runner can hold to the last (by analogy with [schwellnus2011])"),
    "positive_split": FactorInfo("positive split", "overload", "moderate",
        "consequence of a fast start or overload; crampers slowed late [martinez-navarro2020]"),
    "no_warmup": FactorInfo("no warm-up", "overload", "expert-opinion",
        "5-10 min easy jog before running pace [cramp-guide, runners-blueprint, luff2022]"),
    "no_cooldown": FactorInfo("no cool-down", "overload", "expert-opinion", "never stop on the spot [runners-blueprint]"),
    "long_run": FactorInfo("long run", "electrolyte", "moderate",
        "electrolytes from 60 min, sports drink from 90 min [weber, runners-blueprint, luff2022]; about half of cramps in a race's final quarter [safer]"),
    "heat": FactorInfo("heat", "electrolyte", "weak",
        "overuse in the heat [cramp-guide, runners-blueprint]; WBGT flag bands 18-22 / 23-28 / >28, stand-ins on the heat index "
        "[acsm-heat2007, rothfusz1990, steadman1979] or the air temperature; weak for cramps"),
    "long_hot_run": FactorInfo("long run in the heat", "electrolyte", "weak",
        "long runs in hot weather [runners-blueprint, weber]"),
    "hot_time_of_day": FactorInfo("hottest part of the day", "electrolyte", "expert-opinion",
        "avoid the hottest part of the day in summer [runners-blueprint]"),
    "heat_unacclimatized": FactorInfo("heat without acclimatization", "electrolyte", "weak",
        "heat acclimatization builds over 1-2 weeks of training in the heat and fades within weeks without it "
        "[periard2015, racinais2015]; for cramps weak"),
    "surges": FactorInfo("surges", "overload", "weak",
        "changes of intensity [two-cramps]; neuromuscular-fatigue theory [schwellnus2009]"),
    "hr_drift": FactorInfo("heart-rate drift", "overload", "moderate", "aerobic decoupling, the 5 % convention [friel]"),
    "downhill": FactorInfo("downhill", "overload", "weak", "eccentric muscle damage on descents [eston1995]"),
    "fluid_loss": FactorInfo("body-mass loss", "electrolyte", "weak",
        "fluid replacement [sawka2007]; for cramps themselves weak [schwellnus2011]"),
    "distance_spike": FactorInfo("distance spike", "overload", "moderate",
        "mileage up too quickly [runners-blueprint]; a single run longer than the longest of the last 30 days was "
        "associated with injury, HR 1.64 for >10 %, 2.28 for >100 % [frandsen2025]"),
    "weekly_ramp": FactorInfo("weekly ramp", "overload", "weak",
        "acute:chronic workload ratio, disputed [gabbett2016]; week-to-week and acute:chronic changes were NOT "
        "associated with injury in the same cohort that found single-run spikes were [frandsen2025]"),
    "return_after_break": FactorInfo("return after a break", "overload", "expert-opinion",
        "crampcheck: after weeks off, a ramp ratio compares with nothing; the load the runner last trained at "
        "is the yardstick, and build back gradually [runners-blueprint]"),
    "hard_streak": FactorInfo("hard days in a row", "overload", "expert-opinion",
        "too many intense workouts in a row [cramp-guide, runners-blueprint]"),
    "no_rest": FactorInfo("no rest day", "overload", "expert-opinion", "rest days [cramp-guide]"),
    "data_checks": FactorInfo("data checks", "overload", "expert-opinion",
        "crampcheck: what a running watch can record; values past these limits are faults, not physiology"),
    "digest": FactorInfo("digest ranking", "overload", "expert-opinion",
        "crampcheck: what to change first, ranked by evidence x level x recency x frequency; the evidence as graded "
        "per factor, e.g. single-run spikes over week-to-week ratios [frandsen2025]"),
    "race_overreach": FactorInfo("race beyond training", "overload", "moderate",
        "race pace beyond conditioning [two-cramps]; faster than predicted pace [schwellnus2011]"),
    "own_cramps": FactorInfo("your own cramps", "overload", "moderate",
        "previous cramps and faster-than-predicted pace the independent predictors [schwellnus2011]; about half of "
        "cramps in a race's final quarter [safer]; the runner's own counts, never a probability"),
})


@dataclass(frozen=True)
class Parameter:
    """One documented threshold."""

    name: str
    value: float | int
    unit: str
    description: str
    factor: str  # key of FACTORS
    source: str
    evidence: str
    low: float = 0.0  # the range an override must lie in (inclusive): outside it a value
    high: float = math.inf  # would divide by zero, wrap a type or mean nothing


# The range of a threshold, by unit: windows and durations must be above zero (a zero window
# divides by zero), percentages non-negative, temperatures and years what the types hold.
UNIT_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType({
    "%": (0.0, 1000.0), "min": (0.1, 1440.0), "s": (0.1, 86400.0), "h": (0.1, 240.0), "degC": (-60.0, 60.0),
    "count": (0.0, 1000.0), "m/s": (0.01, 200.0), "steps/min": (0.0, 100.0), "flats": (0.1, 1.0),
    "m": (0.1, 1.0e6), "bpm": (0.0, 300.0), "m/km": (0.0, 1000.0), "year": (1970.0, 2200.0),
    "days": (1.0, 3650.0), "weeks": (1.0, 520.0), "ratio": (0.1, 100.0), "quantile": (0.0, 1.0),
    "exponent": (0.5, 2.0), "weight": (0.0, 100.0), "runs": (1.0, 1000.0),
})
NAME_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType({  # where the unit's range does not fit
    "hot_hours_start_h": (0.0, 24.0), "hot_hours_end_h": (0.0, 24.0),
    "terrain_min_factor_grade_pct": (-45.0, 0.0), "surge_restart_pct": (0.0, 100.0),
    "wrist_air_quantile_pct": (0.0, 100.0),
})


REAL_FILES = "set by reading the reports on real files [crampcheck-real]"
TERRAIN_SOURCE = (
    "shape of the heart-rate-fitted grade-adjusted pace curve (cheapest near -9 %, about 12 % below flat, no easier "
    "than flat by about -18 %) [robb2017]; the treadmill cost curve overstates the downhill benefit [minetti2002]"
)


def _p(factor: str, name: str, value: float | int, unit: str, description: str, source: str | None = None) -> Parameter:
    info = FACTORS[factor]
    low, high = NAME_RANGES.get(name) or UNIT_RANGES[unit]
    return Parameter(name, value, unit, description, factor, source or info.source, info.evidence, low, high)


PARAMETERS: tuple[Parameter, ...] = (
    # --- per-run factors -----------------------------------------------------------------
    _p("fast_start", "fast_start_moderate_pct", 2.0, "%",
       "first mile (km) more than this faster than the last, warm-up/cool-down left out: moderate"),
    _p("fast_start", "fast_start_high_pct", 5.0, "%", "first mile (km) more than this faster than the last: high"),
    _p("fast_start", "first10_pct", 5.0, "%",
       "first 10 % of the distance more than this faster than the whole-run average: moderate"),
    _p("fading_reps", "fading_reps_moderate_pct", 5.0, "%",
       "interval session: first half of the reps more than this faster than the second half: moderate"),
    _p("fading_reps", "fading_reps_high_pct", 10.0, "%",
       "interval session: first half of the reps more than this faster than the second half: high"),
    _p("positive_split", "positive_split_pct", 3.0, "%", "second half more than this slower than the first half: moderate"),
    _p("positive_split", "final_quarter_pct", 8.0, "%",
       "final quarter more than this slower than the first three quarters: high"),
    _p("no_warmup", "warmup_min", 5.0, "min", "length of the opening window compared with the median pace"),
    _p("no_warmup", "warmup_judged_min_min", 20.0, "min",
       "warm-up and cool-down are judged only on runs with at least this moving time", REAL_FILES),
    _p("no_warmup", "jog_min_min", 4.0, "min",
       "a warm-up or cool-down jog lasts at least this long (detection, metrics layer)", REAL_FILES),
    _p("no_warmup", "jog_slower_pct", 8.0, "%",
       "a warm-up or cool-down jog is at least this much slower than the run's reference pace (detection)", REAL_FILES),
    _p("no_warmup", "warmup_slower_pct", 5.0, "%",
       "opening window not at least this slower than the median pace (and no warm-up found): flag"),
    _p("no_cooldown", "cooldown_min", 5.0, "min", "length of the closing window compared with the median pace"),
    _p("no_cooldown", "cooldown_slower_pct", 5.0, "%",
       "closing window not at least this slower than the median pace, no walk, no cool-down found: flag"),
    _p("long_run", "long_run_note_min", 60.0, "min", "moving time at least this: note (electrolytes from 60 min [weber])"),
    _p("long_run", "long_run_moderate_min", 90.0, "min",
       "moving time at least this: moderate (sports-drink rule [runners-blueprint, luff2022])"),
    _p("long_run", "long_run_high_min", 150.0, "min", "moving time at least this: high"),
    _p("heat", "heat_moderate_c", 22.0, "degC",
       "the air's heat index (NWS, when humidity is known), else its temperature, at least this: moderate (a wrist reading alone: low)"),
    _p("heat", "heat_high_c", 28.0, "degC",
       "the air's heat index (NWS, when humidity is known), else its temperature, at least this: high (a wrist reading alone: moderate)"),
    _p("heat", "air_settle_min", 10.0, "min",
       "a sensor series (a watch or a pod) leaves out its first minutes, while it reaches the air (metrics layer)", REAL_FILES),
    _p("heat", "wrist_air_quantile_pct", 25.0, "%",
       "a wrist sensor (it only reads high: skin, effort, sun) is read as this quantile of its settled moving samples (metrics layer)",
       REAL_FILES),
    _p("hot_time_of_day", "hot_hours_start_h", 10, "h",
       "hour of local solar time (from the longitude; the clock without GPS) when the hottest part of the day begins: "
       "the high sun of 10-14 and the air's afternoon peak to 16 (the runner profile's hot_hours wins)"),
    _p("hot_time_of_day", "hot_hours_end_h", 16, "h", "hour of local solar time when the hottest part of the day ends"),
    _p("hot_time_of_day", "hot_hours_min_overlap_min", 45.0, "min",
       "the run must spend at least this long in the hot hours (or a third of its time, if shorter)", REAL_FILES),
    _p("surges", "surge_pct", 15.0, "%", "a surge: at least this faster than the rolling median baseline (metrics layer)"),
    _p("surges", "surge_min_s", 20.0, "s", "a surge lasts at least this long (metrics layer)"),
    _p("surges", "surge_baseline_min", 5.0, "min", "length of the rolling median baseline before a surge (metrics layer)"),
    _p("surges", "surge_restart_pct", 85.0, "%",
       "a speed-up out of 30 s slower than this share of the baseline is a restart after a walk or stop, not a surge", REAL_FILES),
    _p("surges", "surge_downhill_grade_pct", 2.0, "%",
       "a speed-up on a mean downhill grade at least this steep is not a surge (faster legs, not more effort)", REAL_FILES),
    _p("surges", "surge_moderate_min_count", 2, "count",
       "fewer surges than this stay a note (low) however late they came", REAL_FILES),
    _p("surges", "surge_min_change_m_s", 0.3, "m/s",
       "a surge must be at least this much faster than the baseline speed (GPS jitter on a slow jog can reach 15 %)", REAL_FILES),
    _p("surges", "surge_cadence_rise_spm", 2.0, "steps/min",
       "without heart rate, a surge must raise the cadence at least this much over the baseline median, when cadence is recorded", REAL_FILES),
    _p("fast_start", "terrain_min_factor", 0.88, "flats",
       "terrain model (every pacing comparison): the lowest cost of a grade, in flat metres per metre", TERRAIN_SOURCE),
    _p("fast_start", "terrain_min_factor_grade_pct", -9.0, "%",
       "terrain model: the grade at which that lowest cost is reached (the cost is back to flat at twice this grade)", TERRAIN_SOURCE),
    _p("fast_start", "terrain_altitude_hysteresis_m", 2.0, "m",
       "terrain model: altitude changes smaller than this dead band make no grade (GPS and barometer noise)", REAL_FILES),
    _p("fast_start", "terrain_grade_window_m", 100.0, "m",
       "terrain model: grade is the rise of the cleaned altitude over this distance, centred", REAL_FILES),
    _p("surges", "surge_hr_rise_bpm", 3.0, "bpm",
       "with heart rate recorded, a surge must raise it at least this much over the baseline median (risk model: speed, and HR when present)", REAL_FILES),
    _p("surges", "surge_last_third_weight", 2.0, "count", "weight of a surge in the last third of the run (others weigh 1)"),
    _p("surges", "surge_note_weighted", 1.0, "count", "weighted surge count at least this: low (noted)"),
    _p("surges", "surge_moderate_weighted", 2.0, "count", "weighted surge count at least this: moderate (one early surge: low)"),
    _p("surges", "surge_high_weighted", 4.0, "count", "weighted surge count at least this: high"),
    _p("hr_drift", "hr_drift_moderate_pct", 5.0, "%",
       "aerobic decoupling (pace:HR, first vs second half) more than this: moderate"),
    _p("hr_drift", "hr_drift_high_pct", 10.0, "%", "aerobic decoupling more than this: high"),
    _p("hr_drift", "hr_drift_min_duration_min", 45.0, "min", "decoupling is judged only on runs with at least this moving time"),
    _p("hr_drift", "hr_drift_max_descent_m_per_km", 30.0, "m/km",
       "decoupling (on grade-adjusted pace) is not judged above this descent (or climbing) per km: on mountain ground "
       "the halves differ by terrain", REAL_FILES),
    _p("hr_drift", "hr_drift_max_hr_fall_bpm", 5.0, "bpm",
       "decoupling is not judged when the second half's mean heart rate is more than this below the first's: the "
       "heart did not work harder, the runner eased off or walked", REAL_FILES),
    _p("hr_drift", "hr_drift_max_stopped_pct", 15.0, "%",
       "decoupling is not judged when the stops add up to more than this share of the moving time (the heart rate recovers in them)", REAL_FILES),
    _p("downhill", "downhill_m_per_km", 20.0, "m/km", "total descent per km of distance more than this: moderate"),
    _p("fluid_loss", "fluid_loss_moderate_pct", 2.0, "%", "body-mass loss (weights before/after) more than this: moderate"),
    _p("fluid_loss", "fluid_loss_high_pct", 3.0, "%", "body-mass loss more than this: high"),
    # --- data checks (metrics/quality.py): faults that must not be judged ---------------
    _p("data_checks", "data_gap_h", 1.0, "h",
       "a record gap at least this long with the timer running (no timer stop): record_gap, only one side of it judged"),
    _p("data_checks", "impossible_run_speed_m_s", 12.0, "m/s",
       "on foot, distance gained faster than this (43 km/h) is a fault, not running (GPS spike limit of io/geo.py)"),
    _p("data_checks", "impossible_ride_speed_m_s", 40.0, "m/s",
       "other sports (cycling...): distance gained faster than this is a fault"),
    _p("data_checks", "impossible_speed_min_s", 10.0, "s",
       "an impossible speed counts when it lasts at least this long, or in one jump of teleport_min_m"),
    _p("data_checks", "teleport_min_m", 1000.0, "m",
       "one record-to-record jump of at least this, at an impossible speed, is a GPS teleport"),
    _p("data_checks", "sparse_distance_pct", 50.0, "%",
       "less than this share of the records carry distance: sparse_distance, distance interpolated in time"),
    _p("data_checks", "duplicate_timestamps_pct", 5.0, "%",
       "at least this share of the records read had a duplicate timestamp (dropped): duplicate_timestamps"),
    _p("data_checks", "heart_rate_min_bpm", 25.0, "bpm", "a heart rate below this is a sensor fault: dropped"),
    _p("data_checks", "heart_rate_max_bpm", 250.0, "bpm", "a heart rate above this is a sensor fault: dropped"),
    _p("data_checks", "temperature_min_c", -40.0, "degC", "a temperature below this is a sensor fault: dropped"),
    _p("data_checks", "temperature_max_c", 60.0, "degC", "a temperature above this is a sensor fault: dropped"),
    _p("data_checks", "year_min", 1980, "year", "a record dated before this year is a clock fault: dropped"),
    _p("data_checks", "year_max", 2100, "year", "a record dated after this year is a clock fault: dropped"),
    _p("data_checks", "moving_mismatch_min_s", 60.0, "s",
       "moving time outside [device timer, records less timer stops] by more than this (or moving_mismatch_pct): moving_time_mismatch"),
    _p("data_checks", "moving_mismatch_pct", 5.0, "%", "... or more than this share of the device timer, whichever is larger"),
    # --- history factors -----------------------------------------------------------------
    _p("distance_spike", "distance_spike_window_days", 30, "days",
       "this run is compared with the longest run of this many previous days"),
    _p("distance_spike", "distance_spike_moderate_pct", 10.0, "%", "run more than this longer than that longest run: moderate"),
    _p("distance_spike", "distance_spike_high_pct", 30.0, "%", "more than this longer: high"),
    _p("distance_spike", "distance_spike_very_high_pct", 100.0, "%", "more than this longer: very high"),
    _p("weekly_ramp", "weekly_ramp_chronic_weeks", 4, "weeks",
       "this week's volume is compared with the mean of this many previous weeks"),
    _p("weekly_ramp", "weekly_ramp_moderate_ratio", 1.3, "ratio", "acute:chronic volume ratio more than this: moderate"),
    _p("weekly_ramp", "weekly_ramp_high_ratio", 1.5, "ratio", "acute:chronic volume ratio at least this: high"),
    _p("hard_streak", "hard_quantile", 0.75, "quantile",
       "a hard day: intensity in the runner's own top quartile (this quantile), or a long run"),
    _p("hard_streak", "hard_streak_moderate_days", 2, "days", "at least this many hard days in a row: moderate"),
    _p("hard_streak", "hard_streak_high_days", 3, "days", "at least this many hard days in a row: high"),
    _p("no_rest", "no_rest_moderate_days", 7, "days", "at least this many days since the last rest day: moderate"),
    _p("no_rest", "no_rest_high_days", 10, "days", "at least this many days since the last rest day: high"),
    _p("race_overreach", "race_overreach_window_weeks", 8, "weeks",
       "a race is compared with the training of this many previous weeks"),
    _p("race_overreach", "race_overreach_sustained_min", 20.0, "min",
       "a race's pace is compared with the best training effort sustained at least this long"),
    _p("race_overreach", "race_overreach_pace_pct", 5.0, "%",
       "race pace more than this faster than the best sustained training effort predicts at the race distance "
       "(Riegel): flag",
       "crampers ran ~8 % faster than their predicted pace [schwellnus2011]; a margin for race day (taper, crowd) "
       "[crampcheck-real]"),
    _p("race_overreach", "race_overreach_effort_min", 60.0, "min",
       "the best sustained training effort is read as the pace the runner could race for this long (a tempo run "
       "is run at about one-hour race pace), and carried from that duration to the race's distance",
       "tempo (threshold) pace is about the pace of a one-hour race [riegel1981; crampcheck-real]"),
    _p("race_overreach", "race_overreach_distance_pct", 10.0, "%",
       "race distance more than this longer than the longest training run of the window: flag"),
    _p("race_overreach", "race_distance_tolerance_pct", 3.0, "%",
       "a run up to this much SHORTER than 5 km / 10 km / half / marathon counts at that race distance (heuristic)"),
    _p("race_overreach", "race_distance_long_pct", 5.0, "%",
       "... and up to this much LONGER (GPS-measured races run long)"),
    _p("race_overreach", "race_standout_pct", 10.0, "%",
       "heuristic race: average speed at least this much faster than the runner's median over the same distance band"),
    _p("race_overreach", "race_standout_min_runs", 1, "count",
       "heuristic race: at least this many other runs in that distance band (within a year) to compare with"),
    _p("race_overreach", "race_predict_window_weeks", 26, "weeks",
       "predicted race time: from the best effort (Riegel) of this many weeks before the race [riegel1981]"),
    _p("race_overreach", "riegel_exponent", 1.06, "exponent",
       "predicted time T2 = T1 x (D2 / D1) ^ this [riegel1981]"),
    # --- breaks and gaps ------------------------------------------------------------------
    _p("return_after_break", "break_min_weeks", 2, "weeks",
       "at least this many weeks without a run is a break: the week after is judged as a return, not a ramp"),
    _p("return_after_break", "return_moderate_pct", 75.0, "%",
       "first week back at least this share of the mean week before the break: moderate"),
    _p("return_after_break", "return_high_pct", 100.0, "%", "first week back at least this share: high"),
    _p("return_after_break", "return_min_base_weeks", 2, "weeks",
       "the 4 weeks before the break must hold runs in at least this many weeks to be a yardstick (else a note)"),
    # --- digest ranking: evidence x level x recency x frequency ---------------------------
    _p("digest", "digest_weight_strong", 4.0, "weight",
       "digest ranking: weight of a factor with strong evidence", "crampcheck: the evidence level of each factor [frandsen2025]"),
    _p("digest", "digest_weight_moderate", 3.0, "weight", "digest ranking: moderate evidence",
       "crampcheck: the evidence level of each factor [frandsen2025]"),
    _p("digest", "digest_weight_weak", 1.5, "weight",
       "digest ranking: weak evidence (the weekly ramp: not associated with injury [frandsen2025])",
       "crampcheck: the evidence level of each factor [frandsen2025]"),
    _p("digest", "digest_weight_expert", 1.0, "weight", "digest ranking: expert opinion only",
       "crampcheck: the evidence level of each factor [frandsen2025]"),
    _p("digest", "digest_recency_half_life_weeks", 4.0, "weeks",
       "digest ranking: an occurrence this many weeks before the end of the view counts half"),
    _p("digest", "digest_weeks", 12, "weeks", "the view of scan and its digest: the last this many weeks (--weeks)"),
    _p("own_cramps", "cramp_pattern_min_runs", 3, "runs",
       "at least this many cramped runs (and as many sharing a factor) before a pattern sentence is written"),
    _p("own_cramps", "cramp_pattern_min_share_pct", 60.0, "%",
       "a factor repeats when at least this share of the cramped runs had it..."),
    _p("own_cramps", "cramp_pattern_margin_pct", 30.0, "%",
       "...and its share among comparable cramp-free runs is at least this many points lower"),
    _p("own_cramps", "cramp_compare_distance_pct", 25.0, "%",
       "a cramp-free run is comparable with a cramped one of the same kind within this much of its distance"),
    _p("own_cramps", "cramp_before_m", 1000.0, "m", "the run report describes this much of the run before a cramp"),
    _p("own_cramps", "predicted_fast_pct", 4.0, "%",
       "a first half more than this faster than the race's predicted pace (races.prediction) is a fast start against it",
       "faster than predicted pace, an independent predictor of cramping [schwellnus2011]"),
    _p("heat_unacclimatized", "heat_acclim_window_days", 14, "days",
       "the runs in warm air of this many days before a hot run count as acclimatization"),
    _p("heat_unacclimatized", "heat_acclim_warm_c", 22.0, "degC",
       "a run in warm air: its air reading (heat index when humidity is known) at least this"),
    _p("heat_unacclimatized", "heat_acclim_hot_c", 28.0, "degC",
       "a hot run, judged for acclimatization: its air reading (heat index when humidity is known) at least this"),
    _p("heat_unacclimatized", "heat_acclim_min_runs", 5, "count",
       "fewer runs in warm air than this in the window before a hot run: flag (moderate; low from a wrist reading alone)"),
)

DEFAULTS: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in PARAMETERS})

# (lower, upper) pairs that must stay ordered after overrides: lower <= upper.
ORDERED_PAIRS: tuple[tuple[str, str], ...] = (
    ("fast_start_moderate_pct", "fast_start_high_pct"),
    ("long_run_note_min", "long_run_moderate_min"),
    ("long_run_moderate_min", "long_run_high_min"),
    ("heat_moderate_c", "heat_high_c"),
    ("heat_acclim_warm_c", "heat_acclim_hot_c"),
    ("hot_hours_start_h", "hot_hours_end_h"),
    ("surge_note_weighted", "surge_moderate_weighted"),
    ("surge_moderate_weighted", "surge_high_weighted"),
    ("hr_drift_moderate_pct", "hr_drift_high_pct"),
    ("fluid_loss_moderate_pct", "fluid_loss_high_pct"),
    ("distance_spike_moderate_pct", "distance_spike_high_pct"),
    ("distance_spike_high_pct", "distance_spike_very_high_pct"),
    ("weekly_ramp_moderate_ratio", "weekly_ramp_high_ratio"),
    ("hard_streak_moderate_days", "hard_streak_high_days"),
    ("no_rest_moderate_days", "no_rest_high_days"),
    ("return_moderate_pct", "return_high_pct"),
    ("heart_rate_min_bpm", "heart_rate_max_bpm"),
    ("year_min", "year_max"),
)
HOURS_PER_DAY = 24


def check_value(name: str, value: object) -> str | None:
    """Why ``value`` cannot replace threshold ``name`` (None when it can): not a number, NaN,
    not whole where the default is, or outside the parameter's range (``low``..``high``)."""
    if name not in DEFAULTS:
        return "unknown threshold (run `crampcheck thresholds` for the names)"
    p = DEFAULTS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__} {value!r}"
    if isinstance(p.value, int) and not isinstance(value, int):
        return f"expected a whole number, got {value!r}"
    if math.isnan(value):
        return "must be a number, got NaN"
    span = f"(range {p.low:g} to {p.high:g} {p.unit})"
    if value < p.low:
        return f"must be at least {p.low:g} {p.unit} {span}, got {value!r}"
    if value > p.high:
        return f"must be at most {p.high:g} {p.unit} {span}, got {value!r}"
    return None


class Thresholds:
    """The thresholds in force: read-only, attribute access (``t.heat_high_c``).

    Build a changed copy with ``with_overrides``; ``origin(name)`` is ``"default"`` or the
    config file that set the value.
    """

    __slots__ = ("_origins", "_values")

    def __init__(self) -> None:
        """The defaults of the table."""
        object.__setattr__(self, "_values", MappingProxyType({p.name: p.value for p in PARAMETERS}))
        object.__setattr__(self, "_origins", MappingProxyType({p.name: DEFAULT_ORIGIN for p in PARAMETERS}))

    @classmethod
    def _build(cls, values: Mapping[str, float], origins: Mapping[str, str]) -> Thresholds:
        new = object.__new__(cls)
        object.__setattr__(new, "_values", MappingProxyType(dict(values)))
        object.__setattr__(new, "_origins", MappingProxyType(dict(origins)))
        return new

    def __reduce__(self):  # picklable (e.g. sent to worker processes)
        return (Thresholds._build, (dict(self._values), dict(self._origins)))

    def __getattr__(self, name: str) -> float:
        if name.startswith("_"):  # slots not set yet (copy/pickle): no recursion
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no threshold named {name!r}") from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Thresholds is immutable: use with_overrides()")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Thresholds) and dict(self._values) == dict(other._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._values.items() if self._origins[k] != DEFAULT_ORIGIN}
        return f"Thresholds(overrides={changed!r})"

    def get(self, name: str) -> float:
        """Value of threshold ``name`` (KeyError if unknown)."""
        return self._values[name]

    def origin(self, name: str) -> str:
        """``"default"`` or the path of the config file that set ``name``."""
        return self._origins[name]

    def with_overrides(self, overrides: Mapping[str, object], origin: str) -> Thresholds:
        """A copy with ``overrides`` applied; raise ValueError("name: why") on a bad entry."""
        for name, value in overrides.items():
            problem = check_value(name, value)
            if problem:
                raise ValueError(f"{name}: {problem}")
        values = {**self._values, **overrides}
        for lower, upper in ORDERED_PAIRS:
            if values[lower] > values[upper]:
                culprit = lower if lower in overrides else upper
                raise ValueError(f"{culprit}: {lower} ({values[lower]:g}) must not exceed {upper} ({values[upper]:g})")
        origins = {**self._origins, **{name: origin for name in overrides}}
        return Thresholds._build(values, origins)


DEFAULT_THRESHOLDS = Thresholds()


def threshold_rows(config: Config | None = None) -> list[dict]:
    """Rows for ``crampcheck thresholds``: name, value, unit, description, factor, source, evidence,
    origin, and the range (min, max) a config value must lie in."""
    thresholds = config.thresholds if config is not None else DEFAULT_THRESHOLDS
    return [
        {
            "name": p.name,
            "value": thresholds.get(p.name),
            "unit": p.unit,
            "description": p.description,
            "factor": p.factor,
            "source": p.source,
            "evidence": p.evidence,
            "origin": thresholds.origin(p.name),
            "min": p.low,
            "max": p.high,
        }
        for p in PARAMETERS
    ]
