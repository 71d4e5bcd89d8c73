"""Digest cost of source maps: events with 30-frame minified stack traces, prepared by the
events plugin's digest (normalize, ``rewrite_stack_frames``, grouping) with and without an
uploaded ~2 MB source map for their release, once the map is cached.

Needs esbuild (``npm ci`` in plugins/sourcemaps/tests/js, or ESBUILD=/path/to/esbuild):
it minifies a generated 6,000-function program. Run: ``.venv/bin/python bench/sourcemaps.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
ESBUILD = os.environ.get("ESBUILD") or os.path.join(
    HERE, "..", "plugins", "sourcemaps", "tests", "js", "node_modules", ".bin", "esbuild")
FUNCTIONS, FRAMES, EVENTS, ROUNDS = 6000, 30, 300, 5


def build(work: str) -> tuple[bytes, bytes, list[tuple[str, int]]]:
    """A minified bundle, its map, and (minified name, column) of each function's throw."""
    lines = [f"function work{i}(x) {{\n  const y = x * {i} + {i % 7};\n"
             f"  if (y < 0) {{ throw new Error('bad value ' + y + ' in work{i}'); }}\n"
             f"  return y % 13 === 0 ? work{(i + 1) % FUNCTIONS}(x - 1) : y;\n}}\n" for i in range(FUNCTIONS)]
    lines.append("globalThis.entry = [" + ", ".join(f"work{i}" for i in range(FUNCTIONS)) + "];\n")
    source = os.path.join(work, "app.js")
    with open(source, "w") as f:
        f.write("".join(lines))
    out = os.path.join(work, "app.min.js")
    subprocess.run([ESBUILD, source, "--bundle", "--minify", "--sourcemap", "--format=iife",
                    f"--outfile={out}"], check=True, capture_output=True)
    minified = open(out, "rb").read()
    throws = [m.start() + 1 for m in re.finditer(rb"throw new Error", minified)]
    return minified, open(out + ".map", "rb").read(), [("a", col) for col in throws]


def event(throws, release: str) -> bytes:
    url = "https://shop.example.com/static/app.min.js"
    frames = [{"abs_path": url, "filename": url, "function": name, "lineno": 1, "colno": col}
              for name, col in throws[:FRAMES]]
    return json.dumps({"platform": "javascript", "release": release, "exception": {"values": [
        {"type": "Error", "value": "bad value -1", "stacktrace": {"frames": frames}}]}}).encode()


def main() -> None:
    from sentryapi import create_app
    from sentryapi.api import Organization, db

    with tempfile.TemporaryDirectory() as work:
        minified, source_map, throws = build(work)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite", "TESTING": True,
                          "EVENTS_DIGEST": "off", "BLOB_PATH": os.path.join(work, "blobs")})
        with app.app_context():
            from sentryapi_events.digest.batch import prepare
            from sentryapi_projects import Project
            from sentryapi_sourcemaps.assemble import assemble_bundle
            from sentryapi_sourcemaps.blobs import blobs, sha1_hex
            from sentryapi_sourcemaps.testing import make_bundle

            db.create_all()
            org = Organization(slug="bench", name="Bench")
            db.session.add(org)
            db.session.flush()
            project = Project(organization_id=org.id, slug="shop", name="Shop", platform="javascript")
            db.session.add(project)
            db.session.commit()
            bundle = make_bundle({
                "files/_/_/static/app.min.js": ("~/static/app.min.js", "minified_source",
                                                {"sourcemap": "app.min.js.map"}, minified),
                "files/_/_/static/app.min.js.map": ("~/static/app.min.js.map", "source_map", {}, source_map)})
            blobs().put(org.id, sha1_hex(bundle), bundle)
            assert assemble_bundle(org.id, sha1_hex(bundle), [sha1_hex(bundle)], [project.id],
                                   "shop@1", None)["state"] == "ok"

            def run(release: str) -> float:
                rows = [SimpleNamespace(payload=event(throws, release), event_id=uuid.uuid4().hex,
                                        received=dt.datetime.now(dt.UTC), remote_addr=None,
                                        project_id=project.id, organization_id=org.id, key_id=None)
                        for _ in range(EVENTS)]
                # CPU time of this process: the machine is shared, and wall time under load
                # mostly measures the others.
                started = time.process_time()
                prepared = [prepare(row) for row in rows]
                elapsed = time.process_time() - started
                top = prepared[0].data["exception"]["values"][0]["stacktrace"]["frames"][0]
                mapped = top.get("data", {}).get("symbolicated", False)
                assert mapped == (release == "shop@1"), top
                return elapsed

            started = time.perf_counter()
            run("shop@1")  # the first events parse the map and fill the cache
            first = time.perf_counter() - started
            # Same frames, no map for shop@2; interleaved rounds, so a load swing on the shared
            # machine hits both sides alike. The median of each.
            rounds = [(run("shop@2"), run("shop@1")) for _ in range(ROUNDS)]
            plain = statistics.median(p for p, _ in rounds)
            mapped = statistics.median(m for _, m in rounds)
            ratios = sorted(m / p for p, m in rounds)
        print(f"sourcemaps bench: {EVENTS} events x {FRAMES} frames; map {len(source_map) / 1e6:.1f} MB, "
              f"bundle {len(minified) / 1e3:.0f} kB ({FUNCTIONS} functions)")
        print(f"  without maps : {plain * 1000 / EVENTS:.2f} ms/event (CPU time, median of {ROUNDS} rounds)")
        print(f"  with maps    : {mapped * 1000 / EVENTS:.2f} ms/event (cached), "
              f"ratio {mapped / plain:.2f}x (per round: {', '.join(f'{r:.2f}' for r in ratios)}); "
              f"first batch incl. parsing {first:.2f} s")
        print(f"  machine      : {platform.machine()}, {os.cpu_count()} cpus, Python {sys.version.split()[0]}, "
              f"{platform.platform()}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
