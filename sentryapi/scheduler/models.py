"""One lease row per task: when it is next due and until when a run holds it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime
from ..extensions import db


class ScheduledTask(db.Model):
    __tablename__ = "scheduled_task"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: Set while a run holds the task; a run that died lets it lapse.
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The last run's failure (one line), empty after a run that succeeded.
    last_error: Mapped[str] = mapped_column(Text, default="")
