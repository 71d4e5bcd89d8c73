"""Why an event's frames were (or were not) mapped: Sentry's ``source-map-debug`` answer.

For each frame of each exception (as the SDK sent it): whether bundles with its debug id
were uploaded (the source and the map), and, for an event with a release, which file names
were tried in the release's bundles and files, whether the source file and its map were
found, found only for another dist, or not at all. This server never fetches sources from
the web, so there is no scraping data.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

from sentryapi_releases import Release
from sqlalchemy import exists, select

from sentryapi.api import db

from .bundles import normalize_debug_id
from .lookup import MAX_RELEASE_BUNDLES, open_bundle, url_candidates
from .models import (
    ArtifactBundle,
    DebugIdArtifactBundle,
    ProjectArtifactBundle,
    ReleaseArtifactBundle,
    ReleaseFile,
)

#: The first JavaScript SDK that sends debug ids (``debug_meta`` images of type ``sourcemap``).
MIN_DEBUG_ID_SDK_VERSION = "7.56.0"
JS_SDK_PREFIX = "sentry.javascript."
FOUND, WRONG_DIST, UNSUCCESSFUL = "found", "wrong-dist", "unsuccessful"
#: Frames explained per exception (Sentry's own stack traces are bounded alike).
MAX_FRAMES = 250

#: ``(dist, find)``: where files of the release may be; ``find(name)`` answers the file's
#: headers, or ``None`` when it has no file by that name.
Source = tuple[str, Callable[[str], dict | None]]


def debug_ids_of(data: dict) -> dict[str, str]:
    """``{code_file: debug_id}`` of the event's ``debug_meta`` images of type ``sourcemap``."""
    meta = data.get("debug_meta")
    images = meta.get("images") if isinstance(meta, dict) else None
    found = {}
    for image in images if isinstance(images, list) else []:
        if isinstance(image, dict) and image.get("type") == "sourcemap":
            debug_id = normalize_debug_id(image.get("debug_id"))
            if debug_id and isinstance(image.get("code_file"), str):
                found[image["code_file"]] = debug_id
    return found


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("-", 1)[0].split(".")[:3]:
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


def sdk_support(sdk: dict) -> tuple[str, str | None]:
    """``(sdk_debug_id_support, min_debug_id_sdk_version)`` for the event's SDK."""
    name, version = str(sdk.get("name") or ""), str(sdk.get("version") or "")
    if not name.startswith(JS_SDK_PREFIX):
        return "unofficial-sdk", None
    if _version(version) >= _version(MIN_DEBUG_ID_SDK_VERSION):
        return "full", MIN_DEBUG_ID_SDK_VERSION
    return "needs-upgrade", MIN_DEBUG_ID_SDK_VERSION


class Explainer:
    """Looks for one event's files the way the digest does, and says what it found."""

    def __init__(self, project, data: dict):
        self.project = project
        self.organization_id = project.organization_id
        self.release = data.get("release")
        self.dist = data.get("dist") or ""
        self.debug_ids = debug_ids_of(data)
        self._uploaded = self._debug_id_files()
        self._sources: list[Source] | None = None

    def _project_bundles(self):
        return select(ProjectArtifactBundle.artifact_bundle_id).where(
            ProjectArtifactBundle.project_id == self.project.id)

    def _debug_id_files(self) -> set[tuple[str, str]]:
        """``(debug_id, file type)`` of the event's debug ids found in the project's bundles."""
        wanted = sorted(set(self.debug_ids.values()))[:100]
        if not wanted:
            return set()
        rows = db.session.execute(select(DebugIdArtifactBundle.debug_id,
                                         DebugIdArtifactBundle.source_file_type).where(
            DebugIdArtifactBundle.organization_id == self.organization_id,
            DebugIdArtifactBundle.debug_id.in_(wanted),
            DebugIdArtifactBundle.artifact_bundle_id.in_(self._project_bundles())))
        return {(row.debug_id, row.source_file_type) for row in rows}

    def sources(self) -> list[Source]:
        """The release's bundles and files in any dist, the event's dist first."""
        if self._sources is None:
            self._sources = [] if not self.release else self._release_sources()
        return self._sources

    def _release_sources(self) -> list[Source]:
        rows = db.session.execute(
            select(ArtifactBundle, ReleaseArtifactBundle.dist_name)
            .join(ReleaseArtifactBundle, ReleaseArtifactBundle.artifact_bundle_id == ArtifactBundle.id)
            .where(ReleaseArtifactBundle.organization_id == self.organization_id,
                   ReleaseArtifactBundle.release_name == self.release,
                   ArtifactBundle.id.in_(self._project_bundles()))
            .order_by(ArtifactBundle.date_added.desc(), ArtifactBundle.id.desc())
            .limit(MAX_RELEASE_BUNDLES)).all()
        sources: list[Source] = []
        for bundle, dist in rows:
            opened = open_bundle(bundle)
            if opened is not None:
                sources.append((dist, lambda name, opened=opened: (
                    file.headers if (file := opened.by_url(name)) is not None else None)))
        files = db.session.execute(
            select(ReleaseFile.name, ReleaseFile.dist_name, ReleaseFile.headers)
            .join(Release, Release.id == ReleaseFile.release_id)
            .where(Release.organization_id == self.organization_id, Release.version == self.release)
            .limit(10_000)).all()
        by_dist: dict[str, dict[str, dict]] = {}
        for row in files:
            by_dist.setdefault(row.dist_name, {})[row.name] = {
                str(k).lower(): v for k, v in (row.headers or {}).items()}
        sources += [(dist, named.get) for dist, named in by_dist.items()]
        return sorted(sources, key=lambda source: source[0] != self.dist)

    def _lookup(self, names: list[str]) -> tuple[str, str | None, dict | None]:
        """``(result, name, headers)`` of the first of ``names`` the release has a file for."""
        other = None
        for dist, find in self.sources():
            for name in names:
                headers = find(name)
                if headers is None:
                    continue
                if dist == self.dist:
                    return FOUND, name, headers
                other = other or (name, headers)
        return (WRONG_DIST, *other) if other else (UNSUCCESSFUL, None, None)

    def release_process(self, abs_path: str) -> dict | None:
        if not self.release:
            return None
        names = url_candidates(abs_path)
        file_result, file_name, headers = self._lookup(names)
        reference = None
        if headers is not None:
            reference = headers.get("sourcemap") or headers.get("x-sourcemap")
        if reference and file_name:
            map_names = [urljoin(file_name, reference)]
        else:
            map_names = [name + ".map" for name in ([file_name] if file_name else names)]
        map_result, map_name, _ = self._lookup(map_names)
        if map_name is None and reference:
            map_name = map_names[0]  # the name the reference points to, though nothing has it
        return {"abs_path": abs_path, "matching_source_file_names": names,
                "matching_source_map_name": map_name, "source_map_reference": reference,
                "source_file_lookup_result": file_result, "source_map_lookup_result": map_result}

    def frame(self, frame: dict) -> dict:
        abs_path = frame.get("abs_path") if isinstance(frame.get("abs_path"), str) else ""
        debug_id = self.debug_ids.get(abs_path)
        return {
            "debug_id_process": {
                "debug_id": debug_id,
                "uploaded_source_file_with_correct_debug_id": (debug_id, "minified_source") in self._uploaded,
                "uploaded_source_map_with_correct_debug_id": (debug_id, "source_map") in self._uploaded,
            },
            "release_process": self.release_process(abs_path),
            "scraping_process": {"source_file": None, "source_map": None},
        }

    def release_has_some_artifact(self) -> bool:
        return bool(self.release) and bool(self.sources())

    def project_has(self, condition=None) -> bool:
        stmt = select(ProjectArtifactBundle.id).where(ProjectArtifactBundle.project_id == self.project.id)
        if condition is not None:
            stmt = stmt.where(condition)
        return db.session.scalar(stmt.limit(1)) is not None


def _frames(exception: dict) -> list[dict]:
    """The frames as the SDK sent them (the raw ones, once the digest mapped them)."""
    stacktrace = exception.get("raw_stacktrace") or exception.get("stacktrace") or {}
    frames = stacktrace.get("frames") if isinstance(stacktrace, dict) else None
    return [f for f in frames if isinstance(f, dict)][:MAX_FRAMES] if isinstance(frames, list) else []


def explain_event(project, data: dict) -> dict:
    """Sentry's ``source-map-debug`` answer for the stored event ``data`` of ``project``."""
    explainer = Explainer(project, data)
    values = (data.get("exception") or {}).get("values") or []
    sdk = data.get("sdk") if isinstance(data.get("sdk"), dict) else {}
    support, min_version = sdk_support(sdk)
    with_debug_id = exists().where(
        DebugIdArtifactBundle.artifact_bundle_id == ProjectArtifactBundle.artifact_bundle_id)
    return {
        "dist": data.get("dist"),
        "release": data.get("release"),
        "exceptions": [{"frames": [explainer.frame(f) for f in _frames(exc)]}
                       for exc in values if isinstance(exc, dict)],
        "has_debug_ids": bool(explainer.debug_ids),
        "min_debug_id_sdk_version": min_version,
        "sdk_version": sdk.get("version"),
        "project_has_some_artifact_bundle": explainer.project_has(),
        "release_has_some_artifact": explainer.release_has_some_artifact(),
        "has_uploaded_some_artifact_with_a_debug_id": explainer.project_has(with_debug_id),
        "sdk_debug_id_support": support,
        "has_scraping_data": False,
    }
