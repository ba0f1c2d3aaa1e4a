"""Failures 1-3: reports never overwrite inputs or leave partial files; the cache never touches a foreign file."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sqlite3

import pytest

from crampcheck.files import OutputError, write_atomic
from tests.robustness import hostile
from tests.robustness.conftest import SAMPLES, cli, crampcheck


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def run(tmp_path):
    path = tmp_path / "run.fit"
    shutil.copy(SAMPLES / "easy_10k.fit", path)
    return path


# --- 1. reports overwrite their own input ---------------------------------------------------
@pytest.mark.parametrize("option", ["-o", "--html"])
def test_analyze_refuses_to_write_over_its_run(run, option):
    before = digest(run)
    result = cli("analyze", run, option, run)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {run}: is an input file: the report would overwrite it (choose another path)\n"
    assert digest(run) == before


def test_a_hard_link_to_the_input_is_the_input(run, tmp_path):
    link = tmp_path / "report.txt"
    os.link(run, link)
    before = digest(run)
    assert cli("analyze", run, "-o", link).exit_code == 1 and digest(run) == before


def test_scan_refuses_an_output_among_the_runs_it_reads(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    for name in ("run1.fit", "run3.fit"):
        shutil.copy(SAMPLES / "easy_10k.fit", runs / name)
    before = digest(runs / "run3.fit")
    result = cli("scan", runs, "--no-cache", "--format", "csv", "-o", runs / "run3.fit")
    assert result.exit_code == 1 and "lies inside the scanned folder" in result.stderr and digest(runs / "run3.fit") == before
    result = cli("scan", runs, "--no-cache", "-o", runs / "new.gpx")  # a name the next scan would read
    assert result.exit_code == 1 and "lies inside the scanned folder" in result.stderr
    assert not (runs / "new.gpx").exists()
    ok = cli("scan", runs, "--no-cache", "-o", runs / "report.txt")  # a report beside the runs is fine
    assert ok.exit_code == 0 and (runs / "report.txt").read_text().startswith("crampcheck")


def test_scan_refuses_html_over_the_export(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(hostile.strava_export(["Easy"]))
    before = digest(export)
    result = cli("scan", export, "--no-cache", "--html", export)
    assert result.exit_code == 1 and "is an input file" in result.stderr and digest(export) == before


# --- 2. reports written atomically ------------------------------------------------------------
def _limit_file_size(max_bytes: int):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return set_limit


def test_a_full_disk_keeps_the_old_report_and_leaves_no_partial_file(run, tmp_path):
    html = tmp_path / "report.html"
    html.write_text("<html>old report</html>")
    result = crampcheck("analyze", run, "--html", html, preexec=_limit_file_size(16 * 512))  # ulimit -f 16
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"Error: {html}: cannot write the report (File too large); nothing was changed"]
    assert html.read_text() == "<html>old report</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "run.fit"]


def test_ctrl_c_while_writing_keeps_the_old_report(tmp_path, monkeypatch):
    out = tmp_path / "r.md"
    out.write_text("old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, "new " * 10000)
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_undecodable_text_is_written_not_a_zero_byte_file(tmp_path):
    out = tmp_path / "r.txt"
    write_atomic(out, "name \udcff end")  # a lone surrogate from an undecodable file name
    assert out.read_bytes() == b"name \\udcff end"


@pytest.mark.parametrize("where, why", [
    ("missing/r.txt", "the folder {tmp}/missing does not exist"),
    ("file.txt/r.txt", "the folder {tmp}/file.txt does not exist"),
    (".", "is a directory"),
])
def test_output_errors_are_one_line_naming_the_path(tmp_path, where, why):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / where, "report")
    assert why.format(tmp=tmp_path) in str(info.value) and str(tmp_path / where) in str(info.value)
    assert "\n" not in str(info.value)


def test_cli_output_to_a_missing_folder_is_one_line(run, tmp_path):
    result = cli("analyze", run, "-o", tmp_path / "nope" / "r.txt")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert "unexpected error" not in result.stderr


# --- 3. the cache never touches a foreign file ------------------------------------------------
@pytest.mark.parametrize("meta_empty", [False, True])
def test_a_foreign_sqlite_file_is_left_byte_for_byte(run, tmp_path, meta_empty):
    other = tmp_path / "other.db"
    hostile.foreign_sqlite(other, meta_empty=meta_empty)
    before = digest(other)
    result = cli("scan", run, "--cache", other)
    assert result.exit_code == 0, result.output
    assert digest(other) == before and not (tmp_path / "other.db-wal").exists()
    with sqlite3.connect(f"{other.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert f"warning: {other}: not a crampcheck cache" in result.stderr and "left alone" in result.stderr


def test_cache_path_on_a_run_is_refused_without_advice_to_delete_it(run):
    before = digest(run)
    result = cli("scan", run, "--cache", run)
    assert result.exit_code == 1 and "is an input file: the cache would overwrite it" in result.stderr
    assert "delete" not in result.stderr and digest(run) == before


def test_analyze_of_an_archive_member_refuses_to_write_over_the_archive(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(hostile.strava_export(["Easy"]))
    before = digest(export)
    result = cli("analyze", f"{export}!activities/0.fit", "-o", export)
    assert result.exit_code == 1 and result.stderr == (
        f"Error: {export}: is an input file: the report would overwrite it (choose another path)\n")
    assert digest(export) == before


def test_the_cramp_log_never_touches_a_foreign_sqlite_file(tmp_path):
    """Failure 3 again, in the cramp log of issue 14: WAL mode was set before the marker was read."""
    other = tmp_path / "other.db"
    hostile.foreign_sqlite(other)
    before = digest(other)
    for args in (["cramp", "list"], ["cramp", "add", "2024-06-01"]):
        result = cli(*args, "--data", other)
        assert result.exit_code != 0 and "not a crampcheck cramp log" in result.output + result.stderr
    assert digest(other) == before and not (tmp_path / "other.db-wal").exists()
    with sqlite3.connect(f"{other.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
