"""The one level order and banding rule (crampcheck.levels)."""

from crampcheck.levels import HIGH, LEVELS, LOW, MODERATE, VERY_HIGH, at_least, band, exceeds, more_than, rank, reaches, worst


def test_order():
    assert [rank(lv) for lv in (*LEVELS, VERY_HIGH)] == [0, 1, 2, 3]
    assert rank("note") == rank(None) == -1
    assert worst([MODERATE, HIGH, LOW]) == HIGH and worst([], default=LOW) == LOW


def test_threshold_up_to_float_rounding():
    pct = (1.02 / 1 - 1) * 100  # 2.0000000000000018
    assert not exceeds(pct, 2.0) and reaches(pct, 2.0)
    assert not reaches(1.999, 2.0) and exceeds(2.001, 2.0)


def test_band_worst_step_first():
    steps = (at_least(HIGH, 1.5), more_than(MODERATE, 1.3))
    assert band(1.5, *steps) == (HIGH, 1.5)
    assert band(1.3, *steps) == (None, None)
    assert band(1.31, *steps) == (MODERATE, 1.3)
