"""`analyze` stays light: without a cramp log or a cramp in the run's words it never loads the
history layer (a scan's pool, zip walker and cache), nor does it create a log."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "samples"


def _analyze(tmp_path, *extra: str) -> dict:
    code = (
        "import json, sys\n"
        "from crampcheck.cli import main\n"
        f"try:\n    main(['analyze', {str(SAMPLES / 'easy_10k.fit')!r}, '--format', 'json', *{list(extra)!r}])\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "print(json.dumps({'exit': code, 'history': 'crampcheck.history' in sys.modules}))\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=PROJECT_ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_analyze_without_a_log_does_not_load_the_history_layer(tmp_path):
    assert _analyze(tmp_path) == {"exit": 0, "history": False}
    assert list(tmp_path.iterdir()) == []  # reading the (absent) log created nothing


def test_analyze_with_a_log_matches_it_to_the_run(tmp_path):
    from crampcheck.cramplog import CrampLog, LogEntry

    with CrampLog(tmp_path / "crampcheck" / "cramps.sqlite") as log:
        log.add(LogEntry("cramp", "x", run_date="2099-01-01"))  # a cramp on another day: the profile follows, no cramp here
    assert _analyze(tmp_path) == {"exit": 0, "history": True}
