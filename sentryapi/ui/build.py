"""Whether the committed build (``static/``) is the build of the committed sources (``ui/``).

``make ui`` ends with ``ui/scripts/stamp.mjs``, which records in ``static/build-info.json``
a hash of every input of the build and of every file it wrote. Recomputing both here needs
no Node: a test (and ``flask sentryapi``-free CI) compares them, so a change to ``ui/`` (or
to ``openapi/public.json``, which the API client's types come from) without ``make ui``, or
a hand-edited asset, fails.
"""

from __future__ import annotations

import hashlib
import json
import os

from .pages import STATIC

#: Keep in step with ``inputs`` in ui/scripts/stamp.mjs (paths from the repository root).
INPUTS = ("ui/index.html", "ui/package.json", "ui/package-lock.json", "ui/tsconfig.json",
          "ui/vite.config.ts", "ui/src", "openapi/public.json")
GENERATED = ".gen.ts"  # the API types, made from openapi/public.json by the build
INFO = "build-info.json"


def _files(path: str) -> list[str]:
    if os.path.isdir(path):
        return [f for name in sorted(os.listdir(path)) for f in _files(os.path.join(path, name))]
    return [path]


def _sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def sources_digest(repo: str) -> str:
    digest = hashlib.sha256()
    for path in (f for item in INPUTS for f in _files(os.path.join(repo, item))):
        name = os.path.relpath(path, repo).replace(os.sep, "/")
        if name.endswith(GENERATED):
            continue
        digest.update(name.encode() + b"\0")
        digest.update(_sha256(path).encode() + b"\n")
    return digest.hexdigest()


def output_digests(static: str = STATIC) -> dict[str, str]:
    return {os.path.relpath(path, static).replace(os.sep, "/"): _sha256(path)
            for path in _files(static) if os.path.basename(path) != INFO}


def problems(repo: str, static: str = STATIC) -> list[str]:
    """What differs between the committed build and the sources (empty: they match)."""
    info_path = os.path.join(static, INFO)
    if not os.path.exists(info_path):
        return [f"{info_path} is missing: run `make ui`"]
    with open(info_path, encoding="utf-8") as handle:
        info = json.load(handle)
    found = []
    if info["sources"] != sources_digest(repo):
        found.append("ui/ (or openapi/public.json) changed since the committed build: run `make ui`")
    if info["output"] != output_digests(static):
        found.append(f"{static} differs from what the build wrote: run `make ui`")
    return found
