"""Finding the source map of a minified file: by debug id, else by release + dist + URL.

Each step is one indexed query (bundles of the project by debug id, or by release and
dist, newest first and bounded); bundles, maps and sources are parsed once per process
(``cache.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flask import current_app
from sentryapi_releases import Release
from sqlalchemy import select
from symbolic.sourcemap import SourceMapView, SourceView

from sentryapi.api import db

from .blobs import blobs
from .bundles import Bundle, BundleFile, InvalidBundle
from .cache import process_cache
from .models import (
    ArtifactBundle,
    DebugIdArtifactBundle,
    ProjectArtifactBundle,
    ReleaseArtifactBundle,
    ReleaseFile,
)

#: Release bundles searched for one event (the newest first).
MAX_RELEASE_BUNDLES = 20
MAX_MAP_SIZE = 64 * 1024 * 1024


def source_lines(found: Found, src_id: int) -> list[str] | None:
    """An original source's lines (from the map's ``sourcesContent``), split once per process."""
    def make():
        view = found.map.get_sourceview(src_id)
        text = view.get_source() if view is not None else None
        return (text.splitlines() if text is not None else None), len(text or "")
    return _cache().get_or_make(("lines", *found.key, src_id), make)


class BrokenMap(Exception):
    """The map exists but cannot be parsed (``js_invalid_source``): its URL, and why."""

    def __init__(self, url: str, reason: str = "The source map could not be read."):
        super().__init__(url)
        self.url, self.reason = url, reason

    @classmethod
    def because(cls, url: str, error: Exception) -> BrokenMap:
        return cls(url, (str(error) or error.__class__.__name__)[:200])


@dataclass
class Found:
    map: SourceMapView
    map_url: str
    minified: SourceView | None
    resolved_with: str
    #: The map's cache key (what its derived data, e.g. source lines, is cached under).
    key: tuple = ()


def url_candidates(abs_path: str) -> list[str]:
    """The URLs a bundle may name a file by: as is, without query, and the ``~/`` form."""
    parts = urlsplit(abs_path)
    bare = abs_path.split("#", 1)[0]
    out = [abs_path, bare, bare.split("?", 1)[0]]
    if parts.scheme and parts.path:
        tilde = "~" + parts.path
        out += [tilde + (f"?{parts.query}" if parts.query else ""), tilde]
    return list(dict.fromkeys(out))


def _cache():
    return process_cache(current_app.config["SOURCEMAPS_MAP_CACHE_SIZE"])


def open_bundle(bundle: ArtifactBundle) -> Bundle | None:
    def make():
        data = blobs().get(bundle.organization_id, bundle.checksum)
        try:
            return (Bundle(data) if data else None), len(data or b"")
        except InvalidBundle:
            return None, 0
    return _cache().get_or_make(("bundle", bundle.organization_id, bundle.checksum), make)


def _parsed_map(bundle: ArtifactBundle, opened: Bundle, file: BundleFile) -> SourceMapView:
    def make():
        data = opened.read(file, MAX_MAP_SIZE)
        if data is None:
            raise BrokenMap(file.url, "The source map is missing from its bundle or too large.")
        try:
            return SourceMapView.from_json_bytes(data), len(data) * 2
        except Exception as error:  # noqa: BLE001 - symbolic raises its own family per problem
            raise BrokenMap.because(file.url, error) from error
    return _cache().get_or_make(("map", bundle.organization_id, bundle.checksum, file.path), make)


def _source(bundle: ArtifactBundle, opened: Bundle, file: BundleFile | None) -> SourceView | None:
    if file is None:
        return None

    def make():
        data = opened.read(file, MAX_MAP_SIZE)
        return (SourceView.from_bytes(data) if data is not None else None), len(data or b"")
    return _cache().get_or_make(("source", bundle.organization_id, bundle.checksum, file.path), make)


def _file_bytes(file: ReleaseFile) -> bytes | None:
    if file.size > MAX_MAP_SIZE:
        return None
    return blobs().get(file.organization_id, file.checksum)


def _file_map(file: ReleaseFile) -> SourceMapView:
    def make():
        data = _file_bytes(file)
        if data is None:
            raise BrokenMap(file.name, "The source map is larger than the digest reads.")
        try:
            return SourceMapView.from_json_bytes(data), len(data) * 2
        except Exception as error:  # noqa: BLE001 - symbolic raises its own family per problem
            raise BrokenMap.because(file.name, error) from error
    return _cache().get_or_make(("file-map", file.organization_id, file.checksum), make)


def _file_source(file: ReleaseFile | None) -> SourceView | None:
    if file is None:
        return None

    def make():
        data = _file_bytes(file)
        return (SourceView.from_bytes(data) if data is not None else None), len(data or b"")
    return _cache().get_or_make(("file-source", file.organization_id, file.checksum), make)


def _sourcemap_header(headers: dict) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() in ("sourcemap", "x-sourcemap") and isinstance(value, str):
            return value
    return None


class Resolver:
    """Source maps for one event's frames: bundles looked up once per event."""

    def __init__(self, organization_id: int, project_id: int, release: str | None, dist: str | None):
        self.organization_id = organization_id
        self.project_id = project_id
        self.release = release
        self.dist = dist or ""
        self._release_bundles: list[ArtifactBundle] | None = None
        self._debug_bundles: dict[str, ArtifactBundle | None] = {}
        self._has_release_files: bool | None = None
        self._found: dict[tuple, Found | BrokenMap | None] = {}

    def _project_bundles(self):
        return (select(ArtifactBundle)
                .join(ProjectArtifactBundle, ProjectArtifactBundle.artifact_bundle_id == ArtifactBundle.id)
                .where(ProjectArtifactBundle.project_id == self.project_id,
                       ArtifactBundle.organization_id == self.organization_id))

    def release_bundles(self) -> list[ArtifactBundle]:
        if self._release_bundles is None:
            self._release_bundles = [] if not self.release else list(db.session.scalars(
                self._project_bundles()
                .join(ReleaseArtifactBundle, ReleaseArtifactBundle.artifact_bundle_id == ArtifactBundle.id)
                .where(ReleaseArtifactBundle.organization_id == self.organization_id,
                       ReleaseArtifactBundle.release_name == self.release,
                       ReleaseArtifactBundle.dist_name == self.dist)
                .order_by(ArtifactBundle.date_added.desc(), ArtifactBundle.id.desc())
                .limit(MAX_RELEASE_BUNDLES)))
        return self._release_bundles

    def release_files(self, names: list[str]) -> dict[str, ReleaseFile]:
        """The release's files (in the event's dist) named by one of ``names``: one query."""
        if not self.release or not names:
            return {}
        rows = db.session.scalars(
            select(ReleaseFile).join(Release, Release.id == ReleaseFile.release_id)
            .where(Release.organization_id == self.organization_id, Release.version == self.release,
                   ReleaseFile.dist_name == self.dist, ReleaseFile.name.in_(names[:50])))
        return {row.name: row for row in rows}

    def has_release_artifacts(self) -> bool:
        """Whether anything was uploaded for the event's release (else nothing is missing)."""
        return bool(self.release_bundles()) or self.has_release_files()

    def has_release_files(self) -> bool:
        """Whether the release has legacy files (one query per event, not one per frame)."""
        if self._has_release_files is None:
            self._has_release_files = bool(self.release) and db.session.scalar(
                select(ReleaseFile.id).join(Release, Release.id == ReleaseFile.release_id)
                .where(Release.organization_id == self.organization_id,
                       Release.version == self.release, ReleaseFile.dist_name == self.dist)
                .limit(1)) is not None
        return self._has_release_files

    def debug_id_bundle(self, debug_id: str) -> ArtifactBundle | None:
        if debug_id not in self._debug_bundles:
            self._debug_bundles[debug_id] = db.session.scalar(
                self._project_bundles()
                .join(DebugIdArtifactBundle, DebugIdArtifactBundle.artifact_bundle_id == ArtifactBundle.id)
                .where(DebugIdArtifactBundle.organization_id == self.organization_id,
                       DebugIdArtifactBundle.debug_id == debug_id,
                       DebugIdArtifactBundle.source_file_type == "source_map")
                .order_by(ArtifactBundle.date_added.desc(), ArtifactBundle.id.desc()).limit(1))
        return self._debug_bundles[debug_id]

    def find(self, abs_path: str, debug_id: str | None) -> Found | None:
        """The map for a minified file, or ``None``; raises :class:`BrokenMap`. Frames of
        one file share the answer (a stack trace names few files, many times)."""
        key = (abs_path, debug_id)
        if key not in self._found:
            try:
                self._found[key] = self._find(abs_path, debug_id)
            except BrokenMap as broken:
                self._found[key] = broken
        found = self._found[key]
        if isinstance(found, BrokenMap):
            raise found
        return found

    def _find(self, abs_path: str, debug_id: str | None) -> Found | None:
        if debug_id:
            bundle = self.debug_id_bundle(debug_id)
            opened = open_bundle(bundle) if bundle else None
            file = opened.by_debug_id(debug_id, "source_map") if opened else None
            if file is not None:
                minified = opened.by_debug_id(debug_id, "minified_source")
                return Found(_parsed_map(bundle, opened, file), file.url,
                             _source(bundle, opened, minified), "debug-id",
                             (bundle.organization_id, bundle.checksum, file.path))
        for bundle in self.release_bundles():
            opened = open_bundle(bundle)
            if opened is None:
                continue
            for url in url_candidates(abs_path):
                minified = opened.by_url(url)
                reference = None
                if minified is not None:
                    reference = minified.headers.get("sourcemap") or minified.headers.get("x-sourcemap")
                map_file = opened.by_url(urljoin(url, reference)) if reference else None
                map_file = map_file or opened.by_url(url + ".map")
                if map_file is not None:
                    return Found(_parsed_map(bundle, opened, map_file), map_file.url,
                                 _source(bundle, opened, minified), "release",
                                 (bundle.organization_id, bundle.checksum, map_file.path))
        return self._from_release_files(abs_path)

    def _from_release_files(self, abs_path: str) -> Found | None:
        """The legacy way: files uploaded one by one to the release, named by URL."""
        if not self.has_release_files():
            return None
        candidates = url_candidates(abs_path)
        files = self.release_files(candidates + [url + ".map" for url in candidates])
        for url in candidates:
            minified = files.get(url)
            reference = _sourcemap_header(minified.headers) if minified else None
            map_name = urljoin(url, reference) if reference else url + ".map"
            map_file = files.get(map_name) or (self.release_files([map_name]).get(map_name)
                                               if reference else None)
            if map_file is not None:
                return Found(_file_map(map_file), map_file.name, _file_source(minified), "release",
                             (map_file.organization_id, map_file.checksum))
        return None
