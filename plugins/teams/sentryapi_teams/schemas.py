"""Request and response schemas of the teams plugin (Sentry's field names)."""

from __future__ import annotations

from sentryapi.api import (
    TEAM_ROLES,
    AvatarSchema,
    DateTime,
    Id,
    MemberSchema,
    OrganizationSchema,
    Schema,
    Slug,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

NAME = validate.Length(min=1, max=64)


class TeamSchema(Schema):
    """A team as Sentry's team serializer renders it; the last three only when expanded."""

    id = Id()
    slug = fields.String()
    name = fields.String()
    dateCreated = DateTime()
    isMember = fields.Boolean(metadata={"description": "Whether you are on the team."})
    teamRole = fields.String(allow_none=True, metadata={"description": "Your team role, if set."})
    flags = fields.Dict(metadata={"description": '`{"idp:provisioned": false}`'})
    access = fields.List(fields.String(), metadata={"description": "Your scopes on the team."})
    hasAccess = fields.Boolean()
    isPending = fields.Boolean()
    memberCount = fields.Integer()
    avatar = fields.Nested(AvatarSchema)
    externalTeams = fields.List(fields.Dict())
    organization = fields.Nested(OrganizationSchema)
    projects = fields.List(fields.Dict(), metadata={"description": "The team's projects."})


class TeamListArgs(Schema):
    query = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Free text on name and slug, and `slug:`, `id:`, `hasExternalTeams:`."})
    detailed = fields.String(load_default="1", metadata={
        "description": '`"0"` leaves out each team\'s `projects` and `externalTeams`.'})


class TeamDetailArgs(Schema):
    expand = fields.List(fields.String(validate=validate.OneOf(["projects", "externalTeams"])),
                         load_default=list)
    collapse = fields.List(fields.String(validate=validate.OneOf(["organization"])),
                           load_default=list)


class TeamCreateSchema(Schema):
    slug = Slug(allow_none=True, metadata={
        "description": "Identifies the team in URLs; made from the name when left out."})
    name = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "The team's name; the slug when left out."})

    @validates_schema
    def _name_or_slug(self, data, **kwargs):
        if not (data.get("name") or data.get("slug")):
            raise ValidationError("Name or slug is required")


class TeamUpdateSchema(Schema):
    slug = Slug()
    name = fields.String(validate=NAME)


class TeamMemberSchema(MemberSchema):
    teamRole = fields.String(allow_none=True)
    teamSlug = fields.String()


class TeamRoleUpdateSchema(Schema):
    teamRole = fields.String(required=True, validate=validate.OneOf(TEAM_ROLES))


class MemberTeamSchema(Schema):
    isActive = fields.Boolean()
    teamRole = fields.String(allow_none=True)
