"""Assembling an artifact bundle from its chunks, and indexing it.

Sentry answers the state of an assembly (``not_found`` with the ``missingChunks`` the
CLI must upload first, ``ok``, or ``error`` with a ``detail``). Here the assembly is done
within the request, so a client never has to poll: the answer is ``ok`` or ``error``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from sentryapi.api import db, utcnow

from .blobs import blobs, sha1_hex
from .bundles import Bundle, InvalidBundle
from .models import (
    ArtifactBundle,
    DebugIdArtifactBundle,
    ProjectArtifactBundle,
    ReleaseArtifactBundle,
)

NOT_FOUND = "not_found"
CREATED = "created"
ASSEMBLING = "assembling"
OK = "ok"
ERROR = "error"


def state(name: str, missing=(), detail: str | None = None) -> dict:
    return {"state": name, "missingChunks": list(missing), "detail": detail}


def assemble_bundle(organization_id: int, checksum: str, chunks: list[str], project_ids: list[int],
                    release: str | None, dist: str | None) -> dict:
    """Assemble (or find) the bundle ``checksum``, index it; the state to answer."""
    store = blobs()
    bundle = db.session.scalar(select(ArtifactBundle).where(
        ArtifactBundle.organization_id == organization_id, ArtifactBundle.checksum == checksum))
    if bundle is None:
        stored = store.existing(organization_id, chunks)
        missing = [c for c in dict.fromkeys(chunks) if c not in stored]
        if missing:
            return state(NOT_FOUND, missing)
        data, error = join_chunks(store, organization_id, chunks, checksum)
        if error:
            return state(ERROR, detail=error)
        try:
            parsed = Bundle(data)
        except InvalidBundle as invalid:
            return state(ERROR, detail=str(invalid))
        bundle = _store_bundle(store, organization_id, checksum, data, parsed)
        store.delete(organization_id, set(chunks) - {checksum})
    else:
        bundle.date_added = utcnow()  # uploaded again: its retention starts over
    _link(bundle, project_ids, release, dist)
    db.session.commit()
    return state(OK)


def join_chunks(store, organization_id: int, chunks: list[str], checksum: str) -> tuple[bytes, str | None]:
    limit = current_app.config["SOURCEMAPS_MAX_FILE_SIZE"]
    parts, size = [], 0
    for chunk in chunks:
        part = store.get(organization_id, chunk) or b""
        size += len(part)
        if size > limit:
            return b"", "File exceeds the maximum file size."
        parts.append(part)
    data = b"".join(parts)
    if sha1_hex(data) != checksum:
        return b"", "Reported checksum mismatch."
    return data, None


def _store_bundle(store, organization_id: int, checksum: str, data: bytes, parsed: Bundle) -> ArtifactBundle:
    store.put(organization_id, checksum, data)
    bundle = ArtifactBundle(organization_id=organization_id, checksum=checksum,
                            bundle_id=parsed.bundle_id, artifact_count=len(parsed.files))
    db.session.add(bundle)
    db.session.flush()
    seen = set()
    for file in parsed.files:
        if file.debug_id and (file.debug_id, file.type) not in seen:
            seen.add((file.debug_id, file.type))
            db.session.add(DebugIdArtifactBundle(organization_id=organization_id, debug_id=file.debug_id,
                                                 source_file_type=file.type, artifact_bundle_id=bundle.id))
    return bundle


def _link(bundle: ArtifactBundle, project_ids: list[int], release: str | None, dist: str | None) -> None:
    """Give the bundle to these projects, and to the release (and dist) if one is named."""
    linked = set(db.session.scalars(select(ProjectArtifactBundle.project_id).where(
        ProjectArtifactBundle.artifact_bundle_id == bundle.id)))
    for project_id in set(project_ids) - linked:
        db.session.add(ProjectArtifactBundle(project_id=project_id, artifact_bundle_id=bundle.id))
    if release:
        exists = db.session.scalar(select(ReleaseArtifactBundle.id).where(
            ReleaseArtifactBundle.organization_id == bundle.organization_id,
            ReleaseArtifactBundle.release_name == release,
            ReleaseArtifactBundle.dist_name == (dist or ""),
            ReleaseArtifactBundle.artifact_bundle_id == bundle.id))
        if exists is None:
            db.session.add(ReleaseArtifactBundle(organization_id=bundle.organization_id, release_name=release,
                                                 dist_name=dist or "", artifact_bundle_id=bundle.id))
