"""The terrain model: cleaned altitude, grade, and the effort-equivalent cost of a grade."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.grade import Terrain, clean_profile, cost_factor, dead_band, grade_at
from crampcheck.metrics.run import compute
from tests.helpers.runs import Seg, build

FLAT_SPEED = 3.0


def test_cost_curve_has_the_documented_shape():
    """f(g) = 1 + a g + b g^2 with its minimum 0.88 at -9 %, back to 1 at -18 %, 1 beyond."""
    a, b = Terrain().coefficients
    assert b == pytest.approx(0.12 / 0.0081) and a == pytest.approx(2 * b * 0.09)
    assert cost_factor(0.0) == pytest.approx(1.0)
    assert cost_factor(-0.09) == pytest.approx(0.88)
    assert cost_factor(-0.18) == pytest.approx(1.0)
    assert cost_factor(-0.30) == 1.0  # a very steep descent: no credit, no penalty
    assert cost_factor(0.10) == pytest.approx(1 + a * 0.1 + b * 0.01)  # 1.41
    assert 1.40 < cost_factor(0.10) < 1.42 and 2.12 < cost_factor(0.20) < 2.14
    assert cost_factor(0.9) == pytest.approx(cost_factor(0.45))  # clipped
    # the downhill side is much flatter than Minetti's energy cost (0.60 at -10 %)
    assert cost_factor(-0.10) > 0.87


def test_dead_band_ignores_noise_and_follows_real_changes():
    noise = 100 + np.array([0.0, 1.5, -1.5, 1.9, -1.0, 0.5])
    assert dead_band(noise, 2.0).tolist() == [100.0] * 6
    climb = np.arange(0.0, 20.0, 1.0)
    out = dead_band(climb, 2.0)
    assert out[-1] == 17.0 and np.all(np.diff(out) >= 0)  # lags by the band, same slope


def test_grade_from_the_cleaned_profile():
    d = np.arange(0.0, 2001.0, 5.0)
    alt = np.where(d <= 1000, 100 + 0.06 * d, 160 - 0.03 * (d - 1000))
    grid, profile = clean_profile(d, alt)
    g = grade_at(np.array([500.0, 1500.0]), grid, profile, 100.0)
    assert g[0] == pytest.approx(0.06, abs=1e-6) and g[1] == pytest.approx(-0.03, abs=1e-6)


def test_gps_altitude_noise_makes_no_grade():
    """+-2 m of altitude noise on a flat run leaves the grade-adjusted speeds at the raw ones."""
    rng = np.random.default_rng(7)
    activity = build([Seg(3600, FLAT_SPEED)])
    activity.records["altitude_m"] = 50 + rng.uniform(-2, 2, len(activity.records))
    m = compute(activity, "km")
    fl = m.first_vs_last
    assert fl.first_gap_speed_m_s == pytest.approx(fl.first_speed_m_s, rel=0.01)
    assert fl.last_gap_speed_m_s == pytest.approx(fl.last_speed_m_s, rel=0.01)


@pytest.mark.parametrize("grade", [0.06, -0.06])
def test_hilly_first_km_at_equal_effort_is_not_a_fast_or_slow_start(grade):
    # first km on a 6 % slope at the speed that costs what FLAT_SPEED costs on the flat
    hill_speed = FLAT_SPEED / float(cost_factor(grade))
    hill_s = int(round(1000 / hill_speed))
    m = compute(build([Seg(hill_s, hill_speed, grade=grade), Seg(1500, FLAT_SPEED)]), "km")
    fl = m.first_vs_last
    assert fl.grade_adjusted and fl.unit == "km"
    assert fl.first_speed_m_s == pytest.approx(hill_speed, rel=0.01)  # the speed, as the splits show it
    assert fl.first_gap_speed_m_s == pytest.approx(FLAT_SPEED, rel=0.02)
    assert fl.gap_ratio == pytest.approx(1.0, abs=0.02)
    assert m.splits[0].gap_speed_m_s == pytest.approx(FLAT_SPEED, rel=0.02)
    assert m.splits[0].speed_m_s == pytest.approx(hill_speed, rel=0.01)


def test_first_10pct_is_grade_adjusted_like_its_reference():
    """A downhill opening run at the same effort as the flat rest is no faster, grade-adjusted."""
    downhill = FLAT_SPEED / float(cost_factor(-0.05))
    m = compute(build([Seg(300, downhill, grade=-0.05), Seg(2700, FLAT_SPEED)]), "km")
    assert downhill > FLAT_SPEED * 1.05  # raw: clearly faster
    assert m.pacing.first_10pct_m_s == pytest.approx(m.pacing.average_m_s, rel=0.03)
