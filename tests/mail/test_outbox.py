"""E-mail through the outbox to a real SMTP server (aiosmtpd), and kept while it is down."""

import datetime as dt
import logging
import time

from sqlalchemy import insert, select

from sentryapi.extensions import db
from sentryapi.mail import send_mail
from sentryapi.mail.delivery import deliver_due
from sentryapi.mail.models import FAILED, PENDING, SENT, MailOutbox
from sentryapi.scheduler import run_task
from sentryapi.testing import Mailbox


def _send(app, to="dev@example.com", **kwargs):
    with app.app_context():
        send_mail(to, "Hello", "plain body", "<p>html body</p>", kind="test", **kwargs)
        db.session.commit()


def _rows(app):
    with app.app_context():
        rows = db.session.scalars(select(MailOutbox)).all()
        db.session.remove()
        return rows


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_mail_is_sent_over_smtp_with_plain_and_html_parts(mail_app, mailbox):
    _send(mail_app)
    [message] = mailbox.wait(1)
    assert message["To"] == "dev@example.com"
    assert message["From"] == "alerts@sentryapi.test"
    assert message["Subject"] == "Hello"
    assert message.get_body(("plain",)).get_content().strip() == "plain body"
    assert message.get_body(("html",)).get_content().strip() == "<p>html body</p>"
    _wait_for(lambda: _rows(mail_app)[0].status == SENT)


def test_mail_waits_in_the_outbox_while_smtp_is_down(make_app):
    box = Mailbox()  # not listening yet
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port, SMTP_TIMEOUT=2)
    _send(app)
    _wait_for(lambda: _rows(app)[0].last_error != "")
    [row] = _rows(app)
    assert row.status == PENDING and "refused" in row.last_error.lower()
    assert row.due_at > row.date_created
    box.start()
    try:
        with app.app_context():  # the periodic sweep, once the retry is due
            assert deliver_due(row.due_at + dt.timedelta(seconds=1)) == 1
        [message] = box.wait(1)
        assert message["Subject"] == "Hello"
        assert _rows(app)[0].status == SENT
    finally:
        box.stop()


def test_mail_gives_up_after_its_attempts(make_app):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=Mailbox().port, MAIL_MAX_ATTEMPTS=1)
    _send(app)
    _wait_for(lambda: _rows(app)[0].status == FAILED)


def test_without_an_smtp_host_mail_is_logged_not_sent(app, caplog):
    caplog.set_level(logging.INFO, logger="sentryapi.mail")
    _send(app, to="logged@example.com")
    _wait_for(lambda: _rows(app)[0].status == SENT)
    assert any("logged@example.com" in r.getMessage() and "plain body" in r.getMessage()
               for r in caplog.records)


def test_a_rolled_back_mail_is_never_sent(mail_app, mailbox):
    with mail_app.app_context():
        send_mail("no@example.com", "Never", "body")
        db.session.rollback()
    _send(mail_app, to="yes@example.com")
    mailbox.wait(1)
    time.sleep(0.2)
    assert [m["To"] for m in mailbox.messages] == ["yes@example.com"]


def test_the_outbox_task_sends_what_no_queue_took(app, mailbox, make_app):
    with app.app_context():  # a row committed without being handed to any queue
        db.session.execute(insert(MailOutbox).values(
            guid="f" * 32, to_address="late@example.com", subject="Late", text_body="late",
            html_body="", kind="test", status=PENDING, attempts=0, max_attempts=3, last_error=""))
        db.session.commit()
    mail_app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    run_task(mail_app, "mail.outbox")
    assert mailbox.wait(1)[0]["Subject"] == "Late"
