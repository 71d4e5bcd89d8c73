"""One message over SMTP (plain text with an HTML alternative), or to the log without a host."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger("sentryapi.mail")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


def build(config, row) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    domain = config["SMTP_FROM"].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=row.guid, domain=domain)
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html")
    return message


def send(config, message: EmailMessage) -> None:
    """Send ``message``, or log it when no SMTP host is set; raises on any SMTP failure."""
    host = config["SMTP_HOST"]
    if not host:
        log.info("mail not sent (no SENTRYAPI_SMTP_HOST): to %s, subject %r\n%s",
                 message["To"], message["Subject"], message.get_body(("plain",)).get_content())
        return
    tls = config["SMTP_TLS"]
    port = config["SMTP_PORT"] or DEFAULT_PORTS[tls]
    timeout = config["SMTP_TIMEOUT"]
    if tls == "ssl":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            client.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        client.send_message(message)
