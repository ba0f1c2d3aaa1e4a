"""Build Garmin- and Strava-style account exports in memory (tests only)."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import zipfile
from datetime import datetime, timedelta

from tests.helpers.history import T0, fit_run

GARMIN_UPLOADED = "DI_CONNECT/DI-Connect-Uploaded-Files"
GARMIN_FITNESS = "DI_CONNECT/DI-Connect-Fitness"


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def garmin_summary(activities: list[dict]) -> bytes:
    """A summarizedActivities.json: [{"summarizedActivitiesExport": [...]}]."""
    return json.dumps([{"summarizedActivitiesExport": activities}]).encode()


def garmin_activity(activity_id: int, name: str, start: datetime, race: bool = False,
                    activity_type: str = "running") -> dict:
    return {
        "activityId": activity_id, "name": name, "activityType": activity_type,
        "eventTypeId": 1 if race else 9, "startTimeGmt": start.timestamp() * 1000.0,
        "startTimeLocal": start.timestamp() * 1000.0 + 3600_000, "distance": 500000.0, "duration": 300000.0,
    }


# The header of a real Strava bulk export's activities.csv (English, 2023-2025): repeated names
# ("Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute"), and the workout
# type in the column named "Type" after "Perceived Exertion".
STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,"
    "Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,"
    "Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,"
    "Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,Relative Effort,Total Work,"
    "Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,"
    "Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,"
    "Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,Apparent Temperature,"
    "Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,"
    "Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,"
    "UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,"
    "Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,"
    "Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Media"
).split(",")


def strava_csv(rows: list[dict]) -> bytes:
    """activities.csv with Strava's repeated column names (two Distance, two Elapsed Time) and its
    weather columns (deg C, humidity as a fraction 0-1, as Strava writes them; empty when not given)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(STRAVA_HEADER)
    first = {name: STRAVA_HEADER.index(name) for name in STRAVA_HEADER}
    second = {name: i for i, name in enumerate(STRAVA_HEADER) if i != first[name]}
    for r in rows:
        cells = [""] * len(STRAVA_HEADER)
        elapsed = str(r.get("elapsed_s", 300))
        for name, value in (("Activity ID", r["id"]), ("Activity Date", r.get("date", "Jan 2, 2023, 6:00:00 AM")),
                            ("Activity Name", r["name"]), ("Activity Type", r.get("type", "Run")),
                            ("Elapsed Time", elapsed), ("Distance", r.get("km", "0.9")), ("Filename", r["file"]),
                            ("Moving Time", f"{float(elapsed):.1f}"), ("Max Speed", "3.0"), ("Type", r.get("workout", "")),
                            ("Weather Temperature", r.get("weather_c", "")), ("Apparent Temperature", r.get("apparent_c", "")),
                            ("Dewpoint", r.get("dew_point_c", "")), ("Humidity", r.get("humidity", ""))):
            cells[first[name]] = str(value)
        cells[second["Elapsed Time"]] = f"{float(elapsed):.1f}"
        cells[second["Distance"]] = f"{float(r.get('km', '0.9')) * 1000:.1f}"  # the second Distance is in metres
        writer.writerow(cells)
    return buf.getvalue().encode()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


@functools.cache
def _hour_runs() -> dict[str, bytes]:
    """Two hour-long runs a day apart whose watch read 12 deg C (the same bytes on every call)."""
    return {f"activities/{k + 1}.fit.gz": gz(fit_run(T0 + timedelta(days=k), minutes=60, temperature_c=12.0))
            for k in range(2)}


def hot_export(weather_c: str = "31.5", humidity: str = "0.62", csv_last: bool = False) -> dict[str, bytes]:
    """A Strava export of ``_hour_runs``: the first has the export's weather (``weather_c``,
    ``humidity``), the second none. ``csv_last``: the table stored after the files."""
    files = _hour_runs()
    table = {"activities.csv": strava_csv([
        {"id": 1, "name": "Hot one", "file": "activities/1.fit.gz", "weather_c": weather_c, "humidity": humidity},
        {"id": 2, "name": "No weather", "file": "activities/2.fit.gz"},
    ])}
    return {**files, **table} if csv_last else {**table, **files}
