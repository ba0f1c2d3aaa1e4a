"""Training history: scan many activity files into summary rows, history factors and races.

``scan(path)`` -> ``HistoryResult`` (JSON: ``crampcheck.history/1``);
``races(path)`` -> ``RacesResult`` (JSON: ``crampcheck.races/1``).
"""

from crampcheck.history.races import races
from crampcheck.history.result import HistoryResult, RacesResult
from crampcheck.history.scan import scan

__all__ = ["HistoryResult", "RacesResult", "races", "scan"]
