"""The blob store in tests: moto's standalone S3 server (no real S3 is reachable from the
tests), and the settings that point an app's store at a fresh bucket of it or a folder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from ..blobs import EXTENSION


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's standalone S3 server on 127.0.0.1, for the session."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url, timeout=5)
            break
        except requests.RequestException:  # not listening yet, or too slow to answer on a loaded machine
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto did not start")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def s3_settings(endpoint: str) -> dict:
    """``BLOB_*`` settings for a new, empty bucket of the S3 server at ``endpoint``."""
    import boto3

    bucket = f"blobs-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    return {"BLOB_STORAGE": "s3", "BLOB_S3_BUCKET": bucket, "BLOB_S3_ENDPOINT_URL": endpoint,
            "BLOB_S3_REGION": "us-east-1", "BLOB_S3_ACCESS_KEY_ID": "testing",
            "BLOB_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(params=["filesystem", "s3"])
def blob_backend(request, app, tmp_path, monkeypatch):
    """The app's blob store on each backend in turn (a fresh folder, or a fresh bucket)."""
    if request.param == "s3":
        settings = s3_settings(request.getfixturevalue("moto_endpoint"))
    else:
        settings = {"BLOB_STORAGE": "filesystem", "BLOB_PATH": str(tmp_path / "blobs")}
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    app.extensions.pop(EXTENSION, None)
    from ..blobs import blob_store

    yield blob_store(app)
    app.extensions.pop(EXTENSION, None)
