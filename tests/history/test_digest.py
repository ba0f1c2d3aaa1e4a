"""The digest, factors grouped by factor, and breaks: a generated season with known truth."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crampcheck.errors import ConfigError
from crampcheck.history.digest import score
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.scan import build_history, normalize_sport_option
from crampcheck.history.weekly import weekly_summary
from tests.history.helpers import T0, row

TH = HistoryThresholds()
BREAK_WEEKS = (20, 21, 22)  # three weeks without a run
SPIKE_WEEK, RACE_WEEK = 48, 50
FAST_START = {"level": "high", "value": 8.0, "threshold": 5.0, "unit": "%",
              "why": "first km 8 % faster than the last.", "advice": "Start at goal pace."}


def season(break_weeks=BREAK_WEEKS, back_km=(8, 8, 8, 16)):
    """52 weeks of Mon/Wed/Fri 8 km + Sun 16 km at 3 m/s, a break, a 26 km Sunday (spike) and a
    10.37 km race run at 3.6 m/s on the Saturday of RACE_WEEK with a fast start."""
    rows = []
    for w in range(52):
        if w in break_weeks:
            continue
        plan = back_km if break_weeks and w == break_weeks[-1] + 1 else (8, 8, 8, 16)
        for dow, km in zip((0, 2, 4, 6), plan):
            if w == SPIKE_WEEK and dow == 6:
                km = 26
            rows.append(row(7 * w + dow, km))
    rows.append(row(7 * RACE_WEEK + 5, 10.37, speed=3.6, name="City 10K", race=True, marked="export",
                    key={"fast_start": FAST_START}))
    return rows


def test_digest_names_the_race_fast_start_and_the_spike_first_over_the_last_12_weeks():
    result = build_history(season(), TH, weeks=12)
    digest = result.to_dict()["digest"]
    assert digest["weeks"] == 12
    assert digest["until"] == (T0 + timedelta(days=7 * 51 + 6)).date().isoformat()
    top = [item["id"] for item in digest["top"]]
    assert set(top[:2]) == {"fast_start", "distance_spike"}
    fast = next(i for i in digest["top"] if i["id"] == "fast_start")
    assert fast["counts"] == {"occurrences": 1, "of": 1, "unit": "races"}
    assert "You went out too fast in 1 of your last 1 race" in fast["why"]
    spike = next(i for i in digest["top"] if i["id"] == "distance_spike")
    assert spike["level"] == "high" and spike["evidence"] == "moderate"
    # per-month counts of the view: the spike in its month, the race in its month
    months = {m["month"]: m["counts"] for m in digest["monthly"]}
    spike_day = (T0 + timedelta(days=7 * SPIKE_WEEK + 6)).date()
    assert months[spike_day.strftime("%Y-%m")]["distance_spike"] == 1
    assert any("frandsen2025" in n for n in digest["notes"])


def test_item_shape_is_general_enough_for_other_modules():
    digest = build_history(season(), TH, weeks=12).digest
    for item in digest["top"]:
        assert {"id", "level", "evidence", "title", "why", "advice", "counts", "score", "last_date", "files"} <= set(item)


def test_no_ramp_after_the_break_but_a_return_finding():
    result = build_history(season(), TH)
    back = (T0 + timedelta(weeks=BREAK_WEEKS[-1] + 1)).date()
    ramps = [f for f in result.history_findings if f.id == "weekly_ramp"]
    assert ramps == []  # the weeks after the break have no ratio against the empty weeks
    weeks = {w.start_date: w for w in weekly_summary(season(), TH)}
    for i in range(TH.weekly_ramp_chronic_weeks):  # every week whose baseline holds a week off
        assert weeks[back + timedelta(weeks=i)].ramp_ratio is None
    assert weeks[back + timedelta(weeks=TH.weekly_ramp_chronic_weeks)].ramp_ratio == pytest.approx(1.0)
    returns = [f for f in result.history_findings if f.id == "return_after_break"]
    start, after = returns
    assert start.start_date == T0.date() and start.level == "low" and start.value is None
    # back at the full 40 km week: 100 % of the mean week before the break -> high
    assert (after.start_date, after.level, after.value) == (back, "high", 100.0)
    assert "after 3 weeks off" in after.why and "half to three quarters" in after.advice


def test_an_eased_in_return_is_a_note_and_a_near_full_one_moderate():
    eased = build_history(season(back_km=(4, 4, 4, 8)), TH).history_findings
    assert [(f.level, f.value) for f in eased if f.id == "return_after_break"][1] == ("low", 50.0)
    near = build_history(season(back_km=(8, 8, 8, 8)), TH).history_findings
    assert [(f.level, f.value) for f in near if f.id == "return_after_break"][1] == ("moderate", 80.0)


def test_factors_grouped_once_each_with_every_occurrence_sorted_as_ranked():
    rows = season()
    for w in (30, 36):  # two more spikes, older
        rows.append(row(7 * w + 5, 20))
    rows.sort(key=lambda r: r.start_time_utc)
    data = build_history(rows, TH).to_dict()
    ids = [g["id"] for g in data["factors"]]
    assert len(ids) == len(set(ids))
    spikes = next(g for g in data["factors"] if g["id"] == "distance_spike")
    assert len(spikes["occurrences"]) == len([f for f in data["history_findings"] if f["id"] == "distance_spike"]) >= 3
    assert {"start_date", "end_date", "value", "file"} <= set(spikes["occurrences"][0])
    scores = [g["score"] for g in data["factors"]]
    assert scores == sorted(scores, reverse=True)
    assert data["history_findings"]  # kept beside the groups


def test_score_weighs_evidence_level_recency_and_frequency():
    end = T0.date()
    base = score("high", "moderate", end, 1, end, TH)
    assert base == pytest.approx(3.0 * 2)
    assert score("high", "weak", end, 1, end, TH) == pytest.approx(1.5 * 2)
    assert score("high", "moderate", end - timedelta(weeks=4), 1, end, TH) == pytest.approx(base / 2)
    assert score("high", "moderate", end, 4, end, TH) == pytest.approx(base * 3)
    assert score("low", "moderate", end, 4, end, TH) == 0


def test_completeness_note_when_the_view_has_holes():
    notes = build_history(season(), TH, since=(T0 + timedelta(weeks=18)).date(),
                          until=(T0 + timedelta(weeks=26)).date()).digest["notes"]
    assert any(n.startswith("3 of the 9 weeks in view have no run") for n in notes)


def test_since_after_until_is_an_error():
    with pytest.raises(ConfigError, match="after --until"):
        build_history(season(), TH, since=(T0 + timedelta(weeks=3)).date(), until=T0.date())


@pytest.mark.parametrize("label", ["run", "Run", "Running", "running", "trail", "Trail Run", "treadmill", "Laufen"])
def test_sport_option_accepts_the_words_runners_use(label):
    assert normalize_sport_option(label) == "running"


def test_sport_option_refuses_an_unknown_word_with_the_list():
    assert normalize_sport_option("all") == "all" and normalize_sport_option("Ride") == "cycling"
    with pytest.raises(ConfigError, match="unknown sport; use one of running, cycling"):
        normalize_sport_option("bogus")


def test_a_return_after_sparse_training_is_a_note_not_a_verdict():
    rows = [row(0, 3.0), row(60, 20.0), row(62, 20.0)]  # one short run, 8 weeks off, a big week back
    found = [f for f in build_history(rows, TH).history_findings if f.id == "return_after_break"]
    assert [(f.level, f.value) for f in found] == [("low", None), ("low", None)]
    assert "too little to compare with" in found[1].why
