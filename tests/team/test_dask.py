"""The Dask engine gives the same JSON as the local pool (local files and S3-served files), keeps
its Parquet cache, and says how to install Dask when it is missing."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.history import scan
from crampcheck.history.team import team_scan
from crampcheck.report.jsonout import clean, dumps
from tests.helpers.history import fit_run
from tests.team.conftest import BUCKET
from tests.team.teamdata import plans


def _duckdb():
    """A DuckDB connection, imported here and not at collection: DuckDB's native thread pool in
    the test process makes later process pools spawn their workers (scan._mp_context), which
    the monkeypatched-analyzer tests of tests/history cannot use."""
    import duckdb

    return duckdb.connect()



def _json(result) -> str:
    return dumps(clean(result.to_dict()))


def test_team_on_dask_is_the_local_pools_team(team_dir, dask_engine):
    local = team_scan(team_dir, use_cache=False, jobs=2)
    on_dask = team_scan(team_dir, use_cache=False, engine=dask_engine)
    assert _json(on_dask) == _json(local)
    assert on_dask.members[0].history.stats.parsed == len(plans()[on_dask.members[0].athlete])


def test_s3_on_dask_is_the_local_pools_answer(s3, dask_engine):
    url = f"s3://{BUCKET}/team"
    local = team_scan(url, use_cache=False, jobs=2)
    on_dask = team_scan(url, use_cache=False, engine=dask_engine)
    assert _json(on_dask) == _json(local)
    assert on_dask.members[0].history.activities[0].file.startswith(url)


def test_scan_cli_dask_scheduler_address(team_dir, dask_engine):
    """--engine dask --scheduler tcp://...: the CLI reaches a running cluster, same JSON as the pool."""
    address = dask_engine.client.scheduler.address
    args = ["scan", str(team_dir / "racer"), "--no-cache", "--format", "json"]
    pool = CliRunner().invoke(main, [*args, "--jobs", "2"])
    dask = CliRunner().invoke(main, [*args, "--engine", "dask", "--scheduler", address])
    assert pool.exit_code == 0 and dask.exit_code == 0, dask.output
    assert json.loads(dask.output) == json.loads(pool.output)


def test_parquet_cache_reads_only_new_files(tmp_path, team_dir, dask_engine):
    folder = tmp_path / "runs"
    folder.mkdir()
    for f in sorted((team_dir / "calm").iterdir())[:6]:
        (folder / f.name).write_bytes(f.read_bytes())
    cache = tmp_path / "summary.parquet"
    first = scan(folder, cache_path=cache, engine=dask_engine)
    assert (first.stats.parsed, first.stats.from_cache) == (6, 0)
    again = scan(folder, cache_path=cache, engine=dask_engine)
    assert (again.stats.parsed, again.stats.from_cache) == (0, 6)
    assert _json(again).replace('"from_cache": 6', "X").replace('"parsed": 0', "Y") == \
        _json(first).replace('"from_cache": 0', "X").replace('"parsed": 6', "Y")
    start = first.activities[-1].start_time_utc.replace(day=first.activities[-1].start_time_utc.day + 1)
    (folder / "new.fit").write_bytes(fit_run(start, minutes=20))
    third = scan(folder, cache_path=cache, engine=dask_engine)
    assert (third.stats.parsed, third.stats.from_cache, len(third.activities)) == (1, 6, 7)
    # the cache is the Parquet summary: one row per file, its outcome, name, size and stamp
    rows = _duckdb().sql(f"SELECT outcome_kind, count(*), count(DISTINCT source_key) FROM '{cache}' GROUP BY 1").fetchall()
    assert rows == [("row", 7, 7)]
    assert _duckdb().execute(f"SELECT max(distance_m) FROM '{cache}'").fetchone()[0] == pytest.approx(5400, rel=0.01)


def test_without_dask_the_cli_says_how_to_install(team_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    out = CliRunner().invoke(main, ["scan", str(team_dir / "calm"), "--no-cache", "--engine", "dask"])
    assert out.exit_code == 1
    assert out.output.strip() == 'Error: --engine dask needs Dask: pip install "crampcheck[dask]"'


def test_scheduler_needs_the_dask_engine(team_dir):
    out = CliRunner().invoke(main, ["scan", str(team_dir / "calm"), "--scheduler", "tcp://127.0.0.1:1"])
    assert out.exit_code == 2 and "--scheduler needs --engine dask" in out.output


def test_real_files_on_dask_are_the_local_pools_answer(dask_engine):
    """The real corpus (every format, invalid files among them): the same JSON from both engines."""
    from tests.helpers.paths import REAL_DIR

    if not REAL_DIR.is_dir():
        pytest.skip(f"{REAL_DIR} is absent")
    local = scan(REAL_DIR, sport="all", use_cache=False, jobs=2)
    on_dask = scan(REAL_DIR, sport="all", use_cache=False, engine=dask_engine)
    assert len(local.activities) >= 50 and local.skipped
    assert _json(on_dask) == _json(local)


def test_export_weather_on_dask_is_the_local_pools_answer(tmp_path, dask_engine):
    """A Strava export as a folder (the workers read the files where they lie) and as a zip (the
    bytes travel): the export's weather reaches the Dask workers as it reaches the pool's."""
    from tests.history.exports import hot_export, zip_bytes

    folder = tmp_path / "export"
    for name, data in hot_export().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (tmp_path / "export.zip").write_bytes(zip_bytes(hot_export()))
    for path in (folder, tmp_path / "export.zip"):
        local = scan(path, use_cache=False, jobs=2, units="km")
        on_dask = scan(path, use_cache=False, engine=dask_engine, units="km")
        assert _json(on_dask) == _json(local)
        assert on_dask.activities[0].air_kind == "export" and on_dask.activities[0].finding_levels.get("heat") == "high"
