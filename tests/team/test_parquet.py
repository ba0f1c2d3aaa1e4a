"""scan/team --format parquet: DuckDB reads one row per activity with the documented columns."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.history.parquet import FINDING_PREFIX, RUN_FINDING_IDS, SUMMARY_SCHEMA_NAME
from tests.team.teamdata import ORDER, plans

DOCUMENTED = [  # README.md "Parquet summary", in order
    "athlete", "file", "content_hash", "format", "start_time_utc", "start_time_local", "day", "sport", "sub_sport", "name",
    "is_race", "race_marked_by", "distance_m", "moving_time_s", "elapsed_time_s", "avg_speed_m_s", "temperature_c_mean",
    "heart_rate_mean_bpm", "first_vs_last_ratio", "best_sustained_speed_m_s", "shape", "overall", "findings",
] + [FINDING_PREFIX + f for f in RUN_FINDING_IDS]

def _duckdb():
    """A DuckDB connection, imported here and not at collection: DuckDB's native thread pool in
    the test process makes later process pools spawn their workers (scan._mp_context), which
    the monkeypatched-analyzer tests of tests/history cannot use."""
    import duckdb

    return duckdb.connect()



def _scan(args):
    out = CliRunner().invoke(main, ["scan", *args, "--no-cache", "--jobs", "1"])
    assert out.exit_code == 0, out.output
    return out


def test_scan_parquet_read_by_duckdb(team_dir, tmp_path):
    target = tmp_path / "runs.parquet"
    _scan([str(team_dir / "spike"), "--format", "parquet", "-o", str(target)])
    history = json.loads(_scan([str(team_dir / "spike"), "--format", "json"]).output)
    con = _duckdb()
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()]
    assert columns == DOCUMENTED
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()}
    assert types["start_time_utc"] == "TIMESTAMP WITH TIME ZONE" and types["distance_m"] == "DOUBLE"
    assert types["finding_fast_start"] == "BOOLEAN" and types["day"] == "DATE"
    rows = con.execute(f"SELECT file, distance_m, moving_time_s, overall, findings, is_race, athlete FROM '{target}' "
                       "ORDER BY start_time_utc").fetchall()
    assert len(rows) == len(plans()["spike"]) == len(history["activities"])
    for (file, dist, moving, overall, findings, is_race, athlete), a in zip(rows, history["activities"]):
        assert (file, dist, moving, overall, list(findings)) == (a["file"], a["distance_m"], a["moving_time_s"], a["overall"],
                                                                 a["findings"])
        assert is_race == a["is_race"] and athlete is None
    longest = con.execute(f"SELECT max(distance_m) FROM '{target}'").fetchone()[0]
    assert longest == pytest.approx(75 * 60 * 3.0, rel=0.01)
    meta = con.execute(f"SELECT value FROM parquet_kv_metadata('{target}') WHERE key = 'crampcheck'").fetchone()[0]
    assert json.loads(meta)["schema"] == SUMMARY_SCHEMA_NAME


def test_finding_columns_match_findings(tmp_path):
    """The samples show real findings: each finding_<id> is true exactly when <id> is in findings."""
    from tests.helpers.paths import PROJECT_ROOT

    target = tmp_path / "samples.parquet"
    _scan([str(PROJECT_ROOT / "samples"), "--sport", "all", "--format", "parquet", "-o", str(target)])
    con = _duckdb()
    n = con.execute(f"SELECT count(*) FROM '{target}'").fetchone()[0]
    assert n >= 6
    flagged = 0
    for fid in RUN_FINDING_IDS:
        mismatch = con.execute(f"SELECT count(*) FROM '{target}' WHERE {FINDING_PREFIX}{fid} != list_contains(findings, ?)",
                               [fid]).fetchone()[0]
        assert mismatch == 0, fid
        flagged += con.execute(f"SELECT count(*) FROM '{target}' WHERE {FINDING_PREFIX}{fid}").fetchone()[0]
    assert flagged > 0
    assert con.execute(f"SELECT count(*) FROM '{target}' WHERE finding_fast_start").fetchone()[0] >= 1


def test_team_parquet_has_the_athlete(team_dir, tmp_path):
    target = tmp_path / "team.parquet"
    out = CliRunner().invoke(main, ["team", str(team_dir), "--no-cache", "--jobs", "1", "--format", "parquet", "-o", str(target)])
    assert out.exit_code == 0, out.output
    counts = dict(_duckdb().sql(f"SELECT athlete, count(*) FROM '{target}' GROUP BY athlete").fetchall())
    assert counts == {a: len(p) for a, p in plans().items()} and sorted(counts) == sorted(ORDER)


def test_parquet_needs_an_output_file(team_dir):
    out = CliRunner().invoke(main, ["scan", str(team_dir / "calm"), "--no-cache", "--format", "parquet"])
    assert out.exit_code == 2 and "-o PATH" in out.output


def test_two_scans_sharing_the_parquet_cache_keep_each_others_entries(tmp_path):
    """Two Dask scans open the same cache, each reads a file the other did not, and close in turn:
    the second keeps what the first wrote (merged under a lock on the folder), and for a file both
    read the closing scan's outcome wins."""
    from crampcheck.history.cache import Outcome
    from crampcheck.history.parquet import ParquetCache

    path = tmp_path / "cache" / "summary.parquet"
    first, second = ParquetCache(path), ParquetCache(path)
    first.put("a.fit", 10, "s1", "hash-a", "set", Outcome("skip", "first's reason"))
    first.put("both.fit", 30, "s3", "hash-c", "set", Outcome("skip", "first's view"))
    second.put("b.fit", 20, "s2", "hash-b", "set", Outcome("non_activity", "monitoring_b"))
    second.put("both.fit", 30, "s3", "hash-c", "set", Outcome("skip", "second's view"))
    first.close()
    second.close()
    again = ParquetCache(path)
    assert again.get("a.fit", 10, "s1", "set") == (Outcome("skip", "first's reason"), "hash-a")
    assert again.get("b.fit", 20, "s2", "set") == (Outcome("non_activity", "monitoring_b"), "hash-b")
    assert again.get("both.fit", 30, "s3", "set")[0] == Outcome("skip", "second's view")
    assert sorted(p.name for p in path.parent.iterdir()) == ["summary.parquet"]  # no lock or temp file left
