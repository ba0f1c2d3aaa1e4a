"""A scan worker measures exactly what ``analyze`` does, less the chart series its summary row
never draws."""

from __future__ import annotations

import dataclasses

import pytest

from crampcheck.history import worker
from crampcheck.history.summary import summarize
from crampcheck.io import read
from crampcheck.pipeline import analyze
from crampcheck.risk.config import Config
from tests.helpers.paths import SAMPLES


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix != ".md"))
def test_the_worker_leaves_out_only_the_charts(sample):
    data, config = (SAMPLES / sample).read_bytes(), Config()
    full = analyze(read(data, sample), units="km", config=config)
    lean = worker.read_and_analyze(sample, data, "km", config)
    assert full.metrics.chart is not None and lean.metrics.chart is None
    assert repr(lean.metrics) == repr(dataclasses.replace(full.metrics, chart=None))
    assert lean.assessment == full.assessment
    assert worker.analyze_bytes(sample, data, "km", config, "h") == ("row", summarize(full, "h").to_json())
