"""Removing what nothing uses any more (the ``cleanup_expired`` hook): blobs no bundle,
release file or debug file holds (the files of a deleted release, chunks never
assembled), once they are a day old (chunks wait that long for their assembly)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, delete, exists, func, select

from sentryapi.api import db

from .models import ArtifactBundle, Blob, DebugFile, ReleaseFile

UNUSED_FOR = dt.timedelta(days=1)
BATCH = 500


def _orphans(cutoff: dt.datetime):
    held = [exists().where(and_(model.organization_id == Blob.organization_id, model.checksum == Blob.checksum))
            for model in (ArtifactBundle, ReleaseFile, DebugFile)]
    return select(Blob.id).where(Blob.date_created < cutoff, *(~h for h in held))


def cleanup_expired(now, dry_run, progress) -> dict:
    cutoff = now - UNUSED_FOR
    if dry_run:
        count = db.session.scalar(select(func.count()).select_from(_orphans(cutoff).subquery()))
        db.session.rollback()
        return {"sourcemap_blobs": count}
    total = 0
    while True:
        ids = list(db.session.scalars(_orphans(cutoff).limit(BATCH)))
        if not ids:
            break
        db.session.execute(delete(Blob).where(Blob.id.in_(ids)))
        db.session.commit()
        total += len(ids)
        progress(len(ids))
    return {"sourcemap_blobs": total}
