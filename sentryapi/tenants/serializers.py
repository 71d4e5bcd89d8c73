"""Build the JSON objects Sentry returns for users, organizations, members and tokens."""

from __future__ import annotations

from flask import current_app

from ..auth.scopes import ROLES
from .options import ORGANIZATION_OPTIONS

STATUS_NAMES = {"active": "active", "pending_deletion": "pending deletion"}
LETTER_AVATAR = {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None}
TEAM_ROLES = (
    {"id": "contributor", "name": "Contributor", "desc": "Contributors can view and act on events, as well as view most other data within the team's projects.", "scopes": ["event:read", "event:write", "event:admin", "project:releases", "project:read", "org:read", "member:read", "team:read", "alerts:read", "alerts:write"], "minimum": "member"},
    {"id": "admin", "name": "Team Admin", "desc": "Admin privileges on the team.", "scopes": ["event:read", "event:write", "event:admin", "org:read", "member:read", "project:read", "project:write", "project:admin", "project:releases", "team:read", "team:write", "team:admin", "alerts:read", "alerts:write"], "minimum": "admin"},
)


def serialize_user(user) -> dict | None:
    if user is None:
        return None
    return {
        "id": user.id,
        "name": user.name or user.email,
        "username": user.email,
        "email": user.email,
        "avatarUrl": "",
        "isActive": user.is_active,
        "isSuspended": False,
        "hasPasswordAuth": bool(user.password_hash),
        "isManaged": False,
        "dateJoined": user.date_joined,
        "lastLogin": user.last_login,
        "has2fa": False,
        "lastActive": user.last_login,
        "isSuperuser": user.is_superuser,
        "isStaff": False,
        "experiments": {},
        "emails": [{"id": user.id, "email": user.email, "is_verified": True}],
        "avatar": dict(LETTER_AVATAR),
    }


def organization_features(organization) -> list[str]:
    """Feature flags every plugin contributes through the ``organization_features`` hook."""
    registry = current_app.extensions["sentryapi.plugins"]
    features = set()
    for contributed in registry.call("organization_features", organization):
        features.update(contributed)
    return sorted(features)


def serialize_organization(organization) -> dict:
    public_url = current_app.config["PUBLIC_URL"]
    return {
        "id": organization.id,
        "slug": organization.slug,
        "name": organization.name,
        "dateCreated": organization.date_created,
        "status": {"id": organization.status, "name": STATUS_NAMES.get(organization.status, organization.status)},
        "isEarlyAdopter": organization.option("isEarlyAdopter"),
        "require2FA": False,
        "requireEmailVerification": False,
        "avatar": dict(LETTER_AVATAR),
        "links": {
            "organizationUrl": f"{public_url}/organizations/{organization.slug}/",
            "regionUrl": public_url,
        },
        "hasAuthProvider": False,
        "allowMemberInvite": True,
        "allowMemberProjectCreation": True,
        "allowSuperuserAccess": False,
        "features": organization_features(organization),
    }


def org_role_list(actor_role: str | None) -> list[dict]:
    out = []
    for role in ROLES.values():
        allowed = actor_role is not None and ROLES[actor_role].priority >= role.priority
        out.append({
            "id": role.id, "name": role.name, "desc": role.desc, "scopes": sorted(role.scopes),
            "allowed": allowed, "isAllowed": allowed, "isRetired": False,
            "isTeamRolesAllowed": True, "is_global": role.id == "owner", "isGlobal": role.id == "owner",
            "minimumTeamRole": "admin" if role.priority >= 2 else "contributor",
        })
    return out


def team_role_list(actor_role: str | None) -> list[dict]:
    allowed = actor_role is not None and ROLES[actor_role].priority >= 2
    return [
        {"id": r["id"], "name": r["name"], "desc": r["desc"], "scopes": r["scopes"],
         "allowed": allowed, "isAllowed": allowed, "isRetired": False,
         "isTeamRolesAllowed": True, "isMinimumRoleFor": r["minimum"]}
        for r in TEAM_ROLES
    ]


def serialize_organization_detail(organization, member, scopes) -> dict:
    """The detailed form: settings, the caller's role and access, teams and projects."""
    registry = current_app.extensions["sentryapi.plugins"]
    role = member.role if member is not None else None
    data = serialize_organization(organization)
    data.update({key: organization.option(key) for key in ORGANIZATION_OPTIONS})
    data.update({
        "role": role,
        "orgRole": role,
        "access": sorted(scopes),
        "orgRoleList": org_role_list(role),
        "teamRoleList": team_role_list(role),
        "experiments": {},
        "isDefault": False,
        "isDynamicallySampled": False,
        "aggregatedDataConsent": False,
        "pendingAccessRequests": 0,
        "requiresSso": False,
        "relayPiiConfig": None,
        "relayDsnEndpoint": None,
        "trustedRelays": [],
        # AI features do not exist here; these say so in Sentry's vocabulary.
        "enableSeerCoding": False,
        "defaultSeerScannerAutomation": False,
        "defaultAutofixAutomationTuning": "off",
        "defaultAutomatedRunStoppingPoint": "root_cause",
        "defaultCodingAgent": "seer",
        "defaultCodingAgentIntegrationId": None,
        "autoEnableCodeReview": False,
        "autoOpenPrs": False,
        "defaultCodeReviewTriggers": [],
        "teams": [],
        "projects": [],
    })
    for extra in registry.call("organization_details", organization, member):
        data.update(extra)
    return data


def serialize_member(member, *, detailed=False, is_only_owner=False, actor_role=None) -> dict:
    user = member.user
    data = {
        "id": member.id,
        "email": member.display_email,
        "name": (user.name or user.email) if user is not None else member.email,
        "user": serialize_user(user),
        "orgRole": member.role,
        "role": member.role,
        "roleName": ROLES[member.role].name,
        "pending": member.is_pending,
        "expired": False,
        "flags": {
            "idp:provisioned": False, "idp:role-restricted": False, "sso:linked": False,
            "sso:invalid": False, "member-limit:restricted": False, "partnership:restricted": False,
        },
        "dateCreated": member.date_created,
        "inviteStatus": "approved",
        "inviterName": (member.inviter.name or member.inviter.email) if member.inviter else None,
    }
    if detailed:
        registry = current_app.extensions["sentryapi.plugins"]
        teams: list[str] = []
        team_roles: list[dict] = []
        for contributed in registry.call("member_teams", member):
            teams.extend(contributed)
            team_roles.extend({"teamSlug": slug, "role": None} for slug in contributed)
        data.update({
            "teams": teams,
            "teamRoles": team_roles,
            "invite_link": None,
            "isOnlyOwner": is_only_owner,
            "orgRoleList": org_role_list(actor_role),
            "teamRoleList": team_role_list(actor_role),
        })
    return data


def serialize_api_token(token, *, plaintext: str | None = None) -> dict:
    data = {
        "id": token.id,
        "name": token.name,
        "scopes": sorted(token.scopes),
        "application": None,
        "expiresAt": token.expires_at,
        "dateCreated": token.date_created,
        "dateLastUsed": token.last_used_at,
        "state": None,
        "tokenLastCharacters": token.token_last_characters,
    }
    if plaintext is not None:
        data["token"] = plaintext
    return data


def _creator(user) -> dict | None:
    return None if user is None else {"id": str(user.id), "name": user.name or user.email,
                                      "email": user.email}


def serialize_org_auth_token(token, *, plaintext: str | None = None) -> dict:
    data = {
        "id": token.id,
        "name": token.name or "",
        "scopes": sorted(token.scopes),
        "tokenLastCharacters": token.token_last_characters,
        "dateCreated": token.date_created,
        "dateLastUsed": token.last_used_at,
        "projectLastUsedId": None,
        "createdBy": _creator(token.created_by),
    }
    if plaintext is not None:
        data["token"] = plaintext
    return data
