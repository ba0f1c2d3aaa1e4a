"""Format detection by content, gzip handling, and the one read entry point."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

import crampcheck.io as cio
from crampcheck.errors import ConfigError, UnreadableFileError
from crampcheck.io import detect
from crampcheck.io.detect import decompress, sniff
from crampcheck.sports import sport_from_label
from tests.conftest import REAL_DIR

DATA = Path(__file__).resolve().parents[1] / "data"
GPX = (DATA / "gpx_tpx_v1_odd_prefix.gpx").read_bytes()
TCX = (DATA / "tcx_bom_leading_whitespace_laps.tcx").read_bytes()
FIT_HEADER = bytes([14, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT" + b"\x00\x00"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (FIT_HEADER, "fit"),
        (GPX, "gpx"),
        (TCX, "tcx"),
        (b"\xef\xbb\xbf  \n<gpx/>", "gpx"),
        (b'<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE gpx>\n<gpx version="1.1"/>', "gpx"),
        (b"<x:TrainingCenterDatabase xmlns:x='urn:x'/>", "tcx"),
        ("<gpx/>".encode("utf-16"), "gpx"),
    ],
)
def test_sniff_reads_the_content(data, kind):
    assert sniff(data, "whatever.bin") == kind


@pytest.mark.parametrize(
    ("data", "source", "message"),
    [
        (b"", "run.gpx", "run.gpx: empty file, not a GPX file"),
        ((DATA / "misc_html_page_saved_as.gpx").read_bytes(), "run.gpx", "run.gpx: an HTML page, not a GPX file"),
        (b"<html><body>hi</body></html>", "run.tcx.gz", "run.tcx.gz: an HTML page, not a TCX file"),
        (b'<?xml version="1.0"?><kml/>', "run.fit", "run.fit: XML with root element <kml>, not a FIT file"),
        (b"\x00\x01\x02 binary junk of no known kind", "blob", "blob: unknown content, not an activity file (FIT, GPX or TCX)"),
        (b"   \n\t ", "blank.gpx", "blank.gpx: blank file, not a GPX file"),
    ],
)
def test_sniff_refuses_what_it_does_not_know(data, source, message):
    with pytest.raises(UnreadableFileError) as info:
        sniff(data, source)
    assert str(info.value) == message


def test_decompress_gunzips_by_magic_and_leaves_plain_data_alone():
    assert decompress(gzip.compress(GPX), "x.gpx") == GPX
    assert decompress(GPX, "x.gpx") is GPX
    assert decompress(gzip.compress(b"ab") + gzip.compress(b"cd"), "two") == b"abcd"  # concatenated members


def test_decompress_refuses_corrupt_truncated_and_bombs(monkeypatch):
    packed = gzip.compress(GPX)
    with pytest.raises(UnreadableFileError, match="truncated gzip stream"):
        decompress(packed[: len(packed) // 2], "cut.gpx.gz")
    broken = packed[:10] + bytes(b ^ 0xFF for b in packed[10:30]) + packed[30:]
    with pytest.raises(UnreadableFileError, match="corrupt gzip stream"):
        decompress(broken, "bad.gz")
    monkeypatch.setattr(detect, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"\x00" * (3 * 1024 * 1024))
    with pytest.raises(UnreadableFileError, match="expands beyond 1 MB"):
        decompress(bomb, "bomb.gz")


def test_read_detects_gzipped_gpx_and_tcx_whatever_the_extension():
    a = cio.read(gzip.compress(GPX), "misnamed.fit")
    assert (a.format, a.source, len(a.records)) == ("gpx", "misnamed.fit", 5)
    t = cio.read(gzip.compress(TCX), "misnamed.gpx")
    assert (t.format, len(t.records)) == ("tcx", 4)


def test_read_dispatches_fit_lazily_with_the_decoder_mapped(monkeypatch):
    import crampcheck.io.fit as fit

    calls = []
    monkeypatch.setattr(fit, "read_fit", lambda data, source, decoder: calls.append((data, source, decoder)) or "A")
    assert cio.read(gzip.compress(FIT_HEADER), "x.fit.gz") == "A"
    assert cio.read(FIT_HEADER, "x.fit", decoder="reference") == "A"
    assert cio.read(FIT_HEADER, "x.fit", decoder="fast") == "A"
    assert calls == [(FIT_HEADER, "x.fit.gz", "auto"), (FIT_HEADER, "x.fit", "fitparse"), (FIT_HEADER, "x.fit", "fast")]


def test_read_decoder_choice_for_xml():
    assert cio.read(GPX, "a.gpx").decoder == "lxml"
    assert cio.read(GPX, "a.gpx", decoder="fitparse").decoder == "gpxpy"
    t = cio.read(TCX, "a.tcx", decoder="reference")
    assert t.decoder == "lxml" and any("TCX has one reader" in note for note in t.notes)
    with pytest.raises(ConfigError, match="unknown decoder 'magic'"):
        cio.read(GPX, "a.gpx", decoder="magic")


def test_read_path_errors_are_one_clear_line(tmp_path):
    with pytest.raises(UnreadableFileError) as info:
        cio.read_path(tmp_path / "missing.gpx")
    assert str(info.value) == f"{tmp_path / 'missing.gpx'}: no such file"
    with pytest.raises(UnreadableFileError, match="is a directory"):
        cio.read_path(tmp_path)
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="empty file, not a FIT file"):
        cio.read_path(empty)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_read_path_unreadable_file(tmp_path):
    locked = tmp_path / "locked.gpx"
    locked.write_bytes(GPX)
    locked.chmod(0)
    with pytest.raises(UnreadableFileError, match="permission denied"):
        cio.read_path(locked)


def test_read_path_reads_a_file(tmp_path):
    path = tmp_path / "run.gpx.gz"
    path.write_bytes(gzip.compress(GPX))
    a = cio.read_path(path)
    assert (a.format, a.source, a.records["heart_rate_bpm"][0]) == ("gpx", str(path), 120)


def test_real_invalid_xml_files_through_read(real_dir):
    for name, line in (("gpx_run_undefined_ns_prefix.gpx", 17), ("tcx_malformed_xsi_prefix.tcx", 4653)):
        with pytest.raises(UnreadableFileError, match=f"malformed XML at line {line}: Namespace prefix"):
            cio.read_path(REAL_DIR / "invalid" / name)


def test_real_gzipped_fit_is_sniffed_as_fit(real_dir):
    data = decompress((REAL_DIR / "fit" / "garmin_edge1030plus_virtual_ride.fit.gz").read_bytes(), "x")
    assert sniff(data) == "fit"


def test_importing_crampcheck_io_stays_light():
    code = "import sys, crampcheck.io; print(sorted(m for m in ('pandas', 'lxml', 'numpy', 'fitparse', 'gpxpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("running", ("running", None)),
        ("Run", ("running", None)),
        ("9", ("running", None)),  # Strava GPX numeric type
        ("1", ("cycling", None)),
        ("Biking", ("cycling", None)),
        ("TrailRun", ("running", "trail")),
        ("treadmill_running", ("running", "treadmill")),
        ("Hiking", ("hiking", None)),
        ("Other", ("other", None)),
        ("MyTrails 2.0.3", ("other", None)),  # a word inside a word is no sport
        ("", ("unknown", None)),
        (None, ("unknown", None)),
    ],
)
def test_sport_from_label(label, expected):
    assert sport_from_label(label) == expected
