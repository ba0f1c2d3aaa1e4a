"""One unit system per run report, the user's: under km no mile, foot, °F, ounce or pound; under mi
no km, metre, °C, litre or kilogram, in the text, Markdown and HTML reports of every sample and
every real file (the JSON keeps its SI numbers: only the words follow --units)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from crampcheck.errors import CrampcheckError
from crampcheck.io import read
from crampcheck.pipeline import analyze
from crampcheck.report.html_run import render_run_html, run_series
from crampcheck.report.jsonout import run_to_dict
from crampcheck.report.run import render_run_markdown, render_run_text
from crampcheck.risk.config import Config, RunnerProfile
from tests.helpers.paths import REAL_DIR, SAMPLES

# a unit token: a number or a "/" before it, or the unit as a word of its own; a speed in m/s is
# neither system's (a runner reads paces), so it is in no report
SI_SPEED = r"|\d ?m/s\b"
FORBIDDEN = {
    "km": re.compile(r"\d ?mi\b|/mi\b|\bmiles?\b|\d ?ft\b|\bft per\b|°F|\d ?oz\b|\boz/|\boz per\b|\d ?lb\b|\bper lb\b" + SI_SPEED),
    "mi": re.compile(r"\d ?km\b|/km\b|\b(?:first|last|second|per) km\b|\bkm\)|°C|\d ?mL\b|\d ?kg\b|\bper kg\b|\d ?L\b|\bL/h\b"
                     r"|\d ?m\b(?! ?/ ?s)|\bm per\b|\bm/km\b|\bmetres?\b|kilomet" + SI_SPEED),
}
WEIGHTS = {"weight_before_kg": 70.0, "weight_after_kg": 68.5, "fluid_l": 0.5}  # every volume and mass line shows


def _files() -> list[Path]:
    found = sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md")
    if REAL_DIR.is_dir():
        found += sorted(p for kind in ("fit", "gpx", "tcx") for p in (REAL_DIR / kind).rglob("*") if p.is_file())
    return found


def _visible(page: str) -> str:
    """The words a reader sees on the HTML page (chart titles and labels included): no style,
    script or tags (and with the tags their attributes: SVG paths, coordinates)."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _masked(text: str, run: dict) -> str:
    """The text without the file's own words (its name, device, title), which may hold any unit."""
    for own in (Path(run["file"]).name, run.get("name"), run.get("device")):
        if own:
            text = text.replace(own, " ")
    return text


def unit_slips(path: Path, units: str) -> list[str]:
    """Every token of the other unit system in the three run reports of ``path`` under ``units``."""
    config = Config(profile=RunnerProfile(units=units, **WEIGHTS))
    try:
        report = analyze(read(path.read_bytes(), path.name), units=units, config=config)
    except CrampcheckError:
        return []  # a file analyze refuses has no report
    run = run_to_dict(report)
    pages = {
        "text": render_run_text(run),
        "markdown": render_run_markdown(run),
        "html": _visible(render_run_html(run, run_series(report), units)),
    }
    slips = []
    for kind, text in pages.items():
        for line in _masked(text, run).splitlines():
            slips += [f"{path.name} {kind}: {m.group(0)!r} in {line.strip()[:160]!r}" for m in FORBIDDEN[units].finditer(line)]
    return slips


def test_the_checks_catch_both_systems():
    """The patterns see a slip in each direction (and not the words that only look like one)."""
    assert FORBIDDEN["km"].search("14.00 km (8.70 mi)") and FORBIDDEN["km"].search("21 °C (69 °F)")
    assert FORBIDDEN["km"].search("1.20 L (41 oz)") and FORBIDDEN["km"].search("(140 ft per mile)")
    assert FORBIDDEN["mi"].search("8:19 /mi, 5:10 /km") and FORBIDDEN["mi"].search("373 m of descent")
    assert FORBIDDEN["mi"].search("1.50 kg") and FORBIDDEN["mi"].search("the first km (7:45 /mi)")
    assert not FORBIDDEN["km"].search("5 min of jogging, 14.00 km at 5:10 /km, 26.6 m per km, 1.20 L, 1.50 kg")
    assert not FORBIDDEN["mi"].search("5 min of jogging, 8.70 mi at 8:19 /mi, 140 ft per mile, 41 oz, 3.31 lb")
    assert FORBIDDEN["mi"].search("faster than 12 m/s") and FORBIDDEN["km"].search("(> 12 m/s out and back)")


@pytest.mark.parametrize("units", ["km", "mi"])
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_run_reports_keep_to_the_users_unit_system(path, units):
    assert unit_slips(path, units) == []
