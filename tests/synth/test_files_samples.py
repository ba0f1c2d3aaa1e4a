"""write() by extension, gzip, and the shipped samples (deterministic, small, readable)."""

from __future__ import annotations

import gzip

import gpxpy
import pytest
from lxml import etree

from crampcheck.synth import build, format_of, scenarios, to_bytes, write
from crampcheck.synth.__main__ import main
from crampcheck.synth.samples import make_samples, samples
from tests.helpers.paths import SAMPLES

from .conftest import fitdecode_messages

MAX_SAMPLES_BYTES = 800_000


@pytest.mark.parametrize(
    "name,expected",
    [("a.fit", ("fit", False)), ("b.GPX", ("gpx", False)), ("c.tcx.gz", ("tcx", True)), ("run.2024.fit.gz", ("fit", True))],
)
def test_format_of(name, expected):
    assert format_of(name) == expected


@pytest.mark.parametrize("name", ["a.csv", "a.gz", "noext"])
def test_format_of_unknown(name):
    with pytest.raises(ValueError):
        format_of(name)


def test_write_chooses_the_writer_and_gzips(tmp_path, easy_truth):
    spec = easy_truth.spec
    for name, magic in (("r.fit", b".FIT"), ("r.gpx", b"<gpx"), ("r.tcx", b"<TrainingCenterDatabase")):
        truth = write(spec, tmp_path / name)
        assert truth.distance_m == easy_truth.distance_m
        assert magic in (tmp_path / name).read_bytes()[:400]
        write(truth, tmp_path / (name + ".gz"))
        assert gzip.decompress((tmp_path / (name + ".gz")).read_bytes()) == (tmp_path / name).read_bytes()


def test_write_passes_options(tmp_path, easy_truth):
    write(easy_truth, tmp_path / "r.fit", big_endian=True)
    assert (tmp_path / "r.fit").read_bytes() == to_bytes(easy_truth, "fit", big_endian=True)
    with pytest.raises(TypeError):
        write(easy_truth, tmp_path / "r.gpx", big_endian=True)  # not a GPX option


def test_gzip_is_deterministic(easy_truth):
    assert to_bytes(easy_truth, "gpx", gz=True) == to_bytes(build(easy_truth.spec), "gpx", gz=True)


def test_regenerating_samples_is_byte_identical(tmp_path):
    written = make_samples(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted([s.filename for s in samples()] + ["README.md"])
    for p in written:
        shipped = SAMPLES / p.name
        assert shipped.is_file(), f"{shipped} is missing: run python -m crampcheck.synth samples/"
        assert shipped.read_bytes() == p.read_bytes(), f"{p.name} differs: regenerate samples/"


def test_samples_folder_is_small_and_readme_describes_each_file():
    files = [p for p in SAMPLES.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < MAX_SAMPLES_BYTES
    readme = (SAMPLES / "README.md").read_text()
    for s in samples():
        assert f"## `{s.filename}`" in readme


def test_samples_read_with_independent_parsers():
    for s in samples():
        data = (SAMPLES / s.filename).read_bytes()
        if s.filename.endswith(".gz"):
            data = gzip.decompress(data)
        truth = build(s.spec)
        if ".fit" in s.filename:
            msgs = fitdecode_messages(data)  # fitparse reads them in test_fit.py; fitdecode is faster
            assert len(msgs["record"]) == len(truth.records)
            assert msgs["session"][0]["total_distance"] == pytest.approx(truth.distance_m, abs=0.005)
        elif ".gpx" in s.filename:
            gpx = gpxpy.parse(data.decode())
            assert gpx.get_points_no() == len(truth.records)
        else:
            root = etree.fromstring(data.lstrip())
            assert len(root.findall(".//{*}Trackpoint")) == len(truth.records)


def test_main_writes_the_samples(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / "README.md").is_file()
    assert "easy_10k.fit" in capsys.readouterr().out


def test_one_hour_run_is_cheap_to_build():
    """Not a timing test: a 1-h run at 1 s has 3601 samples and a FIT of ~33 bytes a record."""
    t = build(scenarios.even_pace(10_800.0, 3.0))
    assert len(t.records) == 3601
    assert len(to_bytes(t, "fit")) < 40 * 3601


def test_main_help_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--help"]) == 0
    assert main(["a", "b"]) == 2
    assert list(tmp_path.iterdir()) == []  # no folder named '--help' or 'a'
    assert "usage:" in capsys.readouterr().out
