"""Real clients against a live server: sentry-sdk's ``monitor`` (decorator and context
manager) and ``capture_checkin``, the Rust ``sentry-cli monitors run`` (exit code passed
through), and a job whose server restarts while it runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
import sentry_sdk
from sentry_sdk.crons import capture_checkin, monitor

from sentryapi.testing import serve

pytestmark = pytest.mark.slow

CONFIG = {"schedule": {"type": "crontab", "value": "*/5 * * * *"}, "checkin_margin": 2,
          "max_runtime": 3, "timezone": "Europe/Berlin", "failure_issue_threshold": 1,
          "recovery_threshold": 1}


def live_dsn(server, cron_project) -> str:
    return f"http://{cron_project.public_key}@127.0.0.1:{server.server_port}/{cron_project.id}"


def wait_for(read, until, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value):
            return value
        assert time.monotonic() < deadline, f"timed out; last: {value!r}"
        time.sleep(0.1)


def statuses(monitor_state, slug):
    def read():
        try:
            return [c["status"] for c in monitor_state(slug)[1]]
        except AssertionError:
            return None
    return read


def test_sentry_sdk_monitor_decorator_context_manager_and_capture_checkin(live_server, cron_project,
                                                                          monitor_state):
    sentry_sdk.init(dsn=live_dsn(live_server, cron_project), environment="prod",
                    default_integrations=False)
    try:
        @monitor(monitor_slug="sdk-decorated", monitor_config=CONFIG)
        def job():
            return "done"

        assert job() == "done"
        with pytest.raises(ZeroDivisionError):
            with monitor(monitor_slug="sdk-context", monitor_config=CONFIG):
                1 / 0  # noqa: B018 - the job fails
        checkin_id = capture_checkin(monitor_slug="sdk-manual", status="in_progress",
                                     monitor_config={**CONFIG, "schedule": {"type": "interval", "value": 2, "unit": "hour"}})
        capture_checkin(monitor_slug="sdk-manual", check_in_id=checkin_id, status="ok", duration=1.25)
        sentry_sdk.flush(10)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()

    assert wait_for(statuses(monitor_state, "sdk-decorated"), lambda s: s == ["ok"])
    assert wait_for(statuses(monitor_state, "sdk-context"), lambda s: s == ["error"])
    assert wait_for(statuses(monitor_state, "sdk-manual"), lambda s: s == ["ok"])
    decorated, checkins = monitor_state("sdk-decorated")
    assert decorated["config"]["schedule"] == "*/5 * * * *"
    assert decorated["config"]["timezone"] == "Europe/Berlin"
    assert checkins[0]["environment"] == "prod" and checkins[0]["duration"] is not None
    manual, checkins = monitor_state("sdk-manual")
    assert manual["config"]["schedule"] == [2, "hour"] and checkins[0]["duration"] == 1250
    assert monitor_state("sdk-context")[0]["environments"][0]["status"] == "error"


def sentry_cli() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "sentry-cli")
    found = beside if os.path.exists(beside) else shutil.which("sentry-cli")
    if not found:
        pytest.fail("sentry-cli is not installed (it is in the core's dev extras)")
    return found


@pytest.mark.parametrize(("command", "code", "status"), [("exit 0", 0, "ok"), ("exit 3", 3, "error")])
def test_sentry_cli_monitors_run_passes_the_exit_code_through(live_server, cron_project, monitor_state,
                                                              tmp_path, command, code, status):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "SENTRY_DSN": live_dsn(live_server, cron_project), "SENTRY_LOAD_DOTENV": "0",
           "SENTRY_DISABLE_UPDATE_CHECK": "1", "SENTRY_LOG_LEVEL": "warn"}
    done = subprocess.run(
        [sentry_cli(), "monitors", "run", "-e", "ci", "-s", "0 * * * *", "--check-in-margin", "3",
         "--max-runtime", "20", "--timezone", "America/New_York", "cli-job", "--", "sh", "-c", command],
        env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == code, done.stderr
    assert wait_for(statuses(monitor_state, "cli-job"), lambda s: s == [status])
    monitor_json, checkins = monitor_state("cli-job")
    assert monitor_json["config"]["schedule"] == "0 * * * *"
    assert (monitor_json["config"]["checkin_margin"], monitor_json["config"]["max_runtime"]) == (3, 20)
    assert monitor_json["config"]["timezone"] == "America/New_York"
    assert checkins[0]["environment"] == "ci" and checkins[0]["dateInProgress"] is not None
    assert checkins[0]["duration"] is not None


def test_a_job_finishes_after_its_server_restarted(make_app, cron_project, monitor_state):
    import requests

    url = cron_project.crons_url.replace("___MONITOR_SLUG___", "restart-job")
    path = url[url.index("/api/"):]
    checkin_id = "9a5b9a8e8d6a4b0f9bd1b7a4c3e2f1d0"
    with serve(make_app()) as first:
        started = requests.post(first.url + path, json={
            "status": "in_progress", "check_in_id": checkin_id,
            "monitor_config": {"schedule": {"type": "crontab", "value": "0 * * * *"}}}, timeout=5)
        assert started.status_code == 202
    time.sleep(0.2)
    with serve(make_app()) as second:
        finished = requests.get(second.url + path + f"?status=ok&check_in_id={checkin_id}", timeout=5)
        assert finished.status_code == 202
    checkins = monitor_state("restart-job")[1]
    assert [c["status"] for c in checkins] == ["ok"] and checkins[0]["duration"] >= 200
