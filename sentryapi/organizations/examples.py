"""Response examples for the published document (each one is validated by the test suite)."""

from __future__ import annotations

from ..auth.scopes import ROLES, TOP_ROLE
from ..tenants.options import ORGANIZATION_OPTIONS

BASE_URL = "https://sentry.example.com"
ORG_SLUG = "the-interstellar-jurisdiction"
LETTER_AVATAR = {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None}


def user(user_id: str, name: str, email: str) -> dict:
    return {
        "id": user_id, "name": name, "username": email, "email": email, "avatarUrl": "",
        "isActive": True, "isSuspended": False, "hasPasswordAuth": True, "isManaged": False,
        "dateJoined": "2026-01-12T09:30:00Z", "lastLogin": "2026-03-02T16:05:11Z", "has2fa": False,
        "lastActive": "2026-03-02T16:05:11Z", "isSuperuser": False, "isStaff": False,
        "emails": [{"id": user_id, "email": email, "is_verified": True}],
        "avatar": LETTER_AVATAR,
    }


JANE = user("1", "Jane Bloggs", "jane@example.com")
JOHN = user("2", "John Doe", "john@example.com")
OWNER_SCOPES = sorted(ROLES[TOP_ROLE].scopes)

API_INDEX = {"version": "0", "auth": {"scopes": ["org:read", "project:read"]}, "user": JANE}

ORGANIZATION = {
    "id": "1",
    "slug": ORG_SLUG,
    "name": "The Interstellar Jurisdiction",
    "dateCreated": "2026-01-12T09:31:04Z",
    "status": {"id": "active", "name": "active"},
    "isEarlyAdopter": False,
    "require2FA": False,
    "requireEmailVerification": False,
    "avatar": LETTER_AVATAR,
    "links": {"organizationUrl": f"{BASE_URL}/organizations/{ORG_SLUG}/", "regionUrl": BASE_URL},
    "hasAuthProvider": False,
    "allowMemberInvite": True,
    "allowMemberProjectCreation": True,
    "allowSuperuserAccess": False,
    "features": [],
}

ORGANIZATION_DETAIL = {
    **ORGANIZATION,
    **{key: option.default for key, option in ORGANIZATION_OPTIONS.items()},
    "role": TOP_ROLE,
    "orgRole": TOP_ROLE,
    "access": OWNER_SCOPES,
}

MEMBER_FLAGS = {
    key: False for key in ("idp:provisioned", "idp:role-restricted", "sso:linked", "sso:invalid",
                           "member-limit:restricted", "partnership:restricted")
}


def member(member_id: str, person: dict, role: str, inviter: str | None = None) -> dict:
    return {
        "id": member_id, "email": person["email"], "name": person["name"], "user": person,
        "orgRole": role, "role": role, "roleName": ROLES[role].name, "pending": False,
        "expired": False, "flags": MEMBER_FLAGS, "dateCreated": "2026-02-03T11:00:00Z",
        "inviteStatus": "approved", "inviterName": inviter,
    }


OWNER_MEMBER = member("1", JANE, TOP_ROLE)
NEW_MEMBER = member("2", JOHN, "member", inviter=JANE["name"])
MEMBER_LIST = [OWNER_MEMBER, NEW_MEMBER]
MEMBER_DETAIL = {**NEW_MEMBER, "teams": [], "teamRoles": [], "invite_link": None, "isOnlyOwner": False}
