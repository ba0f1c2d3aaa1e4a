"""crampcheck team: five generated athletes in order of need, each with its known top finding."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.errors import ConfigError
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.team import TEAM_SCHEMA, find_athletes, team_scan
from tests.team.teamdata import LAST_DAY, ORDER, RACE_DAY, plans

RECENT_WEEKS = HistoryThresholds().digest_weeks  # the overview's window: the rules table's default


@pytest.fixture(scope="module")
def team(team_dir):
    return team_scan(team_dir, use_cache=False, jobs=1)


def test_athletes_in_order_of_need_with_their_top_finding(team):
    assert [m.athlete for m in team.members] == ORDER
    by = {m.athlete: m for m in team.members}
    top = {a: (m.top["id"], m.top["level"], m.top["last_date"]) for a, m in by.items() if m.top}
    assert top["spike"] == ("distance_spike", "very high", LAST_DAY.isoformat())
    assert top["ramp"] == ("weekly_ramp", "high", LAST_DAY.isoformat())
    # 7 runs in week 5 after 3 a week: the digest ranks that ramp (2.33, high) over the 13 days without rest (high,
    # expert opinion), both in the history's own findings
    assert top["streak"] == ("weekly_ramp", "high", (LAST_DAY - timedelta(days=7)).isoformat())
    streak_ids = {f.id for f in by["streak"].history.history_findings}
    assert {"weekly_ramp", "no_rest"} <= streak_ids
    assert by["racer"].top is None and by["calm"].top is None
    assert [m.need for m in team.members] == ["very high", "high", "high", "moderate", None]


def test_recent_counts_and_as_of(team):
    assert team.as_of == LAST_DAY  # the last day anyone ran
    for m in team.members:
        runs = plans()[m.athlete]
        assert m.recent_runs == len(runs) == len(m.history.activities)
        assert sum(m.recent_levels.values()) == m.recent_runs
        assert m.recent_distance_m == pytest.approx(sum(minutes * 60 * 3.0 for minutes in runs.values()), rel=0.01)


def test_race_readiness_uses_the_race_overreach_rule(team):
    racer = next(m for m in team.members if m.athlete == "racer")
    ready = racer.readiness
    assert ready.race.date == RACE_DAY and ready.days_to_race == (RACE_DAY - LAST_DAY).days == 14
    assert ready.level == "moderate"  # one reason (distance), no race pace to compare
    assert ready.longest_run_m == pytest.approx(5400, rel=0.01)
    assert "291 % longer than the longest training run" in ready.why


def test_as_of_moves_the_window(team_dir):
    later = team_scan(team_dir, use_cache=False, jobs=1, as_of=LAST_DAY + timedelta(weeks=RECENT_WEEKS + 1))
    assert all(m.recent_runs == 0 and m.top is None for m in later.members)
    racer = next(m for m in later.members if m.athlete == "racer")
    assert racer.readiness is None and "not ahead" in racer.notes[0]  # the race is past


def test_json_contract(team):
    data = team.to_dict()
    assert data["schema"] == TEAM_SCHEMA and data["as_of"] == LAST_DAY.isoformat() and data["recent_weeks"] == RECENT_WEEKS
    first = data["athletes"][0]
    assert set(first) >= {"athlete", "need", "top_item", "recent", "race", "activities", "skipped", "history"}
    assert first["history"]["schema"] == "crampcheck.history/1"
    assert first["top_item"]["id"] == "distance_spike" and first["top_item"]["counts"]["occurrences"] == 1
    assert data["athletes"][3]["race"]["date"] == RACE_DAY.isoformat()
    json.dumps(data)  # plain JSON types only


def test_cli_formats(team_dir, tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["team", str(team_dir), "--no-cache", "--jobs", "1", "--format", "csv", "--units", "km"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["athlete"] for r in rows] == ORDER
    assert rows[0]["top_id"] == "distance_spike" and rows[0]["need"] == "very high"
    assert rows[0]["top_last_date"] == LAST_DAY.isoformat()
    assert rows[3]["race_level"] == "moderate" and rows[3]["race_date"] == RACE_DAY.isoformat()
    md = runner.invoke(main, ["team", str(team_dir), "--no-cache", "--jobs", "1", "--format", "markdown"])
    assert md.exit_code == 0 and "| 1 | spike | VERY HIGH |" in md.output


def test_manifest(team_dir, tmp_path):
    manifest = tmp_path / "team.csv"
    manifest.write_text("athlete,path,race_date,race_name,race_distance_km\n"
                        f"Ann,{team_dir / 'spike'},,,\n"
                        f"Bob,{team_dir / 'calm'},{date(2024, 5, 1)},May 10K,10\n", encoding="utf-8")
    athletes, notes = find_athletes(str(manifest))
    assert notes == []
    assert [a.name for a in athletes] == ["Ann", "Bob"] and athletes[1].race.distance_m == 10000.0
    result = team_scan(manifest, use_cache=False, jobs=1)
    assert [m.athlete for m in result.members] == ["Ann", "Bob"]
    assert result.members[1].readiness.level == "moderate"  # 10 km vs a longest run of 5.4 km


@pytest.mark.parametrize(("text", "why"), [
    ("who,where\nA,x\n", "needs the column(s) athlete, path"),
    ("athlete,path,race_date,race_distance_km\nA,x,tomorrow,10\n", "race_date: expected YYYY-MM-DD"),
])
def test_bad_manifest_is_one_line(tmp_path, text, why):
    manifest = tmp_path / "team.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(why)):
        find_athletes(str(manifest))
    out = CliRunner().invoke(main, ["team", str(manifest), "--no-cache"])
    assert out.exit_code == 1 and why in out.output and "Traceback" not in out.output


def test_html_pages_are_written_next_to_each_other(team_dir, tmp_path):
    page = tmp_path / "out" / "team.html"
    page.parent.mkdir()
    out = CliRunner().invoke(main, ["team", str(team_dir), "--no-cache", "--jobs", "1", "--html", str(page), "-o",
                                    str(tmp_path / "team.txt")])
    assert out.exit_code == 0, out.output
    html = page.read_text(encoding="utf-8")
    for athlete in ORDER:
        assert f'href="team-{athlete}.html"' in html
        assert "Training history" in (page.parent / f"team-{athlete}.html").read_text(encoding="utf-8")
    assert html.index(">spike<") < html.index(">ramp<") < html.index(">calm<")


def test_hostile_athlete_name_is_escaped(tmp_path, team_dir):
    manifest = tmp_path / "team.csv"
    manifest.write_text(f'athlete,path\n"<script>alert(1)</script>",{team_dir / "calm"}\n=cmd(),{team_dir / "spike"}\n',
                        encoding="utf-8")
    page = tmp_path / "team.html"
    out = CliRunner().invoke(main, ["team", str(manifest), "--no-cache", "--jobs", "1", "--html", str(page), "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert "<script>alert" not in page.read_text(encoding="utf-8")
    assert "'=cmd()" in out.output  # a spreadsheet shows it as text


def test_terminal_control_characters_are_shown_not_run(tmp_path, team_dir):
    manifest = tmp_path / "team.csv"
    manifest.write_text(f"athlete,path\nclear\x1b[2Jscreen,{team_dir / 'calm'}\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["team", str(manifest), "--no-cache", "--jobs", "1"])
    assert out.exit_code == 0, out.output
    assert "\x1b" not in out.output and "clear\\x1b[2Jscreen" in out.output


def test_an_export_zip_is_an_athlete_and_loose_files_are_noted(tmp_path, team_dir):
    import shutil
    import zipfile

    root = tmp_path / "club"
    shutil.copytree(team_dir / "spike", root / "spike")
    with zipfile.ZipFile(root / "Zoe Export.zip", "w") as zf:
        for f in sorted((team_dir / "calm").iterdir()):
            zf.write(f, f"activities/{f.name}")
    (root / "notes.txt").write_text("not an athlete", encoding="utf-8")
    result = team_scan(root, use_cache=False, jobs=1)
    assert [m.athlete for m in result.members] == ["spike", "Zoe Export"]
    assert len(result.members[1].history.activities) == len(plans()["calm"])
    assert result.notes == [f"{root / 'notes.txt'}: not an athlete's folder or export zip: left out"]
