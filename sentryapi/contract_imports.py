"""Rule 2 of the plugin contract: what a plugin's modules import, read from their source.

From the core only the public modules; from another plugin only that plugin's package or a
module its ``__all__`` names, and only plugins it requires; never the libraries the core
wraps. The built-in plugins may use the core's modules but no other plugin's package.
"""

from __future__ import annotations

import ast
import importlib.util
import os

from .plugins import CORE_DISTRIBUTION, Plugin

#: What a plugin may import from the core (``sentryapi.webhooks``: the outbox's ``emit``).
PUBLIC_CORE_MODULES = ("sentryapi.api", "sentryapi.plugins", "sentryapi.testing", "sentryapi.webhooks")
#: Libraries the core wraps; a plugin uses ``sentryapi.api`` instead.
WRAPPED_LIBRARIES = ("flask_smorest", "marshmallow", "webargs")
GENERATED_DIRS = ("migrations", "__pycache__")


def plugin_package(plugin: Plugin) -> str | None:
    """The package holding the plugin: its entry point's module, or that module's package."""
    if not plugin.entry_point:
        return None
    module = plugin.entry_point.split(":")[0]
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.submodule_search_locations:
        return module
    return module.rpartition(".")[0] or module


def source_files(package: str) -> list[str]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return [spec.origin] if spec and spec.origin else []
    out = []
    for root in spec.submodule_search_locations:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in GENERATED_DIRS)
            out += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".py")]
    return out


def imported_modules(path: str, package: str | None = None) -> list[tuple[int, str, tuple[str, ...]]]:
    """``(line, module, names)`` of each absolute import in a file; relative ones too, made
    absolute, when ``package`` (the file's own package) is given."""
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read(), filename=path)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module, tuple(alias.name for alias in node.names)))
        elif isinstance(node, ast.ImportFrom) and node.level and package:
            base = package.split(".")[:len(package.split(".")) - node.level + 1]
            module = ".".join([*base, node.module] if node.module else base)
            out.append((node.lineno, module, tuple(alias.name for alias in node.names)))
    return out


def check_builtin_imports(package: str, plugin: Plugin, registry) -> list[str]:
    """A built-in plugin uses the core freely, but another plugin's package (a built-in
    one included) only if it requires that plugin; ``sentryapi.webhooks`` is public."""
    allowed = required_closure(plugin, registry)
    others = {plugin_package(p): p.name for p in registry
              if p.name != plugin.name and p.name not in allowed and plugin_package(p)}
    problems = []
    for path in source_files(package):
        where = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
        own = _module_package(path, package)
        for line, module, names in imported_modules(path, own):
            targets = [module, *(f"{module}.{name}" for name in names)]
            for other, name in others.items():
                if other in PUBLIC_CORE_MODULES:
                    continue
                if any(t == other or t.startswith(other + ".") for t in targets):
                    problems.append(f"{where}:{line} imports {module} from plugin {name!r}, "
                                    "which it does not require")
                    break
    return problems


def _module_package(path: str, package: str) -> str:
    """The dotted package a source file of ``package`` belongs to."""
    spec = importlib.util.find_spec(package)
    root = next(iter(spec.submodule_search_locations))
    relative = os.path.relpath(os.path.dirname(path), root)
    return package if relative == "." else ".".join([package, *relative.split(os.sep)])


def plugin_packages(registry) -> dict[str, str]:
    """Top-level package -> plugin name, for every plugin outside the core."""
    return {plugin_package(p).split(".")[0]: p.name for p in registry
            if p.distribution != CORE_DISTRIBUTION and plugin_package(p)}


def required_closure(plugin: Plugin, registry) -> set[str]:
    seen: set[str] = set()
    todo = list(plugin.requires)
    while todo:
        name = todo.pop()
        if name not in seen and name in registry:
            seen.add(name)
            todo += registry.by_name[name].requires
    return seen


def public_names(package: str) -> set[str]:
    module = importlib.import_module(package)
    return set(getattr(module, "__all__", ()))


def check_imports(package: str, plugin: Plugin, registry) -> list[str]:
    others = plugin_packages(registry)
    own = package.split(".")[0]
    allowed_plugins = required_closure(plugin, registry)
    problems = []
    for path in source_files(package):
        where = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
        for line, module, names in imported_modules(path):
            top = module.split(".")[0]
            why = None
            if top == "sentryapi":
                why = _core_import_problem(module, names)
            elif top in WRAPPED_LIBRARIES:
                why = f"{module} directly (use what sentryapi.api re-exports)"
            elif top in others and top != own:
                why = _plugin_import_problem(module, names, others[top], allowed_plugins)
            if why:
                problems.append(f"{where}:{line} imports {why}")
    return problems


def _core_import_problem(module: str, names: tuple[str, ...]) -> str | None:
    if module == "sentryapi":
        if not names:
            return "the sentryapi package itself (import sentryapi.api)"
        private = [n for n in names if f"sentryapi.{n}" not in PUBLIC_CORE_MODULES]
        return f"sentryapi.{', sentryapi.'.join(private)}, private to the core" if private else None
    if any(module == m or module.startswith(m + ".") for m in PUBLIC_CORE_MODULES):
        return None
    return f"{module}, private to the core (public: {', '.join(PUBLIC_CORE_MODULES)})"


def _plugin_import_problem(module: str, names, other: str, allowed: set[str]) -> str | None:
    if other not in allowed:
        return f"{module} from plugin {other!r}, which it does not require"
    package, _, rest = module.partition(".")
    public = public_names(package)
    if rest:
        sub = rest.split(".")[0]
        if sub != "testing" and sub not in public:
            return f"{module}, private to plugin {other!r} (not in {package}.__all__)"
        return None
    hidden = [n for n in names if _is_submodule(package, n) and n not in public and n != "testing"]
    if hidden:
        return f"{package}.{', '.join(hidden)}, private to plugin {other!r} (not in {package}.__all__)"
    return None


def _is_submodule(package: str, name: str) -> bool:
    return importlib.util.find_spec(f"{package}.{name}") is not None


# 3-5. routes, access, pagination
