"""Built-in plugin: the API index, organizations, members and auth tokens (the tenant root)."""

from ..plugins import Plugin
from . import members, tokens, views

plugin = Plugin(
    name="organizations",
    blueprints=(views.blp, members.blp, tokens.blp),
    tags=(
        {"name": "Organizations", "description": "Organizations: the tenant every resource lives in."},
        {"name": "Members", "description": "Members of an organization and their roles."},
        {"name": "Auth Tokens", "description": "User (`sntryu_`) and organization (`sntrys_`) tokens."},
    ),
    scopes=("org:read", "org:write", "org:admin", "member:read", "member:write", "member:admin",
            "member:invite"),
)
