"""Whole-run assessments (the scenarios of the brief) and the score combination rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crampcheck.risk.assess import assess, sort_findings
from crampcheck.risk.config import Config, RunnerProfile
from crampcheck.risk.model import Finding
from crampcheck.risk.score import PAST_CRAMPS_REASON, highest, raise_level, score
from tests.helpers.metrics import easy_run, even_run, run, surge

CONFIG = Config()


def ids(assessment):
    return {f.id: f.level for f in assessment.findings}


def test_fast_first_km_without_warmup():
    a = assess(run(((1000, 3.18), (8000, 3.0), (1000, 3.0))), CONFIG)  # first km 6 % faster than the last
    assert ids(a)["fast_start"] == "high"
    assert "no_warmup" in ids(a)
    assert a.scores.overload == "high" and a.scores.overall == "high"
    assert a.scores.reasons["overload"] == ["fast start (high)"]
    assert a.findings[0].id == "fast_start"


def test_even_run_with_cooldown_flags_no_warmup_but_no_fast_start():
    a = assess(run(((7000, 3.0), (1000, 2.5)), cooldown=True), CONFIG)
    assert "fast_start" not in ids(a) and "positive_split" not in ids(a) and "no_cooldown" not in ids(a)
    assert ids(a)["no_warmup"] == "low"


def test_two_hours_at_30c():
    a = assess(even_run(120, temperature_c=30.0), CONFIG)
    assert ids(a)["long_hot_run"] == "high" and ids(a)["heat"] == "high" and ids(a)["long_run"] == "moderate"
    # heat and long_hot_run are weak evidence for cramps: they carry moderate into the score
    assert a.scores.electrolyte == "moderate" and a.scores.overall == "moderate"
    assert set(a.scores.reasons["electrolyte"]) == {
        "long run (moderate)", "heat (high, weak evidence: counts as moderate)",
        "long run in the heat (high, weak evidence: counts as moderate)"}
    assert a.fluid_plan is not None


def test_forty_easy_minutes_at_10c_is_low():
    a = assess(easy_run(40, temperature_c=10.0), CONFIG)
    assert a.findings == []
    assert (a.scores.overall, a.scores.overload, a.scores.electrolyte) == ("low", "low", "low")
    assert a.scores.reasons["overall"] == ["no factor flagged"]
    assert a.fluid_plan is None
    assert {n.id for n in a.not_judged} == {"hr_drift", "downhill", "fluid_loss"}


def test_no_temperature_is_said():
    a = assess(easy_run(40), CONFIG)
    reasons = {n.id: n.reason for n in a.not_judged}
    assert "heat" in reasons and "long_hot_run" in reasons and "temperature" in reasons["heat"]


def test_three_surges_in_the_assessment():
    s = [surge(600.0, 1800.0), surge(1200.0, 3600.0), surge(1500.0, 4500.0)]
    a = assess(replace(easy_run(40), surges=s), CONFIG)
    (found,) = [f for f in a.findings if f.id == "surges"]
    assert found.at_s == [600.0, 1200.0, 1500.0] and found.level == "moderate"


def test_past_cramps_raise_the_overall_once_with_a_firm_overload_factor():
    fast = run(((1000, 3.3), (8000, 3.0), (1000, 3.0)), temperature_c=10.0)
    plain = assess(replace(fast, pacing=replace(fast.pacing, first_km_m_s=3.09)), CONFIG)  # 3 %: moderate
    raised = assess(replace(fast, pacing=replace(fast.pacing, first_km_m_s=3.09)), CONFIG.with_profile(past_cramps=True))
    assert ids(plain)["fast_start"] == ids(raised)["fast_start"] == "moderate"  # findings keep their levels
    assert all(f.raised_by is None for f in raised.findings)
    assert (plain.scores.overload, plain.scores.overall) == ("moderate", "moderate")
    assert (raised.scores.overload, raised.scores.overall) == ("moderate", "high")
    assert PAST_CRAMPS_REASON in raised.scores.reasons["overall"]


def test_past_cramps_do_not_raise_a_run_without_an_overload_factor():
    easy = assess(easy_run(40, temperature_c=10.0), CONFIG.with_profile(past_cramps=True))
    assert easy.scores.overall == "low" and easy.findings == []
    long_easy = assess(even_run(100, temperature_c=10.0), CONFIG.with_profile(past_cramps=True))
    assert long_easy.scores.overall == "moderate"  # long_run is electrolyte/heat: not raised
    assert PAST_CRAMPS_REASON not in long_easy.scores.reasons["overall"]


def test_low_findings_are_notes_that_set_no_level():
    a = assess(even_run(100, temperature_c=10.0), CONFIG)  # long_run moderate, no_warmup/no_cooldown low
    assert ids(a) == {"long_run": "moderate", "no_warmup": "low", "no_cooldown": "low"}
    assert (a.scores.overload, a.scores.electrolyte, a.scores.overall) == ("low", "moderate", "moderate")
    assert a.scores.reasons["overload"] == ["no factor flagged"]


def test_salty_sweater_raises_electrolyte_only_with_a_moderate_electrolyte_finding():
    salty = CONFIG.with_profile(salty_sweater=True, heavy_sweater=True)
    a = assess(even_run(100, temperature_c=10.0), salty)  # long_run moderate
    assert a.scores.electrolyte == "high" and a.scores.overload == "low"
    assert "heavy and salty sweater: electrolyte sub-score raised one level" in a.scores.reasons["electrolyte"]
    assert assess(even_run(70, temperature_c=10.0), salty).scores.electrolyte == "low"  # long_run a note only
    assert assess(easy_run(40, temperature_c=10.0), salty).scores.electrolyte == "low"


def test_fluid_plan_given_with_weights_even_without_a_finding():
    config = CONFIG.with_profile(weight_before_kg=70.0, weight_after_kg=69.5, fluid_l=0.25)
    a = assess(easy_run(40, temperature_c=10.0), config)
    assert not a.findings
    assert a.fluid_plan.sweat_rate_l_h == pytest.approx(0.75 / (2400 / 3600))


def test_findings_sorted_by_level_then_evidence():
    a = assess(
        replace(even_run(100, temperature_c=23.0), has_heart_rate=True, hr_drift_pct=6.0, descent_m_per_km=35.0, total_descent_m=630),
        CONFIG,
    )
    # high first (long_hot_run); then moderates by evidence: moderate (long_run) before weak
    # (heat, downhill), registry order within a tie; lows last. At 35 m/km of descent the
    # run is too hilly for hr_drift, which is then not judged.
    assert [f.id for f in a.findings] == [
        "long_hot_run", "long_run", "heat", "downhill", "no_warmup", "no_cooldown",
    ]
    assert "hr_drift" in {n.id for n in a.not_judged}


def finding(id_, level, subscore="overload", evidence="moderate"):
    return Finding(id_, level, subscore, evidence, 1.0, 1.0, "%", "why", "advice")


def test_score_rule_highest_level_no_counting_up():
    _, s = score([finding("fast_start", "moderate"), finding("positive_split", "moderate"), finding("surges", "moderate")], RunnerProfile())
    assert s.overload == "moderate" and s.electrolyte == "low" and s.overall == "moderate"
    assert s.reasons["overload"] == ["fast start (moderate)", "positive split (moderate)", "surges (moderate)"]


def test_history_findings_join_overload_and_very_high_counts_as_high():
    a = assess(easy_run(40, temperature_c=10.0), CONFIG, extra=[finding("distance_spike", "very high")])
    assert a.scores.overload == "high" and a.scores.overall == "high"
    assert a.findings[0].id == "distance_spike"


def test_level_helpers():
    assert [raise_level(x) for x in ("low", "moderate", "high", "very high")] == ["moderate", "high", "high", "very high"]
    assert highest([]) == "low" and highest(["low", "moderate"]) == "moderate" and highest(["very high"]) == "high"


def test_sort_is_stable_for_equal_keys():
    fs = [finding("a", "low"), finding("b", "high", evidence="weak"), finding("c", "high"), finding("d", "low")]
    assert [f.id for f in sort_findings(fs)] == ["c", "b", "a", "d"]
