"""Differential checks against crampcheck.synth truth, through the FIT writer and reader."""

from __future__ import annotations

import pytest

from crampcheck import synth
from crampcheck.io import fit
from crampcheck.metrics.run import compute


def _metrics(spec, units="mi"):
    truth = synth.build(spec)
    activity = fit.read_fit(synth.fit_bytes(truth), "synth.fit")
    return truth, compute(activity, units)


@pytest.mark.parametrize(
    "spec",
    [
        synth.scenarios.with_pauses(),
        synth.scenarios.cool_short_run(),
        synth.scenarios.surges(),
        synth.scenarios.fast_start(),
    ],
    ids=lambda s: s.name,
)
def test_metrics_match_synth_truth(spec):
    truth, m = _metrics(spec)
    assert m.moving_time_s == pytest.approx(truth.moving_s, abs=3)
    assert m.distance_m == pytest.approx(truth.distance_m, rel=1e-3)
    assert m.temperature.mean_c == pytest.approx(truth.temperature_mean_c, abs=0.6)
    for split, true_split in zip(m.splits, truth.mile_splits):
        assert split.time_s == pytest.approx(true_split.moving_s, abs=2)
        assert split.partial == true_split.partial
    assert (m.warmup is None) == (truth.warmup_end is None)
    if truth.warmup_end is not None:
        assert m.warmup.end_s == pytest.approx(truth.warmup_end.moving_s, abs=30)
    assert (m.cooldown is None) == (truth.cooldown_start is None)
    if truth.cooldown_start is not None:
        assert m.cooldown.start_s == pytest.approx(truth.cooldown_start.moving_s, abs=30)
    assert len(m.surges) == len(truth.surges)
    for surge, true_surge in zip(m.surges, truth.surges):
        assert surge.start_s == pytest.approx(true_surge.start_moving_s, abs=15)


def test_fast_start_scenario_ratio():
    _, m = _metrics(synth.scenarios.fast_start(faster_pct=8))
    assert m.first_vs_last.ratio == pytest.approx(1.08, abs=0.005)


def test_hills_descent():
    truth, m = _metrics(synth.scenarios.hills())
    assert m.total_descent_m == pytest.approx(truth.total_descent_m, rel=0.03)
