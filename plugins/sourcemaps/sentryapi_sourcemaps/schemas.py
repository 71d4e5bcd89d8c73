"""What the upload endpoints read and answer (Sentry's field names)."""

from __future__ import annotations

from sentryapi.api import Schema, fields, validate

MAX_QUERY = 200
HEX_ID = validate.Regexp(r"^[0-9a-fA-F-]{1,64}$", error="Not a debug or code identifier.")
FILE_FORMATS = ("elf", "macho", "pe", "pdb", "breakpad", "sourcebundle", "wasm", "portablepdb",
                "bcsymbolmap", "uuidmap", "il2cpp", "proguard")
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


class ReleaseFileSchema(Schema):
    id = fields.String()
    name = fields.String()
    dist = fields.String(allow_none=True)
    headers = fields.Dict(keys=fields.String(), values=fields.String())
    size = fields.Integer()
    sha1 = fields.String()
    dateCreated = fields.DateTime()


class ReleaseFileQuerySchema(Schema):
    query = fields.List(fields.String(validate=validate.Length(max=MAX_QUERY)),
                        metadata={"description": "Only files whose names contain one of these."})
    checksum = fields.List(fields.String(validate=SHA1),
                           metadata={"description": "Only files with these SHA-1 checksums."})


class ReleaseFileDownloadSchema(Schema):
    download = fields.Boolean(metadata={"description": "If true (`1`), answer the file's contents."})


class ReleaseFileUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=512))
    dist = fields.String(allow_none=True, validate=validate.Length(max=64))


#: The multipart body of an upload, documented by hand (the view reads ``request.files``).
RELEASE_FILE_UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "The file's contents."},
        "name": {"type": "string", "description": "The name (full URL or `~/` path) the file is "
                 "referenced as; defaults to the uploaded file's name."},
        "dist": {"type": "string", "description": "The distribution the file belongs to."},
        "header": {"type": "array", "items": {"type": "string"},
                   "description": "Headers of the file, each `\"key:value\"` (e.g. `Sourcemap:app.js.map`)."},
    }}}}}


class DifRequestSchema(Schema):
    """One file of ``difs/assemble/`` (keyed by its SHA-1)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=512))
    debug_id = fields.String(allow_none=True, validate=validate.Length(max=64))
    chunks = fields.List(fields.String(validate=SHA1), required=True,
                         validate=validate.Length(max=100_000))


class DebugFileSchema(Schema):
    id = fields.String()
    uuid = fields.String()
    debugId = fields.String()
    codeId = fields.String(allow_none=True)
    cpuName = fields.String()
    objectName = fields.String()
    symbolType = fields.String()
    headers = fields.Dict(keys=fields.String(), values=fields.String())
    size = fields.Integer()
    sha1 = fields.String()
    dateCreated = fields.DateTime()
    data = fields.Dict()


class DebugFileQuerySchema(Schema):
    query = fields.String(validate=validate.Length(max=MAX_QUERY), metadata={
        "description": "Files whose object name, debug id, code id or CPU name contain it."})
    debug_id = fields.String(validate=HEX_ID, metadata={"description": "This debug id only."})
    code_id = fields.String(validate=HEX_ID, metadata={"description": "This code id only."})
    file_formats = fields.List(fields.String(validate=validate.OneOf(FILE_FORMATS)), metadata={
        "description": "Only these formats (`elf`, `macho`, `pe`, `pdb`, `breakpad`, ...)."})


class DebugIdProcessSchema(Schema):
    debug_id = fields.String(allow_none=True)
    uploaded_source_file_with_correct_debug_id = fields.Boolean()
    uploaded_source_map_with_correct_debug_id = fields.Boolean()


LOOKUP_RESULTS = ("found", "wrong-dist", "unsuccessful")


class ReleaseProcessSchema(Schema):
    abs_path = fields.String()
    matching_source_file_names = fields.List(fields.String())
    matching_source_map_name = fields.String(allow_none=True)
    source_map_reference = fields.String(allow_none=True)
    source_file_lookup_result = fields.String(validate=validate.OneOf(LOOKUP_RESULTS))
    source_map_lookup_result = fields.String(validate=validate.OneOf(LOOKUP_RESULTS))


class ScrapingProcessSchema(Schema):
    """Always empty here: this server never fetches sources from the web."""

    source_file = fields.Dict(allow_none=True)
    source_map = fields.Dict(allow_none=True)


class SourceMapDebugFrameSchema(Schema):
    debug_id_process = fields.Nested(DebugIdProcessSchema)
    release_process = fields.Nested(ReleaseProcessSchema, allow_none=True)
    scraping_process = fields.Nested(ScrapingProcessSchema)


class SourceMapDebugExceptionSchema(Schema):
    frames = fields.List(fields.Nested(SourceMapDebugFrameSchema))


class SourceMapDebugSchema(Schema):
    """Sentry's ``source-map-debug`` answer: why each frame was (or was not) mapped."""

    dist = fields.String(allow_none=True)
    release = fields.String(allow_none=True)
    exceptions = fields.List(fields.Nested(SourceMapDebugExceptionSchema))
    has_debug_ids = fields.Boolean()
    min_debug_id_sdk_version = fields.String(allow_none=True)
    sdk_version = fields.String(allow_none=True)
    project_has_some_artifact_bundle = fields.Boolean()
    release_has_some_artifact = fields.Boolean()
    has_uploaded_some_artifact_with_a_debug_id = fields.Boolean()
    sdk_debug_id_support = fields.String(validate=validate.OneOf(
        ("not-supported", "unofficial-sdk", "needs-upgrade", "full")))
    has_scraping_data = fields.Boolean()
