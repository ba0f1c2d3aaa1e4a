"""Build Garmin- and Strava-style account exports in memory (tests only)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from datetime import datetime

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


STRAVA_HEADER = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
                 "Elapsed Time", "Distance", "Filename", "Elapsed Time", "Moving Time", "Distance",
                 "Max Speed", "Workout Type", "Weather Temperature", "Apparent Temperature", "Dewpoint", "Humidity"]


def strava_csv(rows: list[dict]) -> bytes:
    """activities.csv with Strava's repeated column names (two Distance, two Elapsed Time) and its
    weather columns (deg C, humidity as a fraction 0-1, as Strava writes them; empty when not given)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(STRAVA_HEADER)
    for r in rows:
        writer.writerow([r["id"], "Jan 2, 2023, 6:00:00 AM", r["name"], r.get("type", "Run"), "", "300",
                         r.get("km", "0.9"), r["file"], "300.0", "300.0", "900.0", "3.0", r.get("workout", ""),
                         r.get("weather_c", ""), r.get("apparent_c", ""), r.get("dew_point_c", ""), r.get("humidity", "")])
    return buf.getvalue().encode()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
