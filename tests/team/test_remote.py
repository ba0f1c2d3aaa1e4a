"""Inputs through fsspec: a local S3-compatible server (moto, 127.0.0.1) gives the same history
as the same files on disk, under the same size and zip limits."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.errors import UnreadableFileError
from crampcheck.history import scan
from crampcheck.history.sources import ZipLimits
from tests.team.conftest import BUCKET
from tests.team.teamdata import plans

URL = f"s3://{BUCKET}/team"


def _same_but_names(remote: dict, local: dict, remote_root: str, local_root: str) -> None:
    """The same JSON, once the S3 names are put back to the local ones."""
    assert remote["activities"] and remote["activities"][0]["file"].startswith(remote_root + "/")
    assert json.loads(json.dumps(remote).replace(remote_root, local_root)) == local


def test_s3_folder_scans_like_the_local_folder(s3, team_dir):
    remote = scan(f"{URL}/spike", use_cache=False, jobs=1).to_dict()
    local = scan(str(team_dir / "spike"), use_cache=False, jobs=1).to_dict()
    _same_but_names(remote, local, f"{URL}/spike", str(team_dir / "spike"))
    assert len(remote["activities"]) == len(plans()["spike"])
    assert remote["history_findings"][-1]["id"] == "distance_spike"


def test_s3_zip_export_read_in_place_with_the_zip_limits(s3, team_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted((team_dir / "calm").iterdir()):
            zf.write(f, f"calm/{f.name}")
        zf.writestr("bomb.fit", b"\0" * (3 * 1024 * 1024))  # 3 MB of zeros: far past the ratio limit
    s3.pipe(f"{BUCKET}/exports/calm.zip", buf.getvalue())
    result = scan(f"s3://{BUCKET}/exports/calm.zip", use_cache=False, jobs=1)
    assert len(result.activities) == len(plans()["calm"])
    assert [s.file for s in result.skipped] == [f"s3://{BUCKET}/exports/calm.zip!bomb.fit"]
    assert "compression ratio" in result.skipped[0].reason


def test_s3_file_over_the_size_limit_is_refused_unread(s3):
    result = scan(f"{URL}/calm", use_cache=False, jobs=1, limits=ZipLimits(max_file_bytes=1024))
    assert not result.activities and len(result.skipped) == len(plans()["calm"])
    assert all(s.reason == "file larger than 0 MB" for s in result.skipped)


def test_missing_url_is_one_line(s3):
    with pytest.raises(UnreadableFileError, match="no such file or folder"):
        scan(f"s3://{BUCKET}/nobody", use_cache=False)
    out = CliRunner().invoke(main, ["scan", f"s3://{BUCKET}/nobody", "--no-cache"])
    assert out.exit_code == 1 and out.output.strip() == f"Error: s3://{BUCKET}/nobody: no such file or folder"


def test_team_from_s3(s3, team_dir):
    from crampcheck.history.team import team_scan

    remote = team_scan(URL, use_cache=False, jobs=1)
    local = team_scan(team_dir, use_cache=False, jobs=1)
    assert [m.athlete for m in remote.members] == [m.athlete for m in local.members]
    assert json.loads(json.dumps(remote.to_dict()).replace(URL, str(team_dir))) == json.loads(json.dumps(local.to_dict()))
