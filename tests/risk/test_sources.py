"""Every source cited by [key] resolves in risk/sources.py; no text cites a seed by its file number."""

import re
from pathlib import Path

import pytest

import crampcheck
from crampcheck.risk.advice import ADVICE, fluid_plan
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.sources import SOURCES, cited_keys, reference
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS, FACTORS, PARAMETERS

PACKAGE = Path(crampcheck.__file__).parent
GOLDEN = Path(__file__).parents[1] / "golden"
FILE_NUMBER = re.compile(r"\barticles? \d{3}\b")


def _fluid_plan_lines() -> list[str]:
    lines = []
    for minutes in (40, 70, 100):
        for profile in (RunnerProfile(), RunnerProfile(salty_sweater=True, weight_before_kg=70.0, weight_after_kg=69.0, fluid_l=0.5)):
            plan = fluid_plan(minutes * 60, profile, DEFAULT_THRESHOLDS)
            lines += plan.before + plan.during + plan.after
    return lines


CITING_TEXTS = {
    "factor sources": [f.source for f in FACTORS.values()],
    "threshold sources and descriptions": [p.source for p in PARAMETERS] + [p.description for p in PARAMETERS],
    "advice": list(ADVICE.values()),
    "fluid plan": _fluid_plan_lines(),
    "golden reports": [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.iterdir())],
}


@pytest.mark.parametrize("where", CITING_TEXTS)
def test_every_key_cited_resolves(where):
    cited = {key for text in CITING_TEXTS[where] for key in cited_keys(text)}
    assert cited, f"no citation found in the {where}: the pattern no longer matches the texts"
    assert cited - set(SOURCES) == set()


def test_every_factor_cites_a_source_but_crampcheck_own_limits():
    assert [key for key, f in FACTORS.items() if not cited_keys(f.source)] == ["data_checks"]


def test_no_text_cites_a_seed_by_its_file_number():
    hits = [f"{p.relative_to(PACKAGE)}: {m.group(0)}" for p in PACKAGE.rglob("*.py")
            for m in FILE_NUMBER.finditer(p.read_text(encoding="utf-8"))]
    assert hits == []


def test_every_source_is_a_full_reference():
    for key, source in SOURCES.items():
        assert source.key == key and source.title and source.author and source.where, key
        assert source.title in reference(source)
