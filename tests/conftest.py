"""Shared fixtures. Real files live beside the project in ../shared/data/real (not copied here)."""

from __future__ import annotations

import csv
import functools
import gzip
import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# CRAMPCHECK_REAL_DIR points elsewhere (a worktree not beside ../shared, for example).
REAL_DIR = Path(os.environ.get("CRAMPCHECK_REAL_DIR") or PROJECT_ROOT / ".." / "shared" / "data" / "real").resolve()


def real_files(kind: str, pattern: str = "*") -> list[Path]:
    """Files under ../shared/data/real/<kind>, or [] when the folder is absent."""
    folder = REAL_DIR / kind
    return sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []


@functools.cache
def profile_rows() -> dict[str, dict[str, str]]:
    """PROFILE.tsv (what each real file holds, read with fitparse/fitdecode), by relative path."""
    table = REAL_DIR / "PROFILE.tsv"
    if not table.is_file():
        return {}
    with table.open(newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


# Real FIT files fitparse cannot decode (PROFILE.tsv says so; the labels came from fitdecode):
# the differential tests compare them with fitdecode instead.
FITPARSE_CANNOT_READ = frozenset(
    name.split("/", 1)[1] for name, row in profile_rows().items() if "fitparse:FitParseError" in row["notes"]
)


def file_bytes(path: Path) -> bytes:
    """A file's bytes, gunzipped when its name ends in .gz."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@functools.cache
def fitparse_messages(path: Path):
    """fitparse's decoding of a FIT file, once per test session (fitparse is slow; several
    differential tests compare against it)."""
    from crampcheck.io import fitref

    return fitref.decode(file_bytes(path), str(path))


@pytest.fixture
def real_dir() -> Path:
    """The real-data folder; the test is skipped when it is absent."""
    if not REAL_DIR.is_dir():
        pytest.skip("../shared/data/real is absent")
    return REAL_DIR


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real user's config file and cache."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets an empty user data dir: the tester's own cramp log never leaks in."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
