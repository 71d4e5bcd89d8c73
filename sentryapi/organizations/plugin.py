"""Built-in plugin: the API index, organizations, members and auth tokens (the tenant root)."""

from ..auth.models import ApiToken, User
from ..plugins import Plugin
from ..tenants.models import Organization, OrganizationMember
from . import members, tokens, views
from .invitations import InviteToken

plugin = Plugin(
    name="organizations",
    blueprints=(views.blp, members.blp, tokens.blp),
    tags=(
        {"name": "Organizations", "description": "Organizations: the tenant every resource lives in."},
        {"name": "Members", "description": "Members of an organization and their roles."},
        {"name": "Auth Tokens", "description": "User (`sntryu_`) and organization (`sntrys_`) tokens."},
    ),
    models=(User, ApiToken, Organization, OrganizationMember, InviteToken),
    scopes=("org:read", "org:write", "org:admin", "member:read", "member:write", "member:admin",
            "member:invite"),
)
