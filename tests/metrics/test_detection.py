"""The metrics' detection settings: every default is the thresholds table's, every field is
set from it, and a changed threshold reaches the metrics."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from crampcheck import pipeline
from crampcheck.metrics.run import Detection
from crampcheck.risk.config import Config
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS
from tests.helpers.runs import Seg, build

# settings of the models themselves, not thresholds a user sets (not in the table)
MODEL_CONSTANTS = {"terrain.smooth_m"}


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted name, value) of every non-dataclass field, nested settings included."""
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from leaves(getattr(value, f.name), f"{prefix}{f.name}.")
    else:
        yield prefix.rstrip("."), value


def _moved(value: Any) -> Any:
    """Another value of the same shape (numbers n -> 2n + 1, tuples element-wise)."""
    if isinstance(value, tuple):
        return tuple(_moved(v) for v in value)
    return value * 2 + 1


class _MovedThresholds:
    """Every threshold of the table, moved: what ``pipeline.detection`` reads from it shows."""

    def __getattr__(self, name: str) -> Any:
        return _moved(getattr(DEFAULT_THRESHOLDS, name))


def test_every_detection_default_is_the_thresholds_table():
    defaults = dict(leaves(Detection()))
    built = dict(leaves(pipeline.detection(Config())))
    assert built.keys() == defaults.keys()
    for name, value in defaults.items():
        assert built[name] == pytest.approx(value), name


def test_every_detection_field_is_set_from_the_table():
    defaults = dict(leaves(Detection()))
    moved = dict(leaves(pipeline.detection(SimpleNamespace(thresholds=_MovedThresholds()))))
    unset = [n for n, value in defaults.items() if n not in MODEL_CONSTANTS and moved[n] == pytest.approx(value)]
    assert unset == []  # a field left at its default would not follow the user's config


def test_hr_drift_min_duration_from_the_config_reaches_the_metrics():
    steady = build([Seg(900, 3.0, hr=150), Seg(900, 3.0, hr=155)])  # 30 min, steady, heart rate
    default = pipeline.analyze(steady, "km", Config())
    assert default.metrics.hr_drift_pct is None
    assert "shorter than 45 min" in {n.id: n.reason for n in default.assessment.not_judged}["hr_drift"]

    short = Config(thresholds=DEFAULT_THRESHOLDS.with_overrides({"hr_drift_min_duration_min": 10}, "test"))
    report = pipeline.analyze(steady, "km", short)
    assert report.metrics.hr_drift_pct == pytest.approx((155 / 150 - 1) * 100, abs=0.1)
    assert "hr_drift" not in {n.id for n in report.assessment.not_judged}
    assert not any("drift needs" in note for note in report.metrics.notes)
