"""Realistic response examples for the OpenAPI document (they validate against the schemas)."""

from __future__ import annotations

TEAM_ACCESS = [
    "alerts:read", "alerts:write", "event:admin", "event:read", "event:write", "member:read",
    "org:read", "project:admin", "project:read", "project:releases", "project:write",
    "team:admin", "team:read", "team:write",
]

TEAM = {
    "id": "4502349234123",
    "slug": "ancient-gabelers",
    "name": "Ancient Gabelers",
    "dateCreated": "2023-05-31T19:47:53.621181Z",
    "isMember": True,
    "teamRole": None,
    "flags": {"idp:provisioned": False},
    "access": TEAM_ACCESS,
    "hasAccess": True,
    "isPending": False,
    "memberCount": 3,
    "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
}

#: A project as the projects plugin renders it in a team (abridged).
PROJECT_REF = {"id": "4505321021243392", "slug": "the-spoiled-yoghurt",
               "name": "The Spoiled Yoghurt", "platform": "python"}

TEAM_WITH_PROJECTS = {**TEAM, "externalTeams": [], "projects": [PROJECT_REF]}

ORGANIZATION = {
    "id": "4502349234120",
    "slug": "the-interstellar-jurisdiction",
    "name": "The Interstellar Jurisdiction",
    "dateCreated": "2023-05-31T19:47:53.621181Z",
    "status": {"id": "active", "name": "active"},
    "isEarlyAdopter": False,
    "require2FA": False,
    "requireEmailVerification": False,
    "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
    "links": {
        "organizationUrl": "https://sentry.example.com/organizations/the-interstellar-jurisdiction/",
        "regionUrl": "https://sentry.example.com",
    },
    "hasAuthProvider": False,
    "allowMemberInvite": True,
    "allowMemberProjectCreation": True,
    "allowSuperuserAccess": False,
    "features": [],
}

TEAM_DETAIL = {**TEAM, "organization": ORGANIZATION}

TEAM_MEMBER = {
    "id": "57377908164",
    "email": "sirpenguin@antarcticarocks.com",
    "name": "Sir Penguin",
    "user": {
        "id": "280094367316",
        "name": "Sir Penguin",
        "username": "sirpenguin@antarcticarocks.com",
        "email": "sirpenguin@antarcticarocks.com",
        "avatarUrl": "",
        "isActive": True,
        "isSuspended": False,
        "hasPasswordAuth": True,
        "isManaged": False,
        "dateJoined": "2021-07-06T21:13:58.375239Z",
        "lastLogin": "2021-08-02T18:25:00.051182Z",
        "has2fa": False,
        "lastActive": "2021-08-02T21:32:18.836829Z",
        "isSuperuser": False,
        "isStaff": False,
        "experiments": {},
        "emails": [{"id": "280094367316", "email": "sirpenguin@antarcticarocks.com",
                    "is_verified": True}],
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
    },
    "orgRole": "member",
    "role": "member",
    "roleName": "Member",
    "pending": False,
    "expired": False,
    "flags": {
        "idp:provisioned": False, "idp:role-restricted": False, "sso:linked": False,
        "sso:invalid": False, "member-limit:restricted": False, "partnership:restricted": False,
    },
    "dateCreated": "2021-07-06T21:13:01.120263Z",
    "inviteStatus": "approved",
    "inviterName": "maininviter@antarcticarocks.com",
    "teamRole": "contributor",
    "teamSlug": "ancient-gabelers",
}

MEMBER_TEAM = {"isActive": True, "teamRole": "admin"}
