"""Warm-up and cool-down detection: found where they are, not invented where they are not."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.run import compute
from crampcheck.metrics.segments import warmup_cooldown_s
from tests.helpers.runs import Seg, build

NOISE = 0.03  # per-second speed noise, relative


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_finds_10_min_warmup_and_8_min_cooldown(seed):
    segs = [Seg(600, 2.8, hr=130), Seg(2700, 3.2, hr=150), Seg(480, 2.7, hr=135)]
    m = compute(build(segs, speed_noise=NOISE, seed=seed), "km")
    assert m.warmup is not None and m.cooldown is not None
    assert m.warmup.end_s == pytest.approx(600, abs=30)
    assert m.cooldown.start_s == pytest.approx(3300, abs=30)
    assert m.cooldown.end_s == pytest.approx(m.moving_time_s)
    assert m.warmup.speed_m_s == pytest.approx(2.8, rel=0.02)
    assert m.cooldown.speed_m_s == pytest.approx(2.7, rel=0.02)
    assert m.warmup.end_m == pytest.approx(600 * 2.8, rel=0.05)


def test_warmup_with_a_pause_inside_is_measured_in_moving_time():
    segs = [Seg(300, 2.7), Seg(120, stop=True), Seg(300, 2.7), Seg(2400, 3.2)]
    m = compute(build(segs, speed_noise=NOISE), "km")
    assert m.warmup is not None and m.warmup.end_s == pytest.approx(600, abs=30)
    assert m.cooldown is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_even_paced_run_has_neither(seed):
    m = compute(build([Seg(3600, 3.1)], speed_noise=NOISE, seed=seed), "km")
    assert m.warmup is None and m.cooldown is None


def test_gradual_fade_has_no_cooldown():
    fade = [Seg(60, 3.4 - 0.6 * i / 59) for i in range(60)]  # 3.4 -> 2.8 m/s over an hour, -18 %
    m = compute(build(fade, speed_noise=NOISE), "km")
    assert m.warmup is None and m.cooldown is None


def test_gradual_build_up_has_no_warmup():
    build_up = [Seg(60, 2.8 + 0.5 * i / 49) for i in range(50)]
    m = compute(build(build_up, speed_noise=NOISE), "km")
    assert m.warmup is None and m.cooldown is None


def test_easy_start_not_slower_enough_is_no_warmup():
    # 5 % slower than the core: a step, but not an easy jog
    m = compute(build([Seg(600, 3.04), Seg(2400, 3.2)]), "km")
    assert m.warmup is None


def test_short_easy_start_is_no_warmup():
    m = compute(build([Seg(150, 2.6), Seg(2400, 3.2)]), "km")  # 2.5 min: under MIN_SEGMENT_S
    assert m.warmup is None


def test_grid_function_directly():
    t = np.arange(0.0, 3001.0)
    speed = np.where(t <= 500, 2.5, np.where(t > 2500, 2.4, 3.0))
    distance = np.concatenate(([0.0], np.cumsum(speed[1:])))
    assert warmup_cooldown_s(t, distance) == (500.0, 2500.0)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_end_of_a_fade_is_no_cool_down(seed):
    """An ultra's end without heart rate: 40 min at 3.3 m/s fading through 2.9, 2.5 and 2.3 m/s, a step
    down to 4 min at 2.0 m/s, then a quicker last 7 min at 2.6 m/s. The end from the step on is
    slower than the run (a cool-down's pace) but quicker than the 5 min before it: the runner
    finished a fade, not a jog."""
    pieces = [Seg(2400, 3.3), Seg(600, 2.9), Seg(600, 2.5), Seg(300, 2.3), Seg(240, 2.0), Seg(420, 2.6)]
    assert compute(build(pieces, speed_noise=NOISE, seed=seed), "km").cooldown is None
    jog = compute(build([Seg(2400, 3.3), Seg(480, 2.8)], speed_noise=NOISE, seed=seed), "km")  # a real one
    assert jog.cooldown is not None and jog.cooldown.start_s == pytest.approx(2400, abs=30)
