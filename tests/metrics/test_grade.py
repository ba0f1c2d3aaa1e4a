"""Grade-adjusted speed with Minetti et al. (2002)'s energy cost of running."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.grade import cost_factor, grade_at, running_cost_j_kg_m
from crampcheck.metrics.run import compute
from crampcheck.units import METERS_PER_MILE
from tests.metrics.runbuilder import Seg, build

# C(i) = 155.4i^5 - 30.4i^4 - 43.3i^3 + 46.3i^2 + 19.5i + 3.6, evaluated by hand
COST_UP_10PCT = 0.001554 - 0.00304 - 0.0433 + 0.463 + 1.95 + 3.6  # 5.968214 J/kg/m
COST_DOWN_10PCT = -0.001554 - 0.00304 + 0.0433 + 0.463 - 1.95 + 3.6  # 2.151706 J/kg/m
FLAT_SPEED = 3.0


def test_minetti_polynomial_values():
    assert running_cost_j_kg_m(0.0) == pytest.approx(3.6)
    assert running_cost_j_kg_m(0.1) == pytest.approx(COST_UP_10PCT, rel=1e-9)
    assert running_cost_j_kg_m(-0.1) == pytest.approx(COST_DOWN_10PCT, rel=1e-9)
    assert running_cost_j_kg_m(0.9) == pytest.approx(running_cost_j_kg_m(0.45))  # clipped to the fit's range


def test_grade_from_altitude_over_distance():
    d = np.arange(0.0, 2001.0, 5.0)
    alt = np.where(d <= 1000, 100 + 0.06 * d, 160 - 0.03 * (d - 1000))
    g = grade_at(np.array([500.0, 1500.0, 1000.0]), d, alt)
    assert g[0] == pytest.approx(0.06) and g[1] == pytest.approx(-0.03)
    assert g[2] == pytest.approx((0.06 - 0.03) / 2)  # the window straddles the summit


@pytest.mark.parametrize("grade, cost", [(0.10, COST_UP_10PCT), (-0.10, COST_DOWN_10PCT)])
def test_hilly_first_mile_at_equal_effort_is_not_a_fast_or_slow_start(grade, cost):
    # first mile on a 10 % slope at the speed that costs what FLAT_SPEED costs on the flat
    hill_speed = FLAT_SPEED * 3.6 / cost
    hill_s = int(round(METERS_PER_MILE / hill_speed))
    segs = [Seg(hill_s, hill_speed, grade=grade), Seg(1500, FLAT_SPEED)]
    m = compute(build(segs), "mi")
    fl = m.first_vs_last
    assert fl.grade_adjusted
    assert fl.ratio == pytest.approx(1.0, abs=0.015)  # raw speeds differ by 40-70 %
    assert fl.first_speed_m_s == pytest.approx(FLAT_SPEED, rel=0.015)
    assert m.splits[0].gap_speed_m_s == pytest.approx(FLAT_SPEED, rel=0.015)
    assert m.splits[0].speed_m_s == pytest.approx(hill_speed, rel=0.01)
    assert m.splits[-2].gap_speed_m_s == pytest.approx(FLAT_SPEED, rel=1e-3)


def test_cost_factor_is_relative_to_flat():
    assert cost_factor(0.1) == pytest.approx(COST_UP_10PCT / 3.6)


def test_first_10pct_is_grade_adjusted_like_its_reference():
    """A downhill opening run at the same effort as the flat rest is no faster, grade-adjusted."""
    flat = 3.0
    downhill = flat * running_cost_j_kg_m(0.0) / running_cost_j_kg_m(-0.05)  # equal energy per second
    m = compute(build([Seg(300, downhill, grade=-0.05), Seg(2700, flat)]), "km")
    assert downhill > flat * 1.1  # raw: clearly faster
    assert m.first_10pct_speed_m_s == pytest.approx(m.first_10pct_reference_speed_m_s, rel=0.03)
