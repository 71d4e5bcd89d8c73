"""Shared fixtures for the core's tests live in sentryapi.testing (a pytest plugin); these
are the core suite's own."""

import os
import shutil
import subprocess
import sys

import pytest

from sentryapi.testing import FIGURES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixture_plugins")


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    """``installed(name)`` -> a folder with that fixture distribution pip-installed in it."""
    cache = {}

    def install(name):
        if name not in cache:
            target = tmp_path_factory.mktemp(f"plugin-{name}")
            source = tmp_path_factory.mktemp(f"src-{name}") / name  # pip builds in the source dir
            shutil.copytree(os.path.join(FIXTURES, name), source)
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                 "--disable-pip-version-check", "--target", str(target), str(source)],
                check=True, capture_output=True, timeout=300,
            )
            cache[name] = str(target)
        return cache[name]

    return install


@pytest.fixture
def figure(request):
    """``figure("text")``: a measured figure for the summary ("BOLA matrix: 312 cross-tenant
    calls, 0 leaks"), tagged with the test's backend; ``make harden`` collects them."""
    backend = getattr(getattr(request.node, "callspec", None), "params", {}).get("database_url")

    def record(text: str) -> None:
        FIGURES.append(f"{text}" + (f" [{backend}]" if backend else ""))

    return record


def pytest_collection_modifyitems(config, items):
    """Start the tests marked ``slow`` (servers, subprocesses, installs) first.

    With pytest-xdist each worker takes the next test in order; a two-minute test collected
    last would run alone at the end while the other workers idle. The sort is stable, so a
    module's tests stay together and its module-scoped fixtures are made once.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
