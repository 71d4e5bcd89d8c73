"""The legacy release files API (``/releases/{version}/files/``), for older clients and
scripts: files uploaded one by one to a release (and dist), found by their name (URL)."""

from __future__ import annotations

from flask import current_app, request
from sentryapi_releases import Release, ReleaseProject
from sqlalchemy import func, or_, select

from sentryapi.api import (
    STRING,
    NotFound,
    Ordering,
    ParseError,
    UnsupportedMediaType,
    ValidationFailed,
    commit_or_conflict,
    db,
    parse_id,
)

from .blobs import blobs, check_quota, release_blob_if_unused, sha1_hex
from .models import ReleaseFile

BY_NAME = Ordering(ReleaseFile.name, ReleaseFile.id, descending=False, kind=STRING)
MAX_NAME = 512
EXISTS = "A file matching this name already exists for the given release"


def serialize_file(file: ReleaseFile) -> dict:
    return {"id": str(file.id), "name": file.name, "dist": file.dist_name or None,
            "headers": file.headers or {}, "size": file.size, "sha1": file.checksum,
            "dateCreated": file.date_created}


def release_or_404(organization, version: str, project=None) -> Release:
    stmt = select(Release).where(Release.organization_id == organization.id, Release.version == version)
    if project is not None:
        stmt = stmt.join(ReleaseProject, ReleaseProject.release_id == Release.id).where(
            ReleaseProject.project_id == project.id)
    release = db.session.scalar(stmt)
    if release is None:
        raise NotFound()
    return release


def files_of(release: Release, query: list[str], checksums: list[str]):
    stmt = select(ReleaseFile).where(ReleaseFile.release_id == release.id)
    if query:
        stmt = stmt.where(or_(*(func.lower(ReleaseFile.name).contains(q.lower(), autoescape=True)
                                for q in query[:20])))
    if checksums:
        stmt = stmt.where(ReleaseFile.checksum.in_(checksums[:100]))
    return stmt


def file_or_404(release: Release, file_id: str) -> ReleaseFile:
    file = db.session.scalar(select(ReleaseFile).where(
        ReleaseFile.release_id == release.id, ReleaseFile.id == parse_id(file_id)))
    if file is None:
        raise NotFound()
    return file


def _headers(values: list[str]) -> dict:
    headers = {}
    for value in values:
        key, sep, rest = value.partition(":")
        if not sep or not key.strip():
            raise ParseError("header value was not formatted correctly")
        headers[key.strip()] = rest.strip()
    return headers


def _name(value: str | None, field: str = "name") -> str:
    if not value or len(value) > MAX_NAME or "\x00" in value or "\n" in value:
        raise ValidationFailed({field: [f"File name must be 1 to {MAX_NAME} characters, on one line."]})
    return value


def upload_file(release: Release) -> ReleaseFile:
    """Store the multipart upload (``file``, ``name``, ``dist``, ``header``) in ``release``."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(f'Unsupported media type "{request.mimetype}" in request.')
    upload = request.files.get("file")
    if upload is None:
        raise ParseError("Missing uploaded file")
    limit = current_app.config["SOURCEMAPS_MAX_RELEASE_FILE_SIZE"]
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed({"file": [f"The file is larger than {limit} bytes."]})
    name = _name(request.form.get("name") or upload.filename)
    dist = request.form.get("dist") or ""
    if len(dist) > 64 or "\x00" in dist:
        raise ValidationFailed({"dist": ["Ensure this field has no more than 64 characters."]})
    headers = _headers(request.form.getlist("header"))
    checksum = sha1_hex(data)
    store = blobs()
    if checksum not in store.existing(release.organization_id, [checksum]):
        check_quota(release.organization_id, len(data))
    store.put(release.organization_id, checksum, data)
    file = ReleaseFile(organization_id=release.organization_id, release_id=release.id, dist_name=dist,
                       name=name, checksum=checksum, size=len(data), headers=headers)
    with commit_or_conflict(EXISTS):
        db.session.add(file)
    return file


def rename_file(file: ReleaseFile, body: dict) -> ReleaseFile:
    with commit_or_conflict(EXISTS):
        if "name" in body:
            file.name = _name(body["name"])
        if "dist" in body:
            file.dist_name = body["dist"] or ""
    return file


def delete_file(file: ReleaseFile) -> None:
    db.session.delete(file)
    db.session.flush()
    release_blob_if_unused(file.organization_id, file.checksum)
    db.session.commit()

