"""Fixtures of the team, Parquet, fsspec and Dask tests: a generated team, a local S3 server
(moto, on 127.0.0.1, started here), and one 2-worker Dask LocalCluster shared by the module."""

from __future__ import annotations

import logging
import os
import socket

import pytest

from tests.team.teamdata import write_team

S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
BUCKET = "crampcheck-team"


@pytest.fixture(scope="session")
def team_dir(tmp_path_factory):
    return write_team(tmp_path_factory.mktemp("team"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3(team_dir):
    """A moto S3 server on 127.0.0.1 holding the team under s3://crampcheck-team/team/.

    The endpoint reaches fsspec (and the Dask workers started after it) through
    FSSPEC_S3_ENDPOINT_URL, the variable a user sets for any S3-compatible store.
    """
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    saved = {k: os.environ.get(k) for k in [*S3_ENV, "FSSPEC_S3_ENDPOINT_URL"]}
    os.environ.update(S3_ENV, FSSPEC_S3_ENDPOINT_URL=endpoint)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    import fsspec

    fsspec.config.conf.setdefault("s3", {})["endpoint_url"] = endpoint  # fsspec read the variables at import
    fs = fsspec.filesystem("s3", skip_instance_cache=True)
    fs.mkdir(BUCKET)
    fs.put(str(team_dir), f"{BUCKET}/team", recursive=True)
    fs.invalidate_cache()
    yield fs
    server.stop()
    fsspec.config.conf.get("s3", {}).pop("endpoint_url", None)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def dask_engine(s3):
    """A Dask LocalCluster of 2 worker processes (started after the S3 endpoint is set)."""
    from crampcheck.history.dask_engine import DaskEngine

    engine = DaskEngine(workers=2)
    engine.start()
    yield engine
    engine.close()
