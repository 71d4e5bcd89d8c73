"""Request and response schemas for organizations, members, users and tokens.

Responses are built as dicts by ``serializers`` and dumped through these schemas, which
fix the types and document them; request schemas load only what a caller may write.
"""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from ..auth.scopes import ROLES, SCOPES
from ..database import utcnow
from ..web.schemas import DateTime, Id, IdNumber, Schema, Slug
from .options import ORGANIZATION_OPTIONS

#: Field metadata: in responses, but not part of the published contract (UI internals,
#: placeholders for features this server does not have).
PRIVATE = {"private": True}


class AvatarSchema(Schema):
    avatarType = fields.String()
    avatarUuid = fields.String(allow_none=True)
    avatarUrl = fields.String(allow_none=True)


class UserEmailSchema(Schema):
    id = Id()
    email = fields.String()
    is_verified = fields.Boolean()


class UserSchema(Schema):
    id = Id()
    name = fields.String()
    username = fields.String()
    email = fields.String()
    avatarUrl = fields.String()
    isActive = fields.Boolean()
    isSuspended = fields.Boolean()
    hasPasswordAuth = fields.Boolean()
    isManaged = fields.Boolean()
    dateJoined = DateTime()
    lastLogin = DateTime(allow_none=True)
    has2fa = fields.Boolean()
    lastActive = DateTime(allow_none=True)
    isSuperuser = fields.Boolean()
    isStaff = fields.Boolean()
    experiments = fields.Dict(metadata=PRIVATE)
    emails = fields.List(fields.Nested(UserEmailSchema))
    avatar = fields.Nested(AvatarSchema)


class StatusSchema(Schema):
    id = fields.String()
    name = fields.String()


class LinksSchema(Schema):
    organizationUrl = fields.String()
    regionUrl = fields.String()


class OrganizationSchema(Schema):
    """An organization as lists show it."""

    id = Id()
    slug = fields.String()
    name = fields.String()
    dateCreated = DateTime()
    status = fields.Nested(StatusSchema)
    isEarlyAdopter = fields.Boolean()
    require2FA = fields.Boolean()
    requireEmailVerification = fields.Boolean()
    avatar = fields.Nested(AvatarSchema)
    links = fields.Nested(LinksSchema)
    hasAuthProvider = fields.Boolean()
    allowMemberInvite = fields.Boolean()
    allowMemberProjectCreation = fields.Boolean()
    allowSuperuserAccess = fields.Boolean()
    features = fields.List(fields.String())


class RoleSchema(Schema):
    id = fields.String()
    name = fields.String()
    desc = fields.String()
    scopes = fields.List(fields.String())
    allowed = fields.Boolean()
    isAllowed = fields.Boolean()
    isRetired = fields.Boolean()
    isTeamRolesAllowed = fields.Boolean()


class OrgRoleSchema(RoleSchema):
    is_global = fields.Boolean()
    isGlobal = fields.Boolean()
    minimumTeamRole = fields.String()


class TeamRoleSchema(RoleSchema):
    isMinimumRoleFor = fields.String(allow_none=True)


def _option_fields() -> dict:
    return {key: option.make_field() for key, option in ORGANIZATION_OPTIONS.items()}


class OrganizationDetailSchema(OrganizationSchema.from_dict(_option_fields())):
    """An organization with the caller's role and the organization's settings."""

    role = fields.String(allow_none=True, metadata={"description": "Null for organization tokens."})
    orgRole = fields.String(allow_none=True, metadata={"description": "Null for organization tokens."})
    access = fields.List(fields.String())
    orgRoleList = fields.List(fields.Nested(OrgRoleSchema))
    teamRoleList = fields.List(fields.Nested(TeamRoleSchema))
    experiments = fields.Dict(metadata=PRIVATE)
    isDefault = fields.Boolean(metadata=PRIVATE)
    isDynamicallySampled = fields.Boolean(metadata=PRIVATE)
    aggregatedDataConsent = fields.Boolean(metadata=PRIVATE)
    pendingAccessRequests = fields.Integer(metadata=PRIVATE)
    requiresSso = fields.Boolean()
    relayPiiConfig = fields.String(allow_none=True, metadata=PRIVATE)
    relayDsnEndpoint = fields.String(allow_none=True, metadata=PRIVATE)
    trustedRelays = fields.List(fields.Dict(), metadata=PRIVATE)
    enableSeerCoding = fields.Boolean(metadata=PRIVATE)
    defaultSeerScannerAutomation = fields.Boolean(metadata=PRIVATE)
    defaultAutofixAutomationTuning = fields.String(metadata=PRIVATE)
    defaultAutomatedRunStoppingPoint = fields.String(metadata=PRIVATE)
    defaultCodingAgent = fields.String(metadata=PRIVATE)
    defaultCodingAgentIntegrationId = fields.String(allow_none=True, metadata=PRIVATE)
    autoEnableCodeReview = fields.Boolean(metadata=PRIVATE)
    autoOpenPrs = fields.Boolean(metadata=PRIVATE)
    defaultCodeReviewTriggers = fields.List(fields.String(), metadata=PRIVATE)
    teams = fields.List(fields.Dict(), metadata=PRIVATE)
    projects = fields.List(fields.Dict(), metadata=PRIVATE)


class OrganizationListArgs(Schema):
    owner = fields.Boolean(load_default=False)
    query = fields.String(load_default="", validate=validate.Length(max=500))
    sortBy = fields.String(validate=validate.OneOf(["dateCreated", "slug", "name"]),
                           load_default="dateCreated")


class OrganizationCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    slug = Slug()
    agreeTerms = fields.Boolean()


class OrganizationUpdateSchema(Schema.from_dict(_option_fields())):
    name = fields.String(validate=validate.Length(min=1, max=64))
    slug = Slug()


class IndexSchema(Schema):
    version = fields.String()
    auth = fields.Dict(allow_none=True, metadata={"description": "`{scopes: [...]}` of the caller"})
    user = fields.Nested(UserSchema, allow_none=True)


class MemberFlagsSchema(Schema.from_dict({
    key: fields.Boolean(data_key=key) for key in (
        "idp:provisioned", "idp:role-restricted", "sso:linked", "sso:invalid",
        "member-limit:restricted", "partnership:restricted",
    )
})):
    pass


class MemberSchema(Schema):
    id = Id()
    email = fields.String()
    name = fields.String()
    user = fields.Nested(UserSchema, allow_none=True)
    orgRole = fields.String()
    role = fields.String()
    roleName = fields.String()
    pending = fields.Boolean()
    expired = fields.Boolean()
    flags = fields.Nested(MemberFlagsSchema)
    dateCreated = DateTime()
    inviteStatus = fields.String()
    inviterName = fields.String(allow_none=True)


class MemberDetailSchema(MemberSchema):
    teams = fields.List(fields.String())
    teamRoles = fields.List(fields.Dict())
    invite_link = fields.String(allow_none=True)
    isOnlyOwner = fields.Boolean()
    orgRoleList = fields.List(fields.Nested(OrgRoleSchema))
    teamRoleList = fields.List(fields.Nested(TeamRoleSchema))


class MemberListArgs(Schema):
    query = fields.String(load_default="", validate=validate.Length(max=500))


_ORG_ROLE = validate.OneOf(list(ROLES), error="Invalid role: must be one of {choices}.")


class MemberCreateSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    orgRole = fields.String(validate=_ORG_ROLE)
    role = fields.String(validate=_ORG_ROLE, metadata={"deprecated": True})
    teamRoles = fields.List(fields.Dict(), load_default=list)
    sendInvite = fields.Boolean()
    reinvite = fields.Boolean()


class MemberUpdateSchema(Schema):
    orgRole = fields.String(validate=_ORG_ROLE)
    role = fields.String(validate=_ORG_ROLE, metadata={"deprecated": True})
    teamRoles = fields.List(fields.Dict())
    reinvite = fields.Boolean(metadata={"description": "E-mail a pending member's invitation again."})


class ApiTokenSchema(Schema):
    id = Id()
    name = fields.String(allow_none=True)
    scopes = fields.List(fields.String())
    application = fields.Dict(allow_none=True)
    expiresAt = DateTime(allow_none=True)
    dateCreated = DateTime()
    dateLastUsed = DateTime(allow_none=True)
    state = fields.String(allow_none=True)
    tokenLastCharacters = fields.String()


class ApiTokenCreatedSchema(ApiTokenSchema):
    token = fields.String(metadata={"description": "The token; shown only in this response."})


class ApiTokenCreateSchema(Schema):
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)), required=True,
                         validate=validate.Length(min=1))
    name = fields.String(validate=validate.Length(max=255), allow_none=True)
    expiresAt = DateTime(allow_none=True)

    @validates_schema
    def _future(self, data, **kwargs):
        if data.get("expiresAt") is not None and data["expiresAt"] <= utcnow():
            raise ValidationError("Expiration must be in the future.", "expiresAt")


class ApiTokenDeleteSchema(Schema):
    tokenId = IdNumber(required=True)


class TokenCreatorSchema(Schema):
    id = Id()
    name = fields.String()
    email = fields.String()


class OrgAuthTokenSchema(Schema):
    id = Id()
    name = fields.String()
    scopes = fields.List(fields.String())
    tokenLastCharacters = fields.String()
    dateCreated = DateTime()
    dateLastUsed = DateTime(allow_none=True)
    projectLastUsedId = Id(allow_none=True)
    createdBy = fields.Nested(TokenCreatorSchema, allow_none=True, metadata={
        "description": "The user who created the token; null once that user is gone."})


class OrgAuthTokenCreatedSchema(OrgAuthTokenSchema):
    token = fields.String(metadata={"description": "The token; shown only in this response."})


class OrgAuthTokenCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    scopes = fields.List(fields.String(validate=validate.OneOf(SCOPES)),
                         validate=validate.Length(min=1))


class OrgAuthTokenUpdateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
