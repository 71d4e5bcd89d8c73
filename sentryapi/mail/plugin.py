"""Built-in plugin: the mail outbox, its SMTP settings and the task that sweeps it."""

from __future__ import annotations

from ..config import load_settings
from ..plugins import PeriodicTask, Plugin
from .delivery import deliver_due
from .models import MailOutbox
from .settings import SETTINGS


def init_app(app) -> None:
    load_settings(app, SETTINGS)


def _sweep() -> None:
    deliver_due()


plugin = Plugin(name="mail", requires=("scheduler",), models=(MailOutbox,), init_app=init_app,
                tasks=(PeriodicTask(name="mail.outbox", every=30, run=_sweep, lease=600),))
