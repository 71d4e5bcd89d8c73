"""A plugin that breaks the plugin contract in every way the contract test looks for."""

import fixture_good  # noqa: F401 - a plugin it does not require
import flask
import marshmallow  # noqa: F401 - a wrapped library, imported directly
from fixture_lib import helpers, internal  # noqa: F401 - helpers is public, internal is not
from fixture_lib.helpers import ANSWER  # noqa: F401 - fine

from sentryapi.api import Blueprint, Endpoint, Schema, fields
from sentryapi.auth.models import ApiToken  # noqa: F401 - private to the core
from sentryapi.plugins import Plugin

blp = Blueprint("Breaker", __name__)


class ItemSchema(Schema):
    name = fields.String()


@blp.route("/breaker-items/")
class Items(Endpoint):
    scope_map = {"GET": ("org:read",), "POST": ("org:write", "made:up")}

    @blp.response(200, ItemSchema(many=True))
    def get(self):
        """List items without a cursor."""
        return [{"name": "a"}]

    @blp.response(201, ItemSchema)
    def post(self):
        return {"name": "b"}


@blp.route("/breaker-kinds/")
class Kinds(Endpoint):
    """A bounded list Sentry does not page either: excused, so not reported."""

    scope_map = {"GET": ("org:read",)}
    unpaginated = {"GET": "three fixed kinds"}

    @blp.response(200, ItemSchema(many=True))
    def get(self):
        """List the kinds."""
        return [{"name": kind} for kind in ("a", "b", "c")]


pages = flask.Blueprint("breaker_pages", __name__)


@pages.route("/breaker/")
def page():
    return "outside /api/0/"


def init_app(app):
    app.register_blueprint(pages)


plugin = Plugin(name="fixture_breaker", requires=("fixture_lib",), blueprints=(blp,),
                scopes=("org:read",), init_app=init_app)
