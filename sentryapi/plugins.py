"""The plugin contract and the registry that discovers plugins on entry points.

A plugin is a :class:`Plugin` exposed in the entry-point group ``sentryapi.plugins``.
The core's own resources (organizations, members, tokens) are plugins too, registered
the same way from the core's ``setup.cfg``; the core never imports a plugin by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .config import ConfigError, Setting, load_settings  # noqa: F401 - plugins declare settings

ENTRY_POINT_GROUP = "sentryapi.plugins"
CORE_DISTRIBUTION = "sentryapi"
log = logging.getLogger("sentryapi.plugins")


class PluginError(Exception):
    """A plugin cannot be loaded; the message names it and its entry point."""


@dataclass
class Plugin:
    """What a plugin contributes. Only ``name`` is required."""

    name: str
    #: Names of plugins this one builds on; they load first.
    requires: tuple[str, ...] = ()
    #: flask-smorest blueprints (from :class:`sentryapi.api.Blueprint`).
    blueprints: tuple = ()
    #: OpenAPI tags: ``{"name": ..., "description": ...}``; the tag name is the blueprint name.
    tags: tuple[dict, ...] = ()
    #: Scopes the plugin's views check (documentation and contract tests).
    scopes: tuple[str, ...] = ()
    #: Webhook events it emits, as ``"resource.action"``.
    webhook_events: tuple[str, ...] = ()
    #: Its SQLAlchemy model classes (on ``sentryapi.api.db``); their tables are its own.
    models: tuple = ()
    #: Directory of its alembic revisions: a branch labelled with the plugin's name
    #: (``flask sentryapi makemigrations NAME`` writes them).
    migrations: str | None = None
    #: URL prefixes outside ``/api/0/`` that the plugin serves, e.g. SDK ingestion's
    #: ``"/api/<int:project_id>/"`` (routes elsewhere break the plugin contract).
    route_prefixes: tuple[str, ...] = ()
    #: Called with the app after the plugin's blueprints are registered.
    init_app: Callable[[Any], None] | None = None
    #: A click command or group added under ``flask <name>``.
    cli: Any = None
    #: Named hooks the core (or other plugins) call; see ``PluginRegistry.call``.
    hooks: dict[str, Callable] = field(default_factory=dict)
    #: Set by the registry: the distribution that provides the plugin, and its version.
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None


class PluginRegistry:
    """Loaded plugins in dependency order."""

    def __init__(self, plugins: Iterable[Plugin]):
        self.plugins: list[Plugin] = list(plugins)
        self.by_name = {plugin.name: plugin for plugin in self.plugins}

    def __iter__(self):
        return iter(self.plugins)

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def call(self, hook: str, *args, **kwargs) -> list:
        """Call ``hook`` on every plugin that defines it, in load order; collect results."""
        return [plugin.hooks[hook](*args, **kwargs) for plugin in self.plugins if hook in plugin.hooks]

    def tables(self, name: str) -> set[str]:
        """Names of the tables a plugin's models own."""
        return {model.__table__.name for model in self.by_name[name].models}

    @property
    def webhook_events(self) -> dict[str, str]:
        """``"resource.action"`` -> the plugin that declares it."""
        return {event: p.name for p in self.plugins for event in p.webhook_events}


def _describe(ep: EntryPoint) -> str:
    return f"entry point {ep.name!r} = {ep.value!r}" + (f" in {ep.dist.name}" if ep.dist else "")


def load_plugin(ep: EntryPoint) -> Plugin:
    try:
        plugin = ep.load()
    except Exception as error:
        raise PluginError(f"plugin {ep.name!r} failed to import ({_describe(ep)}): {error!r}") from error
    if not isinstance(plugin, Plugin):
        raise PluginError(
            f"plugin {ep.name!r} ({_describe(ep)}) is a {type(plugin).__name__}, "
            "not a sentryapi.plugins.Plugin"
        )
    if plugin.name != ep.name:
        raise PluginError(f"plugin {plugin.name!r} is registered under another name ({_describe(ep)})")
    plugin.entry_point = ep.value
    if ep.dist is not None:
        plugin.distribution, plugin.version = ep.dist.name, ep.dist.version
    return plugin


def discover(disabled: Iterable[str] = ()) -> PluginRegistry:
    """Load every enabled plugin from the entry-point group and order them by ``requires``."""
    disabled = set(disabled)
    seen: dict[str, EntryPoint] = {}
    plugins: list[Plugin] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        if ep.name in seen:
            if seen[ep.name].value == ep.value:
                continue  # the same distribution seen twice on sys.path
            raise PluginError(
                f"two plugins are named {ep.name!r}: {_describe(seen[ep.name])} and {_describe(ep)}"
            )
        seen[ep.name] = ep
        if ep.name in disabled:
            log.info("plugin %s disabled by SENTRYAPI_DISABLED_PLUGINS", ep.name)
            continue
        plugins.append(load_plugin(ep))
    return PluginRegistry(order(plugins, disabled))


def order(plugins: list[Plugin], disabled: set[str] = frozenset()) -> list[Plugin]:
    """Topological order by ``requires`` (stable by name); missing or circular is an error."""
    by_name = {p.name: p for p in plugins}
    for plugin in plugins:
        for required in plugin.requires:
            if required not in by_name:
                why = "it is disabled" if required in disabled else "it is not installed"
                raise PluginError(
                    f"plugin {plugin.name!r} ({plugin.entry_point}) requires {required!r}, but {why}"
                )
    ordered: list[Plugin] = []
    state: dict[str, str] = {}

    def visit(plugin: Plugin, path: list[str]) -> None:
        if state.get(plugin.name) == "done":
            return
        if state.get(plugin.name) == "visiting":
            cycle = " -> ".join([*path[path.index(plugin.name):], plugin.name])
            raise PluginError(f"plugins require each other in a cycle: {cycle}")
        state[plugin.name] = "visiting"
        for required in sorted(plugin.requires):
            visit(by_name[required], [*path, plugin.name])
        state[plugin.name] = "done"
        ordered.append(plugin)

    # The core's own plugins first, then the rest by name: a stable, readable order.
    for plugin in sorted(plugins, key=lambda p: (p.distribution != CORE_DISTRIBUTION, p.name)):
        visit(plugin, [])
    return ordered
