"""The plugin contract and the registry that discovers plugins on entry points.

A plugin is a :class:`Plugin` exposed in the entry-point group ``sentryapi.plugins``.
The core's own resources (organizations, members, tokens) are plugins too, registered
the same way from the core's ``setup.cfg``; the core never imports a plugin by name.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from . import hookspecs
from .config import ConfigError, Setting, load_settings  # noqa: F401 - plugins declare settings
from .mail import send_mail  # noqa: F401 - plugins send e-mail
from .scheduler.tasks import PeriodicTask  # noqa: F401 - plugins declare tasks
from .serve import BackgroundProcess  # noqa: F401 - plugins declare background processes
from .web.fastroutes import FastRoute  # noqa: F401 - plugins declare lean routes

ENTRY_POINT_GROUP = "sentryapi.plugins"
CORE_DISTRIBUTION = "sentryapi"
log = logging.getLogger("sentryapi.plugins")


class PluginError(Exception):
    """A plugin cannot be loaded; the message names it and its entry point."""


class UnknownHook(LookupError):
    """A hook was fired that ``sentryapi.hookspecs`` does not declare."""


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
    #: :class:`sentryapi.plugins.FastRoute`\\ s: routes served below Flask's request
    #: machinery (SDK ingestion), by the same view on both paths (``sentryapi.web.fastroutes``).
    #: Their rules must lie under ``route_prefixes``.
    wsgi_routes: tuple = ()
    #: :class:`sentryapi.plugins.BackgroundProcess`\\ es: ``flask`` commands that
    #: ``flask sentryapi serve`` runs (and restarts) beside the web workers.
    processes: tuple = ()
    #: Called with the app after the plugin's blueprints are registered.
    init_app: Callable[[Any], None] | None = None
    #: A click command or group added under ``flask <name>``.
    cli: Any = None
    #: ``{"hook_name": function}``: its implementations of hooks declared in
    #: ``sentryapi.hookspecs`` (checked against the specs when the plugin loads).
    hooks: dict[str, Callable] = field(default_factory=dict)
    #: :class:`sentryapi.scheduler.PeriodicTask`\ s: work run every so often, once across hosts.
    tasks: tuple = ()
    #: Set by the registry: the distribution that provides the plugin, and its version.
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None


class PluginRegistry:
    """Loaded plugins in dependency order, and their hook implementations (pluggy)."""

    def __init__(self, plugins: Iterable[Plugin]):
        self.plugins: list[Plugin] = []
        self.by_name: dict[str, Plugin] = {}
        self.hook_manager = _HookManager(hookspecs.PROJECT_NAME)
        self.hook_manager.add_hookspecs(hookspecs)
        #: hook name -> (spec argument names, implementations in load order); computed on
        #: first call, dropped whenever a plugin is added or removed. The digest fires hooks
        #: per event, where working the order out on every call was a visible cost.
        self._plans: dict[str, tuple] = {}
        for plugin in plugins:
            self.add(plugin)

    def __iter__(self):
        return iter(self.plugins)

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def add(self, plugin: Plugin) -> None:
        """Load ``plugin`` after the others; its hooks must match their specs (``PluginError``)."""
        namespace = _hook_namespace(plugin)
        try:
            self.hook_manager.register(namespace, name=plugin.name)
        except pluggy.PluginValidationError as error:
            raise PluginError(f"plugin {plugin.name!r} ({plugin.entry_point}): {error}") from error
        except ValueError as error:
            raise PluginError(f"plugin {plugin.name!r} is loaded twice ({plugin.entry_point})") from error
        self.plugins.append(plugin)
        self.by_name[plugin.name] = plugin
        self._plans.clear()

    def remove(self, name: str) -> Plugin:
        """Unload a plugin added with :meth:`add` (tests)."""
        plugin = self.by_name.pop(name)
        self.plugins.remove(plugin)
        self.hook_manager.unregister(name=name)
        self._plans.clear()
        return plugin

    def call(self, hook: str, *args, **kwargs) -> list:
        """Fire ``hook`` (declared in ``sentryapi.hookspecs``) on every plugin that implements
        it, in load order; the list of their answers, ``None`` answers left out.

        Positional arguments are given the spec's names in order; every argument of the
        spec must be given. Firing a hook without a spec raises :class:`UnknownHook`.
        """
        names, impls = self._plan(hook)
        if len(args) > len(names):
            raise TypeError(f"hook {hook!r} takes {len(names)} arguments {names}, given {len(args)}")
        given = {**dict(zip(names[:len(args)], args, strict=True)), **kwargs}
        if set(given) != set(names):
            raise TypeError(f"hook {hook!r} takes the arguments {names}, given {sorted(given)}")
        results = []
        for impl in impls:
            result = impl.function(*(given[name] for name in impl.argnames))
            if result is not None:
                results.append(result)
        return results

    def _plan(self, hook: str) -> tuple:
        """The spec's argument names and the implementations of ``hook``, in load order (a
        plugin's requirements answer before it; pluggy's own call runs the last registered first)."""
        plan = self._plans.get(hook)
        if plan is None:
            caller = getattr(self.hook_manager.hook, hook, None)
            if caller is None or caller.spec is None:
                raise UnknownHook(f"hook {hook!r} is not declared in sentryapi.hookspecs")
            order = {name: index for index, name in enumerate(self.by_name)}
            impls = sorted(caller.get_hookimpls(), key=lambda impl: order.get(impl.plugin_name, len(order)))
            plan = self._plans[hook] = (tuple(caller.spec.argnames), tuple(impls))
        return plan

    def implementers(self, hook: str) -> list[str]:
        """Names of the loaded plugins implementing ``hook``, in load order."""
        return [p.name for p in self.plugins if hook in p.hooks]

    def tables(self, name: str) -> set[str]:
        """Names of the tables a plugin's models own."""
        return {model.__table__.name for model in self.by_name[name].models}

    @property
    def webhook_events(self) -> dict[str, str]:
        """``"resource.action"`` -> the plugin that declares it."""
        return {event: p.name for p in self.plugins for event in p.webhook_events}


class _HookManager(pluggy.PluginManager):
    """pluggy, taking a plugin's implementations from its ``hooks`` dict rather than from
    ``@hookimpl`` markers (which would be set on functions other registries share)."""

    def parse_hookimpl_opts(self, plugin, name: str):
        if name in getattr(plugin, "_sentryapi_hooks", ()):
            return {}
        return super().parse_hookimpl_opts(plugin, name)


@functools.cache
def hook_specs() -> dict[str, tuple[str, ...]]:
    """Every declared hook -> its argument names, in the order of ``sentryapi.hookspecs``."""
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    order = list(vars(hookspecs))
    callers = sorted((c for c in vars(manager.hook).values() if isinstance(c, pluggy.HookCaller)),
                     key=lambda c: order.index(c.name))
    return {caller.name: caller.spec.argnames for caller in callers}


def _hook_namespace(plugin: Plugin):
    """A pluggy plugin for ``plugin.hooks``, each function checked against its spec."""
    specs = hook_specs()
    attributes = {}
    for name, function in plugin.hooks.items():
        where = f"plugin {plugin.name!r} ({plugin.entry_point or 'not on an entry point'})"
        if name not in specs:
            raise PluginError(f"{where} implements hook {name!r}, which no spec declares "
                              f"(sentryapi.hookspecs; `flask sentryapi hooks` lists them)")
        if not (inspect.isfunction(function) or inspect.ismethod(function)):
            raise PluginError(f"{where}: hook {name!r} is a {type(function).__name__}, not a function")
        problem = _signature_problem(function, specs[name])
        if problem:
            raise PluginError(f"{where}: hook {name!r} {problem} "
                              f"(the spec: {name}({', '.join(specs[name])}))")
        attributes[name] = staticmethod(function)
    return type(f"{plugin.name}_hooks", (), {**attributes, "_sentryapi_hooks": frozenset(attributes)})


def _signature_problem(function: Callable, spec_args: tuple[str, ...]) -> str | None:
    """Why pluggy could not call ``function`` for a spec with ``spec_args``, if it could not."""
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            return f"takes *{parameter.name}; name the spec's arguments instead"
        if parameter.name not in spec_args:
            return f"takes {parameter.name!r}, which the spec does not have"
        if parameter.default is not parameter.empty:
            # pluggy passes only parameters without defaults: this one would never be given.
            return f"gives {parameter.name!r} a default; the hook always passes it"
    return None


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
