"""``flask sentryapi ...``: set up a server, create users and tokens, list plugins."""

from __future__ import annotations

import os
import secrets
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .auth.models import User
from .auth.scopes import ROLES, SCOPES, TOP_ROLE
from .extensions import db
from .organizations import services
from .tenants.models import Organization, OrganizationMember
from .web.hooks import call_hook


def fail(message: str):
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group("sentryapi")
def sentryapi_cli():
    """Manage this sentryapi server."""


def upgrade_schema() -> None:
    """Bring the database to the newest schema of the core and every plugin."""
    from flask_migrate import upgrade

    upgrade(revision="heads")


def _print_token(token: str) -> None:
    url = current_app.config["PUBLIC_URL"]
    click.echo(f"API token (shown once, keep it): {token}")
    click.echo(f'Try it:  curl -H "Authorization: Bearer {token}" {url}/api/0/organizations/')


def _add_background_commands() -> None:
    from .retention import cleanup_command
    from .scheduler.cli import run_task_command, tasks_command
    from .serve import serve_command
    from .webhooks.worker import worker_command

    for command in (worker_command, tasks_command, run_task_command, cleanup_command, serve_command):
        sentryapi_cli.add_command(command)


_add_background_commands()


@sentryapi_cli.command("upgrade")
@with_appcontext
def upgrade_command():
    """Create or migrate the database schema (alembic, all plugins)."""
    upgrade_schema()
    click.echo("Database schema is up to date.")


@sentryapi_cli.command("init")
@click.option("--email", default="admin@example.com", show_default=True, help="First user's e-mail.")
@click.option("--org", "org_name", default="Sentry", show_default=True, help="First organization's name.")
@with_appcontext
def init_command(email, org_name):
    """Create the schema, then a first user, organization, team, project and token (once)."""
    upgrade_schema()
    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Already initialized: users exist, no new secret was created.")
        return
    password = secrets.token_urlsafe(12)
    user = services.create_user(email, name="Admin", password=password, superuser=True)
    organization = services.create_organization(org_name, user)
    member = db.session.scalar(select(OrganizationMember).filter_by(
        organization_id=organization.id, user_id=user.id))
    created: dict = {}  # what the plugins made: "team", "project", "dsn" (see their hooks)
    call_hook("organization_initialized", organization, member, created)
    _, token = services.issue_user_token(user, ROLES[TOP_ROLE].scopes, name="init")
    db.session.commit()
    made = [f"organization '{organization.slug}'"]
    made += [f"{kind} '{created[kind].slug}'" for kind in ("team", "project") if kind in created]
    click.echo(f"Created user {user.email} (password: {password}) owning {', '.join(made)}.")
    _print_token(token)
    if "dsn" in created:
        _print_first_event(created["dsn"], organization.slug, created["project"].slug, token)


def _print_first_event(dsn: str, org_slug: str, project_slug: str, token: str) -> None:
    url = current_app.config["PUBLIC_URL"]
    click.echo(f"DSN of project '{project_slug}': {dsn}")
    click.echo("Send a first error (pip install sentry-sdk), in Python:")
    for line in first_event_snippet(dsn):
        click.echo(f"    {line}")
    click.echo(f'Then see it:  curl -H "Authorization: Bearer {token}" '
               f"{url}/api/0/projects/{org_slug}/{project_slug}/issues/")


def first_event_snippet(dsn: str) -> list[str]:
    """Three lines of Python that send an error with the real SDK (its excepthook reports the
    uncaught exception and flushes it at exit)."""
    return ["import sentry_sdk", f'sentry_sdk.init("{dsn}")', "division_by_zero = 1 / 0"]


@sentryapi_cli.command("createuser")
@click.argument("email")
@click.option("--password", help="Password for the sign-in page (none: token access only).")
@click.option("--superuser", is_flag=True, help="Make the user a superuser.")
@click.option("--org", "org_slug", help="Also create an organization with this slug, owned by the user.")
@click.option("--name", default="", help="Display name.")
@with_appcontext
def createuser_command(email, password, superuser, org_slug, name):
    """Create a user (and, with --org, an organization the user owns)."""
    from marshmallow import ValidationError, fields

    from .web.schemas import SLUG_MESSAGE, SLUG_RE

    try:
        fields.Email().deserialize(email)
    except ValidationError:
        fail(f"{email!r} is not an e-mail address")
    if services.find_user(email):
        fail(f"a user with e-mail {email} already exists")
    if org_slug is not None:
        if not SLUG_RE.match(org_slug) or len(org_slug) > 50:
            fail(f"--org {org_slug!r}: {SLUG_MESSAGE}")
        if db.session.scalar(select(Organization).where(Organization.slug == org_slug)):
            fail(f"organization slug {org_slug!r} is taken")
    user = services.create_user(email, name=name, password=password, superuser=superuser)
    db.session.commit()
    click.echo(f"Created user {user.email} (id {user.id}).")
    if org_slug:
        organization = services.create_organization(org_slug, user, slug=org_slug)
        click.echo(f"Created organization '{organization.slug}' owned by {user.email}.")


@sentryapi_cli.command("create-token")
@click.argument("email")
@click.option("--scopes", help="Comma-separated scopes (default: every scope of the user's top role).")
@click.option("--name", default=None, help="A label for the token.")
@with_appcontext
def create_token_command(email, scopes, name):
    """Create a user auth token and print it once."""
    user = services.find_user(email)
    if user is None:
        fail(f"no user with e-mail {email}")
    roles = db.session.scalars(
        select(OrganizationMember.role).where(OrganizationMember.user_id == user.id)
    ).all()
    allowed = set().union(*(ROLES[r].scopes for r in roles)) if roles else set(ROLES["member"].scopes)
    if scopes:
        requested = [s.strip() for s in scopes.split(",") if s.strip()]
        unknown = [s for s in requested if s not in SCOPES]
        if unknown or not requested:
            fail(f"unknown scopes: {', '.join(unknown) or '(none given)'}; known: {', '.join(SCOPES)}")
    else:
        requested = sorted(allowed)
    _, token = services.issue_user_token(user, requested, name=name)
    db.session.commit()
    _print_token(token)


@sentryapi_cli.command("check-production")
@with_appcontext
def check_production_command():
    """Check this host's settings for running several processes or hosts; exit 1 on errors."""
    from .production import check_production

    findings = check_production()
    for finding in findings:
        click.echo(f"{finding.level}: {finding.message}")
    if any(finding.level == "error" for finding in findings):
        sys.exit(1)


@sentryapi_cli.command("plugins")
@with_appcontext
def plugins_command():
    """List the loaded plugins with their versions."""
    for plugin in current_app.extensions["sentryapi.plugins"]:
        requires = f" (requires {', '.join(plugin.requires)})" if plugin.requires else ""
        click.echo(f"{plugin.name} {plugin.version or '?'} from {plugin.distribution or '?'}{requires}")


@sentryapi_cli.command("makemigrations")
@click.argument("plugin_name")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@with_appcontext
def makemigrations_command(plugin_name, message):
    """Autogenerate the next revision of one plugin's alembic branch (its tables only)."""
    from .migrations_tools import make_plugin_revision

    try:
        path = make_plugin_revision(plugin_name, message)
    except LookupError as error:
        fail(str(error))
    click.echo(f"Wrote {path}" if path else "No changes in the plugin's tables.")


@sentryapi_cli.command("check-plugin")
@click.argument("names", nargs=-1)
@click.option("--no-isolation", is_flag=True,
              help="Skip what calls the plugin's routes (tenant isolation, the project-access "
                   "matrix, fuzzing): they make objects in a throw-away database.")
@with_appcontext
def check_plugin_command(names, no_isolation):
    """Check plugins against the plugin contract (all loaded ones without NAMES), with the
    core suite's plugin-wide rules."""
    from .contract import check

    registry = current_app.extensions["sentryapi.plugins"]
    failed = False
    for name in names or [plugin.name for plugin in registry]:
        problems = check(current_app, name, isolation=not no_isolation)
        failed = failed or bool(problems)
        click.echo(f"{name}: " + ("keeps the contract" if not problems else "breaks the contract"))
        for problem in problems:
            click.echo(f"  - {problem}")
    sys.exit(1 if failed else 0)


@sentryapi_cli.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Where to create the plugin's folder.")
def new_plugin_command(name, directory):
    """Write a new plugin NAME (package sentryapi_NAME) to edit: it installs, loads and
    passes its generated tests as it is."""
    from .scaffold import ScaffoldError, write_plugin

    try:
        root = write_plugin(name, directory)
    except ScaffoldError as error:
        fail(str(error))
    click.echo(f"Wrote {root}")
    click.echo(f"Next: pip install -e {root} && python -m pytest {os.path.join(root, 'tests')}")


@sentryapi_cli.command("settings")
@with_appcontext
def settings_command():
    """Print every setting (the core's and the loaded plugins'), as the README's Markdown table."""
    click.echo("| setting | default | what it does |")
    click.echo("|---|---|---|")
    for setting in current_app.extensions["sentryapi.settings"]:
        default = setting.default
        if isinstance(default, list):
            default = ",".join(default)
        shown = "unset" if default in (None, "") else f"`{str(default).lower() if isinstance(default, bool) else default}`"
        click.echo(f"| `{setting.name}` | {shown} | {setting.help} |")


@sentryapi_cli.command("hooks")
@click.option("--markdown", is_flag=True, help="Print the plugin guide's hook table instead.")
@with_appcontext
def hooks_command(markdown):
    """List every declared hook: its arguments, who implements it and who fires it."""
    from .hooklist import listing
    from .hooklist import markdown as table

    if markdown:
        click.echo(table(), nl=False)
        return
    for hook in listing(current_app.extensions["sentryapi.plugins"]):
        click.echo(f"{hook['name']}({', '.join(hook['arguments'])})")
        click.echo(f"    {hook['summary']}")
        click.echo(f"    implemented by: {', '.join(hook['implemented_by']) or '-'}")
        click.echo(f"    fired by: {', '.join(hook['fired_by']) or '-'}")
