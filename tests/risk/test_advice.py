"""Fluid plan (both unit systems, sources), sweat-rate arithmetic, advice texts, formatters."""

from __future__ import annotations

import pytest

from crampcheck.risk import fmt
from crampcheck.risk.advice import ADVICE, acsm_oz_per_lb, advice, fluid_plan, sweat_rate_l_h
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.factors import FACTOR_FUNCTIONS
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS as T


def test_sweat_rate_is_exact():
    assert sweat_rate_l_h(70.0, 68.5, 0.75, 1.5) == 1.5  # (1.5 + 0.75) / 1.5
    assert sweat_rate_l_h(70.0, 68.5, 0.75, 1.5, urine_l=0.15) == pytest.approx(2.1 / 1.5)
    assert sweat_rate_l_h(60.0, 60.5, 0.0, 1.0) == -0.5  # gained weight: says so, no clamping
    with pytest.raises(ValueError):
        sweat_rate_l_h(70, 69, 0.5, 0)


def test_unit_conversions():
    assert fmt.oz_to_ml(16) == 470 and fmt.oz_to_ml(24) == 710  # 473.2, 709.8 mL
    assert fmt.oz_to_ml(4) == 120 and fmt.oz_to_ml(8) == 240 and fmt.oz_to_ml(6) == 180
    low, high = acsm_oz_per_lb()
    assert low == pytest.approx(1250 / 29.5735295625 / 2.2046226218) and round(low) == 19 and round(high) == 23


def test_fluid_plan_lines_in_the_users_unit_system_with_sources():
    plan = fluid_plan(40 * 60, RunnerProfile(), T, "mi")
    before, during, after = "\n".join(plan.before), "\n".join(plan.during), "\n".join(plan.after)
    assert "About an hour before: 16–24 oz of water" in before and "[luff2022]" in before
    assert "a further 4–8 oz [" in before
    assert "Every 15-20 min: 6–8 oz [" in during
    assert "Drink about 20 oz per lb of body mass lost [runners-blueprint]" in after
    assert "ACSM suggests about 19-23 oz per lb lost" in after and "[sawka2007]" in after
    assert "For runs of 90 min or more" in during and "from 60 min" in during
    assert plan.sweat_rate_l_h is None
    metric = fluid_plan(40 * 60, RunnerProfile(), T, "km")
    before, during, after = "\n".join(metric.before), "\n".join(metric.during), "\n".join(metric.after)
    assert "About an hour before: 470–710 mL of water" in before and "a further 120–240 mL [" in before
    assert "Every 15-20 min: 180–240 mL [" in during
    # 20 oz per lb = 20 x 29.5735 mL x 2.2046 per kg = 1.304 L per kg
    assert "Drink about 1.30 L per kg of body mass lost [runners-blueprint]" in after
    assert "ACSM suggests 1.25-1.5 L per kg lost [sawka2007]" in after
    assert not any(word in "\n".join([before, during, after]) for word in (" oz", " lb"))


@pytest.mark.parametrize(
    "minutes, expected",
    [(59, "For runs of 90 min or more"), (60, "This run lasted 60 min: electrolytes"), (89, "This run lasted 89 min: electrolytes"),
     (90, "This run lasted 90 min (at least 90): make part of it a sports drink with sodium")],
)
def test_fluid_plan_follows_the_duration(minutes, expected):
    assert expected in "\n".join(fluid_plan(minutes * 60, RunnerProfile(), T).during)


def test_fluid_plan_after_with_weights_and_sweat_rate():
    profile = RunnerProfile(weight_before_kg=70.0, weight_after_kg=69.0, fluid_l=0.5)
    plan = fluid_plan(3600.0, profile, T, "km")
    after = "\n".join(plan.after)
    # 1 kg = 2.2046 lb x 20 oz = 44.09 oz = 1.30 L; ACSM 1.25-1.50 L = 42-51 oz
    assert "You lost 1.00 kg: about 1.30 L by the coaching rule, 1.25 L to 1.50 L by ACSM's." in after
    assert plan.sweat_rate_l_h == 1.5
    assert "Your sweat rate on this run: 1.50 L per hour (typical runners 0.5-2 L/h; 1.21 ± 0.68 L/h in athletes [baker2016])" in after
    in_miles = "\n".join(fluid_plan(3600.0, profile, T, "mi").after)  # ounces and pounds only
    assert "You lost 2.20 lb: about 44 oz by the coaching rule, 42 oz to 51 oz by ACSM's." in in_miles
    # 1.5 L = 50.7 oz; 0.5-2 L = 17-68 oz; 1.21 ± 0.68 L = 41 ± 23 oz
    assert "Your sweat rate on this run: 51 oz per hour (typical runners 17-68 oz/h; 41 ± 23 oz/h in athletes [baker2016])" in in_miles


def test_sweater_line():
    assert any("sweat heavily or saltily" in line for line in fluid_plan(3600, RunnerProfile(salty_sweater=True), T).during)
    assert not any("saltily" in line for line in fluid_plan(3600, RunnerProfile(), T).during)


def test_every_factor_has_advice():
    """One entry per factor, plus its variants (``<factor>_<variant>``, e.g. a race's long run)."""
    factors = {f.__name__ for f in FACTOR_FUNCTIONS}
    assert factors <= set(ADVICE)
    assert all(any(key.startswith(f"{name}_") for name in factors) for key in set(ADVICE) - factors)
    assert all(len(text) > 40 for text in ADVICE.values())


def test_pace_and_distance_in_one_system():
    speed = 1609.344 / 480  # 8:00 per mile
    assert fmt.pace(speed, "mi") == "8:00 /mi" and fmt.pace(speed, "km") == "4:58 /km"
    assert fmt.distance(5000, "km") == "5.00 km" and fmt.distance(5000, "mi") == "3.11 mi"
    assert fmt.mass(1.0, "km") == "1.00 kg" and fmt.mass(1.0, "mi") == "2.20 lb"
    assert fmt.degrees(28.94, "km") == "28.9 °C" and fmt.degrees(28.94, "mi") == "84 °F"
    assert fmt.limit(28.0, "km") == "28 °C" and fmt.limit(28.0, "mi") == "82 °F"


def test_fast_start_advice_names_the_users_split():
    assert advice("fast_start", "km").startswith("Make the first km the slowest")
    assert advice("fast_start", "mi").startswith("Make the first mile the slowest")
    assert advice("heat", "mi") == ADVICE["heat"]
