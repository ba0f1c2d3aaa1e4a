"""What several test modules share, in one place.

- ``paths``: the project's folders (samples, tests/data) and the real files beside it
  (``../shared/data/real``, or ``CRAMPCHECK_REAL_DIR``);
- ``runs``: 1 Hz Activities from segments, with exact known truth (metrics, report tests);
- ``metrics``: hand-built ``RunMetrics`` with exact known values (risk tests);
- ``history``: summary rows, small synthetic FIT runs and a stand-in analyzer (history tests);
- ``reports``: hand-built report dicts and chart series (HTML and browser tests).
"""
