"""Grade and grade-adjusted ("flat-equivalent") distance, after Minetti et al. 2002.

Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002). Energy cost of walking and running
at extreme uphill and downhill slopes. J Appl Physiol 93:1039-1046. Their fit of the energy
cost of running on a slope ``i`` (fraction, valid from -0.45 to +0.45):

    C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6   (J per kg per m)

Running ``d`` metres at grade ``i`` costs what ``d * C(i) / C(0)`` metres on the flat do, so
the grade-adjusted speed of a stretch is its flat-equivalent distance over its time.
"""

from __future__ import annotations

import numpy as np

MINETTI_COEFFICIENTS = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)  # i^5 ... i^0, J/kg/m
FLAT_COST_J_KG_M = 3.6  # C(0)
MAX_ABS_GRADE = 0.45  # validity range of Minetti's fit
GRADE_WINDOW_M = 100.0  # grade = altitude change over this distance, centred (smooths altitude noise)


def running_cost_j_kg_m(grade: np.ndarray | float) -> np.ndarray:
    """Energy cost of running, J/kg/m, at ``grade`` (fraction; clipped to +-MAX_ABS_GRADE)."""
    return np.polyval(MINETTI_COEFFICIENTS, np.clip(grade, -MAX_ABS_GRADE, MAX_ABS_GRADE))


def cost_factor(grade: np.ndarray | float) -> np.ndarray:
    """C(grade) / C(0): how many flat metres one metre at ``grade`` is worth."""
    return running_cost_j_kg_m(grade) / FLAT_COST_J_KG_M


def grade_at(
    at_m: np.ndarray, distance_m: np.ndarray, altitude_m: np.ndarray, window_m: float = GRADE_WINDOW_M
) -> np.ndarray:
    """Grade (fraction, clipped to +-MAX_ABS_GRADE) at distances ``at_m``.

    Altitude change over ``window_m`` centred on each point (shortened at the ends of the
    run), from the altitude profile against distance; repeated distances (standing still)
    keep their first altitude so that altitude noise while stopped is ignored.
    """
    known = np.isfinite(altitude_m) & np.isfinite(distance_m)
    d, first = np.unique(distance_m[known], return_index=True)
    alt = altitude_m[known][first]
    if len(d) < 2:
        return np.zeros(len(at_m))
    half = window_m / 2.0
    lo = np.clip(at_m - half, d[0], d[-1])
    hi = np.clip(at_m + half, d[0], d[-1])
    span = hi - lo
    rise = np.interp(hi, d, alt) - np.interp(lo, d, alt)
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(span > 0, rise / span, 0.0)
    return np.clip(grade, -MAX_ABS_GRADE, MAX_ABS_GRADE)


def effort_distance_m(distance_m: np.ndarray, altitude_m: np.ndarray, window_m: float = GRADE_WINDOW_M) -> np.ndarray:
    """Cumulative flat-equivalent distance (m) at each record.

    Each step's distance is weighted by C(i)/C(0) at the grade of its midpoint.
    """
    step_m = np.diff(distance_m, prepend=distance_m[0])
    mid_m = distance_m - step_m / 2.0
    return np.cumsum(step_m * cost_factor(grade_at(mid_m, distance_m, altitude_m, window_m)))
