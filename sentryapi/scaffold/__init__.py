"""``flask sentryapi new-plugin NAME``: write a plugin that installs, loads and passes its
tests at once, for an author to edit.

The files are under ``template/``; ``${name}``, ``${package}``, ``${dist}``, ``${title}``
and ``${path}`` are filled in (in file names too), a ``.tmpl`` suffix is dropped and the
``__package__`` folder takes the package's name.
"""

from __future__ import annotations

import os
import re
from string import Template

TEMPLATE = os.path.join(os.path.dirname(__file__), "template")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ScaffoldError(Exception):
    pass


def names(name: str) -> dict[str, str]:
    """What the template fills in for a plugin called ``name``."""
    if not NAME_RE.match(name):
        raise ScaffoldError(f"{name!r}: a plugin name is lowercase letters, digits and _, "
                            "starting with a letter (at most 40)")
    return {
        "name": name,
        "package": f"sentryapi_{name}",
        "dist": f"sentryapi-{name.replace('_', '-')}",
        "title": name.replace("_", " ").title(),
        "path": name.replace("_", "-"),
    }


def write_plugin(name: str, directory: str) -> str:
    """Write the new plugin's folder ``directory/name``; returns its path."""
    values = names(name)
    root = os.path.join(directory, name)
    if os.path.exists(root):
        raise ScaffoldError(f"{root} already exists")
    for folder, _, files in os.walk(TEMPLATE):
        relative = os.path.relpath(folder, TEMPLATE).replace("__package__", values["package"])
        target = os.path.normpath(os.path.join(root, relative))
        os.makedirs(target, exist_ok=True)
        for filename in files:
            with open(os.path.join(folder, filename), encoding="utf-8") as fh:
                text = Template(fh.read()).substitute(values)
            out = os.path.join(target, Template(filename).substitute(values).removesuffix(".tmpl"))
            if filename != ".keep":
                with open(out, "w", encoding="utf-8") as fh:
                    fh.write(text)
    return root
