"""A well-formed plugin the registry tests install: one route, a tag, init_app and a CLI."""

import click

from sentryapi.api import Blueprint, Endpoint, Schema, fields
from sentryapi.plugins import Plugin

blp = Blueprint("Fixture", __name__, description="A plugin used by the core's tests.")


class PongSchema(Schema):
    pong = fields.Boolean(required=True)


@blp.route("/fixture-ping/")
class Ping(Endpoint):
    scope_map = {"GET": ("org:read",)}

    @blp.response(200, PongSchema)
    def get(self):
        """Answer pong."""
        return {"pong": True}


def init_app(app):
    app.config["FIXTURE_GOOD_LOADED"] = True


@click.command("fixture-hello")
def hello():
    """Say hello from the fixture plugin."""
    click.echo("hello from fixture_good")


plugin = Plugin(name="fixture_good", requires=("organizations",), blueprints=(blp,),
                tags=({"name": "Fixture", "description": "Fixture plugin."},),
                init_app=init_app, cli=hello, scopes=("org:read",))
