"""What the upload endpoints read and answer (Sentry's field names)."""

from __future__ import annotations

from sentryapi.api import Schema, fields, validate

SHA1 = validate.Regexp(r"^[0-9a-f]{40}$", error="Not a SHA-1 checksum.")


class ChunkUploadOptionsSchema(Schema):
    url = fields.String()
    chunkSize = fields.Integer()
    chunksPerRequest = fields.Integer()
    maxFileSize = fields.Integer()
    maxRequestSize = fields.Integer()
    concurrency = fields.Integer()
    hashAlgorithm = fields.String()
    compression = fields.List(fields.String())
    accept = fields.List(fields.String())


class ChunksStoredSchema(Schema):
    """The chunks' checksums, as stored."""

    checksums = fields.List(fields.String())


class AssembleSchema(Schema):
    checksum = fields.String(required=True, validate=SHA1)
    chunks = fields.List(fields.String(validate=SHA1), required=True,
                         validate=validate.Length(max=100_000))
    projects = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                           required=True, validate=validate.Length(min=1, max=1000))
    version = fields.String(allow_none=True, validate=validate.Length(max=250))
    dist = fields.String(allow_none=True, validate=validate.Length(max=64))


class AssembleStateSchema(Schema):
    state = fields.String()
    missingChunks = fields.List(fields.String())
    detail = fields.String(allow_none=True)
