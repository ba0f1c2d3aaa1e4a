"""compute(): None plus a note where the file cannot support a value; invariants on real files."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from crampcheck.io import fit
from crampcheck.metrics.run import compute
from crampcheck.schema import Records
from tests.conftest import real_files
from tests.helpers.runs import Seg, build


def test_no_heart_rate_and_no_elevation():
    m = compute(build([Seg(3600, 3.0)], altitude0_m=None), "km")
    assert m.heart_rate is None and m.hr_drift_pct is None and not m.has_heart_rate
    assert not m.has_elevation and m.total_descent_m is None and m.descent_m_per_km is None
    assert not m.first_vs_last.grade_adjusted
    assert all(s.gap_speed_m_s is None for s in m.splits)
    assert any("heart rate" in n for n in m.notes) and any("altitude" in n for n in m.notes)


def test_no_distance_like_a_pool_swim():
    act = build([Seg(1800, 1.0, hr=130)])
    act.records["distance_m"] = np.nan
    act.records["speed_m_s"] = np.nan
    m = compute(act, "km")
    assert m.distance_m == 0.0 and m.splits == [] and m.first_vs_last is None and m.surges == []
    assert m.moving_time_s == pytest.approx(1800, abs=1)  # with nothing to judge, the clock runs
    assert m.heart_rate.mean_bpm == pytest.approx(130)
    assert any("no distance" in n for n in m.notes)


def test_distance_from_speed_when_no_distance_channel():
    act = build([Seg(1000, 3.0), Seg(120, stop=True), Seg(1000, 3.0)])
    act.records = Records({c: act.records[c] for c in act.records if c != "distance_m"})
    m = compute(act, "km")
    assert m.distance_m == pytest.approx(6000, abs=3)
    assert m.moving_time_s == pytest.approx(2000, abs=2)


def test_no_timestamps():
    act = build([Seg(600, 3.0)])
    act.records = Records({c: act.records[c] for c in act.records if c not in ("time", "elapsed_s")})
    m = compute(act, "km")
    assert m.distance_m == pytest.approx(1800) and m.moving_time_s == 0.0 and m.splits == []
    assert any("no timestamps" in n for n in m.notes)


def test_units_are_checked_and_used():
    act = build([Seg(2000, 3.0)])
    assert len(compute(act, "km").splits) == 6
    assert len(compute(act, "mi").splits) == 4  # 3.73 mi
    with pytest.raises(ValueError):
        compute(act, "furlong")


def test_average_speed_is_distance_over_moving_time():
    m = compute(build([Seg(1000, 3.0), Seg(300, stop=True), Seg(1000, 2.0)]), "km")
    assert m.avg_speed_m_s == pytest.approx(5000 / 2000, rel=1e-3)


def _read(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return fit.read_fit(data, str(path))


@pytest.mark.parametrize("path", [p for p in real_files("fit", "*run*.fit")], ids=lambda p: p.name)
def test_real_runs_are_consistent(path):
    act = _read(path)
    m = compute(act, "km")
    assert 0 < m.moving_time_s <= m.elapsed_time_s + 1e-6
    timer_s = act.device_totals.get("timer_time_s")
    if timer_s:  # moving time never exceeds the device's own timer (which counts standing too)
        assert m.moving_time_s <= timer_s * 1.01 + 5
    assert sum(s.distance_m for s in m.splits) == pytest.approx(m.distance_m, abs=25)
    assert sum(s.time_s for s in m.splits) <= m.moving_time_s + 1
    if m.first_vs_last:
        assert m.first_vs_last.ratio > 0


def test_course_notes_say_faster_or_slower_never_a_negative_faster():
    from crampcheck.metrics.model import Pacing
    from crampcheck.metrics.run import course_notes

    def pacing(first_km, last_km, raw=None):
        return Pacing(grade_adjusted=raw is not None, core=False, first_km_m_s=first_km, last_km_m_s=last_km,
                      second_km_m_s=None, first_10pct_m_s=None, average_m_s=None, first_half_m_s=None,
                      second_half_m_s=None, first_three_quarters_m_s=None, final_quarter_m_s=None, raw=raw)

    # on the clock the first km is 20 % slower than the last; grade-adjusted only 10 % slower: no fast
    # start on either reading, nothing for the course to explain
    assert course_notes(pacing(3.0 * 0.9, 3.0, raw=pacing(2.4, 3.0))) == []
    # 2 % slower on the clock, 6 % faster grade-adjusted: the course hid a fast start
    notes = course_notes(pacing(3.18, 3.0, raw=pacing(2.94, 3.0)))
    assert notes == ["the course shaped the start: the first km was 2.0 % slower than the last on the clock and "
                     "6.0 % faster on grade-adjusted pace (the last km ran on easier ground)"]
    notes = course_notes(pacing(3.0, 3.0, raw=pacing(3.3, 3.0)))
    assert notes == ["the course shaped the start: the first km was 10.0 % faster than the last on the clock and "
                     "0.0 % faster on grade-adjusted pace (the first km ran on easier ground)"]
