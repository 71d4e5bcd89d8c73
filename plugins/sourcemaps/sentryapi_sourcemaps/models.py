"""Uploaded files and the indexes the digest looks source maps up by.

Blobs belong to an organization (one tenant never reads, nor learns of, another's chunks)
and are deduplicated by SHA-1 within it. An artifact bundle is a zip sentry-cli assembles
from chunks; it is indexed by the debug ids of its files and by release + dist, and
shared by the projects it was uploaded for, as Sentry indexes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow


class Blob(db.Model):
    """A chunk or an assembled file, by its SHA-1: its bytes are in the core's blob store
    (rows written before it hold them in ``data``, and are read from there)."""

    __tablename__ = "sourcemaps_blob"
    __table_args__ = (UniqueConstraint("organization_id", "checksum"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    checksum: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArtifactBundle(db.Model):
    """An assembled bundle (its zip is the blob ``checksum``)."""

    __tablename__ = "sourcemaps_artifact_bundle"
    __table_args__ = (
        UniqueConstraint("organization_id", "checksum"),
        Index("ix_sourcemaps_artifact_bundle_organization_id_date_added_id",
              "organization_id", "date_added", "id"),
        # The retention cleanup: bundles older than SOURCEMAPS_RETENTION_DAYS.
        Index("ix_sourcemaps_artifact_bundle_date_added", "date_added"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    bundle_id: Mapped[str] = mapped_column(String(36))
    checksum: Mapped[str] = mapped_column(String(40))
    artifact_count: Mapped[int] = mapped_column(Integer)
    date_added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectArtifactBundle(db.Model):
    """A project whose events a bundle serves."""

    __tablename__ = "sourcemaps_project_bundle"
    __table_args__ = (
        UniqueConstraint("project_id", "artifact_bundle_id"),
        Index("ix_sourcemaps_project_bundle_artifact_bundle_id", "artifact_bundle_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    artifact_bundle_id: Mapped[int] = mapped_column(
        ForeignKey("sourcemaps_artifact_bundle.id", ondelete="CASCADE"))


class DebugIdArtifactBundle(db.Model):
    """A debug id (``//# debugId=`` injected by sentry-cli) found in a bundle's file."""

    __tablename__ = "sourcemaps_debug_id_bundle"
    __table_args__ = (
        UniqueConstraint("artifact_bundle_id", "debug_id", "source_file_type"),
        Index("ix_sourcemaps_debug_id_bundle_organization_id_debug_id", "organization_id", "debug_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    debug_id: Mapped[str] = mapped_column(String(36))
    #: ``minified_source`` or ``source_map`` (the manifest's ``type``).
    source_file_type: Mapped[str] = mapped_column(String(32))
    artifact_bundle_id: Mapped[int] = mapped_column(
        ForeignKey("sourcemaps_artifact_bundle.id", ondelete="CASCADE"))


class ReleaseArtifactBundle(db.Model):
    """A bundle uploaded for a release (and dist): found by the event's release and URL."""

    __tablename__ = "sourcemaps_release_bundle"
    __table_args__ = (
        UniqueConstraint("organization_id", "release_name", "dist_name", "artifact_bundle_id"),
        Index("ix_sourcemaps_release_bundle_artifact_bundle_id", "artifact_bundle_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    release_name: Mapped[str] = mapped_column(String(250))
    #: ``""`` when no dist was given (as Sentry keeps it).
    dist_name: Mapped[str] = mapped_column(String(64), default="")
    artifact_bundle_id: Mapped[int] = mapped_column(
        ForeignKey("sourcemaps_artifact_bundle.id", ondelete="CASCADE"))


MODELS = (Blob, ArtifactBundle, ProjectArtifactBundle, DebugIdArtifactBundle, ReleaseArtifactBundle)


class ReleaseFile(db.Model):
    """A file uploaded to a release the legacy way (``/releases/{version}/files/``): its
    bytes are the blob ``checksum``; it goes with the release."""

    __tablename__ = "sourcemaps_release_file"
    __table_args__ = (
        UniqueConstraint("release_id", "dist_name", "name"),
        Index("ix_sourcemaps_release_file_release_id_name_id", "release_id", "name", "id"),
        Index("ix_sourcemaps_release_file_organization_id_checksum", "organization_id", "checksum"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id", ondelete="CASCADE"))
    dist_name: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(512))
    checksum: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


MODELS = (*MODELS, ReleaseFile)


class DebugFile(db.Model):
    """A native debug information file (ELF, Mach-O, PE/PDB, Breakpad...) of a project,
    uploaded by ``sentry-cli debug-files upload``; its bytes are the blob ``checksum``."""

    __tablename__ = "sourcemaps_debug_file"
    __table_args__ = (
        UniqueConstraint("project_id", "checksum", "debug_id"),
        Index("ix_sourcemaps_debug_file_project_id_date_created_id", "project_id", "date_created", "id"),
        Index("ix_sourcemaps_debug_file_project_id_debug_id", "project_id", "debug_id"),
        # The retention cleanup: files older than SOURCEMAPS_RETENTION_DAYS.
        Index("ix_sourcemaps_debug_file_date_created", "date_created"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    checksum: Mapped[str] = mapped_column(String(40))
    debug_id: Mapped[str] = mapped_column(String(64))
    code_id: Mapped[str | None] = mapped_column(String(64))
    object_name: Mapped[str] = mapped_column(String(512))
    cpu_name: Mapped[str] = mapped_column(String(32))
    file_format: Mapped[str] = mapped_column(String(32))
    #: ``{"type": "dbg"|"exe"|"lib"..., "features": ["debug", "symtab", "unwind", ...]}``
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    size: Mapped[int] = mapped_column(Integer)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


MODELS = (*MODELS, DebugFile)
