"""The cramp log: add/list/remove on a file, an export member, a short id and a date; it survives
--no-cache, cache rebuilds, Ctrl-C in the middle of a write and writers at once."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.cramplog import CrampLog, LogEntry, default_log_path, read_log
from crampcheck.errors import ConfigError
from crampcheck.history.cache import Cache
from tests.conftest import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "samples"
TEMPO = SAMPLES / "fast_start_5k.fit"  # "Tempo 5K", 2024-06-05 local, 5.00 km
EASY = SAMPLES / "easy_10k.fit"


def cli(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def listed(log: Path) -> list[dict]:
    return json.loads(cli("cramp", "list", "--data", log, "--format", "json").stdout)["entries"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_location_is_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_log_path() == tmp_path / "crampcheck" / "cramps.sqlite"
    cli("cramp", "add", "2024-10-13")
    assert [e.run_date for e in read_log()] == ["2024-10-13"]


def test_add_list_remove_on_a_file(tmp_path):
    log = tmp_path / "cramps.sqlite"
    out = cli("cramp", "add", TEMPO, "--at", "4km", "--muscle", "calf", "--severity", "mild", "--note", "left calf", "--data", log).stdout
    assert out.startswith("logged #1: cramp · 2024-06-05 Tempo 5K (5.0 km) · at 4.0 km · calf · mild · “left calf”")
    [entry] = listed(log)
    assert entry["content_hash"] == sha(TEMPO) and entry["run_date"] == "2024-06-05"
    assert (entry["at_m"], entry["at_s"], entry["muscle"], entry["severity"], entry["note"]) == (4000.0, None, "calf", "mild", "left calf")
    assert "#1  cramp · 2024-06-05 Tempo 5K (5.0 km) · at 4.0 km" in cli("cramp", "list", "--data", log).stdout
    assert cli("cramp", "remove", "1", "--data", log).stdout.startswith("removed #1: cramp · 2024-06-05 Tempo 5K")
    assert listed(log) == []
    gone = cli("cramp", "remove", "1", "--data", log, ok=False)
    assert gone.exit_code == 1 and "no entry #1 in the cramp log" in gone.output


def test_add_on_an_export_member_and_a_nested_one(tmp_path):
    export = tmp_path / "export.zip"
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("12345.fit", EASY.read_bytes())
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("activities/tempo.fit", TEMPO.read_bytes())
        zf.write(inner, "DI_CONNECT/UploadedFiles_0_Part1.zip")
    log = tmp_path / "cramps.sqlite"
    cli("cramp", "add", f"{export}!activities/tempo.fit", "--at", "0:20:00", "--data", log)
    cli("cramp", "add", f"{export}!DI_CONNECT/UploadedFiles_0_Part1.zip!12345.fit", "--at", "6mi", "--data", log)
    first, second = listed(log)
    assert (first["content_hash"], first["at_s"]) == (sha(TEMPO), 1200.0)
    assert second["content_hash"] == sha(EASY) and second["at_m"] == pytest.approx(6 * 1609.344)
    missing = cli("cramp", "add", f"{export}!nope.fit", "--data", log, ok=False)
    assert missing.exit_code == 1 and "export.zip!nope.fit: no such member in the archive" in missing.output and "Traceback" not in missing.output


def test_a_member_path_quoted_against_the_shell_keeps_its_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # '~/export.zip!member' reaches crampcheck with its ~ unexpanded
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as zf:
        zf.writestr("activities/tempo.fit", TEMPO.read_bytes())
    cli("cramp", "add", "~/export.zip!activities/tempo.fit", "--data", tmp_path / "log.sqlite")
    assert listed(tmp_path / "log.sqlite")[0]["content_hash"] == sha(TEMPO)


def test_add_by_date_and_by_short_id_reach_the_scan(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "tempo.fit").write_bytes(TEMPO.read_bytes())
    (runs / "easy.fit").write_bytes(EASY.read_bytes())
    log, cache = tmp_path / "cramps.sqlite", tmp_path / "cache.sqlite"
    history = json.loads(cli("scan", runs, "--format", "json", "--cache", cache, "--data", log).stdout)
    ids = {Path(a["file"]).name: a["short_id"] for a in history["activities"]}
    assert ids["tempo.fit"] == sha(TEMPO)[:8]
    cli("cramp", "add", ids["easy.fit"], "--data", log)
    day = history["activities"][[Path(a["file"]).name for a in history["activities"]].index("tempo.fit")]["start_time_local"][:10]
    cli("cramp", "add", day, "--at", "4.5km", "--data", log)
    again = json.loads(cli("scan", runs, "--format", "json", "--cache", cache, "--data", log).stdout)
    cramped = {Path(c["file"]).name: c for c in again["cramps"]}
    assert set(cramped) == {"tempo.fit", "easy.fit"}
    assert cramped["tempo.fit"]["at_m"] == 4500.0 and cramped["tempo.fit"]["share_pct"] == pytest.approx(90.0, abs=0.1)
    assert cramped["easy.fit"]["source"] == "log" and cramped["easy.fit"]["at_m"] is None


@pytest.mark.parametrize("bad, message", [
    ("nowhere.fit", "not a file, an export.zip!member, a short id"),
    ("2024-13-45", "not a valid date"),
])
def test_a_run_that_is_none_is_one_line(tmp_path, bad, message):
    result = cli("cramp", "add", bad, "--data", tmp_path / "log.sqlite", ok=False)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_place_beyond_the_run_is_refused(tmp_path):
    result = cli("cramp", "add", TEMPO, "--at", "12km", "--data", tmp_path / "log.sqlite", ok=False)
    assert result.exit_code == 2 and "12.0 km is beyond the run's 5.0 km" in result.output
    result = cli("cramp", "add", TEMPO, "--at", "2:00", "--data", tmp_path / "log.sqlite", ok=False)  # h:mm
    assert result.exit_code == 2 and "2:00:00 is beyond the run's 25:26 of moving time" in result.output


def test_the_log_survives_no_cache_and_cache_rebuilds(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "tempo.fit").write_bytes(TEMPO.read_bytes())
    log, cache = tmp_path / "data" / "cramps.sqlite", tmp_path / "cache" / "cache.sqlite"
    cli("cramp", "add", TEMPO, "--at", "4km", "--data", log)
    before = listed(log)
    Cache(cache, version="0.0-old").close()  # a cache of another version: the next scan rebuilds it
    first = json.loads(cli("scan", runs, "--format", "json", "--cache", cache, "--data", log).stdout)
    assert first["stats"]["cache_rebuilt"] and len(first["cramps"]) == 1
    second = json.loads(cli("scan", runs, "--format", "json", "--no-cache", "--data", log).stdout)
    assert len(second["cramps"]) == 1
    assert listed(log) == before


def test_a_log_of_another_kind_or_version_is_refused_and_left_alone(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(ConfigError, match="not a crampcheck cramp log"):
        CrampLog(other)
    newer = tmp_path / "newer.sqlite"
    CrampLog(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value='99' WHERE name='version'")
    with pytest.raises(ConfigError, match="cramp log of another version"):
        CrampLog(newer)
    with sqlite3.connect(newer) as db:
        assert db.execute("SELECT value FROM meta WHERE name='version'").fetchone() == ("99",)


def test_an_interrupted_change_leaves_the_log_as_it_was(tmp_path):
    with CrampLog(tmp_path / "log.sqlite") as log:
        log.add(LogEntry("cramp", "2024-10-13", run_date="2024-10-13"))
        original = log._write

        def interrupted(change):
            def change_then_ctrl_c(db):
                change(db)
                raise KeyboardInterrupt
            return original(change_then_ctrl_c)

        log._write = interrupted
        with pytest.raises(KeyboardInterrupt):
            log.add(LogEntry("cramp", "2024-10-20", run_date="2024-10-20"))
        with pytest.raises(KeyboardInterrupt):
            log.remove(1)
        log._write = original
        assert [e.run_date for e in log.entries()] == ["2024-10-13"]


WRITER = """
import sys
from crampcheck.cramplog import CrampLog, LogEntry
path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with CrampLog(path) as log:
    i = 0
    while n < 0 or i < n:
        log.add(LogEntry("cramp", f"{tag}-{i}", run_date="2024-10-13", at_m=float(i), note=f"{tag} entry {i}"))
        i += 1
        if i == 5:
            print("ready", flush=True)
"""


def test_ctrl_c_in_the_middle_of_writing(tmp_path):
    log = tmp_path / "log.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(log), "w", "-1"], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "KeyboardInterrupt" in err
    with sqlite3.connect(log) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    entries = read_log(log)
    assert len(entries) >= 5
    for i, e in enumerate(entries):  # every entry whole, none half-written, none lost before it
        assert (e.id, e.run, e.at_m, e.note) == (i + 1, f"w-{i}", float(i), f"w entry {i}")


def test_writers_at_once(tmp_path):
    log = tmp_path / "log.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(log), f"p{k}", "40"], cwd=PROJECT_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ})
             for k in range(4)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    entries = read_log(log)
    assert len(entries) == 160 and len({e.id for e in entries}) == 160
    for k in range(4):
        mine = [e for e in entries if e.run.startswith(f"p{k}-")]
        assert [e.run for e in mine] == [f"p{k}-{i}" for i in range(40)]  # each writer's entries, in its order


def test_the_config_moves_the_log(tmp_path):
    log = tmp_path / "elsewhere" / "mine.sqlite"
    config = tmp_path / "config.toml"
    config.write_text(f'[data]\ncramp_log = "{log}"\n', encoding="utf-8")
    cli("cramp", "add", "2024-10-13", "--config", config)
    assert [e.run_date for e in read_log(log)] == ["2024-10-13"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[data]\ncache = "x"\n', encoding="utf-8")
    result = cli("cramp", "list", "--config", bad, ok=False)
    assert result.exit_code == 1 and "[data] cache: unknown key (known: cramp_log)" in result.output


def test_a_note_is_escaped_in_the_run_page_and_inert_in_the_text(tmp_path):
    log, page = tmp_path / "cramps.sqlite", tmp_path / "run.html"
    cli("cramp", "add", TEMPO, "--at", "4km", "--note", "<b>left_calf</b>\x1b[2J", "--data", log)
    text = cli("analyze", TEMPO, "--data", log, "--html", page, "--no-color").stdout
    assert "your note: “‹b›left\\_calf‹/b›\\x1b\\[2J”" in text and "\x1b" not in text
    html = page.read_text(encoding="utf-8")
    assert "your note: “&lt;b&gt;left_calf&lt;/b&gt;\\x1b[2J”" in html and "<b>left_calf" not in html and "\x1b" not in html
