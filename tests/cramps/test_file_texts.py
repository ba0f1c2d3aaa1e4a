"""What the runner wrote inside the files (GPX desc/cmt, TCX Notes) and in a Garmin export."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from crampcheck.cramplog import LogEntry
from crampcheck.history import scan
from crampcheck.io import read
from crampcheck.io.notes import MAX_TEXT_CHARS, xml_texts
from crampcheck.synth import to_bytes
from crampcheck.synth.spec import RunSpec, Segment
from tests.history.exports import GARMIN_FITNESS, GARMIN_UPLOADED, garmin_activity, garmin_summary, zip_bytes

START = datetime(2024, 5, 12, 7, 0, tzinfo=timezone.utc)


def run_spec(km: float = 10.0, days: int = 0) -> RunSpec:
    return RunSpec(segments=(Segment(distance_m=km * 1000, speed_m_s=3.2),), sample_interval_s=5, name="Sunday",
                   start_time_utc=START + timedelta(days=days))


def gpx_with(*elements: str) -> bytes:
    data = to_bytes(run_spec(), "gpx")
    head, tail = data.split(b"</name>", 1)
    return head + b"</name>" + "".join(elements).encode() + tail


def test_gpx_desc_and_cmt_are_read_with_their_entities():
    data = gpx_with("<desc>Wadenkrampf bei km 8 &amp; gehen</desc>", "<cmt><![CDATA[calf <went> at 9k]]></cmt>")
    activity = read(data, "run.gpx")
    assert activity.texts == [("GPX desc", "Wadenkrampf bei km 8 & gehen"), ("GPX cmt", "calf <went> at 9k")]


def test_tcx_notes_are_read():
    data = to_bytes(run_spec(), "tcx").replace(b"</Activity>", b"<Notes>No cramps today!</Notes></Activity>", 1)
    assert read(data, "run.tcx").texts == [("TCX Notes", "Sunday"), ("TCX Notes", "No cramps today!")]  # synth writes the name there


def test_texts_are_capped():
    data = b"<gpx>" + b"".join(b"<desc>" + b"x" * 5000 + b"</desc>" for _ in range(30)) + b"</gpx>"
    texts = xml_texts(data, "gpx")
    assert len(texts) == 20 and all(len(t) == MAX_TEXT_CHARS for _, t in texts)


def test_a_cramp_written_in_a_gpx_is_found_by_the_scan(tmp_path):
    (tmp_path / "sunday.gpx").write_bytes(gpx_with("<desc>Wadenkrampf bei km 8</desc>"))
    history = scan(tmp_path, use_cache=False, jobs=1)
    [found] = history.cramps
    assert (found["found_in"], found["at_m"], found["muscle"], found["share_pct"]) == ("GPX desc", 8000.0, "calf", pytest.approx(80.0))


def test_a_garmin_description_is_read_and_a_none_entry_wins(tmp_path):
    fits = {f"{k}.fit": to_bytes(run_spec(21.1, days=7 * k), "fit") for k in range(2)}
    acts = [garmin_activity(1000 + k, f"Half #{k}", START + timedelta(days=7 * k)) for k in range(2)]
    acts[0]["description"] = "Cramp in the right hamstring at 18 km"
    acts[1]["description"] = "Kein Krampf heute"
    export = tmp_path / "garmin.zip"
    export.write_bytes(zip_bytes({
        f"{GARMIN_FITNESS}/me_0_summarizedActivities.json": garmin_summary(acts),
        f"{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip": zip_bytes(fits),
    }))
    history = scan(export, use_cache=False, jobs=1)
    [found] = history.cramps
    assert (found["found_in"], found["at_m"], found["muscle"]) == ("Garmin description", 18000.0, "hamstring")
    assert history.cramp_patterns["said_free_runs"] == 1  # "Kein Krampf heute"
    history = scan(export, use_cache=False, jobs=1, cramp_entries=[LogEntry("none", found["day"], run_date=found["day"], id=1)])
    assert history.cramps == [] and history.cramp_patterns["said_free_runs"] == 2
    assert json.dumps(history.to_dict()["cramp_patterns"])  # JSON-ready
