"""What came before your cramps: generated races with known starts, and cramps found in a Strava export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.cramplog import CrampLog, LogEntry
from crampcheck.history import scan
from crampcheck.synth import scenarios, to_bytes
from crampcheck.synth.spec import RunSpec, Segment

FIRST_RACE = datetime(2024, 3, 10, 8, 0, tzinfo=timezone.utc)  # a Sunday
FAST_PCT = 10.0  # the fast races' first mile, % faster than the rest


def cli(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def races(tmp_path_factory):
    """Five 10 km races a month apart: 1, 3 and 5 started fast (first mile 10 % faster), 2 and 4 even."""
    folder = tmp_path_factory.mktemp("races")
    files = {}
    for k in range(5):
        fast = k % 2 == 0
        spec = scenarios.race_10k(3.6, first_mile_faster_pct=FAST_PCT if fast else 0.0, name=f"City 10K #{k + 1}",
                                  start_time_utc=FIRST_RACE + timedelta(weeks=4 * k), sample_interval_s=2)
        path = folder / f"race{k + 1}.fit"
        path.write_bytes(to_bytes(spec, "fit"))
        files[path.name] = (path, fast)
    return folder, files


def _log(tmp_path, files, cramped: list[str]) -> Path:
    log = tmp_path / "cramps.sqlite"
    for name in cramped:
        cli("cramp", "add", files[name][0], "--at", "8.5km", "--muscle", "calf", "--data", log)
    return log


def test_three_fast_cramped_races_against_two_even_ones_make_a_pattern(races, tmp_path):
    folder, files = races
    log = _log(tmp_path, files, ["race1.fit", "race3.fit", "race5.fit"])
    history = json.loads(cli("scan", folder, "--format", "json", "--no-cache", "--data", log))
    patterns = history["cramp_patterns"]
    assert (patterns["cramped_runs"], patterns["comparable_free_runs"], patterns["enough"]) == (3, 2, True)
    fast = next(f for f in patterns["factors"] if f["id"] == "fast_start")
    assert (fast["cramped_with"], fast["cramped"], fast["free_with"], fast["free"], fast["repeats"]) == (3, 3, 0, 2, True)
    sentence = next(s for s in patterns["sentences"] if "started fast" in s)
    assert sentence.startswith("3 of your 3 cramped races started fast (first km 10 % faster than the last);")
    assert "your 2 comparable cramp-free races started within" in sentence and "(0 of 2 started fast)" in sentence
    assert patterns["where"] == {"known": 3, "first_half": 0, "third_quarter": 0, "final_quarter": 3}
    assert "3 of your 3 cramps with a known place struck in the final quarter of the run." in patterns["sentences"]
    for words in ("probability", "odds", "chance of cramp"):
        assert not any(words in s for s in patterns["sentences"])
    assert {Path(c["file"]).name for c in history["cramps"]} == {"race1.fit", "race3.fit", "race5.fit"}
    text = cli("scan", folder, "--no-cache", "--data", log, "--no-progress")
    assert "What came before your cramps" in text and sentence in text
    markdown = cli("scan", folder, "--no-cache", "--data", log, "--format", "markdown")
    assert "## What came before your cramps" in markdown and sentence in markdown
    races_report = json.loads(cli("races", folder, "--format", "json", "--no-cache", "--data", log))
    marked = {Path(r["file"]).name: r["cramp"] for r in races_report["races"]}
    assert {n for n, c in marked.items() if c} == {"race1.fit", "race3.fit", "race5.fit"}
    assert marked["race1.fit"]["at_m"] == 8500.0


def test_two_cramped_races_are_listed_without_a_pattern(races, tmp_path):
    folder, files = races
    log = _log(tmp_path, files, ["race1.fit", "race3.fit"])
    history = json.loads(cli("scan", folder, "--format", "json", "--no-cache", "--data", log))
    patterns = history["cramp_patterns"]
    assert (patterns["cramped_runs"], patterns["enough"], patterns["sentences"]) == (2, False, [])
    assert len(history["cramps"]) == 2
    text = cli("scan", folder, "--no-cache", "--data", log, "--no-progress")
    assert "Fewer than 3 cramped runs: they are listed, no pattern is drawn." in text
    assert "started fast (first km" not in text


def test_the_profile_follows_the_log(races, tmp_path):
    _, files = races
    log = _log(tmp_path, files, ["race1.fit", "race3.fit"])
    report = json.loads(cli("analyze", files["race1.fit"][0], "--format", "json", "--data", log))
    assert report["past_cramps_reason"] == "you logged 2 cramps, the last on 2024-05-05"
    text = cli("analyze", files["race1.fit"][0], "--data", log, "--no-color")
    assert "Past cramps: yes, from your cramp log (you logged 2 cramps, the last on 2024-05-05)." in text
    unsaid = json.loads(cli("analyze", files["race1.fit"][0], "--format", "json", "--data", log, "--no-past-cramps"))
    assert unsaid["past_cramps_reason"] is None
    clean = json.loads(cli("analyze", files["race1.fit"][0], "--format", "json", "--data", tmp_path / "empty.sqlite"))
    assert clean["past_cramps_reason"] is None and not (tmp_path / "empty.sqlite").exists()  # reading creates nothing


def _strava_export(folder: Path) -> None:
    """A Strava bulk export: activities.csv (with descriptions and private notes) + activities/N.fit.gz."""
    runs = [  # id, name, description, private note, km
        (101, "Valencia Marathon", "cramped at 35k, walked to 37", "", 42.2),
        (102, "Berlin", "Toller Lauf. Wadenkrampf bei km 30, dann gehen.", "", 42.2),
        (103, "no cramps today!", "", "", 21.1),
        (104, "Morning Run", "", "easy", 8.0),
    ]
    (folder / "activities").mkdir()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
                     "Elapsed Time", "Distance", "Activity Private Note", "Filename"])
    for k, (aid, name, desc, note, km) in enumerate(runs):
        spec = RunSpec(segments=(Segment(distance_m=km * 1000, speed_m_s=3.3),), sample_interval_s=5, name="Run",
                       start_time_utc=FIRST_RACE + timedelta(days=14 * k))
        (folder / "activities" / f"{aid}.fit.gz").write_bytes(to_bytes(spec, "fit", gz=True))
        writer.writerow([aid, "", name, "Run", desc, "", km, note, f"activities/{aid}.fit.gz"])
    (folder / "activities.csv").write_text(buf.getvalue(), encoding="utf-8")


def test_cramps_found_in_a_strava_export(tmp_path):
    export = tmp_path / "strava"
    export.mkdir()
    _strava_export(export)
    history = scan(export, use_cache=False, jobs=1)
    found = {Path(c["file"]).name: c for c in history.cramps}
    assert set(found) == {"101.fit.gz", "102.fit.gz"}
    assert (found["101.fit.gz"]["at_m"], found["101.fit.gz"]["found_in"], found["101.fit.gz"]["source"]) == (
        35000.0, "Strava description", "text")
    assert (found["102.fit.gz"]["at_m"], found["102.fit.gz"]["muscle"]) == (30000.0, "calf")
    assert found["101.fit.gz"]["share_pct"] == pytest.approx(35000 / 42200 * 100, abs=0.2)
    assert history.cramp_patterns["said_free_runs"] == 1  # "no cramps today!"
    # rejecting one in the log drops it; confirming one keeps it as logged, with the words found
    log = tmp_path / "cramps.sqlite"
    with CrampLog(log) as cramp_log:
        cramp_log.add(LogEntry("reject", "x", content_hash=found["102.fit.gz"]["short_id"]))
        cramp_log.add(LogEntry("cramp", "y", content_hash=found["101.fit.gz"]["short_id"], severity="stopped"))
        entries = cramp_log.entries()
    history = scan(export, use_cache=False, jobs=1, cramp_entries=entries)
    [confirmed] = history.cramps
    assert (confirmed["source"], confirmed["severity"], confirmed["at_m"], confirmed["found_in"]) == (
        "log", "stopped", 35000.0, "Strava description")


def test_found_cramps_are_listed_in_the_scan_with_their_ids(tmp_path):
    export = tmp_path / "strava"
    export.mkdir()
    _strava_export(export)
    text = cli("scan", export, "--no-cache", "--no-progress", "--data", tmp_path / "log.sqlite")
    assert "Found in your notes: confirm with `crampcheck cramp add ID`" in text
    assert "“cramped at 35k, walked to 37”" in text and "found in your Strava description" in text


def test_the_runners_words_stay_text_in_every_report(tmp_path):
    export = tmp_path / "strava"
    export.mkdir()
    _strava_export(export)
    csv_path = export / "activities.csv"
    hostile = '<script>alert(1)</script>\x1b[2J cramped at 35k | **bold**'
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("cramped at 35k, walked to 37", hostile), encoding="utf-8")
    page = tmp_path / "history.html"
    text = cli("scan", export, "--no-cache", "--no-progress", "--data", tmp_path / "log.sqlite", "--html", page)
    assert "\x1b" not in text and "\\x1b\\[2J cramped at 35k" in text
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'id="h-cramps"' in html
    markdown = cli("scan", export, "--no-cache", "--data", tmp_path / "log.sqlite", "--format", "markdown")
    assert "\x1b" not in markdown and "<script" not in markdown  # no raw HTML in a Markdown report either
    assert "“‹script›alert(1)‹/script›\\x1b\\[2J cramped at 35k \\| \\*\\*bold\\*\\*”" in markdown  # | escaped once


def test_a_fast_start_against_the_predicted_pace(tmp_path):
    """Four 10 km races a month apart, each predicted from the best one before it (Riegel, as `races`
    shows): three ran the first half 10 % faster than the even pace they finished in, the first
    evenly. The fast first halves are 10 % faster than predicted, the even one not."""
    folder = tmp_path / "races"
    folder.mkdir()
    for k in range(5):
        fast = k in (1, 2, 4)
        halves = (3.96, 3.3) if fast else (3.6, 3.6)  # the same finish time: 2,778 s
        spec = RunSpec(segments=tuple(Segment(distance_m=5000.0, speed_m_s=v) for v in halves), is_race=True,
                       name=f"City 10K #{k}", start_time_utc=FIRST_RACE + timedelta(weeks=4 * k), sample_interval_s=2)
        (folder / f"race{k}.fit").write_bytes(to_bytes(spec, "fit"))
    log = tmp_path / "cramps.sqlite"
    for k in (1, 2, 4):
        cli("cramp", "add", folder / f"race{k}.fit", "--at", "9km", "--data", log)
    history = json.loads(cli("scan", folder, "--format", "json", "--no-cache", "--data", log, "--since", "2024-01-01"))
    cramps = {Path(c["file"]).name: c for c in history["cramps"]}
    for name in ("race1.fit", "race2.fit", "race4.fit"):
        assert cramps[name]["first_half_vs_predicted_pct"] == pytest.approx(10.0, abs=0.3)
        assert cramps[name]["predicted_speed_m_s"] == pytest.approx(3.6, abs=0.01)
    patterns = history["cramp_patterns"]
    factor = next(f for f in patterns["factors"] if f["id"] == "fast_start_vs_predicted")
    assert (factor["cramped_with"], factor["cramped"], factor["free_with"], factor["free"], factor["repeats"]) == (3, 3, 0, 2, True)
    assert ("3 of your 3 cramped races started more than 4 % faster than your predicted pace (first half 10 % faster); "
            "your 2 comparable cramp-free races started within 0.0 % of theirs (0 of 2 did).") in patterns["sentences"]
    top = history["digest"]["top"]
    assert any(item["id"] == "own_cramps" and "started more than 4 % faster than your predicted pace" in item["why"] for item in top)


def test_the_latest_entry_for_a_run_wins(races, tmp_path):
    _, files = races
    log = _log(tmp_path, files, ["race1.fit"])
    cli("cramp", "none", files["race1.fit"][0], "--data", log)  # the runner changed their mind
    history = json.loads(cli("scan", races[0], "--format", "json", "--no-cache", "--data", log))
    assert history["cramps"] == [] and history["cramp_patterns"]["said_free_runs"] == 1
    cli("cramp", "add", files["race1.fit"][0], "--data", log)
    history = json.loads(cli("scan", races[0], "--format", "json", "--no-cache", "--data", log))
    assert [Path(c["file"]).name for c in history["cramps"]] == ["race1.fit"] and history["cramps"][0]["entry_id"] == 3


def test_history_factors_on_a_run_count_for_it():
    """A history finding about one run (by file) or over its days, from moderate up, is a factor present on it."""
    from datetime import date

    from crampcheck.history.cramps import factors_present
    from crampcheck.history.factors import HistoryFinding
    from crampcheck.history.params import HistoryThresholds
    from tests.helpers.history import row

    run = row(40, 30.0)
    day = run.day

    def finding(fid, start, end, file=None, level="moderate"):
        return HistoryFinding(fid, level, "weak", start, end, 1.0, 1.0, "%", "why", "advice", file=file)

    findings = [finding("heat_unacclimatized", day, day, run.file), finding("distance_spike", day, day, "other.fit"),
                finding("hard_streak", day - timedelta(days=2), day), finding("no_rest", date(2020, 1, 1), date(2020, 1, 9)),
                finding("return_after_break", day - timedelta(days=3), day + timedelta(days=3), level="low")]
    assert factors_present(run, findings, HistoryThresholds()) == ["heat_unacclimatized", "hard_streak"]
    findings[-1] = finding("return_after_break", day - timedelta(days=3), day + timedelta(days=3))
    assert factors_present(run, findings, HistoryThresholds()) == ["heat_unacclimatized", "hard_streak", "return_after_break"]
