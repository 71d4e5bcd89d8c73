"""``flask openapi write|print|diff``: the published document by default, ``--internal`` for all.

Replaces flask-smorest's own ``openapi`` group (same commands and options), so
``flask openapi write openapi.json`` writes what the server publishes at
``/api/docs/openapi.json``.
"""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from .compat import compare

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


@openapi_cli.command("diff")
@click.argument("committed", type=click.File(mode="r"))
def diff_command(committed):
    """Compare the published document with a committed one; exit 1 on breaking changes."""
    report = compare(json.load(committed), document())
    click.echo(report.message(committed.name))
    sys.exit(1 if report.breaks else 0)
