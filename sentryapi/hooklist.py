"""What `flask sentryapi hooks` shows: every declared hook, who implements it and who fires it."""

from __future__ import annotations

import inspect
import os
import re

from . import hookspecs
from .plugins import hook_specs

#: A hook fired by name, with ``call_hook`` or ``PluginRegistry.call`` and a string literal.
FIRED = re.compile(r'(?:\bcall_hook|\.call)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"')
CORE = "core"


def summary(name: str) -> str:
    """The first paragraph of the hook's spec docstring, on one line."""
    text = inspect.getdoc(getattr(hookspecs, name)) or ""
    return " ".join(text.split("\n\n")[0].split())


def fired_in(path: str) -> set[str]:
    with open(path, encoding="utf-8") as fh:
        return set(FIRED.findall(fh.read()))


def firers(registry) -> dict[str, list[str]]:
    """Hook -> who fires it (a plugin's name, or ``core``), read from the installed sources."""
    from .contract_imports import plugin_package, source_files

    # Each file is the core's unless a plugin's package (a built-in one's too) holds it.
    owners = {os.path.abspath(path): CORE for path in source_files("sentryapi")}
    for plugin in registry:
        package = plugin_package(plugin)
        if package and package != "sentryapi":
            owners.update({os.path.abspath(path): plugin.name for path in source_files(package)})
    found: dict[str, set[str]] = {}
    for path, who in owners.items():
        for name in fired_in(path):
            found.setdefault(name, set()).add(who)
    return {name: sorted(who) for name, who in sorted(found.items())}


def listing(registry) -> list[dict]:
    """One entry per declared hook, in the specs' order."""
    fired = firers(registry)
    return [{"name": name, "arguments": arguments, "summary": summary(name),
             "implemented_by": registry.implementers(name), "fired_by": fired.get(name, [])}
            for name, arguments in hook_specs().items()]


def markdown() -> str:
    """The hook table of ``docs/plugins.md``, generated from the specs."""
    lines = ["| hook | called with | what it answers |", "| --- | --- | --- |"]
    for name, arguments in hook_specs().items():
        lines.append(f"| `{name}` | `({', '.join(arguments)})` | {summary(name)} |")
    return "\n".join(lines) + "\n"
