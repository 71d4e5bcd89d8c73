"""Installed without the dev extras (as `make run` installs it), the whole server loads: no
runtime module imports pytest or any other dev-only package."""

import glob
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_ONLY = ("pytest", "_pytest", "xdist", "schemathesis", "hypothesis", "playwright", "jsonschema",
            "openapi_spec_validator", "openapi_schema_validator", "requests", "sentry_sdk")

LOAD_EVERYTHING = """
import json, sys
from importlib.metadata import entry_points
plugins = {ep.name: ep.load() for ep in entry_points(group="sentryapi.plugins")}
from sentryapi import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 32})
document = app.extensions["sentryapi.api"].published_document()
client = app.test_client()
assert client.get("/api/0/").status_code == 200
assert client.get("/api/docs/openapi.json").status_code == 200
dev = sorted(name for name in sys.modules if name.split(".")[0] in DEV_ONLY)
print(json.dumps([sorted(plugins), len(document["paths"]), dev]))
"""


@pytest.mark.slow
def test_the_server_loads_without_the_dev_extras(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    editable = ["-e", ROOT] + [arg for d in sorted(glob.glob(f"{ROOT}/plugins/*/setup.cfg"))
                               for arg in ("-e", os.path.dirname(d))]
    installed = subprocess.run([python, "-m", "pip", "install", "-q", *editable],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr[-3000:]
    assert "BuildBackendWarning" not in installed.stderr, installed.stderr[-3000:]
    for module in DEV_ONLY[:3]:
        probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
        assert probe.returncode != 0, f"{module} is installed without the dev extras"

    loaded = subprocess.run(
        [python, "-c", f"DEV_ONLY = {DEV_ONLY!r}\n{LOAD_EVERYTHING}"], capture_output=True,
        text=True, timeout=120, cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "SENTRYAPI_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    plugins, paths, dev = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert {"organizations", "teams", "projects", "events", "releases", "stats"} <= set(plugins)
    assert paths > 40  # the published document: every public path
    assert dev == [], f"runtime code imported dev-only modules: {dev}"
