"""``flask sentryapi new-plugin``: the plugin it writes installs, loads, keeps the plugin
contract and passes its own tests, as written."""

import functools
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args, *, cwd=ROOT, pythonpath=None, timeout=300, instance=None):
    env = dict(os.environ)
    if instance:
        env["SENTRYAPI_INSTANCE_PATH"] = str(instance)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
def test_a_new_plugin_installs_loads_and_passes_its_tests(tmp_path):
    flask = functools.partial(run, instance=tmp_path)
    made = flask(["-m", "flask", "--app", "wsgi", "sentryapi", "new-plugin", "widget_box",
                "--dir", str(tmp_path / "src")])
    assert made.returncode == 0, made.stderr
    source = tmp_path / "src" / "widget_box"
    assert (source / "sentryapi_widget_box" / "views.py").exists()
    target = tmp_path / "site"
    installed = run(["-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                     "--disable-pip-version-check", "--target", str(target), str(source)])
    assert installed.returncode == 0, installed.stderr

    listed = flask(["-m", "flask", "--app", "wsgi", "sentryapi", "plugins"], pythonpath=str(target))
    assert "widget_box 0.1.0 from sentryapi-widget-box" in listed.stdout, listed.stderr
    checked = flask(["-m", "flask", "--app", "wsgi", "sentryapi", "check-plugin", "widget_box"],
                  pythonpath=str(target))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    tested = run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=source,
                 pythonpath=str(target), timeout=600)
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and "failed" not in tested.stdout


def test_bad_names_and_taken_folders_are_refused(tmp_path):
    bad = run(instance=tmp_path, args=["-m", "flask", "--app", "wsgi", "sentryapi", "new-plugin", "Bad-Name", "--dir", str(tmp_path)])
    assert bad.returncode == 1 and "a plugin name is lowercase" in bad.stderr
    (tmp_path / "taken").mkdir()
    taken = run(instance=tmp_path, args=["-m", "flask", "--app", "wsgi", "sentryapi", "new-plugin", "taken", "--dir", str(tmp_path)])
    assert taken.returncode == 1 and "already exists" in taken.stderr
