"""``flask openapi write|print|diff``: the published document by default, ``--internal`` for all.

Replaces flask-smorest's own ``openapi`` group (same commands and options), so
``flask openapi write openapi.json`` writes what the server publishes at
``/api/docs/openapi.json``.
"""

from __future__ import annotations

import json
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .changelog import announced_deprecations, render
from .compat import compare

#: The project's changelog, whose released sections announce deprecations.
CHANGELOG = "CHANGELOG.md"

openapi_cli = AppGroup("openapi", help="OpenAPI documents: the published one, or --internal.")

_internal = click.option(
    "--internal", is_flag=True,
    help="Every operation, private ones included (x-sentryapi-public tells which is which).",
)
_format = click.option("-f", "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json")


def document(internal: bool = False) -> dict:
    api = current_app.extensions["sentryapi.api"]
    return api.internal_document() if internal else api.published_document()


def dumps(doc: dict, fmt: str = "json") -> str:
    if fmt == "yaml":
        import yaml  # optional: PyYAML

        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@openapi_cli.command("write")
@_internal
@_format
@click.argument("output_file", type=click.File(mode="w"))
def write_command(internal, fmt, output_file):
    """Write the OpenAPI document to a file (- for stdout)."""
    output_file.write(dumps(document(internal), fmt))


@openapi_cli.command("print")
@_internal
@_format
def print_command(internal, fmt):
    """Print the OpenAPI document."""
    click.echo(dumps(document(internal), fmt), nl=False)


def _announced(path: str) -> frozenset[str]:
    if not os.path.exists(path):
        return frozenset()
    with open(path, encoding="utf-8") as fh:
        return announced_deprecations(fh.read())


_changelog = click.option("--changelog", default=CHANGELOG, show_default=True,
                          help="Whose released sections announce deprecations.")


@openapi_cli.command("diff")
@_changelog
@click.argument("committed", type=click.File(mode="r"))
def diff_command(changelog, committed):
    """Compare the published document with a committed one; exit 1 on breaking changes."""
    report = compare(json.load(committed), document(), announced=_announced(changelog))
    click.echo(report.message(committed.name))
    sys.exit(1 if report.breaks else 0)


@openapi_cli.command("changelog")
@_changelog
@click.argument("old", type=click.File(mode="r"))
@click.argument("new", type=click.File(mode="r"))
def changelog_command(changelog, old, new):
    """Write the public API's changelog from OLD to NEW (published documents) as Markdown:
    added, deprecated, removed (and anything breaking)."""
    report = compare(json.load(old), json.load(new), announced=_announced(changelog))
    click.echo(render(report) or "No changes to the public API.")
