"""The committed web app is the build of the committed sources (``make ui`` keeps them so)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sentryapi.ui import build

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_build_matches_the_sources():
    assert build.problems(str(REPO)) == []


def test_a_changed_source_or_asset_is_noticed(tmp_path):
    copy = tmp_path / "repo"
    for item in build.INPUTS:
        source, target = REPO / item, copy / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.gen.ts"))
        else:
            shutil.copy(source, target)
    static = tmp_path / "static"
    shutil.copytree(build.STATIC, static)
    assert build.problems(str(copy), str(static)) == []
    (copy / "ui/src/main.tsx").write_text("// changed\n", encoding="utf-8")
    assert "run `make ui`" in build.problems(str(copy), str(static))[0]
    shutil.copy(REPO / "ui/src/main.tsx", copy / "ui/src/main.tsx")
    (static / "index.html").write_text("<!doctype html>", encoding="utf-8")
    assert build.problems(str(copy), str(static)) == [f"{static} differs from what the build wrote: run `make ui`"]
