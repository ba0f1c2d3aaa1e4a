"""Failures 4-6: untrusted names never act on a terminal, a spreadsheet or a Markdown viewer."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil

import pytest

from crampcheck.safetext import csv_cell, json_text, markdown, terminal
from tests.robustness import hostile
from tests.robustness.conftest import SAMPLES, cli

CONTROL = ("\x1b", "\x07", "\x9b", "\x9d")  # ESC, BEL, CSI, OSC


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "strava.zip"
    names = [hostile.ESCAPES + "run", hostile.C1_CSI + "c1", *hostile.FORMULAS, *hostile.MARKDOWN_TRAPS]
    path.write_bytes(hostile.strava_export(names))
    return path


def test_the_sanitizer_functions():
    assert terminal(hostile.ESCAPES) == "\\x1b[2J\\x1b]0;PWNED\\x07"
    assert terminal("a\nb\u202ec\x9b") == "a\\x0ab\\u202ec\\x9b"
    assert terminal(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert [csv_cell(f) for f in hostile.FORMULAS] == [
        "'=HYPERLINK(\"http://evil\",\"x\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\\x09TAB", "'\\x0dCR"]
    assert csv_cell(-2.5) == -2.5 and csv_cell("Easy run") == "Easy run"
    assert [markdown(t) for t in hostile.MARKDOWN_TRAPS] == [
        "&lt;img src=x onerror=alert(1)&gt;", "[x\\](javascript:alert(1))", "![i\\](http://evil/x.png)",
        "a \\| b \\| c", "line one\\x0a\\| forged \\| row \\|"]
    assert json_text('"\x9b\udcff"') == '"\\u009b\\\\xff"'
    assert terminal("🏃\u200d♀️ parkrun") == "🏃\u200d♀️ parkrun"  # emoji joiners stay; bidi controls do not


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_no_control_character_reaches_the_terminal_from_an_export(export, fmt):
    result = cli("scan", export, "--no-cache", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert not any(c in out for c in CONTROL)
    assert "PWNED" in out  # shown, harmless


def test_csv_cells_are_never_formulas(export):
    rows = list(csv.DictReader(io.StringIO(cli("scan", export, "--no-cache", "--format", "csv").stdout)))
    names = {r["name"] for r in rows}
    assert {"'=HYPERLINK(\"http://evil\",\"x\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)"} <= names
    assert not [n for n in names if n[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_markdown_has_no_live_tag_link_image_or_forged_row(export, tmp_path):
    out = tmp_path / "r.md"
    assert cli("scan", export, "--no-cache", "--format", "markdown", "-o", out).exit_code == 0
    text = out.read_text()
    assert "<img" not in text and not re.search(r"(?<!\\)\]\(", text)  # no tag, no live link or image
    lines = text.splitlines()
    rows = [i for i, line in enumerate(lines) if re.match(r"\| \d+ \| 2023-01-\d\d \|", line)]  # the activity table
    cells = {len(re.findall(r"(?<!\\)\|", lines[i])) for i in [rows[0] - 2, *rows]}  # header + rows
    assert len(rows) == 13 and len(cells) == 1  # one row per run, no forged cell or row
    assert not any(c in text for c in CONTROL)


def test_json_stays_valid_and_keeps_the_name(export):
    data = json.loads(cli("scan", export, "--no-cache", "--format", "json").stdout)
    assert hostile.ESCAPES + "run" in {a["name"] for a in data["activities"]}  # data intact, escaped on the wire


def test_error_progress_and_skip_lines_are_sanitized(tmp_path):
    evil = tmp_path / f"{hostile.ESCAPES}.fit"
    evil.write_bytes(b"not a fit file at all")
    result = cli("analyze", evil)
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\\x1b]0;PWNED\\x07" in result.stderr
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(evil, folder / evil.name)
    result = cli("races", folder, "--no-cache", "--progress")
    assert result.exit_code == 0 and "skipped" in result.stderr
    assert "PWNED" in result.stderr and "\x07" not in result.stderr and "]0;" not in result.stderr.replace("\\x1b]0;", "")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_fit_device_and_activity_names_never_reach_the_terminal_raw(tmp_path, fmt):
    run = tmp_path / "evil.fit"
    run.write_bytes(hostile.fit_with_hostile_names((SAMPLES / "easy_10k.fit").read_bytes()))
    out = tmp_path / "r.out"
    for args in ([], ["-o", out]):
        result = cli("analyze", run, "--format", fmt, *args)
        assert result.exit_code == 0, result.output
        text = out.read_text() if args else result.stdout
        assert not any(c in text for c in CONTROL) and "PWNED" in text
