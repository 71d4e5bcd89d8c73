"""The real sentry-cli (3.x, from the core's dev extras) uploads a real esbuild bundle and
its source map to a live server; the real sentry-sdk sends the browser's minified stack
trace; the issue API answers the original file, function, line and context."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import sentry_sdk
from sentryapi_events.testing import digest_now
from sentryapi_releases.testing import sentry_cli

from sentryapi.testing import ApiClient

pytestmark = pytest.mark.slow


def cli_env(server, token, org, project, home) -> dict:
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "SENTRY_URL": server.url,
            "SENTRY_AUTH_TOKEN": token, "SENTRY_ORG": org, "SENTRY_PROJECT": project,
            "SENTRY_LOAD_DOTENV": "0", "SENTRY_DISABLE_UPDATE_CHECK": "1", "SENTRY_LOG_LEVEL": "warn"}


def run(env, *args) -> str:
    done = subprocess.run([sentry_cli(), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"sentry-cli {' '.join(args)}: {done.stderr or done.stdout}"
    return done.stdout + done.stderr


def send(dsn: str, event: dict) -> None:
    """Through the official SDK's client and transport, as an SDK sends an event."""
    client = sentry_sdk.Client(dsn=dsn, default_integrations=False)
    try:
        client.capture_event(event)
        client.flush(10)
    finally:
        client.close()


def latest_event(api, org, project) -> dict:
    issues = api.get(f"/api/0/projects/{org}/{project}/issues/?query=").json
    assert len(issues) == 1, [i["title"] for i in issues]
    return issues[0], api.get(f"/api/0/organizations/{org}/issues/{issues[0]['id']}/events/latest/").json


def top_frames(event: dict) -> tuple[list, list]:
    exception = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][-1]
    return exception["stacktrace"]["frames"], (exception["rawStacktrace"] or {}).get("frames")


@pytest.mark.parametrize("kind", ["user", "org"])
def test_uploaded_maps_make_minified_traces_readable(sentry_cli_server, owner, create_project, tmp_path,
                                                     bundle_dir, browser, kind):
    app, server = sentry_cli_server
    project = create_project(owner, name="Web", slug="web")["slug"]
    token = owner.token
    if kind == "org":
        made = ApiClient(app.test_client(), owner.token).post(
            f"/api/0/organizations/{owner.org}/org-auth-tokens/", json={"name": "ci"})
        token = made.json["token"]
    env = cli_env(server, token, owner.org, project, tmp_path)
    api = ApiClient(app.test_client(), owner.token)
    dsn = api.get(f"/api/0/projects/{owner.org}/{project}/keys/").json[0]["dsn"]["public"]

    # 1. By release and URL: the bundle as built, uploaded for release web@1.0.
    release_stack = browser.stack(bundle_dir)
    run(env, "sourcemaps", "upload", "--release", "web@1.0", "--url-prefix", "~/static", str(bundle_dir))
    send(dsn, browser.event(release_stack, release="web@1.0"))
    digest_now(app)
    issue, event = latest_event(api, owner.org, project)
    frames, raw = top_frames(event)
    top = frames[-1]
    assert (top["function"], top["lineNo"], top["colNo"]) == ("renderTotal", 9, 11)
    assert top["filename"].endswith("src/app.js"), top
    assert "throw new Error" in dict(map(tuple, top["context"]))[9]
    assert top["data"]["resolved_with"] == "release"
    assert [f["function"] for f in frames] == ["checkout", "formatPrice", "renderTotal"]
    assert [f["function"] for f in raw] == [f["function"] for f in reversed(release_stack)]
    assert raw[-1]["absPath"].endswith("/static/app.min.js")
    assert issue["culprit"] == "src/app.js in renderTotal", issue["culprit"]
    assert issue["metadata"]["function"] == "renderTotal"
    debug = api.get(f"/api/0/projects/{owner.org}/{project}/events/{event['eventID']}/source-map-debug/")
    assert debug.status_code == 200, debug.json
    assert debug.json["release"] == "web@1.0" and debug.json["release_has_some_artifact"]
    step = debug.json["exceptions"][0]["frames"][-1]
    assert step["release_process"]["source_file_lookup_result"] == "found"
    assert step["release_process"]["source_map_lookup_result"] == "found"
    assert step["release_process"]["matching_source_map_name"] == "~/static/app.min.js.map"
    assert step["debug_id_process"]["debug_id"] is None

    # 2. By debug id: injected, uploaded without a release; the same bug minified
    # differently (the injected snippet moves every column) is the same issue.
    run(env, "sourcemaps", "inject", str(bundle_dir))
    debug_id = browser.debug_id(bundle_dir)
    injected_stack = browser.stack(bundle_dir)
    assert injected_stack != release_stack
    run(env, "sourcemaps", "upload", str(bundle_dir))
    send(dsn, browser.event(injected_stack, debug_id=debug_id))
    digest_now(app)
    issue, event = latest_event(api, owner.org, project)
    assert issue["count"] == "2"
    frames, raw = top_frames(event)
    assert (frames[-1]["function"], frames[-1]["lineNo"]) == ("renderTotal", 9)
    assert frames[-1]["data"]["resolved_with"] == "debug-id"
    assert raw[-1]["colNo"] == injected_stack[0]["colno"]
    debug = api.get(f"/api/0/projects/{owner.org}/{project}/events/{event['eventID']}/source-map-debug/").json
    assert debug["has_debug_ids"] and debug["has_uploaded_some_artifact_with_a_debug_id"]
    assert debug["exceptions"][0]["frames"][-1]["debug_id_process"] == {
        "debug_id": debug_id, "uploaded_source_file_with_correct_debug_id": True,
        "uploaded_source_map_with_correct_debug_id": True}


def test_debug_files_upload_stores_and_lists_them(sentry_cli_server, owner, create_project, tmp_path):
    """``sentry-cli debug-files upload`` of an ELF built here with debug info (gcc -g)."""
    app, server = sentry_cli_server
    gcc = shutil.which("gcc") or pytest.fail("gcc is not installed")
    project = create_project(owner, name="Native", slug="native")["slug"]
    build = tmp_path / "build"
    build.mkdir()
    (build / "crash.c").write_text("int crash(int *p) { return *p; }\nint main(void) { return crash(0); }\n")
    subprocess.run([gcc, "-g", "-Wl,--build-id=sha1", "-o", str(build / "crash"), str(build / "crash.c")],
                   check=True, timeout=60)
    env = cli_env(server, owner.token, owner.org, project, tmp_path)
    check = run(env, "debug-files", "check", str(build / "crash"))
    run(env, "debug-files", "upload", str(build))
    run(env, "debug-files", "upload", str(build))  # again: already there
    api = ApiClient(app.test_client(), owner.token)
    listed = api.get(f"/api/0/projects/{owner.org}/{project}/files/dsyms/")
    assert listed.status_code == 200, listed.json
    assert len(listed.json) == 1, listed.json
    dif = listed.json[0]
    assert dif["debugId"] in check.lower(), (dif, check)
    assert (dif["objectName"], dif["symbolType"], dif["cpuName"]) == ("crash", "elf", "x86_64")
    assert {"debug", "symtab"} <= set(dif["data"]["features"])
    by_id = api.get(f"/api/0/projects/{owner.org}/{project}/files/dsyms/?debug_id={dif['debugId']}")
    assert [d["id"] for d in by_id.json] == [dif["id"]]
    assert api.get(f"/api/0/projects/{owner.org}/{project}/files/dsyms/?file_formats=pdb").json == []
