"""The run report's temperature lines agree with each other: one reading, told once."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from tests.helpers.paths import REAL_DIR, SAMPLES


def _text(path) -> str:
    out = CliRunner().invoke(main, ["analyze", str(path), "--units", "km", "--no-color"])
    assert out.exit_code == 0, out.output
    return out.output


def test_a_session_average_alone_is_the_air_line_not_a_missing_temperature():
    """The Coros file has no temperature channel in its records, only the session's average
    (22 °C, a wrist reading): the report shows it as the air line and does not also say the
    temperature was not recorded, nor that heat needs --ambient-temp (it was judged, low)."""
    path = REAL_DIR / "fit" / "coros_run_21km_laps22.fit"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    text = _text(path)
    assert "Air, as the watch read it: 22 °C · source: watch sensor (FIT session avg_temperature)" in text
    assert "Temperature: not recorded" not in text and "no temperature channel" not in text
    assert "LOW  heat: Your watch's own sensor read 22.0 °C" in text


def test_no_reading_at_all_says_so_once():
    text = _text(SAMPLES / "surges_tempo.tcx")
    assert text.count("Temperature: not recorded") == 1 and "Air" not in text
    assert "no temperature channel: give --ambient-temp to judge heat" in text
