"""Removing what is no longer wanted.

- ``release_deleted``: a release's bundles go with it (unless another release still has
  them); its release files cascade from the release row.
- ``cleanup_expired`` (hourly): artifact bundles and debug files older than
  ``SOURCEMAPS_RETENTION_DAYS`` (a bundle uploaded again starts over), then blobs nothing
  holds any more (those files' bytes, chunks never assembled) once they are a day old
  (chunks wait that long for their assembly).
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import and_, delete, exists, func, select

from sentryapi.api import db, delete_after_commit

from .blobs import blob_key
from .models import (
    ArtifactBundle,
    Blob,
    DebugFile,
    DebugIdArtifactBundle,
    ProjectArtifactBundle,
    ReleaseArtifactBundle,
    ReleaseFile,
)

UNUSED_FOR = dt.timedelta(days=1)
BATCH = 500


def delete_bundles(ids: list[int]) -> None:
    """Delete these bundles and their index rows (their blobs go with the next cleanup)."""
    for model, column in ((DebugIdArtifactBundle, DebugIdArtifactBundle.artifact_bundle_id),
                          (ProjectArtifactBundle, ProjectArtifactBundle.artifact_bundle_id),
                          (ReleaseArtifactBundle, ReleaseArtifactBundle.artifact_bundle_id),
                          (ArtifactBundle, ArtifactBundle.id)):
        db.session.execute(delete(model).where(column.in_(ids)).execution_options(synchronize_session=False))


def release_deleted(release) -> None:
    """Drop the release's bundles: those no other release has (no commit)."""
    mine = select(ReleaseArtifactBundle.artifact_bundle_id).where(
        ReleaseArtifactBundle.organization_id == release.organization_id,
        ReleaseArtifactBundle.release_name == release.version)
    ids = list(db.session.scalars(mine))
    db.session.execute(delete(ReleaseArtifactBundle).where(
        ReleaseArtifactBundle.organization_id == release.organization_id,
        ReleaseArtifactBundle.release_name == release.version))
    if not ids:
        return
    shared = set(db.session.scalars(select(ReleaseArtifactBundle.artifact_bundle_id).where(
        ReleaseArtifactBundle.artifact_bundle_id.in_(ids))))
    gone = [i for i in ids if i not in shared]
    for start in range(0, len(gone), BATCH):
        delete_bundles(gone[start:start + BATCH])


def _orphans(cutoff: dt.datetime):
    held = [exists().where(and_(model.organization_id == Blob.organization_id, model.checksum == Blob.checksum))
            for model in (ArtifactBundle, ReleaseFile, DebugFile)]
    return select(Blob.id, Blob.organization_id, Blob.checksum).where(Blob.date_created < cutoff, *(~h for h in held))


def _expired(now: dt.datetime):
    """Selects of the ids of expired bundles and debug files (none when kept forever)."""
    days = current_app.config["SOURCEMAPS_RETENTION_DAYS"]
    if not days:
        return []
    cutoff = now - dt.timedelta(days=days)
    return [(ArtifactBundle, select(ArtifactBundle.id).where(ArtifactBundle.date_added < cutoff)),
            (DebugFile, select(DebugFile.id).where(DebugFile.date_created < cutoff))]


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def cleanup_expired(now, dry_run, progress) -> dict:
    cutoff = now - UNUSED_FOR
    expired = _expired(now)
    if dry_run:
        counts = {"sourcemap_blobs": _count(_orphans(cutoff))}
        counts.update({f"sourcemap_{model.__tablename__.split('_', 1)[1]}s": _count(stmt)
                       for model, stmt in expired})
        db.session.rollback()
        return counts
    totals = {"sourcemap_blobs": 0}
    for model, stmt in expired:
        name = f"sourcemap_{model.__tablename__.split('_', 1)[1]}s"
        totals[name] = 0
        while ids := list(db.session.scalars(stmt.limit(BATCH))):
            if model is ArtifactBundle:
                delete_bundles(ids)
            else:
                db.session.execute(delete(model).where(model.id.in_(ids)))
            db.session.commit()
            totals[name] += len(ids)
            progress(len(ids))
    # The blobs of the files just deleted are as old as their files: they go in this run.
    while rows := db.session.execute(_orphans(cutoff).limit(BATCH)).all():
        db.session.execute(delete(Blob).where(Blob.id.in_([row.id for row in rows])))
        delete_after_commit([blob_key(row.organization_id, row.checksum) for row in rows])
        db.session.commit()
        totals["sourcemap_blobs"] += len(rows)
        progress(len(rows))
    return totals
