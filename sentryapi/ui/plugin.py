"""Built-in plugin: the web front end (pages, assets, widgets) and its live-update socket."""

from ..background import on_stop
from ..plugins import Plugin
from . import feed, live, socket
from .pages import bp


def init_app(app) -> None:
    # The socket's route is on ``bp`` (``sock.route(..., bp=bp)``), so registering ``bp`` serves
    # it; ``Sock.init_app`` would only keep the last app alive in the module-level ``sock``.
    app.register_blueprint(bp)
    live.install(app)
    on_stop(app, live.hub_of(app).stop)


plugin = Plugin(
    name="ui",
    requires=("organizations", "oauth"),
    # The app's pages sit where the API's permalinks point; assets and bootstrap under /ui/.
    route_prefixes=("/organizations/", "/ui/", socket.PATH),
    init_app=init_app,
    hooks={"events_stored": feed.events_stored},
)
