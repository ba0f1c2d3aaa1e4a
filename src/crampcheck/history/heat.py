"""The history factor ``heat_unacclimatized``: a hot run after too few runs in warm air.

Heat acclimatization (a larger plasma volume, earlier and more dilute sweating, a lower heart
rate and core temperature at the same pace) builds over 1-2 weeks of training in the heat and
fades within weeks without it [periard2015, racinais2015]. So a hot run (its air reading, the
heat index when humidity is known, at least ``heat_acclim_hot_c``) is flagged when fewer than
``heat_acclim_min_runs`` of the runs in the ``heat_acclim_window_days`` before it were in warm
air (at least ``heat_acclim_warm_c``). A hot run read from a wrist sensor alone is flagged one
level lower (low), as the per-run heat factor does; warm runs are counted from any reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from crampcheck.history.factors import HistoryFinding
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.levels import LOW, MODERATE
from crampcheck.risk.thresholds import FACTORS
from crampcheck.units import temperature_in, temperature_unit

FACTOR = "heat_unacclimatized"
ADVICE = (
    "Before a hot race, train in warm conditions for 1-2 weeks (easy runs of 60 min or more in the heat, "
    "or in extra clothing), start slower than your cool-weather pace, and drink to a plan with sodium "
    "[periard2015, racinais2015]."
)


def _temp(celsius: float, units: str, fmt: str) -> str:
    """A temperature in the report's one scale (°F under "mi")."""
    return f"{temperature_in(celsius, units):{fmt}} {temperature_unit(units)}"


def heat_unacclimatized(rows: Sequence[ActivitySummary], th: HistoryThresholds, units: str = "km") -> list[HistoryFinding]:
    """Hot runs with fewer than ``heat_acclim_min_runs`` warm runs in the window before them.

    A run is judged only when the history covers the whole window before it and the window holds
    at least one run with an air reading (otherwise there is nothing to count)."""
    window = timedelta(days=th.heat_acclim_window_days)
    out: list[HistoryFinding] = []
    if not rows:
        return out
    first = rows[0].start_time_utc
    for i, row in enumerate(rows):
        hot_c, t = row.air_judged_c, row.start_time_utc
        if hot_c is None or hot_c < th.heat_acclim_hot_c or t - first < window:
            continue
        before = [r for r in rows[:i] if t - window <= r.start_time_utc < t and r.air_judged_c is not None]
        if not before:
            continue
        warm = sum(1 for r in before if r.air_judged_c >= th.heat_acclim_warm_c)
        if warm >= th.heat_acclim_min_runs:
            continue
        wrist = row.air_kind == "watch"
        measure = "heat index" if row.air_heat_index_c is not None else "air temperature"
        why = (
            f"{'Race' if row.is_race else 'Run'} on {row.day} in a {measure} of {_temp(hot_c, units, '.1f')} ({row.air_source}) "
            f"after {warm} run{'' if warm == 1 else 's'} in warm air ({_temp(th.heat_acclim_warm_c, units, 'g')} or more) in the previous "
            f"{th.heat_acclim_window_days} days (of {len(before)} with a reading); fewer than {th.heat_acclim_min_runs} "
            "leaves the body unacclimatized to the heat"
        )
        why += ": low, the hot reading is from a wrist sensor alone." if wrist else "."
        out.append(HistoryFinding(
            id=FACTOR, level=LOW if wrist else MODERATE, evidence=FACTORS[FACTOR].evidence,
            start_date=row.day, end_date=row.day, value=float(warm), threshold=float(th.heat_acclim_min_runs),
            unit="runs", why=why, advice=ADVICE, file=row.file, subscore=FACTORS[FACTOR].subscore,
        ))
    return out
