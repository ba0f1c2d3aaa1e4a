"""Helpers for the robustness suite: the CLI in a real process (signals, rlimits, hangs) and in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crampcheck.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
HANG_S = 60  # a command that has not answered by then hangs (it answers in ~1 s)


def crampcheck(*args, timeout: float = HANG_S, preexec=None, env=None) -> subprocess.CompletedProcess:
    """``crampcheck ARGS`` in a child process; a hang fails the test instead of the suite."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "crampcheck", *map(os.fsencode, map(str, args))],
                          capture_output=True, timeout=timeout, preexec_fn=preexec, env=full_env)


def cli(*args):
    """``crampcheck ARGS`` in this process (stdout and stderr apart)."""
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    """A private cache directory for scans that use the default cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "xdg-cache"
