"""Probes and fixtures for tests of the sourcemaps plugin; never imported by the server."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

from sentryapi_projects.testing import PROJECT
from sentryapi_releases.testing import RELEASE
from werkzeug.datastructures import MultiDict

from sentryapi.testing import Multipart, probe, unique

from .blobs import sha1_hex

ASSEMBLE = "/api/0/organizations/<organization_id_or_slug>/artifactbundle/assemble/"
EMPTY_SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"


@probe(ASSEMBLE, bodies={"POST": lambda ctx: {
    "checksum": EMPTY_SHA1, "chunks": [EMPTY_SHA1],
    "projects": [ctx.need(PROJECT)["project_id_or_slug"]]}})
def assemble(ctx):
    return {}


@probe("/api/0/organizations/<organization_id_or_slug>/chunk-upload/", bodies={"POST": Multipart(
    {"file": (EMPTY_SHA1, b"")})})
def chunk_upload(ctx):
    return {}


def make_bundle(files: dict[str, tuple[str, str, dict, bytes]], **manifest) -> bytes:
    """An artifact bundle as sentry-cli zips it: ``{path: (url, type, headers, content)}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = {}
        for path, (url, file_type, headers, content) in files.items():
            archive.writestr(path, content)
            entries[path] = {"url": url, "type": file_type, "headers": headers}
        archive.writestr("manifest.json", json.dumps({**manifest, "files": entries}))
    return buffer.getvalue()


class Uploader:
    def __init__(self, api, org):
        self.api, self.org = api, org

    @property
    def chunk_url(self) -> str:
        return f"/api/0/organizations/{self.org}/chunk-upload/"

    def post_chunks(self, parts: list[tuple[str, bytes, str]]):
        """``parts``: ``(field, content, file name)``, as sentry-cli's multipart form."""
        form = MultiDict([(field, (io.BytesIO(content), name)) for field, content, name in parts])
        return self.api.post(self.chunk_url, data=form, content_type="multipart/form-data")

    def upload(self, data: bytes, size: int = 1024) -> list[str]:
        chunks = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        checksums = [sha1_hex(c) for c in chunks]
        sent = self.post_chunks([("file_gzip", gzip.compress(c), s) for c, s in zip(chunks, checksums, strict=True)])
        assert sent.status_code == 200, sent.json
        return checksums

    def assemble(self, data: bytes, chunks: list[str], projects: list[str], **extra):
        return self.api.post(f"/api/0/organizations/{self.org}/artifactbundle/assemble/", json={
            "checksum": sha1_hex(data), "chunks": chunks, "projects": projects, **extra})


ORGANIZATION_FILES = "/api/0/organizations/<organization_id_or_slug>/releases/<path:version>/files/"
PROJECT_FILES = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/releases/<path:version>/files/"


def upload_release_file(api, url: str, name: str, content: bytes, **form):
    """POST a release file as ``sentry-cli releases files upload`` and curl ``-F`` do."""
    body = MultiDict([("file", (io.BytesIO(content), name.rsplit("/", 1)[-1])), ("name", name)])
    for key, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            body.add(key, item)
    return api.post(url, data=body, content_type="multipart/form-data")


def _new_file(ctx) -> Multipart:
    return Multipart({"file": ("app.js", b"probe()"), "name": unique("~/static/new") + ".js"})


@probe(ORGANIZATION_FILES, bodies={"POST": _new_file})
@probe(PROJECT_FILES, bodies={"POST": _new_file})
def release_files(ctx):
    return ctx.need(RELEASE)


@probe(ORGANIZATION_FILES + "<file_id>/", bodies={"PUT": lambda ctx: {"name": unique("~/renamed")}})
@probe(PROJECT_FILES + "<file_id>/", bodies={"PUT": lambda ctx: {"name": unique("~/renamed")}})
def release_file(ctx):
    args = ctx.need(RELEASE)
    made = upload_release_file(ctx.api, f"/api/0/organizations/{ctx.org}/releases/{args['version']}/files/",
                               unique("~/static/probe") + ".js", b"probe()")
    assert made.status_code == 201, made.json
    return {**args, "file_id": made.json["id"]}


def minified_frame(file: str, function: str, colno: int) -> dict:
    url = f"https://shop.example.com/static/{file}?v=3"
    return {"abs_path": url, "filename": url, "function": function, "lineno": 1, "colno": colno}


DSYMS = "/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/files/dsyms/"


@probe(DSYMS)
@probe(DSYMS.replace("dsyms/", "difs/assemble/"), bodies={"POST": {EMPTY_SHA1: {"name": "app", "chunks": []}}})
def debug_files(ctx):
    return ctx.need(PROJECT)


@probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/source-map-debug/")
def source_map_debug(ctx):
    """An event of the project, digested (the events plugin's probe makes it)."""
    return ctx.need("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/events/<event_id>/")
