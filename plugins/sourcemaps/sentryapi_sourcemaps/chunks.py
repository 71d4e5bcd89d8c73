"""sentry-cli's chunk upload: the options it asks for, and the chunks it posts.

A file is uploaded as SHA-1-named chunks (each at most ``chunkSize``, several per
request, gzip-compressed when the server accepts it), then assembled by checksum
(``assemble.py``). Chunks are idempotent: one already stored is not written again.
"""

from __future__ import annotations

import zlib

from flask import current_app, request

from sentryapi.api import (
    Endpoint,
    OrganizationReleasePermission,
    ParseError,
    UnsupportedMediaType,
    db,
)

from .blobs import blobs, check_quota, sha1_hex
from .blueprint import blp
from .schemas import ChunksStoredSchema, ChunkUploadOptionsSchema

#: What this server assembles from chunks (sentry-cli picks its upload flow from these).
ACCEPT = ("artifact_bundles", "artifact_bundles_v2", "sources", "release_files", "debug_files")
#: Room for the multipart framing around the chunks of one request.
FORM_OVERHEAD = 64 * 1024


def max_request_size(config) -> int:
    return config["SOURCEMAPS_CHUNK_SIZE"] * config["SOURCEMAPS_CHUNKS_PER_REQUEST"] + FORM_OVERHEAD


def upload_options(organization_slug: str) -> dict:
    config = current_app.config
    base = (config.get("PUBLIC_URL") or request.host_url).rstrip("/")
    return {
        "url": f"{base}/api/0/organizations/{organization_slug}/chunk-upload/",
        "chunkSize": config["SOURCEMAPS_CHUNK_SIZE"],
        "chunksPerRequest": config["SOURCEMAPS_CHUNKS_PER_REQUEST"],
        "maxFileSize": config["SOURCEMAPS_MAX_FILE_SIZE"],
        "maxRequestSize": max_request_size(config),
        "concurrency": 4,
        "hashAlgorithm": "sha1",
        "compression": ["gzip"],
        "accept": list(ACCEPT),
    }


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress a gzip chunk, refusing one that inflates past ``limit``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise ParseError("A chunk is not valid gzip.") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise ParseError("Chunk size too large.")
    if not inflater.eof:
        raise ParseError("A chunk is not valid gzip.")
    return out


def received_chunks() -> dict[str, bytes]:
    """The request's chunks by checksum, each checked against its name (its SHA-1)."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(f'Unsupported media type "{request.mimetype}" in request.')
    limit = current_app.config["SOURCEMAPS_CHUNK_SIZE"]
    parts = [(f, False) for f in request.files.getlist("file")]
    parts += [(f, True) for f in request.files.getlist("file_gzip")]
    if len(parts) > current_app.config["SOURCEMAPS_CHUNKS_PER_REQUEST"]:
        raise ParseError("Too many chunks.")
    chunks = {}
    for part, gzipped in parts:
        data = part.read(limit + 1) if not gzipped else _gunzip(part.read(), limit)
        if len(data) > limit:
            raise ParseError("Chunk size too large.")
        checksum = (part.filename or "").lower()
        if sha1_hex(data) != checksum:
            raise ParseError("Checksum mismatch.")
        chunks[checksum] = data
    return chunks


@blp.route("/organizations/<organization_id_or_slug>/chunk-upload/")
class ChunkUpload(Endpoint):
    """Sentry's ``ChunkUploadEndpoint``: what sentry-cli asks before any upload."""

    scope_map = OrganizationReleasePermission
    multipart_methods = frozenset({"POST"})

    @classmethod
    def max_body_size(cls, config) -> int:
        return max_request_size(config)

    @blp.response(200, ChunkUploadOptionsSchema)
    def get(self, organization_id_or_slug):
        """Retrieve the chunk upload options.

        How sentry-cli should upload: where, chunk size and count per request, the
        checksum and compression it uses, and which kinds of files this server assembles.
        """
        return upload_options(self.organization.slug)

    @blp.response(200, ChunksStoredSchema)
    def post(self, organization_id_or_slug):
        """Upload chunks.

        ``multipart/form-data``: each part named ``file`` (or ``file_gzip``, gzip
        compressed) with the chunk's SHA-1 as its file name. Chunks already stored are
        kept as they are. 413 when the new bytes would pass the organization's storage
        quota.
        """
        chunks = received_chunks()
        store = blobs()
        known = store.existing(self.organization.id, chunks)
        check_quota(self.organization.id, sum(len(d) for c, d in chunks.items() if c not in known))
        for checksum, data in chunks.items():
            if checksum not in known:
                store.put(self.organization.id, checksum, data)
        db.session.commit()
        return {"checksums": sorted(chunks)}
