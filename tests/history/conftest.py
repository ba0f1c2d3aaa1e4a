"""Fixtures of the history tests."""

from __future__ import annotations

import pytest

from crampcheck.history import worker
from tests.helpers.history import stub_read_and_analyze


@pytest.fixture
def stub_analyzer(monkeypatch):
    """Replace io.read + pipeline.analyze by the FIT-session stand-in (workers inherit it: fork)."""
    monkeypatch.setattr(worker, "read_and_analyze", stub_read_and_analyze)


@pytest.fixture
def cache_file(tmp_path):
    return tmp_path / "cache" / "cache.sqlite"
