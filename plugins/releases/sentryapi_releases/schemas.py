"""What the release endpoints read and write (Sentry's field names and limits)."""

from __future__ import annotations

from sentryapi.api import (
    DateTime,
    Schema,
    ValidationError,
    deprecated,
    fields,
    validate,
    validates,
    validates_schema,
)

from .models import STATUSES
from .versions import MAX_VERSION_LENGTH, version_error

MAX_COMMIT_LENGTH = 64
COMMIT_RANGE_DELIMITER = ".."
PATCH_TYPES = ("A", "M", "D")


class OptionalUrl(fields.Url):
    """A URL, or ``null``/``""`` for none (Sentry's ``URLField(allow_blank=True)``)."""

    def __init__(self, **kwargs):
        super().__init__(require_tld=False, allow_none=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "":
            return None
        return super()._deserialize(value, attr, data, **kwargs)


class ProjectRef(fields.Raw):
    """A project named by slug (string) or id (integer, or a string of digits)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError("Invalid project ids or slugs")
        return value


class CommitPatchSchema(Schema):
    path = fields.String(required=True, validate=validate.Length(min=1, max=510))
    type = fields.String(required=True)

    @validates("type")
    def _type(self, value, **kwargs):
        if value not in PATCH_TYPES:
            raise ValidationError(f"Commit patch_set type {value} is not supported.")


class CommitInputSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=MAX_COMMIT_LENGTH))
    repository = fields.String(allow_none=True, validate=validate.Length(max=64))
    message = fields.String(allow_none=True)
    author_name = fields.String(allow_none=True, validate=validate.Length(max=128))
    author_email = fields.String(allow_none=True, validate=validate.Length(max=200))
    timestamp = DateTime(allow_none=True)
    patch_set = fields.List(fields.Nested(CommitPatchSchema), allow_none=True)


class ReleaseRefSchema(Schema):
    repository = fields.String(required=True, validate=validate.Length(min=1, max=200))
    commit = fields.String(required=True, validate=validate.Length(min=1))
    previousCommit = fields.String(allow_none=True, validate=validate.Length(max=MAX_COMMIT_LENGTH))

    @validates("commit")
    def _commit(self, value, **kwargs):
        """A commit, or a range ``previous..commit``."""
        if COMMIT_RANGE_DELIMITER in value:
            start, _, end = value.partition(COMMIT_RANGE_DELIMITER)
            if not start or not end:
                raise ValidationError(f"Commit cannot begin or end with {COMMIT_RANGE_DELIMITER}")
            if len(start) > MAX_COMMIT_LENGTH or len(end) > MAX_COMMIT_LENGTH:
                raise ValidationError(
                    f"Start or end commit too long - max is {MAX_COMMIT_LENGTH} chars each")
        elif len(value) > MAX_COMMIT_LENGTH:
            raise ValidationError(f"Commit too long - max is {MAX_COMMIT_LENGTH} chars")


class ReleaseHeadCommitSchema(Schema):
    """The deprecated form of a ref."""

    repository = fields.String(required=True, validate=validate.Length(min=1, max=64))
    currentId = fields.String(required=True, validate=validate.Length(min=1, max=MAX_COMMIT_LENGTH))
    previousId = fields.String(allow_none=True, validate=validate.Length(max=MAX_COMMIT_LENGTH))


class _ReleaseWriteSchema(Schema):
    ref = fields.String(allow_none=True, validate=validate.Length(max=MAX_VERSION_LENGTH))
    url = OptionalUrl()
    dateReleased = DateTime(allow_none=True, metadata={
        "description": "When the release went live; setting it finalizes the release."})
    dateStarted = DateTime(allow_none=True)
    commits = fields.List(fields.Nested(CommitInputSchema), metadata={
        "description": "The release's commits, newest first; they replace any stored before."})
    refs = fields.List(fields.Nested(ReleaseRefSchema), metadata={
        "description": "Head commits, one per repository; stored, not fetched."})
    headCommits = fields.List(fields.Nested(ReleaseHeadCommitSchema), metadata={
        "description": "Deprecated form of `refs`."})
    status = fields.String(validate=validate.OneOf(STATUSES))


class ReleaseCreateSchema(_ReleaseWriteSchema):
    version = fields.String(required=True)
    projects = fields.List(ProjectRef(), required=True, metadata={
        "description": "Project slugs or ids the release ships in."})
    owner = fields.String(allow_none=True, metadata={
        "description": "E-mail (username) of a member who owns the release."})

    @validates("version")
    def _version(self, value, **kwargs):
        error = version_error(value)
        if error:
            raise ValidationError(error)


class ReleaseUpdateSchema(_ReleaseWriteSchema):
    pass


class DeployCreateSchema(Schema):
    environment = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(allow_none=True, validate=validate.Length(max=64))
    url = OptionalUrl()
    dateStarted = DateTime(allow_none=True)
    dateFinished = DateTime(allow_none=True, metadata={"description": "Default: now."})
    projects = fields.List(ProjectRef(), validate=validate.Length(min=1), metadata={
        "description": "Projects of the release deployed (default: all of them)."})

    @validates("environment")
    def _environment(self, value, **kwargs):
        if any(char in value for char in "\n\r\f/"):
            raise ValidationError("Invalid value for environment")

    @validates_schema
    def _dates(self, data, **kwargs):
        started, finished = data.get("dateStarted"), data.get("dateFinished")
        if started and finished and started > finished:
            raise ValidationError("dateStarted must be before dateFinished", "dateStarted")


# Output


class ReleaseVersionSchema(Schema):
    raw = fields.String()
    major = fields.Integer()
    minor = fields.Integer()
    patch = fields.Integer()
    pre = fields.String(allow_none=True)
    buildCode = fields.String(allow_none=True)
    components = fields.Integer()


class ReleaseVersionInfoSchema(Schema):
    package = fields.String(allow_none=True)
    version = fields.Nested(ReleaseVersionSchema)
    description = fields.String()
    buildHash = fields.String(allow_none=True)


class ReleaseProjectSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    newGroups = fields.Integer()
    platform = fields.String(allow_none=True)
    platforms = fields.List(fields.String())
    hasHealthData = fields.Boolean()


class ReleaseDeploySchema(Schema):
    id = fields.String()
    environment = fields.String()
    dateStarted = DateTime(allow_none=True)
    dateFinished = DateTime()
    name = fields.String(allow_none=True)
    url = fields.String(allow_none=True)


class CommitRepositorySchema(Schema):
    id = fields.String()
    name = fields.String()
    url = fields.String(allow_none=True)
    provider = fields.Dict(allow_none=True)
    status = fields.String()
    dateCreated = DateTime()
    integrationId = fields.String(allow_none=True)
    externalSlug = fields.String(allow_none=True)
    externalId = fields.String(allow_none=True)


class CommitReleaseSchema(Schema):
    version = fields.String()
    shortVersion = fields.String()
    ref = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    dateReleased = DateTime(allow_none=True)
    dateCreated = DateTime()


class ReleaseCommitSchema(Schema):
    id = fields.String()
    message = fields.String(allow_none=True)
    dateCreated = DateTime()
    pullRequest = fields.Dict(allow_none=True)
    suspectCommitType = fields.String()
    repository = fields.Nested(CommitRepositorySchema)
    author = fields.Dict(allow_none=True)
    releases = fields.List(fields.Nested(CommitReleaseSchema))


class ReleaseSchema(Schema):
    id = fields.Integer()
    version = fields.String()
    shortVersion = fields.String()
    status = fields.String()
    versionInfo = fields.Nested(ReleaseVersionInfoSchema, allow_none=True)
    ref = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    dateCreated = DateTime()
    dateReleased = DateTime(allow_none=True)
    dateStarted = DateTime(allow_none=True)
    data = fields.Dict()
    newGroups = fields.Integer()
    owner = fields.Dict(allow_none=True)
    commitCount = fields.Integer()
    lastCommit = fields.Nested(ReleaseCommitSchema, allow_none=True)
    deployCount = fields.Integer()
    lastDeploy = fields.Nested(ReleaseDeploySchema, allow_none=True)
    authors = fields.List(fields.Dict())
    projects = fields.List(fields.Nested(ReleaseProjectSchema))
    firstEvent = DateTime(allow_none=True)
    lastEvent = DateTime(allow_none=True)
    currentProjectMeta = fields.Dict()
    userAgent = fields.String(allow_none=True)


# Query arguments

#: A project named in a query: its id or its slug (``-1``: all, in lists).
PROJECT_REF = [validate.Length(min=1, max=50), validate.Regexp(r"^[a-z0-9_\-]+$", error="Invalid project")]


class ReleaseListArgs(Schema):
    query = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Case-insensitive substring of the version; also `release:` (with `*` "
                       "wildcards or a `[list]`) and `finalized:true|false`."})
    project = fields.List(fields.String(validate=PROJECT_REF), load_default=list, metadata={
        "description": "Project ids or slugs (repeat); `-1` for every project you can see. "
                       "Default: the projects of your teams (every project for an "
                       "organization token)."})
    environment = fields.List(fields.String(), load_default=list, metadata={
        "description": "Only releases seen or deployed in these environments."})
    status = fields.String(load_default="open", validate=validate.OneOf([*STATUSES, ""]), metadata={
        "description": "`open` (default), `archived`, or empty for both."})


class ProjectReleaseListArgs(Schema):
    query = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Case-insensitive substring of the version."})
    environment = fields.List(fields.String(), load_default=list)


class ReleaseDetailArgs(Schema):
    project = fields.String(validate=PROJECT_REF, metadata={
        "description": "Project id or slug: adds `currentProjectMeta` (previous and next releases)."})
    project_id = fields.String(validate=PROJECT_REF, metadata={
        "description": "Deprecated form of `project` (as in Sentry).",
        **deprecated("2026-12-03", successor="project")})
