"""The command line through click's test runner: reports, formats, options, golden output."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.synth import scenarios, write
from tests.helpers.paths import PROJECT_ROOT, SAMPLES

GOLDEN = PROJECT_ROOT / "tests" / "golden"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "sample, fmt",
    [("fast_start_5k.fit", "text"), ("hot_long_run.gpx", "markdown"), ("surges_tempo.tcx", "text"), ("cool_run_with_warmup.fit", "json")],
)
def test_golden_reports(sample, fmt):
    """The reports on the bundled samples, byte for byte (CRAMPCHECK_UPDATE_GOLDEN=1 rewrites them)."""
    out = run("analyze", SAMPLES / sample, "--format", fmt, "--no-color")
    if fmt == "json":  # the path as given differs between machines
        data = json.loads(out)
        data["file"] = Path(data["file"]).name
        out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{sample}.{fmt}"
    if os.environ.get("CRAMPCHECK_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_text_and_markdown_carry_the_same_findings():
    data = json.loads(run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "json"))
    text = run("analyze", SAMPLES / "fast_start_5k.fit", "--no-color")
    markdown = run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "markdown")
    assert data["findings"]
    for finding in data["findings"]:
        for report in (text, markdown):
            assert f"{finding['level'].upper()}  {finding['id'].replace('_', ' ')}: {finding['why']}" in report
            assert finding["advice"] in report


def test_units_km_and_mi_are_both_first_class():
    mi = json.loads(run("analyze", SAMPLES / "easy_10k.fit", "--format", "json"))
    km = json.loads(run("analyze", SAMPLES / "easy_10k.fit", "--format", "json", "--units", "km"))
    assert [s["unit"] for s in mi["splits"]] == ["mi"] * 7 and mi["splits"][-1]["partial"]
    assert [s["unit"] for s in km["splits"]] == ["km"] * 10 and not km["splits"][-1]["partial"]
    assert "5:45 /km" in run("analyze", SAMPLES / "easy_10k.fit", "--units", "km")
    assert "9:15 /mi" in run("analyze", SAMPLES / "easy_10k.fit", "--units", "mi")


def test_weights_and_fluid_give_fluid_loss_and_sweat_rate(tmp_path):
    data = json.loads(
        run("analyze", SAMPLES / "hot_long_run.gpx", "--format", "json", "--weight-before", "70kg", "--weight-after", "67.6", "--fluid", "0.5L")
    )
    loss = next(f for f in data["findings"] if f["id"] == "fluid_loss")
    assert loss["level"] == "high" and loss["value"] == pytest.approx(100 * 2.4 / 70, abs=0.01)
    # (70 - 67.6 + 0.5) L over the 2 h of the run
    assert data["fluid_plan"]["sweat_rate_l_h"] == pytest.approx(2.9 / 2.0, abs=0.01)
    in_lb = json.loads(
        run("analyze", SAMPLES / "hot_long_run.gpx", "--format", "json", "--weight-before", "154.32lb", "--weight-after", "149.03lb", "--fluid", "16.9oz")
    )
    assert in_lb["fluid_plan"]["sweat_rate_l_h"] == pytest.approx(data["fluid_plan"]["sweat_rate_l_h"], abs=0.02)


def test_bad_quantity_is_a_usage_error():
    result = CliRunner().invoke(main, ["analyze", str(SAMPLES / "easy_10k.fit"), "--weight-before", "heavy"])
    assert result.exit_code == 2 and "--weight-before" in result.output


def test_past_cramps_raise_the_overall_once_and_say_why(tmp_path):
    config = tmp_path / "crampcheck.toml"
    config.write_text("[thresholds]\nfast_start_high_pct = 20\n")  # the 8 % fast start is then moderate
    plain = json.loads(run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "json", "--config", config))
    raised = json.loads(run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "json", "--config", config, "--past-cramps"))
    assert plain["scores"]["overall"] == "moderate" and raised["scores"]["overall"] == "high"
    assert [f["level"] for f in raised["findings"]] == [f["level"] for f in plain["findings"]]  # findings keep theirs
    assert any("past cramps" in r for r in raised["scores"]["reasons"]["overall"])


def test_config_file_overrides_a_threshold_and_thresholds_says_so(tmp_path):
    config = tmp_path / "crampcheck.toml"
    config.write_text("[thresholds]\nheat_moderate_c = 12\n\n[runner]\nunits = \"km\"\n")
    data = json.loads(run("analyze", SAMPLES / "easy_10k.fit", "--format", "json", "--config", config))
    assert data["units"] == "km"
    heat_finding = next(f for f in data["findings"] if f["id"] == "heat")  # 14 °C >= 12 °C: moderate in the air ...
    assert heat_finding["level"] == "low" and "wrist sensor alone" in heat_finding["why"]  # ... low from the wrist
    rows = json.loads(run("thresholds", "--config", config, "--format", "json"))["thresholds"]
    heat = next(r for r in rows if r["name"] == "heat_moderate_c")
    assert heat["value"] == 12 and heat["origin"] == str(config)
    assert next(r for r in rows if r["name"] == "heat_high_c")["origin"] == "default"
    assert "heat_moderate_c" in run("thresholds")


def test_thresholds_sources_resolves_every_key():
    data = json.loads(run("thresholds", "--sources", "--format", "json"))
    assert data["schema"] == "crampcheck.sources/1"
    keys = {r["key"] for r in data["sources"]}
    assert {"schwellnus2011", "luff2022"} <= keys
    text = run("thresholds", "--sources")
    assert all(key in text for key in keys) and "Verywell Fit" in text


def test_bad_config_is_one_line(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[thresholds]\nno_such_threshold = 3\n")
    result = CliRunner().invoke(main, ["analyze", str(SAMPLES / "easy_10k.fit"), "--config", str(config)])
    assert result.exit_code == 1 and "no_such_threshold" in result.output and "Traceback" not in result.output


def test_fitparse_decoder_gives_the_same_report():
    fast = json.loads(run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "json"))
    slow = json.loads(run("analyze", SAMPLES / "fast_start_5k.fit", "--format", "json", "--decoder", "fitparse"))
    assert slow["decoder"] == "fitparse" and fast["decoder"] != "fitparse"
    for key in ("summary", "splits", "findings", "scores"):
        assert fast[key] == slow[key]


def test_output_file_and_html(tmp_path):
    out, html = tmp_path / "run.md", tmp_path / "run.html"
    result = CliRunner().invoke(main, ["analyze", str(SAMPLES / "surges_tempo.tcx"), "--format", "markdown", "-o", str(out), "--html", str(html)])
    assert result.exit_code == 0
    assert out.read_text().startswith("# crampcheck")
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "surges" in page


@pytest.fixture
def history_dir(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    specs = scenarios.history(weeks=10, runs_per_week=3, spike_week=-3, spike_pct=60, seed=3)
    for i, spec in enumerate(specs):
        write(spec, folder / f"run_{i:03d}.fit")
    write(scenarios.race_10k(first_mile_faster_pct=8.0), folder / "race.gpx")
    (folder / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 30)
    return folder


ALL = ("--since", "1970-01-01")  # every run in view (scan shows the last 12 weeks by default)


def test_scan_formats(history_dir, tmp_path):
    cache = tmp_path / "cache.sqlite"
    data = json.loads(run("scan", history_dir, "--format", "json", "--cache", cache, "--jobs", "1", *ALL))
    assert data["schema"] == "crampcheck.history/1"
    assert len(data["activities"]) == 31
    assert [s["file"] for s in data["skipped"]] == [str(history_dir / "broken.fit")]
    assert any(f["id"] == "weekly_ramp" for f in data["history_findings"])
    rows = list(csv.DictReader(io.StringIO(run("scan", history_dir, "--format", "csv", "--cache", cache, *ALL))))
    assert len(rows) == 31 and float(rows[0]["distance_m"]) > 0
    text = run("scan", history_dir, "--cache", cache, *ALL)
    assert "31 activities" in text and "broken.fit" in text and "weekly ramp" in text
    assert "| # | date | name |" in run("scan", history_dir, "--format", "markdown", "--cache", cache)


def test_races_lists_the_fast_started_race(history_dir, tmp_path):
    data = json.loads(run("races", history_dir, "--format", "json", "--cache", tmp_path / "c.sqlite"))
    assert data["schema"] == "crampcheck.races/1"
    race = next(r for r in data["races"] if r["file"].endswith("race.gpx"))
    assert race["detected_by"] == "name"
    assert {f["id"]: f["level"] for f in race["findings"]}["fast_start"] == "high"
    single = json.loads(run("races", history_dir / "race.gpx", "--format", "json", "--no-cache"))
    assert [r["detected_by"] for r in single["races"]] == ["name"]


def test_scan_html_reads_each_file_once_and_draws_the_configured_ramp_lines(history_dir, tmp_path, monkeypatch):
    import lxml.html

    from crampcheck.history import worker

    reads: Counter[str] = Counter()
    real = worker.read_and_analyze

    def counted(name, data, units, config, meta=None):
        reads[name] += 1
        return real(name, data, units, config, meta)

    monkeypatch.setattr(worker, "read_and_analyze", counted)  # --jobs 1: the scan runs in this process
    config = tmp_path / "ramps.toml"
    config.write_text("[thresholds]\nweekly_ramp_moderate_ratio = 1.2\nweekly_ramp_high_ratio = 1.35\n")
    html = tmp_path / "history.html"
    data = json.loads(run("scan", history_dir, "--format", "json", "--no-cache", "--jobs", "1", "--config", config, "--html", html, *ALL))
    assert reads == Counter({str(p): 1 for p in history_dir.iterdir()})  # history and races from one scan
    assert data["thresholds"]["weekly_ramp_moderate_ratio"] == 1.2 and data["thresholds"]["weekly_ramp_high_ratio"] == 1.35
    page = lxml.html.document_fromstring(html.read_text(encoding="utf-8"))
    labels = page.xpath('//svg[@id="chart-ramp"]//text[@class="hline-label"]/text()')
    assert labels == ["◆ moderate 1.2", "▲ high 1.35"]
    assert page.xpath('//section[@aria-labelledby="h-races"]//tbody/tr')  # the race of the folder, ranked


def test_scan_of_a_missing_path_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "nowhere: no such file or directory" in result.output


def test_every_command_and_option_in_the_readme_exists():
    """Docs cannot rot: each `crampcheck <command> --option` the README shows is accepted."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    commands = main.commands
    shown = re.findall(r"crampcheck (analyze|scan|races|thresholds|cramp|team)\b([^\n`|&]*)", readme)
    assert {c for c, _ in shown} == set(commands)
    leaves = [c for c in commands.values() if not isinstance(c, click.Group)]
    leaves += [sub for c in commands.values() if isinstance(c, click.Group) for sub in c.commands.values()]
    for command, rest in shown:
        cmd = commands[command]
        if isinstance(cmd, click.Group):  # crampcheck cramp add ...: the options are the subcommand's
            words = rest.split()
            assert words and words[0] in cmd.commands, f"README shows `crampcheck {command} {rest.strip()}`"
            cmd = cmd.commands[words[0]]
        known = {opt for p in cmd.params for opt in p.opts + p.secondary_opts}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
            assert option in known, f"README shows `crampcheck {command} {option}`, which does not exist"
    for option in re.findall(r"`(--[a-z][a-z-]*)", readme):
        assert any(option in {o for p in c.params for o in p.opts + p.secondary_opts} for c in leaves), option


def test_empty_weeks_are_collapsed_in_the_history_table():
    from crampcheck.report.history import week_rows

    def week(label, runs, km=0.0, flags=()):
        return {"week": label, "runs": runs, "volume_km": km, "long_run_km": km, "ramp_ratio": None, "flags": list(flags)}

    weeks = [week("2024-W01", 2, 20), week("2024-W02", 0), week("2024-W03", 0), week("2024-W04", 0, flags=["no_rest"]),
             week("2024-W05", 0), week("2024-W06", 1, 10)]
    rows = week_rows(weeks, "km")
    assert [r[0] for r in rows] == ["2024-W01", "2024-W02…2024-W03", "2024-W04", "2024-W05", "2024-W06"]
    assert rows[1][5] == "(2 weeks without a run)" and rows[3][5] == "(1 week without a run)"
    assert rows[0][2] == "20.0 km" and rows[2][5] == "no_rest"


def test_readme_shows_the_report_as_it_is():
    """The report excerpt in the README is the start of the golden report, line for line."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    golden = (GOLDEN / "fast_start_5k.fit.text").read_text().splitlines()
    assert "\n".join(golden[:16]) in readme


def test_the_jobs_bound_is_one_number():
    """--help states the bound without importing the scan; the scan enforces the same one."""
    import importlib

    from crampcheck import cli

    assert cli.MAX_JOBS == importlib.import_module("crampcheck.history.scan").MAX_JOBS
