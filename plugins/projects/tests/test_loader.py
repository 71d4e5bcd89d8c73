"""The JavaScript SDK loader each key's ``dsn.cdn`` names is served, with the key's DSN and bundle."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def key(owner, create_project):
    create_project(owner, name="Web", slug="web")
    return owner.api.get(f"/api/0/projects/{owner.org}/web/keys/").json[0]


def loader_config(body: str) -> dict:
    return json.loads(re.search(r"\}\)\(window, document, (\{.*\})\);\s*$", body, re.S).group(1))


def test_the_cdn_url_serves_a_loader_with_the_keys_dsn(owner, key, anonymous):
    cdn = key["dsn"]["cdn"]
    assert cdn == f"http://testserver.example/js-sdk-loader/{key['public']}.min.js"
    response = anonymous.get(cdn.removeprefix("http://testserver.example"))
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    config = loader_config(response.get_data(as_text=True))
    assert config == {"dsn": key["dsn"]["public"], "debug": False, "tracing": True, "replay": True,
                      "bundle": "https://browser.sentry-cdn.com/8.37.1/bundle.tracing.replay.min.js"}
    # The unminified name serves the same script, as Sentry's does.
    assert anonymous.get(f"/js-sdk-loader/{key['public']}.js").get_data() == response.get_data()


def test_the_loader_follows_the_keys_settings(owner, key, anonymous, app, monkeypatch):
    url = f"/api/0/projects/{owner.org}/web/keys/{key['id']}/"
    changed = owner.api.put(url, json={"browserSdkVersion": "7.x", "dynamicSdkLoaderOptions": {
        "hasReplay": False, "hasPerformance": False, "hasDebug": True}})
    assert changed.status_code == 200, changed.json
    monkeypatch.setitem(app.config, "JS_SDK_LOADER_CDN", "https://cdn.example.com/sdk/")
    config = loader_config(anonymous.get(f"/js-sdk-loader/{key['public']}.min.js").get_data(as_text=True))
    assert config["bundle"] == "https://cdn.example.com/sdk/7.120.3/bundle.min.js"
    assert (config["debug"], config["tracing"], config["replay"]) == (True, False, False)


def test_unknown_and_disabled_keys_get_a_404(owner, key, anonymous):
    for name in ("0" * 32 + ".min.js", "nope.min.js", key["public"] + ".css", "\u0663" * 32 + ".js"):
        response = anonymous.get(f"/js-sdk-loader/{name}")
        assert (response.status_code, response.json) == (404, {"detail": "Unknown or disabled client key."})
    url = f"/api/0/projects/{owner.org}/web/keys/{key['id']}/"
    assert owner.api.put(url, json={"isActive": False}).status_code == 200
    assert anonymous.get(f"/js-sdk-loader/{key['public']}.min.js").status_code == 404
