"""Endpoints: organization members (and pending invitations)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from ..access.permissions import MEMBER_READ, MEMBER_WRITE
from ..api import (
    NUMBER,
    Blueprint,
    Conflict,
    Endpoint,
    Ordering,
    PermissionDenied,
    ValidationFailed,
    build_filters,
    get_or_404,
    paginate,
    parse_id,
    parse_query,
    text_match,
)
from ..auth.models import User
from ..auth.scopes import TOP_ROLE, can_manage
from ..extensions import db
from ..tenants.models import OrganizationMember
from ..tenants.schemas import (
    MemberCreateSchema,
    MemberDetailSchema,
    MemberListArgs,
    MemberSchema,
    MemberUpdateSchema,
)
from ..tenants.serializers import serialize_member
from . import examples, services
from .invitations import send_invitation

blp = Blueprint("Members", __name__, description="Organization members and their roles.")


ORDERING = Ordering(OrganizationMember.id, OrganizationMember.id, descending=False, kind=NUMBER)

SEARCH_KEYS = {
    "email": lambda f: or_(text_match(User.email, f), text_match(OrganizationMember.email, f)),
    "role": lambda f: text_match(OrganizationMember.role, f),
    "orgRole": lambda f: text_match(OrganizationMember.role, f),
    "isInvited": lambda f: (OrganizationMember.user_id.is_(None) if f.value.lower() in ("true", "1")
                            else OrganizationMember.user_id.is_not(None)),
}


def _members(organization):
    return (
        select(OrganizationMember)
        .outerjoin(User, User.id == OrganizationMember.user_id)
        .where(OrganizationMember.organization_id == organization.id)
    )


def _team_roles(member, team_roles) -> None:
    """Hand ``teamRoles`` to the plugin that knows teams; without one they cannot be set."""
    if not team_roles:
        return
    registry = current_app.extensions["sentryapi.plugins"]
    if not registry.call("set_member_teams", member, team_roles):
        raise ValidationFailed({"teamRoles": ["Teams are not available on this server."]})


class MemberEndpoint(Endpoint):
    def actor_role(self) -> str | None:
        return self.member.role if self.member is not None else None

    def check_can_grant(self, role: str) -> None:
        actor = self.actor_role()
        if actor is None or not can_manage(actor, role):
            raise PermissionDenied("You do not have permission to set that org-level role.")

    def get_member(self, member_id: str) -> OrganizationMember:
        stmt = _members(self.organization)
        if member_id == "me":
            if self.member is None:
                raise PermissionDenied()
            return self.member
        parsed = parse_id(member_id)
        stmt = stmt.where(OrganizationMember.id == (-1 if parsed is None else parsed))
        return get_or_404(stmt)

    def detail(self, member):
        is_only_owner = member.role == TOP_ROLE and services.owner_count(self.organization) == 1
        return serialize_member(member, detailed=True, is_only_owner=is_only_owner,
                                actor_role=self.actor_role())


@blp.route("/organizations/<organization_id_or_slug>/members/")
class MemberIndex(MemberEndpoint):
    scope_map = {"GET": MEMBER_READ, "POST": MEMBER_WRITE}
    public = frozenset({"GET", "POST"})

    @blp.doc(operationId="listOrganizationMembers")
    @blp.arguments(MemberListArgs, location="query")
    @blp.paginated_response(MemberSchema(many=True), example=examples.MEMBER_LIST)
    def get(self, args, organization_id_or_slug):
        """List an organization's members.

        `query` accepts `email:`, `role:` and `isInvited:true`, and free text on e-mail.
        """
        condition = build_filters(
            parse_query(args["query"]), SEARCH_KEYS,
            text_columns=(User.email, User.name, OrganizationMember.email),
        )
        stmt = _members(self.organization)
        if condition is not None:
            stmt = stmt.where(condition)
        return paginate(stmt, ORDERING).serialize(lambda rows: [serialize_member(m) for m in rows])

    @blp.doc(operationId="addOrganizationMember")
    @blp.errors(409)
    @blp.arguments(MemberCreateSchema)
    @blp.response(201, MemberSchema, example=examples.NEW_MEMBER)
    def post(self, data, organization_id_or_slug):
        """Add a member to an organization.

        An existing user with the e-mail becomes a member at once; otherwise the invitation
        waits (`pending`) and, unless `sendInvite` is false, an e-mail with a one-time link
        (30 days) lets the invitee set a password and join. `reinvite` with the e-mail of a
        pending invitation sends it again (a new link; the old one stops working).
        """
        role = data.get("orgRole") or data.get("role") or self.organization.option("defaultRole")
        self.check_can_grant(role)
        email = data["email"].strip().lower()
        user = services.find_user(email)
        exists = _members(self.organization).where(
            or_(OrganizationMember.email == email, User.email == email)
        )
        found = db.session.scalars(exists.limit(1)).first()
        if found is not None and found.is_pending and data.get("reinvite"):
            send_invitation(found, self.user)
            db.session.commit()
            return serialize_member(found)
        if found is not None:
            raise Conflict(f"The user {email} is already a member")
        member = OrganizationMember(
            organization_id=self.organization.id, role=role,
            user_id=user.id if user else None, email=None if user else email,
            inviter_id=self.user.id if self.user else None,
        )
        db.session.add(member)
        db.session.flush()
        _team_roles(member, data.get("teamRoles"))
        if member.is_pending and data.get("sendInvite", True):
            send_invitation(member, self.user)
        db.session.commit()
        return serialize_member(member)


@blp.route("/organizations/<organization_id_or_slug>/members/<member_id>/")
class MemberDetails(MemberEndpoint):
    # Anyone may read or leave; changing someone else needs more (checked below).
    scope_map = {"GET": MEMBER_READ, "PUT": MEMBER_WRITE, "DELETE": MEMBER_READ}
    public = frozenset({"GET", "PUT", "DELETE"})

    @blp.doc(operationId="getOrganizationMember")
    @blp.response(200, MemberDetailSchema, example=examples.MEMBER_DETAIL)
    def get(self, organization_id_or_slug, member_id):
        """Retrieve a member (`me` for yourself)."""
        return self.detail(self.get_member(member_id))

    @blp.doc(operationId="updateOrganizationMember")
    @blp.arguments(MemberUpdateSchema)
    @blp.response(200, MemberDetailSchema, example=examples.MEMBER_DETAIL)
    def put(self, data, organization_id_or_slug, member_id):
        """Change a member's organization role or team roles.

        `reinvite: true` e-mails a pending member's invitation again (a new one-time link).
        """
        member = self.get_member(member_id)
        if data.get("reinvite"):
            if not member.is_pending:
                raise ValidationFailed({"reinvite": ["This member has already joined."]})
            send_invitation(member, self.user)
        role = data.get("orgRole") or data.get("role")
        if role and role != member.role:
            self.check_can_grant(member.role)
            self.check_can_grant(role)
            if member.role == TOP_ROLE and services.owner_count(self.organization) <= 1:
                raise ValidationFailed({"orgRole": ["You cannot demote the only remaining owner."]})
            member.role = role
        if "teamRoles" in data:
            _team_roles(member, data["teamRoles"])
        db.session.commit()
        return self.detail(member)

    @blp.doc(operationId="deleteOrganizationMember")
    @blp.response(204)
    def delete(self, organization_id_or_slug, member_id):
        """Remove a member (or leave the organization with `me`)."""
        member = self.get_member(member_id)
        if self.member is None or member.id != self.member.id:
            self.require_scope("member:admin")
            self.check_can_grant(member.role)
        if member.role == TOP_ROLE and member.user_id is not None and services.owner_count(self.organization) <= 1:
            raise PermissionDenied("Cannot remove the only remaining owner of the organization.")
        db.session.delete(member)
        db.session.commit()

