"""Where uploaded bytes live: the core's blob store (a folder, or an S3-compatible bucket),
under a key per organization and SHA-1, so identical bytes of one organization are stored
once. A ``sourcemaps_blob`` row per blob says what exists, how large it is (the storage
quota) and since when (the cleanup). Rows from before the shared store hold their bytes
in ``data`` and are still read from there.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import delete, func, select

from sentryapi.api import (
    PayloadTooLarge,
    blob_store,
    content_key,
    db,
    delete_after_commit,
    put_content,
    sha1_hex,
)

from .models import ArtifactBundle, Blob, ReleaseFile

__all__ = ["BlobIndex", "blob_key", "blobs", "check_quota", "release_blob_if_unused", "sha1_hex"]

#: Checksums per ``IN`` list.
BATCH = 500


def namespace(organization_id: int) -> str:
    return f"sourcemaps/{organization_id}"


def blob_key(organization_id: int, checksum: str) -> str:
    return content_key(namespace(organization_id), checksum)


class BlobIndex:
    """Bytes by ``(organization_id, sha1)``: rows join the caller's transaction; bytes are
    written at once and deleted after the deleting transaction commits."""

    def put(self, organization_id: int, checksum: str, data: bytes) -> None:
        if checksum not in self.existing(organization_id, [checksum]):
            put_content(namespace(organization_id), data, checksum)
            db.session.add(Blob(organization_id=organization_id, checksum=checksum, size=len(data)))
            db.session.flush()

    def get(self, organization_id: int, checksum: str) -> bytes | None:
        row = db.session.execute(select(Blob.id, Blob.data).where(
            Blob.organization_id == organization_id, Blob.checksum == checksum)).first()
        if row is None:
            return None
        if row.data is not None:
            return bytes(row.data)
        try:
            return blob_store().get(blob_key(organization_id, checksum))
        except KeyError:
            return None

    def existing(self, organization_id: int, checksums: Iterable[str]) -> set[str]:
        wanted = sorted(set(checksums))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH):
            found.update(db.session.scalars(select(Blob.checksum).where(
                Blob.organization_id == organization_id,
                Blob.checksum.in_(wanted[start:start + BATCH]))))
        return found

    def delete(self, organization_id: int, checksums: Iterable[str]) -> None:
        gone = sorted(set(checksums))
        for start in range(0, len(gone), BATCH):
            batch = gone[start:start + BATCH]
            db.session.execute(delete(Blob).where(
                Blob.organization_id == organization_id, Blob.checksum.in_(batch)))
            delete_after_commit([blob_key(organization_id, checksum) for checksum in batch])


def blobs() -> BlobIndex:
    return BlobIndex()


def stored_bytes(organization_id: int) -> int:
    """What the organization's uploads take in the store (chunks, bundles, files)."""
    return db.session.scalar(select(func.coalesce(func.sum(Blob.size), 0)).where(
        Blob.organization_id == organization_id))


def check_quota(organization_id: int, incoming: int) -> None:
    """413 when ``incoming`` more bytes would pass the organization's storage quota."""
    quota = current_app.config["SOURCEMAPS_ORGANIZATION_QUOTA"]
    if not quota or incoming <= 0:
        return
    used = stored_bytes(organization_id)
    if used + incoming > quota:
        raise PayloadTooLarge(
            f"The organization's storage quota for source maps and debug files is used up "
            f"({used} of {quota} bytes stored, {incoming} more sent). Delete old releases or "
            f"files, or ask the operator to raise SENTRYAPI_SOURCEMAPS_ORGANIZATION_QUOTA.")


def release_blob_if_unused(organization_id: int, checksum: str) -> None:
    """Delete the blob ``checksum`` unless a release file or a bundle still holds it."""
    for model in (ReleaseFile, ArtifactBundle):
        if db.session.scalar(select(model.id).where(
                model.organization_id == organization_id, model.checksum == checksum).limit(1)):
            return
    blobs().delete(organization_id, [checksum])
