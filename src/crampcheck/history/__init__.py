"""Training history: scan many activity files into summary rows, history factors and races.

``scan(path)`` -> ``HistoryResult`` (JSON: ``crampcheck.history/1``);
``races(history)`` -> ``RacesResult`` (JSON: ``crampcheck.races/1``), the races of a scan;
``scan_races(path)`` scans once and ranks.
"""

from crampcheck.history.races import races, scan_races
from crampcheck.history.result import HistoryResult, RacesResult
from crampcheck.history.scan import scan

__all__ = ["HistoryResult", "RacesResult", "races", "scan", "scan_races"]
