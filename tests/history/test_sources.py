"""Walking inputs: folders, files, nested export zips, Strava exports, unsafe archives."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest

from crampcheck.errors import UnreadableFileError
from crampcheck.history.sources import InputTree, ZipLimits, normalize_sport, unsafe_member_name
from tests.helpers.history import T0
from tests.history.exports import GARMIN_FITNESS, GARMIN_UPLOADED, garmin_activity, garmin_summary, gz, strava_csv, zip_bytes


def walk(path, **limits):
    tree = InputTree(path, ZipLimits(**limits) if limits else None)
    return tree, [(s.name, s.problem, s.load() if s.problem is None else None) for s in tree.sources()]


def test_folder_recursive_with_suffixes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.FIT").write_bytes(b"1")
    (tmp_path / "two.gpx.gz").write_bytes(b"2")
    (tmp_path / "notes.txt").write_text("no")
    (tmp_path / "three.tcx").write_bytes(b"3")
    _, items = walk(tmp_path)
    root = str(tmp_path)
    assert items == [(f"{root}/three.tcx", None, b"3"), (f"{root}/two.gpx.gz", None, b"2"),
                     (f"{root}/a/one.FIT", None, b"1")]


def test_single_file_any_suffix(tmp_path):
    f = tmp_path / "run.bin"
    f.write_bytes(b"abc")
    _, items = walk(f)
    assert items == [(str(f), None, b"abc")]


def test_missing_path_is_a_user_error(tmp_path):
    with pytest.raises(UnreadableFileError, match="no such file or folder"):
        InputTree(tmp_path / "nope")


def test_garmin_export_both_layouts_and_metadata(tmp_path):
    part = zip_bytes({"123.fit": b"A", "jane_456.fit": b"B", "readme.txt": b"x"})
    older = zip_bytes({"789.fit": b"C"})
    summary = garmin_summary([
        garmin_activity(456, "Lunch 10K", T0, race=True),
        garmin_activity(999, "Morning Run", T0 + timedelta(days=1)),
    ])
    export = tmp_path / "export.zip"
    export.write_bytes(zip_bytes({
        f"{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip": part,
        f"{GARMIN_FITNESS}/UploadedFiles_0.zip": older,
        f"{GARMIN_FITNESS}/jane_0_summarizedActivities.json": summary,
    }))
    tree, items = walk(export)
    e = str(export)
    assert items == [
        (f"{e}!{GARMIN_FITNESS}/UploadedFiles_0.zip!789.fit", None, b"C"),
        (f"{e}!{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip!123.fit", None, b"A"),
        (f"{e}!{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip!jane_456.fit", None, b"B"),
    ]
    by_id = tree.index.match("c", "jane_456.fit", None)
    assert (by_id.name, by_id.is_race, by_id.sport) == ("Lunch 10K", True, "running")
    by_time = tree.index.match("c", "123.fit", T0 + timedelta(days=1, seconds=40))
    assert (by_time.name, by_time.is_race) == ("Morning Run", False)
    assert tree.index.match("c", "123.fit", T0 + timedelta(days=1, seconds=90)) is None


def test_strava_export_zip_and_folder(tmp_path):
    csv_data = strava_csv([
        {"id": 1, "name": "Parkrun PB", "file": "activities/1.fit.gz", "workout": "1"},
        {"id": 2, "name": "Evening Ride", "file": "activities/2.gpx", "type": "Ride"},
        {"id": 3, "name": "Manual entry", "file": ""},
    ])
    members = {"activities.csv": csv_data, "activities/1.fit.gz": gz(b"F"), "activities/2.gpx": b"G"}
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes(members))
    tree, items = walk(export)
    assert [n for n, _, _ in items] == [f"{export}!activities/1.fit.gz", f"{export}!activities/2.gpx"]
    container = str(export.resolve())
    one = tree.index.match(container, "activities/1.fit.gz", None)
    two = tree.index.match(container, "activities/2.gpx", None)
    assert (one.name, one.is_race, one.sport) == ("Parkrun PB", True, "running")
    assert (two.name, two.is_race, two.sport) == ("Evening Ride", False, "cycling")
    # the same export unpacked in a folder
    folder = tmp_path / "strava"
    for name, data in members.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    tree, items = walk(folder)
    assert len(items) == 2
    assert tree.index.match(str(folder.resolve()), "activities/1.fit.gz", None).name == "Parkrun PB"


def test_strava_csv_keeps_the_first_of_duplicate_columns(tmp_path):
    from crampcheck.history.sources import ExportIndex, read_strava_csv

    data = b"Activity Name,Distance,Filename,Distance,Workout Type\nRun A,5.0,activities/a.fit,5000.0,Race\n"
    index = ExportIndex()
    read_strava_csv(data, "c", "sub/activities.csv", index)
    meta = index.by_file[("c", "sub/activities/a.fit")]
    assert meta.name == "Run A" and meta.is_race


@pytest.mark.parametrize("name, refused", [
    ("../evil.fit", True), ("a/../../evil.fit", True), ("/etc/evil.fit", True), ("C:/evil.fit", True),
    ("..\\evil.fit", True), ("ok/fine.fit", False), ("..fine.fit", False),
])
def test_unsafe_member_names(name, refused):
    assert (unsafe_member_name(name) is not None) == refused


def test_path_traversal_members_are_refused_not_read(tmp_path):
    export = tmp_path / "bad.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("../../escape.fit", b"X")
        zf.writestr("/abs.fit", b"Y")
        zf.writestr("good.fit", b"Z")
    _, items = walk(export)
    problems = {n.split("!", 1)[1]: p for n, p, _ in items}
    assert "'..'" in problems["../../escape.fit"]
    assert "absolute" in problems["/abs.fit"]
    assert problems["good.fit"] is None
    assert not (tmp_path.parent / "escape.fit").exists()


def test_zip_bomb_ratio_and_size_limits(tmp_path):
    export = tmp_path / "bomb.zip"
    export.write_bytes(zip_bytes({"bomb.fit": b"\0" * (8 * 1024 * 1024), "small.fit": b"ok"}))
    _, items = walk(export)
    problems = {n.split("!", 1)[1]: p for n, p, _ in items}
    assert "compression ratio" in problems["bomb.fit"] and problems["small.fit"] is None
    _, items = walk(export, max_file_bytes=1024, max_ratio=1e9)
    problems = {n.split("!", 1)[1]: p for n, p, _ in items}
    assert "too large" in problems["bomb.fit"]


def test_nested_depth_and_total_limits(tmp_path):
    deep = zip_bytes({"run.fit": b"R"})
    for level in range(3):
        deep = zip_bytes({f"level{level}.zip": deep})
    export = tmp_path / "deep.zip"
    export.write_bytes(deep)
    _, items = walk(export)
    assert len(items) == 1 and "nested deeper" in items[0][1]
    _, items = walk(export, max_depth=5)
    assert items[0][1] is None and items[0][2] == b"R"
    many = tmp_path / "many.zip"
    many.write_bytes(zip_bytes({f"{i}.fit": b"x" * 100 for i in range(5)}))
    _, items = walk(many, max_total_bytes=250)
    assert [p is None for _, p, _ in items] == [True, True, False, False, False]


def test_corrupt_nested_zip_and_corrupt_input_zip_are_skips(tmp_path):
    export = tmp_path / "e.zip"
    export.write_bytes(zip_bytes({"inner.zip": b"not a zip", "run.fit": b"R"}))
    _, items = walk(export)
    assert "not a readable zip" in items[0][1] and items[1][1] is None
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK junk")
    _, items = walk([bad, export])  # one bad input never stops the others
    assert items[0][0] == str(bad) and items[0][1].startswith("not a readable zip")
    assert [i[1] for i in items[1:]][1] is None and len(items) == 3


def test_normalize_sport():
    assert [normalize_sport(s) for s in ("Run", "Trail Run", "treadmill_running", "Ride", "Walk", "Yoga", None)] == [
        "running", "running", "running", "cycling", "walking", "other", None]


def test_strava_race_marks_in_the_real_headers():
    """The workout type is the column "Type" of the bulk export (code 1 = race for a run, 11 for a
    ride); older exports print its untranslated key instead of the name."""
    from crampcheck.history.sources import ExportIndex, read_strava_csv

    for column in ("Type", "translation missing: en-GB.lib.export.portability_exporter.activities.horton_values.type"):
        data = (f"Activity ID,Activity Name,Activity Type,Filename,Perceived Exertion,{column}\n"
                "1,Harbour 10K,Run,activities/1.fit.gz,,1\n2,Long Sunday,Run,activities/2.fit.gz,,2\n"
                "3,Crit,Ride,activities/3.fit.gz,,11\n").encode()
        index = ExportIndex()
        read_strava_csv(data, "c", "activities.csv", index)
        marks = {m.activity_id: m.is_race for m in index.by_file.values()}
        assert marks == {"1": True, "2": False, "3": True}, column


def test_garmin_summary_reads_the_event_type_and_falls_back_to_begin_timestamp():
    from datetime import datetime, timezone

    from crampcheck.history.sources import ExportIndex, read_garmin_summary

    start = datetime(2024, 4, 14, 7, 30, tzinfo=timezone.utc)
    doc = [{"summarizedActivitiesExport": [
        {"activityId": 7, "name": "Paris", "activityType": "running", "eventTypeId": 1,
         "beginTimestamp": start.timestamp() * 1000},
        {"activityId": 8, "name": "Easy", "activityType": "running", "eventTypeId": 9, "startTimeGmt": start.timestamp() * 1000},
    ]}]
    index = ExportIndex()
    read_garmin_summary(json.dumps(doc).encode(), index)
    assert (index.by_id["7"].is_race, index.by_id["7"].start_time_utc) == (True, start)
    assert index.by_id["8"].is_race is False
