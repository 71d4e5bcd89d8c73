"""``flask sentryapi ...`` commands as operators and scripts use them."""

import os
import re
import subprocess
import sys

import pytest

from sentryapi.testing import build_app

TOKEN_RE = re.compile(r"sntryu_[0-9a-f]{64}")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def fresh_app(tmp_path):
    """An app on an empty database (the CLI builds the schema itself)."""
    return build_app(f"sqlite:///{tmp_path / 'cli.sqlite'}", tmp_path)


@pytest.fixture
def cli(fresh_app):
    runner = fresh_app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_init_creates_everything_once(fresh_app, cli):
    first = cli("sentryapi", "init")
    assert first.exit_code == 0, first.output
    tokens = TOKEN_RE.findall(first.output)
    assert tokens and len(set(tokens)) == 1
    assert f'curl -H "Authorization: Bearer {tokens[0]}" http://testserver.example/api/0/organizations/' in first.output
    client = fresh_app.test_client()
    r = client.get("/api/0/organizations/", headers={"Authorization": f"Bearer {tokens[0]}"})
    assert r.status_code == 200 and r.json[0]["slug"] == "sentry"
    assert r.json[0]["id"]
    again = cli("sentryapi", "init")
    assert again.exit_code == 0
    assert "Already initialized" in again.output
    assert not TOKEN_RE.search(again.output) and "password" not in again.output


def test_createuser_and_create_token(fresh_app, cli):
    assert cli("sentryapi", "upgrade").exit_code == 0
    r = cli("sentryapi", "createuser", "dev@example.com", "--password", "pw", "--org", "acme")
    assert r.exit_code == 0, r.output
    assert "Created organization 'acme'" in r.output
    r = cli("sentryapi", "create-token", "dev@example.com", "--scopes", "org:read,member:read")
    assert r.exit_code == 0, r.output
    token = TOKEN_RE.search(r.output).group()
    client = fresh_app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/0/organizations/acme/", headers=auth).status_code == 200
    assert client.put("/api/0/organizations/acme/", json={"name": "x"}, headers=auth).status_code == 403
    index = client.get("/api/0/", headers=auth).json
    assert index["auth"]["scopes"] == ["member:read", "org:read"]
    full = TOKEN_RE.search(cli("sentryapi", "create-token", "dev@example.com").output).group()
    assert "org:admin" in client.get("/api/0/", headers={"Authorization": f"Bearer {full}"}).json["auth"]["scopes"]


@pytest.mark.parametrize("args, message", [
    (("createuser", "not-an-email"), "is not an e-mail address"),
    (("createuser", "a@example.com", "--org", "Bad Slug"), "--org 'Bad Slug'"),
    (("create-token", "nobody@example.com"), "no user with e-mail nobody@example.com"),
    (("create-token", "dup@example.com", "--scopes", "org:read,root"), "unknown scopes: root"),
    (("createuser", "dup@example.com"), "already exists"),
])
def test_bad_input_is_one_line_and_nonzero(cli, args, message):
    assert cli("sentryapi", "upgrade").exit_code == 0
    assert cli("sentryapi", "createuser", "dup@example.com").exit_code == 0
    r = cli("sentryapi", *args)
    assert r.exit_code == 1
    assert message in r.output
    assert "Traceback" not in r.output


def test_plugins_lists_what_is_loaded(cli):
    r = cli("sentryapi", "plugins")
    assert r.exit_code == 0
    assert re.search(r"^organizations \S+ from sentryapi", r.output, re.M)


def test_bad_setting_stops_the_server_with_one_line(tmp_path):
    env = {**os.environ, "SENTRYAPI_INSTANCE_PATH": str(tmp_path), "SENTRYAPI_PUBLIC_URL": "nope"}
    proc = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "routes"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "SENTRYAPI_PUBLIC_URL must be an http(s) URL" in proc.stderr
    assert "Traceback" not in proc.stderr
