"""Request and response schemas of the projects plugin (Sentry's field names)."""

from __future__ import annotations

import re

from sentryapi.api import (
    AvatarSchema,
    DateTime,
    Id,
    IdNumber,
    OrganizationSchema,
    Schema,
    Slug,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from .keys import BROWSER_SDK_VERSIONS

PLATFORM_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
NAME = validate.Length(min=1, max=64)
#: Everything a project "has" (set by the plugins that receive such data); false here.
PROJECT_FLAGS = (
    "hasFeedbacks", "hasFlags", "hasMinifiedStackTrace", "hasMonitors", "hasNewFeedbacks",
    "hasProfiles", "hasReplays", "hasSessions", "hasInsightsHttp", "hasInsightsDb",
    "hasInsightsAssets", "hasInsightsAppStart", "hasInsightsScreenLoad", "hasInsightsVitals",
    "hasInsightsCaches", "hasInsightsQueues", "hasInsightsAgentMonitoring", "hasInsightsMCP",
    "hasLogs", "hasTraceMetrics", "hasUserReports",
)


def Platform(**kwargs):  # noqa: N802 - reads like a field class
    return fields.String(allow_none=True, validate=[
        validate.Length(max=64),
        validate.Regexp(PLATFORM_RE, error="Invalid platform"),
    ], **kwargs)


def _option_fields() -> dict:
    """The writable project settings (stored in ``Project.options``) and their defaults."""
    return {
        "subjectPrefix": fields.String(validate=validate.Length(max=200)),
        "subjectTemplate": fields.String(validate=validate.Length(min=1, max=200)),
        "resolveAge": fields.Integer(allow_none=True, validate=validate.Range(min=0, max=720),
                                     metadata={"description": "Hours until an issue resolves."}),
        "highlightContext": fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                                        values=fields.List(fields.String(validate=validate.Length(max=200)),
                                                           validate=validate.Length(max=100)),
                                        validate=validate.Length(max=100)),
        "highlightTags": fields.List(fields.String(validate=validate.Length(max=200)),
                                     validate=validate.Length(max=100)),
        "enableAutoReleaseCreation": fields.Boolean(),
        "scmSourceContextEnabled": fields.Boolean(),
        "eventRetentionDays": fields.Integer(
            allow_none=True, validate=validate.Range(min=1, max=3650),
            metadata={"description": "Days this project's events are kept; `null`: the server's "
                      "`SENTRYAPI_EVENT_RETENTION_DAYS`. Expired events, and issues left without "
                      "events, are deleted hourly."}),
    }


PROJECT_OPTION_DEFAULTS = {
    "subjectPrefix": "", "subjectTemplate": "$shortID - $title", "resolveAge": 0,
    "highlightContext": {}, "highlightTags": [], "enableAutoReleaseCreation": False,
    "scmSourceContextEnabled": False, "eventRetentionDays": None,
}


class TeamRefSchema(Schema):
    id = Id()
    name = fields.String()
    slug = fields.String()


class LatestReleaseSchema(Schema):
    version = fields.String()


class _ProjectHeadSchema(Schema):
    id = Id()
    slug = fields.String()
    name = fields.String()
    platform = fields.String(allow_none=True)
    dateCreated = DateTime()
    isBookmarked = fields.Boolean()
    isMember = fields.Boolean(metadata={"description": "Whether you are on one of its teams."})
    features = fields.List(fields.String())
    firstEvent = DateTime(allow_none=True)
    firstTransactionEvent = fields.Boolean()
    access = fields.List(fields.String(), metadata={"description": "Your scopes on the project."})
    hasAccess = fields.Boolean()


class ProjectSchema(_ProjectHeadSchema.from_dict({flag: fields.Boolean() for flag in PROJECT_FLAGS})):
    """A project as Sentry's lists show it. ``team`` is the first team, ``null`` if none."""

    isInternal = fields.Boolean()
    isPublic = fields.Boolean()
    avatar = fields.Nested(AvatarSchema)
    color = fields.String()
    status = fields.String()
    team = fields.Nested(TeamRefSchema, allow_none=True)
    teams = fields.List(fields.Nested(TeamRefSchema))
    platforms = fields.List(fields.String())
    environments = fields.List(fields.String())
    latestRelease = fields.Nested(LatestReleaseSchema, allow_none=True)
    options = fields.Dict()
    organization = fields.Nested(OrganizationSchema, metadata={
        "description": "Only in lists across organizations."})


class ProjectCreatedSchema(ProjectSchema):
    team_slug = fields.String(metadata={"description": "The team made for the project."})


class HighlightPresetSchema(Schema):
    tags = fields.List(fields.String())
    context = fields.Dict()


class ProjectDetailSchema(ProjectSchema.from_dict({
    key: field for key, field in _option_fields().items()
})):
    """A project with its settings; ``team`` is left out when it has none."""

    organization = fields.Nested(OrganizationSchema)
    digestsMinDelay = fields.Integer()
    digestsMaxDelay = fields.Integer()
    allowedDomains = fields.List(fields.String())
    dataScrubber = fields.Boolean()
    dataScrubberDefaults = fields.Boolean()
    safeFields = fields.List(fields.String())
    storeCrashReports = fields.Integer(allow_none=True)
    sensitiveFields = fields.List(fields.String())
    securityToken = fields.String()
    securityTokenHeader = fields.String(allow_none=True)
    verifySSL = fields.Boolean()
    scrubIPAddresses = fields.Boolean()
    scrapeJavaScript = fields.Boolean()
    highlightPreset = fields.Nested(HighlightPresetSchema)
    groupingConfig = fields.String()
    derivedGroupingEnhancements = fields.String()
    groupingEnhancements = fields.String()
    secondaryGroupingExpiry = fields.Integer()
    secondaryGroupingConfig = fields.String(allow_none=True)
    fingerprintingRules = fields.String()
    processingIssues = fields.Integer()
    defaultEnvironment = fields.String(allow_none=True)
    relayPiiConfig = fields.String(allow_none=True)
    builtinSymbolSources = fields.List(fields.String())
    dynamicSamplingBiases = fields.List(fields.Dict(), allow_none=True)
    symbolSources = fields.String()
    isDynamicallySampled = fields.Boolean()
    tempestFetchScreenshots = fields.Boolean()
    autofixAutomationTuning = fields.String()
    seerScannerAutomation = fields.Boolean()
    seerNightshiftTweaks = fields.Dict(allow_none=True)
    debugFilesRole = fields.String(allow_none=True)


class ProjectListArgs(Schema):
    query = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Free text on name and slug; `id:`, `slug:`, `name:`, `platform:`, "
                       "`team:`, `!team:`, `is_member:1`, `dsn:`."})


class ProjectIndexArgs(ProjectListArgs):
    status = fields.String(load_default="active",
                           validate=validate.OneOf(["active", "deleted", ""]))
    organizationId = IdNumber(metadata={"description": "Only this organization's projects."})


class ProjectCreateSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    slug = Slug(allow_none=True, metadata={"description": "Made from the name when left out."})
    platform = Platform()
    default_rules = fields.Boolean(metadata={"description": "Accepted; there are no alert rules."})


class ProjectUpdateSchema(Schema.from_dict(_option_fields())):
    name = fields.String(validate=NAME)
    slug = Slug()
    platform = Platform()
    isBookmarked = fields.Boolean()


class RateLimitSchema(Schema):
    window = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=86400),
                            metadata={"description": "Seconds."})
    count = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=2**31 - 1))


class LoaderOptionsSchema(Schema):
    hasReplay = fields.Boolean()
    hasPerformance = fields.Boolean()
    hasDebug = fields.Boolean()
    hasFeedback = fields.Boolean()
    hasLogsAndMetrics = fields.Boolean()


class BrowserSdkSchema(Schema):
    choices = fields.List(fields.List(fields.String()))


class DsnSchema(Schema.from_dict({name: fields.String() for name in (
    "secret", "public", "csp", "security", "minidump", "nel", "unreal", "crons", "cdn",
    "playstation", "integration", "otlp_traces", "otlp_logs",
)})):
    """The key's DSN and the other ingestion URLs that take it."""


class ProjectKeySchema(Schema):
    id = fields.String(metadata={"description": "The public key."})
    name = fields.String()
    label = fields.String()
    public = fields.String()
    secret = fields.String(metadata={"description": "Deprecated; SDKs need not send it."})
    projectId = fields.Integer()
    isActive = fields.Boolean()
    rateLimit = fields.Nested(RateLimitSchema, allow_none=True)
    dsn = fields.Nested(DsnSchema)
    browserSdkVersion = fields.String()
    browserSdk = fields.Nested(BrowserSdkSchema)
    dateCreated = DateTime()
    dynamicSdkLoaderOptions = fields.Nested(LoaderOptionsSchema)
    useCase = fields.String()


def _check_rate_limit(data: dict) -> None:
    limit = data.get("rateLimit")
    if limit and (limit.get("count") is None) != (limit.get("window") is None):
        raise ValidationError("Give both count and window, or null to remove the limit.", "rateLimit")


class ProjectKeyCreateSchema(Schema):
    name = fields.String(allow_none=True, validate=NAME)
    rateLimit = fields.Nested(RateLimitSchema, allow_none=True)
    useCase = fields.String(validate=validate.OneOf(["user", "profiling", "tempest", "demo"]),
                            metadata={"description": "Accepted; keys are always `user` keys."})

    @validates_schema
    def _rate_limit(self, data, **kwargs):
        _check_rate_limit(data)


class ProjectKeyUpdateSchema(Schema):
    name = fields.String(validate=NAME)
    isActive = fields.Boolean()
    rateLimit = fields.Nested(RateLimitSchema, allow_none=True)
    browserSdkVersion = fields.String(validate=validate.OneOf(BROWSER_SDK_VERSIONS))
    dynamicSdkLoaderOptions = fields.Nested(LoaderOptionsSchema)

    @validates_schema
    def _rate_limit(self, data, **kwargs):
        _check_rate_limit(data)


class ProjectKeyListArgs(Schema):
    status = fields.String(validate=validate.OneOf(["active", "inactive"]))


class OrganizationKeyListArgs(ProjectKeyListArgs):
    team = fields.String(validate=validate.Length(min=1, max=50),
                         metadata={"description": "Only keys of this team's projects (slug or id)."})
