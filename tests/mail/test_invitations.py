"""Invitation e-mails: sendInvite / reinvite, and the one-time link that lets the invitee join."""

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from sentryapi.extensions import db
from sentryapi.mail.models import MailOutbox
from sentryapi.organizations.invitations import InviteToken
from sentryapi.tenants.models import OrganizationMember
from sentryapi.testing import ApiClient

LINK = re.compile(r"http://testserver\.example(/accept/(\d+)/([A-Za-z0-9_-]+)/)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def api(mail_app, owner):
    return ApiClient(mail_app.test_client(), owner.token)


def _invite(api, owner, email="new@example.com", **extra):
    made = api.post(f"/api/0/organizations/{owner.org}/members/", json={"email": email, "orgRole": "member", **extra})
    assert made.status_code == 201, made.json
    return made.json


def _link(message):
    found = LINK.search(message.get_body(("plain",)).get_content())
    assert found, message
    assert found.group(0) in message.get_body(("html",)).get_content()
    return found.group(1), int(found.group(2)), found.group(3)


def _join(browser, path, password="a-good-password", status=302):
    page = browser.get(path)
    assert page.status_code == 200, page.text
    token = CSRF.search(page.text).group(1)
    answer = browser.post(path, data={"csrf_token": token, "name": "New", "password": password})
    assert answer.status_code == status, answer.text
    return answer


def test_an_invitation_link_lets_the_invitee_set_a_password_and_join(api, owner, mail_app, mailbox):
    member = _invite(api, owner)
    assert member["pending"] is True
    [message] = mailbox.wait(1)
    assert message["To"] == "new@example.com"
    path, member_id, token = _link(message)
    assert member_id == int(member["id"])
    with mail_app.app_context():  # stored hashed, never as sent
        stored = db.session.scalar(select(InviteToken.token_hash))
        assert stored and token not in stored
    browser = mail_app.test_client()
    _join(browser, path)
    joined = api.get(f"/api/0/organizations/{owner.org}/members/{member_id}/")
    assert joined.status_code == 200, joined.json
    assert joined.json["pending"] is False and joined.json["email"] == "new@example.com"
    # single use
    assert mail_app.test_client().get(path).status_code == 404
    # and the password works on the sign-in page
    login = mail_app.test_client()
    page = login.get("/auth/login/")
    signed = login.post("/auth/login/", data={"csrf_token": CSRF.search(page.text).group(1),
                                              "email": "new@example.com", "password": "a-good-password"})
    assert signed.status_code == 302


def test_a_short_password_is_refused_and_the_link_still_works(api, owner, mail_app, mailbox):
    _invite(api, owner)
    path, _, _ = _link(mailbox.wait(1)[0])
    _join(mail_app.test_client(), path, password="short", status=400)
    assert mail_app.test_client().get(path).status_code == 200


def test_an_expired_or_wrong_link_is_refused(api, owner, mail_app, mailbox):
    _invite(api, owner)
    path, member_id, token = _link(mailbox.wait(1)[0])
    assert mail_app.test_client().get(f"/accept/{member_id}/{token}x/").status_code == 404
    with mail_app.app_context():
        db.session.execute(update(InviteToken).values(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        db.session.commit()
    assert mail_app.test_client().get(path).status_code == 404


def test_reinvite_sends_a_new_link_and_the_old_one_stops_working(api, owner, mail_app, mailbox):
    member = _invite(api, owner)
    old, _, _ = _link(mailbox.wait(1)[0])
    again = api.put(f"/api/0/organizations/{owner.org}/members/{member['id']}/", json={"reinvite": True})
    assert again.status_code == 200, again.json
    new, _, _ = _link(mailbox.wait(2)[1])
    assert new != old
    assert mail_app.test_client().get(old).status_code == 404
    # POST with reinvite for the same e-mail sends it once more
    assert _invite(api, owner, reinvite=True)["id"] == member["id"]
    third, _, _ = _link(mailbox.wait(3)[2])
    _join(mail_app.test_client(), third)


def test_reinviting_a_member_who_joined_is_a_400(api, owner):
    me = api.put(f"/api/0/organizations/{owner.org}/members/{owner.member.id}/", json={"reinvite": True})
    assert me.status_code == 400 and "reinvite" in me.json


def test_send_invite_false_sends_nothing(api, owner, mail_app):
    _invite(api, owner, sendInvite=False)
    with mail_app.app_context():
        assert db.session.scalar(select(MailOutbox.id)) is None


def test_an_existing_user_joins_with_their_password(api, owner, mail_app, mailbox, make_user):
    _invite(api, owner, email="later@example.com")
    path, member_id, _ = _link(mailbox.wait(1)[0])
    make_user(email="other@example.com", password="pw-of-other")  # unrelated account
    with mail_app.app_context():  # an account with the address made without joining (sendInvite raced)
        from sentryapi.auth.models import User

        user = User(email="later@example.com", name="")
        user.set_password("existing-password")
        db.session.add(user)
        db.session.commit()
    _join(mail_app.test_client(), path, password="wrong-password", status=400)
    _join(mail_app.test_client(), path, password="existing-password")
    with mail_app.app_context():
        assert db.session.get(OrganizationMember, member_id).user_id is not None
