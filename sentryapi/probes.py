"""Probe factories: how the access tests make an object for every ``/api/0/`` route.

The tenant-isolation tests (BOLA matrix, mass assignment) are generated from the app's
route map. To call a route they need real objects behind its URL arguments, in two
organizations; a *probe* makes them. Every route that names an object in its URL (an
argument besides ``organization_id_or_slug``) or takes a body must have one, or the
tests fail naming the route: a new plugin is covered by construction.

A plugin registers its routes' probes in its ``testing`` module (the tests import
``<package>.testing`` of every loaded plugin)::

    from sentryapi.testing import probe

    @probe("/api/0/projects/<organization_id_or_slug>/<project_id_or_slug>/widgets/<int:widget_id>/",
           bodies={"PUT": {"name": "renamed"}})
    def widget(ctx):
        project = ctx.need(PROJECT)     # another probe's arguments, made once per actor
        made = ctx.api.post(f"/api/0/projects/{ctx.org}/{project['project_id_or_slug']}/widgets/",
                            json={"name": ctx.unique("widget")})
        return {**project, "widget_id": made.json["id"]}

The factory returns the URL arguments (the organization is filled in by the tests).
``selectors`` names arguments that pick a part of an object rather than an object of a
tenant (an issue's tag ``key``): they are never swapped for another tenant's value.
``bodies`` gives a valid body per method (a dict, or a callable for a fresh one each
call, given the context; a ``Multipart`` for an upload), so the tests reach the object lookup rather than stopping at validation.
``requires`` names, per method, the scopes the view checks on top of its ``scope_map`` for
that body (a project rename takes project:write where the method's map also lets
project:read bookmark): the project-access matrix (``sentryapi.project_access``) expects them.
"""

from __future__ import annotations

import importlib
import io
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ORG_ARG = "organization_id_or_slug"
RULE_ARG = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>")
WRITE_METHODS = ("POST", "PUT", "PATCH")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")



@dataclass(frozen=True)
class Multipart:
    """A probe body sent as ``multipart/form-data`` (an upload), not JSON: form fields,
    and files as ``(file name, bytes)``."""

    fields: Mapping[str, Any]

    def with_fields(self, extra: Mapping[str, Any]) -> Multipart:
        return Multipart({**{k: str(v) for k, v in extra.items()}, **self.fields})


Body = Mapping[str, Any] | Multipart | Callable[["ProbeContext"], Mapping[str, Any] | Multipart]


def request_body(body: Mapping[str, Any] | Multipart) -> dict:
    """The test client's arguments sending a probe body: JSON, or a multipart form."""
    if isinstance(body, Multipart):
        form = {k: (io.BytesIO(v[1]), v[0]) if isinstance(v, tuple) else v for k, v in body.fields.items()}
        return {"data": form, "content_type": "multipart/form-data"}
    return {"json": body}


@dataclass
class Probe:
    rule: str
    make: Callable[[ProbeContext], dict]
    selectors: frozenset[str] = frozenset()
    bodies: Mapping[str, Body] = field(default_factory=dict)
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Methods only the object's maker may call (a note's edit): anyone else gets a 404, as
    #: in Sentry, so the project-access matrix expects success from the maker alone.
    authored: frozenset[str] = frozenset()

    def body(self, method: str, ctx: ProbeContext) -> dict | Multipart:
        body = self.bodies.get(method, {})
        body = body(ctx) if callable(body) else body
        return body if isinstance(body, Multipart) else dict(body)


#: Route rule -> its probe (filled by ``@probe`` when a testing module is imported).
PROBES: dict[str, Probe] = {}
_counter = itertools.count(1)


def probe(rule: str, *, selectors=(), bodies: Mapping[str, Body] | None = None,
          requires: Mapping[str, tuple[str, ...]] | None = None, authored=()):
    """Register the decorated ``factory(ctx) -> url arguments`` for ``rule``."""

    def register(factory):
        known = PROBES.get(rule)
        if known is not None and _name(known.make) != _name(factory):
            raise ValueError(f"two probes for {rule}: {_name(known.make)} and {_name(factory)}")
        PROBES[rule] = Probe(rule, factory, frozenset(selectors), dict(bodies or {}),
                             dict(requires or {}), frozenset(authored))
        return factory

    return register


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def unique(prefix: str = "probe") -> str:
    """A fresh slug-safe name (for bodies that create something with a unique name)."""
    return f"{prefix}-{next(_counter)}"


class ProbeContext:
    """One actor's objects, made on demand by the probes and kept for reuse."""

    def __init__(self, app, actor):
        self.app, self.actor = app, actor
        self.api = actor.api
        self.org = actor.org
        self.made: dict[Callable, dict] = {}

    unique = staticmethod(unique)

    def need(self, rule: str) -> dict:
        """The URL arguments ``rule``'s probe made for this actor (made once per factory:
        the routes one factory serves share its object)."""
        found = PROBES.get(rule)
        if found is None:
            raise LookupError(f"no probe registered for {rule}")
        if found.make not in self.made:
            self.made[found.make] = dict(found.make(self))
        return self.made[found.make]


def load_probes(app) -> dict[str, Probe]:
    """Import ``<package>.testing`` of every loaded plugin, then return the registry."""
    from .contract import plugin_package

    for plugin in app.extensions["sentryapi.plugins"]:
        package = plugin_package(plugin)
        if not package:
            continue
        for module in (f"{package}.testing", f"{package.split('.')[0]}.testing"):
            try:
                importlib.import_module(module)
                break
            except ModuleNotFoundError as error:
                if error.name != module:
                    raise
    return PROBES


def fuzz_parameters(organization, member) -> dict[str, str]:
    """Path parameters naming objects in ``organization`` for the API fuzzing tests, made by
    every plugin's ``fuzz_seed`` hook (in the caller's transaction)."""
    from .web.hooks import call_hook

    parameters: dict[str, str] = {}
    for values in call_hook("fuzz_seed", organization, member):
        parameters.update(values)
    return parameters


def rule_args(rule: str) -> list[str]:
    return [m.group(2) for m in RULE_ARG.finditer(rule)]


def object_args(rule: str) -> list[str]:
    """The URL arguments naming an object (not the organization, not a selector)."""
    found = PROBES.get(rule)
    selectors = found.selectors if found else frozenset()
    return [a for a in rule_args(rule) if a != ORG_ARG and a not in selectors]


def needs_probe(rule: str, methods) -> bool:
    """A route names an object besides its organization, or takes a body."""
    return any(a != ORG_ARG for a in rule_args(rule)) or bool(set(methods) & set(WRITE_METHODS))


def api_operations(app):
    """``(rule, method, view class)`` for every ``/api/0/`` operation."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/api/0/"):
            cls = app.view_functions[rule.endpoint].view_class
            for method in METHODS:
                if method in rule.methods:
                    yield rule.rule, method, cls


def missing_probes(app) -> list[str]:
    """Rules that need a probe and have none: one line each, for the failure message."""
    load_probes(app)
    methods: dict[str, set[str]] = {}
    for rule, method, _cls in api_operations(app):
        methods.setdefault(rule, set()).add(method)
    return [f"{rule} ({', '.join(sorted(m))})" for rule, m in methods.items()
            if needs_probe(rule, m) and rule not in PROBES]


def fill(rule: str, args: Mapping[str, Any]) -> str:
    """The path of ``rule`` with ``args`` (values are used as given: quote them first)."""
    return RULE_ARG.sub(lambda m: str(args[m.group(2)]), rule)


def arguments(ctx: ProbeContext, rule: str) -> dict:
    """The URL arguments of ``rule`` over the actor's own objects (its organization too)."""
    return {**ctx.need(rule), ORG_ARG: ctx.org} if rule in PROBES else {ORG_ARG: ctx.org}


def make_all(ctx: ProbeContext, app) -> list[str]:
    """Make the actor's object for every probed route of ``app``; returns those rules."""
    rules = sorted({rule for rule, _m, _c in api_operations(app) if rule in PROBES})
    for rule in rules:
        ctx.need(rule)
    return rules


def readable(app, ctx: ProbeContext) -> dict[str, tuple[int, Any]]:
    """Every GET the actor can make over its own objects: path -> (status, body)."""
    seen = {}
    for rule, method, _cls in api_operations(app):
        if method == "GET":
            path = fill(rule, arguments(ctx, rule))
            response = ctx.api.get(path)
            seen[path] = (response.status_code, response.json)
    return seen
