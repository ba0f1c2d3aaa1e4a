"""Bad input to `crampcheck analyze`: one clear line naming the file, non-zero exit, no traceback."""

from __future__ import annotations

import gzip

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from tests.conftest import real_files


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_one_clear_line(result, path_text: str, *words: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert path_text in lines[0]
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]


def test_missing_path(tmp_path):
    target = tmp_path / "nope.fit"
    assert_one_clear_line(run_cli("analyze", str(target)), "nope.fit", "no such file")


def test_directory(tmp_path):
    assert_one_clear_line(run_cli("analyze", str(tmp_path)), str(tmp_path), "directory")


def test_empty_file(tmp_path):
    target = tmp_path / "empty.fit"
    target.write_bytes(b"")
    assert_one_clear_line(run_cli("analyze", str(target)), "empty.fit", "empty")


def test_html_saved_as_gpx(tmp_path):
    target = tmp_path / "run.gpx"
    target.write_text("<!DOCTYPE html><html><head><title>Strava</title></head><body>Log in</body></html>")
    assert_one_clear_line(run_cli("analyze", str(target)), "run.gpx", "html")


def test_wrong_format(tmp_path):
    target = tmp_path / "notes.tcx"
    target.write_bytes(b"PK\x03\x04 this is a zip, not an activity")
    assert_one_clear_line(run_cli("analyze", str(target)), "notes.tcx")


def test_corrupt_gzip(tmp_path):
    target = tmp_path / "run.fit.gz"
    target.write_bytes(gzip.compress(b"x" * 100)[:30])
    assert_one_clear_line(run_cli("analyze", str(target)), "run.fit.gz")


def test_gpx_without_time(tmp_path):
    target = tmp_path / "route.gpx"
    target.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        '<trk><trkseg><trkpt lat="48.0" lon="2.0"/><trkpt lat="48.001" lon="2.0"/></trkseg></trk></gpx>'
    )
    assert_one_clear_line(run_cli("analyze", str(target)), "route.gpx", "time")


@pytest.mark.parametrize("path", real_files("invalid"), ids=lambda p: p.name)
def test_every_real_invalid_file_gives_one_clear_line(path):
    assert_one_clear_line(run_cli("analyze", str(path)), path.name)
