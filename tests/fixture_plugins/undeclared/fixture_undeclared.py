"""A plugin with a route that declares no access: the factory must refuse it."""

from sentryapi.api import Blueprint, Endpoint
from sentryapi.plugins import Plugin

blp = Blueprint("Undeclared", __name__)


@blp.route("/open-door/")
class OpenDoor(Endpoint):
    def get(self):
        """Nothing guards this."""
        return {}


plugin = Plugin(name="fixture_undeclared", blueprints=(blp,))
