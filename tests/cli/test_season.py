"""A season end to end through the CLI: generated files, a break, a spike, an unmarked 10.37 km race.

Checks the digest and the races against the known truth of the generated files, that every
format of scan and races keeps to one unit system, and that the CSVs load as numbers in
pandas and in LibreOffice (when /usr/bin/soffice is installed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.synth import scenarios
from crampcheck.synth.files import write

START = scenarios.history.__defaults__[5]  # the scenario's first Monday
BREAK = (5, 6, 7)  # weeks without a run
SPIKE_WEEK, RACE_WEEK, WEEKS = 13, 15, 16
RACE_DISTANCE_M = 10_370.0  # a 10 km course measured 3.7 % long by GPS
METRIC_WORDS = re.compile(r"\bkm\b|m/s|°C|\bkm/h\b")
SOFFICE = Path("/usr/bin/soffice")


def run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    folder = tmp_path_factory.mktemp("season")
    specs = scenarios.history(weeks=WEEKS, runs_per_week=3, spike_week=SPIKE_WEEK, spike_pct=60, seed=5,
                              weekly_distance_m=24_000.0)
    kept = [s for s in specs if s.tags["week"] not in BREAK]
    for i, spec in enumerate(kept):
        write(spec, folder / f"run_{i:03d}.fit")
    race_day = START + timedelta(weeks=RACE_WEEK, days=5)
    race = scenarios.fast_start(RACE_DISTANCE_M, 3.6, 8.0, "mi", name="Saturday morning", temperature_c=18.0,
                                start_time_utc=datetime.combine(race_day, time(8, 0), tzinfo=timezone.utc))
    write(race, folder / "saturday.fit")
    return folder, tmp_path_factory.mktemp("cache") / "cache.sqlite"


def test_digest_names_the_fast_start_and_the_spike_first_and_no_ramp_after_the_break(season):
    folder, cache = season
    data = json.loads(run("scan", folder, "--format", "json", "--cache", cache, "--units", "mi"))
    top = [item["id"] for item in data["digest"]["top"]]
    assert set(top[:2]) == {"fast_start", "distance_spike"}, top
    assert data["digest"]["weeks"] == 12
    back = START + timedelta(weeks=BREAK[-1] + 1)
    ramps = [f for f in data["history_findings"] if f["id"] == "weekly_ramp"]
    assert all(f["start_date"] != back.isoformat() for f in ramps)
    returns = [f for f in data["history_findings"] if f["id"] == "return_after_break" and f["level"] != "low"]
    assert [f["start_date"][:10] >= back.isoformat() for f in returns] == [True]
    assert "after 3 weeks off" in returns[0]["why"]


def test_the_unmarked_race_is_found_with_its_predicted_pace_comparison(season):
    folder, cache = season
    data = json.loads(run("races", folder, "--format", "json", "--cache", cache, "--units", "mi"))
    race = next(r for r in data["races"] if r["file"].endswith("saturday.fit"))
    assert race["detected_by"] == "heuristic" and race["distance_label"] == "10K"
    assert race["distance_m"] == pytest.approx(RACE_DISTANCE_M, rel=0.01)
    pred = race["prediction"]
    assert pred["first_half_vs_predicted_pct"] > 15  # 3.6 m/s and faster against a ~2.9 m/s training runner
    assert race["finish_time_s"] == pytest.approx(race["elapsed_time_s"])
    text = run("races", folder, "--cache", cache, "--units", "mi")
    assert pred["from_kind"] == "training" and "Riegel" in text
    # predicted from training runs: the gap is shown, but not read as a fast start (a race effort explains part of it)
    assert f"{pred['first_half_vs_predicted_pct']:.1f} % faster than the pace your training predicts" in text
    assert "came before cramps" not in text


def test_every_history_and_races_format_keeps_to_miles(season, tmp_path):
    folder, cache = season
    outputs = {}
    for command in ("scan", "races"):
        for fmt in ("text", "markdown", "csv"):
            outputs[f"{command} {fmt}"] = run(command, folder, "--format", fmt, "--cache", cache, "--units", "mi")
        data = json.loads(run(command, folder, "--format", "json", "--cache", cache, "--units", "mi"))
        strings = []

        def walk(value, strings=strings):
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(data)
        outputs[f"{command} json values"] = "\n".join(strings)
        html = tmp_path / f"{command}.html"
        run(command, folder, "--format", "json", "--cache", cache, "--units", "mi", "--html", html)
        outputs[f"{command} html"] = html.read_text(encoding="utf-8")
    leaks = {name: sorted(set(METRIC_WORDS.findall(text))) for name, text in outputs.items() if METRIC_WORDS.search(text)}
    assert leaks == {}
    assert "°F" in outputs["scan text"] and "/mi" in outputs["scan html"]


def _csv_outputs(season, tmp_path):
    folder, cache = season
    paths = {}
    for command in ("scan", "races"):
        paths[command] = tmp_path / f"{command}.csv"
        run(command, folder, "--format", "csv", "--cache", cache, "--units", "mi", "-o", paths[command])
    return paths


def test_csv_loads_in_pandas_with_numbers_as_numbers(season, tmp_path):
    pd = pytest.importorskip("pandas")
    paths = _csv_outputs(season, tmp_path)
    runs = pd.read_csv(paths["scan"])
    for column in ("distance_m", "distance_mi", "moving_time_s", "elapsed_time_s", "pace_s_per_mi", "temperature_mean_f",
                   "race"):
        assert pd.api.types.is_numeric_dtype(runs[column]), column
    assert (runs["moving_time_s"] > 60).all() and runs["moving_time"].str.match(r"^\d+:\d\d(:\d\d)?$").all()
    assert runs["race"].sum() == 1 and runs["start_local"].str.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").all()
    races = pd.read_csv(paths["races"])
    assert pd.api.types.is_numeric_dtype(races["finish_time_s"]) and pd.api.types.is_numeric_dtype(races["predicted_time_s"])


ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _ods_cells(path: Path) -> list[list[tuple[str, str]]]:
    """The first sheet of an .ods as rows of (value type, text): what LibreOffice made of each cell."""
    import zipfile

    import lxml.etree as ET

    root = ET.fromstring(zipfile.ZipFile(path).read("content.xml"))
    rows = []
    for tr in root.iter(f"{{{ODS_TABLE}}}table-row"):
        cells = []
        for td in tr.iter(f"{{{ODS_TABLE}}}table-cell"):
            repeat = int(td.get(f"{{{ODS_TABLE}}}number-columns-repeated", "1"))
            text = "".join(p.xpath("string()") for p in td.iter(f"{{{ODS_TEXT}}}p"))
            cells += [(td.get(f"{{{ODS_OFFICE}}}value-type", ""), text)] * min(repeat, 64)
        rows.append(cells)
    return rows


@pytest.mark.skipif(not SOFFICE.exists(), reason="LibreOffice (/usr/bin/soffice) is not installed")
def test_csv_loads_in_libreoffice_with_numbers_as_numbers(season, tmp_path):
    paths = _csv_outputs(season, tmp_path)
    profile, out = tmp_path / "lo-profile", tmp_path / "converted"
    for command in ("scan", "races"):
        subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "ods",
                        "--outdir", str(out), str(paths[command])], check=True, capture_output=True, timeout=300)
    rows = _ods_cells(out / "scan.ods")
    header = [text for _, text in rows[0]]
    first = dict(zip(header, rows[1]))
    for column in ("distance_m", "distance_mi", "elapsed_time_s", "moving_time_s", "pace_s_per_mi", "heart_rate_mean_bpm",
                   "temperature_mean_f", "race"):
        assert first[column][0] == "float", (column, first[column])
    assert first["date"][0] == "date"  # dates as dates (the start time beside it is text to a default import)
    assert first["moving_time"][0] == "string" or first["moving_time"][0] == "time"  # h:mm:ss text beside the seconds
    races = _ods_cells(out / "races.ods")
    header = [text for _, text in races[0]]
    race = dict(zip(header, races[1]))
    assert race["finish_time_s"][0] == "float" and race["predicted_time_s"][0] == "float"


def test_analyze_opens_a_run_inside_an_export_by_the_name_scan_prints(tmp_path):
    import zipfile

    from crampcheck.synth.build import build
    from crampcheck.synth.files import to_bytes

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("12345.fit", to_bytes(build(scenarios.fast_start(5000.0, 3.2, 8.0, "mi")), "fit", False))
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0_Part1.zip", inner.getvalue())
    data = json.loads(run("scan", export, "--format", "json", "--no-cache", "--jobs", "1"))
    name = data["activities"][0]["file"]
    assert name == f"{export}!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0_Part1.zip!12345.fit"
    report = json.loads(run("analyze", name, "--format", "json"))
    assert report["file"] == name and report["summary"]["distance_m"] == pytest.approx(5000.0, rel=0.02)
    assert "fast_start" in {f["id"] for f in report["findings"]}
    missing = CliRunner().invoke(main, ["analyze", f"{export}!DI_CONNECT/nope.fit"])
    assert missing.exit_code == 1 and "no such member in the archive" in missing.output and "Traceback" not in missing.output


def test_colour_only_on_a_terminal_without_no_color_and_the_terminal_width(monkeypatch):
    import sys

    from crampcheck import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._terminal(None) == (True, 72)
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._terminal(None) == (False, 72)
    assert cli._terminal("report.txt") == (False, None)  # a file: neither colour nor wrapping
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a pipe
    assert cli._terminal(None) == (False, None)


@pytest.mark.parametrize("args, message", [
    (["--sport", "bogus"], "--sport 'bogus': unknown sport; use one of running, cycling, walking, hiking, swimming, all"),
    (["--since", "2024-05-01", "--until", "2024-04-01"], "--since 2024-05-01 is after --until 2024-04-01"),
])
def test_scan_refuses_an_unknown_sport_and_an_empty_window_in_one_line(tmp_path, args, message):
    write(scenarios.even_pace(3000.0), tmp_path / "a.fit")
    for command in ("scan", "races"):
        result = CliRunner().invoke(main, [command, str(tmp_path), "--no-cache", *args])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("word", ["run", "Running", "trail", "treadmill"])
def test_scan_accepts_the_sport_words_runners_use(tmp_path, word):
    write(scenarios.even_pace(3000.0), tmp_path / "a.fit")
    data = json.loads(run("scan", tmp_path, "--no-cache", "--jobs", "1", "--format", "json", "--sport", word))
    assert len(data["activities"]) == 1


def test_csv_text_cells_never_start_a_formula():
    from crampcheck.report.history import history_csv, races_csv

    row = {"file": "=cmd|' /C calc'!A0.fit", "name": "@SUM(1+1)", "start_time_utc": "2024-05-01T07:00:00+00:00",
           "distance_m": 5000.0, "moving_time_s": 1500.0, "elapsed_time_s": 1500.0, "avg_speed_m_s": 3.33,
           "findings": [], "overall": "low"}
    rows = list(csv.reader(io.StringIO(history_csv({"activities": [row]}, "km"))))
    cells = dict(zip(rows[0], rows[1]))
    assert cells["name"] == "'@SUM(1+1)" and cells["file"].startswith("'=") and cells["distance_m"] == "5000.0"
    race = {**row, "detected_by": "given", "findings": [], "finish_time_s": 1500.0}
    rows = list(csv.reader(io.StringIO(races_csv({"races": [race]}, "km"))))
    cells = dict(zip(rows[0], rows[1]))
    assert cells["name"] == "'@SUM(1+1)" and cells["file"].startswith("'=")
