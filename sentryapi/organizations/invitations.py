"""Invitation e-mails: a one-time link (expiring, single use, stored hashed) that lets the
invitee set a password, or sign in, and join (the page is ``sentryapi.oauth.accept``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from html import escape

from flask import current_app
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from ..database import BigId, UTCDateTime, utcnow
from ..extensions import db
from ..plugins import send_mail  # the mail plugin's, as any plugin sends it
from ..tenants.models import OrganizationMember

#: How long an invitation link works (Sentry's: 30 days).
LIFETIME = dt.timedelta(days=30)


class InviteToken(db.Model):
    """The hash of a pending member's current invitation link (one per member)."""

    __tablename__ = "organization_member_invite"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("organization_member.id", ondelete="CASCADE"),
                                           unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    date_created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(member_id: int, token: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/accept/{member_id}/{token}/"


def send_invitation(member: OrganizationMember, inviter=None) -> None:
    """A new link for a pending ``member`` (any earlier one stops working), e-mailed in the
    caller's transaction."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(InviteToken).where(InviteToken.member_id == member.id))
    db.session.add(InviteToken(member_id=member.id, token_hash=_digest(token),
                               expires_at=utcnow() + LIFETIME))
    organization = member.organization
    url = accept_url(member.id, token)
    who = (getattr(inviter, "name", "") or getattr(inviter, "email", "")) if inviter else ""
    by = f"{who} invited you" if who else "You are invited"
    text = (f"{by} to join the organization {organization.name} on sentryapi.\n\n"
            f"Accept the invitation (the link works once, for {LIFETIME.days} days):\n{url}\n")
    html = (f"<p>{escape(by)} to join the organization <strong>{escape(organization.name)}</strong>"
            f" on sentryapi.</p><p><a href=\"{escape(url)}\">Accept the invitation</a> (the link works once,"
            f" for {LIFETIME.days} days).</p>")
    send_mail(member.email, f"Join {organization.name} on sentryapi", text, html, kind="invitation")


def find_invitation(member_id: int, token: str) -> OrganizationMember | None:
    """The pending member this link invites, if the link is valid (unused, unexpired)."""
    row = db.session.scalar(select(InviteToken).where(InviteToken.member_id == member_id))
    if row is None or row.expires_at <= utcnow():
        return None
    if not hmac.compare_digest(row.token_hash, _digest(token)):
        return None
    member = db.session.get(OrganizationMember, member_id)
    return member if member is not None and member.is_pending else None


def accept_invitation(member: OrganizationMember, user) -> None:
    """``user`` joins through ``member``'s invitation; the link is spent (caller commits)."""
    db.session.execute(delete(InviteToken).where(InviteToken.member_id == member.id))
    already = db.session.scalar(select(OrganizationMember).where(
        OrganizationMember.organization_id == member.organization_id,
        OrganizationMember.user_id == user.id, OrganizationMember.id != member.id))
    if already is not None:  # a member already: the invitation has nothing left to give
        db.session.delete(member)
        return
    member.user_id, member.email = user.id, None
