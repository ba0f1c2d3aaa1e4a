"""The summary row: built from a RunReport, JSON round trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from crampcheck.history.summary import ActivitySummary, summarize
from crampcheck.metrics.model import AirStats
from tests.history.helpers import row


def _pacing(**speeds):
    from crampcheck.metrics.model import Pacing

    fields = dict(grade_adjusted=False, core=False, first_km_m_s=None, last_km_m_s=None, second_km_m_s=None,
                  first_10pct_m_s=None, average_m_s=None, first_half_m_s=None, second_half_m_s=None,
                  first_three_quarters_m_s=None, final_quarter_m_s=None)
    return Pacing(**(fields | speeds))


def _finding(fid, level, value):
    return SimpleNamespace(id=fid, level=level, value=value, threshold=5.0, unit="%", why=f"{fid} why", advice="a")


def test_summarize_a_report():
    start = datetime(2024, 9, 22, 7, 0, tzinfo=timezone.utc)
    local = start.astimezone(timezone(timedelta(hours=2)))
    activity = SimpleNamespace(source="r.fit", format="fit", sport="running", sub_sport=None, name="Riverside 10K",
                               is_race=True, race_marked_by="file", start_time_utc=start,
                               texts=[("GPX desc", "cramped at 35k")])
    metrics = SimpleNamespace(
        distance_m=10080.0, moving_time_s=2800.0, elapsed_time_s=2810.0, avg_speed_m_s=3.6, start_time_utc=start,
        start_time_local=local, temperature=SimpleNamespace(mean_c=16.0), heart_rate=SimpleNamespace(mean_bpm=166.0),
        pacing=_pacing(first_km_m_s=3.24, last_km_m_s=3.0), best_sustained_speed_m_s=3.6, first_half_speed_m_s=3.7,
        units="km", splits=[SimpleNamespace(time_s=270.04, partial=False), SimpleNamespace(time_s=25.0, partial=True)],
        shape=SimpleNamespace(kind="race"),
        air=AirStats(temperature_c=29.0, humidity_pct=60.0, dew_point_c=20.5, heat_index_c=31.6, source="pod", kind="sensor"))
    assessment = SimpleNamespace(findings=[_finding("fast_start", "high", 8.0), _finding("heat", "low", 16.0)],
                                 scores=SimpleNamespace(overall="high"))
    r = summarize(SimpleNamespace(activity=activity, metrics=metrics, assessment=assessment), "abc")
    assert (r.file, r.name, r.is_race, r.race_marked_by, r.overall) == ("r.fit", "Riverside 10K", True, "file", "high")
    assert r.findings == ["fast_start", "heat"]
    assert (r.key_findings["fast_start"]["level"], r.key_findings["fast_start"]["value"]) == ("high", 8.0)
    assert "positive_split" not in r.key_findings
    assert (r.first_half_speed_m_s, r.split_times_s, r.split_unit) == (3.7, [270.0], "km")  # whole splits only
    assert r.first_vs_last_ratio == pytest.approx(1.08) and r.temperature_c_mean == 16.0 and r.heart_rate_mean_bpm == 166.0
    assert r.best_sustained_speed_m_s == pytest.approx(3.6)
    assert (r.air_temperature_c, r.air_humidity_pct, r.air_heat_index_c, r.air_source, r.air_kind) == (29.0, 60.0, 31.6, "pod", "sensor")
    assert r.air_judged_c == 31.6
    assert r.day == local.date()
    assert r.finding_levels == {"fast_start": "high", "heat": "low"} and r.shape == "race"
    assert r.texts == [["GPX desc", "cramped at 35k"]] and r.short_id == "abc"
    assert ActivitySummary.from_json(r.to_json()) == r


def test_json_round_trip_keeps_timezones():
    r = row(3, 10.0)
    back = ActivitySummary.from_json(r.to_json())
    assert back == r and back.start_time_utc.tzinfo is not None
