"""``SENTRYAPI_SMTP_*``: where mail goes. Without a host, mail is logged, not sent."""

from __future__ import annotations

from ..config import Setting

TLS_MODES = ("none", "starttls", "ssl")

SETTINGS = (
    Setting("SMTP_HOST", str, "",
            "SMTP server for e-mail (alerts, invitations); empty: mail is written to the log, not sent"),
    Setting("SMTP_PORT", int, 0,
            "SMTP port; 0: 25, 587 with `starttls`, 465 with `ssl`", minimum=0),
    Setting("SMTP_FROM", str, "sentryapi@localhost", "The From address of every e-mail"),
    Setting("SMTP_USERNAME", str, "", "SMTP login (none when empty)"),
    Setting("SMTP_PASSWORD", str, "", "SMTP password"),
    Setting("SMTP_TLS", str, "none", "`none`, `starttls` or `ssl` (implicit TLS)", choices=TLS_MODES),
    Setting("SMTP_TIMEOUT", float, 10.0, "Seconds to wait for the SMTP server", minimum=0.1),
    Setting("MAIL_MAX_ATTEMPTS", int, 20,
            "Attempts per e-mail before it is marked failed (backoff doubles from 10 s to 1 h)",
            minimum=1),
)
