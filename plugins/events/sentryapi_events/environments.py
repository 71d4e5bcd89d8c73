"""Environments (``production``, ``staging``...): recorded per organization as events arrive,
and per project with Sentry's ``isHidden`` flag.

An environment is an organization's row; each project it was seen in has a
``project_environment`` row that carries whether the project hides it, and the
environment's name (names never change, so the lists page by name without a join).
The digest records a batch's pairs with two statements (insert unless there), not one per
event.
"""

from __future__ import annotations

import datetime as dt
import re

from sentryapi_projects import Project
from sqlalchemy import BigInteger, Boolean, ForeignKey, String, UniqueConstraint, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from sentryapi.api import BigId, UTCDateTime, db, utcnow

from .upsert import dialect_insert

#: Sentry's rule: at most 64 characters, no line breaks, form feeds or slashes.
MAX_NAME_LENGTH = 64
_VALID_NAME = re.compile(r"^[^\n\r\f/]*$")
VISIBILITIES = ("visible", "hidden", "all")


class Environment(db.Model):
    __tablename__ = "environment"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    date_added: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EnvironmentProject(db.Model):
    __tablename__ = "project_environment"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    environment_id: Mapped[int] = mapped_column(
        ForeignKey("environment.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)


def valid_name(name) -> bool:
    return isinstance(name, str) and 0 < len(name) <= MAX_NAME_LENGTH and bool(_VALID_NAME.match(name))


def record(seen: set[tuple[int, int, str]]) -> None:
    """Record (organization id, project id, name) triples an event batch brought (in the
    batch's transaction); names Sentry would refuse are not recorded."""
    new = {(org, project, name) for org, project, name in seen if valid_name(name)}
    if not new:
        return
    env_rows = [{"organization_id": org, "name": name} for org, name in sorted({(o, n) for o, _, n in new})]
    db.session.execute(dialect_insert(Environment).on_conflict_do_nothing(
        index_elements=["organization_id", "name"]), env_rows)
    ids = {(org, name): env_id for org, name, env_id in db.session.execute(
        select(Environment.organization_id, Environment.name, Environment.id).where(
            Environment.organization_id.in_({org for org, _, _ in new}),
            Environment.name.in_({name for _, _, name in new})))}
    db.session.execute(dialect_insert(EnvironmentProject).on_conflict_do_nothing(
        index_elements=["project_id", "name"]),
        [{"project_id": project, "environment_id": ids[(org, name)], "name": name, "is_hidden": False}
         for org, project, name in sorted(new)])


def visibility_filter(column, visibility: str):
    """``is_hidden`` condition for Sentry's ``visibility`` argument (``visible`` by default)."""
    if visibility == "hidden":
        return column.is_(True)
    if visibility == "visible":
        return column.is_(False)
    return True


def organization_environments(organization_id: int, visibility: str):
    """The organization's environments seen in any of its active projects with that visibility."""
    in_projects = exists().where(
        EnvironmentProject.environment_id == Environment.id,
        EnvironmentProject.project_id == Project.id,
        Project.status == "active",
        visibility_filter(EnvironmentProject.is_hidden, visibility),
    )
    return select(Environment).where(Environment.organization_id == organization_id, in_projects)


def project_environments(project_id: int, visibility: str):
    return select(EnvironmentProject).where(
        EnvironmentProject.project_id == project_id,
        visibility_filter(EnvironmentProject.is_hidden, visibility))


def serialize(row) -> dict:
    """An organization's environment (``Environment``) or a project's (``EnvironmentProject``)."""
    if isinstance(row, EnvironmentProject):
        return {"id": str(row.environment_id), "name": row.name, "isHidden": bool(row.is_hidden)}
    return {"id": str(row.id), "name": row.name}
