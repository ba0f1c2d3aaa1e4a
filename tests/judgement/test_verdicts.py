"""Judgement against the expert's oracle: every check of ../shared/data/real/VERDICTS.tsv,
and the same findings and levels whatever the display units (skipped when the folder is absent).

Expected failures are labels we are sure are wrong, or that need what the data-check work
brings; each says why with the numbers (see EXPECTED_FAILURES)."""

from __future__ import annotations

import functools

import pytest

from crampcheck import pipeline
from crampcheck.report.jsonout import run_to_dict
from crampcheck.risk.config import Config
from tests.conftest import REAL_DIR
from tests.judgement import verdicts

ROWS = verdicts.load(REAL_DIR)
CONFIG = Config()

# (file, check) -> why the check does not hold, with the numbers.
EXPECTED_FAILURES: dict[tuple[str, str], str] = {}


@functools.lru_cache(maxsize=None)
def report(file: str, units: str) -> dict:
    return run_to_dict(pipeline.analyze(pipeline.load(REAL_DIR / file), units=units, config=CONFIG))


def _params():
    for row in ROWS:
        for check in row.checks:
            marks = ()
            if (row.file, check) in EXPECTED_FAILURES:
                marks = (pytest.mark.xfail(reason=EXPECTED_FAILURES[(row.file, check)], strict=True),)
            yield pytest.param(row.file, check, id=f"{row.file}:{check}", marks=marks)


@pytest.mark.skipif(not ROWS, reason="../shared/data/real/VERDICTS.tsv is absent")
@pytest.mark.parametrize(("file", "check"), list(_params()))
def test_verdict_check(file, check):
    holds, said = verdicts.check(report(file, "km"), check)
    assert holds, f"{check}: crampcheck says {said}"


def _judgement(data: dict) -> tuple:
    return (data["scores"]["overall"], data["scores"]["overload"], data["scores"]["electrolyte"],
            sorted((f["id"], f["level"]) for f in data["findings"]), sorted(n["id"] for n in data["not_judged"]))


@pytest.mark.skipif(not ROWS, reason="../shared/data/real/VERDICTS.tsv is absent")
@pytest.mark.parametrize("file", [row.file for row in ROWS])
def test_levels_do_not_depend_on_display_units(file):
    assert _judgement(report(file, "mi")) == _judgement(report(file, "km"))


@pytest.mark.skipif(not ROWS, reason="../shared/data/real/VERDICTS.tsv is absent")
def test_at_most_a_quarter_of_real_runs_are_high():
    high = [row.file for row in ROWS if report(row.file, "km")["scores"]["overall"] == "high"]
    assert len(high) <= len(ROWS) // 4, high


def test_check_parser_reads_every_form():
    data = {
        "sport": "running", "is_race": False, "scores": {"overall": "moderate"},
        "summary": {"distance_m": 10100.0, "moving_time_s": 3000.0, "elapsed_time_s": 3100.0},
        "findings": [{"id": "fast_start", "level": "high"}, {"id": "surges", "level": "low"}],
        "data_warnings": [],
    }
    assert verdicts.check(data, "fast_start>=moderate")[0]
    assert not verdicts.check(data, "not:fast_start>=moderate")[0]
    assert verdicts.check(data, "not:surges>=moderate")[0]
    assert verdicts.check(data, "overall<=moderate")[0] and verdicts.check(data, "overall>=moderate")[0]
    assert verdicts.check(data, "distance_m=10000±2%")[0] and not verdicts.check(data, "distance_m=10000±0.5%")[0]
    assert verdicts.check(data, "moving_s=3030±30")[0] and not verdicts.check(data, "elapsed_s=3000±30")[0]
    assert verdicts.check(data, "race=no")[0] and verdicts.check(data, "sport=running")[0]
    assert not verdicts.check(data, "data_warning=yes")[0]
    with pytest.raises(ValueError):
        verdicts.check(data, "nonsense")
